"""Schedules with the time as an input: dates, weekdays, hours across midnight, time zones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.content.loader import load_content
from kiosk.core.content.problems import Problem, ProblemLog
from kiosk.core.content.yamlsrc import parse_yaml
from kiosk.core.playlist import build_cycle
from kiosk.core.schedules.schedule import Schedule, parse_schedule
from tests.helpers import make_folder, story

MOSCOW = ZoneInfo("Europe/Moscow")


def schedule(text: str) -> tuple[Schedule, list[Problem]]:
    problems: list[Problem] = []
    log = ProblemLog("stories/x.md", problems)
    return parse_schedule(parse_yaml(text, log), log), problems


def at(text: str, zone: ZoneInfo = MOSCOW) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def test_only_in_august() -> None:
    august, problems = schedule("show_from: 2026-08-01\nshow_until: 2026-08-31\n")
    assert problems == []
    assert august.active(at("2026-08-22 10:00"))
    assert august.active(at("2026-08-31 23:59"))
    assert not august.active(at("2026-09-01 00:00"))
    assert not august.active(at("2026-07-31 23:59"))


def test_saturdays_only_in_russian_or_english() -> None:
    for text in ("weekdays: [сб]\n", "weekdays: [Sat]\n", "weekdays: суббота\n", "weekdays: 6\n"):
        saturday, problems = schedule(text)
        assert problems == [], text
        assert saturday.active(at("2026-11-28 12:00")), text  # a Saturday
        assert not saturday.active(at("2026-11-27 12:00")), text


def test_hours_across_midnight_belong_to_the_evening_they_start() -> None:
    night, _ = schedule('weekdays: [пт]\nhours: "22:00-02:00"\n')
    assert night.active(at("2026-11-27 23:30"))  # Friday night
    assert night.active(at("2026-11-28 01:30"))  # the small hours of Saturday: still Friday's
    assert not night.active(at("2026-11-28 02:00"))
    assert not night.active(at("2026-11-28 23:30"))  # Saturday evening
    assert not night.active(at("2026-11-27 01:30"))  # Friday's small hours are Thursday's


def test_several_ranges_of_hours() -> None:
    opening, _ = schedule('hours: ["09:00-13:00", "14:00-20:00"]\n')
    assert opening.active(at("2026-11-27 09:00"))
    assert not opening.active(at("2026-11-27 13:30"))
    assert opening.active(at("2026-11-27 19:59"))
    assert not opening.active(at("2026-11-27 20:00"))


def test_hours_follow_the_wall_clock_across_daylight_saving() -> None:
    """In a zone with daylight saving the same hours hold in local time on both sides of the
    change (the kiosk shows the centre's time, not UTC)."""
    berlin = ZoneInfo("Europe/Berlin")
    morning, _ = schedule('hours: "09:00-10:00"\n')
    before = dt.datetime(2026, 3, 28, 8, 30, tzinfo=dt.UTC).astimezone(berlin)  # 09:30 CET
    after = dt.datetime(2026, 3, 30, 7, 30, tzinfo=dt.UTC).astimezone(berlin)  # 09:30 CEST
    assert morning.active(before) and morning.active(after)
    same_utc_after = dt.datetime(2026, 3, 30, 8, 30, tzinfo=dt.UTC).astimezone(berlin)
    assert not morning.active(same_utc_after)  # 10:30 local: over
    # The night the clocks go forward: 02:30 does not exist; 01:59 and 03:00 behave.
    night, _ = schedule('hours: "01:00-04:00"\n')
    assert night.active(dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC).astimezone(berlin))
    assert night.active(dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC).astimezone(berlin))


@pytest.mark.parametrize(("text", "code"), [
    ("show_from: 2026-02-30\n", "impossible_date"),
    ("show_from: 30/02/2026\n", "bad_date"),
    ("show_from: 2026-09-01\nshow_until: 2026-08-01\n", "dates_reversed"),
    ("weekdays: [сбб]\n", "bad_weekday"),
    ('hours: "25:00-26:00"\n', "bad_hours"),
    ("hours: утром\n", "bad_hours"),
])
def test_impossible_schedules_are_explained(text: str, code: str) -> None:
    _, problems = schedule(text)
    assert [p.code for p in problems] == [code]
    assert problems[0].is_error


def test_the_playlist_follows_the_schedule(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", settings="timezone: Europe/Moscow\n", stories={
        "always.md": story("Всегда"),
        "august.md": story("Август", show_from="2026-08-01", show_until="2026-08-31"),
        "saturday.md": story("Суббота", weekdays="[сб]"),
    })
    content = load_content(root)
    assert content.problems == ()

    def keys(moment: str) -> set[str]:
        return {s.key for s in build_cycle(content, 0, at(moment))} - {"calm"}  # invitation

    assert keys("2026-08-22 10:00") == {"story:always", "story:august", "story:saturday"}
    assert keys("2026-08-21 10:00") == {"story:always", "story:august"}  # a Friday
    assert keys("2026-11-28 10:00") == {"story:always", "story:saturday"}
    assert keys("2026-11-27 10:00") == {"story:always"}
    assert len(build_cycle(content, 0, None)) == 4  # no moment: everything, and «calm»


