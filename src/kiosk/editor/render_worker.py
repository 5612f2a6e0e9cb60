"""The editor's renderer: a child process that draws a draft story with the kiosk's own screens.

`python -m kiosk.editor.render_worker` is started by kiosk.editor.render.Renderer (the only
editor module that imports Qt is this one, and only in that child). It keeps one offscreen
QApplication and one kiosk window per orientation alive, and answers requests one at a time
on its standard input and output:

    request:  frame(JSON)                       {"shared", "slug", "text", "photo", ...}
    answer:   frame(JSON header) frame(PNG)…    {"ok", "images": [{"name", "bytes"}], "problems"}

A request: `shared` (head office's folder), `centre` (the centre's own, for its hidden.yaml),
`slug` and `text` (the story file's name and text, as Publish writes them), `photo`
(`images/<name>.jpg` as the file names it) and `photo_source` (where that file is now), and
optionally `unscheduled` (the same story without its schedule, drawn where the draft is not
shown for it), `orientations` and `langs` (by default both of each). `{"ping": true}` only answers
(with `shared`: warms up first, drawing a sample story). Each image is named
`<orientation>-<lang>-<screen>`, screen being `story` or `poster`.

A poster's request (`"kind": "poster"`, kiosk.editor.poster_views) gives `slug`, `text` (its
side file, "" for none) and `files` (`<slug>.jpg`, `<slug>.portrait.jpg` … → where each is
now); the answer is its slide of the attract loop on each orientation (`landscape-ru-poster`,
`portrait-ru-poster`: a picture has no language) and the problems of its files.

A notice's request (`"kind": "notice"`, kiosk.editor.preview_views) gives `slug` and `text`
(its file); the answer is what the kiosk shows of it on each orientation and language: an
urgent notice as the band at the foot of the menu (`landscape-ru-notice` …), an ordinary one
as its slide of the attract loop.

A frame is a 4-byte big-endian length and that many bytes. Anything else the process prints
(Qt's own messages, a library's warning) goes to standard error: the protocol has standard
output to itself.

For each request the draft is written into an overlay folder of this process (the draft's
story file and its photo only) and read together with head office's shared folder as the
kiosk reads a centre's folder over the shared one (`load_content(shared, ..., centre=overlay)`),
so the story is drawn with head office's settings and tags. The answer holds, for each
orientation and language asked, the story's own screen (what a visitor sees after tapping it)
and its attract poster, and the problems the loader and the screen's own checks found in the
draft (its file and its photo), each with its Russian and English message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import logging
import os
import re
import shutil
import stat
import struct
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from kiosk.core.content.clipfile import is_video
from kiosk.core.content.imagesafe import MAX_IMAGE_BYTES
from kiosk.core.content.video import MAX_VIDEO_BYTES

HEADER = struct.Struct(">I")
MAX_REQUEST_BYTES = 4 * 1024 * 1024  # the draft's text is at most ~40 KB (story_form.LIMITS)
# A prepared photo is a few hundred KB, but a centre's folder may hold a camera's photo put
# there by hand: copied up to the most the kiosk reads, so the preview shows what it shows.
MAX_PHOTO_BYTES = MAX_IMAGE_BYTES
ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
LANGS = ("ru", "en")
STORIES_DIR = "stories"
NOTICES_DIR = "notices"
IMAGES_DIR = "images"
POSTERS_DIR = "posters"
# A poster draft's files: its picture, its portrait picture and its side file.
POSTER_FILE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}(\.portrait)?\.(jpg|jpeg|png|svg)")
# PNG compression: Qt's quality 0–100 maps to zlib's 9–0. 80 (zlib level 1) takes 60 % of
# the default's time for 15 % larger files (190 KB a screen): the page loads them on a LAN.
PNG_QUALITY = 80
HIDDEN_FILE = "hidden.yaml"  # the centre's list of shared items it hides (kiosk.core.content.merge)
MAX_HIDDEN_BYTES = 256 * 1024
# The centre's folders copied beside a draft: the kiosk counts, orders and bands the draft
# among the centre's published items (its «10 из 17», its urgent notices).
MIRRORED = (STORIES_DIR, NOTICES_DIR, POSTERS_DIR, IMAGES_DIR)
MAX_MIRRORED = 5000  # files of a centre's folder copied (a centre writes a few dozen)
# What a warm-up draws: a story like staff write, in both languages.
WARM_UP_STORY = """---
title: "Зонтик под ливнем"
title_en: "An umbrella in the downpour"
teaser: "Помочь было несложно"
teaser_en: "Helping was easy"
---
Посетительница оставила зонт у окна, а на улице начался ливень. Сотрудник догнал её у выхода.

