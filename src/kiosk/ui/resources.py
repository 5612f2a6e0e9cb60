"""Bundled fonts and images, and decoding of the content's images (QtGui only, any thread)."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMessageLogContext,
    QSize,
    Qt,
    QtMsgType,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtGui import (
    QColorSpace,
    QFontDatabase,
    QImage,
    QImageIOHandler,
    QImageReader,
    QPainter,
)
from PySide6.QtSvg import QSvgRenderer, QtSvg

from kiosk.core.content.imagesafe import (
    MAX_IMAGE_BYTES,
    MAX_JPEG_PIXELS,
    MAX_SVG_BYTES,
    ImageFileError,
    jpeg_cmyk_not_inverted,
    kind_problem,
    raster_problem,
    read_image_file,
    safe_svg_file,
    sanitise_svg,
    too_many_pixels,
)
from kiosk.core.content.loader import ImageCheck
from kiosk.core.content.poster_shape import FILL_MOST  # at most 3/4 of a fill poster cut off
from kiosk.core.hashes import blake2b
from kiosk.core.paths import package_folder
from kiosk.ui.hidpi import device_size

if TYPE_CHECKING:
    from kiosk.ui.photos import PhotoLoader

log = logging.getLogger(__name__)

# Images larger than this are refused before decoding (kiosk.core.content.imagesafe.too_many_pixels:
# a JPEG is decoded already shrunk to its box, so a phone's photo is shown; a PNG is decoded
# whole). The reader's own idea of the size is held to the larger cap too.
MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS
# Photos are shown at up to ~900 px at 1080p: below this they are visibly blurred.
MIN_IMAGE_SIDE = 400


def assets_dir() -> Path:
    """The bundled fonts, icons and illustrations: package data (kiosk.core.paths)."""
    return package_folder("assets")


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


def svg_renderer(data: bytes) -> QSvgRenderer:
    """A renderer for a drawing already checked by kiosk.core.content.imagesafe. SVG Tiny 1.2 only:
    filters, patterns, masks and markers (SVG 1.1, drawn since Qt 6.7) can each take minutes
    to draw, and the kiosk showed drawings without them before; no animation either."""
    renderer = QSvgRenderer()
    renderer.setOptions(QtSvg.Option.Tiny12FeaturesOnly | QtSvg.Option.DisableAnimations)
    renderer.load(QByteArray(data))
    return renderer


def _draw_svg(renderer: QSvgRenderer, image: QImage) -> None:
    """Draw the drawing onto the whole image. Its texts start from the kiosk's font, not the
    system's default: Qt sizes up every <text> with the painter's font before applying the
    text's own font-family, and the default one loaded a second font (DejaVu Sans, ~0.2 MB,
    in each thread that draws) for that alone. A text that names no font-family is drawn in
    PT Sans, like the rest of the screen."""
    from kiosk.ui.theme import FONT_FAMILY  # loaded long before the first drawing

    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = painter.font()
    font.setFamily(FONT_FAMILY)
    painter.setFont(font)
    renderer.render(painter)
    painter.end()


# A drawing must draw within this at its largest use (a full-screen poster at 1080p).
SVG_DRAW_BUDGET = 1.0  # seconds
SVG_DRAW_BOX = QSize(1920, 1080)

# Whether a drawing drew within the budget, by its bytes' digest: a drawing put in place of
# a probed one after its probe (the kept verdict goes by the file's stamp, which a copy can
# keep) is timed before it is drawn, never drawn untimed, and a slow one is timed only once.
_TIMED_SVGS: OrderedDict[bytes, bool] = OrderedDict()
_TIMED_SVGS_KEPT = 512
_timed_svgs_lock = threading.Lock()


def _svg_digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def _remember_timing(digest: bytes, in_budget: bool) -> None:
    with _timed_svgs_lock:
        _TIMED_SVGS[digest] = in_budget
        _TIMED_SVGS.move_to_end(digest)
        while len(_TIMED_SVGS) > _TIMED_SVGS_KEPT:
            _TIMED_SVGS.popitem(last=False)


def _svg_in_budget(data: bytes, renderer: QSvgRenderer, loading: float) -> bool:
    """Whether the drawing draws within the budget at its largest use: as its probe found,
    or timed now as the probe times it (a drawing within it costs a 64th of a drawing more,
    once)."""
    digest = _svg_digest(data)
    with _timed_svgs_lock:
        known = _TIMED_SVGS.get(digest)
    if known is None:
        size = renderer.defaultSize()
        known = loading <= SVG_DRAW_BUDGET and not size.isEmpty() and _draw_time(
            renderer, size.scaled(SVG_DRAW_BOX, Qt.AspectRatioMode.KeepAspectRatio),
            SVG_DRAW_BUDGET - loading) is not None
        _remember_timing(digest, known)
    return known


def probe_image(path: Path) -> ImageCheck:
    """Decode the whole image once, so a damaged file is caught before it reaches a screen.
    The decoder is the one the suffix names; the file is read without blocking (a FIFO or a
    device put in place of a picture is refused)."""
    svg = path.suffix.lower() == ".svg"
    try:
        data = read_image_file(path, MAX_SVG_BYTES if svg else MAX_IMAGE_BYTES)
    except ImageFileError as exc:
        return ImageCheck(exc.code, exc.detail)
    wrong = kind_problem(path.name, data[:4096])
    if wrong is not None:  # kiosk check says more (the loader looks before the probe)
        code, args = wrong
        return ImageCheck(code, args.get("real", args.get("detail", "")))
    if svg:
        return _probe_svg(data)
    # Before Qt reads even the header (a zTXt bomb is in it).
    costly = raster_problem(data) or too_many_pixels(data)
    if costly is not None:
        return ImageCheck(*costly)
    reader, _buffer = _reader(data, path)
    reader.setAutoTransform(True)
    size = reader.size()
    if not reader.canRead():
        return ImageCheck("bad_image", reader.errorString())
    if size.isValid() and size.width() * size.height() > MAX_IMAGE_PIXELS:
        return ImageCheck("image_too_large", f"{size.width()}×{size.height()}")
    if size.isValid() and _format(path) == b"jpeg":
        # libjpeg decodes at an eighth of the size almost for free, still reading every byte
        # (damage is caught all the same): 3,700 photos in 4 s rather than 30.
        reader.setScaledSize(QSize(max(1, size.width() // 8), max(1, size.height() // 8)))
    with _DecoderWarnings() as warnings:
        image = reader.read()
    if image.isNull():
        return ImageCheck("bad_image", reader.errorString())
    if warnings.damage:
        # A JPEG cut short, even with an end marker put back, is decoded with its missing
        # part grey, and Qt says so only in a warning.
        return ImageCheck("image_damaged", warnings.damage)
    image_size = size if size.isValid() else image.size()  # the file's, not the decoded
    shown = (image_size.width(), image_size.height())
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        shown = shown[::-1]  # a phone's upright photo is stored on its side
    if max(image_size.width(), image_size.height()) < MIN_IMAGE_SIDE:
        return ImageCheck("image_too_small", f"{image_size.width()}×{image_size.height()}",
                          warning=True, size=shown)
    return ImageCheck(size=shown)


def _probe_svg(data: bytes) -> ImageCheck:
    checked = sanitise_svg(data)
    if not checked.ok:
        return ImageCheck(checked.problem, checked.detail)
    # Loading (parsing, styling) counts against the budget too: the screen waits for it as
    # for drawing, and QtSvg holds the GIL meanwhile.
    started = time.perf_counter()
    renderer = svg_renderer(checked.data)
    loading = time.perf_counter() - started
    if loading > SVG_DRAW_BUDGET:
        _remember_timing(_svg_digest(checked.data), False)
        return ImageCheck("svg_too_slow", f"> {SVG_DRAW_BUDGET:g} с / > {SVG_DRAW_BUDGET:g} s")
    if not renderer.isValid():
        return ImageCheck("bad_image", "SVG")
    size = renderer.defaultSize()
    if size.isEmpty():
        return ImageCheck("bad_image", "SVG без размеров / SVG without a size")
    seconds = _draw_time(renderer, size.scaled(SVG_DRAW_BOX, Qt.AspectRatioMode.KeepAspectRatio),
                         SVG_DRAW_BUDGET - loading)
    _remember_timing(_svg_digest(checked.data), seconds is not None)
    if seconds is None:
        return ImageCheck("svg_too_slow", f"> {SVG_DRAW_BUDGET:g} с / > {SVG_DRAW_BUDGET:g} s")
    return ImageCheck(size=(size.width(), size.height()))


def _draw_time(renderer: QSvgRenderer, size: QSize, budget: float) -> float | None:
    """How long the drawing takes to draw at `size`, or None if over `budget`. Drawn first
    at 1/64 of the area, then 1/16, 1/4 and whole, going on only while a step took under half
    the budget: a drawing whose cost grows with its area (large shapes, many layers) is
    stopped at about twice the budget instead of drawn for a minute."""
    seconds = 0.0
    for step in (8, 4, 2, 1):
        box = QSize(max(1, size.width() // step), max(1, size.height() // step))
        image = QImage(box, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        started = time.perf_counter()
        _draw_svg(renderer, image)
        seconds = time.perf_counter() - started
        if seconds > (budget if step == 1 else budget / 2):
            return None
        # A drawing costs at most a fixed part plus a part that grows with the area, so this
        # step's time × the area still to come bounds the whole drawing's: when that is far
        # inside the budget (every bundled drawing at the first step), no larger step is
        # drawn. At start-up the loader probes every colouring picture and poster.
        if seconds * step * step < budget / 8:
            return seconds * step * step
    return seconds


def _format(path: Path) -> bytes:
    return b"jpeg" if path.suffix.lower() in (".jpg", ".jpeg") else b"png"


def _reader(data: bytes, path: Path) -> tuple[QImageReader, QBuffer]:
    """A reader of `data` with the decoder the suffix names, never one guessed from the
    content (a PNG named .jpg is refused by kiosk check, and never shown); keep the buffer
    as long as the reader."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, _format(path))
    reader.setAutoDetectImageFormat(False)
    reader.setDecideFormatFromContent(False)
    return reader, buffer


