"""The editor's pages: the listing of everything the kiosk shows, the story form, publishing,
the history with undo, hiding a shared item on this kiosk. A Flask blueprint, `editor_bp`.

Every page needs sign-in (kiosk.editor.auth.login_required), every POST a CSRF token (auth's
CSRFProtect). Names of files are made here (from the title, or at random for a photo), never
taken from the client: what a client sends as a name is only compared with names read from
the folders.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from kiosk.core.content.model import Content
from kiosk.core.content.problems import Language, Problem, Severity
from kiosk.core.i18n import counted, grouped
from kiosk.core.paths import package_folder
from kiosk.editor import catalog
from kiosk.editor.app import READER_KEY, editor_config
from kiosk.editor.config import MAX_UPLOAD_BYTES, EditorConfig
from kiosk.editor.publish import Plan, PublishConflict, Publisher, PublishError
from kiosk.editor.story_form import (
    LIMITS,
    MONTHS_RU,
    NOTICE_LIMIT,
    SLUG_PATTERN,
    WORDS_LEAST,
    WORDS_MOST,
    NoticeFields,
    StoryFields,
    form_problems,
    from_notice_file,
    from_story_file,
    notice_lines,
    notice_problems,
    slugify,
    story_lines,
    unused_slug,
)
from kiosk.editor.wording import editor_message, megabytes

log = logging.getLogger(__name__)
editor_bp = Blueprint("editor", __name__)
F = TypeVar("F", bound=Callable[..., Any])
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}\.jpg$")
FONT_NAMES = ("PTSans-Regular.ttf", "PTSans-Bold.ttf")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


# -- sign-in: kiosk.editor.auth when it is there ----------------------------------------------

def login_required(view: F) -> F:
    """auth.login_required around `view`; without auth, only a test app (LOGIN_DISABLED)
    serves the page, anything else is refused (fail closed)."""
    auth = _auth()
    guarded: Callable[..., Any] | None = auth.login_required(view) if auth else None

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_app.config.get("LOGIN_DISABLED"):
            return view(*args, **kwargs)
        if guarded is None:
            abort(403)
        return guarded(*args, **kwargs)
    return cast(F, wrapper)


def current_user() -> str:
    if current_app.config.get("LOGIN_DISABLED"):
        return "test"
    auth = _auth()
    return str(auth.current_user()) if auth else "?"


def _auth() -> Any:
    """kiosk.editor.auth, or None while it is not written."""
    try:
        return importlib.import_module("kiosk.editor.auth")
    except ModuleNotFoundError as exc:
        if exc.name != "kiosk.editor.auth":
            raise
        return None


# -- language ---------------------------------------------------------------------------------

def lang() -> Language:
    chosen = session.get("lang")
    return "en" if chosen == "en" else "ru"


def t(ru: str, en: str) -> str:
    return en if lang() == "en" else ru


@editor_bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"t": t, "lang": lang(), "limits": LIMITS, "plural": plural,
            "words_least": WORDS_LEAST, "words_most": WORDS_MOST, "file_words": file_words,
            "kind_words": kind_words, "action_words": action_words, "undo_now": undo_now,
            "local_when": local_when,
            "endpoint_exists": lambda name: name in current_app.view_functions,
            "upload_texts": upload_texts, "upload_mb": upload_mb}


def local_when(iso: str) -> str:
    """A history time (ISO 8601, UTC) as staff read it on a page without JavaScript: on the
    centre's clock (kiosk.yaml's timezone, as the schedules are read), in the words editor.js
    writes for the browser's clock («7 декабря 2026 г. в 15:44», "7 December 2026 at 15:44")."""
    import datetime as dt

    from kiosk.core.i18n import format_date

    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    zone = g.get("centre_zone")
    if zone is None:  # one content read for a page of 200 times
        zone = g.centre_zone = content_now().settings.zone
    local = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(zone)
    day, clock = format_date(local.date(), lang()), f"{local:%H:%M}"
    return t(f"{day} г. в {clock}", f"{day} at {clock}")


def upload_mb() -> str:
    return megabytes(MAX_UPLOAD_BYTES)


def refused_large() -> str:
    return t(f"Файл слишком большой: редактор принимает файлы до {upload_mb()} МБ. Уменьшите "
             "его и загрузите снова.",
             f"The file is too large: the editor takes files up to {upload_mb()} MB. Make it "
             "smaller and upload it again.")


def upload_texts() -> dict[str, str]:
    """What a page's scripts say when an upload cannot go (base.html's data- attributes): a
    file over the limit, checked before it is sent (NAME and SIZE filled in there), a refusal
    that is not the editor's own answer, and no answer at all."""
    too_large = Problem("", None, Severity.ERROR, "photo_file_too_big",
                        {"value": "NAME", "size": "SIZE", "most": upload_mb()})
    return {
        "max-upload": str(MAX_UPLOAD_BYTES),
        "too-large": editor_message(too_large, lang()),
        "refused-large": refused_large(),
        "upload-failed": t("Файл не загрузился: редактор ответил ошибкой ({status}). Попробуйте "
                           "ещё раз; если это повторяется, сообщите в ИТ-службу.",
                           "The file did not upload: the editor answered with an error "
                           "({status}). Try again; if it keeps happening, tell IT."),
        "offline": t("Нет связи с редактором: проверьте, что компьютер подключён к сети, и "
                     "попробуйте ещё раз.",
                     "No connection to the editor: check that the computer is on the network, "
                     "and try again."),
    }


