from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from kiosk.core.content.model import Content
from kiosk.core.service.diagnostics import (
    ContentStatus,
    content_version,
    diagnostic_lines,
    format_uptime,
)
from kiosk.core.service.memory import ProcessMemory
from kiosk.core.service.recent_log import RecentLog


def test_uptime_reads_as_days_and_a_clock() -> None:
    assert format_uptime(59, "ru") == "00:00:59"
    assert format_uptime(3 * 86400 + 4 * 3600 + 5 * 60 + 6, "ru") == "3 д 04:05:06"
    assert format_uptime(86400, "en") == "1 d 00:00:00"


def test_content_versions_are_short_and_follow_the_folder() -> None:
    assert content_version(("a", 1)) == content_version(("a", 1))
    assert content_version(("a", 1)) != content_version(("a", 2))
    assert len(content_version(())) == 10


def test_diagnostics_say_everything_staff_ask_about() -> None:
    status = ContentStatus(Content(Path("/srv/content")), "abc123",
                           dt.datetime(2026, 11, 27, 10, 30))
    lines = diagnostic_lines("ru", "0.1.0", 3700, ProcessMemory(153600, "PSS", 81920), status,
                             ["old warning", "new error"], (1920, 1080),
                             safe_mode=(True, "три сбоя подряд"), extra=["Статистика: 12"])
    text = "\n".join(lines)
    assert lines[0] == "БЕЗОПАСНЫЙ РЕЖИМ: три сбоя подряд"
    for expected in ("0.1.0", "01:01:40", "150 МБ (PSS), из них собственная 80 МБ",
                     "/srv/content", "abc123", "27.11.2026 10:30:00", "Страниц: 0", "1920×1080",
                     "Статистика: 12"):
        assert expected in text
    assert text.index("new error") < text.index("old warning")  # newest first
    english = diagnostic_lines("en", "0.1.0", 5, ProcessMemory(5120, "RSS", None), status, [])
    assert "No errors or warnings so far." in english
    assert "Memory: 5 MB (RSS)" in english
    unknown = diagnostic_lines("en", "0.1.0", 5, None, status, [])  # not Linux
    assert not any("Memory" in line for line in unknown)
    assert not any("SAFE MODE" in line for line in english)


def test_recent_log_keeps_the_last_twenty_warnings_and_worse() -> None:
    ring = RecentLog()
    logger = logging.getLogger("test.recent")
    logger.propagate = False
    logger.addHandler(ring)
    try:
        logger.info("not kept")
        for i in range(25):
            logger.warning("warning %d", i)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logger.exception("slot failed")
    finally:
        logger.removeHandler(ring)
    lines = ring.lines()
    assert len(lines) == 20
    assert "warning 6" in lines[0]
    assert lines[-1].endswith("ERROR test.recent: slot failed [RuntimeError: boom]")
    assert not any("not kept" in line for line in lines)


def test_diagnostics_name_this_computers_settings_files_and_what_they_set() -> None:
    from kiosk.core.settings import Settings, SettingsFile

    settings = Settings(
        origins={"centre_name": "/srv/content/kiosk.yaml", "queue": "/etc/kiosk/kiosk.yaml",
                 "opening_hours": "/etc/kiosk/kiosk.yaml", "idle_seconds": "/home/k/user.yaml"},
        files=(SettingsFile("/etc/kiosk/kiosk.yaml", "read"),
               SettingsFile("/home/k/user.yaml", "read"),
               SettingsFile("/home/k/.config/kiosk/kiosk.yaml", "missing"),
               SettingsFile("/tmp/empty.yaml", "read"),
               SettingsFile("/tmp/broken.yaml", "broken")))
    status = ContentStatus(Content(Path("/srv/content"), settings))
    lines = diagnostic_lines("ru", "0.1.0", 5, None, status, [])
    assert [line for line in lines if line.startswith("Настройки этого компьютера")] == [
        "Настройки этого компьютера: queue, opening_hours — из /etc/kiosk/kiosk.yaml",
        "Настройки этого компьютера: idle_seconds — из /home/k/user.yaml",
        "Настройки этого компьютера: файла /home/k/.config/kiosk/kiosk.yaml нет",
        "Настройки этого компьютера: /tmp/empty.yaml прочитан, своих значений в нём нет",
        "Настройки этого компьютера: /tmp/broken.yaml не прочитан, в нём ошибка; действуют "
        "настройки из kiosk.yaml материалов",
    ]
    english = diagnostic_lines("en", "0.1.0", 5, None, status, [])
    assert "This computer's settings: queue, opening_hours — from /etc/kiosk/kiosk.yaml" \
        in english
    # Without files of its own (head office's workstation), nothing is said.
    assert not any("computer's settings" in line for line in diagnostic_lines(
        "en", "0.1.0", 5, None, ContentStatus(Content(Path("/srv/content"))), []))


def test_a_language_given_by_run_lang_is_named_as_the_options_not_the_files() -> None:
    from kiosk.core.settings import Settings, SettingsFile

    machine = "/etc/kiosk/kiosk.yaml"
    settings = Settings(default_language="ru",
                        origins={"default_language": machine, "queue": machine},
                        files=(SettingsFile(machine, "read"),))
    assert settings.with_language(None) is settings
    with_lang = settings.with_language("en")
    assert with_lang.default_language == "en"
    assert with_lang.origins == {"default_language": "--lang", "queue": machine}
    lines = diagnostic_lines("ru", "0.1.0", 5, None,
                             ContentStatus(Content(Path("/srv/content"), with_lang)), [])
    assert [line for line in lines if line.startswith("Настройки этого компьютера")] == [
        "Настройки этого компьютера: queue — из /etc/kiosk/kiosk.yaml",
        "Настройки этого компьютера: default_language — из --lang",
    ]
