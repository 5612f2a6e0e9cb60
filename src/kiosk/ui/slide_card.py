"""The reading card on the grid: a story or an anniversary page, its picture in one place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QVariantAnimation
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHideEvent,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.content.model import Story
from kiosk.core.content.problems import Language
from kiosk.core.i18n import format_date
from kiosk.core.typeset import typeset
from kiosk.ui.hidpi import logical_size, ratio_of
from kiosk.ui.markdown import MarkdownView
from kiosk.ui.photos import PHOTO_FADE_MS, PhotoKey, PhotoLoader
from kiosk.ui.resources import ImageCache, render_image
from kiosk.ui.theme import TYPE_SCALE, Theme
from kiosk.ui.widgets import TextSpot, breakable, text_label


class ImageBox(QWidget):
    """The picture's place on the grid: always there, always the same size. The picture is
    fitted to its width, from its top, with rounded corners; an item without one shows the
    section's pictogram on the section's colour instead, so the text beside never moves.
    In the kiosk the photo is decoded in the background (kiosk.ui.photos): until it is, a
    quiet panel stands in its place, and the photo fades in over it; a photo that cannot be
    decoded shows the placeholder, as an item without one."""

    def __init__(self, theme: Theme, images: ImageCache) -> None:
        super().__init__()
        self.theme = theme
        self.images = images
        self.path: Path | None = None
        self.placeholder: Path | None = None  # the section's pictogram, for items without one
        self.placeholder_colour = "blue"  # a role in the palette: the section's tile colour
        self.image = QImage()
        self._ratio = 1.0  # the device pixel ratio `image` was rendered at
        # The photo asked of the background loader; whether it is being decoded (the panel
        # shows), or could not be (the placeholder shows); its width over height, if known.
        self._photo: PhotoKey | None = None
        self.waiting = False
        self.broken = False
        self._shape: float | None = None
        self._next: Path | None = None  # decoded next, once this box's photo has come
        self._listening: PhotoLoader | None = None
        self._fade = QVariantAnimation(self)
        self._fade.setStartValue(0.0)
        self._fade.setEndValue(1.0)
        self._fade.valueChanged.connect(lambda _value: self.update())
        self._faded_from = QRectF()  # where the panel stood while the photo was decoded

    def set_image(self, path: Path | None) -> None:
        self.path = path
        self._render()

    def prepare(self, path: Path | None) -> None:
        """Decode `path` for this box in the background, for later (the next story), once
        the photo on show has come: they would share the cores."""
        photos = self.images.photos
        if path is None or photos is None or self.width() < 8 or self.height() < 8:
            return
        if self.waiting:
            self._next = path
            return
        photos.request(photos.key(path, self.size(), ratio_of(self)))

    def clear(self) -> None:
        self.image = QImage()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._render()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._fade.stop()  # nothing animates unseen

    def panel(self) -> QColor:
        """The placeholder's colour: the section's own, as on its tile in the menu."""
        return QColor(getattr(self.theme.colours, self.placeholder_colour))

    def drawn_rect(self) -> QRect:
        """Where the picture (or the placeholder) is drawn: the box's full width at the top,
        at the picture's own proportions (4:3 for the placeholder), never beyond the box."""
        box = self.rect()
        if self.path is not None and not self.broken and not self.image.isNull():
            size = logical_size(self.image).toSize()  # its pixels are device pixels
        elif self.waiting and self._shape is not None:  # the photo's own proportions
            size = QSize(round(1000 * self._shape), 1000).scaled(
                box.size(), Qt.AspectRatioMode.KeepAspectRatio)
        else:
            size = QSize(4, 3).scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
        left = box.x() + (box.width() - size.width()) // 2
        return QRect(left, box.y(), size.width(), size.height())

    def _render(self) -> None:
        """The picture for the box's size, in device pixels (kiosk.ui.hidpi)."""
        box = self.rect()
        ratio = self._ratio = ratio_of(self)
        self._fade.stop()
        self._photo, self.waiting, self.broken = None, False, False
        photos = self.images.photos
        if box.width() < 8 or box.height() < 8:
            self.image = QImage()
        elif self.path is not None and photos is not None:
            self._ask(photos, box.size(), ratio)
        elif self.path is not None:
            self.image = self.images.get(self.path, box.size(), ratio)
        else:
            self.image = self._placeholder_image()
        self.update()

    def _placeholder_image(self) -> QImage:
        """The section's pictogram for the box (a small bundled drawing)."""
        box = self.rect()
        if self.placeholder is None or box.width() < 8 or box.height() < 8:
            return QImage()
        side = round(min(box.width(), box.height()) * 0.4)
        return render_image(self.placeholder, QSize(side, side), ratio=ratio_of(self))

    def _ask(self, photos: PhotoLoader, box: QSize, ratio: float) -> None:
        """The photo from the loader: at once when decoded before, else the panel until
        `_photo_ready`."""
        assert self.path is not None
        if self._listening is not photos:
            photos.ready.connect(self._photo_ready)
            self._listening = photos
        self._photo = photos.key(self.path, box, ratio)
        found = photos.request(self._photo)
        if found is None:
            self.image = QImage()
            self.waiting = True
            self._shape = photos.shape(self.path)
        else:
            self._take(found)

    def _take(self, image: QImage) -> None:
        self.broken = image.isNull()
        self.image = self._placeholder_image() if self.broken else image

    def _photo_ready(self, key: PhotoKey, image: QImage) -> None:
        if key != self._photo or not self.waiting:
            return
        self._faded_from = QRectF(self.drawn_rect())
        self.waiting = False
        self._take(image)
        if self.isVisible():
            self._fade.setDuration(PHOTO_FADE_MS)
            self._fade.start()
        self.update()
        following, self._next = self._next, None
        if following is not None:
            self.prepare(following)

    def _paint_panel(self, painter: QPainter, rect: QRectF, radius: float) -> None:
        """The quiet surface where the photo will be (docs/design.md, `panel`)."""
        colours = self.theme.colours
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen if not colours.outline
                       else QPen(QColor(colours.ink), self.theme.px(4)))
        painter.setBrush(QColor(colours.panel))
        painter.drawRoundedRect(rect, radius, radius)
        painter.restore()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._ratio != ratio_of(self):  # moved to a screen of another ratio
            self._render()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        radius = self.theme.px(24)
        rect = QRectF(self.drawn_rect())
        frame = QPainterPath()
        frame.addRoundedRect(rect, radius, radius)
        if self._fade.state() == QVariantAnimation.State.Running:
            # The photo has come: the panel fades out as it fades in.
            progress = float(self._fade.currentValue())
            painter.setOpacity(1.0 - progress)
            self._paint_panel(painter, self._faded_from, radius)
            painter.setOpacity(progress)
        if self.waiting:
            self._paint_panel(painter, rect, radius)
        elif self.path is not None and not self.broken:
            if not self.image.isNull():
                painter.setClipPath(frame)
                painter.drawImage(rect.topLeft(), self.image)
        elif self.placeholder is not None:  # none, or one that cannot be decoded
            if self.theme.colours.outline:  # black with a rim of its colour, as the tiles
                rim = self.theme.px(6)
                painter.setPen(QPen(self.panel(), rim))
                painter.setBrush(QColor(self.theme.colours.paper))
                painter.drawRoundedRect(rect.adjusted(rim / 2, rim / 2, -rim / 2, -rim / 2),
                                        radius, radius)
            else:
                painter.fillPath(frame, self.panel())
            if not self.image.isNull():
                size = logical_size(self.image)
                painter.drawImage(QPointF(rect.center().x() - size.width() / 2,
                                          rect.center().y() - size.height() / 2), self.image)
        painter.end()


