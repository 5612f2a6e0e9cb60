"""The real kiosk on a real X server (Xvfb), pressed by xdotool: keys that leave other
programs, a right click and typing leave it running and full-screen. `make test` installs
Xvfb and xdotool (scripts/system-deps.sh --tests); run by hand without them, it is skipped,
but never in CI (CI=true), where a skip would hide that it did not run. There is no window
manager here, so minimising and Alt+Tab (a window manager's doing) are covered by
tests/ui/test_lockdown.py on the window itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")) and os.environ.get("CI") != "true",
    reason="needs Xvfb and xdotool (scripts/system-deps.sh --tests installs them)")
KEYS = ["alt+F4", "ctrl+q", "ctrl+w", "Escape", "F11", "alt+Tab", "ctrl+shift+Escape",
        "ctrl+alt+BackSpace", "super", "Return", "space"]


@pytest.fixture
def display() -> Iterator[str]:
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x720x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def xdotool(display: str, *args: str) -> str:
    result = subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display},
                            capture_output=True, text=True, timeout=20)
    return result.stdout.strip()


def geometry(display: str, window: str) -> str:
    lines = xdotool(display, "getwindowgeometry", window).splitlines()
    return lines[-1].split(":", 1)[1].strip() if lines else ""


def test_keys_clicks_and_typing_on_a_real_x_screen(display: str, tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "KIOSK_STATE_DIR": str(tmp_path)}
    log = tmp_path / "kiosk.log"
    with log.open("w") as output:
        kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--content",
                                  str(REPO / "content")], env=env, cwd=tmp_path,
                                 stdout=subprocess.DEVNULL, stderr=output)
    try:
        window = xdotool(display, "search", "--sync", "--onlyvisible", "--name", "Киоск")
        assert window, "the kiosk window did not appear"
        window = window.splitlines()[0]
        deadline = time.monotonic() + 20
        while geometry(display, window) != "1280x720" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert geometry(display, window) == "1280x720"
        xdotool(display, "mousemove", "640", "360", "click", "1")  # a visitor: the menu
        for key in KEYS:
            xdotool(display, "key", "--clearmodifiers", key)
        xdotool(display, "click", "3")
        xdotool(display, "type", "--delay", "5", "hello kiosk\n")
        time.sleep(0.5)  # anything that would quit has had the time to
        assert kiosk.poll() is None, log.read_text()[-3000:]
        assert "keys are ignored" in log.read_text()  # they did reach the kiosk
        if shutil.which("xprop"):
            state = subprocess.run(["xprop", "-id", window, "_NET_WM_STATE"], text=True,
                                   capture_output=True, env=env, check=True).stdout
            assert "_NET_WM_STATE_FULLSCREEN" in state and "_NET_WM_STATE_ABOVE" in state
        assert xdotool(display, "search", "--onlyvisible", "--name", "Киоск")
        assert geometry(display, window) == "1280x720"
    finally:
        kiosk.terminate()
        kiosk.wait(timeout=20)
    assert kiosk.returncode == 0
