"""The poster form: a centre's own full-screen posters (kiosk.editor.poster_form), on the
editor's blueprint (`editor.new_poster`, `editor.edit_poster`, `editor.save_poster`,
`editor.upload_poster_picture`, `editor.delete_poster`, `editor.poster_picture`,
`editor.preview_poster`). Imported by kiosk.editor.views, so its routes are the blueprint's
before the app registers it.

A picture is uploaded on its own (drag and drop or the file picker), prepared by
kiosk.editor.photos at the poster size and kept as a draft in the editor's state folder until
the poster is published; Publish writes the picture(s) and the side file in one record of the
history (undo takes them all back). The live preview draws the poster as the attract loop
shows it, landscape and portrait, in the render child (kiosk.editor.render_worker).
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import (
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue

if TYPE_CHECKING:
    from kiosk.editor.photos import PreparedPhoto

from kiosk.core.content.loader import DURATION_RANGE
from kiosk.core.content.problems import Problem
from kiosk.editor import catalog
from kiosk.editor.poster_form import (
    RASTER_SUFFIXES,
    PosterFields,
    from_poster_file,
    poster_files,
    poster_lines,
    poster_problems,
)
from kiosk.editor.publish import PublishConflict, PublishError, checked_path
from kiosk.editor.story_form import MONTHS_RU, SLUG_PATTERN, slugify, unused_slug
from kiosk.editor.views import (
    MONTHS_EN,
    SAME_NAME,
    config,
    content_now,
    current_user,
    done,
    draft_answer,
    draft_photo,
    editor_bp,
    lang,
    login_required,
    message,
    publish_hint,
    published_words,
    publisher,
    save_draft_photo,
    t,
    uploaded,
)

VIDEO_MAGIC = (b"\x1aE\xdf\xa3",)  # WebM (Matroska); sniff() names an MP4 "mp4"
# The loader's words for a side file's keys, as the form names its fields.
POSTER_LABELS = {"«duration:»": "«Время показа»", "«fit:»": "«Как вписать в экран»",
                 "“duration:”": "“Time on screen”", "“fit:”": "“How to fit the screen”",
                 "«duration»": "«Время показа»", "“duration”": "“Time on screen”"}
WHICH = ("landscape", "portrait")


# -- the centre's poster as it is -------------------------------------------------------------

def _folder_names() -> list[str]:
    return catalog._names(config().centre / "posters", "")


def _existing(slug: str) -> tuple[str, str, str]:
    """The centre poster `slug`'s picture, portrait picture and side file (names in posters/,
    "" for each missing)."""
    return poster_files(slug, _folder_names())


def _read(name: str) -> bytes | None:
    try:
        return publisher().read(checked_path(f"posters/{name}")) if name else None
    except ValueError:  # a name the editor would not write (capitals …): left alone
        return None


def _fingerprint(slug: str) -> str:
    """What the poster's files hold now: a form opened before a colleague's change is told."""
    existing = _existing(slug)
    return _digest(existing, _held(existing))


def _held(existing: tuple[str, str, str]) -> dict[str, bytes | None]:
    """What each of the poster's files holds now, by its name in posters/."""
    return {name: _read(name) for name in existing if name}


def _digest(existing: tuple[str, str, str], held: dict[str, bytes | None]) -> str:
    digest = hashlib.sha256()
    for name in existing:
        data = held.get(name) if name else None
        digest.update(name.encode() + b"\0" + hashlib.sha256(data or b"").digest())
    return digest.hexdigest()


def _centre_poster_or_404(slug: str) -> tuple[str, str, str]:
    found = _existing(slug) if SLUG_PATTERN.match(slug) else ("", "", "")
    if not found[0]:
        abort(404)
    return found


# -- the form ---------------------------------------------------------------------------------

@editor_bp.route("/posters/new")
@login_required
def new_poster() -> ResponseReturnValue:
    return _poster_form(PosterFields(), {}, [])


