"""Nothing a visitor does with keys, buttons or fingers leaves the kiosk or opens anything.

One application-wide event filter: every key (a USB keyboard plugged in, Alt+F4, Ctrl+Q, Esc,
F11 …) is swallowed, as are context menus (right button, long press), mouse buttons other than
the left one and gesture events (pinch, zoom, swipe on a touchpad). Nothing in the kiosk grabs
QGestures, so more fingers are just more touches. The window itself refuses to close unless
staff asked (KioskWindow.closeEvent) and, in kiosk mode, returns to full screen and to the top
whenever something (a window manager shortcut, Alt+Tab) takes it away.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from enum import Enum

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QInputDevice, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

SWALLOWED = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.ContextMenu,
    QEvent.Type.Gesture,
    QEvent.Type.GestureOverride,
    QEvent.Type.NativeGesture,
    QEvent.Type.InputMethod,
    QEvent.Type.WhatsThis,
    QEvent.Type.QueryWhatsThis,
})
MOUSE_BUTTON_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
})


FILLS_PER_WINDOW = 10
FILL_WINDOW_S = 2.0


class CursorMode(Enum):
    AUTO = "auto"  # hidden when a touch screen is connected
    HIDE = "hide"
    SHOW = "show"


def has_touch_screen() -> bool:
    return any(device.type() == QInputDevice.DeviceType.TouchScreen
               for device in QInputDevice.devices())


def cursor_hidden(mode: CursorMode, touch_screen: bool) -> bool:
    return mode is CursorMode.HIDE or (mode is CursorMode.AUTO and touch_screen)


class Lockdown(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.kiosk_geometry: QRect | None = None  # set in kiosk mode: the screen to fill
        self.swallowed = 0  # events thrown away (tests, diagnostics)
        self._reasserting = False
        self._keys_seen = False
        # When did we last put the window back: a window manager that insists on another
        # size must not start a tug of war that eats the CPU.
        self._fills: deque[float] = deque(maxlen=FILLS_PER_WINDOW)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def enter_kiosk_mode(self, geometry: QRect) -> None:
        """Full screen on `geometry`, frameless and above other windows, and kept so."""
        self.kiosk_geometry = QRect(geometry)
        self.window.setWindowFlags(self.window.windowFlags()
                                   | Qt.WindowType.FramelessWindowHint
                                   | Qt.WindowType.WindowStaysOnTopHint)
        self._fill()

    def follow(self, geometry: QRect) -> None:
        """The screen turned or changed (kiosk.ui.service.screen_follow): full screen on `geometry`
        now, and kept there; the geometry the kiosk started with is not put back."""
        if self.kiosk_geometry is None:
            return
        self.kiosk_geometry = QRect(geometry)
        self._fills.clear()  # a new screen: no tug of war yet
        self._fill()

    def hide_cursor(self, mode: CursorMode) -> bool:
        hidden = cursor_hidden(mode, has_touch_screen())
        if hidden:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        return hidden

    def _fill(self) -> None:
        if self.kiosk_geometry is None:
            return
        # Without a window manager showFullScreen() alone may not fill the screen: the
        # geometry first (GUIDE.md).
        self.window.setGeometry(self.kiosk_geometry)
        self.window.showFullScreen()
        self.window.raise_()
        self.window.activateWindow()

    def _reassert(self) -> None:
        self._reasserting = False
        hidden = not self.window.isVisible() and not self.window.isMinimized()
        if self.kiosk_geometry is None or hidden:
            return  # closed by staff, or not in kiosk mode
        if not self.window.isFullScreen() or self.window.isMinimized() \
                or self.window.geometry() != self.kiosk_geometry:
            now = time.monotonic()
            if len(self._fills) == self._fills.maxlen and now - self._fills[0] < FILL_WINDOW_S:
                # Put back ten times in two seconds: something insists. Try again later.
                QTimer.singleShot(round(FILL_WINDOW_S * 1000), self, self._soon)
                return
            self._fills.append(now)
            log.info("window state changed to %s: back to full screen",
                     self.window.windowState())
            self._fill()
        else:
            self.window.raise_()

    def _soon(self) -> None:
        if not self._reasserting:
            self._reasserting = True
            QTimer.singleShot(0, self, self._reassert)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in SWALLOWED:
            if kind == QEvent.Type.KeyPress and not self._keys_seen:
                self._keys_seen = True  # said once: a keyboard may type all day
                log.info("a key was pressed: keys are ignored, the kiosk is touch only")
            self.swallowed += 1
            event.accept()
            return True
        if kind in MOUSE_BUTTON_EVENTS and isinstance(event, QMouseEvent) \
                and event.button() is not Qt.MouseButton.LeftButton:
            self.swallowed += 1
            return True  # right, middle, back …: a finger has only the left
        if watched is self.window and self.kiosk_geometry is not None and kind in (
                QEvent.Type.WindowStateChange, QEvent.Type.WindowDeactivate, QEvent.Type.Hide,
                QEvent.Type.Move, QEvent.Type.Resize):
            self._soon()
        return False
