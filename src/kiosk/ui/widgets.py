"""Pieces shared by the screens: big buttons with icons, page dots, text, swipes."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractButton, QLabel, QSizePolicy, QWidget

from kiosk.core.gestures import Gesture, classify
from kiosk.core.imagesafe import sanitise_svg
from kiosk.ui.hidpi import ratio_of
from kiosk.ui.resources import assets_dir, svg_renderer
from kiosk.ui.theme import Theme


@dataclass(frozen=True)
class TextSpot:
    """A text a widget paints itself (not a QLabel): where, in which colour and size. The
    accessibility audit (kiosk.ui.audit) measures its contrast against what is really behind
    it on screen."""

    text: str
    rect: QRect  # in the widget's coordinates
    colour: QColor
    pixel_size: int
    bold: bool
    fits: bool = True  # the whole text fits in `rect` (nothing cut)


class TileLayout(NamedTuple):
    picture: QRectF
    title_rect: QRectF
    subtitle_rect: QRectF
    title_font: QFont
    subtitle_font: QFont
    fits: bool  # both texts whole at the chosen size


def tinted(image: QImage, colour: QColor) -> QImage:
    """A one-colour pictogram in `colour`, keeping its shape (alpha)."""
    out = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(out)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(out.rect(), colour)
    painter.end()
    return out


class Icon(Enum):
    """The kiosk's pictograms: Tabler Icons (MIT), one SVG file each in assets/icons/tabler/
    (outline icons with their strokes thickened to 2.5, filled ones where Tabler has them)."""

    HOME = "home"  # filled
    BACK = "arrow-left"
    LEFT = "chevron-left"  # the previous page
    RIGHT = "chevron-right"  # the next page
    RANDOM = "dice-5"  # filled
    FILL = "bucket-droplet"  # a paint bucket pouring: fill a shape
    BRUSH = "brush"
    ERASER = "eraser"
    UNDO = "arrow-back-up"
    NEW_SHEET = "file-plus"  # start over: a fresh sheet
    STAR = "star"  # done; filled
    PICTURES = "library-photo"  # back to the picture picker
    CHECK = "check"
    CROSS = "x"
    TEXT_SIZE = "text-size"  # the large-text switch
    LANGUAGE = "language"
    TOUCH = "hand-finger"
    ALERT = "alert-triangle"  # an urgent notice's band
    NONE = ""

    @property
    def path(self) -> Path:
        return assets_dir() / "icons" / "tabler" / f"{self.value}.svg"


ICON_CACHE_SIZE = 96  # rendered icons kept (a few KB each): every screen's, in both colours
_icon_images: OrderedDict[tuple[Icon, int, int], QImage] = OrderedDict()


def icon_image(icon: Icon, side: int, colour: QColor) -> QImage:
    """The icon drawn `side` pixels square in one colour; null for Icon.NONE or a missing
    file. Rendered once per size and colour and kept, so a repaint costs one image copy."""
    key = (icon, side, colour.rgba())
    image = _icon_images.get(key)
    if image is not None:
        _icon_images.move_to_end(key)
        return image
    image = QImage()
    if icon is not Icon.NONE and side > 0 and icon.path.exists():
        # Tabler draws in `currentColor`: draw black, then tint keeping the shape's alpha.
        data = icon.path.read_bytes().replace(b"currentColor", b"#000000")
        # Bundled and trusted, but drawn the one way every drawing is (kiosk.core.imagesafe).
        checked = sanitise_svg(data)
        renderer = svg_renderer(checked.data) if checked.ok else None
        if renderer is not None and renderer.isValid():
            shape = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
            shape.fill(Qt.GlobalColor.transparent)
            painter = QPainter(shape)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, side, side))
            painter.end()
            image = tinted(shape, colour)
    _icon_images[key] = image
    while len(_icon_images) > ICON_CACHE_SIZE:
        _icon_images.popitem(last=False)
    return image


def draw_icon(painter: QPainter, icon: Icon, box: QRectF, colour: QColor) -> None:
    """The icon in `box` (square, whole device pixels: crisp, not resampled)."""
    ratio = ratio_of(painter.device())
    device_side = round(min(box.width(), box.height()) * ratio)
    image = icon_image(icon, device_side, colour)
    if not image.isNull():
        # Drawn one to one on a Hi-DPI screen too (kiosk.ui.hidpi): `device_side` pixels of
        # the image on as many of the screen, from a whole device pixel.
        side = device_side / ratio
        target = QRectF(round((box.center().x() - side / 2) * ratio) / ratio,
                        round((box.center().y() - side / 2) * ratio) / ratio, side, side)
        painter.drawImage(target, image)


class TouchButton(QAbstractButton):
    """A button for fingers: no keyboard focus (no focus frame, no key presses), a pointing
    cursor where a mouse is used. Reacts on release, so a finger that slides off cancels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class PictureTile(TouchButton):
    """A large button that is a picture, a title and a line under it: the menu's tiles, the
    calm screen's rhythms, their words at the type scale's fixed sizes. In the high-contrast
    mode the tile is black with a thick rim of its colour."""

    PRESSED_DARKER = 130  # percent, for the press shade of a filled tile

    def __init__(self, theme: Theme, background: str) -> None:
        super().__init__()
        self.theme = theme
        colours = theme.colours
        self.rim = QColor(background) if colours.outline else QColor()
        self.fill = QColor(colours.paper if colours.outline else background)
        self.ink = QColor(colours.ink if colours.outline else colours.white)
        self.subtitle = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def boxes(self) -> tuple[QRectF, QRectF]:
        """Where the picture goes, and the box the two texts share."""
        raise NotImplementedError

    def paint_picture(self, painter: QPainter, box: QRectF) -> None:
        raise NotImplementedError

    def text_flags(self) -> int:
        return int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)

    def tile_layout(self) -> TileLayout:
        """The title at lead size and the line under it at small size, both fixed (type never
        shrinks), centred together in the text box; `fits` says whether both are whole."""
        picture, text_box = self.boxes()
        flags = self.text_flags()
        gap = self.theme.space("xs")
        title_font = self.theme.font(self.theme.lead_px, bold=True)
        sub_font = self.theme.font(self.theme.small_px)
        box = text_box.toRect()
        title = QFontMetrics(title_font).boundingRect(box, flags, self.text())
        sub = QFontMetrics(sub_font).boundingRect(box, flags, self.subtitle)
        if not self.subtitle:
            sub, gap = QRect(box.topLeft(), QSize(0, 0)), 0
        total = title.height() + gap + sub.height()
        fits = (total <= text_box.height() + 1 and title.width() <= text_box.width() + 1
                and sub.width() <= text_box.width() + 1)
        top = text_box.top() + max(0.0, (text_box.height() - total) / 2)
        title_rect = QRectF(text_box.left(), top, text_box.width(), title.height())
        sub_rect = QRectF(text_box.left(), top + title.height() + gap, text_box.width(),
                          sub.height())
        return TileLayout(picture, title_rect, sub_rect, title_font, sub_font, fits)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = QRectF(self.rect())
        radius = self.theme.px(40)
        fill = self.fill
        if self.rim.isValid():
            rim = self.theme.px(12 if self.isDown() else 6)  # pressed: the rim thickens
            painter.setPen(QPen(self.rim, rim))
            rect = rect.adjusted(rim / 2, rim / 2, -rim / 2, -rim / 2)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            fill = fill.darker(self.PRESSED_DARKER) if self.isDown() else fill
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        layout = self.tile_layout()
        self.paint_picture(painter, layout.picture)
        painter.setPen(self.ink)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setFont(layout.title_font)
        painter.drawText(layout.title_rect, self.text_flags(), self.text())
        painter.setFont(layout.subtitle_font)
        painter.drawText(layout.subtitle_rect, self.text_flags(), self.subtitle)
        painter.end()

    def text_spots(self) -> list[TextSpot]:
        layout = self.tile_layout()
        return [TextSpot(self.text(), layout.title_rect.toRect(), self.ink,
                         layout.title_font.pixelSize(), True, layout.fits),
                TextSpot(self.subtitle, layout.subtitle_rect.toRect(), self.ink,
                         layout.subtitle_font.pixelSize(), False, layout.fits)]