# What a centre file is, in staff's words (the history's «файлы», the hidden items): staff
# know stories and photos, not folders and file names.
FILE_KINDS = {"stories": ("история", "story"), "images": ("фото", "photo"),
              "notices": ("объявление", "notice"), "posters": ("плакат", "poster"),
              "colouring": ("раскраска", "colouring picture"),
              "anniversary": ("страница юбилейной истории", "anniversary page")}


def kind_words(path: str) -> str:
    """«история» for «stories/before-closing.md»; "" for a file of no kind staff know."""
    ru, en = FILE_KINDS.get(path.split("/", 1)[0] if "/" in path else "", ("", ""))
    return t(ru, en)


def file_words(path: str) -> str:
    """A file of a publish as staff would name it: «текст истории», «фото», «картинка плаката
    для вертикального экрана», «список скрытых материалов»; else its name without folder and
    extension."""
    name = path.rsplit("/", 1)[-1]
    kind = path.split("/", 1)[0] if "/" in path else ""
    if path == "hidden.yaml":
        return t("список скрытых материалов", "the list of hidden items")
    if kind == "stories":
        return t("текст истории", "story text")
    if kind == "posters" and name.endswith(".yaml"):
        return t("описание плаката", "poster details")
    if kind == "posters":
        return t("картинка плаката для вертикального экрана", "poster picture for a portrait "
                 "screen") if ".portrait." in name else t("картинка плаката", "poster picture")
    if kind == "colouring" and name.endswith((".yaml", ".yml")):
        return t("описание раскраски", "colouring picture details")
    if kind == "colouring":
        return t("рисунок раскраски", "colouring picture")
    return kind_words(path) or name.split(".", 1)[0]


# What a record of the history did, as its «Что сделано» says it: (Russian, English).
ACTIONS = {
    "publish": ("опубликована история", "story published"),
    "notice": ("опубликовано объявление", "notice published"),
    "poster": ("опубликован плакат", "poster published"),
    "delete": ("убрано с киоска", "removed"), "photo": ("загружено фото", "photo uploaded"),
    "hide": ("скрыто на этом киоске", "hidden on this kiosk"),
    "show": ("снова показывается", "shown again"), "undo": ("отмена", "undo"),
    "colouring": ("опубликована раскраска", "colouring picture published"),
    "rename": ("переименована раскраска", "colouring picture renamed"),
}


def action_words(action: str) -> str:
    """«опубликована история» for a record's action "publish"; an unknown one as it is."""
    return t(*ACTIONS[action]) if action in ACTIONS else action


def plural(number: int, one: str, few: str, many: str, english: str, english_many: str) -> str:
    """«1 ошибка», «2 ошибки», «5 ошибок» / "1 error", "2 errors"."""
    return counted(number, lang(), (one, few, many), (english, english_many))


@editor_bp.route("/language/<code>", methods=["POST"])
def language(code: str) -> ResponseReturnValue:
    session["lang"] = "en" if code == "en" else "ru"
    return redirect(_safe_next(request.form.get("next", "")))


def _safe_next(target: str) -> str:
    """Only a path of this site (never «//host» or «https://…»): auth.safe_next's rule."""
    from kiosk.editor.auth import safe_next

    return safe_next(target, url_for("editor.listing"))


# -- helpers ----------------------------------------------------------------------------------

def config() -> EditorConfig:
    return editor_config(current_app)


def content_now() -> Content:
    """The content as the kiosk shows it, with what changed since the last page (catalog's
    ContentReader)."""
    return cast(catalog.ContentReader, current_app.extensions[READER_KEY]).load()


def publisher() -> Publisher:
    found = g.get("publisher")
    if found is None:
        cfg = config()
        found = g.publisher = Publisher(cfg.centre, cfg.editor_state)
    return cast(Publisher, found)


def done(record_id: str, kind: str = "", slug: str = "") -> str:
    """A flash category for a publish: its record (the message's «Отменить») and, for what is
    in the list now, its row (the message's «Показать в списке»: the listing opens at its top,
    where the message and its warnings are)."""
    return f"done:{record_id}|{kind}-{slug}" if kind and slug else f"done:{record_id}"


def undo_now(record_id: str) -> tuple[str, str]:
    """The green message's button, which undoes at once (what she has just done she knows;
    the undo is itself undone by the next message's button, while a publish in the history
    may be long forgotten, so there «Отменить» shows its page first): its words, and its
    name for a screen reader, which says the record's title."""
    record = publisher().record(record_id)
    words = t("Вернуть, как было до отмены", "Put back what was undone") \
        if record is not None and record.action == "undo" \
        else t("Отменить эту публикацию", "Undo this publish")
    return words, f"{words}: {t('«', '“')}{record.title}{t('»', '”')}" if record else words


# What a publish says of when the kiosk shows it: (Russian, English) for a story, a notice
# and a poster, {title} its name; `published_words` picks by the schedule in the file written.
PUBLISHED = {
    "story": (("История «{title}» опубликована", "она"),
              ("The story “{title}” has been published")),
    "notice": (("Объявление «{title}» опубликовано", "оно"),
               ("The notice “{title}” has been published")),
    "poster": (("Плакат «{title}» опубликован", "он"), ("The poster “{title}” has been published")),
}


