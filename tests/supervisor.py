"""A stand-in for systemd where it is not PID 1 (containers, CI): runs a command the way
deploy/kiosk.service does — Type=notify, WatchdogSec, Restart=always — and reports what
happens. Used by the end-to-end tests and by hand:

    python -m tests.supervisor --watchdog 30 --restart-sec 2 -- .venv/bin/kiosk run …

It is a test tool, not a way to run kiosks: centres use the systemd unit.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path


class Supervisor:
    def __init__(self, command: Sequence[str], watchdog_sec: float, restart_sec: float = 0.5,
                 abort_timeout: float = 3.0, env: dict[str, str] | None = None,
                 say: Callable[[str], None] = print) -> None:
        self.command = list(command)
        self.watchdog_sec = watchdog_sec
        self.restart_sec = restart_sec
        self.abort_timeout = abort_timeout
        self.say = say
        self._dir = tempfile.TemporaryDirectory(prefix="kiosk-notify-")
        self.socket_path = str(Path(self._dir.name) / "notify")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.socket_path)
        self.env = {**(env if env is not None else os.environ),
                    "NOTIFY_SOCKET": self.socket_path,
                    "WATCHDOG_USEC": str(round(watchdog_sec * 1_000_000))}
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.ready = False
        self.last_ping = 0.0
        self.watchdog_kills = 0
        self.messages: list[str] = []

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env)
        self.starts += 1
        self.ready = False
        self.last_ping = time.monotonic()
        self.say(f"started pid {self.process.pid}")

    def poll(self, timeout: float = 0.1) -> str | None:
        """One step: read a notify message, enforce the watchdog, restart a dead child.
        Returns what happened, if anything: READY, WATCHDOG, STOPPING, exited, restarted,
        watchdog-kill."""
        assert self.process is not None
        self.socket.settimeout(timeout)
        try:
            data = self.socket.recv(4096).decode()
        except TimeoutError:
            data = ""
        event: str | None = None
        for line in data.splitlines():
            self.messages.append(line)
            if line == "READY=1":
                self.ready, event = True, "READY"
                self.say(f"pid {self.process.pid}: READY")
            elif line == "WATCHDOG=1":
                self.last_ping = time.monotonic()
                event = event or "WATCHDOG"
            elif line == "STOPPING=1":
                event = "STOPPING"
        code = self.process.poll()
        if code is not None:
            self.say(f"pid {self.process.pid} exited with {code}; restarting in "
                     f"{self.restart_sec} s")
            time.sleep(self.restart_sec)
            self.start()
            return "restarted"
        if time.monotonic() - self.last_ping > self.watchdog_sec:
            self.say(f"pid {self.process.pid}: watchdog timeout, SIGABRT")
            self.watchdog_kills += 1
            self.process.send_signal(signal.SIGABRT)
            try:
                self.process.wait(self.abort_timeout)
            except subprocess.TimeoutExpired:
                self.say(f"pid {self.process.pid}: still there, SIGKILL")
                self.process.kill()
                self.process.wait()
            return "watchdog-kill"
        return event

    def wait_for(self, wanted: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.poll() == wanted:
                return True
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.socket.close()
        self._dir.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watchdog", type=float, default=30.0, help="WatchdogSec")
    parser.add_argument("--restart-sec", type=float, default=2.0, help="RestartSec")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    supervisor = Supervisor(command, args.watchdog, args.restart_sec,
                            say=lambda text: print(f"supervisor: {text}", flush=True))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    supervisor.start()
    try:
        while True:
            supervisor.poll(0.5)
    except (KeyboardInterrupt, SystemExit):
        supervisor.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
