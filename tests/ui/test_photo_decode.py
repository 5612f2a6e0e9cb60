"""Content photos are decoded off the UI thread (kiosk.ui.photos): a story whose photo is a
phone's 24-megapixel JPEG opens at once with a quiet panel in the photo's place, the photo
fades in when decoded, and is kept decoded (bounded) for the next time; the attract loop
decodes the next slide's picture before it is due."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.core.playlist import SlideKind
from kiosk.ui.attract.screen import PICTURE_LEAD_S
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.photos import PhotoLoader, screen_budget
from kiosk.ui.resources import probe_image, render_image
from kiosk.ui.slide_card import ImageBox
from kiosk.ui.theme import Theme
from tests.helpers import make_folder, story
from tests.ui.conftest import FakeClock
from tests.ui.test_phone_photos import phone_jpeg

SETTINGS = "attract:\n  colouring_invite: false\n  calm_invite: false\n"


def plain_jpeg(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (1600, 1200)
               ) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "JPEG", quality=90)
    return path


@pytest.fixture(scope="module")
def phone_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A phone's 24-megapixel photo (6000×4000), made once for the module."""
    return phone_jpeg(tmp_path_factory.mktemp("phone") / "phone.jpg")


class Decodes:
    """Spies on the loader's decoder: which pictures, and whether on the UI thread."""

    def __init__(self, loader: PhotoLoader) -> None:
        self.calls: list[tuple[Path, QSize, bool]] = []
        real = loader.decode

        def spy(path: Path, box: QSize, fill: bool, ratio: float) -> QImage:
            self.calls.append((path, box, threading.current_thread() is threading.main_thread()))
            return real(path, box, fill, ratio)

        loader.decode = spy

    def of(self, name: str, box: QSize | None = None) -> int:
        """How often `name` was decoded (for `box`: the attract loop decodes it too)."""
        return sum(1 for path, size, _main in self.calls
                   if path.name == name and box in (None, size))

    @property
    def on_ui_thread(self) -> list[Path]:
        return [path for path, _size, main in self.calls if main]


@pytest.fixture
def kiosk(qtbot: QtBot) -> Iterator[Callable[[Content], tuple[KioskWindow, Decodes]]]:
    made: list[KioskWindow] = []

    def make(content: Content) -> tuple[KioskWindow, Decodes]:
        # As `kiosk run` does: the window first, then the content.
        window = KioskWindow(Theme(1920, 1080), Content(content.root / "none"), FakeClock())
        window.decode_photos_in_background()
        assert window.images.photos is not None
        decodes = Decodes(window.images.photos)
        window.set_content(content)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window, decodes

    yield make
    for window in made:
        window.attract.stop()
        window.session_timer.stop()


def open_story(window: KioskWindow, story_id: str) -> ImageBox:
    window.stories.reset()
    window.stories.go([s.id for s in window.stories.visible_stories].index(story_id))
    window.show_screen(window.stories)
    return window.stories.card.image


def photo_shown(box: ImageBox) -> bool:
    return not box.waiting and not box.broken and not box.image.isNull()


def centre_colour(box: ImageBox) -> QColor:
    return box.image.pixelColor(box.image.width() // 2, box.image.height() // 2)


def test_a_24_megapixel_photo_is_decoded_off_the_ui_thread(
        qtbot: QtBot, tmp_path: Path, phone_photo: Path,
        kiosk: Callable[[Content], tuple[KioskWindow, Decodes]]) -> None:
    root = make_folder(tmp_path / "c", stories={"phone.md": story(photo="images/phone.jpg")},
                       settings=SETTINGS)
    (root / "images").mkdir()
    os.link(phone_photo, root / "images" / "phone.jpg")
    window, decodes = kiosk(load_content(root, probe_image))
    box = open_story(window, "phone")
    # Back to the event loop before the photo is decoded: the quiet panel is in its place.
    assert box.waiting and box.image.isNull()
    panel = window.stories.grab().toImage()
    spot = box.mapTo(window.stories, box.drawn_rect().center())
    assert panel.pixelColor(spot) == QColor(window.theme.colours.panel)
    qtbot.waitUntil(lambda: photo_shown(box), timeout=20_000)
    assert decodes.of("phone.jpg", box.size()) == 1
    assert decodes.on_ui_thread == []
    # Decoded already fitted to its box, never the 24 MP.
    assert max(box.image.width(), box.image.height()) <= max(box.width(), box.height())
    assert box.image.width() / box.image.height() == pytest.approx(1.5, rel=0.01)


def test_a_photo_shown_before_is_shown_at_once_from_the_cache(
        qtbot: QtBot, tmp_path: Path,
        kiosk: Callable[[Content], tuple[KioskWindow, Decodes]]) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story(photo="images/a.jpg"),
                                                "b.md": story(title="Другая")},
                       settings=SETTINGS)
    plain_jpeg(root / "images" / "a.jpg", (200, 40, 40))
    window, decodes = kiosk(load_content(root, probe_image))
    box = open_story(window, "a")
    qtbot.waitUntil(lambda: photo_shown(box), timeout=10_000)
    window.show_screen(window.menu)
    open_story(window, "b")
    window.go_to_attract()  # the visitor has gone; the next one opens the same story
    box = open_story(window, "a")
    assert photo_shown(box)  # no panel, no wait: decoded once
    assert centre_colour(box).red() > 150
    assert decodes.of("a.jpg", box.size()) == 1


