"""Content pictures checked before any decoder sees them: what a file really is, and SVG
drawings parsed as XML and written out again with nothing in them that could make QtSvg open
another file, expand without bound or take unbounded time or memory (no Qt here).

QtSvg follows `<image>` and `<use>` references, applies attribute defaults from a DTD, reads
the CSS an `<?xml-stylesheet?>` names, decodes embedded pictures whatever their declared type,
and has no size or time limit (docs/content-format.md#drawings-svg). So a drawing is refused
when it has a DOCTYPE with declarations, an entity, a reference to anything but its own
elements or an embedded PNG/JPEG, a script, or more content than the caps below; otherwise
Qt is given only the document rebuilt here from the checked tree. Every check is one pass
over the file or the tree: time grows linearly with the size, which is capped.

PNG and JPEG files are walked too, chunk by chunk and marker by marker, without decoding
them: Qt's decoders have no limit on what costs them most (a PNG's compressed text chunks,
inflated one by one into memory; a progressive JPEG's scans, each a pass over every pixel).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import re
import stat
import struct
import sys
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core import hashes
from kiosk.core.files import write_atomic
from kiosk.core.paths import private_dir

if TYPE_CHECKING:
    # At run time they are imported by the check itself (_parse): xml.etree and defusedxml
    # take ~5 ms, and a start whose drawings were all checked before checks none of them
    # (keep_checks_in).
    from xml.etree.ElementTree import Element

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# The caps: far above what a drawing program writes for a colouring page or a poster (the
# bundled ones: under 10 KB, under 100 elements, 6 levels deep), and low enough that the worst
# file within them is parsed and drawn in about a second (docs/content-format.md).
MAX_SVG_BYTES = 5_000_000
MAX_DEPTH = 64  # nesting of elements, counted through <use> and url(#…) references too
MAX_ELEMENTS = 10_000  # elements drawn, each <use> counting what it repeats
MAX_EMBEDDED_BYTES = 4_000_000  # base64 text of the embedded PNG and JPEG pictures, together
MAX_EMBEDDED_PIXELS = 16_000_000  # their pixels, together: 64 MB once decoded
# Photos and drawings staff put in the folder: far above a 16-megapixel JPEG or PNG.
MAX_IMAGE_BYTES = 50_000_000
# Style sheets. QtSvg matches every rule against every element when it loads a drawing
# (about 30 ns for each part of a selector and each element, holding the GIL: 20,000 rules
# on 9,000 elements froze the screen for 8 s, 5 MB of them for two minutes). No bundled
# drawing has a style sheet or a style attribute; Illustrator writes one rule per colour
# (.st0 … .st99: a few KB), Inkscape style attributes of 100-200 bytes on each element.
MAX_STYLE_SHEET_BYTES = 64_000  # the text of every <style>, together
MAX_STYLE_SELECTORS = 2_000  # their selector parts («g.a > rect» is two), together
MAX_STYLE_WORK = 2_000_000  # selector parts × elements: at most about 0.15 s of matching
MAX_STYLE_ATTRIBUTES = 2_000_000  # the style="…" attributes, together: linear to read
# A dash pattern finer than a thousandth of the drawing: Qt draws up to its repetition limit
# of dashes on each segment, at any scale (a path of 150 segments dashed every 0.0001 took
# 0.13 s, twenty such paths 2.7 s in one uninterruptible call). The bundled dashes are a
# fiftieth of the drawing; a pattern that fine is allowed on this many vertices in all.
MAX_FINE_DASH_VERTICES = 200
# The encodings of a drawing read as they are meant (expat's own and one-byte ones); Qt only
# ever gets the UTF-8 document rebuilt here.
SVG_ENCODINGS = {"UTF-8", "US-ASCII", "UTF-16", "ISO-8859-1", "WINDOWS-1251", "KOI8-R"}

# PNG and JPEG structure. Every cap is far above what a camera, an editor or a phone writes:
# libjpeg's progressive JPEG has 10 scans (6 in grey), a photo 5-15 ancillary PNG chunks and
# a few KB of text (an Adobe XMP packet: 5-50 KB); an ICC profile is 0.5-5 KB compressed.
MAX_JPEG_SCANS = 64  # each scan is a pass over every pixel: 22,000 of them decoded for 34 s
MAX_JPEG_MARKERS = 5_000  # segments of any kind: bounds this walk
# The ICC profile's bytes (APP2 «ICC_PROFILE» segments, together), the cap PNG's profile has
# once inflated. Qt joins them and parses the profile into the decoded picture's colour space,
# about six times the profile's size: 50 MB of profile beside a 1 MP photo kept 300 MB.
MAX_JPEG_PROFILE_BYTES = MAX_PNG_METADATA_INFLATED = 4_000_000
MAX_PNG_ANCILLARY = 64  # chunks other than IHDR, PLTE, IDAT, IEND
MAX_PNG_METADATA = 1_000_000  # bytes of tEXt, zTXt, iTXt and iCCP chunks in the file
# The same once inflated (MAX_PNG_METADATA_INFLATED, above), as Qt reads them all into memory
# (about 5 bytes for each: one 7.7 KB zTXt chunk inflates to 7.9 MB and took 40 MB and 70 ms;
# 100 of them aborted the kiosk with std::bad_alloc). Inflated here only up to that cap:
# linear and bounded.
# Decoded pixels: 16 megapixels at 4 bytes each. A 16-bit PNG is decoded at 8 bytes a pixel.
MAX_DECODED_BYTES = 64_000_000
# Pixels a picture may have (too_many_pixels). A JPEG is decoded already shrunk to the size it
# is shown at (libjpeg scales by 1/2, 1/4 or 1/8 while it decodes, the kiosk asks for the box's
# size), so memory goes with the screen, not the photo: a phone's photo is shown whole, 12 to
# 50 megapixels (6000×4000 is today's default, 8160×6120 a 50 MP mode). The caps stop files
# made to exhaust memory or time: a 65,000×65,000 header on a few bytes, a 200 MP panorama.
MAX_JPEG_PIXELS = 100_000_000
# A progressive JPEG keeps every coefficient of the full-size picture while it decodes (2 bytes
# for each of 1.5-3 samples a pixel): 24 megapixels took 150 MB and 230 ms, so it keeps the cap
# every picture had before (phones and cameras write baseline JPEG; «Save for Web» may not).
MAX_PROGRESSIVE_JPEG_PIXELS = 16_000_000
# A PNG is decoded whole and scaled afterwards: 16 megapixels are 64 MB, and decoding a
# 20,000×20,000 picture would take 1.6 GB.
MAX_RASTER_PIXELS = 16_000_000
MAX_RASTER_SIDE = 8000

# What a picture's suffix promises, and how to name a file of each kind.
SUFFIX_KIND = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
KIND_SUFFIX = {"png": ".png", "jpeg": ".jpg", "svg": ".svg"}
KIND_NAMES = {"png": "PNG", "jpeg": "JPEG", "svg": "SVG", "gif": "GIF", "webp": "WebP",
              "bmp": "BMP", "tiff": "TIFF", "heic": "HEIC", "avif": "AVIF", "pdf": "PDF",
              "ico": "ICO", "mp4": "MP4"}

_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "handler", "iframe"}
_EMBEDDED_TYPES = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,")
# url(#id) in these properties draws the referenced element once per vertex of the path.
_PER_VERTEX = {"marker", "marker-mid"}


class ImageFileError(Exception):
    """A picture file that cannot be read as one: `code` is a problem code."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def read_image_file(path: Path | str, limit: int = MAX_IMAGE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Opened without blocking, so a FIFO
    or a device put in place of a picture is refused instead of hanging or filling memory.
    Raises ImageFileError."""
    return _read(path, limit, None)


def file_head(path: Path | str, limit: int, count: int = 4096) -> bytes:
    """The first `count` bytes of a regular file of at most `limit` bytes (see
    read_image_file)."""
    return _read(path, limit, count)


def _read(path: Path | str, limit: int, count: int | None) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise ImageFileError("bad_image", exc.strerror or str(exc)) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ImageFileError("bad_image", "не файл / not a regular file")
        if info.st_size > limit:
            raise ImageFileError("image_file_too_big", _megabytes(info.st_size))
        wanted = limit + 1 if count is None else count
        chunks: list[bytes] = []
        size = 0
        while size < wanted:
            chunk = os.read(fd, min(1 << 20, wanted - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ImageFileError("bad_image", exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
    if size > limit:  # grew while being read
        raise ImageFileError("image_file_too_big", _megabytes(size))
    return b"".join(chunks)


def _megabytes(size: int) -> str:
    # A detail is «русский / English», split by Problem.message: one « / » in it.
    return f"{size / 1_000_000:.1f} МБ / {size / 1_000_000:.1f} MB"


# The brands of a HEIF file: an iPhone's photo is «heic» with «mif1» among its compatible brands.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

_WIDE_MARKS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
               (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file say it is: a key of KIND_NAMES, "xml" for another
    document in angle brackets, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head[4:8] == b"ftyp":
        # An ISO media file: the brands say which (a phone's HEIC photo, AVIF, or a video).
        brands = {head[8:12], *(head[i:i + 4] for i in range(16, min(len(head), 64), 4))}
        if head[8:12] in (b"avif", b"avis"):
            return "avif"
        return "heic" if brands & _HEIF_BRANDS else "mp4"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x00\x00\x01\x00"):
        return "ico"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    for mark, codec in _WIDE_MARKS:  # a drawing in UTF-16 or UTF-32: the SVG check decides
        if head.startswith(mark):
            text = head[len(mark):].decode(codec, "replace").lstrip().encode("utf-8")
            break
    if text.startswith(b"<"):
        # An XML declaration, comments and a DOCTYPE may come before the <svg> element.
        return "svg" if b"<svg" in text else "xml"
    return None


def kind_problem(name: str, head: bytes) -> tuple[str, dict[str, str]] | None:
    """A picture whose suffix and content disagree (a PNG named «photo.jpg»), or whose content
    is no picture the kiosk shows: a problem code and its arguments, else None. Each decoder
    is chosen by the suffix and never by sniffing, so such a file would not be shown."""
    stem, suffix = os.path.splitext(name)
    expected = SUFFIX_KIND.get(suffix.lower())
    real = sniff(head)
    if real == expected or expected is None or (expected, real) == ("svg", "xml"):
        return None  # an XML file named .svg: the SVG check says what is wrong with it
    if real == "heic":  # a phone's photo, whatever it is called: the editor converts it
        return "image_heic", {"value": name, "suffix": suffix}
    if real in KIND_SUFFIX:
        return "image_wrong_suffix", {"value": name, "real": KIND_NAMES[real],
                                      "name": stem + KIND_SUFFIX[real]}
    if real in KIND_NAMES:
        return "image_unsupported", {"value": name, "real": KIND_NAMES[real]}
    return "bad_image", {"value": name, "detail": "это не картинка / not a picture"}


# -- SVG ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SvgResult:
    """A drawing checked: `data` is the rebuilt document to give Qt, empty when refused;
    `problem` a problem code with `detail` for the message."""

    data: bytes = b""
    problem: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


class SvgRefused(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def safe_svg_file(path: Path | str) -> SvgResult:
    """The drawing in `path`, read without blocking and checked (see sanitise_svg)."""
    try:
        data = read_image_file(path, MAX_SVG_BYTES)
    except ImageFileError as exc:
        code = "svg_too_complex" if exc.code == "image_file_too_big" else exc.code
        return SvgResult(problem=code, detail=exc.detail)
    return sanitise_svg(data)


_checked: OrderedDict[bytes, SvgResult] = OrderedDict()
_checked_lock = threading.Lock()
CHECKED_KEPT = 16  # drawings: the loader's check, the probe and the screen read the same one
KEPT_MOST_BYTES = 512 * 1024  # so the kept ones take at most 8 MB


def sanitise_svg(data: bytes) -> SvgResult:
    """The drawing rebuilt from its checked XML tree, or why it is refused. The last few
    answers are kept by the drawing's digest: a drawing is checked once, not once by the
    loader, once by the decoder's probe and again for the screen; and on disk, for the next
    start, when `keep_checks_in` says where."""
    key = hashes.blake2b(data, digest_size=16).digest()
    with _checked_lock:
        found = _checked.get(key)
        if found is not None:
            _checked.move_to_end(key)
            return found
    result = _read_check(key)
    if result is None:
        result = _sanitise_svg(data)
        _write_check(key, result)
    if len(result.data) > KEPT_MOST_BYTES:
        return result  # a rare large drawing is checked again rather than kept
    with _checked_lock:
        _checked[key] = result
        while len(_checked) > CHECKED_KEPT:
            _checked.popitem(last=False)
    return result


# -- checks kept on disk ---------------------------------------------------------------------
# A start with nothing changed checks no drawing (the first frame's icons took ~5 ms with the
# XML modules' import): what checking a drawing gave (the rebuilt document Qt is given, or why
# it was refused) is kept, by the digest of the drawing's bytes, as kiosk.core.content.kept keeps a
# YAML file's tree. Never a verdict about a file: bytes that changed in any way, whatever the
# file's stamp, have another digest and are checked. A record is sealed with the digest of the
# document it holds and the version of this code (its source, and Python's): a damaged,
# truncated or older one is ignored, and the drawing is checked again.

KEPT_FILES = 128  # drawings kept on disk: the kiosk's icons and content's drawings
_RECORD = b"kiosk checked drawing\n"
_kept_folder: Path | None = None
_version: list[str] = []


def keep_checks_in(folder: Path | None) -> None:
    """Keep what checking each drawing gives in `folder` (`kiosk run`: in its cache folder),
    and use what is there; None (the default: `kiosk check`, the editor, tests): in memory."""
    global _kept_folder
    _kept_folder = folder


def _code_version() -> str:
    if not _version:
        digest = hashes.blake2b(Path(__file__).read_bytes(), digest_size=16)
        digest.update(sys.version.encode())
        _version.append(digest.hexdigest())
    return _version[0]


def _read_check(key: bytes) -> SvgResult | None:
    folder = _kept_folder
    if folder is None:
        return None
    try:
        record = _read(folder / key.hex(), KEPT_MOST_BYTES + 4096, None)
        if not record.startswith(_RECORD):
            return None
        head, _, data = record[len(_RECORD):].partition(b"\n")
        version, kept_key, problem, detail, digest = json.loads(head)
        if version != _code_version() or kept_key != key.hex() \
                or type(problem) is not str or type(detail) is not str \
                or digest != hashes.blake2b(data, digest_size=16).hexdigest() \
                or bool(problem) == bool(data):  # either refused or rebuilt, never both
            return None
    except (ImageFileError, OSError, ValueError, TypeError):
        return None
    return SvgResult(data, problem, detail)


def _write_check(key: bytes, result: SvgResult) -> None:
    folder = _kept_folder
    if folder is None or len(result.data) > KEPT_MOST_BYTES:
        return
    head = json.dumps([_code_version(), key.hex(), result.problem, result.detail,
                       hashes.blake2b(result.data, digest_size=16).hexdigest()])
    try:
        private_dir(folder)
        # A cache: atomic for readers, not fsynced (a record lost to a power cut is checked
        # again).
        write_atomic(folder / key.hex(), _RECORD + head.encode("ascii") + b"\n" + result.data,
                     0o600, durable=False)
        _prune(folder)
    except OSError:  # only slower: checked again at the next start
        pass


def _prune(folder: Path) -> None:
    """At most KEPT_FILES records, the oldest written first out (a drawing still in use is
    checked and written again)."""
    with os.scandir(folder) as listing:
        entries = [(entry.stat(follow_symlinks=False).st_mtime_ns, entry.path)
                   for entry in listing]
    entries.sort()
    for _, path in entries[:max(0, len(entries) - KEPT_FILES)]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _sanitise_svg(data: bytes) -> SvgResult:
    try:
        if len(data) > MAX_SVG_BYTES:
            size, most = len(data) / 1_000_000, MAX_SVG_BYTES / 1_000_000
            raise SvgRefused("svg_too_complex", f"{size:.1f} МБ > {most:.1f} МБ / "
                             f"{size:.1f} MB > {most:.1f} MB")
        root = _parse(data)
        checked = _Checker(root)
        checked.run()
        return SvgResult(_serialise(root, checked.kept_attributes))
    except SvgRefused as refused:
        return SvgResult(problem=refused.code, detail=refused.detail)
    except Exception as exc:  # whatever else goes wrong with a file from outside: refused
        return SvgResult(problem="bad_image", detail=f"SVG: {type(exc).__name__}")


class _Builder:
    """ElementTree's TreeBuilder, stopping as soon as the document is too deep or too big,
    and noting processing instructions (an <?xml-stylesheet?> makes QtSvg read a file)."""

    def __init__(self) -> None:
        from xml.etree.ElementTree import TreeBuilder

        self.tree = TreeBuilder()
        self.depth = 0
        self.count = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            raise SvgRefused("svg_too_complex", f"вложенность больше {MAX_DEPTH} / nested "
                             f"more than {MAX_DEPTH} deep")
        if self.count > MAX_ELEMENTS:
            raise SvgRefused("svg_too_complex", f"элементов больше {MAX_ELEMENTS} / more than "
                             f"{MAX_ELEMENTS} elements")
        return self.tree.start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return self.tree.end(tag)

    def data(self, text: str) -> None:
        self.tree.data(text)

    def pi(self, target: str, text: str) -> None:
        if target.strip().lower() == "xml-stylesheet":
            raise SvgRefused("svg_external", "<?xml-stylesheet?>")

    def close(self) -> Element:
        return self.tree.close()


# The encoding an XML declaration names, in its first bytes (a bounded look: linear).
_DECLARED_ENCODING = re.compile(rb"\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([^\"']{0,40})[\"']")


def _check_encoding(data: bytes) -> None:
    """Refuses a drawing in an encoding expat cannot read or reads only in part: it raised
    ValueError or LookupError for UTF-7, Shift_JIS, GBK, Big5 or UTF-32 (a crash of check and
    of the kiosk at start), and every parser reads UTF-7 differently."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"<\x00\x00\x00",
                        b"\x00\x00\x00<")):
        raise SvgRefused("svg_encoding", "UTF-32")
    head = data[:600]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        # UTF-16, which expat reads itself: its declaration may only say so.
        head = head.decode("utf-16-be" if head[0] in (0xFE, 0) else "utf-16-le", "replace")\
            .lstrip("\ufeff").encode("ascii", "replace")
    declared = _DECLARED_ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if declared is not None:
        name = declared.group(1).decode("ascii", "replace").strip().upper().replace("_", "-")
        if name not in SVG_ENCODINGS:
            raise SvgRefused("svg_encoding", _shorten(name))


