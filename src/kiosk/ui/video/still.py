"""A clip's slide as `kiosk preview` shows it: its first frame as the loop would show it
(centred in margins of its own edge colour, or filling the stage), with a play mark in the
middle, so a reviewer sees at once that the slide moves. The frame is drawn by libmpv in a
child process (kiosk.ui.video.probe.first_frame); the preview's process never loads it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPixmap

from kiosk.ui.attract.poster import edge_colour
from kiosk.ui.hidpi import device_pixmap, device_size, logical_size
from kiosk.ui.theme import INK, WHITE
from kiosk.ui.video.probe import first_frame


def frame_image(path: Path, size: QSize, fill: bool, ratio: float = 1.0) -> QImage:
    """The clip's first frame for a stage of `size` logical pixels, in device pixels at
    `ratio` (a null image when it cannot be drawn)."""
    device = device_size(size, ratio)
    found = first_frame(path, device.width(), device.height(), fill)
    if found is None:
        return QImage()
    width, height, stride, pixels = found
    image = QImage(pixels, width, height, stride, QImage.Format.Format_RGB32).copy()
    image.setDevicePixelRatio(ratio)
    return image


def clip_still(path: Path, size: QSize, fill: bool, ratio: float = 1.0) -> QPixmap | None:
    """None where the clip has no first frame to draw: the loop would skip it."""
    frame = frame_image(path, size, fill, ratio)
    if frame.isNull():
        return None
    pixmap = device_pixmap(size, ratio)
    pixmap.fill(edge_colour(frame))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    shown = logical_size(frame)
    painter.drawImage(QPointF((size.width() - shown.width()) / 2,
                              (size.height() - shown.height()) / 2), frame)
    paint_play_mark(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return pixmap


def paint_play_mark(painter: QPainter, area: QRectF) -> None:
    """▶ in a circle, in the middle of `area`: the design system's ink, three quarters
    opaque, with a white ring and a white triangle (readable on any frame)."""
    side = min(area.width(), area.height())
    radius = max(24.0, side * 0.09)
    centre = area.center()
    painter.save()
    ink = QColor(INK)
    ink.setAlphaF(0.75)
    painter.setBrush(ink)
    painter.setPen(QPen(QColor(WHITE), max(3.0, radius * 0.08)))
    painter.drawEllipse(centre, radius, radius)
    # The triangle sits a little right of centre, where the eye puts a play sign's middle.
    half = radius * 0.42
    triangle = QPainterPath(QPointF(centre.x() - half * 0.75, centre.y() - half))
    triangle.lineTo(QPointF(centre.x() + half * 1.15, centre.y()))
    triangle.lineTo(QPointF(centre.x() - half * 0.75, centre.y() + half))
    triangle.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(WHITE))
    painter.drawPath(triangle)
    painter.restore()
