"""The kiosk on a content folder the size of the centres' collection: 37,000 stories, a photo on
every tenth (generated once by bench/scale_content.py and reused), offscreen at 1920×1080.

    python bench/scale.py [--stories 37000] [--runs 3] [--data DIR]

Figures: process start to first attract frame with the content index in place (median), and
without it (the first start ever: not budgeted, for information); how long after the first
frame every story is in (first start, and with the index); PSS once all are in, with its ratio
to an empty full-screen PySide6 window's measured in the same run; while one story is changed
in the running kiosk, the longest the UI thread went without running its timers, and how long
the change took to reach the screen; `kiosk check` of the whole folder; the staff editor's
listing of the folder: its first (parsing every file), the next ones, a search, its HTML.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, Figure, median, offscreen_platform, own_kib, pss_kib, report
from scale_content import ensure

SIZE = (1920, 1080)
TICK_MS = 5  # the stall probe's timer: any longer gap between its ticks is the UI stalling
PSS_MB = 140.0  # with every story in (issue 18)
# The staff editor's listing once it has read the folder: a page staff wait for at every
# click (it was 28 s and 29 MB of HTML before it kept an index and paged its groups).
EDITOR_LISTING_S = 2.0
EDITOR_HTML_KB = 500.0
EDITOR_RUNS = 3


def child(root: Path, mode: str, stories: int) -> None:
    """`first`: print FIRST at the first painted content frame, with the process's CPU seconds
    so far (read here: the parent could find it gone), and exit. `whole`: then wait
    until all `stories` are in, print WHOLE with the seconds that took, and exit. `reload`:
    then change one story, and report the stall and the delay."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    from kiosk.ui.app import run
    from kiosk.ui.main_window import KioskWindow

    def watch(window: KioskWindow) -> None:
        stage = window.attract.stage

        def painted() -> None:
            if window.content.is_empty or stage.current.isNull():
                return  # the neutral screen shown while content loads does not count
            stage.painted.disconnect(painted)
            print(f"FIRST {time.process_time():.6f}", flush=True)
            if mode == "first":
                os._exit(0)
            started = time.perf_counter()
            waiting = QTimer(window)
            waiting.setInterval(50)

            def whole() -> None:
                if len(window.content.stories) < stories:
                    return
                waiting.stop()
                print(f"WHOLE {time.perf_counter() - started:.3f}", flush=True)
                if mode == "whole":
                    os._exit(0)
                QTimer.singleShot(2000, lambda: change_a_story(window))

            waiting.timeout.connect(whole)
            waiting.start()

        stage.painted.connect(painted)

    def change_a_story(window: KioskWindow) -> None:
        print(f"PSS {pss_kib(os.getpid())} {own_kib(os.getpid())}", flush=True)
        target = root / "stories" / "story-00001.md"
        original = target.read_text(encoding="utf-8")
        clock = QElapsedTimer()
        probe = QTimer(window)
        probe.setInterval(TICK_MS)
        worst = [0.0]
        last = [0.0]
        shown = window.content

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            worst[0] = max(worst[0], now - last[0] - TICK_MS)
            last[0] = now
            if window.content is shown:
                return
            story = next((s for s in window.content.stories if s.id == "story-00001"), None)
            if story is not None and "(изменено)" in story.title.ru:
                probe.stop()
                target.write_text(original, encoding="utf-8")
                print(f"RELOAD {now / 1000:.3f} {worst[0]:.1f}", flush=True)
                os._exit(0)

        probe.timeout.connect(tick)
        clock.start()
        probe.start()
        target.write_text(original.replace("\ntitle: ", "\ntitle: (изменено) ", 1),
                          encoding="utf-8")

    run(root, size=SIZE, on_window=watch)