def _parse(data: bytes) -> Element:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    _check_encoding(data)
    builder = _Builder()
    # defusedxml refuses entity declarations and external references; a DOCTYPE is allowed
    # only without an internal subset (Illustrator writes the bare SVG 1.1 one), since its
    # declarations (<!ATTLIST image href CDATA "/path">) would reach QtSvg otherwise. It never
    # does: only the rebuilt tree is given to Qt.
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    expat: Any = parser.parser

    def doctype(name: str, sysid: str | None, pubid: str | None, internal: bool) -> None:
        if internal:
            raise SvgRefused("svg_doctype", "<!DOCTYPE … [ … ]>")

    def declaration(*args: object) -> None:
        raise SvgRefused("svg_doctype", "<!ATTLIST>, <!ELEMENT>")

    expat.StartDoctypeDeclHandler = doctype
    expat.AttlistDeclHandler = declaration
    expat.ElementDeclHandler = declaration
    try:
        parser.feed(data)
        root: Element = parser.close()
    except SvgRefused:
        raise
    except DefusedXmlException as exc:
        raise SvgRefused("svg_doctype", type(exc).__name__) from exc
    except ParseError as exc:
        raise SvgRefused("bad_image", f"SVG: {exc}") from exc
    except Exception as exc:  # expat's ValueError, LookupError, UnicodeError and the like
        raise SvgRefused("bad_image", f"SVG: {type(exc).__name__}: {_shorten(str(exc))}") \
            from exc
    if _local(root.tag) != "svg":
        raise SvgRefused("bad_image", f"SVG: <{_local(root.tag)}>")
    return root


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str:
    return tag[1:tag.index("}")] if tag.startswith("{") else ""


