"""Markdown text on screen: Qt's own CommonMark reader into a document that loads nothing
(`markdown_document`), and the view that shows it at one type size in pages of whole lines
(`MarkdownView`), for the reading cards of stories and anniversary pages. Apart from
kiosk.ui.widgets: the attract loop shows no such text, and Qt's text document classes would
cost its first frame 3 ms."""

from __future__ import annotations

import math

from PySide6.QtCore import QByteArray, QRect, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFontMetricsF,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.typeset import SHY
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TextSpot

HYPHENS = ("-", "\u2010")  # a compound's own hyphen, where a line may break («собакой-»)
NON_BREAKING_HYPHEN = "\u2011"

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


WIDOW_TRIES = 8  # pages a text's widows are looked at on, the first ones (see `_breaks`)


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
        self._kept_whole = False  # the document has words whose soft hyphens were taken out
        self._headings: set[int] = set()  # the lines of headings, by index (`_laid_lines`)
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
            self._kept_whole = False
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
        if self._kept_whole:  # an earlier paging took words' soft hyphens out: all back
            self.document = markdown_document(self.markdown)
            self._kept_whole = False
        self.document.setDefaultFont(self.theme.font(self.font_px))
        self._space_lines()
        self.document.setTextWidth(max(1, self.width()))
        for attempt in range(self.KEEP_WHOLE_AT_MOST + 1):
            lines, hyphens = self._laid_lines()
            # A first page with room for a line or two under a long title in large type
            # carries none: a lone line and a blank page foot read as a fault, a title page
            # does not.
            first_fit = sum(1 for _top, bottom, _, _ in lines
                            if lines and bottom - lines[0][0] <= self._room(0))
            cover = len(lines) > 0 and first_fit < min(self.FIRST_PAGE_LINES, len(lines))
            starts = self._breaks(lines, 1 if cover else 0)
            # Pages still ending on half a word (too few lines to move the break up): those
            # words are set whole, from the last (the places of those before stay), and the
            # text paged again.
            halves = [start - 1 for start in starts[1:] if lines[start - 1][3]]
            if attempt == self.KEEP_WHOLE_AT_MOST or not halves:
                break
            kept = [self._keep_whole(hyphens[line]) for line in reversed(halves)]
            if not any(kept):
                break
        pages = [(lines[first][0], lines[last - 1][1]) for first, last
                 in zip(starts, [*starts[1:], len(lines)], strict=True)]
        if cover:
            pages.insert(0, (lines[0][0], lines[0][0]))
        self.pages = pages
        self.page = min(self.page, max(0, len(pages) - 1))
        self.paginated.emit()

    def _laid_lines(self) -> tuple[list[tuple[float, float, bool, bool]], list[int]]:
        """Every line: its top and bottom in the document, whether it starts a paragraph,
        and whether it ends on half a word (it broke at a soft hyphen, or after the hyphen of
        a compound: «собакой-» / «поводырём»); and beside them, where in the document each
        line's last character is."""
        lines: list[tuple[float, float, bool, bool]] = []
        ends: list[int] = []
        self._headings = set()
        layout = self.document.documentLayout()
        block = self.document.begin()
        while block.isValid():
            block_top = layout.blockBoundingRect(block).top()
            text_layout = block.layout()
            text = block.text()
            if block.blockFormat().headingLevel():
                self._headings.update(range(len(lines), len(lines) + text_layout.lineCount()))
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                end = line.textStart() + line.textLength()
                last = text[end - 1 : end]
                half = last == SHY or (last in HYPHENS and text[end - 2 : end - 1].isalpha()
                                       and text[end : end + 1].isalpha())
                lines.append((block_top + line.y(), block_top + line.y() + line.height(),
                              i == 0, half))
                ends.append(block.position() + end - 1)
            block = block.next()
        return lines, ends

    def _keep_whole(self, hyphen: int) -> bool:
        """Set the word broken at the document's position `hyphen` whole: its soft hyphens
        out, a compound's hyphens made non-breaking (U+2011, the same glyph in PT Sans), so
        that it goes whole onto the next line; False where it would not fit on a line whole
        (it stays broken)."""
        document = self.document

        def in_word(at: int) -> bool:
            char = document.characterAt(at)
            return char.isalpha() or char == SHY or char in HYPHENS

        start = end = hyphen
        while start > 0 and in_word(start - 1):
            start -= 1
        while in_word(end + 1):
            end += 1
        word = "".join(document.characterAt(at) for at in range(start, end + 1))
        whole = word.replace(SHY, "")
        font = QFontMetricsF(self.theme.font(self.font_px, bold=True))
        if font.horizontalAdvance(whole) > document.textWidth():
            return False
        cursor = QTextCursor(document)
        for at in range(end, start - 1, -1):
            char = document.characterAt(at)
            if char == SHY or char in HYPHENS:
                cursor.setPosition(at)
                cursor.deleteChar()
                if char in HYPHENS:
                    cursor.insertText(NON_BREAKING_HYPHEN)
        self._kept_whole = True
        return True

    MIN_LINES = 3  # on a page that ends a text; a break may move up by fewer
    KEEP_WHOLE_AT_MOST = 4  # times a paging sets words whole to end pages on whole words
    FIRST_PAGE_LINES = 2  # fewer fit under the title: the text starts on the next page

    def first_page_text_height(self) -> int:
        """The room the first page needs under the title to carry any text (else it is a
        title page): FIRST_PAGE_LINES lines at this size and spacing."""
        pitch = QFontMetricsF(self.theme.font(self.font_px)).lineSpacing() * self.LINE_HEIGHT / 100
        return math.ceil(pitch * self.FIRST_PAGE_LINES)

    def _room(self, page: int) -> float:
        return max(1, self.height() - self.inset(page))

    def _breaks(self, lines: list[tuple[float, float, bool, bool]],
                first_page: int = 0) -> list[int]:
        """The first line of each page: as many whole lines as each page's room takes, with
        the breaks a typesetter would move: no paragraph's first line alone at the foot of a
        page, no heading there without two lines of its text, no page that ends on half a
        word («внима-»), no paragraph's last line alone at the top of a page where the page
        before can give it a line without the text taking a page more, and no last page of
        one or two lines when the page before can spare them."""
        starts = self._fill(lines, first_page, set())
        # A widow (a paragraph's last line opening a page) takes a line with it, one break at
        # a time, each only where the text still takes as many pages.
        tried: set[int] = set()
        pulled: set[int] = set()
        # Each try fills every page again (~1 ms for 500 lines): a hostile text of 70 pages,
        # each opening on a widow, would take up to 70 ms more on the UI thread. A story has
        # two to four pages.
        while len(tried) < WIDOW_TRIES and (widow := next(
                (k for k in starts[1:] if k not in tried and _widow(lines, k)), 0)):
            tried.add(widow)
            trial = self._fill(lines, first_page, pulled | {widow})
            if len(trial) <= len(starts):
                pulled.add(widow)
                starts = trial
        return self._balance_last(lines, first_page, starts)

    def _fill(self, lines: list[tuple[float, float, bool, bool]], first_page: int,
              pulled: set[int]) -> list[int]:
        """Pages filled line by line; a page that would open at a line in `pulled` (a
        widow) opens a line earlier where the page before can give it."""
        starts: list[int] = []
        for index, (_, bottom, _, _) in enumerate(lines):
            if not starts:
                starts.append(index)
                continue
            previous = starts[-1]
            if bottom - lines[previous][0] <= self._room(first_page + len(starts) - 1) \
                    or index == previous:
                continue
            # `index` does not fit: the page breaks before it, or a line earlier when the
            # line above begins a paragraph that goes on over the break.
            orphan = _orphan(lines, index) and index - 1 - previous >= self.MIN_LINES
            cut = index - 1 if orphan else index
            # Not on half a word: the break moves up to the nearest line that ends a whole
            # one, if the page keeps two lines (none does: it stays); nor onto a paragraph's
            # first line, where the page keeps MIN_LINES above it (the orphan rule's bound).
            start = next((k for k in range(cut, previous + 1, -1)
                          if k - previous >= 2 and not lines[k - 1][3]
                          and not (_orphan(lines, k)
                                   and k - 1 - previous >= self.MIN_LINES)), cut)
            # A heading goes over with its first lines (keep with next), where the next page
            # holds them and this one keeps a line.
            heading = self._parted_heading(lines, start)
            if heading is not None and heading > previous and self._heading_fits(
                    lines, heading, self._room(first_page + len(starts))):
                start = heading
            elif start in pulled and self._can_pull(lines, start, previous):
                start -= 1
            starts.append(start)
        return starts

    def _can_pull(self, lines: list[tuple[float, float, bool, bool]], start: int,
                  previous: int) -> bool:
        """Whether the page from line `previous` can end a line earlier, before `start - 1`,
        keeping two lines and ending on no half word, paragraph's first line or heading."""
        return start - 1 - previous >= 2 and not lines[start - 2][3] \
            and not _orphan(lines, start - 1) and self._parted_heading(lines, start - 1) is None

    def _parted_heading(self, lines: list[tuple[float, float, bool, bool]],
                        start: int) -> int | None:
        """The first line of the heading that a page opening at line `start` would leave at
        the foot of the page before without two lines of its text (or the text's only line,
        where the next heading follows); None where it leaves none."""
        headings = self._headings
        if start - 1 in headings:
            last = start - 1
        elif start - 2 in headings and start not in headings:
            last = start - 2
        else:
            return None
        while last - 1 in headings:
            last -= 1
        return last

    def _heading_fits(self, lines: list[tuple[float, float, bool, bool]], first: int,
                      room: float) -> bool:
        """Whether a page of `room` holds the heading at line `first` and its text's first
        two lines."""
        end = first
        while end + 1 < len(lines) and end + 1 in self._headings:
            end += 1
        for _ in range(2):
            if end + 1 < len(lines) and end + 1 not in self._headings:
                end += 1
        return lines[end][1] - lines[first][0] <= room

    def _balance_last(self, lines: list[tuple[float, float, bool, bool]], first_page: int,
                      starts: list[int]) -> list[int]:
        """A short last page takes lines from the page before (see `_breaks`)."""
        if len(starts) > 1:
            last, previous = starts[-1], starts[-2]
            short = self.MIN_LINES - (len(lines) - last)
            room = self._room(first_page + len(starts) - 1)
            # Lines moved over to a short last page: as few as make it MIN_LINES, a line more
            # where the page before would end on half a word or on a paragraph's first line
            # (that line alone at the foot rather than a last page of a line or two, where
            # no other break will do).
            whole: list[int] = []
            for moved in range(last - short, previous + self.MIN_LINES - 1, -1):
                if short <= 0 or lines[-1][1] - lines[moved][0] > room:
                    break
                if not lines[moved - 1][3] and self._parted_heading(lines, moved) is None:
                    whole.append(moved)
                    if not _orphan(lines, moved):
                        break
            if whole:
                starts[-1] = next((k for k in whole if not _orphan(lines, k)), whole[0])
            elif last == len(lines) - 1:
                # Still one line alone overleaf (the page before too short to give three):
                # as a typesetter's «2 lines at a paragraph's end» (CSS `widows: 2`), a line
                # or two go over with it where the page before keeps two and ends on neither
                # half a word, nor a paragraph's first line, nor a heading.
                starts[-1] = next((k for k in range(last - 1, previous + 1, -1)
                                   if lines[-1][1] - lines[k][0] <= room
                                   and not lines[k - 1][3] and not _orphan(lines, k)
                                   and self._parted_heading(lines, k) is None), last)
            # Lines taken from the page before that open the last on a paragraph's last line
            # take one more, where they fit and the page before keeps MIN_LINES (two lines
            # under a title with room for four read as a page half blank).
            start = starts[-1]
            if _widow(lines, start) and self._can_pull(lines, start, previous) \
                    and start - 1 - previous >= self.MIN_LINES \
                    and lines[-1][1] - lines[start - 1][0] <= room:
                starts[-1] = start - 1
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


def _widow(lines: list[tuple[float, float, bool, bool]], start: int) -> bool:
    """A page starting at line `start` would open on a paragraph's last line, the rest of it
    on the page before."""
    return 0 < start < len(lines) and not lines[start][2] \
        and (start + 1 == len(lines) or lines[start + 1][2])


def _orphan(lines: list[tuple[float, float, bool, bool]], start: int) -> bool:
    """A page starting at line `start` would leave the line above it, a paragraph's first,
    alone at the foot of the page before."""
    return 0 < start < len(lines) and lines[start - 1][2] and not lines[start][2]
