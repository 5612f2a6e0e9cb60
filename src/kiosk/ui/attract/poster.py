"""One attract slide painted as a poster: a large picture, a kicker, a headline in display
type and at most one short line, all on the design system's grid (docs/design.md).

Every poster puts its parts in the same places: the picture on columns 1–6 and the words from
column 7 in landscape, the picture above the words in portrait. Type never shrinks to fit: a
headline longer than three display lines is set at title size (and `kiosk check` says so), a
line that does not fit whole is left out rather than cut.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QTextLayout,
    QTextOption,
)

from kiosk.core.content.model import Content
from kiosk.core.content.problems import Language
from kiosk.core.content.teaser import teaser_line
from kiosk.core.i18n import tr
from kiosk.core.playlist import Slide, SlideKind
from kiosk.core.typeset import WORD_EDGES, let_go, typeset
from kiosk.ui.hidpi import device_pixmap, logical_size, ratio_of
from kiosk.ui.resources import assets_dir, render_image
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TextSpot

# A slide's picture decoded elsewhere (kiosk.ui.photos): (path, box, device pixel ratio, fill)
# gives it, or None while it is being decoded.
PictureSource = Callable[[Path, QSize, float, bool], QImage | None]

HEADLINE_LINES = 3  # at display size; more and the headline is set at title size
# In portrait the picture gives up to this share of its height to the words, so that a line
# under a headline of two or three lines shows rather than an empty band of paper.
PORTRAIT_PICTURE_GIVES = 0.2
LINE_LINES = 4  # the line under the headline, at lead size
DISPLAY_LEADING = 1.04  # line pitch of the headline, in font sizes: set tight, as posters are
TEXT_LEADING = 1.3


@dataclass(frozen=True)
class PosterWords:
    """The words and picture of a slide, in the language on show."""

    kicker: str
    headline: str
    line: str
    picture: Path | None
    full_bleed: bool = False  # a staff poster: the picture is the whole slide
    fill: bool = False  # a staff poster that covers the screen, its edges cut off
    portrait_picture: Path | None = None  # what a portrait screen shows instead
    emblem: str = "stories.svg"  # drawn large in the picture's place when there is none
    # A card with its own rim (the colouring invitation's): never cut, where a story's
    # picture keeps the grid's width, edge to edge, and is cut at its foot.
    framed: bool = False


class LeftOut:
    """A slide's own picture left out of its render (`PosterPainter.render_around_pictures`):
    its file, the box it is decoded for (logical pixels at the stage's device pixel `ratio`)
    and where on the slide it goes. (A plain class: a dataclass costs ~0.5 ms of the start.)"""

    def __init__(self, path: Path, size: QSize, ratio: float, box: QRectF,
                 whole: bool = False) -> None:
        self.path = path
        self.size = size
        self.ratio = ratio
        self.box = box
        self.whole = whole  # made smaller to fit the box whole where it is larger (a card)


@dataclass(frozen=True)
class PosterFrame:
    """Where a poster's parts go on a stage of a given size."""

    picture: QRectF
    words: QRectF  # the column the kicker, headline and line are set in


def poster_frame(theme: Theme, stage: QSize) -> PosterFrame:
    grid = theme.grid
    top = theme.space("xxl")
    if theme.portrait:
        # The picture runs edge to edge across the top, as on a printed portrait poster.
        picture = QRectF(0, 0, stage.width(), round(stage.width() * 0.75))
        words_top = picture.bottom() + theme.space("xxl")
        words = QRectF(grid.x(0), words_top, grid.span(grid.columns),
                       stage.height() - words_top - top)
    else:
        height = stage.height() - 2 * top
        picture = QRectF(grid.x(0), top, grid.span(6), height)
        words = QRectF(grid.x(6), top + theme.space("xl"), grid.span(6),
                       height - theme.space("xl"))
    return PosterFrame(picture, words)


def _picture_shorter(frame: PosterFrame, by: float) -> PosterFrame:
    """The portrait frame with its picture `by` shorter and the words starting that much
    higher, their bottom where it was."""
    picture = frame.picture.adjusted(0, 0, 0, -by)
    return PosterFrame(picture, frame.words.adjusted(0, -by, 0, 0))


def poster_words(slide: Slide, content: Content, lang: Language) -> PosterWords:
    """What the slide says: the same for the screen and for `kiosk check`."""
    if slide.kind is SlideKind.ANNIVERSARY:
        page = next((p for p in content.pages if p.id == slide.item_id), None)
        if page is not None:
            return PosterWords(tr("anniversary_badge", lang), page.title.get(lang),
                               teaser_line(page, lang), page.image, emblem="anniversary.svg")
    elif slide.kind is SlideKind.STORY:
        story = content.story(slide.item_id)
        if story is not None:
            return PosterWords(tr("story_badge", lang), story.title.get(lang),
                               teaser_line(story, lang), story.photo)
    elif slide.kind is SlideKind.COLOURING:
        # A picture half coloured in, made once by the colouring engine
        # (scripts/colouring_invite.py): the loop itself never loads numpy or OpenCV.
        picture = assets_dir() / "illustrations" / "colouring-invite.jpg"
        return PosterWords(tr("poster_colouring_kicker", lang), tr("poster_colouring_title", lang),
                           tr("poster_colouring_line", lang), picture, framed=True)
    elif slide.kind is SlideKind.CALM:
        return PosterWords(tr("poster_calm_kicker", lang), tr("calm_invite", lang),
                           tr("poster_calm_line", lang),
                           assets_dir() / "illustrations" / "calm.svg")
    elif slide.kind is SlideKind.POSTER:
        poster = next((p for p in content.posters if p.id == slide.item_id), None)
        if poster is not None:
            return PosterWords("", "", "", poster.source, full_bleed=True,
                               fill=poster.fit == "fill", portrait_picture=poster.portrait)
    elif slide.kind is SlideKind.NOTICE:
        notice = next((n for n in content.notices if n.id == slide.item_id), None)
        if notice is not None:  # the text is the headline: a notice is read, not opened
            return PosterWords(tr("notice_kicker", lang), notice.text.get(lang), "", None,
                               emblem="notice.svg")
    return PosterWords(tr("welcome", lang), content.settings.centre(lang),
                       tr("welcome_sub", lang), None)


@dataclass
class SetText:
    """A text broken into lines at one font: what it takes and whether it fits."""

    lines: list[tuple[str, float]]  # each line's text and its width
    font: QFont
    pitch: float
    fits: bool

    @property
    def height(self) -> float:
        return len(self.lines) * self.pitch


def set_text(text: str, font: QFont, width: float, leading: float,
             most_lines: int | None = None, keep_ties: bool = True) -> SetText:
    """Break `text` into lines of at most `width` the way Qt will paint it (soft hyphens and
    non-breaking spaces honoured). Where words held together by non-breaking spaces are
    wider than the column (a preposition's or a widow's glue in display type), they are let
    go, first first (kiosk.core.typeset.let_go): a word is never broken at a random letter,
    and the last two stay together where they can. `keep_ties` False: the fewest lines,
    wherever a short word falls (PosterPainter.layout, when that lets the line show)."""
    metrics = QFontMetricsF(font)

    def too_wide(run: str) -> bool:
        return metrics.horizontalAdvance(run) > width + 1

    # Both ways of letting ties go, and the better set: within its lines, then no Russian
    # line ending on a short word or any starting with a dash where a tie was let go
    # («Разговор на / одном уровне», «Главное / — люди»), then fewer lines, then no short
    # word alone on a line («The Academy / of / Sincere Service»), then no word alone at the
    # end.
    best: tuple[tuple[bool, bool, int, int, int, bool], list[tuple[str, float]], bool] | None \
        = None
    for candidate in dict.fromkeys(let_go(text, too_wide, first) for first in (True, False)):
        for _attempt in range(4):  # a run the metrics put a shade narrower than the layout
            lines, starts, overflows = _break_lines(candidate, font, width)
            glue = candidate.rfind("\u00a0")
            if not overflows or glue < 0:
                break
            candidate = candidate[:glue] + " " + candidate[glue + 1:]
        words = [line.replace("\u00a0", " ").split() for line, _ in lines]
        score = (overflows, most_lines is not None and len(lines) > most_lines,
                 _ties_broken_badly(text, candidate, starts) if keep_ties else 0, len(lines),
                 sum(len(line) == 1 and len(line[0]) <= 3 for line in words),
                 len(words) > 1 and len(words[-1]) == 1)
        if best is None or score < best[0]:
            best = (score, lines, overflows)
    assert best is not None
    _, lines, overflows = best
    fits = not overflows and (most_lines is None or len(lines) <= most_lines)
    return SetText(lines, font, font.pixelSize() * leading, fits)


def _lone_letter(text: SetText) -> bool:
    """A line of `text`, of several, that is a one-letter word alone (в, к, с, a, I)."""
    return len(text.lines) > 1 and any(
        len(words) == 1 and len(words[0].strip(WORD_EDGES)) == 1
        for words in (line.replace("\u00a0", " ").split() for line, _ in text.lines))


def _ties_broken_badly(tied: str, candidate: str, starts: list[int]) -> int:
    """The lines of `candidate` (the typeset `tied` with some ties let go) that begin where a
    tie was after a short Russian word, after a number or before a dash: a preposition left at
    a line's end («для / маленького»), a number without its word («37 / тысяч»), or a dash at
    a line's start («Главное / — люди»). (An English line may end on one: "for / a little
    helper" keeps the last words together.)"""
    bad = 0
    for start in starts[1:]:
        if start < 1 or start > len(tied) or tied[start - 1] != "\u00a0":
            continue
        left = candidate[:start].split()
        right = candidate[start:].split()
        dash_first = bool(right) and right[0][:1] in "—–"
        short_last = bool(left) and len(left[-1]) <= 3 \
            and any("\u0400" <= c <= "\u04ff" for c in left[-1])
        number_last = bool(left) and left[-1].isdigit()  # «Более 37 / тысяч историй»
        bad += dash_first or short_last or number_last
    return bad


def _break_lines(text: str, font: QFont,
                 width: float) -> tuple[list[tuple[str, float]], list[int], bool]:
    """Lines as Qt breaks them: each one's text and width, where each starts in `text`, and
    whether any is wider than `width`."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    lines: list[tuple[str, float]] = []
    starts: list[int] = []
    overflows = False
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
        piece = text[line.textStart(): line.textStart() + line.textLength()]
        if piece.endswith("\u00ad"):  # broken at a soft hyphen: Qt shows a hyphen there
            piece = piece[:-1] + "-"
        piece = piece.replace("\u00ad", "")
        lines.append((piece.rstrip(), line.naturalTextWidth()))
        overflows = overflows or line.naturalTextWidth() > width + 1
    layout.endLayout()
    return lines, starts, overflows


@dataclass(frozen=True)
class PosterLayout:
    """Where a slide's words and picture go on the stage."""

    frame: PosterFrame
    kicker: SetText
    headline: SetText
    line: SetText | None  # None: left out, it did not fit whole
    headline_at_display: bool


class PosterPainter:
    """Paints slides as posters. Holds no widget: each slide is painted straight into a
    pixmap the size of the stage."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        # The words of the last poster painted and where: the accessibility audit measures
        # them on the stage, and tests read the grid from them.
        self.spots: list[TextSpot] = []
        self.last_words = PosterWords("", "", "", None)
        # Where the slide's picture comes from: None, decoded as it is painted (previews,
        # kiosk check); in the kiosk, decoded in the background. A picture not decoded yet
        # leaves a quiet panel in its place, and `waiting` says so.
        self.pictures: PictureSource | None = None
        self.waiting = False
        # While `render_around_pictures` renders: the slide's own pictures it leaves out.
        self._left_out: list[LeftOut] | None = None

    def picture_boxes(self, slide: Slide, content: Content, lang: Language,
                      size: QSize) -> list[tuple[Path, QSize, bool]]:
        """The pictures the slide shows on a stage of `size`: each one's file, the box it is
        fitted into, and whether it covers the box. What to decode before the slide is due."""
        words = poster_words(slide, content, lang)
        if words.full_bleed:
            path = words.portrait_picture if self.theme.portrait and words.portrait_picture \
                else words.picture
            return [] if path is None else [(path, size, words.fill)]
        if words.picture is None:
            return []
        # Decoded for the whole frame: where a portrait poster's picture gives height to its
        # line, it is drawn at the same width and its top and bottom are cut (paint).
        box = poster_frame(self.theme, size).picture
        return [(words.picture, _box_size(box), False)]

    def _picture(self, path: Path, box: QSize, ratio: float, fill: bool) -> QImage | None:
        if self.pictures is None:
            return render_image(path, box, fill=fill, ratio=ratio)
        picture = self.pictures(path, box, ratio, fill)
        if picture is None:
            self.waiting = True
        return picture

    def layout(self, words: PosterWords, lang: Language, stage: QSize) -> PosterLayout:
        theme = self.theme
        frame = poster_frame(theme, stage)
        width = frame.words.width()
        kicker = set_text(words.kicker, theme.font(theme.small_px, bold=True), width,
                          TEXT_LEADING, 1)
        headline_text = typeset(words.headline, lang, hyphenate=False)
        headline = set_text(headline_text, theme.font(theme.display_px, bold=True), width,
                            DISPLAY_LEADING, HEADLINE_LINES)
        # A one-letter word alone on a line («Разговор / в / блокноте») is no display
        # setting: the title size sets it properly. A 4:3 or 5:4 screen's column (half a
        # narrow width) has room for a word or two of display type a line («Завтра / центр
        # не / работает»), and half the posters lost their line: every headline there is set
        # at the title size, so the loop's posters keep one size.
        at_display = headline.fits and not _lone_letter(headline) and not theme.narrow
        if not at_display:
            headline = set_text(headline_text, theme.font(theme.title_px, bold=True), width,
                                1.15)
            if not headline.fits or self.head_height(kicker, headline) > frame.words.height():
                # A notice of 200 characters, or a word wider than the column: the lead size
                # rather than lines cut under the band (kiosk check has said it is long).
                headline = set_text(headline_text, theme.font(theme.lead_px, bold=True), width,
                                    TEXT_LEADING)
        line: SetText | None = None
        if words.line:
            # Not hyphenated: a poster's few words break at spaces, and the dictionary
            # (~45 ms to load) stays out of the first frame.
            wanted = set_text(typeset(words.line, lang, hyphenate=False),
                              theme.font(theme.lead_px), width, TEXT_LEADING, LINE_LINES)
            placed = self._with_line(frame, kicker, headline, wanted)
            if placed is None and at_display:
                # The line matters more than where a preposition falls: the headline in
                # fewer lines, a short word at a line's end, where that lets the line show
                # («Разговор на / одном уровне» and its line, not three lines alone).
                fewer = set_text(headline_text, headline.font, width, DISPLAY_LEADING,
                                 HEADLINE_LINES, keep_ties=False)
                if len(fewer.lines) < len(headline.lines):
                    placed = self._with_line(frame, kicker, fewer, wanted)
                    if placed is not None:
                        headline = fewer
            if placed is not None:
                frame, line = placed, wanted
        return PosterLayout(frame, kicker, headline, line, at_display)

    def _with_line(self, frame: PosterFrame, kicker: SetText, headline: SetText,
                   line: SetText) -> PosterFrame | None:
        """The frame with room for `line` under the headline (in portrait the picture gives
        up to PORTRAIT_PICTURE_GIVES of its height for it); None: no room."""
        if not line.fits:
            return None
        short = math.ceil(line.height - (frame.words.height()
                                         - self.head_height(kicker, headline)))
        if short <= 0:
            return frame
        if self.theme.portrait and short <= frame.picture.height() * PORTRAIT_PICTURE_GIVES:
            return _picture_shorter(frame, short)
        return None

    def block_height(self, layout: PosterLayout) -> float:
        """The height the kicker, headline and line take together, as painted."""
        height = self.head_height(layout.kicker, layout.headline)
        if layout.line is not None:
            height += layout.line.height - (layout.headline.pitch
                                            - layout.headline.font.pixelSize())
        else:
            height -= self.theme.space("xl")
        return height

    def head_height(self, kicker: SetText, headline: SetText) -> float:
        gap = self.theme.space("m") + self.theme.space("xl")
        return self.theme.space("xs") * 2 + kicker.height + headline.height + gap

    def render(self, slide: Slide, content: Content, lang: Language, size: QSize,
               ratio: float = 1.0) -> QPixmap:
        """The slide for a stage of `size` logical pixels, painted in device pixels at the
        stage's device pixel `ratio` (kiosk.ui.hidpi): copied to the screen one to one."""
        # Painted straight into the pixmap the stage shows: an image converted afterwards was
        # a second full-screen buffer each slide (7 MB at 1080p) that malloc kept.
        pixmap = device_pixmap(size, ratio)
        pixmap.fill(QColor(self.theme.colours.paper))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        words = poster_words(slide, content, lang)
        self.spots = []
        self.last_words = words
        self.waiting = False
        if words.full_bleed:
            self._paint_full_screen(painter, words, size)
        else:
            self.paint(painter, words, lang, size)
        painter.end()
        return pixmap

    def render_around_pictures(self, slide: Slide, content: Content, lang: Language, size: QSize,
                               ratio: float = 1.0) -> tuple[QPixmap, list[LeftOut]] | None:
        """The slide rendered without its own picture, and where that goes: `paint_pictures`
        paints it in once it is decoded, and the slide is then `render`'s to the pixel (the
        picture's box and the words' never overlap, and the paper is under both). The kiosk
        renders its first slide so while the picture is decoded, instead of after it. None
        for a staff poster: its picture lies under everything else."""
        if poster_words(slide, content, lang).full_bleed:
            return None
        left_out: list[LeftOut] = []
        self._left_out = left_out
        try:
            pixmap = self.render(slide, content, lang, size, ratio)
        finally:
            self._left_out = None
        return pixmap, left_out

    def paint_pictures(self, pixmap: QPixmap,
                       pictures: Sequence[tuple[LeftOut, QImage]]) -> None:
        """Paint the pictures `render_around_pictures` left out into its pixmap."""
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for place, picture in pictures:
            _draw_fitted(painter, _within(picture, place.box) if place.whole else picture,
                         place.box)
        painter.end()

    def paint(self, painter: QPainter, words: PosterWords, lang: Language, size: QSize) -> None:
        layout = self.layout(words, lang, size)
        colours = self.theme.colours
        if words.picture is not None:
            # At the whole frame's scale, so that a picture giving height to the line keeps
            # the width and the grid of every other poster (its top and bottom cut instead);
            # a card is fitted whole into what is left (cut, it lost its rim).
            whole = poster_frame(self.theme, size).picture
            box = layout.frame.picture
            if words.framed and self.theme.portrait:  # edge to edge: a card keeps off the top
                box = box.adjusted(0, self.theme.space("xl"), 0, 0)
            self._paint_picture(painter, words.picture, box, content=True, scale_for=whole,
                                whole=words.framed)
        else:
            self._paint_emblem(painter, words.emblem, layout.frame.picture)
        box = layout.frame.words
        # In landscape the words sit level with the picture's middle, as one block beside it;
        # in portrait they start under the picture. Their left edge never moves.
        x, y = box.left(), box.top()
        if not self.theme.portrait:
            y += max(0.0, (box.height() - self.block_height(layout)) / 2)
        if layout.kicker.lines:
            # The kicker: a short rule and a word in the accent colour, never a pill (a pill
            # reads as a filter a visitor could tap).
            rule = QRectF(x, y, self.theme.px(72), self.theme.px(8))
            painter.fillRect(rule, QColor(colours.accent))
            y += rule.height() + self.theme.space("xs")
            y = self._paint_lines(painter, layout.kicker, x, y, colours.accent)
            y += self.theme.space("m")
        y = self._paint_lines(painter, layout.headline, x, y, colours.ink)
        if layout.line is not None:
            y += self.theme.space("xl") - (layout.headline.pitch - layout.headline.font.pixelSize())
            self._paint_lines(painter, layout.line, x, y, colours.ink_soft)

    def _paint_lines(self, painter: QPainter, text: SetText, x: float, y: float,
                     colour: str) -> float:
        painter.setFont(text.font)
        painter.setPen(QColor(colour))
        metrics = QFontMetricsF(text.font)
        # Lines sit on a fixed pitch: each line's box is centred on its share of the pitch.
        top = y - (metrics.height() - text.pitch) / 2
        for piece, width in text.lines:
            painter.drawText(QPointF(x, top + metrics.ascent()), piece)
            box = QRectF(x, top, width, metrics.height()).toRect()
            self.spots.append(TextSpot(piece, box, QColor(colour), text.font.pixelSize(),
                                       text.font.bold(), text.fits))
            top += text.pitch
        return y + text.height

    def _paint_emblem(self, painter: QPainter, emblem: str, box: QRectF) -> None:
        """A story without a picture keeps the poster's grid: a calm panel with the emblem of
        its kind where the picture would be, so the words never move."""
        rect = self._paint_panel(painter, box)
        side = round(min(rect.width(), rect.height()) * 0.5)
        self._paint_picture(painter, assets_dir() / "icons" / emblem,
                            QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2,
                                   side, side))

    def _paint_panel(self, painter: QPainter, box: QRectF) -> QRectF:
        """The quiet panel in the picture's place (docs/design.md, `panel`); where it is."""
        colours = self.theme.colours
        panel = QColor(colours.panel)
        inset = 0 if self.theme.portrait else self.theme.space("m")
        rect = box.adjusted(inset, inset, -inset, -inset)
        painter.setPen(Qt.PenStyle.NoPen if not colours.outline
                       else QPen(QColor(colours.ink), self.theme.px(4)))
        painter.setBrush(panel)
        radius = 0 if self.theme.portrait else self.theme.px(40)
        painter.drawRoundedRect(rect, radius, radius)
        return rect

    def _paint_full_screen(self, painter: QPainter, words: PosterWords, size: QSize) -> None:
        """A staff poster: never stretched. Fitted whole, the margins take the colour of its
        own edge, so it looks framed rather than boxed; or it fills the screen, centred, with
        what overflows cut off."""
        path = words.portrait_picture if self.theme.portrait and words.portrait_picture \
            else words.picture
        if path is None:
            return
        picture = self._picture(path, size, ratio_of(painter.device()), words.fill)
        if picture is None or picture.isNull():
            return  # the paper until it is decoded
        shown = logical_size(picture)  # in device pixels on a Hi-DPI screen: drawn 1:1
        left = (size.width() - shown.width()) / 2
        top = (size.height() - shown.height()) / 2
        if shown.width() < size.width() - 0.5 or shown.height() < size.height() - 0.5:
            painter.fillRect(QRectF(0, 0, size.width(), size.height()), edge_colour(picture))
        painter.drawImage(QRectF(QPointF(left, top), shown), picture)

    def _paint_picture(self, painter: QPainter, path: Path | None, box: QRectF,
                       content: bool = False, scale_for: QRectF | None = None,
                       whole: bool = False) -> None:
        """A picture fitted into `box` (or into `scale_for`, and centred in `box`, what
        overflows it cut, or with `whole` made smaller to fit it: decoded as for
        `scale_for` all the same, as the loop decodes it ahead): the slide's own (`content`:
        a photo, decoded in the background in the kiosk) or a bundled emblem (small, drawn at
        once)."""
        if path is None or box.isEmpty():
            return
        target = _box_size(scale_for if scale_for is not None else box)
        ratio = ratio_of(painter.device())
        if content and self._left_out is not None:
            self._left_out.append(LeftOut(path, target, ratio, box, whole))  # paper meanwhile
            return
        # Rendered for this slide: the stage's pixmap holds it now (in the kiosk the loader
        # keeps the last few decoded, kiosk.ui.photos, bounded by bytes).
        picture = self._picture(path, target, ratio, False) if content \
            else render_image(path, target, ratio=ratio)
        if picture is None:
            self._paint_panel(painter, box)  # until the picture is decoded
            return
        _draw_fitted(painter, _within(picture, box) if whole else picture, box)


