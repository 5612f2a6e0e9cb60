"""Whether the wall clock was set (by NTP, by hand, or a machine without a clock battery that
starts on the day it was switched off): its distance from the monotonic clock changes, which
the passing of time never does. Qt's timers run on the monotonic clock, so a timer set for a
wall-clock moment (an urgent notice's first or last minute) misses it after such a change:
what was timed so is judged again."""

from __future__ import annotations

SLACK_S = 2.0  # NTP's slewing and a late timer move it by far less


class WallClockWatch:
    def __init__(self, slack: float = SLACK_S) -> None:
        self.slack = slack
        self._offset: float | None = None

    def was_set(self, wall: float, monotonic: float) -> bool:
        """Whether the wall clock (Unix seconds) was set since the last call; the first one
        only takes note."""
        offset = wall - monotonic
        moved = self._offset is not None and abs(offset - self._offset) > self.slack
        self._offset = offset
        return moved
