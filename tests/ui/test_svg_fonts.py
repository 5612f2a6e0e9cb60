"""The texts of a drawing (a poster's SVG) are drawn in the kiosk's own font: naming it, they
load no other font (the system's default, DejaVu Sans, was loaded in each thread that drew one,
~0.2 MB, only for Qt to size the text up), and naming none, they are drawn in it too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from kiosk.ui.resources import load_fonts, render_image
from tests.helpers import kiosk_env, run_python

TEXT = '<text x="40" y="200" {family} font-size="120" fill="#143761">Спасибо</text>'


def drawing(path: Path, family: str) -> Path:
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="300" '
                    'viewBox="0 0 800 300"><rect width="800" height="300" fill="#FFFFFF"/>'
                    + TEXT.format(family=family) + "</svg>", encoding="utf-8")
    return path


def test_a_drawing_naming_the_kiosks_font_loads_no_other(tmp_path: Path) -> None:
    # In a process of its own: another test may have drawn with the default font.
    poster = drawing(tmp_path / "poster.svg", 'font-family="PT Sans" font-weight="bold"')
    done = run_python(
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QSize\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from kiosk.ui.resources import load_fonts, render_image\n"
        "app = QApplication([])\n"
        "load_fonts()\n"
        "def draw():\n"  # in a thread, as the photo loader does; its fonts go with it
        "    shown = not render_image(Path(sys.argv[1]), QSize(800, 300)).isNull()\n"
        "    fonts = {line.split()[-1] for line in open('/proc/self/maps')\n"
        "             if line.rstrip().endswith(('.ttf', '.otf', '.pfb', '.ttc'))}\n"
        "    print(shown); print(*sorted(fonts), sep='\\n')\n"
        "worker = threading.Thread(target=draw)\n"
        "worker.start(); worker.join()\n",
        str(poster), env=kiosk_env(tmp_path))
    assert done.returncode == 0, done.stderr
    shown, *fonts = done.stdout.split()
    assert shown == "True"  # drawn
    assert any("PTSans-Bold" in font for font in fonts)
    assert [font for font in fonts if "/assets/fonts/PTSans-" not in font] == []


def test_a_drawings_text_naming_no_font_is_drawn_in_the_kiosks(
        qtbot: QtBot, tmp_path: Path) -> None:
    load_fonts()
    plain = render_image(drawing(tmp_path / "plain.svg", ""), QSize(800, 300))
    named = render_image(drawing(tmp_path / "named.svg", 'font-family="PT Sans"'),
                         QSize(800, 300))
    assert not plain.isNull() and plain == named
