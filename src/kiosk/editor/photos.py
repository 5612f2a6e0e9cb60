"""An uploaded photo made into the JPEG the kiosk's screen needs (no Flask, no Qt).

A phone's photo arrives as it left the phone: 12–50 megapixels, JPEG or HEIC, stored on its side
with an EXIF note to turn it, with the place it was taken (GPS) in its metadata, sometimes in a
wide-gamut colour space (Display P3). `prepare_photo` reads it by what it is (its first bytes,
never its name), within fixed bounds, turns it upright, converts it to sRGB, shrinks it to the
largest size the kiosk ever draws it at, and writes a plain progressive JPEG with no metadata.
Anything it refuses raises `PhotoRejected`, whose problem code has a Russian and an English
message in kiosk.core.content.problems (what is wrong and what to do).

Bounds, in the order they are checked: the size of the upload (`MAX_PHOTO_BYTES`), what the first
bytes say it is, the picture's dimensions read from its header (`MAX_PHOTO_PIXELS`: a 50-megapixel
phone photo passes, a PNG that claims 100,000×100,000 in a few KB is refused before a single pixel
is decoded), the PNG and JPEG structure the kiosk's own check walks
(kiosk.core.content.imagesafe.raster_problem: a JPEG of thousands of scans, PNG text bombs). A JPEG
is decoded already reduced by libjpeg (`Image.draft`: a 24 MP photo at a quarter of its pixels); a
PNG, WebP or HEIC, decoded whole, stops at `MAX_DECODED_PIXELS` (24 MP), a HEIC's grid measured by
the size its own data declares (kiosk.editor.heif_grid). One picture is decoded at a time in the
whole editor, and made small before it is laid on white.

HEIC is read through pillow-heif's own `open_heif`, without registering it with Pillow: the
kiosk, which imports nothing of this, never learns to open HEIC by accident.
"""

from __future__ import annotations

import io
import logging
import math
import threading
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageCms, ImageFile, ImageOps, PngImagePlugin

from kiosk.core.content.imagesafe import (
    KIND_NAMES,
    MAX_PNG_METADATA_INFLATED,
    picture_size,
    raster_problem,
    sniff,
)
from kiosk.core.content.problems import Problem, Severity
from kiosk.editor.config import MAX_UPLOAD_BYTES
from kiosk.editor.heif_grid import declared_canvases
from kiosk.editor.icc import profile_problem
from kiosk.editor.wording import megabytes

log = logging.getLogger(__name__)

PROFILE_NOT_APPLIED = "цветовой профиль файла не прочитан: цвета взяты как есть"  # a note

# The biggest upload read: a 50 MP phone photo is 10–25 MB. Below the editor's request cap
# (kiosk.editor.config.MAX_REQUEST_BYTES, 32 MiB), so this message, not a bare 413, is what
# staff see for a file between the two.
MAX_PHOTO_BYTES = MAX_UPLOAD_BYTES
# The most pixels decoded: a 50 MP phone (8160×6120 = 49.9 MP) passes with room to spare; a
# bigger picture is refused by its header. Decoded in RGB it is ~160 MB (a PNG or a HEIC,
# which cannot be decoded reduced); a baseline JPEG is decoded at a quarter or less of it. The
# worst is a progressive JPEG: libjpeg holds every coefficient of the whole picture while it
# decodes, even reduced (2 bytes a sample): at 52 MP the editor peaked at 367 MB (RGB) and
# 467 MB (CMYK) of RSS. One decode at a time (_DECODING), inside the unit's 1.5 GB.
MAX_PHOTO_PIXELS = 52_000_000
# A PNG, a WebP or a HEIC is decoded whole, 4 bytes a pixel with transparency: these stop at
# 24 MP (a 24 MP phone's HEIC passes; ~100 MB decoded). A JPEG keeps MAX_PHOTO_PIXELS: it is
# decoded reduced (Image.draft).
MAX_DECODED_PIXELS = 24_000_000
# One picture decoded at a time in the whole editor: two large uploads at once never add up
# past the service's memory limit (the second waits for the first, a second or two).
_DECODING = threading.BoundedSemaphore(1)
MAX_PHOTO_SIDE = 20_000  # a panorama of 20,000×2,600 still passes; a 1-pixel-high strip does not
# Pillow's own decompression-bomb limit, set rather than left to its default (89 MP warns,
# 179 MP raises): it warns above this, and the warning is made an error below.
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a photo cut short is refused, never shown half grey
# A PNG's text and profile chunks, each inflated: the kiosk's own cap, which raster_problem has
# already held the file to (Pillow's 1 MB called a 3.9 MB profile, which the kiosk shows, a
# damaged file).
PngImagePlugin.MAX_TEXT_CHUNK = MAX_PNG_METADATA_INFLATED

