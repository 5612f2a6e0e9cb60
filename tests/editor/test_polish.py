"""The staff editor's finishing touches, through Flask's test client: a form still posts after
a new sign-in in another tab (and CSRF still holds), counted nouns in their right form, the
trial fill of a small shape, who is signed in, the form's names of its fields in the loader's
messages, a photo that stays a draft until its story is published, the typeface served, the
guide's screenshots installed with it."""

from __future__ import annotations

import glob
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from kiosk.core.content.problems import Problem, Severity
from kiosk.core.i18n import counted
from kiosk.core.paths import package_folder
from kiosk.core.pin import PinStore
from kiosk.editor import views
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.lineart import FloodReport

SHARED = package_folder("content")
ROOT = Path(__file__).resolve().parents[2]
PIN = "48291375"
TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай и помог со всеми документами.")


def story(**fields: str) -> dict[str, str]:
    return {"title": "Зонтик для бабушки", "text": TEXT, "period": "always", "days": "all",
            "hours": "", **fields}


def jpeg(width: int = 1200, height: int = 900) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def centre_files(centre: Path) -> list[str]:
    return sorted(str(p.relative_to(centre)) for p in centre.rglob("*") if p.is_file())


@pytest.fixture
def signed(tmp_path: Path) -> Flask:
    """An editor with sign-in and CSRF on, as it is served."""
    (tmp_path / "centre").mkdir()
    PinStore(tmp_path / "state").set_pin(PIN)
    app = create_app(EditorConfig(SHARED, tmp_path / "centre", tmp_path / "state"))
    app.testing = True
    return app


def page_token(client: FlaskClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(True))
    assert found
    return found.group(1)


def sign_in(client: FlaskClient) -> None:
    answer = client.post("/signin", data={"method": "pin", "pin": PIN,
                                          "csrf_token": page_token(client, "/signin")})
    assert answer.status_code == 303


# -- 1. a form opened before a new sign-in --------------------------------------------------------

def test_after_a_new_sign_in_the_old_tab_asks_for_the_token_and_publishes(
        signed: Flask, tmp_path: Path) -> None:
    client = signed.test_client()
    sign_in(client)
    page = client.get("/stories/new").get_data(as_text=True)
    old = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert old and 'data-token-url="/session/token"' in page and 'data-user="ПИН-код"' in page
    # The session ends (signed out in another tab) and she signs in again there.
    assert client.post("/signout", data={"csrf_token": old.group(1)}).status_code == 303
    sign_in(client)
    # The token the old tab was given is refused, as before: CSRF is not weakened.
    assert client.post("/stories/save", data={**story(), "csrf_token": old.group(1)}
                       ).status_code == 400
    # Its script asks for this session's token, then the same form publishes.
    answer = client.get("/session/token")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    fresh = answer.get_json()
    assert fresh["user"] == "ПИН-код" and fresh["token"] != old.group(1)
    saved = client.post("/stories/save", data={**story(), "csrf_token": fresh["token"]})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert centre_files(tmp_path / "centre") == ["stories/zontik-dlya-babushki.md"]


def test_the_token_is_only_for_a_signed_in_session(signed: Flask) -> None:
    stranger, member = signed.test_client(), signed.test_client()
    answer = stranger.get("/session/token")
    assert answer.status_code == 303 and answer.location.startswith("/signin")
    sign_in(member)
    theirs = member.get("/session/token").get_json()["token"]
    sign_in(stranger)
    # A token of another session is no use to this one.
    assert stranger.post("/signout", data={"csrf_token": theirs}).status_code == 400


def test_the_scripts_say_so_when_a_fetch_lands_on_the_sign_in_page() -> None:
    static = ROOT / "src/kiosk/editor/static"
    editor, preview, wizard = ((static / name).read_text(encoding="utf-8")
                               for name in ("editor.js", "preview.js", "wizard.js"))
    assert "isSignIn(r)" in editor and "freshToken" in editor and "requestSubmit" in editor
    assert "helper.isSignIn(response)" in preview and "freshToken" in preview
    assert "offerSignIn" in preview  # «Войти снова» (test_session_browser presses it)
    assert wizard.count(".then(answered)") == 2 and "helper.isSignIn(answer)" in wizard
    assert wizard.count("offerSignIn") == 2  # the reading and the trial fill


# -- 2. counted nouns -----------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "ru", "en"), [
    (1, "1 слово", "1 word"), (2, "2 слова", "2 words"), (5, "5 слов", "5 words"),
    (11, "11 слов", "11 words"), (21, "21 слово", "21 words"), (114, "114 слов", "114 words"),
    (0, "0 слов", "0 words"), (1000, "1000 слов", "1,000 words"),
    (37_001, "37\u00a0001 слово", "37,001 words")])
