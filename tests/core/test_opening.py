"""Opening hours, closed days and the sleeping screen, with the time as an input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.content.problems import Problem, ProblemLog, Severity
from kiosk.core.content.yamlsrc import parse_yaml
from kiosk.core.schedules.opening import (
    CLOSED_LOOK_AHEAD,
    DayRange,
    OpeningHours,
    ScreenState,
    closed_days_problems,
    screen_state,
)
from kiosk.core.settings import Settings, parse_settings

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = dt.timedelta(minutes=1)

# The usual week of a Moscow centre outside the «every day 8–20» ones.
WEEK = "opening_hours:\n  пн–пт: 08:00-20:00\n  сб: 10:00-17:00\n  вс: выходной\n"


def settings(text: str) -> tuple[Settings, list[Problem]]:
    problems: list[Problem] = []
    log = ProblemLog("kiosk.yaml", problems)
    return parse_settings(parse_yaml(text, log), log), problems


def opening(text: str, warned: tuple[str, ...] = ()) -> OpeningHours:
    parsed, problems = settings(text)
    assert [p.code for p in problems] == list(warned), [p.format() for p in problems]
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
    hours = opening("opening_hours:\n  пт: 20:00-02:00\n  пн-чт, сб, вс: выходной\n",
                    warned=("opening_overnight",))  # warned of, and honoured
    assert state(hours, "2026-12-11 23:00") == ScreenState(True, "open", at("2026-12-12 02:00"))
    assert state(hours, "2026-12-12 01:30").reason == "open"  # Friday's, on Saturday
    assert state(hours, "2026-12-12 02:00") == \
        ScreenState(False, "after_hours", at("2026-12-18 19:50"))
    closed = opening("opening_hours:\n  ежедневно: 20:00-02:00\nclosed_days: [2026-12-12]\n",
                     warned=("opening_overnight",))
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
    impossible = item in ("2027-13-01", "32.01.2027")  # named as days that do not exist
    problem = only(problems, "closed_day_impossible" if impossible else "bad_closed_day")
    assert problem.line == 5
    assert item.lower() in problem.message("ru") and (
        "no such date" if impossible else "2027-01-01..2027-01-08") in problem.message("en")
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


# --- across a DST change, moments are added and compared in UTC, not on the wall clock ------

def berlin(hour: int, minute: int, day: str = "2024-10-27") -> dt.datetime:
    """A UTC moment, as the centre's clock in Berlin shows it (fold set by the zone)."""
    y, m, d = (int(part) for part in day.split("-"))
    return dt.datetime(y, m, d, hour, minute, tzinfo=dt.UTC).astimezone(BERLIN)


def test_a_touch_across_the_autumn_fold_keeps_the_screen_on_five_minutes_not_an_hour() -> None:
    # Berlin, 27 October 2024: at 01:00 UTC the clock goes from 03:00 CEST back to 02:00 CET.
    hours = opening("opening_hours: 08:00-20:00\n")
    touch = berlin(0, 58)  # 02:58 CEST
    woken = screen_state(hours, berlin(0, 59), touch)
    assert woken.reason == "touched" and woken.until is not None
    assert woken.until.astimezone(dt.UTC) == dt.datetime(2024, 10, 27, 1, 3, tzinfo=dt.UTC)
    # 02:02 CET (fold 1) is four minutes after the touch, though its clock shows less.
    assert berlin(1, 2).fold == 1
    assert screen_state(hours, berlin(1, 2), touch).reason == "touched"
    assert screen_state(hours, berlin(1, 3), touch).reason == "after_hours"
    assert screen_state(hours, berlin(1, 30), touch).reason == "after_hours"  # not 64 minutes


def test_a_touch_across_the_spring_jump_keeps_the_screen_on_five_minutes() -> None:
    # Berlin, 31 March 2024: at 01:00 UTC the clock goes from 02:00 CET to 03:00 CEST.
    hours = opening("opening_hours: 08:00-20:00\n")
    touch = berlin(0, 58, "2024-03-31")  # 01:58 CET
    later = screen_state(hours, berlin(1, 1, "2024-03-31"), touch)  # 03:01 CEST
    assert later.reason == "touched" and later.until is not None
    assert later.until.astimezone(dt.UTC) == dt.datetime(2024, 3, 31, 1, 3, tzinfo=dt.UTC)
    assert screen_state(hours, berlin(1, 3, "2024-03-31"), touch).reason == "after_hours"


