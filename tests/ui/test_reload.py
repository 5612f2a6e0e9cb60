"""Staff change the folder while the kiosk runs: the screen follows within seconds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.reload import GONE_SETTLE, fingerprint
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import probe_image
from kiosk.ui.service.reloader import ContentReloader
from kiosk.ui.staff.menu import StaffAction
from kiosk.ui.theme import Theme
from tests.helpers import make_folder, story
from tests.ui.conftest import FakeClock


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    release = make_folder(tmp_path / "release-1", stories={
        "a.md": story("Первая история"), "b.md": story("Вторая история")})
    link = tmp_path / "content"
    link.symlink_to(release)
    return link


@pytest.fixture
def running(qtbot: QtBot, folder: Path,
            clock: FakeClock) -> Iterator[tuple[KioskWindow, ContentReloader]]:
    content = load_content(folder, probe_image)
    window = KioskWindow(Theme(1920, 1080), content, clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    reloader = ContentReloader(folder, content, fingerprint(folder), probe_image,
                               interval_ms=50, settle=0.2)
    reloader.changed.connect(window.update_content)
    reloader.start()
    yield window, reloader
    reloader.stop()
    window.attract.stop()
    window.session_timer.stop()


def titles(window: KioskWindow) -> list[str]:
    return [s.title.ru for s in window.content.stories]


def test_a_new_story_appears_and_a_broken_one_keeps_its_last_version(
        qtbot: QtBot, running: tuple[KioskWindow, ContentReloader], folder: Path) -> None:
    window, _ = running
    (folder / "stories" / "c.md").write_text(story("Третья история"), encoding="utf-8")
    qtbot.waitUntil(lambda: "Третья история" in titles(window), timeout=5000)
    assert window.current_screen is window.attract
    assert not window.attract.stage.current.isNull()  # never a black frame

    (folder / "stories" / "a.md").write_text("---\ntitle: Сломано: да\n---\n", encoding="utf-8")
    (folder / "stories" / "b.md").write_text(story("Вторая, исправленная"), encoding="utf-8")
    qtbot.waitUntil(lambda: "Вторая, исправленная" in titles(window), timeout=5000)
    assert "Первая история" in titles(window)  # the broken file's last good version
    assert any(p.code == "kept_last_good" or p.code == "yaml_syntax"
               for p in window.content.problems)


def test_a_flipped_release_link_and_a_removed_folder(
        qtbot: QtBot, running: tuple[KioskWindow, ContentReloader], folder: Path,
        tmp_path: Path) -> None:
    window, reloader = running
    release = make_folder(tmp_path / "release-2", stories={"z.md": story("Из нового выпуска")})
    new_link = tmp_path / "content.new"
    new_link.symlink_to(release)
    os.replace(new_link, folder)
    qtbot.waitUntil(lambda: titles(window) == ["Из нового выпуска"], timeout=5000)

    folder.unlink()  # the folder is gone: the last good content stays on screen
    looks = reloader.looks
    qtbot.waitUntil(lambda: reloader.looks > looks + 8, timeout=5000)  # well past settling
    assert titles(window) == ["Из нового выпуска"]
    assert any(p.code == "missing_folder" for p in reloader.content.problems)


def test_a_visitor_is_not_disturbed(qtbot: QtBot, running: tuple[KioskWindow, ContentReloader],
                                    folder: Path, clock: FakeClock) -> None:
    window, reloader = running
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.menu.tiles[next(iter(window.menu.tiles))], Qt.MouseButton.LeftButton)
    (folder / "stories" / "c.md").write_text(story("Третья история"), encoding="utf-8")
    qtbot.waitUntil(lambda: "Третья история" in [s.title.ru for s in reloader.content.stories],
                    timeout=5000)
    assert "Третья история" not in titles(window)  # not under the visitor's finger
    assert window.pending_content is not None
    clock.advance(window.content.settings.idle_seconds)
    qtbot.waitUntil(window.overlay.isVisible)
    clock.advance(window.content.settings.warning_seconds)
    qtbot.waitUntil(lambda: window.current_screen is window.attract)
    assert "Третья история" in titles(window)


def test_new_settings_take_effect_without_a_restart(
        qtbot: QtBot, running: tuple[KioskWindow, ContentReloader], folder: Path) -> None:
    window, _ = running
    (folder / "kiosk.yaml").write_text("default_language: en\nidle_seconds: 45\n",
                                       encoding="utf-8")
    qtbot.waitUntil(lambda: window.lang == "en", timeout=5000)
    assert window.attract.lang == "en" and window.session.idle_seconds == 45


def test_inotify_brings_a_change_in_without_waiting_for_the_next_look(
        qtbot: QtBot, folder: Path, clock: FakeClock, tmp_path: Path) -> None:
    # Looks every minute only: what arrives within two seconds came through inotify.
    content = load_content(folder, probe_image)
    window = KioskWindow(Theme(1920, 1080), content, clock)
    qtbot.addWidget(window)
    reloader = ContentReloader(folder, content, fingerprint(folder), probe_image,
                               interval_ms=60_000, settle=0.2)
    reloader.changed.connect(window.update_content)
    reloader.start()
    try:
        assert reloader.watcher.watching == os.path.realpath(folder)
        (folder / "stories" / "c.md").write_text(story("Третья история"), encoding="utf-8")
        qtbot.waitUntil(lambda: "Третья история" in titles(window), timeout=2000)
        with open(folder / "stories" / "a.md", "a", encoding="utf-8") as edited:
            edited.write("Дописано на месте.\n")  # an edit in place, not a new file
        qtbot.waitUntil(lambda: any("Дописано" in s.body.ru for s in window.content.stories),
                        timeout=2000)

        release = make_folder(tmp_path / "release-2", stories={"z.md": story("Новый выпуск")})
        flipped = tmp_path / "content.new"
        flipped.symlink_to(release)
        os.replace(flipped, folder)
        qtbot.waitUntil(lambda: titles(window) == ["Новый выпуск"], timeout=2000)
        qtbot.waitUntil(lambda: reloader.watcher.watching == str(release), timeout=2000)
        (release / "stories" / "y.md").write_text(story("И ещё одна"), encoding="utf-8")
        qtbot.waitUntil(lambda: "И ещё одна" in titles(window), timeout=2000)

        folder.unlink()  # gone for a while (a deployment gone wrong), then back
        qtbot.waitUntil(lambda: any(p.code == "missing_folder"
                                    for p in reloader.content.problems), timeout=3000)
        third = make_folder(tmp_path / "release-3", stories={"x.md": story("Снова на месте")})
        folder.symlink_to(third)
        qtbot.waitUntil(lambda: titles(window) == ["Снова на месте"], timeout=3000)
        qtbot.waitUntil(lambda: reloader.watcher.watching == str(third), timeout=2000)
        (third / "stories" / "w.md").write_text(story("Замечена сразу"), encoding="utf-8")
        qtbot.waitUntil(lambda: "Замечена сразу" in titles(window), timeout=2000)
    finally:
        reloader.stop()
        window.attract.stop()


def test_staff_reload_reads_the_folder_now_even_unchanged(
        qtbot: QtBot, folder: Path, clock: FakeClock) -> None:
    content = load_content(folder, probe_image)
    window = KioskWindow(Theme(1920, 1080), content, clock)
    qtbot.addWidget(window)
    window.show()
    reloader = ContentReloader(folder, content, fingerprint(folder), probe_image)
    reloader.changed.connect(window.update_content)
    window.reload_requested.connect(reloader.reload_now)  # as the app wires it
    window.open_pin_pad()
    window.show_screen(window.staff)  # as after the right PIN
    with qtbot.waitSignal(reloader.changed, timeout=5000):
        window.staff.buttons[StaffAction.RELOAD].click()  # the timer never ran: no look
    assert window.staff.status_label.text().startswith("Материалы перечитаны в ")
    assert window.pending_content is not None  # shown once staff leave
    reloader.stop()
    window.attract.stop()
    window.session_timer.stop()


def test_a_stories_folder_deleted_to_be_copied_again_keeps_its_stories_until_settled(
        qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story("Первая"), "b.md": story()},
                       pages={"01.md": story("Страница")})
    reloader = ContentReloader(root, load_content(root, probe_image), fingerprint(root),
                               probe_image, interval_ms=20, settle=0.2, clock=clock)
    reads: list[object] = []
    reloader.settled.connect(reads.append)
    reloader.start()
    try:
        shutil.rmtree(root / "stories")  # a script's «delete, then copy», stalled between

        def read_once() -> bool:
            clock.advance(0.1)  # the settle time passes on the kiosk's clock, not the test's
            return bool(reads)

        qtbot.waitUntil(read_once, timeout=5000)
        assert [s.id for s in reloader.content.stories] == ["a", "b"]
        assert [p.code for p in reloader.content.problems] == ["folder_gone_kept"]
        clock.advance(GONE_SETTLE)  # nothing came back: it was meant
        qtbot.waitUntil(lambda: not reloader.content.stories, timeout=5000)
        assert [p.id for p in reloader.content.pages] == ["01"]
    finally:
        reloader.stop()
