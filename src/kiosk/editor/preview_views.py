"""The live preview of a story being written: a Flask blueprint, `preview_bp`.

`POST /preview/story` takes the story form's fields (as the form posts them, CSRF token
included), makes the very file text Publish would write (kiosk.editor.story_form), and has the
kiosk's own renderer draw it (kiosk.editor.render, a child process): the story's screen and its
attract poster, landscape and portrait, Russian and English. The answer is JSON: the images'
addresses (`GET /preview/image/<token>/<name>.png`, kept in memory for the last few previews)
and the draft's problems, each with the form field that causes it (`PROBLEM_FIELDS`, the one
table of that mapping), so the page shows each problem on its field.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request, session

from kiosk.core.content.problems import Problem
from kiosk.editor.app import editor_config
from kiosk.editor.auth import login_required
from kiosk.editor.render import (
    DEFAULT_IDLE_SECONDS,
    DEFAULT_TIMEOUT,
    Renderer,
    RenderError,
    RenderResult,
)
from kiosk.editor.story_form import (
    PHOTO_PATTERN,
    SLUG_PATTERN,
    StoryFields,
    Unfilled,
    form_problems,
    from_story_file,
    slugify,
    story_lines,
    unused_slug,
)
from kiosk.editor.wording import editor_message

log = logging.getLogger(__name__)
preview_bp = Blueprint("preview", __name__, url_prefix="/preview")

RENDERER_KEY = "kiosk_preview_renderer"
IMAGES_KEY = "kiosk_preview_images"
KEPT_PREVIEWS = 8  # previews whose images stay in memory (8 images of ~0.2 MB each)
MAX_STORY_FILE = 64 * 1024  # an edited story's file read for the lines the form keeps
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz-")

# Where a problem of the draft is shown on the form. In order: a problem of the photo's file
# is the photo's; a code whose field is known whatever its line (its language picks the
# English field); a problem naming a front-matter key (`key`) shows on that key's field; else
# the field that wrote the problem's line (story_form.story_lines). The rest go above the form.
PROBLEM_FIELDS: dict[str, tuple[str, str]] = {
    # code: (field for Russian, field for English)
    "headline_long": ("title", "title_en"),
    "headline_word_wide": ("title", "title_en"),
    "title_too_long_for_card": ("title", "title_en"),
    "text_too_long": ("text", "text_en"),
    "text_too_big": ("text", "text_en"),
    "text_too_many_lines": ("text", "text_en"),
    "text_long_word": ("text", "text_en"),
    "text_too_deep": ("text", "text_en"),
    "empty_text": ("text", "text"),
    "teaser_long": ("teaser", "teaser_en"),
    "teaser_no_room": ("teaser", "teaser_en"),
    "unknown_tag": ("tags", "tags"),
    "notice_urgent_endless": ("schedule", "schedule"),
    "tag_misspelt": ("tags", "tags"),
    "bad_date": ("date", "date"),
}
# Codes whose `key` names where the fix goes (a picture belongs in «photo:») while the mistake
# is on their line (a picture inside the text): shown on the line's field.
BY_LINE = frozenset({"inline_image"})
# Front-matter keys and form fields that the form shows as one group.
GROUPS = {"period": "schedule", "month": "schedule", "show_from": "schedule",
          "show_until": "schedule", "days": "schedule", "weekdays": "schedule",
          "hours": "schedule", "months": "schedule", "body": "text", "body_en": "text_en"}
FORM_FIELDS = frozenset({"title", "title_en", "teaser", "teaser_en", "centre", "centre_en",
                         "date", "tags", "photo", "text", "text_en", "schedule"})

# What the form calls a front-matter key: the loader's messages name the line of a file
# («укажите картинку в поле «photo:»»); on the form they name the field staff see.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Заголовок", "Title"),
    "title_en": ("Заголовок по-английски", "Title in English"),
    "teaser": ("Фраза для заставки", "Line for the slideshow"),
    "teaser_en": ("Фраза для заставки по-английски", "Slideshow line in English"),
    "centre": ("Центр или район", "Centre or district"),
    "centre_en": ("Центр по-английски", "Centre in English"),
    "date": ("Когда это было", "When it happened"),
    "tags": ("Метки", "Tags"),
    "photo": ("Фото", "Photo"),
}


# The notice form's fields, as it names them («text» was shown as typed in the file).
NOTICE_LABELS: dict[str, tuple[str, str]] = {
    "text": ("Объявление", "Notice"),
    "text_en": ("По-английски", "In English"),
    "show_until": ("Когда показывать", "When to show it"),
}


def form_words(text: str, lang: str, labels: Mapping[str, tuple[str, str]] = FIELD_LABELS
               ) -> str:
    """A loader's message with each quoted key («photo:», “teaser”) named as the form names
    its field («Фото», “Line for the slideshow”). The message itself comes worded for a page
    (kiosk.editor.wording.editor_message)."""
    for key, (ru, en) in labels.items():
        for quoted, label in ((f"«{key}:»", f"«{ru}»"), (f"«{key}»", f"«{ru}»"),
                              (f"“{key}:”", f"“{en}”"), (f"“{key}”", f"“{en}”")):
            if quoted in text:
                text = text.replace(quoted, label)
    return text


def field_of(code: str, args: Mapping[str, str], line: int | None, path: str,
             lines: Mapping[int, str], title_en: str = "") -> str:
    """The form field a problem of the draft belongs to ('' for none: shown above the form).
    `path` is relative to the draft's folder; `lines` maps the story file's lines to the form
    fields that wrote them."""
    if path.startswith("images/"):
        return "photo"
    english = (args.get("language") == "en" or args.get("key", "").endswith("_en")
               or (code in ("headline_long", "headline_word_wide") and bool(title_en)
                   and args.get("value") == title_en))
    if code in PROBLEM_FIELDS:
        return PROBLEM_FIELDS[code][english]
    if code in BY_LINE and line is not None and line in lines:
        return GROUPS.get(lines[line], lines[line])
    key = GROUPS.get(args.get("key", ""), args.get("key", ""))
    if key in FORM_FIELDS:
        return key
    if line is not None and line in lines:
        found = lines[line]
        return GROUPS.get(found, found)
    return ""


# -- the renderer and the images ----------------------------------------------------------------

_setup_lock = threading.Lock()


def renderer(app: Flask | None = None) -> Renderer:
    """The app's one Renderer (its child is started by the first preview)."""
    app = app if app is not None else current_app._get_current_object()  # type: ignore[attr-defined]
    with _setup_lock:
        found = app.extensions.get(RENDERER_KEY)
        if found is None:
            extra = editor_config(app).extra
            found = Renderer(
                timeout=float(cast(float, extra.get("preview_timeout", DEFAULT_TIMEOUT))),
                idle_seconds=float(cast(float, extra.get("preview_idle_seconds",
                                                         DEFAULT_IDLE_SECONDS))),
                scratch_root=editor_config(app).editor_state / "preview")
            app.extensions[RENDERER_KEY] = found
            # Stopped with the app (tests make many) and at the latest when Python exits.
            weakref.finalize(app, found.shutdown)
        return cast(Renderer, found)


