"""Pieces shared by the screens: big buttons with drawn icons, page dots, text, swipes."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextDocument,
    QTransform,
)
from PySide6.QtWidgets import QAbstractButton, QLabel, QSizePolicy, QWidget

from kiosk.core.gestures import Gesture, classify
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
    HOME = "home"
    LEFT = "left"
    RIGHT = "right"
    RANDOM = "random"
    FILL = "fill"  # a drop: pour colour into a shape
    DOT = "dot"  # the brush: a round dot
    ERASER = "eraser"
    UNDO = "undo"
    NEW_SHEET = "new_sheet"  # start over
    STAR = "star"  # done
    PICTURES = "pictures"  # back to the picture picker
    CHECK = "check"
    CROSS = "cross"
    NONE = "none"


def _stroked(path: QPainterPath, width: float) -> QPainterPath:
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return stroker.createStroke(path).simplified()


def _icon_path(icon: Icon, box: QRectF) -> QPainterPath:
    """Simple, bold pictograms that need no font and no words."""
    path = QPainterPath()
    x, y, w, h = box.x(), box.y(), box.width(), box.height()

    def at(fx: float, fy: float) -> QPointF:
        return QPointF(x + w * fx, y + h * fy)

    if icon is Icon.HOME:
        path.moveTo(x + w * 0.5, y + h * 0.08)
        path.lineTo(x + w * 0.95, y + h * 0.5)
        path.lineTo(x + w * 0.82, y + h * 0.5)
        path.lineTo(x + w * 0.82, y + h * 0.92)
        path.lineTo(x + w * 0.6, y + h * 0.92)
        path.lineTo(x + w * 0.6, y + h * 0.65)
        path.lineTo(x + w * 0.4, y + h * 0.65)
        path.lineTo(x + w * 0.4, y + h * 0.92)
        path.lineTo(x + w * 0.18, y + h * 0.92)
        path.lineTo(x + w * 0.18, y + h * 0.5)
        path.lineTo(x + w * 0.05, y + h * 0.5)
        path.closeSubpath()
    elif icon in (Icon.LEFT, Icon.RIGHT):
        points = [(0.62, 0.12), (0.24, 0.5), (0.62, 0.88), (0.76, 0.76), (0.5, 0.5), (0.76, 0.24)]
        if icon is Icon.RIGHT:
            points = [(1 - px, py) for px, py in points]
        path.moveTo(x + w * points[0][0], y + h * points[0][1])
        for px, py in points[1:]:
            path.lineTo(x + w * px, y + h * py)
        path.closeSubpath()
    elif icon is Icon.FILL:
        path.moveTo(x + w * 0.5, y + h * 0.06)
        path.cubicTo(x + w * 0.5, y + h * 0.06, x + w * 0.16, y + h * 0.5,
                     x + w * 0.16, y + h * 0.64)
        path.cubicTo(x + w * 0.16, y + h * 0.84, x + w * 0.32, y + h * 0.96,
                     x + w * 0.5, y + h * 0.96)
        path.cubicTo(x + w * 0.68, y + h * 0.96, x + w * 0.84, y + h * 0.84,
                     x + w * 0.84, y + h * 0.64)
        path.cubicTo(x + w * 0.84, y + h * 0.5, x + w * 0.5, y + h * 0.06,
                     x + w * 0.5, y + h * 0.06)
        path.closeSubpath()
    elif icon is Icon.DOT:
        path.addEllipse(box.center(), w / 2, h / 2)
    elif icon is Icon.ERASER:
        # A tilted eraser: outlined body, solid tip, and the line it leaves on the paper.
        turn = QTransform().translate(x + w * 0.5, y + h * 0.45).rotate(-35)
        body = QPainterPath()
        body.addRoundedRect(QRectF(-w * 0.4, -h * 0.17, w * 0.8, h * 0.34), w * 0.07, h * 0.07)
        tip = QPainterPath()
        tip.addRoundedRect(QRectF(-w * 0.4, -h * 0.17, w * 0.3, h * 0.34), w * 0.07, h * 0.07)
        path = turn.map(_stroked(body, w * 0.08)).united(turn.map(tip))
        path.addRoundedRect(QRectF(x + w * 0.1, y + h * 0.86, w * 0.8, h * 0.07), w * 0.03,
                            h * 0.03)
    elif icon is Icon.UNDO:
        arc = QPainterPath()
        arc.moveTo(x + w * 0.3, y + h * 0.38)
        arc.cubicTo(at(0.55, 0.25), at(0.9, 0.35), at(0.85, 0.62))
        arc.cubicTo(at(0.8, 0.82), at(0.6, 0.88), at(0.45, 0.86))
        path = _stroked(arc, w * 0.13)
        head = QPainterPath()
        head.moveTo(x + w * 0.06, y + h * 0.42)
        head.lineTo(x + w * 0.42, y + h * 0.14)
        head.lineTo(x + w * 0.42, y + h * 0.66)
        head.closeSubpath()
        path = path.united(head)
    elif icon is Icon.NEW_SHEET:
        sheet = QPainterPath()
        sheet.moveTo(x + w * 0.2, y + h * 0.06)
        sheet.lineTo(x + w * 0.62, y + h * 0.06)
        sheet.lineTo(x + w * 0.82, y + h * 0.26)
        sheet.lineTo(x + w * 0.82, y + h * 0.94)
        sheet.lineTo(x + w * 0.2, y + h * 0.94)
        sheet.closeSubpath()
        path = _stroked(sheet, w * 0.09)
        sparkle = QPainterPath()
        sparkle.moveTo(x + w * 0.51, y + h * 0.4)
        sparkle.lineTo(x + w * 0.51, y + h * 0.76)
        sparkle.moveTo(x + w * 0.33, y + h * 0.58)
        sparkle.lineTo(x + w * 0.69, y + h * 0.58)
        path = path.united(_stroked(sparkle, w * 0.09))
    elif icon is Icon.STAR:
        for i in range(10):
            radius = 0.48 if i % 2 == 0 else 0.2
            angle = -math.pi / 2 + i * math.pi / 5
            point = QPointF(x + w * (0.5 + radius * math.cos(angle)),
                            y + h * (0.54 + radius * math.sin(angle)))
            if i == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        path.closeSubpath()
    elif icon is Icon.PICTURES:
        for col in (0, 1):
            for row in (0, 1):
                path.addRoundedRect(QRectF(x + w * (0.08 + 0.46 * col), y + h * (0.08 + 0.46 * row),
                                           w * 0.38, h * 0.38), w * 0.06, h * 0.06)
    elif icon is Icon.CHECK:
        tick = QPainterPath()
        tick.moveTo(x + w * 0.12, y + h * 0.52)
        tick.lineTo(x + w * 0.4, y + h * 0.8)
        tick.lineTo(x + w * 0.9, y + h * 0.22)
        path = _stroked(tick, w * 0.16)
    elif icon is Icon.CROSS:
        cross = QPainterPath()
        cross.moveTo(x + w * 0.18, y + h * 0.18)
        cross.lineTo(x + w * 0.82, y + h * 0.82)
        cross.moveTo(x + w * 0.82, y + h * 0.18)
        cross.lineTo(x + w * 0.18, y + h * 0.82)
        path = _stroked(cross, w * 0.16)
    elif icon is Icon.RANDOM:
        # A die showing five.
        path.addRoundedRect(QRectF(x + w * 0.1, y + h * 0.1, w * 0.8, h * 0.8), w * 0.16, h * 0.16)
        for px, py in ((0.32, 0.32), (0.68, 0.32), (0.5, 0.5), (0.32, 0.68), (0.68, 0.68)):
            path.addEllipse(QPointF(x + w * px, y + h * py), w * 0.075, h * 0.075)
        path.setFillRule(Qt.FillRule.OddEvenFill)
    return path


class TouchButton(QAbstractButton):
    """A button for fingers: no keyboard focus (no focus frame, no key presses), a pointing
    cursor where a mouse is used. Reacts on release, so a finger that slides off cancels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class PictureTile(TouchButton):
    """A large button that is a picture, a title and a line under it: the menu's tiles, the
    calm screen's rhythms. The title takes the largest of `TITLE_PX` at which both texts
    fit whole. In the high-contrast mode the tile is black with a thick rim of its colour."""

    TITLE_PX: tuple[int, ...] = (54, 48, 42, 38)  # at 1080p
    SMALL_SUBTITLE_FROM_PX = 42  # a title this size or smaller takes a smaller subtitle
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
        picture, text_box = self.boxes()
        flags = self.text_flags()
        gap = self.theme.px(12)
        box = text_box.toRect()
        for title_px in self.TITLE_PX:
            title_font = self.theme.font(self.theme.text_px(title_px), bold=True)
            sub_px = 32 if title_px <= self.SMALL_SUBTITLE_FROM_PX else 36
            sub_font = self.theme.font(self.theme.text_px(sub_px))
            title = QFontMetrics(title_font).boundingRect(box, flags, self.text())
            sub = QFontMetrics(sub_font).boundingRect(box, flags, self.subtitle)
            total = title.height() + gap + sub.height()
            fits = (total <= text_box.height() and title.width() <= text_box.width() + 1
                    and sub.width() <= text_box.width() + 1)
            if fits:
                break
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
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink)
            painter.drawPath(_icon_path(self.glyph, box))
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
    """A wordless square button showing a one-colour SVG pictogram from assets/icons,
    tinted to the theme; checkable buttons show their state by filling in."""

    def __init__(self, theme: Theme, icon: QImage, side: int | None = None) -> None:
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


