"""The colouring canvas: the picture in the middle, the paint box around it.

Laid out for a four-year-old, by what each control does: where to go (Home and «to the
pictures», top-left, where Home is on every screen), what paints (fill, three brushes, the
eraser, and the colours), what undoes (undo, start over) and «Готово» set apart in the action
colour. The tool in use wears a thick ring and the colour it paints with.

The screen only shows and forwards: fills, strokes and undo happen in kiosk.core.colouring.engine on
arrays; this module draws the paint and the line art as two images, one over the other.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections import OrderedDict
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Any, cast

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
    QResizeEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.colouring.engine import (
    PAPER,
    Box,
    Canvas,
    EngineSettings,
    PreparedPicture,
    rgb,
)
from kiosk.core.colouring.kept import KeptDrawings
from kiosk.core.colouring.prepare_apart import let_go, prepare_apart
from kiosk.core.content.model import ColouringPicture
from kiosk.core.content.sandbox import ParseRunaway
from kiosk.core.i18n import tr
from kiosk.core.service import heap
from kiosk.ui import theme as th
from kiosk.ui.background import Background
from kiosk.ui.colouring.ahead import kept_picture
from kiosk.ui.colouring.layout import BRUSH_RADII, PALETTE, PageLayout, page_layout
from kiosk.ui.colouring.line_art import render_line_art
from kiosk.ui.hidpi import device_size, logical_size, ratio_of
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import BigButton, Icon, TouchButton, draw_icon

log = logging.getLogger(__name__)


class Tool(Enum):
    FILL = "fill"
    BRUSH = "brush"
    ERASER = "eraser"


def _image_over(array: np.ndarray, image_format: QImage.Format) -> QImage:
    """A QImage that draws straight from the array's memory (no copy). The array must
    outlive the image: the canvas keeps both."""
    height, width = array.shape
    return QImage(array.data, width, height, width * array.itemsize, image_format)


def centred(room: QSizeF, size: QSizeF) -> QPointF:
    """Where a picture `size` large starts in `room`: in the middle, on a whole pixel. The
    canvas and the celebration both place the picture so: it stays put on «Готово»."""
    return QPointF((room.width() - size.width()) // 2, (room.height() - size.height()) // 2)


class Swatch(TouchButton):
    """A colour to take: a big round drop of it; the chosen one wears a thick dark ring."""

    def __init__(self, theme: Theme, colour: str) -> None:
        super().__init__()
        self.theme = theme
        self.colour = QColor(colour)
        self.argb = rgb(colour)
        self.setCheckable(True)
        self.setAutoExclusive(True)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colours = self.theme.colours
        side = min(self.width(), self.height())
        rect = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        ring = self.theme.px(10)
        if self.isChecked():  # the chosen colour: a thick ring in ink, paper between
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colours.ink))
            painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
            rect = rect.adjusted(ring, ring, -ring, -ring)
            painter.setBrush(QColor(colours.paper))
            painter.drawEllipse(rect)
            rect = rect.adjusted(ring * 0.6, ring * 0.6, -ring * 0.6, -ring * 0.6)
        else:
            shrink = ring * 0.8 if not self.isDown() else ring * 1.4  # pressed: it gives way
            rect = rect.adjusted(shrink, shrink, -shrink, -shrink)
        # A thin dark edge, so the light colours show on the paper (and every one on black).
        edge = QColor(colours.ink)
        edge.setAlpha(70 if not colours.outline else 255)
        painter.setPen(QPen(edge, self.theme.px(2)))
        painter.setBrush(self.colour)
        painter.drawEllipse(rect)
        painter.end()


class ToolButton(TouchButton):
    """One of the things that paint (fill, a brush, the eraser), or a plain action (undo,
    start over): a white card with a pictogram. A painting tool also shows what it leaves on
    the paper: the fill a square patch, a brush a dot its own size. The tool in use wears a
    thick ring in the accent colour and shows that mark in the colour it paints with."""

    def __init__(self, theme: Theme, icon: Icon, mark: str = "", mark_px: int = 0) -> None:
        super().__init__()
        self.theme = theme
        self.pictogram = icon
        self.mark = mark  # "patch", "dot" or "" (none)
        self.mark_px = mark_px  # the dot's radius, as the brush paints it
        self.paint_colour = QColor(PALETTE[0])

    def set_paint_colour(self, colour: QColor) -> None:
        if colour != self.paint_colour:
            self.paint_colour = colour
            if self.isChecked():
                self.update()

    def pictogram_and_mark(self) -> tuple[QRectF, QRectF | None]:
        """Where the pictogram and the mark (None: no mark) are drawn on the card."""
        icon_side = round(self.height() * 0.6)
        gap = self.theme.space("s")
        if self.isCheckable():  # a painting tool, the eraser too: one pictogram size for all
            # The pictogram gives way where the card is narrow (five in a row under the
            # picture on a 4:3 or 5:4 screen: the large brush's dot pushed both off its
            # card); the dot never does, it is the brush's size.
            room = self.width() - 2 * self.theme.px(8) - gap
            widest = 2 * self.theme.px(BRUSH_RADII["large"])
            icon_side = min(icon_side, room // 2 if room // 2 >= widest else room - widest)
        centre_y = self.height() / 2
        if not self.mark:
            return QRectF(self.width() / 2 - icon_side / 2, centre_y - icon_side / 2,
                          icon_side, icon_side), None
        mark_side = max(icon_side, 2 * self.mark_px)
        left = (self.width() - icon_side - gap - mark_side) / 2
        return (QRectF(left, centre_y - icon_side / 2, icon_side, icon_side),
                QRectF(left + icon_side + gap, centre_y - mark_side / 2, mark_side, mark_side))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.isEnabled():
            painter.setOpacity(0.3)  # still visible, clearly not available now
        colours = self.theme.colours
        chosen = self.isChecked()
        rim = self.theme.px(10 if chosen else 3)
        rect = QRectF(self.rect()).adjusted(rim / 2, rim / 2, -rim / 2, -rim / 2)
        radius = self.theme.px(28)
        soft = QColor(colours.ink_soft)
        soft.setAlpha(110 if not colours.outline else 255)
        face = QColor(colours.white)
        if self.isDown():
            face = QColor(colours.accent).lighter(185) if not colours.outline else face
        painter.setPen(QPen(QColor(colours.accent) if chosen else soft, rim))
        painter.setBrush(face)
        painter.drawRoundedRect(rect, radius, radius)
        ink = QColor(colours.ink)
        icon, box = self.pictogram_and_mark()
        draw_icon(painter, self.pictogram, icon, ink)
        if box is None:
            painter.end()
            return
        edge = QColor(colours.ink)
        edge.setAlpha(90 if chosen and not colours.outline else 255)
        painter.setPen(QPen(edge if chosen else soft, self.theme.px(2 if chosen else 3)))
        painter.setBrush(self.paint_colour if chosen else Qt.BrushStyle.NoBrush)
        if self.mark == "patch":
            corner = self.theme.px(10)
            painter.drawRoundedRect(box, corner, corner)
        else:
            radius_px = max(self.theme.px(4), self.mark_px)
            painter.drawEllipse(box.center(), radius_px, radius_px)
        painter.end()


class CanvasView(QWidget):
    """Shows the paint with the line art over it, and turns one finger (or the mouse) into
    press / move / release in picture coordinates. A second finger is ignored.

    The picture's arrays are in device pixels (kiosk.ui.hidpi): on a screen of ratio 2 the
    canvas is twice as many pixels each way as its logical size, so its lines are as sharp
    as the screen and a tap paints the device pixel under the finger. `ratio` converts."""

    pressed = Signal(int, int)
    moved = Signal(int, int)
    released = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.canvas: Canvas | None = None
        self.ratio = 1.0  # device pixels of the picture per logical pixel of the view
        self._paint_image = QImage()
        self._lines_image = QImage()
        self._lines: np.ndarray | None = None
        self._finger: int | None = None  # the touch point that is painting
        self._mouse_down = False

    @property
    def origin(self) -> QPointF:
        """The picture's top-left corner in the view, in logical pixels."""
        if self.canvas is None:
            return QPointF()
        width, height = self.canvas.picture.size
        return centred(QSizeF(self.size()), QSizeF(width / self.ratio, height / self.ratio))

    def show_canvas(self, canvas: Canvas | None, ratio: float = 1.0) -> None:
        """Show `canvas`, whose arrays are in device pixels at `ratio`."""
        self.canvas = canvas
        self.ratio = ratio
        if canvas is None:
            self._paint_image = self._lines_image = QImage()
            self._lines = None
        else:
            self._paint_image = _image_over(canvas.paint, QImage.Format.Format_RGB32)
            # Black with alpha = darkness: drawn over the paint it multiplies. One byte a
            # pixel: Qt draws an Alpha8 image as black at that alpha, the same pixels as
            # black ARGB32, in 1 MB at 1080p instead of 4 (4K: 4, not 16) for +0.3 ms on a
            # whole-canvas repaint (4K: +0.7). The prepared picture's own array, not a copy.
            self._lines = canvas.picture.line_alpha()
            self._lines_image = _image_over(self._lines, QImage.Format.Format_Alpha8)
        self.update()

    def repaint_box(self, box: Box | None) -> None:
        """Repaint what covers `box`, a part of the picture in its (device) pixels."""
        if box is not None:
            origin, ratio = self.origin, self.ratio
            x, y, w, h = box
            left, top = math.floor(x / ratio), math.floor(y / ratio)
            right, bottom = math.ceil((x + w) / ratio), math.ceil((y + h) / ratio)
            self.update(QRect(int(origin.x()) + left, int(origin.y()) + top,
                              right - left, bottom - top))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paper = QColor(self.theme.colours.paper)
        if self.canvas is None:
            painter.fillRect(event.rect(), paper)
            painter.end()
            return
        # The picture's whole pixels under the area to paint, drawn one to one: the target is
        # the same pixels in logical units, so nothing is resampled.
        ratio, origin = self.ratio, self.origin
        width, height = self.canvas.picture.size
        # Paper only around the picture: the paint is opaque, and clearing under it first cost
        # a third of the repaint (4K: 1.7 ms of 5.6). What it covers only in part is cleared.
        inside = QRect(math.ceil(origin.x()), math.ceil(origin.y()),
                       math.floor(origin.x() + width / ratio) - math.ceil(origin.x()),
                       math.floor(origin.y() + height / ratio) - math.ceil(origin.y()))
        around = QRegion(event.rect()).subtracted(QRegion(inside))
        for rect in cast("Iterable[QRect]", around):  # PySide6 iterates; its stubs do not say
            painter.fillRect(rect, paper)
        dirty = QRectF(event.rect()).translated(-origin)
        left = max(0, math.floor(dirty.left() * ratio))
        top = max(0, math.floor(dirty.top() * ratio))
        right = min(width, math.ceil(dirty.right() * ratio))
        bottom = min(height, math.ceil(dirty.bottom() * ratio))
        if right > left and bottom > top:
            source = QRectF(left, top, right - left, bottom - top)
            target = QRectF(origin.x() + left / ratio, origin.y() + top / ratio,
                            (right - left) / ratio, (bottom - top) / ratio)
            painter.drawImage(target, self._paint_image, source)
            painter.drawImage(target, self._lines_image, source)
        painter.end()

    # -- input ------------------------------------------------------------------------------

    def _picture_point(self, pos: QPointF) -> tuple[int, int]:
        """A point of the view (logical) as the picture's pixel under it (device)."""
        point = (pos - self.origin) * self.ratio
        return math.floor(point.x()), math.floor(point.y())

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
        # The line art drawn over `picture` (Alpha8, as on the canvas), or null: `picture`
        # is the whole drawing. Both may read the canvas's arrays, kept alive in `_arrays`.
        self.lines = QImage()
        self._arrays: tuple[np.ndarray, ...] = ()
        self.picture_area = QRect()  # where the drawing is shown: where it was coloured
        self.pieces: list[tuple[float, float, float, QColor]] = []
        self.elapsed_ms = 0
        # Wall-clock time, not a count of frames: on a slow or busy machine each frame comes
        # late, and counted frames would keep the confetti falling (and repainting) for longer.
        self.clock = time.monotonic
        self.started = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(16)
        self.timer.timeout.connect(self._step)
        self.random = random.Random()
        self.hide()

    def celebrate(self, picture: QImage, lines: QImage | None = None,
                  arrays: tuple[np.ndarray, ...] = ()) -> None:
        """Show `picture` (with `lines` over it), drawn from `arrays`' memory if given."""
        self.picture = picture
        self.lines = lines if lines is not None else QImage()
        self._arrays = arrays
        width = max(1, self.width())
        self.pieces = [(self.random.uniform(0, width), self.random.uniform(-0.6, 0.0),
                        self.random.uniform(0.7, 1.3), QColor(self.random.choice(PALETTE)))
                       for _ in range(90)]
        self.elapsed_ms = 0
        self.started = self.clock()
        self.show()
        self.raise_()
        self.timer.start()

    def clear(self) -> None:
        """Hidden, and the finished drawing let go of (a child's, and the canvas's arrays)."""
        self.timer.stop()
        self.hide()
        self.picture = self.lines = QImage()
        self._arrays = ()
        self.pieces = []

    def _step(self) -> None:
        self.elapsed_ms = round((self.clock() - self.started) * 1000)
        if self.elapsed_ms >= self.DURATION_MS:
            self.timer.stop()  # nothing moves any more: no more repaints
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self.theme.colours.paper))
        if not self.picture.isNull():
            space = QRectF(self.picture_area if self.picture_area.isValid() else self.rect())
            # In device pixels (kiosk.ui.hidpi): drawn one to one where it fits, as it was
            # on the canvas; made smaller only where the room is (portrait: the button under).
            size = logical_size(self.picture)
            if size.width() > space.width() + 0.5 or size.height() > space.height() + 0.5:
                size = size.scaled(space.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(space.topLeft() + centred(space.size(), size), size)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, self.picture)
            if not self.lines.isNull():
                painter.drawImage(target, self.lines)
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
        # By picture, size in device pixels, gap and device pixel ratio.
        self._prepared: OrderedDict[tuple[Path, int, int, float, float], PreparedPicture] = (
            OrderedDict())
        self.background_work = Background(self)
        # The drawings the child left during this visit (the window's: they outlive this
        # screen, rebuilt for large text or a turned screen, and go when the visitor does).
        self.kept: KeptDrawings | None = None
        colours = theme.colours

        self.view = CanvasView(theme)
        self.view.setParent(self)
        self.view.pressed.connect(self._press)
        self.view.moved.connect(self._move)
        self.view.released.connect(self._release)

        self.swatches = [Swatch(theme, colour) for colour in PALETTE]
        for swatch in self.swatches:
            swatch.setParent(self)
            swatch.clicked.connect(lambda _=False, s=swatch: self._choose_colour(s))
        self.swatches[0].setChecked(True)

        # What paints.
        self.fill_button = ToolButton(theme, Icon.FILL, "patch")
        self.brush_buttons = {name: ToolButton(theme, Icon.BRUSH, "dot", theme.px(radius))
                              for name, radius in BRUSH_RADII.items()}
        self.eraser_button = ToolButton(theme, Icon.ERASER)
        for button in self.tool_buttons:
            button.setCheckable(True)
        self.fill_button.clicked.connect(lambda: self.choose_tool(Tool.FILL))
        for name, button in self.brush_buttons.items():
            button.clicked.connect(lambda _=False, n=name: self.choose_tool(Tool.BRUSH, n))
        self.eraser_button.clicked.connect(lambda: self.choose_tool(Tool.ERASER))
        # What undoes.
        self.undo_button = ToolButton(theme, Icon.UNDO)
        self.start_over_button = ToolButton(theme, Icon.NEW_SHEET)
        self.undo_button.clicked.connect(self.undo)
        self.start_over_button.clicked.connect(self._ask_start_over)
        # Where to go: Home and Back in the navigation colour, as on every screen.
        self.home_button = BigButton(theme, icon=Icon.HOME, background=colours.navigation,
                                     foreground=colours.navigation_ink, glyph_scale=0.55)
        self.pictures_button = BigButton(theme, icon=Icon.PICTURES,
                                         background=colours.navigation,
                                         foreground=colours.navigation_ink, glyph_scale=0.55)
        self.pictures_button.clicked.connect(self.back_requested)
        self.home_button.clicked.connect(self.home_requested)
        # And the one word on the page: done.
        self.done_button = BigButton(theme, icon=Icon.STAR, background=colours.action,
                                     foreground=colours.action_ink, font_px=theme.heading_px,
                                     padding=theme.space("m"), glyph_scale=0.42)
        self.done_button.clicked.connect(self.finish)
        controls: list[QWidget] = [*self.tool_buttons, self.undo_button, self.start_over_button,
                                   self.home_button, self.pictures_button, self.done_button]
        for control in controls:
            control.setParent(self)

        self.confirm = ConfirmStartOver(theme, self)
        self.confirm.accepted.connect(self.start_over)
        self.celebration = Confetti(theme, self)
        # On the celebration, Home and «to the pictures» stay exactly where they were.
        self.celebration_home = BigButton(theme, icon=Icon.HOME, background=colours.navigation,
                                          foreground=colours.navigation_ink, glyph_scale=0.55,
                                          parent=self.celebration)
        self.celebration_home.clicked.connect(self.home_requested)
        self.celebration_pictures = BigButton(theme, icon=Icon.PICTURES,
                                              background=colours.navigation,
                                              foreground=colours.navigation_ink,
                                              glyph_scale=0.55, parent=self.celebration)
        self.celebration_pictures.clicked.connect(self.back_requested)
        # «Colour more»: back to the picture as it was.
        self.keep_colouring_button = BigButton(theme, icon=Icon.BRUSH,
                                               background=colours.action,
                                               foreground=colours.action_ink, glyph_scale=0.5,
                                               parent=self.celebration)
        # Python callables only: PySide 6.11 keeps ~100 bytes for good for each connection to
        # a wrapped C++ method (`widget.hide`), and this screen is rebuilt for every child.
        self.keep_colouring_button.clicked.connect(lambda: self.celebration.hide())
        self._lay_out()
        self._update_tool_buttons()

    @property
    def tool_buttons(self) -> tuple[ToolButton, ...]:
        """The things that paint, in their order on the screen."""
        return (self.fill_button, *self.brush_buttons.values(), self.eraser_button)

    # -- layout -----------------------------------------------------------------------------

    def page_layout(self) -> PageLayout:
        width, height = self.width(), self.height()
        if width < 50 or height < 50:  # not shown yet: laid out for the whole screen
            width, height = self.theme.width, self.theme.height
        return page_layout(self.theme, width, height)

    def _lay_out(self) -> None:
        places = self.page_layout()
        self.view.setGeometry(places.canvas)
        for button, rect in zip(self.tool_buttons, places.tools, strict=True):
            button.setGeometry(rect)
        for swatch, rect in zip(self.swatches, places.swatches, strict=True):
            swatch.setGeometry(rect)
        self.undo_button.setGeometry(places.undo)
        self.start_over_button.setGeometry(places.start_over)
        self.home_button.setGeometry(places.home)
        self.pictures_button.setGeometry(places.pictures)
        self.done_button.setGeometry(places.done)
        for overlay in (self.confirm, self.celebration):
            overlay.setGeometry(self.rect())
        self.celebration_home.setGeometry(places.home)
        self.celebration_pictures.setGeometry(places.pictures)
        # Not where «Готово» was: a child's double tap must not end the celebration at once.
        side = self.theme.px(160)
        if self.theme.portrait:
            keep = QRect((places.canvas.width() - side) // 2 + places.canvas.left(),
                         places.done.bottom() + 1 - side, side, side)
        else:
            keep = QRect(places.done.center().x() - side // 2,
                         places.canvas.center().y() - side // 2, side, side)
        self.keep_colouring_button.setGeometry(keep)
        # The canvas's own room, the picture centred in it as the canvas centres it: in
        # portrait a room down to the brush had it drop ~280 px on «Готово».
        self.celebration.picture_area = places.canvas

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out()

    def render_view(self) -> None:
        self.done_button.setText(tr("colouring_done", self.lang))
        self.done_button.setAccessibleName(tr("colouring_done", self.lang))
        self.done_button.update()

    # -- the picture ------------------------------------------------------------------------

    def canvas_size(self) -> QSize:
        """Room for the picture: what the layout gives the canvas view."""
        return self.page_layout().canvas.size()

    def open_picture(self, picture: ColouringPicture) -> None:
        """Prepare the picture for the canvas off the UI thread (about 30 ms at 1080p), or
        take it from the cache. A drawing the child left on it this visit comes back."""
        self.keep_drawing()
        self.picture = picture
        self.celebration.clear()  # it may draw from the last canvas's arrays
        self.confirm.hide()
        self.view.show_canvas(None)
        self.canvas = None
        # The canvas in device pixels (kiosk.ui.hidpi): sharp lines, and a tap that paints
        # the pixel under the finger. The engine's gap and reach scale with the picture.
        ratio = ratio_of(self)
        size = device_size(self.canvas_size(), ratio)
        gap = self.content.settings.colouring_gap_px if self.content else EngineSettings.gap_px
        key = (picture.source, size.width(), size.height(), gap, ratio)
        cached = self._prepared.get(key)
        if cached is not None:
            self._prepared.move_to_end(key)
            self._show(cached, ratio)
            return

        def work() -> PreparedPicture:
            kept = kept_picture(picture.source, size, gap)  # prepared ahead: numpy alone
            if kept is not None:
                let_go()  # a child waiting for the pictures that were not kept
                return kept
            lightness = render_line_art(picture.source, size)
            if lightness is None:
                raise ValueError(f"cannot decode {picture.source}")
            # In a child process (kiosk.core.colouring.prepare_apart): OpenCV never loads here. The
            # child goes once the canvas is ready; the picker starts it again.
            try:
                prepared = prepare_apart(lightness, EngineSettings(gap_px=gap))
            except (ParseRunaway, RuntimeError) as exc:
                log.warning("colouring picture %s could not be prepared: %s",
                            picture.source, exc)
                raise
            finally:
                let_go()
            # The rendering's and the labelling's scratch arrays (~6 MB at 1080p) were freed
            # in this worker thread's heap, which glibc keeps for good: hand it back while the
            # page is open, not only when the visitor leaves. ~1 ms, here, never on the UI
            # thread (ctypes releases the GIL).
            heap.release_freed_memory()
            return prepared

        def done(result: Any) -> None:
            if isinstance(result, PreparedPicture):
                self._prepared[key] = result
                while len(self._prepared) > 2:  # bounded memory: two pictures at most
                    self._prepared.popitem(last=False)
                self._show(result, ratio)
            else:
                self.back_requested.emit()  # a picture that does not decode: back to the list

        self.background_work.run(work, done)

    def _show(self, prepared: PreparedPicture, ratio: float) -> None:
        self.canvas = Canvas(prepared)
        if self.kept is not None and self.picture is not None:
            self.kept.restore(self.picture.source, self.canvas)  # as the child left it
        self.view.show_canvas(self.canvas, ratio)
        self._update_tool_buttons()

    # -- tools ------------------------------------------------------------------------------

    def _choose_colour(self, swatch: Swatch) -> None:
        self.colour = swatch.argb
        if self.tool is Tool.ERASER:  # a colour is for painting: take the fill back up
            self.tool = Tool.FILL
        self._update_tool_buttons()

    def choose_tool(self, tool: Tool, brush: str | None = None) -> None:
        self.tool = tool
        if brush is not None:
            self.brush = brush
        self._update_tool_buttons()

    def current_tool_button(self) -> ToolButton:
        if self.tool is Tool.FILL:
            return self.fill_button
        if self.tool is Tool.ERASER:
            return self.eraser_button
        return self.brush_buttons[self.brush]

    def _update_tool_buttons(self) -> None:
        current = self.current_tool_button()
        colour = QColor.fromRgba(self.colour)
        for button in self.tool_buttons:
            button.setChecked(button is current)
            button.set_paint_colour(colour)
        self._update_actions()

    def _update_actions(self) -> None:
        """Undo, start over and «Готово»: available once there is something to act on. Called
        on every touch, so it only sets states (a button repaints only when its state
        changes)."""
        self.undo_button.setEnabled(self.canvas is not None and self.canvas.can_undo)
        # Not `is_blank`: scanning the whole canvas on every touch costs a millisecond. A
        # drawing brought back has paint and nothing to undo.
        self.start_over_button.setEnabled(self.canvas is not None and self.canvas.has_paint)
        self.done_button.setEnabled(self.canvas is not None)

    def _radius(self) -> int:
        """The brush's radius in the canvas's (device) pixels."""
        radius = self.theme.px(BRUSH_RADII[self.brush if self.tool is Tool.BRUSH else "large"])
        return max(1, round(radius * self.view.ratio))

    def _press(self, x: int, y: int) -> None:
        if self.canvas is None:
            return
        if self.tool is Tool.FILL:  # on the press: the colour appears under the finger
            self.view.repaint_box(self.canvas.fill(x, y, self.colour))
        else:
            colour = PAPER if self.tool is Tool.ERASER else self.colour
            self.view.repaint_box(self.canvas.begin_stroke(x, y, colour, self._radius()))
        self._update_actions()

    def _move(self, x: int, y: int) -> None:
        if self.canvas is not None and self.tool is not Tool.FILL:
            self.view.repaint_box(self.canvas.extend_stroke(x, y))

    def _release(self) -> None:
        if self.canvas is not None:
            self.canvas.end_stroke()
            self._update_actions()

    def undo(self) -> None:
        if self.canvas is not None:
            self.view.repaint_box(self.canvas.undo())
            self._update_actions()

    def _ask_start_over(self) -> None:
        self.confirm.ask()

    def start_over(self) -> None:
        if self.canvas is not None:
            self.view.repaint_box(self.canvas.start_over())
            self._update_actions()

    def finish(self) -> None:
        if self.canvas is None:
            return
        self.canvas.end_stroke()
        # The canvas's own two layers, drawn as the canvas draws them. A composite was 4 MB
        # more (16 at 4K) for the rest of the page, and ~16 MB of temporaries on the UI thread
        # to make it; the canvas cannot change under the celebration, which covers it.
        paint, lines = self.canvas.paint, self.canvas.picture.line_alpha()
        images = (_image_over(paint, QImage.Format.Format_RGB32),
                  _image_over(lines, QImage.Format.Format_Alpha8))
        for image in images:
            image.setDevicePixelRatio(self.view.ratio)
        self.celebration.setGeometry(self.rect())
        self.celebration.celebrate(*images, arrays=(paint, lines))

    # -- leaving ----------------------------------------------------------------------------

    def keep_drawing(self) -> None:
        """Keep the drawing on the canvas for the child's return to its picture this visit
        (kiosk.core.colouring.kept; a blank one is not kept). ~6 ms at 1080p, ~40 at 4K."""
        if self.kept is not None and self.canvas is not None and self.picture is not None:
            self.kept.keep(self.picture.source, self.canvas)

    def forget_drawing(self) -> None:
        """The visitor has gone: the drawing on the canvas is wiped, not kept."""
        self.background_work.cancel()
        if self.canvas is not None:
            self.canvas.wipe()

    def reset(self) -> None:
        """The child left the page: the drawing is kept for a return to its picture this
        visit (the window wipes what is kept when the visitor goes), the canvas wiped."""
        self.background_work.cancel()
        self.keep_drawing()
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
        self.no = BigButton(theme, icon=Icon.CROSS, background=theme.colours.blue,
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
