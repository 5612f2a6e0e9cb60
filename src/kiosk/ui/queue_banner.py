"""«Приглашается талон А017 — окно 12»: a band across the top of whatever screen shows, with
the ticket and the window in figures big enough to read across the waiting room.

Calls in quick succession share the band, newest first and largest. A tap on the band closes it
(and reaches nothing under it); the rest of the screen stays usable, so a child colouring is not
interrupted. The band paints only when its calls change.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kiosk.core.i18n import tr
from kiosk.core.problems import Language
from kiosk.core.queue import Call
from kiosk.ui import theme as th
from kiosk.ui.theme import Theme

FIGURE_PX = 200  # the ticket and window figures of the newest call, at 1080p
SECOND_SCALE = 0.55  # the calls before it


class QueueBanner(QWidget):
    dismissed = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.calls: list[Call] = []
        self.lang: Language = "ru"
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.hide()

    # -- what is shown ---------------------------------------------------------------------

    def show_calls(self, calls: list[Call], lang: Language) -> None:
        """Show these calls (newest first) in this language; none: the band goes away."""
        if not calls:
            self.calls = []
            self.hide()
            return
        changed = calls != self.calls or lang != self.lang
        self.calls, self.lang = list(calls), lang
        parent = self.parentWidget()
        width = parent.width() if parent is not None else self.theme.width
        self.setGeometry(0, 0, width, self._height())
        if changed:
            self.update()
        if not self.isVisible():
            self.show()
        self.raise_()  # over the idle question and any screen's own overlays

    def _rows(self) -> list[float]:
        """The figure size of each row: the newest large, the rest smaller."""
        big = self.theme.px(FIGURE_PX) * self._fit()
        return [big if i == 0 else big * SECOND_SCALE for i in range(len(self.calls))]

    def _height(self) -> int:
        pad = self.theme.px(32)
        heading = self.theme.px(56) * 1.3
        rows = sum(size * 1.25 for size in self._rows())
        return round(pad * 2 + heading + rows + self.theme.px(12))

    def _row_width(self, call: Call, figure_px: float) -> float:
        big = QFontMetricsF(self.theme.font(round(figure_px), bold=True))
        word = QFontMetricsF(self.theme.font(round(figure_px * 0.36), bold=True))
        box_pad = figure_px * 0.25
        return (big.horizontalAdvance(call.ticket) + 2 * box_pad
                + word.horizontalAdvance(self._joiner()) + figure_px * 0.3
                + big.horizontalAdvance(call.window) + 2 * box_pad)

    def _joiner(self) -> str:
        return tr("queue_to_window", self.lang)

    def _fit(self) -> float:
        """Shrink the figures when a long ticket would not fit the screen's width."""
        parent = self.parentWidget()
        available = (parent.width() if parent is not None else self.theme.width) \
            - 2 * self.theme.margin
        widest = max((self._row_width(c, self.theme.px(FIGURE_PX)) for c in self.calls[:1]),
                     default=1.0)
        return min(1.0, available / widest)

    # -- painting and input ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = self.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(th.ORANGE))
        # A dark edge below: the band stands off whatever screen is under it.
        edge = theme.px(10)
        painter.fillRect(0, self.height() - edge, self.width(), edge, QColor(th.INK))
        pad = theme.px(32)
        heading_px = theme.px(56)
        painter.setPen(QColor(th.INK))
        painter.setFont(theme.font(heading_px, bold=True))
        title = tr("queue_calling" if len(self.calls) == 1 else "queue_calling_many", self.lang)
        heading = QRectF(theme.margin, pad, self.width() - 2 * theme.margin, heading_px * 1.3)
        painter.drawText(heading, Qt.AlignmentFlag.AlignCenter, title)
        y = heading.bottom() + theme.px(12)
        for call, figure_px in zip(self.calls, self._rows(), strict=True):
            self._paint_row(painter, call, figure_px, y)
            y += figure_px * 1.25
        painter.end()

    def _paint_row(self, painter: QPainter, call: Call, figure_px: float, top: float) -> None:
        big_font = self.theme.font(round(figure_px), bold=True)
        word_font = self.theme.font(round(figure_px * 0.36), bold=True)
        big = QFontMetricsF(big_font)
        word = QFontMetricsF(word_font)
        box_pad = figure_px * 0.25
        height = figure_px * 1.12
        ticket_w = big.horizontalAdvance(call.ticket) + 2 * box_pad
        window_w = big.horizontalAdvance(call.window) + 2 * box_pad
        joiner = self._joiner()
        gap = figure_px * 0.15
        joiner_w = word.horizontalAdvance(joiner) + 2 * gap
        x = (self.width() - (ticket_w + joiner_w + window_w)) / 2
        radius = figure_px * 0.16
        painter.setPen(QPen(QColor(th.INK), max(2.0, figure_px * 0.03)))
        painter.setBrush(QColor(th.WHITE))
        ticket_box = QRectF(x, top, ticket_w, height)
        window_box = QRectF(x + ticket_w + joiner_w, top, window_w, height)
        painter.drawRoundedRect(ticket_box, radius, radius)
        painter.drawRoundedRect(window_box, radius, radius)
        painter.setPen(QColor(th.INK))
        painter.setFont(big_font)
        painter.drawText(ticket_box, Qt.AlignmentFlag.AlignCenter, call.ticket)
        painter.drawText(window_box, Qt.AlignmentFlag.AlignCenter, call.window)
        painter.setFont(word_font)
        painter.drawText(QRectF(x + ticket_w, top, joiner_w, height),
                         Qt.AlignmentFlag.AlignCenter, joiner)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the screen under the band never sees this tap

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.dismissed.emit()
