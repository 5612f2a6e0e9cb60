"""The kiosk under a supervisor that behaves like deploy/kiosk.service: it reports READY,
pings the watchdog from its event loop, comes back after kill -9, and a frozen event loop
stops the pings, so the supervisor restarts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.cli.test_cli import ENV
from tests.helpers import BUNDLED
from tests.supervisor import Supervisor


def kiosk_command(state: Path) -> list[str]:
    return [sys.executable, "-m", "kiosk", "run", "--content", str(BUNDLED), "--windowed",
            "--size", "1080x1920", "--state-dir", str(state)]


def test_kill_9_and_a_stopped_process_are_restarted(tmp_path: Path) -> None:
    supervisor = Supervisor(kiosk_command(tmp_path), watchdog_sec=2.0, restart_sec=0.2,
                            abort_timeout=1.0, env=ENV, say=lambda _: None)
    try:
        supervisor.start()
        assert supervisor.wait_for("READY", 30)
        assert supervisor.wait_for("WATCHDOG", 5)
        first = supervisor.process
        assert first is not None
        os.kill(first.pid, signal.SIGKILL)
        assert supervisor.wait_for("restarted", 10)
        assert supervisor.wait_for("READY", 30)
        second = supervisor.process
        assert second is not None and second.pid != first.pid
        os.kill(second.pid, signal.SIGSTOP)  # hung: no pings any more
        assert supervisor.wait_for("watchdog-kill", 10)
        assert supervisor.wait_for("READY", 30)  # and it is back
        assert supervisor.starts == 3 and supervisor.watchdog_kills == 1
    finally:
        supervisor.stop()
    # Both deaths were within the first minute: the crash guard counted them.
    assert '"crashes_total": 2' in (tmp_path / "starts.json").read_text()


FREEZER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from kiosk.ui.app import run

    def hook(window):
        def freeze():
            print("FROZEN", flush=True)
            time.sleep(30)  # the event loop hangs; the kiosk's threads go on
        QTimer.singleShot(1500, freeze)

    run(Path(sys.argv[1]), windowed=True, size=(1080, 1920), on_window=hook,
        state_dir=Path(sys.argv[2]))
""")


def test_a_frozen_event_loop_stops_the_watchdog_pings(tmp_path: Path) -> None:
    path = str(tmp_path / "notify")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    env = {**ENV, "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "300000"}  # a ping every 0.1 s
    with subprocess.Popen([sys.executable, "-c", FREEZER, str(BUNDLED), str(tmp_path)],
                          env=env, stdout=subprocess.PIPE, text=True) as child:
        try:
            assert child.stdout is not None
            listener.settimeout(10)
            pings = 0
            while pings < 5:
                if listener.recv(4096) == b"WATCHDOG=1":
                    pings += 1
            assert child.stdout.readline().strip() == "FROZEN"
            listener.settimeout(0.05)
            try:  # a ping already on its way when the loop froze
                while True:
                    listener.recv(4096)
            except TimeoutError:
                pass
            listener.settimeout(1.0)  # ten intervals: a live loop would have pinged
            started = time.monotonic()
            try:
                message = listener.recv(4096)
            except TimeoutError:
                message = b""
            assert message == b"", f"ping while frozen after {time.monotonic() - started} s"
        finally:
            child.kill()
            listener.close()
