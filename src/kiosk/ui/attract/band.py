"""The attract screen's band: the invitation to touch, the centre's name and the time.

The invitation is the band itself, in the «tap here» colour across the whole screen, with a
large hand in a ring that sends out slow ripples: seen from across the room, never a small
pill. Only the ring repaints while it moves (25 frames a second), over a copy of the rest
painted once; the words and the clock repaint when they change.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.content.problems import Language
from kiosk.core.i18n import tr
from kiosk.ui.hidpi import device_pixmap, device_rect, ratio_of
from kiosk.ui.resources import ImageCache, assets_dir
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TextSpot, tinted

RIPPLE_PERIOD_S = 2.4
RIPPLE_SPREAD = 28  # how far a ripple grows past the ring: short of the words beside it
RIPPLE_ALPHA = 0.45
FRAME_MS = 40  # 25 frames a second: the ripple is slow, and each frame costs the loop

# Portrait: the invitation's row (the landscape band's height), and under it the name, the
# time at lead size and the date.
INVITE_ROW_PORTRAIT = 176


class AttractBand(QWidget):
    """Landscape: name | hand and «Коснитесь экрана» | time, in one row. Portrait: the
    invitation on a row of its own, the name and the time under it."""

    def __init__(self, theme: Theme, images: ImageCache,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.theme = theme
        self.clock = clock
        self.lang: Language = "ru"
        self.centre = ""
        self.time_text = ""
        self.dates: tuple[str, ...] = ()  # the date's forms, longest first (i18n.date_forms)
        self.phase = 0.0  # 0..1 through one ripple
        self._started = clock()
        # The hand at the size it is drawn, in device pixels (kiosk.ui.hidpi), so a frame
        # copies it rather than scales it: made when first painted, at the screen's ratio.
        self.images = images
        self.hand_ink = QImage()
        # What does not move under the ripple (the band's colour, the edges of any words),
        # painted once per change, in device pixels: a frame of the ripple copies its box
        # from here and draws the ring. Only that box: the rest of the band stays in the
        # window's backing store between frames, and a whole repaint (a new minute, an
        # expose) paints the words straight in (1.3 MB less at 1080p for a whole-band copy).
        self._backdrop = QPixmap()
        # Where the ring and the invitation's lines go, for the size and language they were
        # measured for: each frame of the ripple needs the ring's box, and measuring the words
        # (four fonts, two text widths) 75 times a second was half the band's Python time.
        self._boxes: tuple[tuple[int, int, str], tuple[QRectF, QRectF, QRectF]] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._step)
        self.setFixedHeight(theme.px(300 if theme.portrait else 176))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # -- sizes -----------------------------------------------------------------------------

    @property
    def ring_radius(self) -> int:
        return self.theme.px(60)

    def _fonts(self) -> tuple[QFont, QFont, QFont, QFont]:
        theme = self.theme
        return (theme.font(theme.title_px, bold=True),  # «Коснитесь экрана»
                theme.font(theme.small_px),  # its English line
                # The name and the time at lead size in both orientations (the name falls
                # back to small type where it needs more lines than the band holds).
                theme.font(theme.lead_px, bold=True),
                theme.font(theme.small_px))  # the date

    def _invite_row(self) -> QRect:
        if self.theme.portrait:
            return QRect(0, 0, self.width(), self.theme.px(INVITE_ROW_PORTRAIT))
        return QRect(0, 0, self.width(), self.height())

    def _info_row(self) -> QRect:
        if self.theme.portrait:
            top = self.theme.px(INVITE_ROW_PORTRAIT)
            return QRect(0, top, self.width(), self.height() - top)
        return QRect(0, 0, self.width(), self.height())

    def _invite_boxes(self) -> tuple[QRectF, QRectF, QRectF]:
        """The ring's square, and the boxes of the two invitation lines, centred together
        (measured once for each size and language)."""
        key = (self.width(), self.height(), self.lang)
        if self._boxes is None or self._boxes[0] != key:
            self._boxes = (key, self._measure_invite_boxes())
        ring, main, sub = self._boxes[1]
        return QRectF(ring), QRectF(main), QRectF(sub)  # copies: callers may move them

    def _measure_invite_boxes(self) -> tuple[QRectF, QRectF, QRectF]:
        title_font, sub_font, _, _ = self._fonts()
        main, sub = tr("touch_screen", "ru"), tr("touch_screen", "en")
        if self.lang == "en":
            main, sub = sub, main
        gap = self.theme.space("l")
        width_main = QFontMetrics(title_font).horizontalAdvance(main)
        width_sub = QFontMetrics(sub_font).horizontalAdvance(sub)
        text_width = max(width_main, width_sub)
        ring = self.ring_radius * 2
        row = self._invite_row()
        left = row.center().x() - (ring + gap + text_width) / 2
        ring_box = QRectF(left, row.center().y() - ring / 2, ring, ring)
        main_height = QFontMetrics(title_font).height()
        sub_height = QFontMetrics(sub_font).height()
        top = row.center().y() - (main_height + sub_height) / 2
        text_left = ring_box.right() + gap
        return (ring_box, QRectF(text_left, top, width_main + 2, main_height),
                QRectF(text_left, top + main_height, width_sub + 2, sub_height))

    def _ripple_rect(self) -> QRect:
        ring, _, _ = self._invite_boxes()
        spread = self.theme.px(RIPPLE_SPREAD + 4)
        return ring.adjusted(-spread, -spread, spread, spread).toAlignedRect() \
            .intersected(self.rect())

    # -- state -----------------------------------------------------------------------------

    @property
    def date_text(self) -> str:
        return self.dates[0] if self.dates else ""

    def set_texts(self, lang: Language, centre: str, time_text: str,
                  dates: tuple[str, ...]) -> None:
        """`dates`: the date's forms, longest first; the longest that fits is shown."""
        if (lang, centre, time_text, dates) != (self.lang, self.centre, self.time_text,
                                                self.dates):
            self.lang, self.centre = lang, centre
            self.time_text, self.dates = time_text, dates
            self._backdrop = QPixmap()
            self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._backdrop = QPixmap()

    def start(self) -> None:
        self._started = self.clock()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.phase = 0.0
        self.update()

    def _step(self) -> None:
        self.phase = ((self.clock() - self._started) / RIPPLE_PERIOD_S) % 1.0
        self.update(self._ripple_rect())

    # -- painting --------------------------------------------------------------------------

    def hand(self, ratio: float) -> QImage:
        """The hand in the ring, in the band's ink, in device pixels at `ratio`."""
        if self.hand_ink.isNull() or self.hand_ink.devicePixelRatio() != ratio:
            side = round(self.ring_radius * 1.3)
            hand = self.images.get(assets_dir() / "icons" / "tabler" / "hand-finger.svg",
                                   QSize(side, side), ratio)
            self.hand_ink = tinted(hand, QColor(self.theme.colours.action_ink))
        return self.hand_ink

    def paintEvent(self, event: QPaintEvent) -> None:
        ratio = ratio_of(self)
        ripple = self._ripple_rect()
        painter = QPainter(self)
        if ripple.contains(event.rect()):  # a frame of the ripple
            if self._backdrop.deviceIndependentSize().toSize() != ripple.size() \
                    or self._backdrop.devicePixelRatio() != ratio:
                self._backdrop = device_pixmap(ripple.size(), ratio)
                backdrop = QPainter(self._backdrop)
                backdrop.translate(-QPointF(ripple.topLeft()))
                self._paint_backdrop(backdrop)
                backdrop.end()
            # The source in the backdrop's own pixels: device pixels on a Hi-DPI screen.
            painter.drawPixmap(QRectF(event.rect()), self._backdrop,
                               device_rect(event.rect().translated(-ripple.topLeft()), ratio))
        else:
            painter.save()
            self._paint_backdrop(painter)
            painter.restore()
        ring_box = self._invite_boxes()[0]
        if event.rect().intersects(self._ripple_rect()):
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint_ring(painter, ring_box)
        painter.end()

    def _paint_backdrop(self, painter: QPainter) -> None:
        colours = self.theme.colours
        painter.fillRect(self.rect(), QColor(colours.action))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if colours.outline:
            painter.setPen(QPen(QColor(colours.ink), self.theme.px(4)))
            painter.drawLine(0, 0, self.width(), 0)
        _ring, main_box, sub_box = self._invite_boxes()
        title_font, sub_font, info_font, date_font = self._fonts()
        main, sub = tr("touch_screen", "ru"), tr("touch_screen", "en")
        if self.lang == "en":
            main, sub = sub, main
        painter.setPen(QColor(colours.action_ink))
        painter.setFont(title_font)
        painter.drawText(main_box, int(Qt.AlignmentFlag.AlignLeft), main)
        painter.setFont(sub_font)
        painter.drawText(sub_box, int(Qt.AlignmentFlag.AlignLeft), sub)
        name = self.name_layout()
        painter.setFont(name.font)
        painter.drawText(name.box, int(NAME_FLAGS), name.text)
        for box, forms, font, align in self._info_spots(info_font, date_font)[1:]:
            painter.setFont(font)
            painter.drawText(box, int(align), _shown(forms, font, box.width()))

    def name_box(self) -> QRectF:
        """The room for the centre's name: its side of the band, the band's height less a
        small step above and below."""
        row = QRectF(self._info_row())
        pad = self.theme.space("xs" if self.theme.portrait else "s")
        return QRectF(row.left() + self.theme.margin, row.top() + pad, self._side_width(),
                      row.height() - 2 * pad)

    def name_layout(self) -> NameLayout:
        """The centre's name as it is painted: on one line at the name's size (lead, bold),
        else on two or more lines at that size, else in small type (the date's size) on as
        many lines as the band holds; only a name longer than even that is cut, after its
        last whole word that fits with «…», and `kiosk check` warns (centre_name_long)."""
        box = self.name_box()
        _title, _sub, info_font, date_font = self._fonts()
        if QFontMetrics(info_font).horizontalAdvance(self.centre) <= box.width():
            # One line, as large as the time: on the time's line, not centred on the time
            # and the date together (the two bold words side by side stood at two heights).
            time_box = self._info_spots(info_font, date_font)[1][0]
            return NameLayout(info_font, self.centre,
                              QRectF(box.left(), time_box.top(), box.width(),
                                     time_box.height()), True)
        fonts = [info_font]
        small = self.theme.font(self.theme.small_px, bold=True)
        if small.pixelSize() < fonts[0].pixelSize():
            fonts.append(small)
        for font in fonts:
            if _fits(font, self.centre, box):
                return NameLayout(font, self.centre, box, True)
        return NameLayout(fonts[-1], _cut_to_fit(fonts[-1], self.centre, box), box, False)

    def _paint_ring(self, painter: QPainter, box: QRectF) -> None:
        colours = self.theme.colours
        centre = box.center()
        radius = box.width() / 2
        spread = self.theme.px(RIPPLE_SPREAD)
        half = self.theme.px(5) / 2
        band, ink = QColor(colours.action), QColor(colours.action_ink)
        painter.setPen(Qt.PenStyle.NoPen)
        # Two ripples half a period apart, the wider first. Each is a disc of the ink blended
        # into the band's flat colour with the band's colour filled inside it: four plain
        # fills cost a thirtieth of two semi-transparent antialiased strokes (1.0 ms a frame).
        # The ripples stop short of the words beside the ring, so the band there is flat.
        for t in sorted(((self.phase + offset) % 1.0 for offset in (0.0, 0.5)), reverse=True):
            size = radius + spread * t
            painter.setBrush(_blend(ink, band, RIPPLE_ALPHA * (1 - t)))
            painter.drawEllipse(centre, size + half, size + half)
            painter.setBrush(band)
            painter.drawEllipse(centre, size - half, size - half)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colours.paper if not colours.outline else colours.action))
        painter.drawEllipse(centre, radius, radius)
        if colours.outline:
            painter.setPen(QPen(QColor(colours.action_ink), self.theme.px(4)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius, radius)
        # The hand presses down gently with each ripple (whole pixels: copied, not scaled).
        press = math.sin(self.phase * math.pi) * self.theme.px(4)
        ratio = ratio_of(painter.device())
        hand = self.hand(ratio)
        # On whole device pixels: copied, not resampled.
        side = hand.width() / ratio
        painter.drawImage(QPointF(round((centre.x() - side / 2) * ratio) / ratio,
                                  round((centre.y() - side / 2 + press) * ratio) / ratio), hand)

    def _info_spots(self, info_font: QFont, date_font: QFont
                    ) -> list[tuple[QRectF, tuple[str, ...], QFont, Qt.AlignmentFlag]]:
        """The name's, the time's and the date's places, each with its text's forms."""
        row = QRectF(self._info_row())
        margin = self.theme.margin
        inner = row.adjusted(margin, 0, -margin, 0)
        info_height = QFontMetrics(info_font).height()
        date_height = QFontMetrics(date_font).height()
        top = inner.center().y() - (info_height + date_height) / 2
        left = Qt.AlignmentFlag.AlignLeft
        right = Qt.AlignmentFlag.AlignRight
        spots = [
            (QRectF(inner.left(), inner.center().y() - info_height / 2, self._side_width(),
                    info_height), (self.centre,), info_font, left),
            (QRectF(inner.right() - self._side_width(), top, self._side_width(), info_height),
             (self.time_text,), info_font, right),
            (QRectF(inner.right() - self._side_width(), top + info_height, self._side_width(),
                    date_height), self.dates or ("",), date_font, right),
        ]
        return spots

    def _side_width(self) -> float:
        """The room beside the invitation for the name (left) and the time (right)."""
        if self.theme.portrait:
            return (self.width() - 2 * self.theme.margin) / 2 - self.theme.space("m")
        ring_box = self._invite_boxes()[0]
        return ring_box.left() - self.theme.margin - self.theme.space("xl")

    def text_spots(self) -> list[TextSpot]:
        """For the accessibility audit: every word painted here, and whether it fits."""
        title_font, sub_font, info_font, date_font = self._fonts()
        _ring, main_box, sub_box = self._invite_boxes()
        main, sub = tr("touch_screen", "ru"), tr("touch_screen", "en")
        if self.lang == "en":
            main, sub = sub, main
        ink = QColor(self.theme.colours.action_ink)
        spots = [TextSpot(main, main_box.toRect(), ink, title_font.pixelSize(), True),
                 TextSpot(sub, sub_box.toRect(), ink, sub_font.pixelSize(), False)]
        name = self.name_layout()
        used = QFontMetrics(name.font).boundingRect(name.box.toRect(), int(NAME_FLAGS),
                                                     name.text)
        spots.append(TextSpot(name.text, used, ink, name.font.pixelSize(), name.font.bold(),
                              name.whole))
        for box, forms, font, _align in self._info_spots(info_font, date_font)[1:]:
            shown = _shown(forms, font, box.width())
            width = QFontMetrics(font).horizontalAdvance(shown)
            spots.append(TextSpot(shown, box.toRect(), ink, font.pixelSize(), font.bold(),
                                  shown in forms and width <= box.width() + 1))
        return spots


NAME_FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap


@dataclass(frozen=True)
class NameLayout:
    """How the centre's name fits in the band: its font, text and box."""

    font: QFont
    text: str  # the name, or its beginning and «…» when not even small type holds it
    box: QRectF
    whole: bool


def _shown(forms: tuple[str, ...], font: QFont, width: float) -> str:
    """A text as it fits its room (a 5:4 screen's is narrow): the longest of its forms that
    fits whole, only the shortest ever cut."""
    # Measured to the fraction of a pixel, as the eliding and the drawing do: «7 December
    # 2026» was 172 px whole and 172.3 exact in a 172 px box, so it was chosen, then cut.
    metrics = QFontMetricsF(font)
    fitting = next((form for form in forms if metrics.horizontalAdvance(form) <= width), None)
    if fitting is not None:
        return fitting
    return QFontMetrics(font).elidedText(forms[-1], Qt.TextElideMode.ElideRight, round(width))


def _fits(font: QFont, text: str, box: QRectF) -> bool:
    """`text` wrapped at word breaks inside `box`, no word wider than it."""
    used = QFontMetrics(font).boundingRect(QRect(0, 0, math.floor(box.width()), 1 << 20),
                                           int(NAME_FLAGS), text)
    return used.width() <= box.width() and used.height() <= box.height()


def _cut_to_fit(font: QFont, text: str, box: QRectF) -> str:
    """The longest beginning of `text` that fits `box` with «…» after it, cut after a
    whole word where one fits (a binary search: a few layouts of the name)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(font, text[:middle].rstrip() + "…", box):
            low = middle
        else:
            high = middle - 1
    words = text[:low]
    if low < len(text) and not text[low].isspace() and " " in words.strip():
        words = words.strip().rsplit(" ", 1)[0]
    return words.rstrip(" ,.;:—-") + "…"


def _blend(top: QColor, under: QColor, alpha: float) -> QColor:
    """`top` at `alpha` over `under`, as one opaque colour."""
    return QColor(round(top.red() * alpha + under.red() * (1 - alpha)),
                  round(top.green() * alpha + under.green() * (1 - alpha)),
                  round(top.blue() * alpha + under.blue() * (1 - alpha)))
