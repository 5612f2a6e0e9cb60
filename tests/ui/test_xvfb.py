"""The real kiosk on a real X server (Xvfb), pressed by xdotool: keys that leave other
programs, a right click and typing leave it running and full-screen. `make test` installs
Xvfb and xdotool (scripts/system-deps.sh --tests); run by hand without them, it is skipped,
but never in CI (CI=true), where a skip would hide that it did not run. There is no window
manager here, so minimising and Alt+Tab (a window manager's doing) are covered by
tests/ui/test_lockdown.py on the window itself."""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import REPO, copy_bundled, start_kiosk, wait_for

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


def kiosk_window(display: str) -> str:
    """The kiosk's window id once it is on screen ('' if not within 30 s). Asked again until
    then: one `xdotool search --sync` printed nothing in a CI run; an X error ends xdotool
    (as when a window it looks at goes away as it looks, which a starting Qt program may
    cause)."""
    found: list[str] = []

    def search() -> bool:
        found[:] = [xdotool(display, "search", "--onlyvisible", "--name", "Киоск")]
        return bool(found[0])

    wait_for(search)
    return found[0] if found else ""


def geometry(display: str, window: str) -> str:
    lines = xdotool(display, "getwindowgeometry", window).splitlines()
    return lines[-1].split(":", 1)[1].strip() if lines else ""


def test_keys_clicks_and_typing_on_a_real_x_screen(display: str, tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "KIOSK_STATE_DIR": str(tmp_path)}
    log = tmp_path / "kiosk.log"
    kiosk = start_kiosk(REPO / "content", env, tmp_path, log)
    try:
        window = kiosk_window(display)
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


# A picture of the whole X screen: how many of 64 points across it are not black.
LIT_POINTS = """
from PySide6.QtGui import QColor, QGuiApplication
app = QGuiApplication([])
image = app.primaryScreen().grabWindow(0).toImage()
print(sum(QColor(image.pixel(x * image.width() // 8, y * image.height() // 8)).lightness() > 0
          for x in range(8) for y in range(8)))
"""


def lit_points(display: str) -> int:
    result = subprocess.run([sys.executable, "-c", LIT_POINTS], capture_output=True, text=True,
                            env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
                            timeout=30, check=True)
    return int(result.stdout.split()[-1])


def test_the_screen_sleeps_outside_opening_hours_on_a_real_x_screen(
        display: str, tmp_path: Path) -> None:
    """Closed today: the display is off (DPMSInfo says Off where the server has DPMS; this
    Xvfb has none since X.Org 21, and then the screen is black), and the X screensaver has
    been turned off. Open (new opening hours, read from the folder as it runs): it is on."""
    from kiosk.ui.service.display_power import DPMS_OFF, DPMS_ON, X11Display

    content = copy_bundled(tmp_path)
    today = dt.datetime.now(ZoneInfo("Europe/Moscow")).date()
    settings = content / "kiosk.yaml"
    usual = settings.read_text()
    settings.write_text(usual + "\nopening_hours: 08:00-20:00\nclosed_days:\n"
                        f"  - {today - dt.timedelta(days=1)}..{today + dt.timedelta(days=1)}\n")
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "KIOSK_STATE_DIR": str(tmp_path / "state")}
    log = tmp_path / "kiosk.log"
    x11 = X11Display.open(display)
    assert x11 is not None
    kiosk = start_kiosk(content, env, tmp_path, log)
    try:
        assert wait_for(lambda: "screen off: the centre is closed: a day off" in
                        log.read_text()), log.read_text()[-3000:]
        if x11.dpms:
            assert x11.dpms_level() == DPMS_OFF
        else:
            assert "(black)" in log.read_text()
            # The kiosk's window fills the screen (Xvfb's own background is black too) …
            assert kiosk_window(display)
            assert wait_for(lambda: lit_points(display) == 0)  # … and shows black
        timeout = ctypes.c_int(-1)
        x11.x11.XGetScreenSaver(x11.display, ctypes.byref(timeout),
                                *(ctypes.byref(ctypes.c_int()) for _ in range(3)))
        assert timeout.value == 0  # Xvfb's is 600 s: the kiosk turned it off
        settings.write_text(usual + "\nopening_hours: 00:00-24:00\n")  # open round the clock
        assert wait_for(lambda: "screen on: on schedule: the centre is open" in
                        log.read_text()), log.read_text()[-3000:]
        if x11.dpms:
            assert x11.dpms_level() == DPMS_ON
        assert wait_for(lambda: lit_points(display) >= 56)  # the attract loop: light paper
        assert kiosk.poll() is None
    finally:
        x11.close()
        kiosk.terminate()
        kiosk.wait(timeout=20)
    assert kiosk.returncode == 0
