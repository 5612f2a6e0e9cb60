"""PySide6 looks at every module imported after it for the word «PySide6» (for its
`from __feature__ import …` switches, which the kiosk does not use). It asks inspect.getsource,
which reads each file into linecache and checks where it came from: for the ~250 modules
`kiosk run` imports after Qt, about 30 ms of CPU before the first frame (of a 0.2 s budget) and
3 MB of linecache. The same question answered from the file's bytes gives the same answer.

Only an optimisation: with a PySide6 that no longer has the function, nothing is changed."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import ModuleType

import PySide6  # noqa: F401  (loads shiboken's support modules, which hold the check)

# Python's own library (not the packages installed in it) never names PySide6: its ~80
# modules imported after Qt are answered without reading them (2–3 ms of the start; the
# answers are still PySide6's, tests/ui/test_pyside_feature.py).
_OS_FILE: str | None = getattr(os, "__file__", None)
_STDLIB = os.path.dirname(_OS_FILE) + os.sep if _OS_FILE else None
_PACKAGES = ("site-packages", "dist-packages")


def in_standard_library(path: str) -> bool:
    """Whether the module file `path` is one of Python's own, not an installed package's."""
    if _STDLIB is None or not path.startswith(_STDLIB):
        return False
    return path[len(_STDLIB):].split(os.sep, 1)[0] not in _PACKAGES


def quicker_feature_check() -> bool:
    """Replace the check with one that reads the file; True if it was replaced (or already)."""
    feature = sys.modules.get("shibokensupport.feature")
    original: object = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if getattr(original, "kiosk_quicker", False):
        return True
    code = getattr(original, "__code__", None)
    if code is None or code.co_argcount != 1:
        return False  # not the function this replaces (another PySide6): left as it is
    check: Callable[[ModuleType], bool] = original

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            if in_standard_library(path):
                return False
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return check(module)  # no source file of its own: PySide6's answer

    mod_uses_pyside.kiosk_quicker = True  # type: ignore[attr-defined]
    mod_uses_pyside.replaced = check  # type: ignore[attr-defined]  # tests compare the two
    feature._mod_uses_pyside = mod_uses_pyside  # type: ignore[attr-defined]
    return True
