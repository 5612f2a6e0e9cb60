"""The kiosk's memory (PSS) on the bundled content at 1920×1080, offscreen, screen by screen,
against an empty full-screen PySide6 window measured in the same run.

    python bench/memory.py [--seconds 30] [--sessions 3] [--settle 10]

One kiosk process, as `kiosk run` starts it, goes through what a day brings and reads its own
PSS (smaps_rollup) after each step:

- cycling: the attract loop after `--seconds` of slides;
- a poster slide and a teaser slide (a story's slide: its picture and its first lines) on show;
- the colouring page: a picture opened and a dozen fills coloured (numpy and OpenCV come with
  the page), then the visitor leaves; the loop cycles `--settle` seconds and is read again.
  That session is made `--sessions` times: PSS after the last return less after the first is
  the growth per day's visitors, which must stay near nothing.

Figures: each PSS as the absolute value and as a ratio to the empty window's (its file-backed
share moves by tens of MB with other Qt programs running beside it; the ratio moves less). The
"own" figures (PSS less libraries and fonts, what the process allocated itself) are printed too,
for reading the memory apart from its neighbours.

Budgets: 80 MB while cycling and with a poster or a teaser slide on show (issue 18); the
colouring page 130 MB (its picture's arrays and OpenCV's libraries); after a colouring session,
back on the loop, 80 MB plus `RETURN_ALLOWANCE`: numpy and OpenCV, once loaded, stay mapped
(Python cannot unload a module), about 6 MB of libraries; the rest must come back.
"""

from __future__ import annotations

# The children import nothing at the top but what Python itself has loaded at start (as
# bench/startup_child.py): what the kiosk's process holds is the kiosk's, not the benchmark's
# (its figures, statistics, JSON record and argument parser: ~0.2 MB here).
import os
import sys

TYPE_CHECKING = False  # as typing's, without importing typing into the children
if TYPE_CHECKING:
    from common import Figure

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE = (1920, 1080)
CYCLING_MB = 80.0
COLOURING_MB = 130.0
RETURN_ALLOWANCE_MB = 8.0
STORIES_MB = 30.0  # the photos decoded and kept for going back (three screens' worth)
GROWTH_MB = 3.0  # after the last session less after the first
FILLS = 12
STORIES = 12  # read one after another in the stories session, each with its picture


def _pss_line(name: str) -> None:
    """`PSS name total_kib own_kib` on stdout, for the parent."""
    from kiosk.core.memory import process_memory

    memory = process_memory()
    assert memory is not None
    own = memory.own_kib if memory.own_kib is not None else memory.total_kib
    print(f"PSS {name} {memory.total_kib} {own}", flush=True)


# -- the children ----------------------------------------------------------------------------


