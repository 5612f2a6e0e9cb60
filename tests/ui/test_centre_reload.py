"""The running kiosk follows the centre's own folder as it follows head office's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.machine import SettingsPath
from kiosk.core.service.safemode import CrashGuard
from kiosk.core.service.sdnotify import Notifier
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import probe_image
from kiosk.ui.service.operations import Operations, OpsConfig
from kiosk.ui.service.reloader import ContentReloader
from kiosk.ui.theme import Theme
from tests.helpers import make_folder, story
from tests.ui.conftest import FakeClock


def start(qtbot: QtBot, clock: FakeClock, shared: Path, centre: Path,
          interval_ms: int = 50) -> tuple[KioskWindow, ContentReloader]:
    content = load_content(shared, probe_image, centre=centre)
    window = KioskWindow(Theme(1920, 1080), content, clock)
    qtbot.addWidget(window)
    reloader = ContentReloader(shared, content, None, probe_image, interval_ms=interval_ms,
                               settle=0.2, centre=centre)
    reloader.changed.connect(window.update_content)
    reloader.start()
    return window, reloader


@pytest.fixture
def running(qtbot: QtBot, tmp_path: Path,
            clock: FakeClock) -> Iterator[tuple[KioskWindow, ContentReloader, Path, Path]]:
    shared = make_folder(tmp_path / "content", stories={"a.md": story("Общая история")})
    centre = make_folder(tmp_path / "centre", stories={"ours.md": story("Наша история")})
    window, reloader = start(qtbot, clock, shared, centre)
    yield window, reloader, shared, centre
    reloader.stop()
    stop(window)


def stop(window: KioskWindow) -> None:
    """The window's timers stopped, so that nothing runs after the test."""
    window.attract.stop()
    window.session_timer.stop()


def shown(window: KioskWindow) -> list[tuple[str, str]]:
    return [(s.title.ru, s.origin) for s in window.content.stories]


def test_a_new_story_in_the_centre_folder_appears(
        qtbot: QtBot, running: tuple[KioskWindow, ContentReloader, Path, Path]) -> None:
    window, _, _, centre = running
    (centre / "stories" / "new.md").write_text(story("Новая история центра"), encoding="utf-8")
    qtbot.waitUntil(lambda: ("Новая история центра", "centre") in shown(window), timeout=5000)
    assert ("Общая история", "shared") in shown(window)


def test_a_half_copied_centre_file_keeps_its_last_good_version(
        qtbot: QtBot, running: tuple[KioskWindow, ContentReloader, Path, Path]) -> None:
    window, reloader, _, centre = running
    (centre / "stories" / "ours.md").write_text("---\ntitle: Наша ист", encoding="utf-8")
    (centre / "stories" / "new.md").write_text(story("Новая история центра"), encoding="utf-8")
    qtbot.waitUntil(lambda: ("Новая история центра", "centre") in shown(window), timeout=5000)
    assert ("Наша история", "centre") in shown(window)  # the last good version
    assert any(p.code == "kept_last_good" and p.path == str(centre / "stories" / "ours.md")
               for p in reloader.content.problems)


def test_a_head_office_sync_and_a_hide_while_running(
        qtbot: QtBot, running: tuple[KioskWindow, ContentReloader, Path, Path],
        tmp_path: Path) -> None:
    window, _, shared, centre = running
    release = make_folder(tmp_path / "release", stories={"b.md": story("Новая общая")})
    shutil.rmtree(shared)  # head office's folder replaced whole, as rsync --delete leaves it
    shutil.copytree(release, shared)
    qtbot.waitUntil(lambda: shown(window) == [("Новая общая", "shared"),
                                              ("Наша история", "centre")], timeout=5000)
    (centre / "hidden.yaml").write_text("hide: [stories/b.md]\n", encoding="utf-8")
    qtbot.waitUntil(lambda: shown(window) == [("Наша история", "centre")], timeout=5000)


def test_a_centre_folder_made_after_start_is_watched(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    shared = make_folder(tmp_path / "content", stories={"a.md": story("Общая история")})
    centre = tmp_path / "centre"
    # Looks every minute only: what arrives within seconds came through inotify.
    window, reloader = start(qtbot, clock, shared, centre, interval_ms=60_000)
    try:
        assert reloader.centre_watcher is not None and reloader.centre_watcher.watching is None
        reloader._look()  # the timer's look finds the folder missing: nothing to watch
        centre.mkdir()
        reloader.timer.setInterval(50)  # a timer's look sees it made, and watches it
        qtbot.waitUntil(lambda: reloader.centre_watcher is not None
                        and reloader.centre_watcher.watching == os.path.realpath(centre),
                        timeout=5000)
        reloader.timer.stop()
        (centre / "stories").mkdir()
        (centre / "stories" / "new.md").write_text(story("Сразу"), encoding="utf-8")
        qtbot.waitUntil(lambda: ("Сразу", "centre") in shown(window), timeout=3000)
    finally:
        reloader.stop()
        stop(window)


def test_a_broken_hidden_yaml_keeps_hiding_what_it_hid(
        qtbot: QtBot, running: tuple[KioskWindow, ContentReloader, Path, Path]) -> None:
    window, reloader, _, centre = running
    (centre / "hidden.yaml").write_text("hide: [stories/a.md]\n", encoding="utf-8")
    qtbot.waitUntil(lambda: shown(window) == [("Наша история", "centre")], timeout=5000)
    (centre / "hidden.yaml").write_text("hide: [stories/a.md\n", encoding="utf-8")  # half saved
    (centre / "stories" / "new.md").write_text(story("Новая история центра"), encoding="utf-8")
    qtbot.waitUntil(lambda: ("Новая история центра", "centre") in shown(window), timeout=5000)
    assert ("Общая история", "shared") not in shown(window)
    assert any(p.code == "kept_last_good" and p.path == str(centre / "hidden.yaml")
               for p in reloader.content.problems)


def test_the_safe_mode_copy_is_kept_beside_a_centre_folder_and_settings_files(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    shared = make_folder(tmp_path / "content", stories={"a.md": story("Общая история")})
    centre = make_folder(tmp_path / "centre", stories={"ours.md": story("Наша история")})
    settings = tmp_path / "etc-kiosk.yaml"
    settings.write_text("idle_seconds: 60\n", encoding="utf-8")
    window, reloader = start(qtbot, clock, shared, centre)
    reloader.stop()
    reloader.machine = (SettingsPath(settings, False),)
    # What the reloader reports as on screen: head office's folder, the centre's, the settings.
    seen = reloader._fingerprint()
    guard = CrashGuard(tmp_path / "starts.json", tmp_path / "last-good", good_after=1)
    ops = Operations(window, OpsConfig(None, None, shared, shared), guard,
                     guard.start(0.0), None, Notifier({}), clock=clock)
    try:
        guard.mark_good()
        ops.content_shown(seen)
        clock.advance(2)
        ops.tick()
        qtbot.waitUntil(lambda: (tmp_path / "last-good" / "stories" / "a.md").exists(),
                        timeout=5000)
    finally:
        ops.shutdown()
        stop(window)


def test_head_offices_folder_gone_keeps_everything_on_screen(
        qtbot: QtBot, running: tuple[KioskWindow, ContentReloader, Path, Path]) -> None:
    window, reloader, shared, _ = running
    shutil.rmtree(shared)  # a deployment gone wrong: the shared folder is not there
    qtbot.waitUntil(lambda: any(p.code == "missing_folder" for p in reloader.content.problems),
                    timeout=5000)
    assert shown(window) == [("Общая история", "shared"), ("Наша история", "centre")]
