"""Issue 14's acceptance, end to end: on a folder of every file that once froze, crashed or
filled the kiosk, `kiosk check` finishes within seconds naming each of them, and `kiosk run`
shows its first frame and keeps pinging the watchdog."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.cli.test_cli import ENV
from tests.hostile import HARMLESS_NOW, HOSTILE_FILES, hostile_folder
from tests.supervisor import Supervisor


def test_check_finishes_quickly_and_names_every_hostile_file(tmp_path: Path) -> None:
    root = hostile_folder(tmp_path)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "kiosk", "check", str(root), "--lang", "en"],
                            capture_output=True, text=True, env=ENV, timeout=120)
    took = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    for name in HOSTILE_FILES:
        assert Path(name).name in result.stdout, f"{name} not named: {result.stdout}"
    for name in HARMLESS_NOW:
        assert Path(name).name not in result.stdout
    # No message carries the expansion of an alias bomb or a whole file.
    assert len(result.stdout) < 20_000
    assert took < 60, f"kiosk check took {took:.1f} s"


def test_the_kiosk_shows_its_first_frame_and_keeps_pinging(tmp_path: Path) -> None:
    root = hostile_folder(tmp_path)
    command = [sys.executable, "-m", "kiosk", "run", "--content", str(root), "--windowed",
               "--size", "1920x1080", "--state-dir", str(tmp_path / "state")]
    supervisor = Supervisor(command, watchdog_sec=2.0, restart_sec=0.2, abort_timeout=1.0,
                            env=ENV, say=lambda _: None)
    try:
        supervisor.start()
        assert supervisor.wait_for("READY", 60)  # READY=1 comes with the first frame
        # The reloader reads the whole folder after the first frame: pings go on through it.
        pings = 0
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            event = supervisor.poll()
            assert event not in ("watchdog-kill", "exited", "restarted"), supervisor.messages
            pings += event == "WATCHDOG"
        assert pings >= 6  # a ping every 2/3 s for 6 s: none missed for long
        assert supervisor.starts == 1
    finally:
        supervisor.stop()