def test_until_is_ahead_of_now_in_real_time_in_the_repeated_hour() -> None:
    # Opening at 03:05 after the fold: the wake at 02:55 comes the second time round (CET).
    hours = opening("opening_hours: 03:05-20:00\n")
    for now in (berlin(0, 50), berlin(0, 56), berlin(1, 30)):
        asleep = screen_state(hours, now)
        assert asleep.reason == "after_hours" and asleep.until is not None
        assert asleep.until.astimezone(dt.UTC) == dt.datetime(2024, 10, 27, 1, 55, tzinfo=dt.UTC)


# --- typos that would keep the screen dark ----------------------------------------------------

@pytest.mark.parametrize(("item", "swapped"), [
    ("8-1 января", "1-8 января"), ("8 января - 1 января", "1-8 января"),
    ("31.05 - 1.05", "1-31 мая"), ("10..1 jan", None),
])
def test_a_yearly_range_backwards_within_a_month_is_an_error(item: str,
                                                             swapped: str | None) -> None:
    parsed, problems = settings(WEEK + f"closed_days: [\"{item}\"]\n")
    if swapped is None:  # not a date at all: said so, as before
        assert only(problems, "bad_closed_day")
        return
    problem = only(problems, "closed_days_reversed_yearly")
    assert problem.is_error and problem.line == 5
    assert f"«{swapped}»" in problem.message("ru") and "25 декабря - 8 января" in \
        problem.message("ru")
    assert parsed.closed_days == ()  # an ordinary day: the screen keeps to the usual hours


def test_a_yearly_range_over_the_new_year_across_months_stays_valid() -> None:
    hours = opening(WEEK + "closed_days: [25 декабря - 8 января, 1-8 мая]\n")
    assert state(hours, "2027-01-05 12:00").reason == "closed_day"
    assert state(hours, "2027-05-03 12:00").reason == "closed_day"


def test_hours_past_midnight_are_warned_of_as_likely_swapped_but_honoured() -> None:
    parsed, problems = settings("opening_hours:\n  ежедневно: 20:00-08:00\n")
    problem = only(problems, "opening_overnight")
    assert problem.severity is Severity.WARNING and problem.line == 2
    assert "если центр работает с 08:00 до 20:00, напишите 08:00-20:00" in \
        problem.message("ru").lower()
    assert "If the centre is open from 08:00 to 20:00, write 08:00-20:00" in \
        problem.message("en")
    hours = parsed.opening  # read as written: a centre may work through the night
    assert state(hours, "2026-12-07 23:00").reason == "open"
    assert state(hours, "2026-12-08 12:00").reason == "after_hours"


@pytest.mark.parametrize("text", [
    "opening_hours: 20:00-08:00\n",  # one value for every day
    "opening_hours:\n  пн-пт: 09:00-13:00, 14:00-02:00\n  сб, вс: выходной\n",  # the second span
    WEEK + "open_days:\n  2027-02-20: 22:00-06:00\n",
])
def test_every_span_past_midnight_is_warned_of(text: str) -> None:
    _, problems = settings(text)
    assert [p.code for p in problems] == ["opening_overnight"], [p.format() for p in problems]
    key = problems[0].args["key"]
    assert key == ("open_days" if "open_days" in text else "opening_hours")


@pytest.mark.parametrize("value", ["08:00-24:00", "20:00-00:00", "24/7", "00:00-24:00"])
def test_hours_to_midnight_are_not_past_it(value: str) -> None:
    _, problems = settings(f"opening_hours: {value}\n")
    assert problems == []


TODAY = dt.date(2026, 12, 5)


def closed_for_long(text: str, today: dt.date = TODAY) -> list[Problem]:
    parsed, problems = settings(WEEK + text)
    assert problems == [], [p.format() for p in problems]
    return closed_days_problems(parsed.opening, today, "kiosk.yaml")


