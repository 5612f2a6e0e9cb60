"""The screen turned while the kiosk runs, on a real X server: Xephyr (nested in Xvfb) turns
its screen with RandR as a display's driver does (`xrandr --rotate left`), and the real
`kiosk run`, full screen in kiosk mode, must follow: its window takes the portrait geometry
(the lockdown used to put the landscape one back), every screen is laid out for portrait,
and turned back, for landscape again.

`make test` installs Xvfb, Xephyr and xrandr (scripts/system-deps.sh --tests); run by hand
without them, this is skipped, but never in CI (CI=true), where a skip would hide that it did
not run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import REPO, start_kiosk, wait_for

TOOLS = ("Xvfb", "Xephyr", "xrandr", "xdotool")
pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in TOOLS) and os.environ.get("CI") != "true",
    reason="needs Xvfb, Xephyr, xrandr and xdotool (scripts/system-deps.sh --tests)")
LANDSCAPE, PORTRAIT = "960x540", "540x960"  # Xephyr turns screens up to 1600×1200


def _server(command: list[str], env: dict[str, str] | None = None) -> tuple[
        subprocess.Popen[bytes], str]:
    """An X server started with -displayfd: the process and its display."""
    read, write = os.pipe()
    server = subprocess.Popen([*command, "-displayfd", str(write), "-nolisten", "tcp"],
                              pass_fds=(write,), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, f"{command[0]} did not start"
    return server, f":{number}"


@pytest.fixture
def turning_display() -> Iterator[str]:
    """A screen that turns: Xephyr in a window of an Xvfb screen large enough for both ways."""
    host, host_display = _server(["Xvfb", "-screen", "0", "1200x1200x24"])
    nested = None
    try:
        nested, display = _server(["Xephyr", "-resizeable", "-screen", LANDSCAPE],
                                  env={**os.environ, "DISPLAY": host_display})
        yield display
    finally:
        for server in (nested, host):
            if server is not None:
                server.terminate()
                server.wait(timeout=10)


def _x(display: str, *command: str) -> str:
    result = subprocess.run(list(command), env={**os.environ, "DISPLAY": display},
                            capture_output=True, text=True, timeout=20)
    return result.stdout.strip()


def _geometry(display: str, window: str) -> str:
    lines = _x(display, "xdotool", "getwindowgeometry", window).splitlines()
    return lines[-1].split(":", 1)[1].strip() if lines else ""


# The X screen's size, and its rows in the colour of the attract band's «tap here» across
# (19 points of 20): the first and the last of them.
BAND = """
from PySide6.QtGui import QColor, QGuiApplication
app = QGuiApplication([])
image = app.primaryScreen().grabWindow(0).toImage()
rows = [y for y in range(image.height())
        if sum(QColor(image.pixel(x * image.width() // 20, y)).name() == "#f5962f"
               for x in range(20)) >= 19]
print(image.width(), image.height(), min(rows, default=-1), max(rows, default=-1))
"""


def _band(display: str) -> tuple[int, ...]:
    out = subprocess.run([sys.executable, "-c", BAND], capture_output=True, text=True,
                         env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
                         timeout=30, check=True).stdout.split()
    return tuple(int(part) for part in out[-4:])


def _band_at_foot(display: str, width: int, height: int, band: float) -> bool:
    """The screen is `width` × `height` and the band runs edge to edge along its foot,
    `band` of the short side high (the theme's 300 px at 1080 in portrait, 176 landscape)."""
    seen_width, seen_height, top, bottom = _band(display)
    short = min(width, height)
    return (seen_width, seen_height) == (width, height) and top >= 0 \
        and height - top <= band * short / 1080 + 2 and bottom >= height - 2 - short // 10


def test_the_kiosk_follows_its_screen_turned_both_ways(turning_display: str,
                                                        tmp_path: Path) -> None:
    display = turning_display
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "KIOSK_STATE_DIR": str(tmp_path / "state")}
    log = tmp_path / "kiosk.log"
    output = _x(display, "xrandr", "--query").splitlines()
    name = next(line.split()[0] for line in output if " connected" in line)
    kiosk = start_kiosk(REPO / "content", env, tmp_path, log)
    try:
        window = _x(display, "xdotool", "search", "--sync", "--onlyvisible", "--name", "Киоск")
        assert window, "the kiosk window did not appear"
        window = window.splitlines()[0]
        assert wait_for(lambda: _geometry(display, window) == LANDSCAPE, 20)
        assert wait_for(lambda: "showing " in log.read_text(), 20), log.read_text()[-3000:]

        _x(display, "xrandr", "--output", name, "--rotate", "left")
        assert wait_for(lambda: "laid out for 540×960 (portrait)" in log.read_text(), 20), \
            log.read_text()[-3000:]
        # The window takes the turned screen and stays there: the lockdown keeps the new
        # geometry, not the one the kiosk started with.
        assert wait_for(lambda: _geometry(display, window) == PORTRAIT, 10), \
            _geometry(display, window)
        # Painted for it: the band runs along the foot of the portrait screen, edge to edge.
        assert wait_for(lambda: _band_at_foot(display, 540, 960, 300), 10), _band(display)

        _x(display, "xrandr", "--output", name, "--rotate", "normal")
        assert wait_for(lambda: "laid out for 960×540 (landscape)" in log.read_text(), 20), \
            log.read_text()[-3000:]
        assert wait_for(lambda: _geometry(display, window) == LANDSCAPE, 10)
        assert wait_for(lambda: _band_at_foot(display, 960, 540, 176), 10), _band(display)
        assert kiosk.poll() is None, log.read_text()[-3000:]
        assert "Traceback" not in log.read_text()
    finally:
        kiosk.terminate()
        kiosk.wait(timeout=20)
    assert kiosk.returncode == 0, log.read_text()[-3000:]
