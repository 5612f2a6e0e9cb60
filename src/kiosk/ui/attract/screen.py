"""Attract mode: the slides cycle by themselves until someone touches the screen.

Each slide is a poster (poster.py beside this module). Between transitions nothing on the stage
repaints; only the ring of the invitation to touch moves, and the clock changes once a minute.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content.clipfile import clip_seconds
from kiosk.core.content.model import Content, Poster
from kiosk.core.i18n import date_forms
from kiosk.core.playlist import AttractPlaylist, Slide, SlideKind
from kiosk.core.wallclock import WallClockWatch
from kiosk.ui.attract.band import AttractBand
from kiosk.ui.attract.poster import LeftOut, PosterPainter, edge_colour
from kiosk.ui.hidpi import device_pixmap, device_rect, device_size, logical_size, ratio_of
from kiosk.ui.photos import PHOTO_FADE_MS, PhotoKey, PhotoLoader
from kiosk.ui.queue.recent_calls import RecentCalls
from kiosk.ui.resources import ImageCache
from kiosk.ui.screen import Screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TextSpot

if TYPE_CHECKING:
    from kiosk.core.queue import Call  # imported with the first call (kiosk.ui.queue.recent_calls)
    from kiosk.ui.video.player import VideoPlayer  # when content first has a clip (libmpv)

log = logging.getLogger(__name__)

# The next slide's pictures are asked of the background loader this long before the slide is
# due, not right after the transition before it: a full-screen poster is 6.6 MB decoded at
# 1080p (a story's photo 1.2–1.9 MB), held only for the last seconds of the slide before
# instead of all of them. Lead enough for a slow kiosk: the worst picture a slide may have, a
# phone's 24-megapixel JPEG, decodes in 0.33 s here (libjpeg reads every byte even when it
# shrinks), ~1 s on a slow PC, twice that while a reload reads 37,000 stories or another
# picture holds the pool; a 1080p JPEG takes ~25 ms. Three seconds is half again that worst
# case. A shorter slide (slide_seconds ≥ 3) asks at once, after its transition, as before.
PICTURE_LEAD_S = 3.0
# The first slide of content waits this long at most for its pictures, the neutral screen
# on show meanwhile, and then shows with them, without a fade (a 1080p JPEG: ~25 ms). A
# picture slower than this (a phone's photo on a slow PC) never holds the start: the slide
# shows with quiet panels in their places and the pictures fade in when they come.
FIRST_PICTURE_WAIT_MS = 500
# A clip that failed while playing (no first frame in time on a busy machine, a decoder's
# hiccup) is tried again after this long, not skipped until the content changes: for months,
# on a kiosk nobody updates. One that always fails costs one try an hour.
CLIP_RETRY_S = 3600.0


class SlideStage(QWidget):
    """Shows one pre-rendered slide; blends or slides to the next one at 60 fps."""

    transition_finished = Signal()
    painted = Signal()  # after each frame; benchmarks wait for the first one

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.transition_style = "crossfade"
        self.current = QPixmap()
        self.previous = QPixmap()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        # A Python callable, not `self.update`: PySide 6.11 keeps ~100 bytes for good for
        # each connection to a wrapped C++ method.
        self.animation.valueChanged.connect(self._progressed)
        # The step of the transition last painted (`_step`): a frame that would paint the
        # same pixels again is not painted (a sixth of a crossfade's 60 frames, at its ends).
        self._painted_step: int | None = None
        self.animation.finished.connect(self._finish)
        self.spots: list[TextSpot] = []  # the words of the slide on show, for the audit
        # Filled by benchmarks: how long each frame of a transition took to paint.
        self.frame_times: list[float] | None = None
        # A clip on show (kiosk.ui.video) instead of `current`: its latest frame, where it
        # goes on the stage, and the colour of the margins around it.
        self.video_frame: QImage | None = None
        self.video_rect = QRect()
        self.video_margin = QColor()

    @property
    def in_transition(self) -> bool:
        return self.animation.state() == QVariantAnimation.State.Running

    def show_pixmap(self, pixmap: QPixmap, animate: bool, duration_ms: int) -> None:
        self.end_video()
        if not animate or self.current.isNull() or not self.isVisible():
            self.animation.stop()
            self.current = pixmap
            self.previous = QPixmap()
            self.update()
            return
        self.previous = self.current
        self.current = pixmap
        self._painted_step = None
        self.animation.setDuration(duration_ms)
        self.animation.start()

    def show_video(self, frame: QImage, margin: QColor, animate: bool,
                   duration_ms: int) -> None:
        """A clip's first frame has arrived: it takes the place of the slide on show (faded
        or slid in like a slide); its later frames come through `video_updated`."""
        self.end_video()
        previous = self.current
        self.current = QPixmap()
        self.video_frame, self.video_margin = frame, margin
        self._place_video()
        self.spots = []
        if animate and not previous.isNull() and self.isVisible():
            self.previous = previous
            self._painted_step = None
            self.animation.setDuration(duration_ms)
            self.animation.start()
        else:
            self.animation.stop()
            self.previous = QPixmap()
            self.update()

    def video_updated(self, frame: QImage) -> None:
        if self.video_frame is not None:
            self.video_frame = frame
            self._place_video()
            self.update()

    def end_video(self) -> None:
        """The clip stops: its last frame stays on show as a still (what the next slide
        fades from, never black)."""
        if self.video_frame is None:
            return
        still = device_pixmap(self.size(), ratio_of(self))
        painter = QPainter(still)
        self._paint_current(painter, self.rect())
        painter.end()
        self.video_frame = None
        self.current = still
        self.update()

    def _place_video(self) -> None:
        assert self.video_frame is not None
        size = logical_size(self.video_frame).toSize()  # its pixels are device pixels
        self.video_rect = QRect((self.width() - size.width()) // 2,
                                (self.height() - size.height()) // 2,
                                size.width(), size.height())

    def _paint_current(self, painter: QPainter, rect: QRect) -> None:
        """The slide on show, or the clip's frame in its margins."""
        if self.video_frame is None:
            # The slide is in device pixels (kiosk.ui.hidpi): the part of it under `rect` is
            # `rect` in its own pixels, not in logical ones (at a ratio of 2 that showed the
            # top-left quarter of the slide, twice as large).
            painter.drawPixmap(QRectF(rect), self.current,
                               device_rect(rect, self.current.devicePixelRatio()))
            return
        if self.video_rect != self.rect():
            painter.fillRect(self.rect(), self.video_margin)
        painter.drawImage(self.video_rect.topLeft(), self.video_frame)

    def text_spots(self) -> list[TextSpot]:
        """The words painted on the slide on show (none mid-transition)."""
        return [] if self.in_transition else self.spots

    def _step(self, progress: float) -> int:
        """What a transition frame at `progress` paints, as a whole number: the slide's
        offset in pixels; the crossfade's opacity in the raster engine's 257 steps (it
        blends at `int(opacity * 256)`: 0.3 and 0.301 paint the same pixels)."""
        if self.transition_style == "slide":
            return round(self.width() * progress)
        return int(progress * 256)

    def _progressed(self, value: float) -> None:
        """The animation moved on: a frame, unless it would look exactly like the last."""
        if self._painted_step is None or self._step(float(value)) != self._painted_step:
            self.update()

    def _finish(self) -> None:
        self.previous = QPixmap()  # free it: one full-screen pixmap less in memory
        if self._painted_step != self._step(1.0):  # else its last frame showed it whole
            self.update()
        self._painted_step = None
        self.transition_finished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        painter = QPainter(self)
        if self.current.isNull() and self.video_frame is None:
            painter.fillRect(event.rect(), QColor(self.theme.colours.paper))
        elif self.in_transition and not self.previous.isNull():
            progress = float(self.animation.currentValue())
            # Only a whole frame counts as painted: after a part of one (a banner leaving
            # the stage) the rest of the stage still shows an earlier step.
            whole = event.rect().contains(self.rect())
            self._painted_step = self._step(progress) if whole else None
            if self.transition_style == "slide":
                offset = round(self.width() * progress)
                painter.drawPixmap(-offset, 0, self.previous)
                painter.translate(self.width() - offset, 0)
                self._paint_current(painter, self.rect())
            else:
                painter.drawPixmap(0, 0, self.previous)
                painter.setOpacity(progress)
                self._paint_current(painter, self.rect())
        else:
            self._paint_current(painter, event.rect())
        painter.end()
        if self.frame_times is not None and self.in_transition:
            self.frame_times.append(time.perf_counter() - started)
        self.painted.emit()


