"""The colouring-picture wizard: upload a scan or a photo of a drawing, see it as clean line art
with three sliders (threshold, specks, gaps) rendered here, tap the picture to try a fill as
the kiosk does it, name it, publish it into the centre's colouring/ folder. A Flask blueprint,
`wizard_bp`, mounted at /colouring (kiosk.editor.app registers it).

The work is kiosk.editor.lineart's (no Flask there). Between requests the upload is kept
flattened and grey in the editor's state folder (`<state>/editor/wizard/<token>.png`), the
token in the signed session only: a client never names a file. Every page needs sign-in; the
two POSTs (upload, publish) carry the CSRF token of every form; the GETs change nothing.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from kiosk.core.i18n import counted
from kiosk.editor.auth import WIZARD_KEYS
from kiosk.editor.colouring_views import (
    BROKEN,
    INDEX,
    MAX_TITLE,
    index_text,
    read_index,
    title_problem,
    typed_title,
)
from kiosk.editor.publish import Plan, PublishConflict, PublishError
from kiosk.editor.story_form import slugify, unused_slug
from kiosk.editor.views import (
    BUSY,
    config,
    content_now,
    current_user,
    done,
    lang,
    publisher,
    t,
)
from kiosk.editor.wording import editor_message

if TYPE_CHECKING:
    from kiosk.editor.lineart import FloodReport, LineArt, LineArtSettings, Scan
    from kiosk.editor.photos import PhotoRejected


def _lineart() -> ModuleType:
    """numpy, OpenCV and Pillow load with the first wizard request, not with the server:
    about 20 MB the editor would otherwise hold from its start (bench/editor.py)."""
    from kiosk.editor import lineart

    return lineart


def _photo_rejected() -> type[PhotoRejected]:
    from kiosk.editor.photos import PhotoRejected

    return PhotoRejected

F = TypeVar("F", bound=Callable[..., Any])


def _login_required(view: F) -> F:
    """kiosk.editor.auth.login_required, through views' wrapper (fails closed without auth)."""
    from kiosk.editor.views import login_required

    return login_required(view)


wizard_bp = Blueprint("wizard", __name__, url_prefix="/colouring")

TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600  # an upload nobody published is forgotten after a day
KEEP_FILES = 20  # and only this many are kept, whoever uploaded them
MAX_PICTURES = 12  # the colouring screen shows twelve (kiosk.core.content.merge.MAX_COLOURING)
FLOOD_WARNING = 0.5  # a tap that fills this share of the sheet is worth a word
NO_FILE = ("Выберите файл: фото или скан рисунка.",
           "Choose a file: a photo or a scan of the drawing.")
_CACHE_LOCK = threading.Lock()
_CACHE: OrderedDict[tuple[str, LineArtSettings], bytes] = OrderedDict()  # recent line art


# -- the kept upload ---------------------------------------------------------------------------

def _folder() -> Path:
    return config().editor_state / "wizard"


def _token() -> str | None:
    token = session.get("wizard")
    return token if isinstance(token, str) and TOKEN.match(token) else None


def _scan() -> Scan | None:
    token = _token()
    if token is None:
        return None
    try:
        scan: Scan = _lineart().Scan.from_png((_folder() / f"{token}.png").read_bytes())
        return scan
    except (OSError, _photo_rejected()):
        return None


