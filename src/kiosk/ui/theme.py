"""Sizes and colours, in proportion to the screen: 1080 px on the short side is the reference."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

FONT_FAMILY = "PT Sans"

# Colours chosen for contrast (checked in tests/test_theme.py): body text on the paper
# background and light text on the dark tiles are above 7:1.
PAPER = "#FFF8F0"
INK = "#1B1B1F"
INK_SOFT = "#3D3D47"
BLUE = "#1D4E89"
BLUE_DARK = "#143761"
ORANGE = "#F5962F"
GREEN = "#195C36"
WHITE = "#FFFFFF"
PLUM = "#8A2F6B"


@dataclass(frozen=True)
class Theme:
    width: int
    height: int

    @property
    def scale(self) -> float:
        return min(self.width, self.height) / 1080

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def px(self, reference: float) -> int:
        """A length given for a 1080p screen, at this screen's size."""
        return max(1, round(reference * self.scale))

    # Type scale (pixels at 1080p). Body text never below 32 px, as the issue asks.
    @property
    def body_px(self) -> int:
        return self.px(36)

    @property
    def small_px(self) -> int:
        return self.px(32)

    @property
    def title_px(self) -> int:
        return self.px(64)

    @property
    def heading_px(self) -> int:
        return self.px(48)

    @property
    def display_px(self) -> int:
        return self.px(96)

    @property
    def touch_px(self) -> int:
        """The smallest touch target: 96 px at 1080p; ours are a little larger."""
        return self.px(112)

    @property
    def margin(self) -> int:
        return self.px(48)

    def font(self, pixels: int, bold: bool = False) -> QFont:
        font = QFont(FONT_FAMILY)
        font.setPixelSize(pixels)
        font.setBold(bold)
        return font


def scrim() -> QColor:
    """The dimming behind a question asked over a screen («Вы ещё здесь?», start over)."""
    return QColor(16, 16, 24, 190)


# Every text colour on the background it is drawn on, and the contrast it needs (WCAG):
# 7:1 for body text, 4.5:1 for the rest. tests/ui/test_theme.py checks each pair.
TEXT_ON_BACKGROUND: tuple[tuple[str, str, str, float], ...] = (
    ("body text", INK, PAPER, 7.0),
    ("details under titles", INK_SOFT, PAPER, 7.0),
    ("countdown, page dots", BLUE, PAPER, 4.5),
    ("blue buttons, tiles, badges", WHITE, BLUE, 7.0),
    ("attract bar", WHITE, BLUE_DARK, 7.0),
    ("orange buttons, «Коснитесь экрана»", INK, ORANGE, 7.0),
    ("green buttons and tile", WHITE, GREEN, 7.0),
    ("colouring tile", WHITE, PLUM, 7.0),
    ("unchecked chips", BLUE, WHITE, 7.0),
    ("picture titles", INK, WHITE, 7.0),
)
