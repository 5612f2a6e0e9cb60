"""Colouring pictures prepared in a child process, so that OpenCV never loads in the kiosk.

Preparing a picture (closing its gaps, finding its regions: kiosk.core.colouring.engine.prepare)
needs OpenCV; a child's taps and strokes need numpy alone. Once imported, OpenCV and the
libraries it brings (its ffmpeg and OpenSSL among them) stay in a process for good: ~17 MB
kept by the kiosk for weeks after the first child coloured a picture. Here a child process
(kiosk.core.content.sandbox, with its limits) prepares the pictures and hands the arrays back. It
prepares them ahead, in the loop, a few seconds after new content or a new screen size
(kiosk.ui.colouring.ahead), and goes once they are kept on disk. At a visit it is started only
if a picture is not kept for the canvas at hand: when the picker shows, and waits there
(kiosk.ui.main_window), so a tapped picture opens in ~25 ms rather than the child's ~150 ms
start; it goes as soon as the page has its canvas, or when the visitor goes elsewhere. The
kiosk never holds OpenCV's memory itself.

A picture that crashes or stalls the preparation takes the child down, not the kiosk: the
caller gets `ParseRunaway` and the page goes back to its list.

This module imports numpy only when a picture is prepared: the window imports it to let the
child go.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from kiosk.core.content.sandbox import ParseSandbox
from kiosk.core.service.heap import release_freed_memory

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from kiosk.core.colouring.engine import EngineSettings, Lightness, PreparedPicture

# A 4K picture takes ~0.2 s here (and the child's start 0.15 s, not counted in this limit);
# ten times that on a slow PC under load is still an answer, a minute is not.
TIME_LIMIT = 10.0
# Its imports (numpy, OpenBLAS, OpenCV) reserve ~300 MB of address space; a 4K picture's
# scratch arrays ~150 MB more.
MEMORY_LIMIT = 1024 * 1024 * 1024
# The window lets the child go when the visitor leaves the picker and the page; this is for a
# child nobody let go.
IDLE_EXIT = 20.0

_engine: ParseSandbox | None = None
_engine_lock = threading.Lock()


def engine() -> ParseSandbox:
    """The process's preparing child, started on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = ParseSandbox(time_limit=TIME_LIMIT, memory_limit=MEMORY_LIMIT,
                                   idle_exit=IDLE_EXIT,
                                   preload=("kiosk.core.colouring.engine", "cv2", __name__))
        return _engine


def prepare_apart(lightness: Lightness, settings: EngineSettings) -> PreparedPicture:
    """`prepare(lightness, settings)` in the child. Raises ParseRunaway if the child had to be
    stopped, RuntimeError if preparing raised."""
    from kiosk.core.colouring.engine import PreparedPicture, prepare

    prepared = engine().call(prepare, lightness, settings)
    assert isinstance(prepared, PreparedPicture)
    return prepared


def prepare_and_colour(lightness: Lightness, settings: EngineSettings,
                       light: tuple[int, ...], bright: tuple[int, ...],
                       face: int | None) -> tuple[PreparedPicture, dict[int, int]]:
    """The child's side of `prepare_and_colour_apart` (the faces are found with OpenCV)."""
    from kiosk.core.colouring.engine import auto_colours, prepare

    picture = prepare(lightness, settings)
    return picture, auto_colours(picture, light, bright, face)


def prepare_and_colour_apart(lightness: Lightness, settings: EngineSettings,
                             light: tuple[int, ...], bright: tuple[int, ...],
                             face: int | None) -> tuple[PreparedPicture, dict[int, int]]:
    """The picture prepared and coloured in by `auto_colours`, in the child."""
    from kiosk.core.colouring.engine import PreparedPicture

    picture, colours = engine().call(prepare_and_colour, lightness, settings, light, bright,
                                     face)
    assert isinstance(picture, PreparedPicture) and isinstance(colours, dict)
    return picture, colours


Grey = tuple[bytes, int, int]  # lightness, one byte a pixel, rows without padding; its size


