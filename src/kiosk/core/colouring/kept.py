"""The drawings of one visit: a child who leaves a picture (Home by mistake, a look at another
picture) finds it as they left it on coming back, until the visit ends. No Qt.

A drawing is kept small: the paint is one of the few colours the canvas used at every pixel,
so it is kept as one byte a pixel into those colours, compressed (fills and brush strokes are
long runs: a few kilobytes at 1080p; see docs/colouring.md, "Coming back to a picture").
The undo history is not kept: a drawing comes back with nothing to undo.

The window wipes them all when the visitor goes (the idle reset, staff taking over): nothing
of one child's drawings is left for the next visitor.
"""

from __future__ import annotations

import itertools
import sys
import zlib
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from kiosk.core.colouring.engine import PAPER, Canvas, Paint

KEPT_MOST = 4  # drawings kept in a visit: the last pictures a child left
# And never more bytes than this in all. A drawing scribbled all over in every colour is
# ~0.1 MB at 1080p, ~0.4 MB at 4K (measured: docs/colouring.md); a typical one 3-20 KB.
KEPT_BYTES = 2 * 1024 * 1024
# zlib's level: 6 made drawings a quarter smaller than 3 but took 4-8 times as long (~10 ms
# against 1.4 for a typical drawing at 1080p), on the UI thread as the child leaves the page.
LEVEL = 3

_serials = itertools.count(1)
Indices = npt.NDArray[Any]  # one byte a pixel, two past 256 colours


@dataclass(frozen=True)
class DrawingCopy:
    """A kept drawing's own copy, for a worker thread (the picker's card): its bytes cannot
    change under it, as the kept drawing's do when the visit's end wipes them."""

    size: tuple[int, int]
    palette: Paint  # read-only
    packed: bytes
    serial: int

    def indices(self) -> Indices:
        return _unpacked(self.size, self.palette, self.packed)

    def paint(self, width: int | None = None, height: int | None = None) -> Paint:
        """The paint, at its own size or resampled to `width` × `height` (the nearest pixel:
        the canvas of another screen size, a thumbnail). A new array."""
        return _painted(self.size, self.palette, self.indices(), width, height)


@dataclass(frozen=True)
class KeptDrawing:
    """One drawing as the child left it: its colours and, compressed, which one each pixel
    has (one byte a pixel, two past 256 colours). Read on the UI thread only, where it is
    wiped: a worker gets a `copy()`."""

    size: tuple[int, int]  # width, height of the canvas it was drawn on
    palette: Paint  # the colours, sorted
    packed: bytearray  # zlib of the indices, each row XOR the row above (mostly zeros)
    uniform: Mapping[int, int]  # regions all one colour: a fill of them needs no copy
    serial: int  # a new number for every drawing kept: the picker's card redraws on it

    @property
    def nbytes(self) -> int:
        return len(self.packed) + self.palette.nbytes

    def indices(self) -> Indices:
        return _unpacked(self.size, self.palette, self.packed)

    def paint(self, width: int | None = None, height: int | None = None) -> Paint:
        """The paint, at its own size or resampled to `width` × `height` (the nearest pixel:
        the canvas of another screen size, a thumbnail). A new array."""
        return _painted(self.size, self.palette, self.indices(), width, height)

    def copy(self) -> DrawingCopy:
        """An immutable copy for a worker: a few KB (0.4 MB at most, at 4K). The wipe cannot
        reach it, so it must not outlive the worker's job: nothing else may keep it."""
        palette = self.palette.copy()
        palette.flags.writeable = False
        return DrawingCopy(self.size, palette, bytes(self.packed), self.serial)

    def wipe(self) -> None:
        """Zeros over the kept bytes: nothing of the drawing lingers in freed memory."""
        self.packed[:] = bytes(len(self.packed))


def _unpacked(size: tuple[int, int], palette: Paint, packed: bytes | bytearray) -> Indices:
    width, height = size
    kind = np.uint8 if palette.size <= 1 << 8 else np.uint16
    raw = zlib.decompress(packed)
    rows: Indices = np.frombuffer(raw, dtype=kind).reshape(height, width).copy()
    # Row by row: numpy's bitwise_xor.accumulate down the rows took 130 ms at 4K, this 2.
    for row in range(1, height):
        np.bitwise_xor(rows[row], rows[row - 1], out=rows[row])
    return rows