def _url_targets(value: str) -> list[str]:
    """The targets of every url(…) in a value or a style sheet, in one pass; an @import is
    an outside reference too."""
    lower = value.lower()
    if "@import" in lower:
        raise SvgRefused("svg_external", "@import")
    targets: list[str] = []
    start = lower.find("url(")
    while start >= 0:
        end = lower.find(")", start)
        if end < 0:
            end = len(value)
        target = value[start + 4:end].strip().strip("'\"").strip()
        if not target.startswith("#"):
            raise SvgRefused("svg_external", _shorten(target or value[start:end + 1]))
        targets.append(target[1:])
        start = lower.find("url(", end)
    return targets


def _numbers(text: str) -> list[float]:
    """The numbers in a list such as «4 16» or «4px,16px» (units and percent left off)."""
    found: list[float] = []
    for word in text.replace(",", " ").split():
        number = word.rstrip("abcdefghijklmnopqrstuvwxyz%")
        try:
            found.append(abs(float(number)))
        except ValueError:
            continue
    return found


def _without_comments(sheet: str) -> str:
    parts: list[str] = []
    position = 0
    while (start := sheet.find("/*", position)) >= 0:
        parts.append(sheet[position:start])
        end = sheet.find("*/", start + 2)
        position = len(sheet) if end < 0 else end + 2
    parts.append(sheet[position:])
    return " ".join(parts)


