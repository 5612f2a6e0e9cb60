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
    for path in CORE.rglob("*.py"):
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
    modules = sorted(".".join(p.relative_to(CORE).with_suffix("").parts)
                     for p in CORE.rglob("*.py") if p.stem != "__init__")
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


_RUN_THE_LOOP = """
import shutil, sys, tempfile
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.core.content.loader import load_content
from kiosk.core.content.video import is_video
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import load_fonts
from kiosk.ui.theme import Theme
load_fonts()
root = Path(tempfile.mkdtemp()) / "content"
shutil.copytree(sys.argv[1], root)
for clip in [p for p in root.rglob("*") if is_video(p)][int(sys.argv[2]):]:
    clip.unlink()  # argv[2] clips are kept
now = [1000.0]
window = KioskWindow(Theme(1920, 1080), load_content(root), lambda: now[0])
window.show()
attract = window.attract
for _ in range(2 * len(attract.playlist.slides)):  # every slide of the loop, twice over
    now[0] += attract.playlist.remaining(now[0]) + 0.01
    attract._next_slide()
    app.processEvents()
print(sorted(m for m in ("mpv", "kiosk.ui.video.mpvlib", "kiosk.ui.video.player")
             if m in sys.modules))
if attract.player is not None:
    attract.player.terminate()
"""


def test_the_loop_on_content_without_clips_never_loads_the_video_player(
        tmp_path: Path) -> None:
    """libmpv (~50 MB, docs/video.md) comes with the first clip and never before: the kiosk
    started on the bundled content less its clips runs its whole loop without it. The same
    content with one clip loads it (so the test sees an import when there is one)."""
    repo = CORE.parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_STATE_DIR": str(tmp_path)}
    runs = {}
    for kept in (0, 1):
        result = subprocess.run([sys.executable, "-c", _RUN_THE_LOOP, str(repo / "content"),
                                 str(kept)], capture_output=True, text=True, check=True,
                                env=env, cwd=repo, timeout=120)
        runs[kept] = result.stdout.strip().splitlines()[-1]
    assert runs[0] == "[]"
    if not any(p.suffix in (".mp4", ".webm") for p in (repo / "content").rglob("*")):
        return  # no bundled clip to try the other way round
    try:
        import mpv  # noqa: F401
    except (ImportError, OSError):
        return  # no libmpv here: nothing could load
    assert runs[1] == "['kiosk.ui.video.mpvlib', 'kiosk.ui.video.player', 'mpv']"


EDITOR = CORE.parent / "editor"
# The one editor module that runs the kiosk's renderer, in a child process of its own.
EDITOR_QT_MODULES = {"render_worker.py"}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_the_editor_server_imports_no_qt() -> None:
    """The editor is a web server beside the kiosk: Qt (about 100 MB) lives only in its
    render child, so the server stays small and a renderer crash cannot take it down."""
    offenders = [f"{path.name}: {name}" for path in EDITOR.rglob("*.py")
                 if path.name not in EDITOR_QT_MODULES for name in _imports(path)
                 if name.split(".")[0] in {"PySide6", "shiboken6", "qasync"}
                 or name.startswith("kiosk.ui")]
    assert offenders == []


def test_the_kiosk_never_imports_the_editor() -> None:
    """The kiosk's screen must not wait on, or load, the editor's web stack."""
    offenders = [f"{path.relative_to(CORE.parent)}: {name}"
                 for folder in (CORE, CORE.parent / "ui") for path in folder.rglob("*.py")
                 for name in _imports(path)
                 if name.startswith("kiosk.editor")
                 or name.split(".")[0] in {"flask", "werkzeug", "waitress", "PIL", "pillow_heif"}]
    assert offenders == []


def test_starting_the_editor_loads_no_image_libraries(tmp_path: Path) -> None:
    """numpy, OpenCV and Pillow (about 20 MB) load with the first photo or wizard request,
    not with the editor's server (bench/editor.py's idle memory budget)."""
    code = ("import sys\nfrom pathlib import Path\n"
            "from kiosk.core.pin import PinStore\n"
            "from kiosk.editor.app import create_app\n"
            "from kiosk.editor.config import EditorConfig\n"
            "state = Path(sys.argv[1]) / 'state'\nPinStore(state).set_pin('4829')\n"
            "create_app(EditorConfig(Path(sys.argv[2]), Path(sys.argv[1]) / 'centre', state))\n"
            "print(sorted(m for m in ('numpy', 'cv2', 'PIL', 'pillow_heif') if m in sys.modules))")
    content = CORE.parents[2] / "content"
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(content)],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
