"""The colouring page on the bundled pictures (content/colouring/), offscreen.

    python bench/colouring.py [--runs 10] [--taps 200] [--moves 300] [--most 800]

Per picture: `--runs` prepares, `--taps` taps on each screen size and `--moves` brush moves.
With many pictures the prepares (40 in all) and the taps (`--most` in all on each size) are
spread over them, so the run stays under a minute however many pictures are bundled.

Figures: preparing a picture for the 1920×1080 canvas (line art rendered + regions labelled;
median and 95th percentile), opening one prepared ahead (its kept arrays read), tap to repaint
at 1920×1080 and 3840×2160 (the fill through `ColouringScreen._press` and a synchronous repaint
of the changed box; 95th percentile), one brush move with its repaint (95th percentile), and the
PSS one open picture adds at 1080p (the largest over the pictures).

Each part runs in a child process on an offscreen screen of its own size (QT_QPA_PLATFORM is
set per child), so the 4K window really is 3840×2160 and every memory figure starts from a
fresh process.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, Figure, median, offscreen_platform, own_kib, percentile, report

HD = (1920, 1080)
UHD = (3840, 2160)
BRUSH = "large"  # the widest brush (the eraser's size): the largest box per move
FILLS_BEFORE_MEMORY = 5  # fills made on the opened picture before its memory is read
PREPARES_AT_MOST = 40
# Each figure is printed with its same-run reference (a plain OpenCV or numpy pass over the
# same pixels: see prepare_times and Session.plain_fill) and judged on its absolute budget
# only: these references are short (1.5–3 ms, 0.5–6 ms) and moved with the machine's load more
# than the figures did (prepare 6× to 19× its reference between a loaded and an idle run,
# against 28–84 ms absolute), so here the ratio is the less stable of the two.


# -- the child: one offscreen window ---------------------------------------------------------


class Session:
    """A shown kiosk window on the colouring page, with the bundled pictures."""

    def __init__(self, size: tuple[int, int]) -> None:
        from PySide6.QtCore import QEvent, QObject

        from kiosk.core.content.loader import load_content
        from kiosk.ui.app import create_application
        from kiosk.ui.main_window import KioskWindow
        from kiosk.ui.theme import Theme

        self.app = create_application()  # as `kiosk run`: fonts, malloc tuning
        content = load_content(REPO / "content")
        self.pictures = list(content.colouring)
        if not self.pictures:
            raise RuntimeError("no colouring pictures in content/colouring/")
        self.window = KioskWindow(Theme(*size), content)
        self.window.show()
        self.wait(lambda: self.window.windowHandle() is not None
                  and self.window.windowHandle().isExposed())
        self.screen = self.window.colouring
        self.window.show_screen(self.screen)
        self.settle()
        if (self.window.width(), self.window.height()) != size:
            raise RuntimeError(f"the window is {self.window.size()}, not {size}: "
                               "is QT_QPA_PLATFORM an offscreen screen of that size?")

        class PaintCounter(QObject):
            """Counts the paint events the canvas widget gets: proof the repaint happened."""

            def __init__(self) -> None:
                super().__init__()
                self.count = 0

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.count += 1
                return False

        self.paints = PaintCounter()
        self.screen.view.installEventFilter(self.paints)

    def settle(self) -> None:
        for _ in range(5):
            self.app.processEvents()

    def wait(self, condition: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError("timed out waiting for the colouring page")
            self.app.processEvents()
            time.sleep(0.001)

    def open(self, index: int) -> None:
        """Open a picture the way the picker does and wait until it can be painted."""
        self.window.show_screen(self.screen)
        self.screen.open_picture(self.pictures[index])
        self.wait(lambda: self.screen.canvas is not None)
        self.settle()

    def close(self) -> None:
        """Leave the page (back to the pictures): the screen forgets the drawing. The picker's
        cards colour their pictures in off the UI thread the first time: wait for them, so
        neither their time nor their memory is counted to the next picture."""
        from PySide6.QtCore import QThreadPool

        self.window.show_screen(self.window.picker)
        self.settle()
        QThreadPool.globalInstance().waitForDone()
        self.settle()

    def paper_points(self, count: int, seed: int) -> list[tuple[int, int]]:
        """Random pixels of open paper (not line) that a tap would fill."""
        import numpy as np

        canvas = self.screen.canvas
        assert canvas is not None
        picture = canvas.picture
        ys, xs = np.nonzero((picture.lightness > 250) & (picture.owner != 0))
        chosen = np.random.default_rng(seed).integers(0, len(xs), size=count)
        return [(int(xs[i]), int(ys[i])) for i in chosen]

    def repaint(self, box: tuple[int, int, int, int] | None) -> None:
        """Repaint the canvas widget where `box` (picture coordinates) is, now."""
        from PySide6.QtCore import QRect

        if box is not None:
            origin = self.screen.view.origin.toPoint()
            x, y, w, h = box
            self.screen.view.repaint(QRect(origin.x() + x, origin.y() + y, w, h))

    def tap(self, x: int, y: int, colour: int) -> float:
        """Seconds from the press to the changed box repainted."""
        canvas = self.screen.canvas
        assert canvas is not None
        picture = canvas.picture
        box = picture.regions[picture.region_at(x, y)].box  # what fill() will return
        self.screen.colour = colour
        started = time.perf_counter()
        self.screen._press(x, y)
        self.repaint(box)
        elapsed = time.perf_counter() - started
        self.screen._release()
        return elapsed

    def plain_fill(self, x: int, y: int) -> float:
        """The same-run reference for a tap at (x, y): seconds a plain numpy fill takes, the
        least any fill does — the region's boolean mask over its box, and every pixel under
        it set — into the same RGBA buffer. It sets the colour the region already has, so the
        picture (and the tap measured next) is as it would be without it."""
        canvas = self.screen.canvas
        assert canvas is not None
        picture = canvas.picture
        label = picture.region_at(x, y)
        bx, by, bw, bh = picture.regions[label].box
        colour = canvas.paint[y, x]
        started = time.perf_counter()
        view = canvas.paint[by:by + bh, bx:bx + bw]
        view[picture.owner[by:by + bh, bx:bx + bw] == label] = colour
        return time.perf_counter() - started


def palette_colour(session: Session, turn: int, x: int, y: int) -> int:
    """The turn-th palette colour, or the next one if the pixel is already that colour (a
    tap that changes nothing would repaint nothing)."""
    from kiosk.core.colouring.engine import rgb
    from kiosk.ui.colouring.layout import PALETTE

    canvas = session.screen.canvas
    assert canvas is not None
    colour = rgb(PALETTE[turn % len(PALETTE)])
    if int(canvas.paint[y, x]) == colour:
        colour = rgb(PALETTE[(turn + 1) % len(PALETTE)])
    return colour


def prepare_times(session: Session, runs: int) -> tuple[list[float], list[float]]:
    """Seconds to prepare each picture (rendered, and labelled in the preparing child: the
    picture's trip there and the arrays' back counted), and for each prepare, right
    after it, the same-run reference: a plain OpenCV pass any preparation must at least make
    over the same picture at the same size — the lines thresholded and the paper between
    them labelled (cv2.connectedComponents, 4-connected)."""
    import cv2
    import numpy as np

    from kiosk.core.colouring.engine import INK_LEVEL, EngineSettings
    from kiosk.core.colouring.prepare_apart import prepare_apart
    from kiosk.ui.colouring.line_art import render_line_art

    size = session.screen.canvas_size()  # what open_picture() prepares for

    def once(index: int) -> tuple[float, float]:
        started = time.perf_counter()
        lightness = render_line_art(session.pictures[index].source, size)
        if lightness is None:
            raise RuntimeError(f"cannot render {session.pictures[index].source}")
        prepare_apart(lightness, EngineSettings())  # as the page does: in the waiting child
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        paper = (lightness >= INK_LEVEL).astype(np.uint8)
        cv2.connectedComponents(paper, connectivity=4, ltype=cv2.CV_32S)
        return elapsed, time.perf_counter() - started

    # Warm-up: starts the preparing child, which the window does when the picker shows
    # (kiosk.core.colouring.prepare_apart), before a picture is tapped.
    once(0)
    gc.collect()
    count = len(session.pictures)
    runs = max(1, min(runs, PREPARES_AT_MOST // count))
    both = [once(index) for _ in range(runs) for index in range(count)]
    return [t for t, _ in both], [r for _, r in both]


def open_kept_times(session: Session, runs: int) -> list[float]:
    """Seconds to open each picture as the page does once it was prepared ahead in the loop
    (kiosk.ui.colouring.ahead: the kept arrays read and checked, numpy alone), into a store
    of this run's own."""
    import tempfile

    from kiosk.core.colouring.engine import EngineSettings
    from kiosk.ui.colouring import ahead as colouring_ahead

    size = session.screen.canvas_size()
    gap = EngineSettings().gap_px
    with tempfile.TemporaryDirectory() as folder:
        colouring_ahead.use_store(Path(folder))
        try:
            colouring_ahead.prepare_ahead(session.pictures, size, gap)

            def once(index: int) -> float:
                started = time.perf_counter()
                if colouring_ahead.kept_picture(session.pictures[index].source, size,
                                                gap) is None:
                    raise RuntimeError(f"{session.pictures[index].source} was not kept")
                return time.perf_counter() - started

            once(0)
            gc.collect()
            count = len(session.pictures)
            runs = max(1, min(runs, PREPARES_AT_MOST // count))
            return [once(index) for _ in range(runs) for index in range(count)]
        finally:
            colouring_ahead.use_store(None)


def tap_times(session: Session, taps: int, most: int) -> tuple[list[float], list[float]]:
    """Seconds of each tap, and of the plain numpy fill of the same region just before it
    (Session.plain_fill, the same-run reference)."""
    count = len(session.pictures)
    taps = max(1, min(taps, most // count))
    times: list[float] = []
    references: list[float] = []
    for index in range(count):
        session.open(index)
        painted = session.paints.count
        gc.collect()
        for turn, (x, y) in enumerate(session.paper_points(taps, seed=index)):
            colour = palette_colour(session, turn, x, y)
            references.append(session.plain_fill(x, y))
            times.append(session.tap(x, y, colour))
        if session.paints.count - painted < taps:
            raise RuntimeError("the canvas was not repainted after every tap: is it shown?")
        session.close()
    return times, references


def brush_times(session: Session, moves: int) -> list[float]:
    from kiosk.core.colouring.engine import rgb
    from kiosk.ui.colouring.layout import BRUSH_RADII, PALETTE

    radius = session.screen.theme.px(BRUSH_RADII[BRUSH])
    times: list[float] = []
    for index in range(len(session.pictures)):
        session.open(index)
        canvas = session.screen.canvas
        assert canvas is not None
        width, height = canvas.picture.size
        # A Lissajous figure across the picture: ~25 px per move at 1080p, a quick finger.
        path = [(round(width / 2 + 0.42 * width * math.sin(3 * t + 0.5)),
                 round(height / 2 + 0.42 * height * math.sin(2 * t)))
                for t in (2 * math.pi * i / moves for i in range(moves + 1))]
        painted = session.paints.count
        gc.collect()
        session.repaint(canvas.begin_stroke(*path[0], rgb(PALETTE[index]), radius))
        for x, y in path[1:]:
            started = time.perf_counter()
            session.repaint(canvas.extend_stroke(x, y))
            times.append(time.perf_counter() - started)
        canvas.end_stroke()
        if session.paints.count - painted < moves:
            raise RuntimeError("the canvas was not repainted after every brush move")
        session.close()
    return times


def memory_added(session: Session, index: int) -> float:
    """KiB of PSS opening picture `index` adds, after another picture was opened and closed
    once (cv2 imported, the worker thread and Qt's caches warm)."""
    warm_up = (index + 1) % len(session.pictures)
    session.open(warm_up)
    for turn, (x, y) in enumerate(session.paper_points(FILLS_BEFORE_MEMORY, seed=99)):
        session.tap(x, y, palette_colour(session, turn, x, y))
    session.close()
    gc.collect()
    before = own_kib(os.getpid())
    session.open(index)
    for turn, (x, y) in enumerate(session.paper_points(FILLS_BEFORE_MEMORY, seed=index)):
        session.tap(x, y, palette_colour(session, turn, x, y))
    session.settle()
    gc.collect()
    return own_kib(os.getpid()) - before


def child(task: str, size: tuple[int, int], args: argparse.Namespace) -> None:
    session = Session(size)
    result: dict[str, Any] = {}
    if task == "timing":
        if size == HD:
            result["prepare"], result["prepare_reference"] = prepare_times(session, args.runs)
            result["open_kept"] = open_kept_times(session, args.runs)
        result["tap"], result["tap_reference"] = tap_times(session, args.taps, args.most)
        if size == HD:
            result["brush"] = brush_times(session, args.moves)
    elif task.startswith("memory:"):
        result["memory_kib"] = memory_added(session, int(task.split(":", 1)[1]))
    else:
        raise ValueError(task)
    print("RESULT " + json.dumps(result), flush=True)


# -- the parent: no Qt, one child per part ---------------------------------------------------


def spawn(task: str, size: tuple[int, int], args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(*size)}
    command = [sys.executable, __file__, "--child", task, "--size", f"{size[0]}x{size[1]}",
               "--runs", str(args.runs), "--taps", str(args.taps), "--moves", str(args.moves),
               "--most", str(args.most)]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT "):])
            return result
    sys.stderr.write(done.stderr)
    raise RuntimeError(f"{task} at {size[0]}×{size[1]} failed (exit {done.returncode})")


def picture_count() -> int:
    from kiosk.core.content.loader import load_content

    return len(load_content(REPO / "content").colouring)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10, help="prepares of each picture")
    parser.add_argument("--taps", type=int, default=200, help="taps on each picture")
    parser.add_argument("--moves", type=int, default=300, help="brush moves on each picture")
    parser.add_argument("--most", type=int, default=800, help="taps in all, on each size")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--size", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        width, height = (int(v) for v in args.size.split("x"))
        child(args.child, (width, height), args)
        return 0
    hd = spawn("timing", HD, args)
    uhd = spawn("timing", UHD, args)
    memory = [spawn(f"memory:{index}", HD, args)["memory_kib"] / 1024
              for index in range(picture_count())]
    ms = 1000
    return report([
        Figure("prepare_1080p_median", median(hd["prepare"]) * ms, "ms", 40,
               reference=median(hd["prepare_reference"]) * ms),
        Figure("prepare_1080p_p95", percentile(hd["prepare"], 0.95) * ms, "ms", 50,
               reference=percentile(hd["prepare_reference"], 0.95) * ms),
        Figure("open_kept_1080p_median", median(hd["open_kept"]) * ms, "ms", 40),
        Figure("open_kept_1080p_p95", percentile(hd["open_kept"], 0.95) * ms, "ms", 50),
        Figure("tap_to_repaint_1080p_p95", percentile(hd["tap"], 0.95) * ms, "ms", 3,
               reference=percentile(hd["tap_reference"], 0.95) * ms),
        Figure("tap_to_repaint_4k_p95", percentile(uhd["tap"], 0.95) * ms, "ms", 10,
               reference=percentile(uhd["tap_reference"], 0.95) * ms),
        Figure("brush_frame_p95", percentile(hd["brush"], 0.95) * ms, "ms", 8),
        Figure("memory_per_open_picture_1080p", max(memory), "MB", 40),
    ])


if __name__ == "__main__":
    sys.exit(main())
