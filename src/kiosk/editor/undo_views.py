"""The undo's page: what «Отменить» in the history will do, seen before it is done.

`GET /history/<id>/undo` shows, for each thing the record changed, what the kiosk will show
after the undo: a story, notice or poster that comes back (or goes back to how it was) drawn
by the kiosk's own renderer as the live preview draws it (`/history/<id>/undo/preview/<n>`,
kiosk.editor.preview_views.rendered, fetched by static/undo.js), one that disappears named by
its title, a photo or colouring picture that comes back shown
(`/history/<id>/undo/picture/<n>`). A refusal (undone already, changed again since) is said
there, before anything is pressed; the undo itself stays the POST of kiosk.editor.views.undo.
Routes on `editor_bp`, as the poster form's are.

The page numbers its items by a plan made from the record alone (`Plan`: which item comes
from which of its files), kept for the records whose pages were opened last (`Plans`): a
preview or a picture builds its one item, so the previews of a record of 1,000 stories cost
1,000 items, not a million.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from flask import abort, current_app, render_template, send_file
from flask.typing import ResponseReturnValue

from kiosk.core.content.model import Content
from kiosk.editor import catalog
from kiosk.editor.publish import RECORD_ID, FileChange, PublishError, PublishRecord
from kiosk.editor.views import (
    config,
    content_now,
    editor_bp,
    file_words,
    lang,
    login_required,
    publisher,
    shortened,
    t,
)

MAX_TEXT = 256 * 1024  # a story, notice or side file read from the history for its page
# The pictures the page shows as they are (a browser draws these and nothing of them runs).
PICTURE_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
PLANS_KEY = "kiosk.editor.undo_plans"  # app.extensions: the records' plans (Plans)


@dataclass
class UndoItem:
    """One thing the undo changes on the kiosk, as its page says it."""

    kind: str  # story | notice | poster | photo | colouring | hidden | file
    effect: str  # back (comes back) | earlier (as it was before) | gone | renamed | hidden | shown
    title: str
    words: tuple[str, str]  # the heading: (Russian, English)
    note: tuple[str, str] = ("", "")  # when the kiosk shows it, where its schedule says
    job: dict[str, Any] | None = None  # what the renderer draws (story, notice, poster)
    picture: bytes | None = None  # a photo or colouring picture shown as it comes back
    number: int = 0  # its place on the page (the preview's and the picture's address)
    screens: list[tuple[str, str]] = field(default_factory=list)  # (orientation, lang)


def _bytes(digest: str | None) -> bytes | None:
    if digest is None:
        return None
    try:
        return publisher().blob(digest)
    except (OSError, ValueError):
        return None


def _centre_file(path: str) -> bytes | None:
    """A centre file's bytes to show; None where the editor does not read it: a name typed in
    colouring.yaml by hand («Кот.png»), a link, a folder in its place."""
    try:
        return publisher().read(path)
    except (ValueError, PublishError):
        return None


def _text(data: bytes | None) -> str:
    return (data or b"")[:MAX_TEXT].decode("utf-8", "replace")


def _blob_path(digest: str) -> str:
    """Where the history keeps these bytes: a regular file the renderer's child copies."""
    return str(publisher().blobs / digest)


def _picture_type(data: bytes | None) -> str:
    return next((kind for magic, kind in PICTURE_TYPES if data and data.startswith(magic)), "")


def _effect(change: FileChange) -> str:
    if change.before is None:
        return "gone"
    return "back" if change.after is None else "earlier"


def _schedule_note(text: str, content: Content) -> tuple[str, str]:
    """When the kiosk shows an item of this file after the undo, where not at once."""
    schedule = catalog.schedule_in(text)
    local = content.settings.local_time(dt.datetime.now(dt.UTC))
    closed = content.closed_days()
    ru = catalog.off_screen_words(schedule, local, closed, "ru")
    en = catalog.off_screen_words(schedule, local, closed, "en")
    if not ru:
        return "", ""
    return (f"По расписанию ({catalog.schedule_words(schedule, 'ru')}) {ru}.",
            f"By its schedule ({catalog.schedule_words(schedule, 'en')}) it is {en}.")