def test_a_wrong_time_zone_falls_back_to_moscow(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", settings="timezone: Moscow/Centre\n",
                       stories={"a.md": story()})
    content = load_content(root)
    assert content.settings.timezone == "Europe/Moscow"
    assert content.problems[0].code == "bad_timezone"


def test_the_first_day_an_item_is_shown_from_today() -> None:
    """What the editor says after a publish: on the kiosk now, from a later day, or never."""
    today = dt.date(2026, 12, 7)  # a Monday
    march, _ = schedule("show_from: 2027-03-01\nshow_until: 2027-03-31\n")
    assert march.first_day_from(today) == dt.date(2027, 3, 1)
    saturdays, _ = schedule("weekdays: [сб]\nhours: \"10:00-12:00\"\n")
    assert saturdays.first_day_from(today) == dt.date(2026, 12, 12)  # hours aside
    in_may, _ = schedule("months: [май]\n")
    assert in_may.first_day_from(today) == dt.date(2027, 5, 1)  # a yearly one comes round
    spring_days, _ = schedule("show_from: 20.03\nshow_until: 02.04\n")
    assert spring_days.first_day_from(today) == dt.date(2027, 3, 20)
    over, _ = schedule("show_until: 2026-12-06\n")
    assert over.first_day_from(today) is None
    no_sunday_then, _ = schedule("show_from: 2026-12-08\nshow_until: 2026-12-12\n"
                                 "weekdays: [вс]\n")
    assert no_sunday_then.first_day_from(today) is None  # no Sunday in those days
    assert Schedule().first_day_from(today) == today


def test_today_counts_only_while_one_of_its_hours_is_to_come() -> None:
    """«С 7.12.2026 по 7.12.2026, утром 8:00–12:00» at 15:54 was promised as shown «today»:
    nothing of it is left. Hours across midnight are never over before the day ends."""
    today_morning, _ = schedule("show_from: 2026-12-07\nshow_until: 2026-12-07\n"
                                "hours: \"08:00-12:00\"\n")
    at = dt.datetime(2026, 12, 7, 15, 54)
    assert today_morning.first_day_ahead(at) is None
    assert today_morning.first_day_ahead(at.replace(hour=11, minute=59)) == at.date()
    mornings, _ = schedule("hours: \"08:00-12:00\"\n")
    assert mornings.first_day_ahead(at) == dt.date(2026, 12, 8)
    nights, _ = schedule("hours: \"22:00-02:00\"\n")
    assert nights.first_day_ahead(at) == at.date()
    assert Schedule().first_day_ahead(at) == at.date()


def test_a_one_day_schedule_is_said_as_that_day() -> None:
    """«только с 7 декабря 2026 по 7 декабря 2026» on the form's preview and the listing."""
    from kiosk.core.schedules.schedule_text import schedule_phrase

    one_day, _ = schedule("show_from: 2026-12-07\nshow_until: 2026-12-07\n")
    assert schedule_phrase(one_day, "ru") == "показывается только 7 декабря 2026"
    assert schedule_phrase(one_day, "en") == "shown only on 7 December 2026"
    # What the end says is not said again; an end alone is the last day, said as one.
    two_days, _ = schedule("show_from: 2026-12-07\nshow_until: 2026-12-08\n")
    assert schedule_phrase(two_days, "ru") == "показывается только с 7 по 8 декабря 2026"
    assert schedule_phrase(two_days, "en") == "shown only from 7 to 8 December 2026"
    months, _ = schedule("show_from: 2026-11-20\nshow_until: 2026-12-08\n")
    assert schedule_phrase(months, "ru") == "показывается только с 20 ноября по 8 декабря 2026"
    years, _ = schedule("show_from: 2026-12-20\nshow_until: 2027-01-10\n")
    assert schedule_phrase(years, "ru") \
        == "показывается только с 20 декабря 2026 по 10 января 2027"
    until, _ = schedule("show_until: 2026-12-20\n")
    assert schedule_phrase(until, "ru") == "показывается только до 20 декабря 2026 включительно"
    yearly, _ = schedule('show_from: "12 июня"\nshow_until: "12 июня"\n')
    assert schedule_phrase(yearly, "ru") == "показывается только 12 июня каждого года"
    assert schedule_phrase(yearly, "en") == "shown only on 12 June every year"


def test_a_schedule_from_the_second_says_so_as_russian_does() -> None:
    """«с 2 декабря» is read «с второго»: Russian says «со второго»."""
    from kiosk.core.schedules.schedule_text import schedule_phrase

    days, _ = schedule("show_from: 2026-12-02\nshow_until: 2026-12-08\n")
    assert schedule_phrase(days, "ru") == "показывается только со 2 по 8 декабря 2026"
    since, _ = schedule("show_from: 2026-11-02\n")
    assert schedule_phrase(since, "ru") == "показывается только со 2 ноября 2026"
    yearly, _ = schedule('show_from: "2 июня"\nshow_until: "12 июня"\n')
    assert schedule_phrase(yearly, "ru") == "показывается только со 2 июня по 12 июня каждого года"
    twelfth, _ = schedule("show_from: 2026-12-12\nshow_until: 2026-12-22\n")
    assert schedule_phrase(twelfth, "ru") == "показывается только с 12 по 22 декабря 2026"