def published_words(kind: str, title: str, text: str, content: Any) -> str:
    """The message after a publish: shown within seconds, or from which day its schedule
    lets the kiosk show it («появится на киоске 1 марта 2027»), or that no day of it is
    left, so that staff never read «shown within seconds» of a story set for March."""
    import datetime as dt

    from kiosk.core.i18n import format_date

    (ru, pronoun), en = PUBLISHED[kind]
    ru, en = ru.format(title=title), en.format(title=title)
    # The schedule in the file written, read as the loader reads it.
    written = catalog.schedule_in(text)
    local = content.settings.local_time(dt.datetime.now(dt.UTC))
    when, day = catalog.showing(written, local, content.closed_days())
    schedule = catalog.schedule_words(written, lang())
    if when == "now":
        return t(f"{ru}: киоск покажет {PRONOUN_OBJECT[pronoun]} через несколько секунд.",
                 f"{en}: the kiosk shows it within seconds.")
    if when == "never":
        return t(f"{ru}, но дней показа по расписанию ({schedule}) не осталось: киоск "
                 f"{PRONOUN_OBJECT[pronoun]} не покажет. Измените даты показа.",
                 f"{en}, but its schedule ({schedule}) has no day left: the kiosk will not show "
                 "it. Change its dates.")
    if day is None or day == local.date():
        return t(f"{ru}. Сейчас {pronoun} не на экране: киоск показывает {PRONOUN_OBJECT[pronoun]}"
                 f" {schedule}.", f"{en}. It is not on screen now: the kiosk shows it {schedule}.")
    return t(f"{ru}. На экране {pronoun} появится {format_date(day, 'ru')} (по расписанию: "
             f"{schedule}).", f"{en}. It appears on the kiosk on {format_date(day, 'en')} "
             f"(its schedule: {schedule}).")


PRONOUN_OBJECT = {"она": "её", "оно": "его", "он": "его"}  # «покажет её», «её не будет»

# The hint beside «Опубликовать»: the item, where it appears, and in English its subject.
HINT_ITEMS = {"story": ("История", "на киоске", "The kiosk"),
              "notice": ("Объявление", "на киоске", "The kiosk"),
              "poster": ("Плакат", "в заставке", "The slideshow")}


def publish_hint(kind: str, text: str, content: Any) -> str:
    """What Publish will do, said beside its button, for the file `text` the form gives now
    (the live preview sends it again as the schedule is changed): as `published_words` says
    after it, so a story set for 20 December is not promised «within seconds»."""
    import datetime as dt

    from kiosk.core.i18n import format_date

    item, where, subject = HINT_ITEMS[kind]
    written = catalog.schedule_in(text)
    local = content.settings.local_time(dt.datetime.now(dt.UTC))
    when, day = catalog.showing(written, local, content.closed_days())
    schedule = catalog.schedule_words(written, lang())
    undo = t("Любую публикацию можно отменить.", "Anything you publish can be undone.")
    if when == "now":
        said = t(f"{item} появится {where} через несколько секунд.",
                 f"{subject} shows it within seconds.")
    elif when == "never":
        said = t(f"Дней показа по расписанию ({schedule}) не осталось: {item.lower()} "
                 f"{where} не появится.",
                 f"Its schedule ({schedule}) has no day left: {subject.lower()} will not "
                 "show it.")
    elif day is None or day == local.date():
        said = t(f"{item} появится {where} по расписанию: {schedule}.",
                 f"{subject} shows it by its schedule: {schedule}.")
    else:
        said = t(f"{item} появится {where} {format_date(day, 'ru')} (по расписанию: "
                 f"{schedule}).", f"{subject} shows it from {format_date(day, 'en')} "
                 f"(its schedule: {schedule}).")
    return f"{said} {undo}"


def shortened(text: str, most: int) -> str:
    """`text` in at most `most` characters: cut after its last whole word, with «…»
    (a notice named in the history «…можно забр»)."""
    if len(text) <= most:
        return text
    cut = text[: most - 1]
    if " " in cut and not text[most - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:—–-") + "…"


def message(problem: Problem) -> str:
    return editor_message(problem, lang())


def _story_path(slug: str) -> str:
    return f"stories/{slug}.md"


def _centre_story_exists(slug: str) -> bool:
    return SLUG_PATTERN.match(slug) is not None and \
        publisher().read(_story_path(slug)) is not None


# -- the listing ------------------------------------------------------------------------------

@editor_bp.route("/")
@login_required
def listing() -> str:
    """Every item, by kind; `q` finds by title, `show=problems` keeps those with a problem;
    a long group is shown a page at a time (`kind` and `page`), and `at` («stories-zontik»)
    opens its group at the page of that row (the publish message's «Показать в списке»)."""
    cfg = config()
    whole = catalog.listing(content_now(), cfg, lang())
    find = " ".join(request.args.get("q", "")[:catalog.MOST_FIND_CHARS].split())
    problems_only = request.args.get("show") == "problems"
    shown = catalog.narrowed(whole, find, problems_only)
    paged, at = request.args.get("kind", ""), request.args.get("at", "")
    try:
        number = int(request.args.get("page", "1")[:6])
    except ValueError:
        number = 1
    pages = []
    for kind, heading, rows in shown.groups:
        if at.startswith(kind + "-"):
            page = catalog.page_of(rows, catalog.page_holding(rows, at[len(kind) + 1:]))
        else:
            page = catalog.page_of(rows, number if kind == paged else 1)
        pages.append((kind, heading, page))
    return render_template("listing.html", listing=shown, pages=pages, find=find,
                           found=sum(page.total for _, _, page in pages),
                           # «Показать в списке» of a row on this page: no new page
                           shown_rows={f"{kind}-{row.slug}" for kind, _, page in pages
                                       for row in page.rows if row.slug},
                           problems_only=problems_only, page_rows=catalog.PAGE_ROWS,
                           number=lambda n: grouped(n, lang()), message=message,
                           rel=lambda p: catalog.relative(p, cfg), thumbnail_url=thumbnail_url)


# A thumbnail's address names its file signed with the app's key: the route opens only a
# file the listing pointed at, in one of the two content folders, whatever a client asks.
_THUMBNAIL_SALT = "editor-thumbnail"


def _thumbnail_signer() -> Any:
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_THUMBNAIL_SALT)


