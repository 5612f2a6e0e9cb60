from __future__ import annotations

import pytest

from kiosk.core.gestures import SECOND_TAP_MS, Gesture, SecondTap, classify


@pytest.mark.parametrize(
    ("dx", "dy", "seconds", "expected"),
    [
        (0, 0, 0.1, Gesture.TAP),
        (20, -15, 0.3, Gesture.TAP),  # a shaky tap is still a tap
        (3, 30, 0.3, Gesture.TAP),  # one that slid down the glass as it pressed, too
        (-400, 30, 0.4, Gesture.SWIPE_LEFT),
        (400, -50, 0.8, Gesture.SWIPE_RIGHT),
        (-400, 300, 0.4, Gesture.NONE),  # diagonal: not a page turn
        (-400, 200, 0.4, Gesture.SWIPE_LEFT),  # a slanting swipe of a tired arm still turns
        (-100, 0, 0.2, Gesture.NONE),  # too short
        (-400, 0, 1.4, Gesture.SWIPE_LEFT),  # a slow hand's swipe
        (-400, 0, 2.0, Gesture.NONE),  # a finger resting as it slides: not a swipe
        (-400, 0, 3.0, Gesture.NONE),  # a slow drag, not a swipe
    ],
)
def test_classify(dx: float, dy: float, seconds: float, expected: Gesture) -> None:
    assert classify(dx, dy, seconds, screen_width=1920) is expected


def test_a_second_tap_soon_after_the_one_that_changed_the_screen_is_its_echo() -> None:
    taps = SecondTap()
    assert not taps.press(1000)
    taps.seen(1080)  # released: the tile opens its screen
    taps.changed()
    assert taps.press(1300)  # 220 ms later, on the new screen: the same tap
    assert not taps.press(1500)  # the next one is a tap again
    taps.seen(1580)
    taps.changed()
    assert not taps.press(1580 + SECOND_TAP_MS)  # the visitor looked first


def test_taps_that_change_nothing_are_never_echoes() -> None:
    taps = SecondTap()
    for stamp in (1000, 1100, 1200):  # «next» three times quickly: three pages
        assert not taps.press(stamp)
        taps.seen(stamp + 50)


def test_a_change_someone_meant_lets_their_next_quick_tap_through() -> None:
    taps = SecondTap()
    assert not taps.press(1000)  # staff's fifth tap in the corner
    taps.seen(1080)
    taps.changed()  # the PIN pad opens
    taps.meant()
    assert not taps.press(1250)  # their first digit, at once: a digit


def test_the_echo_of_a_tap_that_changed_the_screen_on_its_press_is_caught() -> None:
    """A tap on the attract loop opens a story as the finger goes down, before it comes up:
    the second tap of a trembling double tap lands on the story, and is not a tap there."""
    taps = SecondTap()
    assert not taps.press(1000)
    taps.changed()  # the story opened on the press itself
    assert taps.press(1250)


def test_a_screen_that_changed_by_itself_before_any_touch_makes_no_echo() -> None:
    """The kiosk went back to its attract loop (or the question «Вы ещё здесь?» came) with no
    finger on the glass since it started: the first tap is a tap."""
    taps = SecondTap()
    taps.changed()
    assert not taps.press(100)
