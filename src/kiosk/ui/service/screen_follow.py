"""The screen the kiosk fills, followed while it runs: turned (portrait ↔ landscape), set to
another resolution or scale, or replaced by another display (unplugged and plugged again, a
second one made primary).

`ScreenFollower` watches the QScreen under the window and the application's list of screens,
waits for a change to settle (a turn comes as several signals: the size, the orientation, the
available area) and then says once what the window is to fill now: `changed(QRect)`, in
logical pixels. The window takes that geometry, the lockdown keeps it there (not the one the
kiosk started with), and every screen is laid out afresh for it (KioskWindow.follow_screen).
"""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import QEvent, QObject, QRect, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

SETTLE_MS = 150  # the signals of one turn or one change of display arrive within this


class ScreenFollower(QObject):
    changed = Signal(QRect)  # the geometry to fill now, in logical pixels

    def __init__(self, window: QWidget, settle_ms: int = SETTLE_MS) -> None:
        super().__init__(window)
        self.window = window
        self.screen: QScreen | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(settle_ms)
        self.timer.timeout.connect(self._settle)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.primaryScreenChanged.connect(self._soon)
            app.screenAdded.connect(self._soon)
            app.screenRemoved.connect(self._soon)
        window.installEventFilter(self)  # a change of device pixel ratio, of screen
        screen = self._target()
        self.geometry = QRect(screen.geometry()) if screen is not None else QRect()
        self.ratio = screen.devicePixelRatio() if screen is not None else 1.0
        self._watch(screen)

    def _target(self) -> QScreen | None:
        """The screen to fill: the window's while it is still there, else the primary one."""
        screens = QGuiApplication.screens()
        screen = self.window.screen()
        if screen is not None and screen in screens:
            return screen
        return QGuiApplication.primaryScreen()

    def _watch(self, screen: QScreen | None) -> None:
        if screen is self.screen:
            return
        if self.screen is not None:
            for signal in (self.screen.geometryChanged, self.screen.orientationChanged,
                           self.screen.logicalDotsPerInchChanged):
                with contextlib.suppress(RuntimeError, TypeError):  # the screen is gone
                    signal.disconnect(self._soon)
        self.screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self._soon)
            screen.orientationChanged.connect(self._soon)
            screen.logicalDotsPerInchChanged.connect(self._soon)

    def _soon(self, *_args: object) -> None:
        self.timer.start()  # again: the last of a burst of signals counts

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() in (
                QEvent.Type.DevicePixelRatioChange, QEvent.Type.ScreenChangeInternal):
            self._soon()
        return False

    def _settle(self) -> None:
        screen = self._target()
        self._watch(screen)
        if screen is None:
            return  # no display at all for now: wait for one to be added
        geometry, ratio = QRect(screen.geometry()), screen.devicePixelRatio()
        if geometry.isEmpty() or (geometry, ratio) == (self.geometry, self.ratio):
            return
        log.info("screen %s is now %d×%d at %d,%d (device pixel ratio %g): laid out afresh",
                 screen.name(), geometry.width(), geometry.height(), geometry.x(),
                 geometry.y(), ratio)
        self.geometry, self.ratio = geometry, ratio
        self.changed.emit(QRect(geometry))
