"""What the diagnostics and the status file say about the screen: on or off, why, until when,
and how it goes dark."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.content.model import Content
from kiosk.core.service.diagnostics import ContentStatus, diagnostic_lines
from kiosk.core.service.screen_report import ScreenReport, at_words, report_lines, until_words
from kiosk.core.service.status import Status, render
from tests.core.test_status import parse

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 12, 7, 20, 10, tzinfo=MOSCOW)  # a Monday evening


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=MOSCOW)


@pytest.mark.parametrize(("report", "ru", "en"), [
    (ScreenReport(True, "open", at(7, 20), "dpms", at(7, 12)),
     "Экран включён — по расписанию: центр открыт до 20:00",
     "Screen on — on schedule: the centre is open until 20:00"),
    (ScreenReport(True, "open", at(8, 2), "dpms", at(7, 12)),
     "Экран включён — по расписанию: центр открыт до завтра, 02:00",
     "Screen on — on schedule: the centre is open until tomorrow, 02:00"),
    (ScreenReport(True, "touched", at(7, 21, 5), "dpms", at(7, 21)),
     "Экран включён — разбужен касанием до 21:05",
     "Screen on — woken by a touch until 21:05"),
    (ScreenReport(True, "before_opening", at(8, 8), "dpms", at(8, 7, 52)),
     "Экран включён — по расписанию: центр откроется в 08:00",
     "Screen on — on schedule: the centre opens at 08:00"),
    (ScreenReport(False, "after_hours", at(8, 7, 50), "dpms", NOW),
     "Экран выключен — центр закрыт: нерабочее время; включится завтра в 07:50",
     "Screen off — the centre is closed: after hours; on again tomorrow at 07:50"),
    (ScreenReport(False, "closed_day", at(14, 7, 50), "dpms", NOW),
     "Экран выключен — центр закрыт: нерабочий день; включится 14 декабря в 07:50",
     "Screen off — the centre is closed: a day off; on again on 14 December at 07:50"),
    (ScreenReport(False, "closed_day", None, "dpms", NOW),
     "Экран выключен — центр закрыт: нерабочий день",
     "Screen off — the centre is closed: a day off"),
    (ScreenReport(True, "always_open", None, "dpms", NOW),
     "Экран включён — часы работы не заданы, экран не гаснет",
     "Screen on — no opening hours set: the screen never goes dark"),
    (ScreenReport(True, "visitor", None, "dpms", NOW),
     "Экран включён — центр закрыт, но киоском ещё пользуются: экран погаснет, когда "
     "посетитель уйдёт",
     "Screen on — the centre is closed, but someone is still using the kiosk: the screen "
     "goes dark when they leave"),
])
def test_why_the_screen_is_on_or_off_in_words(report: ScreenReport, ru: str, en: str) -> None:
    assert report_lines(report, "ru")[0] == ru
    assert report_lines(report, "en")[0] == en


@pytest.mark.parametrize(("method", "ru"), [
    ("dpms", "Гашение экрана: DPMS, компьютер выключает монитор"),
    ("wayland", "Гашение экрана: Wayland, выход выключает композитор"),
    ("black", "Гашение экрана: чёрный экран, сам монитор включён"),
    ("something new", "Гашение экрана: чёрный экран, сам монитор включён"),
])
def test_how_the_screen_goes_dark(method: str, ru: str) -> None:
    assert report_lines(ScreenReport(True, "open", None, method, NOW), "ru")[1] == ru


def test_moments_today_tomorrow_and_later() -> None:
    assert until_words(at(7, 21, 5), NOW, "ru") == "до 21:05"
    assert until_words(at(9, 20), NOW, "en") == "until 9 December, 20:00"
    assert at_words(at(8, 7, 50), NOW, "en") == "tomorrow at 07:50"
    assert at_words(dt.datetime(2027, 1, 9, 7, 50, tzinfo=MOSCOW), NOW, "ru") == \
        "9 января в 07:50"


def test_the_diagnostics_show_the_screen_after_its_size() -> None:
    report = ScreenReport(False, "after_hours", at(8, 7, 50), "black", NOW)
    lines = diagnostic_lines("ru", "1.0", 10, None, ContentStatus(Content(Path("content"))),
                             [], (1920, 1080), display=report)
    size = lines.index("Экран: 1920×1080")
    assert lines[size + 1].startswith("Экран выключен — центр закрыт")
    assert lines[size + 2].startswith("Гашение экрана: чёрный экран")


def test_the_status_file_says_whether_the_screen_is_on_why_and_until_when() -> None:
    report = ScreenReport(False, "closed_day", at(8, 7, 50), "dpms", NOW)
    status = Status(version="1", uptime_seconds=1, content_release="r", content_fingerprint="f",
                    content_errors=0, content_warnings=0, memory=None,
                    last_touch_timestamp=None, restarts_total=0, crashes_total=0,
                    safe_mode=False, screen=report)
    families = parse(render(status))
    assert families["kiosk_screen_on"] == ("gauge", {"": 0.0})
    assert families["kiosk_screen_info"] == (
        "gauge", {'reason="closed_day",method="dpms"': 1.0})
    assert families["kiosk_screen_next_change_timestamp_seconds"] == (
        "gauge", {"": at(8, 7, 50).timestamp()})
    awake = render(replace(status, screen=ScreenReport(True, "always_open", None, "black", NOW)))
    assert parse(awake)["kiosk_screen_next_change_timestamp_seconds"][1][""] == 0
    assert "kiosk_screen" not in render(replace(status, screen=None))
