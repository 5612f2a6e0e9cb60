"""Hi-DPI (kiosk.ui.hidpi): every screen at device pixel ratios 1, 1.5 and 2, in both
orientations, as on a 4K panel at 192 dpi, a Wayland output scale of 2 or QT_SCALE_FACTOR=1.5.

A process has one QApplication and one ratio, so each ratio and orientation is walked in a
process of its own (tests/dpr_shots.py, with QT_SCALE_FACTOR on an offscreen screen of the
panel's device pixels), on the bundled content cut down to two of each kind of item. Every
screen must then be, at 1.5 and 2:

- grabbed in device pixels (2880×1620 and 3840×2160 for 1920×1080 logical);
- the same screen as at ratio 1, once scaled down: nothing laid out anew, no picture drawn at
  another size or place (the attract stage drew the top-left quarter of each slide, twice as
  large: a source rectangle in logical pixels on a slide in device pixels);
- as sharp as the device: next to no part of it looks scaled up from logical pixels, neither
  blocky nor soft (slides, the band, pictures and the colouring canvas were all painted in
  logical pixels and scaled up);
- at 1.5, without seams: no line one device pixel wide where two widgets meet mid-pixel.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from kiosk.core.colouring.engine import Canvas, EngineSettings, prepare
from kiosk.ui.attract.screen import SlideStage
from kiosk.ui.colouring.screen import CanvasView
from kiosk.ui.hidpi import device_pixmap, device_rect, device_size
from kiosk.ui.theme import Theme
from tests.helpers import BUNDLED, REPO
from tests.ui.conftest import WindowFactory, settle
from tests.video_clips import needs_ffmpeg, needs_libmpv, pattern_clip

ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
RATIOS = (1.5, 2.0)
KEPT = 2  # stories, anniversary pages and colouring pictures in the cut-down content
# The screen test draws a grid of single device pixels on purpose: it differs from ratio 1.
DEVICE_PIXELS_ON_PURPOSE = {"staff-pattern"}
MOST_DIFFERENCE = 2.0  # mean, 0-255: type falls on pixels a little differently
MOST_TILE_DIFFERENCE = 35.0  # a 24 px tile: an edge a pixel off; a picture out of place is 100+
MOST_UPSCALED = 0.2  # painted in logical pixels and scaled up: 0.36-0.7 of a slide's tiles
MOST_SEAM = 0.5  # a seam runs across; the queue banner's edge blends a sixth of a row
CHILD_TIMEOUT_S = 240


def cut_down(root: Path) -> Path:
    """The bundled content with two stories, two anniversary pages and two colouring
    pictures, and a poster that plays a clip when ffmpeg is here (the preview shows its first
    frame)."""
    content = root / "content"
    shutil.copytree(BUNDLED, content)
    for folder in ("stories", "anniversary"):
        for extra in sorted((content / folder).glob("*.md"))[KEPT:]:
            extra.unlink()
    listing = (content / "colouring" / "colouring.yaml").read_text(encoding="utf-8")
    head, *entries = listing.split("- file:")
    kept = [entry.split("\n", 1)[0].strip() for entry in entries[:KEPT]]
    (content / "colouring" / "colouring.yaml").write_text(
        head + "".join(f"- file:{entry}" for entry in entries[:KEPT]), encoding="utf-8")
    for picture in (content / "colouring").glob("*.svg"):
        if picture.name not in kept:
            picture.unlink()
    if shutil.which("ffmpeg"):
        pattern_clip(content / "posters" / "2-clip.mp4", seconds=1.0, size="1280x720")
    return content


def _screen_file(folder: Path, logical: tuple[int, int], ratio: float) -> Path:
    """An offscreen screen of the panel's device pixels; QT_SCALE_FACTOR makes the ratio."""
    path = folder / f"screen-{logical[0]}x{logical[1]}-{ratio}.json"
    path.write_text(json.dumps({"windowFrameMargins": False, "screens": [{
        "name": "panel", "x": 0, "y": 0, "logicalDpi": 96, "dpr": 1,
        "width": math.ceil(logical[0] * ratio), "height": math.ceil(logical[1] * ratio)}]}))
    return path


