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
    QEvent,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QAbstractButton, QLabel, QSizePolicy, QWidget

from kiosk.core.content.imagesafe import sanitise_svg
from kiosk.core.gestures import Gesture, classify
from kiosk.core.typeset import NBSP, SHY, WORD_EDGES, let_go, ties_forward
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
    title: str  # the texts as drawn: typeset ties too wide for the box let go
    subtitle: str


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
    BACKSPACE = "backspace"  # the PIN pad's key that takes the last digit away
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
        # Bundled and trusted, but drawn the one way every drawing is
        # (kiosk.core.content.imagesafe).
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


PICTURE_GIVES = 1 / 2  # of a tile's picture's side, at most, for a title's long word


class PictureTile(TouchButton):
    """A large button that is a picture, a title and a line under it: the menu's tiles, the
    calm screen's rhythms, their words at the type scale's fixed sizes. In the high-contrast
    mode the tile is black with a thick rim of its colour."""

    PRESSED_DARKER = 130  # percent, for the press shade of a filled tile
    # Where the line under the title fits only in the picture's room, it takes it (the
    # menu: "Sincere Service" says little without "Stories told by our staff").
    line_before_picture = False

    def __init__(self, theme: Theme, background: str) -> None:
        super().__init__()
        self.theme = theme
        colours = theme.colours
        self.rim = QColor(background) if colours.outline else QColor()
        self.fill = QColor(colours.paper if colours.outline else background)
        self.ink = QColor(colours.ink if colours.outline else colours.white)
        self.subtitle = ""
        # The tiles of one grid, this one among them (`tile_layout`), and whether they stand
        # side by side, so that their titles stand level.
        self.tile_group: tuple[PictureTile, ...] = ()
        self.level_words = False
        self._without_picture = False  # while tile_layout tries the words alone
        self._share = 1.0  # of the picture's side, while tile_layout tries it smaller
        self._side_cap: float | None = None  # the group's picture size, while laid out
        self._level = 0.0  # the group's tallest words, while laid out
        self._group_fit: tuple[object, float | None, float] = ((), None, 0.0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def boxes(self) -> tuple[QRectF, QRectF]:
        """Where the picture goes, and the box the two texts share."""
        raise NotImplementedError

    def paint_picture(self, painter: QPainter, box: QRectF) -> None:
        raise NotImplementedError

    def text_flags(self) -> int:
        return int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)

    @property
    def picture_beside_words(self) -> bool:
        """The picture stands beside the words (not above them): it can give them width."""
        return True

    def widest_word(self, tied: bool = False) -> int:
        """The title's widest word at its size: where no line of it can break; `tied`: its
        widest run of words the typesetter tied («Моим Документам»)."""
        metrics = QFontMetrics(self.theme.font(self.theme.lead_px, bold=True))
        text = self.text() if tied else self.text().replace("\xa0", " ")
        return max((metrics.horizontalAdvance(run) for run in text.split(" ") if run),
                   default=0)

    def side_beside_words(self, side: float, width: float, pad: float) -> float:
        """The picture's side beside the words in a tile `width` wide: up to half of it given
        where the title's longest word would be wider than the words' column (a 5:4 screen:
        «Документам»» lost its »), or its longest tied run where that much keeps it whole
        (large text: «12 лет «Моим / Документам»», the name broken in two beside a picture
        that could give the room), all of it while `tile_layout` tries the words alone (then
        negative: the words start at the tile's padding); never more than its group's."""
        if self._without_picture:
            return -pad
        room = width - 3 * pad
        least = side * (1 - PICTURE_GIVES)
        tied = self.widest_word(tied=True)
        need = tied if room - tied >= least else self.widest_word()
        # `_share`: less of the picture while `_own_layout` makes room for the line.
        side = max(least, min(side * self._share, room - need - 1))  # 1 px: the box's rounding
        return side if self._side_cap is None else min(side, self._side_cap)

    def tile_layout(self) -> TileLayout:
        """The title at lead size and the line under it at small size, both fixed (type never
        shrinks), centred together in the text box; `fits` says whether both are whole. Where the
        line would not fit whole (a 5:4 screen), the title stands alone: the line's last words were
        cut off, with no «…»; the menu's and the calm screen's tiles first try the line in the
        picture's place (`line_before_picture`). Where even the title is not whole beside the
        picture (large text on a 4:3 or 5:4 screen: «12 лет / «Моим / Документам»» taller than the
        tile), the words take the picture's place: a title whole matters more. In a group, every
        picture is the size the tile needing the smallest has (four tiles had three sizes, their
        words starting at three places), and level words are centred as the group's tallest are."""
        cap, level = self._group_layout()
        self._side_cap, self._level = cap, level
        try:
            return self._own_layout()
        finally:
            self._side_cap, self._level = None, 0.0

    def _group_layout(self) -> tuple[float | None, float]:
        """The group's picture size and the height its words are centred as (kept until a
        tile of it changes size or words)."""
        if not self.tile_group:
            return None, 0.0
        key = tuple((tile.size().toTuple(), tile.text(), tile.subtitle) for tile in self.tile_group)
        if self._group_fit[0] == key:
            return self._group_fit[1], self._group_fit[2]
        beside = [tile for tile in self.tile_group if tile.picture_beside_words]
        cap = min((tile._own_layout().picture.width() for tile in beside), default=None)
        level = 0.0
        if self.level_words:
            for tile in self.tile_group:
                tile._side_cap = cap if tile in beside else None
                try:
                    laid = tile._own_layout()
                finally:
                    tile._side_cap = None
                bottom = laid.subtitle_rect.bottom() if laid.subtitle else laid.title_rect.bottom()
                level = max(level, bottom - laid.title_rect.top())
        for tile in self.tile_group:
            tile._group_fit = (key, cap, level)
        return cap, level

    def _own_layout(self) -> TileLayout:
        # (the picture's share of its side, 0: none; with the line): the first that fits
        # whole, else the title beside the picture as it falls.
        tries = [(1.0, True), (1.0, False), (0.0, True), (0.0, False)]
        if self.line_before_picture:  # the picture gives up to half, then its place
            steps = [1 - PICTURE_GIVES * n / 4 for n in range(5)]
            tries = [*((share, True) for share in steps), (0.0, True), (1.0, False),
                     (0.0, False)]
        fallback: TileLayout | None = None
        for share, with_line in tries:
            if not share and not self.picture_beside_words:
                continue
            self._without_picture, self._share = not share, share or 1.0
            try:
                layout = self._tile_layout(self.subtitle if with_line else "")
            finally:
                self._without_picture, self._share = False, 1.0
            if layout.fits:
                return layout
            if share == 1.0:
                fallback = layout
        assert fallback is not None
        return fallback

    def _tile_layout(self, subtitle: str) -> TileLayout:
        picture, text_box = self.boxes()
        flags = self.text_flags()
        gap = self.theme.space("xs")
        title_font = self.theme.font(self.theme.lead_px, bold=True)
        sub_font = self.theme.font(self.theme.small_px)
        box = text_box.toRect()
        # Words a typesetter tied («Моим Документам») wrap apart where together they are
        # wider than the box (large text), rather than run out of the tile.
        title_text = breakable(self.text(), QFontMetrics(title_font), box.width())
        sub_text = breakable(subtitle, QFontMetrics(sub_font), box.width())
        title = QFontMetrics(title_font).boundingRect(box, flags, title_text)
        sub = QFontMetrics(sub_font).boundingRect(box, flags, sub_text)
        if not subtitle:
            sub, gap = QRect(box.topLeft(), QSize(0, 0)), 0
        total = title.height() + gap + sub.height()
        fits = (total <= text_box.height() + 1 and title.width() <= text_box.width() + 1
                and sub.width() <= text_box.width() + 1)
        # Centred as the group's tallest words are (`level_words`): titles level.
        centred = max(total, self._level) if self._level <= text_box.height() else total
        top = text_box.top() + max(0.0, (text_box.height() - centred) / 2)
        title_rect = QRectF(text_box.left(), top, text_box.width(), title.height())
        sub_rect = QRectF(text_box.left(), top + title.height() + gap, text_box.width(),
                          sub.height())
        return TileLayout(picture, title_rect, sub_rect, title_font, sub_font, fits, title_text,
                          sub_text)

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
        if layout.picture.width() > 0:  # not where the words took its place
            self.paint_picture(painter, layout.picture)
        painter.setPen(self.ink)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setFont(layout.title_font)
        painter.drawText(layout.title_rect, self.text_flags(), layout.title)
        painter.setFont(layout.subtitle_font)
        painter.drawText(layout.subtitle_rect, self.text_flags(), layout.subtitle)
        painter.end()

    def text_spots(self) -> list[TextSpot]:
        layout = self.tile_layout()
        return [TextSpot(layout.title, layout.title_rect.toRect(), self.ink,
                         layout.title_font.pixelSize(), True, layout.fits),
                TextSpot(layout.subtitle, layout.subtitle_rect.toRect(), self.ink,
                         layout.subtitle_font.pixelSize(), False, layout.fits)]


