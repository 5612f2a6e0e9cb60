"""When the centre is open, and so whether the screen is on: `opening_hours`, `closed_days`
and `open_days` of kiosk.yaml, and the rule that wakes and sleeps the display.

Pure: the moment is an argument (an aware datetime in the centre's zone), so the rule is
tested across midnight, the new year and daylight-saving changes without a clock. Hours are
wall-clock times; an hour that a DST change skips or repeats is read as the first moment the
clock shows it or later (opening at 02:30 on a spring-forward night opens at 03:00).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kiosk.core.content.problems import Problem, ProblemLog, Severity, typed
from kiosk.core.content.yamlsrc import LineDict
from kiosk.core.i18n import MONTHS_RU as _MONTH_NAMES
from kiosk.core.lazyre import LazyPattern
from kiosk.core.schedules.schedule import HOURS_PATTERN, SHORT_NAMES, WEEKDAY_NAMES, read_date
from kiosk.core.settings import suggest

Hours = tuple[tuple[dt.time, dt.time], ...]  # start, end; end <= start: past midnight
ALL_DAY: Hours = ((dt.time(0), dt.time(0)),)

WAKE_BEFORE = dt.timedelta(minutes=10)  # the screen is on this long before opening
TOUCH_AWAKE = dt.timedelta(minutes=5)  # a touch outside hours keeps it on this long
_UTC = dt.UTC


@dataclass(frozen=True)
class DayRange:
    """Closed or special days, first to last inclusive. Without a year («1–8 января») the
    range is the same every year, and may run over the new year («30 декабря – 8 января»)."""

    first: dt.date  # year 2000 (a leap year) when yearly
    last: dt.date
    yearly: bool = False
    line: int | None = field(default=None, compare=False)  # in kiosk.yaml, for messages
    text: str = field(default="", compare=False)  # as written there

    def __contains__(self, day: dt.date) -> bool:
        if not self.yearly:
            return self.first <= day <= self.last
        key = (day.month, day.day)
        first, last = (self.first.month, self.first.day), (self.last.month, self.last.day)
        return first <= key <= last if first <= last else key >= first or key <= last


@dataclass(frozen=True)
class OpeningHours:
    """`week`: hours for Monday … Sunday, () when closed; None: open round the clock, the
    default. `open_days`: days with other hours than usual (a working Saturday, a short day
    before a holiday); they win over `closed`."""

    week: tuple[Hours, ...] | None = None
    closed: tuple[DayRange, ...] = ()
    open_days: tuple[tuple[DayRange, Hours], ...] = ()

    @property
    def always_open(self) -> bool:
        return self.week is None and not self.closed and not self.open_days

    def hours_on(self, day: dt.date) -> Hours:
        for days, hours in self.open_days:
            if day in days:
                return hours
        if any(day in days for days in self.closed):
            return ()
        return ALL_DAY if self.week is None else self.week[day.weekday()]

    def is_closed_day(self, day: dt.date) -> bool:
        return not any(day in days for days, _ in self.open_days) and \
            any(day in days for days in self.closed)


ALWAYS_OPEN = OpeningHours()


# --- the screen -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScreenState:
    """Whether the screen is on, why (for the diagnostics and the status file), and `until`:
    the next opening, closing, pre-opening wake or touch expiry that turns the screen on or
    off or changes why it is on (None: never, unless touched). The UI sets one timer for it
    and asks again then. While asleep, the reason is today's (a closed day turning into an
    ordinary night at midnight is not a change: the screen stays off)."""

    awake: bool
    reason: str  # always_open, open, before_opening, touched, closed_day, after_hours
    until: dt.datetime | None = None


def screen_state(opening: OpeningHours, now: dt.datetime, last_touch: dt.datetime | None = None,
                 wake_before: dt.timedelta = WAKE_BEFORE,
                 touch_awake: dt.timedelta = TOUCH_AWAKE) -> ScreenState:
    """The screen at `now` (aware, in the centre's zone). A touch keeps it on for
    `touch_awake` after the touch, also past closing: a visitor is not cut off mid-use.

    Moments are compared and added in UTC: two datetimes in one zone are subtracted,
    added to and compared by their wall clocks (fold ignored), which is an hour off across
    a DST change."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime in the centre's time zone")
    if opening.always_open:
        return ScreenState(True, "always_open")
    zone = now.tzinfo
    at = now.astimezone(_UTC)
    touch: tuple[dt.datetime, dt.datetime] | None = None
    if last_touch is not None:
        touched = last_touch.astimezone(_UTC)
        touch = (touched, touched + touch_awake)
    # Near days first; a long closure (renovation, months) needs the long look.
    for horizon in (8, 400):
        spans, edge = _open_spans(opening, now, horizon)
        state = _state(opening, spans, at, now.date(), touch, wake_before)
        moments = sorted({m for start, end in spans for m in (start - wake_before, start, end)}
                         | set(touch or ()))
        for moment in moments:
            if at < moment < edge:
                later = _state(opening, spans, moment, moment.astimezone(zone).date(), touch,
                               wake_before)
                if (later.awake, later.reason) != (state.awake, state.reason):
                    return ScreenState(state.awake, state.reason, moment.astimezone(zone))
    return state


