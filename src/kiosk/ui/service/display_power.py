"""Turning the display off and on: the monitor's power through DPMS on X11, the output's power
through the compositor on Wayland (wlr-output-power-management, by the `wlopm` tool), and
otherwise nothing but the black cover the window puts over everything (kiosk.ui.service.sleep).

On X11 the kiosk opens an Xlib connection of its own to the X server Qt shows on (DISPLAY; Qt's
own connection is XCB and out of Python's reach), through ctypes: libX11 and libXext come with
every X session, and nothing depends on the `xset` program. The same connection turns off the X
screensaver and, whenever the screen is to be on, DPMS itself, so neither the server's blanking
nor its DPMS timeouts darken the screen during opening hours. `KIOSK_SCREEN_OFF=black` (or
`dpms`, `wayland`; default `auto`) makes IT's choice for a monitor that misbehaves on DPMS.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

DPMS_ON, DPMS_OFF = 0, 3  # DPMSModeOn, DPMSModeOff
WLOPM_TIMEOUT_S = 5.0


class _XErrorEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("display", ctypes.c_void_p),
                ("resourceid", ctypes.c_ulong), ("serial", ctypes.c_ulong),
                ("error_code", ctypes.c_ubyte), ("request_code", ctypes.c_ubyte),
                ("minor_code", ctypes.c_ubyte)]


_ErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_XErrorEvent))


def _load_xlib() -> tuple[Any, Any] | None:
    """libX11 and libXext with the signatures used here, or None where they are missing."""
    import ctypes.util  # here: only X11 needs it (it costs start-up half a millisecond)

    names = ctypes.util.find_library("X11"), ctypes.util.find_library("Xext")
    if not all(names):
        return None
    try:
        x11, xext = (ctypes.CDLL(name) for name in names)
    except OSError:
        return None
    display, c_int, c_ref = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)
    x11.XOpenDisplay.restype = display
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XCloseDisplay.argtypes = [display]
    x11.XSync.argtypes = [display, c_int]
    x11.XSetErrorHandler.restype = ctypes.c_void_p
    x11.XSetErrorHandler.argtypes = [ctypes.c_void_p]
    x11.XGetScreenSaver.argtypes = [display, c_ref, c_ref, c_ref, c_ref]
    x11.XSetScreenSaver.argtypes = [display, c_int, c_int, c_int, c_int]
    x11.XResetScreenSaver.argtypes = [display]
    xext.DPMSQueryExtension.restype = ctypes.c_int
    xext.DPMSQueryExtension.argtypes = [display, c_ref, c_ref]
    xext.DPMSCapable.restype = ctypes.c_int
    xext.DPMSCapable.argtypes = [display]
    for name in ("DPMSEnable", "DPMSDisable"):
        getattr(xext, name).argtypes = [display]
    xext.DPMSForceLevel.argtypes = [display, ctypes.c_ushort]
    xext.DPMSInfo.restype = ctypes.c_int
    xext.DPMSInfo.argtypes = [display, ctypes.POINTER(ctypes.c_ushort),
                              ctypes.POINTER(ctypes.c_ubyte)]
    return x11, xext


class X11Display:
    """An Xlib connection to the X server, for DPMS and the screensaver. Every request is
    followed by XSync under an error handler of our own, so an X error is logged, never the
    end of the process (Xlib's default handler exits)."""

    def __init__(self, x11: Any, xext: Any, display: int) -> None:
        self.x11 = x11
        self.xext = xext
        self.display: int | None = display
        self.errors: list[int] = []  # X error codes while a request ran
        self._handler = _ErrorHandler(self._error)  # kept: Xlib holds only its address
        base, error_base = ctypes.c_int(), ctypes.c_int()
        self.dpms = bool(xext.DPMSQueryExtension(display, ctypes.byref(base),
                                                 ctypes.byref(error_base))
                         and xext.DPMSCapable(display))

    @classmethod
    def open(cls, name: str | None = None, libs: tuple[Any, Any] | None = None
             ) -> X11Display | None:
        """A connection to `name` (None: $DISPLAY), or None if there is no X server or no
        Xlib."""
        libs = libs if libs is not None else _load_xlib()
        if libs is None:
            return None
        x11, xext = libs
        display = x11.XOpenDisplay(name.encode() if name else None)
        return cls(x11, xext, display) if display else None

    def _error(self, _display: int, event: Any) -> int:
        self.errors.append(int(event.contents.error_code) if event else -1)
        return 0

    def _requests(self, what: str, *calls: tuple[str, str, tuple[Any, ...]]) -> bool:
        """Run (library, function, arguments) requests and wait for the server; False, and a
        warning in the log, if it answered with an error."""
        if self.display is None:
            return False
        self.errors.clear()
        previous = self.x11.XSetErrorHandler(ctypes.cast(self._handler, ctypes.c_void_p))
        try:
            for library, function, args in calls:
                getattr(self.x11 if library == "x11" else self.xext, function)(
                    self.display, *args)
            self.x11.XSync(self.display, 0)
        finally:
            self.x11.XSetErrorHandler(previous)
        if self.errors:
            log.warning("X server refused %s (X error %s)", what, self.errors)
            return False
        return True

    def set_dpms(self, on: bool) -> bool:
        """Force the monitor's power on or off. On, DPMS is then disabled again, so the
        server's own DPMS timeouts can never darken the screen while the centre is open."""
        if on:
            return self._requests("to turn the display on", ("xext", "DPMSEnable", ()),
                                  ("xext", "DPMSForceLevel", (DPMS_ON,)),
                                  ("xext", "DPMSDisable", ()))
        return self._requests("to turn the display off", ("xext", "DPMSEnable", ()),
                              ("xext", "DPMSForceLevel", (DPMS_OFF,)))

    def dpms_level(self) -> int | None:
        """DPMSInfo's power level (0 on … 3 off), or None if it cannot be read."""
        if self.display is None or not self.dpms:
            return None
        level, state = ctypes.c_ushort(), ctypes.c_ubyte()
        if not self.xext.DPMSInfo(self.display, ctypes.byref(level), ctypes.byref(state)):
            return None
        return int(level.value)

    def keep_screensaver_off(self) -> None:
        """Turn the X screensaver's blanking off (as `xset s off s noblank`) and end it if it
        is on; said in the log when it had been on."""
        if self.display is None:
            return
        timeout, interval, prefer, allow = (ctypes.c_int() for _ in range(4))
        self.x11.XGetScreenSaver(self.display, ctypes.byref(timeout), ctypes.byref(interval),
                                 ctypes.byref(prefer), ctypes.byref(allow))
        if timeout.value != 0 or prefer.value != 0:
            log.info("X screensaver was set to blank after %d s: turned off", timeout.value)
            self._requests("to turn its screensaver off", ("x11", "XSetScreenSaver",
                                                            (0, interval.value, 0, allow.value)))
        self._requests("to end its screensaver", ("x11", "XResetScreenSaver", ()))

    def close(self) -> None:
        if self.display is not None:
            self.x11.XCloseDisplay(self.display)
            self.display = None


class DisplayPower:
    """Turns the display off and on by `method`: "dpms" (X11), "wayland" (wlopm) or "black"
    (nothing here: the black cover alone)."""

    def __init__(self, method: str = "black", x11: X11Display | None = None,
                 wlopm: str | None = None) -> None:
        self.method = method
        self.x11 = x11  # also with "black" on X11: it keeps the screensaver off
        self.wlopm = wlopm

    def set_on(self, on: bool) -> None:
        if self.x11 is not None:
            if on:
                self.x11.keep_screensaver_off()
            if self.method == "dpms" or (on and self.x11.dpms):
                self.x11.set_dpms(on)  # on: also stops DPMS timeouts darkening the screen
        if self.method == "wayland" and self.wlopm is not None:
            _wlopm(self.wlopm, "--on" if on else "--off", "*")

    def is_on(self) -> bool | None:
        """Whether the display is powered, as the system says; None: not known (black)."""
        if self.method == "dpms" and self.x11 is not None:
            level = self.x11.dpms_level()
            return None if level is None else level == DPMS_ON
        if self.method == "wayland" and self.wlopm is not None:
            states = _wlopm_states(self.wlopm)
            return None if not states else all(states.values())
        return None

    def close(self) -> None:
        """Let the X connection go (the display stays as it is: off at night, and the X
        server turns it on at the first touch if the kiosk does not come back)."""
        if self.x11 is not None:
            self.x11.close()
            self.x11 = None


def _wlopm(program: str, *args: str) -> str | None:
    import subprocess

    try:
        result = subprocess.run([program, *args], capture_output=True, text=True,
                                timeout=WLOPM_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("wlopm %s failed: %s", " ".join(args), exc)
        return None
    if result.returncode != 0:
        log.warning("wlopm %s failed: %s", " ".join(args), result.stderr.strip()[:300])
        return None
    return result.stdout


def _wlopm_states(program: str) -> dict[str, bool]:
    """`wlopm` with no arguments: a line «OUTPUT on|off» per output."""
    text = _wlopm(program)
    states: dict[str, bool] = {}
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] in ("on", "off"):
            states[parts[0]] = parts[1] == "on"
    return states


def open_display_power(platform: str, env: Mapping[str, str] | None = None) -> DisplayPower:
    """The best way to turn the display off on Qt platform `platform` (xcb, wayland,
    offscreen …), or the one IT chose in $KIOSK_SCREEN_OFF."""
    env = os.environ if env is None else env
    choice = env.get("KIOSK_SCREEN_OFF", "auto").strip().lower() or "auto"
    if choice not in ("auto", "dpms", "wayland", "black"):
        log.warning("KIOSK_SCREEN_OFF=%s is not auto, dpms, wayland or black: auto", choice)
        choice = "auto"
    power = DisplayPower()
    if platform == "xcb":
        power.x11 = X11Display.open()
        if power.x11 is None:
            log.warning("no Xlib connection to the X server: the screen is only made black "
                        "at night")
        elif choice in ("auto", "dpms") and power.x11.dpms:
            power.method = "dpms"
        elif choice in ("auto", "dpms"):
            log.warning("the X server has no DPMS (Xorg started with -dpms, or a virtual "
                        "screen): the screen is only made black at night")
    elif platform.startswith("wayland") and choice in ("auto", "wayland"):
        import shutil

        program = shutil.which("wlopm")
        if program is not None and _wlopm_states(program):
            power.method, power.wlopm = "wayland", program
        else:
            log.warning("no wlopm, or the compositor has no output power management: the "
                        "screen is only made black at night")
    if power.x11 is not None:
        power.x11.keep_screensaver_off()  # at once, whether the screen is on or off now
    if platform not in ("offscreen", "minimal"):
        log.info("the screen goes dark outside opening hours by: %s", power.method)
    return power