def _start(content: Path, out: Path, logical: tuple[int, int], ratio: float,
           reference: Path | None) -> subprocess.Popen[bytes]:
    env = {**os.environ,
           "QT_QPA_PLATFORM": f"offscreen:configfile={_screen_file(out.parent, logical, ratio)}",
           "QT_SCALE_FACTOR": f"{ratio:g}", "KIOSK_CACHE_DIR": str(out.parent / "cache")}
    for name in ("QT_SCREEN_SCALE_FACTORS", "QT_AUTO_SCREEN_SCALE_FACTOR",
                 "QT_ENABLE_HIGHDPI_SCALING"):
        env.pop(name, None)
    command = [sys.executable, "-m", "tests.dpr_shots", str(content), str(out),
               str(logical[0]), str(logical[1]), *([str(reference)] if reference else [])]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _finish(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        try:
            _, errors = child.communicate(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise
        assert child.returncode == 0, errors.decode(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, float], Any]:
    """Each orientation at each ratio, walked in a process of its own: ratio 1 first (what
    the others are compared with), then two at a time (the machine's two cores)."""
    root = tmp_path_factory.mktemp("hidpi")
    content = cut_down(root)
    found: dict[tuple[str, float], Any] = {}
    runs = [(name, 1.0) for name in ORIENTATIONS] \
        + [(name, ratio) for ratio in RATIOS for name in ORIENTATIONS]
    for first in range(0, len(runs), 2):
        batch = runs[first:first + 2]
        _finish([_start(content, root / f"{name}-{ratio:g}", ORIENTATIONS[name], ratio,
                        root / f"{name}-1" if ratio != 1.0 else None)
                 for name, ratio in batch])
    for name, ratio in runs:
        found[(name, ratio)] = json.loads(
            (root / f"{name}-{ratio:g}" / "shots.json").read_text(encoding="utf-8"))
    return found


CASES = [pytest.param(name, ratio, id=f"{name}-{ratio:g}")
         for name in ORIENTATIONS for ratio in RATIOS]


@pytest.mark.parametrize(("orientation", "ratio"), CASES)
def test_every_screen_is_grabbed_in_device_pixels(
        walked: dict[tuple[str, float], Any], orientation: str, ratio: float) -> None:
    run = walked[(orientation, ratio)]
    assert run["ratio"] == ratio  # QT_SCALE_FACTOR reached the window
    width, height = ORIENTATIONS[orientation]
    device = (math.ceil(width * ratio), math.ceil(height * ratio))
    screens = [shot["screen"] for shot in run["shots"]]
    assert screens == [shot["screen"] for shot in walked[(orientation, 1.0)]["shots"]]
    assert len(screens) > 20 and any(s.startswith("colouring-0") for s in screens)
    assert all((shot["width"], shot["height"]) == device for shot in run["shots"])


@pytest.mark.parametrize(("orientation", "ratio"), CASES)
def test_every_screen_looks_as_at_ratio_1(
        walked: dict[tuple[str, float], Any], orientation: str, ratio: float) -> None:
    wrong = [f"{shot['screen']}: mean {shot['difference']:.2f}, "
             f"worst tile {shot['worst_tile']:.0f}"
             for shot in walked[(orientation, ratio)]["shots"]
             if shot["screen"] not in DEVICE_PIXELS_ON_PURPOSE
             and (shot["difference"] > MOST_DIFFERENCE
                  or shot["worst_tile"] > MOST_TILE_DIFFERENCE)]
    assert not wrong, "scaled down, these differ from ratio 1:\n" + "\n".join(wrong)


@pytest.mark.parametrize(("orientation", "ratio"), CASES)
def test_every_screen_is_painted_in_device_pixels(
        walked: dict[tuple[str, float], Any], orientation: str, ratio: float) -> None:
    # A clip's frame is as sharp as the clip (here 720p, scaled up at every ratio).
    soft = [f"{shot['screen']}: {shot['upscaled']:.0%} of {shot['detail_tiles']} tiles"
            for shot in walked[(orientation, ratio)]["shots"]
            if shot["upscaled"] > MOST_UPSCALED and "clip" not in shot["screen"]]
    assert not soft, "scaled up from logical pixels:\n" + "\n".join(soft)


@pytest.mark.parametrize("orientation", list(ORIENTATIONS))
def test_no_seams_at_a_fractional_ratio(
        walked: dict[tuple[str, float], Any], orientation: str) -> None:
    # A clip's frame is the clip's own pixels (the test pattern's colour bars meet in a
    # column of their own, from the video's chroma).
    seams = [f"{shot['screen']}: {shot['seam']:.0%} of a row or column"
             for shot in walked[(orientation, 1.5)]["shots"]
             if shot["screen"] not in DEVICE_PIXELS_ON_PURPOSE and "clip" not in shot["screen"]
             and shot["seam"] > MOST_SEAM]
    assert not seams, "a line one device pixel wide:\n" + "\n".join(seams)


# -- the pieces, in this process (at ratio 1, given a ratio by hand) --------------------------


def test_a_cache_covers_its_box_in_whole_device_pixels(qapp: object) -> None:
    pixmap = device_pixmap(QSize(905, 401), 1.5)
    assert pixmap.size() == QSize(1358, 602) and pixmap.devicePixelRatio() == 1.5
    assert pixmap.deviceIndependentSize().width() >= 905
    assert device_size(QSize(1920, 1080), 2.0) == QSize(3840, 2160)
    assert device_rect(pixmap.rect(), 2.0).width() == 2 * 1358


def test_the_stage_copies_the_slide_s_own_pixels_under_a_partial_repaint(
        qtbot: QtBot) -> None:
    """The slide in device pixels, painted again in part (the overlay moved): the part under
    the repaint, not the top-left quarter of the slide magnified."""
    stage = SlideStage(Theme(1920, 1080))
    qtbot.addWidget(stage)
    stage.resize(400, 200)
    slide = device_pixmap(QSize(400, 200), 2.0)
    slide.fill(QColor("#ff0000"))
    painter = QPainter(slide)
    painter.fillRect(200, 0, 200, 200, QColor("#0000ff"))  # the right half blue
    painter.end()
    stage.show_pixmap(slide, False, 0)
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#000000"))
    painter = QPainter(image)
    stage._paint_current(painter, stage.rect().adjusted(300, 0, 0, 0))  # the right quarter
    painter.end()
    assert image.pixelColor(350, 100).name() == "#0000ff"


def test_a_video_frame_in_device_pixels_takes_its_logical_size_on_the_stage(
        qtbot: QtBot) -> None:
    stage = SlideStage(Theme(1920, 1080))
    qtbot.addWidget(stage)
    stage.resize(960, 540)
    frame = QImage(1600, 900, QImage.Format.Format_RGB32)
    frame.setDevicePixelRatio(2.0)
    frame.fill(QColor("#2860dc"))
    stage.show_video(frame, QColor("#ffffff"), False, 0)
    assert stage.video_rect.size() == QSize(800, 450)
    assert stage.video_rect.center().x() in (479, 480)


def test_the_colouring_canvas_in_device_pixels_maps_taps_and_repaints(
        qtbot: QtBot) -> None:
    """At ratio 2 the picture has twice the view's pixels each way: a tap at a logical
    point paints the device pixel under it, a change repaints where it shows."""
    lightness = np.full((400, 600), 255, dtype=np.uint8)
    lightness[:, 296:304] = 0  # a line down the middle: two regions
    canvas = Canvas(prepare(lightness, EngineSettings(gap_px=0)))
    view = CanvasView(Theme(1920, 1080))
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show_canvas(canvas, 2.0)
    assert view.origin.x() == (500 - 300) // 2 and view.origin.y() == (300 - 200) // 2
    pressed: list[tuple[int, int]] = []
    view.pressed.connect(lambda x, y: pressed.append((x, y)))
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(100 + 40, 50 + 30))
    assert pressed == [(80, 60)]
    box = canvas.fill(80, 60, 0xFFE53935)
    assert box is not None
    view.show()
    qtbot.waitExposed(view)
    view.repaint_box(box)
    shown = view.grab().toImage()
    assert shown.pixelColor(100 + 40, 50 + 30).name() == "#e53935"  # the left half
    assert shown.pixelColor(100 + 250, 50 + 30).name() == "#ffffff"  # not the right