def markdown_document(markdown: str) -> QTextDocument:
    """Qt's own CommonMark reader, with raw HTML switched off: staff text cannot pull in
    images, styles or links from anywhere."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setMarkdown(markdown, MARKDOWN_FEATURES)
    return document


class MarkdownView(QWidget):
    """Markdown text that shrinks its type (never below `min_px`) until it fits its box."""

    def __init__(self, theme: Theme, max_px: int, min_px: int, colour: str | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.max_px = max_px
        self.min_px = min_px
        self.colour = QColor(colour or theme.colours.ink)
        self.document = markdown_document("")
        self.markdown = ""
        self.font_px = max_px
        self._fitted_for: tuple[str, int, int, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_markdown(self, markdown: str) -> None:
        if markdown != self.markdown:
            self.markdown = markdown
            self.document = markdown_document(markdown)
            self._fitted_for = None
            self._fit()
            self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()

    def overflows(self) -> bool:
        """True when even the smallest allowed type does not fit (the text is cut)."""
        self._fit()
        return self._height_at(self.font_px) > self.height()

    def _height_at(self, pixels: int) -> float:
        self.document.setDefaultFont(self.theme.font(pixels))
        self.document.setTextWidth(max(1, self.width()))
        return self.document.size().height()

    def _fit(self) -> None:
        key = (self.markdown, self.width(), self.height(), self.max_px)
        if self._fitted_for == key:
            return
        self._fitted_for = key
        pixels = self.max_px
        while pixels > self.min_px and self._height_at(pixels) > self.height():
            pixels -= 2
        self.font_px = max(pixels, self.min_px)
        self._height_at(self.font_px)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setClipRect(self.rect())
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
