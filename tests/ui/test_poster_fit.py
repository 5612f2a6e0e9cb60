"""A staff poster on the screen: fitted whole with margins in its own edge colour, or filling
the screen with its edges cut off, never stretched; a portrait screen shows its portrait
version."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.playlist import Slide, SlideKind
from kiosk.ui.attract.poster import PosterPainter
from kiosk.ui.theme import Theme
from tests.helpers import make_folder

# 100×200: a red frame 10 units wide round a green middle.
TALL = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 200" width="100" height="200">'
        '<rect width="100" height="200" fill="#C62828"/>'
        '<rect x="10" y="10" width="80" height="180" fill="#2E7D32"/></svg>')
# 200×100: blue on the left half, yellow on the right.
WIDE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100">'
        '<rect width="100" height="100" fill="#1565C0"/>'
        '<rect x="100" width="100" height="100" fill="#F9A825"/></svg>')


def render(root: Path, poster_id: str, size: tuple[int, int]) -> QImage:
    content = load_content(root)
    theme = Theme(*size)
    painter = PosterPainter(theme)
    slide = Slide(SlideKind.POSTER, poster_id, 8)
    return painter.render(slide, content, "ru", QSize(*size)).toImage()


def near(image: QImage, x: int, y: int, expected: str) -> bool:
    found, wanted = QColor(image.pixel(x, y)), QColor(expected)
    return all(abs(a - b) <= 6 for a, b in (
        (found.red(), wanted.red()), (found.green(), wanted.green()),
        (found.blue(), wanted.blue())))


def run_length(image: QImage, x: int, y: int, dx: int, dy: int, expected: str) -> int:
    """How many pixels from (x, y) in direction (dx, dy) keep the expected colour."""
    count = 0
    while 0 <= x < image.width() and 0 <= y < image.height() and near(image, x, y, expected):
        count += 1
        x, y = x + dx, y + dy
    return count


def test_a_portrait_poster_on_a_landscape_screen_is_whole_framed_in_its_edge_colour(
        qtbot: QtBot, tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/tall.svg": TALL})
    image = render(root, "tall", (1920, 1080))
    assert near(image, 960, 540, "#2e7d32")  # the middle of the poster in the middle
    # The margins are the poster's red edge, not the kiosk's paper: it looks framed.
    assert near(image, 20, 540, "#c62828") and near(image, 1900, 20, "#c62828")
    # Not stretched: the green middle keeps its 80:180 proportions at the screen's height.
    width = run_length(image, 960, 540, 1, 0, "#2e7d32") + run_length(
        image, 960, 540, -1, 0, "#2e7d32") - 1
    height = run_length(image, 960, 540, 0, 1, "#2e7d32") + run_length(
        image, 960, 540, 0, -1, "#2e7d32") - 1
    assert height == pytest.approx(1080 * 0.9, abs=3)
    assert width / height == pytest.approx(80 / 180, abs=0.01)


def test_the_margins_take_the_colour_most_of_its_edge_has(qtbot: QtBot,
                                                          tmp_path: Path) -> None:
    """A blue poster with an orange stripe along its top: its margins were the average of
    its edge, a grey of neither colour; they are its blue, and it looks framed."""
    striped = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" '
               'height="100"><rect width="200" height="100" fill="#1D4E89"/>'
               '<rect width="200" height="4" fill="#F5962F"/></svg>')
    root = make_folder(tmp_path / "c", images={"posters/striped.svg": striped})
    image = render(root, "striped", (1080, 1920))
    assert near(image, 540, 100, "#1d4e89") and near(image, 540, 1800, "#1d4e89")


def test_an_edge_of_many_colours_frames_it_in_their_average(qtbot: QtBot) -> None:
    """No colour holds most of the edge (a test pattern's bars): the average, which does not
    jump from one bar's colour to another's as the picture is scaled."""
    from kiosk.ui.attract.poster import edge_colour

    picture = QImage(400, 400, QImage.Format.Format_RGB32)
    quarters = {(0, 0): "#ff0000", (1, 0): "#00ff00", (0, 1): "#0000ff", (1, 1): "#ffffff"}
    for x in range(400):
        for y in range(400):
            picture.setPixelColor(x, y, QColor(quarters[x // 200, y // 200]))
    found = edge_colour(picture)  # a quarter of the edge each: their average, a mid grey
    assert all(abs(channel - 128) <= 8 for channel in (found.red(), found.green(),
                                                        found.blue())), found.name()


def test_a_poster_set_to_fill_covers_a_screen_of_the_other_shape_cut_not_squeezed(
        qtbot: QtBot, tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/wide.svg": WIDE,
                                                "posters/wide.yaml": "fit: заполнить\n"})
    image = render(root, "wide", (1080, 1920))
    # The middle of the wide poster fills the tall screen: blue to the left of the middle,
    # yellow to the right, from the top row to the bottom one, no margin anywhere.
    for y in (0, 960, 1919):
        assert near(image, 0, y, "#1565c0") and near(image, 530, y, "#1565c0")
        assert near(image, 550, y, "#f9a825") and near(image, 1079, y, "#f9a825")


def test_the_same_poster_fitted_whole_leaves_margins_above_and_below(
        qtbot: QtBot, tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/wide.svg": WIDE})
    image = render(root, "wide", (1080, 1920))
    # 1080 wide, so 540 high, centred: 690 rows of margin above and below, in one of its
    # two edge colours (as much blue as yellow): measured in the half of the other colour.
    x, colour = (810, "#f9a825") if near(image, 540, 100, "#1565c0") else (270, "#1565c0")
    assert run_length(image, x, 960, 0, -1, colour) == pytest.approx(270, abs=2)
    assert run_length(image, x, 960, 0, 1, colour) == pytest.approx(270, abs=2)
    assert not near(image, x, 100, colour)


def test_a_portrait_screen_shows_the_portrait_version(qtbot: QtBot, tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/a.svg": WIDE,
                                                "posters/a.portrait.svg": TALL})
    assert near(render(root, "a", (1080, 1920)), 540, 960, "#2e7d32")
    assert near(render(root, "a", (1920, 1080)), 480, 540, "#1565c0")


def phone_photo(path: Path) -> None:
    """A JPEG stored 1920×1080 with an EXIF tag saying «turn it a quarter»: upright it is
    1080×1920, red at its top and blue at its foot (as a phone saves a portrait photo)."""
    import struct

    from PySide6.QtGui import QPainter

    stored = QImage(1920, 1080, QImage.Format.Format_RGB32)
    stored.fill(QColor("#2e7d32"))
    painter = QPainter(stored)
    painter.fillRect(0, 0, 200, 1080, QColor("#c62828"))  # turned clockwise: the top
    painter.fillRect(1720, 0, 200, 1080, QColor("#1565c0"))
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    stored.save(str(path), None, 95)  # the format from the suffix
    jpeg = path.read_bytes()
    orientation = struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0)  # 6: rotate 90° clockwise
    tiff = b"MM\x00*\x00\x00\x00\x08" + struct.pack(">H", 1) + orientation + b"\x00" * 4
    exif = b"Exif\x00\x00" + tiff
    path.write_bytes(jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + jpeg[2:])


def test_a_phone_photo_stored_on_its_side_is_fitted_upright_and_whole(
        qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "c"
    phone_photo(root / "posters" / "phone.jpg")
    landscape = render(root, "phone", (1920, 1080))
    # Upright and whole: red at the top of the picture, blue at its foot, both on screen.
    assert near(landscape, 960, 40, "#c62828") and near(landscape, 960, 1040, "#1565c0")
    assert near(landscape, 960, 540, "#2e7d32")
    portrait = render(root, "phone", (1080, 1920))
    # On a portrait stage (1080×1620 here: the whole render) it takes the full height.
    assert near(portrait, 540, 30, "#c62828") and near(portrait, 540, 1890, "#1565c0")


def test_a_drawing_too_thin_for_any_screen_is_still_painted_without_failing(
        qtbot: QtBot, tmp_path: Path) -> None:
    from kiosk.ui.resources import render_image

    thin = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 100000" width="1" '
            'height="100000"><rect width="1" height="100000" fill="#000"/></svg>')
    root = make_folder(tmp_path / "c", images={"posters/thin.svg": thin})
    image = render_image(root / "posters" / "thin.svg", QSize(1920, 1080), fill=True)
    assert not image.isNull() and image.width() >= 1 and image.height() == 1080