def test_a_photo_replaced_on_disk_is_decoded_again(
        qtbot: QtBot, tmp_path: Path,
        kiosk: Callable[[Content], tuple[KioskWindow, Decodes]]) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story(photo="images/a.jpg")},
                       settings=SETTINGS)
    photo = plain_jpeg(root / "images" / "a.jpg", (200, 40, 40))
    window, decodes = kiosk(load_content(root, probe_image))
    box = open_story(window, "a")
    qtbot.waitUntil(lambda: photo_shown(box), timeout=10_000)
    assert centre_colour(box).red() > 150
    window.show_screen(window.menu)
    # Published anew under the same name (a new file renamed over it, as the editor does).
    plain_jpeg(tmp_path / "new.jpg", (30, 60, 210)).replace(photo)
    box = open_story(window, "a")
    assert box.waiting
    qtbot.waitUntil(lambda: photo_shown(box), timeout=10_000)
    assert centre_colour(box).blue() > 150
    assert decodes.of("a.jpg", box.size()) == 2


@pytest.mark.qt_log_ignore("JPEG|jpeg")  # libjpeg says what it found, in the worker thread
def test_a_broken_photo_shows_the_placeholder_and_is_logged_once(
        qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        kiosk: Callable[[Content], tuple[KioskWindow, Decodes]]) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story(photo="images/a.jpg")},
                       settings=SETTINGS)
    photo = plain_jpeg(root / "images" / "a.jpg", (200, 40, 40))
    content = load_content(root, probe_image)
    # Damaged after the check (a copy cut short): the kiosk finds out when it decodes it.
    photo.write_bytes(photo.read_bytes()[:300])
    window, decodes = kiosk(content)
    with caplog.at_level(logging.WARNING):
        box = open_story(window, "a")
        qtbot.waitUntil(lambda: not box.waiting, timeout=10_000)
        assert box.broken
        window.show_screen(window.menu)
        box = open_story(window, "a")
        assert box.broken and not box.waiting
    # The story's placeholder: the section's pictogram on the section's colour.
    assert not box.image.isNull()
    grab = window.stories.grab().toImage()
    corner = box.mapTo(window.stories, box.drawn_rect().topLeft()) + box.rect().topLeft()
    assert grab.pixelColor(corner.x() + 40, corner.y() + 40) == box.panel()
    said = [r for r in caplog.records if r.levelno >= logging.WARNING and "a.jpg" in
            r.getMessage()]
    assert len(said) == 1, [r.getMessage() for r in said]
    assert decodes.of("a.jpg") == 1  # a file that cannot be decoded is not tried at each size


def two_slides(folder: Path) -> Path:
    """A content folder of two stories, each with a photo of its own colour."""
    root = make_folder(folder, settings=SETTINGS + "  anniversary: false\n",
                       stories={"a.md": story(title="Первая", photo="images/a.jpg"),
                                "b.md": story(title="Вторая", photo="images/b.jpg")})
    plain_jpeg(root / "images" / "a.jpg", (200, 40, 40))
    plain_jpeg(root / "images" / "b.jpg", (30, 60, 210))
    return root


def near_the_next_slide(window: KioskWindow) -> None:
    """The screen's clock moves to PICTURE_LEAD_S before the next slide is due, and the
    timer that asks for its pictures fires (as it would then)."""
    attract = window.attract
    assert isinstance(window.clock, FakeClock) and attract.playlist is not None
    assert attract.picture_timer.isActive()
    window.clock.advance(attract.playlist.remaining(window.clock()) - PICTURE_LEAD_S)
    attract.picture_timer.timeout.emit()