@needs_libmpv
@needs_ffmpeg
def test_a_clip_is_drawn_in_device_pixels(qtbot: QtBot, tmp_path: Path) -> None:
    from kiosk.ui.video.player import open_player

    clip = pattern_clip(tmp_path / "clip.mp4", seconds=1.0, size="640x360")
    owner = QObject()
    player = open_player(owner)
    assert not isinstance(player, str)
    try:
        with qtbot.waitSignal(player.first_frame, timeout=5000):
            player.play(clip, QSize(320, 180), loop=False, ratio=2.0)
        assert player.image.size() == QSize(640, 360)
        assert player.image.devicePixelRatio() == 2.0
    finally:
        player.terminate()


# -- a turn of the screen while the kiosk runs (KioskWindow.follow_screen) -------------------


@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])
def test_a_turned_screen_gets_every_screen_laid_out_anew(
        qtbot: QtBot, make_window: WindowFactory) -> None:
    """Turned to portrait while a visitor reads a story: the window takes the new size, every
    screen is built anew in the portrait theme (nothing of the landscape layout stays, the
    pictures kept for it are let go), the visitor stays on their story; turned back, the
    attract loop goes on from its slide in landscape."""
    window = make_window()
    window.show_screen(window.stories)
    window.stories.go(1)
    story = window.stories.index
    old = list(window.screens)
    window.images.get(BUNDLED / "images" / "umbrella.svg", QSize(300, 300))
    with qtbot.waitSignal(window.laid_out, timeout=5000):
        window.follow_screen(QRect(0, 0, 1080, 1920))
    assert window.size() == QSize(1080, 1920)
    assert window.theme.portrait and (window.theme.width, window.theme.height) == (1080, 1920)
    assert not any(screen in old for screen in window.screens)
    assert all(screen.theme.portrait for screen in window.screens)
    assert window.current_screen is window.stories and window.stories.index == story
    assert window.notice_band.theme.portrait and window.queue_banner.theme.portrait
    settle(qtbot)
    assert all(not shiboken6.isValid(screen) for screen in old)  # deleted, not hidden
    assert window.stories.width() == 1080
    # The loop, shown again, is a portrait poster at the new size.
    window.go_to_attract()
    slide = window.attract.current_slide
    qtbot.waitUntil(lambda: window.attract.stage.width() == 1080, timeout=3000)
    assert window.attract.stage.current.deviceIndependentSize().toSize() \
        == window.attract.stage.size()
    assert window.attract.stage.height() > window.attract.stage.width()
    with qtbot.waitSignal(window.laid_out, timeout=5000):
        window.follow_screen(QRect(0, 0, 1920, 1080))
    assert not window.theme.portrait and window.attract.current_slide == slide
    qtbot.waitUntil(lambda: window.attract.stage.width() == 1920, timeout=3000)
    assert window.attract.stage.current.width() == 1920
