"""The attract loop's pictures (kiosk.ui.attract.screen with kiosk.ui.photos): the first slide
of content appears whole, its picture in it, without a fade; a picture slower than
FIRST_PICTURE_WAIT_MS never holds the start; a slide's decoded pictures are let go once it is
painted, and painted again in another language it waits for them on show."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QColor, QImage, QPixmap
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Language
from kiosk.core.playlist import Slide, SlideKind
from kiosk.ui.attract.poster import PosterPainter, poster_frame
from kiosk.ui.attract.screen import FIRST_PICTURE_WAIT_MS, AttractScreen
from kiosk.ui.hidpi import ratio_of
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.photos import PHOTO_FADE_MS, PhotoLoader
from kiosk.ui.resources import probe_image, render_image
from kiosk.ui.theme import Theme
from tests.helpers import BUNDLED
from tests.ui.conftest import FakeClock
from tests.ui.test_photo_decode import Decodes, two_slides

Shown = list[tuple[QImage, bool, int]]


@pytest.fixture(params=[(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def started(request: pytest.FixtureRequest, qtbot: QtBot, tmp_path: Path
            ) -> Iterator[tuple[KioskWindow, Decodes, Shown, Content]]:
    """As `kiosk run` starts: the window on screen with the neutral screen, then the
    content. Every pixmap the stage is given afterwards is recorded (image, animated, ms)."""
    width, height = request.param
    content = load_content(two_slides(tmp_path / "c"), probe_image)
    window = KioskWindow(Theme(width, height), Content(tmp_path / "none"), FakeClock())
    window.decode_photos_in_background()
    assert window.images.photos is not None
    decodes = Decodes(window.images.photos)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    stage = window.attract.stage
    assert not stage.current.isNull()  # the neutral screen
    shown: Shown = []
    real = stage.show_pixmap

    def record(pixmap: QPixmap, animate: bool, duration_ms: int) -> None:
        shown.append((pixmap.toImage(), animate, duration_ms))
        real(pixmap, animate, duration_ms)

    stage.show_pixmap = record  # type: ignore[method-assign]
    yield window, decodes, shown, content
    window.attract.stop()
    window.session_timer.stop()


def picture_spot(attract: AttractScreen) -> QPoint:
    """The middle of the story slide's picture on the stage."""
    return poster_frame(attract.theme, attract.stage.size()).picture.center().toPoint()


def is_red(colour: QColor) -> bool:  # a.jpg, the first slide's photo
    return colour.red() > 150 and colour.green() < 90 and colour.blue() < 90


def hold_decodes(photos: PhotoLoader) -> threading.Event:
    """The loader's decodes wait until the returned event is set (a phone's 24-megapixel
    photo on a slow machine)."""
    release = threading.Event()
    decode = photos.decode

    def slow(path: Path, box: QSize, fill: bool, ratio: float) -> QImage:
        release.wait(20)
        return decode(path, box, fill, ratio)

    photos.decode = slow
    return release


def test_the_first_slide_shows_with_its_picture_at_once_without_a_fade(
        qtbot: QtBot, started: tuple[KioskWindow, Decodes, Shown, Content]) -> None:
    window, decodes, shown, content = started
    attract = window.attract
    neutral = attract.stage.current.toImage()
    window.set_content(content)
    # Its picture is being decoded: the neutral screen stays, no slide of panels is painted.
    assert attract._holding and attract.hold_timer.isActive()
    assert attract.hold_timer.interval() == FIRST_PICTURE_WAIT_MS
    assert shown == [] and attract.stage.current.toImage() == neutral
    assert not attract.pictures_shown
    qtbot.waitUntil(lambda: attract.pictures_shown, timeout=10_000)
    # One pixmap, its picture in it, put on the stage at once: no fade of the picture.
    [(image, animate, _ms)] = shown
    assert not animate and not attract.stage.in_transition
    assert is_red(image.pixelColor(picture_spot(attract)))
    assert not attract.hold_timer.isActive()
    assert decodes.of("a.jpg") == 1 and decodes.on_ui_thread == []
    # Its time starts when it shows.
    assert isinstance(window.clock, FakeClock) and attract.playlist is not None
    assert attract.playlist.shown_at == window.clock()


