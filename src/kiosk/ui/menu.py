"""The touch menu: the top bar (language, large text), a title and four large tiles on the
grid. The menu is home: its bar has no Home button."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.core.content.problems import Language
from kiosk.core.i18n import tr
from kiosk.core.typeset import typeset
from kiosk.ui.chrome import LargeTextToggle, Segment, TopBar
from kiosk.ui.hidpi import logical_size, ratio_of
from kiosk.ui.resources import ImageCache, assets_dir, render_image
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import PictureTile, text_label


class Destination(Enum):
    ANNIVERSARY = "anniversary"
    STORIES = "stories"
    COLOURING = "colouring"
    CALM = "calm"


TILES: tuple[tuple[Destination, str, str], ...] = (
    # destination, background (a role in the theme's palette), icon file in assets/icons
    (Destination.ANNIVERSARY, "blue", "anniversary.svg"),
    (Destination.STORIES, "green", "stories.svg"),
    (Destination.COLOURING, "plum", "colouring.svg"),
    (Destination.CALM, "blue_dark", "calm.svg"),
)


class Tile(PictureTile):
    """A whole tile is one button: icon, title and a line under it. The title is set at the
    lead size and the line at the small size, always: a title too long for one line wraps.
    The line says what the title does not: on a 4:3 or 5:4 screen the picture gives it room
    (up to half its side, then its place) rather than leave some tiles without it (two of
    four had lost theirs)."""

    line_before_picture = True

    def __init__(self, theme: Theme, background: str, icon: Path) -> None:
        super().__init__(theme, background)
        self.icon_path = icon
        # The icon at the size it is drawn, in device pixels (kiosk.ui.hidpi): rendered when
        # first painted and again only when the tile's size or the screen's ratio changes.
        self.icon_image = QImage()
        self._icon_for: tuple[int, float] = (0, 0.0)

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(480), self.theme.px(300))

    @property
    def horizontal(self) -> bool:
        """Wide, short tiles: the icon beside the words, not above them."""
        return self.width() > self.height() * 1.6

    def text_flags(self) -> int:
        align = Qt.AlignmentFlag.AlignLeft if self.horizontal else Qt.AlignmentFlag.AlignHCenter
        return int(align | Qt.TextFlag.TextWordWrap)

    def boxes(self) -> tuple[QRectF, QRectF]:
        rect = QRectF(self.rect())
        pad = self.theme.space("l")
        icon_side = min(rect.height() * (0.56 if self.horizontal else 0.42), rect.width() * 0.3)
        if self.horizontal:
            icon_side = self.side_beside_words(icon_side, rect.width(), pad)
            icon_box = QRectF(rect.left() + pad, rect.center().y() - icon_side / 2,
                              icon_side, icon_side)
            text_box = QRectF(icon_box.right() + pad, rect.top() + pad,
                              rect.right() - icon_box.right() - 2 * pad, rect.height() - 2 * pad)
        else:
            icon_box = QRectF(rect.center().x() - icon_side / 2, rect.top() + pad,
                              icon_side, icon_side)
            text_box = QRectF(rect.left() + pad, icon_box.bottom() + pad / 2,
                              rect.width() - 2 * pad, rect.bottom() - icon_box.bottom() - pad * 1.5)
        return icon_box, text_box

    @property
    def picture_beside_words(self) -> bool:
        return self.horizontal

    def paint_picture(self, painter: QPainter, box: QRectF) -> None:
        side = round(min(box.width(), box.height()))
        ratio = ratio_of(painter.device())
        if self._icon_for != (side, ratio):
            self._icon_for = (side, ratio)
            self.icon_image = render_image(self.icon_path, QSize(side, side), ratio=ratio)
        if self.icon_image.isNull():
            return
        size = logical_size(self.icon_image)
        centre = box.center()
        painter.drawImage(QPointF(round((centre.x() - size.width() / 2) * ratio) / ratio,
                                  round((centre.y() - size.height() / 2) * ratio) / ratio),
                          self.icon_image)


class MenuScreen(Screen):
    chosen = Signal(Destination)

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.top_bar = TopBar(theme)
        self.top_bar.set_home_visible(False)  # the menu is home
        self.top_bar.language_chosen.connect(lambda code: self.language_chosen.emit(code))
        self.top_bar.large_text_toggled.connect(lambda: self.large_text_toggled.emit())
        self.title = text_label(theme, theme.title_px, bold=True)
        self.hint = text_label(theme, theme.lead_px, colour=theme.colours.ink_soft)
        # Large type in landscape takes the room of the hint and the tiles' second lines:
        # the titles and pictures say enough, and nothing is cut.
        self.brief = theme.high_contrast and not theme.portrait
        self.hint.setVisible(not self.brief)

        self.tiles: dict[Destination, Tile] = {}
        self.grid = QGridLayout()
        grid = theme.grid
        self.grid.setHorizontalSpacing(grid.gutter)
        self.grid.setVerticalSpacing(grid.gutter)
        for destination, background, icon_file in TILES:
            tile = Tile(theme, getattr(theme.colours, background),
                        assets_dir() / "icons" / icon_file)
            # The screen's own from the start, hidden until _arrange places it: a menu built
            # and replaced unseen (the large-text switch away from the menu) takes its tiles
            # with it. Parentless, they outlived it: about 1 MB a menu, visitor after visitor.
            tile.setParent(self)
            tile.hide()
            tile.clicked.connect(lambda _=False, d=destination: self.chosen.emit(d))
            self.tiles[destination] = tile

        body = QVBoxLayout()
        # The title's left edge is the grid's first column, as on every screen.
        body.setContentsMargins(grid.margin, theme.space("s"), grid.margin, theme.space("xl"))
        body.setSpacing(0)
        body.addWidget(self.title)
        body.addSpacing(theme.space("xs"))
        body.addWidget(self.hint)
        body.addSpacing(theme.space("xl"))
        body.addLayout(self.grid, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addLayout(body, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Shorter than the display (an urgent notice's band under it, kiosk.ui.notice_band):
        # in landscape the hint line goes, with large text the tiles' second lines too, so the
        # tiles keep room for their words.
        short = self.height() < self.theme.height
        brief = self.theme.high_contrast and (short or not self.theme.portrait)
        self.hint.setVisible(not brief and not (short and not self.theme.portrait))
        if brief != self.brief:
            self.brief = brief
            self.refresh()

    @property
    def language_buttons(self) -> dict[Language, Segment]:
        return self.top_bar.languages.segments

    @property
    def contrast_button(self) -> LargeTextToggle:
        """The large-text toggle (in the top bar)."""
        return self.top_bar.large_text

    def render_view(self) -> None:
        lang = self.lang
        self.top_bar.set_language(lang)
        self.title.setText(typeset(tr("menu_title", lang), lang, hyphenate=False))
        self.hint.setText(typeset(tr("menu_hint", lang), lang, hyphenate=False))
        for destination, tile in self.tiles.items():
            tile.setText(typeset(tr(f"tile_{destination.value}", lang), lang, hyphenate=False))
            subtitle = tr(f"tile_{destination.value}_sub", lang)
            tile.subtitle = "" if self.brief else typeset(subtitle, lang, hyphenate=False)
            tile.update()
        content = self.content
        available = {
            Destination.ANNIVERSARY: bool(content and content.pages),
            Destination.STORIES: bool(content and content.stories),
            Destination.COLOURING: bool(content and content.colouring),
            Destination.CALM: True,  # needs no content
        }
        self._arrange([d for d in self.tiles if available[d]])

    def _arrange(self, shown: list[Destination]) -> None:
        """Landscape: two tiles a row, each six of the twelve columns wide (a single tile
        alone keeps that width). Portrait: one column of wide tiles."""
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.hide()
        columns = 1 if self.theme.portrait else 2
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        group = tuple(self.tiles[destination] for destination in shown)
        for i, destination in enumerate(shown):
            self.grid.addWidget(self.tiles[destination], i // columns, i % columns)
            self.tiles[destination].show()
            self.tiles[destination].tile_group = group  # one icon size for all (PictureTile)
        for row in range(4):
            self.grid.setRowStretch(row, 1 if row < max(1, -(-len(shown) // columns)) else 0)

