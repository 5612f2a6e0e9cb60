"""Turning the display off and on, by DPMS (X11), by wlopm (Wayland) or not at all (a black
screen). The Xlib calls are checked against a stand-in library that keeps the server's state
as the X server does (tests/ui/test_xvfb.py runs the kiosk on a real X server); wlopm is a
small script on PATH."""

from __future__ import annotations

import ctypes
import logging
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from kiosk.ui.service.display_power import (
    DPMS_OFF,
    DPMS_ON,
    DisplayPower,
    X11Display,
    open_display_power,
)


class FakeX:
    """libX11 and libXext in one, with an X server's DPMS and screensaver state behind it.
    `refuse` names a request the server answers with an error (the handler is called at the
    next XSync, as Xlib does)."""

    def __init__(self, dpms: bool = True, refuse: str = "") -> None:
        self.has_dpms = dpms
        self.refuse = refuse
        self.calls: list[str] = []
        self.level, self.enabled = DPMS_ON, False
        self.saver = [600, 600, 1, 2]  # Xvfb's: blank after 10 minutes
        self.handler: Any = None
        self.pending_error = False

    def XOpenDisplay(self, name: bytes | None) -> int:
        return 1

    def XCloseDisplay(self, display: int) -> None:
        self.calls.append("XCloseDisplay")

    def XSetErrorHandler(self, handler: Any) -> Any:
        previous, self.handler = self.handler, handler
        return previous

    def XSync(self, display: int, discard: int) -> None:
        self.calls.append("XSync")
        if self.pending_error and self.handler is not None:
            self.pending_error = False
            event = _Event(error_code=8)  # BadMatch
            callback = ctypes.cast(self.handler, ctypes.CFUNCTYPE(
                ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_Event)))
            callback(None, ctypes.pointer(event))

    def XGetScreenSaver(self, display: int, *refs: Any) -> None:
        for ref, value in zip(refs, self.saver, strict=True):
            ref._obj.value = value

    def XSetScreenSaver(self, display: int, *values: int) -> None:
        self.calls.append(f"XSetScreenSaver{values}")
        self.saver = list(values)

    def XResetScreenSaver(self, display: int) -> None:
        self.calls.append("XResetScreenSaver")

    def DPMSQueryExtension(self, display: int, *refs: Any) -> int:
        return int(self.has_dpms)

    def DPMSCapable(self, display: int) -> int:
        return int(self.has_dpms)

    def _request(self, name: str) -> bool:
        self.calls.append(name)
        if name == self.refuse:
            self.pending_error = True
            return False
        return True

    def DPMSEnable(self, display: int) -> None:
        if self._request("DPMSEnable"):
            self.enabled = True

    def DPMSDisable(self, display: int) -> None:
        if self._request("DPMSDisable"):
            self.level, self.enabled = DPMS_ON, False  # as the server does

    def DPMSForceLevel(self, display: int, level: int) -> None:
        if self._request(f"DPMSForceLevel({level})") and self.enabled:
            self.level = level
        elif not self.enabled:
            self.pending_error = True  # BadMatch: DPMS is disabled

    def DPMSInfo(self, display: int, level: Any, state: Any) -> int:
        level._obj.value, state._obj.value = self.level, int(self.enabled)
        return 1


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("display", ctypes.c_void_p),
                ("resourceid", ctypes.c_ulong), ("serial", ctypes.c_ulong),
                ("error_code", ctypes.c_ubyte), ("request_code", ctypes.c_ubyte),
                ("minor_code", ctypes.c_ubyte)]


def dpms_power(fake: FakeX) -> DisplayPower:
    x11 = X11Display.open(libs=(fake, fake))
    assert x11 is not None
    return DisplayPower("dpms" if x11.dpms else "black", x11)


def test_dpms_turns_the_monitor_off_and_on_and_leaves_no_timeout_to_blank_it() -> None:
    fake = FakeX()
    power = dpms_power(fake)
    power.set_on(False)
    assert fake.level == DPMS_OFF and power.is_on() is False
    assert fake.calls[:3] == ["DPMSEnable", f"DPMSForceLevel({DPMS_OFF})", "XSync"]
    fake.calls.clear()
    power.set_on(True)
    assert fake.level == DPMS_ON and power.is_on() is True
    # On, DPMS is disabled again: the server's own timeouts cannot darken an open centre.
    assert not fake.enabled
    assert [c for c in fake.calls if c.startswith("DPMS")] == [
        "DPMSEnable", f"DPMSForceLevel({DPMS_ON})", "DPMSDisable"]
    # … nor can the X screensaver: off, and never blanking.
    assert fake.saver[0] == 0 and fake.saver[2] == 0 and "XResetScreenSaver" in fake.calls
    power.close()
    assert "XCloseDisplay" in fake.calls


def test_an_x_error_is_logged_and_the_kiosk_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeX(refuse="DPMSEnable")  # e.g. a server that refuses this client
    power = dpms_power(fake)
    with caplog.at_level(logging.WARNING):
        power.set_on(False)
    assert "X server refused to turn the display off (X error [8])" in caplog.text
    assert fake.handler is None  # Xlib's own handler (which would exit) is back


def test_without_dpms_the_x_screensaver_is_still_kept_off() -> None:
    fake = FakeX(dpms=False)
    power = dpms_power(fake)
    assert power.method == "black" and power.is_on() is None
    power.set_on(False)
    power.set_on(True)
    assert fake.saver[0] == 0
    assert not any(call.startswith("DPMS") for call in fake.calls)


def test_offscreen_and_an_unknown_platform_use_the_black_screen() -> None:
    assert open_display_power("offscreen", {}).method == "black"
    assert open_display_power("eglfs", {}).method == "black"


def fake_wlopm(folder: Path, works: bool = True) -> Path:
    """A wlopm that keeps the output's state in a file beside it, or one whose compositor
    has no output power management."""
    state = folder / "state"
    state.write_text("on")
    script = folder / "wlopm"
    if works:
        script.write_text(f"""#!/bin/sh
case "$1" in
  --on) echo on > {state} ;;
  --off) echo off > {state} ;;
  *) echo "HDMI-A-1 $(cat {state})" ;;
esac
""")
    else:
        script.write_text("#!/bin/sh\necho 'compositor does not support "
                          "wlr-output-power-management-v1' >&2\nexit 1\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return state


def test_wayland_turns_the_output_off_with_wlopm(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    state = fake_wlopm(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    power = open_display_power("wayland", {})
    assert power.method == "wayland"
    power.set_on(False)
    assert state.read_text().strip() == "off" and power.is_on() is False
    power.set_on(True)
    assert state.read_text().strip() == "on" and power.is_on() is True


def test_wayland_without_output_power_management_falls_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_wlopm(tmp_path, works=False)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert open_display_power("wayland", {}).method == "black"
    assert open_display_power("wayland", {"KIOSK_SCREEN_OFF": "black"}).method == "black"


def test_it_chooses_the_black_screen_and_nothing_else_when_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_wlopm(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert open_display_power("wayland", {"KIOSK_SCREEN_OFF": "black"}).method == "black"
    assert open_display_power("wayland", {"KIOSK_SCREEN_OFF": "nonsense"}).method == "wayland"