def _content_roots() -> tuple[Path, Path]:
    cfg = config()
    return cfg.content, cfg.centre


def thumbnail_url(picture: str) -> str:
    """The address of the listing's small picture of the content file `picture` (an absolute
    path the loader gave); "" for none or a file outside both content folders."""
    if not picture:
        return ""
    import os

    path = Path(picture)
    for number, root in enumerate(_content_roots()):
        # The loader may give the folder's own name or the one its link leads to.
        for form in (root, root.resolve()):
            if path.is_relative_to(form):
                token = _thumbnail_signer().dumps([number, path.relative_to(form).as_posix()])
                try:  # the file's own time, never a link's target's
                    version = os.lstat(path).st_mtime_ns
                except OSError:
                    version = 0
                return url_for("editor.thumbnail_of", token=token, v=version)
    return ""


@editor_bp.route("/thumbnail/<token>")
@login_required
def thumbnail_of(token: str) -> ResponseReturnValue:
    """A content picture made small (kiosk.editor.thumbnails) for the listing."""
    from itsdangerous import BadSignature

    from kiosk.editor.thumbnails import thumbnail

    try:
        number, relative = _thumbnail_signer().loads(token)
        root = _content_roots()[int(number)]
    except (BadSignature, ValueError, TypeError, IndexError, OverflowError):
        abort(404)
    made = thumbnail(root, str(relative))  # never through a link, whatever it became since
    if made is None:
        abort(404)
    response = make_response(made.data)
    response.mimetype = made.mimetype
    response.headers["Cache-Control"] = "private, max-age=3600"
    # A drawing opened on its own, not as an <img>, runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = \
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


BUSY = ("В этот же момент изменения публиковал кто-то ещё. Ничего не изменилось: попробуйте "
        "ещё раз.", "Someone else was publishing at the same moment. Nothing has changed: "
        "please try again.")


@editor_bp.route("/hide", methods=["POST"])
@login_required
def hide() -> ResponseReturnValue:
    """Hide a shared item on this kiosk, or show it again: hidden.yaml in the centre folder.
    The path is taken only if it is one the listing shows (or one already hidden)."""
    cfg = config()
    wanted = request.form.get("path", "")[:300]
    show = request.form.get("show") == "1"
    content = content_now()
    if not show:
        shared = {catalog.relative(item.source, cfg)
                  for items in (content.stories, content.posters, content.notices,
                                content.colouring) for item in items
                  if catalog.origin_of(item.source, cfg) == "shared"}
        if wanted not in shared:
            abort(400)

    # hidden.yaml is read, changed and written over what was read: a colleague's hide in the
    # same moment is read again, not written over.
    def plan() -> Plan:
        read = publisher().read("hidden.yaml")
        broken: list[str] = []
        hidden = list(catalog.hidden_entries(cfg.centre, broken))
        if broken:  # written over, it would show again everything else it hides
            raise PublishError(
                "Файл hidden.yaml в папке центра испорчен, и редактор не станет его "
                "переписывать: исправьте его (проверьте командой kiosk check) или попросите "
                "ИТ-службу, потом скройте снова.", "The file hidden.yaml in the centre's folder "
                "is broken, and the editor will not overwrite it: fix it (check it with kiosk "
                "check) or ask IT, then hide again.")
        if show and wanted not in hidden:
            abort(400)
        hidden = [entry for entry in hidden if entry != wanted] if show else [*hidden, wanted]
        # Its title only once the path is known to be one the listing shows (or hid).
        title = catalog.shared_title(content, cfg, wanted, lang())
        return Plan({"hidden.yaml": catalog.hidden_text(hidden)}, "show" if show else "hide",
                    title, {"hidden.yaml": read})

    try:
        record = publisher().publish_fresh(plan, current_user())
    except PublishConflict:
        flash(t(*BUSY), "error")
    except PublishError as exc:
        flash(t(exc.ru, exc.en), "error")
    else:
        flash(t(f"«{record.title}» снова показывается на этом киоске." if show
                else f"«{record.title}» больше не показывается на этом киоске.",
                f"“{record.title}” is shown on this kiosk again." if show
                else f"“{record.title}” is no longer shown on this kiosk."), "done:" + record.id)
    # Back to the listing as it was (its search, its page): hiding several of 37,000 one by
    # one searched again each time.
    return redirect(_safe_next(request.form.get("next", "")))


# -- the story form ---------------------------------------------------------------------------

@editor_bp.route("/stories/new")
@login_required
def new_story() -> ResponseReturnValue:
    return _form(StoryFields(), {}, [])


@editor_bp.route("/stories/<slug>/edit")
@login_required
def edit_story(slug: str) -> ResponseReturnValue:
    if not SLUG_PATTERN.match(slug):
        abort(404)
    data = publisher().read(_story_path(slug))
    if data is None:
        abort(404)
    fields = from_story_file(slug, data.decode("utf-8", "replace"))
    g.base = hashlib.sha256(data).hexdigest()
    cfg = config()
    content = content_now()
    _, problems = catalog.check_story(cfg, content.settings, slug, data.decode("utf-8",
                                                                               "replace"))
    by_field, general = _place_problems(problems, story_lines(fields)[1], fields.title_en)
    return _form(fields, by_field, general, content=content)