@editor_bp.route("/posters/<slug>/edit")
@login_required
def edit_poster(slug: str) -> ResponseReturnValue:
    side = _centre_poster_or_404(slug)[2]
    text = (_read(side) or b"").decode("utf-8", "replace")
    fields = from_poster_file(slug, text)
    g.base = _fingerprint(slug)
    _, problems, lines = _check(fields)
    by_field, general = _place(problems, lines)
    # The form's own rules as Publish and the live preview apply them: a duration the kiosk
    # clamps (a warning of the loader's) is one Publish refuses, so the page opens saying so
    # in red, not «опубликовать можно» above a field the preview then marks red.
    for key, said in poster_problems(fields, has_picture=True).items():
        by_field[key] = [(t(*said), True)]
    return _poster_form(fields, by_field, general)


def _poster_form(fields: PosterFields, by_field: dict[str, list[tuple[str, bool]]],
                 general: list[tuple[str, bool]], status: int = 200) -> ResponseReturnValue:
    picture, portrait, _ = _existing(fields.slug) if fields.slug else ("", "", "")
    months = MONTHS_RU if lang() == "ru" else MONTHS_EN
    body = render_template(
        "poster_form.html", fields=fields, problems=by_field, general=general,
        publish_hint=publish_hint("poster", poster_lines(fields)[0], content_now()),
        is_new=not fields.slug, picture_url=_thumb(fields.picture, fields.slug, picture,
                                                   "landscape"),
        portrait_url="" if fields.remove_portrait else _thumb(fields.portrait, fields.slug,
                                                              portrait, "portrait"),
        existing_picture=picture, existing_portrait=portrait, low=DURATION_RANGE[0],
        high=DURATION_RANGE[1], months=[(n + 1, m.capitalize()) for n, m in enumerate(months)],
        has_errors=any(is_error for items in by_field.values() for _, is_error in items))
    return (body, status) if status != 200 else body


def _thumb(draft: str, slug: str, existing: str, which: str) -> str:
    if draft:
        return url_for("editor.centre_image", name=draft.removeprefix("images/"))
    if existing.lower().endswith(RASTER_SUFFIXES):
        return url_for("editor.poster_picture", slug=slug, which=which)
    return ""


@editor_bp.route("/posters/<slug>/picture/<which>")
@login_required
def poster_picture(slug: str, which: str) -> ResponseReturnValue:
    """A centre poster's picture (JPEG or PNG), for the form's thumbnail."""
    if which not in WHICH:
        abort(404)
    name = _centre_poster_or_404(slug)[WHICH.index(which)]
    data = _read(name) if name.lower().endswith(RASTER_SUFFIXES) else None
    if data is None:
        abort(404)
    mimetype = "image/png" if name.lower().endswith(".png") else "image/jpeg"
    return send_file(io.BytesIO(data), mimetype=mimetype, max_age=60)


# -- pictures ---------------------------------------------------------------------------------

class Refused(Exception):
    def __init__(self, ru: str, en: str) -> None:
        super().__init__(en)
        self.ru, self.en = ru, en


def _prepared(data: bytes, client_name: str) -> tuple[str, PreparedPhoto]:
    """An uploaded poster picture saved as a draft: its name and the prepared photo.
    Refused (in Russian and English) when it is not made into one."""
    from kiosk.core.content.imagesafe import sniff

    # Pillow comes with the first picture, not with the editor's start (its idle memory).
    from kiosk.editor.photos import POSTER_LONG_SIDE, PhotoRejected, prepare_photo

    kind = sniff(data[:4096])
    suffix = Path(client_name.lower()).suffix
    if kind == "svg" or suffix == ".svg":
        raise Refused(
            f"«{client_name}» — рисунок SVG. Здесь принимаются фотографии и картинки JPEG, PNG, "
            "HEIC или WebP. Плакат в SVG головной офис может положить прямо в папку posters/; "
            "или сохраните его как PNG (в редакторе рисунка: «Экспорт» → PNG) и загрузите.",
            f"“{client_name}” is an SVG drawing. This form takes JPEG, PNG, HEIC or WebP "
            "pictures. Head office can place an SVG poster in the posters/ folder directly; or "
            "export it as PNG from your drawing program and upload that.")
    if kind == "mp4" or data[:4] in VIDEO_MAGIC or suffix in (".mp4", ".webm", ".mov"):
        raise Refused(
            f"«{client_name}» — видео. Эта форма принимает только картинки (JPEG, PNG, HEIC, "
            "WebP). Видеоролик в заставку головной офис кладёт в папку posters/ сам (MP4 или "
            "WebM, см. раздел «Видео» в руководстве).",
            f"“{client_name}” is a video. This form takes pictures only (JPEG, PNG, HEIC, "
            "WebP). Head office places video clips in the posters/ folder itself (MP4 or "
            "WebM, see “Video” in the guide).")
    try:
        prepared = prepare_photo(data, client_name, POSTER_LONG_SIDE)
    except PhotoRejected as exc:
        raise Refused(exc.message("ru"), exc.message("en")) from None
    name = f"images/poster-{secrets.token_hex(6)}.jpg"
    save_draft_photo(name, prepared.jpeg)  # published with the poster, in the same record
    return name, prepared


