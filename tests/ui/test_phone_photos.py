"""Photos straight from a phone (issue 17): a 24-megapixel JPEG, today's default, is shown,
decoded already shrunk to its box; a HEIC photo, named .heic or renamed .jpg, is named as
what it is with the way out; a file made to exhaust memory is still refused."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from kiosk.core.content.loader import load_content
from kiosk.ui.resources import probe_image, render_image
from tests.helpers import make_folder, story


def phone_jpeg(path: Path, width: int = 6000, height: int = 4000,
               progressive: bool = False) -> Path:
    """A photo-like JPEG of `width`×`height`, saved as a phone saves it (or progressive)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (127, 166, 201))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 97):
        y = (x * 7) % height
        draw.rectangle((x, y, x + 60, y + height // 3), fill=((x * 13) % 256, 120, 90))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85, progressive=progressive)
    return path


def claiming(path: Path, source: Path, width: int, height: int) -> Path:
    """`source` with its frame header saying `width`×`height`: a few KB that would decode
    to a huge picture."""
    data = bytearray(source.read_bytes())
    at = 2
    while data[at + 1] not in (0xC0, 0xC2):
        at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    data[at + 5:at + 9] = struct.pack(">HH", height, width)
    path.write_bytes(bytes(data))
    return path


def heic_photo(path: Path) -> Path:
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    Image.new("RGB", (1200, 900), (200, 120, 60)).save(path, format="HEIF")
    return path


def test_a_24_megapixel_phone_photo_is_shown(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"phone.md": story(photo="images/phone.jpg")})
    photo = phone_jpeg(root / "images" / "phone.jpg")
    check = probe_image(photo)
    assert check.ok and not check.problem, check
    assert check.size == (6000, 4000)
    content = load_content(root, probe_image)
    assert [s.id for s in content.stories] == ["phone"]
    assert not [p for p in content.problems if p.is_error or "image" in p.code]
    shown = render_image(photo, QSize(852, 980))
    assert (shown.width(), shown.height()) == (852, 568)  # decoded into its box


def test_a_progressive_16_megapixel_photo_is_shown(tmp_path: Path) -> None:
    photo = phone_jpeg(tmp_path / "p.jpg", 4800, 3200, progressive=True)
    assert photo.read_bytes().find(b"\xff\xc2") > 0  # progressive indeed
    assert not probe_image(photo).problem
    assert not render_image(photo, QSize(400, 400)).isNull()


@pytest.mark.parametrize(("width", "height", "progressive"),
                         [(20_000, 20_000, False),  # 400 MP on a few KB
                          (12_000, 9_000, False),  # 108 MP
                          (6_000, 4_000, True)])  # 24 MP held whole while decoding
def test_a_picture_made_to_exhaust_memory_is_still_refused(
        tmp_path: Path, width: int, height: int, progressive: bool) -> None:
    small = phone_jpeg(tmp_path / "small.jpg", 800, 600, progressive)
    bomb = claiming(tmp_path / "bomb.jpg", small, width, height)
    check = probe_image(bomb)
    assert check.problem == "image_too_large"
    # Which JPEG is held to 16 MP is said: the same size saved not progressive is shown.
    assert ("прогрессивный" in check.detail) is progressive
    assert render_image(bomb, QSize(800, 800)).isNull()  # never decoded


def test_a_large_png_keeps_its_lower_cap(tmp_path: Path) -> None:
    image = QImage(6000, 4000, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    path = tmp_path / "scan.png"
    assert image.save(str(path))
    assert probe_image(path).problem == "image_too_large"  # decoded whole: 96 MB


@pytest.mark.parametrize("name", ["iphone.jpg", "iphone.heic"])
def test_a_heic_photo_is_named_as_one_not_as_damaged(tmp_path: Path, name: str) -> None:
    root = make_folder(tmp_path / "c", stories={"s.md": story(photo=f"images/{name}")})
    (root / "images").mkdir()
    heic_photo(root / "images" / name)
    content = load_content(root, probe_image)
    errors = [p for p in content.problems if p.is_error]
    assert len(errors) == 1, errors
    message = errors[0].message("ru")
    assert "HEIC" in message and "JPEG" in message and "редактор" in message, message
    assert "поврежд" not in message and "не читается" not in message
    assert "HEIC" in errors[0].message("en")


def test_a_video_renamed_jpg_is_not_called_a_heic_photo(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"s.md": story(photo="images/clip.jpg")})
    (root / "images").mkdir()
    (root / "images" / "clip.jpg").write_bytes(
        b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64)
    content = load_content(root, probe_image)
    errors = [p for p in content.problems if p.is_error]
    assert [p.code for p in errors] == ["image_unsupported"]
    assert "MP4" in errors[0].message("ru")