=== English ===
A visitor left her umbrella by the window as it began to pour. A colleague caught up with her.
"""
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")

log = logging.getLogger("kiosk.editor.render_worker")


def read_frame(stream: BinaryIO, most: int) -> bytes | None:
    """One frame; None at the end of the stream. ValueError for a frame over `most` bytes."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    if size > most:
        raise ValueError(f"frame of {size} bytes")
    data = stream.read(size)
    if len(data) < size:
        return None
    return data


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(HEADER.pack(len(data)))
    stream.write(data)


def centre_files(centre: Path) -> dict[str, str]:
    """The centre's published files the overlay copies, by their path in it ('stories/a.md'):
    regular files only (a link is never followed, to a folder neither: the kiosk refuses a
    linked stories/ and shows none of it), hidden.yaml within its bound."""
    found: dict[str, str] = {}
    hidden = centre / HIDDEN_FILE
    with contextlib.suppress(OSError):
        info = os.lstat(hidden)
        if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_HIDDEN_BYTES:
            found[HIDDEN_FILE] = str(hidden)  # a shared story it hides
    for folder in MIRRORED:
        try:
            if not stat.S_ISDIR(os.lstat(centre / folder).st_mode):
                continue
            entries = list(os.scandir(centre / folder))
        except OSError:
            continue
        for entry in entries:
            if len(found) >= MAX_MIRRORED:
                return found
            if not entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                found[f"{folder}/{entry.name}"] = entry.path
    return found


def preview_index(shared: Path) -> Any:
    """The content index of this child's reads of head office's folder `shared`, in the
    folder render.py names (INDEX_ENV), or None (no folder named, or it cannot be used: the
    files are read). One file a shared folder, whatever the scratch folder: a child started
    after an idle stop reads 37,000 stories from it in about a second, not half a minute.
    Its own file, not the editor's listing's: each tidies its texts by what its process
    holds."""
    import hashlib

    from kiosk.core.content.index import ContentIndex
    from kiosk.editor.render import INDEX_ENV

    folder = os.environ.get(INDEX_ENV, "")
    if not folder:
        return None
    key = hashlib.sha256(("preview\0" + os.path.abspath(shared)).encode()).hexdigest()[:16]
    return ContentIndex.open(Path(folder) / f"index-{key}.sqlite", shared, now=time.time())