def _form(fields: StoryFields, by_field: dict[str, list[tuple[str, bool]]],
          general: list[tuple[str, bool]], status: int = 200,
          content: Any = None) -> ResponseReturnValue:
    content = content if content is not None else content_now()
    tags = list(content.settings.tags.items())
    known = {name for name, _ in tags}
    fields = replace(fields, tags=_known_tags(fields.tags, known))
    tags += [(tag, tag) for tag in fields.tags if tag not in known]  # kept, shown as unknown
    months = MONTHS_RU if lang() == "ru" else MONTHS_EN
    body = render_template("story_form.html", fields=fields, tags=tags, known_tags=known,
                           publish_hint=publish_hint("story", story_lines(fields)[0], content),
                           months=[(n + 1, m.capitalize()) for n, m in enumerate(months)],
                           problems=by_field, general=general, is_new=not fields.slug,
                           has_errors=any(is_error for items in by_field.values()
                                          for _, is_error in items))
    return (body, status) if status != 200 else body


def _known_tags(tags: tuple[str, ...], known: set[str]) -> tuple[str, ...]:
    """Each tag as kiosk.yaml spells it («Забота» in a file is the list's «забота»)."""
    spelling = {tag.casefold(): tag for tag in known}
    return tuple(dict.fromkeys(spelling.get(tag.casefold(), tag) for tag in tags))


def _place_problems(problems: list[Problem], lines: dict[int, str], title_en: str = "",
                    notice: bool = False
                    ) -> tuple[dict[str, list[tuple[str, bool]]], list[tuple[str, bool]]]:
    """Each problem on the form field that causes it (kiosk.editor.preview_views.field_of,
    the one table of that, as the live preview places them), worded with the form's names of
    the fields; the rest above the form."""
    from kiosk.editor.preview_views import FIELD_LABELS, NOTICE_LABELS, field_of, form_words

    centre = config().centre
    by_field: dict[str, list[tuple[str, bool]]] = {}
    general: list[tuple[str, bool]] = []
    for problem in problems:
        if problem.is_consequence:
            continue
        path = Path(problem.path)
        relative = str(path.relative_to(centre)) if path.is_relative_to(centre) else ""
        place = field_of(problem.code, problem.args, problem.line, relative, lines, title_en)
        item = (form_words(message(problem), lang(), NOTICE_LABELS if notice else FIELD_LABELS),
                problem.is_error)
        if place:
            by_field.setdefault(place, []).append(item)
        else:
            general.append(item)
    return by_field, general


STORY_CHANGED = (
    "Эту историю уже изменили после того, как вы открыли её (в другом окне или другой "
    "сотрудник). Скопируйте свой текст, откройте историю заново из списка и внесите правку "
    "ещё раз.", "This story was changed after you opened it (in another window or by a "
    "colleague). Copy your text, open the story again from the list and make your change "
    "once more.")
SAME_NAME = (
    "В этот же момент опубликовали другой материал под тем же именем файла, и ваш не записан "
    "поверх него. Нажмите «Опубликовать» ещё раз: ваш получит другое имя.", "Something else "
    "was published under the same file name at the same moment, and yours was not written "
    "over it. Press Publish again: yours will get another name.")


@editor_bp.route("/stories/save", methods=["POST"])
@login_required
def save_story() -> Any:
    """Publish the story: refused with the problems on their fields if anything is an
    error; otherwise written atomically into the centre's stories/ and logged."""
    cfg = config()
    fields = StoryFields.from_form(request.form)
    editing = request.form.get("slug", "")
    old_tags: tuple[str, ...] = ()
    old: bytes | None = None
    if editing:
        old = publisher().read(_story_path(editing)) if SLUG_PATTERN.match(editing) else None
        if old is None:
            abort(404)
        if request.form.get("base", "") not in ("", hashlib.sha256(old).hexdigest()):
            # Changed since this form was opened (another window, another member of staff):
            # publishing it would silently undo their change.
            return _form(fields, {}, [(t(*STORY_CHANGED), True)], 409)
        before = from_story_file(editing, old.decode("utf-8", "replace"))
        # A schedule the presets could not show stays only while «as it is» is chosen.
        kept = before.kept if fields.period == "keep" else tuple(
            row for row in before.kept if row not in before.kept_schedule)
        fields = replace(fields, slug=editing, kept=kept)
        old_tags = before.tags
    photo_error = _photo_from_form(fields)
    if isinstance(photo_error, StoryFields):
        fields, photo_error = photo_error, None
    content = content_now()
    own = form_problems(fields)
    if photo_error:
        own = {**own, "photo": photo_error}
    if own:
        by_field = {key: [(t(ru, en), True)] for key, (ru, en) in own.items()}
        return _form(fields, by_field, [], 422, content)
    # Tags only from kiosk.yaml's list (checkboxes); one an edited file already had is kept.
    allowed = set(content.settings.tags) | set(old_tags)
    fields = replace(fields, tags=tuple(
        tag for tag in _known_tags(fields.tags, set(content.settings.tags)) if tag in allowed))
    slug = fields.slug or unused_slug(slugify(fields.title),
                                      catalog.taken_story_names(content, cfg))
    fields = replace(fields, slug=slug)
    text, lines = story_lines(fields)
    draft = draft_photo(fields.photo)  # None: no photo, or one published already
    if draft is not None and publisher().read(fields.photo) is not None:
        draft = None
    _, problems = catalog.check_story(cfg, content.settings, slug, text,
                                      (fields.photo, draft) if draft else None)
    from kiosk.editor.preview_views import dated_ahead_of

    problems = [*problems, *(replace(ahead, path=str(cfg.centre / _story_path(slug)))
                             for ahead in dated_ahead_of(fields))]
    by_field, general = _place_problems(problems, lines, fields.title_en)
    if not editing:
        _same_title(by_field, content, "stories", "title", fields.title)
    if any(p.is_error for p in problems):
        if not editing:
            fields = replace(fields, slug="")  # still a new story: its name is made again
        return _form(fields, by_field, general, 422, content)
    changes: dict[str, bytes | None] = {_story_path(slug): text.encode()}
    if draft is not None:
        changes[fields.photo] = draft.read_bytes()  # one record: undo takes both away
    try:
        # Over what the form was opened on, or over nothing for a new story: a colleague's
        # save in the same moment is not silently written over.
        record = publisher().publish(changes, current_user(), "publish", fields.title,
                                     expect={_story_path(slug): old})
    except PublishConflict:
        if not editing:
            return _form(replace(fields, slug=""), by_field, [(t(*SAME_NAME), True)], 409,
                         content)
        return _form(fields, by_field, [(t(*STORY_CHANGED), True)], 409, content)
    except PublishError as exc:
        return _form(fields, by_field, [(t(exc.ru, exc.en), True)], 409, content)
    if draft is not None:
        draft.unlink(missing_ok=True)
    warnings = [text for items in by_field.values() for text, _ in items] + \
        [text for text, _ in general]
    flash(published_words("story", fields.title, text, content),
          done(record.id, "stories", slug))
    for warning in warnings[:10]:
        flash(warning, "warning")
    return redirect(url_for("editor.listing"))


