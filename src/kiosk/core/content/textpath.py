"""A `Path` that is, in memory, little more than its text: for the 37,000 stories' files.

A `pathlib.Path` of Python 3.11 splits itself into parts as it is made: the object, a list of
its parts and a string for its name, ~280 bytes for each story's file on top of the path's
text, which the content index keeps anyway. `text_path(text)` makes one that holds that text
(the same string object: nothing copied) and splits it into parts only when something asks
for them (a parent, a comparison, a hash); `str()`, `os.fspath()`, `.name` and opening the
file never do. It is a `Path` in every other way: it compares, hashes and pickles as
`Path(text)` does, and whatever is made from it (`.parent`, `/ "x"`) is a split one.

Only where it was checked to behave as `Path(text)` does: Python 3.11's pathlib (3.12's makes
its parts lazily anyway), a path in its normal form (no `//`, `.` or trailing `/`, which
`Path()` would rewrite), and after a check at import of what it answers against `Path`'s
answers. Anywhere else `text_path` is plain `Path(text)`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PosixPath
from typing import Any

# Text that Path() would not keep as it is: a doubled slash, a "." part, a trailing slash.
_REWRITTEN = re.compile(r"//|(?:^|/)\.(?:/|$)|/$")
_PARSED = ("_drv", "_root", "_parts")  # pathlib 3.11's slots filled from the text


class _TextPath(PosixPath):
    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not set: the parts, the first time they are needed.
        if name not in _PARSED:
            raise AttributeError(name)
        drv, root, parts = self._parse_args((str(self),))
        object.__setattr__(self, "_drv", drv)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_parts", parts)
        return object.__getattribute__(self, name)

    @property
    def name(self) -> str:
        # Without splitting the rest: reloads and merges order and match 37,000 by name.
        return str(self).rpartition("/")[2]

    def __repr__(self) -> str:
        return f"PosixPath({self.as_posix()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path, (str(self),))  # an ordinary Path in another process


def _make(text: str) -> Path:
    path = object.__new__(_TextPath)
    object.__setattr__(path, "_str", text)
    return path


def _behaves() -> bool:
    """Whether a _TextPath answers as Path does here (another pathlib: it would not)."""
    if sys.version_info[:2] != (3, 11) or os.name != "posix":
        return False
    try:
        for text in ("/srv/kiosk/content/stories/a b.md", "stories/story-001.md", "x.md", "/x"):
            made, plain = _make(text), Path(text)
            if not (made == plain and plain == made and hash(made) == hash(plain)
                    and str(made) == text and made.parts == plain.parts
                    and made.name == plain.name and made.stem == plain.stem
                    and made.suffix == plain.suffix and made.parent == plain.parent
                    and made / "y" == plain / "y" and made.is_absolute() == plain.is_absolute()
                    and repr(made) == repr(plain) and os.fspath(made) == text
                    and made.with_suffix(".jpg") == plain.with_suffix(".jpg")
                    and _make(text).match("*") == plain.match("*")
                    and sorted([made, Path("/a")]) == sorted([plain, Path("/a")])):
                return False
        return True
    except Exception:  # any surprise: plain paths
        return False


_LAZY = _behaves()


def text_path(text: str) -> Path:
    """`Path(text)`, keeping `text` itself and splitting it into parts only when asked."""
    if _LAZY and text and _REWRITTEN.search(text) is None:
        return _make(text)
    return Path(text)