# The largest the kiosk draws a story's or a page's photo (kiosk.ui.slide_card.ItemCard,
# measured): 701×856 px of a 1920×1080 screen (landscape: five columns of the grid, the
# card's height) and 952×688 of a 1080×1920 one (portrait: the width, 40 % of the height).
# On a 4K panel (device pixel ratio 2) that is at most 1904 px wide and 1712 px high, so a
# photo whose long side is 2048 px is never enlarged on any screen, and is 4 MP at most.
PHOTO_LONG_SIDE = 2048
# A poster fills the screen: 3840 px on a 4K panel.
POSTER_LONG_SIDE = 3840
# Below this the kiosk's check warns that a photo will look blurred (kiosk.ui.resources).
SMALL_SIDE = 800
JPEG_QUALITY = 85

_READ = {"jpeg", "png", "webp", "heic"}  # what sniff() names and this module decodes
WEBM_MAGIC = b"\x1aE\xdf\xa3"  # Matroska's EBML header; sniff() names no WebM


class PhotoRejected(Exception):
    """An upload that is not made into a photo: `code` is a key of
    kiosk.core.content.problems.MESSAGES, `args` its placeholders (`value` is the file's name)."""

    def __init__(self, code: str, **args: str) -> None:
        super().__init__(code, args)
        self.code = code
        self.args_ = args

    def problem(self) -> Problem:
        return Problem(self.args_.get("value", ""), None, Severity.ERROR, self.code, self.args_)

    def message(self, lang: str = "ru") -> str:
        from kiosk.editor.wording import editor_message

        return editor_message(self.problem(), "en" if lang == "en" else "ru")


@dataclass(frozen=True)
class PreparedPhoto:
    jpeg: bytes
    width: int
    height: int
    notes: list[str] = field(default_factory=list)  # what was done to it, in Russian


def prepare_photo(data: bytes, name: str = "фото", long_side: int = PHOTO_LONG_SIDE
                  ) -> PreparedPhoto:
    """The photo in `data` as the JPEG the screen needs: upright, sRGB, at most `long_side`
    pixels on its long side (never enlarged), quality 85, progressive, no metadata.
    Raises PhotoRejected."""
    notes: list[str] = []
    image = open_upload(data, name, long_side, notes)
    width, height = image.size
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    if max(width, height) < SMALL_SIDE:
        notes.append(f"фото маленькое ({width}×{height}): на экране оно может быть размытым")
    return PreparedPhoto(out.getvalue(), width, height, notes)


