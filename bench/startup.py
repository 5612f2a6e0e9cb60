"""Start-up and attract-mode cost of the kiosk on the bundled content, offscreen, 1920×1080.

    python bench/startup.py [--runs 5] [--seconds 30]

Figures: process start to first attract frame painted (median), PSS after cycling, average CPU
while cycling, 95th percentile paint time of a transition frame.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from signal import SIGTERM

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    REPO,
    Figure,
    cpu_seconds,
    median,
    offscreen_platform,
    percentile,
    pss_kib,
    report,
)

SIZE = (1920, 1080)


def child(seconds: float) -> None:
    """The real `kiosk run` start-up. Prints FIRST at the first painted content frame; with
    `seconds` > 0 it goes on cycling that long, then prints the transition frame times."""
    from PySide6.QtCore import QTimer

    from kiosk.ui.app import run
    from kiosk.ui.main_window import KioskWindow

    windows: list[KioskWindow] = []

    def watch(window: KioskWindow) -> None:
        windows.append(window)
        stage = window.attract.stage
        stage.frame_times = []

        def painted() -> None:
            if window.content.is_empty or stage.current.isNull():
                return  # the neutral screen shown while content loads does not count
            stage.painted.disconnect(painted)
            print("FIRST", flush=True)
            if seconds <= 0:
                os._exit(0)
            QTimer.singleShot(round(seconds * 1000), lambda: os.kill(os.getpid(), SIGTERM))

        stage.painted.connect(painted)

    run(REPO / "content", size=SIZE, on_window=watch)
    times = windows[0].attract.stage.frame_times or []
    print("FRAMES " + " ".join(f"{t:.6f}" for t in times), flush=True)


def spawn(seconds: float) -> subprocess.Popen[str]:
    # Its own state folder: statistics, markers and logs of benchmark runs stay out of the
    # user's (its os._exit would otherwise count as crashes and end in safe mode).
    state = Path(tempfile.gettempdir()) / "kiosk-bench-state"
    shutil.rmtree(state, ignore_errors=True)  # every run a first start
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(*SIZE),
           "KIOSK_STATE_DIR": str(state)}
    return subprocess.Popen([sys.executable, __file__, "--child", str(seconds)], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)


def time_to_first_frame() -> float:
    started = time.perf_counter()
    process = spawn(0)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.wait(timeout=30)
    if line.strip() != "FIRST":
        raise RuntimeError(f"the kiosk did not paint its first frame: {line!r}")
    return elapsed


def cycling(seconds: float) -> tuple[float, float, list[float]]:
    """PSS (MB) at the end, average CPU (% of one core), transition frame paint times (s)."""
    process = spawn(seconds)
    assert process.stdout is not None
    if process.stdout.readline().strip() != "FIRST":
        raise RuntimeError("the kiosk did not start")
    cpu_start, wall_start = cpu_seconds(process.pid), time.monotonic()
    time.sleep(max(0.0, seconds - 1.0))
    pss = pss_kib(process.pid) / 1024
    cpu = (cpu_seconds(process.pid) - cpu_start) / (time.monotonic() - wall_start) * 100
    frames: list[float] = []
    for line in process.stdout:
        if line.startswith("FRAMES"):
            frames = [float(v) for v in line.split()[1:]]
    process.wait(timeout=30)
    return pss, cpu, frames


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return 0
    # As installed (Makefile, docs/deploy.md): the kiosk's modules compiled to bytecode. With
    # PYTHONDONTWRITEBYTECODE set they would otherwise be compiled at every start (~0.1 s).
    compileall.compile_dir(REPO / "src", quiet=1)
    starts = [time_to_first_frame() for _ in range(args.runs)]
    pss, cpu, frames = cycling(args.seconds)
    return report([
        Figure("startup_to_first_frame", median(starts), "s", 0.35),
        Figure("pss_after_cycling", pss, "MB", 100),
        Figure("cpu_while_cycling", cpu, "%", 10),
        Figure("transition_frame_p95", percentile(frames, 0.95) * 1000, "ms", 8),
        Figure("transition_frames_measured", float(len(frames)), "frames", float("inf")),
    ])


if __name__ == "__main__":
    sys.exit(main())
