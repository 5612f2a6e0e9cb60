"""Telling a swipe from a tap, from where a finger went down and came up."""

from __future__ import annotations

from enum import Enum


class Gesture(Enum):
    TAP = "tap"
    SWIPE_LEFT = "swipe_left"  # finger moved to the left: show the next item
    SWIPE_RIGHT = "swipe_right"  # to the right: the previous item
    NONE = "none"  # a drag that was neither (vertical, too short, too slow)


def classify(dx: float, dy: float, seconds: float, screen_width: float) -> Gesture:
    """Elderly fingers are slow and wobbly: a swipe needs a clear sideways move (8 % of the
    screen width), mostly horizontal, within 1.5 s; a tap may wander up to 2 %."""
    distance = (dx * dx + dy * dy) ** 0.5
    if distance <= 0.02 * screen_width:
        return Gesture.TAP
    if abs(dx) >= 0.08 * screen_width and abs(dx) > 1.5 * abs(dy) and seconds <= 1.5:
        return Gesture.SWIPE_LEFT if dx < 0 else Gesture.SWIPE_RIGHT
    return Gesture.NONE
