"""Content photos decoded off the UI thread and kept decoded, already fitted to where they are
shown, for the next time.

A phone's 24-megapixel photo takes a third of a second to decode (libjpeg still reads every
byte when it shrinks while decoding): a tap never waits for it. A screen asks `request(key)`;
it gets the picture at once when it was decoded before, else None, and `ready` brings it (a
null image when the file could not be decoded: the renderer has logged why) when the worker
(kiosk.ui.background) is done. Meanwhile the screen shows a quiet panel in its place
(docs/design.md, `panel`), then fades the picture in over `PHOTO_FADE_MS`.

Kept least recently used first out, bounded by bytes (`budget`, about three screen-sized
pictures) and by count (failures weigh nothing). A key names the file as it is on disk (its
stamp): a photo replaced under the same name is decoded again.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from kiosk.ui.background import Background
from kiosk.ui.hidpi import device_size
from kiosk.ui.resources import render_image

log = logging.getLogger(__name__)

# How long a picture decoded while its place was shown takes to fade in: short, calm.
PHOTO_FADE_MS = 250
# Failed decodes are remembered too (each is logged once), at most this many entries in all.
MOST_ENTRIES = 64

# The file's modification time, size and inode, or None when it cannot be read.
Stamp = tuple[int, int, int] | None


class PhotoKey(NamedTuple):
    """One decoded picture: the file as it is on disk, fitted into a box of `width`×`height`
    logical pixels (covering it with `fill`) in device pixels at `ratio` (kiosk.ui.hidpi)."""

    path: Path
    stamp: Stamp
    width: int
    height: int
    ratio: float
    fill: bool

    @property
    def box(self) -> QSize:
        return QSize(self.width, self.height)

Decoder = Callable[[Path, QSize, bool, float], QImage]


def _decode(path: Path, box: QSize, fill: bool, ratio: float) -> QImage:
    return render_image(path, box, fill=fill, ratio=ratio)


def stamp_of(path: Path) -> Stamp:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


def screen_budget(size: QSize, ratio: float = 1.0, screens: int = 3) -> int:
    """Bytes of `screens` pictures the size of a screen of `size` logical pixels."""
    device = device_size(size, ratio)
    return screens * 4 * device.width() * device.height()


class PhotoLoader(QObject):
    """Decodes content pictures in the background; keeps what it decoded, bounded."""

    # (key, image) on the UI thread when a picture asked for is decoded: null if it failed.
    ready = Signal(object, QImage)

    def __init__(self, budget: int, parent: QObject | None = None,
                 decode: Decoder = _decode) -> None:
        super().__init__(parent)
        self.budget = budget
        self.decode = decode  # runs in a worker thread: QtGui only, never a widget
        self._images: OrderedDict[PhotoKey, QImage] = OrderedDict()
        self._bytes = 0
        self._pending: set[PhotoKey] = set()
        # A file being decoded, and what else was asked of it meanwhile (other sizes): asked
        # once it is decoded, or failed at once if it could not be (logged once, not per size).
        self._decoding: dict[tuple[Path, Stamp], list[PhotoKey]] = {}
        self._broken: OrderedDict[tuple[Path, Stamp], None] = OrderedDict()
        # Each photo's proportions (width / height as shown), learned when it was decoded:
        # the panel in its place the next time it is decoded at another size has its shape.
        self._shapes: OrderedDict[tuple[Path, Stamp], float] = OrderedDict()
        self._worker = Background(self)

    @staticmethod
    def key(path: Path, box: QSize, ratio: float = 1.0, fill: bool = False) -> PhotoKey:
        """`path` fitted into `box` logical pixels (covering it with `fill`) at `ratio`."""
        return PhotoKey(path, stamp_of(path), box.width(), box.height(), ratio, fill)

    @property
    def size_in_bytes(self) -> int:
        return self._bytes

    def cached(self, key: PhotoKey) -> QImage | None:
        """The decoded picture (null: it could not be), or None when not decoded yet."""
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def take(self, key: PhotoKey) -> QImage | None:
        """The decoded picture, no longer kept here (the caller holds it: an attract slide,
        painted into the stage's pixmap once), or None when not decoded yet."""
        image = self._images.pop(key, None)
        if image is not None:
            self._bytes -= image.sizeInBytes()
        return image

    def pending(self, key: PhotoKey) -> bool:
        return key in self._pending

    def request(self, key: PhotoKey) -> QImage | None:
        """The picture when it is decoded already; else None, and it is being decoded:
        `ready` brings it."""
        image = self.cached(key)
        if image is None and (key.path, key.stamp) in self._broken:
            image = QImage()  # it could not be decoded at another size either
        elif image is None and key not in self._pending:
            self._pending.add(key)
            waiting = self._decoding.get((key.path, key.stamp))
            if waiting is not None:
                waiting.append(key)
            else:
                self._start(key)
        return image

    def _start(self, key: PhotoKey) -> None:
        self._decoding[key.path, key.stamp] = []
        decode, path, box, fill, ratio = self.decode, key.path, key.box, key.fill, key.ratio
        self._worker.run(lambda: decode(path, box, fill, ratio),
                         lambda result: self._decoded(key, result), every=True)

    def shape(self, path: Path) -> float | None:
        """The photo's width over its height as shown, when it was decoded before."""
        return self._shapes.get((path, stamp_of(path)))

    def clear(self) -> None:
        """Forget every decoded picture (those being decoded are still delivered)."""
        self._images.clear()
        self._broken.clear()
        self._bytes = 0

    def keep_latest(self, count: int) -> None:
        """Keep only the `count` pictures used last (the visitor has gone: the next one may
        well open the story read last, seldom the ones before it)."""
        while len(self._images) > max(0, count):
            _key, dropped = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()

    def _decoded(self, key: PhotoKey, result: object) -> None:
        self._pending.discard(key)
        if isinstance(result, QImage):
            image = result
        else:  # the renderer never raises; should it, the picture is simply not shown
            log.warning("picture %s not shown: %s", key.path, result)
            image = QImage()
        file = (key.path, key.stamp)
        waiting = self._decoding.pop(file, [])
        if image.isNull():
            self._broken[file] = None
            while len(self._broken) > MOST_ENTRIES:
                self._broken.popitem(last=False)
        else:
            self._shapes[file] = image.width() / max(1, image.height())
            while len(self._shapes) > 4 * MOST_ENTRIES:
                self._shapes.popitem(last=False)
        self._keep(key, image)
        self.ready.emit(key, image)
        for other in waiting:  # the same file at other sizes
            if image.isNull():
                self._pending.discard(other)
                self.ready.emit(other, QImage())
            elif file in self._decoding:
                self._decoding[file].append(other)
            else:
                self._start(other)

    def _keep(self, key: PhotoKey, image: QImage) -> None:
        size = image.sizeInBytes()
        if size > self.budget:
            return  # delivered, not kept: it would push everything else out
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
        self._images[key] = image
        self._bytes += size
        while self._bytes > self.budget or len(self._images) > MOST_ENTRIES:
            _key, dropped = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()