class BigButton(TouchButton):
    """A large rounded button: an icon, a label, or both."""

    def __init__(self, theme: Theme, text: str = "", icon: Icon = Icon.NONE,
                 background: str | None = None, foreground: str | None = None,
                 font_px: int | None = None, padding: int | None = None,
                 glyph_scale: float = 0.5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.glyph = icon
        self.glyph_scale = glyph_scale
        self.padding = theme.px(40) if padding is None else padding
        self.background = QColor(background or theme.colours.blue)
        self.foreground = QColor(foreground or theme.colours.white)
        self.setText(text)
        self.setFont(theme.font(font_px or theme.heading_px, bold=True))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        side = self.theme.touch_px
        if not self.text():
            return QSize(side, side)
        text_width = self.fontMetrics().horizontalAdvance(self.text())
        icon_width = round(side * 0.5) + self.theme.px(20) if self.glyph is not Icon.NONE else 0
        return QSize(max(side, text_width + icon_width + 2 * self.padding), side)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.theme.touch_px, self.theme.touch_px)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.isEnabled():
            painter.setOpacity(0.3)  # still visible, clearly not available
        rect = QRectF(self.rect())
        fill = self.background.darker(125) if self.isDown() else self.background
        if self.isCheckable() and not self.isChecked():
            fill = QColor(self.theme.colours.white)
        radius = min(rect.height() / 2, self.theme.px(36))
        if self.isCheckable():
            painter.setPen(QPen(self.background, self.theme.px(4)))
        elif self.theme.colours.outline:  # high contrast: a rim, so a black button shows
            painter.setPen(QPen(self.foreground, self.theme.px(4)))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        inset = self.theme.px(2)
        painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), radius, radius)
        ink = self.foreground if not self.isCheckable() or self.isChecked() else self.background
        text_width = self.fontMetrics().horizontalAdvance(self.text()) if self.text() else 0
        icon_side = rect.height() * self.glyph_scale if self.glyph is not Icon.NONE else 0
        gap = self.theme.px(20) if text_width and icon_side else 0
        left = rect.center().x() - (text_width + icon_side + gap) / 2
        if icon_side:
            box = QRectF(left, rect.center().y() - icon_side / 2, icon_side, icon_side)
            draw_icon(painter, self.glyph, box, ink)
        if text_width:
            painter.setPen(ink)
            painter.setFont(self.font())
            text_rect = QRectF(left + icon_side + gap, rect.top(), text_width + 2, rect.height())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             self.text())
        painter.end()

    def ink(self) -> QColor:
        """The colour of the label and icon as painted now."""
        return self.foreground if not self.isCheckable() or self.isChecked() else self.background

    def text_spots(self) -> list[TextSpot]:
        if not self.text():
            return []
        metrics = self.fontMetrics()
        text_width = metrics.horizontalAdvance(self.text())
        icon_side = round(self.height() * self.glyph_scale) if self.glyph is not Icon.NONE else 0
        gap = self.theme.px(20) if icon_side else 0
        left = round(self.width() / 2 - (text_width + icon_side + gap) / 2) + icon_side + gap
        top = (self.height() - metrics.height()) // 2
        rect = QRect(left, top, text_width, metrics.height())
        return [TextSpot(self.text(), rect, self.ink(), self.font().pixelSize(), True,
                         fits=QRect(self.rect()).contains(rect))]