def _shorten(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


@dataclass
class _Node:
    """An element of a drawing being checked: its children, the ids it draws, its weight."""

    element: Element
    children: list[int] = field(default_factory=list)
    refs: list[tuple[str, int]] = field(default_factory=list)  # (id, how many times drawn)
    own: int = 1  # its own weight: an embedded picture weighs by its size


class _Checker:
    """One walk over the tree: what may not be there, the embedded pictures, and how much a
    renderer would draw once every <use> and url(#…) reference is followed."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self.nodes: list[_Node] = []
        self.ids: dict[str, list[int]] = {}
        self.embedded_bytes = 0
        self.embedded_pixels = 0
        self.sheet_refs: list[str] = []  # url(#…) in <style>: may apply to every element
        self.sheet_markers = False  # and a marker-mid there to every vertex
        self.vertex_total = 0
        self.kept_attributes: dict[int, list[tuple[str, str]]] = {}
        self.sheet_bytes = 0
        self.selectors = 0  # selector parts in the style sheets
        self.style_bytes = 0  # style="…" attributes
        self.fine_dashes = False

    def run(self) -> None:
        stack = [(self.root, -1)]
        while stack:
            element, parent = stack.pop()
            index = len(self.nodes)
            self.nodes.append(_Node(element))
            if parent >= 0:
                self.nodes[parent].children.append(index)
            if _namespace(element.tag) not in ("", SVG_NS):
                continue  # Inkscape's and others' own elements are dropped, not drawn
            self._check(element, self.nodes[index])
            stack.extend((child, index) for child in reversed(element))
        if self.fine_dashes and self.vertex_total + len(self.nodes) > MAX_FINE_DASH_VERTICES:
            # Any element may be dashed: the pattern is inherited and style rules apply widely.
            raise SvgRefused("svg_too_complex", "слишком мелкий пунктир (stroke-dasharray) / "
                             "dash pattern too fine")
        work = self.selectors * len(self.nodes)
        if work > MAX_STYLE_WORK:
            raise SvgRefused("svg_too_complex", f"селекторов CSS: {self.selectors}, элементов: "
                             f"{len(self.nodes)} / {self.selectors} CSS selectors on "
                             f"{len(self.nodes)} elements")
        self._expanded_size()

    def _check(self, element: Element, node: _Node) -> None:
        name = _local(element.tag)
        if name.lower() in _FORBIDDEN_ELEMENTS:
            raise SvgRefused("svg_script", f"<{name}>")
        kept: list[tuple[str, str]] = []
        for key, value in element.attrib.items():
            if key[0] == "{":
                space, local = _namespace(key), _local(key)
            else:
                space, local = "", key
            if local.lower().startswith("on") and space in ("", SVG_NS):
                raise SvgRefused("svg_script", f"{local}=")
            if local == "href":
                self._href(name, value, node)
            elif local == "id" and space in ("", XML_NS, SVG_NS):
                self.ids.setdefault(value.strip(), []).append(len(self.nodes) - 1)
            if space in ("", SVG_NS):
                qualified = local
            elif space == XLINK_NS:
                qualified = f"xlink:{local}"
            elif space == XML_NS:
                qualified = f"xml:{local}"
            else:
                continue  # inkscape:label and the like: not for the renderer
            lower = value.lower() if "(" in value else ""
            if local != "href" and "url(" in lower:
                per_vertex = local in _PER_VERTEX or (local == "style" and "marker" in lower)
                times = self._vertices(element) if per_vertex else 1
                node.refs.extend((target, times) for target in _url_targets(value))
            if "dasharray" in local or (local == "style" and "dasharray" in value):
                self._dashes(value, local == "style")
            if local == "style":
                self.style_bytes += len(value)
                if self.style_bytes > MAX_STYLE_ATTRIBUTES:
                    raise SvgRefused("svg_too_complex", "атрибуты style больше "
                                     f"{MAX_STYLE_ATTRIBUTES // 1_000_000} МБ / style "
                                     f"attributes over {MAX_STYLE_ATTRIBUTES // 1_000_000} MB")
            kept.append((qualified, value))
        self.kept_attributes[id(element)] = kept
        if name == "style":
            sheet = element.text or ""
            self._style_sheet(sheet)
            if "dasharray" in sheet:
                self._dashes(sheet, True)
            self.sheet_refs.extend(_url_targets(sheet))
            self.sheet_markers = self.sheet_markers or "marker" in sheet.lower()
        self.vertex_total += self._vertices(element) - 1

    def _dashes(self, value: str, css: bool) -> None:
        """Notes a dash pattern finer than a thousandth of the drawing's size (units ignored:
        an upper bound of what a renderer could be asked to draw)."""
        patterns = [value]
        if css:  # «stroke-dasharray: 1 2;» wherever it is in a style
            patterns = [part.partition(":")[2].partition(";")[0].partition("}")[0]
                        for part in value.split("dasharray")[1:]]
        for pattern in patterns:
            total = sum(_numbers(pattern))
            if pattern.strip().lower() not in ("", "none", "inherit") \
                    and total < self._view_size() / 1000:
                self.fine_dashes = True

    def _view_size(self) -> float:
        box = _numbers(self.root.get("viewBox", ""))
        sides = box[2:4] if len(box) == 4 else \
            _numbers(self.root.get("width", "") + " " + self.root.get("height", ""))
        return max([*sides, 100.0])

    def _style_sheet(self, sheet: str) -> None:
        """Counts a style sheet's bytes and selector parts (one pass, by its braces); what
        is inside a rule costs only its length."""
        self.sheet_bytes += len(sheet)
        if self.sheet_bytes > MAX_STYLE_SHEET_BYTES:
            raise SvgRefused("svg_too_complex", "стили (<style>) больше "
                             f"{MAX_STYLE_SHEET_BYTES // 1000} КБ / style sheets over "
                             f"{MAX_STYLE_SHEET_BYTES // 1000} KB")
        for block in _without_comments(sheet).split("}"):
            # «@media x { a b { fill: red» : the selector is between the last two braces.
            selector = block.rpartition("{")[0].rpartition("{")[2]
            for char in ">+~,":
                selector = selector.replace(char, " ")
            self.selectors += len(selector.split())
        if self.selectors > MAX_STYLE_SELECTORS:
            raise SvgRefused("svg_too_complex", f"селекторов CSS больше {MAX_STYLE_SELECTORS}"
                             f" / more than {MAX_STYLE_SELECTORS} CSS selectors")

    def _vertices(self, element: Element) -> int:
        """An upper bound of a shape's vertices: the numbers of its path or points (two
        make a point), counted in one pass."""
        numbers = 0
        in_number = False
        for char in element.get("d", "") + element.get("points", ""):
            digit = char.isdigit()
            if digit and not in_number:
                numbers += 1
            in_number = digit or (in_number and char == ".")
        return numbers // 2 + 1

    def _href(self, element: str, value: str, node: _Node) -> None:
        value = value.strip()
        if element == "image":
            self._embedded(value, node)
        elif value.startswith("#"):
            node.refs.append((value[1:], 1))
        else:
            raise SvgRefused("svg_external", _shorten(value))

    def _embedded(self, value: str, node: _Node) -> None:
        """An embedded picture: PNG or JPEG data checked to be what it says, its size read
        from its header and counted; anything else (a file, an address, an SVG) refused."""
        lower = value[:40].lower().replace(" ", "")
        prefix = next((p for p in _EMBEDDED_TYPES if lower.startswith(p)), None)
        if prefix is None:
            raise SvgRefused("svg_external", _shorten(value))
        self.embedded_bytes += len(value)
        if self.embedded_bytes > MAX_EMBEDDED_BYTES:
            most = MAX_EMBEDDED_BYTES / 1_000_000
            raise SvgRefused("svg_too_complex", f"встроенные картинки больше {most:.1f} МБ / "
                             f"embedded pictures over {most:.1f} MB")
        start = value.index(",") + 1
        try:
            payload = base64.b64decode(value[start:])
        except (binascii.Error, ValueError) as exc:
            raise SvgRefused("bad_image", "SVG: base64") from exc
        size = picture_size(payload)
        if size is None:
            raise SvgRefused("bad_image", "SVG: встроенная картинка / embedded picture")
        costly = raster_problem(payload)  # QtSvg decodes them as Qt decodes files
        if costly is not None:
            ru, _, en = costly[1].partition(" / ")
            raise SvgRefused("svg_too_complex", f"встроенная картинка: {ru} / "
                             f"embedded picture: {en or ru}")
        pixels = size[0] * size[1]
        self.embedded_pixels += pixels
        if self.embedded_pixels > MAX_EMBEDDED_PIXELS:
            raise SvgRefused("svg_too_complex", "встроенные картинки больше "
                             f"{MAX_EMBEDDED_PIXELS // 1_000_000} Мп / embedded pictures over "
                             f"{MAX_EMBEDDED_PIXELS // 1_000_000} MP")
        node.own = 1 + pixels // 65_536  # drawing it costs by its size: a unit a 256² tile

    def _expanded_size(self) -> None:
        """What a renderer would draw, following every reference, worked out without
        expanding anything: each element's weight (itself, its children, what it refers to)
        and depth, in one post-order walk. A reference loop is refused."""
        cap = MAX_ELEMENTS
        count = len(self.nodes)
        # A <style> rule may apply to every element (a marker to every vertex): what it
        # refers to counts that often.
        times = count + (self.vertex_total if self.sheet_markers else 0)
        sheet = [(target, times) for target in self.sheet_refs]
        if sheet:
            self.nodes[0].refs.extend(sheet)
        weight = [0] * count
        depth = [0] * count
        state = [0] * count  # 0 not seen, 1 on the path being walked, 2 done
        for start in range(count):
            if state[start]:
                continue
            stack: list[tuple[int, bool]] = [(start, False)]
            while stack:
                index, finishing = stack.pop()
                node = self.nodes[index]
                edges = [(c, 1) for c in node.children] + [
                    (other, times) for name, times in node.refs
                    for other in self.ids.get(name, ())]
                if finishing:
                    total, deepest = node.own, 0
                    for other, times in edges:
                        total = min(cap + 1, total + weight[other] * times)
                        deepest = max(deepest, depth[other])
                    weight[index], depth[index], state[index] = total, deepest + 1, 2
                    if total > cap:
                        raise SvgRefused("svg_too_complex", f"с повторами (<use>) больше {cap} "
                                         f"элементов / more than {cap} elements once repeats "
                                         "(<use>) are counted")
                    if depth[index] > MAX_DEPTH:
                        raise SvgRefused("svg_too_complex", f"вложенность больше {MAX_DEPTH} "
                                         f"/ nested more than {MAX_DEPTH} deep")
                    continue
                if state[index] == 2:
                    continue
                state[index] = 1
                stack.append((index, True))
                for other, _ in edges:
                    if state[other] == 1:
                        raise SvgRefused("svg_too_complex", "ссылается сам на себя / refers "
                                         "to itself")
                    if state[other] == 0:
                        stack.append((other, False))


def picture_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's or a JPEG's header, or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    frame = _jpeg_frame(data)
    return frame[:2] if frame is not None else None


def too_many_pixels(data: bytes) -> tuple[str, str] | None:
    """A PNG or JPEG with more pixels than the kiosk decodes ("image_too_large" and its
    detail), else None. A JPEG is decoded already shrunk to the size it is shown at, so a
    phone's photo of any size a phone takes is shown; a progressive one is held whole while
    decoding, and a PNG is decoded whole before it is scaled: those keep a lower cap."""
    if data.startswith(b"\xff\xd8"):
        frame = _jpeg_frame(data)
        if frame is None:
            return None  # the decoder says what is wrong with it
        width, height, progressive = frame
        most = MAX_PROGRESSIVE_JPEG_PIXELS if progressive else MAX_JPEG_PIXELS
        if width * height > most:  # said which kind: the same size, not progressive, is shown
            return "image_too_large", (f"{width}×{height}, «прогрессивный» JPEG / {width}×{height},"
                                       " a “progressive” JPEG") if progressive \
                else f"{width}×{height}"
        return None
    size = picture_size(data)
    if size is not None and (size[0] * size[1] > MAX_RASTER_PIXELS
                             or max(size) > MAX_RASTER_SIDE):
        return "image_too_large", f"{size[0]}×{size[1]}"
    return None


# A frame header's markers (SOF0–SOF15 less DHT, JPG and DAC).
_JPEG_FRAMES = frozenset((0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                          0xCE, 0xCF))


def _jpeg_headers(data: bytes, past_frame: bool = False) -> Iterator[tuple[int, int]]:
    """Each segment's marker and where it starts in a JPEG, up to its frame header (the last
    one given), or with `past_frame` up to its first scan; nothing more past a damaged
    segment, a scan or the end."""
    if not data.startswith(b"\xff\xd8"):
        return
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        if marker in (0xD9, 0xDA) or length < 2:
            return
        yield marker, position
        if marker in _JPEG_FRAMES and not past_frame:
            return
        position += 2 + length


def _jpeg_frame(data: bytes) -> tuple[int, int, bool] | None:
    """A JPEG's width and height and whether it is progressive, from its frame header."""
    for marker, position in _jpeg_headers(data):
        if marker in _JPEG_FRAMES:
            if position + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            return width, height, marker in (0xC2, 0xC6, 0xCA, 0xCE)
    return None


