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


def test_a_cmyk_jpeg_with_adobes_segment_after_its_frame_header_keeps_its_colours(
        tmp_path: Path) -> None:
    """Adobe's segment may stand anywhere before the scan; libjpeg and Pillow (the editor's
    preview) read it there: the kiosk took such a poster for an unmarked one and showed it
    as its opposite, cyan for red."""
    red = (200, 30, 40)
    data = cmyk_jpeg(red, adobe=True)
    segments, position = [], 2
    while data[position + 1] != 0xDA:
        length = int.from_bytes(data[position + 2:position + 4], "big")
        segments.append(data[position:position + 2 + length])
        position += 2 + length
    adobe = [s for s in segments if s[1] == 0xEE]
    others = [s for s in segments if s[1] != 0xEE]
    frame = next(i for i, s in enumerate(others) if s[1] == 0xC0)
    moved = others[:frame + 1] + adobe + others[frame + 1:]
    path = tmp_path / "poster.jpg"
    path.write_bytes(data[:2] + b"".join(moved) + data[position:])
    shown = render_image(path, QSize(320, 240)).pixelColor(160, 120)
    assert (shown.red(), shown.green(), shown.blue()) == pytest.approx(red, abs=12)
