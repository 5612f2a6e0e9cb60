"""`kiosk check` on a scanned drawing with small breaks: a warning that names the breaks and
the fix, not a pass and not «похожа на фотографию»; the bundled pictures still pass."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import kiosk
from tests.drawings import BREAK, drawing, photographed, png
from tests.helpers import copy_bundled


def test_check_warns_about_a_drawing_that_floods_on_one_tap(tmp_path: Path) -> None:
    root = copy_bundled(tmp_path)
    (root / "colouring" / "scan.png").write_bytes(png(photographed(drawing(breaks=BREAK))))
    (root / "colouring" / "marker.png").write_bytes(png(drawing(breaks=BREAK)))
    (root / "colouring" / "house.png").write_bytes(png(drawing()))
    result = kiosk("check", root)
    assert result.returncode == 0, result.stdout  # a warning: the picture is still shown
    lines = [line for line in result.stdout.splitlines() if "colouring" + "/" in line]
    for name in ("scan.png", "marker.png"):
        (said,) = [line for line in lines if f"colouring/{name}:" in line]
        assert "предупреждение: в линиях картинки" in said
        assert "одно касание закрашивает почти весь лист" in said
        assert "Замкните контуры" in said and "мастер раскрасок" in said
        assert "фотографи" not in said.split("сфотографированный")[0]
    # The same drawing without breaks, and every bundled picture, pass.
    assert not [line for line in lines if "house.png" in line or ".svg:" in line], lines
    english = kiosk("check", root, "--lang", "en").stdout
    assert "one tap colours nearly the whole sheet" in english