@editor_bp.route("/posters/upload", methods=["POST"])
@login_required
def upload_poster_picture() -> ResponseReturnValue:
    """A poster's picture: JSON {picture, url, width, height} or {error}."""
    upload = uploaded("picture")
    if upload is None:
        return jsonify(error=t("Выберите файл картинки.", "Choose a picture file.")), 400
    data, client_name = upload
    try:
        name, found = _prepared(data, client_name or "плакат")
    except Refused as exc:
        return jsonify(error=t(exc.ru, exc.en)), 400
    return draft_answer("picture", name, found.width, found.height)


def _files_from_form(fields: PosterFields) -> tuple[PosterFields, dict[str, tuple[str, str]]]:
    """Pictures chosen in the form's file fields without JavaScript (with it, each was
    uploaded on its own): prepared and saved as /posters/upload does."""
    refused: dict[str, tuple[str, str]] = {}
    for key in ("picture", "portrait"):
        upload = uploaded(f"{key}_file")
        if upload is None or not upload[1] or not upload[0]:
            continue
        data, client_name = upload
        try:
            name, _ = _prepared(data, client_name)
        except Refused as exc:
            refused[key] = (exc.ru, exc.en)
            continue
        fields = replace(fields, picture=name) if key == "picture" else \
            replace(fields, portrait=name)
    return fields, refused


# -- the loader's judgement -------------------------------------------------------------------

def _sources(fields: PosterFields) -> dict[str, Path]:
    """The poster's pictures as they would be published: file name in posters/ → where the
    bytes are now (a draft, or the centre's file kept)."""
    picture, portrait, _ = _existing(fields.slug) if fields.slug else ("", "", "")
    found: dict[str, Path] = {}
    for draft, existing, name in ((fields.picture, picture, f"{fields.slug}.jpg"),
                                  (fields.portrait, portrait, f"{fields.slug}.portrait.jpg")):
        if draft:
            path = draft_photo(draft)
            if path is not None:
                found[name] = path
        elif existing and not (existing == portrait and fields.remove_portrait):
            published = publisher().regular(f"posters/{existing}")
            if published is not None:
                found[existing] = published
    return found


def _check(fields: PosterFields, content: Any = None
           ) -> tuple[dict[str, Path], list[Problem], dict[int, str]]:
    cfg = config()
    text, lines = poster_lines(fields)
    sources = _sources(fields)
    settings = (content or content_now()).settings
    return sources, catalog.check_poster(cfg, settings, fields.slug, text, sources), lines


def poster_field(code: str, args: dict[str, str], line: int | None, path: str, slug: str,
                 lines: dict[int, str]) -> str:
    """The poster form's field of a problem the loader found at `path` (relative to the
    folder that holds posters/): a picture's, the portrait's, or a line of the side file."""
    from kiosk.editor.preview_views import GROUPS

    name = path.removeprefix("posters/")
    if code == "poster_side_file_alone":  # the side file written, its picture not chosen yet
        return "picture"
    if name.startswith(f"{slug}.portrait."):
        return "portrait"
    if name.endswith((".yaml", ".yml")):
        key = args.get("key", "")
        if key in ("duration", "fit"):
            return key
        if key in GROUPS:
            return GROUPS[key]
        found = lines.get(line or 0, "")
        return GROUPS.get(found, found)
    return "picture" if name.startswith(f"{slug}.") else ""


