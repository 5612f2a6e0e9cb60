"""The centre's own colouring pictures after they are published: rename one, or take it off the
kiosk. Routes on `editor_bp` (as the poster form's are), because none of this needs the
wizard's numpy and OpenCV: a picture is an entry of the centre's colouring/colouring.yaml and
its PNG beside it.

Both changes read the index, change it and publish it over what was read (with the picture's
file in the same record: one undo puts both back); a colleague's change in the same moment
is read again, never written over.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from kiosk.core.content.problems import ProblemLog
from kiosk.core.content.yamlsrc import parse_yaml
from kiosk.editor.publish import Plan, PublishConflict, PublishError
from kiosk.editor.views import (
    BUSY,
    current_user,
    done,
    editor_bp,
    login_required,
    publisher,
    t,
)

INDEX = "colouring/colouring.yaml"
# A picture the wizard published: «<name>.png», its name made by slugify.
PICTURE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_TITLE = 60  # the picker shows two lines of the small type under a card
BROKEN = ("Файл colouring/colouring.yaml в папке центра испорчен, и редактор не станет его "
          "переписывать: проверьте его командой kiosk check.",
          "The file colouring/colouring.yaml in the centre's folder is broken, and the editor "
          "will not overwrite it: check it with kiosk check.")
HEADER = ("# Картинки для раскрашивания этого центра: файл, название по-русски и по-английски.",
          "# Порядок в списке — порядок на экране. Файл пишет редактор киоска (мастер "
          "раскрасок).")


def read_index() -> tuple[list[dict[str, str]] | None, bytes | None]:
    """The centre's colouring.yaml: its entries (file, title, title_en; None when the file
    cannot be read as a list, and must not be written over) and its bytes as read (None: no
    such file)."""
    raw = publisher().read(INDEX)
    return index_entries(raw), raw


def index_entries(raw: bytes | None) -> list[dict[str, str]] | None:
    """colouring.yaml's entries (file, title, title_en), from its bytes (None: no file); None
    when it cannot be read as a list."""
    if not raw:
        return []
    data = parse_yaml(raw.decode("utf-8", "replace"), ProblemLog(INDEX, []))
    if data is None or not isinstance(data, list):
        return None
    return [{key: str(entry[key]) for key in ("file", "title", "title_en") if key in entry}
            for entry in data if isinstance(entry, dict) and "file" in entry]


def index_text(entries: list[dict[str, str]]) -> bytes:
    """colouring.yaml as the editor writes it: each value quoted (JSON is YAML)."""
    lines = list(HEADER)
    for entry in entries:
        lines += [f"{'- ' if number == 0 else '  '}{key}: {json.dumps(value, ensure_ascii=False)}"
                  for number, (key, value) in enumerate(entry.items())]
    if not entries:
        lines.append("[]")
    return ("\n".join(lines) + "\n").encode("utf-8")


def typed_title(text: str) -> str:
    """A title as typed, on one line: a control character or a line break a space; what YAML
    refuses and no text holds (a non-character such as a stray U+FFFE pasted from a web page,
    which made colouring.yaml unreadable; a lone surrogate) left out. Soft hyphens and the
    joiners of an emoji stay, as the loader keeps them."""
    def kept(char: str) -> str:
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Zl", "Zp"):
            return " "
        code = ord(char)
        if category == "Cs" or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            return ""
        return char

    return " ".join("".join(kept(char) for char in text).split())


def title_problem(title: str, title_en: str) -> str:
    if not title:
        return t("Дайте картинке название: его видно под ней на экране выбора.",
                 "Give the picture a title: it shows under it on the picker.")
    if len(title) > MAX_TITLE or len(title_en) > MAX_TITLE:
        return t(f"Название длинное: на экране выбора помещается около {MAX_TITLE} знаков.",
                 f"The title is long: about {MAX_TITLE} characters fit on the picker.")
    return ""


def _entry_or_404(name: str) -> dict[str, str]:
    """The centre index's entry of the picture `name` (its PNG there too), else 404."""
    if not PICTURE_NAME.match(name):
        abort(404)
    entries, _ = read_index()
    entry = next((e for e in entries or () if e.get("file") == f"{name}.png"), None)
    if entry is None or publisher().read(f"colouring/{name}.png") is None:
        abort(404)
    return entry