# Headings: (kind, effect) → (Russian, English), {0} the item's title.
HEADINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("story", "back"): ("История «{0}» вернётся на киоск", "The story “{0}” comes back"),
    ("story", "earlier"): ("История «{0}» станет такой, какой была до этого изменения",
                           "The story “{0}” goes back to how it was before this change"),
    ("story", "gone"): ("История «{0}» исчезнет с киоска",
                        "The story “{0}” disappears from the kiosk"),
    ("notice", "back"): ("Объявление «{0}» вернётся на киоск", "The notice “{0}” comes back"),
    ("notice", "earlier"): ("Объявление «{0}» станет таким, каким было до этого изменения",
                            "The notice “{0}” goes back to how it was before this change"),
    ("notice", "gone"): ("Объявление «{0}» исчезнет с киоска",
                         "The notice “{0}” disappears from the kiosk"),
    ("poster", "back"): ("Плакат «{0}» вернётся в заставку",
                         "The poster “{0}” comes back to the slideshow"),
    ("poster", "earlier"): ("Плакат «{0}» станет таким, каким был до этого изменения",
                            "The poster “{0}” goes back to how it was before this change"),
    ("poster", "gone"): ("Плакат «{0}» исчезнет из заставки",
                         "The poster “{0}” disappears from the slideshow"),
    ("photo", "back"): ("Вернётся фото{0}", "A photo comes back{0}"),
    ("photo", "earlier"): ("Фото{0} станет прежним",
                           "The photo{0} goes back to the earlier one"),
    ("photo", "gone"): ("Фото{0} будет удалено из папки центра",
                        "The photo{0} is removed from the centre’s folder"),
    ("colouring", "back"): ("Раскраска «{0}» вернётся на экран раскрасок",
                            "The colouring picture “{0}” comes back to the colouring screen"),
    ("colouring", "earlier"): ("Рисунок раскраски «{0}» станет прежним",
                               "The colouring picture “{0}” goes back to the earlier drawing"),
    ("colouring", "gone"): ("Раскраска «{0}» исчезнет с экрана раскрасок",
                            "The colouring picture “{0}” disappears from the colouring screen"),
    ("hidden", "hidden"): ("«{0}» снова будет скрыто на этом киоске",
                           "“{0}” is hidden on this kiosk again"),
    ("hidden", "shown"): ("«{0}» снова будет показываться на этом киоске",
                          "“{0}” is shown on this kiosk again"),
}


def _heading(kind: str, effect: str, title: str) -> tuple[str, str]:
    ru, en = HEADINGS[kind, effect]
    return ru.format(title), en.format(title)


def _said(kind: str, effect: str, title: str, picture: bytes | None = None) -> UndoItem:
    """An item said by its heading; shown by `picture` where it is one a browser draws."""
    return UndoItem(kind, effect, title, _heading(kind, effect, title),
                    picture=picture if _picture_type(picture) else None)


EVERY_SCREEN = tuple((o, language) for o in ("landscape", "portrait") for language in ("ru", "en"))
POSTER_SCREENS = (("landscape", "ru"), ("portrait", "ru"))  # one picture in either language


@dataclass(frozen=True, slots=True)
class Slot:
    """Where an item of the page comes from, enough to build it alone: its kind and the
    record's files it is made of (a poster's several; for an entry of colouring.yaml or
    hidden.yaml the index, and the picture where the record holds it), with what the index's
    two versions say of an entry."""

    kind: str  # story | notice | poster | photo | colouring | hidden | file
    paths: tuple[str, ...]
    name: str = ""  # a poster's slug; an index entry's file name or path
    effect: str = ""  # an index entry's
    title: str = ""  # a colouring picture's, after the undo
    was: str = ""  # a colouring picture's now, where the undo renames it


@dataclass(frozen=True)
class Plan:
    """A record's items in their page order, as slots. Made from the record and the history's
    copies of its files alone, which never change: each of the page's previews (a request
    each) finds its item here and builds it alone, not the whole list of the record again."""

    record: PublishRecord
    files: dict[str, FileChange]
    slots: tuple[Slot, ...]