def _painted(size: tuple[int, int], palette: Paint, indices: Indices, width: int | None,
             height: int | None) -> Paint:
    own_width, own_height = size
    width, height = width or own_width, height or own_height
    if (width, height) != (own_width, own_height):
        rows = np.arange(height) * own_height // height
        columns = np.arange(width) * own_width // width
        indices = indices[rows[:, None], columns[None, :]]
    painted: Paint = palette[indices]
    return painted


def pack(canvas: Canvas) -> KeptDrawing | None:
    """`canvas`'s paint, compressed; None for a blank canvas (nothing to keep)."""
    canvas.end_stroke()
    # Every colour the canvas has used, sorted: each pixel has one of them (`Canvas.colours`).
    palette = canvas.colours.copy()
    if palette.size > 1 << 16:  # not from the page's swatches: still kept exactly
        palette = np.unique(canvas.paint)
    indices = _indices(canvas.paint, palette)
    if not (indices != np.searchsorted(palette, np.uint32(PAPER))).any():
        return None
    # Each row as it differs from the row above: a shape's rows are alike, so mostly zeros,
    # which zlib packs a little smaller and faster (a scribbled drawing: 66 KB, not 72).
    rows = np.empty_like(indices)
    rows[0] = indices[0]
    np.bitwise_xor(indices[1:], indices[:-1], out=rows[1:])
    width, height = canvas.picture.size
    return KeptDrawing((width, height), palette,
                       bytearray(zlib.compress(rows.tobytes(), LEVEL)),
                       MappingProxyType(canvas.uniform_regions), next(_serials))


def _indices(paint: Paint, palette: Paint) -> Indices:
    """Which colour of `palette` each pixel of `paint` has. Where the colours differ in their
    low 16 bits (the page's 18 and paper do), a table of those: a third of a binary search's
    time (1.6 ms against 4.6 at 1080p, 12 against 45 at 4K, on the UI thread as the child
    leaves the page)."""
    kind = np.uint8 if palette.size <= 1 << 8 else np.uint16
    low = palette & 0xFFFF
    if np.unique(low).size < palette.size:
        return np.searchsorted(palette, paint).astype(kind)
    table = np.zeros(1 << 16, dtype=kind)
    table[low] = np.arange(palette.size)
    halves = np.ascontiguousarray(paint).view(np.uint16)
    return table[halves[..., 0::2] if sys.byteorder == "little" else halves[..., 1::2]]


class KeptDrawings:
    """The last `most` drawings of a visit, by picture, at most `budget` bytes in all: the
    oldest left goes first."""

    def __init__(self, most: int = KEPT_MOST, budget: int = KEPT_BYTES) -> None:
        self.most = most
        self.budget = budget
        self._kept: OrderedDict[Hashable, KeptDrawing] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def nbytes(self) -> int:
        return sum(drawing.nbytes for drawing in self._kept.values())

    def get(self, key: Hashable) -> KeptDrawing | None:
        return self._kept.get(key)

    def keep(self, key: Hashable, canvas: Canvas) -> KeptDrawing | None:
        """Keep `canvas`'s drawing for `key` (a picture), in place of what was kept for it; a
        blank canvas keeps nothing (the child started over). The drawing kept, or None."""
        self.drop(key)
        drawing = pack(canvas)
        if drawing is None or drawing.nbytes > self.budget:
            return None
        self._kept[key] = drawing
        total = self.nbytes
        while len(self._kept) > self.most or total > self.budget:
            _, oldest = self._kept.popitem(last=False)
            total -= oldest.nbytes
            oldest.wipe()
        return drawing

    def restore(self, key: Hashable, canvas: Canvas) -> bool:
        """Put the drawing kept for `key` on `canvas` (a fresh one for the same picture), with
        nothing to undo. False when none is kept."""
        drawing = self._kept.get(key)
        if drawing is None:
            return False
        width, height = canvas.picture.size
        same = drawing.size == (width, height)
        # At another size (the screen turned, a notice's band came) the regions are the same
        # shapes but other pixels: which of them are one colour is not known.
        canvas.take_paint(drawing.paint(width, height), drawing.palette,
                          dict(drawing.uniform) if same else {})
        return True

    def drop(self, key: Hashable) -> None:
        drawing = self._kept.pop(key, None)
        if drawing is not None:
            drawing.wipe()

    def wipe(self) -> None:
        """The visitor has gone: every drawing, and its bytes, go."""
        for drawing in self._kept.values():
            drawing.wipe()
        self._kept.clear()