def _kept_images(app: Flask) -> OrderedDict[str, dict[str, bytes]]:
    with _setup_lock:
        kept = app.extensions.setdefault(IMAGES_KEY, OrderedDict())
    return cast("OrderedDict[str, dict[str, bytes]]", kept)


def _keep(app: Flask, images: dict[str, bytes]) -> str:
    token = secrets.token_urlsafe(16)
    kept = _kept_images(app)
    with _setup_lock:
        kept[token] = images
        while len(kept) > KEPT_PREVIEWS:
            kept.popitem(last=False)
    return token


# -- the draft --------------------------------------------------------------------------------

def _names(folder: Path) -> Iterable[str]:
    try:
        return [name[:-3] for name in os.listdir(folder) if name.endswith(".md")]
    except OSError:
        return []


def draft_fields(form: Any, shared: Path, centre: Path) -> StoryFields:
    """The posted fields; an edited story keeps the lines of its file the form does not show
    (as Publish keeps them); a new one gets the name Publish would give it."""
    fields = StoryFields.from_form(form)
    if fields.slug:
        # Through the publisher's read: a regular file only (never a FIFO that would hang
        # this thread, nor a link out of the centre folder), and bounded.
        from kiosk.editor.publish import Publisher, PublishError, checked_path

        try:
            old = Publisher(centre, centre).read(checked_path(f"stories/{fields.slug}.md"),
                                                 limit=MAX_STORY_FILE)
        except (OSError, ValueError, PublishError):
            old = None
        if old is not None:
            fields = replace(fields, kept=from_story_file(
                fields.slug, old[:MAX_STORY_FILE].decode("utf-8", "replace")).kept)
        return fields
    taken = [*_names(shared / "stories"), *_names(centre / "stories")]
    return replace(fields, slug=unused_slug(slugify(fields.title), taken))