def plan_of(record: PublishRecord) -> Plan:
    """The slots of `record`'s items in the order of its files: stories and notices, then
    posters, colouring pictures, photos and hidden items, then any other file."""
    files = {change.path: change for change in record.files}
    slots: list[Slot] = []
    # Each poster's files gathered in one pass: a pass for each poster made the page of a
    # record of thousands of posters take minutes.
    poster_groups: dict[str, list[str]] = {}
    for path in files:
        folder, _, name = path.partition("/")
        if folder == "stories" and name.endswith(".md"):
            slots.append(Slot("story", (path,)))
        elif folder == "notices" and name.endswith((".yaml", ".yml")):
            slots.append(Slot("notice", (path,)))
        elif folder == "posters":
            group = poster_groups.setdefault(name.split(".", 1)[0], [])
            if "." in name:
                group.append(path)
    done: set[str] = set()
    for path, change in files.items():
        folder, _, name = path.partition("/")
        if path in done or folder in ("stories", "notices"):
            continue
        if folder == "posters":
            slug = name.split(".", 1)[0]
            done.update(poster_groups[slug])
            slots.append(Slot("poster", tuple(poster_groups[slug]) or (path,), slug))
        elif path == "colouring/colouring.yaml":
            slots += _colouring_slots(change, files, done)
        elif folder == "images":
            slots.append(Slot("photo", (path,)))
        elif path == "hidden.yaml":
            slots += _hidden_slots(change)
    slots += [Slot("file", (path,)) for path in files  # what no item above took
              if path not in done and path not in ("hidden.yaml", "colouring/colouring.yaml")
              and path.partition("/")[0] not in ("stories", "notices", "posters", "images")]
    return Plan(record, files, tuple(slots))


def _colouring_slots(index: FileChange, files: dict[str, FileChange], done: set[str]
                     ) -> list[Slot]:
    """The colouring screen's pictures the undo brings back, takes away or renames, by the
    centre's colouring.yaml before the record and now."""
    from kiosk.editor.colouring_views import index_entries

    then = {e["file"]: e for e in index_entries(_bytes(index.before)) or ()}
    now = {e["file"]: e for e in index_entries(_bytes(index.after)) or ()}
    slots: list[Slot] = []
    done.add(index.path)
    for name in dict.fromkeys([*then, *now]):
        path = f"colouring/{name}"
        change = files.get(path)
        done.add(path)
        paths = (index.path,) if change is None else (index.path, path)
        title = (then.get(name) or now[name]).get("title", "") or Path(name).stem
        if name in then and name not in now:
            slots.append(Slot("colouring", paths, name, "back", title))
        elif name in now and name not in then:
            slots.append(Slot("colouring", paths, name, "gone", title))
        elif change is not None and change.before is not None:
            slots.append(Slot("colouring", paths, name, "earlier", title))
        elif then[name].get("title") != now[name].get("title"):
            slots.append(Slot("colouring", paths, name, "renamed", title,
                              now[name].get("title", "") or name))
    return slots


def _hidden_slots(change: FileChange) -> list[Slot]:
    """Head office's items the undo hides again on this kiosk, or shows again."""
    then = catalog.hidden_in(_bytes(change.before) or b"", [])
    now = catalog.hidden_in(_bytes(change.after) or b"", [])
    return [Slot("hidden", (change.path,), path, "hidden" if path in then else "shown")
            for path in dict.fromkeys([*then, *now]) if (path in then) != (path in now)]


