"""The colouring page's picker: big thumbnails of the pictures in content/colouring/."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import tr
from kiosk.core.model import ColouringPicture, Content
from kiosk.ui import theme as th
from kiosk.ui.resources import ImageCache, render_image
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, TouchButton, text_label

MAX_PICTURES = 12  # more would make every picture too small to recognise


class Thumbnail(TouchButton):
    """A picture on a white card: the whole card is the button, the title is under it."""

    def __init__(self, theme: Theme, picture: ColouringPicture) -> None:
        super().__init__()
        self.theme = theme
        self.picture = picture
        self._pixmap = QPixmap()
        self._pixmap_box = QSize()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(360), self.theme.px(360))

    def _thumbnail(self, size: QSize) -> QPixmap:
        """Rendered once per size and kept: a press repaints the card, not the drawing."""
        if self._pixmap.isNull() or self._pixmap_box != size:
            self._pixmap = QPixmap.fromImage(render_image(self.picture.source, size))
            self._pixmap_box = size
        return self._pixmap

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        radius = self.theme.px(32)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(th.WHITE))
        painter.drawRoundedRect(rect, radius, radius)
        border = QColor(th.ORANGE if self.isDown() else th.BLUE)
        pen_width = self.theme.px(10 if self.isDown() else 5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(border, pen_width))
        painter.drawRoundedRect(rect, radius, radius)
        title_height = self.theme.px(84)  # two lines of small type, one of large
        pad = self.theme.px(24)
        box = rect.adjusted(pad, pad, -pad, -pad - title_height)
        pixmap = self._thumbnail(box.size().toSize())
        target = QRectF(box.center().x() - pixmap.width() / 2,
                        box.center().y() - pixmap.height() / 2, pixmap.width(), pixmap.height())
        painter.drawPixmap(target.toRect(), pixmap)
        painter.setPen(QColor(th.INK))
        title_box = QRectF(rect.left() + pad / 2, rect.bottom() - title_height - pad / 2,
                           rect.width() - pad, title_height)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        for pixels in (38, 34, 30, 28):  # the largest type at which the title fits whole
            painter.setFont(self.theme.font(self.theme.px(pixels), bold=True))
            needed = painter.boundingRect(QRectF(title_box.left(), 0, title_box.width(), 10_000),
                                          flags, self.text())
            if needed.height() <= title_box.height() and needed.width() <= title_box.width():
                break
        painter.drawText(title_box, flags, self.text())
        painter.end()


class ColouringPickerScreen(Screen):
    picture_chosen = Signal(str)

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.title = text_label(theme, theme.title_px, bold=True)
        self.home = BigButton(theme, icon=Icon.HOME, background=th.ORANGE, foreground=th.INK)
        self.home.clicked.connect(self.home_requested)
        self.grid = QGridLayout()
        self.grid.setSpacing(theme.margin)
        self.thumbnails: list[Thumbnail] = []
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.home)
        layout = QVBoxLayout(self)
        margin = theme.margin * 2
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(theme.margin)
        layout.addLayout(header)
        layout.addLayout(self.grid, 1)

    def set_content(self, content: Content) -> None:
        super().set_content(content)
        for thumbnail in self.thumbnails:
            self.grid.removeWidget(thumbnail)
            thumbnail.deleteLater()
        self.thumbnails = []
        pictures = self.content.colouring if self.content else ()
        shown = pictures[:MAX_PICTURES]
        # Landscape: two rows; portrait: three columns (two when there are few pictures).
        if self.theme.portrait:
            columns = 3 if len(shown) > 4 else 2
        else:
            columns = max(2, math.ceil(len(shown) / 2))
        for i, picture in enumerate(shown):
            thumbnail = Thumbnail(self.theme, picture)
            thumbnail.clicked.connect(lambda _=False, p=picture.id: self.picture_chosen.emit(p))
            self.grid.addWidget(thumbnail, i // columns, i % columns)
            self.thumbnails.append(thumbnail)
        self.refresh()

    def render_view(self) -> None:
        self.title.setText(tr("colouring_title", self.lang))
        self.home.setText(tr("home", self.lang))
        for thumbnail in self.thumbnails:
            thumbnail.setText(thumbnail.picture.title.get(self.lang))
            thumbnail.update()
