"""The hidden way in for staff: five taps in the top-left corner within three seconds.

A visitor taps the corner once or twice by chance, seldom five times in a row and quickly;
a tap anywhere else starts the count again, and so does a tap on a button: a child hammering
Home (just right of the corner) never counts. Taps still reach the screen underneath: in the
corner they land on the page's margin or the edge of a slide, never on anything that matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TAPS = 5
WINDOW_S = 3.0
CORNER_PX = 120  # the side of the corner square, on a 1080-pixel screen, at most


@dataclass
class CornerTaps:
    """The staff's hidden way in: taps in the corner, counted within a time window."""

    taps: int = TAPS
    window_s: float = WINDOW_S
    times: list[float] = field(default_factory=list)

    def tap(self, x: float, y: float, corner: float, now: float,
            on_control: bool = False) -> bool:
        """A finger came down at (x, y) (window pixels; the corner square is `corner` wide),
        `on_control` if on a button. True when this tap completes the gesture; the count then
        starts again."""
        if on_control or not (0 <= x < corner and 0 <= y < corner):
            self.times.clear()
            return False
        if self.times and now < self.times[-1]:
            self.times.clear()  # the clock went back: count from this tap
        self.times = [t for t in self.times if now - t <= self.window_s]
        self.times.append(now)
        if len(self.times) >= self.taps:
            self.times.clear()
            return True
        return False

    def reset(self) -> None:
        self.times.clear()