def test_counted_nouns(number: int, ru: str, en: str) -> None:
    assert counted(number, "ru", ("слово", "слова", "слов"), ("word", "words")) == ru
    assert counted(number, "en", ("слово", "слова", "слов"), ("word", "words")) == en


@pytest.mark.parametrize(("words", "ru", "en"), [
    ("1", "входит только первое слово.", "only its first word fits in them."),
    ("2", "входят первые 2 слова.", "its first 2 words fit in them."),
    ("5", "входят первые 5 слов.", "its first 5 words fit in them.")])
def test_a_long_title_counts_its_words_in_words(words: str, ru: str, en: str) -> None:
    problem = Problem("a.md", None, Severity.WARNING, "headline_long",
                      {"value": "Т", "words": words, "lines": "3"})
    assert "3 строки, и в них " + ru in problem.message("ru")
    assert "there are 3 lines, and " + en in problem.message("en")
    assert "(а)" not in problem.message("ru")
    card = Problem("a.md", None, Severity.WARNING, "title_too_long_for_card",
                   {"value": "Т", "lines": "5", "orientation": "landscape", "most": "40"})
    assert "займёт 5 строк и" in card.message("ru") and "(и)" not in card.message("ru")


@pytest.mark.parametrize(("regions", "ru", "en"), [
    (1, "1 область", "1 area"), (3, "3 области", "3 areas"), (25, "25 областей", "25 areas")])
def test_the_wizard_counts_areas_in_words(client: FlaskClient, regions: int, ru: str,
                                          en: str) -> None:
    from kiosk.editor.wizard import _verdict

    report = FloodReport(floods=False, share=0.1, leaked=0.0, breaks=(), regions=regions,
                         problem="")
    app = client.application
    with app.test_request_context():
        assert f"Подходит для раскраски: {ru}." in _verdict(report)["text"]
    with app.test_request_context():
        from flask import session
        session["lang"] = "en"
        assert f"Suitable for colouring: {en}." in _verdict(report)["text"]


# -- 3. a trial fill of a small shape -------------------------------------------------------------