class Reading:
    """What building a record's items reads once for all of them: the content as the kiosk
    shows it (for a schedule's note) and head office's titles (a hidden item's), the names in
    posters/ now, and the record's stories that name a photo (its heading says whose photo it
    is)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.cfg = config()
        # A photo's path → (title, effect, photo after the undo) of a story naming it.
        self.story_photos: dict[str, tuple[str, str, str]] = {}

    @functools.cached_property
    def content(self) -> Content:
        return content_now()

    @functools.cached_property
    def posters_now(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name in catalog._names(self.cfg.centre / "posters", ""):
            if "." in name:
                found.setdefault(name.split(".", 1)[0], []).append(name)
        return found

    @functools.cached_property
    def shared_titles(self) -> dict[str, str]:
        """Head office's items' titles, by path: one listing for all of the hidden items."""
        return catalog.shared_titles(self.content, self.cfg, lang())


def undo_items(plan: Plan) -> list[UndoItem]:
    """What undoing the plan's record does on the kiosk, thing by thing: the page's items."""
    reading = Reading(plan)
    items = [built(slot, reading) for slot in plan.slots]
    for number, item in enumerate(items):
        item.number = number
    return items


def built(slot: Slot, reading: Reading) -> UndoItem:
    """The item of `slot`. Built alone (for a preview or a picture), a photo's heading does
    not name its story: the page builds the stories before the photos."""
    path, files = slot.paths[0], reading.plan.files
    change, name = files[path], path.partition("/")[2]
    if slot.kind == "story":
        return _story(name.removesuffix(".md"), change, reading)
    if slot.kind == "notice":
        return _notice(name.rsplit(".", 1)[0], change, reading)
    if slot.kind == "poster":
        group = {p: files[p] for p in slot.paths if "." in p.partition("/")[2]}
        return _poster(slot.name, group, reading.posters_now.get(slot.name, []), reading)
    if slot.kind == "photo":
        return _photo(path, change, reading.story_photos.get(path))
    if slot.kind == "colouring":
        return _colouring(slot, files)
    if slot.kind == "hidden":
        title = catalog.shared_title(reading.content, reading.cfg, slot.name, lang(),
                                     reading.shared_titles)
        return _said("hidden", slot.effect, title)
    effect = _effect(change)  # a file no item takes: said as the history says it
    if path.startswith("colouring/") and path.endswith(".png"):  # its index does not name it
        return _said("colouring", effect, Path(path).stem, _bytes(change.before))
    ru = {"back": "вернётся", "earlier": "станет прежним", "gone": "будет удалён"}[effect]
    en = {"back": "comes back", "earlier": "goes back to the earlier one",
          "gone": "is removed"}[effect]
    return UndoItem("file", effect, path, (f"{file_words(path).capitalize()}: {ru}",
                                          f"{file_words(path).capitalize()}: {en}"))


def _drawn(kind: str, effect: str, title: str, slug: str, text: str, reading: Reading,
           **job: object) -> UndoItem:
    """A story, notice or poster the kiosk shows after the undo, drawn by the renderer from
    `text` (its file as the undo leaves it; `job` adds what else it draws from) on the screens
    it shows on, with when its schedule shows it."""
    item = _said(kind, effect, title)
    cfg = reading.cfg
    item.job = {"kind": kind, "shared": str(cfg.content), "centre": str(cfg.centre),
                "slug": slug, "text": text, **job}
    item.note = _schedule_note(text, reading.content) if text else ("", "")
    item.screens = list(POSTER_SCREENS if kind == "poster" else EVERY_SCREEN)
    return item


def _story(slug: str, change: FileChange, reading: Reading) -> UndoItem:
    from kiosk.editor.story_form import PHOTO_PATTERN, from_story_file

    effect = _effect(change)
    before, after = _text(_bytes(change.before)), _text(_bytes(change.after))
    now = from_story_file(slug, after if after else before)
    then = from_story_file(slug, before) if before else now
    title = (then if effect != "gone" else now).title or slug
    for fields in (now, then):
        if fields.photo:
            reading.story_photos.setdefault(fields.photo, (
                title, effect, then.photo if effect != "gone" else ""))
    if effect == "gone":
        return _said("story", effect, title)
    photo, source = then.photo, ""
    if photo and PHOTO_PATTERN.match(photo):
        held = reading.plan.files.get(photo)
        if held is not None:  # the photo of this record: as the undo puts it back
            source = _blob_path(held.before) if held.before else ""
        else:
            found = publisher().regular(photo)
            source = str(found) if found is not None else ""
    return _drawn("story", effect, title, slug, before, reading, photo=photo if source else "",
                  photo_source=source)


def _notice(slug: str, change: FileChange, reading: Reading) -> UndoItem:
    from kiosk.editor.story_form import from_notice_file

    effect = _effect(change)
    before, after = _text(_bytes(change.before)), _text(_bytes(change.after))
    title = shortened(from_notice_file(slug, before if effect != "gone" else after).text, 80) \
        or slug
    if effect == "gone":
        return _said("notice", effect, title)
    return _drawn("notice", effect, title, slug, before, reading)


def _poster(slug: str, group: dict[str, FileChange], now_names: list[str],
            reading: Reading) -> UndoItem:
    """A poster's files as the undo leaves them: those of the record (`group`) as they were
    before it, the others (`now_names` in posters/) as they are now."""
    from kiosk.editor.poster_form import poster_files, poster_name

    after_undo: dict[str, str] = {}  # name in posters/ → where its bytes are
    for name in now_names:
        if f"posters/{name}" not in group:
            found = publisher().regular(f"posters/{name}")
            if found is not None:
                after_undo[name] = str(found)
    for path, change in group.items():
        if change.before is not None:
            after_undo[path.removeprefix("posters/")] = _blob_path(change.before)
    picture, portrait, side = poster_files(slug, sorted(after_undo))
    side_text = ""
    if side:
        with open(after_undo[side], "rb") as file:
            side_text = _text(file.read(MAX_TEXT))
    old_side = next((c for p, c in group.items() if p.endswith((".yaml", ".yml"))), None)
    title = poster_name(side_text) or poster_name(
        _text(_bytes(old_side.after)) if old_side else "") or reading.plan.record.title \
        or slug
    had = bool(poster_files(slug, now_names)[0])  # on the kiosk now
    if not picture:
        return _said("poster", "gone", title)
    files = {name: source for name, source in after_undo.items()
             if name in (picture, portrait)}
    return _drawn("poster", "earlier" if had else "back", title, slug, side_text, reading,
                  files=files)


def _photo(path: str, change: FileChange, story: tuple[str, str, str] | None) -> UndoItem:
    """A photo of the record; `story`: the title, the effect and the photo after the undo of
    a story of the record that names it."""
    effect = _effect(change)
    title, story_effect, story_photo = story or ("", "", "")
    of_story = (f" истории «{title}»", f" of the story “{title}”") if title else ("", "")
    ru, en = HEADINGS["photo", effect]
    words = (ru.format(of_story[0]), en.format(of_story[1]))
    if effect == "gone" and story_effect == "gone":
        words = (f"Фото{of_story[0]} тоже будет удалено", f"The photo{of_story[1]} is removed "
                 "too")
    elif effect == "gone" and title and story_photo:
        words = (f"Новое фото{of_story[0]} будет удалено: у истории снова прежнее фото",
                 f"The new photo{of_story[1]} is removed: the story has its earlier photo again")
    elif effect == "gone" and title:
        words = (f"Фото{of_story[0]} будет удалено: история снова будет без фото",
                 f"The photo{of_story[1]} is removed: the story is without a photo again")
    item = UndoItem("photo", effect, path, words)
    if effect != "gone":
        data = _bytes(change.before)
        item.picture = data if _picture_type(data) else None
    return item




def _colouring(slot: Slot, files: dict[str, FileChange]) -> UndoItem:
    """A colouring picture of colouring.yaml the undo brings back, takes away or renames."""
    if slot.effect == "renamed":
        return UndoItem("colouring", "renamed", slot.title, (
            f"Раскраска «{slot.was}» снова будет называться «{slot.title}»",
            f"The colouring picture “{slot.was}” is called “{slot.title}” again"))
    path = f"colouring/{slot.name}"
    change = files.get(path)
    picture = None
    if slot.effect == "back":
        picture = _bytes(change.before) if change is not None else _centre_file(path)
    elif slot.effect == "earlier" and change is not None:
        picture = _bytes(change.before)
    return _said("colouring", slot.effect, slot.title, picture)


# -- the pages ----------------------------------------------------------------------------------

class Plans:
    """The plans of the records whose pages were opened last, for their previews: a page asks
    for one a story, notice or poster, and a record of 1,000 stories built its 1,000 items for
    each. A record's file is written once and never again; its plan is made again when its
    page is opened, or when the file is not the one the plan was made from (a state folder
    put back from a copy)."""

    KEPT = 4

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plans: dict[str, tuple[tuple[int, int, int], Plan]] = {}

    def get(self, record_id: str, fresh: bool = False) -> Plan | None:
        """`record_id`'s plan (None: no such record), made now where `fresh`."""
        if not RECORD_ID.match(record_id):
            return None
        try:
            info = os.stat(publisher().records / f"{record_id}.json")
        except OSError:
            return None
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        with self._lock:
            kept = self._plans.get(record_id)
        if kept is not None and kept[0] == stamp and not fresh:
            return kept[1]
        record = publisher().record(record_id)
        if record is None:
            return None
        plan = plan_of(record)
        with self._lock:
            self._plans.pop(record_id, None)
            self._plans[record_id] = (stamp, plan)
            while len(self._plans) > self.KEPT:
                del self._plans[next(iter(self._plans))]
        return plan