def empty_child() -> None:
    """The reference: an empty full-screen window that paints once, read 0.5 s later."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QColor, QPainter, QPaintEvent
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])

    class Empty(QWidget):
        def paintEvent(self, event: QPaintEvent) -> None:
            painter = QPainter(self)
            painter.fillRect(self.rect(), QColor("#202020"))
            painter.end()

    window = Empty()
    window.showFullScreen()

    def read() -> None:
        _pss_line("empty")
        app.quit()

    QTimer.singleShot(500, read)
    app.exec()


def kiosk_child(seconds: float, sessions: int, settle: float) -> None:
    """`kiosk run` on the bundled content, as the console script starts it (kiosk.entry)."""
    from PySide6.QtCore import QTimer

    from kiosk.core.playlist import SlideKind
    from kiosk.entry import main
    from kiosk.ui.main_window import KioskWindow

    steps: list[tuple[float, object]] = []  # (delay in seconds, step) run one after another

    def later(delay: float, step: object) -> None:
        steps.append((delay, step))

    def next_step() -> None:
        if not steps:
            os.kill(os.getpid(), 15)  # SIGTERM: the kiosk ends as it does when stopped
            return
        delay, step = steps.pop(0)

        def go() -> None:
            assert callable(step)
            if step() is not False:
                next_step()
            else:  # not ready yet: the same step again shortly
                steps.insert(0, (0.05, step))
                next_step()

        QTimer.singleShot(round(delay * 1000), go)

    def plan(window: KioskWindow) -> None:
        attract = window.attract

        def slide_of(kind: SlideKind, with_picture: bool) -> object:
            assert attract.playlist is not None
            for slide in attract.playlist.slides:
                if slide.kind is kind:
                    return slide
            raise RuntimeError(f"no {kind.value} slide in the bundled content")

        def show(kind: SlideKind, name: str) -> None:
            def step() -> None:
                attract.display(slide_of(kind, True))  # type: ignore[arg-type]
                attract.slide_timer.stop()  # stays on show while it is read
            later(0.5, step)
            later(0.5, lambda: _pss_line(name))

        later(seconds, lambda: _pss_line("cycling"))
        show(SlideKind.POSTER, "poster_slide")
        show(SlideKind.STORY, "teaser_slide")
        later(0.1, lambda: attract.reschedule())

        # A visitor reads stories, each with its picture (decoded and kept by the loader).
        def read(index: int) -> None:
            stories = window.stories
            if index == 0:
                stories.reset()
                window.show_screen(stories)
            stories.go(index % max(1, len(stories.visible_stories)))

        def picture_shown() -> bool:
            box = window.stories.card.image
            return box.path is None or not box.waiting

        for index in range(STORIES):
            later(0.3, lambda i=index: read(i))
            later(0.05, picture_shown)
        later(0.3, lambda: _pss_line("stories"))
        later(0.2, window.go_to_attract)
        later(settle, lambda: _pss_line("returned_stories"))
        for session in range(sessions):
            later(0.5, lambda: window._colour(window.content.colouring[0].id))

            def opened() -> bool:
                return window.colouring.canvas is not None

            later(0.05, opened)

            def colour() -> None:
                screen = window.colouring
                canvas = screen.canvas
                assert canvas is not None
                height, width = canvas.paint.shape
                for index in range(FILLS):
                    screen.colour = screen.swatches[index % len(screen.swatches)].argb
                    screen._press(width * (index % 4 + 1) // 5, height * (index // 4 + 1) // 4)
                    screen._release()

            later(0.2, colour)
            later(0.5, lambda s=session: _pss_line(f"colouring_{s}"))
            later(0.5, window.go_to_attract)
            later(settle, lambda s=session: _pss_line(f"returned_{s}"))

    windows: list[KioskWindow] = []

    def watch(window: KioskWindow) -> None:
        windows.append(window)
        stage = window.attract.stage

        def painted() -> None:
            if window.content.is_empty or stage.current.isNull():
                return
            stage.painted.disconnect(painted)
            plan(window)
            next_step()

        stage.painted.connect(painted)

    main(["run", "--content", os.path.join(REPO, "content"), "--size", "x".join(map(str, SIZE))],
         on_window=watch)


# -- the parent ------------------------------------------------------------------------------


def spawn(*args: str) -> dict[str, tuple[float, float]]:
    """Run a child; its PSS lines as {name: (total MB, own MB)}."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from common import offscreen_platform

    state = Path(tempfile.gettempdir()) / "kiosk-bench-memory-state"
    shutil.rmtree(state, ignore_errors=True)
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(*SIZE),
           "KIOSK_STATE_DIR": str(state)}
    done = subprocess.run([sys.executable, __file__, "--child", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    found: dict[str, tuple[float, float]] = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "PSS":
            found[parts[1]] = (int(parts[2]) / 1024, int(parts[3]) / 1024)
    if not found:
        raise RuntimeError(f"child {args} printed no figures: {done.stderr[-2000:]}")
    return found


def main() -> int:
    import argparse

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from common import Figure, report

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--settle", type=float, default=10.0)
    args = parser.parse_args()
    empty = spawn("empty")["empty"]
    kiosk = spawn("kiosk", str(args.seconds), str(args.sessions), str(args.settle))
    nan = (float("nan"), float("nan"))
    last = args.sessions - 1
    for name, (total, own) in {"empty": empty, **kiosk}.items():
        print(f"# {name}: PSS {total:.1f} MB, own {own:.1f} MB", flush=True)

    def pss(name: str, budget: float) -> Figure:
        return Figure(f"pss_{name}", kiosk.get(name, nan)[0], "MB", budget, reference=empty[0])

    pages = [kiosk[f"colouring_{s}"][0] for s in range(args.sessions)
             if f"colouring_{s}" in kiosk]
    colouring = max(pages) if len(pages) == args.sessions else float("nan")
    growth = kiosk.get(f"returned_{last}", nan)[1] - kiosk.get("returned_0", nan)[1]
    returned = [pss(f"returned_{s}", CYCLING_MB + RETURN_ALLOWANCE_MB) for s in sorted({0, last})]
    return report([
        pss("cycling", CYCLING_MB),
        pss("poster_slide", CYCLING_MB),
        pss("teaser_slide", CYCLING_MB),
        Figure("pss_colouring_page", colouring, "MB", COLOURING_MB, reference=empty[0]),
        pss("stories", CYCLING_MB + STORIES_MB),
        pss("returned_stories", CYCLING_MB),
        *returned,
        Figure("own_growth_over_sessions", growth, "MB", GROWTH_MB),
    ])


def child(args: list[str]) -> int:
    """`--child empty` or `--child kiosk SECONDS SESSIONS SETTLE` (spawn's)."""
    if args[0] == "empty":
        empty_child()
    else:
        kiosk_child(float(args[1]), int(args[2]), float(args[3]))
    return 0


if __name__ == "__main__":
    sys.exit(child(sys.argv[2:]) if sys.argv[1:2] == ["--child"] else main())
