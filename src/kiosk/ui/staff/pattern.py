"""A test pattern for checking a screen: colour bars, a grey ramp, a 1-pixel grid and border,
corner marks and the resolution. A tap anywhere goes back to the staff menu."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QLinearGradient, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.core.staff_text import st
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme

BARS = ("#FFFFFF", "#FFFF00", "#00FFFF", "#00FF00", "#FF00FF", "#FF0000", "#0000FF", "#000000")
GRID_PX = 60  # physical pixels between grid lines


class PatternScreen(Screen):
    done = Signal()

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def physical_size(self) -> tuple[int, int]:
        ratio = self.devicePixelRatioF()
        return round(self.width() * ratio), round(self.height() * ratio)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        w, h = self.width(), self.height()
        painter.fillRect(self.rect(), QColor("#000000"))
        # The grid and border in single device pixels, whatever the scaling.
        ratio = self.devicePixelRatioF()
        painter.save()
        painter.scale(1 / ratio, 1 / ratio)
        pw, ph = self.physical_size()
        painter.setPen(QColor("#5A5A5A"))
        for x in range(0, pw, GRID_PX):
            painter.drawLine(x, 0, x, ph - 1)
        for y in range(0, ph, GRID_PX):
            painter.drawLine(0, y, pw - 1, y)
        mark = max(40, min(pw, ph) // 12)
        painter.setBrush(QColor("#FF0000"))
        painter.setPen(Qt.PenStyle.NoPen)
        for cx, cy, dx, dy in ((0, 0, 1, 1), (pw, 0, -1, 1), (0, ph, 1, -1), (pw, ph, -1, -1)):
            painter.drawPolygon([QPoint(cx, cy), QPoint(cx + dx * mark, cy),
                                 QPoint(cx, cy + dy * mark)])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawRect(0, 0, pw - 1, ph - 1)  # the outermost pixels: is anything cut off?
        painter.restore()

        left, right = round(w * 0.1), round(w * 0.9)
        band = round(h * 0.16)
        bars_top = round(h * 0.18)
        step = (right - left) / len(BARS)
        for index, colour in enumerate(BARS):
            painter.fillRect(QRectF(left + index * step, bars_top, step, band), QColor(colour))
        painter.setPen(QColor("#FFFFFF"))
        painter.drawRect(QRect(left, bars_top, right - left, band))
        ramp_top = bars_top + band + round(h * 0.04)
        steps = 16
        step = (right - left) / steps
        for index in range(steps):  # 16 grey steps: are the darkest and lightest told apart?
            grey = round(index * 255 / (steps - 1))
            painter.fillRect(QRectF(left + index * step, ramp_top, step, band / 2),
                             QColor(grey, grey, grey))
        gradient = QLinearGradient(left, 0, right, 0)
        gradient.setColorAt(0, QColor("#000000"))
        gradient.setColorAt(1, QColor("#FFFFFF"))
        painter.fillRect(QRectF(left, ramp_top + band / 2, right - left, band / 2), gradient)
        painter.drawRect(QRect(left, ramp_top, right - left, band))

        text_top = ramp_top + band + round(h * 0.05)
        painter.setPen(QColor("#FFFFFF"))
        painter.setFont(self.theme.font(self.theme.px(96), bold=True))
        title = QRectF(0, text_top, w, self.theme.px(130))
        painter.fillRect(title.adjusted(w * 0.3, 0, -w * 0.3, 0), QColor("#000000"))
        painter.drawText(title, Qt.AlignmentFlag.AlignCenter, f"{pw} × {ph}")
        painter.setFont(self.theme.font(self.theme.body_px))
        hint = QRectF(0, title.bottom() + self.theme.px(20), w, self.theme.px(60))
        painter.fillRect(hint.adjusted(w * 0.15, 0, -w * 0.15, 0), QColor("#000000"))
        painter.drawText(hint, Qt.AlignmentFlag.AlignCenter, st("pattern_hint", self.lang))
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.done.emit()

