"""Bundled fonts and images, and decoding of the content's images (QtGui only, any thread)."""

from __future__ import annotations

import logging
import os
import re
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QFontDatabase, QImage, QImageReader, QPainter
from PySide6.QtSvg import QSvgRenderer

from kiosk.core.loader import ImageCheck

log = logging.getLogger(__name__)

# Images larger than this are refused before decoding: 16 MP is four times a 4K photo, and
# decoding a 20,000×20,000 picture would take 1.6 GB.
MAX_IMAGE_PIXELS = 16_000_000
MAX_IMAGE_SIDE = 8000
# Photos are shown at up to ~900 px at 1080p: below this they are visibly blurred.
MIN_IMAGE_SIDE = 400


def assets_dir() -> Path:
    override = os.environ.get("KIOSK_ASSETS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "assets"


def load_fonts() -> list[str]:
    """Register the bundled fonts; returns the families found."""
    families: list[str] = []
    for path in sorted((assets_dir() / "fonts").glob("*.[ot]tf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("font %s could not be loaded", path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(set(families))


def probe_image(path: Path) -> ImageCheck:
    """Decode the whole image once, so a truncated file is caught before it reaches a screen."""
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(QByteArray(safe_svg_bytes(path)))
        if not renderer.isValid():
            return ImageCheck("bad_image", "SVG")
        size = renderer.defaultSize()
        if size.isEmpty():
            return ImageCheck("bad_image", "SVG без размеров / SVG without a size")
        return ImageCheck()
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not reader.canRead():
        return ImageCheck("bad_image", reader.errorString())
    if size.isValid() and (size.width() * size.height() > MAX_IMAGE_PIXELS
                           or max(size.width(), size.height()) > MAX_IMAGE_SIDE):
        return ImageCheck("image_too_large", f"{size.width()}×{size.height()}")
    image_format = bytes(reader.format().data()).lower()
    if image_format in (b"jpeg", b"jpg") and not _jpeg_is_complete(path):
        # Qt shows a cut JPEG with its missing part grey, and says so only in a warning.
        return ImageCheck("bad_image", "JPEG оборван / the JPEG file is cut short")
    if size.isValid() and image_format in (b"jpeg", b"jpg"):
        # libjpeg decodes at an eighth of the size almost for free, still reading every byte
        # (a cut file is caught all the same): 3,700 photos in 4 s rather than 30.
        reader.setScaledSize(QSize(max(1, size.width() // 8), max(1, size.height() // 8)))
    image = reader.read()
    if image.isNull():
        return ImageCheck("bad_image", reader.errorString())
    image_size = size if size.isValid() else image.size()  # the file's, not the decoded
    if max(image_size.width(), image_size.height()) < MIN_IMAGE_SIDE:
        return ImageCheck("image_too_small", f"{image_size.width()}×{image_size.height()}",
                          warning=True)
    return ImageCheck()


def _jpeg_is_complete(path: Path) -> bool:
    """A whole JPEG ends with its end-of-image marker (cameras may add a short trailer after
    it); a file cut short while copying does not."""
    try:
        with path.open("rb") as file:
            file.seek(0, os.SEEK_END)
            file.seek(max(0, file.tell() - 4096))
            tail = file.read()
    except OSError:
        return False
    return b"\xff\xd9" in tail


def render_image(path: Path, box: QSize) -> QImage:
    """The image scaled to fit inside `box`, keeping its proportions; a null image on failure."""
    if box.isEmpty():
        return QImage()
    if path.suffix.lower() == ".svg":
        renderer = QSvgRenderer(QByteArray(safe_svg_bytes(path)))
        if not renderer.isValid():
            return QImage()
        size = renderer.defaultSize().scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        return image
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        return QImage()
    # Let the decoder shrink while decoding (JPEG does it almost for free).
    reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


class ImageCache:
    """Rendered images by (path, box), least recently used dropped first: bounded memory."""

    def __init__(self, capacity: int = 3) -> None:
        self.capacity = capacity
        self._images: OrderedDict[tuple[Path, int, int], QImage] = OrderedDict()

    def get(self, path: Path, box: QSize) -> QImage:
        key = (path, box.width(), box.height())
        image = self._images.get(key)
        if image is None:
            image = render_image(path, box)
            self._images[key] = image
            while len(self._images) > self.capacity:
                self._images.popitem(last=False)
        else:
            self._images.move_to_end(key)
        return image

    def clear(self) -> None:
        self._images.clear()


_EXTERNAL_IMAGE = re.compile(rb"<image\b[^>]*>", re.IGNORECASE | re.DOTALL)
_EXTERNAL_HREF = re.compile(rb"""(?:xlink:)?href\s*=\s*["'](?!#|data:)[^"']*["']""", re.IGNORECASE)


def safe_svg_bytes(path: Path) -> bytes:
    """The SVG without anything that points outside it: external <image> elements and links
    are dropped, so rendering never opens another file or address."""
    data = path.read_bytes()
    data = _EXTERNAL_IMAGE.sub(
        lambda m: m.group(0) if b"data:" in m.group(0) else b"", data)
    return _EXTERNAL_HREF.sub(b"", data)
