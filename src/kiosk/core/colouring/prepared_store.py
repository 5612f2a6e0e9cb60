"""Colouring pictures prepared ahead and kept on disk, so that a visitor's moment needs no
OpenCV and no second process.

Preparing a picture (its regions: kiosk.core.colouring.engine.prepare) needs OpenCV, which the kiosk
only ever loads in a child process (kiosk.core.colouring.prepare_apart). Done when the picker shows,
that child (~50 MB) lived beside the kiosk at every visit. Instead the kiosk prepares each picture
once its content arrives, in the loop (kiosk.ui.colouring.ahead), and keeps the result here, in its
state folder: the page loads the arrays with numpy alone, and the picker's cards are a PNG that Qt
decodes, with no numpy at all. A picture not found here (another size, a store that could not be
written) is prepared through the child as before.

One folder per picture, size and engine version, named by a hash of what it depends on:

    <key>/picture.npz   the prepared picture: darkness, owner, regions, line_fraction
    <key>/coloured.png  the picture coloured in by `auto_colours` (the picker's card)

The child makes both files' bytes (it may write no file: its RLIMIT_FSIZE is 0); the kiosk
writes them, a folder made whole under a temporary name and then renamed, so a reader never
sees half of one. What is read back is checked (types, shapes, labels and boxes within the
picture) and refused as a whole if anything is off: the page prepares the picture again.

numpy is imported only by the functions that make or read the arrays.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.hashes import sha256  # not hashlib: no OpenSSL in the kiosk

if TYPE_CHECKING:
    from kiosk.core.colouring.engine import PreparedPicture

log = logging.getLogger(__name__)

# Bumped whenever `prepare`, `auto_colours` or the files' layout change what a picture gives:
# a kept picture of another version is never read.
ENGINE_VERSION = 3
PICTURE_FILE = "picture.npz"
CARD_FILE = "coloured.png"
# A 4K picture's arrays are ~17 MB (darkness and a two-byte owner map); anything larger was
# not written by this module.
MOST_BYTES = 64 * 1024 * 1024
MOST_REGIONS = 1 << 20
# Canvases kept for each picture: the full page, and shorter above a notice's band (its two
# heights), so a band that comes and goes is not a reason to prepare everything again.
CANVASES_KEPT = 3
_TEMPORARY = ".partial-"


def picture_key(source: Path, width: int, height: int, gap_px: float) -> str | None:
    """The name a picture prepared for a `width` × `height` canvas is kept under: the
    picture's part (its path, size and time, the engine's gap and version), a dash, and the
    canvas's part. None if the file cannot be read."""
    try:
        stat = source.stat()
    except OSError:
        return None
    picture = f"{ENGINE_VERSION}\0{source}\0{stat.st_size}\0{stat.st_mtime_ns}\0{gap_px!r}"
    canvas = f"{width}x{height}"
    return f"{_digest(picture, 20)}-{_digest(canvas, 12)}"


def _digest(text: str, length: int) -> str:
    return sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:length]


def encode_picture(picture: PreparedPicture) -> bytes:
    """The prepared picture as the bytes of a compressed .npz file (no pickles inside)."""
    import numpy as np

    regions = np.array([(r.label, *r.box, r.area) for r in picture.regions.values()],
                       dtype=np.int64).reshape(-1, 6)
    buffer = io.BytesIO()
    # Compressed: line art's arrays are mostly runs (2.1 MB → 50 KB at 1080p, 12 ms in the
    # child); reading one back takes ~1 ms more (2.8 ms).
    np.savez_compressed(buffer, darkness=picture.darkness, owner=picture.owner, regions=regions,
                        line_fraction=np.array(picture.line_fraction, dtype=np.float64))
    return buffer.getvalue()


