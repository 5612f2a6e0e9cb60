"""The colouring canvas: a picture, a palette of big swatches and wordless tools.

The screen only shows and forwards: fills, strokes and undo happen in kiosk.core.colouring on
arrays; this module draws the paint and the line art as two images, one over the other.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.colouring import (
    PAPER,
    Box,
    Canvas,
    EngineSettings,
    PreparedPicture,
    prepare,
    rgb,
)
from kiosk.core.model import ColouringPicture
from kiosk.ui import theme as th
from kiosk.ui.background import Background
from kiosk.ui.line_art import render_line_art
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, TouchButton

# Bright, clearly different colours a child can tell apart (and black, brown, grey for details).
PALETTE = ("#E53935", "#FB8C00", "#FDD835", "#D4E157", "#7CB342", "#2E7D32",
           "#00897B", "#4FC3F7", "#1E88E5", "#283593", "#8E24AA", "#EC407A",
           "#F8BBD0", "#FFCC80", "#8D6E63", "#5D4037", "#9E9E9E", "#212121")
BRUSH_RADII = {"small": 6, "medium": 14, "large": 28}  # pixels at 1080p


class Tool(Enum):
    FILL = "fill"
    BRUSH = "brush"
    ERASER = "eraser"


def _image_over(array: np.ndarray, image_format: QImage.Format) -> QImage:
    """A QImage that draws straight from the array's memory (no copy). The array must
    outlive the image: the canvas keeps both."""
    height, width = array.shape
    return QImage(array.data, width, height, width * 4, image_format)


class Swatch(TouchButton):
    def __init__(self, theme: Theme, colour: str) -> None:
        super().__init__()
        self.theme = theme
        self.colour = QColor(colour)
        self.argb = rgb(colour)
        self.setCheckable(True)
        self.setAutoExclusive(True)
        side = theme.px(100)
        self.setFixedSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        ring = self.theme.px(8)
        if self.isChecked():  # the chosen colour: a thick dark ring around it
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.theme.colours.ink))
            painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
            rect = rect.adjusted(ring, ring, -ring, -ring)
            painter.setBrush(QColor(self.theme.colours.white))
            painter.drawEllipse(rect)
            rect = rect.adjusted(ring / 2, ring / 2, -ring / 2, -ring / 2)
        else:
            rect = rect.adjusted(ring, ring, -ring, -ring)
        painter.setPen(QPen(QColor(0, 0, 0, 60), self.theme.px(2)))
        painter.setBrush(self.colour)
        painter.drawEllipse(rect)
        painter.end()


class CanvasView(QWidget):
    """Shows the paint with the line art over it, and turns one finger (or the mouse) into
    press / move / release in picture coordinates. A second finger is ignored."""

    pressed = Signal(int, int)
    moved = Signal(int, int)
    released = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.canvas: Canvas | None = None
        self._paint_image = QImage()
        self._lines_image = QImage()
        self._lines: np.ndarray | None = None
        self._finger: int | None = None  # the touch point that is painting
        self._mouse_down = False

    @property
    def origin(self) -> QPointF:
        if self.canvas is None:
            return QPointF()
        width, height = self.canvas.picture.size
        return QPointF((self.width() - width) // 2, (self.height() - height) // 2)

    def show_canvas(self, canvas: Canvas | None) -> None:
        self.canvas = canvas
        if canvas is None:
            self._paint_image = self._lines_image = QImage()
            self._lines = None
        else:
            self._paint_image = _image_over(canvas.paint, QImage.Format.Format_RGB32)
            # Black with alpha = darkness, premultiplied: drawn over the paint it multiplies.
            self._lines = canvas.picture.line_alpha().astype(np.uint32) << 24
            self._lines_image = _image_over(self._lines,
                                            QImage.Format.Format_ARGB32_Premultiplied)
        self.update()

    def repaint_box(self, box: Box | None) -> None:
        if box is not None:
            origin = self.origin
            x, y, w, h = box
            self.update(QRect(int(origin.x()) + x, int(origin.y()) + y, w, h))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor(self.theme.colours.paper))
        if self.canvas is not None:
            origin = self.origin.toPoint()
            target = event.rect().intersected(QRect(origin, self._paint_image.size()))
            source = target.translated(-origin)
            painter.drawImage(target, self._paint_image, source)
            painter.drawImage(target, self._lines_image, source)
        painter.end()

    # -- input ------------------------------------------------------------------------------

    def _picture_point(self, pos: QPointF) -> tuple[int, int]:
        point = pos - self.origin
        return int(point.x()), int(point.y())

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            self._touch(event)
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        for point in event.points():
            # From the screen position: position() has been seen relative to the window.
            where = self.mapFromGlobal(point.globalPosition())
            state = point.state()
            if self._finger is None and state == point.State.Pressed:
                self._finger = point.id()
                self.pressed.emit(*self._picture_point(where))
            elif point.id() != self._finger:
                continue  # another finger: a hand resting on the screen, a sibling
            elif state == point.State.Released:
                self._finger = None
                self.released.emit()
            elif state == point.State.Updated:
                self.moved.emit(*self._picture_point(where))
        if event.type() == QEvent.Type.TouchCancel and self._finger is not None:
            self._finger = None
            self.released.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._finger is None:
            self._mouse_down = True
            self.pressed.emit(*self._picture_point(event.position()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._mouse_down:
            self.moved.emit(*self._picture_point(event.position()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._mouse_down:
            self._mouse_down = False
            self.released.emit()


class Confetti(QWidget):
    """«Готово»: the finished picture, with confetti falling for a moment, then stillness."""

    DURATION_MS = 2600

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme = theme
        self.picture = QImage()
        self.pieces: list[tuple[float, float, float, QColor]] = []
        self.elapsed_ms = 0
        self.timer = QTimer(self)
        self.timer.setInterval(16)
        self.timer.timeout.connect(self._step)
        self.random = random.Random()
        self.hide()

    def celebrate(self, picture: QImage) -> None:
        self.picture = picture
        width = max(1, self.width())
        self.pieces = [(self.random.uniform(0, width), self.random.uniform(-0.6, 0.0),
                        self.random.uniform(0.7, 1.3), QColor(self.random.choice(PALETTE)))
                       for _ in range(90)]
        self.elapsed_ms = 0
        self.show()
        self.raise_()
        self.timer.start()

    def clear(self) -> None:
        """Hidden, and the finished drawing let go of (it is a child's, and 4 MB)."""
        self.timer.stop()
        self.hide()
        self.picture = QImage()
        self.pieces = []

    def _step(self) -> None:
        self.elapsed_ms += self.timer.interval()
        if self.elapsed_ms >= self.DURATION_MS:
            self.timer.stop()  # nothing moves any more: no more repaints
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self.theme.colours.paper))
        if not self.picture.isNull():
            space = self.rect().adjusted(0, 0, 0, -self.theme.px(160))
            size = self.picture.size().scaled(space.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(space.center().x() - size.width() // 2,
                           space.center().y() - size.height() // 2, size.width(), size.height())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, self.picture)
        if self.timer.isActive():
            t = self.elapsed_ms / 1000
            side = self.theme.px(22)
            painter.setPen(Qt.PenStyle.NoPen)
            for x, start, speed, colour in self.pieces:
                y = (start + speed * t * 0.55) * self.height()
                painter.setBrush(colour)
                painter.drawRoundedRect(QRectF(x + 40 * np.sin(3 * t + x), y, side, side * 0.6),
                                        4, 4)
        painter.end()


class ColouringScreen(Screen):
    """Pick a colour, tap a shape; brush, eraser, undo, start over, done."""

    back_requested = Signal()

    def __init__(self, theme: Theme, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.picture: ColouringPicture | None = None
        self.canvas: Canvas | None = None
        self.tool = Tool.FILL
        self.colour = rgb(PALETTE[0])
        self.brush = "medium"
        self._prepared: OrderedDict[tuple[Path, int, int, float], PreparedPicture] = (
            OrderedDict())
        self.background_work = Background(self)

        self.view = CanvasView(theme)
        self.view.pressed.connect(self._press)
        self.view.moved.connect(self._move)
        self.view.released.connect(self._release)

        self.swatches = [Swatch(theme, colour) for colour in PALETTE]
        for swatch in self.swatches:
            swatch.clicked.connect(lambda _=False, s=swatch: self._choose_colour(s))
        self.swatches[0].setChecked(True)

        def tool_button(icon: Icon, background: str | None = None, scale: float = 0.55,
                        checkable: bool = False) -> BigButton:
            button = BigButton(theme, icon=icon, background=background, glyph_scale=scale)
            button.setCheckable(checkable)
            button.setFixedSize(theme.px(104), theme.px(104))
            return button

        self.fill_button = tool_button(Icon.FILL, checkable=True)
        self.brush_buttons = {name: tool_button(Icon.DOT, scale=0.18 + 0.12 * i, checkable=True)
                              for i, name in enumerate(BRUSH_RADII)}
        self.eraser_button = tool_button(Icon.ERASER, checkable=True)
        self.undo_button = tool_button(Icon.UNDO, background=self.theme.colours.blue_dark)
        self.start_over_button = tool_button(Icon.NEW_SHEET,
                                             background=self.theme.colours.blue_dark)
        self.done_button = tool_button(Icon.STAR, background=self.theme.colours.green, scale=0.6)
        self.pictures_button = tool_button(Icon.PICTURES, background=self.theme.colours.plum)
        self.home_button = tool_button(Icon.HOME, background=self.theme.colours.orange)
        self.home_button.foreground = QColor(self.theme.colours.ink)
        self.fill_button.clicked.connect(lambda: self.choose_tool(Tool.FILL))
        for name, button in self.brush_buttons.items():
            button.clicked.connect(lambda _=False, n=name: self.choose_tool(Tool.BRUSH, n))
        self.eraser_button.clicked.connect(lambda: self.choose_tool(Tool.ERASER))
        self.undo_button.clicked.connect(self.undo)
        self.start_over_button.clicked.connect(self._ask_start_over)
        self.done_button.clicked.connect(self.finish)
        self.pictures_button.clicked.connect(self.back_requested)
        self.home_button.clicked.connect(self.home_requested)

        tools = [self.fill_button, *self.brush_buttons.values(), self.eraser_button,
                 self.undo_button, self.start_over_button, self.done_button,
                 self.pictures_button, self.home_button]
        spacing = theme.px(12)
        palette = QGridLayout()
        palette.setSpacing(spacing)
        tool_grid = QGridLayout()
        tool_grid.setSpacing(spacing)
        if theme.portrait:
            for i, swatch in enumerate(self.swatches):
                palette.addWidget(swatch, i // 9, i % 9)
            for i, button in enumerate(tools):
                tool_grid.addWidget(button, i // 5, i % 5)
        else:
            for i, swatch in enumerate(self.swatches):
                palette.addWidget(swatch, i % 9, i // 9)
            for i, button in enumerate(tools):
                tool_grid.addWidget(button, i % 5, i // 5)
        direction = (QBoxLayout.Direction.TopToBottom if theme.portrait
                     else QBoxLayout.Direction.LeftToRight)
        layout = QBoxLayout(direction, self)
        margin = theme.px(24)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(margin)
        if theme.portrait:
            layout.addWidget(self.view, 1)
            layout.addLayout(palette)
            layout.addLayout(tool_grid)
        else:
            layout.addLayout(palette)
            layout.addWidget(self.view, 1)
            layout.addLayout(tool_grid)

        self.confirm = ConfirmStartOver(theme, self)
        self.confirm.accepted.connect(self.start_over)
        self.celebration = Confetti(theme, self)
        self.celebration_buttons = QWidget(self.celebration)
        row = QHBoxLayout(self.celebration_buttons)
        row.setSpacing(theme.px(32))
        self.keep_colouring_button = again = tool_button(
            Icon.DOT, background=self.theme.colours.blue, scale=0.3)
        # Python callables only: PySide 6.11 keeps ~100 bytes for good for each connection to
        # a wrapped C++ method (`widget.hide`), and this screen is rebuilt for every child.
        again.clicked.connect(lambda: self.celebration.hide())
        pictures = tool_button(Icon.PICTURES, background=self.theme.colours.plum)
        pictures.clicked.connect(self.back_requested)
        home = tool_button(Icon.HOME, background=self.theme.colours.orange)
        home.foreground = QColor(self.theme.colours.ink)
        home.clicked.connect(self.home_requested)
        for button in (again, pictures, home):
            button.setFixedSize(theme.px(140), theme.px(140))
            row.addWidget(button)
        self._update_tool_buttons()

    # -- the picture ------------------------------------------------------------------------

    def canvas_size(self) -> QSize:
        """Room for the picture: what the layout gives the canvas view."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        size = self.view.size()
        if size.width() < 50 or size.height() < 50:  # not laid out yet: estimate
            size = QSize(self.theme.width * 7 // 10, self.theme.height * 7 // 10)
        return size

    def open_picture(self, picture: ColouringPicture) -> None:
        """Prepare the picture for the canvas off the UI thread (about 30 ms at 1080p), or
        take it from the cache."""
        self.picture = picture
        self.celebration.hide()
        self.confirm.hide()
        self.view.show_canvas(None)
        self.canvas = None
        size = self.canvas_size()
        gap = self.content.settings.colouring_gap_px if self.content else EngineSettings.gap_px
        key = (picture.source, size.width(), size.height(), gap)
        cached = self._prepared.get(key)
        if cached is not None:
            self._prepared.move_to_end(key)
            self._show(cached)
            return
        def work() -> PreparedPicture:
            lightness = render_line_art(picture.source, size)
            if lightness is None:
                raise ValueError(f"cannot decode {picture.source}")
            return prepare(lightness, EngineSettings(gap_px=gap))

        def done(result: Any) -> None:
            if isinstance(result, PreparedPicture):
                self._prepared[key] = result
                while len(self._prepared) > 2:  # bounded memory: two pictures at most
                    self._prepared.popitem(last=False)
                self._show(result)
            else:
                self.back_requested.emit()  # a picture that does not decode: back to the list

        self.background_work.run(work, done)

    def _show(self, prepared: PreparedPicture) -> None:
        self.canvas = Canvas(prepared)
        self.view.show_canvas(self.canvas)
        self._update_tool_buttons()

    # -- tools ------------------------------------------------------------------------------

    def _choose_colour(self, swatch: Swatch) -> None:
        self.colour = swatch.argb
        if self.tool is Tool.ERASER:
            self.tool = Tool.FILL
        self._update_tool_buttons()

    def choose_tool(self, tool: Tool, brush: str | None = None) -> None:
        self.tool = tool
        if brush is not None:
            self.brush = brush
        self._update_tool_buttons()

    def _update_tool_buttons(self) -> None:
        self.fill_button.setChecked(self.tool is Tool.FILL)
        for name, button in self.brush_buttons.items():
            button.setChecked(self.tool is Tool.BRUSH and self.brush == name)
        self.eraser_button.setChecked(self.tool is Tool.ERASER)
        has_paint = self.canvas is not None and self.canvas.can_undo
        self.undo_button.setEnabled(has_paint)
        # Not `is_blank`: scanning the whole canvas on every touch costs a millisecond.
        self.start_over_button.setEnabled(has_paint)
        self.done_button.setEnabled(self.canvas is not None)

    def _radius(self) -> int:
        return self.theme.px(BRUSH_RADII[self.brush if self.tool is Tool.BRUSH else "large"])

    def _press(self, x: int, y: int) -> None:
        if self.canvas is None:
            return
        if self.tool is Tool.FILL:  # on the press: the colour appears under the finger
            self.view.repaint_box(self.canvas.fill(x, y, self.colour))
        else:
            colour = PAPER if self.tool is Tool.ERASER else self.colour
            self.view.repaint_box(self.canvas.begin_stroke(x, y, colour, self._radius()))
        self._update_tool_buttons()

    def _move(self, x: int, y: int) -> None:
        if self.canvas is not None and self.tool is not Tool.FILL:
            self.view.repaint_box(self.canvas.extend_stroke(x, y))

    def _release(self) -> None:
        if self.canvas is not None:
            self.canvas.end_stroke()
            self._update_tool_buttons()

    def undo(self) -> None:
        if self.canvas is not None:
            self.view.repaint_box(self.canvas.undo())
            self._update_tool_buttons()

    def _ask_start_over(self) -> None:
        self.confirm.ask()

    def start_over(self) -> None:
        if self.canvas is not None:
            self.view.repaint_box(self.canvas.start_over())
            self._update_tool_buttons()

    def finish(self) -> None:
        if self.canvas is None:
            return
        self.canvas.end_stroke()
        composite = self.canvas.composite()
        image = _image_over(composite, QImage.Format.Format_RGB32).copy()  # owns its pixels
        self.celebration.setGeometry(self.rect())
        self.celebration.celebrate(image)
        self._place_celebration_buttons()

    def _place_celebration_buttons(self) -> None:
        buttons = self.celebration_buttons
        buttons.adjustSize()
        buttons.move((self.width() - buttons.width()) // 2,
                     self.height() - buttons.height() - self.theme.px(16))

    # -- leaving ----------------------------------------------------------------------------

    def reset(self) -> None:
        """The child has gone (or left the page): nothing of the drawing stays."""
        self.background_work.cancel()
        if self.canvas is not None:
            self.canvas.wipe()
        self.canvas = None
        self.picture = None
        self.view.show_canvas(None)
        self.celebration.clear()
        self.confirm.hide()
        self.tool = Tool.FILL
        self.brush = "medium"
        self.swatches[0].setChecked(True)
        self.colour = self.swatches[0].argb
        self._update_tool_buttons()

    def forget_pictures(self) -> None:
        """The visitor has gone: drop the prepared pictures kept for a quick return to them
        (two at most, several MB each), so an idle kiosk holds only what attract needs."""
        self._prepared.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for overlay in (self.confirm, self.celebration):
            overlay.setGeometry(self.rect())
        self._place_celebration_buttons()


class ConfirmStartOver(QWidget):
    """Start over? Asked with pictures: a fresh sheet, a big tick and a big cross."""

    accepted = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.theme = theme
        self.sheet = BigButton(theme, icon=Icon.NEW_SHEET, background=theme.colours.white,
                               foreground=theme.colours.ink, glyph_scale=0.8)
        self.sheet.setFixedSize(theme.px(220), theme.px(220))
        # A picture of the question, not a button: touches go through it to the overlay.
        self.sheet.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.yes = BigButton(theme, icon=Icon.CHECK, background=theme.colours.green,
                             glyph_scale=0.6)
        self.no = BigButton(theme, icon=Icon.CROSS, background=theme.colours.blue_dark,
                            glyph_scale=0.55)
        for button in (self.yes, self.no):
            button.setFixedSize(theme.px(160), theme.px(160))
        self.yes.clicked.connect(self._accept)
        self.no.clicked.connect(lambda: self.hide())  # not `self.hide`: see ColouringScreen
        answers = QHBoxLayout()
        answers.setSpacing(theme.px(64))
        answers.addWidget(self.yes)
        answers.addWidget(self.no)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.sheet, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(theme.px(48))
        layout.addLayout(answers)
        layout.setAlignment(answers, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.hide()

    def ask(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def _accept(self) -> None:
        self.hide()
        self.accepted.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), th.scrim(self.theme))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # nothing under the question can be touched
