"""libmpv, loaded on first use, with the options that make it safe for untrusted files and
its software render API (mpv draws each frame into memory the caller gives it). No Qt here:
`kiosk check`'s child process (kiosk.ui.video.probe) uses it too.

Why the software render API rather than mpv's own X11 window (`wid`): measured on the kiosk's
two cores without a GPU it costs the same CPU as `vo=x11` (31–35 % of one core for 1080p30),
and it works on any Qt platform (X11, Wayland, offscreen tests and `kiosk preview`) with the
stage free to fade to and from a clip and paint over it (docs/video.md).
"""

from __future__ import annotations

import ctypes
import locale
import logging
from collections.abc import Callable
from ctypes import POINTER, Structure, byref, c_char_p, c_int, c_size_t, c_uint64, c_void_p
from typing import Any

from kiosk.core.content.video import DECODER_MOST_PIXELS

log = logging.getLogger(__name__)


class VideoUnavailable(Exception):
    """libmpv or python-mpv is missing, or the player could not be made."""


# What every player is made with. The file is untrusted content: nothing it names is opened
# (no external subtitles, audio, cover art, references or linked Matroska segments), no
# script or configuration of the machine's user is loaded, nothing is read from the network,
# and the demuxer's read-ahead is bounded (mpv's default is 150 MB).
SAFE_OPTIONS: dict[str, str] = {
    "config": "no",
    "load-scripts": "no",
    "ytdl": "no",
    "osc": "no",
    "input-default-bindings": "no",
    "input-vo-keyboard": "no",
    "terminal": "no",
    "audio": "no",
    "mute": "yes",
    "ao": "null",
    "sid": "no",
    "sub-auto": "no",
    "audio-file-auto": "no",
    "cover-art-auto": "no",
    "access-references": "no",
    "ordered-chapters": "no",
    "load-unsafe-playlists": "no",
    "cache": "no",
    "demuxer-max-bytes": "32MiB",
    "demuxer-max-back-bytes": "0",
    "hwdec": "no",
    # The decoder refuses a frame larger than this (libavcodec's own check, before it
    # allocates): an 8192×8192 clip of 199 KB took 1 GB and 229 ms of the UI thread a frame.
    "vd-lavc-o": f"max_pixels={DECODER_MOST_PIXELS}",
    "idle": "yes",
    "keep-open": "no",
}

_mpv: Any = None


def load() -> Any:
    """The python-mpv module (libmpv loaded with it); VideoUnavailable if either is missing."""
    global _mpv
    if _mpv is None:
        try:
            import mpv
        except (ImportError, OSError) as exc:
            raise VideoUnavailable(f"libmpv is not available: {exc}") from exc
        _mpv = mpv
    return _mpv


def new_player(log_handler: Callable[[str, str, str], None] | None = None,
               **options: str) -> Any:
    """An mpv.MPV with SAFE_OPTIONS (and `options` over them)."""
    mpv = load()
    # libmpv refuses to start unless numbers are read the C way; Qt sets the locale from the
    # environment when its application starts.
    locale.setlocale(locale.LC_NUMERIC, "C")
    merged = {**SAFE_OPTIONS, **options}
    try:
        return mpv.MPV(log_handler=log_handler, loglevel="warn" if log_handler else None,
                       **{key.replace("-", "_"): value for key, value in merged.items()})
    except Exception as exc:  # python-mpv raises its own error types
        raise VideoUnavailable(f"libmpv would not start: {exc}") from exc


def error_text(code: int) -> str:
    """libmpv's words for its error code (mpv_error_string)."""
    try:
        raw = load().backend.mpv_error_string(code)
    except Exception:
        return f"mpv error {code}"
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


class _Param(Structure):
    _fields_ = [("type", c_int), ("data", c_void_p)]


# mpv/render.h: parameter types and the update flag.
_API_TYPE, _BLOCK_FOR_TARGET_TIME = 1, 12
_SW_SIZE, _SW_FORMAT, _SW_STRIDE, _SW_POINTER = 17, 18, 19, 20
_UPDATE_FRAME = 1
_UpdateFn = ctypes.CFUNCTYPE(None, c_void_p)
_lib: Any = None