@pytest.mark.parametrize(("text", "count", "most", "value"), [
    ("closed_days: [1 января - 31 декабря]\n", 365, 365, "1 января - 31 декабря"),
    ("closed_days: [2000-01-01..2099-12-31]\n", 365, 365, "2000-01-01..2099-12-31"),
    ("closed_days: [1-8 января, 8 февраля - 1 января]\n", 335, 328, "8 февраля - 1 января"),
    ("closed_days: [2027-01-01..2027-03-15]\n", 74, 74, "2027-01-01..2027-03-15"),
])
def test_closed_days_that_darken_the_screen_for_long_are_warned_of(
        text: str, count: int, most: int, value: str) -> None:
    problem, = closed_for_long(text)
    assert problem.code == "closed_days_long" and problem.severity is Severity.WARNING
    assert problem.line == 5 and problem.path == "kiosk.yaml"
    assert problem.args == {"count": str(count), "days": "365", "most": str(most),
                            "value": value}
    assert f"закрыт {count} из ближайших 365 дней" in problem.message("ru")
    assert f"«{value}»" in problem.message("ru")


@pytest.mark.parametrize("text", [
    "closed_days: [1-8 января, 23 февраля, 8 марта, 1-3 мая, 9 мая, 12 июня, 4 ноября]\n",
    "closed_days: [2027-01-01..2027-03-01]\n",  # 60 days: a renovation, not a typo
    "closed_days: [2020-01-01..2026-12-04]\n",  # over before today
    "closed_days: [2027-12-05..2030-01-01]\n",  # begins after the coming year
    "",
])
def test_ordinary_closed_days_are_not_warned_of(text: str) -> None:
    assert closed_for_long(text) == []


def test_open_days_inside_a_long_closure_are_not_counted() -> None:
    text = ("closed_days: [2027-01-01..2027-03-15]\nopen_days:\n"
            "  2027-02-01..2027-02-20: 08:00-20:00\n")
    assert closed_for_long(text) == []  # 74 closed less 20 worked: 54
    assert closed_for_long(text.replace("02-20:", "02-10:"))[0].args["count"] == "64"


def test_the_count_is_the_closed_days_the_screen_keeps_to() -> None:
    # Against the rule itself, day by day, over ranges of every kind and a leap day.
    import random

    chooser = random.Random(15)
    for _ in range(300):
        closed = []
        for _ in range(chooser.randint(1, 4)):
            first = dt.date(2000, 1, 1) + dt.timedelta(days=chooser.randrange(366))
            last = dt.date(2000, 1, 1) + dt.timedelta(days=chooser.randrange(366))
            if chooser.random() < 0.5:
                closed.append(DayRange(first, last, yearly=True))
            else:
                start = dt.date(2026, 1, 1) + dt.timedelta(days=chooser.randrange(800))
                closed.append(DayRange(start, start + dt.timedelta(
                    days=chooser.randrange(200))))
        first = dt.date(2027, 1, 1) + dt.timedelta(days=chooser.randrange(365))
        open_days = ((DayRange(first, first + dt.timedelta(days=chooser.randrange(60))), ()),)
        hours = OpeningHours(None, tuple(closed), open_days)
        today = dt.date(2026, 6, 1) + dt.timedelta(days=chooser.randrange(1000))
        expected = sum(hours.is_closed_day(today + dt.timedelta(days=offset))
                       for offset in range(CLOSED_LOOK_AHEAD))
        found = closed_days_problems(hours, today, "kiosk.yaml")
        counted = int(found[0].args["count"]) if found else 0
        assert counted == expected if expected > 60 else found == [], (closed, today)


def test_a_long_list_of_closed_days_is_counted_at_once() -> None:
    import time

    closed = tuple(DayRange(dt.date(2027, 1, 1) + dt.timedelta(days=n % 300),
                            dt.date(2027, 1, 1) + dt.timedelta(days=n % 300 + 30))
                   for n in range(100_000))
    started = time.perf_counter()
    problem, = closed_days_problems(OpeningHours(None, closed), TODAY, "kiosk.yaml")
    assert time.perf_counter() - started < 2.0
    assert problem.args["count"] == "330"  # 1 January to 26 November 2027


def test_a_yearly_range_from_the_leap_day_counts_from_1_march_in_other_years() -> None:
    text = "closed_days: [29 февраля - 30 апреля]\n"
    assert closed_for_long(text)[0].args["count"] == "61"  # 2027: 1 March to 30 April
    assert closed_for_long(text, dt.date(2027, 12, 5))[0].args["count"] == "62"  # 2028
