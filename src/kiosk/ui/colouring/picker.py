"""The colouring page's picker: each picture of content/colouring/ shown already coloured in,
so a child sees what it can become, with its title under it."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.content.loader import COLOURING_MOST
from kiosk.core.content.model import ColouringPicture, Content
from kiosk.core.content.problems import Language
from kiosk.core.gestures import Gesture
from kiosk.core.i18n import tr
from kiosk.core.settings import Settings
from kiosk.core.typeset import NBSP, ties_forward, typeset
from kiosk.ui import theme as th
from kiosk.ui.background import Background
from kiosk.ui.chrome import TopBar
from kiosk.ui.colouring.ahead import canvas_box, kept_card
from kiosk.ui.hidpi import device_size, logical_size, ratio_of
from kiosk.ui.navigation import NavBar
from kiosk.ui.resources import ImageCache, render_image, render_on_paper
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import (
    SwipeDetector,
    TextSpot,
    TouchButton,
    breakable,
    text_label,
    too_wide,
)

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.core.colouring.kept import DrawingCopy, KeptDrawing

MAX_PICTURES = COLOURING_MOST  # more would make every picture too small to recognise
TITLE_LINES = 2  # room under each card for a title: two lines, under every card
# The smallest picture a card shows, px at 1080p: about the usual mode's smallest (142 on a
# 4:3 or 5:4 screen above the notice band). Large text gives the titles their room by
# turning the cards into pages, never by shrinking the pictures (two rows of cards at
# 1280×1024 left them 46 px tall under titles kept three lines each).
PICTURE_LEAST = 136


def _coloured(picture: ColouringPicture, size: QSize, gap_px: float, ratio: float,
              canvas: QSize, drawing: DrawingCopy | None = None) -> QImage | None:
    """In a worker: the child's own drawing of the picture if they left one this visit;
    else the picture as prepared ahead for the page's `canvas`, scaled to the card
    (kiosk.ui.colouring.ahead: no numpy); if it is not kept, coloured in for the card by the
    preview module, which brings numpy (OpenCV only ever in a child process:
    kiosk.core.colouring.prepare_apart). None if the child had been let go by then (the visitor
    tapped a picture or left): the card asks again when it is next painted."""
    if drawing is not None:
        return _drawn(picture, drawing, size, ratio)
    kept = kept_card(picture.source, canvas, gap_px, size, ratio)
    if not kept.isNull():
        return kept
    from kiosk.core.colouring.prepare_apart import NotWaiting
    from kiosk.ui.colouring.coloured_preview import coloured_preview

    try:
        return coloured_preview(picture.source, size, gap_px, ratio, for_the_picker=True)
    except NotWaiting:
        return None


def _drawn(picture: ColouringPicture, drawing: DrawingCopy, box: QSize,
           ratio: float) -> QImage:
    """In a worker: the drawing the child left, fitted into the card's `box` (logical pixels;
    the image in device pixels), the lines drawn over it as the canvas draws them (a
    multiply). The paint is taken at twice the card's pixels at most, then smoothed down: the
    whole canvas would be 4 MB at 1080p, 16 at 4K, for a card of ~0.6."""
    lines = render_on_paper(picture.source, device_size(box, ratio))
    if lines.isNull():
        return lines
    width, height = lines.width(), lines.height()
    paint = drawing.paint(min(drawing.size[0], 2 * width), min(drawing.size[1], 2 * height))
    over = QImage(paint.data, paint.shape[1], paint.shape[0], paint.strides[0],
                  QImage.Format.Format_RGB32)
    image = over.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)  # a copy: `paint` may go
    painter = QPainter(image)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    painter.drawImage(0, 0, lines)
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


class Thumbnail(TouchButton):
    """A picture on a white card, coloured in; its title under the card. The card and the
    title are one button."""

    FLAGS = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap)

    def __init__(self, theme: Theme, picture: ColouringPicture, gap_px: float,
                 page_canvas: Callable[[], QSize],
                 kept_drawing: Callable[[Path], KeptDrawing | None] = lambda _: None) -> None:
        super().__init__()
        self.theme = theme
        self.picture = picture
        self.gap_px = gap_px
        # The drawing the child left on this picture this visit, if any: the card shows it.
        self.kept_drawing = kept_drawing
        self.setFont(theme.font(theme.small_px, bold=True))
        # The title as typed, to hyphenate where a word is wider than the card: only then, the
        # hyphenation patterns cost 6 MB (every kiosk held them for its picker's sake).
        self.typed_title: tuple[str, Language] | None = None
        self._hyphenated: tuple[tuple[str, Language], str] | None = None
        self.title_lines = TITLE_LINES  # the room the picker gives, the same for every card
        # Images, not pixmaps: the coloured one shares its pixels with coloured_preview's
        # kept copy, and drawing an RGB32 image on the raster screen costs no more.
        # Both in device pixels (kiosk.ui.hidpi), each with the logical box and the ratio
        # it was made for; the coloured one with the kept drawing's number too (0: none).
        self._outline = QImage()  # the line art, shown until the coloured picture is ready
        self._outline_size: tuple[QSize, float] = (QSize(), 0.0)
        self._coloured = QImage()
        self._coloured_size: tuple[QSize, float, int] = (QSize(), 0.0, 0)
        self._asked: tuple[QSize, float, int] = (QSize(), 0.0, 0)
        self.work = Background(self)
        # The colouring page's canvas on this screen: what the pictures are prepared ahead for.
        self.page_canvas = page_canvas
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(320), self.theme.px(400))

    # -- geometry ---------------------------------------------------------------------------

    def title_height(self, lines: int | None = None) -> int:
        """The room `lines` lines of title take (the card's own number if None)."""
        # As Qt lays out wrapped lines, which at some sizes is a pixel a line over the line
        # spacing (at 1024×768 a two-line title needed 60 px of the 58 it had).
        lines = self.title_lines if lines is None else lines
        return QFontMetrics(self.font()).boundingRect(
            QRect(0, 0, 10_000, 10_000), self.FLAGS, "\n".join("Ж" * lines)).height()

    def lines_needed(self, width: int) -> int:
        """How many lines the title takes under a card `width` wide."""
        metrics = QFontMetrics(self.font())
        line = metrics.boundingRect(QRect(0, 0, 10_000, 10_000), self.FLAGS, "Ж").height()
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000), self.FLAGS,
                                      self.caption(width)).height()
        return max(1, math.ceil(needed / max(1, line) - 0.1))

    def card_rect(self) -> QRectF:
        """The white card: square where the room allows (the pictures are); the card and its
        title in the middle of the room the grid gives (the rows spread evenly)."""
        below = self.title_height() + self.theme.space("s")
        side = max(1, min(self.height() - below, self.width()))
        top = max(0, (self.height() - side - below) // 2)
        return QRectF(0, top, self.width(), side)

    def picture_box(self) -> QSize:
        pad = self.theme.space("m")
        return self.card_rect().adjusted(pad, pad, -pad, -pad).size().toSize()

    def title_rect(self) -> QRect:
        top = round(self.card_rect().bottom()) + self.theme.space("s")
        return QRect(0, top, self.width(), self.title_height())

    # -- the coloured picture ---------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Shown only: the picker is sized once on its way to the screen and again by its
        # grid's layout; colouring the pictures in for the first size doubled the work
        # (~150 ms of a core) and kept nine previews nobody sees (2 MB at 1080p). A card
        # first painted without a resize asks in `_picture`.
        if self.isVisible():
            self.ask_for_colours()

    def ask_for_colours(self) -> None:
        """Colour the picture in for the card's size, off the UI thread (about 15 ms; kept
        by the preview module, so a second visit costs nothing)."""
        box = self.picture_box()
        kept = self.kept_drawing(self.picture.source)
        wanted = (box, ratio_of(self), kept.serial if kept is not None else 0)
        if box.isEmpty() or wanted in (self._asked, self._coloured_size):
            return
        self._asked = wanted
        picture, gap, canvas = self.picture, self.gap_px, self.page_canvas()
        # A copy: the visit's end wipes the kept bytes, maybe while the worker reads them (a
        # zlib error). The copy goes with the job: nothing of the drawing outlives it.
        drawing = kept.copy() if kept is not None else None

        def done(result: Any) -> None:
            if isinstance(result, QImage) and not result.isNull():
                self._coloured = result
                self._coloured_size = wanted
                self._outline = QImage()  # not needed any more
                self.update()
            elif result is None and self._asked == wanted:
                self._asked = (QSize(), 0.0, 0)  # not asked yet: again when next painted

        self.work.run(lambda: _coloured(picture, box, gap, wanted[1], canvas, drawing), done)

    def forget_pictures(self) -> None:
        """Drop the card's images (~0.4 MB each at 1080p); it asks again when painted."""
        self.work.cancel()
        self._outline, self._coloured = QImage(), QImage()
        self._outline_size = (QSize(), 0.0)
        self._coloured_size = self._asked = (QSize(), 0.0, 0)

    def _wanted(self, box: QSize) -> tuple[QSize, float, int]:
        drawing = self.kept_drawing(self.picture.source)
        return box, ratio_of(self), drawing.serial if drawing is not None else 0

    @property
    def coloured(self) -> bool:
        """True once the card shows the picture coloured in at its present size (the
        child's drawing of it, if they left one)."""
        return not self._coloured.isNull() \
            and self._coloured_size == self._wanted(self.picture_box())

    def _picture(self, box: QSize) -> QImage:
        wanted = self._wanted(box)
        if self._coloured_size == wanted and not self._coloured.isNull():
            return self._coloured
        if wanted != self._asked:  # moved to a screen of another ratio, a drawing left
            self.ask_for_colours()
        if self._coloured_size[:2] == wanted[:2] and not self._coloured.isNull():
            # This visit's drawing as it was, or the picture coloured in: for the few
            # milliseconds until the drawing as left now is ready (the visitor's own; the
            # card's images go when they do).
            return self._coloured
        if self._outline.isNull() or self._outline_size != (box, wanted[1]):
            self._outline = render_image(self.picture.source, box, ratio=wanted[1])
            self._outline_size = (box, wanted[1])
        return self._outline

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = self.theme.colours
        pressed = self.isDown()
        rim = self.theme.px(10 if pressed else 3)
        card = self.card_rect().adjusted(rim / 2, rim / 2, -rim / 2, -rim / 2)
        radius = self.theme.px(32)
        edge = QColor(colours.accent if pressed else colours.ink_soft)
        if not pressed and not colours.outline:
            edge.setAlpha(90)
        painter.setPen(QPen(edge, rim))
        painter.setBrush(QColor(th.WHITE))  # the picture's paper, in every mode
        painter.drawRoundedRect(card, radius, radius)
        box = self.picture_box()
        picture = self._picture(box)
        inside = card.center()
        size = logical_size(picture)  # device pixels, drawn one to one
        painter.drawImage(QPointF(round(inside.x() - size.width() / 2),
                                  round(inside.y() - size.height() / 2)), picture)
        painter.setPen(QColor(colours.ink))
        painter.setFont(self.font())
        painter.drawText(self.title_rect(), self.FLAGS, self.caption())
        painter.end()

    def caption(self, width: int | None = None) -> str:
        """The title as drawn: typeset (`setText`), its tied words let go from the right
        where the card is too narrow for them (a two-word title tied against a lone last
        word), and hyphenated where one of its words is wider than the card (large text
        on a 4:3 or 5:4 screen: «Праздничный» lost its first and last letters)."""
        width = self.width() if width is None else width
        metrics = QFontMetrics(self.font())
        text = self.text()
        if self.typed_title is not None and any(too_wide(word, metrics, width)
                                                for word in text.replace("\xa0", " ").split()):
            text = self.hyphenated(self.typed_title)
        return breakable(text, metrics, width)

    def lets_a_short_word_hang(self, width: int) -> bool:
        """Whether the title, under a card `width` wide, had to let go a tie after a short
        word («под дождём», «с косточкой» wider than the card): the line breaks after it
        («Зонтик под / дождём») or leaves it alone on a line, either way a bad break. Not
        the title's first word: it starts a line whatever follows ("The / Moscow Kremlin",
        as English keeps "for / a little helper")."""
        if self.typed_title is None:
            return False
        runs = self.caption(width).split(" ")
        return any(ties_forward(run.rsplit(NBSP, 1)[-1], self.typed_title[1])
                   for i, run in enumerate(runs[:-1]) if i or NBSP in run)

    def hyphenated(self, title: tuple[str, Language]) -> str:
        """`title` typeset with its hyphenation points (made once for it)."""
        if self._hyphenated is None or self._hyphenated[0] != title:
            self._hyphenated = (title, typeset(*title))
        return self._hyphenated[1]

    def _title_fits(self) -> bool:
        needed = QFontMetrics(self.font()).boundingRect(
            QRect(0, 0, self.width(), 10_000), self.FLAGS, self.caption())
        return needed.height() <= self.title_rect().height() and needed.width() <= self.width()

    def text_spots(self) -> list[TextSpot]:
        return [TextSpot(self.caption(), self.title_rect(), QColor(self.theme.colours.ink),
                         self.font().pixelSize(), True, self._title_fits())]


class ColouringPickerScreen(Screen):
    picture_chosen = Signal(str)

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.bar = TopBar(theme)
        self.bar.home.connect(lambda: self.home_requested.emit())
        self.bar.language_chosen.connect(lambda code: self.language_chosen.emit(code))
        self.bar.large_text_toggled.connect(lambda: self.large_text_toggled.emit())
        # The title: in the bar where it fits (landscape), else under it at the size every
        # screen's title has there (the menu's, the calm minute's: it was the bar's, smaller).
        self.title = text_label(theme, theme.title_px, bold=True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(theme.grid.gutter)
        self.grid.setVerticalSpacing(theme.space("l"))
        self.thumbnails: list[Thumbnail] = []
        self.short_rows: list[QHBoxLayout] = []  # a row of fewer cards, centred in the grid
        self.columns = 1
        self.rows = 1  # of cards on a page
        self.page = 0
        self.pages = 1
        # Pages where one page would leave the pictures too small (large text on a 4:3 or
        # 5:4 screen): the arrows and «1 из 3» along the bottom, as on the reading screens.
        self.nav = NavBar(theme)
        self.nav.previous.clicked.connect(lambda: self.step(-1))
        self.nav.next.clicked.connect(lambda: self.step(1))
        self.nav.hide()
        self.swipes = SwipeDetector(self, self.width)
        # The drawing a child left on a picture this visit, by its file (the window's store:
        # «cat.svg» and «cat.png» are two pictures with one id, «cat»).
        self.kept_drawing: Callable[[Path], KeptDrawing | None] = lambda _: None
        self.swipes.swiped.connect(
            lambda gesture: self.step(1 if gesture is Gesture.SWIPE_LEFT else -1))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        body = QVBoxLayout()
        body.setContentsMargins(theme.margin, 0, theme.margin, theme.space("xl"))
        body.setSpacing(theme.space("l"))
        body.addWidget(self.title)
        body.addLayout(self.grid, 1)
        layout.addLayout(body, 1)
        layout.addWidget(self.nav)

    def set_content(self, content: Content) -> None:
        super().set_content(content)
        for thumbnail in self.thumbnails:
            self.grid.removeWidget(thumbnail)
            thumbnail.hide()  # out of the layout it stays a visible child until deleted
            thumbnail.deleteLater()
        self.thumbnails = []
        pictures = self.content.colouring if self.content else ()
        gap = (self.content.settings if self.content else Settings()).colouring_gap_px
        for picture in pictures[:MAX_PICTURES]:
            thumbnail = Thumbnail(self.theme, picture, gap, self.page_canvas,
                                  lambda source: self.kept_drawing(source))
            thumbnail.clicked.connect(lambda _=False, p=picture.id: self.picture_chosen.emit(p))
            thumbnail.setParent(self)
            thumbnail.hide()  # until placed on its page
            self.thumbnails.append(thumbnail)
        self.columns = self.rows = self.pages = 0  # placed anew
        self.page = 0
        self.refresh()

    def reset(self) -> None:
        self.page = 0  # a new visitor starts at the first cards
        super().reset()

    def step(self, delta: int) -> None:
        page = min(max(self.page + delta, 0), self.pages - 1)
        if page != self.page:
            self.page = page
            self._place(self.columns, self.rows, self.pages)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.thumbnails and self.isVisible():  # a notice's band came or went
            self._lay_out()

    def forget_pictures(self) -> None:
        """The visitor has gone: the cards' pictures go too (~4 MB at 1080p, kept for weeks
        otherwise); the next visit reads them again from the pictures prepared ahead, a few
        milliseconds each."""
        for thumbnail in self.thumbnails:
            thumbnail.forget_pictures()
        if "kiosk.ui.colouring.coloured_preview" in sys.modules:
            from kiosk.ui.colouring.coloured_preview import forget

            forget()

    def page_canvas(self) -> QSize:
        """The canvas the colouring page, the same size as this one, gives a picture."""
        return canvas_box(self.theme, self.width(), self.height(), ratio_of(self))

    def render_view(self) -> None:
        title = typeset(tr("colouring_title", self.lang), self.lang, hyphenate=False)
        self.bar.set_language(self.lang)
        self.bar.set_title(title)
        self.title.setText(title)
        self.title.setVisible(not self.bar.title_in_bar)
        for thumbnail in self.thumbnails:
            title = thumbnail.picture.title.get(self.lang)
            # No hyphens in a two-word caption; «Щенок с косточкой» keeps «с» with its word.
            thumbnail.setText(typeset(title, self.lang, hyphenate=False))
            thumbnail.typed_title = (title, self.lang)
            thumbnail.setAccessibleName(title)
            thumbnail.update()
        self.nav.set_language(self.lang)
        self._lay_out()

    def _lay_out(self) -> None:
        """All the cards on one page where their pictures keep PICTURE_LEAST and every title
        fits its two lines (landscape: two rows; portrait: three columns, two when there are
        few pictures); else one row of them to a page, as few pages as do, the cards as
        wide as a page's share of the width (large text at 1280×1024: three pages of three,
        not nine postage stamps under three lines of room each)."""
        count = len(self.thumbnails)
        if not count:
            return
        if self.theme.portrait:
            columns = 3 if count > 4 else 2
            candidates = [(columns, math.ceil(count / columns), 1)]
            for pages in range(2, count + 1):  # fewer rows to a page, as many columns
                candidates.append((columns, math.ceil(count / pages / columns), pages))
        else:
            columns = max(2, math.ceil(count / 2))
            candidates = [(columns, math.ceil(count / columns), 1)]
            candidates += [(math.ceil(count / pages), 1, pages) for pages in range(2, count + 1)]
        chosen = next((c for c in candidates if self._fits(*c)), candidates[-1])
        if chosen != (self.columns, self.rows, self.pages):
            self.page = min(self.page, chosen[2] - 1)
            self._place(*chosen)

    def _grid_height(self, paged: bool) -> int:
        """The height the cards' rows share: the page less the bar, the title under it, the
        page's foot and, on pages, the arrows."""
        theme = self.theme
        height = self.height() if self.height() >= 50 else theme.height
        used = self.bar.height() + theme.space("xl")
        if not self.title.isHidden():
            used += self.title.heightForWidth(theme.width - 2 * theme.margin) + theme.space("l")
        if paged:
            used += self.nav.height()
        return height - used

    def _card_width(self, columns: int) -> int:
        theme = self.theme
        return (theme.width - 2 * theme.margin - (columns - 1) * theme.grid.gutter) // columns

    def _fits(self, columns: int, rows: int, pages: int) -> bool:
        """Whether a page of `rows` rows of `columns` cards gives every picture PICTURE_LEAST
        and every title room enough in TITLE_LINES lines, uncut, its short words kept with
        the words after them."""
        theme = self.theme
        width = self._card_width(columns)
        height = (self._grid_height(pages > 1) - (rows - 1) * theme.space("l")) // rows
        for thumbnail in self.thumbnails:
            # A card too narrow for «под дождём» let the tie go: «Зонтик под / дождём».
            if thumbnail.lines_needed(width) > TITLE_LINES \
                    or thumbnail.lets_a_short_word_hang(width):
                return False
            below = thumbnail.title_height(TITLE_LINES) + theme.space("s")
            picture = min(height - below, width) - 2 * theme.space("m")
            if picture < theme.px(PICTURE_LEAST):
                return False
        return True

    def _place(self, columns: int, rows: int, pages: int) -> None:
        """This page's cards in the grid, the others hidden; the arrows where there are
        pages. Every card has the same room, however long its title."""
        self.columns, self.rows, self.pages = columns, rows, pages
        for box in self.short_rows:
            self.grid.removeItem(box)
            while box.takeAt(0) is not None:
                pass
            box.deleteLater()
        self.short_rows = []
        for thumbnail in self.thumbnails:
            self.grid.removeWidget(thumbnail)
        # Two lines, or where even one card to a page leaves a title more, its lines under
        # every card: cards of one size, none cut.
        width = self._card_width(columns)
        lines = max(TITLE_LINES, *(t.lines_needed(width) for t in self.thumbnails))
        # As even as the pages can be: ten cards in three pages are 4, 3 and 3, not 4, 4 and 2
        # (the last page half empty).
        base, extra = divmod(len(self.thumbnails), pages)
        first = self.page * base + min(self.page, extra)
        on_this = base + (self.page < extra)
        for i, thumbnail in enumerate(self.thumbnails):
            on_page = first <= i < first + on_this
            if on_page:
                row, column = divmod(i - first, columns)
                if on_this - row * columns >= columns:
                    self.grid.addWidget(thumbnail, row, column)
                else:  # a row short of cards (a page's last): centred, as far apart as above
                    if not column:
                        self.short_rows.append(QHBoxLayout())
                        self.short_rows[-1].setSpacing(self.theme.grid.gutter)
                        self.short_rows[-1].addStretch(1)
                        self.grid.addLayout(self.short_rows[-1], row, 0, 1, columns)
                    self.short_rows[-1].addWidget(thumbnail)
            if thumbnail.title_lines != lines:
                thumbnail.title_lines = lines
                thumbnail.updateGeometry()
            thumbnail.setFixedWidth(width)  # as wide as on a full page
            thumbnail.setVisible(on_page)
        for box in self.short_rows:
            box.addStretch(1)
        for column in range(max(columns, self.grid.columnCount())):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
            # A page with fewer cards keeps its columns: its cards as wide as on the others.
            self.grid.setColumnMinimumWidth(column, width if column < columns else 0)
        for row in range(max(rows, self.grid.rowCount())):
            self.grid.setRowStretch(row, 1 if row < rows else 0)
        self.nav.setVisible(pages > 1)
        self.nav.set_position(self.page, pages, self.lang, dots=False)
