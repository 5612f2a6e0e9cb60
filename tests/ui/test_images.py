"""Decoding staff's photos: what a screen would show wrongly is caught before it is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from kiosk.ui.resources import probe_image, render_image
from tests.helpers import cmyk_jpeg


def _jpeg(path: Path, width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    assert image.save(str(path), quality=90)  # the format from the suffix
    return path.read_bytes()


def test_a_whole_photo_passes(tmp_path: Path) -> None:
    _jpeg(tmp_path / "photo.jpg", 1200, 800)
    assert probe_image(tmp_path / "photo.jpg").problem == ""


def test_a_photo_cut_short_while_copying_is_refused(tmp_path: Path) -> None:
    # Qt would show it with its lower part grey and say so only in a log line.
    data = _jpeg(tmp_path / "whole.jpg", 1200, 800)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) * 2 // 3])
    check = probe_image(cut)
    assert check.problem == "image_damaged"
    assert not check.ok


def test_a_small_photo_is_reported_by_its_real_size(tmp_path: Path) -> None:
    # Decoded at an eighth of its size to save time; the message gives the file's own size.
    _jpeg(tmp_path / "small.jpg", 320, 240)
    check = probe_image(tmp_path / "small.jpg")
    assert (check.problem, check.detail, check.ok) == ("image_too_small", "320×240", True)


def test_a_print_shops_cmyk_jpeg_shows_its_colours_marked_by_adobe_or_not(
        tmp_path: Path) -> None:
    """Qt reads every CMYK JPEG as Adobe's programs write it, inverted: one stored as the
    standard has it (no Adobe segment) was shown all black, and kiosk check said nothing."""
    red = (200, 30, 40)
    for adobe in (True, False):
        path = tmp_path / f"poster-{adobe}.jpg"
        path.write_bytes(cmyk_jpeg(red, adobe))
        assert probe_image(path).problem == ""
        shown = render_image(path, QSize(320, 240)).pixelColor(160, 120)
        assert (shown.red(), shown.green(), shown.blue()) == pytest.approx(red, abs=12), adobe