def prepare_for_store(grey: Grey, gap_px: float, light: tuple[str, ...],
                      bright: tuple[str, ...], face: str,
                      logical: Grey | None = None) -> tuple[bytes, bytes]:
    """The child's side of `prepare_for_store_apart`: the picture prepared, then coloured in;
    both as the bytes of the files kiosk.core.colouring.prepared_store keeps (the child may write no
    file itself). The colours are chosen on the `logical` drawing when there is one (a screen
    of device pixel ratio 2 shows the colours of ratio 1: which region is larger can change
    with the pixels), each region taking the colour of the one it covers there."""
    import cv2
    import numpy as np

    from kiosk.core.colouring.engine import (
        EngineSettings,
        auto_colours,
        coloured_in,
        colours_at,
        prepare,
        rgb,
    )
    from kiosk.core.colouring.prepared_store import encode_picture

    def lightness_of(drawing: Grey) -> npt.NDArray[np.uint8]:
        data, width, height = drawing
        if width <= 0 or height <= 0 or len(data) != width * height:
            raise ValueError(f"{len(data)} bytes are not a {width}x{height} picture")
        return np.frombuffer(data, dtype=np.uint8).reshape(height, width).copy()

    settings = EngineSettings(gap_px=gap_px)
    lightness = lightness_of(grey)
    height, width = lightness.shape
    picture = prepare(lightness, settings)
    chosen_on = prepare(lightness_of(logical), settings) if logical is not None else picture
    colours = auto_colours(chosen_on, tuple(map(rgb, light)), tuple(map(rgb, bright)),
                           rgb(face))
    if chosen_on is not picture:
        colours = colours_at(picture, chosen_on, colours)
    del chosen_on
    pixels = coloured_in(picture, colours)
    blue_green_red = np.ascontiguousarray(pixels.view(np.uint8).reshape(height, width, 4)[..., :3])
    done, card = cv2.imencode(".png", blue_green_red, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not done:
        raise ValueError("the coloured picture could not be encoded")
    kept = encode_picture(picture), card.tobytes()
    del picture, pixels, blue_green_red, lightness
    # Its scratch arrays (~30 MB at 1080p) back to the system between pictures: the child
    # prepares the content's pictures one after another beside the cycling kiosk.
    release_freed_memory()
    return kept


def prepare_for_store_apart(grey: Grey, gap_px: float, light: tuple[str, ...],
                            bright: tuple[str, ...], face: str,
                            logical: Grey | None = None) -> tuple[bytes, bytes]:
    """A picture prepared and coloured in by the child, as the bytes of the two files a
    prepared picture is kept as (kiosk.core.colouring.prepared_store). Needs no numpy here (the
    colours as «#RRGGBB»)."""
    picture, card = engine().call(prepare_for_store, grey, gap_px, light, bright, face,
                                  logical)
    assert isinstance(picture, bytes) and isinstance(card, bytes)
    return picture, card


_wanted = False  # the latest wish: a child waiting (the picker on show) or none
_applying = threading.Lock()


def want_waiting(waiting: bool) -> None:
    """Say whether a child should wait for pictures from now on (on the UI thread: it does
    nothing else); `apply_wish` then makes it so, in a worker."""
    global _wanted
    _wanted = waiting


def apply_wish() -> None:
    """Start or end the child as the latest wish says, whatever wish queued this call: the
    window's requests run in a thread pool, so a visitor going from the menu to the picker
    could have the menu's "let go" run after the picker's "start", and the tapped picture wait
    for a new child."""
    with _applying:
        if _wanted:
            engine().prestart()
        else:
            _end()


class NotWaiting(Exception):
    """A request for the picker's cards came after the window let the child go."""


Answer = TypeVar("Answer")


def waiting() -> bool:
    """A child is wanted now (the picker on show, not every picture prepared ahead)."""
    return _wanted


def while_waiting(ask: Callable[[], Answer]) -> Answer:
    """`ask()`, requests to the child for the picker's cards, only while a child is wanted
    (the picker on show), the wish held until they are answered. A card's job can outlive
    the picker: the pool may run the window's "let go" before the cards still queued when
    the visitor tapped a picture or left, and their requests would then start a child that
    waits IDLE_EXIT seconds for nothing. Raises NotWaiting instead; the card asks again
    when the picker shows."""
    with _applying:
        if not _wanted:
            raise NotWaiting
        return ask()


def let_go() -> None:
    """End the child now: the page has its canvas, nothing more is to be prepared until the
    picker shows again. Waits for a request under way, so call it off the UI thread."""
    with _applying:
        want_waiting(False)
        _end()


def _end() -> None:
    with _engine_lock:
        running = _engine
    if running is not None:
        running.close()
