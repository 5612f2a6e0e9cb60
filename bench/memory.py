"""The kiosk's memory (PSS) on the bundled content at 1920×1080, offscreen, screen by screen,
against an empty full-screen PySide6 window measured in the same run.

    python bench/memory.py [--seconds 30] [--sessions 3] [--settle 10]

One kiosk process, as `kiosk run` starts it, goes through what a day brings and reads its
PSS (smaps_rollup) after each step, with its children alive at that moment (the child that
prepares colouring pictures, the one that reads content files): their memory is the kiosk's.

- preparing ahead: the colouring pictures prepared and kept a few seconds after the start
  (kiosk.ui.colouring.ahead), the preparing child counted; the most read every 50 ms;
- cycling: the attract loop `--seconds` after that, and its highest moment over those seconds
  (read every 50 ms: a transition holds two slides, a poster is decoded 3 s before it is due);
- a poster slide and a teaser slide (a story's slide: its picture and its first lines) on show;
- the colouring session, as a child comes: the picker, its cards coloured in, the first picture
  opened (the most read every 20–50 ms meanwhile is "while preparing": the cards and the picture
  read from what was prepared ahead, a child only for what was not), a dozen fills coloured (the
  page), then the visitor leaves; the loop cycles `--settle` seconds and is read again, and once
  more as its next transition ends. That session is made `--sessions` times: own memory as a
  transition ends after the last session, less after the first, is the growth per day's
  visitors, which must stay near nothing (read at the same point of the loop: a reading at any
  moment moves by up to 7 MB with the slide it falls on, a poster decoded 3 s before it is due).

Figures: each PSS as the absolute value and as a ratio to the empty window's (its file-backed
share moves by tens of MB with other Qt programs running beside it; the ratio moves less). The
"own" figures (PSS less libraries and fonts, what the process allocated itself) are printed too,
for reading the memory apart from its neighbours.

A second reference, the bare loop (no budget): the leanest attract loop we could write on
PySide6, in the empty window's widget, holding its pictures as the kiosk does (the slide on
show, the next one decoded 3 s ahead, both during a crossfade), words in PT Sans on each, and
nothing else; read at the end of the same `--seconds` of cycling and at its highest moment.
The kiosk's cycling figures less the bare loop's are what the kiosk itself adds.

Budgets: 80 MB while cycling and with a poster or a teaser slide on show (issue 18); the
colouring page 130 MB, and while its pictures are prepared; after a colouring session, back on
the loop, 80 MB plus `RETURN_ALLOWANCE`: numpy, once loaded, stays mapped (Python cannot unload
a module; OpenCV is loaded only in the preparing child, kiosk.core.colouring.prepare_apart); the
rest must come back."""

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
RETURN_ALLOWANCE_MB = 8.0  # numpy's modules and libraries
STORIES_MB = 30.0  # the photos decoded and kept for going back (three screens' worth)
GROWTH_MB = 3.0  # after the last session less after the first, both as a transition ends
FILLS = 12
STORIES = 12  # read one after another in the stories session, each with its picture


def _pss_line(name: str, figures: tuple[int, int] | None = None) -> None:
    """`PSS name total_kib own_kib` on stdout, for the parent: `figures`, or `_pss()` now."""
    total, own = figures or _pss()
    print(f"PSS {name} {total} {own}", flush=True)


def _pss() -> tuple[int, int]:
    """(PSS, own) in KiB of the kiosk's process and its children alive at that moment (the
    child preparing a colouring picture, the one reading content files): theirs is the
    kiosk's memory too."""
    from pathlib import Path

    from kiosk.core.service.memory import process_memory

    total = own = 0
    for proc in [Path("/proc/self"), *(Path(f"/proc/{pid}") for pid in _children())]:
        memory = process_memory(proc)
        if memory is None:  # a child gone meanwhile
            continue
        total += memory.total_kib
        own += memory.own_kib if memory.own_kib is not None else memory.total_kib
    return total, own


def _children() -> set[str]:
    found: set[str] = set()
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as listed:
                found.update(listed.read().split())
        except OSError:  # a thread ended meanwhile
            pass
    return found


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


# The bare loop's pace and words: the bundled kiosk.yaml's slide_seconds and transition_ms, the
# kiosk's lead for a slide's pictures (kiosk.ui.attract.screen.PICTURE_LEAD_S), and a story
# slide's kind of text in the bundled PT Sans.
BARE_SLIDE_S = 9.0
BARE_FADE_MS = 700
BARE_LEAD_S = 3.0
BARE_HEADING = "Искренний сервис: двенадцать лет «Моих Документов»"
BARE_LINE = "Сотрудник объяснил всё спокойно и по порядку — и помог, как помог бы близкому."