def _same_title(by_field: dict[str, list[tuple[str, bool]]], content: Content, kind: str,
                field: str, title: str) -> None:
    """A new item named as one there is already: a warning on its field (published all the
    same: two stories may share a title; it is told after Publish with the others)."""
    found = catalog.same_titled(content, config(), kind, title)
    if found is not None:
        name, origin = found
        by_field.setdefault(field, []).append(
            (t(*catalog.SAME_TITLE[kind, origin]).format(name), False))


def _photo_from_form(fields: StoryFields) -> StoryFields | tuple[str, str] | None:
    """A photo chosen in the form's file field without JavaScript (with it, the photo was
    uploaded on its own): prepared and saved as /photo does. The fields with it, or the
    reason it was refused, or None when no file came."""
    from kiosk.editor.photos import PhotoRejected, prepare_photo

    upload = request.files.get("photo_file")
    if upload is None or not upload.filename:
        return None
    data = upload.stream.read(cfg_max() + 1)
    if not data:
        return None
    try:
        prepared = prepare_photo(data, upload.filename[-80:])
    except PhotoRejected as exc:
        return exc.message("ru"), exc.message("en")
    name = f"images/{slugify(fields.title)[:40]}-{secrets.token_hex(4)}.jpg"
    save_draft_photo(name, prepared.jpeg)  # published with the story, as /photo's
    return replace(fields, photo=name)


@editor_bp.route("/stories/<slug>/delete", methods=["POST"])
@login_required
def delete_story(slug: str) -> ResponseReturnValue:
    if not _centre_story_exists(slug):
        abort(404)
    title = from_story_file(slug, (publisher().read(_story_path(slug)) or b"").decode(
        "utf-8", "replace")).title or slug
    record = publisher().publish({_story_path(slug): None}, current_user(), "delete", title)
    flash(t(f"История «{title}» убрана с киоска.", f"The story “{title}” has been removed."),
          "done:" + record.id)
    return redirect(url_for("editor.listing"))


# -- notices ------------------------------------------------------------------------------------

def _notice_path(slug: str) -> str:
    return f"notices/{slug}.yaml"


@editor_bp.route("/notices/new")
@login_required
def new_notice() -> ResponseReturnValue:
    return _notice_form(NoticeFields(), {}, [])


@editor_bp.route("/notices/<slug>/edit")
@login_required
def edit_notice(slug: str) -> ResponseReturnValue:
    if not SLUG_PATTERN.match(slug):
        abort(404)
    data = publisher().read(_notice_path(slug))
    if data is None:
        abort(404)
    g.base = hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8", "replace")
    fields = from_notice_file(slug, text)
    problems = catalog.check_notice(config(), slug, text)
    by_field, general = _place_problems(problems, _notice_lines_of(text))
    return _notice_form(fields, by_field, general)


def _notice_lines_of(text: str) -> dict[int, str]:
    """A notice file's lines by the key each starts with (the file may be hand-written)."""
    keys = {"text": "text", "text_en": "text_en", "level": "level"}
    return {number: keys.get(row.split(":")[0].strip(), "schedule")
            for number, row in enumerate(text.splitlines(), 1) if ":" in row}


def _notice_form(fields: NoticeFields, by_field: dict[str, list[tuple[str, bool]]],
                 general: list[tuple[str, bool]], status: int = 200) -> ResponseReturnValue:
    months = MONTHS_RU if lang() == "ru" else MONTHS_EN
    body = render_template("notice_form.html", fields=fields, problems=by_field,
                           publish_hint=publish_hint("notice", notice_lines(fields)[0],
                                                     content_now()),
                           general=general, is_new=not fields.slug, notice_limit=NOTICE_LIMIT,
                           months=[(n + 1, m.capitalize()) for n, m in enumerate(months)],
                           has_errors=any(is_error for items in by_field.values()
                                          for _, is_error in items))
    return (body, status) if status != 200 else body


NOTICE_CHANGED = (
    "Это объявление уже изменили после того, как вы открыли его. Откройте его заново из "
    "списка и внесите правку ещё раз.", "This notice was changed after you opened it. Open it "
    "again from the list and make your change once more.")