def test_a_small_shape_is_less_than_one_per_cent_never_zero(
        client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.editor import lineart
    from tests.drawings import drawing
    from tests.editor.test_wizard import upload

    picture = io.BytesIO()
    Image.fromarray(drawing(800, 600)).save(picture, "PNG")
    assert upload(client, picture.getvalue(), "a.png").status_code == 303
    monkeypatch.setattr(lineart, "trial_fill", lambda *args: (b"png", 0.003))
    data = client.get("/colouring/try.json?fx=0.5&fy=0.5").get_json()
    # The sign stays with its number: a no-break space.
    assert data["text"] == "Это касание закрасило меньше 1\u00a0% листа." and not data["warning"]
    monkeypatch.setattr(lineart, "trial_fill", lambda *args: (b"png", 0.12))
    assert client.get("/colouring/try.json?fx=0.5&fy=0.5").get_json()["text"] == \
        "Это касание закрасило 12\u00a0% листа."
    script = (ROOT / "src/kiosk/editor/static/wizard.js").read_text(encoding="utf-8")
    assert "data.warning || data.text" in script and "data.percent" not in script


# -- 4. who is signed in --------------------------------------------------------------------------

def test_the_header_says_how_she_signed_in(signed: Flask, tmp_path: Path) -> None:
    client = signed.test_client()
    sign_in(client)
    page = client.get("/").get_data(as_text=True)
    assert "Вы вошли по ПИН-коду</span>" in page and ">ПИН-код</span>" not in page
    assert '<span class="who-sep" aria-hidden="true">·</span>' in page
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert "Signed in with the PIN</span>" in client.get("/").get_data(as_text=True)
    # Who published, in the history: the PIN in the page's language, as the header says it.
    client.post("/stories/save", data={**story(), "csrf_token": page_token(client,
                                                                           "/stories/new")})
    history = client.get("/history").get_data(as_text=True)
    assert ">staff PIN</td>" in history and ">ПИН-код</td>" not in history
    from kiosk.editor import auth  # a real account: a forged session is refused (h13)

    auth.Accounts(tmp_path / "state" / "editor" / auth.ACCOUNTS_FILE).add("anna", "пароль-анны-1")
    with client.session_transaction() as session:
        session["lang"] = "ru"
    client.post("/signout", data={"csrf_token": (client.get("/session/token").json or {})["token"]})
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/signin").get_data(as_text=True))
    assert token
    client.post("/signin", data={"method": "account", "name": "anna",
                                 "password": "пароль-анны-1", "csrf_token": token.group(1)})
    assert '<span class="who">anna</span>' in client.get("/").get_data(as_text=True)


# -- 5. the loader's messages with the form's names -----------------------------------------------

def test_a_message_names_the_field_as_the_form_does(client: FlaskClient) -> None:
    answer = client.post("/stories/save", data=story(text=TEXT + "\n\n![фото](images/a.jpg)"))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "укажите картинку в поле «Фото»" in page and "«photo:»" not in page


def test_one_table_places_the_problems_on_fields() -> None:
    assert not hasattr(views, "CODE_FIELDS") and not hasattr(views, "FORM_FIELDS")
    source = (ROOT / "src/kiosk/editor/views.py").read_text(encoding="utf-8")
    assert "field_of(problem.code" in source


# -- 6. a photo is a draft until its story is published -------------------------------------------

def test_an_uploaded_photo_stays_a_draft_until_the_story_is_published(
        client: FlaskClient, config: EditorConfig) -> None:
    answer = client.post("/photo", data={"photo": (io.BytesIO(jpeg()), "IMG_1.JPG"),
                                         "title": "Зонтик"})
    assert answer.status_code == 200
    photo = answer.get_json()["photo"]
    # Nothing in the centre folder or the history yet: «Не сохранять» leaves nothing behind.
    assert centre_files(config.centre) == []
    assert client.get("/history").get_data(as_text=True).count("IMG_1.JPG") == 0
    assert client.get(answer.get_json()["url"]).status_code == 200  # the form's thumbnail
    with client.application.test_request_context():
        assert views.draft_photo(photo) is not None  # the preview's photo_source

    saved = client.post("/stories/save", data=story(photo=photo))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert centre_files(config.centre) == sorted([photo, "stories/zontik-dlya-babushki.md"])
    with client.application.test_request_context():
        assert views.draft_photo(photo) is None
        records = views.publisher().history()
    assert len(records) == 1  # one record: the story and its photo
    assert client.post(f"/history/{records[0].id}/undo").status_code == 302
    assert centre_files(config.centre) == []


# -- 7. the typeface ------------------------------------------------------------------------------

def test_the_kiosks_typeface_is_served_to_every_page(signed: Flask) -> None:
    client = signed.test_client()  # not signed in: the sign-in page needs it too
    page = client.get("/signin").get_data(as_text=True)
    assert '@font-face { font-family: "PT Sans"; font-weight: 400; src: url("/fonts/' \
        'PTSans-Regular.ttf")' in page
    for name in ("PTSans-Regular.ttf", "PTSans-Bold.ttf"):
        font = client.get(f"/fonts/{name}")
        assert font.status_code == 200 and font.data[:4] == b"\0\1\0\0", name
        font.close()
    assert client.get("/fonts/kiosk.yaml").status_code == 404
    refused = client.post("/signin", data={"method": "pin", "pin": PIN}).get_data(True)
    assert 'url("/fonts/PTSans-Regular.ttf")' in refused  # the plain refusal page too
    licence = (package_folder("assets") / "fonts" / "LICENSE-PTSans.txt").read_text("utf-8")
    assert "ParaType Free Font Licensing Agreement" in licence


# -- 8. the guide's screenshots in the package ----------------------------------------------------

def test_every_picture_a_packaged_guide_shows_is_packaged_beside_it() -> None:
    """dh_installdocs puts each file of debian/kiosk.docs in /usr/share/doc/kiosk/; dh_install
    each line of debian/kiosk.install (a glob, then the folder) where it says."""
    installed: set[str] = set()
    for line in (ROOT / "debian/kiosk.install").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            source, target = line.split()
            for found in glob.glob(str(ROOT / source)):
                installed.add(f"{target.rstrip('/')}/{Path(found).name}")
    missing = []
    for doc in (ROOT / "debian/kiosk.docs").read_text(encoding="utf-8").split():
        if not doc.endswith(".md"):
            continue
        text = (ROOT / doc).read_text(encoding="utf-8")
        for link in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text):
            if link.endswith((".png", ".jpg", ".svg")) and "://" not in link and \
                    f"usr/share/doc/kiosk/{link}" not in installed:
                missing.append(f"{doc}: {link}")
    assert not missing
    assert "usr/share/doc/kiosk/screenshots/editor/03-story-form.png" in installed