class IconButton(TouchButton):
    """A wordless square button showing a one-colour pictogram (an `Icon`, or an image from
    assets/icons), tinted to the theme; checkable buttons show their state by filling in."""

    def __init__(self, theme: Theme, icon: QImage | Icon, side: int | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.pictogram = icon
        side = side or theme.touch_px
        self.setFixedSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        colours = self.theme.colours
        on = self.isChecked() or self.isDown()
        fill = QColor(colours.blue if on else colours.white)
        ink = QColor(colours.white if on else colours.blue)
        rect = QRectF(self.rect())
        inset = self.theme.px(2)
        radius = min(rect.height() / 2, self.theme.px(36))
        painter.setPen(QPen(QColor(colours.blue), self.theme.px(4)))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect.adjusted(inset, inset, -inset, -inset), radius, radius)
        side = round(rect.height() * 0.62)
        box = QRect(round(rect.center().x() - side / 2), round(rect.center().y() - side / 2),
                    side, side)
        if isinstance(self.pictogram, Icon):
            draw_icon(painter, self.pictogram, QRectF(box), ink)
        else:
            painter.drawImage(box, tinted(self.pictogram, ink))
        painter.end()


class PageDots(QWidget):
    """● ○ ○ — where you are among the pages, big enough to see from two metres."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.count = 0
        self.current = 0
        self.setFixedHeight(theme.px(40))

    def set_position(self, current: int, count: int) -> None:
        if (current, count) != (self.current, self.count):
            self.current, self.count = current, count
            self.updateGeometry()
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(max(1, self.count) * self.theme.px(44), self.theme.px(40))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.count:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        step = self.theme.px(44)
        radius = self.theme.px(12)
        left = (self.width() - step * self.count) / 2 + step / 2
        for i in range(self.count):
            centre = QPointF(left + i * step, self.height() / 2)
            if i == self.current:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(self.theme.colours.blue))
                painter.drawEllipse(centre, radius * 1.25, radius * 1.25)
            else:
                painter.setPen(QPen(QColor(self.theme.colours.blue), self.theme.px(4)))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, radius * 0.8, radius * 0.8)
        painter.end()


def text_label(theme: Theme, pixels: int, bold: bool = False, colour: str | None = None,
               wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setFont(theme.font(pixels, bold))
    label.setStyleSheet(f"color: {colour or theme.colours.ink}; background: transparent;")
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


MARKDOWN_FEATURES = QTextDocument.MarkdownFeature.MarkdownNoHTML


class InertTextDocument(QTextDocument):
    """A text document that loads nothing. QTextDocument reads any file an image in the text
    names, whatever the path (/dev/zero aborted the kiosk, a FIFO froze it); and when the
    answer is no picture, Qt's image handler opens the file itself. So every request gets a
    blank: a 1-pixel transparent picture for images, nothing for the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[str] = []  # what the text asked for, never fetched (for tests)

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        self.requests.append(name.toString() if isinstance(name, QUrl) else name)
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return _blank_picture()
        return QByteArray()


