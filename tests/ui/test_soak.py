"""The soak benchmark, short: hundreds of attract transitions and dozens of random sessions
(taps, swipes, several fingers, every screen) in a child process, with no crash and no
unhandled exception. `python bench/soak.py` runs the full one."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import REPO


def test_a_short_soak_neither_crashes_nor_raises() -> None:
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "soak.py"), "--transitions", "600",
         "--sessions", "60", "--seed", "7"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    figures = {line.split()[0]: float(line.split()[1]) for line in result.stdout.splitlines()
               if " budget " in line}
    assert figures.get("crashes") == 0, result.stderr[-3000:]
    assert figures.get("unhandled_exceptions") == 0, result.stderr[-3000:]
    assert figures.get("transitions") == 600 and figures.get("sessions") == 60