def _library() -> Any:
    """libmpv's render functions, declared here: python-mpv 1.0.8 knows only the OpenGL ones
    (a separate handle, so its own declarations are left as they are)."""
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(load().backend._name)
        lib.mpv_render_context_create.argtypes = [POINTER(c_void_p), c_void_p, POINTER(_Param)]
        lib.mpv_render_context_create.restype = c_int
        lib.mpv_render_context_render.argtypes = [c_void_p, POINTER(_Param)]
        lib.mpv_render_context_render.restype = c_int
        lib.mpv_render_context_update.argtypes = [c_void_p]
        lib.mpv_render_context_update.restype = c_uint64
        lib.mpv_render_context_set_update_callback.argtypes = [c_void_p, _UpdateFn, c_void_p]
        lib.mpv_render_context_set_update_callback.restype = None
        lib.mpv_render_context_free.argtypes = [c_void_p]
        lib.mpv_render_context_free.restype = None
        _lib = lib
    return _lib


class SoftwareRenderer:
    """mpv's software render API for one player (made with vo=libmpv). `on_update` is called
    on one of mpv's threads when a frame may be due: it must only wake the owner's thread,
    which then calls `frame_due` and `render` (never two threads at once)."""

    def __init__(self, player: Any, on_update: Callable[[], None]) -> None:
        self._lib = _library()
        api = c_char_p(b"sw")
        params = (_Param * 2)(_Param(_API_TYPE, ctypes.cast(api, c_void_p)), _Param(0, None))
        context = c_void_p()
        handle = ctypes.cast(player.handle, c_void_p)
        if self._lib.mpv_render_context_create(byref(context), handle, params) < 0:
            raise VideoUnavailable("libmpv has no software renderer (mpv 0.33 or later needed)")
        self._context: c_void_p | None = context
        # Kept referenced: mpv holds the callback's address until it is freed.
        self._callback = _UpdateFn(lambda _data: on_update())
        self._lib.mpv_render_context_set_update_callback(context, self._callback, None)
        self._size = (c_int * 2)(0, 0)
        self._format = c_char_p(b"bgr0")  # QImage.Format_RGB32's bytes on a little-endian CPU
        self._stride = c_size_t(0)
        self._block = c_int(0)  # the frame is drawn now; mpv has already timed it

    def frame_due(self) -> bool:
        """Whether mpv has a new frame to draw (also does mpv's housekeeping: call it on
        every update)."""
        if self._context is None:
            return False
        return bool(self._lib.mpv_render_context_update(self._context) & _UPDATE_FRAME)

    def render(self, address: int, width: int, height: int, stride: int) -> bool:
        """Draw the current frame into `height` rows of `stride` bytes at `address`, scaled to
        `width`×`height` (4 bytes a pixel: blue, green, red, unused). False if mpv could not."""
        if self._context is None or width <= 0 or height <= 0:
            return False
        self._size[0], self._size[1] = width, height
        self._stride.value = stride
        params = (_Param * 6)(
            _Param(_SW_SIZE, ctypes.cast(self._size, c_void_p)),
            _Param(_SW_FORMAT, ctypes.cast(self._format, c_void_p)),
            _Param(_SW_STRIDE, ctypes.cast(ctypes.pointer(self._stride), c_void_p)),
            _Param(_SW_POINTER, c_void_p(address)),
            _Param(_BLOCK_FOR_TARGET_TIME, ctypes.cast(ctypes.pointer(self._block), c_void_p)),
            _Param(0, None))
        return bool(self._lib.mpv_render_context_render(self._context, params) >= 0)

    def free(self) -> None:
        """Before the player is terminated (libmpv requires it)."""
        if self._context is not None:
            self._lib.mpv_render_context_set_update_callback(self._context, _UpdateFn(0), None)
            self._lib.mpv_render_context_free(self._context)
            self._context = None
