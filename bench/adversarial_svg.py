"""Checking time against size for hostile SVG drawings, up to the size cap, and the probe's time.

    python bench/adversarial_svg.py

For each shape of drawing made to trip the checker up (long path data with markers, a long
style sheet of url(#…) or of rules, style attributes, many attributes, one long text, embedded
data, many <use>, deep nesting, a <use> fan-out), kiosk.core.content.imagesafe.sanitise_svg is timed
at a sixteenth, a quarter and all of MAX_SVG_BYTES (shapes that hit another cap first are
refused as soon as they do, in the time shown). Linear checking takes about four times as long
at the cap as at a quarter of it: `NAME.ratio` has a budget of 6. Then `kiosk check`'s probe
(parse, check, load and draw with a time budget) on the worst drawings within the caps: each
must be answered in seconds.
"""

from __future__ import annotations

import base64
import os
import struct
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Figure, report
from kiosk.core.content.imagesafe import MAX_SVG_BYTES, sanitise_svg

HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 1000 1000" width="1000" height="1000">')
RATIO_BUDGET = 6.0
CAP_SECONDS = 2.0
FLOOR_SECONDS = 0.0005


def _fill(unit: str, size: int, head: str = HEAD, tail: str = "</svg>") -> str:
    room = size - len(head.encode()) - len(tail.encode())
    return head + unit * max(1, room // len(unit.encode())) + tail


def _png(width: int, height: int) -> str:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    data = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))
    return base64.b64encode(data).decode()


SHAPES: dict[str, Callable[[int], str]] = {
    "path_markers": lambda n: _fill("L1 2 ", n, HEAD + '<path marker-mid="url(#m)" d="M0 0 ',
                                    '"/></svg>'),
    "sheet_urls": lambda n: _fill("a{fill:url(#x)}", n, HEAD + "<style>", "</style></svg>"),
    "sheet_rules": lambda n: _fill("g.a rect.b{fill:red}", n, HEAD + "<style>",
                                   "</style></svg>"),
    "style_attributes": lambda n: _fill('<rect style="fill:#123456;stroke:#000"/>', n),
    "attributes": lambda n: _attributes(n),
    "long_text": lambda n: _fill("Привет &amp; ", n, HEAD + "<text>", "</text></svg>"),
    "comment": lambda n: _fill("x", n, HEAD + "<!--", "--></svg>"),
    "embedded_base64": lambda n: HEAD + '<image href="data:image/png;base64,' + _png(10, 10)
    + "A" * max(0, n - 200) + '"/></svg>',
    "uses": lambda n: _fill('<use href="#a"/>', n, HEAD + '<rect id="a"/>'),
    "elements": lambda n: _fill("<g/>", n),
    "deep": lambda n: HEAD + "<g>" * (n // 7) + "</g>" * (n // 7) + "</svg>",
    "fan_out": lambda n: _fan_out(n),
}


def _attributes(size: int) -> str:
    count = max(1, (size - len(HEAD) - 20) // 20)
    return HEAD + "<rect" + "".join(f' a{i}="url(#x)"' for i in range(count)) + "/></svg>"


def _fan_out(size: int) -> str:
    width = 10
    levels = max(2, size // 400)
    parts = [HEAD, '<defs><rect id="l0" width="1" height="1"/>']
    for level in range(1, levels):
        uses = f'<use xlink:href="#l{level - 1}"/>' * width
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append(f'</defs><use xlink:href="#l{levels - 1}"/></svg>')
    return "".join(parts)


def _seconds(data: bytes) -> tuple[float, str]:
    best = float("inf")
    verdict = ""
    for _ in range(3):
        started = time.perf_counter()
        checked = sanitise_svg(data)
        best = min(best, time.perf_counter() - started)
        verdict = checked.problem or "ok"
    return best, verdict


def sanitiser_figures() -> list[Figure]:
    figures: list[Figure] = []
    sizes = (MAX_SVG_BYTES // 16, MAX_SVG_BYTES // 4, MAX_SVG_BYTES - 1000)
    for name, make in SHAPES.items():
        times = []
        for size in sizes:
            data = make(size).encode()
            seconds, verdict = _seconds(data)
            times.append(seconds)
            print(f"# {name}: {len(data) / 1e6:.2f} MB {seconds * 1000:.1f} ms {verdict}",
                  flush=True)
        ratio = max(times[2], FLOOR_SECONDS) / max(times[1], FLOOR_SECONDS)
        figures.append(Figure(f"svg.{name}.at_cap", times[2], "s", CAP_SECONDS))
        figures.append(Figure(f"svg.{name}.ratio", ratio, "x", RATIO_BUDGET))
    return figures


def probe_figures() -> list[Figure]:
    """The probe on drawings within every cap that are slow to draw: answered in seconds."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from kiosk.ui.resources import probe_image

    app = QGuiApplication.instance() or QGuiApplication([])
    assert app is not None
    drawings = {
        "layers": "".join(
            f'<circle cx="500" cy="500" r="{450 - i % 400}" fill="#{i % 4096:03x}" '
            'fill-opacity="0.5" stroke="#000" stroke-width="25" stroke-opacity="0.5"/>'
            for i in range(9_900)),
        "texts": "".join(f'<text x="{i % 900}" y="{i // 20}" font-size="300" '
                         'fill-opacity="0.5">Привет мир, как дела</text>' for i in range(9_900)),
        "big_rects": "".join(f'<rect x="{i % 100}" y="{i // 100}" width="900" height="900" '
                             f'fill="#{i % 4096:03x}" stroke="#000"/>' for i in range(9_900)),
        "filters": '<defs><filter id="f"><feGaussianBlur stdDeviation="200"/></filter></defs>'
        + '<rect width="1000" height="1000" filter="url(#f)"/>' * 2000,
        "patterns": '<defs><pattern id="p" width="0.01" height="0.01" '
        'patternUnits="userSpaceOnUse"><rect width="0.005" height="0.005"/></pattern></defs>'
        + '<rect width="1000" height="1000" fill="url(#p)"/>' * 1000,
        # Within the style caps (2,000 selector parts, 2 M parts × elements): QtSvg matches
        # every part of every selector against each element and its ancestors as it loads.
        # Each selector matches its last part, walks up 60 ancestors and fails at the top.
        "style_rules": "<style>" + ("text " * 31 + "rect{fill:red}") * 60 + "</style>"
        + "<g>" * 60 + '<rect width="9" height="9"/>' * 950 + "</g>" * 60,
        "style_attributes": ('<rect width="9" height="9" style="fill:#123456;stroke:#000;'
                             + "stroke-width:2;" * 12 + 'opacity:0.5"/>') * 7_500,
        "fine_dashes": '<path fill="none" stroke="#000" stroke-dasharray="0.0001" d="M0 0'
        + " L1000 1000 L0 1000 L1000 0" * 60 + '"/>',
    }
    figures: list[Figure] = []
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / "kiosk-bench-svg"
    folder.mkdir(exist_ok=True)
    for name, body in drawings.items():
        path = folder / f"{name}.svg"
        path.write_text(HEAD + body + "</svg>", encoding="utf-8")
        started = time.perf_counter()
        check = probe_image(path)
        seconds = time.perf_counter() - started
        print(f"# probe {name}: {path.stat().st_size / 1e6:.2f} MB {seconds:.2f} s "
              f"{check.problem or 'ok'}", flush=True)
        figures.append(Figure(f"svg.probe.{name}", seconds, "s", 5.0))
    return figures


def main() -> int:
    return report(sanitiser_figures() + probe_figures())


if __name__ == "__main__":
    sys.exit(main())