def _state(opening: OpeningHours, spans: list[tuple[dt.datetime, dt.datetime]],
           at: dt.datetime, today: dt.date, touch: tuple[dt.datetime, dt.datetime] | None,
           wake_before: dt.timedelta) -> ScreenState:
    """At the moment `at` (UTC), which is the centre's day `today`."""
    if any(start <= at < end for start, end in spans):
        return ScreenState(True, "open")
    if any(start - wake_before <= at < start for start, _ in spans):
        return ScreenState(True, "before_opening")
    if touch is not None and touch[0] <= at < touch[1]:
        return ScreenState(True, "touched")
    return ScreenState(False, "closed_day" if opening.is_closed_day(today) else "after_hours")


def _open_spans(opening: OpeningHours, now: dt.datetime,
                days: int) -> tuple[list[tuple[dt.datetime, dt.datetime]], dt.datetime]:
    """The open spans (aware, UTC) from yesterday to `days` ahead, touching ones merged
    (round the clock is one span), and the edge past which they are not known."""
    zone = now.tzinfo
    assert zone is not None
    today = now.astimezone(zone).date()
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    for offset in range(-1, days):
        day = today + dt.timedelta(days=offset)
        for start, end in opening.hours_on(day):
            close_day = day if end > start else day + dt.timedelta(days=1)
            spans.append((_first_moment(dt.datetime.combine(day, start), zone),
                          _first_moment(dt.datetime.combine(close_day, end), zone)))
    spans.sort()
    merged: list[tuple[dt.datetime, dt.datetime]] = []  # fewer moments to try
    for opens, closes in spans:
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    edge = _first_moment(dt.datetime.combine(today + dt.timedelta(days=days), dt.time()), zone)
    return merged, edge


