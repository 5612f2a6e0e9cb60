"""Start-up and attract-mode cost of the kiosk on the bundled content, offscreen, 1920×1080.

    python bench/startup.py [--runs 5] [--seconds 30]

Figures: process start to first attract frame painted (median), PSS after cycling, average CPU
while cycling, 95th percentile paint time of a transition frame.

The reference, measured in the same run: an empty full-screen PySide6 window (QApplication and one
widget painting a solid fill, bench/startup_child.py), started and timed the same way on the same
offscreen 1920×1080 screen, its runs interleaved with the kiosk's (kiosk, empty, kiosk, empty …);
its PSS is read after its first frame. Start-up is judged on the absolute time and on its ratio
to the empty window's; memory shows its ratio (its budget is the absolute one).

The kiosk starts as `kiosk run` starts it (kiosk.cli), with a fresh state folder each run and
a content index of the benchmark's own, kept between runs as a kiosk keeps it between starts
(one start before the timed ones makes it: a kiosk's first start after new content reads
every file, bench/scale.py measures that).
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


CHILD = Path(__file__).resolve().parent / "startup_child.py"
# Left for the empty window to settle after its first frame before its memory is read.
EMPTY_SETTLE = 0.5


def spawn(seconds: float, empty: bool = False) -> subprocess.Popen[str]:
    """`kiosk run` on the bundled content (or the empty window) from a fresh interpreter."""
    # Its own state folder: statistics, markers and logs of benchmark runs stay out of the
    # user's (its os._exit would otherwise count as crashes and end in safe mode).
    state = Path(tempfile.gettempdir()) / "kiosk-bench-state"
    shutil.rmtree(state, ignore_errors=True)  # every run a first start
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(*SIZE),
           "KIOSK_STATE_DIR": str(state),
           # The content index of its own (kept between runs, as a kiosk's is between starts):
           # other programs' kiosks, tests or code versions do not rewrite it meanwhile.
           "KIOSK_CACHE_DIR": str(Path(tempfile.gettempdir()) / "kiosk-bench-cache"),
           # The bundled content alone: no centre's folder, no settings of this user.
           "XDG_CONFIG_HOME": str(state / "config")}
    for name in ("KIOSK_CENTRE_CONTENT", "KIOSK_USER_SETTINGS", "KIOSK_MACHINE_SETTINGS"):
        env.pop(name, None)
    command = ["empty"] if empty else ["kiosk", str(seconds)]
    return subprocess.Popen([sys.executable, str(CHILD), *command], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def time_to_first_frame(empty: bool = False) -> tuple[float, float]:
    """Seconds from starting the process to its first frame (of content, for the kiosk), and
    for the empty window its PSS (MB) once painted (NaN for the kiosk)."""
    started = time.perf_counter()
    process = spawn(0, empty)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    pss = float("nan")
    if empty and line.strip() == "FIRST":
        time.sleep(EMPTY_SETTLE)
        pss = pss_kib(process.pid) / 1024
        process.send_signal(SIGTERM)
    process.wait(timeout=30)
    if line.strip() != "FIRST":
        what = "the empty window" if empty else "the kiosk"
        raise RuntimeError(f"{what} did not paint its first frame: {line!r}")
    return elapsed, pss


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
    args = parser.parse_args()
    # As installed (Makefile, docs/deploy.md): the kiosk's modules compiled to bytecode. With
    # PYTHONDONTWRITEBYTECODE set they would otherwise be compiled at every start (~0.1 s).
    compileall.compile_dir(REPO / "src", quiet=1)
    starts: list[float] = []
    empty_starts: list[float] = []
    empty_pss: list[float] = []
    time_to_first_frame()  # not counted: makes the index a start after the first has
    for _ in range(args.runs):  # interleaved: both see the same moments of a shared machine
        starts.append(time_to_first_frame()[0])
        elapsed, pss_empty = time_to_first_frame(empty=True)
        empty_starts.append(elapsed)
        empty_pss.append(pss_empty)
    pss, cpu, frames = cycling(args.seconds)
    return report([
        Figure("startup_to_first_frame", median(starts), "s", 0.2,
               reference=median(empty_starts), ratio_budget=2),
        Figure("pss_after_cycling", pss, "MB", 80, reference=median(empty_pss)),
        Figure("cpu_while_cycling", cpu, "%", 10),
        Figure("transition_frame_p95", percentile(frames, 0.95) * 1000, "ms", 8),
        Figure("transition_frames_measured", float(len(frames)), "frames", float("inf")),
    ])


if __name__ == "__main__":
    sys.exit(main())