def dated_ahead_of(fields: StoryFields) -> list[Problem]:
    """The story's «Когда это было» after today: a warning
    (kiosk.core.schedules.schedule.dated_ahead); today as the editor's computer has it, the kiosk's
    own."""
    import datetime as dt

    from kiosk.core.schedules.schedule import dated_ahead

    day = dt.date.fromisoformat(fields.date) if fields.date else None
    return dated_ahead([("", day)], dt.date.today())


def schedule_over(text: str, own: list[dict[str, Any]], what: tuple[str, str]
                  ) -> list[dict[str, Any]]:
    """A warning on the schedule's field when it has no day left (all its dates past), told
    while the form is filled, not only after Publish; none while the field has an error
    already. `what`: the item as the object of «покажет» («эту историю», "this story"). Today
    as the editor's computer has it, the kiosk's own."""
    import datetime as dt

    from kiosk.editor.catalog import no_day_left, schedule_in

    if any(p["field"] == "schedule" for p in own):
        return []
    if not no_day_left(schedule_in(text), dt.datetime.now()):
        return []
    return [_problem("schedule", "warning", "no_day_left",
                     f"Дней показа по этому расписанию не осталось: киоск не покажет {what[0]}. "
                     "Измените даты показа.",
                     f"This schedule has no day left: the kiosk will not show {what[1]}. "
                     "Change its dates.")]


# Words naming a day by today: right on one day only. (word, days from the day shown) «Сегодня»
# is the day shown whichever it is: right every day («Сегодня центр работает до 20:00» on
# weekdays), never warned.
RELATIVE_DAYS = {"ru": (("послезавтра", 2), ("завтра", 1), ("вчера", -1)),
                 "en": (("tomorrow", 1), ("yesterday", -1))}


def relative_day(fields: Any) -> list[dict[str, Any]]:
    """A gentle warning on a notice's text that names a day by today («Завтра центр не
    работает») where its schedule does not make that word right: shown on several days, it
    names another date each day; shown on one day, the date it names is said, in case she
    meant another. A schedule kept from the file (before closed days …) is not judged."""
    import datetime as dt
    import re

    from kiosk.core.i18n import format_date

    if fields.period == "keep":
        return []
    one_day = None
    if fields.period == "dates" and fields.show_from and \
            fields.show_from == (fields.show_until or fields.show_from):
        try:
            one_day = dt.date.fromisoformat(fields.show_from)
        except ValueError:
            return []
        if not fields.show_until:
            one_day = None  # «from» alone: every day from then on
    found: list[dict[str, Any]] = []
    for lang, field, text in (("ru", "text", fields.text), ("en", "text_en", fields.text_en)):
        for word, ahead in RELATIVE_DAYS[lang]:
            match = re.search(rf"\b{word}\b", text, re.IGNORECASE)
            if match is None:
                continue
            said = match.group(0).lower()
            if one_day is None:
                ru = (f"Объявление показывается не один день, а «{said}» каждый день — другое "
                      "число. Лучше написать дату, например «31 декабря».")
                en = (f"The notice shows on more than one day, and “{said}” is another date "
                      "each day. Better to write the date, such as “31 December”.")
            else:
                try:
                    day = one_day + dt.timedelta(days=ahead)
                except OverflowError:
                    break  # a day past the calendar's end (9999-12-31): no date to name
                ru = (f"Объявление показывается только {format_date(one_day, 'ru')}, и "
                      f"«{said}» для посетителя — {format_date(day, 'ru')}. Если имелся "
                      "в виду другой день, поправьте даты показа или напишите в тексте число.")
                en = (f"The notice shows only on {format_date(one_day, 'en')}, so “{said}” "
                      f"means {format_date(day, 'en')} to a visitor. If you meant another "
                      "day, change the dates or write the date in the text.")
            found.append(_problem(field, "warning", "relative_day", ru, en))
            break
    return found


