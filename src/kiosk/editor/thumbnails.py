"""The listing's small pictures: what a story, a page, a poster or a colouring picture shows,
made small enough that a listing of a few dozen items loads at once (no Flask, no Qt).

The pictures are content files, untrusted like every other: a raster is decoded through the
upload's own checks within the bounds of what the kiosk shows (kiosk.editor.photos.open_upload:
its size read from the header first, the kiosk's walk of its structure, one decode at a time
in the editor) and made a JPEG of at most `LONG_SIDE` pixels; a drawing is given as the
kiosk's check rebuilt it (kiosk.core.content.imagesafe.sanitise_svg), never as the file was
written. A picture that cannot be made small gives None: the listing's frame stays empty, and
the kiosk's check names the problem in the row. A file is reached from its content folder
without following a link (a folder or the file), as the editor reads the centre's files
(kiosk.editor.publish). The last few answers are kept by the file's identity, size and time.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import stat
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.content.imagesafe import (
    MAX_IMAGE_BYTES,
    MAX_JPEG_PIXELS,
    MAX_SVG_BYTES,
    sanitise_svg,
    sniff,
    too_many_pixels,
)

log = logging.getLogger(__name__)

# Twice the listing's frame (96 px wide), for a screen of device pixel ratio 2.
LONG_SIDE = 240
JPEG_QUALITY = 80
KEPT = 512  # thumbnails: every item of a large centre's listing, at ~10 KB each
KEPT_MOST_BYTES = 256 * 1024  # a larger drawing is checked again rather than kept
# All of them together: 256 drawings of 255 KB held 64 MB, over the editor's own budget.
KEPT_TOTAL_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Thumbnail:
    data: bytes
    mimetype: str  # image/jpeg or image/svg+xml


# A picture that could not be made small is kept as such too (None): a 25 MB JPEG cut short
# took a second of the editor's one decoding slot at every view of the listing.
_kept: OrderedDict[tuple[int, int, int, int], Thumbnail | None] = OrderedDict()
_kept_bytes = 0
_kept_lock = threading.Lock()


def thumbnail(root: Path, relative: str) -> Thumbnail | None:
    """The small picture of the content file `relative` («images/a.jpg») of the folder
    `root`, or None when it is not a picture the kiosk shows, cannot be made small, or is not
    reached from `root` through folders and a file that are none of them links."""
    try:
        fd = _open_within(root, relative)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        log.info("editor: no thumbnail of %r: %s", relative[:200], exc)
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        key = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)
        with _kept_lock:
            if key in _kept:
                _kept.move_to_end(key)
                return _kept[key]
        drawing = relative.lower().endswith(".svg")
        most = MAX_SVG_BYTES if drawing else MAX_IMAGE_BYTES
        if info.st_size > most:
            return None
        data = _read(fd, most)
    finally:
        os.close(fd)
    made = _drawing(data) if drawing else _photo(data, relative)
    if made is None or len(made.data) <= KEPT_MOST_BYTES:
        _keep(key, made)
    return made


def _keep(key: tuple[int, int, int, int], made: Thumbnail | None) -> None:
    global _kept_bytes
    with _kept_lock:
        old = _kept.pop(key, None)
        _kept_bytes -= len(old.data) if old is not None else 0
        _kept[key] = made
        _kept_bytes += len(made.data) if made is not None else 0
        while len(_kept) > KEPT or _kept_bytes > KEPT_TOTAL_BYTES:
            _, gone = _kept.popitem(last=False)
            _kept_bytes -= len(gone.data) if gone is not None else 0


def _open_within(root: Path, relative: str) -> int:
    """An fd of `root`/`relative`, each folder on the way and the file itself opened without
    following a link (a FIFO never waited on). OSError otherwise."""
    parts = relative.split("/")
    if not relative or any(part in ("", ".", "..") for part in parts):
        raise OSError(errno.EINVAL, "not a path within the folder")
    if len(relative) > 4096:
        raise OSError(errno.ENAMETOOLONG, "path too long")
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                            dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                       dir_fd=folder)
    finally:
        os.close(folder)


def _read(fd: int, most: int) -> bytes:
    chunks: list[bytes] = []
    left = most + 1
    while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _drawing(data: bytes) -> Thumbnail | None:
    if len(data) > MAX_SVG_BYTES:
        return None
    checked = sanitise_svg(data)
    return Thumbnail(checked.data, "image/svg+xml") if checked.ok else None


def _photo(data: bytes, name: str) -> Thumbnail | None:
    from kiosk.editor.photos import PhotoRejected, open_upload

    if sniff(data[:16]) not in ("jpeg", "png"):  # what the kiosk shows, by its first bytes
        return None
    if too_many_pixels(data) is not None:  # the kiosk's check names it
        return None
    try:  # within what the kiosk shows: a camera's 60 MP photo, or one of 40 MB, is shown
        # there, so it is in the listing (a JPEG decoded reduced; a progressive one at
        # most 16 MP, as too_many_pixels holds it)
        image = open_upload(data, name, LONG_SIDE, [], MAX_IMAGE_BYTES, MAX_JPEG_PIXELS)
    except PhotoRejected as exc:
        log.info("editor: no thumbnail of %s: %s", name, exc.code)
        return None
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return Thumbnail(out.getvalue(), "image/jpeg")
