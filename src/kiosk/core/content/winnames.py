"""Names a Linux or macOS computer can give a file and Windows cannot hold.

Head office publishes from Linux or a Mac; the centres' staff open and copy the folder on
Windows (the editor's share, Explorer, robocopy), where such a file cannot be opened, copied
or deleted, and a name ending in a dot or a space is even found under another name."""

from __future__ import annotations

import os
from collections.abc import Sequence

from kiosk.core.lazyre import LazyPattern

# The characters Windows refuses in a name (and the control characters).
_FORBIDDEN = LazyPattern(r'[:*?"<>|\\\x00-\x1f]+')
_DASH_BEFORE_SUFFIX = LazyPattern(r"-+(?=\.[^.]*$|$)")
_BAD = frozenset(':*?"<>|\\' + "".join(map(chr, range(32))))
# Device names Windows keeps for itself, with any extension: «CON.md», «lpt1.png», «nul .md».
_DEVICES = frozenset(("con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt")
                                                     for n in range(1, 10))))
_DEVICE_STARTS = frozenset(device[:3] for device in _DEVICES)
_BAD_ORDERED = sorted(_BAD, reverse=True)  # the likelier first: «|», «?», «:»


def troubled(names: Sequence[str]) -> list[str]:
    """Those of `names` that Windows cannot hold (each then told by windows_trouble): all of
    them looked at as one text, and each only when one may be (37,000 names: ~10 ms; a look
    at each took ~70 ms)."""
    joined = "/" + "/".join(names) + "/"  # «/» is in no name
    if any(c in joined for c in _BAD_ORDERED) or "./" in joined or " /" in joined \
            or not (joined.isascii() or _encodes(joined)):
        return [name for name in names if windows_trouble(name)[0]]
    return [name for name in names  # «CON.md», «lpt1.png», «nul»
            if name[:3].lower() in _DEVICE_STARTS and windows_trouble(name)[0]]


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def windows_trouble(name: str) -> tuple[str, str]:
    """("", "") when Windows can hold `name`; else the problem code and the name to give it
    instead, itself one Windows can hold. No regular expression for a usual name: a start
    from the content index compiles none before its first frame (tests/ui/test_first_frame.py)."""
    code, fixed = _first_trouble(name)
    # One fix can lead to another trouble: «con:.md» → «con.md», a device's name.
    for _ in range(3):  # characters, then the end, then a device: each fixed once for good
        if not code or not (after := _first_trouble(fixed)[1]):
            break
        fixed = after
    return code, fixed


def _first_trouble(name: str) -> tuple[str, str]:
    """windows_trouble's first trouble with `name` and its fix, which may have another."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 (Python keeps them as surrogates)
        raw = os.fsencode(name)
        try:  # an old zip or disk from Windows: its names in Windows-1251
            fixed = raw.decode("cp1251")
        except UnicodeDecodeError:
            fixed = raw.decode("utf-8", "replace").replace("\ufffd", "-")
        return "name_not_utf8", fixed
    if not _BAD.isdisjoint(name):
        # «a:b.md» → «a-b.md», «x?.svg» → «x.svg»
        dashed = _FORBIDDEN.sub("-", name)
        fixed = _DASH_BEFORE_SUFFIX.sub("", dashed).rstrip(". ")
        if fixed.startswith(".") and not name.startswith("."):
            # «?.md» → «-.md», not «.md»: a dot name is one the kiosk never reads.
            fixed = dashed.rstrip(". ")
        return "windows_name_chars", fixed or "-"
    if name.endswith((".", " ")):
        return "windows_name_end", name.rstrip(". ") or "-"
    stem, dot, suffix = name.partition(".")
    # Windows drops the spaces before the extension too: «con .md» is the console, as
    # «con.md» is (CPython's ntpath.isreserved says the same); the fix drops them.
    if (device := stem.rstrip(" ")).lower() in _DEVICES:
        return "windows_name_reserved", f"{device}-1{dot}{suffix}"
    return "", ""


def forbidden_characters(name: str) -> str:
    """The characters of `name` Windows refuses, each once, as staff would read them."""
    found = dict.fromkeys("".join(_FORBIDDEN.compiled.findall(name)))
    return " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in found)


def shown_name(name: str) -> str:
    """`name` as a message can show it: bytes that are not UTF-8 as «�»."""
    return os.fsencode(name).decode("utf-8", "replace") if windows_trouble(name)[0] == \
        "name_not_utf8" else name