class Worker:
    """The QApplication, a window per orientation, and the overlay folder, kept between
    requests."""

    def __init__(self, scratch: Path) -> None:
        from kiosk.cli import _offscreen_application

        _offscreen_application()
        self.scratch = scratch
        self.overlay = scratch / "centre"
        self.windows: dict[str, Any] = {}
        self.cache: Any = None
        self.copied: dict[str, tuple[str, int, int, int]] = {}  # file → its source's stamp
        self.draft_photo: Path | None = None
        self.cache_root: Path | None = None

    # -- the draft's folder ----------------------------------------------------------------

    def write_overlay(self, request: dict[str, Any]) -> Path:
        """The overlay folder as the centre's own folder is now, with the draft's story file
        and its photo over it: the draft is counted and placed among the centre's published
        stories, and drawn under its urgent notices, as the kiosk will show it. The photo is
        copied only when it changed: kept, it stays decoded in the kiosk's image cache and
        checked in the loader's, as the kiosk keeps an unchanged file."""
        slug = str(request.get("slug") or "")
        slug = slug if SLUG.fullmatch(slug) else "draft"
        drafts: dict[str, str | bytes] = {
            f"{STORIES_DIR}/{slug}.md": str(request["text"]).encode("utf-8")}
        photo, source = str(request.get("photo") or ""), str(request.get("photo_source") or "")
        self.draft_photo = None
        if photo and source and (self.overlay / photo).parent == self.overlay / IMAGES_DIR:
            drafts[photo] = source
            self.draft_photo = self.overlay / photo
        self.sync_overlay(request, drafts, f"{STORIES_DIR}/{slug}.")
        return self.overlay / STORIES_DIR / f"{slug}.md"

    def sync_overlay(self, request: dict[str, Any], drafts: dict[str, str | bytes],
                     replaced: str) -> None:
        """The overlay made the centre's folder (request's `centre`: its published stories,
        notices, posters and images, and its hidden.yaml) with the draft's files over it:
        `drafts` maps a path in the overlay to the file's bytes or to the file to copy. The
        centre's files whose path starts with `replaced` are the draft's older self (an
        edited poster's pictures): left out. Files are copied only when they changed."""
        wanted: dict[str, str | bytes] = {}
        centre = str(request.get("centre") or "")
        if centre:
            wanted = {name: source for name, source in centre_files(Path(centre)).items()
                      if not name.startswith(replaced)}
        wanted.update(drafts)
        for folder in ("", *MIRRORED):  # what is there and no longer wanted goes
            try:
                entries = list(os.scandir(self.overlay / folder))
            except OSError:
                continue
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if not folder and entry.name in MIRRORED and \
                        entry.is_dir(follow_symlinks=False):
                    continue
                if name not in wanted or entry.is_dir(follow_symlinks=False):
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path)
                    else:
                        os.unlink(entry.path)
                    self.copied.pop(name, None)
        for name, what in wanted.items():
            target = self.overlay / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(what, bytes):
                target.write_bytes(what)
                self.copied.pop(name, None)
                continue
            try:
                info = os.stat(what)
                stamp = (what, info.st_size, info.st_mtime_ns, info.st_ino)
                if self.copied.get(name) == stamp and target.exists():
                    continue
                if info.st_size > MAX_PHOTO_BYTES:
                    if info.st_size <= (MAX_VIDEO_BYTES if is_video(name) else MAX_PHOTO_BYTES):
                        raise OSError(errno.EFBIG, "a clip larger than a preview copies")
                    # The kiosk refuses it by its size alone: a sparse stand-in of that size
                    # (no disk, nothing read) has the loader name the size, as `kiosk check`
                    # does, where a missing copy read «не найден».
                    target.unlink(missing_ok=True)
                    with open(target, "xb") as stand_in:
                        stand_in.truncate(info.st_size)
                else:
                    shutil.copyfile(what, target, follow_symlinks=False)
                self.copied[name] = stamp
            except OSError:
                # Gone meanwhile, unreadable or a clip too large to copy: no older copy
                # stands in for it, drawn where the kiosk refuses the file (the loader names
                # what is missing).
                with contextlib.suppress(OSError):
                    target.unlink()
                self.copied.pop(name, None)

    def load(self, shared: Path) -> Any:
        """Head office's folder with the overlay as the centre's: only what changed since
        the last request is read again (the draft, mostly)."""
        from kiosk.core.content.loader import ParseCache, load_content
        from kiosk.core.machine import default_settings_paths
        from kiosk.ui.resources import probe_image

        if self.cache_root != shared:
            self.cache, self.cache_root = ParseCache(index=preview_index(shared)), shared
        # With this computer's settings over head office's, as the kiosk beside the editor
        # reads them: its centre's name on the band, its closed days for notices.
        return load_content(shared, probe_image, cache=self.cache, centre=self.overlay,
                            machine=default_settings_paths())

    def warm(self, shared: Path) -> None:
        """Read head office's folder, build the windows and draw a sample story once, before
        the first draft arrives (a page with the story form was opened): fonts, glyphs and
        the poster's painter are ready, and that draft is drawn as fast as the next ones."""
        self.render({"shared": str(shared), "slug": "warm-up", "text": WARM_UP_STORY})

    # -- drawing ---------------------------------------------------------------------------

    def window(self, orientation: str, content: Any) -> Any:
        from PySide6.QtCore import Qt

        from kiosk.ui.main_window import KioskWindow
        from kiosk.ui.theme import Theme

        window = self.windows.get(orientation)
        if window is None:
            window = KioskWindow(Theme(*ORIENTATIONS[orientation]), content)
            window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
            window.show()
            self.windows[orientation] = window
        else:
            window.set_content(content)
        window.session_timer.stop()
        window.notice_timer.stop()
        for screen in window.screens:
            screen.wall = lambda: None  # the draft whatever its schedule
        window.attract.stop()
        # The band's clock as the kiosk's reads now, in the centre's time: the stopped loop
        # kept the time the window was built at (a preview drawn at 17:42 said 17:39).
        window.attract.show_time(content.settings.local_time(dt.datetime.now(dt.UTC)))
        return window

    def render(self, request: dict[str, Any]) -> tuple[dict[str, Any], list[bytes]]:
        from PySide6.QtWidgets import QApplication

        from kiosk.core.playlist import Slide, SlideKind, poster_seconds
        from kiosk.ui.attract.poster_check import poster_fit_problems
        from kiosk.ui.fit_check import _measure_on_screen

        started = time.perf_counter()
        draft = self.write_overlay(request)
        content = self.load(Path(request["shared"]))
        story = next((s for s in content.stories if s.source == draft), None)
        overlay = str(self.overlay)
        # The draft's own: its file's and its photo's (not the centre's other items').
        own = {str(draft), str(self.draft_photo)}
        problems = [p for p in content.problems if p.path in own]
        shown = story is not None
        unscheduled = str(request.get("unscheduled") or "")
        if story is None and unscheduled and unscheduled != request.get("text"):
            # Not shown for an error: drawn all the same without its schedule (the usual
            # cause: dates the wrong way round), so staff see what they are fixing; the page
            # still says it will not show. Its problems are the draft's as it is.
            draft = self.write_overlay({**request, "text": unscheduled})
            content = self.load(Path(request["shared"]))
            story = next((s for s in content.stories if s.source == draft), None)
        loaded = time.perf_counter()
        images: list[dict[str, Any]] = []
        blobs: list[bytes] = []
        orientations = [o for o in request.get("orientations", list(ORIENTATIONS))
                        if o in ORIENTATIONS]
        langs = [lang for lang in request.get("langs", list(LANGS)) if lang in LANGS]
        if story is not None:
            if story.attract:
                only = replace(content, pages=(), stories=(story,))
                problems += poster_fit_problems(only)
            app = QApplication.instance()
            assert app is not None
            content, due = as_now(content, story)
            for orientation in orientations:
                window = self.window(orientation, content)
                index = window.stories.visible_stories.index(story)
                for lang in langs:
                    window.set_language(lang)
                    shots = []
                    window.stories.tag = None
                    # The story on its screen, judged as `kiosk check` judges it (its text
                    # paged too far, a title crowding the text). Without any English the
                    # English screen shows the Russian story, judged on the Russian one.
                    judged: dict[tuple[str, str, str], Any] = {}
                    _measure_on_screen(window, window.stories, [index], [draft], orientation,
                                       lang, judged)
                    if lang == "ru" or story.body.en or story.title.en:
                        problems += judged.values()
                    # Judged as `kiosk check` judges it, drawn as a visitor meets it now:
                    # under the urgent notices due, which take their room off the screen.
                    window.notice_band.show_notices(due, lang)
                    window.stories.go(index)
                    app.processEvents()
                    shots.append(("story", window.grab()))
                    window.show_screen(window.attract)
                    window.attract.display(Slide(SlideKind.STORY, story.id,
                                                 poster_seconds(story, content)))
                    app.processEvents()
                    shots.append(("poster", window.grab()))
                    window.attract.stop()
                    window.notice_band.show_notices((), lang)
                    for screen, pixmap in shots:
                        shot(images, blobs, pixmap, orientation, lang, screen)
        return answer(shown, images, problems, overlay, started, loaded), blobs


    # -- a poster (kiosk.editor.poster_views) -------------------------------------------------

    def write_poster_overlay(self, request: dict[str, Any]) -> str:
        """The overlay folder as the centre's, with the poster draft's files in posters/ in
        place of its published ones. The poster's name."""
        slug = str(request.get("slug") or "")
        slug = slug if SLUG.fullmatch(slug) else "draft"
        drafts: dict[str, str | bytes] = {}
        files = request.get("files")
        for name, source in (files.items() if isinstance(files, dict) else ()):
            if POSTER_FILE.fullmatch(str(name)) and str(name).startswith(f"{slug}."):
                drafts[f"{POSTERS_DIR}/{name}"] = str(source)
        if request.get("text"):
            drafts[f"{POSTERS_DIR}/{slug}.yaml"] = str(request["text"]).encode("utf-8")
        self.sync_overlay(request, drafts, f"{POSTERS_DIR}/{slug}.")
        return slug

    def render_poster(self, request: dict[str, Any]) -> tuple[dict[str, Any], list[bytes]]:
        """The poster as the attract loop shows it, on a landscape and a portrait screen (a
        picture has no language: the Russian screen only), and the problems the loader found
        in its files."""
        from PySide6.QtWidgets import QApplication

        from kiosk.core.playlist import Slide, SlideKind

        started = time.perf_counter()
        slug = self.write_poster_overlay(request)
        content = self.load(Path(request["shared"]))
        loaded = time.perf_counter()
        folder = self.overlay / POSTERS_DIR
        poster = next((p for p in content.posters
                       if p.id == slug and p.source.parent == folder), None)
        problems = [p for p in content.problems
                    if p.path.startswith(f"{folder}{os.sep}{slug}.")]
        images: list[dict[str, Any]] = []
        blobs: list[bytes] = []
        if poster is not None:
            app = QApplication.instance()
            assert app is not None
            seconds = poster.duration or content.settings.slide_seconds
            content, due = as_now(content)
            for orientation in [o for o in request.get("orientations", list(ORIENTATIONS))
                                if o in ORIENTATIONS]:
                window = self.window(orientation, content)
                window.set_language("ru")
                window.notice_band.show_notices(due, "ru")
                window.show_screen(window.attract)
                window.attract.display(Slide(SlideKind.POSTER, poster.id, seconds))
                app.processEvents()
                pixmap = window.grab()
                window.attract.stop()
                window.notice_band.show_notices((), "ru")
                shot(images, blobs, pixmap, orientation, "ru", "poster")
        return answer(poster is not None, images, problems, str(self.overlay), started,
                      loaded), blobs

    # -- a notice (kiosk.editor.preview_views) ------------------------------------------------

    def render_notice(self, request: dict[str, Any]) -> tuple[dict[str, Any], list[bytes]]:
        """The notice as a visitor meets it: urgent, the band at the foot of the menu (the
        band alone: head office's urgent notices due at the moment are not drawn beside it);
        ordinary, its slide of the attract loop. Each orientation and language, and the
        problems the loader found in its file."""
        from PySide6.QtWidgets import QApplication

        from kiosk.core.playlist import Slide, SlideKind

        started = time.perf_counter()
        slug = str(request.get("slug") or "")
        slug = slug if SLUG.fullmatch(slug) else "draft"
        folder = self.overlay / NOTICES_DIR
        self.sync_overlay(request, {f"{NOTICES_DIR}/{slug}.yaml": str(
            request.get("text") or "").encode("utf-8")} if request.get("text") else {},
                          f"{NOTICES_DIR}/{slug}.")
        content = self.load(Path(request["shared"]))
        loaded = time.perf_counter()
        notice = next((n for n in content.notices
                       if n.id == slug and n.source.parent == folder), None)
        problems = [p for p in content.problems
                    if p.path.startswith(f"{folder}{os.sep}{slug}.")]
        images: list[dict[str, Any]] = []
        blobs: list[bytes] = []
        if notice is not None:
            app = QApplication.instance()
            assert app is not None
            content, due = as_now(content)
            for orientation in [o for o in request.get("orientations", list(ORIENTATIONS))
                                if o in ORIENTATIONS]:
                window = self.window(orientation, content)
                for lang in [lang for lang in request.get("langs", list(LANGS))
                             if lang in LANGS]:
                    window.set_language(lang)
                    if notice.urgent:
                        window.show_screen(window.menu)
                        window.notice_band.show_notices((notice,), lang)
                    else:  # a slide, under the urgent notices due now
                        window.notice_band.show_notices(due, lang)
                        window.show_screen(window.attract)
                        window.attract.display(Slide(SlideKind.NOTICE, notice.id,
                                                     content.settings.slide_seconds))
                    app.processEvents()
                    pixmap = window.grab()
                    window.attract.stop()
                    window.notice_band.show_notices((), lang)
                    shot(images, blobs, pixmap, orientation, lang, "notice")
        return answer(notice is not None, images, problems, str(self.overlay), started,
                      loaded), blobs


