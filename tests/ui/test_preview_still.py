"""`kiosk preview` (and the hi-DPI test's walk) puts up the attract screen again for the queue's
shots long after the walk began: its loop must not have moved on meanwhile, else the shots
show whichever slide the wall clock reached, or a transition half done, on a busy computer."""

from __future__ import annotations

import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.ui.preview import preview_window
from kiosk.ui.resources import probe_image
from tests.helpers import copy_bundled
from tests.ui.conftest import SIZES


def test_the_attract_loop_of_a_preview_stands_still_however_long_the_walk_takes(
        qtbot: QtBot, tmp_path: Path) -> None:
    content = load_content(copy_bundled(tmp_path), probe_image)
    window = preview_window(content, SIZES["landscape"])
    qtbot.addWidget(window)
    attract = window.attract
    assert attract.playlist is not None
    first = attract.playlist.current
    left = attract.playlist.remaining(attract.clock())
    began = time.monotonic()
    qtbot.waitUntil(lambda: time.monotonic() > began + 0.05)  # the walk takes its time
    assert attract.playlist.remaining(attract.clock()) == left > 0
    attract.slide_timer.timeout.emit()  # the slide timer comes due: nothing moves on
    assert attract.playlist.current is first
    window.allow_close = True
    window.close()