EDGE_BINS = 8  # levels a channel for edge_colour's count: colours an eighth apart are one


def _draw_fitted(painter: QPainter, picture: QImage, box: QRectF) -> None:
    """Fitted whole, never stretched; centred in its box (a landscape picture in portrait
    keeps the box's width, so the words below start at the same place on every poster), and
    what is larger than the box cut to it. Rendered in device pixels on a Hi-DPI screen, and
    drawn at that size: sharp."""
    if picture.isNull():
        return
    scaled = logical_size(picture)
    left = box.left() + (box.width() - scaled.width()) / 2
    top = box.top() + (box.height() - scaled.height()) / 2
    overflows = scaled.width() > box.width() + 0.5 or scaled.height() > box.height() + 0.5
    if overflows:
        painter.save()
        painter.setClipRect(box)
    painter.drawImage(QRectF(QPointF(left, top), scaled), picture)
    if overflows:
        painter.restore()


def _within(picture: QImage, box: QRectF) -> QImage:
    """`picture` made smaller, where it is larger than `box`, to fit it whole (once a slide:
    the colouring invitation's card in portrait above a notice band)."""
    shown = logical_size(picture)
    if picture.isNull() or (shown.width() <= box.width() + 0.5
                            and shown.height() <= box.height() + 0.5):
        return picture
    ratio = picture.devicePixelRatio()
    smaller = picture.scaled(QSize(math.floor(box.width() * ratio),
                                   math.floor(box.height() * ratio)),
                             Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    smaller.setDevicePixelRatio(ratio)
    return smaller


def _box_size(box: QRectF) -> QSize:
    return QSize(round(box.width()), round(box.height()))


def edge_colour(picture: QImage) -> QColor:
    """The colour of a picture's outer pixels (transparent ones count as white, as a
    drawing's paper): what its margins are filled with. The one most of them have, where
    most have one (a blue poster with an orange stripe along its top was framed in the grey
    of their average); else, an edge of many colours, their average. Counted in coarse bins,
    each with its neighbours, and the samples near the winner averaged, so the noise of a
    video frame or a scaled picture does not change the answer."""
    width, height = picture.width(), picture.height()
    step = max(1, max(width, height) // 64)  # ~256 samples whatever the size
    points = [(x, y) for x in range(0, width, step) for y in (0, height - 1)]
    points += [(x, y) for y in range(0, height, step) for x in (0, width - 1)]
    samples: list[tuple[float, float, float]] = []
    for x, y in points:
        colour = picture.pixelColor(x, y)
        alpha = colour.alphaF()
        samples.append((colour.redF() * alpha + (1 - alpha),
                        colour.greenF() * alpha + (1 - alpha),
                        colour.blueF() * alpha + (1 - alpha)))
    bins = [tuple(min(EDGE_BINS - 1, int(channel * EDGE_BINS)) for channel in rgb)
            for rgb in samples]
    counts: dict[tuple[int, ...], int] = {}
    for found in bins:
        counts[found] = counts.get(found, 0) + 1

    def neighbours(found: tuple[int, ...]) -> int:
        """The samples in `found`'s bin and the 26 around it (27 lookups, whatever the
        number of bins: an edge of noise has hundreds)."""
        r, g, b = found
        return sum(counts.get((r + i, g + j, b + k), 0)
                   for i in (-1, 0, 1) for j in (-1, 0, 1) for k in (-1, 0, 1))

    winner = max(counts, key=lambda found: (neighbours(found), counts[found]))
    chosen = [rgb for rgb, found in zip(samples, bins, strict=True)
              if max(abs(a - b) for a, b in zip(found, winner, strict=True)) <= 1]
    if len(chosen) * 2 <= len(samples):  # no colour holds most of the edge
        chosen = samples
    count = len(chosen)
    red, green, blue = (sum(rgb[channel] for rgb in chosen) for channel in range(3))
    return QColor.fromRgbF(red / count, green / count, blue / count)
