"""One libmpv player drawing a muted clip into a QImage that a screen paints.

mpv decodes on its own threads; each frame is drawn into `image` on the UI thread, when mpv
says one is due (its software render API, kiosk.ui.video.mpvlib): about 5 ms a frame at
1080p, and nothing else of the UI thread waits for it. Every signal arrives on the UI thread.

A clip that does not open, or shows no first frame within STALL_MS, ends with a reason
instead: the screen skips it and the loop goes on.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage

from kiosk.ui.hidpi import device_length
from kiosk.ui.video import mpvlib

log = logging.getLogger(__name__)

_START_FILE, _END_FILE = 6, 7  # mpv_event_id
STALL_MS = 2000  # a clip with no first frame by then is skipped (docs/video.md: 40–170 ms)


class _Core:
    """libmpv's side of a player, ended once: by `terminate()`, when the player's QObject is
    deleted, or when Python exits (libmpv's threads must not outlive the interpreter)."""

    def __init__(self, mpv: Any, renderer: mpvlib.SoftwareRenderer) -> None:
        self.mpv: Any = mpv
        self.renderer: mpvlib.SoftwareRenderer | None = renderer
        _alive.add(self)

    def close(self) -> None:
        if self.renderer is not None:
            self.renderer.free()  # first: libmpv requires it
            self.renderer = None
            self.mpv.terminate()
        _alive.discard(self)


_alive: weakref.WeakSet[_Core] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for core in list(_alive):
        core.close()


class _Bridge(QObject):
    """Carries mpv's calls from its threads to the UI thread (queued signals)."""

    update = Signal()
    started = Signal(int)  # a file began loading: its playlist entry
    ended = Signal(int, int, str)  # playlist entry, mpv's reason, the error text


class VideoPlayer(QObject):
    first_frame = Signal()  # the clip's first frame is in `image`
    frame = Signal()  # a new frame is in `image`
    # The clip ended: "eof" (played to its end), or why it did not play ("error: …",
    # "stalled"). Not emitted for a clip stopped by `stop()` or `play()`.
    finished = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = _Bridge()
        self._bridge.update.connect(self._render, Qt.ConnectionType.QueuedConnection)
        self._bridge.started.connect(self._started, Qt.ConnectionType.QueuedConnection)
        self._bridge.ended.connect(self._ended, Qt.ConnectionType.QueuedConnection)
        self._mpv: Any = mpvlib.new_player(log_handler=self._mpv_log, vo="libmpv")
        try:
            renderer = mpvlib.SoftwareRenderer(self._mpv, self._bridge.update.emit)
        except mpvlib.VideoUnavailable:
            self._mpv.terminate()
            raise
        self._core = _Core(self._mpv, renderer)
        core = self._core
        self.destroyed.connect(lambda *_args: core.close())
        bridge = self._bridge
        end_reasons = {0: "eof", 4: "error"}  # mpv_end_file_reason; others: stopped by us

        def on_event(event: Any) -> None:  # on python-mpv's event thread
            kind = int(event.event_id.value)
            if kind not in (_START_FILE, _END_FILE):
                return
            data = event.data
            if kind == _START_FILE:
                bridge.started.emit(int(data.playlist_entry_id))
            elif int(data.reason) in end_reasons:
                error = mpvlib.error_text(int(data.error)) if int(data.reason) == 4 else ""
                bridge.ended.emit(int(data.playlist_entry_id), int(data.reason), error)

        self._mpv.register_event_callback(on_event)
        self.image = QImage()
        self.path: Path | None = None
        self.size = QSize()  # where the clip is shown: the stage's size (logical pixels)
        self.ratio = 1.0  # its device pixel ratio: frames are drawn in device pixels
        self.fill = False
        self.playing = False  # a clip is loading or on show
        self.shown = False  # its first frame has arrived
        self._entry: int | None = None  # the playlist entry of the clip asked for last
        self._awaiting_start = False  # its start not yet seen: frames are the last clip's
        self.stall = QTimer(self)
        self.stall.setSingleShot(True)
        self.stall.setInterval(STALL_MS)
        self.stall.timeout.connect(self._stalled)

    # -- control ---------------------------------------------------------------------------

    def play(self, path: Path, size: QSize, loop: bool, fill: bool = False,
             ratio: float = 1.0) -> None:
        """Start `path` (muted) at `size` (logical pixels; its frames are drawn in device
        pixels at `ratio`, kiosk.ui.hidpi); the previous clip, if any, stops."""
        self.path, self.size, self.fill, self.ratio = path, QSize(size), fill, ratio
        self.playing, self.shown = True, False
        self._mpv.loop_file = "inf" if loop else "no"
        # Filling: mpv crops the clip to the whole stage. Whole: drawn at its own shape into
        # an image of that shape, which the stage centres.
        self._mpv.keepaspect = fill
        self._mpv.panscan = 1.0 if fill else 0.0
        self._mpv.pause = False
        # Its playlist entry tells its events from those of the clip it replaces.
        answer = self._mpv.command("loadfile", str(path), "replace")
        self._entry = int(answer["playlist_entry_id"]) if isinstance(answer, dict) else None
        self._awaiting_start = True
        self.stall.start()

    def resize(self, size: QSize, ratio: float | None = None) -> None:
        """The stage changed size: the next frames are drawn for the new one."""
        self.size = QSize(size)
        if ratio is not None:
            self.ratio = ratio

    def stop(self) -> None:
        """Stop the clip (nothing more is decoded) and let go of its image."""
        self.stall.stop()
        if self.playing:
            self.playing = False
            self._entry, self._awaiting_start = None, False
            self._mpv.command("stop")
        self.shown = False
        self.image = QImage()

    def terminate(self) -> None:
        """End the player for good, giving its memory back (content without clips)."""
        self.stop()
        self._core.close()

    # -- from mpv --------------------------------------------------------------------------

    def _started(self, entry: int) -> None:
        if self._awaiting_start and entry == self._entry:
            self._awaiting_start = False

    def _ended(self, entry: int, reason: int, error: str) -> None:
        if not self.playing or self._entry is None or entry != self._entry:
            return  # a clip stopped since, or one asked for before the last
        self.stall.stop()
        self.playing, self._entry = False, None
        self.finished.emit("eof" if reason == 0 else f"error: {error}")

    def _stalled(self) -> None:
        if self.playing and not self.shown:
            self.stop()
            self.finished.emit("stalled")

    def _render(self) -> None:
        renderer = self._core.renderer
        # frame_due() on every update (it is also mpv's housekeeping); a frame before the new
        # clip has started may be the last one's.
        if renderer is None or not renderer.frame_due() or not self.playing \
                or self._awaiting_start:
            return
        width, height = self._frame_size()
        if self.image.width() != width or self.image.height() != height \
                or self.image.devicePixelRatio() != self.ratio:
            self.image = QImage(width, height, QImage.Format.Format_RGB32)
            self.image.setDevicePixelRatio(self.ratio)  # painted at its logical size
        bits = self.image.bits()  # not shared: the stage only paints it between frames
        address = ctypes.addressof(ctypes.c_char.from_buffer(bits))
        if not renderer.render(address, width, height, self.image.bytesPerLine()):
            return
        if not self.shown:
            self.shown = True
            self.stall.stop()
            self.first_frame.emit()
        self.frame.emit()

    def _frame_size(self) -> tuple[int, int]:
        """The image's size in device pixels: the stage's when filling, else the clip's
        shape fitted in it."""
        width = max(1, device_length(self.size.width(), self.ratio))
        height = max(1, device_length(self.size.height(), self.ratio))
        if self.fill:
            return width, height
        try:
            clip_w, clip_h = self._mpv.dwidth, self._mpv.dheight
        except Exception:  # not known yet
            clip_w = clip_h = None
        if not clip_w or not clip_h:
            return width, height
        fitted = QSize(int(clip_w), int(clip_h)).scaled(width, height,
                                                         Qt.AspectRatioMode.KeepAspectRatio)
        return max(1, fitted.width()), max(1, fitted.height())

    @staticmethod
    def _mpv_log(level: str, prefix: str, text: str) -> None:
        log.info("mpv %s %s: %s", level, prefix, text.strip())



def open_player(parent: QObject) -> VideoPlayer | str:
    """A player for `parent`, or why clips cannot play on this machine (logged here)."""
    try:
        return VideoPlayer(parent)
    except mpvlib.VideoUnavailable as exc:
        log.warning("clips are not played: %s", exc)
        return str(exc)
