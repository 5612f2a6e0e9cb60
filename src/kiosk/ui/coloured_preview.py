"""A colouring picture shown already coloured in: what the picker's cards and the attract
loop's invitation show, so a child sees what the page will give.

The regions are found by the colouring engine (as the canvas finds them) and painted by a
fixed rule (`kiosk.core.colouring.auto_colours`): the outside stays white, large shapes take
light colours, small ones bright colours, and neighbours differ. Safe to call from a worker
thread (QImage only, no widgets); results are kept per picture, file version and size.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from kiosk.core.colouring import EngineSettings, auto_colours, coloured_in, prepare, rgb
from kiosk.ui.line_art import render_line_art

# From the page's palette (kiosk.ui.colouring.PALETTE): soft colours for the big shapes,
# clear bright ones for the small, no black, grey or brown.
LIGHT = tuple(rgb(c) for c in ("#4FC3F7", "#FFCC80", "#D4E157", "#F8BBD0", "#FDD835"))
BRIGHT = tuple(rgb(c) for c in ("#E53935", "#FDD835", "#1E88E5", "#7CB342", "#FB8C00",
                                "#EC407A", "#00897B", "#8E24AA", "#4FC3F7"))
FACE = rgb("#FFCC80")  # a face (eyes and a smile drawn inside a shape): warm and light
# Previews kept: the picker's cards in both modes' sizes, and the attract loop's invitation
# (about 0.4 MB each at 1080p); the least recently used go first.
KEPT = 24
KEPT_BYTES = 16 * 1024 * 1024

_kept: OrderedDict[tuple[Path, int, int, int, float], QImage] = OrderedDict()
_lock = threading.Lock()


def coloured_preview(picture_path: Path, size: QSize, settings_gap_px: float) -> QImage:
    """The picture fitted into `size`, coloured in; a null image if it cannot be decoded.
    About 27 ms at 800×800 the first time (render 6, regions 11, colours 5, composite 4),
    a dictionary look-up after."""
    try:
        version = picture_path.stat().st_mtime_ns
    except OSError:
        return QImage()
    key = (picture_path, version, size.width(), size.height(), float(settings_gap_px))
    with _lock:
        image = _kept.get(key)
        if image is not None:
            _kept.move_to_end(key)
            return image
    lightness = render_line_art(picture_path, size)
    if lightness is None:
        return QImage()
    picture = prepare(lightness, EngineSettings(gap_px=settings_gap_px))
    pixels = coloured_in(picture, auto_colours(picture, LIGHT, BRIGHT, FACE))
    height, width = pixels.shape
    image = QImage(np.ascontiguousarray(pixels).data, width, height, width * 4,
                   QImage.Format.Format_RGB32).copy()  # owns its pixels: the array goes
    with _lock:
        _kept[key] = image
        while len(_kept) > 1 and (len(_kept) > KEPT or sum(
                kept.sizeInBytes() for kept in _kept.values()) > KEPT_BYTES):
            _kept.popitem(last=False)
    return image

