"""The wall clock's setting is told from time passing: only its distance from the monotonic
clock changes."""

from __future__ import annotations

from kiosk.core.wallclock import WallClockWatch


def test_time_passing_is_not_a_setting_and_a_jump_either_way_is() -> None:
    watch = WallClockWatch()
    assert not watch.was_set(1_000_000.0, 50.0)  # the first look only takes note
    assert not watch.was_set(1_000_060.0, 110.0)  # a minute on both clocks
    assert not watch.was_set(1_000_121.5, 170.0)  # NTP slewing, a late timer
    assert watch.was_set(1_009_181.5, 230.0)  # set forward by hours
    assert not watch.was_set(1_009_241.5, 290.0)
    assert watch.was_set(1_000.0, 350.0)  # back to 1970, as an unset clock reads
