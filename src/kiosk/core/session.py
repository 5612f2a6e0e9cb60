"""The visitor's session: attract → active → «are you still there?» → attract.

A pure state machine: every method takes the time (monotonic seconds) as an argument, so the
whole behaviour is tested without timers; the Qt layer only feeds it touches and ticks.
"""

from __future__ import annotations

import math
from enum import Enum


class Phase(Enum):
    ATTRACT = "attract"
    ACTIVE = "active"
    WARNING = "warning"


class SessionEvent(Enum):
    STARTED = "started"  # a tap on the attract screen
    WARN = "warn"  # show «Вы ещё здесь?»
    STAYED = "stayed"  # the visitor answered, or touched the screen
    RESET = "reset"  # nobody answered: wipe everything, back to attract


class IdleSession:
    def __init__(self, idle_seconds: float, warning_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self.warning_seconds = warning_seconds
        self.phase = Phase.ATTRACT
        self.last_touch = 0.0
        self.warned_at = 0.0

    def touch(self, now: float) -> SessionEvent | None:
        """Any touch, tap or key. Returns what the screen must do about it."""
        previous = self.phase
        self.last_touch = now
        self.phase = Phase.ACTIVE
        if previous is Phase.ATTRACT:
            return SessionEvent.STARTED
        if previous is Phase.WARNING:
            return SessionEvent.STAYED
        return None

    def hold(self, now: float) -> None:
        """A screen that keeps the visitor busy without touches (the calm minute's breathing):
        counts as presence, so the idle time starts when it ends. Never starts a session."""
        if self.phase is Phase.ACTIVE:
            self.last_touch = max(self.last_touch, now)

    def tick(self, now: float) -> SessionEvent | None:
        if self.phase is Phase.ACTIVE:
            if now < self.last_touch:  # the clock went back: count from now
                self.last_touch = now
            if now - self.last_touch >= self.idle_seconds:
                self.phase = Phase.WARNING
                self.warned_at = now
                return SessionEvent.WARN
        elif self.phase is Phase.WARNING:
            if now < self.warned_at:
                self.warned_at = now
            if now - self.warned_at >= self.warning_seconds:
                self.phase = Phase.ATTRACT
                return SessionEvent.RESET
        return None

    def seconds_left(self, now: float) -> int:
        """The countdown shown in the warning, in whole seconds (never below 0)."""
        if self.phase is not Phase.WARNING:
            return math.ceil(self.warning_seconds)
        return max(0, math.ceil(self.warned_at + self.warning_seconds - now))

    def end(self) -> None:
        """Back to attract at once (staff action, content swap)."""
        self.phase = Phase.ATTRACT