def as_now(content: Any, draft: Any = None) -> tuple[Any, tuple[Any, ...]]:
    """The content as a visitor meets it now (the centre's time): the stories due now, and
    the `draft` whatever its schedule (the kiosk counts «10 из 17» among those), and the urgent
    notices due now, as the band at the foot of the screen shows them."""
    import itertools

    from kiosk.core.content.notices import MOST_URGENT_SHOWN
    from kiosk.core.schedules.schedule import ALWAYS

    local = content.settings.local_time(dt.datetime.now(dt.UTC))
    closed = content.closed_days()
    stories = tuple(s for s in content.stories if s is draft or s.schedule is ALWAYS
                    or s.schedule.active(local, closed))
    due = tuple(itertools.islice((n for n in content.notices if n.urgent
                                  and n.schedule.active(local, closed)), MOST_URGENT_SHOWN))
    return replace(content, stories=stories), due


def shot(images: list[dict[str, Any]], blobs: list[bytes], pixmap: Any, orientation: str,
         lang: str, screen: str) -> None:
    """A grabbed screen added to an answer: its PNG to `blobs`, its description to `images`
    (named `<orientation>-<lang>-<screen>`)."""
    data = png_bytes(pixmap)
    images.append({"name": f"{orientation}-{lang}-{screen}", "orientation": orientation,
                   "lang": lang, "screen": screen, "bytes": len(data),
                   "width": pixmap.width(), "height": pixmap.height()})
    blobs.append(data)