def same_title(kind: str, field: str, title: str) -> list[dict[str, Any]]:
    """A warning on a new item's title (`field`) where an item of its `kind` reads the same
    (kiosk.editor.catalog.same_titled), told while the form is filled."""
    from kiosk.editor.catalog import SAME_TITLE, same_titled
    from kiosk.editor.views import content_now

    found = same_titled(content_now(), editor_config(current_app), kind, title)
    if found is None:
        return []
    name, origin = found
    ru, en = SAME_TITLE[kind, origin]
    return [_problem(field, "warning", "same_title", ru.format(name), en.format(name))]


def long_text_words(problem: Mapping[str, Any]) -> tuple[str, str] | None:
    """The form's own (ru, en) for the kiosk's «text takes too many pages», with the one limit
    the form's word counter says too (WORDS_MOST; fewer where a page holds less): the
    kiosk's check says «about 198» (three pages' worth), which staff read beside «up to 120»
    as two rules. None for another problem."""
    from kiosk.core.i18n import counted
    from kiosk.editor.story_form import WORDS_MOST

    args = problem.get("args", {})
    pages, most = str(args.get("pages", "")), str(args.get("most", ""))
    if problem.get("code") != "text_too_long" or not (pages.isdigit() and most.isdigit()):
        return None
    limit = min(WORDS_MOST, int(most))
    portrait = args.get("orientation") == "portrait"
    ru_limit = counted(limit, "ru", ("слова", "слов", "слов"), ("", ""))  # «до 101 слова»
    ru_pages = counted(int(pages), "ru", ("страницу", "страницы", "страниц"), ("", ""))
    en_pages = counted(int(pages), "en", ("", "", ""), ("page", "pages"))
    return (f"Текст займёт {ru_pages} на {'вертикальном' if portrait else 'горизонтальном'} "
            f"экране: посетителю придётся долго листать. Сократите его до {ru_limit}.",
            f"The text takes {en_pages} on {'a portrait' if portrait else 'a landscape'} "
            f"screen, a long read to page through. Shorten it to {limit} words.")


def _publish_hint(kind: str, text: str) -> str:
    """The hint beside «Опубликовать» for the draft's schedule (kiosk.editor.views)."""
    from kiosk.editor.views import content_now, publish_hint

    return publish_hint(kind, text, content_now())


def _lang() -> str:
    return "en" if session.get("lang") == "en" else "ru"


# The loader's errors that a required field is empty or missing (kiosk.core.content.problems):
# with the form's own Unfilled rules, said on the page only once she has left that field or
# pressed Publish (`empty` in the answer; static/preview.js).
EMPTY_CODES = frozenset({"missing_field", "empty_field", "empty_text"})


def _problem(field: str, severity: str, code: str, ru: str, en: str,
             line: int | None = None, empty: bool = False) -> dict[str, Any]:
    return {"field": field, "severity": severity, "code": code, "line": line, "ru": ru,
            "en": en, "message": en if _lang() == "en" else ru, "empty": empty}


def ruled(rules: Mapping[str, tuple[str, str]], place: Callable[[str], str]
          ) -> list[dict[str, Any]]:
    """A form's own rules (field → (Russian, English)) as the preview's errors, each on the
    field `place(field)`; a required field left empty (Unfilled) marked so."""
    return [_problem(place(key), "error", "form", *said, empty=isinstance(said, Unfilled))
            for key, said in rules.items()]


