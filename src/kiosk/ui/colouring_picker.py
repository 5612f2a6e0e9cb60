"""The colouring page's picker: big thumbnails of the pictures in content/colouring/."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.i18n import tr
from kiosk.core.model import ColouringPicture, Content
from kiosk.ui.resources import ImageCache, render_image
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, TextSpot, TouchButton, text_label

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
        painter.setBrush(QColor(self.theme.colours.white))
        painter.drawRoundedRect(rect, radius, radius)
        border = QColor(self.theme.colours.orange if self.isDown() else self.theme.colours.blue)
        pen_width = self.theme.px(10 if self.isDown() else 5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(border, pen_width))
        painter.drawRoundedRect(rect, radius, radius)
        title_height = self.theme.text_px(84)  # two lines of small type, one of large
        pad = self.theme.px(24)
        box = rect.adjusted(pad, pad, -pad, -pad - title_height)
        pixmap = self._thumbnail(box.size().toSize())
        target = QRectF(box.center().x() - pixmap.width() / 2,
                        box.center().y() - pixmap.height() / 2, pixmap.width(), pixmap.height())
        painter.drawPixmap(target.toRect(), pixmap)
        painter.setPen(QColor(self.theme.colours.ink))
        title_box, font, _ = self._title()
        painter.setFont(font)
        painter.drawText(title_box, self.FLAGS, self.text())
        painter.end()

    FLAGS = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)

    def _title(self) -> tuple[QRectF, QFont, bool]:
        """The title's box under the picture, and the largest type at which it fits whole."""
        rect = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        title_height = self.theme.text_px(84)  # two lines of small type, one of large
        pad = self.theme.px(24)
        title_box = QRectF(rect.left() + pad / 2, rect.bottom() - title_height - pad / 2,
                           rect.width() - pad, title_height)
        fits = False
        for pixels in (38, 34, 30, 28):
            font = self.theme.font(self.theme.text_px(pixels), bold=True)
            needed = QFontMetrics(font).boundingRect(
                QRectF(title_box.left(), 0, title_box.width(), 10_000).toRect(), self.FLAGS,
                self.text())
            fits = needed.height() <= title_box.height() and needed.width() <= title_box.width()
            if fits:
                break
        return title_box, font, fits

    def text_spots(self) -> list[TextSpot]:
        box, font, fits = self._title()
        return [TextSpot(self.text(), box.toRect(), QColor(self.theme.colours.ink),
                         font.pixelSize(), True, fits)]


class ColouringPickerScreen(Screen):
    picture_chosen = Signal(str)

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.title = text_label(theme, theme.title_px, bold=True)
        self.home = BigButton(theme, icon=Icon.HOME, background=theme.colours.orange,
                              foreground=theme.colours.ink)
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
            thumbnail.hide()  # out of the layout it stays a visible child until deleted
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
