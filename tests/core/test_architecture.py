"""The core must run without Qt: it is imported in a fresh interpreter and checked."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "kiosk" / "core"


def test_no_core_module_imports_qt() -> None:
    offenders = []
    for path in CORE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names
                          if n.split(".")[0] in {"PySide6", "shiboken6", "qasync", "kiosk"}
                          and not n.startswith("kiosk.core")]
    assert offenders == []


def test_importing_the_core_loads_no_qt() -> None:
    modules = sorted(p.stem for p in CORE.glob("*.py") if p.stem != "__init__")
    code = ("import sys\n"
            + "".join(f"import kiosk.core.{m}\n" for m in modules)
            + "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_starting_the_kiosk_loads_nothing_it_may_never_need() -> None:
    """The attract loop needs none of these: numpy and OpenCV come with the colouring page,
    Qt's network module with a queue to follow, importlib.metadata with a queue adapter that
    is not built in (start-up time and memory budgets)."""
    code = ("import sys\nimport kiosk.cli, kiosk.ui.app, kiosk.ui.main_window\n"
            "print(sorted(m for m in ('numpy', 'cv2', 'PySide6.QtNetwork',"
            " 'importlib.metadata') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.strip() == "[]"