# The loader's advice on a poster whose shape is not the screen's speaks of files to rename
# and kiosk.yaml (head office's folders); on the form the same advice is about its two fields.
FORM_MESSAGES: dict[str, tuple[str, str]] = {
    # The loader names the side file the form writes and says to rename it: on the form, the
    # picture is what is missing.
    "poster_side_file_alone": (
        "Добавьте картинку плаката: без неё плакату нечего показывать.",
        "Add the poster's picture: without it the poster has nothing to show."),
    "poster_portrait_on_landscape": (
        "Картинка вертикальная ({size}), а экран киоска горизонтальный: по бокам останутся "
        "широкие поля. Загрузите её в поле «Для вертикального экрана», а сюда\u00a0— "
        "горизонтальный вариант плаката: весь экран над нижней полосой, 1920×904.",
        "The picture is portrait ({size}), and the kiosk's screen is landscape: wide margins "
        "will be left at its sides. Upload it under “For a portrait screen”, and here a "
        "landscape version of the poster: the whole screen above the bottom band, 1920×904."),
    "poster_portrait_on_landscape_cut": (
        "Картинка вертикальная ({size}), а экран киоска горизонтальный, и «На весь экран» "
        "увеличит её до ширины экрана: видна будет только середина, около {share}\u00a0% высоты. "
        "Выберите «Целиком» или загрузите её в поле «Для вертикального экрана», а сюда\u00a0— "
        "горизонтальный вариант, 1920×904.",
        "The picture is portrait ({size}), and the kiosk's screen is landscape, so “Fill the "
        "screen” enlarges it to the screen's width: only its middle shows, about {share}% of "
        "its height. Choose “Whole”, or upload it under “For a portrait screen” and here a "
        "landscape version, 1920×904."),
    "poster_landscape_on_portrait": (
        "Картинка горизонтальная ({size}), а экран киоска вертикальный: сверху и снизу "
        "останутся широкие поля. Загрузите вертикальный вариант плаката (1080×1620) в поле "
        "«Для вертикального экрана».",
        "The picture is landscape ({size}), and the kiosk's screen is portrait: wide margins "
        "will be left above and below it. Upload a portrait version of the poster (1080×1620) "
        "under “For a portrait screen”."),
    "poster_landscape_on_portrait_cut": (
        "Картинка горизонтальная ({size}), а экран киоска вертикальный, и «На весь экран» "
        "увеличит её до высоты экрана: видна будет только середина, около {share}\u00a0% ширины, "
        "а края с текстом обрежутся. Выберите «Целиком» или загрузите вертикальный вариант "
        "(1080×1620) в поле «Для вертикального экрана».",
        "The picture is landscape ({size}), and the kiosk's screen is portrait, so “Fill the "
        "screen” enlarges it to the screen's height: only its middle shows, about {share}% of "
        "its width, the sides cut off with any words on them. Choose “Whole”, or upload a "
        "portrait version (1080×1620) under “For a portrait screen”."),
}


def form_message(code: str, args: Mapping[str, object]) -> tuple[str, str] | None:
    """The form's own (ru, en) for a problem `FORM_MESSAGES` rewords, filled in; None for
    another (or one whose arguments do not fill it: the loader's message then)."""
    found = FORM_MESSAGES.get(code)
    if found is None:
        return None
    values = {key: str(value) for key, value in args.items()}
    try:
        return found[0].format(**values), found[1].format(**values)
    except (KeyError, IndexError, ValueError):
        return None


def poster_words(text: str) -> str:
    for quoted, label in POSTER_LABELS.items():
        text = text.replace(quoted, label)
    return text