def answer(shown: bool, images: list[dict[str, Any]], problems: list[Any], overlay: str,
           started: float, loaded: float) -> dict[str, Any]:
    """An answer's header: whether the kiosk shows the draft, its screens, its problems and
    how long loading and drawing took."""
    finished = time.perf_counter()
    return {"ok": True, "shown": shown, "images": images,
            "problems": [problem_json(p, overlay) for p in problems],
            "timings": {"load_ms": round((loaded - started) * 1000, 1),
                        "render_ms": round((finished - loaded) * 1000, 1)}}


def png_bytes(pixmap: Any) -> bytes:
    """A grabbed screen as PNG (three bytes a pixel: a quarter less to compress)."""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QImage

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.toImage().convertToFormat(QImage.Format.Format_RGB888).save(buffer, "PNG",
                                                                       PNG_QUALITY)
    return bytes(buffer.data().data())


def problem_json(problem: Any, overlay: str) -> dict[str, Any]:
    """A Problem as the parent needs it: where (the path made relative to the draft's
    folder, so `stories/<slug>.md` or `images/<name>.jpg`), what, and both messages, worded
    for the form's page."""
    from kiosk.editor.wording import editor_message

    path = problem.path
    if path.startswith(overlay):
        path = path[len(overlay):].lstrip("/")
    return {"path": path, "line": problem.line, "severity": problem.severity.value,
            "code": problem.code, "args": {k: str(v) for k, v in problem.args.items()},
            "ru": editor_message(problem, "ru"), "en": editor_message(problem, "en")}


