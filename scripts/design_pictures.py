"""Renders the pictures of docs/design.md: an attract poster with the grid drawn over it, in
landscape and portrait. Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/design_pictures.py
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from kiosk.core.content.loader import load_content
from kiosk.core.playlist import SlideKind, build_cycle
from kiosk.ui.attract import AttractScreen
from kiosk.ui.resources import ImageCache, load_fonts, probe_image
from kiosk.ui.theme import Theme

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "design"


def main() -> None:
    app = QApplication([])
    load_fonts()
    content = load_content(REPO / "content", probe_image)
    slide = next(s for s in build_cycle(content) if s.kind is SlideKind.STORY)
    OUT.mkdir(exist_ok=True)
    for name, (width, height) in (("landscape", (1920, 1080)), ("portrait", (1080, 1920))):
        theme = Theme(width, height)
        screen = AttractScreen(theme, ImageCache())
        screen.resize(width, height)
        screen.set_content(content)
        screen.show()
        screen.display(slide)
        shot = screen.grab()
        overlay(shot, theme)
        half = shot.scaled(QSize(width // 2, height // 2))
        half.save(str(OUT / f"poster-{name}.png"))
        screen.stop()
    app.quit()


def overlay(shot: QPixmap, theme: Theme) -> None:
    """The grid's columns in translucent red, as a designer's guide layer."""
    painter = QPainter(shot)
    grid = theme.grid
    tint = QColor(220, 40, 40, 38)
    for column in range(grid.columns):
        painter.fillRect(QRectF(grid.x(column), 0, grid.column, shot.height()), tint)
    painter.end()


if __name__ == "__main__":
    main()
