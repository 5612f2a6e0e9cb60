"""What a visitor's stories and colouring leave in memory (bench/memory.py measures how much):
while reading, only the photos near the story on show stay decoded; once they have gone, the
stories card holds no photo and nothing is decoded for nobody; the colouring page holds its
picture's line layer at one byte a pixel and gives the preparation's scratch memory back; the
picker colours each picture in once, at the size it is shown."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import probe_image
from kiosk.ui.stories import PHOTOS_KEPT
from tests.helpers import make_folder, story
from tests.ui.test_colouring_screen import open_first_picture
from tests.ui.test_photo_decode import (
    SETTINGS,
    Decodes,
    kiosk,
    photo_shown,
    plain_jpeg,
)

__all__ = ["kiosk"]  # the fixture, imported for pytest

STORIES = 6


def six_stories(root: Path) -> Path:
    make_folder(root, stories={f"s{i}.md": story(title=f"История {i}", photo=f"images/{i}.jpg")
                               for i in range(STORIES)}, settings=SETTINGS)
    for i in range(STORIES):
        plain_jpeg(root / "images" / f"{i}.jpg", (40 * i, 200 - 30 * i, 90))
    return root


def read_every_story(qtbot: QtBot, window: KioskWindow) -> None:
    stories = window.stories
    stories.reset()
    window.show_screen(stories)
    for index in range(STORIES):
        stories.go(index)
        qtbot.waitUntil(lambda: photo_shown(stories.card.image), timeout=10_000)


def test_only_the_photos_near_the_story_on_show_stay_decoded(
        qtbot: QtBot, tmp_path: Path,
        kiosk: Callable[..., tuple[KioskWindow, Decodes]]) -> None:
    window, decodes = kiosk(load_content(six_stories(tmp_path / "c"), probe_image))
    photos = window.images.photos
    assert photos is not None
    read_every_story(qtbot, window)
    one_photo = window.stories.card.image.image.sizeInBytes()
    # The one on show, the one or two before it, the next decoded ahead: not all six.
    assert photos.size_in_bytes <= (PHOTOS_KEPT + 1) * one_photo
    # Going back a story still shows its photo at once, decoded once.
    before = decodes.of(f"{STORIES - 2}.jpg")
    window.stories.go(STORIES - 2)
    assert photo_shown(window.stories.card.image)
    assert decodes.of(f"{STORIES - 2}.jpg") == before


def test_a_visitor_who_leaves_the_stories_leaves_no_photo_behind(
        qtbot: QtBot, tmp_path: Path,
        kiosk: Callable[..., tuple[KioskWindow, Decodes]]) -> None:
    window, decodes = kiosk(load_content(six_stories(tmp_path / "c"), probe_image))
    read_every_story(qtbot, window)
    box = window.stories.card.image
    card_size = box.size()
    decoded = len(decodes.calls)
    window.go_to_attract()  # from the stories screen, as the idle time does
    QThreadPool.globalInstance().waitForDone()
    qtbot.waitUntil(lambda: not window.stories.isVisible())
    # The card no longer holds the photo read last, and the first story's photo and the
    # next one's were not decoded for a visitor who has gone.
    assert box.image.isNull()
    assert [path.name for path, size, _main in decodes.calls[decoded:]
            if size == card_size] == []
    # The next visitor still sees the first story with its photo.
    window.stories.reset()
    window.show_screen(window.stories)
    qtbot.waitUntil(lambda: photo_shown(box), timeout=10_000)
    assert box.path is not None and box.path.name == "0.jpg"


def test_the_open_page_draws_its_lines_from_one_byte_a_pixel(
        qtbot: QtBot, window: KioskWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.core.service import heap

    handed_back: list[bool] = []  # for each call: on the UI thread?
    monkeypatch.setattr(heap, "release_freed_memory", lambda: handed_back.append(
        threading.current_thread() is threading.main_thread()))
    screen = open_first_picture(qtbot, window)
    assert screen.canvas is not None
    width, height = screen.canvas.picture.size
    lines = screen.view._lines_image
    assert lines.format() == QImage.Format.Format_Alpha8
    assert lines.sizeInBytes() == width * height
    # The preparation's scratch memory was handed back, off the UI thread.
    assert handed_back == [False]


def test_the_open_page_holds_a_childs_drawing_once(
        qtbot: QtBot, window: KioskWindow) -> None:
    """What the page holds for a child's drawing, through a fill, a brush stroke and
    «Готово»: the paint (4 bytes a pixel), the line art (1) and which shape each pixel belongs
    to (1), and little else (bench/memory.py: the colouring page's PSS). The celebration
    shows the canvas itself, not a copy of it."""
    import tracemalloc

    import numpy as np
    from PySide6.QtCore import Qt

    from kiosk.core.colouring.engine import MASK_BYTES
    from kiosk.ui.colouring.screen import Tool
    from tests.ui.test_colouring_screen import inside_of_big_region, widget_point

    def numpy_bytes() -> int:  # the arrays alive that were made since tracing began
        only_numpy = tracemalloc.DomainFilter(True, np.lib.tracemalloc_domain)
        return sum(trace.size for trace in
                   tracemalloc.take_snapshot().filter_traces([only_numpy]).traces)

    tracemalloc.start()
    try:
        screen = open_first_picture(qtbot, window)
        QThreadPool.globalInstance().waitForDone()  # the picker's previews: not arrays kept
        canvas = screen.canvas
        assert canvas is not None
        width, height = canvas.picture.size
        x, y, _ = inside_of_big_region(screen)
        qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
        screen.choose_tool(Tool.BRUSH, "large")
        qtbot.mousePress(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
        for step in range(1, 6):
            qtbot.mouseMove(screen.view, widget_point(screen, x + 8 * step, y + 5 * step))
        room = 6 * width * height + MASK_BYTES  # the paint, the line art, the shapes' map
        during_stroke = numpy_bytes()
        qtbot.mouseRelease(screen.view, Qt.MouseButton.LeftButton,
                           pos=widget_point(screen, x + 40, y + 25))
        qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)
        assert screen.celebration.isVisible()
        after = numpy_bytes()
        history = sum(change.nbytes for change in canvas.history)
    finally:
        tracemalloc.stop()
    # A stroke keeps what it covers, not a copy of the whole canvas (4 more bytes a pixel).
    assert during_stroke <= room + width * height // 2
    assert after <= room + history + 64 * 1024
    # «Готово» draws the canvas's own pixels: no composite kept beside them.
    shown = np.frombuffer(screen.celebration.picture.constBits(), dtype=np.uint8)
    assert shown.ctypes.data == canvas.paint.ctypes.data


def test_the_picker_colours_each_picture_in_once(
        qtbot: QtBot, window: KioskWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.ui.colouring.coloured_preview as previews

    asked: list[str] = []
    real = previews.coloured_preview

    def counted(path: Path, *args: object, **options: bool) -> QImage:
        asked.append(path.name)
        return real(path, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(previews, "coloured_preview", counted)
    window.show_screen(window.picker)
    thumbnails = window.picker.thumbnails
    qtbot.waitUntil(lambda: all(t.coloured for t in thumbnails), timeout=20_000)
    QThreadPool.globalInstance().waitForDone()
    # One preview a card, at the size it is shown: none for a size the grid passed through.
    assert sorted(asked) == sorted(t.picture.source.name for t in thumbnails)


def test_stories_reset_while_on_show_still_show_the_first_story(
        qtbot: QtBot, tmp_path: Path,
        kiosk: Callable[..., tuple[KioskWindow, Decodes]]) -> None:
    window, _decodes = kiosk(load_content(six_stories(tmp_path / "c"), probe_image))
    read_every_story(qtbot, window)
    box = window.stories.card.image
    window.stories.reset()  # and nothing else comes over it
    qtbot.waitUntil(lambda: photo_shown(box) and box.path is not None
                    and box.path.name == "0.jpg", timeout=10_000)
