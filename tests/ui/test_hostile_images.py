"""Pictures as Qt decodes them: damage caught by decoding, the decoder the suffix names and no
other, drawings refused before QtSvg sees them, and a drawing too slow to draw refused."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QSize
from PySide6.QtGui import QColor, QColorSpace, QImage, QImageWriter
from PySide6.QtSvg import QSvgRenderer

from kiosk.core.content.loader import load_content
from kiosk.ui import resources
from kiosk.ui.resources import probe_image, render_image
from tests.helpers import REPO, make_folder, story


def photo(path: Path, width: int = 1200, height: int = 800) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    for y in range(0, height, 8):  # detail, so the cut leaves a part of the scan missing
        for x in range(0, width, 8):
            image.setPixel(x, y, 0xFFFFFF if (x + y) % 16 else 0)
    assert image.save(str(path), quality=90)
    return path.read_bytes()


def test_a_cut_jpeg_with_its_end_marker_put_back_is_damaged(tmp_path: Path) -> None:
    # It ends as a whole JPEG does, so a look at its last bytes passes it; decoded, its lower
    # part is grey.
    data = photo(tmp_path / "whole.jpg")
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/cut.jpg")},
                       images={"images/cut.jpg": data[: len(data) // 2] + b"\xff\xd9"})
    check = probe_image(root / "images" / "cut.jpg")
    assert (check.problem, check.ok) == ("image_damaged", False)
    content = load_content(root, probe_image)
    assert content.stories == ()
    assert [p.code for p in content.problems if p.is_error] == ["image_damaged"]
    assert probe_image(tmp_path / "whole.jpg").problem == ""


def test_a_png_named_jpg_is_never_decoded_as_a_png(tmp_path: Path) -> None:
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("#00ff00"))
    assert image.save(str(tmp_path / "real.png"))
    disguised = tmp_path / "photo.jpg"
    disguised.write_bytes((tmp_path / "real.png").read_bytes())
    assert render_image(disguised, QSize(400, 400)).isNull()
    assert probe_image(disguised).problem == "image_wrong_suffix"
    assert not render_image(tmp_path / "real.png", QSize(400, 400)).isNull()


DRAW = """
import os, sys
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
from kiosk.ui.resources import probe_image, render_image
print(probe_image(Path(sys.argv[1])).problem, render_image(Path(sys.argv[1]), QSize(99, 99))
      .isNull())