def plans() -> Plans:
    found = current_app.extensions.get(PLANS_KEY)
    if found is None:
        found = current_app.extensions.setdefault(PLANS_KEY, Plans())
    return cast(Plans, found)


@editor_bp.route("/history/<record_id>/undo", methods=["GET"])
@login_required
def undo_confirm(record_id: str) -> ResponseReturnValue:
    """What the undo of `record_id` will do, and its button; or why it cannot be done."""
    plan = plans().get(record_id, fresh=True)
    if plan is None:
        abort(404)
    record = plan.record
    refused: PublishError | None = publisher().undo_refusal(record_id, record)
    items = [] if refused is not None else undo_items(plan)
    undone = publisher().record(record.undoes) if record.undoes else None
    return render_template("undo_confirm.html", record=record, items=items, undone=undone,
                           refused=t(refused.ru, refused.en) if refused else "")


def _item_or_404(record_id: str, number: int, wanted: Callable[[UndoItem], object]
                 ) -> UndoItem:
    """The page's item `number`, built alone. Not found where its own files are no longer as
    the record left them: changed since, or undone (the page, opened again, says why the
    undo is refused). The record's other files are not read: 1,000 of them for each of
    1,000 previews."""
    plan = plans().get(record_id)
    if plan is None or not 0 <= number < len(plan.slots):
        abort(404)
    slot = plan.slots[number]
    for path in slot.paths:
        try:
            now = publisher().read(path)
        except (ValueError, PublishError):
            abort(404)
        if (None if now is None else hashlib.sha256(now).hexdigest()) != plan.files[path].after:
            abort(404)
    item = built(slot, Reading(plan))
    if not wanted(item):
        abort(404)
    return item


@editor_bp.route("/history/<record_id>/undo/preview/<int:number>")
@login_required
def undo_preview(record_id: str, number: int) -> ResponseReturnValue:
    """The kiosk's screens of what comes back, drawn as the live preview draws a draft:
    JSON as /preview/story answers (the images' addresses, the problems, `shown`)."""
    from kiosk.editor.preview_views import rendered

    item = _item_or_404(record_id, number, lambda item: item.job)
    assert item.job is not None
    return rendered(item.job, [], lambda _problem: "", lambda text, _lang: text,
                    str(item.job.get("slug", "")))


@editor_bp.route("/history/<record_id>/undo/picture/<int:number>")
@login_required
def undo_picture(record_id: str, number: int) -> ResponseReturnValue:
    """A photo or a colouring picture as the undo puts it back."""
    item = _item_or_404(record_id, number, lambda item: item.picture)
    assert item.picture is not None
    response = send_file(io.BytesIO(item.picture), mimetype=_picture_type(item.picture),
                         max_age=600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