def open_upload(data: bytes, name: str, long_side: int, notes: list[str],
                most_bytes: int | None = None, most_jpeg: int | None = None) -> Image.Image:
    """An uploaded picture decoded within the bounds, upright, 8-bit sRGB RGB on white, fitted
    into `long_side` (never enlarged); what was done is appended to `notes`. Raises
    PhotoRejected. Also used by kiosk.editor.lineart for scans of drawings, and by
    kiosk.editor.thumbnails with the kiosk's own bounds (`most_bytes`, and `most_jpeg` pixels
    for a JPEG it has held to the kiosk's cap on progressive ones)."""
    most_bytes = MAX_PHOTO_BYTES if most_bytes is None else most_bytes
    most_jpeg = MAX_PHOTO_PIXELS if most_jpeg is None else most_jpeg
    if len(data) > most_bytes:
        raise PhotoRejected("photo_file_too_big", value=name, size=megabytes(len(data)),
                            most=megabytes(most_bytes))
    kind = sniff(data[:4096])
    if kind not in _READ:
        if kind == "pdf":  # a poster exported from PowerPoint or Word: say how to make a picture
            raise PhotoRejected("photo_pdf", value=name)
        # A phone's clip (MP4, an iPhone's MOV) or a WebM: a video, not «a picture MP4».
        if kind == "mp4" or data[:4] == WEBM_MAGIC:
            raise PhotoRejected("photo_video", value=name)
        if kind in KIND_NAMES:
            raise PhotoRejected("photo_unsupported", value=name, real=KIND_NAMES[kind])
        raise PhotoRejected("photo_not_image", value=name)
    most = most_jpeg if kind == "jpeg" else MAX_DECODED_PIXELS
    header = picture_size(data)  # a PNG's or a JPEG's: refused by its size before Pillow
    if header is not None:
        _check_size(*header, name, most)
    costly = raster_problem(data)  # the walk the kiosk's check does, before any decoder
    if costly is not None:
        code, detail = costly
        raise PhotoRejected(code if code.startswith("image_") else "image_too_complex",
                            value=name, detail=detail)
    try:
        with _DECODING, warnings.catch_warnings():
            # Past its own size, Pillow only warns: an error here, unless the caller's bound
            # is above it (the size is checked against that bound as soon as it is read).
            warnings.simplefilter("error" if most_jpeg <= MAX_PHOTO_PIXELS else "ignore",
                                  Image.DecompressionBombWarning)
            if kind == "heic":
                image, stored = _open_heic(data, name, most)
            else:
                image, stored = _open_pillow(data, name, long_side, most, most_jpeg)
            orientation = image.getexif().get(0x0112, 1)
            ImageOps.exif_transpose(image, in_place=True)
            # Made small first, then laid on white and converted: never a second full-size
            # copy of a large picture.
            icc = image.info.get("icc_profile")
            image = _fit(_resizable(image), long_side)
            image = _to_srgb(image, notes, icc)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected("photo_too_many_pixels", value=name, size="?",
                            most=str(MAX_PHOTO_PIXELS // 1_000_000)) from None
    except (OSError, ValueError, SyntaxError, EOFError, RuntimeError) as exc:
        # What the decoder said goes to the log, not to staff (it is English and technical).
        log.info("editor: %s cannot be decoded: %s", name, _short(exc))
        raise PhotoRejected("photo_damaged", value=name, detail=_short(exc)) from None
    if orientation in (2, 3, 4, 5, 6, 7, 8):
        notes.append("повёрнуто по EXIF")
    if orientation in (5, 6, 7, 8):
        stored = (stored[1], stored[0])
    if max(stored) > max(image.size):
        notes.append(f"уменьшено с {stored[0]}×{stored[1]} до {image.width}×{image.height}")
    return image


def _fit(image: Image.Image, long_side: int) -> Image.Image:
    """Fitted into `long_side` (never enlarged)."""
    if max(image.size) <= long_side:
        return image
    scale = long_side / max(image.size)
    target = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _resizable(image: Image.Image) -> Image.Image:
    """In a mode Pillow resizes well: 16-bit grey made 8-bit, a palette or a transparent
    colour made RGBA (transparency kept, to be laid on white after resizing)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("P", "PA", "La", "RGBa") or "transparency" in image.info:
        return image.convert("RGBA")
    if image.mode not in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image.convert("RGB")
    return image


def _check_size(width: int, height: int, name: str, most: int = MAX_PHOTO_PIXELS) -> None:
    if width * height > most or max(width, height) > MAX_PHOTO_SIDE:
        raise PhotoRejected("photo_too_many_pixels", value=name, size=f"{width}×{height}",
                            most=str(most // 1_000_000))
    if width < 1 or height < 1:
        raise PhotoRejected("photo_damaged", value=name, detail=f"{width}×{height}")


def _open_pillow(data: bytes, name: str, long_side: int, most: int = MAX_PHOTO_PIXELS,
                 most_jpeg: int = MAX_PHOTO_PIXELS) -> tuple[Image.Image, tuple[int, int]]:
    """Decoded (a JPEG reduced by libjpeg when that still leaves more than `long_side`), and
    the size stored in the file."""
    # Header only. No "MPO": the JPEG opener returns a phone's multi-picture JPEG as MPO,
    # and Pillow 13 registers no opener of that name (a cut file, tried past the three,
    # raised KeyError: a 500 instead of «повреждён»).
    image = Image.open(io.BytesIO(data), formats=("JPEG", "PNG", "WEBP"))
    stored = image.size
    _check_size(*stored, name, most_jpeg if image.format in ("JPEG", "MPO") else most)
    if image.format in ("JPEG", "MPO"):
        # libjpeg decodes at 1/2, 1/4 or 1/8 of the size for a fraction of the time and
        # memory: the smallest of those still at least as large as what is kept.
        scale = min(1.0, long_side / max(stored))
        image.draft(image.mode if image.mode in ("RGB", "L") else None,
                    (math.ceil(stored[0] * scale), math.ceil(stored[1] * scale)))
    image.load()
    if image.mode == "CMYK" and "adobe" not in image.info:
        # Pillow reads every CMYK JPEG as Adobe's, inverted; one without Adobe's mark is not
        # (kiosk.core.content.imagesafe.jpeg_cmyk_not_inverted): its ink would be reversed.
        ink = ImageChops.invert(image)
        ink.info.update(image.info)  # its colour profile and EXIF orientation
        return ink, stored
    return image, stored


def _open_heic(data: bytes, name: str, most: int = MAX_DECODED_PIXELS
               ) -> tuple[Image.Image, tuple[int, int]]:
    import pillow_heif  # the editor's only; never registered as a Pillow plugin

    # The grid's own size first: the item's (`heif.size`) may say 1 MP where the grid, which
    # libheif decodes whole before it compares the two, says 1 GP (kiosk.editor.heif_grid).
    for canvas in declared_canvases(data):
        _check_size(*canvas, name, most)
    heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
    width, height = heif.size
    _check_size(width, height, name, most)
    # libheif turns the picture by the file's own rotation (irot/imir), and pillow-heif sets
    # the EXIF orientation to 1 then, so exif_transpose does not turn it twice.
    image = heif.to_pillow()
    return image, image.size


def _to_srgb(image: Image.Image, notes: list[str], icc: bytes | None = None) -> Image.Image:
    """8-bit RGB in sRGB: an embedded colour profile converted, transparency laid on white."""
    icc = icc or image.info.get("icc_profile")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("P", "PA", "LA", "RGBA", "La", "RGBa") or "transparency" in image.info:
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        paper.alpha_composite(image.convert("RGBA"))
        image = paper
    if image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    refused = profile_problem(icc) if icc else ""
    if refused:  # lcms would run its pipeline for minutes (kiosk.editor.icc)
        log.info("editor: a photo's colour profile is not applied: %s", refused)
        notes.append(PROFILE_NOT_APPLIED)
    elif icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                                  outputMode="RGB")
            description = (ImageCms.getProfileDescription(source) or "").strip()
            if converted is not None:
                image = converted
                if "srgb" not in description.lower():
                    notes.append(f"цвета переведены в sRGB из профиля «{description[:40]}»")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            notes.append(PROFILE_NOT_APPLIED)
    if image.mode != "RGB":
        image = image.convert("RGB")
    return image


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:119] + "…"
