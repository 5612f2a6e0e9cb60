"""«Минутка спокойствия»: choose a rhythm, breathe with a softly growing and shrinking circle.

Three pages under the shared top bar (Home and Back on the left, the language and large text
on the right): the choice of rhythm, the breathing circle and «Готово». Nothing on them is in
the «tap here» orange: the loudest thing while breathing is the circle itself.

The exercise itself is kiosk.core.breathing; this screen only shows it. The phase word and
the seconds left sit together in the middle of the circle; the ring round it is the minute,
one arc a breath, filling phase by phase. A 16 ms timer runs only while the visitor breathes
and the screen is visible; each tick repaints the circle's square alone and only when its size
changed (never during a hold). The words are a small widget of their own over the circle's
middle, opaque during a hold: the count changing once a second then repaints that box and
nothing else. Stopped, finished or hidden: no timer, no repaint.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QHideEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QRadialGradient,
    QResizeEvent,
    QShowEvent,
    QStaticText,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.breathing import (
    MAX_SCALE,
    MIN_SCALE,
    PATTERNS,
    BreathingExercise,
    BreathPhase,
    Pattern,
)
from kiosk.core.content.problems import Language
from kiosk.core.i18n import tr
from kiosk.core.typeset import typeset
from kiosk.ui.chrome import TopBar
from kiosk.ui.hidpi import device_pixmap, device_rect, logical_size, ratio_of
from kiosk.ui.resources import ImageCache, assets_dir
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, PictureTile, TextSpot, text_label

FRAME_MS = 16  # about 60 frames a second
PHASE_KEYS = ("breathe_in", "hold", "breathe_out")
RING_GAP_DEGREES = 8.0  # between two breaths' arcs on the ring


def rhythm_path(pattern: Pattern, box: QRectF) -> QPainterPath:
    """The rhythm as a line: up while breathing in, flat while holding, down breathing out;
    each step as long as its seconds. Box breathing is a trapezoid, 4-7-8 a long plateau
    and a long slope down."""
    path = QPainterPath()
    low, high = box.bottom(), box.top()
    x = box.left()
    path.moveTo(x, low)
    level = low
    for phase, seconds in pattern.steps:
        x += box.width() * seconds / pattern.cycle_s
        if phase is BreathPhase.INHALE:
            level = high
        elif phase is BreathPhase.EXHALE:
            level = low
        path.lineTo(x, level)
    return path


class PatternButton(PictureTile):
    """One rhythm to choose: its pictogram, its name (lead size) and a line saying what to
    do (small size), like the menu's tiles; a name too long for one line wraps. As on the
    menu, the pictogram gives room to the line before the line goes: in large text over the
    urgent notice's band (taller in large text) the line went on 16:9, and the page's hint
    with it («Выберите ритм и дышите вместе с кругом…», calm._fit_hint)."""

    line_before_picture = True

    def __init__(self, theme: Theme, pattern: Pattern, background: str) -> None:
        super().__init__(theme, background)
        self.pattern = pattern
        self.setMinimumHeight(theme.px(240))

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(700), self.theme.px(360))

    def boxes(self) -> tuple[QRectF, QRectF]:
        rect = QRectF(self.rect())
        pad = self.theme.space("l")
        side = self.side_beside_words(
            min(rect.width() * 0.3, rect.height() - 2 * pad, self.theme.px(200)),
            rect.width(), pad)
        picture = QRectF(rect.left() + pad, rect.center().y() - side * 0.3, side, side * 0.6)
        text_box = QRectF(picture.right() + pad, rect.top() + pad,
                          rect.right() - picture.right() - 2 * pad, rect.height() - 2 * pad)
        return picture, text_box

    def paint_picture(self, painter: QPainter, box: QRectF) -> None:
        pen = QPen(self.ink, self.theme.px(10))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(rhythm_path(self.pattern, box))


class BreathView(QWidget):
    """The breathing circle: a disc with a soft edge inside the ring of the minute. The ring
    is one arc a breath, drawn thin and filled thick in the accent colour as the phases pass;
    it also marks how large the disc grows on a full breath. Repaints only the disc's square,
    only when the disc changed: the page and the ring under it are a picture drawn once a
    phase (the disc never reaches the ring), copied, not drawn again, each frame."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.scale = MIN_SCALE
        self.completed = 0.0  # the share of the minute drawn as done on the ring
        self.breaths = 1  # arcs on the ring
        self.paints = 0  # counted, so tests can see that nothing repaints when still
        self.frame_times: list[float] | None = None  # filled by the benchmark
        self._frame_open = False  # a frame of ours the words' paint adds its time to
        self._backdrop: QPixmap | None = None  # the page and the ring in the circle's square
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.words = BreathWords(theme, self)

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(600), self.theme.px(600))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.theme.px(360), self.theme.px(360))

    @property
    def ring_width(self) -> int:
        return self.theme.px(14)

    def radius(self) -> float:
        return max(1.0, min(self.width(), self.height()) / 2 - self.ring_width)

    def centre(self) -> QPointF:
        return QRectF(self.rect()).center()

    def shape_rect(self) -> QRect:
        """The square the circle and its ring cover."""
        r = self.radius() + self.ring_width
        centre = self.centre()
        return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r).toAlignedRect()

    def set_scale(self, scale: float) -> None:
        if abs(scale - self.scale) < 0.0005:  # a hold, or a change no eye could see
            return
        # Only the square the disc covers, before or after: a small breath repaints little.
        dirty = self.disc_rect(max(scale, self.scale))
        self.scale = scale
        self.update(dirty)
        if self.words.still:  # opaque: Qt would leave its box as it was
            self.words.update()

    def disc_rect(self, scale: float) -> QRect:
        """The square the disc covers at `scale` (a pixel more for its soft edge)."""
        r = (self.radius() - self.ring_width) * scale / MAX_SCALE + 2
        centre = self.centre()
        return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r).toAlignedRect()

    def set_progress(self, completed: float, breaths: int) -> None:
        """The ring: `completed` of the minute done, in `breaths` arcs. Changes only when a
        phase ends, so it never repaints during a hold."""
        if (completed, breaths) != (self.completed, self.breaths):
            self.completed, self.breaths = completed, breaths
            self._backdrop = None
            self.update(self.shape_rect())
            self.words.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._backdrop = None
        self.words.centre_on(self.centre())

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._backdrop = None  # a few MB nobody looks at

    def backdrop(self) -> QPixmap:
        """The page and the ring in the circle's square, drawn when first needed."""
        dpr = ratio_of(self)
        if self._backdrop is None or self._backdrop.devicePixelRatio() != dpr:
            square = self.shape_rect()
            pixmap = device_pixmap(square.size(), dpr)  # device pixels (kiosk.ui.hidpi)
            pixmap.fill(QColor(self.theme.colours.paper))
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.translate(-QPointF(square.topLeft()))
            self._paint_ring(painter, self.centre(), self.radius())
            painter.end()
            self._backdrop = pixmap
        return self._backdrop

    def paint_scene(self, painter: QPainter, area: QRect) -> None:
        """Everything but the words within `area`: the page, the ring and the disc."""
        colours = self.theme.colours
        square = self.shape_rect()
        if not square.contains(area):
            painter.fillRect(area, QColor(colours.paper))
        part = area.intersected(square)
        if not part.isEmpty():
            backdrop = self.backdrop()
            source = part.translated(-square.topLeft())
            painter.drawPixmap(QRectF(part), backdrop,
                               device_rect(source, backdrop.devicePixelRatio()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = self.centre()
        full = self.radius()
        # A full breath fills the disc to the ring's inner edge, never over it.
        r = (full - self.ring_width) * self.scale / MAX_SCALE
        fill = QColor(colours.calm)
        if colours.outline:
            # High contrast: a dim disc with a bright rim, so white words on it keep 7:1.
            fill.setAlpha(90)
            painter.setBrush(fill)
            painter.setPen(QPen(QColor(colours.calm), self.theme.px(4)))
        else:
            edge = QColor(fill)
            edge.setAlpha(0)
            gradient = QRadialGradient(centre, r)
            gradient.setColorAt(0.0, fill.lighter(112))
            gradient.setColorAt(0.82, fill)
            gradient.setColorAt(1.0, edge)  # the soft edge
            painter.setBrush(gradient)
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(centre, r, r)

    def _paint_ring(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        colours = self.theme.colours
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        share = 360.0 / self.breaths
        arc = share - (RING_GAP_DEGREES if self.breaths > 1 else 0.0)
        track = QPen(QColor(colours.calm_edge), self.theme.px(4))
        done = QPen(QColor(colours.accent), self.ring_width)
        for pen in (track, done):
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        filled = self.completed * self.breaths  # breaths done, with a fraction of the current
        for breath in range(self.breaths):
            # From twelve o'clock, clockwise (Qt counts angles anticlockwise from three).
            start = 90.0 - breath * share - (share - arc) / 2
            painter.setPen(track)
            painter.drawArc(box, round(start * 16), round(-arc * 16))
            part = min(1.0, max(0.0, filled - breath))
            if part > 0:
                painter.setPen(done)
                painter.drawArc(box, round(start * 16), round(-arc * part * 16))

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        self.paints += 1
        painter = QPainter(self)
        self.paint_scene(painter, event.rect())
        painter.end()
        if self.frame_times is not None:
            self.frame_times.append(time.perf_counter() - started)
            self._frame_open = True

    def add_to_frame(self, seconds: float) -> None:
        """The words' share of the frame just painted (they paint right after the circle)."""
        if self.frame_times and self._frame_open:
            self.frame_times[-1] += seconds
        self._frame_open = False


class BreathWords(QWidget):
    """The phase word (title size) and the seconds left (display size), one under the
    other in the circle's middle.

    While the circle moves, the words are drawn over it in the same frame. While it holds
    still they are opaque: they paint the circle under themselves, so the count changing
    once a second repaints this box alone and the circle not at all."""

    def __init__(self, theme: Theme, view: BreathView) -> None:
        super().__init__(view)
        self.theme = theme
        self.view = view
        self.phase = ""
        self.count = ""
        self.phase_font = theme.font(theme.title_px, bold=True)
        self.count_font = theme.font(theme.display_px, bold=True)
        self.paints = 0
        # Laid out once a change of words, drawn every frame.
        self._static = (QStaticText(), QStaticText())
        self._laid_out: tuple[QRectF, QRectF] = (QRectF(), QRectF())
        self.still = False
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_still(self, still: bool) -> None:
        """In a hold (or at rest) the words paint what is under them themselves."""
        if still != self.still:
            self.still = still
            self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, still)

    def fit(self, lang: Language) -> None:
        """A box that holds every phase word of `lang` and any count: it never changes
        size while the visitor breathes (a resize would repaint the circle under it)."""
        phase = QFontMetricsF(self.phase_font)
        count = QFontMetricsF(self.count_font)
        widest = max(max(phase.horizontalAdvance(tr(key, lang)) for key in PHASE_KEYS),
                     count.horizontalAdvance("88"))
        pad = self.theme.space("xs")
        height = self._count_baseline() + count.descent()
        self.resize(round(widest + 2 * pad), round(height + pad))
        self.centre_on(self.view.centre())
        self._lay_out()

    def _phase_baseline(self) -> float:
        return QFontMetricsF(self.phase_font).ascent()

    def _count_baseline(self) -> float:
        """The count's figures start a small step under the phase word's baseline."""
        phase = QFontMetricsF(self.phase_font)
        count = QFontMetricsF(self.count_font)
        return self._phase_baseline() + phase.descent() + self.theme.space("xs") \
            + count.capHeight()

    def centre_on(self, centre: QPointF) -> None:
        """The words' visible block (the phase word's capitals to the count's baseline)
        centred on the circle's middle."""
        phase = QFontMetricsF(self.phase_font)
        top = self._phase_baseline() - phase.capHeight()
        middle = (top + self._count_baseline()) / 2
        self.move(round(centre.x() - self.width() / 2), round(centre.y() - middle))

    def set_words(self, phase: str, count: str) -> None:
        if (phase, count) != (self.phase, self.count):
            self.phase, self.count = phase, count
            self._lay_out()
            self.update()

    def _lay_out(self) -> None:
        self._laid_out = self._rects()
        for static, text, font in zip(self._static, (self.phase, self.count),
                                      (self.phase_font, self.count_font), strict=True):
            static.setText(text)
            static.prepare(font=font)

    def _rects(self) -> tuple[QRectF, QRectF]:
        phase = QFontMetricsF(self.phase_font)
        count = QFontMetricsF(self.count_font)
        width = self.width()
        phase_w = phase.horizontalAdvance(self.phase)
        count_w = count.horizontalAdvance(self.count)
        phase_rect = QRectF((width - phase_w) / 2, self._phase_baseline() - phase.ascent(),
                            phase_w, phase.ascent() + phase.descent())
        count_rect = QRectF((width - count_w) / 2, self._count_baseline() - count.ascent(),
                            count_w, count.ascent() + count.descent())
        return phase_rect, count_rect

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        self.paints += 1
        painter = QPainter(self)
        if self.still:
            painter.translate(-QPointF(self.pos()))
            self.view.paint_scene(painter, event.rect().translated(self.pos()))
            painter.resetTransform()
        painter.setPen(QColor(self.theme.colours.ink))
        for static, rect, font in zip(self._static, self._laid_out,
                                      (self.phase_font, self.count_font), strict=True):
            painter.setFont(font)
            painter.drawStaticText(rect.topLeft(), static)
        painter.end()
        self.view.add_to_frame(time.perf_counter() - started)

    def text_spots(self) -> list[TextSpot]:
        ink = QColor(self.theme.colours.ink)
        phase_rect, count_rect = self._rects()
        bounds = QRect(self.rect())
        return [TextSpot(self.phase, phase_rect.toAlignedRect(), ink,
                         self.phase_font.pixelSize(), True,
                         bounds.contains(phase_rect.toAlignedRect())),
                TextSpot(self.count, count_rect.toAlignedRect(), ink,
                         self.count_font.pixelSize(), True,
                         bounds.contains(count_rect.toAlignedRect()))]


class Illustration(QWidget):
    """A picture from assets/illustrations, as large as its box allows, centred."""

    def __init__(self, images: ImageCache, name: str) -> None:
        super().__init__()
        self.images = images
        self.path = assets_dir() / "illustrations" / name
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(1, 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        side = min(self.width(), self.height())
        if side < 8:
            return
        # In device pixels (kiosk.ui.hidpi), drawn at its logical size: sharp.
        image = self.images.get(self.path, QSize(side, side), ratio_of(self))
        size = logical_size(image)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QPointF(round((self.width() - size.width()) / 2),
                                  round((self.height() - size.height()) / 2)), image)
        painter.end()


class CalmScreen(Screen):
    def __init__(self, theme: Theme, images: ImageCache,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.clock = clock
        self.exercise: BreathingExercise | None = None
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.step)
        colours = theme.colours
        grid = theme.grid
        self.top_bars: list[TopBar] = []

        # The choice of rhythm: the title and a line under it, then one tile a rhythm (side
        # by side in landscape, six columns each; one under the other in portrait).
        self.title = text_label(theme, theme.title_px, bold=True)
        self.hint = text_label(theme, theme.lead_px, colour=colours.ink_soft)
        backgrounds = (colours.blue, colours.green)
        self.pattern_buttons: list[PatternButton] = []
        direction = (QBoxLayout.Direction.TopToBottom if theme.portrait
                     else QBoxLayout.Direction.LeftToRight)
        tiles = QBoxLayout(direction)
        tiles.setSpacing(grid.gutter)
        for pattern, background in zip(PATTERNS, backgrounds, strict=True):
            button = PatternButton(theme, pattern, background)
            button.clicked.connect(lambda _=False, p=pattern: self.start(p))
            tiles.addWidget(button, 1)
            self.pattern_buttons.append(button)
        for button in self.pattern_buttons:  # one picture size; side by side, names level
            button.tile_group = tuple(self.pattern_buttons)
            button.level_words = not theme.portrait
        choice_body = self._body()
        choice_body.addWidget(self.title)
        choice_body.addSpacing(theme.space("xs"))
        choice_body.addWidget(self.hint)
        choice_body.addSpacing(theme.space("xl"))
        choice_body.addLayout(tiles, 1)
        self.choice = self._page(TopBar(theme), choice_body)

        # Breathing: the circle with its words and ring, filling the page under the bar.
        # The rhythm's name goes in the bar where it fits (landscape), else over the circle.
        self.breath = BreathView(theme)
        self.rhythm = text_label(theme, theme.lead_px, colour=colours.ink_soft, wrap=False)
        self.rhythm.setAlignment(Qt.AlignmentFlag.AlignCenter)
        breathing_body = self._body()
        if theme.portrait:
            # The width sets the circle's size: the name and the circle together, centred
            # in the height, rather than the name alone at the top.
            self.breath.setFixedHeight(grid.span(grid.columns))
            breathing_body.addStretch(1)
        breathing_body.addWidget(self.rhythm)
        breathing_body.addSpacing(theme.space("s"))
        breathing_body.addWidget(self.breath, 1)
        if theme.portrait:
            breathing_body.addStretch(1)
        # Back to the choice of rhythm; not in portrait with large text, where the bar has
        # no room for it beside a whole «На главную» (kiosk.ui.chrome would cut Home's word).
        self.breathing_bar = TopBar(theme, back=not (theme.portrait and theme.high_contrast))
        self.breathing_bar.back.connect(lambda: self.choose())
        self.breathing = self._page(self.breathing_bar, breathing_body)

        # Finished: «Готово» where the choice has its title, a line, «Ещё раз»; the picture
        # of a calm breath beside them (landscape) or under them (portrait).
        self.done_title = text_label(theme, theme.title_px, bold=True)
        self.done_hint = text_label(theme, theme.lead_px, colour=colours.ink_soft)
        self.again = BigButton(theme, background=colours.blue, foreground=colours.white)
        self.again.clicked.connect(lambda: self.choose())
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.done_title)
        words.addSpacing(theme.space("xs"))
        words.addWidget(self.done_hint)
        words.addSpacing(theme.space("xl"))
        words.addWidget(self.again, 0, Qt.AlignmentFlag.AlignLeft)
        words.addStretch(1)
        done_body = self._body()
        # Large text: the same picture drawn in lines (the pale discs were the brightest
        # thing on the black page; without a picture the page was half empty).
        self.picture = Illustration(images, "calm-contrast.svg" if colours.outline
                                    else "calm.svg")
        if theme.portrait:
            done_body.addLayout(words)
            done_body.addSpacing(theme.space("xxl"))
            done_body.addWidget(self.picture, 1)
        else:
            row = QHBoxLayout()
            row.setSpacing(grid.gutter)
            # Large type needs the wider share: in half the width of a 5:4 screen its line
            # under «Готово» took five lines and was cut.
            row.addLayout(words, 3 if colours.outline else 1)
            row.addWidget(self.picture, 2 if colours.outline else 1)
            done_body.addLayout(row, 1)
        self.done = self._page(TopBar(theme), done_body)

        self.pages = QStackedLayout(self)
        for page in (self.choice, self.breathing, self.done):
            self.pages.addWidget(page)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_hint()

    def _fit_hint(self) -> None:
        """The line under the title, unless with it a rhythm's tile would lose its own line
        (large text on a short page: an urgent notice's band under it, a 4:3 screen). The
        tiles are measured with it: a rule by mode alone took it from the large text of a
        16:9 screen, whose tiles had room to spare, and from the visitors who need it most."""
        self.hint.setVisible(True)
        layout = self.choice.layout()
        if layout is None or not self.theme.high_contrast:
            return
        layout.activate()
        if not all(tile.tile_layout().subtitle for tile in self.pattern_buttons):
            self.hint.setVisible(False)

    def _body(self) -> QVBoxLayout:
        """A page's body under the bar: on the grid, as on the menu."""
        body = QVBoxLayout()
        margin = self.theme.grid.margin
        body.setContentsMargins(margin, self.theme.space("s"), margin, margin)
        body.setSpacing(0)
        return body

    def _page(self, bar: TopBar, body: QVBoxLayout) -> QWidget:
        bar.home.connect(lambda: self.home_requested.emit())
        bar.language_chosen.connect(lambda code: self.language_chosen.emit(code))
        bar.large_text_toggled.connect(lambda: self.large_text_toggled.emit())
        self.top_bars.append(bar)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addLayout(body, 1)
        return page

    # -- the exercise -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.exercise is not None

    def holds_attention(self) -> bool:
        """Breathing with the circle is presence: the idle warning waits until it ends."""
        return self.running

    def start(self, pattern: Pattern) -> None:
        self.exercise = BreathingExercise(pattern, self.clock())
        self._show_rhythm()
        self.pages.setCurrentWidget(self.breathing)
        self.step()
        if self.isVisible() and self.running:
            self.timer.start()

    def step(self) -> None:
        """One frame: the circle's size, the ring and the words, each only when changed."""
        if self.exercise is None:
            self.timer.stop()
            return
        state = self.exercise.state(self.clock())
        if state.finished:
            self.finish()
            return
        self.breath.words.set_still(state.phase in (BreathPhase.HOLD_FULL,
                                                    BreathPhase.HOLD_EMPTY))
        self.breath.set_scale(state.scale)
        self.breath.set_progress(state.completed, self.exercise.pattern.cycles)
        self.breath.words.set_words(tr(state.phase.word_key, self.lang),
                                    str(state.seconds_left))

    def finish(self) -> None:
        self.timer.stop()
        self.exercise = None
        self.breath.set_scale(MIN_SCALE)
        self.pages.setCurrentWidget(self.done)

    def choose(self) -> None:
        """Back to the choice of rhythm (a new exercise, or the visitor stopped)."""
        self.timer.stop()
        self.exercise = None
        self.pages.setCurrentWidget(self.choice)

    def reset(self) -> None:
        self.choose()
        self.refresh()

    def carry_over(self, old: Screen) -> None:
        """The large-text switch rebuilt the screen: the same page, the same breath."""
        if isinstance(old, CalmScreen):
            self.exercise = old.exercise
            self.pages.setCurrentIndex(old.pages.currentIndex())
        self.refresh()
        if self.running:
            self._show_rhythm()
            self.step()

    # -- showing ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.running:
            self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.timer.stop()  # nobody sees it: no frames (the exercise's clock goes on)

    def _show_rhythm(self) -> None:
        """The rhythm's name: in the bar where it fits, else over the circle."""
        if self.exercise is None:
            return
        name = tr(f"pattern_{self.exercise.pattern.key}", self.lang)
        self.breathing_bar.set_title(name)
        self.rhythm.setText(name)
        self.rhythm.setVisible(not self.breathing_bar.title_in_bar)

    def render_view(self) -> None:
        lang = self.lang
        for bar in self.top_bars:
            bar.set_language(lang)
        self.title.setText(tr("calm_title", lang))
        # Subtitles of a line or two: whole words, as the menu's (a word broken in a short
        # subtitle, «уменьша- / ется», reads as a fault, not as saved room).
        self.hint.setText(typeset(tr("calm_hint", lang), lang, hyphenate=False))
        for choice in self.pattern_buttons:
            choice.setText(tr(f"pattern_{choice.pattern.key}", lang))
            choice.subtitle = typeset(tr(f"pattern_{choice.pattern.key}_sub", lang), lang,
                                      hyphenate=False)
            choice.update()
        self.done_title.setText(tr("calm_done", lang))
        self.done_hint.setText(typeset(tr("calm_done_sub", lang), lang, hyphenate=False))
        self.again.setText(tr("calm_again", lang))
        self.again.updateGeometry()
        self._fit_hint()
        self.breath.words.fit(lang)
        self._show_rhythm()
        if self.running:
            self.step()