def serve(requests: BinaryIO, answers: BinaryIO, worker: Worker) -> None:
    while True:
        try:
            frame = read_frame(requests, MAX_REQUEST_BYTES)
        except ValueError as exc:
            write_frame(answers, json.dumps({"ok": False, "error": str(exc)}).encode())
            answers.flush()
            return  # the stream is out of step: the parent starts another process
        if frame is None:
            return
        try:
            request = json.loads(frame)
            if request.get("ping"):
                if request.get("shared"):
                    worker.warm(Path(str(request["shared"])))
                header: dict[str, Any] = {"ok": True, "pid": os.getpid()}
                blobs: list[bytes] = []
            elif request.get("kind") == "poster":
                header, blobs = worker.render_poster(request)
            elif request.get("kind") == "notice":
                header, blobs = worker.render_notice(request)
            else:
                header, blobs = worker.render(request)
        except Exception as exc:  # one draft's fault never ends the worker
            log.exception("rendering a draft failed")
            header, blobs = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}, []
        write_frame(answers, json.dumps(header, ensure_ascii=False).encode())
        for blob in blobs:
            write_frame(answers, blob)
        answers.flush()


def main() -> int:
    import tempfile

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The kiosk's screen shares the computer's cores: a preview waits for it, never the
    # other way round.
    with contextlib.suppress(OSError, ValueError):
        os.nice(int(os.environ.get("KIOSK_PREVIEW_NICE", "10")))
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # The protocol keeps the real standard output; print() and C libraries get stderr.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    requests = sys.stdin.buffer
    given = os.environ.get("KIOSK_PREVIEW_SCRATCH", "")  # made (and removed) by render.py
    if given and os.path.isdir(given):
        serve(requests, answers, Worker(Path(given)))
        return 0
    with tempfile.TemporaryDirectory(prefix="kiosk-preview-") as scratch:
        worker = Worker(Path(scratch))
        serve(requests, answers, worker)
    return 0


if __name__ == "__main__":
    sys.exit(main())