def test_the_attract_loop_decodes_the_next_slides_picture_shortly_before_it_is_due(
        qtbot: QtBot, tmp_path: Path,
        kiosk: Callable[[Content], tuple[KioskWindow, Decodes]]) -> None:
    root = two_slides(tmp_path / "c")
    window, decodes = kiosk(load_content(root, probe_image))
    attract, photos = window.attract, window.images.photos
    assert photos is not None and attract.playlist is not None and attract.content is not None
    assert [s.kind for s in attract.playlist.slides] == [SlideKind.STORY, SlideKind.STORY]
    # The first slide: its panel, then its photo faded in.
    qtbot.waitUntil(lambda: attract._due is None and not attract.stage.in_transition,
                    timeout=10_000)
    assert isinstance(window.clock, FakeClock)
    # The next one's is not decoded yet (6.6 MB for a full-screen poster, for most of the
    # slide): it is asked PICTURE_LEAD_S before the slide is due, the timer set for then.
    remaining = attract.playlist.remaining(window.clock())
    assert remaining > PICTURE_LEAD_S + 1
    assert attract.picture_timer.isActive()
    assert abs(attract.picture_timer.interval() - (remaining - PICTURE_LEAD_S) * 1000) < 300
    following = attract.playlist.slides[1]
    [(path, box, fill)] = attract.painter.picture_boxes(following, attract.content, attract.lang,
                                                        attract.stage.size())
    key = photos.key(path, box, 1.0, fill)
    window.clock.advance(remaining - PICTURE_LEAD_S - 1)
    attract.picture_timer.timeout.emit()  # early by the clock: it waits on
    assert not photos.pending(key) and photos.cached(key) is None
    assert attract.picture_timer.isActive() and decodes.of("b.jpg") == 0
    near_the_next_slide(window)
    assert photos.pending(key)
    qtbot.waitUntil(lambda: photos.cached(key) is not None, timeout=10_000)
    # The slide is due: it is painted at once, its transition waits for nothing.
    assert isinstance(window.clock, FakeClock)
    window.clock.advance(attract.playlist.remaining(window.clock()) + 0.1)
    attract._next_slide()
    assert attract.playlist.current is following
    assert attract._due is None and not attract.painter.waiting
    assert attract.stage.in_transition
    assert decodes.of("b.jpg") == 1 and decodes.on_ui_thread == []


def test_the_cache_is_bounded_by_bytes(qtbot: QtBot, tmp_path: Path) -> None:
    budget = screen_budget(QSize(400, 300), screens=3)
    loader = PhotoLoader(budget)
    keys = []
    for n in range(8):
        path = plain_jpeg(tmp_path / f"{n}.jpg", (n * 30, 80, 80), (800, 600))
        keys.append(loader.key(path, QSize(400, 300)))
        loader.request(keys[-1])
        qtbot.waitUntil(lambda: not loader.pending(keys[-1]), timeout=10_000)
    assert loader.size_in_bytes <= budget
    assert loader.cached(keys[-1]) is not None  # the newest kept, the oldest gone
    assert loader.cached(keys[0]) is None
    assert render_image(keys[-1].path, QSize(400, 300)).sizeInBytes() * 3 <= budget
    loader.deleteLater()


def test_a_slide_whose_picture_is_not_decoded_yet_waits_with_the_one_before_on_show(
        qtbot: QtBot, tmp_path: Path,
        kiosk: Callable[[Content], tuple[KioskWindow, Decodes]]) -> None:
    root = two_slides(tmp_path / "c")
    window, decodes = kiosk(load_content(root, probe_image))
    attract, photos = window.attract, window.images.photos
    assert photos is not None and attract.playlist is not None
    qtbot.waitUntil(lambda: attract._due is None and not attract.stage.in_transition,
                    timeout=10_000)
    near_the_next_slide(window)
    qtbot.waitUntil(lambda: decodes.of("b.jpg") == 1, timeout=10_000)
    first, following = attract.playlist.slides
    shown = attract.stage.current.toImage()
    # Replaced on disk since it was decoded ahead: its turn comes before the new one is.
    plain_jpeg(tmp_path / "new.jpg", (30, 200, 60)).replace(root / "images" / "b.jpg")
    assert isinstance(window.clock, FakeClock)
    window.clock.advance(attract.playlist.remaining(window.clock()) + 0.1)
    attract._next_slide()
    # Nothing waited on this thread: the slide before stays, a tap opens what it shows.
    assert attract._due == (following.key, False)
    assert attract.stage.current.toImage() == shown and not attract.stage.in_transition
    assert attract.current_slide is first
    qtbot.waitUntil(lambda: attract._due is None, timeout=10_000)
    assert attract.current_slide is following and attract.stage.in_transition
    assert decodes.of("b.jpg") == 2 and decodes.on_ui_thread == []
