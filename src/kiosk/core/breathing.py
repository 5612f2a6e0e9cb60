"""«Минутка спокойствия»: a guided breathing exercise as a pure state machine.

Time is an argument (monotonic seconds), so the whole exercise is tested without a clock.
The exercise lasts the whole number of breathing cycles closest to one minute and always
ends at a cycle boundary, after the last breath out (and its hold): a visitor is never
stopped half-way through a breath. Box breathing (16 s a cycle) takes 4 cycles = 64 s;
4-7-8 (19 s a cycle) takes 3 cycles = 57 s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

MINUTE_S = 60.0
# The shape's size relative to its largest: empty lungs, full lungs.
MIN_SCALE = 0.45
MAX_SCALE = 1.0


class BreathPhase(Enum):
    INHALE = "inhale"
    HOLD_FULL = "hold_full"  # holding the breath in
    EXHALE = "exhale"
    HOLD_EMPTY = "hold_empty"  # holding before the next breath in

    @property
    def word_key(self) -> str:
        """The i18n key of the word shown for the phase: both holds read «Задержка»."""
        return {BreathPhase.INHALE: "breathe_in", BreathPhase.EXHALE: "breathe_out"}.get(
            self, "hold")


@dataclass(frozen=True)
class Pattern:
    key: str  # "box" or "478": the i18n keys and the button that chose it
    steps: tuple[tuple[BreathPhase, float], ...]

    @property
    def cycle_s(self) -> float:
        return sum(seconds for _, seconds in self.steps)

    @property
    def cycles(self) -> int:
        """The whole number of cycles closest to a minute (at least one)."""
        return max(1, round(MINUTE_S / self.cycle_s))

    @property
    def duration_s(self) -> float:
        return self.cycles * self.cycle_s

    @property
    def rhythm(self) -> str:
        """«4-4-4-4», «4-7-8»: the seconds of each step, as people name the technique."""
        return "-".join(f"{seconds:g}" for _, seconds in self.steps)


BOX = Pattern("box", ((BreathPhase.INHALE, 4.0), (BreathPhase.HOLD_FULL, 4.0),
                      (BreathPhase.EXHALE, 4.0), (BreathPhase.HOLD_EMPTY, 4.0)))
FOUR_SEVEN_EIGHT = Pattern("478", ((BreathPhase.INHALE, 4.0), (BreathPhase.HOLD_FULL, 7.0),
                                   (BreathPhase.EXHALE, 8.0)))
PATTERNS: tuple[Pattern, ...] = (BOX, FOUR_SEVEN_EIGHT)


def ease(progress: float) -> float:
    """Cosine ease in and out: the shape starts and ends each breath slowly, like lungs."""
    return (1 - math.cos(math.pi * min(max(progress, 0.0), 1.0))) / 2


@dataclass(frozen=True)
class BreathState:
    phase: BreathPhase
    progress: float  # 0 → 1 through the current phase
    seconds_left: int  # the countdown shown: whole seconds left in the phase, 1 at the least
    scale: float  # the shape's size, MIN_SCALE (empty) … MAX_SCALE (full)
    cycle: int  # 0-based
    finished: bool
    # The share of the exercise behind the visitor, counted in whole phases (0 → 1): it
    # steps forward when a phase ends, so a progress drawn from it stands still in a hold.
    completed: float = 0.0


class BreathingExercise:
    def __init__(self, pattern: Pattern, started: float) -> None:
        self.pattern = pattern
        self.started = started

    @property
    def duration_s(self) -> float:
        return self.pattern.duration_s

    def elapsed(self, now: float) -> float:
        # A clock that went back counts as the start, never as negative time.
        return max(0.0, now - self.started)

    def finished(self, now: float) -> bool:
        return self.elapsed(now) >= self.duration_s

    def state(self, now: float) -> BreathState:
        elapsed = self.elapsed(now)
        if elapsed >= self.duration_s:
            # Ends after the last breath out: the shape rests small and still.
            last_phase = self.pattern.steps[-1][0]
            return BreathState(last_phase, 1.0, 0, MIN_SCALE, self.pattern.cycles - 1, True,
                               1.0)
        cycle, into = divmod(elapsed, self.pattern.cycle_s)
        phase, seconds = self.pattern.steps[-1]
        behind = cycle * self.pattern.cycle_s  # seconds in the phases already finished
        for step, length in self.pattern.steps:
            if into < length:
                phase, seconds = step, length
                break
            into -= length
            behind += length
        else:  # rounding left `into` a hair past the cycle's end: the last phase, finishing
            into += seconds
            behind -= seconds
        progress = min(max(into / seconds, 0.0), 1.0)
        left = max(1, math.ceil(seconds - into - 1e-9))
        return BreathState(phase, progress, left, _scale(phase, progress), int(cycle), False,
                           behind / self.duration_s)


def _scale(phase: BreathPhase, progress: float) -> float:
    span = MAX_SCALE - MIN_SCALE
    if phase is BreathPhase.INHALE:
        return MIN_SCALE + span * ease(progress)
    if phase is BreathPhase.EXHALE:
        return MAX_SCALE - span * ease(progress)
    return MAX_SCALE if phase is BreathPhase.HOLD_FULL else MIN_SCALE
