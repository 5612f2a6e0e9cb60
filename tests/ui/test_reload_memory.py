"""A read of the folder hands what it made and dropped back to the system from its worker
thread (37,000 stories: the whole index read as a dict, ~8 MB), never on the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.reload import fingerprint
from kiosk.core.service import heap
from kiosk.ui.resources import probe_image
from kiosk.ui.service.reloader import ContentReloader
from tests.helpers import make_folder, story


def test_a_read_gives_freed_memory_back_in_its_worker(qtbot: QtBot, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_folder(tmp_path / "content", stories={"a.md": story("Первая история")})
    trimmed: list[threading.Thread] = []
    monkeypatch.setattr(heap, "release_freed_memory",
                        lambda: trimmed.append(threading.current_thread()))
    content = load_content(folder, probe_image)
    reloader = ContentReloader(folder, content, fingerprint(folder), probe_image,
                               interval_ms=50, settle=0.2)
    shown: list[object] = []
    reloader.changed.connect(shown.append)
    reloader.start()
    try:
        (folder / "stories" / "b.md").write_text(story("Вторая история"), encoding="utf-8")
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    finally:
        reloader.stop()
    assert trimmed
    assert all(thread is not threading.main_thread() for thread in trimmed)
