"""Device pixel ratios (Hi-DPI): a 4K panel at 192 dpi, a Wayland output scale of 2, or
`QT_SCALE_FACTOR=1.5` give the window a ratio of device pixels to logical pixels above 1.

Every length on the kiosk (the theme, layouts, widget geometry, touches) is in logical pixels.
What is painted once and kept (a slide, the band's backdrop, a picture, an icon, the colouring
canvas) is painted in device pixels: a pixmap or image `ratio` times larger, with
`setDevicePixelRatio(ratio)`, so it is copied to the screen one to one, never scaled up.
Such an image is drawn at a logical point or into a logical target rectangle; a source
rectangle, where one is given, is in the image's own (device) pixels: `device_rect`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPaintDevice, QPixmap


def ratio_of(device: QPaintDevice | None) -> float:
    """The device pixel ratio a painter on `device` paints at (1 when there is none)."""
    if device is None:
        return 1.0
    ratio = device.devicePixelRatioF()
    return ratio if ratio > 0 else 1.0


def device_length(logical: float, ratio: float) -> int:
    """`logical` pixels in device pixels, rounded up: a cache covers its whole box (a 905 px
    stage at 1.5 is 1357.5 device pixels: 1358)."""
    return max(0, math.ceil(logical * ratio - 1e-6))


def device_size(size: QSize | QSizeF, ratio: float) -> QSize:
    return QSize(device_length(size.width(), ratio), device_length(size.height(), ratio))


def device_pixmap(size: QSize, ratio: float) -> QPixmap:
    """A pixmap covering `size` logical pixels, in device pixels."""
    pixmap = QPixmap(device_size(size, ratio))
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def device_rect(rect: QRect | QRectF, ratio: float) -> QRectF:
    """A logical rectangle in device pixels: the source rectangle of a device-pixel cache."""
    area = QRectF(rect)
    return QRectF(area.x() * ratio, area.y() * ratio, area.width() * ratio,
                  area.height() * ratio)


def logical_size(image: QImage | QPixmap) -> QSizeF:
    """The size an image painted in device pixels takes on screen, in logical pixels."""
    return image.deviceIndependentSize()
