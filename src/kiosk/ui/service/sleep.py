"""The screen sleeps when the centre is closed (kiosk.yaml `opening_hours`, `closed_days`,
`open_days`; the rule is kiosk.core.schedules.opening's).

Asleep, the window shows a black, static cover over everything, the display is powered down
where the system allows (kiosk.ui.service.display_power), and the kiosk does no work on screen: the
attract loop, its clock and its band stop, new content waits to be shown on waking, the
queue banner is not painted. What goes on: following the content folder and the queue, the
status file and the systemd watchdog (kiosk.ui.service.operations), and one timer here.

The timer is set for the next change the rule names (opening, closing, waking before opening,
a touch running out), but never further than a minute ahead: Qt's timers run on the
monotonic clock, so a wall clock set by NTP or by hand is caught up within the minute, as
the attract clock does. A touch while asleep only wakes the screen (for `touch_awake`); it
neither opens the menu nor presses what is under the finger. A visitor still using the kiosk
at closing time is not cut off: the screen goes dark when their session ends.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.core.session import Phase

if TYPE_CHECKING:
    from kiosk.core.content.model import Content
    from kiosk.core.schedules.opening import ScreenState
    from kiosk.core.service.screen_report import ScreenReport
    from kiosk.ui.main_window import KioskWindow
    from kiosk.ui.service.display_power import DisplayPower

log = logging.getLogger(__name__)

CHECK_MS = 60_000  # the longest the timer waits: a wall-clock jump is seen within a minute
WAKE_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
                         QEvent.Type.Wheel})
# The rest of the touch that woke the screen, swallowed with it.
REST_OF_TOUCH = frozenset({QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
                           QEvent.Type.MouseMove, QEvent.Type.TouchUpdate,
                           QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, *WAKE_EVENTS})
TOUCH_ENDS = frozenset({QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd,
                        QEvent.Type.TouchCancel})
SWALLOW_S = 3.0  # a finger that rests longer (or a release that never came) ends it


class SleepCover(QWidget):
    """Black, over everything in the window, and static: it paints when shown, then never."""

    painted = Signal()  # the first frame may be this one (a start at night): READY=1

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.paints = 0  # tests: nothing repaints in the dark
        self.hide()
        parent.installEventFilter(self)  # follows the window's size

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize \
                and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor(0, 0, 0))
        painter.end()
        self.paints += 1
        self.painted.emit()


def _open_display_power() -> DisplayPower:
    from kiosk.ui.service.display_power import open_display_power

    return open_display_power(QGuiApplication.platformName())


class ScreenSleep(QObject):
    changed = Signal(object)  # the ScreenReport, when the screen turns on or off or why changes

    def __init__(self, window: KioskWindow,
                 open_power: Callable[[], DisplayPower] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._open_power = open_power or _open_display_power
        self.power: DisplayPower | None = None  # opened at the first look
        self.cover = SleepCover(window)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may fire 5 % early
        self.timer.timeout.connect(self.evaluate)
        self.enabled = False  # the kiosk itself only (start): never previews or checks
        self.asleep = False
        self.report: ScreenReport | None = None  # what the screen is now, and why
        self.last_touch: dt.datetime | None = None  # the centre's time
        self._swallow_until: float | None = None  # monotonic: the waking touch's rest
        self._evaluating = False
        window.visitor_left.connect(self.evaluate)  # a session held off the dark: now

    # -- the rule ----------------------------------------------------------------------------

    def start(self) -> None:
        """Follow the opening hours from now on: `kiosk run` does, while the windows of
        previews, `kiosk check` and most tests never sleep, whatever the time."""
        self.enabled = True
        self.evaluate()

    def evaluate(self) -> None:
        """Ask the opening hours about now (the latest content's, a visitor's pending one
        too), turn the screen on or off, and set the timer for the next change."""
        if self._evaluating or not self.enabled:
            return  # going to sleep or waking calls back here (go_to_attract, set_content)
        # Here, not at the top: the rule and its words are not needed for the first frame.
        from kiosk.core.schedules.opening import ScreenState, screen_state

        self._evaluating = True
        try:
            window = self.window
            settings = (window.pending_content or window.content).settings
            now = settings.local_time(window.utc_now())
            # In UTC: compared in the zone, the repeated autumn hour's two readings are equal.
            if self.last_touch is not None \
                    and self.last_touch.astimezone(dt.UTC) > now.astimezone(dt.UTC):
                # The clock was set back since (NTP): the touch counts from now, as the
                # visitor's idle time does, and never lights the screen when its old time
                # comes round.
                self.last_touch = now
            try:
                state = screen_state(settings.opening, now, self.last_touch)
            except Exception:  # a fault in the rule never darkens the screen
                log.exception("opening hours not evaluated: the screen stays on")
                state = ScreenState(True, "always_open")
            self._apply(state, now)
            self._arm(state, now)
        finally:
            self._evaluating = False

    def _apply(self, state: ScreenState, now: dt.datetime) -> None:
        from kiosk.core.service.screen_report import ScreenReport, why

        power = self._power()
        visitor = not state.awake and self.window.session.phase is not Phase.ATTRACT
        report = ScreenReport(state.awake or visitor, "visitor" if visitor else state.reason,
                              None if visitor else state.until, power.method, now)
        first, before = self.report is None, self.report
        self.report = report
        if report.on and (self.asleep or first):
            self._wake(power)
        elif not report.on and not self.asleep:
            self._sleep(power)
        elif power.is_on() not in (None, report.on):  # asked at each look, once a minute
            log.info("the display was turned %s meanwhile (input reaching the X server, "
                     "xset): %s again", "off" if report.on else "on",
                     "on" if report.on else "off")
            power.set_on(report.on)
        if before is None or (before.on, before.reason) != (report.on, report.reason):
            log.info("screen %s: %s (%s)", "on" if report.on else "off", why(report, "en"),
                     power.method)
            self.changed.emit(report)

    def _arm(self, state: ScreenState, now: dt.datetime) -> None:
        self.timer.stop()
        if state.reason == "always_open":
            return  # no opening hours: nothing changes with time
        # In UTC: `until` and `now` share the centre's zone, and Python subtracts two such
        # datetimes by their wall clocks, an hour off across a DST change.
        wait = CHECK_MS if state.until is None else \
            (state.until.astimezone(dt.UTC) - now.astimezone(dt.UTC)).total_seconds() * 1000 \
            + 20  # a little after, not before
        self.timer.start(max(50, min(CHECK_MS, round(wait))))

    def _power(self) -> DisplayPower:
        if self.power is None:
            self.power = self._open_power()
        return self.power

    # -- on and off --------------------------------------------------------------------------

    def _sleep(self, power: DisplayPower) -> None:
        self.asleep = True
        self._swallow_until = None
        window = self.window
        window.go_to_attract()  # nothing of the last visitor's is left
        # No urgent notices turning their pages (put up again on waking: go_to_attract) …
        window.notice_band.show_notices((), window.lang)
        window.attract.stop()  # … no slide, clock or band timer in the dark …
        # … and no screen under the cover to render anything (a resize, a queue call).
        window.attract.hide()
        self.cover.setGeometry(window.rect())
        self.cover.show()
        self.cover.raise_()
        power.set_on(False)

    def _wake(self, power: DisplayPower) -> None:
        was_asleep, self.asleep = self.asleep, False
        power.set_on(True)  # also at the first look: on, and kept from blanking
        if was_asleep:
            self.window.attract.show()
            self.cover.hide()
            self.window.go_to_attract()  # the loop from its start, new content shown now
            self.window.show_queue()

    # -- touches -----------------------------------------------------------------------------

    def filter(self, watched: QObject, event: QEvent) -> bool:
        """The window's event filter asks first: True to swallow the event. A press while
        asleep wakes the screen and is swallowed, with the rest of that touch; every press
        counts as the last touch (a touch keeps the screen on a while past closing)."""
        kind = event.type()
        if kind not in REST_OF_TOUCH or not self.enabled or not self._ours(watched):
            return False
        if self._swallow_until is not None:
            if self.window.clock() < self._swallow_until:
                if kind in TOUCH_ENDS:
                    self._swallow_until = None
                return True
            self._swallow_until = None
        if kind not in WAKE_EVENTS:
            return False
        settings = (self.window.pending_content or self.window.content).settings
        self.last_touch = settings.local_time(self.window.utc_now())
        if not self.asleep:
            return False
        log.info("touched while asleep: the screen wakes")
        self._swallow_until = self.window.clock() + SWALLOW_S
        self.evaluate()
        return True

    # -- kiosk.yaml's closed days, for the staff ---------------------------------------------

    def with_problems(self, content: Content) -> Content:
        """`content` with a warning if its closed_days keep the screen dark for long from
        today (the staff diagnostics' list; `kiosk check` gives the same, kiosk.cli)."""
        from kiosk.core.content.loader import SETTINGS_FILE
        from kiosk.core.schedules.opening import closed_days_problems

        settings = content.settings
        today = settings.local_time(self.window.utc_now()).date()
        found = closed_days_problems(settings.opening, today, settings.origins.get(
            "closed_days", str(content.root / SETTINGS_FILE)))  # or this computer's file
        return replace(content, problems=(*content.problems, *found)) if found else content

    def _ours(self, watched: QObject) -> bool:
        window = self.window
        if isinstance(watched, QWidget):
            return watched.window() is window
        return watched is window.windowHandle()

    def close(self) -> None:
        """The window closes for good: no timer, and the X connection let go."""
        self.timer.stop()
        if self.power is not None:
            self.power.close()
