"""«Минутка спокойствия»: choose a rhythm, breathe with a softly growing and shrinking circle.

The exercise itself is kiosk.core.breathing; this screen only shows it. A 16 ms timer runs
only while the visitor breathes and the screen is visible; each tick repaints the circle's
square alone, and only when its size changed (never during a hold), and the words only when
they change. Stopped, finished or hidden: no timer, no repaint.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QRadialGradient,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
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
from kiosk.core.i18n import tr
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, PictureTile, text_label

FRAME_MS = 16  # about 60 frames a second


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
    """One rhythm to choose: its pictogram, its name and a line saying what to do."""

    TITLE_PX = (56, 50, 44)
    SMALL_SUBTITLE_FROM_PX = 44
    PRESSED_DARKER = 125

    def __init__(self, theme: Theme, pattern: Pattern, background: str) -> None:
        super().__init__(theme, background)
        self.pattern = pattern
        self.setMinimumHeight(theme.px(240))

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(700), self.theme.px(360))

    def boxes(self) -> tuple[QRectF, QRectF]:
        rect = QRectF(self.rect())
        pad = self.theme.px(40)
        picture = QRectF(rect.left() + pad, rect.top() + pad, min(rect.width() * 0.3,
                         self.theme.px(240)), rect.height() - 2 * pad)
        side = min(picture.width(), picture.height() * 0.6)
        picture = QRectF(picture.left(), rect.center().y() - side / 2, side, side)
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
    """The breathing circle: a disc with a soft edge inside a thin ring that marks a full
    breath. Repaints only its square, only when the size changed."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.scale = MIN_SCALE
        self.paints = 0  # counted, so tests can see that nothing repaints when still
        self.frame_times: list[float] | None = None  # filled by the benchmark
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(self.theme.px(600), self.theme.px(600))

    def radius(self) -> float:
        return max(1.0, min(self.width(), self.height()) / 2 - self.theme.px(8))

    def shape_rect(self) -> QRect:
        """The square the circle can ever cover (its guide ring included)."""
        r = self.radius() + self.theme.px(6)
        centre = QRectF(self.rect()).center()
        return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r).toAlignedRect()

    def set_scale(self, scale: float) -> None:
        if abs(scale - self.scale) < 0.0005:  # a hold, or a change no eye could see
            return
        self.scale = scale
        self.update(self.shape_rect())

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        self.paints += 1
        colours = self.theme.colours
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(event.rect(), QColor(colours.paper))
        centre = QRectF(self.rect()).center()
        full = self.radius()
        painter.setPen(QPen(QColor(colours.calm_edge), self.theme.px(4)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, full, full)
        r = full * self.scale / MAX_SCALE
        fill = QColor(colours.calm)
        edge = QColor(fill)
        edge.setAlpha(0)
        gradient = QRadialGradient(centre, r)
        gradient.setColorAt(0.0, fill.lighter(112))
        gradient.setColorAt(0.82, fill)
        gradient.setColorAt(1.0, edge)  # the soft edge
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawEllipse(QPointF(centre), r, r)
        painter.end()
        if self.frame_times is not None:
            self.frame_times.append(time.perf_counter() - started)


class CalmScreen(Screen):
    def __init__(self, theme: Theme, images: ImageCache,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.clock = clock
        self.exercise: BreathingExercise | None = None
        self._words: tuple[str, str] = ("", "")
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.step)
        margin = theme.margin * 2

        # The choice of rhythm.
        self.title = text_label(theme, theme.title_px, bold=True)
        self.hint = text_label(theme, theme.body_px, colour=theme.colours.ink_soft)
        self.home = BigButton(theme, icon=Icon.HOME, background=theme.colours.orange,
                              foreground=theme.colours.ink)
        self.home.clicked.connect(self.home_requested)
        backgrounds = (theme.colours.blue, theme.colours.green)
        self.pattern_buttons: list[PatternButton] = []
        direction = (QBoxLayout.Direction.TopToBottom if theme.portrait
                     else QBoxLayout.Direction.LeftToRight)
        buttons = QBoxLayout(direction)
        buttons.setSpacing(theme.margin)
        for pattern, background in zip(PATTERNS, backgrounds, strict=True):
            button = PatternButton(theme, pattern, background)
            button.clicked.connect(lambda _=False, p=pattern: self.start(p))
            buttons.addWidget(button)
            self.pattern_buttons.append(button)
        self.choice = QWidget()
        choice = QVBoxLayout(self.choice)
        choice.setContentsMargins(margin, margin, margin, theme.margin)
        choice.setSpacing(theme.margin)
        choice.addWidget(self.title)
        choice.addWidget(self.hint)
        choice.addSpacing(theme.margin)
        choice.addLayout(buttons, 1)
        choice.addWidget(self.home, 0, Qt.AlignmentFlag.AlignLeft)  # where the reading
        # screens have it: bottom left

        # Breathing.
        self.phase_word = text_label(theme, theme.display_px, bold=True, wrap=False)
        self.phase_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.breath = BreathView(theme)
        self.countdown = text_label(theme, theme.display_px, bold=True, wrap=False)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stop_button = BigButton(theme, icon=Icon.HOME, background=theme.colours.orange,
                                     foreground=theme.colours.ink)
        self.stop_button.clicked.connect(self.home_requested)
        self.breathing = QWidget()
        breathing = QVBoxLayout(self.breathing)
        breathing.setContentsMargins(margin, theme.margin, margin, theme.margin)
        breathing.setSpacing(theme.px(16))
        breathing.addWidget(self.phase_word)
        breathing.addWidget(self.breath, 1)
        breathing.addWidget(self.countdown)
        breathing.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignLeft)

        # Finished.
        self.done_title = text_label(theme, theme.display_px, bold=True)
        self.done_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_hint = text_label(theme, theme.heading_px)
        self.done_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.again = BigButton(theme, icon=Icon.RIGHT, background=theme.colours.green)
        self.again.clicked.connect(self.choose)
        self.done_home = BigButton(theme, icon=Icon.HOME, background=theme.colours.orange,
                                   foreground=theme.colours.ink)
        self.done_home.clicked.connect(self.home_requested)
        answers = QBoxLayout(direction)
        answers.setSpacing(theme.margin)
        answers.addStretch(1)
        answers.addWidget(self.again)
        answers.addWidget(self.done_home)
        answers.addStretch(1)
        self.done = QWidget()
        done = QVBoxLayout(self.done)
        done.setContentsMargins(margin, margin, margin, margin)
        done.setSpacing(theme.margin)
        done.addStretch(1)
        done.addWidget(self.done_title)
        done.addWidget(self.done_hint)
        done.addSpacing(theme.margin)
        done.addLayout(answers)
        done.addStretch(1)

        self.pages = QStackedLayout(self)
        for page in (self.choice, self.breathing, self.done):
            self.pages.addWidget(page)

    # -- the exercise -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.exercise is not None

    def holds_attention(self) -> bool:
        """Breathing with the circle is presence: the idle warning waits until it ends."""
        return self.running

    def start(self, pattern: Pattern) -> None:
        self.exercise = BreathingExercise(pattern, self.clock())
        self._words = ("", "")
        self.pages.setCurrentWidget(self.breathing)
        self.step()
        if self.isVisible() and self.running:
            self.timer.start()

    def step(self) -> None:
        """One frame: the circle's size, and the words when they change."""
        if self.exercise is None:
            self.timer.stop()
            return
        state = self.exercise.state(self.clock())
        if state.finished:
            self.finish()
            return
        self.breath.set_scale(state.scale)
        words = (tr(state.phase.word_key, self.lang), str(state.seconds_left))
        if words != self._words:
            self._words = words
            self.phase_word.setText(words[0])
            self.countdown.setText(words[1])

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

    # -- showing ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.running:
            self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.timer.stop()  # nobody sees it: no frames (the exercise's clock goes on)

    def render_view(self) -> None:
        lang = self.lang
        self.title.setText(tr("calm_title", lang))
        self.hint.setText(tr("calm_hint", lang))
        for button in (self.home, self.stop_button, self.done_home):
            button.setText(tr("home", lang))
            button.updateGeometry()
        for choice in self.pattern_buttons:
            choice.setText(tr(f"pattern_{choice.pattern.key}", lang))
            choice.subtitle = tr(f"pattern_{choice.pattern.key}_sub", lang)
            choice.update()
        self.done_title.setText(tr("calm_done", lang))
        self.done_hint.setText(tr("calm_done_sub", lang))
        self.again.setText(tr("calm_again", lang))
        self.again.updateGeometry()
        self._words = ("", "")
        if self.running:
            self.step()