class _AroundPictures:
    """The slide that waits for its pictures, rendered without them meanwhile: for which
    slide, language and stage (`AttractScreen._shown`), and the words on it."""

    def __init__(self, shown: tuple[str, str, int, int, float], pixmap: QPixmap,
                 left_out: list[LeftOut], spots: list[TextSpot]) -> None:
        self.shown = shown
        self.pixmap = pixmap
        self.left_out = left_out
        self.spots = spots


class AttractScreen(Screen):
    # The band's clock, at its minute, found the wall clock set meanwhile (NTP, by hand):
    # what a timer awaits at a wall-clock moment is judged again (the urgent notices).
    wall_clock_set = Signal()

    def __init__(self, theme: Theme, images: ImageCache,
                 clock: Callable[[], float] = time.monotonic,
                 parent: QWidget | None = None) -> None:
        super().__init__(theme, images, parent)
        self.clock = clock
        self._wall_watch = WallClockWatch()
        self.painter = PosterPainter(theme)
        self.stage = SlideStage(theme)
        self.playlist: AttractPlaylist | None = None
        # What the stage shows: the slide, the language, the stage's size and device pixel
        # ratio (a change of any renders it again).
        self._shown: tuple[str, str, int, int, float] | None = None
        # Clips (kiosk.ui.video): the player, made when a clip is about to show and ended
        # when content has none; the clips that did not play (skipped until new content).
        self.player: VideoPlayer | None = None
        self.failed_clips: dict[Path, str] = {}
        self._clip_failed_at: dict[Path, float] = {}  # by the screen's clock (CLIP_RETRY_S)
        self._clip_fades = False  # the clip starting fades in from the slide before
        # `kiosk preview`: a clip's first frame for its slide (the loop plays the clip); None
        # where it has none, a clip the loop would skip (counted in failed_clips).
        self.clip_still: Callable[[Path, QSize, bool, float], QPixmap | None] | None = None
        self.stage.transition_finished.connect(self._prepare_player)
        # Pictures decoded in the background (kiosk.ui.photos), when the kiosk does: the next
        # slide's are decoded near the end of this one (PICTURE_LEAD_S). A slide whose pictures
        # are not decoded yet waits for them (`_due`: its key, and whether it shows meanwhile
        # with quiet panels in their places, or the slide before stays on show); never the UI
        # thread.
        self._awaited: set[PhotoKey] = set()
        self._arrived: dict[PhotoKey, QImage] = {}
        # A slide's pictures are taken out of the loader's cache and let go once painted into
        # the stage's pixmap (a full-screen poster 6.6 MB): the loop comes back to the slide
        # only after every other, and painted again in another language it waits for them on
        # show (`_holding`).
        self._due: tuple[str, bool] | None = None
        # The slide due waits for its pictures with what the stage shows kept on show, and
        # then replaces it at once, without a transition (`_hold`): the first slide of content
        # over the neutral screen, or the slide on show painted again (another language).
        self._holding = False
        # Meanwhile the slide is rendered without them, at the event loop's next turn (the
        # decoding worker has read the file by then, and decodes beside it: PySide holds the
        # GIL through a render's Qt calls): its pictures are painted in when they come,
        # instead of the whole slide rendered then (~6 ms less before the first frame).
        self._around: _AroundPictures | None = None
        self._around_timer = QTimer(self)
        self._around_timer.setSingleShot(True)
        self._around_timer.setInterval(0)
        self._around_timer.timeout.connect(self._render_around)
        self._after_neutral = True  # the stage shows the neutral screen (no content yet)
        # `kiosk run`'s window (KioskWindow(defer_screens=True)): the neutral screen is rendered
        # only when the window is shown with nothing else to show (`showEvent`). A start whose
        # content is read before then shows its first slide straight away: the neutral
        # screen's render and paint (~15 ms) and the wait for the read after it are spared.
        self.neutral_when_shown = False
        self.hold_timer = QTimer(self)  # the most the slide waits so (FIRST_PICTURE_WAIT_MS)
        self.hold_timer.setSingleShot(True)
        self.hold_timer.timeout.connect(self._hold_expired)
        # The next slide's pictures are asked PICTURE_LEAD_S before it is due, by the
        # screen's clock (`_pictures_due`).
        self.picture_timer = QTimer(self)
        self.picture_timer.setSingleShot(True)
        self.picture_timer.timeout.connect(self._pictures_due)
        self._presented: Slide | None = None  # the slide whose picture the stage shows
        self._listening: PhotoLoader | None = None
        self.stage.transition_finished.connect(self._hand_back_pictures)
        self.stage.transition_finished.connect(self._schedule_pictures)

        self.slide_timer = QTimer(self)
        self.slide_timer.setSingleShot(True)
        self.slide_timer.timeout.connect(self._next_slide)
        self.clock_timer = QTimer(self)
        self.clock_timer.setSingleShot(True)
        self.clock_timer.timeout.connect(self._update_clock)

        # The invitation to touch, the centre's name and the time: one band along the bottom.
        self.band = AttractBand(theme, images, clock)

        # The queue's last calls: a row of their own above the band's right-hand corner,
        # hidden (taking no room) while there are none.
        self.recent = RecentCalls(theme)
        self.recent_row = QWidget()
        row = QHBoxLayout(self.recent_row)
        row.setContentsMargins(0, 0, theme.margin, 0)
        row.addStretch(1)
        row.addWidget(self.recent)
        self.recent_row.hide()

        # The screen's size from the start, not a hidden widget's 640×480 until the window is
        # shown: the neutral screen made with the window is rendered once, at its size (a
        # render less before the first frame: ~5 ms).
        self.resize(theme.width, theme.height)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stage, 1)
        layout.addWidget(self.recent_row)
        layout.addWidget(self.band)

    # -- lifecycle -------------------------------------------------------------------------

    def set_content(self, content: Content) -> None:
        self.content = content
        self._new_clips(content)
        self.playlist = AttractPlaylist(content, self.clock(), self.wall)
        self._shown = None
        self.images.clear()
        self.refresh()

    def replace_content(self, content: Content) -> None:
        """New content while the loop runs: a transition to its first slide, no jump."""
        self.content = content
        self._new_clips(content)
        self.playlist = AttractPlaylist(content, self.clock(), self.wall)
        self._shown = None
        self.images.clear()
        if self.isVisible() and self.stage.width() > 1:
            slide = self.playlist.current
            self.stage.transition_style = content.settings.transition
            self._present(slide, True)
            self.reschedule()
        else:
            self.refresh()

    def reset(self) -> None:
        if self.playlist is not None:
            self.playlist.restart(self.clock())
        self.refresh()

    def start(self) -> None:
        """Begin cycling; called when attract is shown."""
        shown = self._shown
        self.refresh()
        self.band.start()
        if shown is not None and self._shown == shown:
            # The slide on show was not presented again (which asks for the next slide's
            # pictures): asked here (or in time, PICTURE_LEAD_S before it is due), as the
            # loader may have let them go while a visitor was here (KioskWindow.go_to_attract).
            # Its transition then waits for nothing.
            self._schedule_pictures()

    def stop(self) -> None:
        """Leave attract: no timer keeps running behind another screen."""
        self.slide_timer.stop()
        self.clock_timer.stop()
        self.band.stop()
        self.stage.animation.stop()
        self.picture_timer.stop()
        self.hold_timer.stop()
        if self._due is not None:  # shown again, the slide is presented afresh
            self._due, self._shown, self._holding = None, None, False
            self._awaited.clear()
            self._arrived.clear()
        self._around = None
        self._around_timer.stop()
        if self.player is not None and (self.player.playing
                                        or self.stage.video_frame is not None):
            self._stop_clip()
            self._shown = None  # shown again, the clip starts over

    @property
    def current_slide(self) -> Slide | None:
        """The slide on screen: a tap opens what it shows."""
        if self._due is not None and not self._due[1] and self._presented is not None:
            return self._presented  # the next one waits for its picture: this one shows
        return self.playlist.current if self.playlist is not None else None

    @property
    def pictures_shown(self) -> bool:
        """The stage shows a slide of content whole, its pictures in it: none is awaited,
        none fades in (bench/startup_child.py's first frame of content)."""
        return self.content is not None and not self.content.is_empty \
            and not self._after_neutral and self._due is None \
            and not self.stage.in_transition \
            and not (self.stage.current.isNull() and self.stage.video_frame is None)

    def refresh(self) -> None:
        self.recent.set_calls(self.recent.calls, self.lang)
        self._update_clock()
        if self.playlist is not None and self.stage.width() > 1:
            self._show_current()
            self.reschedule()

    def set_recent_calls(self, calls: list[Call]) -> None:
        """The queue's last calls for the corner (none: the corner goes away)."""
        self.recent.set_calls(calls, self.lang)
        if self.recent_row.isVisibleTo(self) != bool(calls):
            self.recent_row.setVisible(bool(calls))
            layout = self.layout()
            if layout is not None:
                layout.activate()  # the stage changes height now: the slide is redrawn to fit
            if self.playlist is not None:
                self.refresh()

    # -- slides ----------------------------------------------------------------------------

    def _show_current(self) -> None:
        """Put the playlist's slide on the stage, unless it is there already."""
        assert self.playlist is not None and self.content is not None
        if self.neutral_when_shown and self.content.is_empty and not self.isVisible():
            return  # rendered if the window is shown before the content is read (showEvent)
        slide = self.playlist.current
        shown = (slide.key, self.lang, self.stage.width(), self.stage.height(),
                 ratio_of(self.stage))
        if shown != self._shown:
            if not self.isVisible() and self._shown is not None and self._due is None \
                    and self._shown[0] == slide.key and self._shown[2:] == shown[2:]:
                # Only the language changed, behind a visitor's screens: painted again when
                # shown, if it still differs then (the visitor leaving brings the default
                # language back: usually nothing to paint, and no picture to keep for it).
                return
            if self._clip_resized(slide):
                self._shown = shown
                return
            self._present(slide, False)

    def _pixmap(self, slide: Slide) -> QPixmap:
        """The slide rendered at the stage's size. Rendered when it is due (about 20 ms,
        before the transition starts), not kept in advance: one full-screen pixmap less."""
        assert self.content is not None
        clip = self._clip(slide)
        if clip is not None and self.clip_still is not None:
            self.stage.spots = []
            path = clip.picture_for(self.theme.portrait)
            still = self.clip_still(path, self.stage.size(), clip.fit == "fill",
                                    ratio_of(self.stage))
            if still is not None:
                return still
            log.warning("clip %s skipped: it has no frame to show", path)
            self.failed_clips[path] = "no frame"
            still = device_pixmap(self.stage.size(), ratio_of(self.stage))
            still.fill(QColor(self.theme.colours.paper))
            return still
        self.painter.pictures = self._picture if self.images.photos is not None else None
        pixmap = self.painter.render(slide, self.content, self.lang, self.stage.size(),
                                     ratio_of(self.stage))
        self.stage.spots = list(self.painter.spots)
        return pixmap

    def _loader(self) -> PhotoLoader:
        photos = self.images.photos
        assert photos is not None
        if self._listening is not photos:
            photos.ready.connect(self._picture_ready)
            self._listening = photos
        return photos

    def _picture(self, path: Path, box: QSize, ratio: float, fill: bool) -> QImage | None:
        """A slide's picture from the background loader, or None while it is decoded."""
        photos = self._loader()
        key = photos.key(path, box, ratio, fill)
        picture = self._arrived.get(key)
        if picture is None:
            picture = photos.request(key)
        if picture is None:
            self._awaited.add(key)
        else:
            # Painted into the stage's pixmap, then let go: kept neither in the cache nor
            # here (painted again, in another language, the slide waits for it on show).
            photos.take(key)
        return picture

    def _ask_pictures(self, slide: Slide) -> set[PhotoKey]:
        """Ask the loader for the slide's pictures; those it is still decoding."""
        assert self.content is not None
        photos, ratio = self._loader(), ratio_of(self.stage)
        awaited = set()
        for path, box, fill in self.painter.picture_boxes(slide, self.content, self.lang,
                                                           self.stage.size()):
            key = photos.key(path, box, ratio, fill)
            if key not in self._arrived and photos.request(key) is None:
                awaited.add(key)
        return awaited

    def _may_hold(self, slide: Slide) -> bool:
        """Whether `slide` may wait for its pictures with what the stage shows kept on show:
        the neutral screen, or this same slide (in another language), at the stage's size."""
        stage = self.stage
        if self.images.photos is None or not (self.isVisible() or self._unseen) \
                or stage.width() <= 1 \
                or stage.in_transition or stage.video_frame is not None \
                or not (self._after_neutral or self._presented == slide):
            return False
        return stage.current.isNull() \
            or stage.current.size() == device_size(stage.size(), ratio_of(stage))

    def _picture_ready(self, key: PhotoKey, picture: QImage) -> None:
        """A picture decoded: when it was the last the slide waited for, the slide shows,
        crossfaded from the one before (or from its panels), or in its place at once when
        it held it on show (`_holding`)."""
        if key not in self._awaited:
            return
        self._awaited.discard(key)
        self._arrived[key] = picture
        due, playlist, content = self._due, self.playlist, self.content
        if self._awaited or due is None:
            return
        self._due = None
        holding, self._holding = self._holding, False
        around, self._around = self._around, None
        self._around_timer.stop()
        self.hold_timer.stop()
        if playlist is None or content is None or playlist.current.key != due[0] \
                or not (self.isVisible() or (holding and self._unseen)) \
                or self._clip(playlist.current) is not None:
            self._arrived.clear()
            return
        # Every picture at hand: painted into the slide rendered while they were decoded, or
        # the slide rendered now.
        pixmap = self._paint_in(around, playlist.current) if around is not None else None
        if pixmap is None:
            pixmap = self._pixmap(playlist.current)
        self._arrived.clear()
        self._presented = playlist.current
        if self._awaited:  # one more, changed on disk meanwhile: its panel fades out later
            self._due = (due[0], True)
        if holding:  # in the place of what was on show, at once: no fade
            self._show_held(pixmap)
        elif due[1]:  # its panels were on show: the pictures fade in
            self.stage.transition_style = "crossfade"
            self.stage.show_pixmap(pixmap, True, PHOTO_FADE_MS)
        else:  # the slide before was on show: the usual transition, its time from now
            self.stage.transition_style = content.settings.transition
            self.stage.show_pixmap(pixmap, True, content.settings.transition_ms)
            playlist.shown_at = self.clock()
            self.reschedule()

    def _render_around(self) -> None:
        """Render the slide that waits for its pictures without them (`_around`), if it
        still waits."""
        playlist, content, shown = self.playlist, self.content, self._shown
        if not self._holding or self._due is None or playlist is None or content is None \
                or shown is None or playlist.current.key != self._due[0]:
            return
        rendered = self.painter.render_around_pictures(
            playlist.current, content, self.lang, self.stage.size(), ratio_of(self.stage))
        if rendered is not None:
            self._around = _AroundPictures(shown, rendered[0], rendered[1],
                                           list(self.painter.spots))

    def _paint_in(self, around: _AroundPictures, slide: Slide) -> QPixmap | None:
        """The slide rendered around its pictures with them painted in, or None when it is
        no longer the one on the stage or a picture came for another file version."""
        stage = self.stage
        if around.shown != (slide.key, self.lang, stage.width(), stage.height(),
                            ratio_of(stage)):
            return None
        photos = self._loader()
        keys = [photos.key(place.path, place.size, place.ratio) for place in around.left_out]
        if any(key not in self._arrived for key in keys):
            return None
        self.painter.paint_pictures(around.pixmap, [
            (place, self._arrived[key]) for place, key in zip(around.left_out, keys, strict=True)])
        for key in keys:
            photos.take(key)  # painted in, then let go, as `_picture` does
        stage.spots = around.spots
        return around.pixmap

    def _show_held(self, pixmap: QPixmap) -> None:
        """The slide that waited for its pictures with the stage's picture kept on show
        takes its place at once; the first slide of content starts its time now."""
        assert self.playlist is not None and self.content is not None
        first = self._after_neutral
        self.stage.show_pixmap(pixmap, False, 0)
        self._after_neutral = self.content.is_empty
        if first:
            self.playlist.shown_at = self.clock()
        self.reschedule()

    def _hold_expired(self) -> None:
        """The pictures the slide waits for on the neutral screen (or in another language)
        take longer than FIRST_PICTURE_WAIT_MS: it shows now, quiet panels in their places,
        and they fade in when decoded."""
        playlist, due = self.playlist, self._due
        if not self._holding or due is None or playlist is None or self.content is None:
            return
        self._holding = False
        self._around = None  # rendered again, with panels in the pictures' places
        self._around_timer.stop()
        if playlist.current.key != due[0] or not (self.isVisible() or self._unseen):
            return
        log.info("slide %s: its pictures take longer than %d ms to decode; shown with "
                 "panels in their places meanwhile", due[0], FIRST_PICTURE_WAIT_MS)
        pixmap = self._pixmap(playlist.current)  # the panels where pictures are awaited
        self._due = (due[0], True) if self._awaited else None
        self._presented = playlist.current
        self._show_held(pixmap)

    @property
    def _unseen(self) -> bool:
        """Nothing on the stage yet, the window not shown (`neutral_when_shown`): the first
        slide of content may wait for its pictures and be rendered unseen."""
        return self.neutral_when_shown and self.stage.current.isNull() \
            and self.stage.video_frame is None

    @property
    def waits_unseen(self) -> bool:
        """The first slide of content waits for its pictures before the window is shown
        (kiosk.ui.app shows it when they come, or at once when they are late)."""
        return self._holding and self._unseen

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._unseen or self.playlist is None or self.content is None:
            return
        if self.content.is_empty:
            self.refresh()  # the content is still being read: the neutral screen meanwhile
            return
        # The first slide's pictures are late, or it plays a clip (not started unseen): the
        # neutral screen until they come, or until the clip's first frame.
        empty = Content(self.content.root)
        self.painter.pictures = None
        neutral = self.painter.render(AttractPlaylist(empty, self.clock(), self.wall).current,
                                      empty, self.lang, self.stage.size(), ratio_of(self.stage))
        self.stage.spots = list(self.painter.spots)
        self.stage.show_pixmap(neutral, False, 0)
        if not self._holding:
            self.refresh()

    def _schedule_pictures(self) -> None:
        """The next slide's pictures are asked PICTURE_LEAD_S before it is due, by the
        screen's clock: now, or when `picture_timer` fires (its interval read from the clock,
        so a test moving the clock and firing it sees what the loop does). Never during a
        transition (after it: `transition_finished`), nor while the slide due waits for its
        own pictures (it asks once it shows)."""
        self.picture_timer.stop()
        if self.images.photos is None or self.playlist is None or self.content is None \
                or not self.isVisible() or self.stage.in_transition or self._due is not None:
            return
        wait = self._remaining() - PICTURE_LEAD_S
        if wait > 0.001:
            self.picture_timer.start(max(1, math.ceil(wait * 1000)))
        else:
            self._prepare_pictures()

    def _hand_back_pictures(self) -> None:
        """A transition's end, the loop on show: the slide's pictures were freed when it was
        painted, the slide before's pixmap now. The pictures were decoded in a worker thread's
        malloc arena, where freed memory stays with the process (2–4 MB held so after a minute
        of cycling) until it is trimmed, and the next slide's are decoded only PICTURE_LEAD_S
        before it is due. 0.3 ms a slide. (Behind a visitor's screens, `visitor_left` trims.)"""
        if self.isVisible():
            from kiosk.core.service import heap

            heap.release_freed_memory()

    def _pictures_due(self) -> None:
        self._schedule_pictures()  # asks now, unless the clock says it is early

    def _prepare_pictures(self) -> None:
        """The next slide's pictures are decoded in the background now, so its transition
        never waits. (The first slide of the next pass is not known before the pass is
        built: it waits for its picture if it has one, the slide before on show.)"""
        photos = self.images.photos
        if photos is None or self.playlist is None or self.content is None \
                or not self.isVisible() or self.stage.width() <= 1:
            return
        following = self.playlist.index + 1
        if following >= len(self.playlist.slides):
            return
        slide = self.playlist.slides[following]
        if self._clip(slide) is not None:
            return
        ratio = ratio_of(self.stage)
        for path, box, fill in self.painter.picture_boxes(slide, self.content, self.lang,
                                                           self.stage.size()):
            photos.request(photos.key(path, box, ratio, fill))

    def display(self, slide: Slide) -> None:
        """Show one slide at once, without a transition (previews and tests): its pictures
        are decoded now."""
        photos, self.images.photos = self.images.photos, None
        try:
            self.stage.show_pixmap(self._pixmap(slide), False, 0)
        finally:
            self.images.photos = photos
        self._shown = None

    def reschedule(self) -> None:
        """Set the slide timer from the playlist and the clock (also after a clock jump)."""
        if self.playlist is None or not self.isVisible():
            return
        self.slide_timer.start(max(50, round(self._remaining() * 1000)))
        self._schedule_pictures()

    def _remaining(self) -> float:
        """Seconds until the next slide is due (a clip's slide: its clip's time)."""
        assert self.playlist is not None
        remaining = self.playlist.remaining(self.clock())
        clip = self._clip(self.playlist.current)
        if clip is not None and self.content is not None:
            limit = clip_seconds(clip.loop, clip.duration, self.content.settings.slide_seconds)
            remaining = max(0.0, self.playlist.shown_at + limit - self.clock())
        return remaining

    def _next_slide(self) -> None:
        if self.playlist is None or self.content is None:
            return
        # A clip's slide may last longer than the playlist says
        # (kiosk.core.content.clipfile.clip_seconds: the timer is set for it), never shorter: tick()
        # moves on when the timer fires.
        slide = self.playlist.tick(self.clock())
        if slide is not None:
            self.stage.transition_style = self.content.settings.transition
            self._present(self._past_failed_clips(slide), True)
        self.reschedule()

    def _update_clock(self) -> None:
        # The centre's time (kiosk.yaml `timezone`), as the schedules use: a kiosk computer
        # left on UTC would otherwise show a clock three hours off in Moscow.
        wall = self.wall()
        now = wall or dt.datetime.now()
        # Looked at only while the loop shows (a test's clock moves alone meanwhile), and
        # then: a setting seen while hidden would be taken note of and never followed.
        if wall is not None and self.isVisible() \
                and self._wall_watch.was_set(wall.timestamp(), self.clock()):
            log.info("the wall clock was set: it is %s now", wall.isoformat(timespec="seconds"))
            if self.playlist is not None:  # the slides after this one: for the new date
                self.playlist.follow_wall_clock()
                self.reschedule()  # and the next one's pictures asked for again
            self.wall_clock_set.emit()
        self.show_time(now)
        if self.isVisible():
            self.clock_timer.start((60 - now.second) * 1000 - now.microsecond // 1000 + 50)

    def show_time(self, now: dt.datetime) -> None:
        """The band's clock and date at `now`: each minute's, and a preview's (whose loop,
        stopped, keeps no time) as it is drawn."""
        centre = self.content.settings.centre(self.lang) if self.content is not None else ""
        self.band.set_texts(self.lang, centre, now.strftime("%H:%M"),
                            date_forms(now.date(), self.lang))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.playlist is not None:
            self.refresh()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange and self.playlist is not None:
            self.refresh()  # the slide is rendered again in the new device pixels
        return super().event(event)

    def sizeHint(self) -> QSize:
        return QSize(self.theme.width, self.theme.height)

    # -- clips (kiosk.ui.video, imported the first time a clip is about to show) -----------

    def _clip(self, slide: Slide) -> Poster | None:
        """The poster whose clip this slide plays on this screen's orientation, if it does."""
        if slide.kind is not SlideKind.POSTER or self.content is None \
                or not self.content.clips():
            return None
        poster = next((p for p in self.content.posters if p.id == slide.item_id), None)
        return poster if poster is not None and poster.is_video_for(self.theme.portrait) \
            else None

    def _present(self, slide: Slide, animate: bool) -> None:
        """Put `slide` on the stage: a picture at once (faded in when `animate`); a clip when
        its first frame arrives, the slide before staying on show until then."""
        self._shown = (slide.key, self.lang, self.stage.width(), self.stage.height(),
                       ratio_of(self.stage))
        clip = self._clip(slide)
        if self._due is None or self._due[0] != slide.key:
            self._arrived.clear()
        self._due = None
        self._awaited.clear()
        self._holding = False
        self._around = None
        self._around_timer.stop()
        self.hold_timer.stop()
        if clip is None or self.clip_still is not None:
            self._stop_clip()
            assert self.content is not None
            if not animate and self._may_hold(slide):
                # The neutral screen (or this slide in another language) stays on show while
                # its pictures are decoded, then it takes its place at once, whole: the first
                # slide of content never shows panels nor fades its picture in, unless the
                # picture takes longer than FIRST_PICTURE_WAIT_MS (`_hold_expired`).
                self._awaited = self._ask_pictures(slide)
                if self._awaited:
                    self._due, self._holding = (slide.key, False), True
                    self.hold_timer.start(FIRST_PICTURE_WAIT_MS)
                    self._around_timer.start()
                    return
            spots = self.stage.spots
            pixmap = self._pixmap(slide)
            if self._awaited:  # a picture is being decoded (kiosk.ui.photos)
                on_show = not (animate and not self.stage.current.isNull()
                               and self.isVisible())
                self._due = (slide.key, on_show)
                if not on_show:
                    self.stage.spots = spots
                    return  # the slide before stays until it is decoded
            self.stage.show_pixmap(pixmap, animate, self.content.settings.transition_ms)
            self._presented, self._after_neutral = slide, self.content.is_empty
            return
        self._presented = slide  # a clip (or the welcome in its place)
        if not self.isVisible():  # nothing plays unseen; shown again, it is presented afresh
            self._shown = None
            return
        path = clip.picture_for(self.theme.portrait)
        player = self._ensure_player() if path not in self.failed_clips else None
        if player is None or path in self.failed_clips:
            # No libmpv, or every slide left is a clip that failed: the branded welcome for
            # the slide's time, never a blank stage nor a clip tried again and again.
            assert self.content is not None
            welcome = self.painter.render(Slide(SlideKind.WELCOME, "", 0), self.content,
                                          self.lang, self.stage.size(), ratio_of(self.stage))
            self.stage.spots = list(self.painter.spots)
            self.stage.show_pixmap(welcome, animate, self.content.settings.transition_ms)
            self._after_neutral = False
            return
        self._clip_fades = animate
        self.stage.end_video()
        player.play(path, self.stage.size(), clip.loop, clip.fit == "fill",
                    ratio_of(self.stage))

    def _clip_resized(self, slide: Slide) -> bool:
        """The stage changed size under a playing clip (the row of recent calls came or
        went): its next frames are drawn to fit, without starting it again."""
        player = self.player
        if player is None or not player.playing or self._shown is None \
                or self._shown[:2] != (slide.key, self.lang):
            return False
        player.resize(self.stage.size(), ratio_of(self.stage))
        return True

    def _ensure_player(self) -> VideoPlayer | None:
        if self.player is None:
            from kiosk.ui.video.player import open_player

            opened = open_player(self)
            if isinstance(opened, str):
                if self.content is not None:
                    self.failed_clips.update((path, opened) for path in self.content.clips())
                return None
            self.player = opened
            self.player.first_frame.connect(self._clip_shown)
            self.player.frame.connect(lambda: self.stage.video_updated(self._frame()))
            self.player.finished.connect(self._clip_finished)
        return self.player

    def _frame(self) -> QImage:
        assert self.player is not None
        return self.player.image

    def _prepare_player(self) -> None:
        """After a transition: when the next slide plays a clip, the player (libmpv and its
        threads, ~50 ms) is made now, while a still slide is on show."""
        if self.player is not None or self.playlist is None or not self.isVisible():
            return
        following = self.playlist.index + 1
        if following < len(self.playlist.slides) \
                and self._clip(self.playlist.slides[following]) is not None:
            self._ensure_player()

    def _clip_shown(self) -> None:
        """The clip's first frame: it takes the stage, and its slide's time starts now."""
        player, playlist, content = self.player, self.playlist, self.content
        if player is None or playlist is None or content is None:
            return
        margin = QColor(self.theme.colours.paper) if player.fill else edge_colour(player.image)
        self.stage.transition_style = content.settings.transition
        self.stage.show_video(player.image, margin, self._clip_fades,
                              content.settings.transition_ms)
        self._after_neutral = False
        playlist.shown_at = self.clock()
        self.reschedule()

    def _clip_finished(self, reason: str) -> None:
        """The clip ended (or never started): the loop goes on to the next slide, from the
        clip's last frame or from the slide before it, never from black."""
        player = self.player
        path = player.path if player is not None else None
        if reason != "eof" and path is not None:
            log.warning("clip %s skipped: %s (tried again in %.0f min)", path, reason,
                        CLIP_RETRY_S / 60)
            self.failed_clips[path] = reason
            self._clip_failed_at[path] = self.clock()
        if self.playlist is None or self.content is None or not self.isVisible():
            return
        slide = self._past_failed_clips(self.playlist.advance(self.clock()))
        self.stage.transition_style = self.content.settings.transition
        self._present(slide, True)
        self.reschedule()

    def _past_failed_clips(self, slide: Slide) -> Slide:
        """`slide`, or the first after it that is not a clip that failed (a whole loop of
        failed clips ends on one of them: the stage keeps what it shows)."""
        assert self.playlist is not None
        now = self.clock()
        for path, failed_at in list(self._clip_failed_at.items()):
            if now - failed_at >= CLIP_RETRY_S:
                del self._clip_failed_at[path]
                self.failed_clips.pop(path, None)
        for _ in range(len(self.playlist.slides)):
            clip = self._clip(slide)
            if clip is None or clip.picture_for(self.theme.portrait) not in self.failed_clips:
                break
            slide = self.playlist.advance(self.clock())
        return slide

    def _stop_clip(self) -> None:
        """Nothing plays; the clip's last frame stays on show as a still."""
        if self.player is not None:
            self.player.stop()
        self.stage.end_video()

    def _new_clips(self, content: Content) -> None:
        """New content: what failed is tried again; without clips, the player is ended and
        its memory (~50 MB with libmpv) given back."""
        self.failed_clips.clear()
        self._clip_failed_at.clear()
        self._stop_clip()
        if self.player is not None and not content.clips():
            self.player.terminate()
            self.player.deleteLater()
            self.player = None