@editor_bp.route("/notices/save", methods=["POST"])
@login_required
def save_notice() -> ResponseReturnValue:
    cfg = config()
    fields = NoticeFields.from_form(request.form)
    editing = request.form.get("slug", "")
    old: bytes | None = None
    if editing:
        old = publisher().read(_notice_path(editing)) if SLUG_PATTERN.match(editing) else None
        if old is None:
            abort(404)
        if request.form.get("base", "") not in ("", hashlib.sha256(old).hexdigest()):
            return _notice_form(fields, {}, [(t(*NOTICE_CHANGED), True)], 409)
        before = from_notice_file(editing, old.decode("utf-8", "replace"))
        kept = before.kept if fields.period == "keep" else tuple(
            row for row in before.kept if row not in before.kept_schedule)
        fields = replace(fields, slug=editing, kept=kept)
    own = notice_problems(fields)
    if own:
        return _notice_form(fields, {k: [(t(ru, en), True)] for k, (ru, en) in own.items()},
                            [], 422)
    content = content_now()
    slug = fields.slug or unused_slug(slugify(fields.text[:60]),
                                      catalog.taken_notice_names(content, cfg))
    fields = replace(fields, slug=slug)
    text, lines = notice_lines(fields)
    problems = catalog.check_notice(cfg, slug, text)
    by_field, general = _place_problems(problems, lines, notice=True)
    if not editing:
        _same_title(by_field, content, "notices", "text", fields.text)
    if any(p.is_error for p in problems):
        return _notice_form(replace(fields, slug=editing), by_field, general, 422)
    title = shortened(fields.text, 80)
    try:
        record = publisher().publish({_notice_path(slug): text.encode()}, current_user(),
                                     "notice", title, expect={_notice_path(slug): old})
    except PublishConflict:
        said = SAME_NAME if not editing else NOTICE_CHANGED
        return _notice_form(replace(fields, slug=editing), by_field, [(t(*said), True)], 409)
    except PublishError as exc:
        return _notice_form(replace(fields, slug=editing), by_field,
                            [(t(exc.ru, exc.en), True)], 409)
    flash(published_words("notice", title, text, content), done(record.id, "notices", slug))
    for warning in ([text for items in by_field.values() for text, _ in items] +
                    [text for text, _ in general])[:10]:
        flash(warning, "warning")
    return redirect(url_for("editor.listing"))


@editor_bp.route("/notices/<slug>/delete", methods=["POST"])
@login_required
def delete_notice(slug: str) -> ResponseReturnValue:
    data = publisher().read(_notice_path(slug)) if SLUG_PATTERN.match(slug) else None
    if data is None:
        abort(404)
    title = shortened(from_notice_file(slug, data.decode("utf-8", "replace")).text, 80) or slug
    record = publisher().publish({_notice_path(slug): None}, current_user(), "delete", title)
    flash(t(f"Объявление «{title}» убрано с киоска.", f"The notice “{title}” has been removed."),
          "done:" + record.id)
    return redirect(url_for("editor.listing"))


# -- photos -----------------------------------------------------------------------------------

@editor_bp.route("/photo", methods=["POST"])
@login_required
def upload_photo() -> ResponseReturnValue:
    """A photo for a story: turned upright, converted, downscaled (kiosk.editor.photos),
    saved into the centre's images/ under a name made here. JSON: {photo, url} or {error}."""
    from kiosk.editor.photos import PhotoRejected, prepare_photo

    upload = uploaded("photo")
    if upload is None:
        return jsonify(error=t("Выберите файл фотографии.", "Choose a photo file.")), 400
    data, client_name = upload
    try:
        prepared = prepare_photo(data, client_name or "фото")
    except PhotoRejected as exc:
        return jsonify(error=exc.message(lang())), 400
    base = slugify(request.form.get("title", "")[:200])[:40] if request.form.get("title") \
        else "photo"
    name = f"images/{base}-{secrets.token_hex(4)}.jpg"
    # A draft until its story is published (then in the same record: undo takes both away);
    # a story left unsaved leaves nothing in the centre folder.
    save_draft_photo(name, prepared.jpeg)
    return draft_answer("photo", name, prepared.width, prepared.height)


def uploaded(key: str) -> tuple[bytes, str] | None:
    """The file posted as `key` (a byte more than the editor takes, to tell it is too large)
    and the last 80 characters of its name as the client gave it; None when none is posted."""
    upload = request.files.get(key)
    if upload is None:
        return None
    data = upload.stream.read(cfg_max() + 1)
    upload.close()  # a large one is a temporary file: closed now, not at the next request
    return data, (upload.filename or "")[-80:]


def draft_answer(key: str, name: str, width: int, height: int) -> ResponseReturnValue:
    """An uploaded picture saved as the draft `name` (images/…): JSON {key, url, width, height}."""
    return jsonify({key: name, "width": width, "height": height,
                    "url": url_for("editor.centre_image", name=name.removeprefix("images/"))}
                   ), 200


DRAFT_PHOTOS = "photo-drafts"  # in the editor's state folder
DRAFT_KEEP_SECONDS = 2 * 24 * 3600  # a photo of a story never published is forgotten then
DRAFT_KEEP_FILES = 50


def draft_photo(photo: str) -> Path | None:
    """Where the photo `images/<name>.jpg` of a story being written is while it is a draft
    (uploaded, not yet published); None when there is no such draft."""
    from kiosk.editor.story_form import PHOTO_PATTERN

    if not PHOTO_PATTERN.match(photo):
        return None
    path = config().editor_state / DRAFT_PHOTOS / photo.removeprefix("images/")
    return path if path.is_file() and not path.is_symlink() else None


