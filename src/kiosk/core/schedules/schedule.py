"""When an item may be shown: dates, weekdays and hours, in the centre's time zone.

Everything takes the moment as an argument (a timezone-aware datetime), so schedules are
tested without clocks, across midnight and across daylight-saving changes.

Canonical forms (what the staff editor writes; docs/content-format.md, «Schedules»):

    show_from: 2026-08-01        # a date: 2026-08-01 or 01.08.2026 (day.month.year)
    show_until: 2026-08-31
    show_from: 01.08             # no year: every year (a range may wrap over the new year);
    show_until: 31.08            #   «1 августа» is read too
    months: август               # every year in these months: «июнь-август», «[июль, август]»
    weekdays: пн-пт              # ranges and lists: «пн-пт», «сб-вс», «пн, ср, пт», «mon-fri»
    hours: "09:00-13:00"         # a list for several spans; across midnight belongs to its start
    before_closed_days: 7
    on_closed_days: нет
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kiosk.core.content.problems import Problem, ProblemLog, Severity, typed
from kiosk.core.content.yamlsrc import LineDict
from kiosk.core.lazyre import LazyPattern
from kiosk.core.settings import as_flag, as_number, suggest

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
                   "on_closed_days", "months")
# Spans one `hours:` may list: a day's opening with breaks takes a few; a list of hundreds is
# a mistake, and every schedule is asked about each minute for each item it belongs to.
HOURS_MOST = 24
HOURS_PATTERN = LazyPattern(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")


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
    months: frozenset[int] | None = None  # 1 January … 12 December, every year
    # show_from/show_until without a year: (month, day) to (month, day), every year; the
    # first after the last wraps over the new year.
    yearly: tuple[tuple[int, int], tuple[int, int]] | None = None
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
        if self.months is not None and day.month not in self.months:
            return False
        if self.yearly is not None and not _in_yearly(self.yearly, day):
            return False
        return self.weekdays is None or day.weekday() in self.weekdays

    def has_a_day(self) -> bool:
        """Whether any day suits the dates, weekdays and months together (hours and closed
        days aside). Only a span shorter than a year can miss a weekday or a month. Month by
        month, and within a month that is wanted at most a week of days: a few dozen steps
        at most, for each of 37,000 stories."""
        if self.weekdays is None and self.months is None:
            return True
        if self.yearly is not None:  # every year: a weekday falls on each of its days some year
            (first_month, _), (last_month, _) = self.yearly
            touched = range(first_month, last_month + 1) if self.yearly[0] <= self.yearly[1] \
                else [*range(first_month, 13), *range(1, last_month + 1)]
            return self.months is None or any(month in self.months for month in touched)
        if self.start is None or self.end is None or (self.end - self.start).days >= 366:
            return True
        day = self.start
        while day <= self.end:
            following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
            last = min(self.end, following - dt.timedelta(days=1))
            if self.months is None or day.month in self.months:
                if self.weekdays is None or (last - day).days >= 6:
                    return True
                if any((day + dt.timedelta(days=k)).weekday() in self.weekdays
                       for k in range((last - day).days + 1)):
                    return True
            day = following
        return False

    def first_day_from(self, today: dt.date, closed: ClosedDays | None = None,
                       horizon: int = 400) -> dt.date | None:
        """The first day from `today` on which the item is shown at some hour (its dates,
        months, weekdays and the closed days it refers to; hours aside), looked for over
        `horizon` days (a yearly schedule comes round within a year); None: none of them."""
        if self.end is not None and self.end < today:
            return None
        day = max(today, self.start) if self.start is not None else today
        for _ in range(horizon):
            if self.end is not None and day > self.end:
                return None
            if self._day_ok(day) and (not self.uses_closed_days
                                      or self._closed_ok(day, closed)):
                return day
            day += dt.timedelta(days=1)
        return None

    def first_day_ahead(self, local: dt.datetime, closed: ClosedDays | None = None
                        ) -> dt.date | None:
        """As `first_day_from(local.date())`, but today only while one of its hours is still
        to come at the wall-clock time `local` (a day whose morning hours are over at 15:54
        shows nothing more)."""
        today = local.date()
        day = self.first_day_from(today, closed)
        if day == today and self.hours and not any(
                end > local.time() or start > end for start, end in self.hours):
            return self.first_day_from(today + dt.timedelta(days=1), closed)
        return day

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


def _in_yearly(span: tuple[tuple[int, int], tuple[int, int]], day: dt.date) -> bool:
    first, last = span
    key = (day.month, day.day)
    return first <= key <= last if first <= last else key >= first or key <= last


def ended_problems(items: Iterable[tuple[str, Schedule]], today: dt.date) -> list[Problem]:
    """For `kiosk check`: a warning for each item (its file, its schedule) whose show_until
    has passed by `today` (the centre's date; core has no clock): never shown again, and
    most often a year typed wrong («2025» for «2026»)."""
    return [Problem(path, None, Severity.WARNING, "schedule_ended",
                    {"end": schedule.end.isoformat()})
            for path, schedule in items if schedule.end is not None and schedule.end < today]


def dated_ahead(items: Iterable[tuple[str, dt.date | None]], today: dt.date) -> list[Problem]:
    """For `kiosk check` and the editor: a warning for each story (its file, its `date:`)
    dated after `today` (the centre's date): most often a year typed wrong («2027» for
    «2017»), and the story says «5 октября 2027» under its title."""
    return [Problem(path, None, Severity.WARNING, "story_date_ahead",
                    {"key": "date", "value": day.isoformat()})
            for path, day in items if day is not None and day > today]


def parse_schedule(fields: LineDict, log: ProblemLog) -> Schedule:
    """The schedule fields of a page or story; bad parts are reported and left out."""
    start_day = _day(fields, "show_from", log)
    end_day = _day(fields, "show_until", log)
    start = end = None
    yearly = None
    if isinstance(start_day, YearlyDay) or isinstance(end_day, YearlyDay):
        if start_day is not None and end_day is not None \
                and isinstance(start_day, YearlyDay) != isinstance(end_day, YearlyDay):
            log.error("dates_mixed_yearly", fields.line_of("show_until"),
                      start=_typed(fields, "show_from"), end=_typed(fields, "show_until"))
        else:
            first = (start_day.month, start_day.day) if isinstance(start_day, YearlyDay) \
                else (1, 1)
            last = (end_day.month, end_day.day) if isinstance(end_day, YearlyDay) else (12, 31)
            yearly = (first, last)
    else:
        start, end = start_day, end_day
    if start and end and end < start:
        log.error("dates_reversed", fields.line_of("show_until"), start=start.isoformat(),
                  end=end.isoformat())
    weekdays = _weekdays(fields, log)
    hours = _hours(fields, log)
    before_closed = _before_closed(fields, log)
    on_closed = _on_closed(fields, log)
    if before_closed and on_closed == "only":
        log.warning("closed_days_never", fields.line_of("on_closed_days"))
    months = _months(fields, log)
    schedule = Schedule(start, end, weekdays, hours, before_closed, on_closed, months, yearly)
    if not (start and end and end < start) and not schedule.has_a_day():
        # «weekdays: [сб]» for a Monday-to-Friday week, «months: февраль» with August dates.
        key = "weekdays" if weekdays is not None else "months"
        log.warning("schedule_never", fields.line_of(key) or fields.line_of("show_until"),
                    key=key)
    return ALWAYS if schedule == ALWAYS else schedule  # one object for the unscheduled


def _before_closed(fields: LineDict, log: ProblemLog) -> int:
    """`before_closed_days`: a whole number of days, 1 to MAX_BEFORE_CLOSED (0: not given)."""
    value = fields.get("before_closed_days")
    if value is None or value == "":
        return 0
    number = as_number(value)
    if number is None or not number.is_integer() or not 1 <= number <= MAX_BEFORE_CLOSED:
        log.error("bad_before_closed_days", fields.line_of("before_closed_days"),
                  value=fields.raw_text.get("before_closed_days", typed(value)).strip(),
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


@dataclass(frozen=True)
class YearlyDay:
    """A date without a year («01.08», «1 августа»): that day every year."""

    month: int
    day: int


MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate((
        ("январь", "января", "янв", "january", "jan"),
        ("февраль", "февраля", "фев", "february", "feb"),
        ("март", "марта", "мар", "march", "mar"),
        ("апрель", "апреля", "апр", "april", "apr"),
        ("май", "мая", "may"),
        ("июнь", "июня", "июн", "june", "jun"),
        ("июль", "июля", "июл", "july", "jul"),
        ("август", "августа", "авг", "august", "aug"),
        ("сентябрь", "сентября", "сен", "сент", "september", "sep", "sept"),
        ("октябрь", "октября", "окт", "october", "oct"),
        ("ноябрь", "ноября", "ноя", "november", "nov"),
        ("декабрь", "декабря", "дек", "december", "dec")), start=1):
    for _name in _names:
        MONTH_NAMES[_name] = _number
MONTH_SHORT = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
               "сентябрь", "октябрь", "ноябрь", "декабрь")  # what a suggestion offers

_ISO_DATE = LazyPattern(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED_DATE = LazyPattern(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?$")
_WORDS_DATE = LazyPattern(r"^(\d{1,2})\s+(\w+)(?:\s+(\d{4}))?$")
_DASH = LazyPattern(r"\s*[-–—]\s*")
_LEAP_YEAR = 2000  # a date without a year is checked in a leap year: 29.02 is a date


def read_date(text: str) -> dt.date | YearlyDay | str:
    """A date as staff write it: 2023-07-14, 14.07.2023 (day.month.year), «14 июля 2023»;
    without a year (14.07, «14 июля»), a YearlyDay. Otherwise the problem code: `bad_date`
    (not a date at all) or `impossible_date` (31.02.2024: no such day). Unambiguous: the
    year comes first with dashes, last with dots, and is always four digits."""
    text = " ".join(text.strip().lower().split())[:40]
    for pattern, order in ((_ISO_DATE, "ymd"), (_DOTTED_DATE, "dmy"), (_WORDS_DATE, "dmy")):
        match = pattern.match(text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        if pattern is _WORDS_DATE:
            month = MONTH_NAMES.get(parts["m"].rstrip("."))
            if month is None:
                return "bad_date"
        else:
            month = int(parts["m"])
        year = int(parts["y"]) if parts["y"] else _LEAP_YEAR
        if not 1 <= month <= 12:
            return "impossible_date"
        try:
            day = dt.date(year, month, int(parts["d"]))
        except ValueError:
            return "impossible_date"
        return day if parts["y"] else YearlyDay(month, day.day)
    return "bad_date"


def _typed(fields: LineDict, key: str) -> str:
    return fields.raw_text.get(key, typed(fields.get(key))).strip()


def _day(fields: LineDict, key: str, log: ProblemLog) -> dt.date | YearlyDay | None:
    value = fields.get(key)
    if value is None or value == "":
        return None
    text = _typed(fields, key)
    found = read_date(text)
    if isinstance(found, str):
        log.error(found, fields.line_of(key), value=text)
        return None
    return found


def _months(fields: LineDict, log: ProblemLog) -> frozenset[int] | None:
    """`months`: «август», «[июль, август]», «июнь-август», «ноябрь-февраль» (over the new
    year), numbers 1–12: those months every year."""
    value: Any = fields.get("months")
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else [_typed(fields, "months")]
    months: set[int] = set()
    for item in items[:24]:
        for part in [typed(item)] if isinstance(item, list | dict) else str(item).split(","):
            ends = [_month(end) for end in _DASH.split(part.strip().lower())]
            if len(ends) > 2 or None in ends:
                if part.strip():
                    word = next((w for w in _DASH.split(part.strip().lower())
                                 if _month(w) is None), part.strip())
                    log.error("bad_month", fields.line_of("months"), value=part.strip(),
                              suggest=_suggest_month(word))
                continue
            first, last = ends[0], ends[-1]
            assert first is not None and last is not None
            months.update((first - 1 + step) % 12 + 1 for step in range((last - first) % 12 + 1))
    return frozenset(months) if months else None


def _month(word: str) -> int | None:
    word = word.strip().rstrip(".")
    if word.isdigit() and 1 <= int(word) <= 12:
        return int(word)
    return MONTH_NAMES.get(word)


def _suggest_month(word: str) -> str:
    near = suggest(word, list(MONTH_NAMES))
    return MONTH_SHORT[MONTH_NAMES[near] - 1] if near else ""


def _weekdays(fields: LineDict, log: ProblemLog) -> frozenset[int] | None:
    value: Any = fields.get("weekdays")
    if value is None:
        return None
    items = value if isinstance(value, list) else [_typed(fields, "weekdays")]
    days: set[int] = set()
    parts = [part for entry in items[:64]
             for part in ([typed(entry)] if isinstance(entry, list | dict)
                          else str(entry).split(","))]
    for item in parts[:64]:
        name = str(item).strip().lower().rstrip(".")
        if name in WEEKDAY_NAMES:
            days.add(WEEKDAY_NAMES[name])
        elif (found := _weekday_range(name)) is not None:
            days.update(found)
        elif name:
            ends = _DASH.split(name)
            if len(ends) == 2:  # «пн-птн»: the end that is wrong
                name = next(end for end in ends if end.rstrip(".") not in WEEKDAY_NAMES)
                item = name
            near = suggest(name, list(WEEKDAY_NAMES))
            if near in WEEKDAY_NAMES:
                near = SHORT_NAMES[WEEKDAY_NAMES[near]]
            log.error("bad_weekday", fields.line_of("weekdays"), value=str(item), suggest=near)
    return frozenset(days) if days else None


# Field names staff write for a schedule the kiosk would not know: each is an error, since
# the item would otherwise show all year round (`months: [август]` once did, with a warning).
SCHEDULE_WORDS: dict[str, str] = {
    **dict.fromkeys(("month", "месяц", "месяцы", "месяца", "mounths", "monthes", "в_месяцы",
                     "каждый_год", "every_year", "yearly", "ежегодно"), "months"),
    **dict.fromkeys(("days", "day", "weekday", "week_days", "дни", "день", "дни_недели",
                     "днинедели", "день_недели", "по_дням", "weekdays_only"), "weekdays"),
    **dict.fromkeys(("hour", "time", "times", "часы", "час", "время", "в_часы"), "hours"),
    **dict.fromkeys(("from", "start", "starts", "begin", "since", "show_since", "showfrom",
                     "date_from", "from_date", "start_date", "с", "начало", "показывать_с",
                     "показ_с", "дата_начала"), "show_from"),
    **dict.fromkeys(("until", "till", "to", "end", "ends", "show_to", "show_till",
                     "showuntil", "date_to", "end_date", "until_date", "по", "до", "конец",
                     "показывать_до", "показ_до", "дата_окончания"), "show_until"),
}
SCHEDULE_EXAMPLES = {
    "months": "months: август", "weekdays": "weekdays: пн-пт", "hours": 'hours: "09:00-13:00"',
    "show_from": "show_from: 01.08.2026", "show_until": "show_until: 31.08.2026",
    "before_closed_days": "before_closed_days: 7", "on_closed_days": "on_closed_days: нет",
}


def schedule_field_for(key: str, known: tuple[str, ...], likened: bool = True) -> str:
    """The schedule field an unknown field name seems meant to be, or '' (a name closer to
    another known field, «dates» for «date», is that field's typo). Not `likened`: only a
    schedule word as such («месяцы», «dates»), no typo of one."""
    name = "_".join(key.strip().lower().replace("-", " ").split())[:64]
    if name in SCHEDULE_WORDS:
        return SCHEDULE_WORDS[name]
    if not likened:
        return ""
    near = suggest(name, known)
    if near:
        return near if near in SCHEDULE_FIELDS else ""
    # Only longer words, and closer: «colour» is not «hour».
    import difflib  # here: only a mistake gets this far (the kiosk's start need not import it)

    near = next(iter(difflib.get_close_matches(
        name, [w for w in SCHEDULE_WORDS if len(w) > 4], n=1, cutoff=0.8)), "")
    return SCHEDULE_WORDS.get(near, "")


WEEKDAY_GROUPS: dict[str, tuple[int, ...]] = {
    "будни": tuple(range(5)), "по будням": tuple(range(5)), "рабочие дни": tuple(range(5)),
    "weekdays": tuple(range(5)), "выходные": (5, 6), "weekend": (5, 6), "weekends": (5, 6),
    "ежедневно": tuple(range(7)), "каждый день": tuple(range(7)), "daily": tuple(range(7)),
    "every day": tuple(range(7)),
}


def _weekday_range(name: str) -> tuple[int, ...] | None:
    """«пн-пт», «пн–пт», «сб-вс», «пт-пн» (over the weekend), «mon-fri», «будни»."""
    name = " ".join(name.split())
    if name in WEEKDAY_GROUPS:
        return WEEKDAY_GROUPS[name]
    ends = [end.rstrip(".") for end in _DASH.split(name)]
    if len(ends) != 2 or not all(end in WEEKDAY_NAMES for end in ends):
        return None
    first, last = WEEKDAY_NAMES[ends[0]], WEEKDAY_NAMES[ends[1]]
    return tuple((first + step) % 7 for step in range((last - first) % 7 + 1))


def _hours(fields: LineDict, log: ProblemLog) -> tuple[tuple[dt.time, dt.time], ...]:
    value: Any = fields.get("hours")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [fields.raw_text.get("hours", typed(value))]
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
            log.error("bad_hours", fields.line_of("hours"), value=typed(item))
            continue
        ranges.append((start, end))
    return tuple(ranges)
