"""The content folder's watcher (kiosk.ui.service.watcher): woken by changes, not by reads."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.ui.service.watcher import FolderWatcher


def test_reading_the_folder_does_not_wake_the_watcher_and_a_change_does(
        qtbot: QtBot, tmp_path: Path) -> None:
    """The kiosk reads every file of its content at each load (37,000 stories: an open and a
    close each): the watcher's thread hears only what changes the folder, so a write after
    hundreds of reads is the one event it handles."""
    folder = tmp_path / "content"
    (folder / "stories").mkdir(parents=True)
    files = [folder / "stories" / f"{n:03}.md" for n in range(100)]
    for path in files:
        path.write_text("# История\n\nТекст.\n", encoding="utf-8")
    watcher = FolderWatcher(folder)
    assert watcher.start()
    try:
        with qtbot.waitSignal(watcher.nudged, timeout=5000):  # the watch is in place
            (folder / "stories" / "first.md").write_text("# Первая\n", encoding="utf-8")
        qtbot.waitUntil(lambda: watcher.events_handled > 0)
        handled = watcher.events_handled
        for _ in range(3):
            for path in files:
                path.read_bytes()
        with qtbot.waitSignal(watcher.nudged, timeout=5000):
            (folder / "stories" / "new.md").write_text("# Новая\n", encoding="utf-8")
        # Inotify reports in order: every read came before the write and has been handled.
        assert watcher.events_handled - handled <= 10
    finally:
        watcher.stop()