@preview_bp.route("/story", methods=["POST"])
@login_required
def story() -> tuple[Response, int] | Response:
    cfg = editor_config(current_app)
    fields = draft_fields(request.form, cfg.content, cfg.centre)
    text, lines = story_lines(fields)
    own = ruled(form_problems(fields), lambda key: GROUPS.get(key, key))
    own += [_problem("date", "warning", ahead.code,
                     form_words(editor_message(ahead, "ru"), "ru"),
                     form_words(editor_message(ahead, "en"), "en"))
            for ahead in dated_ahead_of(fields)]
    own += schedule_over(text, own, ("эту историю", "this story"))
    if not request.form.get("slug"):
        own += same_title("stories", "title", fields.title)
    photo_source = ""
    if fields.photo and PHOTO_PATTERN.match(fields.photo):
        from kiosk.editor.publish import Publisher

        published = Publisher(cfg.centre, cfg.editor_state).regular(fields.photo)
        if published is not None:
            photo_source = str(published)
        else:  # uploaded, not published yet (kiosk.editor.views.draft_photo)
            from kiosk.editor.views import draft_photo

            draft = draft_photo(fields.photo)
            photo_source = str(draft) if draft is not None else ""
    if not SLUG_PATTERN.match(fields.slug):
        fields = replace(fields, slug="draft")
    # The same story without its schedule: drawn where the draft is not shown for one (dates
    # the wrong way round), so staff see what they are fixing.
    unscheduled, _ = story_lines(replace(fields, period="always", days="all", hours="", kept=tuple(
        row for row in fields.kept if row not in fields.kept_schedule)))
    return rendered({
        "shared": str(cfg.content), "centre": str(cfg.centre), "slug": fields.slug,
        "text": text, "unscheduled": unscheduled, "photo": fields.photo if photo_source else "",
        "photo_source": photo_source}, own, lambda p: field_of(
        str(p.get("code", "")), p.get("args", {}), p.get("line"), str(p.get("path", "")),
        lines, fields.title_en), form_words, fields.slug, reworded=long_text_words,
        hint=_publish_hint("story", text))


@preview_bp.route("/notice", methods=["POST"])
@login_required
def notice() -> tuple[Response, int] | Response:
    """The notice as the kiosk shows it (urgent: the band at the foot of a screen; ordinary:
    its slide of the loop), landscape and portrait, Russian and English."""
    from kiosk.editor.story_form import NoticeFields, notice_lines, notice_problems

    cfg = editor_config(current_app)
    fields = NoticeFields.from_form(request.form)
    slug = fields.slug if SLUG_PATTERN.match(fields.slug) else "draft"
    if slug != "draft":  # an edit: the file's lines the form does not show, as saving keeps
        from kiosk.editor.publish import Publisher, PublishError, checked_path
        from kiosk.editor.story_form import from_notice_file

        try:
            old = Publisher(cfg.centre, cfg.centre).read(checked_path(f"notices/{slug}.yaml"),
                                                         MAX_STORY_FILE)
        except (PublishError, ValueError):
            old = None
        if old is not None:
            before = from_notice_file(slug, old[:MAX_STORY_FILE].decode("utf-8", "replace"))
            kept = before.kept if fields.period == "keep" else tuple(
                row for row in before.kept if row not in before.kept_schedule)
            fields = replace(fields, kept=kept)
    text, lines = notice_lines(fields)
    own = ruled(notice_problems(fields), lambda key: GROUPS.get(key, key))
    own += schedule_over(text, own, ("это объявление", "this notice"))
    own += relative_day(fields)
    if slug == "draft":
        own += same_title("notices", "text", fields.text)
    return rendered({"kind": "notice", "shared": str(cfg.content), "centre": str(cfg.centre),
                     "slug": slug, "text": text}, own, lambda p: field_of(
        str(p.get("code", "")), p.get("args", {}), p.get("line"), str(p.get("path", "")),
        lines), lambda text, language: form_words(text, language, NOTICE_LABELS), slug,
        shown_with_own=False, hint=_publish_hint("notice", text))


