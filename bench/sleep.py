"""The kiosk asleep (outside opening hours), offscreen at 1920×1080: its CPU while nothing is
on screen, over `--seconds` (20 by default).

    python bench/sleep.py [--seconds 20]

The real `kiosk run` on a copy of the bundled content whose kiosk.yaml says the centre is
closed today. What still runs while asleep: the content folder's watch (inotify, and a look at
the folder every 10 s in a worker thread, 20 times less often than awake), the status file
every 30 s, the sleep timer once a minute. Measured from when the start's full read of the
folder is done. Figures: average CPU of the process (% of one core, all its threads) while
asleep, and frames painted meanwhile (the black cover and the attract stage; must be 0).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from signal import SIGTERM
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, Figure, offscreen_platform, report

SIZE = (1920, 1080)


def child(content: Path) -> None:
    """Prints ASLEEP once the screen is off and the folder's first full read is done (the
    start's work), then PAINTS <frames since> at the end."""
    from PySide6.QtCore import QTimer

    from kiosk.ui.app import run
    from kiosk.ui.main_window import KioskWindow
    from kiosk.ui.service.reloader import ContentReloader

    paints = [0]
    counting = [False]

    def count() -> None:
        if counting[0]:
            paints[0] += 1

    def watch(window: KioskWindow) -> None:
        window.attract.stage.painted.connect(count)
        window.screen_sleep.cover.painted.connect(count)

        def settled(_seen: object) -> None:
            if window.screen_sleep.asleep and not counting[0]:
                counting[0] = True
                print("ASLEEP", flush=True)

        def find_reloader() -> None:  # made once the first content is on screen
            reloaders = window.findChildren(ContentReloader)
            if reloaders:
                finder.stop()
                reloaders[0].settled.connect(settled)

        finder = QTimer(window)
        finder.timeout.connect(find_reloader)
        finder.start(100)

    run(content, size=SIZE, on_window=watch)
    print(f"PAINTS {paints[0]}", flush=True)


def run_seconds(pid: int) -> float:
    """CPU time of every thread of the process so far, to the nanosecond (schedstat): the
    clock ticks of /proc/PID/stat (10 ms) are too coarse for a process that hardly runs."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return total / 1e9


def closed_today(folder: Path) -> Path:
    """A copy of the bundled content; its kiosk.yaml: closed from yesterday to tomorrow."""
    content = folder / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(REPO / "content", content)
    today = dt.datetime.now(ZoneInfo("Europe/Moscow")).date()
    settings = content / "kiosk.yaml"
    settings.write_text(settings.read_text() + "\nopening_hours: 08:00-20:00\nclosed_days:\n"
                        f"  - {today - dt.timedelta(days=1)}..{today + dt.timedelta(days=1)}\n")
    return content


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return 0
    folder = Path(tempfile.gettempdir()) / "kiosk-bench-sleep"
    content = closed_today(folder)
    state = folder / "state"
    shutil.rmtree(state, ignore_errors=True)
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(*SIZE),
           "KIOSK_STATE_DIR": str(state)}
    process = subprocess.Popen([sys.executable, __file__, "--child", str(content)], cwd=REPO,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ASLEEP":
        process.kill()
        raise RuntimeError("the kiosk did not go to sleep")
    cpu_start, wall_start = run_seconds(process.pid), time.monotonic()
    time.sleep(args.seconds)
    cpu = (run_seconds(process.pid) - cpu_start) / (time.monotonic() - wall_start) * 100
    process.send_signal(SIGTERM)
    paints = next((float(line.split()[1]) for line in process.stdout
                   if line.startswith("PAINTS")), float("nan"))
    process.wait(timeout=30)
    print(f"# asleep {args.seconds:.0f} s (cycling the attract loop: ~3 %, bench/startup.py)")
    return report([
        # Measured 0.035-0.055 % on this 2-core machine: the folder's look every 10 s, the
        # status file every 30 s, the sleep timer every minute. Looking every 0.5 s as when
        # awake measured 0.36-0.41 %: the budget of 0.15 % (three times the worst seen) fails
        # that regression and leaves room for a slower PC.
        Figure("cpu_while_asleep", cpu, "%", 0.15),
        Figure("frames_painted_while_asleep", paints, "count", 0),
    ])


if __name__ == "__main__":
    sys.exit(main())
