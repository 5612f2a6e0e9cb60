"""A schedule in words, for staff: «показывается только по будням, с 9:00 до 12:00». The
preview says so of each item a schedule hides at the moment it shows (kiosk.ui.preview)."""

from __future__ import annotations

import datetime as dt

from kiosk.core.content.problems import Language
from kiosk.core.i18n import MONTHS_EN, MONTHS_RU, format_date
from kiosk.core.schedules.schedule import Schedule

# «в августе»: the months in the prepositional case.
MONTHS_IN_RU = ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                "сентябре", "октябре", "ноябре", "декабре")
DAYS_SHORT_RU = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
DAYS_SHORT_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})


def schedule_phrase(schedule: Schedule, lang: Language) -> str:
    """When the item is shown, as staff would say it: «показывается только по будням» /
    «shown only on weekdays»; every part of the schedule, joined."""
    ru = lang == "ru"
    parts: list[str] = []
    if schedule.start is not None or schedule.end is not None:
        parts.append(_dates(schedule.start, schedule.end, lang))
    if schedule.yearly is not None:
        (first_month, first_day), (last_month, last_day) = schedule.yearly
        if schedule.yearly[0] == schedule.yearly[1]:  # one day: not «с 7 декабря по 7 декабря»
            parts.append(f"{first_day} {MONTHS_RU[first_month - 1]} каждого года" if ru else
                         f"on {first_day} {MONTHS_EN[first_month - 1]} every year")
        else:
            parts.append(f"{_since(first_day)} {MONTHS_RU[first_month - 1]} по {last_day} "
                         f"{MONTHS_RU[last_month - 1]} каждого года" if ru else
                         f"from {first_day} {MONTHS_EN[first_month - 1]} to {last_day} "
                         f"{MONTHS_EN[last_month - 1]} every year")
    if schedule.months is not None:
        months = sorted(schedule.months)
        parts.append("в " + _listed([MONTHS_IN_RU[m - 1] for m in months], "и") if ru else
                     "in " + _listed([MONTHS_EN[m - 1] for m in months], "and"))
    if schedule.weekdays is not None:
        parts.append(_days(schedule.weekdays, lang))
    for start, end in schedule.hours:
        parts.append(f"с {_time(start)} до {_time(end)}" if ru
                     else f"{_time(start)}–{_time(end)}")
    if schedule.before_closed:
        parts.append(_before_closed(schedule.before_closed, lang))
    if schedule.on_closed == "only":
        parts.append("в нерабочие дни" if ru else "on closed days")
    elif schedule.on_closed == "no":
        parts.append("кроме нерабочих дней" if ru else "except on closed days")
    if not parts:
        return "показывается всегда" if ru else "always shown"
    return ("показывается только " if ru else "shown only ") + ", ".join(parts)


def _dates(start: dt.date | None, end: dt.date | None, lang: Language) -> str:
    ru = lang == "ru"
    if start is not None and start == end:  # one day: not «с 7 декабря 2026 по 7 декабря 2026»
        return format_date(start, lang) if ru else f"on {format_date(start, lang)}"
    if start is not None and end is not None:
        # What the end says is not said again: «с 1 по 31 декабря 2025», «с 1 ноября по 31
        # декабря 2025», not «с 1 декабря 2025 по 31 декабря 2025».
        months = MONTHS_RU if ru else MONTHS_EN
        if start.year != end.year or start > end:
            first = format_date(start, lang)
        elif start.month != end.month:
            first = f"{start.day} {months[start.month - 1]}"
        else:
            first = str(start.day)
        return (f"{_since(first)} по {format_date(end, lang)}" if ru
                else f"from {first} to {format_date(end, lang)}")
    if start is not None:
        return _since(format_date(start, lang)) if ru else f"from {format_date(start, lang)}"
    assert end is not None
    # «только по 20 декабря» read as «only along»: the last day, said as one.
    return (f"до {format_date(end, lang)} включительно" if ru
            else f"until {format_date(end, lang)}")


def _since(day: object) -> str:
    """«с 7 декабря», but «со 2 декабря»: said «со второго», as before «вт» Russian says."""
    text = str(day)
    return f"со {text}" if text.split(" ", 1)[0] == "2" else f"с {text}"


def _before_closed(days: int, lang: Language) -> str:
    if lang != "ru":
        return "on the day before closed days" if days == 1 else \
            f"in the {days} days before closed days"
    if days == 1:
        return "в последний день перед нерабочими днями"
    word = "дня" if days % 10 in (2, 3, 4) and days % 100 not in (12, 13, 14) else "дней"
    last = "последний" if days % 10 == 1 and days % 100 != 11 else "последние"
    return f"в {last} {days} {word if last == 'последние' else 'день'} перед нерабочими днями"


def _days(days: frozenset[int], lang: Language) -> str:
    ru = lang == "ru"
    if days == WEEKDAYS:
        return "по будням" if ru else "on weekdays"
    if days == WEEKEND:
        return "по выходным" if ru else "at weekends"
    names = DAYS_SHORT_RU if ru else DAYS_SHORT_EN
    listed = ", ".join(names[day] for day in sorted(days))
    return f"по дням: {listed}" if ru else f"on {listed}"


def _listed(words: list[str], conjunction: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _time(moment: dt.time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"