def _place(problems: list[Problem], lines: dict[int, str], slug: str = ""
           ) -> tuple[dict[str, list[tuple[str, bool]]], list[tuple[str, bool]]]:
    from kiosk.editor.preview_views import form_words

    centre = config().centre
    by_field: dict[str, list[tuple[str, bool]]] = {}
    general: list[tuple[str, bool]] = []
    for problem in problems:
        if problem.is_consequence or problem.code == "skipped":
            continue
        path = Path(problem.path)
        relative = str(path.relative_to(centre)) if path.is_relative_to(centre) else ""
        place = poster_field(problem.code, {k: str(v) for k, v in problem.args.items()},
                             problem.line, relative, slug or path.name.split(".")[0], lines)
        own_words = form_message(problem.code, problem.args)
        item = (own_words[lang() == "en"] if own_words else
                poster_words(form_words(message(problem), lang())), problem.is_error)
        (by_field.setdefault(place, []) if place else general).append(item)
    return by_field, general


# -- publishing -------------------------------------------------------------------------------

POSTER_CHANGED = (
    "Этот плакат уже изменили после того, как вы открыли его. Откройте его заново из списка "
    "и внесите правку ещё раз.", "This poster was changed after you opened it. Open it again "
    "from the list and make your change once more.")


@editor_bp.route("/posters/save", methods=["POST"])
@login_required
def save_poster() -> ResponseReturnValue:
    cfg = config()
    fields = PosterFields.from_form(request.form)
    editing = request.form.get("slug", "")
    existing = ("", "", "")
    held: dict[str, bytes | None] = {}
    if editing:
        existing = _centre_poster_or_404(editing)
        held = _held(existing)
        if request.form.get("base", "") not in ("", _digest(existing, held)):
            return _poster_form(replace(fields, slug=editing), {}, [(t(*POSTER_CHANGED), True)],
                                409)
        before = from_poster_file(editing, (_read(existing[2]) or b"").decode("utf-8",
                                                                              "replace"))
        kept = before.kept if fields.period == "keep" else tuple(
            row for row in before.kept if row not in before.kept_schedule)
        fields = replace(fields, slug=editing, kept=kept)
    fields, refused = _files_from_form(fields)
    has_picture = bool(fields.picture and draft_photo(fields.picture)) or bool(existing[0])
    own = poster_problems(fields, has_picture)
    own.update(refused)
    if own:
        return _poster_form(fields, {k: [(t(ru, en), True)] for k, (ru, en) in own.items()},
                            [], 422)
    slug = fields.slug or unused_slug(slugify(fields.name), catalog.taken_poster_names(cfg))
    fields = replace(fields, slug=slug)
    content = content_now()
    sources, problems, lines = _check(fields, content)
    by_field, general = _place(problems, lines, slug)
    if any(p.is_error for p in problems if p.code != "skipped"):
        return _poster_form(replace(fields, slug=editing), by_field, general, 422)
    changes = _changes(fields, sources, existing)
    title = fields.name or slug
    # Each file over what it held when the form's base was checked, a new one over nothing:
    # a colleague's save in the same moment is not silently written over.
    expect = {path: held.get(path.removeprefix("posters/")) for path in changes}
    try:
        record = publisher().publish(changes, current_user(), "poster", title, expect=expect)
    except PublishConflict:
        said = POSTER_CHANGED if editing else SAME_NAME
        return _poster_form(replace(fields, slug=editing), by_field, [(t(*said), True)], 409)
    except PublishError as exc:
        return _poster_form(replace(fields, slug=editing), by_field,
                            [(t(exc.ru, exc.en), True)], 409)
    for draft in (fields.picture, fields.portrait):
        path = draft_photo(draft) if draft else None
        if path is not None:
            path.unlink(missing_ok=True)
    flash(published_words("poster", title, poster_lines(fields)[0], content),
          done(record.id, "posters", slug))
    for warning in ([text for items in by_field.values() for text, _ in items] +
                    [text for text, _ in general])[:10]:
        flash(warning, "warning")
    return redirect(url_for("editor.listing"))


