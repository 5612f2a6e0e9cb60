"""The queue's last calls, in a tab above the attract bar's right-hand corner."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.i18n import tr
from kiosk.core.problems import Language
from kiosk.core.queue import Call
from kiosk.ui import theme as th
from kiosk.ui.theme import Theme


class RecentCalls(QWidget):
    """The last few queue calls, in a tab rising from the bar's right-hand corner. It takes
    its own row (the slides above get shorter), so it never covers a slide's text; calls that
    do not fit the width are left out, oldest first."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.calls: list[Call] = []
        self.lang: Language = "ru"
        self.setFixedHeight(theme.px(84))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_calls(self, calls: list[Call], lang: Language) -> None:
        if calls == self.calls and lang == self.lang:
            return
        self.calls, self.lang = list(calls), lang
        self.updateGeometry()
        self.update()

    def _parts(self) -> tuple[str, list[str]]:
        joiner = tr("queue_to_window", self.lang)
        return tr("queue_recent", self.lang), [f"{c.ticket} {joiner} {c.window}"
                                               for c in self.calls]

    def _fonts(self) -> tuple[QFont, QFont]:
        return self.theme.font(self.theme.small_px), self.theme.font(self.theme.px(40), bold=True)

    def _fitting(self, width: float) -> list[str]:
        label, entries = self._parts()
        label_font, entry_font = self._fonts()
        pad, gap = self.theme.px(32), self.theme.px(40)
        used = 2 * pad + QFontMetricsF(label_font).horizontalAdvance(label)
        fitting = []
        for entry in entries:
            used += gap + QFontMetricsF(entry_font).horizontalAdvance(entry)
            if used > width:
                break
            fitting.append(entry)
        return fitting

    def sizeHint(self) -> QSize:
        label, _ = self._parts()
        label_font, entry_font = self._fonts()
        pad, gap = self.theme.px(32), self.theme.px(40)
        entries = self._fitting(self.theme.width - 2 * self.theme.margin)
        width = 2 * pad + QFontMetricsF(label_font).horizontalAdvance(label) + sum(
            gap + QFontMetricsF(entry_font).horizontalAdvance(e) for e in entries)
        return QSize(math.ceil(width), self.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(th.PAPER))
        radius = self.theme.px(28)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(th.BLUE_DARK))
        # Rounded on top only: the tab grows out of the bar below it.
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0, 0, 0, radius), radius, radius)
        label, _ = self._parts()
        label_font, entry_font = self._fonts()
        pad, gap = self.theme.px(32), self.theme.px(40)
        painter.setPen(QColor(th.WHITE))
        painter.setFont(label_font)
        x = float(pad)
        box = QRectF(self.rect())
        painter.drawText(box.adjusted(x, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, label)
        x += QFontMetricsF(label_font).horizontalAdvance(label)
        painter.setFont(entry_font)
        for entry in self._fitting(self.width()):
            x += gap
            painter.drawText(box.adjusted(x, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, entry)
            x += QFontMetricsF(entry_font).horizontalAdvance(entry)
        painter.end()
