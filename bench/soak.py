"""Soak: the kiosk, offscreen at 1920×1080 on the bundled content, with its clocks driven by
hand, goes through many attract transitions and random visitor sessions.

    python bench/soak.py [--transitions 100000] [--sessions 10000] [--seed 1]

Accelerated, not faked: every transition renders its slide, paints a frame in the middle of
the blend and finishes it (only the waiting is skipped); every session taps, swipes and
touches with several fingers through the window as the screen would deliver it, on every
screen (menu, reading screens, colouring, the PIN pad, the staff menu and the screen test),
then walks away so the idle reset runs. The run is a child process, so a crash is counted.

Figures: crashes, unhandled exceptions (sys.excepthook), queue calls that did not reach the
screen, memory growth from the end of the warm-up (the first tenth) to the end, and the rates.
Memory is the process's own: PSS less its file-backed part (see below), sampled a hundred times
on the idle kiosk: on the attract screen just after a visitor left, once background work has
finished, and after the freed heap is handed back to the system as the kiosk does when a
visitor leaves (the raw figures, before that, are printed too). Whole PSS also counts the
shared libraries and fonts, split among all the processes that map them: it stepped by ~25-35
MB, up or down, whenever another Qt program started or ended beside the soak (a test run,
another benchmark), which once read as a leak.
`--trace` prints every sample with the widgets and Python objects alive, the first things to
look at when memory grows (SOAK_TRACEMALLOC=1 adds where the Python heap grew).

The harness calls the window's own slots where Qt's timers would (the slide timer, the session
tick) and, between events, does what the running event loop does (posted events, deferred
deletes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, Figure, offscreen_platform, own_kib, pss_kib, report

SIZE = (1920, 1080)
PIN = "2580"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Wall:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.start = dt.datetime(2026, 8, 22, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.clock.now)


def malloc_in_use_mib() -> float:
    """Bytes glibc's malloc has handed out and not had back (every arena, and its own mmaps),
    in MiB; NaN without glibc 2.33. Flat while the process's memory climbs: the heap is
    fragmenting. Climbing with it: something allocates and never frees."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost")]

    try:
        mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return float("nan")
    mallinfo2.restype = MallInfo2
    info = mallinfo2()
    in_use: int = info.uordblks + info.hblkhd
    return in_use / 2**20


