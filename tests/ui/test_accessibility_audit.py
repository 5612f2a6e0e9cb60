"""The accessibility audit over every screen, both orientations, both modes; and proof that it
catches what it is meant to catch."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.model import Content
from kiosk.ui.audit import Finding, Measured, audit
from kiosk.ui.preview import preview_window, walk_screens
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, text_label
from tests.ui.conftest import SIZES

# 4:3 and 5:4 panels, where layouts drawn for 16:9 cut words until the audit walked them:
# the menu's «Документам»», «Квадратное», «На главную» in large text, picture titles.
NARROW = {"5:4": (1280, 1024), "4:3": (1024, 768)}


@pytest.mark.parametrize("mode", ["normal", "high-contrast"])
@pytest.mark.parametrize("orientation", [*SIZES, *NARROW])
def test_every_screen_passes_the_audit(qtbot: QtBot, bundled: Content, orientation: str,
                                       mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    size = SIZES.get(orientation) or NARROW[orientation]
    window = preview_window(bundled, size)
    qtbot.addWidget(window)
    findings: list[Finding] = []
    measured: list[Measured] = []
    screens = 0
    for shot in walk_screens(window, bundled, high_contrast=mode == "high-contrast"):
        where = f"{shot.file[:-4]} [{orientation}, {mode}]"
        found, seen = audit(window, window.theme, where)
        findings += found
        measured += seen
        screens += 1
    window.attract.stop()
    window.session_timer.stop()
    with capsys.disabled():
        worst = min(measured, key=lambda m: m.ratio / m.needed)
        print(f"\naudit {orientation} {mode}: {screens} screens, {len(measured)} texts; "
              f"closest to its limit: {worst.widget} {worst.ratio:.2f}:1 "
              f"(needs {worst.needed:g}) on {worst.background}")
        for finding in findings:
            print("  FAIL", finding)
    assert screens >= 20 and len(measured) > 150
    assert not findings, "\n".join(map(str, findings))


class Picture(QWidget):
    """A dark picture behind a label whose style sheet claims nothing about it."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.darkGray)
        painter.end()


def test_the_audit_measures_the_rendered_background_and_small_targets(qtbot: QtBot) -> None:
    theme = Theme(1920, 1080)
    root = QWidget()
    qtbot.addWidget(root)
    root.resize(800, 600)
    root.setStyleSheet(f"background: {theme.colours.paper};")
    layout = QVBoxLayout(root)
    grey = text_label(theme, theme.body_px, colour="#9A9A9A")  # 2.7:1 on the paper
    grey.setText("Серый текст")
    good = text_label(theme, theme.body_px)
    good.setText("Чёрный текст")
    picture = Picture()
    on_picture = text_label(theme, theme.body_px)  # ink, as on paper, but on a dark picture
    on_picture.setText("Текст на фотографии")
    QVBoxLayout(picture).addWidget(on_picture)
    tiny = BigButton(theme, "x")
    tiny.setFixedSize(60, 60)
    cut = text_label(theme, theme.body_px, wrap=False)
    cut.setText("Очень длинная строка, которая не помещается")
    cut.setFixedWidth(200)
    for widget in (grey, good, picture, tiny, cut):
        layout.addWidget(widget)
    root.show()
    qtbot.waitExposed(root)
    findings, measured = audit(root, theme, "test")
    def failed(check: str, text: str) -> bool:
        return any(f.check == check and text in f.widget for f in findings)

    assert failed("contrast", "Серый текст")
    assert failed("contrast", "Текст на фотографии")
    assert failed("target", "«x»")
    assert failed("cut", "Очень длинная строка")
    assert not any("Чёрный текст" in f.widget for f in findings)
    ratios = {m.text: m.ratio for m in measured}
    assert ratios["Чёрный текст"] > 15
    assert 2.0 < ratios["Серый текст"] < 3.5