def jpeg_cmyk_not_inverted(data: bytes) -> bool:
    """Whether a JPEG holds CMYK as the standard stores it: four components and no Adobe
    segment (APP14) before its frame header. Adobe's programs store CMYK inverted and mark it
    so; Qt's decoder, like Pillow's, reads every CMYK JPEG as Adobe's, so an unmarked one
    would come out as its opposite (a print shop's poster of little black ink all black).
    The segment counts wherever it stands before the scan, as libjpeg and Pillow read it:
    after the frame header too."""
    adobe, components = False, 0
    for marker, position in _jpeg_headers(data, past_frame=True):
        if marker == 0xEE and data.startswith(b"Adobe", position + 4):
            adobe = True
        elif marker in _JPEG_FRAMES and not components:
            components = data[position + 9] if position + 10 <= len(data) else -1
    return components == 4 and not adobe

# -- PNG and JPEG structure -------------------------------------------------------------------


def raster_problem(data: bytes) -> tuple[str, str] | None:
    """What would make a PNG or a JPEG too costly to decode, found by walking its chunks or
    markers without decoding anything: a problem code and its detail, else None (also for
    anything that is neither: the decoder says what is wrong with a damaged file)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png_problem(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_problem(data)
    return None


_PNG_METADATA = {b"tEXt", b"zTXt", b"iTXt", b"iCCP"}


def _png_problem(data: bytes) -> tuple[str, str] | None:
    position = 8
    ancillary = metadata = inflated = 0
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR" and len(body) >= 9:
            width, height, depth = struct.unpack(">IIB", body[:9])
            per_pixel = 8 if depth == 16 else 4  # Qt decodes 16-bit PNGs to RGBA64
            if depth == 16 and width * height * per_pixel > MAX_DECODED_BYTES:
                return "image_too_deep", f"{width}×{height}, 16 бит / {width}×{height}, 16 bits"
        elif kind == b"IEND":
            break
        if not kind[0] & 0x20:  # a critical chunk: the picture itself
            continue
        ancillary += 1
        if ancillary > MAX_PNG_ANCILLARY:
            return "image_too_complex", (f"служебных блоков больше {MAX_PNG_ANCILLARY} / more "
                                         f"than {MAX_PNG_ANCILLARY} ancillary chunks")
        if kind not in _PNG_METADATA:
            continue
        metadata += len(body)
        if metadata > MAX_PNG_METADATA:
            return "image_too_complex", (f"метаданные больше {MAX_PNG_METADATA // 1_000_000} МБ"
                                         f" / metadata over {MAX_PNG_METADATA // 1_000_000} MB")
        inflated += _inflated_size(kind, body, MAX_PNG_METADATA_INFLATED - inflated + 1)
        if inflated > MAX_PNG_METADATA_INFLATED:
            return "image_too_complex", (
                f"метаданные после распаковки больше {MAX_PNG_METADATA_INFLATED // 1_000_000} МБ"
                f" / metadata over {MAX_PNG_METADATA_INFLATED // 1_000_000} MB once inflated")
    return None


def _inflated_size(kind: bytes, body: bytes, most: int) -> int:
    """The size of a text or profile chunk as a decoder holds it, inflating at most `most`
    bytes (what is compressed and where: the PNG specification, 11.3.3-11.3.4)."""
    keyword_end = body.find(b"\0")
    if keyword_end < 0:
        return len(body)
    if kind == b"tEXt":
        return len(body)
    if kind in (b"zTXt", b"iCCP"):
        compressed = body[keyword_end + 2:]
    else:  # iTXt: keyword, flag, method, language, translated keyword, then the text
        if body[keyword_end + 1:keyword_end + 2] != b"\1":
            return len(body)
        language_end = body.find(b"\0", keyword_end + 3)
        translated_end = body.find(b"\0", language_end + 1) if language_end >= 0 else -1
        if translated_end < 0:
            return len(body)
        compressed = body[translated_end + 1:]
    inflater = zlib.decompressobj()
    try:
        return keyword_end + len(inflater.decompress(compressed, most))
    except zlib.error:
        return len(body)  # damaged: the decoder skips it


# A marker in a JPEG's entropy-coded data: 0xFF then anything but a stuffed zero, a restart
# marker or another fill byte (ITU T.81 B.1.1.5). One byte of look-ahead: linear.
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_JPEG_STANDALONE = {0x01, 0xD8}


def _jpeg_problem(data: bytes) -> tuple[str, str] | None:
    """Scans counted as libjpeg finds them: segments skipped by their length, markers after a
    scan found in its data; the colour profile's segments added up."""
    scans = markers = profile = 0
    position = 2
    while True:
        found = _JPEG_MARKER.search(data, position)
        if found is None:
            return None
        at = found.start()
        marker = data[at + 1]
        if marker == 0xD9:  # the end of the picture
            return None
        markers += 1
        if markers > MAX_JPEG_MARKERS:
            return "image_too_complex", (f"блоков больше {MAX_JPEG_MARKERS} / more than "
                                         f"{MAX_JPEG_MARKERS} segments")
        if marker in _JPEG_STANDALONE:
            position = at + 2
            continue
        if marker == 0xDA:
            scans += 1
            if scans > MAX_JPEG_SCANS:
                return "image_too_complex", (f"проходов больше {MAX_JPEG_SCANS} / more than "
                                             f"{MAX_JPEG_SCANS} progressive scans")
        if at + 4 > len(data):
            return None
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        if marker == 0xE2 and data.startswith(b"ICC_PROFILE\0", at + 4):
            profile += length
            if profile > MAX_JPEG_PROFILE_BYTES:
                most = MAX_JPEG_PROFILE_BYTES // 1_000_000
                return "image_too_complex", (f"цветовой профиль больше {most} МБ / a colour "
                                             f"profile over {most} MB")
        position = at + 2 + max(length, 2)


# -- writing the checked tree out --------------------------------------------------------------


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _escape_text(text: str) -> str:
    return text.translate(_TEXT)


def _escape_attribute(value: str) -> str:
    return value.translate(_ATTRIBUTE)


def _serialise(root: Element, attributes: dict[int, list[tuple[str, str]]]) -> bytes:
    """The checked tree as an SVG document: SVG elements and their SVG, xlink and xml
    attributes only (other programs' own elements and attributes go), no DOCTYPE, comments
    or processing instructions. Iterative: the depth is capped, but no recursion is needed."""
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        name = _local(element.tag)
        if closing:
            out.append(f"</{name}>")
            if element.tail:
                out.append(_escape_text(element.tail))
            continue
        if _namespace(element.tag) not in ("", SVG_NS):
            if element.tail:
                out.append(_escape_text(element.tail))
            continue
        out.append(f"<{name}")
        if element is root:
            out.append(f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"')
        for key, value in attributes.get(id(element), []):
            out.append(f' {key}="{_escape_attribute(value)}"')
        out.append(">")
        if element.text:
            out.append(_escape_text(element.text))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return "".join(out).encode("utf-8")