@editor_bp.route("/colouring/pictures/<name>")
@login_required
def colouring_picture(name: str) -> ResponseReturnValue:
    entry = _entry_or_404(name)
    return _page(name, entry.get("title", ""), entry.get("title_en", ""), "")


@editor_bp.route("/colouring/pictures/<name>.png")
@login_required
def colouring_picture_png(name: str) -> ResponseReturnValue:
    import io

    _entry_or_404(name)
    data = publisher().read(f"colouring/{name}.png")
    if data is None:
        abort(404)
    return send_file(io.BytesIO(data), mimetype="image/png", max_age=60)


def _page(name: str, title: str, title_en: str, error: str, status: int = 200,
          on_title: bool = False) -> ResponseReturnValue:
    """The page; `on_title`: the error is the title's own (marked on its field)."""
    body = render_template("colouring_picture.html", name=name, title=title,
                           title_en=title_en, error=error, max_title=MAX_TITLE,
                           on_title=on_title)
    return (body, status) if status != 200 else body


@editor_bp.route("/colouring/pictures/<name>/save", methods=["POST"])
@login_required
def save_colouring_picture(name: str) -> ResponseReturnValue:
    _entry_or_404(name)
    title = typed_title(request.form.get("title", ""))
    title_en = typed_title(request.form.get("title_en", ""))
    problem = title_problem(title, title_en)
    if problem:
        return _page(name, title[:MAX_TITLE], title_en[:MAX_TITLE], problem, 422,
                     on_title=True)

    def renamed(entry: dict[str, str]) -> dict[str, str]:
        return {"file": entry["file"], "title": title, **({"title_en": title_en}
                                                           if title_en else {})}

    record_id, error = _change(name, renamed, {}, "rename", title)
    if error:
        return _page(name, title, title_en, error, 409)
    flash(t(f"Раскраска «{title}» переименована: киоск покажет новое название через несколько "
            "секунд.", f"The picture “{title}” has been renamed: the kiosk shows the new title "
            "within seconds."), done(record_id, "colouring", name))
    return redirect(url_for("editor.listing"))


@editor_bp.route("/colouring/pictures/<name>/delete", methods=["POST"])
@login_required
def delete_colouring_picture(name: str) -> ResponseReturnValue:
    title = _entry_or_404(name).get("title", "") or name
    record_id, error = _change(name, lambda _entry: None, {f"colouring/{name}.png": None},
                               "delete", title)
    if error:
        flash(error, "error")
        return redirect(url_for("editor.listing"))
    flash(t(f"Раскраска «{title}» убрана с экрана раскрасок.",
            f"The picture “{title}” has been removed from the colouring screen."),
          "done:" + record_id)
    return redirect(url_for("editor.listing"))


def _change(name: str, change: Callable[[dict[str, str]], dict[str, str] | None],
            files: dict[str, bytes | None], action: str, title: str) -> tuple[str, str]:
    """The index with the picture's entry changed (`change(entry)`, None: removed) and
    `files` beside it, published over the index as read: the record's id and "", or "" and
    why not."""
    def plan() -> Plan:
        entries, raw = read_index()
        if entries is None:
            raise PublishError(*BROKEN)
        changed: list[dict[str, str]] = []
        for entry in entries:
            kept = change(entry) if entry.get("file") == f"{name}.png" else entry
            if kept is not None:
                changed.append(kept)
        return Plan({INDEX: index_text(changed), **files}, action, title, {INDEX: raw})

    try:
        return publisher().publish_fresh(plan, current_user()).id, ""
    except PublishConflict:
        return "", t(*BUSY)
    except PublishError as exc:
        return "", t(exc.ru, exc.en)