def _changes(fields: PosterFields, sources: dict[str, Path],
             existing: tuple[str, str, str]) -> dict[str, bytes | None]:
    """The files to write (pictures first, then the side file) and to remove (a picture or
    side file of the poster under another name than the one written now)."""
    slug = fields.slug
    changes: dict[str, bytes | None] = {}
    written: set[str] = set()
    for draft, name in ((fields.picture, f"{slug}.jpg"),
                        (fields.portrait, f"{slug}.portrait.jpg")):
        if draft and name in sources:
            changes[f"posters/{name}"] = sources[name].read_bytes()
            written.add(name)
    text, _ = poster_lines(fields)
    if text:
        changes[f"posters/{slug}.yaml"] = text.encode()
        written.add(f"{slug}.yaml")
    picture, portrait, side = existing
    replaced = {picture: bool(fields.picture), portrait: bool(fields.portrait) or
                fields.remove_portrait, side: True}
    for name, gone in replaced.items():
        if name and gone and name not in written:
            changes[f"posters/{checked_path_name(name)}"] = None
    return changes


def checked_path_name(name: str) -> str:
    """A file of the poster the editor may remove (its own kind of name), else PublishError."""
    try:
        return checked_path(f"posters/{name}").removeprefix("posters/")
    except ValueError:
        raise PublishError(f"Файл «{name}» в папке центра редактор не меняет: уберите или "
                           "переименуйте его сами (строчные латинские буквы).",
                           f"The editor does not change the file “{name}” in the centre's "
                           "folder: remove or rename it yourself (lower-case Latin letters)."
                           ) from None


@editor_bp.route("/posters/<slug>/delete", methods=["POST"])
@login_required
def delete_poster(slug: str) -> ResponseReturnValue:
    picture, portrait, side = _centre_poster_or_404(slug)
    changes: dict[str, bytes | None] = {f"posters/{checked_path_name(name)}": None
                                        for name in (side, portrait, picture) if name}
    record = publisher().publish(changes, current_user(), "delete", slug)
    flash(t(f"Плакат «{slug}» убран с киоска.", f"The poster “{slug}” has been removed."),
          "done:" + record.id)
    return redirect(url_for("editor.listing"))


# -- the live preview -------------------------------------------------------------------------

@editor_bp.route("/preview/poster", methods=["POST"])
@login_required
def preview_poster() -> ResponseReturnValue:
    """The poster as the attract loop shows it, landscape and portrait, drawn by the kiosk's
    renderer in its child process; JSON as /preview/story answers."""
    from kiosk.editor.preview_views import form_words, rendered, ruled, schedule_over

    cfg = config()
    fields = PosterFields.from_form(request.form)
    given = fields.slug  # "" for a new poster (its name is then a rule of the form)
    if fields.slug:
        picture, _, side = _existing(fields.slug)
        before = from_poster_file(fields.slug, (_read(side) or b"").decode("utf-8", "replace"))
        kept = before.kept if fields.period == "keep" else tuple(
            row for row in before.kept if row not in before.kept_schedule)
        fields = replace(fields, kept=kept)
        has_picture = bool(picture)
    else:
        fields = replace(fields, slug=unused_slug(slugify(fields.name or "plakat"),
                                                  catalog.taken_poster_names(cfg)))
        has_picture = False
    text, lines = poster_lines(fields)
    sources = _sources(fields)
    has_picture = has_picture or bool(sources)
    own = ruled(poster_problems(replace(fields, slug=given), has_picture),
                lambda key: key if key != "show_from" else "schedule")
    own += schedule_over(text, own, ("этот плакат", "this poster"))
    slug = fields.slug
    hint = publish_hint("poster", text, content_now())
    return rendered({
        "kind": "poster", "shared": str(cfg.content), "centre": str(cfg.centre),
        "slug": fields.slug, "text": text,
        "files": {name: str(path) for name, path in sources.items()}}, own, lambda p: poster_field(
        str(p.get("code", "")), dict(p.get("args", {})), p.get("line"), str(p.get("path", "")),
        slug, lines), lambda text, language: poster_words(form_words(text, language)), slug,
        shown_with_own=False, reworded=lambda p: form_message(str(p.get("code", "")),
                                                             dict(p.get("args", {}))), hint=hint,
        shown_through=frozenset({"duration"}))