def _blank_picture() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    return image


def markdown_document(markdown: str) -> QTextDocument:
    """Qt's own CommonMark reader, with raw HTML switched off, into a document that loads
    nothing; the images the text has are taken out (kiosk check names each as an error)."""
    document = InertTextDocument()
    document.setDocumentMargin(0)
    document.setMarkdown(markdown, MARKDOWN_FEATURES)
    _drop_images(document)
    return document


def _drop_images(document: QTextDocument) -> None:
    spans: list[tuple[int, int]] = []
    block = document.begin()
    while block.isValid():
        piece = block.begin()
        while not piece.atEnd():
            fragment = piece.fragment()
            if fragment.isValid() and fragment.charFormat().isImageFormat():
                spans.append((fragment.position(), fragment.length()))
            piece += 1
        block = block.next()
    if not spans:
        return
    cursor = QTextCursor(document)
    for position, length in reversed(spans):
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()


class MarkdownView(QWidget):
    """Markdown text at one fixed type size, never smaller: a text longer than the box is
    split into pages of whole lines (by the document's own layout), shown one at a time."""

    paginated = Signal()  # the pages were worked out again (new text, new size)
    LINE_HEIGHT = 108  # percent of the font's own line spacing: 1.4 × the type size

    def __init__(self, theme: Theme, font_px: int, colour: str | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.font_px = font_px
        self.colour = QColor(colour or theme.colours.ink)
        self.document = markdown_document("")
        self.markdown = ""
        self.page = 0
        # Each page as the (top, bottom) of its lines in the document, in pixels.
        self.pages: list[tuple[float, float]] = []
        # Room kept free at the top of the first page and of the others (a title above the
        # text on the first page, a running head on the rest).
        self.first_inset = 0
        self.rest_inset = 0
        self._paged_for: tuple[str, int, int, int, int, int] | None = None
        self._repage_queued = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_font_px(self, pixels: int) -> None:
        if pixels != self.font_px:
            self.font_px = pixels
            self._repage_soon()

    def set_insets(self, first: int, rest: int) -> None:
        """Keep `first` pixels free at the top of the first page, `rest` on the others."""
        if (first, rest) != (self.first_inset, self.rest_inset):
            self.first_inset, self.rest_inset = first, rest
            self._repage_soon()

    def _repage_soon(self) -> None:
        """Page the text once what changes it has settled (a new text, then its insets, then
        a resize: each paged at once laid the whole text out again, 2-11 times an opening),
        or at once when asked for its pages."""
        self.update()
        if not self._repage_queued:
            self._repage_queued = True
            QTimer.singleShot(0, self, self._repage)

    def _repage(self) -> None:
        self._repage_queued = False
        self._paginate()

    def inset(self, page: int) -> int:
        return self.first_inset if page == 0 else self.rest_inset

    def set_markdown(self, markdown: str) -> None:
        """Show `markdown` from its first page."""
        self.page = 0
        if markdown != self.markdown:
            self.markdown = markdown
            self.document = markdown_document(markdown)
            self._paged_for = None
            self._repage_soon()
        self.update()

    @property
    def page_count(self) -> int:
        self._paginate()
        return max(1, len(self.pages))

    def set_page(self, page: int) -> None:
        self.page = min(max(page, 0), self.page_count - 1)
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._repage_soon()

    def overflows(self) -> bool:
        """True when the page shown is cut: only a single line taller than the box is."""
        top, bottom = self._page_span()
        return bottom - top > self.height() - self.inset(self.page) + 1

    def text_spots(self) -> list[TextSpot]:
        """The lines of the page shown, for the accessibility audit."""
        if not self.markdown.strip():
            return []
        top, bottom = self._page_span()
        inset = self.inset(self.page)
        rect = QRect(0, inset, self.width(), max(1, min(self.height() - inset,
                                                        round(bottom - top))))
        return [TextSpot(self.page_text(self.page), rect, self.colour, self.font_px, False,
                         not self.overflows())]

    def page_text(self, page: int) -> str:
        """The words on `page`, line by line: what a visitor reads there."""
        self._paginate()
        if not self.pages:
            return ""
        top, bottom = self.pages[min(max(page, 0), len(self.pages) - 1)]
        lines = []
        for y, text in self._lines():
            if top - 0.5 <= y < bottom - 0.5:
                lines.append(text)
        return "\n".join(lines)

    def _lines(self) -> list[tuple[float, str]]:
        """Every laid-out line: its top in the document, and its text."""
        found = []
        layout = self.document.documentLayout()
        block = self.document.begin()
        while block.isValid():
            top = layout.blockBoundingRect(block).top()
            text_layout = block.layout()
            text = block.text()
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                found.append((top + line.y(),
                              text[line.textStart():line.textStart() + line.textLength()]))
            block = block.next()
        return found

    def _page_span(self) -> tuple[float, float]:
        self._paginate()
        if not self.pages:
            return 0.0, 0.0
        return self.pages[min(self.page, len(self.pages) - 1)]

    def _paginate(self) -> None:
        key = (self.markdown, self.width(), self.height(), self.font_px, self.first_inset,
               self.rest_inset)
        if self._paged_for == key:
            return
        self._paged_for = key
        self.document.setDefaultFont(self.theme.font(self.font_px))
        self._space_lines()
        self.document.setTextWidth(max(1, self.width()))
        # Every line: its top and bottom in the document, and whether it starts a paragraph.
        lines: list[tuple[float, float, bool]] = []
        layout = self.document.documentLayout()
        block = self.document.begin()
        while block.isValid():
            block_top = layout.blockBoundingRect(block).top()
            text_layout = block.layout()
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                lines.append((block_top + line.y(), block_top + line.y() + line.height(),
                              i == 0))
            block = block.next()
        # A first page with room for a line or two under a long title in large type carries
        # none: a lone line and a blank page foot read as a fault, a title page does not.
        first_fit = sum(1 for _top, bottom, _ in lines
                        if lines and bottom - lines[0][0] <= self._room(0))
        cover = len(lines) > 0 and first_fit < min(self.FIRST_PAGE_LINES, len(lines))
        starts = self._breaks(lines, 1 if cover else 0)
        pages = [(lines[first][0], lines[last - 1][1]) for first, last
                 in zip(starts, [*starts[1:], len(lines)], strict=True)]
        if cover:
            pages.insert(0, (lines[0][0], lines[0][0]))
        self.pages = pages
        self.page = min(self.page, max(0, len(pages) - 1))
        self.paginated.emit()

    MIN_LINES = 3  # on a page that ends a text; a break may move up by fewer
    FIRST_PAGE_LINES = 2  # fewer fit under the title: the text starts on the next page

    def _room(self, page: int) -> float:
        return max(1, self.height() - self.inset(page))

    def _breaks(self, lines: list[tuple[float, float, bool]], first_page: int = 0) -> list[int]:
        """The first line of each page: as many whole lines as each page's room takes, with
        the breaks a typesetter would move: no paragraph's first line alone at the foot of a
        page, and no last page of one or two lines when the page before can spare them."""
        starts: list[int] = []
        for index, (_, bottom, _) in enumerate(lines):
            if not starts:
                starts.append(index)
                continue
            previous = starts[-1]
            if bottom - lines[previous][0] <= self._room(first_page + len(starts) - 1) \
                    or index == previous:
                continue
            # `index` does not fit: the page breaks before it, or a line earlier when the
            # line above begins a paragraph that goes on over the break.
            orphan = lines[index - 1][2] and not lines[index][2] \
                and index - 1 - previous >= self.MIN_LINES
            starts.append(index - 1 if orphan else index)
        if len(starts) > 1:
            last, previous = starts[-1], starts[-2]
            short = self.MIN_LINES - (len(lines) - last)
            moved = last - short
            if short > 0 and moved - previous >= self.MIN_LINES \
                    and lines[-1][1] - lines[moved][0] <= self._room(first_page + len(starts) - 1):
                starts[-1] = moved
        return starts

    def _space_lines(self) -> None:
        """Body text at 1.4 × its size (the type scale's line height for reading)."""
        cursor = QTextCursor(self.document)
        cursor.select(QTextCursor.SelectionType.Document)
        spacing = QTextBlockFormat()
        spacing.setLineHeight(self.LINE_HEIGHT,
                              QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.mergeBlockFormat(spacing)

    def paintEvent(self, event: QPaintEvent) -> None:
        top, bottom = self._page_span()
        inset = self.inset(self.page)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        # Only this page's lines: the next page's first line must not peek in below.
        painter.setClipRect(QRectF(0, inset, self.width(),
                                   min(self.height() - inset, bottom - top)))
        painter.translate(0, inset - top)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, self.colour)
        self.document.documentLayout().draw(painter, context)
        painter.end()


class SwipeDetector(QObject):
    """Watches a widget's presses and releases and reports swipes; taps pass through."""

    swiped = Signal(Gesture)

    def __init__(self, target: QWidget, width: Callable[[], int]) -> None:
        super().__init__(target)
        self._width = width
        self._start: tuple[QPointF, float] | None = None
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._start = (event.globalPosition(), time.monotonic())
        elif (event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent)
              and self._start is not None):
            start, began = self._start
            self._start = None
            delta = event.globalPosition() - start
            gesture = classify(delta.x(), delta.y(), time.monotonic() - began, self._width())
            if gesture in (Gesture.SWIPE_LEFT, Gesture.SWIPE_RIGHT):
                self.swiped.emit(gesture)
                return True
        return False
