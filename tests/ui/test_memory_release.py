"""Memory comes back down when the visitor leaves (bench/memory.py measures how much): of the
photos decoded for the stories they read only the last is kept (the next visitor may open the
same story: tests/ui/test_photo_decode.py); the attract loop still shows its next slide at
once, its picture decoded again before it is due."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.playlist import Slide
from kiosk.core.service import heap
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.photos import PhotoKey
from kiosk.ui.resources import probe_image
from tests.ui.conftest import FakeClock
from tests.ui.test_photo_decode import (
    Decodes,
    kiosk,
    near_the_next_slide,
    open_story,
    photo_shown,
    two_slides,
)

__all__ = ["kiosk"]  # the fixture, imported for pytest


def the_next_slides_picture_decoded(qtbot: QtBot, window: KioskWindow
                                    ) -> tuple[Slide, Slide, Path, QSize, PhotoKey]:
    """The loop's two slides, the second's picture (its file, box and cache key), once that
    picture is decoded ahead of its slide."""
    attract, photos = window.attract, window.images.photos
    assert photos is not None and attract.playlist is not None and attract.content is not None
    first, following = attract.playlist.slides
    [(path, box, fill)] = attract.painter.picture_boxes(following, attract.content, attract.lang,
                                                        attract.stage.size())
    key = photos.key(path, box, 1.0, fill)
    qtbot.waitUntil(lambda: attract._due is None and not attract.stage.in_transition,
                    timeout=10_000)
    near_the_next_slide(window)
    qtbot.waitUntil(lambda: photos.cached(key) is not None, timeout=10_000)
    return first, following, path, box, key


def test_a_visitors_older_photos_are_dropped_and_the_next_slide_still_shows_at_once(
        qtbot: QtBot, tmp_path: Path,
        kiosk: Callable[..., tuple[KioskWindow, Decodes]]) -> None:
    root = two_slides(tmp_path / "c")
    window, decodes = kiosk(load_content(root, probe_image))
    first, following, path, box, next_key = the_next_slides_picture_decoded(qtbot, window)
    attract, photos = window.attract, window.images.photos
    assert photos is not None and attract.playlist is not None

    # A visitor reads both stories: their photos, at the card's size, are decoded and kept.
    for story_id in (first.item_id, following.item_id):
        card = open_story(window, story_id)
        qtbot.waitUntil(lambda card=card: photo_shown(card), timeout=10_000)  # type: ignore[misc]
    card_keys = [photos.key(root / "images" / name, card.size()) for name in ("a.jpg", "b.jpg")]
    assert all(photos.cached(key) is not None for key in card_keys)
    one_photo = card.image.sizeInBytes()
    decoded_before = decodes.of(path.name, box)

    window.go_to_attract()
    # Only the photo read last is kept; the loop is back on the slide it showed.
    assert photos.cached(card_keys[0]) is None and photos.cached(card_keys[1]) is not None
    assert photos.size_in_bytes <= one_photo
    assert attract.playlist.current == first
    # The next slide's picture is decoded again, off the UI thread, shortly before it is
    # due (the slide on show starts its time again) ...
    assert photos.cached(next_key) is None and not photos.pending(next_key)
    near_the_next_slide(window)
    qtbot.waitUntil(lambda: photos.cached(next_key) is not None, timeout=10_000)
    assert decodes.of(path.name, box) == decoded_before + 1 and decodes.on_ui_thread == []
    # ... so when it is due it is painted at once: its transition waits for nothing.
    assert isinstance(window.clock, FakeClock)
    window.clock.advance(attract.playlist.remaining(window.clock()) + 0.1)
    attract._next_slide()
    assert attract.playlist.current == following
    assert attract._due is None and attract.stage.in_transition


def test_a_slides_picture_is_handed_back_to_the_system_once_its_transition_is_over(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        kiosk: Callable[..., tuple[KioskWindow, Decodes]]) -> None:
    # Decoded in a worker thread's malloc arena, a freed picture stays with the process until
    # it is trimmed: ~2–4 MB for most of every slide after a minute of cycling.
    root = two_slides(tmp_path / "c")
    window, _ = kiosk(load_content(root, probe_image))
    _, following, _, _, key = the_next_slides_picture_decoded(qtbot, window)
    attract, photos = window.attract, window.images.photos
    assert photos is not None and attract.playlist is not None
    released: list[tuple[bool, bool, bool]] = []  # (picture let go, old slide's too, still fading)
    monkeypatch.setattr(heap, "release_freed_memory", lambda: released.append(
        (photos.cached(key) is None, attract.stage.previous.isNull(),
         attract.stage.in_transition)))

    assert isinstance(window.clock, FakeClock)
    window.clock.advance(attract.playlist.remaining(window.clock()) + 0.1)
    attract._next_slide()
    assert attract.playlist.current == following and attract.stage.in_transition
    assert released == []  # not while the slides crossfade
    qtbot.waitUntil(lambda: not attract.stage.in_transition, timeout=10_000)
    # Once the new slide shows alone, both pictures are gone, and their memory goes back.
    assert released == [(True, True, False)]