def child(transitions: int, sessions: int, seed: int, trace: bool = False) -> None:
    from PySide6.QtCore import QEvent, QPoint, Qt, QThread, QThreadPool
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractButton

    from kiosk.core.content.loader import load_content
    from kiosk.core.pin import PinStore
    from kiosk.core.service.heap import release_freed_memory
    from kiosk.ui.app import create_application, install_error_handlers
    from kiosk.ui.main_window import KioskWindow
    from kiosk.ui.resources import probe_image
    from kiosk.ui.theme import Theme

    app = create_application()
    errors = install_error_handlers()
    # The kiosk logs what it does not catch; here that goes to stderr, whose tail the parent
    # prints when the soak fails (an exception in this loop itself would end it silently).
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setLevel(logging.ERROR)
    logging.getLogger().addHandler(to_stderr)
    state = tempfile.TemporaryDirectory()
    pins = PinStore(Path(state.name))
    pins.set_pin(PIN)
    clock = Clock()
    window = KioskWindow(Theme(*SIZE), load_content(REPO / "content", probe_image), clock,
                         utc_now=Wall(clock), pins=pins)
    window.visitor_left.connect(release_freed_memory)  # as `kiosk run` wires it
    exits: list[int] = []
    window.exit_requested.connect(exits.append)
    window.show()
    QTest.qWaitForWindowExposed(window)
    handle = window.windowHandle()
    assert handle is not None
    device = QTest.createTouchDevice()
    rng = random.Random(seed)
    settings = window.content.settings
    w, h = SIZE

    pool = QThreadPool.globalInstance()

    def jobs_done() -> None:
        # Not pool.waitForDone(): that also ends the pool's threads, and each new one costs
        # what OpenCV keeps per thread for good. The kiosk never calls it while running.
        while pool.activeThreadCount():
            QThread.msleep(1)

    def settle() -> None:
        app.processEvents()
        # What the running event loop does between events: delete what was deleteLater()'d
        # (a bare processEvents() never does, and would look like a leak).
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def point() -> QPoint:
        return QPoint(rng.randrange(w), rng.randrange(h))

    def tap(at: QPoint) -> None:
        QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
        clock.now += 0.2
        settle()

    def tap_button() -> None:
        buttons = [b for b in window.current_screen.findChildren(QAbstractButton)
                   if b.isVisible() and b.isEnabled()]
        if buttons:
            button = rng.choice(buttons)
            tap(button.mapTo(window, button.rect().center()))
        else:
            tap(point())

    def swipe() -> None:
        start = point()
        end = QPoint(min(w - 1, max(0, start.x() + rng.randint(-w // 2, w // 2))),
                     min(h - 1, max(0, start.y() + rng.randint(-60, 60))))
        QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         start)
        for step in range(1, 5):
            QTest.mouseMove(handle, start + (end - start) * step / 4)
        QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           end)
        clock.now += 0.5
        settle()

    def fingers() -> None:
        count = rng.randint(1, 5)
        starts = [point() for _ in range(count)]
        sequence = QTest.touchEvent(handle, device)
        for i, at in enumerate(starts):
            sequence.press(i, at)
        sequence.commit()
        shift = QPoint(rng.randint(-200, 200), rng.randint(-200, 200))
        for step in (1, 2, 3):
            sequence = QTest.touchEvent(handle, device)
            for i, at in enumerate(starts):
                sequence.move(i, at + shift * step / 3 * (1 if i % 2 else -1))
            sequence.commit()
        sequence = QTest.touchEvent(handle, device)
        for i, at in enumerate(starts):
            sequence.release(i, at + shift * (1 if i % 2 else -1))
        sequence.commit()
        clock.now += 0.5
        settle()

    def staff() -> None:
        for _ in range(5):
            tap(QPoint(20, 20))
        settle()
        if window.current_screen is window.pin_pad and rng.random() < 0.7:
            for digit in PIN:
                window.pin_pad.keys[digit].click()
            window.pin_pad.enter.click()
            settle()
        if window.current_screen is window.staff and rng.random() < 0.4:
            window.staff.buttons[next(iter(window.staff.buttons))].click()  # reload
            window.update_content(window.content)  # as the reloader answers
        if window.current_screen is window.staff and rng.random() < 0.3:
            from kiosk.ui.staff.menu import StaffAction

            window.staff.buttons[StaffAction.PATTERN].click()
            settle()

    def colour() -> None:
        if window.current_screen is not window.menu:
            return
        from kiosk.ui.menu import Destination

        window.menu.tiles[Destination.COLOURING].click()
        pictures = window.content.colouring
        if pictures:
            window.picker.picture_chosen.emit(rng.choice(pictures).id)
            jobs_done()
            settle()

    # The electronic queue, as a centre's system would publish it: a text file of the last
    # calls, rewritten whole. The kiosk polls it (every second, in real time) like any other.
    from kiosk.core.settings import QueueSettings
    from kiosk.ui.queue.source import QueueSource

    queue_file = Path(state.name) / "queue.txt"
    queue_file.write_text("", encoding="utf-8")
    queue = QueueSource(QueueSettings(str(queue_file), format="text"), Path(state.name),
                        clock=clock, parent=window)
    window.set_queue(queue)
    queue.start()
    called: list[str] = []
    banners = [0]  # calls after which the banner was on screen
    calls_made = [0]

    def call() -> None:
        calls_made[0] += 1
        called.append(f"А{calls_made[0] % 1000:03d} {rng.randint(1, 40)}")
        del called[:-20]
        partial = queue_file.with_suffix(".part")
        partial.write_text("\n".join(called) + "\n", encoding="utf-8")
        os.replace(partial, queue_file)
        announced = queue.follower.announced_total
        # Polled at once, as its next poll would (without waiting a second for it): read, then
        # parsed in a worker, a few turns of the loop. A poll already under way may answer
        # with the file as it was, so it is asked again until the call is announced.
        for _ in range(100):
            queue.ask_now()
            settle()
            jobs_done()
            if queue.follower.announced_total > announced:
                break
        settle()
        banners[0] += window.queue_banner.isVisible()

    actions = {"button": (tap_button, 5), "tap": (lambda: tap(point()), 3), "swipe": (swipe, 2),
               "fingers": (fingers, 2), "colour": (colour, 1), "staff": (staff, 1),
               "queue": (call, 1)}
    chosen = os.environ.get("SOAK_ACTIONS", ",".join(actions)).split(",")
    weighted = [act for name in chosen for act in [actions[name][0]] * actions[name][1]]

    def session() -> None:
        tap(point())  # from attract: the menu
        for _ in range(rng.randint(4, 16)):
            rng.choice(weighted)()
        clock.now += settings.idle_seconds  # walks away
        window._tick()
        clock.now += settings.warning_seconds
        window._tick()
        settle()
        if window.current_screen is not window.attract:
            window.go_to_attract()  # a visitor who answered «still here» on the last tap

    stage = window.attract.stage
    attract = window.attract

    def transition() -> None:
        playlist = attract.playlist
        assert playlist is not None
        clock.now += playlist.current.duration
        attract._next_slide()
        if stage.in_transition:
            duration = stage.animation.duration()
            stage.animation.setCurrentTime(duration // 2)
            stage.repaint()  # a real frame of the blend, painted now
            stage.animation.setCurrentTime(duration)  # and the end of it
        settle()

    # Every screen and picture once before counting: first-use caches are not growth.
    from kiosk.ui.menu import Destination
    from kiosk.ui.staff.menu import StaffAction

    tap(point())
    for picture in window.content.colouring:
        window.menu.tiles[Destination.COLOURING].click()
        window.picker.picture_chosen.emit(picture.id)
        jobs_done()
        settle()
        window.show_screen(window.menu)
    window.open_pin_pad()
    for digit in PIN:
        window.pin_pad.keys[digit].click()
    window.pin_pad.enter.click()
    window.staff.buttons[StaffAction.PROBLEMS].click()
    window.staff.buttons[StaffAction.PATTERN].click()
    settle()
    window.go_to_attract()

    every = max(1, transitions // max(1, sessions))
    # Memory sampled a hundred times on the idle kiosk. Each sample is taken twice: as it
    # stands (`raw`), then after handing the heap glibc keeps after frees back to the system,
    # as the kiosk itself does whenever a visitor leaves (release_freed_memory). The raw figure
    # swings by ±20 MB with the frees of the moment (slide pixmaps, prepared pictures); what is
    # still held after the hand-back is what a leak would raise, and the budget is on it.
    # Growth is the median of the last ten samples minus that of the ten after the warm-up
    # (the first tenth). Only the process's own memory counts (own_kib): whole PSS moves
    # with the other programs that share its libraries.
    sample_every = max(1, transitions // 100)
    samples: list[float] = []
    raw_samples: list[float] = []
    whole_pss: list[float] = []

    def sample() -> None:
        gc.collect()
        raw_samples.append(own_kib(os.getpid()) / 1024)
        release_freed_memory()
        samples.append(own_kib(os.getpid()) / 1024)
        whole_pss.append(pss_kib(os.getpid()) / 1024)

    # SOAK_TRACEMALLOC=1 with --trace: where the Python heap grows (slow: about 3x).
    tracing = trace and os.environ.get("SOAK_TRACEMALLOC") == "1"
    baseline: tracemalloc.Snapshot | None = None
    if tracing:
        tracemalloc.start(8)
    started = time.perf_counter()
    done_sessions = 0
    for number in range(transitions):
        transition()
        if number % every == every - 1 and done_sessions < sessions:
            session()
            done_sessions += 1
        if number % sample_every == sample_every - 1:
            # Measured idle: a picture the visitor tapped just before leaving may still be
            # being prepared in a worker (~10 MB for a moment), which is not growth.
            jobs_done()
            settle()
            sample()
            if trace:
                # What may be growing: Qt widgets alive, Python objects, Python heap.
                python_heap = tracemalloc.get_traced_memory()[0] / 2**20 if tracing else 0.0
                print(f"TRACE {number} {done_sessions} anon={samples[-1]:.1f}"
                      f" raw={raw_samples[-1]:.1f} pss={whole_pss[-1]:.1f}"
                      f" widgets={len(app.allWidgets())} objects={len(gc.get_objects())}"
                      f" python_heap={python_heap:.1f} malloc={malloc_in_use_mib():.1f}",
                      file=sys.stderr, flush=True)
                if tracing and number % (sample_every * 10) == sample_every * 10 - 1:
                    snapshot = tracemalloc.take_snapshot()
                    if baseline is not None:
                        for stat in snapshot.compare_to(baseline, "lineno")[:8]:
                            print(f"TRACE   {stat}", file=sys.stderr, flush=True)
                    baseline = snapshot
    while done_sessions < sessions:
        session()
        done_sessions += 1
    elapsed = time.perf_counter() - started
    settle()
    sample()

    def growth(values: list[float]) -> float:
        after_warmup = values[len(values) // 10:][:10]
        return statistics.median(values[-10:]) - statistics.median(after_warmup)

    print(f"FIG unhandled_exceptions {errors.count} count 0", flush=True)
    print(f"FIG memory_growth_after_warmup {growth(samples):.3f} MB 5", flush=True)
    print(f"FIG memory_growth_after_warmup_raw {growth(raw_samples):.3f} MB inf", flush=True)
    counted = samples[len(samples) // 10:]
    print(f"FIG memory_spread_after_warmup {max(counted) - min(counted):.1f} MB inf", flush=True)
    print(f"FIG memory_samples {len(samples)} count inf", flush=True)
    print(f"FIG memory_at_end {samples[-1]:.1f} MB inf", flush=True)
    print(f"FIG memory_at_end_raw {raw_samples[-1]:.1f} MB inf", flush=True)
    print(f"FIG pss_at_end {whole_pss[-1]:.1f} MB inf", flush=True)
    print(f"FIG transitions {transitions} count inf", flush=True)
    print(f"FIG sessions {done_sessions} count inf", flush=True)
    print(f"FIG transitions_per_second {transitions / max(elapsed, 1e-9):.1f} 1/s inf",
          flush=True)
    print(f"FIG staff_exit_presses {len(exits)} count inf", flush=True)
    print(f"FIG queue_calls {calls_made[0]} count inf", flush=True)
    print(f"FIG queue_calls_on_screen {banners[0]} count inf", flush=True)
    # A call must reach the screen whatever the visitor is doing: none may be missed.
    print(f"FIG queue_calls_not_on_screen {calls_made[0] - banners[0]} count 0", flush=True)
    print("DONE", flush=True)
    window.attract.stop()
    window.session_timer.stop()
    state.cleanup()
    os._exit(0)  # the soak is over: no teardown to measure


def run(transitions: int, sessions: int, seed: int, timeout: float | None = None,
        trace: bool = False) -> tuple[list[Figure], float, str]:
    """Run the soak in a child; its figures, the wall time, and the child's stderr tail."""
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(*SIZE)}
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, __file__, "--child", "--transitions", str(transitions),
         "--sessions", str(sessions), "--seed", str(seed), *(["--trace"] if trace else [])],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    figures: list[Figure] = []
    for line in process.stdout.splitlines():
        if line.startswith("FIG "):
            _, name, value, unit, budget = line.split()
            figures.append(Figure(name, float(value), unit, float(budget)))
    finished = "DONE" in process.stdout.splitlines()
    crashed = process.returncode != 0 or not finished
    figures.insert(0, Figure("crashes", float(crashed), "count", 0))
    figures.append(Figure("wall_time", wall, "s", float("inf")))
    if trace:  # the samples, for a look at the trend
        print("\n".join(line for line in process.stderr.splitlines()
                        if line.startswith("TRACE")), file=sys.stderr)
    stderr_tail = "\n".join(line for line in process.stderr.splitlines()
                            if "does not support" not in line)[-4000:]
    return figures, wall, stderr_tail


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transitions", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trace", action="store_true",
                        help="print each memory sample (and what may grow) to stderr")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.transitions, args.sessions, args.seed, args.trace)
        return 0
    figures, _wall, stderr_tail = run(args.transitions, args.sessions, args.seed,
                                      trace=args.trace)
    status = report(figures)
    if status and stderr_tail:
        print(stderr_tail, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
