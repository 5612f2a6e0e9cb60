"""A running kiosk follows a change of this computer's settings file as it follows the content
folder: within seconds, no restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.core.machine import SettingsPath
from kiosk.ui.resources import probe_image
from kiosk.ui.service.reloader import ContentReloader
from tests.helpers import make_folder, story
from tests.ui.conftest import WindowFactory


@pytest.fixture
def reloader(qtbot: QtBot, tmp_path: Path) -> Iterator[ContentReloader]:
    root = make_folder(tmp_path / "content", stories={"a.md": story()},
                       settings="centre_name: Мои Документы\nidle_seconds: 120\n")
    machine = (SettingsPath(tmp_path / "etc" / "kiosk.yaml"),)
    content = load_content(root, probe_image, machine=machine)
    watcher = ContentReloader(root, content, None, probe_image, interval_ms=50, settle=0.2,
                              machine=machine)
    with qtbot.waitSignal(watcher.settled, timeout=5000):  # its first read of the folder
        watcher.start()
    yield watcher
    watcher.stop()


def test_a_new_changed_and_removed_machine_file_is_followed(
        qtbot: QtBot, reloader: ContentReloader) -> None:
    shown: list[Content] = []
    reloader.changed.connect(shown.append)
    path = reloader.machine[0].path
    path.parent.mkdir()
    path.write_text("centre_name: Марьино\n", encoding="utf-8")  # only this file changes
    qtbot.waitUntil(lambda: bool(shown) and shown[-1].settings.centre_name == "Марьино",
                    timeout=5000)
    assert reloader.content.settings.origins["centre_name"] == str(path)

    path.write_text("centre_name: Марьино\nidle_seconds: 60\n", encoding="utf-8")
    qtbot.waitUntil(lambda: reloader.content.settings.idle_seconds == 60, timeout=5000)

    path.write_text("idle_seconds: [60\n", encoding="utf-8")  # half saved: the last good stays
    qtbot.waitUntil(lambda: any(p.code == "yaml_syntax" for p in reloader.content.problems),
                    timeout=5000)
    assert reloader.content.settings.idle_seconds == 60
    assert reloader.content.settings.centre_name == "Марьино"

    path.unlink()  # taken away: the content's settings again
    qtbot.waitUntil(lambda: reloader.content.settings.centre_name == "Мои Документы",
                    timeout=5000)
    assert reloader.content.settings.idle_seconds == 120


def test_the_staff_diagnostics_name_this_computers_settings(
        qtbot: QtBot, make_window: WindowFactory, bundled: Content, tmp_path: Path) -> None:
    machine = tmp_path / "kiosk.yaml"
    machine.write_text("queue:\n  source: http://10.0.0.5/calls.json\n"
                       "opening_hours: 08:00-20:00\n", encoding="utf-8")
    missing = tmp_path / "user.yaml"
    content = load_content(bundled.root, probe_image, machine=(
        SettingsPath(machine), SettingsPath(missing, named=False)))
    window = make_window(content)
    window.show_screen(window.staff)  # as after the PIN (tests/ui/test_staff.py)
    lines = window.staff.text.lines
    assert f"Настройки этого компьютера: queue, opening_hours — из {machine}" in lines
    assert f"Настройки этого компьютера: файла {missing} нет" in lines
    window.stop_queue()
