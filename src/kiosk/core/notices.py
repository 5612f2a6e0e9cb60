"""Notices: short texts staff put up for a while («Сегодня центр работает до 16:00»).

An ordinary notice is a slide of the attract loop; an urgent one is a band at the foot of every
visitor screen for as long as its schedule says. This module holds the rules: the levels staff
may write, how long a notice may be, and when the set of urgent notices on screen next changes.
Pure: the moment is an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kiosk.core.model import Notice
from kiosk.core.problems import ProblemLog
from kiosk.core.schedule import ALWAYS, ClosedDays
from kiosk.core.settings import suggest

# How staff may write `level:`; the first word of each is the one documented.
LEVELS: dict[str, bool] = {
    "обычное": False, "обычный": False, "обычная": False, "ordinary": False, "normal": False,
    "срочное": True, "срочный": True, "срочная": True, "срочно": True, "urgent": True,
}
# A notice is read in passing: about two lines of the band on a landscape screen. Longer is
# shown (the band in parts, a slide in smaller type) with a warning; much longer would not fit
# the screen at all and is not shown.
LONG_CHARS = 120
MOST_CHARS = 200
# The set of urgent notices is looked at this far ahead; past it, nothing is said to change.
HORIZON_DAYS = 400


def parse_level(value: Any, line: int | None, log: ProblemLog) -> bool | None:
    """`level:` as urgent (True) or ordinary (False); None, reported, when not understood.
    Not given: ordinary."""
    if value is None or value == "":
        return False
    text = str(value).strip().lower()
    if text in LEVELS:
        return LEVELS[text]
    log.error("bad_notice_level", line, value=str(value),
              suggest=suggest(text, ["обычное", "срочное", "ordinary", "urgent"]))
    return None


def active_notices(notices: Sequence[Notice], local: dt.datetime,
                   closed: ClosedDays | None) -> tuple[Notice, ...]:
    return tuple(n for n in notices if n.schedule.active(local, closed))


def next_change(notices: Sequence[Notice], local: dt.datetime, closed: ClosedDays | None,
                horizon_days: int = HORIZON_DAYS) -> dt.datetime | None:
    """The first moment after `local` (the centre's wall-clock time, aware) at which the set of
    these notices that are active differs from now, or None when it does not change within
    `horizon_days`. Schedules change only at midnight (dates, weekdays, closed days) and at
    the edges of their hours, so only those moments are tried: a few a day. The answer is a
    wall-clock time in `local`'s zone."""
    if all(n.schedule is ALWAYS for n in notices):
        return None
    now = active_notices(notices, local, closed)
    edges = {dt.time(0)} | {edge for n in notices for span in n.schedule.hours for edge in span}
    times = sorted(edges)
    wall = local.replace(tzinfo=None)
    for offset in range(horizon_days + 1):
        day = wall.date() + dt.timedelta(days=offset)
        for time in times:
            moment = dt.datetime.combine(day, time)
            if moment <= wall:
                continue
            aware = moment.replace(tzinfo=local.tzinfo)
            if active_notices(notices, aware, closed) != now:
                return aware
    return None
