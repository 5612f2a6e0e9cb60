"""Attract mode: the slides cycle by themselves until someone touches the screen.

Each slide is a poster (poster.py beside this module). Between transitions nothing on the stage
repaints; only the ring of the invitation to touch moves, and the clock changes once a minute.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from PySide6.QtCore import QEasingCurve, QSize, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.i18n import format_date
from kiosk.core.model import Content
from kiosk.core.playlist import AttractPlaylist, Slide
from kiosk.core.queue import Call
from kiosk.ui.attract.band import AttractBand
from kiosk.ui.attract.poster import PosterPainter
from kiosk.ui.recent_calls import RecentCalls
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TextSpot


class SlideStage(QWidget):
    """Shows one pre-rendered slide; blends or slides to the next one at 60 fps."""

    transition_finished = Signal()
    painted = Signal()  # after each frame; benchmarks wait for the first one

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.transition_style = "crossfade"
        self.current = QPixmap()
        self.previous = QPixmap()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        # A Python callable, not `self.update`: PySide 6.11 keeps ~100 bytes for good for
        # each connection to a wrapped C++ method.
        self.animation.valueChanged.connect(lambda _value: self.update())
        self.animation.finished.connect(self._finish)
        self.spots: list[TextSpot] = []  # the words of the slide on show, for the audit
        # Filled by benchmarks: how long each frame of a transition took to paint.
        self.frame_times: list[float] | None = None

    @property
    def in_transition(self) -> bool:
        return self.animation.state() == QVariantAnimation.State.Running

    def show_pixmap(self, pixmap: QPixmap, animate: bool, duration_ms: int) -> None:
        if not animate or self.current.isNull() or not self.isVisible():
            self.animation.stop()
            self.current = pixmap
            self.previous = QPixmap()
            self.update()
            return
        self.previous = self.current
        self.current = pixmap
        self.animation.setDuration(duration_ms)
        self.animation.start()

    def text_spots(self) -> list[TextSpot]:
        """The words painted on the slide on show (none mid-transition)."""
        return [] if self.in_transition else self.spots

    def _finish(self) -> None:
        self.previous = QPixmap()  # free it: one full-screen pixmap less in memory
        self.update()
        self.transition_finished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        painter = QPainter(self)
        if self.current.isNull():
            painter.fillRect(event.rect(), QColor(self.theme.colours.paper))
        elif self.in_transition and not self.previous.isNull():
            progress = float(self.animation.currentValue())
            if self.transition_style == "slide":
                offset = round(self.width() * progress)
                painter.drawPixmap(-offset, 0, self.previous)
                painter.drawPixmap(self.width() - offset, 0, self.current)
            else:
                painter.drawPixmap(0, 0, self.previous)
                painter.setOpacity(progress)
                painter.drawPixmap(0, 0, self.current)
        else:
            painter.drawPixmap(event.rect(), self.current, event.rect())
        painter.end()
        if self.frame_times is not None and self.in_transition:
            self.frame_times.append(time.perf_counter() - started)
        self.painted.emit()


class AttractScreen(Screen):
    def __init__(self, theme: Theme, images: ImageCache,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.clock = clock
        self.painter = PosterPainter(theme)
        self.stage = SlideStage(theme)
        self.playlist: AttractPlaylist | None = None
        self._shown: tuple[str, str, int, int] | None = None

        self.slide_timer = QTimer(self)
        self.slide_timer.setSingleShot(True)
        self.slide_timer.timeout.connect(self._next_slide)
        self.clock_timer = QTimer(self)
        self.clock_timer.setSingleShot(True)
        self.clock_timer.timeout.connect(self._update_clock)

        # The invitation to touch, the centre's name and the time: one band along the bottom.
        self.band = AttractBand(theme, images, clock)

        # The queue's last calls: a row of their own above the band's right-hand corner,
        # hidden (taking no room) while there are none.
        self.recent = RecentCalls(theme)
        self.recent_row = QWidget()
        row = QHBoxLayout(self.recent_row)
        row.setContentsMargins(0, 0, theme.margin, 0)
        row.addStretch(1)
        row.addWidget(self.recent)
        self.recent_row.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stage, 1)
        layout.addWidget(self.recent_row)
        layout.addWidget(self.band)

    # -- lifecycle -------------------------------------------------------------------------

    def set_content(self, content: Content) -> None:
        self.content = content
        self.playlist = AttractPlaylist(content, self.clock(), self.wall)
        self._shown = None
        self.images.clear()
        self.refresh()

    def replace_content(self, content: Content) -> None:
        """New content while the loop runs: a transition to its first slide, no jump."""
        self.content = content
        self.playlist = AttractPlaylist(content, self.clock(), self.wall)
        self._shown = None
        self.images.clear()
        if self.isVisible() and self.stage.width() > 1:
            slide = self.playlist.current
            self.stage.transition_style = content.settings.transition
            self.stage.show_pixmap(self._pixmap(slide), True, content.settings.transition_ms)
            self._shown = (slide.key, self.lang, self.stage.width(), self.stage.height())
            self.reschedule()
        else:
            self.refresh()

    def reset(self) -> None:
        if self.playlist is not None:
            self.playlist.restart(self.clock())
        self.refresh()

    def start(self) -> None:
        """Begin cycling; called when attract is shown."""
        self.refresh()
        self.band.start()

    def stop(self) -> None:
        """Leave attract: no timer keeps running behind another screen."""
        self.slide_timer.stop()
        self.clock_timer.stop()
        self.band.stop()
        self.stage.animation.stop()

    @property
    def current_slide(self) -> Slide | None:
        """The slide on screen: a tap opens what it shows."""
        return self.playlist.current if self.playlist is not None else None

    def refresh(self) -> None:
        self.recent.set_calls(self.recent.calls, self.lang)
        self._update_clock()
        if self.playlist is not None and self.stage.width() > 1:
            self._show_current()
            self.reschedule()

    def set_recent_calls(self, calls: list[Call]) -> None:
        """The queue's last calls for the corner (none: the corner goes away)."""
        self.recent.set_calls(calls, self.lang)
        if self.recent_row.isVisibleTo(self) != bool(calls):
            self.recent_row.setVisible(bool(calls))
            layout = self.layout()
            if layout is not None:
                layout.activate()  # the stage changes height now: the slide is redrawn to fit
            if self.playlist is not None:
                self.refresh()

    # -- slides ----------------------------------------------------------------------------

    def _show_current(self) -> None:
        """Put the playlist's slide on the stage, unless it is there already."""
        assert self.playlist is not None
        slide = self.playlist.current
        shown = (slide.key, self.lang, self.stage.width(), self.stage.height())
        if shown != self._shown:
            self.stage.show_pixmap(self._pixmap(slide), False, 0)
            self._shown = shown

    def _pixmap(self, slide: Slide) -> QPixmap:
        """The slide rendered at the stage's size. Rendered when it is due (about 20 ms,
        before the transition starts), not kept in advance: one full-screen pixmap less."""
        assert self.content is not None
        pixmap = self.painter.render(slide, self.content, self.lang, self.stage.size())
        self.stage.spots = list(self.painter.spots)
        return pixmap

    def display(self, slide: Slide) -> None:
        """Show one slide at once, without a transition (previews and tests)."""
        self.stage.show_pixmap(self._pixmap(slide), False, 0)
        self._shown = None

    def reschedule(self) -> None:
        """Set the slide timer from the playlist and the clock (also after a clock jump)."""
        if self.playlist is None or not self.isVisible():
            return
        remaining = self.playlist.remaining(self.clock())
        self.slide_timer.start(max(50, round(remaining * 1000)))

    def _next_slide(self) -> None:
        if self.playlist is None or self.content is None:
            return
        slide = self.playlist.tick(self.clock())
        if slide is not None:
            settings = self.content.settings
            self.stage.transition_style = settings.transition
            self.stage.show_pixmap(self._pixmap(slide), True, settings.transition_ms)
            self._shown = (slide.key, self.lang, self.stage.width(), self.stage.height())
        self.reschedule()

    def _update_clock(self) -> None:
        # The centre's time (kiosk.yaml `timezone`), as the schedules use: a kiosk computer
        # left on UTC would otherwise show a clock three hours off in Moscow.
        now = self.wall() or dt.datetime.now()
        centre = self.content.settings.centre(self.lang) if self.content is not None else ""
        self.band.set_texts(self.lang, centre, now.strftime("%H:%M"),
                            format_date(now.date(), self.lang, weekday=True))
        if self.isVisible():
            self.clock_timer.start((60 - now.second) * 1000 - now.microsecond // 1000 + 50)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.playlist is not None:
            self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(self.theme.width, self.theme.height)
