"""No signal is connected to a wrapped C++ method: PySide 6.11 keeps about 100 bytes for good
for each such connection (`button.clicked.connect(widget.hide)`), and screens are rebuilt for
every child and every contrast switch. Measured alone: 5,000 widgets connected that way kept
466 KB; with `lambda: widget.hide()` or a Python method, nothing.

Read from the source, by name: a name the kiosk also defines somewhere (start, stop, close,
clear, …) passes unexamined, so this catches the Qt-only ones (hide, show, update,
deleteLater, setVisible, …), which are the usual slips."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

import kiosk

SOURCES = sorted(Path(kiosk.__file__).parent.rglob("*.py"))


def qt_method_names() -> set[str]:
    names: set[str] = set()
    for module in (QtCore, QtGui, QtWidgets):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            names.update(name for name in dir(cls) if not name.startswith("_"))
    return names


def ours(trees: list[ast.Module]) -> set[str]:
    """Methods defined in the kiosk, and its class attributes (Signals among them)."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    targets = (item.targets if isinstance(item, ast.Assign)
                               else [item.target] if isinstance(item, ast.AnnAssign) else [])
                    names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def test_no_connection_goes_to_a_wrapped_cpp_method() -> None:
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES]
    qt_only = qt_method_names() - ours(trees)
    found = [f"{path.name}:{node.lineno} .connect(…{node.args[0].attr})"
             for path, tree in zip(SOURCES, trees, strict=True)
             for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr == "connect" and node.args
             and isinstance(node.args[0], ast.Attribute) and node.args[0].attr in qt_only]
    assert found == []
