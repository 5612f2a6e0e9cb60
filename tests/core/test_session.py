from __future__ import annotations

from kiosk.core.session import IdleSession, Phase, SessionEvent


def test_a_tap_on_attract_starts_a_session() -> None:
    session = IdleSession(idle_seconds=90, warning_seconds=15)
    assert session.touch(100.0) is SessionEvent.STARTED
    assert session.phase is Phase.ACTIVE
    assert session.touch(101.0) is None


def test_warning_after_idle_time_then_reset_after_countdown() -> None:
    session = IdleSession(90, 15)
    session.touch(0.0)
    assert session.tick(89.9) is None
    assert session.tick(90.0) is SessionEvent.WARN
    assert session.seconds_left(90.0) == 15
    assert session.seconds_left(97.2) == 8
    assert session.tick(104.9) is None
    assert session.tick(105.0) is SessionEvent.RESET
    assert session.phase is Phase.ATTRACT
    assert session.tick(500.0) is None


def test_each_touch_restarts_the_idle_time() -> None:
    session = IdleSession(90, 15)
    session.touch(0.0)
    session.touch(80.0)
    assert session.tick(120.0) is None
    assert session.tick(170.0) is SessionEvent.WARN


def test_touch_during_warning_keeps_the_visitor() -> None:
    session = IdleSession(90, 15)
    session.touch(0.0)
    session.tick(90.0)
    assert session.touch(95.0) is SessionEvent.STAYED
    assert session.phase is Phase.ACTIVE
    assert session.tick(110.0) is None  # the idle time counts again from the touch


def test_clock_going_back_does_not_freeze_the_session() -> None:
    session = IdleSession(90, 15)
    session.touch(1000.0)
    assert session.tick(10.0) is None  # clock jumped back by hours
    assert session.tick(99.0) is None
    assert session.tick(100.0) is SessionEvent.WARN

