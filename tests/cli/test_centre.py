"""`kiosk check` and `kiosk preview` with the centre's own folder beside head office's: each
item and each problem says which folder it came from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import make_folder, story


def kiosk(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, args)], capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env})


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    shared = make_folder(tmp_path / "content", stories={
        "a.md": story("Общая история"), "b.md": story("Вторая общая", titel="опечатка")})
    centre = make_folder(tmp_path / "centre", stories={
        "ours.md": story("Наша история"), "broken.md": story("Сломанная", photo="images/x.png")})
    return shared, centre


def test_check_text_names_the_folder_of_each_problem_and_counts_each(
        folders: tuple[Path, Path]) -> None:
    shared, centre = folders
    result = kiosk("check", shared, "--centre", centre)
    assert result.returncode == 1, result.stdout  # the centre's broken story is an error
    lines = result.stdout.splitlines()
    assert f"центр: {centre / 'stories' / 'broken.md'}:3: ошибка: " in result.stdout
    assert any(line.startswith(f"общие: {shared / 'stories' / 'b.md'}:3: предупреждение")
               for line in lines)
    assert f"Общие материалы головного офиса ({shared}): историй: 2," in result.stdout
    assert f"Материалы центра ({centre}): историй: 1," in result.stdout
    english = kiosk("check", shared, "--centre", centre, "--lang", "en")
    assert f"centre: {centre / 'stories' / 'broken.md'}:3: error: " in english.stdout
    assert f"The centre's own ({centre}): stories: 1," in english.stdout


def test_check_json_gives_each_problems_origin_and_each_folders_counts(
        folders: tuple[Path, Path]) -> None:
    shared, centre = folders
    # The centre's folder from the environment, as the service gives it.
    result = kiosk("check", shared, "--format", "json", KIOSK_CENTRE_CONTENT=str(centre))
    report = json.loads(result.stdout)
    assert report["centre"] == str(centre)
    assert report["by_origin"]["shared"]["stories"] == 2
    assert report["by_origin"]["centre"]["stories"] == 1
    origins = {Path(p["path"]).name: p["origin"] for p in report["problems"]}
    assert origins["broken.md"] == "centre" and origins["b.md"] == "shared"


def test_check_without_the_centre_folder_says_so_and_checks_head_offices(
        folders: tuple[Path, Path], tmp_path: Path) -> None:
    shared, _ = folders
    result = kiosk("check", shared, "--centre", tmp_path / "not-made")
    assert result.returncode == 0, result.stdout
    assert f"Папки материалов центра {tmp_path / 'not-made'} нет" in result.stdout
    assert "историй: 2" in result.stdout


def test_the_contact_sheet_shows_where_each_item_came_from(folders: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    shared, centre = folders
    out = tmp_path / "out"
    result = kiosk("preview", shared, "--centre", centre, "--out", out, "--size", "1920x1080")
    assert result.returncode == 0, result.stderr
    sheet = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="origin centre">центр</span>Наша история' in sheet
    assert '<span class="origin shared">общие</span>Общая история' in sheet
    assert (out / "story-003-ours.png").is_file()