class BigButton(TouchButton):
    """A large rounded button: an icon, a label, or both. `rimmed`: a rim in the ink's
    colour, for a button filled with the colour of the page it sits on (white on cream)."""

    def __init__(self, theme: Theme, text: str = "", icon: Icon = Icon.NONE,
                 background: str | None = None, foreground: str | None = None,
                 font_px: int | None = None, padding: int | None = None,
                 glyph_scale: float = 0.5, rimmed: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.rimmed = rimmed
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
        elif self.rimmed or self.theme.colours.outline:  # high contrast: a black one shows
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

    def width_for(self, count: int) -> int:
        return max(1, count) * self.theme.px(44)

    def sizeHint(self) -> QSize:
        return QSize(self.width_for(self.count), self.theme.px(40))

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


def breakable(text: str, metrics: QFontMetrics, width: int, first_first: bool = False) -> str:
    """A line of typeset text with the ties of a run wider than `width` let go (kiosk.core.
    typeset.let_go): a label cuts off a run it cannot break («маленького помощника», the
    last two words of a title, in large type), where it can wrap at a space. The first tie
    goes first, so the last two words stay together; but where that leaves a Russian
    preposition, a number or an English article at a line's end («Раскраска для / маленького
    помощника», a story's title on every landscape screen), the last goes first: a last
    word alone reads better than a preposition left hanging. With `first_first`, the first
    goes first whatever it leaves (a reading card's title where the other set's line more
    costs its text)."""
    def wide(run: str) -> bool:
        return too_wide(run, metrics, width)

    first = let_go(text, wide)
    if first_first or not _hangs(text, first, metrics, width):
        return first
    last = let_go(text, wide, first=False)
    return first if _hangs(text, last, metrics, width) else last


def _hangs(tied: str, text: str, metrics: QFontMetrics, width: int) -> bool:
    """Whether `text` (the typeset `tied` with ties let go), wrapped at its spaces to `width`
    as a label wraps it, ends a line where a tie was let go after a short Russian word or a
    number before a Russian word («для / маленького», «37 / тысяч»)."""
    line = ""
    start = 0
    for word in text.split(" "):
        joined = f"{line} {word}" if line else word
        if line and too_wide(joined.replace(SHY, ""), metrics, width + 1):
            if tied[start - 1] == NBSP:  # this line's end was a tie
                left = line.split()[-1]
                if ties_forward(left, "ru") or (left.isdigit() and _cyrillic(word)) \
                        or left.strip(WORD_EDGES).lower() in _ARTICLES_EN:
                    return True
            joined = word
        line = joined
        start += len(word) + 1
    return False


# An English article never ends a line ("The / Moscow Kremlin" under a picture in portrait);
# a preposition may, as English keeps "for / a little helper" together.
_ARTICLES_EN = frozenset(("a", "an", "the"))


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)


def too_wide(run: str, metrics: QFontMetrics, width: int) -> bool:
    """Whether `run` (no break inside) overflows a line `width` wide, as Qt wraps: a run as
    wide as the line does not fit it («A birthday cake», 196 px in a 196 px card, was drawn
    198 wide with its overhang, its last letter cut)."""
    return max(metrics.horizontalAdvance(run), metrics.boundingRect(run).width()) >= width


def text_label(theme: Theme, pixels: int, bold: bool = False, colour: str | None = None,
               wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setFont(theme.font(pixels, bold))
    label.setStyleSheet(f"color: {colour or theme.colours.ink}; background: transparent;")
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


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
