"""Colouring pictures decoded for the canvas: lightness arrays for kiosk.core.colouring.engine.

Kept apart from resources.py because it needs numpy, which the kiosk loads only when a child
opens the colouring page (start-up stays ~15 MB and ~50 ms lighter).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from kiosk.ui.resources import render_on_paper


def render_line_art(path: Path, box: QSize) -> npt.NDArray[np.uint8] | None:
    """A colouring picture as lightness (0 black … 255 white), fitted into `box` and laid on
    white paper (transparent parts become paper). None if it cannot be decoded."""
    image = render_on_paper(path, box)
    if image.isNull():
        return None
    return _lightness(image)


def _lightness(image: QImage) -> npt.NDArray[np.uint8]:
    """The lightness of an RGB32 image, as Qt's conversion to Grayscale8 gives it. Line art
    is black, white and greys between: for a grey (red = green = blue) Qt's lightness is
    that value (checked for all 256), so it is read straight from the pixels, ten times
    faster than Qt converts (0.4 ms against 4 at 1080p). Anything coloured goes through Qt."""
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint32).reshape(
        height, image.bytesPerLine() // 4)[:, :width]
    # Blue equals green, and green equals red: the low 16 bits of pixel ^ (pixel >> 8).
    apart = np.right_shift(pixels, 8)
    np.bitwise_xor(apart, pixels, out=apart)
    np.bitwise_and(apart, 0xFFFF, out=apart)
    if not apart.any():
        return pixels.astype(np.uint8)  # the blue byte: the grey (a copy, owning its memory)
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    buffer = np.frombuffer(grey.constBits(), dtype=np.uint8)
    rows = buffer.reshape(height, grey.bytesPerLine())[:, :width]
    return rows.copy()  # the QImage, and the memory under the view, goes when we return


def line_art_problem(path: Path) -> str:
    """For `kiosk check`: prepare the picture as the canvas would (at about 1080p) and say
    whether a child could colour it ('' when it is fine)."""
    from kiosk.core.colouring.engine import analyse, prepare

    lightness = render_line_art(path, QSize(1400, 1000))
    if lightness is None:
        return ""  # the decoder's own check reports a picture that does not decode
    return analyse(prepare(lightness)).problem