"""


def test_a_drawing_that_names_a_file_through_its_dtd_never_opens_it(tmp_path: Path) -> None:
    # The drawing: its DTD gives <image> a default href, here a FIFO, which QtSvg
    # opened and blocked on for good, holding the GIL: no first frame, no watchdog ping.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    drawing = tmp_path / "d.svg"
    drawing.write_text(
        f'<?xml version="1.0"?><!DOCTYPE svg [<!ATTLIST image href CDATA "{fifo}">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" '
        'height="100"><rect width="100" height="100" fill="#fff"/>'
        # «data:» in the element: the old regular-expression sanitiser kept it for that.
        '<image width="100" height="100" class="data:"/></svg>')
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    try:  # in a child process, killed if it blocks
        done = subprocess.run([sys.executable, "-c", DRAW, str(drawing)], capture_output=True,
                              text=True, timeout=30, env=env, cwd=REPO)
    except subprocess.TimeoutExpired:
        pytest.fail("the drawing opened the FIFO its DTD names")
    assert done.stdout.split() == ["svg_doctype", "True"], done.stderr[-2000:]


def test_a_drawing_too_slow_to_draw_is_refused_quickly(tmp_path: Path) -> None:
    # Within every cap of size and count, but each of its translucent, thick-outlined layers
    # covers the whole picture: drawn in full at 1080p it took about a minute.
    layers = "".join(
        f'<circle cx="500" cy="500" r="{450 - i % 400}" fill="#{i % 4096:03x}" '
        'fill-opacity="0.5" stroke="#000" stroke-width="25" stroke-opacity="0.5"/>'
        for i in range(9_000))
    slow = tmp_path / "slow.svg"
    slow.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 1000" '
                    f'width="1000" height="1000">{layers}</svg>')
    started = time.perf_counter()
    check = probe_image(slow)
    assert check.problem == "svg_too_slow"
    assert time.perf_counter() - started < 20


def test_an_ordinary_drawing_is_drawn(tmp_path: Path) -> None:
    drawing = tmp_path / "ring.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" '
                       'width="100" height="100"><circle cx="50" cy="50" r="40" fill="#000"/>'
                       '</svg>')
    assert probe_image(drawing).problem == ""
    shown = render_image(drawing, QSize(200, 200))
    assert shown.size() == QSize(200, 200)
    assert shown.pixelColor(100, 100).alpha() == 255  # the disc is drawn
    assert shown.pixelColor(2, 2).alpha() == 0  # and the corners left clear


def progressive(path: Path, extra_scans: int = 0) -> bytes:
    """A progressive JPEG as Qt writes it (10 scans), with `extra_scans` more refinement
    scans put before its end, each a pass over every pixel (as in the attack's 22,000)."""
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, b"jpeg")
    writer.setProgressiveScanWrite(True)
    assert writer.write(image)
    data = bytes(buffer.data().data())
    end = data.rindex(b"\xff\xd9")
    # AC refinement of the luminance, bits 0: one EOB run over the whole band.
    dht = b"\xff\xc4\x00\x14\x11" + bytes([1] + [0] * 15) + b"\xe0"
    scan = b"\xff\xda\x00\x08\x01\x01\x01\x01\x3f\x10" + b"\x7f\xff\x00"
    path.write_bytes(data[:end] + dht + scan * extra_scans + b"\xff\xd9")
    return data


def test_a_jpeg_with_too_many_scans_is_refused_and_not_shown(tmp_path: Path) -> None:
    progressive(tmp_path / "photo.jpg")
    assert probe_image(tmp_path / "photo.jpg").problem in ("", "image_too_small")
    assert not render_image(tmp_path / "photo.jpg", QSize(64, 64)).isNull()
    progressive(tmp_path / "scans.jpg", 100)
    assert probe_image(tmp_path / "scans.jpg").problem == "image_too_complex"
    assert render_image(tmp_path / "scans.jpg", QSize(64, 64)).isNull()


def test_a_photo_in_a_wide_gamut_shows_its_own_colours_and_keeps_no_profile(
        tmp_path: Path) -> None:
    """Saved in Adobe RGB, a red of (200, 40, 40) there is (233, 35, 35) on an sRGB screen:
    shown as stored, it looked dull. Converted, the picture keeps sRGB's small description,
    not the file's parsed profile (six times its size, beside every decoded copy)."""
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 40, 40))
    image.setColorSpace(QColorSpace(QColorSpace.NamedColorSpace.AdobeRgb))
    assert image.save(str(tmp_path / "wide.jpg"), quality=95)
    shown = render_image(tmp_path / "wide.jpg", QSize(64, 48))
    colour = shown.pixelColor(32, 24)
    assert colour.red() >= 225 and colour.green() <= 40 and colour.blue() <= 40, colour.name()
    assert shown.colorSpace() == QColorSpace(QColorSpace.NamedColorSpace.SRgb)
    # A palette picture shown at its own size keeps its palette, its colours converted.
    palette = image.convertToFormat(QImage.Format.Format_Indexed8)
    palette.setColorSpace(QColorSpace(QColorSpace.NamedColorSpace.AdobeRgb))
    assert palette.save(str(tmp_path / "wide.png"))
    shown = render_image(tmp_path / "wide.png", QSize(64, 48))
    assert shown.pixelColor(32, 24).red() >= 225, shown.pixelColor(32, 24).name()


