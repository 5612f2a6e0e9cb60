"""Notices: short texts staff put up for a while («Сегодня центр работает до 16:00»).

An ordinary notice is a slide of the attract loop; an urgent one is a band at the foot of every
visitor screen for as long as its schedule says. This module holds the rules: the levels staff
may write, how long a notice may be, and when the set of urgent notices on screen next changes.
Pure: the moment is an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from kiosk.core.content.model import Notice
from kiosk.core.content.problems import ProblemLog
from kiosk.core.schedules.schedule import ALWAYS, ClosedDays, Schedule
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
# The longest word a notice may hold. «Высококвалифицированный», the longest word in everyday
# use, has 23 letters; anything much longer is a web address or words run together, which no
# line of the band or the slide can hold (a run of 200 «Ш» went off the screen). A real long
# word that is still wider than a line (the band in large type on a portrait screen holds
# about 20 letters) is broken by the band at a letter rather than cut off.
WORD_MOST = 30
# Urgent notices on the band at once, the first due in the files' order: each more is one
# more turn of the band (3,000 of them made a real one wait ten hours for its turn, and laying
# them out held the UI thread 0.3 s at every change). `kiosk check` warns beyond this.
MOST_URGENT_SHOWN = 5
# The set of urgent notices is looked at this far ahead; past it, nothing is said to change
# (the window judges them again within the hour anyway: kiosk.ui.main_window).
HORIZON_DAYS = 1
WHOLE_DAY = (dt.time(0), dt.time(0))  # a schedule without hours: midnight to midnight
NOON = dt.time(12)


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


def longest_word(text: str) -> str:
    return max(text.split(), key=len, default="")


def next_change(notices: Sequence[Notice], local: dt.datetime, closed: ClosedDays | None,
                horizon_days: int = HORIZON_DAYS) -> dt.datetime | None:
    """The first moment after `local` (the centre's wall-clock time, aware) at which the set of
    these notices that are active differs from now, or None when it does not change within
    `horizon_days`. The answer is a wall-clock time in `local`'s zone.

    The set changes when one of its notices comes or goes, so the answer is the earliest of
    each notice's own next change. A notice is shown in the spans of its hours on the days its
    schedule allows (a span across midnight belongs to the day it starts on): those spans, on
    the days from yesterday to the horizon, are merged, and its next change is where the
    merged span holding `local` ends, or where the next one begins. The work grows as the
    notices × the days looked at × their spans (at most schedule.HOURS_MOST each): about 70
    steps a notice, where trying every edge of every notice on each of 400 days took 17 s for
    200 notices and 35 s for one with 700 spans. Called on each return to the loop."""
    wall = local.replace(tzinfo=None)
    limit = wall + dt.timedelta(days=horizon_days)
    first: dt.datetime | None = None
    for notice in notices:
        change = _own_change(notice.schedule, wall, limit, closed)
        if change is not None and (first is None or change < first):
            first = change
    return None if first is None else first.replace(tzinfo=local.tzinfo)


def _own_change(schedule: Schedule, wall: dt.datetime, limit: dt.datetime,
                closed: ClosedDays | None) -> dt.datetime | None:
    """When this schedule next turns on or off after `wall` (naive wall-clock times), if that
    is no later than `limit`."""
    if schedule is ALWAYS:
        return None
    # Which days it is shown on is the schedule without its hours, asked about each day.
    days = replace(schedule, hours=()) if schedule.hours else schedule
    spans = schedule.hours or (WHOLE_DAY,)
    spells: list[tuple[dt.datetime, dt.datetime]] = []
    day = wall.date() - dt.timedelta(days=1)  # yesterday's span may run past midnight
    while day <= limit.date():
        if days.active(dt.datetime.combine(day, NOON), closed):
            for begins, ends in spans:
                # As Schedule.active: «10:00-14:00» within the day, «22:00-02:00» and
                # «00:00-24:00» (the start not before the end) into the next.
                spells.append((dt.datetime.combine(day, begins),
                               dt.datetime.combine(day + dt.timedelta(days=int(begins >= ends)),
                                                   ends)))
        day += dt.timedelta(days=1)
    spells.sort()
    merged: list[list[dt.datetime]] = []
    for start, end in spells:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        if end <= wall:
            continue
        # Shown now: it goes when this spell ends; not shown: it comes when the next begins.
        # Past `limit` a spell may go on into days not looked at: nothing is said then.
        change = end if start <= wall else start
        return change if change <= limit else None
    return None
