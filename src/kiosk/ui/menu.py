"""The touch menu: three large tiles and a RU/EN switch."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import tr
from kiosk.core.problems import Language
from kiosk.ui import theme as th
from kiosk.ui.resources import ImageCache, assets_dir
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, TouchButton, text_label


class Destination(Enum):
    ANNIVERSARY = "anniversary"
    STORIES = "stories"
    COLOURING = "colouring"


TILES: tuple[tuple[Destination, str, str], ...] = (
    # destination, background, icon file in assets/icons
    (Destination.ANNIVERSARY, th.BLUE, "anniversary.svg"),
    (Destination.STORIES, th.GREEN, "stories.svg"),
    (Destination.COLOURING, th.PLUM, "colouring.svg"),
)


class Tile(TouchButton):
    """A whole tile is one button: icon, title and a line under it."""

    def __init__(self, theme: Theme, background: str, icon: QPixmap) -> None:
        super().__init__()
        self.theme = theme
        self.background = QColor(background)
        self.icon_pixmap = icon
        self.subtitle = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(480), self.theme.px(480))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = QRectF(self.rect())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.background.darker(130) if self.isDown() else self.background)
        radius = self.theme.px(40)
        painter.drawRoundedRect(rect, radius, radius)
        pad = self.theme.px(36)
        horizontal = rect.width() > rect.height() * 1.6  # portrait: wide, short tiles
        icon_side = min(rect.height() * (0.62 if horizontal else 0.42), rect.width() * 0.5)
        if horizontal:
            icon_box = QRectF(rect.left() + pad, rect.center().y() - icon_side / 2,
                              icon_side, icon_side)
            text_box = QRectF(icon_box.right() + pad, rect.top() + pad,
                              rect.right() - icon_box.right() - 2 * pad, rect.height() - 2 * pad)
            align = Qt.AlignmentFlag.AlignLeft
        else:
            icon_box = QRectF(rect.center().x() - icon_side / 2, rect.top() + pad * 1.5,
                              icon_side, icon_side)
            text_box = QRectF(rect.left() + pad, icon_box.bottom() + pad / 2,
                              rect.width() - 2 * pad, rect.bottom() - icon_box.bottom() - pad * 1.5)
            align = Qt.AlignmentFlag.AlignHCenter
        painter.drawPixmap(icon_box.toRect(), self.icon_pixmap)
        painter.setPen(QColor(th.WHITE))
        title_font = self.theme.font(self.theme.px(54), bold=True)
        painter.setFont(title_font)
        flags = align | Qt.TextFlag.TextWordWrap
        title_rect = painter.boundingRect(text_box, flags | Qt.AlignmentFlag.AlignTop, self.text())
        sub_font = self.theme.font(self.theme.small_px + self.theme.px(4))
        painter.setFont(sub_font)
        sub_rect = painter.boundingRect(text_box, flags | Qt.AlignmentFlag.AlignTop, self.subtitle)
        total = title_rect.height() + self.theme.px(12) + sub_rect.height()
        top = text_box.top() + max(0.0, (text_box.height() - total) / 2)
        painter.setFont(title_font)
        painter.drawText(QRectF(text_box.left(), top, text_box.width(), title_rect.height()),
                         flags, self.text())
        painter.setFont(sub_font)
        painter.drawText(QRectF(text_box.left(), top + title_rect.height() + self.theme.px(12),
                                text_box.width(), sub_rect.height()), flags, self.subtitle)
        painter.end()


class MenuScreen(Screen):
    chosen = Signal(Destination)
    language_chosen = Signal(str)

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.title = text_label(theme, theme.title_px, bold=True)
        self.hint = text_label(theme, theme.body_px, colour=th.INK_SOFT)
        self.language_buttons: dict[Language, BigButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        languages = QHBoxLayout()
        languages.setSpacing(theme.px(16))
        for lang in ("ru", "en"):
            button = BigButton(theme, tr(f"language_{lang}", lang), font_px=theme.px(40))
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
        header = QHBoxLayout()
        header.addLayout(header_text, 1)
        header.addLayout(languages)

        self.tiles: dict[Destination, Tile] = {}
        direction = (QBoxLayout.Direction.TopToBottom if theme.portrait
                     else QBoxLayout.Direction.LeftToRight)
        tiles = QBoxLayout(direction)
        tiles.setSpacing(theme.margin)
        icon_side = theme.px(360)
        for destination, background, icon_file in TILES:
            icon = images.get(assets_dir() / "icons" / icon_file, QSize(icon_side, icon_side))
            tile = Tile(theme, background, QPixmap.fromImage(icon))
            tile.clicked.connect(lambda _=False, d=destination: self.chosen.emit(d))
            tiles.addWidget(tile)
            self.tiles[destination] = tile

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.margin * 2, theme.margin * 2, theme.margin * 2,
                                  theme.margin * 2)
        layout.setSpacing(theme.margin * 2)
        layout.addLayout(header)
        layout.addLayout(tiles, 1)

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
        }
        for destination, tile in self.tiles.items():
            tile.setVisible(available[destination])
