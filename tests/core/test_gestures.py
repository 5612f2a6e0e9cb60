from __future__ import annotations

import pytest

from kiosk.core.gestures import Gesture, classify


@pytest.mark.parametrize(
    ("dx", "dy", "seconds", "expected"),
    [
        (0, 0, 0.1, Gesture.TAP),
        (20, -15, 0.3, Gesture.TAP),  # a shaky tap is still a tap
        (-400, 30, 0.4, Gesture.SWIPE_LEFT),
        (400, -50, 0.8, Gesture.SWIPE_RIGHT),
        (-400, 300, 0.4, Gesture.NONE),  # diagonal: not a page turn
        (-100, 0, 0.2, Gesture.NONE),  # too short
        (-400, 0, 3.0, Gesture.NONE),  # a slow drag, not a swipe
    ],
)
def test_classify(dx: float, dy: float, seconds: float, expected: Gesture) -> None:
    assert classify(dx, dy, seconds, screen_width=1920) is expected