def spawn(root: Path, mode: str, cache: Path, stories: int) -> subprocess.Popen[str]:
    # A state folder of its own for each start: the benchmark ends its kiosks abruptly, which
    # would otherwise count as a crash loop and start the next one in safe mode.
    state = tempfile.mkdtemp(prefix="state-", dir=cache)
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(*SIZE),
           "KIOSK_CACHE_DIR": str(cache), "KIOSK_STATE_DIR": state}
    return subprocess.Popen([sys.executable, __file__, "--child", mode, "--data", str(root),
                             "--stories", str(stories)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def first_frame(root: Path, cache: Path, stories: int) -> tuple[float, float]:
    """Wall and CPU seconds from process start to the first content frame."""
    started = time.perf_counter()
    process = spawn(root, "first", cache, stories)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.wait(timeout=120)
    mark, _, cpu = line.partition(" ")
    if mark != "FIRST":
        raise RuntimeError(f"the kiosk did not paint its first frame: {line!r}")
    return elapsed, float(cpu)


def whole_collection(root: Path, cache: Path, stories: int) -> float:
    """Seconds from the first frame until every story is in (the first start: a full read)."""
    process = spawn(root, "whole", cache, stories)
    assert process.stdout is not None
    seconds = float("nan")
    for line in process.stdout:
        if line.startswith("WHOLE"):
            seconds = float(line.split()[1])
    process.wait(timeout=300)
    return seconds


def reload_figures(root: Path, cache: Path, stories: int) -> tuple[float, float, float]:
    """PSS after start (MB), the change's delay to the screen (s), the longest stall (ms)."""
    process = spawn(root, "reload", cache, stories)
    assert process.stdout is not None
    pss = delay = stall = float("nan")
    for line in process.stdout:
        parts = line.split()
        if parts and parts[0] == "PSS":
            pss = int(parts[1]) / 1024
            print(f"# kiosk with every story in: PSS {pss:.1f} MB, own {int(parts[2]) / 1024:.1f}"
                  " MB", flush=True)
        elif parts and parts[0] == "RELOAD":
            delay, stall = float(parts[1]), float(parts[2])
    process.wait(timeout=120)
    return pss, delay, stall


def empty_window_pss() -> float:
    """The reference (MB): an empty full-screen PySide6 window, offscreen at the same size,
    read 0.5 s after it painted (bench/memory.py's)."""
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(*SIZE)}
    done = subprocess.run([sys.executable, __file__, "--child", "empty"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    for line in done.stdout.splitlines():
        parts = line.split()
        if parts[:2] == ["PSS", "empty"]:
            print(f"# empty window: PSS {int(parts[2]) / 1024:.1f} MB, own "
                  f"{int(parts[3]) / 1024:.1f} MB", flush=True)
            return int(parts[2]) / 1024
    return float("nan")


def editor_child(root: Path) -> None:
    """The staff editor on the folder (an empty centre folder beside it, sign-in off): prints
    EDITOR with the seconds of its first listing (every file parsed into its own index),
    the median of the next RUNS listings, of a search, and the size of the listing's HTML."""
    from kiosk.editor.app import create_app
    from kiosk.editor.config import EditorConfig

    scratch = Path(tempfile.mkdtemp(prefix="kiosk-scale-editor-"))
    try:
        (scratch / "centre").mkdir()
        app = create_app(EditorConfig(root, scratch / "centre", scratch / "state",
                                      login_disabled=True, csrf=False))
        client = app.test_client()

        def timed(url: str) -> tuple[float, int]:
            started = time.perf_counter()
            answer = client.get(url)
            elapsed = time.perf_counter() - started
            assert answer.status_code == 200, (url, answer.status_code)
            return elapsed, len(answer.data)

        first, _ = timed("/")
        pages = [timed("/") for _ in range(EDITOR_RUNS)]
        found = [timed("/?q=%D0%B7%D0%BE%D0%BD%D1%82") for _ in range(EDITOR_RUNS)]  # «зонт»
        print("EDITOR", first, median([t for t, _ in pages]), median([t for t, _ in found]),
              pages[-1][1], flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def editor_figures(root: Path) -> tuple[float, float, float, float]:
    """(first listing s, listing s, search s, listing KB) from a child process of its own."""
    answer = subprocess.run([sys.executable, __file__, "--child", "editor", "--data", str(root)],
                            cwd=REPO, capture_output=True, text=True, check=False, timeout=600)
    line = next((line for line in answer.stdout.splitlines() if line.startswith("EDITOR ")), "")
    if not line:
        print(f"# the editor's listing was not measured: {answer.stderr[-2000:]}", flush=True)
        return (float("nan"),) * 4
    first, listing, search, size = (float(part) for part in line.split()[1:])
    return first, listing, search, size / 1024


def check_seconds(root: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kiosk", "check", str(root)], cwd=REPO,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=37_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "empty":
        from memory import empty_child

        empty_child()
        return 0
    if args.child == "editor":
        editor_child(args.data)
        return 0
    if args.child is not None:
        child(args.data, args.child, args.stories)
        return 0
    root = ensure(args.data, args.stories)
    cache = Path(tempfile.mkdtemp(prefix="kiosk-scale-cache-"))
    try:
        cold, _ = first_frame(root, cache, args.stories)
        # The first start ever reads every file once, in the background: from then on
        # the index holds them all, as on any kiosk that has run before.
        whole_first = whole_collection(root, cache, args.stories)
        warm = [first_frame(root, cache, args.stories) for _ in range(args.runs)]
        whole_warm = whole_collection(root, cache, args.stories)
        pss, delay, stall = reload_figures(root, cache, args.stories)
        empty = empty_window_pss()
        check = check_seconds(root)
        editor_first, editor_listing, editor_search, editor_kb = editor_figures(root)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return report([
        Figure("stories", float(args.stories), "stories", float("inf")),
        Figure("startup_to_first_frame", median([w for w, _ in warm]), "s", 1.0),
        Figure("startup_cpu", median([c for _, c in warm]), "s", float("inf")),
        Figure("first_start_without_index", cold, "s", float("inf")),
        Figure("whole_collection_in_first_start", whole_first, "s", float("inf")),
        Figure("whole_collection_in", whole_warm, "s", float("inf")),
        Figure("pss_after_start", pss, "MB", PSS_MB, reference=empty),
        Figure("reload_ui_stall_max", stall, "ms", 50),
        Figure("reload_change_on_screen", delay, "s", 5),
        Figure("check_whole_folder", check, "s", 30),
        Figure("editor_first_listing", editor_first, "s", float("inf")),
        Figure("editor_listing", editor_listing, "s", EDITOR_LISTING_S),
        Figure("editor_search", editor_search, "s", EDITOR_LISTING_S),
        Figure("editor_listing_html", editor_kb, "KB", EDITOR_HTML_KB),
    ])


if __name__ == "__main__":
    sys.exit(main())
