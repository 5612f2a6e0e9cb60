"""The design system's tokens: type scale, grid, spacing and colour roles (docs/design.md).

Every length is given for a 1080 px short side and scales with the screen. Screens take their
sizes and colours from here, by role, and nowhere else: a screen that sets its own type size or
picks a colour by its look rather than its meaning drifts from the others.
"""

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
NOTICE_RED = "#A4161A"  # white on it: 7.7:1


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
    # Colour roles: each means one thing on every screen, and nothing else uses it.
    action: str = ORANGE  # "tap here": the invitation to touch and a screen's main action
    action_ink: str = INK
    navigation: str = BLUE_DARK  # "go back": Home and Back, always in the same places
    navigation_ink: str = WHITE
    signal: str = "#FFD400"  # "your ticket is called": the queue banner and nothing else
    signal_ink: str = INK
    notice: str = NOTICE_RED  # "read this now": an urgent notice's band and nothing else
    notice_ink: str = WHITE
    accent: str = BLUE  # what is chosen now: a selected chip, the current page, a kicker
    panel: str = "#E2ECF7"  # a quiet surface: where a picture would be, a story has none


NORMAL = Palette(paper=PAPER, ink=INK, ink_soft=INK_SOFT, blue=BLUE, blue_dark=BLUE_DARK,
                 orange=ORANGE, green=GREEN, white=WHITE, plum=PLUM, calm="#8FB8DE",
                 calm_edge="#5E8FC0", scrim=(16, 16, 24, 190), outline=False)
# In the high-contrast mode every button is black with a rim of its colour: «tap here» is
# yellow, «go back» cyan, and a called ticket is the one thing drawn white on the black page.
HIGH_CONTRAST = Palette(paper=HC_BLACK, ink=HC_WHITE, ink_soft=HC_WHITE, blue=HC_YELLOW,
                        blue_dark=HC_CYAN, orange=HC_BLACK, green=HC_GREEN, white=HC_BLACK,
                        plum=HC_PINK, calm=HC_CYAN, calm_edge=HC_WHITE, scrim=(0, 0, 0, 230),
                        outline=True, action=HC_YELLOW, action_ink=HC_BLACK,
                        navigation=HC_CYAN, navigation_ink=HC_BLACK, signal=HC_WHITE,
                        signal_ink=HC_BLACK, accent=HC_YELLOW, panel=HC_BLACK)
# Type in the high-contrast mode is this much larger.
HIGH_CONTRAST_TEXT_SCALE = 1.3


# Type sizes at 1080p, by role. Line height is 1.4× for body and lead, 1.15× for titles.
TYPE_SCALE: dict[str, int] = {
    "display": 128,
    "title": 72,
    "lead": 52,
    "body": 44,
    "small": 32,
}
# Spacing steps at 1080p: every gap on a screen is one of these.
SPACING: dict[str, int] = {
    "xs": 8, "s": 16, "m": 24, "l": 32, "xl": 48, "xxl": 64, "xxxl": 96, "huge": 128,
}
# Columns, outer margin and gutter at 1080p.
LANDSCAPE_GRID = (12, 96, 32)
PORTRAIT_GRID = (6, 64, 32)


@dataclass(frozen=True)
class Grid:
    """Columns across the screen's width: every screen's text and pictures start and end on
    their edges, so nothing shifts from one screen to the next."""

    width: int
    columns: int
    margin: int
    gutter: int

    @property
    def column(self) -> float:
        return (self.width - 2 * self.margin - (self.columns - 1) * self.gutter) / self.columns

    def x(self, column: int) -> int:
        """The left edge of a column (0-based)."""
        return round(self.margin + column * (self.column + self.gutter))

    def span(self, columns: int) -> int:
        """The width of `columns` columns and the gutters between them."""
        return round(columns * self.column + (columns - 1) * self.gutter)


@dataclass(frozen=True)
class Theme:
    """The design system's sizes and colours for one screen size (docs/design.md)."""

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

    @property
    def narrow(self) -> bool:
        """A landscape screen nearer square than 3:2 (4:3, 5:4): a layout of two columns
        side by side, drawn for 16:9, lacks the width there."""
        return not self.portrait and self.width < 1.5 * self.height

    def px(self, reference: float) -> int:
        """A length given for a 1080p screen, at this screen's size."""
        return max(1, round(reference * self.scale))

    def text_px(self, reference: float) -> int:
        """A type size given for a 1080p screen: at this screen's size, and larger in the
        high-contrast mode."""
        return self.px(reference * self.text_scale)

    # The type scale (pixels at 1080p). Fixed: text never shrinks to fit its box; a text too
    # long for its screen is paged, and `kiosk check` says how many words fit.
    @property
    def display_px(self) -> int:
        """Attract posters' headlines: read from three metres in three seconds."""
        return self.text_px(TYPE_SCALE["display"])

    @property
    def title_px(self) -> int:
        """A screen's or a story's title."""
        return self.text_px(TYPE_SCALE["title"])

    @property
    def heading_px(self) -> int:
        """The lead: a poster's one line, a tile's title, button labels."""
        return self.text_px(TYPE_SCALE["lead"])

    @property
    def lead_px(self) -> int:
        return self.text_px(TYPE_SCALE["lead"])

    @property
    def body_px(self) -> int:
        """Reading text: stories and pages."""
        return self.text_px(TYPE_SCALE["body"])

    @property
    def small_px(self) -> int:
        """Details: a story's centre and date, a subtitle, a caption."""
        return self.text_px(TYPE_SCALE["small"])

    @property
    def touch_px(self) -> int:
        """The smallest touch target: 96 px at 1080p; ours are a little larger."""
        return self.px(112)

    @property
    def margin(self) -> int:
        """The page's outer margin: where the grid's first column starts."""
        return self.grid.margin

    def space(self, step: str) -> int:
        """A gap from the spacing steps (`SPACING`), at this screen's size."""
        return self.px(SPACING[step])

    @property
    def grid(self) -> Grid:
        """Twelve columns in landscape, six in portrait (docs/design.md)."""
        if self.portrait:
            columns, margin, gutter = PORTRAIT_GRID
        else:
            columns, margin, gutter = LANDSCAPE_GRID
        return Grid(self.width, columns, self.px(margin), self.px(gutter))

    def font(self, pixels: int, bold: bool = False) -> QFont:
        font = QFont(FONT_FAMILY)
        font.setPixelSize(pixels)
        font.setBold(bold)
        return font


def scrim(theme: Theme) -> QColor:
    """The dimming behind a question asked over a screen («Вы ещё здесь?», start over)."""
    return QColor(*theme.colours.scrim)


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
        ("«tap here»: the invitation, main actions", p.action_ink, p.action, 7.0),
        ("«go back»: Home and Back", p.navigation_ink, p.navigation, 7.0),
        ("the queue banner", p.signal_ink, p.signal, 7.0),
        ("an urgent notice's band", p.notice_ink, p.notice, 7.0),
        ("kickers and chosen items on the page", p.accent, p.paper, 7.0),
    )
    return tuple((n, fg, bg, 7.0 if high_contrast else need) for n, fg, bg, need in pairs)


# Every text colour on the background it is drawn on in the normal palette, and the contrast
# it needs (WCAG): tests/ui/test_layout.py checks each pair.
TEXT_ON_BACKGROUND = contrast_pairs(NORMAL, high_contrast=False)