def _first_moment(wall: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The first moment (UTC) the centre's clock shows `wall` or later: the first of a repeated
    hour (autumn), the end of a skipped one (spring)."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(_UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In the skipped hour: fold=1 reads it with the later offset, a moment before the jump.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(_UTC)
    high = first
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


# --- closed for long: a typo that would keep the screen dark ----------------------------------

CLOSED_LOOK_AHEAD = 365  # days
CLOSED_MOST = 60  # closed days in the coming year before `kiosk check` asks whether that is so


def closed_days_problems(opening: OpeningHours, today: dt.date, path: str) -> list[Problem]:
    """A warning when closed_days close the centre (the screen off all day) on more than
    CLOSED_MOST of the CLOSED_LOOK_AHEAD days from `today` (the centre's date: core has no
    clock, `kiosk check` and the diagnostics pass it): «1 января - 31 декабря», a year off in
    «2027-01-01..2028-01-08». Linear in the number of ranges, however long they are."""
    if not opening.closed:
        return []
    start = today.toordinal()
    end = start + CLOSED_LOOK_AHEAD
    open_days = _merged([span for days, _ in opening.open_days
                         for span in _ordinal_spans(days, start, end)])
    closed = _without(_merged([span for days in opening.closed
                               for span in _ordinal_spans(days, start, end)]), open_days)
    count = sum(last - first for first, last in closed)
    if count <= CLOSED_MOST:
        return []
    # The line that closes it most, named as written: where the typo most likely is.
    most, worst = max((sum(last - first for first, last in _ordinal_spans(days, start, end)),
                       -index) for index, days in enumerate(opening.closed))
    days = opening.closed[-worst]
    return [Problem(path, days.line, Severity.WARNING, "closed_days_long", {
        "count": str(count), "days": str(CLOSED_LOOK_AHEAD), "most": str(most),
        "value": days.text or days.first.isoformat()})]


def _ordinal_spans(days: DayRange, start: int, end: int) -> list[tuple[int, int]]:
    """The days of `days` between the ordinals `start` and `end`, as half-open spans."""
    if not days.yearly:
        spans = [(days.first.toordinal(), days.last.toordinal() + 1)]
    else:
        wraps = (days.last.month, days.last.day) < (days.first.month, days.first.day)
        spans = []
        for year in range(dt.date.fromordinal(start).year - 1,
                          dt.date.fromordinal(end).year + 1):
            spans.append((_yearly(year, days.first, True).toordinal(),
                          _yearly(year + wraps, days.last, False).toordinal() + 1))
    return [(max(first, start), min(last, end)) for first, last in spans
            if max(first, start) < min(last, end)]


def _yearly(year: int, day: dt.date, first: bool) -> dt.date:
    """A yearly date in `year`; 29 February in another year is 1 March as a range's first
    day, 28 February as its last (as DayRange.__contains__ reads it)."""
    try:
        return dt.date(year, day.month, day.day)
    except ValueError:
        return dt.date(year, 3, 1) if first else dt.date(year, 2, 28)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _without(spans: list[tuple[int, int]],
             holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merged `spans` less merged `holes` (both sorted)."""
    result: list[tuple[int, int]] = []
    index = 0
    for first, last in spans:
        while index < len(holes) and holes[index][1] <= first:
            index += 1
        at, look = first, index
        while look < len(holes) and holes[look][0] < last:
            if holes[look][0] > at:
                result.append((at, holes[look][0]))
            at = max(at, holes[look][1])
            look += 1
        if at < last:
            result.append((at, last))
    return result


# --- kiosk.yaml -------------------------------------------------------------------------------

_EVERY_DAY = ("ежедневно", "каждый день", "все дни", "daily", "every day", "everyday", "пн-вс",
              "mon-sun")
_WORKDAYS = ("будни", "рабочие дни", "weekdays")
_WEEKEND = ("выходные", "weekend", "weekends")
_CLOSED_WORDS = ("выходной", "закрыто", "не работает", "нет", "closed", "off", "no", "—", "-")
_ROUND_THE_CLOCK = ("24/7", "круглосуточно", "24 часа", "24h", "24 hours", "round the clock",
                    "00:00-24:00")
_DASH = LazyPattern(r"\s*[-–—]\s*")


def parse_opening_hours(value: Any, line: int | None, log: ProblemLog) -> tuple[Hours, ...] | None:
    """`opening_hours:` as one value for every day («08:00-20:00», «24/7») or as lines
    «days: hours». None (round the clock) when it is not understood: a typo never turns the
    screen off; a day whose hours are not understood stays on all that day."""
    if value is None:
        return None
    if not isinstance(value, LineDict):
        hours = _day_hours(value, str(value), "opening_hours", line, log)
        return None if hours is None else _week((hours,) * 7, line, log)
    week: list[Hours | None] = [None] * 7
    for key, hours_value in value.items():
        key_line = value.line_of(key)
        days = _days(key)
        if days is None:
            name = key.strip().lower()
            log.error("bad_opening_day", key_line, value=key,
                      suggest=_suggest_day(_DASH.split(name)[0] if _DASH.search(name) else name))
            return None  # which day was meant is unknown: stay on every day
        text = value.raw_text.get(key, typed(hours_value))
        hours = _day_hours(hours_value, text, "opening_hours", key_line, log)
        for day in days:
            if week[day] is not None:
                log.warning("opening_day_twice", key_line, value=SHORT_NAMES[day])
            week[day] = ALL_DAY if hours is None else hours
    missing = [SHORT_NAMES[day] for day in range(7) if week[day] is None]
    if missing:
        log.warning("opening_days_missing", line, value=", ".join(missing))
    return _week(tuple(hours or () for hours in week), line, log)


def _week(week: tuple[Hours, ...], line: int | None, log: ProblemLog) -> tuple[Hours, ...]:
    if not any(week):
        log.warning("opening_never", line)
    return week


def _suggest_day(name: str) -> str:
    near = suggest(name, [*WEEKDAY_NAMES, *_EVERY_DAY, *_WORKDAYS, *_WEEKEND])
    return SHORT_NAMES[WEEKDAY_NAMES[near]] if near in WEEKDAY_NAMES else near


def _days(key: str) -> tuple[int, ...] | None:
    """«пн-пт», «пн–пт», «сб, вс», «ежедневно», «будни»: the weekdays (0 Monday), or None."""
    name = " ".join(key.strip().lower().replace(".", "").split())
    if name in _EVERY_DAY:
        return tuple(range(7))
    if name in _WORKDAYS:
        return tuple(range(5))
    if name in _WEEKEND:
        return (5, 6)
    days: list[int] = []
    for part in name.split(","):
        ends = _DASH.split(part.strip())
        if not all(end in WEEKDAY_NAMES for end in ends) or len(ends) > 2:
            return None
        first, last = WEEKDAY_NAMES[ends[0]], WEEKDAY_NAMES[ends[-1]]
        days.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
    return tuple(days)


def _day_hours(value: Any, text: str, key: str, line: int | None,
               log: ProblemLog) -> Hours | None:
    """One day's hours: «08:00-20:00», «09:00-13:00, 14:00-18:00», «выходной» (()), «24/7».
    None, reported, when not understood. Hours past midnight («20:00-08:00») are honoured (a
    centre may work through the night) but warned of: most often they are swapped."""
    if value is False or (isinstance(value, str)
                          and value.strip().lower().rstrip(".") in _CLOSED_WORDS):
        return ()  # YAML reads «off» and «no» as false
    items = [str(item) for item in value] if isinstance(value, list) else text.split(",")
    hours: list[tuple[dt.time, dt.time]] = []
    for item in items:
        if item.strip().lower() in _ROUND_THE_CLOCK:
            hours.append(ALL_DAY[0])
            continue
        span = _span(item)
        if span is None:
            log.error("bad_opening_hours", line, value=text.strip())
            return None
        hours.append(span)
        start, end = span
        if dt.time(0) < end < start:  # «…-24:00» and «24/7» end at midnight, not past it
            log.warning("opening_overnight", line, key=key, value=item.strip(),
                        start=_clock(start), end=_clock(end))
    if not hours:
        log.error("bad_opening_hours", line, value=text.strip())
        return None
    return tuple(hours)


def _clock(time: dt.time) -> str:
    return f"{time.hour:02d}:{time.minute:02d}"


def _span(text: str) -> tuple[dt.time, dt.time] | None:
    match = HOURS_PATTERN.match(text)
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        return dt.time(h1, m1), dt.time(0) if (h2, m2) == (24, 0) else dt.time(h2, m2)
    except ValueError:
        return None


_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        ("января", "январь", "янв", "january", "jan"), ("февраля", "февраль", "фев", "february",
                                                         "feb"),
        ("марта", "март", "мар", "march", "mar"), ("апреля", "апрель", "апр", "april", "apr"),
        ("мая", "май", "may"), ("июня", "июнь", "июн", "june", "jun"),
        ("июля", "июль", "июл", "july", "jul"), ("августа", "август", "авг", "august", "aug"),
        ("сентября", "сентябрь", "сен", "september", "sep"),
        ("октября", "октябрь", "окт", "october", "oct"),
        ("ноября", "ноябрь", "ноя", "november", "nov"),
        ("декабря", "декабрь", "дек", "december", "dec")), start=1):
    for _name in _names:
        _MONTHS[_name] = _number

_ISO = LazyPattern(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED = LazyPattern(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?$")
_WORDS = LazyPattern(r"^(\d{1,2})\s+(\w+)(?:\s+(\d{4}))?$")
_DAYS_OF_MONTH = LazyPattern(r"^(\d{1,2})\s*[-–—]\s*(\d{1,2})\s+(\w+)(?:\s+(\d{4}))?$")
_RANGE = LazyPattern(r"\s*\.\.\s*|\s+-\s+|\s*[–—]\s*")
_LEAP = 2000  # the year of a yearly date: 29 февраля is a date


def parse_days(value: Any, key: str, line: int | None, log: ProblemLog) -> tuple[DayRange, ...]:
    """`closed_days:`: a list of dates and ranges; what is not understood is reported and left
    out (the kiosk stays on that day)."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    ranges = []
    for item in items:
        if isinstance(item, int | float):  # YAML read «10.10» as the number 10.1
            log.error("closed_day_number", line, key=key, value=typed(item))
            continue
        days = _day_range(str(item).strip().lower(), key, line, log)
        if days is not None:
            ranges.append(days)
    return tuple(ranges)


def parse_open_days(value: Any, line: int | None,
                    log: ProblemLog) -> tuple[tuple[DayRange, Hours], ...]:
    """`open_days:` lines «date or range: hours», the hours of those days instead of the usual."""
    if value is None:
        return ()
    if not isinstance(value, LineDict):
        log.error("wrong_type", line, key="open_days", expected="mapping", value=typed(value),
                  default="nothing")
        return ()
    result = []
    for key, hours_value in value.items():
        key_line = value.line_of(key)
        days = _day_range(key.strip().lower(), "open_days", key_line, log)
        hours = _day_hours(hours_value, value.raw_text.get(key, typed(hours_value)), "open_days",
                           key_line, log)
        if days is not None:
            result.append((days, ALL_DAY if hours is None else hours))
    return tuple(result)


def _day_range(text: str, key: str, line: int | None, log: ProblemLog) -> DayRange | None:
    month_days = _DAYS_OF_MONTH.match(text)
    if month_days is not None:  # «1-8 января [2027]»
        first_day, last_day, month, year = month_days.groups()
        parts = [f"{first_day} {month} {year or ''}".strip(),
                 f"{last_day} {month} {year or ''}".strip()]
    else:
        parts = _RANGE.split(text, maxsplit=1)
    ends = [_date(part) for part in parts]
    known = [end for end in ends if end is not None]
    if len(known) < len(ends) or len({yearly for _, yearly in known}) > 1:
        # «31.02.2024»: a day that does not exist, said so rather than «not understood».
        impossible = any(read_date(part) == "impossible_date" for part in parts)
        log.error("closed_day_impossible" if impossible else "bad_closed_day", line, key=key,
                  value=text)
        return None
    (first, yearly), (last, _) = known[0], known[-1]
    if not yearly and last < first:
        log.error("closed_days_reversed", line, key=key, value=text)
        return None
    if yearly and first.month == last.month and last.day < first.day:
        # «8-1 января» would be closed from 8 January to 1 January of the next year: 359
        # days. Over the new year a range runs across months («25 декабря - 8 января»).
        log.error("closed_days_reversed_yearly", line, key=key, value=text,
                  swapped=f"{last.day}-{first.day} {_MONTH_NAMES[first.month - 1]}")
        return None
    return DayRange(first, last, yearly, line, text)


def _date(text: str) -> tuple[dt.date, bool] | None:
    """A date and whether it is yearly (no year given), or None."""
    text = text.strip()
    for pattern, order in ((_ISO, "ymd"), (_DOTTED, "dmy"), (_WORDS, "dmy")):
        match = pattern.match(text)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = _MONTHS.get(parts["m"]) if pattern is _WORDS else int(parts["m"])
        if month is None:
            return None
        try:
            year = int(parts["y"]) if parts["y"] else _LEAP
            return dt.date(year, month, int(parts["d"])), not parts["y"]
        except ValueError:
            return None
    return None