def test_the_first_slides_words_are_rendered_while_its_picture_is_decoded(
        qtbot: QtBot, started: tuple[KioskWindow, Decodes, Shown, Content]) -> None:
    """The UI thread renders the slide's words while the worker decodes its picture (it
    would wait idle), and paints the picture in when it comes: the same pixels as the slide
    rendered whole, sooner."""
    window, _decodes, shown, content = started
    attract, photos = window.attract, window.images.photos
    assert photos is not None
    release = hold_decodes(photos)
    renders: list[str] = []
    render = attract.painter.render

    def counted(*args: Any, **kwargs: Any) -> QPixmap:
        renders.append("render")
        return render(*args, **kwargs)

    attract.painter.render = counted  # type: ignore[method-assign]
    try:
        window.set_content(content)
        qtbot.waitUntil(lambda: renders == ["render"], timeout=10_000)
        assert attract._holding and shown == []  # the neutral screen stays meanwhile
    finally:
        release.set()
    qtbot.waitUntil(lambda: attract.pictures_shown, timeout=10_000)
    assert renders == ["render"]  # not rendered again when the picture came
    [(image, animate, _ms)] = shown
    assert not animate
    # Exactly the slide rendered whole with its picture (decoded here, as previews do).
    assert attract.playlist is not None
    attract.painter.pictures = None
    whole = render(attract.playlist.current, content, attract.lang, attract.stage.size(),
                   ratio_of(attract.stage)).toImage()
    assert is_red(image.pixelColor(picture_spot(attract)))
    assert image == whole
    assert attract._around is None  # the pixmap rendered around it is the stage's now


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
@pytest.mark.parametrize("ratio", [1.0, 1.5])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_slide_rendered_around_its_picture_is_the_slide_rendered_whole(
        qtbot: QtBot, size: tuple[int, int], ratio: float, lang: Language) -> None:
    """The bundled invitation to colour (a real picture, placed at fractional pixels) and a
    story: painted in afterwards, the picture gives the very pixels it gives painted first.
    A staff poster's picture lies under everything: it is never left out."""
    content = load_content(BUNDLED, probe_image)
    painter = PosterPainter(Theme(*size))
    stage = QSize(*size)
    slides = [Slide(SlideKind.COLOURING, "", 10), Slide(SlideKind.STORY, content.stories[0].id, 10)]
    for slide in slides:
        whole = painter.render(slide, content, lang, stage, ratio).toImage()
        around = painter.render_around_pictures(slide, content, lang, stage, ratio)
        assert around is not None
        pixmap, left_out = around
        assert len(left_out) == 1
        painter.paint_pictures(pixmap, [(place, render_image(place.path, place.size,
                                                             ratio=place.ratio))
                                        for place in left_out])
        assert pixmap.toImage() == whole, slide.key
    poster = Slide(SlideKind.POSTER, content.posters[0].id, 10)
    assert painter.render_around_pictures(poster, content, lang, stage, ratio) is None


def test_a_slow_first_picture_never_holds_the_start(
        qtbot: QtBot, started: tuple[KioskWindow, Decodes, Shown, Content]) -> None:
    window, _decodes, shown, content = started
    attract, photos = window.attract, window.images.photos
    assert photos is not None
    release = hold_decodes(photos)
    try:
        window.set_content(content)
        assert attract._holding and shown == []
        attract.hold_timer.timeout.emit()  # FIRST_PICTURE_WAIT_MS have passed
        # The slide shows, a quiet panel in the picture's place ...
        [(image, animate, _ms)] = shown
        assert not animate and not attract._holding
        panel = image.pixelColor(picture_spot(attract))
        assert panel == QColor(attract.theme.colours.panel)
        assert not attract.pictures_shown
    finally:
        release.set()
    # ... and the picture fades in over it when it comes, as on any slide.
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    image, animate, duration = shown[1]
    assert animate and duration == PHOTO_FADE_MS
    assert is_red(image.pixelColor(picture_spot(attract)))
    qtbot.waitUntil(lambda: attract.pictures_shown, timeout=10_000)


def test_a_slides_pictures_are_let_go_once_painted(
        qtbot: QtBot, started: tuple[KioskWindow, Decodes, Shown, Content]) -> None:
    window, decodes, shown, content = started
    attract, photos = window.attract, window.images.photos
    assert photos is not None and attract.playlist is not None
    window.set_content(content)
    qtbot.waitUntil(lambda: attract.pictures_shown, timeout=10_000)
    # The photo is in the stage's pixmap only: neither the loader nor the screen keeps it
    # decoded (a full-screen poster would be 6.6 MB more for the whole slide).
    assert photos.size_in_bytes == 0
    kept = [name for name, value in vars(attract).items()
            if isinstance(value, QImage)
            or (isinstance(value, dict) and any(isinstance(v, QImage) for v in value.values()))]
    assert kept == []
    # A visitor chooses English behind the loop's back: nothing is painted for it then ...
    window.show_screen(window.menu)
    window.set_language("en")
    assert len(shown) == 1 and decodes.of("a.jpg") == 1
    # ... and back in Russian when they leave, the slide is as it was: nothing to decode.
    window.go_to_attract()
    assert len(shown) == 1 and decodes.of("a.jpg") == 1 and attract._due is None
    # Painted again in another language on show: the slide stays whole on show while its
    # picture is decoded again, then the new one takes its place at once, the picture in it.
    window.set_language("en")
    assert attract._holding and len(shown) == 1
    qtbot.waitUntil(lambda: attract.pictures_shown, timeout=10_000)
    assert len(shown) == 2 and not shown[1][1]
    assert is_red(shown[1][0].pixelColor(picture_spot(attract)))
    assert decodes.of("a.jpg") == 2 and decodes.on_ui_thread == []
    assert attract._shown is not None and attract._shown[1] == "en"
