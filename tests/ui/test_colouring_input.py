"""Whatever file staff drop in content/colouring/, the kiosk copes: bad input for the canvas."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication

from kiosk.core.colouring.engine import (
    INK_LEVEL,
    PAPER,
    Canvas,
    PreparedPicture,
    analyse,
    prepare,
    rgb,
)
from kiosk.core.content.loader import load_content
from kiosk.ui.colouring.coloured_preview import coloured_preview
from kiosk.ui.colouring.layout import page_layout
from kiosk.ui.colouring.line_art import line_art_problem, render_line_art
from kiosk.ui.resources import probe_image
from kiosk.ui.theme import Theme
from tests.helpers import BUNDLED, make_folder

RED = rgb("#E53935")
BOX = QSize(800, 600)


def draw_rooms(image: QImage) -> None:
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("black"), 6))
    painter.drawRect(50, 50, 700, 500)
    painter.drawLine(400, 50, 400, 550)
    painter.end()


def saved(image: QImage, path: Path, quality: int = -1) -> Path:
    assert image.save(str(path), None, quality)
    return path


def filled_left_room(path: Path) -> Canvas:
    lightness = render_line_art(path, BOX)
    assert lightness is not None
    canvas = Canvas(prepare(lightness))
    canvas.fill(200, 300, RED)
    return canvas


def test_transparent_png_is_laid_on_paper(tmp_path: Path) -> None:
    image = QImage(800, 600, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    draw_rooms(image)
    canvas = filled_left_room(saved(image, tmp_path / "t.png"))
    assert canvas.picture.lightness[10, 10] == 255  # transparent became white paper
    assert canvas.paint[300, 200] == RED and canvas.paint[300, 600] == PAPER


@pytest.mark.parametrize("coloured", [False, True])
def test_lightness_is_what_qt_makes_of_the_picture(tmp_path: Path, coloured: bool) -> None:
    """Greys are read straight from the pixels (Qt's conversion is ten times slower); a
    picture with any colour in it goes through Qt's own conversion: the same lightness."""
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    draw_rooms(image)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for step in range(64):  # every grey, anti-aliased edges and all
        painter.setPen(QPen(QColor(step * 4, step * 4, step * 4), 3))
        painter.drawEllipse(60 + step * 5, 80 + step * 3, 40, 30)
    if coloured:
        painter.setPen(QPen(QColor("#1E88E5"), 5))
        painter.drawEllipse(500, 300, 120, 90)
    painter.end()
    path = saved(image, tmp_path / "art.png")
    lightness = render_line_art(path, BOX)
    assert lightness is not None
    decoded = QImage(str(path)).convertToFormat(QImage.Format.Format_Grayscale8)
    expected = np.frombuffer(decoded.constBits(), dtype=np.uint8).reshape(
        600, decoded.bytesPerLine())[:, :800]
    assert np.array_equal(lightness, expected)
    assert coloured == bool(lightness[345, 500] not in (0, 255))  # the blue ring: its grey


def test_noisy_jpeg_fills_without_leaks_or_specks(tmp_path: Path) -> None:
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    draw_rooms(image)
    canvas = filled_left_room(saved(image, tmp_path / "n.jpg", quality=20))
    assert canvas.paint[300, 600] == PAPER  # the right room stays white
    room = canvas.paint[60:540, 60:390]
    assert (room == RED).mean() > 0.999  # compression noise left no unpainted specks


def test_one_bit_image(tmp_path: Path) -> None:
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    draw_rooms(image)
    mono = image.convertToFormat(QImage.Format.Format_Mono)
    canvas = filled_left_room(saved(mono, tmp_path / "m.png"))
    assert canvas.paint[300, 200] == RED and canvas.paint[300, 600] == PAPER


def huge_png(path: Path, side: int = 20_000) -> Path:
    """A valid 1-bit PNG of side×side pixels that is small on disk."""
    row = b"\x00" + b"\xff" * (side // 8)
    raw = zlib.compress(row * side, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
                     + chunk(b"IEND", b""))
    return path


def test_a_20000_pixel_picture_is_refused_before_decoding(tmp_path: Path) -> None:
    path = huge_png(tmp_path / "huge.png")
    assert probe_image(path).problem == "image_too_large"
    assert render_line_art(path, BOX) is None  # never decoded: no 400-megapixel buffer


@pytest.mark.qt_log_ignore(".*")
def test_damaged_files_are_named_and_skipped(tmp_path: Path) -> None:
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    draw_rooms(image)
    good = saved(image, tmp_path / "good.png").read_bytes()
    root = make_folder(tmp_path / "c", images={
        "colouring/cut.png": good[: len(good) // 2],
        "colouring/garbage.jpg": b"not a jpeg at all",
        "colouring/ok.png": good,
    })
    huge_png(root / "colouring" / "huge.png")
    content = load_content(root, probe_image)
    assert [p.id for p in content.colouring] == ["ok"]
    codes = {(Path(p.path).name, p.code) for p in content.problems if p.is_error}
    assert codes == {("cut.png", "bad_image"), ("garbage.jpg", "bad_image"),
                     ("huge.png", "image_too_large")}


def test_svg_pointing_outside_is_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    black = QImage(100, 100, QImage.Format.Format_RGB32)
    black.fill(Qt.GlobalColor.black)
    saved(black, secret)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" '
           f'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100">'
           f'<rect width="100" height="100" fill="#fff"/>'
           f'<image href="{secret}" width="100" height="100"/>'
           f'<image xlink:href="http://example.org/x.png" width="100" height="100"/>'
           f'<circle cx="50" cy="50" r="30" fill="none" stroke="#000" stroke-width="4"/></svg>')
    root = make_folder(tmp_path / "c", images={"colouring/ring.svg": svg})
    content = load_content(root, probe_image)
    assert {p.code for p in content.problems if p.is_error} >= {"svg_external"}
    assert content.colouring == ()  # refused, not shown without its pictures
    # Drawn on demand all the same, it is refused again: nothing of the local file is shown.
    assert render_line_art(root / "colouring" / "ring.svg", QSize(400, 400)) is None


@pytest.mark.parametrize(("make", "code"), [
    ("noise", "colouring_photo"), ("shaded", "colouring_photo"), ("blank", "colouring_no_lines"),
    ("open", "colouring_not_closed"), ("rooms", ""),
])
def test_check_tells_line_art_from_photos(tmp_path: Path, make: str, code: str) -> None:
    if make == "noise":
        pixels = np.random.default_rng(5).integers(0, 256, (600, 800, 3), dtype=np.uint8)
    else:
        pixels = np.full((600, 800, 3), 255, dtype=np.uint8)
        if make == "open":
            cv2.line(pixels, (50, 50), (700, 500), (0, 0, 0), 6)
        elif make == "shaded":  # a finished illustration: outlines with grey and colour fills
            cv2.rectangle(pixels, (50, 50), (750, 550), (120, 160, 200), -1)
            cv2.rectangle(pixels, (50, 50), (750, 550), (0, 0, 0), 6)
        elif make == "rooms":
            cv2.rectangle(pixels, (50, 50), (750, 550), (0, 0, 0), 6)
            cv2.line(pixels, (400, 50), (400, 550), (0, 0, 0), 6)
    path = tmp_path / f"{make}.png"
    assert cv2.imwrite(str(path), pixels)
    assert line_art_problem(path) == code


@pytest.mark.parametrize("picture", sorted((BUNDLED / "colouring").glob("*.svg")),
                         ids=lambda p: p.stem)
def test_every_bundled_picture_colours_without_a_white_speck(picture: Path) -> None:
    """Tap every shape once: nothing of the paper may be left anywhere, not under the
    anti-aliased edges, not in the gaps the closing sealed, not in shapes too small to tap."""
    lightness = render_line_art(picture, QSize(1032, 1032))
    assert lightness is not None
    prepared = prepare(lightness)
    canvas = Canvas(prepared)
    for label in prepared.regions:
        ys, xs = np.nonzero((prepared.owner == label) & (prepared.lightness > 250))
        if len(xs):
            assert canvas.fill(int(xs[0]), int(ys[0]), RED if label % 2 else rgb("#1E88E5"))
    assert not (canvas.composite() == 0xFFFFFFFF).any()


# The screens the kiosk is set up on, in both orientations, the 16:10 and 4:3 panels, 4K.
SCREENS = [(1920, 1080), (1080, 1920), (1366, 768), (1280, 800), (1024, 768), (3840, 2160)]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_grey_seam_or_white_speck_on_any_screen(screen: tuple[int, int]) -> None:
    """A child taps every shape of every picture, on the canvas the page gives the picture:
    no pixel that is not black keeps the paper under it. Where two lines nearly touch, the
    closing seals the paper between them; the light edges of those lines kept paper, a grey
    hairline along the metro's door top, grey specks where the cake's flames meet their
    candles. Where a line meets another at a sharp angle, a speck too small for any finger
    (an 8-pixel triangle by the girl's arm at 1366×768) stayed white."""
    canvas_size = page_layout(Theme(*screen), *screen).canvas.size()
    navy = rgb("#283593")
    left = {}
    for picture in sorted((BUNDLED / "colouring").glob("*.svg")):
        lightness = render_line_art(picture, canvas_size)
        assert lightness is not None
        prepared = prepare(lightness)
        canvas = Canvas(prepared)
        width, height = prepared.size
        for label, region in prepared.regions.items():
            if region.area * 1000 < width * height:
                continue  # no shape a finger can hit: a 32-pixel square on the 1080p canvas
            room = cv2.distanceTransform((prepared.owner == label).astype(np.uint8),
                                         cv2.DIST_L2, 5)
            y, x = np.unravel_index(int(np.argmax(room)), room.shape)  # where a finger goes
            canvas.fill(int(x), int(y), navy)
        seen = lightness >= 32  # darker line hides what is under it
        if (paper := int((canvas.paint[seen] == PAPER).sum())):
            left[picture.stem] = paper
    assert not left, f"pixels showing paper at {screen}: {left}"


def test_a_tiny_photo_is_shown_with_a_warning(tmp_path: Path) -> None:
    small = QImage(120, 90, QImage.Format.Format_RGB32)
    small.fill(Qt.GlobalColor.gray)
    root = make_folder(tmp_path / "c", stories={"a.md": "---\ntitle: А\nphoto: images/s.png\n"
                                                        "---\nТекст\n"})
    (root / "images").mkdir()
    saved(small, root / "images" / "s.png")
    content = load_content(root, probe_image)
    assert len(content.stories) == 1
    (problem,) = content.problems
    assert (problem.code, problem.is_error) == ("image_too_small", False)
    assert "120×90" in problem.message("ru")


NARROWEST_SHAPE_PX = 36  # at the 1080p canvas: a child's fingertip is about 40 px there


def shape_widths(prepared: PreparedPicture) -> dict[int, float]:
    """The widest a finger-sized circle can be inside each shape, in pixels, counting eyes
    and other marks drawn wholly inside a shape as part of it (a tap on them fills it)."""
    ink = (prepared.lightness < INK_LEVEL).astype(np.uint8)
    _, marks = cv2.connectedComponents(ink, connectivity=8)
    owners: dict[int, set[int]] = {}
    for mark, owner in zip(marks[ink > 0].tolist(), prepared.owner[ink > 0].tolist(),
                           strict=True):
        owners.setdefault(mark, set()).add(owner)
    inner = [mark for mark, held in owners.items() if len(held - {0}) == 1 and 0 not in held]
    walls = ink.copy()
    walls[np.isin(marks, inner)] = 0
    room = cv2.distanceTransform((1 - walls).astype(np.uint8), cv2.DIST_L2, 5)
    return {label: 2 * float(room[prepared.owner == label].max())
            for label in prepared.regions}


@pytest.mark.parametrize("picture", sorted((BUNDLED / "colouring").glob("*.svg")),
                         ids=lambda p: p.stem)
def test_every_bundled_shape_is_wide_enough_for_a_finger(picture: Path) -> None:
    """No slivers: a four-year-old colours with a whole fingertip."""
    lightness = render_line_art(picture, QSize(1032, 1032))
    assert lightness is not None
    prepared = prepare(lightness)
    narrow = {label: round(width) for label, width in shape_widths(prepared).items()
              if width < NARROWEST_SHAPE_PX}
    assert not narrow, f"shapes narrower than {NARROWEST_SHAPE_PX} px: {narrow}"
    assert analyse(prepared).problem == ""


# The canvases the page gives a picture on the other screens the kiosk is set up on: the 4:3
# and 5:4 panels, 16:10, portrait, 1440p, 4K.
OTHER_SCREENS = [(1080, 1920), (1366, 768), (1280, 800), (1024, 768), (1280, 1024),
                 (2560, 1440), (3840, 2160)]


def shape_hosts(picture: Path, screen: tuple[int, int], reference: PreparedPicture
                ) -> dict[int, list[int]]:
    """The shapes of `picture` on `screen`'s canvas, by the shape of `reference` (the same
    picture on the 1080p canvas) each lies on; specks under 1/2000 of the picture left out."""
    lightness = render_line_art(picture, page_layout(Theme(*screen), *screen).canvas.size())
    assert lightness is not None
    prepared = prepare(lightness)
    side, reference_side = prepared.size[0], reference.size[0]
    hosts: dict[int, list[int]] = {}
    for label, region in prepared.regions.items():
        if region.area * 2000 < side * side:
            continue
        ys, xs = np.nonzero((prepared.owner == label) & (lightness > 250))
        under = reference.owner[ys * reference_side // side, xs * reference_side // side]
        hosts.setdefault(int(np.bincount(under.astype(np.int64)).argmax()), []).append(label)
    return hosts


@pytest.mark.parametrize("picture", sorted((BUNDLED / "colouring").glob("*.svg")),
                         ids=lambda p: p.stem)
def test_every_shape_is_one_shape_on_every_screen(picture: Path) -> None:
    """A shape a child fills with one tap at 1920×1080 is filled with one tap on every other
    screen, and two shapes never flood as one. Lines that nearly touch are sealed by the gap
    closing on one canvas and not on another: the Kremlin's clock sealed the tower's square
    into four corners at 1024×768, the little fish's tail cut a corner off the water in
    portrait, a weed against the big fish's nose cut the water in two at 1920×1080 (not at
    1366×768), the metro driver's smile sealed to his eyes at 2560×1440."""
    screen = (1920, 1080)
    lightness = render_line_art(picture, page_layout(Theme(*screen), *screen).canvas.size())
    assert lightness is not None
    reference = prepare(lightness)
    wrong = {}
    for other in OTHER_SCREENS:
        hosts = shape_hosts(picture, other, reference)
        split = {host: labels for host, labels in hosts.items() if len(labels) > 1}
        merged = set(reference.regions) - set(hosts)
        if split or merged:
            wrong[other] = f"split {split}, merged {sorted(merged)}"
    assert not wrong, wrong


def test_the_coloured_preview_of_a_picture(qapp: QApplication) -> None:
    """What the picker and the attract loop show: the picture coloured in, kept once made."""
    path = BUNDLED / "colouring" / "cat.svg"
    image = coloured_preview(path, QSize(800, 600), 8)
    assert image.size() == QSize(600, 600)  # fitted into the box, as the canvas does
    assert coloured_preview(path, QSize(800, 600), 8).cacheKey() == image.cacheKey()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32).reshape(600, 600)
    assert len(np.unique(pixels)) > 200  # colours and their anti-aliased edges
    assert pixels[5, 5] == PAPER  # the outside stays white
    assert coloured_preview(BUNDLED / "colouring" / "missing.svg", QSize(80, 80), 8).isNull()
