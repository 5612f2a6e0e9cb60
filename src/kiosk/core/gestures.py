"""Telling a swipe from a tap, from where a finger went down and came up."""

from __future__ import annotations

from enum import Enum


class Gesture(Enum):
    TAP = "tap"
    SWIPE_LEFT = "swipe_left"  # finger moved to the left: show the next item
    SWIPE_RIGHT = "swipe_right"  # to the right: the previous item
    NONE = "none"  # a drag that was neither (vertical, too short, too slow)


# How far a tap may wander, as a share of the screen's width: a hand with a tremor slides
# 10–20 px while it presses (38 px at 1920, 22 at 1080 wide: about 1 cm on the glass).
TAP_WANDER = 0.02


def classify(dx: float, dy: float, seconds: float, screen_width: float) -> Gesture:
    """Elderly fingers are slow and wobbly: a swipe needs a clear sideways move (8 % of the
    screen width), mostly horizontal, within 1.5 s; a tap may wander up to 2 %."""
    distance = (dx * dx + dy * dy) ** 0.5
    if distance <= TAP_WANDER * screen_width:
        return Gesture.TAP
    if abs(dx) >= 0.08 * screen_width and abs(dx) > 1.5 * abs(dy) and seconds <= 1.5:
        return Gesture.SWIPE_LEFT if dx < 0 else Gesture.SWIPE_RIGHT
    return Gesture.NONE


# A tremor's double tap comes 150–350 ms apart; nobody reads a new screen and aims at it
# faster than this (Qt's default double-click interval).
SECOND_TAP_MS = 400


class SecondTap:
    """A finger that taps twice by accident: the first tap changed what is under it (a new
    screen, the question «Вы ещё здесь?» gone, the screens rebuilt in large text), and the
    second would land on whatever the new screen has there (a picture to colour, a rhythm to
    breathe, «Крупный шрифт» off again). Such a press is the first tap's echo, not a tap.

    Times are the input events' own stamps (ms), not when they are handled: a screen that
    took a moment to build does not make a quick second tap look slow."""

    def __init__(self, interval_ms: int = SECOND_TAP_MS) -> None:
        self.interval_ms = interval_ms
        self.last_input: int | None = None  # the latest press or release seen
        self.changed_at: int | None = None  # stamp of the input that changed the screen

    def seen(self, stamp: int) -> None:
        """A finger went down or came up (before it reaches any widget)."""
        self.last_input = stamp

    def changed(self) -> None:
        """What is under the finger changed, because of the latest input."""
        self.changed_at = self.last_input

    def meant(self) -> None:
        """The change was asked for by someone who taps on at once and knows where (staff's
        hidden gesture opened their PIN pad): their next tap is a tap."""
        self.changed_at = None

    def press(self, stamp: int) -> bool:
        """A finger went down: True if it is the echo of the tap that changed the screen."""
        echo = self.changed_at is not None and 0 <= stamp - self.changed_at < self.interval_ms
        self.changed_at = None
        self.last_input = stamp
        return echo