def _meta() -> dict[str, Any]:
    token = _token()
    if token is None:
        return {}
    try:
        data = json.loads((_folder() / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _keep(scan: Scan, name: str) -> None:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _tidy(folder)
    old = _token()
    token = secrets.token_hex(16)
    for suffix, data in ((".png", scan.png), (".json", json.dumps(
            {"name": name, "notes": scan.notes, "photo": scan.photo_like},
            ensure_ascii=False).encode())):
        temporary = folder / f".{token}{suffix}"
        temporary.write_bytes(data)
        os.replace(temporary, folder / f"{token}{suffix}")
    session["wizard"] = token
    session["wizard_by"] = current_user()
    if old is not None:
        _forget(old)


def _forget(token: str) -> None:
    for suffix in (".png", ".json"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _tidy(folder: Path) -> None:
    """Uploads older than a day go, and all but the newest few."""
    files = sorted(folder.glob("*.png"), key=lambda p: p.stat().st_mtime, reverse=True)
    now = time.time()
    for number, path in enumerate(files):
        if number >= KEEP_FILES - 1 or now - path.stat().st_mtime > KEEP_SECONDS:
            _forget(path.stem)


# -- settings from the page --------------------------------------------------------------------

def _settings(values: Any) -> LineArtSettings:
    def number(key: str, default: float) -> float:
        try:
            value = float(str(values.get(key, default))[:12])
        except ValueError:
            return default
        return value if math.isfinite(value) else default

    threshold_text = str(values.get("threshold", "auto"))
    threshold = None if threshold_text in ("", "auto") else int(number("threshold", 128))
    settings: LineArtSettings = _lineart().LineArtSettings(
        threshold, int(number("specks", 30)), number("gap", 8.0)).bounded()
    return settings


def _query(settings: LineArtSettings) -> dict[str, str]:
    return {"threshold": "auto" if settings.threshold is None else str(settings.threshold),
            "specks": str(settings.specks_px), "gap": f"{settings.gap_px:g}"}


def _art(scan: Scan, settings: LineArtSettings) -> bytes:
    """The line art's PNG, from the last few made (a tap after a slider reuses it)."""
    key = (_token() or "", settings)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    made: LineArt = _lineart().line_art(scan, settings)
    png = made.png
    with _CACHE_LOCK:
        _CACHE[key] = png
        while len(_CACHE) > 6:
            _CACHE.popitem(last=False)
    return png


def _kiosk_gap() -> float:
    """The kiosk's own gap setting (colouring_gap_px in head office's kiosk.yaml)."""
    try:
        return float(content_now().settings.colouring_gap_px)
    except Exception:  # the listing says what is wrong with the folder; the default here
        return float(_lineart().LineArtSettings().gap_px)


def _photo() -> bool:
    """The upload looked like a photo, not a line drawing (lineart.Scan.photo_like)."""
    return _meta().get("photo") is True


def _verdict(report: FloodReport, photo: bool = False) -> dict[str, Any]:
    """The report as the page shows it: a level (ok, warning) and a sentence."""
    share = round(report.share * 100)
    if photo:
        # Said before any leak: no slider makes a photo a colouring picture.
        text = t("Это похоже на фотографию, а не на рисунок линиями: раскраски из неё не "
                 "выйдет, настройки обработки тут не помогут. Нужен рисунок контурами, "
                 "фломастером на белой бумаге: отсканируйте его или сфотографируйте прямо "
                 "сверху, при хорошем свете, и нажмите «Загрузить другой рисунок».",
                 "This looks like a photograph, not a line drawing: it will not make a "
                 "colouring picture, and the clean-up settings will not help. What is needed "
                 "is a drawing in outlines, in felt-tip on white paper: scan it or photograph "
                 "it from straight above, in good light, and press “Upload another drawing”.")
        level = "warning"
    elif report.floods:
        text = t(f"Одно касание закрашивает {share}\u00a0% листа: в линиях есть разрывы, через "
                 "них краска растекается из фигуры в фигуру. Места разрывов обведены красным. "
                 "Прибавьте «Закрыть разрывы» или дорисуйте линии на бумаге.",
                 f"One tap colours {share}\u00a0% of the sheet: the lines have breaks, and the "
                 "paint runs through them from shape to shape. The breaks are circled in red. "
                 "Raise “Close gaps” or finish the lines on paper.")
        level = "warning"
    elif report.problem:
        from kiosk.core.content.problems import Problem, Severity
        text = editor_message(Problem("", None, Severity.WARNING, report.problem,
                                      {"value": _meta().get("name", "")[:80]}), lang())
        level = "warning"
    else:
        areas = counted(report.regions, lang(), ("область", "области", "областей"),
                        ("area", "areas"))
        text = t(f"Подходит для раскраски: {areas}. Нажмите на картинку, чтобы попробовать "
                 "заливку.", f"Suitable for colouring: {areas}. Click the picture to try a fill.")
        level = "ok"
    return {"level": level, "text": text, "photo": photo, "floods": report.floods,
            "problem": report.problem,
            "share": report.share, "regions": report.regions,
            # A photo's «breaks» would send her to close them: not circled.
            "breaks": [] if photo else [list(box) for box in report.breaks]}


# -- pages -------------------------------------------------------------------------------------

@wizard_bp.route("/")
@_login_required
def index() -> ResponseReturnValue:
    # «Добавить → Раскраску из рисунка» starts a new one: a drawing uploaded and left is
    # offered on the page (to go on with), not opened as if it were new.
    return _upload_page(None)


def _upload_page(error: str | None) -> str:
    # The page's script says «no file» by the drop area itself, in the editor's words (not the
    # browser's bubble at the window's edge); the server says it the same where it cannot.
    token = _token()
    draft = token is not None and (_folder() / f"{token}.png").is_file()
    return render_template("wizard_upload.html", error=error, no_file=t(*NO_FILE), draft=draft)


@wizard_bp.route("/upload", methods=["POST"])
@_login_required
def upload() -> ResponseReturnValue:
    file = request.files.get("scan")
    if file is None or not file.filename:
        return _upload_page(t(*NO_FILE)), 400
    name = file.filename[-80:]
    data = file.stream.read(config().max_request_bytes + 1)
    try:
        scan = _lineart().read_scan(data, name)
    except _photo_rejected() as exc:
        return _upload_page(exc.message(lang())), 400
    _keep(scan, name)
    return redirect(url_for("wizard.edit"), code=303)


@wizard_bp.route("/edit")
@_login_required
def edit() -> ResponseReturnValue:
    scan = _scan()
    if scan is None:
        return redirect(url_for("wizard.index"))
    settings = _settings(request.args)
    report = _lineart().flood_report(_art(scan, settings), _kiosk_gap())
    return _edit_page(scan, settings, report, request.args.get("title", ""),
                      request.args.get("title_en", ""), None)


@wizard_bp.route("/art.png")
@_login_required
def art() -> ResponseReturnValue:
    scan = _scan()
    if scan is None:
        abort(404)
    response = Response(_art(scan, _settings(request.args)), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=600"
    return response


@wizard_bp.route("/report.json")
@_login_required
def report() -> ResponseReturnValue:
    scan = _scan()
    if scan is None:
        return jsonify(error=t("Загрузите рисунок заново.", "Upload the drawing again.")), 404
    settings = _settings(request.args)
    made = _art(scan, settings)
    verdict = _verdict(_lineart().flood_report(made, _kiosk_gap()), _photo())
    level = scan.otsu if settings.threshold is None else settings.threshold
    return jsonify(verdict=verdict, threshold=level,
                   image=url_for("wizard.art") + "?" + urlencode(_query(settings)))


@wizard_bp.route("/try.json")
@_login_required
def try_fill() -> ResponseReturnValue:
    """A tap at (fx, fy), fractions of the picture's width and height."""
    scan = _scan()
    if scan is None:
        return jsonify(error=t("Загрузите рисунок заново.", "Upload the drawing again.")), 404
    try:
        raw_x, raw_y = (float(request.args.get(key, "")[:12]) for key in ("fx", "fy"))
    except ValueError:
        abort(400)
    if not (math.isfinite(raw_x) and math.isfinite(raw_y)):
        abort(400)
    fx, fy = min(1.0, max(0.0, raw_x)), min(1.0, max(0.0, raw_y))
    settings = _settings(request.args)
    made = _art(scan, settings)
    height, width = scan.grey.shape
    image, share = _lineart().trial_fill(made, min(width - 1, int(fx * width)),
                              min(height - 1, int(fy * height)), _kiosk_gap())
    percent = round(share * 100)
    if share >= FLOOD_WARNING and _photo():
        warning = t(f"Это касание закрасило {percent}\u00a0% листа: это похоже на фотографию, "
                    "а не на рисунок линиями, и настройки обработки тут не помогут.",
                    f"This tap coloured {percent}\u00a0% of the sheet: this looks like a "
                    "photograph, not a line drawing, and the clean-up settings will not help.")
    elif share >= FLOOD_WARNING:
        warning = t(f"Это касание закрасило {percent}\u00a0% листа. Если так и задумано (фон "
                    "вокруг рисунка) — всё в порядке; если краска ушла за линии, значит, в них "
                    "разрывы: прибавьте «Закрыть разрывы».",
                    f"This tap coloured {percent}\u00a0% of the sheet. If that is meant (the "
                    "background around the drawing), all is well; if the paint went past the "
                    "lines, they have breaks: raise “Close gaps”.")
    elif share == 0:
        warning = t("Касание пришлось на толстую линию: закрашивать тут нечего.",
                    "The tap landed on a thick line: there is nothing to colour there.")
    else:
        warning = ""
    # A small shape is less than half a per cent of the sheet: never «0 %». The sign stays
    # with its number (a no-break space): the verdict's column is narrow.
    amount = f"{percent}\u00a0%" if percent >= 1 else t("меньше 1\u00a0%", "less than 1\u00a0%")
    said = t(f"Это касание закрасило {amount} листа.", f"This tap coloured {amount} of the sheet.")
    return jsonify(image="data:image/png;base64," + base64.b64encode(image).decode(),
                   share=share, percent=percent, warning=warning, text=said)


@wizard_bp.route("/again", methods=["POST"])
@_login_required
def again() -> ResponseReturnValue:
    token = _token()
    if token is not None:
        _forget(token)
    for key in WIZARD_KEYS:
        session.pop(key, None)
    return redirect(url_for("wizard.index"), code=303)


@wizard_bp.route("/publish", methods=["POST"])
@_login_required
def publish() -> ResponseReturnValue:
    scan = _scan()
    upload = request.form.get("upload")
    if scan is not None and upload != _token():
        # The page was opened for another upload (a newer one in another tab replaced it):
        # never publish a drawing the person did not see.
        flash(t("Рисунок на этой странице заменили новой загрузкой (в другой вкладке?). "
                "Ничего не опубликовано: проверьте рисунок ниже и опубликуйте снова.",
                "The drawing on that page was replaced by a newer upload (in another tab?). "
                "Nothing was published: check the drawing below and publish again."), "error")
        return redirect(url_for("wizard.edit"), code=303)
    if scan is None:
        flash(t("Рисунок не найден: загрузите его заново.", "The drawing is gone: upload it "
                "again."), "error")
        return redirect(url_for("wizard.index"), code=303)
    settings = _settings(request.form)
    title = typed_title(request.form.get("title", ""))
    title_en = typed_title(request.form.get("title_en", ""))
    made = _art(scan, settings)
    report = _lineart().flood_report(made, _kiosk_gap())
    error = _publish_problem(title, title_en, report, _photo(),
                             request.form.get("anyway") == "1")
    if error:
        return _edit_again(settings, report, title, title_en, error), 400
    # The index is read, added to and written over what was read, a new picture over nothing:
    # a colleague publishing in the same moment is read again, not written over.
    def plan() -> Plan:
        file_name, text, read = _index_with(title, title_en)
        return Plan({f"colouring/{file_name}": made, INDEX: text}, "colouring", title,
                    {f"colouring/{file_name}": None, INDEX: read})

    try:
        record = publisher().publish_fresh(plan, current_user())
    except PublishConflict:
        return _edit_again(settings, report, title, title_en, t(*BUSY)), 409
    except PublishError as exc:
        return _edit_again(settings, report, title, title_en, t(exc.ru, exc.en)), 409
    token = _token()
    if token is not None:
        _forget(token)
    for key in WIZARD_KEYS:
        session.pop(key, None)
    picture = next((change.path for change in record.files if change.path.endswith(".png")), "")
    flash(t(f"Раскраска «{title}» опубликована: она появится на экране раскрасок.",
            f"The picture “{title}” has been published: it will appear on the colouring screen."),
          done(record.id, "colouring", picture.removeprefix("colouring/").removesuffix(".png")))
    return redirect(url_for("editor.listing"), code=303)


def _publish_problem(title: str, title_en: str, report: FloodReport, photo: bool,
                     anyway: bool) -> str:
    said = title_problem(title, title_en)
    if said:
        return said
    if (report.problem or photo) and not anyway:
        return t("Сначала исправьте то, о чём сказано выше (или отметьте «Всё равно "
                 "опубликовать»): на экране киоска раскраска будет работать так же.",
                 "Fix what is said above first (or tick “Publish anyway”): on the kiosk the "
                 "picture will colour the same way.")
    return ""


def _index_with(title: str, title_en: str) -> tuple[str, bytes, bytes | None]:
    """The new file's name, the centre's colouring.yaml with the new picture added, and the
    index as it was read (None: there was none); PublishError where it cannot be."""
    try:
        content = content_now()
        shown = len(content.colouring)
    except Exception:
        shown = 0
    if shown >= MAX_PICTURES:
        raise PublishError(f"На экране раскрасок уже {MAX_PICTURES} картинок — больше он не "
                           "показывает. Скройте картинку головного офиса или уберите свою в "
                           "списке материалов, потом публикуйте.",
                           f"The colouring screen already has {MAX_PICTURES} pictures, as many "
                           "as it shows. Hide a head-office picture or remove one of yours in "
                           "the content list, then publish.")
    kept, raw = read_index()
    if kept is None:
        raise PublishError(*BROKEN)
    folder = config().centre / "colouring"
    taken = {p.stem for p in folder.iterdir()} if folder.is_dir() else set()
    taken |= {Path(entry["file"]).stem for entry in kept}
    name = unused_slug(slugify(title)[:40] or "picture", taken) + ".png"
    kept.append({"file": name, "title": title, **({"title_en": title_en} if title_en else {})})
    return name, index_text(kept), raw


def _edit_again(settings: LineArtSettings, report: FloodReport, title: str, title_en: str,
                error: str) -> str:
    scan = _scan()
    assert scan is not None
    return _edit_page(scan, settings, report, title, title_en, error)


def _edit_page(scan: Scan, settings: LineArtSettings, report: FloodReport, title: str,
               title_en: str, error: str | None) -> str:
    """The wizard's page of sliders and trial fills for this scan."""
    meta = _meta()
    height, width = scan.grey.shape
    return render_template(
        "wizard_edit.html", settings=settings, query=_query(settings), otsu=scan.otsu,
        verdict=_verdict(report, _photo()), name=str(meta.get("name", "")),
        notes=[str(n) for n in meta.get("notes", [])][:5], width=width, height=height,
        max_specks=_lineart().MAX_SPECKS_PX, max_gap=int(_lineart().MAX_GAP_PX),
        title=title[:MAX_TITLE],
        title_en=title_en[:MAX_TITLE], error=error)
