"""Names a Linux or macOS computer can give a file and Windows cannot hold.

Head office publishes from Linux or a Mac; the centres' staff open and copy the folder on
Windows (the editor's share, Explorer, robocopy), where such a file cannot be opened, copied
or deleted, and a name ending in a dot or a space is even found under another name."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from kiosk.core.lazyre import LazyPattern

# The characters Windows refuses in a name (and the control characters).
_FORBIDDEN = LazyPattern(r'[:*?"<>|\\\x00-\x1f]+')
_DASH_BEFORE_SUFFIX = LazyPattern(r"-+(?=\.[^.]*$|$)")
_UNDECODED = LazyPattern("[\udc80-\udcff]")
# Device names Windows keeps for itself, with any extension: «CON.md», «lpt1.png».
_RESERVED = LazyPattern(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?", re.IGNORECASE)


# Names joined by «/» (which no name holds), searched in a few passes: a folder of 37,000
# names costs a few ms (a search for each name took ~30 times as long).
_RESERVED_JOINED = LazyPattern(r"/(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?=[./])")


def troubled(names: Sequence[str]) -> list[str]:
    """Those of `names` that Windows cannot hold (each then told by windows_trouble)."""
    joined = "/" + "/".join(names) + "/"
    hits = [match.start() for match in _FORBIDDEN.compiled.finditer(joined)]
    hits += [match.start() for match in _UNDECODED.compiled.finditer(joined)]
    hits += [match.start() + 1 for match in _RESERVED_JOINED.compiled.finditer(joined.lower())]
    for end in ("./", " /"):  # a dot or a space at a name's end
        at = joined.find(end)
        while at >= 0:
            hits.append(at)
            at = joined.find(end, at + 1)
    found: dict[str, None] = {}
    for at in sorted(hits):
        start = joined.rfind("/", 0, at + 1) + 1
        found[joined[start:joined.find("/", start)]] = None
    return list(found)


def windows_trouble(name: str) -> tuple[str, str]:
    """("", "") when Windows can hold `name`; else the problem code and the name to give it
    instead. Cheap for a usual name: called for each of 37,000 stories."""
    if _UNDECODED.search(name):  # bytes that are not UTF-8 (Python keeps them as surrogates)
        raw = os.fsencode(name)
        try:  # an old zip or disk from Windows: its names in Windows-1251
            fixed = raw.decode("cp1251")
        except UnicodeDecodeError:
            fixed = raw.decode("utf-8", "replace").replace("\ufffd", "-")
        return "name_not_utf8", windows_trouble(fixed)[1] or fixed
    if _FORBIDDEN.search(name):
        # «a:b.md» → «a-b.md», «x?.svg» → «x.svg»
        fixed = _DASH_BEFORE_SUFFIX.sub("", _FORBIDDEN.sub("-", name)).rstrip(". ")
        return "windows_name_chars", fixed or "-"
    if name.endswith((".", " ")):
        return "windows_name_end", name.rstrip(". ") or "-"
    if _RESERVED.fullmatch(name):
        stem, dot, suffix = name.partition(".")
        return "windows_name_reserved", f"{stem}-1{dot}{suffix}"
    return "", ""


def forbidden_characters(name: str) -> str:
    """The characters of `name` Windows refuses, each once, as staff would read them."""
    found = dict.fromkeys("".join(_FORBIDDEN.compiled.findall(name)))
    return " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in found)


def shown_name(name: str) -> str:
    """`name` as a message can show it: bytes that are not UTF-8 as «�»."""
    return os.fsencode(name).decode("utf-8", "replace") if _UNDECODED.search(name) else name
