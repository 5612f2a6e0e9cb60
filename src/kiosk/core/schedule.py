"""When an item may be shown: dates, weekdays and hours, in the centre's time zone.

Everything takes the moment as an argument (a timezone-aware datetime), so schedules are
tested without clocks, across midnight and across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.core.problems import ProblemLog
from kiosk.core.settings import as_flag, as_number, suggest
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

SCHEDULE_FIELDS = ("show_from", "show_until", "weekdays", "hours", "before_closed_days",
                   "on_closed_days")
# Spans one `hours:` may list: a day's opening with breaks takes a few; a list of hundreds is
# a mistake, and every schedule is asked about each minute for each item it belongs to.
HOURS_MOST = 24
HOURS_PATTERN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")


# Closed days (kiosk.yaml `closed_days`) in a schedule: `before_closed_days: 7` shows an item
# only in the 7 days before a run of closed days begins; `on_closed_days` says whether it is
# shown on the closed days themselves.
MAX_BEFORE_CLOSED = 90
ON_CLOSED = ("yes", "no", "only")
ONLY_WORDS = ("только", "only")
_MEMO_DAYS = 4096  # answers a ClosedDays keeps (about 11 years of days), then starts afresh


class ClosedDays:
    """The centre's closed days as schedules ask about them: day by day, each answer kept, so
    a schedule that refers to them costs a dictionary lookup however many items share it
    (37,000 stories filtered each minute). `is_closed` is kiosk.yaml's rule
    (`OpeningHours.is_closed_day`: `closed_days` less `open_days`)."""

    def __init__(self, is_closed: Callable[[dt.date], bool]) -> None:
        self._is_closed = is_closed
        self._closed: dict[dt.date, bool] = {}
        self._before: dict[tuple[dt.date, int], bool] = {}

    def closed(self, day: dt.date) -> bool:
        found = self._closed.get(day)
        if found is None:
            if len(self._closed) >= _MEMO_DAYS:
                self._closed.clear()
            found = self._closed[day] = self._is_closed(day)
        return found

    def shortly_before(self, day: dt.date, days: int) -> bool:
        """Whether `day` is open and a closed day comes in the `days` days after it: it is
        one of the `days` days before a run of closed days begins."""
        key = (day, days)
        found = self._before.get(key)
        if found is None:
            if len(self._before) >= _MEMO_DAYS:
                self._before.clear()
            found = self._before[key] = not self.closed(day) and any(
                self.closed(day + dt.timedelta(days=ahead)) for ahead in range(1, days + 1))
        return found


@dataclass(frozen=True)
class Schedule:
    """An item with no schedule is always shown; each part that is given must hold."""

    start: dt.date | None = None
    end: dt.date | None = None
    weekdays: frozenset[int] | None = None  # 0 Monday … 6 Sunday
    hours: tuple[tuple[dt.time, dt.time], ...] = ()
    before_closed: int = 0  # > 0: only in this many days before a run of closed days
    on_closed: str = "yes"  # on the closed days themselves: "yes", "no" or "only"
    # Worked out once: `active` runs for each of 37,000 stories, and those that do not refer
    # to closed days take the same steps as before there were any.
    uses_closed_days: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "uses_closed_days",
                           bool(self.before_closed) or self.on_closed != "yes")

    def active(self, local: dt.datetime, closed: ClosedDays | None = None) -> bool:
        """Whether to show the item at `local` (the centre's wall-clock time). Hours that cross
        midnight («22:00–02:00») belong to the day they start on: its weekday and date count.
        `closed`: the centre's closed days (None: it lists none)."""
        if self.uses_closed_days:
            return self._active_near_closed(local, closed)
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

    def _active_near_closed(self, local: dt.datetime, closed: ClosedDays | None) -> bool:
        """`active` for a schedule that refers to closed days: the day a moment belongs to
        (yesterday's, in the small hours of hours across midnight) must suit them too."""
        today = local.date()
        if not self.hours:
            return self._day_ok(today) and self._closed_ok(today, closed)
        moment = local.time()
        for start, end in self.hours:
            if start < end:
                day = today if start <= moment < end else None
            else:
                day = today if moment >= start else \
                    today - dt.timedelta(days=1) if moment < end else None
            if day is not None and self._day_ok(day) and self._closed_ok(day, closed):
                return True
        return False

    def _closed_ok(self, day: dt.date, closed: ClosedDays | None) -> bool:
        is_closed = closed is not None and closed.closed(day)
        if (self.on_closed == "no" and is_closed) or (self.on_closed == "only" and not is_closed):
            return False
        return not self.before_closed or (
            closed is not None and closed.shortly_before(day, self.before_closed))


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
    before_closed = _before_closed(fields, log)
    on_closed = _on_closed(fields, log)
    if before_closed and on_closed == "only":
        log.warning("closed_days_never", fields.line_of("on_closed_days"))
    schedule = Schedule(start, end, weekdays, hours, before_closed, on_closed)
    return ALWAYS if schedule == ALWAYS else schedule  # one object for the unscheduled


def _before_closed(fields: LineDict, log: ProblemLog) -> int:
    """`before_closed_days`: a whole number of days, 1 to MAX_BEFORE_CLOSED (0: not given)."""
    value = fields.get("before_closed_days")
    if value is None or value == "":
        return 0
    number = as_number(value)
    if number is None or not number.is_integer() or not 1 <= number <= MAX_BEFORE_CLOSED:
        log.error("bad_before_closed_days", fields.line_of("before_closed_days"),
                  value=fields.raw_text.get("before_closed_days", str(value)).strip(),
                  most=str(MAX_BEFORE_CLOSED))
        return 0
    return int(number)


def _on_closed(fields: LineDict, log: ProblemLog) -> str:
    """`on_closed_days`: yes (да), no (нет) or only (только); yes when not given."""
    value = fields.get("on_closed_days")
    if value is None or value == "":
        return "yes"
    flag = as_flag(value)
    if flag is not None:
        return "yes" if flag else "no"
    text = str(value).strip().lower()
    if text in ONLY_WORDS:
        return "only"
    log.error("bad_on_closed_days", fields.line_of("on_closed_days"), value=str(value),
              suggest=suggest(text, ["да", "нет", "только", "yes", "no", "only"]))
    return "yes"


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
    if len(items) > HOURS_MOST:  # an error: the item is not shown, so the rest is not read
        log.error("too_many_hours", fields.line_of("hours"), count=str(len(items)),
                  most=str(HOURS_MOST))
        items = items[:HOURS_MOST]
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
