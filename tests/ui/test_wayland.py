"""The real kiosk in the kiosk's Wayland session: cage, the compositor of
deploy/kiosk-compositor.service, with its headless backend and its primary client
(python -m kiosk.compositor_client), then `kiosk run` as kiosk.service runs it, under systemd's
notify protocol (a socket here stands in for systemd's). It is ready, its watchdog pings come,
grim's screenshot shows its attract screen, SIGTERM ends it cleanly, the compositor stays up,
and the compositor's own stop (the unit's ExecStop) ends cage without a crash.

`make test` installs cage, Xwayland (which Debian 12's cage cannot start without) and grim
(scripts/system-deps.sh --tests); the test fails without them, it is not skipped.

cage refuses to run as root. As root (containers, CI) it runs in a user namespace of its own,
as an unprivileged user there while it stays root on the outside (the files it makes, and
what the test's processes may do with them, are as without it).

The output is rotated (cage -r: a portrait screen, as kiosk panels usually hang). Without a
rotation cage 0.1.4 gives the kiosk's full-screen buffer to the output as it is (direct
scan-out), and a screenshot of the headless output then shows only what was redrawn since
grim asked (the rest black): a quirk of screenshots in cage 0.1.4 and wlroots 0.15, not what
a screen shows. A rotated output is always composited, so grim sees the whole picture."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.compositor_client import roundtrip
from kiosk.ui.theme import NORMAL
from tests.helpers import REPO, start_kiosk, wait_for

NEEDED = ("cage", "grim", "Xwayland")
WATCHDOG_USEC = 1_500_000  # a ping every 0.5 s
SCREEN = (720, 1280)  # cage's headless output (1280×720), turned by -r


class Notifications:
    """A socket in the place of systemd's notify socket: what a process sends to it."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self.socket.bind(self.path)
        self.lines: list[str] = []

    def wait(self, line: str, process: subprocess.Popen[bytes], count: int = 1,
             seconds: float = 60) -> bool:
        """Whether `line` has come `count` times, waiting up to `seconds`; False at once if
        `process` ends first."""
        deadline = time.monotonic() + seconds
        while self.lines.count(line) < count:
            left = deadline - time.monotonic()
            if left <= 0 or process.poll() is not None:
                return False
            self.socket.settimeout(min(left, 0.5))
            with contextlib.suppress(TimeoutError):
                self.lines += self.socket.recv(4096).decode().splitlines()
        return True

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def compositor(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """cage, headless, with its primary client; ready once that client said READY=1.
    Yields cage's process and its runtime folder (XDG_RUNTIME_DIR)."""
    missing = [program for program in NEEDED if shutil.which(program) is None]
    assert not missing, (f"{', '.join(missing)} missing: sh scripts/system-deps.sh --tests "
                         "installs them")
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    notifications = Notifications(tmp_path / "compositor.notify")
    env = {key: value for key, value in os.environ.items()
           if key not in ("WAYLAND_DISPLAY", "DISPLAY", "WATCHDOG_USEC", "WATCHDOG_PID")}
    env.update(WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman",
               XDG_RUNTIME_DIR=str(runtime), NOTIFY_SOCKET=notifications.path)
    command = ["cage", "-d", "-r", "--", sys.executable, "-I", "-m", "kiosk.compositor_client"]
    if os.geteuid() == 0:  # unshare execs cage: the process stays cage's
        command = ["unshare", "--map-user=65534", "--map-group=65534", *command]
    log = tmp_path / "cage.log"
    with log.open("wb") as output:
        cage = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        assert notifications.wait("READY=1", cage, seconds=30), log.read_text()[-3000:]
        yield cage, runtime
    finally:
        notifications.close()
        if cage.poll() is None:  # the test failed: cage ends as its unit ends it, or is killed
            subprocess.run([sys.executable, "-I", "-m", "kiosk.compositor_client", "stop",
                            str(cage.pid)], timeout=30, check=False)
            cage.kill()
            cage.wait(timeout=10)


def screenshot(runtime: Path, path: Path) -> QImage:
    subprocess.run(["grim", str(path)], check=True, timeout=20,
                   env={**os.environ, "XDG_RUNTIME_DIR": str(runtime),
                        "WAYLAND_DISPLAY": "wayland-0"})
    return QImage(str(path))


def colours(image: QImage, step: int = 8) -> Counter[str]:
    return Counter(QColor(image.pixel(x, y)).name()
                   for x in range(0, image.width(), step) for y in range(0, image.height(), step))


def shows_the_attract_screen(image: QImage) -> bool:
    """The whole screen drawn (almost no black), in many colours, with the attract screen's
    «Коснитесь экрана» band (the colour of «tap here») across it."""
    seen = colours(image)
    samples = sum(seen.values())
    return ((image.width(), image.height()) == SCREEN and seen["#000000"] < 0.02 * samples
            and len(seen) >= 20 and seen[NORMAL.action.lower()] > 0.03 * samples)


def test_the_kiosk_on_cage_is_ready_watched_drawn_and_stopped(
        compositor: tuple[subprocess.Popen[bytes], Path], tmp_path: Path) -> None:
    cage, runtime = compositor
    socket_file = runtime / "wayland-0"  # the name kiosk.service expects in a fresh folder
    assert socket_file.is_socket()
    notifications = Notifications(tmp_path / "kiosk.notify")
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WATCHDOG_PID")}
    env.update(QT_QPA_PLATFORM="wayland", XDG_RUNTIME_DIR=str(runtime),
               WAYLAND_DISPLAY="wayland-0", KIOSK_STATE_DIR=str(tmp_path / "state"),
               KIOSK_CACHE_DIR=str(tmp_path / "cache"), NOTIFY_SOCKET=notifications.path,
               WATCHDOG_USEC=str(WATCHDOG_USEC))
    log = tmp_path / "kiosk.log"
    kiosk = start_kiosk(REPO / "content", env, tmp_path, log)
    try:
        assert notifications.wait("READY=1", kiosk), log.read_text()[-3000:]
        assert notifications.wait("WATCHDOG=1", kiosk, count=2, seconds=10), \
            log.read_text()[-3000:]
        shot = tmp_path / "wayland.png"
        assert wait_for(lambda: shows_the_attract_screen(screenshot(runtime, shot)), 20), \
            f"{shot}: {colours(QImage(str(shot))).most_common(5)}"
        started = time.monotonic()
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=10) == 0, log.read_text()[-3000:]
        assert time.monotonic() - started < 5
        assert notifications.wait("STOPPING=1", cage, seconds=5)  # sent before it ended
    finally:
        notifications.close()
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait(timeout=10)
    # The compositor outlives the kiosk (kiosk.service restarts on it) and still answers.
    assert cage.poll() is None
    assert roundtrip(str(socket_file), 10)
    # The unit's ExecStop: cage ends cleanly (0), not by SIGABRT as on a SIGTERM.
    stop = subprocess.run([sys.executable, "-I", "-m", "kiosk.compositor_client", "stop",
                           str(cage.pid)], timeout=30)
    assert stop.returncode == 0
    assert cage.wait(timeout=10) == 0