def save_draft_photo(photo: str, data: bytes) -> None:
    import os
    import time

    folder = config().editor_state / DRAFT_PHOTOS
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:  # the oldest go first: a day's forgotten drafts never pile up
        kept = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
        for number, old in enumerate(kept):
            if number >= DRAFT_KEEP_FILES or old.stat().st_mtime < time.time() - \
                    DRAFT_KEEP_SECONDS:
                os.unlink(old)
    except OSError as exc:
        log.warning("cannot tidy %s: %s", folder, exc)
    target = folder / photo.removeprefix("images/")
    fd = os.open(f"{target}.part", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    os.replace(f"{target}.part", target)


def cfg_max() -> int:
    return config().max_request_bytes


@editor_bp.route("/images/<name>")
@login_required
def centre_image(name: str) -> ResponseReturnValue:
    """A photo of the centre's images/ that the editor made (for the form's thumbnail)."""
    if not IMAGE_NAME.match(name):
        abort(404)
    data = publisher().read(f"images/{name}")
    if data is None:
        draft = draft_photo(f"images/{name}")
        data = draft.read_bytes() if draft is not None else None
    if data is None:
        abort(404)
    import io
    return send_file(io.BytesIO(data), mimetype="image/jpeg", max_age=3600)


@editor_bp.route("/fonts/<name>")
def font(name: str) -> ResponseReturnValue:
    """The kiosk's own typeface (PT Sans, bundled with its licence)."""
    if name not in FONT_NAMES:
        abort(404)
    return send_file(Path(package_folder("assets")) / "fonts" / name, max_age=86400)


# -- history and undo -------------------------------------------------------------------------

@editor_bp.route("/history")
@login_required
def history() -> str:
    records = publisher().history()
    return render_template("history.html", records=records, by_id={r.id: r for r in records})


@editor_bp.route("/history/<record_id>/undo", methods=["POST"])
@login_required
def undo(record_id: str) -> ResponseReturnValue:
    try:
        record = publisher().undo(record_id, current_user())
    except PublishError as exc:
        flash(t(exc.ru, exc.en), "error")
        return redirect(url_for("editor.history"))
    flash(t(f"Отменено: «{record.title}». Киоск вернёт прежний вид через несколько секунд.",
            f"Undone: “{record.title}”. The kiosk shows the previous version within seconds."),
          "done:" + record.id)
    return redirect(_safe_next(request.form.get("next", "")) if request.form.get("next")
                    else url_for("editor.history"))


@editor_bp.app_errorhandler(PublishError)
def publish_refused(error: PublishError) -> ResponseReturnValue:
    """A file the editor will not touch (a link in the centre folder …) or a publish that
    cannot be done: said on the listing, nothing written."""
    flash(t(error.ru, error.en), "error")
    return redirect(url_for("editor.listing"))


@editor_bp.app_errorhandler(413)
def too_large(_: Exception) -> ResponseReturnValue:
    text = refused_large()
    if request.mimetype != "multipart/form-data":  # a form without a file (app.FORM_BYTES)
        text = t("Форма слишком большая: сократите текст и отправьте её снова.",
                 "The form is too large: shorten the text and send it again.")
    if request.path in (url_for("editor.upload_photo"),
                        url_for("editor.upload_poster_picture")):
        return jsonify(error=text), 413
    if request.endpoint == "wizard.upload" and _signed_in():  # its page again, said on it
        return render_template("wizard_upload.html", error=text), 413
    return error_page(t("Файл не отправлен", "The file was not sent"), text, 413)


def _signed_in() -> bool:
    auth = _auth()
    return auth is None or bool(auth.signed_in())


def error_page(heading: str, text: str, status: int) -> ResponseReturnValue:
    """A refusal in the editor's own page (its header, a way back), never the server's bare
    English one; to nobody signed in (an open file's address, a request refused before the
    sign-in was asked for), a plain page with nothing of the editor's."""
    auth = _auth()
    if auth is not None and not auth.signed_in():
        return auth.plain_page(heading, [text]), status
    return render_template("error.html", heading=heading, text=text), status


@editor_bp.app_errorhandler(404)
def not_found(_: Exception) -> ResponseReturnValue:
    return error_page(t("Такой страницы нет", "No such page"),
                      t("Возможно, ссылка устарела или в адресе опечатка. Все материалы — в "
                        "списке на главной странице редактора.",
                        "The link may be out of date, or the address mistyped. All the content "
                        "is listed on the editor's main page."), 404)


@editor_bp.app_errorhandler(405)
def wrong_method(_: Exception) -> ResponseReturnValue:
    return error_page(t("Эта страница открывается только из формы",
                        "This page only opens from a form"),
                      t("Эта страница открывается только после отправки формы. Вернитесь к "
                        "списку материалов и начните оттуда.",
                        "This page only opens when a form is sent. Go back to the content list "
                        "and start from there."), 405)


@editor_bp.app_errorhandler(500)
def server_error(_: Exception) -> ResponseReturnValue:
    return error_page(t("Что-то пошло не так", "Something went wrong"),
                      t("Редактор не смог выполнить действие. Если вы что-то публиковали, "
                        "посмотрите «Журнал изменений»: там видно, опубликовано ли это. Если "
                        "ошибка повторяется, сообщите в ИТ-службу.",
                        "The editor could not do that. If you were publishing something, look "
                        "at the History page: it shows whether it was published. If it keeps "
                        "happening, tell IT."), 500)


# The poster form's and the centre's colouring pictures' routes are on this blueprint too
# (before the app registers it).
from kiosk.editor import colouring_views, poster_views, undo_views  # noqa: E402,F401
