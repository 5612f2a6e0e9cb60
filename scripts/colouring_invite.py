"""Renders assets/illustrations/colouring-invite.jpg, the picture on the attract loop's
invitation to the colouring page: a bundled picture with the shapes on its left coloured in
and those on its right still white, as a child half-way through it, so a passer-by sees at a
glance what the page gives.

Made once, here, with the kiosk's own colouring engine: the attract loop then shows a plain
image and never loads numpy or OpenCV (start-up and memory stay as they are). Run again after
changing the picture: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/colouring_invite.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

from kiosk.core.colouring.engine import EngineSettings, auto_colours, coloured_in, prepare
from kiosk.ui.colouring.coloured_preview import BRIGHT, FACE, LIGHT, colours_at
from kiosk.ui.colouring.line_art import render_line_art

REPO = Path(__file__).resolve().parents[1]
PICTURE = REPO / "content" / "colouring" / "cat.svg"
OUT = REPO / "assets" / "illustrations" / "colouring-invite.jpg"
# The size the portrait poster shows it at (810) on a screen of device pixel ratio 2, so it is
# as sharp there as the rest of the slide; at ratio 1 the JPEG decoder halves it for free. A
# JPEG (its corners in the page colour: the attract loop is always in the usual theme) decodes
# in a few milliseconds, a PNG took 20 ms a slide.
SHOWN = 810
SIDE = 2 * SHOWN
PAPER = "#FFF8F0"
DONE_UP_TO = 0.56  # shapes whose middle is left of this share of the width are coloured


def main() -> None:
    app = QGuiApplication([])
    # The colours chosen at the size shown, as the picker chooses them; drawn at SIDE.
    shown = render_line_art(PICTURE, QSize(SHOWN, SHOWN))
    lightness = render_line_art(PICTURE, QSize(SIDE, SIDE))
    assert shown is not None and lightness is not None, PICTURE
    coarse = prepare(shown, EngineSettings(gap_px=8))
    picture = prepare(lightness, EngineSettings(gap_px=8))
    colours = colours_at(picture, coarse, auto_colours(coarse, LIGHT, BRIGHT, FACE))
    done = {label: colour for label, colour in colours.items()
            if picture.regions[label].box[0] + picture.regions[label].box[2] / 2
            < SIDE * DONE_UP_TO}
    pixels = np.ascontiguousarray(coloured_in(picture, done))
    drawn = QImage(pixels.data, SIDE, SIDE, SIDE * 4, QImage.Format.Format_RGB32).copy()
    out = QImage(QSize(SIDE, SIDE), QImage.Format.Format_RGB32)
    out.fill(QColor(PAPER))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    card = QPainterPath()
    scale = SIDE / SHOWN
    card.addRoundedRect(QRectF(0, 0, SIDE, SIDE), 48 * scale, 48 * scale)
    painter.setClipPath(card)
    painter.drawImage(0, 0, drawn)
    painter.setClipping(False)
    painter.setPen(QPen(QColor("#D6CFC4"), 6 * scale))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    rim = 3 * scale
    painter.drawRoundedRect(QRectF(rim, rim, SIDE - 2 * rim, SIDE - 2 * rim), 46 * scale,
                            46 * scale)
    painter.end()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(OUT), "JPEG", 92)
    app.quit()


if __name__ == "__main__":
    main()
