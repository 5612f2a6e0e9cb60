from __future__ import annotations

from kiosk.core.staff_gesture import CornerTaps


def taps(gesture: CornerTaps, times: list[float], x: float = 10, y: float = 10) -> list[bool]:
    return [gesture.tap(x, y, 120, t) for t in times]


def test_five_corner_taps_within_three_seconds_open() -> None:
    assert taps(CornerTaps(), [0, 0.5, 1, 1.5, 2]) == [False] * 4 + [True]


def test_five_taps_spread_over_more_than_three_seconds_do_not() -> None:
    gesture = CornerTaps()
    assert not any(taps(gesture, [0, 1, 2, 3, 3.5]))
    assert gesture.tap(10, 10, 120, 3.9)  # but the last five of them within 3 s do


def test_a_tap_elsewhere_starts_the_count_again() -> None:
    gesture = CornerTaps()
    taps(gesture, [0, 0.2, 0.4, 0.6])
    assert not gesture.tap(500, 500, 120, 0.7)
    assert taps(gesture, [0.8, 0.9, 1.0, 1.1, 1.2]) == [False] * 4 + [True]


def test_the_corner_is_a_square_of_the_given_side() -> None:
    assert not any(CornerTaps().tap(119, 120, 120, t) for t in range(5))
    assert taps(CornerTaps(), [0, 0, 0, 0, 0], x=119, y=119)[-1]


def test_after_opening_the_count_starts_from_zero() -> None:
    gesture = CornerTaps()
    taps(gesture, [0, 0.1, 0.2, 0.3, 0.4])
    assert not gesture.tap(10, 10, 120, 0.5)


def test_a_clock_going_back_neither_opens_nor_sticks() -> None:
    gesture = CornerTaps()
    taps(gesture, [100, 100.1, 100.2, 100.3])
    assert not gesture.tap(10, 10, 120, 5.0)  # went back: counting starts again
    assert taps(gesture, [5.1, 5.2, 5.3, 5.4]) == [False, False, False, True]


def test_a_tap_on_a_button_in_the_corner_starts_the_count_again() -> None:
    gesture = CornerTaps()
    taps(gesture, [0, 0.2, 0.4, 0.6])
    assert not gesture.tap(10, 10, 120, 0.7, on_control=True)
    assert taps(gesture, [0.8, 0.9, 1.0, 1.1, 1.2]) == [False] * 4 + [True]
