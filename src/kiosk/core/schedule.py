"""When an item may be shown: dates, weekdays and hours, in the centre's time zone.

Everything takes the moment as an argument (a timezone-aware datetime), so schedules are
tested without clocks, across midnight and across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from kiosk.core.problems import ProblemLog
from kiosk.core.settings import suggest
from kiosk.core.yamlsrc import LineDict

WEEKDAY_NAMES: dict[str, int] = {}
SHORT_NAMES: list[str] = []  # what a suggestion offers: «вс», not «вос»
for number, names in enumerate((
        ("пн", "пон", "понедельник", "mon", "monday"),
        ("вт", "вто", "вторник", "tue", "tuesday"),
        ("ср", "сре", "среда", "wed", "wednesday"),
        ("чт", "чет", "четверг", "thu", "thursday"),
        ("пт", "пят", "пятница", "fri", "friday"),
        ("сб", "суб", "суббота", "sat", "saturday"),
        ("вс", "вос", "воскресенье", "sun", "sunday"))):
    for name in names:
        WEEKDAY_NAMES[name] = number
    SHORT_NAMES.append(names[0])
    WEEKDAY_NAMES[str(number + 1)] = number  # 1 = Monday … 7 = Sunday

SCHEDULE_FIELDS = ("show_from", "show_until", "weekdays", "hours")
HOURS_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")


@dataclass(frozen=True)
class Schedule:
    """An item with no schedule is always shown; each part that is given must hold."""

    start: dt.date | None = None
    end: dt.date | None = None
    weekdays: frozenset[int] | None = None  # 0 Monday … 6 Sunday
    hours: tuple[tuple[dt.time, dt.time], ...] = ()

    def active(self, local: dt.datetime) -> bool:
        """Whether to show the item at `local` (the centre's wall-clock time). Hours that cross
        midnight («22:00–02:00») belong to the day they start on: its weekday and date count."""
        if not self.hours:
            return self._day_ok(local.date())
        moment, today = local.time(), local.date()
        yesterday = today - dt.timedelta(days=1)
        return any(self._in_range(start, end, moment, today, yesterday)
                   for start, end in self.hours)

    def _in_range(self, start: dt.time, end: dt.time, moment: dt.time, today: dt.date,
                  yesterday: dt.date) -> bool:
        if start < end:
            return start <= moment < end and self._day_ok(today)
        # Across midnight: the evening part is today's, the small hours are yesterday's.
        if moment >= start:
            return self._day_ok(today)
        return moment < end and self._day_ok(yesterday)

    def _day_ok(self, day: dt.date) -> bool:
        if self.start is not None and day < self.start:
            return False
        if self.end is not None and day > self.end:
            return False
        return self.weekdays is None or day.weekday() in self.weekdays


ALWAYS = Schedule()


def parse_schedule(fields: LineDict, log: ProblemLog) -> Schedule:
    """The schedule fields of a page or story; bad parts are reported and left out."""
    start = _date(fields, "show_from", log)
    end = _date(fields, "show_until", log)
    if start and end and end < start:
        log.error("dates_reversed", fields.line_of("show_until"), start=start.isoformat(),
                  end=end.isoformat())
    weekdays = _weekdays(fields, log)
    hours = _hours(fields, log)
    schedule = Schedule(start, end, weekdays, hours)
    return ALWAYS if schedule == ALWAYS else schedule  # one object for the unscheduled


def _date(fields: LineDict, key: str, log: ProblemLog) -> dt.date | None:
    value = fields.get(key)
    if value is None or value == "":
        return None
    text = fields.raw_text.get(key, str(value)).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        log.error("bad_date", fields.line_of(key), value=text)
        return None


def _weekdays(fields: LineDict, log: ProblemLog) -> frozenset[int] | None:
    value: Any = fields.get("weekdays")
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    days: set[int] = set()
    for item in items:
        name = str(item).strip().lower().rstrip(".")
        if name in WEEKDAY_NAMES:
            days.add(WEEKDAY_NAMES[name])
        elif name:
            near = suggest(name, list(WEEKDAY_NAMES))
            if near in WEEKDAY_NAMES:
                near = SHORT_NAMES[WEEKDAY_NAMES[near]]
            log.error("bad_weekday", fields.line_of("weekdays"), value=str(item), suggest=near)
    return frozenset(days) if days else None


def _hours(fields: LineDict, log: ProblemLog) -> tuple[tuple[dt.time, dt.time], ...]:
    value: Any = fields.get("hours")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [fields.raw_text.get("hours", str(value))]
    ranges = []
    for item in items:
        match = HOURS_PATTERN.match(str(item))
        try:
            if match is None:
                raise ValueError
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            start = dt.time(h1, m1)
            end = dt.time(0, 0) if (h2, m2) == (24, 0) else dt.time(h2, m2)
        except ValueError:
            log.error("bad_hours", fields.line_of("hours"), value=str(item))
            continue
        ranges.append((start, end))
    return tuple(ranges)