class _DecoderWarnings:
    """Collects what Qt's image decoders say while one image is decoded in this thread (a
    damaged JPEG is only reported so); other messages go on to the handler installed before.
    One decode at a time: a message handler is process-wide."""

    _lock = threading.Lock()
    # libjpeg's words for data that is missing or garbled: part of the picture would be grey
    # or noise. («extraneous bytes before marker» is harmless and common: not listed.)
    DAMAGE = ("premature end", "corrupt jpeg data: bad", "huffman", "invalid", "bogus")

    def __init__(self) -> None:
        self.damage = ""
        self._thread = threading.get_ident()
        self._previous: Any = None

    def __enter__(self) -> _DecoderWarnings:
        self._lock.acquire()
        self._previous = qInstallMessageHandler(self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        qInstallMessageHandler(self._previous)
        self._lock.release()

    def _handle(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category or ""
        if threading.get_ident() == self._thread and category.startswith("qt.gui.imageio"):
            lower = message.lower()
            if not self.damage and any(word in lower for word in self.DAMAGE):
                self.damage = message.strip()
            return
        if self._previous is not None:
            self._previous(kind, context, message)
        else:
            sys.stderr.write(qFormatLogMessage(kind, context, message) + "\n")


def render_image(path: Path, box: QSize, fill: bool = False, ratio: float = 1.0) -> QImage:
    """The image scaled to fit inside `box` (with `fill`: to cover it, overflowing one way),
    keeping its proportions; a null image on failure (a drawing refused by
    kiosk.core.content.imagesafe, a file that is not what its suffix says).
    With a device pixel `ratio` (kiosk.ui.hidpi), `box` is in logical pixels and the image
    is rendered in device pixels, its ratio set: drawn at its logical size, it is sharp.
    Never raises: it runs on the UI thread, on files from outside."""
    try:
        image = _render_image(path, device_size(box, ratio) if ratio != 1.0 else box, fill)
    except Exception:
        log.exception("picture %s not shown", path)
        return QImage()
    if ratio != 1.0 and not image.isNull():
        image.setDevicePixelRatio(ratio)
    return image


def render_on_paper(path: Path, box: QSize) -> QImage:
    """A colouring picture fitted into `box` and laid on white paper (transparent parts
    become paper), as RGB32; a null image if it cannot be decoded. What the colouring engine
    reads the lines from (kiosk.ui.colouring.line_art, kiosk.ui.colouring.ahead)."""
    decoded = render_image(path, box)  # SVG drawn, raster decoded, both fitted into the box
    if decoded.isNull() or decoded.width() == 0 or decoded.height() == 0:
        return QImage()
    image = QImage(decoded.size(), QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, decoded)
    painter.end()
    return image


def _scaled(size: QSize, box: QSize, fill: bool) -> QSize:
    """`size` scaled into `box`, or over it with `fill`; a picture so thin that covering the
    box would cut most of it away (and take a huge buffer) is fitted whole instead."""
    if fill:
        covering = size.scaled(box, Qt.AspectRatioMode.KeepAspectRatioByExpanding)
        if covering.width() * covering.height() <= FILL_MOST * box.width() * box.height():
            return covering
    fitted = size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
    # A 1×100000 drawing would be 0 px wide: a pixel at least, never an empty paint.
    return QSize(max(1, fitted.width()), max(1, fitted.height()))


def _render_image(path: Path, box: QSize, fill: bool = False) -> QImage:
    if box.isEmpty():
        return QImage()
    if path.suffix.lower() == ".svg":
        checked = safe_svg_file(path)
        if not checked.ok:
            log.warning("drawing %s not shown: %s %s", path, checked.problem, checked.detail)
            return QImage()
        started = time.perf_counter()
        renderer = svg_renderer(checked.data)
        if not renderer.isValid():
            return QImage()
        if not _svg_in_budget(checked.data, renderer, time.perf_counter() - started):
            log.warning("drawing %s not shown: it takes over %g s to draw", path,
                        SVG_DRAW_BUDGET)
            return QImage()
        size = _scaled(renderer.defaultSize(), box, fill)
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        _draw_svg(renderer, image)
        return image
    try:
        data = read_image_file(path)
    except ImageFileError as exc:
        log.warning("picture %s not shown: %s %s", path, exc.code, exc.detail)
        return QImage()
    if (wrong := kind_problem(path.name, data[:4096])) is not None:
        log.warning("picture %s not shown: %s %s", path, *wrong)
        return QImage()
    if (costly := raster_problem(data) or too_many_pixels(data)) is not None:
        log.warning("picture %s not shown: %s %s", path, *costly)
        return QImage()
    reader, _buffer = _reader(data, path)
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        log.warning("picture %s not shown: it could not be decoded (%s)", path,
                    reader.errorString())
        return QImage()
    # Let the decoder shrink while decoding (JPEG does it almost for free). The size asked
    # for is the stored one: a phone's upright photo, stored on its side, is fitted as shown.
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        reader.setScaledSize(_scaled(size.transposed(), box, fill).transposed())
    else:
        reader.setScaledSize(_scaled(size, box, fill))
    image = reader.read()
    if image.isNull():
        log.warning("picture %s not shown: it could not be decoded (%s)", path,
                    reader.errorString())
        return image
    if image.format() == QImage.Format.Format_CMYK8888 and jpeg_cmyk_not_inverted(data):
        image.invertPixels(QImage.InvertMode.InvertRgba)  # Qt took it for Adobe's (inverted)
    return in_srgb(image)


_SRGB = QColorSpace(QColorSpace.NamedColorSpace.SRgb)


def in_srgb(image: QImage) -> QImage:
    """The picture's colours as its profile says, in the sRGB the screen shows (a photo saved
    in Adobe RGB no longer looks dull), and the profile itself let go: parsed, it holds about
    six times its size beside every decoded copy of the picture."""
    space = image.colorSpace()
    if not space.isValid() or space == _SRGB:
        return image
    if space.colorModel() == QColorSpace.ColorModel.Rgb:  # a palette's table is mapped
        converted = image.convertedToColorSpace(_SRGB)
        if not converted.isNull():
            return converted
    image.setColorSpace(QColorSpace())  # grey or CMYK: shown as before
    return image


class ImageCache:
    """Rendered images by (path, box, device pixel ratio), least recently used dropped first:
    bounded memory."""

    def __init__(self, capacity: int = 3) -> None:
        self.capacity = capacity
        self._images: OrderedDict[tuple[Path, int, int, float], QImage] = OrderedDict()
        # The kiosk decodes content photos off the UI thread (KioskWindow.decode_photos_in_
        # background); without a loader (previews, kiosk check) they are decoded when drawn.
        self.photos: PhotoLoader | None = None

    def get(self, path: Path, box: QSize, ratio: float = 1.0) -> QImage:
        """`box` in logical pixels; the image in device pixels at `ratio` (kiosk.ui.hidpi)."""
        key = (path, box.width(), box.height(), ratio)
        image = self._images.get(key)
        if image is None:
            image = render_image(path, box, ratio=ratio)
            self._images[key] = image
            while len(self._images) > self.capacity:
                self._images.popitem(last=False)
        else:
            self._images.move_to_end(key)
        return image

    def clear(self) -> None:
        self._images.clear()