def test_a_png_metadata_bomb_is_never_given_to_qt(tmp_path: Path) -> None:
    # Qt inflates every text chunk while reading the header: 100 of these aborted the kiosk.
    image = QImage(500, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(tmp_path / "plain.png"))
    data = (tmp_path / "plain.png").read_bytes()
    text = b"k\x00\x00" + zlib.compress(b"A" * 5_000_000, 9)
    chunk = struct.pack(">I", len(text)) + b"zTXt" + text + struct.pack(
        ">I", zlib.crc32(b"zTXt" + text))
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(data[:33] + chunk + data[33:])  # after the 8-byte mark and IHDR
    assert probe_image(tmp_path / "plain.png").problem == ""
    assert probe_image(bomb).problem == "image_too_complex"
    assert render_image(bomb, QSize(500, 400)).isNull()


def test_a_drawing_slow_to_load_is_refused_as_slow_to_draw(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Loading (parsing and styling) holds the GIL as drawing does: 8 s for the attack's style
    # sheet. A clock that moves only while the renderer loads stands in for a slow load.
    clock = [0.0]
    real = resources.svg_renderer

    def slow_renderer(data: bytes) -> QSvgRenderer:
        clock[0] += 5 * resources.SVG_DRAW_BUDGET
        return real(data)

    monkeypatch.setattr(resources, "svg_renderer", slow_renderer)
    monkeypatch.setattr(resources, "time", SimpleNamespace(perf_counter=lambda: clock[0]))
    drawing = tmp_path / "d.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                       '<rect width="5" height="5"/></svg>')
    assert probe_image(drawing).problem == "svg_too_slow"


class _SlowDrawing:
    """Drawing stands for drawing slowly: a clock that moves only while a drawing is drawn,
    twice the budget at each draw where the drawing says «slow»."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 0.0
        self.draws = 0
        real = resources._draw_svg

        def draw(renderer: QSvgRenderer, image: QImage) -> None:
            self.draws += 1
            if renderer.elementExists("slow"):
                self.now += 2 * resources.SVG_DRAW_BUDGET
            real(renderer, image)

        monkeypatch.setattr(resources, "_draw_svg", draw)
        monkeypatch.setattr(resources, "time", SimpleNamespace(perf_counter=lambda: self.now))


def test_a_drawing_swapped_after_its_probe_is_timed_before_it_is_drawn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe passed the file; then another drawing, slow to draw, was copied over it
    (its stamp kept, so the kept verdict stood): the screen drew it untimed, seconds of a
    frozen kiosk at every turn of the loop. It is timed first, and refused."""
    slow = _SlowDrawing(monkeypatch)
    drawing = tmp_path / "poster.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
                       '<rect width="50" height="50"/></svg>')
    assert probe_image(drawing).problem == ""
    draws = slow.draws
    assert not render_image(drawing, QSize(200, 200)).isNull()
    assert slow.draws == draws + 1  # probed: drawn once, not timed again
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
                       '<rect id="slow" width="60" height="60"/></svg>')
    assert render_image(drawing, QSize(200, 200)).isNull()
    draws = slow.draws
    assert render_image(drawing, QSize(200, 200)).isNull()
    assert slow.draws == draws  # found slow once: not drawn again


def test_showing_a_picture_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # It runs on the UI thread: whatever a file from outside does to a decoder, the screen
    # shows nothing there and goes on.
    def broken(path: Path) -> None:
        raise LookupError("unknown encoding: x-broken")

    monkeypatch.setattr(resources, "safe_svg_file", broken)
    drawing = tmp_path / "d.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    assert render_image(drawing, QSize(10, 10)).isNull()
    seven = tmp_path / "seven.svg"
    seven.write_text('<?xml version="1.0" encoding="UTF-7"?><svg xmlns="http://www.w3.org/'
                     '2000/svg" width="10" height="10"/>')
    monkeypatch.undo()
    assert probe_image(seven).problem == "svg_encoding"
    assert render_image(seven, QSize(10, 10)).isNull()
