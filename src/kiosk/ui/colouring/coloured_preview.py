"""A colouring picture shown already coloured in, so a child sees what the page will give:
the picker's card for a picture that was not prepared ahead (kiosk.ui.colouring.ahead keeps
the others' coloured pictures, made by the same rule).

The regions are found by the colouring engine (as the canvas finds them) and painted by a
fixed rule (`kiosk.core.colouring.engine.auto_colours`): the outside stays white, large shapes take
light colours, small ones bright colours, and neighbours differ. Safe to call from a worker
thread (QImage only, no widgets); results are kept per picture, file version and size.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from kiosk.core.colouring.engine import EngineSettings, coloured_in, colours_at, rgb
from kiosk.core.colouring.prepare_apart import (
    Answer,
    NotWaiting,
    prepare_and_colour_apart,
    prepare_apart,
    waiting,
    while_waiting,
)
from kiosk.ui.colouring.ahead import BRIGHT as CARD_BRIGHT
from kiosk.ui.colouring.ahead import FACE as CARD_FACE
from kiosk.ui.colouring.ahead import LIGHT as CARD_LIGHT
from kiosk.ui.colouring.line_art import render_line_art
from kiosk.ui.hidpi import device_size

LIGHT = tuple(rgb(c) for c in CARD_LIGHT)
BRIGHT = tuple(rgb(c) for c in CARD_BRIGHT)
FACE = rgb(CARD_FACE)
# Previews kept: the picker's cards in both modes' sizes, and the attract loop's invitation
# (about 0.4 MB each at 1080p); the least recently used go first.
KEPT = 24
KEPT_BYTES = 16 * 1024 * 1024

_kept: OrderedDict[tuple[Path, int, int, int, float, float], QImage] = OrderedDict()
_lock = threading.Lock()


def coloured_preview(picture_path: Path, size: QSize, settings_gap_px: float,
                     ratio: float = 1.0, *, for_the_picker: bool = False) -> QImage:
    """The picture fitted into `size`, coloured in; a null image if it cannot be decoded.
    With a device pixel `ratio` (kiosk.ui.hidpi), `size` is in logical pixels and the image
    in device pixels, its ratio set (the engine's gap scales with the picture's pixels).
    About 27 ms at 800×800 the first time (render 6, regions 11, colours 5, composite 4),
    a dictionary look-up after. `for_the_picker`: the child is asked only while it waits
    for the picker (kiosk.core.colouring.prepare_apart.while_waiting), else NotWaiting is raised."""
    try:
        version = picture_path.stat().st_mtime_ns
    except OSError:
        return QImage()
    key = (picture_path, version, size.width(), size.height(), float(settings_gap_px),
           ratio)
    with _lock:
        image = _kept.get(key)
        if image is not None:
            _kept.move_to_end(key)
            return image
    if for_the_picker and not waiting():
        raise NotWaiting  # before drawing the picture for nothing (while_waiting below)
    settings = EngineSettings(gap_px=settings_gap_px)
    lightness = render_line_art(picture_path, size)
    if lightness is None:
        return QImage()

    def ask(call: Callable[[], Answer]) -> Answer:
        return while_waiting(call) if for_the_picker else call()

    # The regions and their colours are found in a child process
    # (kiosk.core.colouring.prepare_apart).
    picture, colours = ask(lambda: prepare_and_colour_apart(lightness, settings, LIGHT,
                                                            BRIGHT, FACE))
    if ratio != 1.0:
        # The colours are chosen at the logical size, as on a screen of ratio 1 (which
        # region is larger can change with the pixels, and so the colours); the picture is
        # drawn in device pixels, each region in the colour of the one it covers there.
        fine = render_line_art(picture_path, device_size(size, ratio))
        if fine is None:
            return QImage()
        detailed = ask(lambda: prepare_apart(fine, settings))
        colours = colours_at(detailed, picture, colours)
        picture = detailed
    pixels = coloured_in(picture, colours)
    height, width = pixels.shape
    image = QImage(np.ascontiguousarray(pixels).data, width, height, width * 4,
                   QImage.Format.Format_RGB32).copy()  # owns its pixels: the array goes
    image.setDevicePixelRatio(ratio)
    with _lock:
        _kept[key] = image
        while len(_kept) > 1 and (len(_kept) > KEPT or sum(
                kept.sizeInBytes() for kept in _kept.values()) > KEPT_BYTES):
            _kept.popitem(last=False)
    return image



def forget() -> None:
    """Drop every kept preview (the visitor has gone)."""
    with _lock:
        _kept.clear()
