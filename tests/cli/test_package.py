"""The kiosk as a package: the wheel carries its fonts, icons and bundled content, and an
installed `kiosk` finds them through importlib.resources, wherever it is run from.
The whole install, outside the repository, is scripts/test-wheel.sh (`make test-wheel`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk.core.paths import default_content, package_folder
from tests.helpers import BUNDLED, REPO, make_folder, story

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
DATA = ("assets", "content")


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_the_wheel_carries_every_module_asset_and_content_file(tmp_path: Path) -> None:
    """Built from a copy of the tree (links kept as links) with the locked setuptools, without
    build isolation: about 5 s."""
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, tree / name)
    for name in ("src", *DATA):
        shutil.copytree(REPO / name, tree / name, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
         str(tmp_path / "dist"), str(tree)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # setuptools warns of data folders it would skip (a package-data mistake): none.
    assert "WARNING" not in result.stdout + result.stderr
    (wheel,) = (tmp_path / "dist").glob("kiosk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    modules = {f"kiosk/{name}" for name in _files(REPO / "src" / "kiosk")
               if name.endswith(".py") or name == "py.typed"}
    data = {f"kiosk/{folder}/{name}" for folder in DATA for name in _files(REPO / folder)}
    assert modules - names == set()
    assert data - names == set()
    # The licences of the fonts and icons travel with them.
    assert {"kiosk/assets/fonts/LICENSE-PTSans.txt", "kiosk/assets/icons/tabler/LICENSE",
            "kiosk-0.1.0.dist-info/licenses/LICENSE"} <= names
    assert sum(n.startswith("kiosk/assets/fonts/") and n.endswith(".ttf") for n in names) == 3


def test_assets_and_bundled_content_are_package_data() -> None:
    """The package's own folders, read through importlib.resources: in this editable install
    the links src/kiosk/assets and src/kiosk/content lead to the repository's folders."""
    assert package_folder("assets") == (REPO / "assets").resolve()
    assert package_folder("content") == BUNDLED.resolve()
    assert (package_folder("assets") / "fonts" / "PTSans-Regular.ttf").is_file()
    for link in DATA:
        assert (REPO / "src" / "kiosk" / link).resolve() == (REPO / link).resolve()


def test_the_default_content_is_kiosk_content_else_the_bundled_one(tmp_path: Path) -> None:
    assert default_content({}) == BUNDLED.resolve()
    assert default_content({"KIOSK_CONTENT": ""}) == BUNDLED.resolve()
    assert default_content({"KIOSK_CONTENT": str(tmp_path)}) == tmp_path


@pytest.mark.parametrize("chosen", ["bundled", "KIOSK_CONTENT"])
def test_check_without_a_folder_anywhere(tmp_path: Path, chosen: str) -> None:
    """`kiosk check` run from any folder checks the bundled content, or $KIOSK_CONTENT."""
    env = dict(ENV)
    env.pop("KIOSK_CONTENT", None)
    if chosen == "KIOSK_CONTENT":
        env["KIOSK_CONTENT"] = str(make_folder(tmp_path / "mine", stories={"a.md": story()}))
    result = subprocess.run([sys.executable, "-m", "kiosk", "check"], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    stories = 1 if chosen == "KIOSK_CONTENT" else len(list((BUNDLED / "stories").glob("*.md")))
    assert f"историй: {stories}," in result.stdout
