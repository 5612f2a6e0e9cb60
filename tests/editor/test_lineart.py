"""The wizard's line art (kiosk.editor.lineart): a phone photo of a drawing becomes black lines
on white paper; fills are tried with the kiosk's own engine; a flood is told as the check
tells it."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from kiosk.core.content.loader import IMAGE_SUFFIXES
from kiosk.editor.lineart import (
    CANVAS_BOX,
    LineArtSettings,
    Scan,
    clean_line_art,
    flood_report,
    line_art,
    read_scan,
    trial_fill,
)
from kiosk.editor.photos import PhotoRejected
from tests.drawings import BREAK, drawing, jpeg, photographed, png, street_photo
from tests.helpers import REPO

# The photographed drawing at 2800×2000: lines 12 px, breaks 32 px (16 at 1400×1000).
WIDTH, HEIGHT = 2800, 2000


@pytest.fixture(scope="module")
def photo_of_drawing() -> bytes:
    return jpeg(photographed(drawing(WIDTH, HEIGHT, line=12)))


@pytest.fixture(scope="module")
def photo_with_breaks() -> bytes:
    return jpeg(photographed(drawing(WIDTH, HEIGHT, breaks=2 * BREAK, line=12)))


def _at(art: np.ndarray, x: float, y: float) -> int:
    """Lightness at a point of the 1400×1000 drawing, wherever the art is that size."""
    height, width = art.shape
    return int(art[round(y * height / 1000), round(x * width / 1400)])


def test_a_phone_photo_of_a_drawing_becomes_black_lines_on_white(photo_of_drawing: bytes) -> None:
    art = clean_line_art(photo_of_drawing).lightness
    assert art.shape == (1463, 2048)  # fitted into 2048 px: the canvas at 4K
    assert set(np.unique(art).tolist()) == {0, 255}  # black and white, nothing between
    # The paper is white everywhere, in the dark corner too (the photo's paper is 180 there).
    assert _at(art, 1380, 980) == 255 and _at(art, 20, 20) == 255
    # Every line is there: the walls, the roof, the windows, the sun, the tree.
    for x, y in ((200, 700), (800, 600), (350, 315), (320, 520), (1150, 110), (1100, 400)):
        assert min(_at(art, x + dx, y + dy) for dx in (-3, 0, 3) for dy in (-3, 0, 3)) == 0
    # The dust is gone: no ink apart from the drawing's lines.
    ink = (art == 0).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    assert stats[1:, cv2.CC_STAT_AREA].min() > 100, "specks left"
    assert count - 1 <= 12


def test_paper_in_shadow_comes_out_white_with_its_lines() -> None:
    # The light falls off to 95 in the bottom-right corner: darker than the lines are in the
    # bright corner (about 65), so no one threshold on the photo as it is can work.
    art = drawing(WIDTH, HEIGHT, line=12)
    photo = photographed(art, shadow=140)
    raw_level = int(cv2.threshold(photo, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0])
    assert (photo[-60:, -60:] < raw_level).mean() > 0.5  # the corner would be a black blot
    scan = read_scan(jpeg(photo))
    assert (scan.grey[-60:, -60:] > 230).mean() > 0.99  # flattened: white paper
    result = line_art(scan).lightness
    assert _at(result, 1380, 980) == 255
    # The tree's trunk, in the shadow, is still a line; the sun, in the light, too.
    assert min(_at(result, 1130 + d, 850) for d in (-4, -2, 0, 2, 4)) == 0
    assert min(_at(result, 1150 + d, 110) for d in (-4, -2, 0, 2, 4)) == 0


def test_the_sliders_change_what_they_say(photo_of_drawing: bytes) -> None:
    scan = read_scan(photo_of_drawing)
    default = line_art(scan)
    assert default.threshold == scan.otsu and default.specks_removed > 50
    # A low threshold keeps only the darkest: thinner lines, less ink.
    thin = line_art(scan, LineArtSettings(threshold=40))
    assert (thin.lightness == 0).sum() < (default.lightness == 0).sum() * 0.8
    # No despeckling: the dust stays.
    dusty = line_art(scan, LineArtSettings(specks_px=0))
    assert dusty.specks_removed == 0
    count = cv2.connectedComponents((dusty.lightness == 0).astype(np.uint8))[0]
    assert count > 50
    # Values from a form are kept within their ranges.
    wild = LineArtSettings(threshold=999, specks_px=-5, gap_px=1e9).bounded()
    assert (wild.threshold, wild.specks_px, wild.gap_px) == (254, 0, 48.0)


def test_closing_gaps_seals_the_breaks_so_one_tap_no_longer_floods(
        photo_with_breaks: bytes) -> None:
    scan = read_scan(photo_with_breaks)
    broken = line_art(scan, LineArtSettings(gap_px=0)).png
    report = flood_report(broken)
    assert report.floods and report.problem == "colouring_gaps" and report.share > 0.8
    assert 3 <= len(report.breaks) <= 6
    # Where the breaks are: the left wall's is at (200, 675) of 1400×1000.
    assert any(abs(x + w / 2 - 200 / 1400) < 0.02 and abs(y + h / 2 - 675 / 1000) < 0.03
               for x, y, w, h in report.breaks)
    mended = line_art(scan, LineArtSettings(gap_px=32)).png
    fixed = flood_report(mended)
    assert not fixed.floods and fixed.problem == "" and fixed.regions >= 8
    assert fixed.breaks == ()


def test_a_trial_fill_is_the_kiosks_fill(photo_with_breaks: bytes) -> None:
    scan = read_scan(photo_with_breaks)
    broken = line_art(scan, LineArtSettings(gap_px=0))
    source = Image.open(io.BytesIO(broken.png)).size
    inside_house = (round(320 / 1400 * source[0]), round(800 / 1000 * source[1]))
    filled, share = trial_fill(broken.png, *inside_house)
    assert share > 0.8  # the house, the roof and the sky: the flood a child would get
    picture = Image.open(io.BytesIO(filled)).convert("RGB")
    # Fitted into the canvas the kiosk gives a picture at 1920×1080.
    assert picture.size[0] == CANVAS_BOX[0] and picture.size[1] <= CANVAS_BOX[1]
    sky = picture.getpixel((round(0.95 * picture.size[0]), 10))
    assert sky == (0xFB, 0x8C, 0x00)  # the sky took the paint through the breaks
    mended = line_art(scan, LineArtSettings(gap_px=32))
    filled, share = trial_fill(mended.png, *inside_house)
    assert 0.1 < share < 0.3  # the house's wall only
    picture = Image.open(io.BytesIO(filled)).convert("RGB")
    assert picture.getpixel((round(0.95 * picture.size[0]), 10)) == (255, 255, 255)
    # On a thick line far from any shape nothing is filled; outside the picture neither.
    _, nothing = trial_fill(mended.png, source[0] * 4, source[1] * 4)
    assert 0 < nothing < 1  # clamped to the corner: the sky


def test_the_output_is_a_picture_the_colouring_page_takes(photo_of_drawing: bytes) -> None:
    art = clean_line_art(photo_of_drawing)
    assert ".png" in IMAGE_SUFFIXES
    data = art.png
    assert data.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(data))
    assert image.mode == "L" and max(image.size) == 2048
    assert flood_report(data).problem == ""  # what kiosk check will say: nothing


def test_a_kept_scan_comes_back_the_same(photo_of_drawing: bytes) -> None:
    scan = read_scan(photo_of_drawing)
    again = Scan.from_png(scan.png)
    assert np.array_equal(again.grey, scan.grey) and again.otsu == scan.otsu


@pytest.mark.parametrize("data", [b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"GIF89a....",
                                  b"not a picture at all"])
def test_what_is_not_a_scan_is_refused(data: bytes) -> None:
    with pytest.raises(PhotoRejected):
        read_scan(data, "scan.svg")


def test_a_clean_drawing_passes_as_it_is() -> None:
    art = clean_line_art(png(drawing()), LineArtSettings())
    report = flood_report(art.png)
    assert not report.floods and report.problem == "" and report.regions >= 8


def test_closing_gaps_seals_breaks_without_blunting_corners(photo_with_breaks: bytes) -> None:
    art = line_art(read_scan(photo_with_breaks), LineArtSettings(gap_px=32)).lightness
    # The window's inner corners and the corner between the roof and the wall stay paper: only
    # what seals a gap is drawn into the lines, not the fillet a closing puts into corners.
    for x, y in ((270, 530), (370, 610), (245, 440), (755, 440), (450, 690)):
        assert _at(art, x, y) == 255, (x, y)
    # The gaps themselves are closed.
    for x, y in ((200, 675), (800, 675), (500, 680)):
        assert min(_at(art, x + dx, y) for dx in (-2, 0, 2)) == 0, (x, y)


def _tinted(grey: bytes, tint: tuple[float, float, float]) -> bytes:
    picture = np.asarray(Image.open(io.BytesIO(grey)).convert("RGB"), dtype=np.float32)
    out = io.BytesIO()
    Image.fromarray(np.clip(picture * np.array(tint), 0, 255).astype(np.uint8)).save(out, "JPEG")
    return out.getvalue()


def _in_colour_pen(art: np.ndarray) -> bytes:
    """The drawing in a blue felt-tip: coloured lines on white paper."""
    ink = (255 - art.astype(np.float32)) / 255
    picture = 255 - ink[..., None] * np.array([255 - 30, 255 - 80, 255 - 200], np.float32)
    out = io.BytesIO()
    Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8)).save(out, "JPEG")
    return out.getvalue()


def _bundled_drawings() -> list[bytes]:
    """The shared colouring pictures (SVG), drawn on white paper at 1400 px, as a scan."""
    QtGui = pytest.importorskip("PySide6.QtGui")
    QtSvg = pytest.importorskip("PySide6.QtSvg")
    QtCore = pytest.importorskip("PySide6.QtCore")
    pictures = []
    for path in sorted((REPO / "content/colouring").glob("*.svg")):
        renderer = QtSvg.QSvgRenderer(str(path))
        size = renderer.defaultSize().scaled(1400, 1400, QtCore.Qt.AspectRatioMode.KeepAspectRatio)
        image = QtGui.QImage(size, QtGui.QImage.Format.Format_RGB32)
        image.fill(QtGui.QColor("white"))
        painter = QtGui.QPainter(image)
        renderer.render(painter)
        painter.end()
        buffer = QtCore.QBuffer()
        buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        pictures.append(bytes(buffer.data()))
    assert len(pictures) >= 9
    return pictures


def test_a_photo_is_told_from_a_line_drawing(photo_of_drawing: bytes) -> None:
    """A photo's flattening leaves an outline of its shapes: by its grey alone it passed for a
    drawing with breaks, and the wizard sent staff to the sliders."""
    assert read_scan(street_photo(), "IMG_2041.jpg").photo_like
    assert read_scan(street_photo(900, 1600, seed=5)).photo_like  # upright, another one
    drawings = [photo_of_drawing, png(drawing()), _in_colour_pen(drawing()),
                _tinted(photo_of_drawing, (1.0, 0.92, 0.78)),  # under a warm lamp
                *_bundled_drawings()]
    for number, data in enumerate(drawings):
        assert not read_scan(data).photo_like, number
