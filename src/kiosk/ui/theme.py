"""Sizes and colours, in proportion to the screen: 1080 px on the short side is the reference."""

from __future__ import annotations

from dataclasses import dataclass, replace

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


# High contrast: white and yellow on black, the other colours light and bright, so every text
# is at least 7:1 (most far above). The roles keep their names: «blue» is what the blue
# buttons are in the normal palette, here a yellow one.
HC_BLACK = "#000000"
HC_WHITE = "#FFFFFF"
HC_YELLOW = "#FFE600"
HC_CYAN = "#7FE9FF"
HC_GREEN = "#7CF27C"
HC_PINK = "#FFB0EE"


@dataclass(frozen=True)
class Palette:
    """The colours of one mode, by role."""

    paper: str  # the page
    ink: str  # text on the page
    ink_soft: str  # details under titles
    blue: str  # buttons, tiles and badges; also page dots and the countdown on the page
    blue_dark: str  # the attract bar, secondary buttons
    orange: str  # «home» buttons and «Коснитесь экрана» (with `ink` on it)
    green: str  # «yes» buttons and a tile
    white: str  # text on the coloured buttons; the face of unchecked chips and picture cards
    plum: str  # the colouring tile
    calm: str  # the calm minute's breathing shape
    calm_edge: str  # its guide ring
    scrim: tuple[int, int, int, int]  # dims a screen behind a question
    outline: bool  # draw a rim round buttons and cards (black ones on a black page)


NORMAL = Palette(paper=PAPER, ink=INK, ink_soft=INK_SOFT, blue=BLUE, blue_dark=BLUE_DARK,
                 orange=ORANGE, green=GREEN, white=WHITE, plum=PLUM, calm="#8FB8DE",
                 calm_edge="#5E8FC0", scrim=(16, 16, 24, 190), outline=False)
HIGH_CONTRAST = Palette(paper=HC_BLACK, ink=HC_WHITE, ink_soft=HC_WHITE, blue=HC_YELLOW,
                        blue_dark=HC_CYAN, orange=HC_BLACK, green=HC_GREEN, white=HC_BLACK,
                        plum=HC_PINK, calm=HC_CYAN, calm_edge=HC_WHITE, scrim=(0, 0, 0, 230),
                        outline=True)
# Type in the high-contrast mode is this much larger.
HIGH_CONTRAST_TEXT_SCALE = 1.3


@dataclass(frozen=True)
class Theme:
    width: int
    height: int
    high_contrast: bool = False  # the large-text, high-contrast mode the menu switches on

    @property
    def colours(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    @property
    def text_scale(self) -> float:
        return HIGH_CONTRAST_TEXT_SCALE if self.high_contrast else 1.0

    def with_high_contrast(self, on: bool) -> Theme:
        return replace(self, high_contrast=on)

    @property
    def scale(self) -> float:
        return min(self.width, self.height) / 1080

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def px(self, reference: float) -> int:
        """A length given for a 1080p screen, at this screen's size."""
        return max(1, round(reference * self.scale))

    def text_px(self, reference: float) -> int:
        """A type size given for a 1080p screen: at this screen's size, and larger in the
        high-contrast mode."""
        return self.px(reference * self.text_scale)

    # Type scale (pixels at 1080p). Body text never below 32 px, as the issue asks.
    @property
    def body_px(self) -> int:
        return self.text_px(36)

    @property
    def small_px(self) -> int:
        return self.text_px(32)

    @property
    def title_px(self) -> int:
        return self.text_px(64)

    @property
    def heading_px(self) -> int:
        return self.text_px(48)

    @property
    def display_px(self) -> int:
        return self.text_px(96)

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


def scrim(theme: Theme) -> QColor:
    """The dimming behind a question asked over a screen («Вы ещё здесь?», start over)."""
    return QColor(*theme.colours.scrim)


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


def contrast_pairs(palette: Palette, high_contrast: bool) -> tuple[
        tuple[str, str, str, float], ...]:
    """The same pairs for any palette; in the high-contrast mode every pair needs 7:1."""
    p = palette
    pairs = (
        ("body text", p.ink, p.paper, 7.0),
        ("details under titles", p.ink_soft, p.paper, 7.0),
        ("countdown, page dots", p.blue, p.paper, 4.5),
        ("blue buttons, tiles, badges", p.white, p.blue, 7.0),
        ("attract bar", p.white, p.blue_dark, 7.0),
        ("orange buttons, «Коснитесь экрана»", p.ink, p.orange, 7.0),
        ("green buttons and tile", p.white, p.green, 7.0),
        ("colouring tile", p.white, p.plum, 7.0),
        ("unchecked chips", p.blue, p.white, 7.0),
        ("picture titles", p.ink, p.white, 7.0),
    )
    return tuple((n, fg, bg, 7.0 if high_contrast else need) for n, fg, bg, need in pairs)