class Kicker(QWidget):
    """The section's name above a title («Искренний сервис»): small bold words in the accent
    colour after a short rule. Not a chip: nothing to tap."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.words = ""
        self.setFont(theme.font(theme.small_px, bold=True))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:
        self.words = text
        self.update()

    def text(self) -> str:
        return self.words

    @property
    def rule_width(self) -> int:
        return self.theme.space("xl")

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(400), self.fontMetrics().height())

    def fits(self, text: str) -> bool:
        """`text` fits on the kicker's one line."""
        return self.fontMetrics().horizontalAdvance(text) <= self._text_rect().width()

    def _text_rect(self) -> QRect:
        left = self.rule_width + self.theme.space("s")
        return QRect(left, 0, self.width() - left, self.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = QColor(self.theme.colours.accent)
        thickness = self.theme.px(6)
        painter.fillRect(QRectF(0, (self.height() - thickness) / 2, self.rule_width, thickness),
                         accent)
        painter.setPen(accent)
        painter.setFont(self.font())
        painter.drawText(self._text_rect(), int(Qt.AlignmentFlag.AlignLeft
                                                | Qt.AlignmentFlag.AlignVCenter), self.words)
        painter.end()

    def text_spots(self) -> list[TextSpot]:
        width = self.fontMetrics().horizontalAdvance(self.words)
        rect = self._text_rect()
        return [TextSpot(self.words, QRect(rect.left(), 0, width, self.height()),
                         QColor(self.theme.colours.accent), self.font().pixelSize(), True,
                         fits=width <= rect.width() + 1)]


class ItemCard(QWidget):
    """A story, an anniversary page (and an attract slide) on the fixed grid: the picture in
    columns 1–5 and the words from column 7 in landscape; in portrait the picture across the
    top at a fixed height and the words below. Nothing moves with the length of the text:
    the text is set at the body size and paged (`body.page_count`, `set_page`).

    In large text the picture gives the words room, at a fixed size too: columns 1–4 (the
    words from column 6), or 30 % of the height in portrait. At 40 % a story's first page in
    large text above the notice band held its title and no line of the story (landscape: five
    pages to a story, three in portrait).

    On a 4:3 or 5:4 screen (`stacked`) the picture and the title share the first page's top,
    the text runs under them across the width, and the next pages are the text's alone."""

    PORTRAIT_PICTURE = 0.4  # of the card's height
    PORTRAIT_PICTURE_LARGE_TEXT = 0.3
    PICTURE_COLUMNS = 5  # in landscape; the words start a column after it
    PICTURE_COLUMNS_LARGE_TEXT = 4

    def __init__(self, theme: Theme, images: ImageCache, top_margin: int | None = None) -> None:
        super().__init__()
        self.theme = theme
        self.top_margin = 0 if top_margin is None else top_margin
        self.image = ImageBox(theme, images)
        self.badge = Kicker(theme)
        self.title = text_label(theme, theme.title_px, bold=True)
        self.meta = text_label(theme, theme.small_px, colour=theme.colours.ink_soft)
        self.body = MarkdownView(theme, theme.body_px)
        self._section = ""  # the kicker: «Искренний сервис»
        self._title = ""
        self._meta = ""
        self._crowded = False  # the section's name left off the first page: no room
        # The text first: the words above it come later, so they are on top of it.
        for child in (self.image, self.body, self.badge, self.title, self.meta):
            child.setParent(self)

    # -- geometry ----------------------------------------------------------------------------

    @property
    def picture_columns(self) -> int:
        """The picture's columns in landscape."""
        large = self.theme.high_contrast
        return self.PICTURE_COLUMNS_LARGE_TEXT if large else self.PICTURE_COLUMNS

    @property
    def stacked(self) -> bool:
        """A landscape screen nearer square than 3:2 (4:3, 5:4): the picture and the title
        share the top, the text runs under them across the width. Beside the picture its
        column held two lines of a story under the title on a 5:4 screen (five pages)."""
        return self.theme.narrow

    def picture_rect(self) -> QRect:
        grid, top = self.theme.grid, self.top_margin
        if self.stacked:
            width = grid.span(self.picture_columns)
            return QRect(grid.x(0), top, width, round(width * 2 / 3))
        if self.theme.portrait:
            share = self.PORTRAIT_PICTURE_LARGE_TEXT if self.theme.high_contrast \
                else self.PORTRAIT_PICTURE
            return QRect(grid.x(0), top, grid.span(grid.columns), round(self.height() * share))
        return QRect(grid.x(0), top, grid.span(self.picture_columns),
                     max(1, self.height() - top - self.theme.space("m")))

    def text_rect(self) -> QRect:
        """The words' column: its left edge is where every title of the kind starts."""
        grid = self.theme.grid
        # To the card's foot: the navigation keeps its own space above its buttons. A margin
        # here as well cost a line a page (large text at 1920×1080: four where five fit).
        bottom = self.height()
        if self.theme.portrait:
            top = self.picture_rect().bottom() + 1 + self.theme.space("xl")
            return QRect(grid.x(0), top, grid.span(grid.columns), max(1, bottom - top))
        # Stacked, the title starts a gutter after the picture: with a column left empty its
        # title and details stood taller than the picture, and the first page held no text.
        first = self.picture_columns + (0 if self.stacked else 1)
        return QRect(grid.x(first), self.top_margin, grid.span(grid.columns - first),
                     max(1, bottom - self.top_margin))

    @property
    def picture_shown(self) -> bool:
        """A stacked card shows its picture on the first page only: the next pages give the
        text the whole card, under its running head, as a book's pages after a chapter's
        opening picture."""
        return not self.stacked or self.body.page == 0

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place()

    def place(self) -> None:
        """Put each part in its place on the grid. The text takes the whole column; on its
        first page it starts below the section's name, the title and the details, on the
        others right below a running head (the title, small): a page of a book."""
        self._place(first_first=False)
        body, title = self.body, self.title
        if body.page_count > 1 and not body.page_text(0).strip() and title.text() != \
                breakable(self._title, title.fontMetrics(), title.width(), first_first=True):
            # The title's line more that keeps a preposition off a line's end («Раскраска /
            # для маленького / помощника») cost the first page its text (large text on a
            # 5:4 screen): the text wins, as under a poster's headline (docs/design.md).
            self._place(first_first=True)
            if not body.page_text(0).strip():
                self._place(first_first=False)

    def _place(self, first_first: bool) -> None:
        self.image.setGeometry(self.picture_rect())
        column = self.text_rect()
        x, width, y = column.x(), column.width(), column.y()
        kicker = self.badge.sizeHint().height()
        self.badge.setGeometry(x, y, width, kicker)
        gap = self.theme.space("xs")
        if self._meta:
            self.meta.setText(shown_meta(self._meta, self.meta.fontMetrics(), width))
        meta = gap + self.meta.heightForWidth(width) if self._meta else 0
        if self.stacked:  # the head beside the picture, the text under both
            height, self._crowded = self._fit_head(width, kicker + self.theme.space("s"), meta,
                                                   self.picture_rect().height(), first_first,
                                                   text=False)
        else:
            height, self._crowded = self._fit_head(width, kicker + self.theme.space("s"), meta,
                                                   column.height(), first_first)
        if self._section and not self._crowded:
            y += kicker + self.theme.space("s")
        self.title.setGeometry(x, y, width, height)
        y += height
        if self._meta:
            self.meta.setGeometry(x, y + gap, width, meta - gap)
            y += meta
        if self.stacked:
            # The text across the card: its first page under the picture and the head, the
            # others from the top, under the running head.
            grid = self.theme.grid
            row = max(y, self.picture_rect().bottom() + 1)
            row += self._text_gap(self.height() - row)
            # To the card's foot (the navigation keeps its own space above it): a seventh
            # line on a 5:4 page, a fifth in large text, where the foot's margin cost one.
            top, bottom = self.top_margin, self.height()
            self.body.setGeometry(grid.x(0), top, grid.span(grid.columns),
                                  max(1, bottom - top))
            self.body.set_insets(row - top, kicker + self.theme.space("m"))
            self._show_head()
            return
        y += self._text_gap(column.bottom() + 1 - y)
        self.body.setGeometry(column)
        self.body.set_insets(y - column.y(), kicker + self.theme.space("m"))
        self._show_head()

    def _text_gap(self, room: int) -> int:
        """The space above the first page's text, `room` being what the head leaves under
        it: `m`, or `s` where only that gives the text its first two lines («Раскраска / для
        маленького / помощника» at the usual size on a 5:4 screen left them 8 px short, and
        the first page to the title alone)."""
        usual, least = self.theme.space("m"), self.theme.space("s")
        need = self.body.first_page_text_height()
        return least if room - usual < need <= room - least else usual

    def _fit_head(self, width: int, kicker: int, meta: int, room: int, first_first: bool,
                  text: bool = True) -> tuple[int, bool]:
        """The title's height and whether the section's name is left off the first page.
        The first page carries the start of the text where it can (a title page and four
        more for one story in large type above the notice band): to make room for it, the
        section's name goes to the running head of the next pages first, then the title is
        set a step smaller at a time, never below the usual mode's size. Where even that
        leaves no room, the first page is the title's; and where the title and the details
        alone are taller than the column, the same steps keep them whole: nothing cut off."""
        kicker = kicker if self._section else 0
        lines = self.body.first_page_text_height()
        sizes = self._title_sizes()
        # The text under the title `m` below it, else `s` (`_text_gap`), else overleaf.
        for below in (self.theme.space("m") + lines, self.theme.space("s") + lines, 0) \
                if text else (0,):
            for pixels in sizes:
                height = self._set_title(pixels, width, first_first)
                for crowded in (False, True):
                    if (0 if crowded else kicker) + height + meta + below <= room:
                        return height, crowded and bool(kicker)
        return self._set_title(sizes[-1], width, first_first), bool(kicker)

    def _set_title(self, pixels: int, width: int, first_first: bool) -> int:
        """The title in this size, its tied words let go where a run is wider than the
        column (the first first with `first_first`: widgets.breakable); its height."""
        self.title.setFont(self.theme.font(pixels, bold=True))
        self.title.setText(breakable(self._title, self.title.fontMetrics(), width,
                                     first_first))
        return self.title.heightForWidth(width)

    def _title_sizes(self) -> list[int]:
        """The title's size, then a tenth smaller at a step down to the usual mode's."""
        sizes, least = [self.theme.title_px], self.theme.px(TYPE_SCALE["title"])
        while sizes[-1] > least:
            sizes.append(max(least, round(sizes[-1] * 0.9)))
        return sizes

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor(self.theme.colours.paper))
        painter.end()

    # -- content -----------------------------------------------------------------------------

    def show_item(self, badge: str, title: str, meta: str, body: str,
                  image: Path | None) -> None:
        """Show an item from the first page of its text."""
        self._section, self._title, self._meta = badge, title, meta
        self.image.set_image(image)
        self.body.set_markdown(body)
        self.place()
        self.set_page(0)

    def set_page(self, page: int) -> None:
        """Show page `page` of the text: the first under the title, the others under the
        title set small as a running head (the section's name where the title is too long
        for one line of it)."""
        self.body.set_page(page)
        first = self.body.page == 0
        self.image.setVisible(self.picture_shown)
        self.title.setVisible(first)
        self.meta.setVisible(first and bool(self._meta))
        self._show_head()

    def _show_head(self) -> None:
        """Above the words: the section's name on the first page (unless it is crowded out),
        the title set small as a running head on the others (the section's name where the
        title is too long for one line of it)."""
        title = " ".join(self._title.split())
        if self.stacked:  # beside the picture on the first page, across the card after it
            column, grid = self.text_rect(), self.theme.grid
            x, width = (column.x(), column.width()) if self.body.page == 0 else \
                (grid.x(0), grid.span(grid.columns))
            self.badge.setGeometry(x, self.top_margin, width, self.badge.sizeHint().height())
        if self.body.page == 0:
            head = "" if self._crowded else self._section
        else:
            head = title if self.badge.fits(title) else self._section
        self.badge.setText(head)
        self.badge.setVisible(bool(head))


def shown_meta(meta: str, metrics: QFontMetrics, width: int) -> str:
    """The details as the card sets them: on one line where they fit, else the centre and the
    date each on a line of its own (a «·» left at the end of a line read as a stray dot)."""
    if metrics.horizontalAdvance(meta) <= width:
        return meta
    # Each on its line; tied words wider than the column let go rather than cut off.
    return "\n".join(breakable(line, metrics, width) for line in meta.split(" · "))


def story_meta(story: Story, lang: Language) -> str:
    """«Центр госуслуг района Марьино · 14 июля 2023», each part typeset on its own: the
    centre's last two words held together as a paragraph's are («Южное / Бутово» and
    "Public Service / Centre" stood apart where the centre took two lines)."""
    parts = [story.centre.get(lang), format_date(story.date, lang) if story.date else ""]
    return " · ".join(typeset(part, lang, hyphenate=False) for part in parts if part)
