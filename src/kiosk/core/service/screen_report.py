"""What the staff diagnostics and the status file say about the screen: on or off, why (the
reason kiosk.core.schedules.opening gives, in words), until when, and how the kiosk turns it off.

Pure: the UI (kiosk.ui.service.sleep) makes a ScreenReport at each change; the moments in it are the
centre's wall-clock time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.core.content.problems import Language
from kiosk.core.i18n import MONTHS_EN, MONTHS_RU
from kiosk.core.staff_text import st

# How the screen goes dark: the monitor's power (X11 DPMS), the Wayland compositor's output
# power (wlr-output-power-management, through wlopm), or a black picture with the monitor on.
METHODS = ("dpms", "wayland", "black")
# ScreenState's reasons, and "visitor": the centre is closed, but someone is still using the
# kiosk; it goes dark when their session ends.
REASONS = ("always_open", "open", "before_opening", "touched", "closed_day", "after_hours",
           "visitor")


@dataclass(frozen=True)
class ScreenReport:
    """Whether the screen is on, why, until when, and how it is switched."""

    on: bool
    reason: str  # one of REASONS
    until: dt.datetime | None  # when that next changes (the centre's time); None: not known
    method: str  # one of METHODS
    at: dt.datetime  # the centre's time the report was made

    def until_timestamp(self) -> float:
        """Unix time of `until`; 0 when there is none (the status file's convention)."""
        return self.until.timestamp() if self.until is not None else 0.0


def _day(moment: dt.datetime, at: dt.datetime, lang: Language) -> str:
    """"" today, «завтра» tomorrow, «5 января» later (or earlier)."""
    days = (moment.date() - at.date()).days
    if days == 0:
        return ""
    if days == 1:
        return "завтра" if lang == "ru" else "tomorrow"
    months = MONTHS_RU if lang == "ru" else MONTHS_EN
    return f"{moment.day} {months[moment.month - 1]}"


def until_words(moment: dt.datetime, at: dt.datetime, lang: Language) -> str:
    """«до 21:05», «до завтра, 02:00», «до 5 января, 20:00»."""
    day = _day(moment, at, lang)
    clock = moment.strftime("%H:%M")
    if lang == "ru":
        return f"до {day}, {clock}" if day else f"до {clock}"
    return f"until {day}, {clock}" if day else f"until {clock}"


def at_words(moment: dt.datetime, at: dt.datetime, lang: Language) -> str:
    """«в 08:50», «завтра в 08:50», «5 января в 08:50»."""
    day = _day(moment, at, lang)
    clock = moment.strftime("%H:%M")
    if lang == "ru":
        return f"{day} в {clock}" if day else f"в {clock}"
    if not day:
        return f"at {clock}"
    return f"tomorrow at {clock}" if day == "tomorrow" else f"on {day} at {clock}"


def why(report: ScreenReport, lang: Language) -> str:
    """The reason in words: «по расписанию: центр открыт до 20:00», «разбужен касанием до
    21:05», «центр закрыт: нерабочий день; включится завтра в 08:50»."""
    until, at = report.until, report.at
    reason = report.reason if report.reason in REASONS else "always_open"
    if reason in ("open", "touched") and until is not None:
        return st(f"screen_why_{reason}_until", lang, until=until_words(until, at, lang))
    if reason == "before_opening" and until is not None:
        return st("screen_why_before_opening_at", lang, at=at_words(until, at, lang))
    text = st(f"screen_why_{reason}", lang)
    if not report.on and until is not None:
        text = st("screen_why_wakes", lang, why=text, at=at_words(until, at, lang))
    return text


def report_lines(report: ScreenReport, lang: Language) -> list[str]:
    """The diagnostics' two lines: on or off and why; how the kiosk turns it off."""
    method = report.method if report.method in METHODS else "black"
    return [st("diag_screen_on" if report.on else "diag_screen_off", lang,
               why=why(report, lang)),
            st("diag_screen_method", lang, method=st(f"screen_method_{method}", lang))]
