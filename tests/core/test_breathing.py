from __future__ import annotations

import itertools

import pytest

from kiosk.core.breathing import (
    BOX,
    FOUR_SEVEN_EIGHT,
    MAX_SCALE,
    MIN_SCALE,
    BreathingExercise,
    BreathPhase,
    ease,
)
from kiosk.core.session import IdleSession, Phase, SessionEvent


def test_the_minute_is_whole_cycles_closest_to_sixty_seconds() -> None:
    assert BOX.cycle_s == 16 and BOX.cycles == 4 and BOX.duration_s == 64
    assert FOUR_SEVEN_EIGHT.cycle_s == 19 and FOUR_SEVEN_EIGHT.cycles == 3
    assert FOUR_SEVEN_EIGHT.duration_s == 57
    assert BOX.rhythm == "4-4-4-4" and FOUR_SEVEN_EIGHT.rhythm == "4-7-8"


@pytest.mark.parametrize(("t", "phase", "left"), [
    (0.0, BreathPhase.INHALE, 4), (3.2, BreathPhase.INHALE, 1), (4.0, BreathPhase.HOLD_FULL, 4),
    (9.5, BreathPhase.EXHALE, 3), (12.0, BreathPhase.HOLD_EMPTY, 4),
    (16.0, BreathPhase.INHALE, 4), (63.9, BreathPhase.HOLD_EMPTY, 1)])
def test_box_breathing_phases_and_countdown(t: float, phase: BreathPhase, left: int) -> None:
    state = BreathingExercise(BOX, 100.0).state(100.0 + t)
    assert (state.phase, state.seconds_left, state.finished) == (phase, left, False)


@pytest.mark.parametrize(("t", "phase", "left"), [
    (1.0, BreathPhase.INHALE, 3), (4.0, BreathPhase.HOLD_FULL, 7), (10.9, BreathPhase.HOLD_FULL, 1),
    (11.0, BreathPhase.EXHALE, 8), (18.5, BreathPhase.EXHALE, 1), (19.0, BreathPhase.INHALE, 4)])
def test_four_seven_eight(t: float, phase: BreathPhase, left: int) -> None:
    state = BreathingExercise(FOUR_SEVEN_EIGHT, 0.0).state(t)
    assert (state.phase, state.seconds_left) == (phase, left)


def test_the_shape_grows_on_the_breath_in_and_shrinks_on_the_breath_out() -> None:
    exercise = BreathingExercise(BOX, 0.0)
    sizes = [exercise.state(t / 10).scale for t in range(0, 41)]
    assert sizes[0] == pytest.approx(MIN_SCALE) and sizes[-1] == pytest.approx(MAX_SCALE)
    assert all(b > a for a, b in itertools.pairwise(sizes))  # always growing
    assert exercise.state(6.0).scale == MAX_SCALE  # held full
    assert exercise.state(10.0).scale == pytest.approx((MIN_SCALE + MAX_SCALE) / 2)
    assert exercise.state(14.0).scale == MIN_SCALE  # held empty
    # Eased: slow at the ends of a breath, fastest in its middle.
    assert sizes[1] - sizes[0] < sizes[21] - sizes[20]
    assert ease(0.0) == 0 and ease(1.0) == 1 and ease(0.5) == pytest.approx(0.5)


def test_progress_runs_through_each_phase() -> None:
    exercise = BreathingExercise(FOUR_SEVEN_EIGHT, 0.0)
    assert exercise.state(4.0 + 3.5).progress == pytest.approx(0.5)
    assert exercise.state(11.0 + 2.0).progress == pytest.approx(0.25)


def test_the_minute_passes_phase_by_phase_and_stands_still_in_a_hold() -> None:
    exercise = BreathingExercise(FOUR_SEVEN_EIGHT, 0.0)  # 3 × 19 s = 57 s
    assert exercise.state(0.0).completed == 0.0
    assert exercise.state(3.9).completed == 0.0  # still breathing in: nothing finished yet
    assert exercise.state(4.0).completed == pytest.approx(4 / 57)
    # All through the hold the share does not move: a progress drawn from it never repaints.
    assert {exercise.state(4.0 + t / 10).completed for t in range(70)} == {4 / 57}
    assert exercise.state(19.0 + 11.5).completed == pytest.approx((19 + 11) / 57)
    shares = [exercise.state(t / 4).completed for t in range(57 * 4)]
    assert all(b >= a for a, b in itertools.pairwise(shares))
    assert exercise.state(57.0).completed == 1.0


def test_it_ends_at_a_cycle_boundary_and_then_rests() -> None:
    exercise = BreathingExercise(FOUR_SEVEN_EIGHT, 50.0)
    assert not exercise.finished(50.0 + 56.99)
    assert exercise.state(50.0 + 56.99).phase is BreathPhase.EXHALE  # the last breath out
    done = exercise.state(50.0 + 57.0)
    assert exercise.finished(50.0 + 57.0) and done.finished
    assert done.scale == MIN_SCALE and done.seconds_left == 0
    assert exercise.state(10_000.0) == done  # still: nothing changes any more


def test_a_clock_that_goes_back_restarts_nothing_and_breaks_nothing() -> None:
    exercise = BreathingExercise(BOX, 100.0)
    state = exercise.state(90.0)
    assert state.phase is BreathPhase.INHALE and state.seconds_left == 4 and not state.finished


def test_breathing_counts_as_presence_so_the_minute_is_never_cut() -> None:
    session = IdleSession(idle_seconds=20, warning_seconds=5)
    session.touch(0.0)  # the visitor chose a pattern
    exercise = BreathingExercise(BOX, 0.0)
    now = 0.0
    while not exercise.finished(now):
        session.hold(now)
        assert session.tick(now) is None, now
        now += 0.25
    # After the exercise the idle time counts from its end.
    assert session.tick(now + 19.0) is None
    assert session.tick(now + 20.0) is SessionEvent.WARN
    assert session.tick(now + 25.0) is SessionEvent.RESET


def test_hold_never_starts_a_session() -> None:
    session = IdleSession(20, 5)
    session.hold(3.0)
    assert session.phase is Phase.ATTRACT
