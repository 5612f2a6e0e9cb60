"""A story's text can name a picture anywhere on the machine; the text view must load none.

Qt's QTextDocument reads whatever file an image in the text names: a picture from outside the
content folder was shown, /dev/zero aborted the kiosk and a FIFO froze it for good.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kiosk.ui.markdown import MarkdownView
from kiosk.ui.theme import Theme
from tests.helpers import REPO

# Every way Markdown can ask for a picture ({path}: a red picture outside the content folder).
FORMS = [
    "![фото]({path})",
    "![a [b] c]({path})",
    "![фото][r]\n\n[r]: {path}",
    "![r]\n\n[r]: {path}",
    "![R][]\n\n[r]: {path}",
    "[![фото]({path})](https://example.org)",
    "![фото](file://{path})",
    '<img src="{path}">',
]


def red_pixels(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    count = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            colour = QColor(image.pixel(x, y))
            count += colour.red() > 200 and colour.green() < 80 and colour.blue() < 80
    return count


@pytest.fixture
def outside_picture(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "secret.png"
    path.parent.mkdir()
    image = QImage(300, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff0000"))
    assert image.save(str(path))
    return path


@pytest.mark.parametrize("form", FORMS)
def test_a_text_shows_no_picture_it_names(qtbot: QtBot, outside_picture: Path,
                                          form: str) -> None:
    view = MarkdownView(Theme(1920, 1080), 44)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.set_markdown(f"Текст до.\n\n{form.format(path=outside_picture)}\n\nТекст после.")
    view.show()
    qtbot.waitExposed(view)
    shown = view.grab().toImage()
    assert red_pixels(shown) == 0
    words = view.page_text(0)
    assert "Текст до." in words and "Текст после." in words  # the text itself is shown


DRAW = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kiosk.ui.theme import Theme
from kiosk.ui.markdown import MarkdownView, markdown_document
view = MarkdownView(Theme(1920, 1080), 44)
view.resize(1200, 900)
view.set_markdown(sys.argv[1])
view.show()
view.grab()
document = markdown_document(sys.argv[1])  # as kiosk check's fit check lays it out
document.setTextWidth(1000)
document.size()
print("drawn")
"""


@pytest.mark.parametrize("form", FORMS[:4])
def test_a_fifo_or_a_device_named_in_a_text_neither_blocks_nor_aborts(
        tmp_path: Path, form: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    text = f"{form.format(path=fifo)}\n\n{form.format(path='/dev/zero').replace('[r]', '[z]')}"
    # In a child process: the broken kiosk blocked on the FIFO for good (killed here when the
    # time is up) or died of /dev/zero, and neither may take the test run with it.
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    try:
        done = subprocess.run([sys.executable, "-c", DRAW, text], capture_output=True,
                              text=True, timeout=30, env=env, cwd=REPO)
    except subprocess.TimeoutExpired:
        pytest.fail("the text view blocked on a FIFO the text names")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "drawn"
