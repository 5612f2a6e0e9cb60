"""A content folder built the way an attacker or a careless publisher would: every file that
once froze, crashed or filled the kiosk (issue 14, items 1–4 and 6), beside the bundled
content. The kiosk must show its first frame, keep pinging the watchdog, and `kiosk check`
must finish within seconds naming each of these files."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

from tests.helpers import copy_bundled, story

# name in the folder → what it does to a kiosk that trusts it
HOSTILE_FILES = {
    "stories/ref-image.md": "a reference-style image pointing at /dev/zero (Qt aborted)",
    "stories/nested-image.md": "an image with nested brackets pointing at a FIFO (UI hung)",
    "stories/alias-bomb.md": "YAML aliases expanding to a 52 MB error message",
    "colouring/dtd.svg": "an <image> href given by the DTD, pointing at a FIFO",
    "colouring/fan-out.svg": "a 3 KB <use> fan-out that QtSvg expands for minutes",
    "stories/fifo.md": "a FIFO named like a story",
    # Found by the attacker review after the first fixes:
    "posters/utf7.svg": "an SVG in UTF-7 (expat raised ValueError: run and check crashed)",
    "colouring/css.svg": "a style sheet of 6,000 rules on 3,000 elements (QtSvg's load held "
                         "the GIL for seconds)",
    "colouring/ztxt.png": "100 zTXt chunks of 7.9 MB each in 800 KB (Qt aborted, bad_alloc)",
    "stories/quotes.md": "250 KB of '>' (one word: check took 97 s, each opening 2.3 s)",
}
# Files that were harmful only through a bug, and are sound content now: read as any other.
HARMLESS_NOW = {
    "stories/quadratic.md": "blank lines then '=x': quadratic in the English separator",
}


def _alias_bomb() -> str:
    lines = ["---", "title: Бомба", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    lines += ["tags: *a8", "---", "Текст.", ""]
    return "\n".join(lines)


def _fan_out_svg() -> str:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' viewBox="0 0 100 100"><defs><path id="l0" d="M0 0 L100 100" stroke="black"/>']
    for level in range(1, 12):
        uses = "".join(f'<use xlink:href="#l{level - 1}"/>' for _ in range(10))
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append('</defs><use xlink:href="#l11"/></svg>')
    return "".join(parts)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _ztxt_bomb_png() -> bytes:
    text = zlib.compress(b"A" * 7_900_000, 9)
    chunks = b"".join(_chunk(b"zTXt", b"k%d\x00\x00" % i + text) for i in range(100))
    pixels = zlib.compress((b"\x00" + b"\x80" * 30) * 10, 9)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 10, 10, 8, 2, 0, 0, 0))
            + chunks + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b""))


def _style_sheet_svg() -> str:
    rules = "".join(f"g.c{i} rect.d{i}{{fill:red}}" for i in range(6000))
    rects = "".join(f'<g class="c{i}"><rect class="d{i}" width="1" height="1"/></g>'
                    for i in range(3000))
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600">'
            f"<style>{rules}</style>{rects}</svg>")


def hostile_folder(tmp_path: Path) -> Path:
    root = copy_bundled(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    files = {
        "stories/ref-image.md": story("Ссылка", "Текст.\n\n![x][r]\n\n[r]: /dev/zero\n"),
        "stories/nested-image.md": story("Скобки", f"Текст.\n\n![a [b] c]({fifo})\n"),
        "stories/quadratic.md": story("Пустые строки", "\n" * 60_000 + "=x"),
        "stories/alias-bomb.md": _alias_bomb(),
        "colouring/dtd.svg": (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE svg [<!ATTLIST image href CDATA "{fifo}">]>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
            '<image width="100" height="100"/><path d="M0 0 L100 100" stroke="black"/></svg>'),
        "colouring/fan-out.svg": _fan_out_svg(),
        "posters/utf7.svg": (
            '<?xml version="1.0" encoding="UTF-7"?><svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 8 6">+ADw-image href=+ACI-{fifo}+ACI-/+AD4-</svg>'),
        "colouring/css.svg": _style_sheet_svg(),
        "stories/quotes.md": story("Цитаты", ">" * 250_000),
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "colouring" / "ztxt.png").write_bytes(_ztxt_bomb_png())
    os.mkfifo(root / "stories" / "fifo.md")
    return root
