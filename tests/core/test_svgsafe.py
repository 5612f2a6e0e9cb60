"""SVG drawings from the content folder: parsed as XML, refused when they could make QtSvg open
another file or run away, and handed to Qt only as the document rebuilt from the checked tree."""

from __future__ import annotations

import base64
import re
import struct
import time
import zlib
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest

from kiosk.core.content.imagesafe import (
    MAX_ELEMENTS,
    MAX_SVG_BYTES,
    safe_svg_file,
    sanitise_svg,
)
from kiosk.core.content.loader import load_content
from tests.helpers import BUNDLED, REPO, fastest_of_three, make_folder, story

HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 100 100" width="100" height="100">')


def png_header(width: int, height: int) -> bytes:
    """The start of a PNG of that size: all a decoder needs to allocate its pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


def embedded(data: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def fan_out(levels: int, width: int) -> str:
    """Each level repeats the one below `width` times: width**levels rectangles in a few KB."""
    parts = [HEAD, '<defs><rect id="l0" width="1" height="1"/>']
    for level in range(1, levels):
        uses = f'<use xlink:href="#l{level - 1}"/>' * width
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append(f'</defs><use xlink:href="#l{levels - 1}"/></svg>')
    return "".join(parts)


def test_every_bundled_drawing_passes_and_keeps_its_shapes() -> None:
    drawings = sorted([*BUNDLED.rglob("*.svg"), *(REPO / "assets").rglob("*.svg")])
    assert len(drawings) > 20
    for path in drawings:
        checked = safe_svg_file(path)
        assert checked.ok, (path, checked.problem, checked.detail)
        before = fromstring(path.read_bytes())
        after = fromstring(checked.data)
        assert sum(1 for _ in after.iter()) == sum(1 for _ in before.iter()), path


# The attack: a DTD gives <image> a default href, which QtSvg then reads.
ATTLIST = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ATTLIST image href CDATA "/etc/secret.png">]>'
           + HEAD.encode() + b'<image width="100" height="100"/></svg>')


@pytest.mark.parametrize(("name", "svg", "code"), [
    ("dtd attribute default", ATTLIST, "svg_doctype"),
    ("entity", b'<!DOCTYPE svg [<!ENTITY a "x">]>' + HEAD.encode() + b"<text>&a;</text></svg>",
     "svg_doctype"),
    ("external entity", b'<!DOCTYPE svg [<!ENTITY a SYSTEM "/etc/passwd">]>' + HEAD.encode()
     + b"<text>&a;</text></svg>", "svg_doctype"),
    ("undefined entity", HEAD.encode() + b"<text>&a;</text></svg>", "bad_image"),
    ("image file", HEAD.encode() + b'<image href="/etc/secret.png"/></svg>', "svg_external"),
    ("image xlink", HEAD.encode() + b'<image xlink:href="../x.png"/></svg>', "svg_external"),
    ("image address", HEAD.encode() + b'<image href="http://example.org/x.png"/></svg>',
     "svg_external"),
    ("use other file", HEAD.encode() + b'<use href="other.svg#a"/></svg>', "svg_external"),
    ("fill url", HEAD.encode() + b'<rect fill="url(/x.svg#p)"/></svg>', "svg_external"),
    ("style url", HEAD.encode() + b'<rect style="fill: url( \'file:///x\' )"/></svg>',
     "svg_external"),
    ("style sheet import", HEAD.encode() + b'<style>@import "/etc/x.css";</style></svg>',
     "svg_external"),
    ("style sheet url", HEAD.encode() + b"<style>rect{fill:url(/x)}</style></svg>",
     "svg_external"),
    ("xml-stylesheet", b'<?xml-stylesheet type="text/css" href="/etc/x.css"?>' + HEAD.encode()
     + b"</svg>", "svg_external"),
    ("script", HEAD.encode() + b"<script>alert(1)</script></svg>", "svg_script"),
    ("foreignObject", HEAD.encode() + b"<foreignObject><p>x</p></foreignObject></svg>",
     "svg_script"),
    ("event attribute", HEAD.encode() + b'<rect onload="alert(1)"/></svg>', "svg_script"),
    ("svg disguised as png", HEAD.encode() + b'<image href="'
     + embedded(b"<svg/>").encode() + b'"/></svg>', "bad_image"),
    ("svg data", HEAD.encode() + b'<image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>',
     "svg_external"),
    ("use loop", HEAD.encode() + b'<g id="a"><use href="#a"/></g></svg>', "svg_too_complex"),
    ("gradient loop", HEAD.encode() + b'<linearGradient id="a" href="#b"/>'
     b'<linearGradient id="b" href="#a"/></svg>', "svg_too_complex"),
    ("not svg", b"<html><body/></html>", "bad_image"),
    ("not xml", b"\x89PNG\r\n\x1a\n", "bad_image"),
])
def test_a_drawing_that_could_reach_outside_or_run_away_is_refused(
        name: str, svg: bytes, code: str) -> None:
    checked = sanitise_svg(svg)
    assert (checked.problem, checked.data) == (code, b""), (name, checked.detail)


def test_only_the_rebuilt_document_is_given_to_qt() -> None:
    # Illustrator's bare DOCTYPE is harmless and common: kept out, not refused. So are other
    # programs' own elements and attributes, comments and processing instructions.
    svg = ('<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><!-- made by hand -->'
           '<?custom thing?>'
           '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="10" height="10">'
           '<inkscape:grid/><g inkscape:label="Layer &amp; 1" xml:space="preserve">'
           '<linearGradient id="g"><stop offset="0"/></linearGradient>'
           '<rect id="r" width="5" height="5" fill="url(#g)"/><use xlink:href="#r"/>'
           '<text>a &lt; b</text></g></svg>')
    checked = sanitise_svg(svg.encode())
    assert checked.ok, checked.detail
    text = checked.data.decode()
    for gone in ("DOCTYPE", "inkscape", "made by hand", "custom"):
        assert gone not in text
    for kept in ('xlink:href="#r"', 'fill="url(#g)"', 'xml:space="preserve"', "a &lt; b"):
        assert kept in text
    assert fromstring(checked.data).tag == "{http://www.w3.org/2000/svg}svg"


def test_embedded_pictures_pass_when_small_and_are_capped_together() -> None:
    one = f'<image width="10" height="10" href="{embedded(png_header(1000, 1000))}"/>'
    assert sanitise_svg((HEAD + one + "</svg>").encode()).ok
    # A few bytes each that would decode to 64 MB each: the 1.4 GB.
    bomb = f'<image width="10" height="10" href="{embedded(png_header(4000, 4000))}"/>' * 2
    checked = sanitise_svg((HEAD + bomb + "</svg>").encode())
    assert checked.problem == "svg_too_complex"


def test_a_use_fan_out_is_measured_without_expanding_it() -> None:
    # 2.8 KB: 10**12 rectangles once expanded; it held check and preview for over a minute.
    svg = fan_out(12, 10).encode()
    assert len(svg) < 3000
    started = time.perf_counter()
    checked = sanitise_svg(svg)
    assert time.perf_counter() - started < 1.0
    assert checked.problem == "svg_too_complex"
    assert "<use>" in checked.detail
    assert sanitise_svg(fan_out(3, 10).encode()).ok  # 1,000 repeats: an ordinary pattern


def test_depth_is_capped_without_recursion() -> None:
    deep = HEAD + "<g>" * 200_000 + "</g>" * 200_000 + "</svg>"
    assert sanitise_svg(deep.encode()).problem == "svg_too_complex"


def test_size_and_element_caps() -> None:
    big = HEAD + "<!--" + "x" * MAX_SVG_BYTES + "--></svg>"
    assert sanitise_svg(big.encode()).problem == "svg_too_complex"
    many = HEAD + '<rect width="1" height="1"/>' * (MAX_ELEMENTS + 1) + "</svg>"
    assert sanitise_svg(many.encode()).problem == "svg_too_complex"


@pytest.mark.parametrize("make", [
    lambda n: HEAD + '<rect width="1" height="1" style="fill:url(#a)"/>' * n + "</svg>",
    lambda n: HEAD + '<path d="' + "M1 2 " * (n * 5) + '" marker-mid="url(#m)"/></svg>',
    lambda n: HEAD + "<style>" + "a{fill:url(#x)}" * (n * 2) + "</style></svg>",
    lambda n: HEAD + '<g id="a">' + '<use href="#a"/>' * n + "</g></svg>",
])
def test_checking_time_grows_linearly_with_size(make: object) -> None:
    assert callable(make)
    small, large = make(1_000).encode(), make(10_000).encode()
    ratio = fastest_of_three(sanitise_svg, large) / fastest_of_three(sanitise_svg, small)
    # Ten times the input: linear is 10, quadratic 100; room for a busy machine between.
    assert ratio < 35, ratio


def test_hostile_drawings_are_named_by_kiosk_check(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/a.svg")}, images={
        "images/a.svg": ATTLIST,
        "colouring/fan.svg": fan_out(12, 10),
        "colouring/ok.svg": HEAD + '<rect width="50" height="50"/></svg>',
    })
    content = load_content(root)
    assert content.stories == ()
    assert [p.id for p in content.colouring] == ["ok"]
    errors = {(Path(p.path).name, p.code) for p in content.problems if p.is_error}
    assert errors == {("x.md", "svg_doctype"), ("fan.svg", "svg_too_complex")}


def rules(count: int) -> str:
    return "".join(f"g.c{i} rect.d{i}{{fill:#{i % 4096:03x}}}" for i in range(count))


def rects(count: int, extra: str = "") -> str:
    return "".join(f'<rect class="d{i % 50}" width="1" height="1"{extra}/>' for i in range(count))


@pytest.mark.parametrize(("what", "svg"), [
    # The attack's 900 KB poster, in small: QtSvg matches every rule against every element
    # while loading, holding the GIL (8 s for 20,000 rules on 9,000 rectangles).
    ("a large style sheet", HEAD + f"<style>{rules(4_000)}</style>{rects(10)}</svg>"),
    ("many selectors in a small one",
     HEAD + "<style>" + ",".join(f".c{i}" for i in range(3_000)) + "{fill:red}</style></svg>"),
    ("a few rules on many elements",
     HEAD + f"<style>{rules(600)}</style>{rects(9_000)}</svg>"),
    ("style attributes", HEAD + rects(9_000, ' style="fill:#123456;' + "x" * 250 + '"')
     + "</svg>"),
])
def test_a_drawing_too_costly_to_style_is_refused_before_qt_loads_it(what: str,
                                                                     svg: str) -> None:
    started = time.perf_counter()
    checked = sanitise_svg(svg.encode())
    assert checked.problem == "svg_too_complex", what
    assert time.perf_counter() - started < 1.0


def test_a_drawing_styled_as_illustrator_does_passes() -> None:
    # One rule per colour (.st0 … .st99) on a few thousand shapes, as Illustrator writes.
    sheet = "".join(f".st{i}{{fill:#{i:03x};stroke:#000}}" for i in range(100))
    shapes = "".join(f'<rect class="st{i % 100}" width="1" height="1"/>' for i in range(4_000))
    assert sanitise_svg((HEAD + f"<style>{sheet}</style>{shapes}</svg>").encode()).ok


def test_a_dash_pattern_too_fine_for_its_drawing_is_refused() -> None:
    # Qt draws thousands of dashes on each segment whatever the scale: twenty such paths held
    # one uninterruptible draw for 2.7 s.
    path = '<path fill="none" stroke="#000" d="M0 0' + " L100 100 L0 100 L100 0" * 50 + '"/>'
    path *= 3  # 450 segments: about 0.4 s
    for dashed in (path.replace("<path", '<path stroke-dasharray="0.0001"'),
                   f'<g style="stroke-dasharray: 0.0001">{path}</g>',
                   f"<style>path {{ stroke-dasharray: 0.0001 }}</style>{path}"):
        assert sanitise_svg((HEAD + dashed + "</svg>").encode()).problem == "svg_too_complex"
    # The bundled city map's dashes: a fiftieth of the drawing.
    coarse = path.replace("<path", '<path stroke-dasharray="4 16"')
    assert sanitise_svg((HEAD + coarse * 7 + "</svg>").encode()).ok


SMALL = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
         '<rect width="5" height="5"/></svg>')


@pytest.mark.parametrize(("encoding", "data"), [
    ("UTF-7", f'<?xml version="1.0" encoding="UTF-7"?>{SMALL}'.encode()),
    ("Shift_JIS", f'<?xml version="1.0" encoding="Shift_JIS"?>{SMALL}'.encode()),
    ("GBK", f"<?xml version='1.0' encoding='GBK'?>{SMALL}".encode()),
    ("Big5", f'<?xml version="1.0" encoding="Big5"?>{SMALL}'.encode()),
    ("EBCDIC", f'<?xml version="1.0" encoding="x-no-such-thing"?>{SMALL}'.encode()),
    ("UTF-32", f'<?xml version="1.0" encoding="UTF-32"?>{SMALL}'.encode("utf-32")),
])
def test_a_drawing_in_an_encoding_expat_cannot_read_is_refused(encoding: str,
                                                               data: bytes) -> None:
    # Each raised ValueError or LookupError out of the parser: kiosk check and the kiosk's
    # start ended in a traceback.
    checked = sanitise_svg(data)
    assert checked.problem == "svg_encoding", (encoding, checked.detail)


@pytest.mark.parametrize("data", [
    f'<?xml version="1.0" encoding="UTF-16"?>{SMALL}'.encode("utf-16"),
    f'<?xml version="1.0" encoding="windows-1251"?>{SMALL}'.replace(
        "<rect", "<title>Зонтик</title><rect").encode("cp1251"),
    f'<?xml version="1.0" encoding="us-ascii"?>{SMALL}'.encode(),
])
def test_a_drawing_in_an_encoding_expat_reads_passes(data: bytes) -> None:
    checked = sanitise_svg(data)
    assert checked.ok, checked.detail
    assert checked.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_a_drawing_the_parser_chokes_on_is_named_by_kiosk_check(tmp_path: Path) -> None:
    seven = f'<?xml version="1.0" encoding="UTF-7"?>{SMALL}'
    root = make_folder(tmp_path / "c", stories={"x.md": story(photo="images/a.svg")}, images={
        "images/a.svg": seven, "colouring/b.svg": seven.replace("UTF-7", "Shift_JIS"),
        "colouring/ok.svg": SMALL})
    content = load_content(root)  # raised ValueError: multi-byte encodings are not supported
    assert content.stories == ()
    assert [p.id for p in content.colouring] == ["ok"]
    errors = {(Path(p.path).name, p.code) for p in content.problems if p.is_error}
    assert errors == {("x.md", "svg_encoding"), ("b.svg", "svg_encoding")}


def test_a_refused_drawing_is_explained_in_one_language_at_a_time(tmp_path: Path) -> None:
    rules = "".join(f"g.c{i} rect{{fill:red}}" for i in range(6000))
    root = make_folder(tmp_path / "c", stories={"x.md": story()}, images={
        "colouring/sheet.svg": HEAD + f"<style>{rules}</style></svg>"})
    problem = next(p for p in load_content(root).problems if p.code == "svg_too_complex")
    russian, english = problem.message("ru"), problem.message("en")
    assert "64 КБ" in russian and "style sheets" not in russian
    assert "64 KB" in english and not any("а" <= c <= "я" for c in english.lower())


def test_a_drawing_too_costly_to_style_names_its_counts_in_russian_that_agrees(
        tmp_path: Path) -> None:
    """«1202 селекторов CSS на 9001 элементов»: a count glued to a noun in one form."""
    root = make_folder(tmp_path / "c", stories={"x.md": story()}, images={
        "colouring/sheet.svg": HEAD + f"<style>{rules(601)}</style>{rects(9_000)}</svg>"})
    problem = next(p for p in load_content(root).problems if p.code == "svg_too_complex")
    assert re.search(r"\(селекторов CSS: \d+, элементов: \d+\)", problem.message("ru"))
    assert re.search(r"\(\d+ CSS selectors on \d+ elements\)", problem.message("en"))