def rendered(job: dict[str, Any], own: list[dict[str, Any]],
             field: Callable[[dict[str, Any]], str], words: Callable[[str, str], str],
             slug: str, shown_with_own: bool = True,
             reworded: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None,
             hint: str = "", shown_through: frozenset[str] = frozenset()
             ) -> tuple[Response, int] | Response:
    """`job` drawn by the renderer, answered as every preview answers (`drawn`); 503 with
    why where it could not be, 409 where a newer edit overtook it. `shown_with_own`: the
    kiosk shows the draft even where the form's own rules object (a story's are about the
    form, not the file). `reworded(problem)`: a form's own (ru, en) for a problem whose
    message speaks of files the form does not show, or None. `hint`: what Publish will do,
    for the text beside its button. `shown_through`: fields whose errors of the form's own
    the kiosk shows the item through (it clamps a poster's duration): Publish refuses them,
    but the item is not said not to show."""
    try:
        result = renderer().render(job, key=preview_key())
    except RenderError as exc:
        return jsonify(error=exc.en if _lang() == "en" else exc.ru, ru=exc.ru, en=exc.en,
                       problems=own, hint=hint), 503
    if result is None:
        return jsonify(superseded=True), 409
    return drawn(result, own, field, words, slug, result.shown and (
        shown_with_own or not any(p["severity"] == "error" and p["field"] not in shown_through
                                  for p in own)), reworded, hint)


def preview_key() -> str:
    """The page's preview key (a newer preview from the same page supersedes an older)."""
    return "".join(c for c in request.headers.get("X-Preview-Key", "")[:40]
                   if c.isalnum()) or (request.remote_addr or "")


def drawn(result: RenderResult, own: list[dict[str, Any]],
          field: Callable[[dict[str, Any]], str], words: Callable[[str, str], str],
          slug: str, shown: bool,
          reworded: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None,
          hint: str = "") -> Response:
    """A preview's JSON answer (/preview/story, /preview/poster): the images' addresses and
    the form's own problems (`own`), then the renderer's, each on its form's `field`, worded
    for the form by `words(text, lang)`."""
    token = _keep(current_app._get_current_object(), result.images)  # type: ignore[attr-defined]
    images = [{"name": item["name"], "orientation": item.get("orientation"),
               "lang": item.get("lang"), "screen": item.get("screen"),
               "width": item.get("width"), "height": item.get("height"),
               "url": f"{request.script_root}/preview/image/{token}/{item['name']}.png"}
              for item in result.described]
    def said(p: dict[str, Any]) -> tuple[str, str]:
        own_words = reworded(p) if reworded is not None else None
        return own_words or (words(str(p.get("ru", "")), "ru"), words(str(p.get("en", "")), "en"))

    # A text too long for both screens is one thing to fix: told once on its field, for the
    # screen it takes most pages of.
    def pages(p: dict[str, Any]) -> int:
        counted = str(p.get("args", {}).get("pages", ""))
        return int(counted) if counted.isdigit() else 0

    longest: dict[str, dict[str, Any]] = {}
    for p in result.problems:
        if p.get("code") == "text_too_long":
            known = longest.get(field(p))
            if known is None or pages(p) > pages(known):
                longest[field(p)] = p
    found = [_problem(field(p), str(p.get("severity", "")), str(p.get("code", "")),
                      *said(p), p.get("line"), empty=p.get("severity") == "error"
                      and p.get("code") in EMPTY_CODES)
             for p in result.problems if p.get("code") != "skipped"
             and (p.get("code") != "text_too_long" or longest.get(field(p)) is p)]
    # A warning of the form's own gives way to the loader's error on its field.
    wrong = {problem["field"] for problem in found if problem["severity"] == "error"}
    own = [problem for problem in own
           if problem["severity"] == "error" or problem["field"] not in wrong]
    # A field the form's own rules name has their message, worded for the form; the
    # loader's about the same field speaks of lines in a file («add a line title: …»).
    ruled = {problem["field"] for problem in own}
    found = [problem for problem in found if problem["field"] not in ruled]
    return jsonify(images=images, problems=own + found, shown=shown, slug=slug,
                   timings=result.timings, hint=hint)


@preview_bp.route("/warm", methods=["POST"])
@login_required
def warm() -> tuple[str, int]:
    """The story form was opened: the renderer starts now, while staff write the title."""
    renderer().warm_up(str(editor_config(current_app).content))
    return "", 204


@preview_bp.route("/image/<token>/<name>.png")
@login_required
def image(token: str, name: str) -> Response:
    images = _kept_images(current_app._get_current_object()).get(token)  # type: ignore[attr-defined]
    if images is None or name not in images or not set(name) <= NAME_CHARS:
        abort(404)
    response = Response(images[name], mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
