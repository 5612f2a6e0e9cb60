"""Decoding staff's photos: what a screen would show wrongly is caught before it is shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from kiosk.ui.resources import probe_image


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