def decode_picture(path: Path, width: int, height: int) -> PreparedPicture | None:
    """The picture kept at `path` if it is whole and fits a `width` × `height` canvas; None
    (and a line in the log) if not."""
    import numpy as np

    from kiosk.core.colouring.engine import PreparedPicture, Region

    try:
        with zipfile.ZipFile(path) as archive:  # what it unpacks to, before it does
            if path.stat().st_size > MOST_BYTES \
                    or sum(member.file_size for member in archive.infolist()) > MOST_BYTES:
                raise ValueError("larger than any picture this kiosk keeps")
        with np.load(path, allow_pickle=False) as arrays:
            darkness, owner = arrays["darkness"], arrays["owner"]
            rows, line_fraction = arrays["regions"], arrays["line_fraction"]
        if darkness.dtype != np.uint8 or darkness.ndim != 2:
            raise ValueError("the line art is not one byte a pixel")
        picture_height, picture_width = darkness.shape
        if not (0 < picture_width <= width and 0 < picture_height <= height):
            raise ValueError("the picture does not fit the canvas")
        if owner.shape != darkness.shape or owner.dtype not in (np.uint8, np.uint16, np.int32):
            raise ValueError("the region map does not match the line art")
        if rows.dtype != np.int64 or rows.ndim != 2 or rows.shape[1] != 6 \
                or len(rows) > MOST_REGIONS:
            raise ValueError("the regions are not a table of six numbers")
        if line_fraction.shape != () or not 0.0 <= float(line_fraction) <= 1.0:
            raise ValueError("the line share is not a fraction")
        regions: dict[int, Region] = {}
        for label, x, y, w, h, area in rows.tolist():
            inside = min(x, y) >= 0 and min(label, w, h) > 0 \
                and x + w <= picture_width and y + h <= picture_height
            if not inside or not 0 <= area <= w * h or label in regions:
                raise ValueError(f"region {label} lies outside the picture")
            regions[label] = Region(label, (x, y, w, h), area)
        if max(regions, default=0) != len(regions):  # `prepare` numbers them 1, 2, 3 …
            raise ValueError("the regions are not numbered one after another")
        if owner.size and (int(owner.min()) < 0 or int(owner.max()) > len(regions)):
            raise ValueError("the region map names a region the table lacks")
    except (OSError, ValueError, KeyError, EOFError, MemoryError, zipfile.BadZipFile) as exc:
        log.warning("kept colouring picture %s not used (it will be prepared again): %s",
                    path, exc)
        return None
    return PreparedPicture(np.ascontiguousarray(darkness), np.ascontiguousarray(owner),
                           regions, float(line_fraction))


class PreparedStore:
    """The folder the prepared pictures are kept in (under the kiosk's state folder)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def folder(self, key: str) -> Path:
        return self.directory / key

    def has(self, key: str) -> bool:
        folder = self.folder(key)
        return (folder / PICTURE_FILE).is_file() and (folder / CARD_FILE).is_file()

    def picture_path(self, key: str) -> Path:
        return self.folder(key) / PICTURE_FILE

    def card_path(self, key: str) -> Path:
        return self.folder(key) / CARD_FILE

    def load(self, key: str, width: int, height: int) -> PreparedPicture | None:
        """The picture kept under `key` for a canvas of `width` × `height`, or None."""
        path = self.picture_path(key)
        if not path.is_file():
            return None
        picture = decode_picture(path, width, height)
        if picture is None:
            self.forget(key)  # prepared again next time, not refused again
        return picture

    def put(self, key: str, picture: bytes, card: bytes) -> bool:
        """Keep a picture's two files; False (logged) if they could not be written, a full
        disk say: the page then prepares the picture when it is opened."""
        if len(picture) > MOST_BYTES or len(card) > MOST_BYTES:
            log.warning("colouring picture %s not kept: larger than %d bytes", key, MOST_BYTES)
            return False
        final = self.folder(key)
        partial = self.directory / f"{_TEMPORARY}{key}-{os.getpid()}"
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(mode=0o700)
            (partial / PICTURE_FILE).write_bytes(picture)
            (partial / CARD_FILE).write_bytes(card)
            if final.exists():
                shutil.rmtree(final)
            os.replace(partial, final)
        except OSError as exc:
            log.warning("colouring picture %s not kept in %s: %s", key, self.directory, exc)
            shutil.rmtree(partial, ignore_errors=True)
            return False
        return True

    def forget(self, key: str) -> None:
        shutil.rmtree(self.folder(key), ignore_errors=True)

    def touch(self, key: str) -> None:
        """Mark a kept picture as wanted now (what `keep_only` keeps the latest of)."""
        with contextlib.suppress(OSError):
            os.utime(self.folder(key))

    def keep_only(self, keys: set[str], canvases: int = CANVASES_KEPT) -> int:
        """Remove what the content no longer has (a picture gone, a new version of it) and
        anything half written, and of each picture's canvases all but the `canvases` last
        wanted (`keys`: the ones wanted now, kept whatever their age); returns how many went.
        Another canvas of a picture kept (the page shorter above a notice's band) is not
        prepared again each time the band comes and goes."""
        pictures = {key.partition("-")[0] for key in keys}
        try:
            entries = [(entry.name, entry.stat().st_mtime_ns)
                       for entry in os.scandir(self.directory)]
        except OSError:
            return 0
        by_picture: dict[str, list[tuple[int, str]]] = {}
        gone = 0
        for name, when in entries:
            picture, dash, canvas = name.partition("-")
            if name in keys:
                continue
            if dash and canvas and picture in pictures:
                by_picture.setdefault(picture, []).append((when, name))
                continue
            shutil.rmtree(self.directory / name, ignore_errors=True)
            gone += 1
        for picture, others in by_picture.items():
            room = max(0, canvases - sum(1 for key in keys if key.startswith(picture + "-")))
            for _when, name in sorted(others, reverse=True)[room:]:  # the latest stay
                shutil.rmtree(self.directory / name, ignore_errors=True)
                gone += 1
        return gone
