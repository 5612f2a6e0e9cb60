"""The touch menu: large tiles, a RU/EN switch and the high-contrast, large-text switch."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import tr
from kiosk.core.problems import Language
from kiosk.ui.resources import ImageCache, assets_dir
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, IconButton, PictureTile, text_label


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
    """A whole tile is one button: icon, title and a line under it."""

    def __init__(self, theme: Theme, background: str, icon: QPixmap) -> None:
        super().__init__(theme, background)
        self.icon_pixmap = icon

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
        pad = self.theme.px(36)
        icon_side = min(rect.height() * (0.62 if self.horizontal else 0.42), rect.width() * 0.5)
        if self.horizontal:
            icon_box = QRectF(rect.left() + pad, rect.center().y() - icon_side / 2,
                              icon_side, icon_side)
            text_box = QRectF(icon_box.right() + pad, rect.top() + pad,
                              rect.right() - icon_box.right() - 2 * pad, rect.height() - 2 * pad)
        else:
            icon_box = QRectF(rect.center().x() - icon_side / 2, rect.top() + pad * 1.5,
                              icon_side, icon_side)
            text_box = QRectF(rect.left() + pad, icon_box.bottom() + pad / 2,
                              rect.width() - 2 * pad, rect.bottom() - icon_box.bottom() - pad * 1.5)
        return icon_box, text_box

    def paint_picture(self, painter: QPainter, box: QRectF) -> None:
        painter.drawPixmap(box.toRect(), self.icon_pixmap)


class MenuScreen(Screen):
    chosen = Signal(Destination)
    language_chosen = Signal(str)
    contrast_toggled = Signal()  # the high-contrast, large-text switch was tapped

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.title = text_label(theme, theme.title_px, bold=True)
        self.hint = text_label(theme, theme.body_px, colour=theme.colours.ink_soft)
        self.language_buttons: dict[Language, BigButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        languages = QHBoxLayout()
        languages.setSpacing(theme.px(16))
        for lang in ("ru", "en"):
            button = BigButton(theme, tr(f"language_{lang}", lang), font_px=theme.text_px(40))
            button.setCheckable(True)
            button.setFixedWidth(theme.px(140))
            button.clicked.connect(lambda _=False, code=lang: self.language_chosen.emit(code))
            group.addButton(button)
            languages.addWidget(button)
            self.language_buttons[lang] = button

        header_text = QVBoxLayout()
        header_text.setSpacing(theme.px(8))
        header_text.addWidget(self.title)
        header_text.addWidget(self.hint)
        # One tap, no words: the eye-catching half-dark circle every contrast switch uses.
        contrast_icon = images.get(assets_dir() / "icons" / "contrast.svg",
                                   QSize(theme.touch_px, theme.touch_px))
        self.contrast_button = IconButton(theme, contrast_icon)
        self.contrast_button.setCheckable(True)
        self.contrast_button.setChecked(theme.high_contrast)
        self.contrast_button.setAccessibleName("Крупный контрастный текст")
        self.contrast_button.clicked.connect(self.contrast_toggled)
        languages.addSpacing(theme.px(16))
        languages.addWidget(self.contrast_button)
        # Portrait is too narrow for the title beside the switches: they go under it.
        header = QVBoxLayout() if theme.portrait else QHBoxLayout()
        header.setSpacing(theme.margin)
        header.addLayout(header_text, 1)
        if theme.portrait:
            languages.addStretch(1)
        header.addLayout(languages)

        self.tiles: dict[Destination, Tile] = {}
        self.grid = QGridLayout()
        self.grid.setSpacing(theme.margin)
        icon_side = theme.px(360)
        for destination, background, icon_file in TILES:
            icon = images.get(assets_dir() / "icons" / icon_file, QSize(icon_side, icon_side))
            tile = Tile(theme, getattr(theme.colours, background), QPixmap.fromImage(icon))
            tile.clicked.connect(lambda _=False, d=destination: self.chosen.emit(d))
            self.tiles[destination] = tile

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.margin * 2, theme.margin * 2, theme.margin * 2,
                                  theme.margin * 2)
        layout.setSpacing(theme.margin * (1 if theme.portrait else 2))
        layout.addLayout(header)
        layout.addLayout(self.grid, 1)

    def render_view(self) -> None:
        lang = self.lang
        self.title.setText(tr("menu_title", lang))
        self.hint.setText(tr("menu_hint", lang))
        self.language_buttons[lang].setChecked(True)
        for destination, tile in self.tiles.items():
            tile.setText(tr(f"tile_{destination.value}", lang))
            tile.subtitle = tr(f"tile_{destination.value}_sub", lang)
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
        """Portrait: one column of wide tiles. Landscape: one row, or two rows of two when
        there are four, so each tile keeps room for large type."""
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.hide()
        columns = 1 if self.theme.portrait else (2 if len(shown) == 4 else max(1, len(shown)))
        for i, destination in enumerate(shown):
            self.grid.addWidget(self.tiles[destination], i // columns, i % columns)
            self.tiles[destination].show()
