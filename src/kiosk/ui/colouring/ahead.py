"""Colouring pictures prepared ahead, in the attract loop, once content arrives: a visitor's
moment then needs neither OpenCV nor a second process.

The window (kiosk.ui.main_window) runs `prepare_ahead` in a worker a few seconds after new content
(and after a change of screen size), as a transition of the loop ends: each picture of
content/colouring/ is drawn for the canvas the page will give it, prepared and coloured in by the
preparing child (kiosk.core.colouring.prepare_apart), and kept on disk
(kiosk.core.colouring.prepared_store). Then the picker's cards are the kept coloured pictures,
scaled by Qt (`kept_card`: no numpy), and the page loads its picture's arrays (`kept_picture`:
numpy, no OpenCV). A picture not kept for the size asked (the first seconds after new content, a
size not seen yet) is prepared through the child as before. The large-text mode gives the page the
same canvas.

No numpy here: the window imports this module while the loop runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from kiosk.core.colouring.prepared_store import PreparedStore, picture_key
from kiosk.core.content.model import ColouringPicture
from kiosk.core.content.sandbox import ParseRunaway
from kiosk.core.service.heap import release_freed_memory
from kiosk.ui.colouring.layout import page_layout
from kiosk.ui.hidpi import device_size
from kiosk.ui.resources import render_on_paper
from kiosk.ui.theme import Theme

if TYPE_CHECKING:
    from kiosk.core.colouring.engine import PreparedPicture

log = logging.getLogger(__name__)

# The cards' colours, from the page's palette (kiosk.ui.colouring.layout.PALETTE): soft colours
# for the big shapes, clear bright ones for the small, no black, grey or brown.
LIGHT = ("#4FC3F7", "#FFCC80", "#D4E157", "#F8BBD0", "#FDD835")
BRIGHT = ("#E53935", "#FDD835", "#1E88E5", "#7CB342", "#FB8C00", "#EC407A", "#00897B",
          "#8E24AA", "#4FC3F7")
FACE = "#FFCC80"  # a face (eyes and a smile drawn inside a shape): warm and light

_store: PreparedStore | None = None
_one_pass = threading.Lock()


def use_store(directory: Path | None) -> None:
    """Keep prepared pictures in `directory` (the kiosk's state folder gives it), or none:
    then every picture is prepared when it is asked for (`kiosk preview`, most tests)."""
    global _store
    _store = PreparedStore(directory) if directory is not None else None


def store() -> PreparedStore | None:
    return _store


def canvas_box(theme: Theme, width: int, height: int, ratio: float) -> QSize:
    """The canvas, in device pixels, the colouring page gives a picture on a screen (stack
    page) of `width` × `height` logical pixels: the size pictures are prepared for."""
    return device_size(page_layout(theme, width, height).canvas.size(), ratio)


def _key(picture: Path, canvas: QSize, gap_px: float) -> str | None:
    return picture_key(picture, canvas.width(), canvas.height(), gap_px)


def all_kept(pictures: Sequence[ColouringPicture], canvas: QSize, gap_px: float) -> bool:
    """True if every picture is kept for this canvas (three stats each: on the UI thread)."""
    kept = _store
    if kept is None:
        return False
    keys = [_key(picture.source, canvas, gap_px) for picture in pictures]
    return all(key is not None and kept.has(key) for key in keys)


def _lightness_bytes(path: Path, canvas: QSize) -> tuple[bytes, int, int] | None:
    """The picture drawn as the page draws it (kiosk.ui.colouring.line_art), as one byte of
    lightness a pixel, rows without padding: Qt's Grayscale8, which for the greys of line art is the
    grey itself, as the page reads it."""
    image = render_on_paper(path, canvas)
    if image.isNull():
        return None
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = grey.width(), grey.height(), grey.bytesPerLine()
    pixels = bytes(grey.constBits())
    if stride == width:
        return pixels[:width * height], width, height
    return b"".join(pixels[row * stride:row * stride + width] for row in range(height)), \
        width, height


def prepare_ahead(pictures: Sequence[ColouringPicture], canvas: QSize, gap_px: float,
                  logical: QSize | None = None) -> int:
    """In a worker: prepare and keep every picture not kept yet for this canvas (in device
    pixels; the cards' colours chosen on the `logical` canvas, as at a ratio of 1), and forget
    what is kept for pictures the content no longer has (and all but each picture's last
    three canvases). Returns how many were prepared. The preparing child is started for it
    if it has to be; the caller lets it go."""
    from kiosk.core.colouring.prepare_apart import prepare_for_store_apart

    kept = _store
    if kept is None:
        return 0
    with _one_pass:  # a pass for a new size may be queued while one for new content runs
        return _prepare_into(kept, pictures, canvas, gap_px, logical, prepare_for_store_apart)


def _prepare_into(kept: PreparedStore, pictures: Sequence[ColouringPicture], canvas: QSize,
                  gap_px: float, logical: QSize | None,
                  prepare: Callable[..., tuple[bytes, bytes]]) -> int:
    if logical == canvas:
        logical = None  # a device pixel ratio of 1: the colours are chosen on the picture
    keys: set[str] = set()
    made = 0
    for picture in pictures:
        key = _key(picture.source, canvas, gap_px)
        if key is None:
            continue  # gone meanwhile: the next content will not have it
        keys.add(key)
        if kept.has(key):
            kept.touch(key)
            continue
        lines = _lightness_bytes(picture.source, canvas)
        coarse = _lightness_bytes(picture.source, logical) if logical is not None else None
        # The drawing's images (~8 MB at 1080p) back to the system before the child's work
        # adds its own: glibc would keep them in this worker's heap.
        release_freed_memory()
        if lines is None or (logical is not None and coarse is None):
            continue  # the loader reports a picture that does not decode
        try:
            arrays, card = prepare(lines, gap_px, LIGHT, BRIGHT, FACE, coarse)
        except (ParseRunaway, RuntimeError) as exc:
            log.warning("colouring picture %s could not be prepared ahead: %s",
                        picture.source, exc)
            continue
        if kept.put(key, arrays, card):
            made += 1
    kept.keep_only(keys)
    return made


def kept_card(picture: Path, canvas: QSize, gap_px: float, box: QSize,
              ratio: float) -> QImage:
    """The picture coloured in, as kept for the page's canvas, fitted into the card's `box`
    (logical pixels; the image in device pixels, its ratio set); a null image if it is not
    kept. In a worker: decoding and scaling take a few milliseconds."""
    kept = _store
    key = _key(picture, canvas, gap_px) if kept is not None else None
    if kept is None or key is None or not kept.has(key):
        return QImage()
    image = QImage(str(kept.card_path(key)))
    if image.isNull():
        return image
    fitted = image.scaled(device_size(box, ratio), Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)
    fitted.setDevicePixelRatio(ratio)
    return fitted


def kept_picture(picture: Path, canvas: QSize, gap_px: float) -> PreparedPicture | None:
    """The picture's arrays as kept for this canvas (loaded with numpy), or None."""
    kept = _store
    key = _key(picture, canvas, gap_px) if kept is not None else None
    if kept is None or key is None:
        return None
    return kept.load(key, canvas.width(), canvas.height())