def bare_child(seconds: float, slides: list[str]) -> None:
    """The second reference: the leanest attract loop we could write on PySide6, holding its
    pictures as the kiosk does. The empty window's widget shows full-screen JPEG slides with
    a heading and six lines drawn on each in PT Sans; the next slide is decoded and drawn
    BARE_LEAD_S before it is due and crossfades in at 60 frames a second over the slide
    before, which is let go (and the freed heap handed back) as the fade ends. No other
    module, screen, thread or file. Reads the most every 50 ms over `seconds` from the first
    slide on screen, and once at their end."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtGui import (
        QColor,
        QFont,
        QFontDatabase,
        QImage,
        QImageReader,
        QPainter,
        QPaintEvent,
        QPixmap,
    )
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk.core.service.heap import release_freed_memory  # as the kiosk's loop hands it back

    app = QApplication([])
    fonts = os.path.join(REPO, "src", "kiosk", "assets", "fonts")
    family = "PT Sans"
    for name in ("PTSans-Regular.ttf", "PTSans-Bold.ttf"):
        QFontDatabase.addApplicationFont(os.path.join(fonts, name))
    def composed(index: int) -> QPixmap:
        picture = QImageReader(slides[index % len(slides)]).read()
        picture = picture.convertToFormat(QImage.Format.Format_RGB32)
        painter = QPainter(picture)
        painter.setPen(QColor("white"))
        heading = QFont(family, 1, QFont.Weight.Bold)
        heading.setPixelSize(64)
        painter.setFont(heading)
        painter.drawText(120, 260, BARE_HEADING)
        words = QFont(family)
        words.setPixelSize(38)
        painter.setFont(words)
        for line in range(6):
            painter.drawText(120, 360 + 56 * line, BARE_LINE)
        painter.end()
        return QPixmap.fromImage(picture)

    class Stage(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.shown = composed(0)
            self.coming: QPixmap | None = None
            self.opacity = 0.0

        def paintEvent(self, event: QPaintEvent) -> None:
            painter = QPainter(self)
            painter.drawPixmap(0, 0, self.shown)
            if self.coming is not None:
                painter.setOpacity(self.opacity)
                painter.drawPixmap(0, 0, self.coming)
            painter.end()

    stage = Stage()
    stage.showFullScreen()
    index = [0]
    clock = QElapsedTimer()
    frames = QTimer()
    frames.setInterval(16)

    def decode_next() -> None:
        index[0] += 1
        stage.coming = composed(index[0])
        stage.opacity = 0.0
        QTimer.singleShot(int(BARE_LEAD_S * 1000), fade_in)

    def fade_in() -> None:
        clock.start()
        frames.start()

    def frame() -> None:
        stage.opacity = min(1.0, clock.elapsed() / BARE_FADE_MS)
        stage.update()
        if stage.opacity >= 1.0 and stage.coming is not None:
            frames.stop()
            stage.shown, stage.coming = stage.coming, None
            release_freed_memory()

    frames.timeout.connect(frame)
    every_slide = QTimer()
    every_slide.timeout.connect(decode_next)
    highest = [0, 0]

    def sample() -> None:
        total, own = _pss()
        if total > highest[0]:
            highest[:] = [total, own]

    sampler = QTimer()
    sampler.timeout.connect(sample)

    def first_lead() -> None:  # then each slide's lead BARE_SLIDE_S after the one before
        decode_next()
        every_slide.start(int(BARE_SLIDE_S * 1000))

    def begin() -> None:  # the first slide is on screen: the loop as it runs from now on
        QTimer.singleShot(int((BARE_SLIDE_S - BARE_LEAD_S) * 1000), first_lead)
        sampler.start(50)
        QTimer.singleShot(int(seconds * 1000), end)

    def end() -> None:
        _pss_line("bare")
        _pss_line("bare_highest", (highest[0], highest[1]))
        app.quit()

    QTimer.singleShot(0, begin)
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

        # The colouring pictures prepared ahead, a few seconds after the start (the preparing
        # child counted): the most read every 50 ms until all are kept and the child is gone.
        ahead = [(0, 0)]

        def preparing_ahead() -> bool:
            ahead[0] = max(ahead[0], _pss())
            apart = sys.modules.get("kiosk.core.colouring.prepare_apart")
            return window.colouring_all_kept() and apart is not None \
                and not apart.engine().running

        later(0.0, preparing_ahead)
        later(0.0, lambda: _pss_line("preparing_ahead", ahead[0]))
        # Then the loop for `seconds`, read every 50 ms for its highest moment (a transition
        # holds the slide before beside the next; a poster is decoded 3 s before it is due),
        # and at their end, as before, at whatever moment of its slide that falls on.
        top, began = [(0, 0)], [0.0]

        def cycling() -> bool:
            import time

            now = time.monotonic()
            began[0] = began[0] or now
            top[0] = max(top[0], _pss())
            return now - began[0] >= seconds

        later(0.0, cycling)
        later(0.0, lambda: _pss_line("cycling_highest", top[0]))
        later(0.0, lambda: _pss_line("cycling"))
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
        peak = [(0, 0)]  # the most read while the picker's cards and the picture are prepared

        def highest() -> None:
            now = _pss()
            peak[0] = max(peak[0], now)

        for session in range(sessions):
            def to_the_picker() -> None:  # as a child comes: the cards, then a picture
                peak[0] = (0, 0)
                window.show_screen(window.picker)

            later(0.5, to_the_picker)

            def cards_coloured() -> bool:
                highest()
                return all(card.coloured for card in window.picker.thumbnails
                           if card.isVisible())

            later(0.05, cards_coloured)
            later(0.3, lambda: window._colour(window.content.colouring[0].id))

            def opened() -> bool:
                highest()
                return window.colouring.canvas is not None

            later(0.02, opened)
            later(0.0, lambda s=session: _pss_line(f"preparing_{s}", peak[0]))

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
            # And at the same point of the loop each time, for the growth: a reading above
            # moves by up to 7 MB with the slide it falls on (a poster decoded 3 s ahead).
            later(0.0, lambda: seen.__setitem__(0, transitions[0]))
            later(0.02, lambda: transitions[0] > seen[0])
            later(0.0, lambda s=session: _pss_line(f"rest_{s}"))

    transitions, seen = [0], [0]  # transitions ended so far; when last looked

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
        stage.transition_finished.connect(
            lambda: transitions.__setitem__(0, transitions[0] + 1))

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
    import math
    import tempfile
    from pathlib import Path

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from common import Figure, report

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--settle", type=float, default=10.0)
    args = parser.parse_args()
    from versus_chromium import make_slides

    empty = spawn("empty")["empty"]
    slides = make_slides(Path(tempfile.gettempdir()) / "kiosk-bench-memory-slides")
    bare = spawn("bare", str(args.seconds), *map(str, slides))
    kiosk = spawn("kiosk", str(args.seconds), str(args.sessions), str(args.settle))
    nan = (float("nan"), float("nan"))
    last = args.sessions - 1
    for name, (total, own) in {"empty": empty, **bare, **kiosk}.items():
        print(f"# {name}: PSS {total:.1f} MB, own {own:.1f} MB", flush=True)
    at_end = kiosk.get("cycling", nan)[0] - bare["bare"][0]
    at_highest = kiosk.get("cycling_highest", nan)[0] - bare["bare_highest"][0]
    print(f"# the kiosk over the bare loop: +{at_end:.1f} MB as read at the end of cycling, "
          f"+{at_highest:.1f} MB at the highest moment; a budget of {CYCLING_MB:g} MB leaves it "
          f"{CYCLING_MB - bare['bare_highest'][0]:.1f} MB over the bare loop's highest", flush=True)

    def pss(name: str, budget: float) -> Figure:
        return Figure(f"pss_{name}", kiosk.get(name, nan)[0], "MB", budget, reference=empty[0])

    pages = [kiosk[f"colouring_{s}"][0] for s in range(args.sessions)
             if f"colouring_{s}" in kiosk]
    colouring = max(pages) if len(pages) == args.sessions else float("nan")
    preparing = [kiosk[f"preparing_{s}"][0] for s in range(args.sessions)
                 if f"preparing_{s}" in kiosk]
    growth = kiosk.get(f"rest_{last}", nan)[1] - kiosk.get("rest_0", nan)[1]
    returned = [pss(f"returned_{s}", CYCLING_MB + RETURN_ALLOWANCE_MB) for s in sorted({0, last})]
    return report([
        pss("cycling", CYCLING_MB),
        pss("cycling_highest", CYCLING_MB),  # "while cycling" is every moment of the loop
        pss("poster_slide", CYCLING_MB),
        pss("teaser_slide", CYCLING_MB),
        # The second reference (no budget: PySide6's own floor for this loop, not the kiosk's).
        Figure("pss_bare_loop", bare["bare"][0], "MB", math.inf, reference=empty[0]),
        Figure("pss_bare_loop_highest", bare["bare_highest"][0], "MB", math.inf,
               reference=empty[0]),
        Figure("pss_colouring_page", colouring, "MB", COLOURING_MB, reference=empty[0]),
        # The pictures prepared ahead in the loop, once per new content (the preparing child
        # counted): the work the picker's visit did before, so the page's budget.
        pss("preparing_ahead", COLOURING_MB),
        # The picker's cards and the picture opened (a child prepares only what was not
        # kept): the most of the readings every 20–50 ms, over the sessions.
        Figure("pss_while_preparing", max(preparing) if len(preparing) == args.sessions
               else float("nan"), "MB", COLOURING_MB, reference=empty[0]),
        pss("stories", CYCLING_MB + STORIES_MB),
        pss("returned_stories", CYCLING_MB),
        *returned,
        Figure("own_growth_over_sessions", growth, "MB", GROWTH_MB),
    ])


def child(args: list[str]) -> int:
    """`--child empty`, `--child bare SECONDS SLIDE...` or `--child kiosk SECONDS SESSIONS
    SETTLE` (spawn's)."""
    if args[0] == "empty":
        empty_child()
    elif args[0] == "bare":
        bare_child(float(args[1]), args[2:])
    else:
        kiosk_child(float(args[1]), int(args[2]), float(args[3]))
    return 0


if __name__ == "__main__":
    sys.exit(child(sys.argv[2:]) if sys.argv[1:2] == ["--child"] else main())
