"""Opening hours, closed days and the sleeping screen, with the time as an input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.opening import OpeningHours, ScreenState, screen_state
from kiosk.core.problems import Problem, ProblemLog, Severity
from kiosk.core.settings import Settings, parse_settings
from kiosk.core.yamlsrc import parse_yaml

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = dt.timedelta(minutes=1)

# The usual week of a Moscow centre outside the «every day 8–20» ones.
WEEK = "opening_hours:\n  пн–пт: 08:00-20:00\n  сб: 10:00-17:00\n  вс: выходной\n"


def settings(text: str) -> tuple[Settings, list[Problem]]:
    problems: list[Problem] = []
    log = ProblemLog("kiosk.yaml", problems)
    return parse_settings(parse_yaml(text, log), log), problems


def opening(text: str) -> OpeningHours:
    parsed, problems = settings(text)
    assert problems == [], [p.format() for p in problems]
    return parsed.opening


def at(text: str, zone: ZoneInfo = MOSCOW, fold: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone, fold=fold)


def state(hours: OpeningHours, now: str, touch: str | None = None,
          zone: ZoneInfo = MOSCOW) -> ScreenState:
    return screen_state(hours, at(now, zone), at(touch, zone) if touch else None)


# --- the screen ---------------------------------------------------------------------------------

def test_without_opening_hours_the_screen_never_sleeps() -> None:
    hours = opening("centre_name: Мои Документы\n")
    for moment in ("2026-12-07 03:00", "2026-12-06 12:00", "2027-01-01 00:00"):
        assert state(hours, moment) == ScreenState(True, "always_open", None)


def test_a_week_of_opening_hours() -> None:
    week = opening(WEEK)
    assert state(week, "2026-12-07 12:00") == ScreenState(True, "open", at("2026-12-07 20:00"))
    assert state(week, "2026-12-07 20:00") == \
        ScreenState(False, "after_hours", at("2026-12-08 07:50"))
    assert state(week, "2026-12-12 09:55").reason == "before_opening"  # Saturday opens at 10
    assert state(week, "2026-12-12 17:30") == \
        ScreenState(False, "after_hours", at("2026-12-14 07:50"))  # through Sunday to Monday
    assert not state(week, "2026-12-13 12:00").awake  # Sunday


@pytest.mark.parametrize("text", [
    "opening_hours: 08:00-20:00\n",
    "opening_hours:\n  ежедневно: 08:00-20:00\n",
    "opening_hours:\n  Daily: 8.00 – 20.00\n",
    "opening_hours:\n  пн-пт: 08:00-20:00\n  сб, вс: 08:00-20:00\n",
    "opening_hours:\n  будни: 08:00-20:00\n  выходные: [\"08:00-20:00\"]\n",
    "opening_hours:\n  Mon-Sun: 08:00-20:00\n",
])
def test_every_day_eight_to_eight_as_staff_write_it(text: str) -> None:
    hours = opening(text)
    assert state(hours, "2026-12-13 12:00") == ScreenState(True, "open", at("2026-12-13 20:00"))
    assert state(hours, "2026-12-13 21:00").until == at("2026-12-14 07:50")


@pytest.mark.parametrize("value", ["24/7", "круглосуточно", "00:00-24:00"])
def test_round_the_clock_is_always_on_with_no_timer(value: str) -> None:
    hours = opening(f"opening_hours: {value}\n")
    assert state(hours, "2026-12-13 03:00") == ScreenState(True, "open", None)


def test_the_screen_wakes_before_opening() -> None:
    week = opening(WEEK)
    assert state(week, "2026-12-07 07:49") == \
        ScreenState(False, "after_hours", at("2026-12-07 07:50"))
    assert state(week, "2026-12-07 07:50") == \
        ScreenState(True, "before_opening", at("2026-12-07 08:00"))
    early = screen_state(week, at("2026-12-07 07:40"), wake_before=dt.timedelta(minutes=30))
    assert early.reason == "before_opening"


def test_a_touch_at_night_wakes_the_screen_for_five_minutes() -> None:
    week = opening(WEEK)
    assert state(week, "2026-12-08 03:00", touch="2026-12-08 03:00") == \
        ScreenState(True, "touched", at("2026-12-08 03:05"))
    assert state(week, "2026-12-08 03:04", touch="2026-12-08 03:00").awake
    assert state(week, "2026-12-08 03:05", touch="2026-12-08 03:00") == \
        ScreenState(False, "after_hours", at("2026-12-08 07:50"))
    longer = screen_state(week, at("2026-12-08 03:08"), at("2026-12-08 03:00"),
                          touch_awake=dt.timedelta(minutes=10))
    assert longer.awake


def test_a_visitor_at_closing_time_is_not_cut_off() -> None:
    week = opening(WEEK)
    assert state(week, "2026-12-07 19:58", touch="2026-12-07 19:58").until == \
        at("2026-12-07 20:00")  # open → touched
    assert state(week, "2026-12-07 20:01", touch="2026-12-07 19:58") == \
        ScreenState(True, "touched", at("2026-12-07 20:03"))


def test_a_closed_day() -> None:
    hours = opening(WEEK + "closed_days:\n  - 2026-12-08\n")
    assert state(hours, "2026-12-08 12:00") == \
        ScreenState(False, "closed_day", at("2026-12-09 07:50"))
    assert state(hours, "2026-12-07 12:00").until == at("2026-12-07 20:00")
    assert state(hours, "2026-12-08 12:00", touch="2026-12-08 11:59").reason == "touched"


@pytest.mark.parametrize("item", [
    "2026-12-31..2027-01-08", "31.12.2026 – 08.01.2027", "31.12.2026 - 8.1.2027",
    "31 декабря - 8 января", "31 декабря..8 января",
])
def test_closed_over_the_new_year(item: str) -> None:
    hours = opening(WEEK + f"closed_days:\n  - \"{item}\"\n")
    assert state(hours, "2026-12-30 12:00").reason == "open"
    assert state(hours, "2026-12-31 12:00") == \
        ScreenState(False, "closed_day", at("2027-01-09 09:50"))  # a Saturday: opens at 10
    assert state(hours, "2027-01-05 12:00").reason == "closed_day"
    assert state(hours, "2027-01-11 12:00").reason == "open"


def test_days_without_a_year_are_closed_every_year() -> None:
    hours = opening(WEEK + "closed_days: [1-8 января, 12 июня]\n")
    for year in (2027, 2028, 2031):
        assert state(hours, f"{year}-01-05 12:00").reason == "closed_day"
        assert state(hours, f"{year}-06-12 12:00").reason == "closed_day"
    assert state(hours, "2027-01-11 12:00").reason == "open"


def test_a_long_closure_still_tells_when_the_screen_wakes() -> None:
    hours = opening(WEEK + "closed_days: [2027-01-01..2027-04-30]\n")
    assert state(hours, "2027-02-01 12:00") == \
        ScreenState(False, "closed_day", at("2027-05-01 09:50"))  # a Saturday


def test_open_days_give_a_working_saturday_and_a_short_day() -> None:
    hours = opening(WEEK + "closed_days: [2027-02-22]\nopen_days:\n"
                    "  2027-02-21: 09:00-18:00\n  2027-02-22: 08:00-16:00\n")
    assert state(hours, "2027-02-21 12:00") == \
        ScreenState(True, "open", at("2027-02-21 18:00"))  # a Sunday, worked
    assert state(hours, "2027-02-22 12:00").until == at("2027-02-22 16:00")  # wins over closed
    assert state(hours, "2027-02-28 12:00").reason == "after_hours"  # the next Sunday: off


def test_open_past_midnight_belongs_to_the_evening_it_starts() -> None:
    hours = opening("opening_hours:\n  пт: 20:00-02:00\n  пн-чт, сб, вс: выходной\n")
    assert state(hours, "2026-12-11 23:00") == ScreenState(True, "open", at("2026-12-12 02:00"))
    assert state(hours, "2026-12-12 01:30").reason == "open"  # Friday's, on Saturday
    assert state(hours, "2026-12-12 02:00") == \
        ScreenState(False, "after_hours", at("2026-12-18 19:50"))
    closed = opening("opening_hours:\n  ежедневно: 20:00-02:00\nclosed_days: [2026-12-12]\n")
    assert state(closed, "2026-12-12 01:00").reason == "open"  # the evening before was open
    assert state(closed, "2026-12-12 21:00").reason == "closed_day"


def test_moscow_has_no_daylight_saving() -> None:
    hours = opening("opening_hours: 08:00-20:00\n")
    # The last Sunday of March and of October: nothing moves in Moscow.
    for day in ("2027-03-28", "2027-10-31"):
        now = state(hours, f"{day} 03:00")
        assert now.until == at(f"{day} 07:50")
        assert now.until is not None
        assert now.until - at(f"{day} 03:00") == dt.timedelta(hours=4, minutes=50)


def test_an_opening_in_the_skipped_hour_opens_when_the_clock_jumps() -> None:
    # Berlin, 28 March 2027: 02:00 becomes 03:00; 02:30 never happens.
    hours = opening("opening_hours: 02:30-20:00\n")
    night = screen_state(hours, at("2027-03-28 01:00", BERLIN), wake_before=dt.timedelta(0))
    assert night.until == at("2027-03-28 03:00", BERLIN)
    assert night.until is not None
    assert night.until.astimezone(dt.UTC) == dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)
    morning = screen_state(hours, at("2027-03-28 03:00", BERLIN), wake_before=dt.timedelta(0))
    assert morning.reason == "open"
    # The wake 10 minutes before 02:30 is 02:20, skipped too: the screen wakes at the jump.
    woken = state(hours, "2027-03-28 01:00", zone=BERLIN)
    assert woken.until is not None
    assert woken.until.astimezone(dt.UTC) <= dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)


def test_an_opening_in_the_repeated_hour_opens_the_first_time_round() -> None:
    # Berlin, 31 October 2027: 03:00 becomes 02:00 again; 02:30 happens twice.
    hours = opening("opening_hours: 02:30-20:00\n")
    night = screen_state(hours, at("2027-10-31 01:00", BERLIN), wake_before=dt.timedelta(0))
    assert night.until is not None
    assert night.until.astimezone(dt.UTC) == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)
    # The second 02:10 is after the first 02:30: open, not asleep again.
    again = screen_state(hours, at("2027-10-31 02:10", BERLIN, fold=1),
                         wake_before=dt.timedelta(0))
    assert again == ScreenState(True, "open", at("2027-10-31 20:00", BERLIN))


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        screen_state(opening(WEEK), dt.datetime(2026, 12, 7, 12, 0))


# --- mistakes: each named, and none turns the screen off ---------------------------------------

def only(problems: list[Problem], code: str) -> Problem:
    assert [p.code for p in problems] == [code], [p.format() for p in problems]
    return problems[0]


def test_an_unknown_day_keeps_the_screen_on_every_day() -> None:
    parsed, problems = settings("opening_hours:\n  пн-пт: 08:00-20:00\n  сбб: 10:00-17:00\n"
                                "  вс: выходной\n")
    problem = only(problems, "bad_opening_day")
    assert problem.line == 3 and problem.severity is Severity.ERROR
    assert "«сбб»" in problem.message("ru") and "«сб»" in problem.message("ru")
    assert "stays on every day" in problem.message("en")
    assert parsed.opening.always_open
    assert state(parsed.opening, "2026-12-13 03:00").awake


@pytest.mark.parametrize("value", ["8-20", "08:00", "с 8 до 20", "25:00-26:00", "[]"])
def test_hours_not_understood_keep_that_day_on(value: str) -> None:
    parsed, problems = settings(f"opening_hours:\n  пн-сб: 08:00-20:00\n  вс: {value}\n")
    problem = only(problems, "bad_opening_hours")
    assert problem.line == 3
    assert "08:00-20:00" in problem.message("ru") and "24/7" in problem.message("en")
    assert state(parsed.opening, "2026-12-13 03:00").awake  # Sunday: on all day
    assert not state(parsed.opening, "2026-12-12 03:00").awake  # Saturday night: off


def test_an_unreadable_opening_hours_keeps_the_default() -> None:
    parsed, problems = settings("opening_hours: всегда\n")
    assert only(problems, "bad_opening_hours").args["value"] == "всегда"
    assert state(parsed.opening, "2026-12-13 03:00").awake


def test_a_forgotten_day_is_warned_about() -> None:
    parsed, problems = settings("opening_hours:\n  пн-пт: 08:00-20:00\n")
    problem = only(problems, "opening_days_missing")
    assert problem.severity is Severity.WARNING and problem.line == 1
    assert "сб, вс" in problem.message("ru") and "off all those days" in problem.message("en")
    assert not state(parsed.opening, "2026-12-12 12:00").awake


def test_a_day_twice_is_warned_about_and_the_last_wins() -> None:
    parsed, problems = settings("opening_hours:\n  ежедневно: 08:00-20:00\n  вс: выходной\n")
    problem = only(problems, "opening_day_twice")
    assert problem.line == 3 and "«вс»" in problem.message("ru")
    assert not state(parsed.opening, "2026-12-13 12:00").awake


def test_closed_every_day_is_warned_about() -> None:
    _, problems = settings("opening_hours: закрыто\n")
    assert "always be off" in only(problems, "opening_never").message("en")


@pytest.mark.parametrize("item", ["2027-13-01", "32.01.2027", "1 янвря", "2027-01-01..8 января",
                                  "завтра"])
def test_a_closed_day_not_understood_is_an_ordinary_day(item: str) -> None:
    parsed, problems = settings(WEEK + f"closed_days:\n  - 2027-01-01\n  - \"{item}\"\n")
    problem = only(problems, "bad_closed_day")
    assert problem.line == 5
    assert item.lower() in problem.message("ru") and "2027-01-01..2027-01-08" in \
        problem.message("en")
    assert parsed.closed_days and len(parsed.closed_days) == 1  # the good one is kept


def test_a_date_yaml_read_as_a_number_is_explained() -> None:
    _, problems = settings(WEEK + "closed_days: [10.10]\n")
    message = only(problems, "closed_day_number").message("ru")
    assert "«10.1»" in message and "10.10.2027" in message


def test_a_reversed_range_is_explained() -> None:
    parsed, problems = settings(WEEK + "closed_days: [2027-01-08..2027-01-01]\n")
    assert "swap" in only(problems, "closed_days_reversed").message("en")
    assert parsed.closed_days == ()


def test_open_days_must_be_lines() -> None:
    _, problems = settings(WEEK + "open_days: 2027-02-20\n")
    assert only(problems, "wrong_type").args["key"] == "open_days"


def test_the_settings_keys_are_known() -> None:
    _, problems = settings(WEEK + "closed_days: []\nopen_days:\n  2027-02-20: 10:00-17:00\n")
    assert problems == []


def test_the_bundled_example_works_once_uncommented() -> None:
    bundled = (Path(__file__).parents[2] / "content" / "kiosk.yaml").read_text(encoding="utf-8")
    assert "\nopening_hours:" not in bundled  # commented out: the bundled kiosk never sleeps
    example = bundled.split("# opening_hours:", 1)[1]
    text = "opening_hours:" + "\n".join(line.replace("# ", "", 1)
                                        for line in example.splitlines())
    hours = opening(text)
    assert state(hours, "2027-06-01 03:00") == \
        ScreenState(False, "after_hours", at("2027-06-01 07:50"))
    assert state(hours, "2028-01-01 12:00").reason == "closed_day"
    assert state(hours, "2027-12-31 12:00").until == at("2027-12-31 16:00")


def test_a_closed_day_begins_at_the_centres_midnight_not_utcs() -> None:
    # Moscow is UTC+3: 23:00 on the 7th is 20:00 UTC, still the 7th in both; the change to the
    # closed 8th is reported as closed from Moscow's midnight.
    hours = opening("opening_hours: 08:00-23:30\nclosed_days: [2026-12-08]\n")
    assert state(hours, "2026-12-07 23:00") == \
        ScreenState(True, "open", at("2026-12-07 23:30"))
    assert state(hours, "2026-12-07 23:40").reason == "after_hours"
    assert state(hours, "2026-12-08 01:00") == \
        ScreenState(False, "closed_day", at("2026-12-09 07:50"))
