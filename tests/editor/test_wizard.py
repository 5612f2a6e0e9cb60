"""The colouring wizard's pages through Flask's test client: upload, sliders, trial fills,
publishing into the centre's colouring/ folder (and the kiosk loading it), hostile uploads."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.test import TestResponse

from kiosk.core.content.loader import load_content
from kiosk.core.paths import package_folder
from kiosk.core.pin import PinStore
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from tests.drawings import BREAK, drawing, jpeg, photographed, street_photo

SHARED = package_folder("content")


@pytest.fixture(scope="module")
def broken_scan() -> bytes:
    """A phone photo of a marker drawing whose lines have breaks."""
    return jpeg(photographed(drawing(2100, 1500, breaks=round(BREAK * 1.5), line=10)))


def upload(client: FlaskClient, data: bytes, name: str = "scan.jpg") -> TestResponse:
    # The body made here: werkzeug's builder spools a large one to a temporary file that it
    # leaves open.
    boundary = "----kiosk-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"scan\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/colouring/upload", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")



def upload_token(client: FlaskClient) -> str:
    """The upload the page shows: the publish form sends it back (another tab's is refused)."""
    with client.session_transaction() as session:
        return str(session.get("wizard", ""))

def centre_files(config: EditorConfig) -> list[str]:
    return sorted(str(p.relative_to(config.centre)) for p in config.centre.rglob("*")
                  if p.is_file())


def test_upload_then_sliders_then_a_trial_fill(client: FlaskClient, config: EditorConfig,
                                               broken_scan: bytes) -> None:
    assert client.get("/colouring/").status_code == 200
    answer = upload(client, broken_scan)
    assert answer.status_code == 303 and answer.location.endswith("/colouring/edit")
    # Kept in the editor's state folder, never in the content.
    assert len(list((config.editor_state / "wizard").glob("*.png"))) == 1
    assert centre_files(config) == []

    page = client.get("/colouring/edit?gap=0").get_data(as_text=True)
    assert "Одно касание закрашивает" in page and 'class="break"' in page
    art = client.get("/colouring/art.png?gap=0")
    assert art.mimetype == "image/png"
    assert Image.open(io.BytesIO(art.data)).size == (2048, 1463)

    # Raising «close gaps» seals the breaks: the same page says it is fit for colouring.
    report = client.get("/colouring/report.json?gap=32&specks=30&threshold=auto").get_json()
    assert report["verdict"]["level"] == "ok" and not report["verdict"]["breaks"]
    flooding = client.get("/colouring/report.json?gap=0").get_json()
    assert flooding["verdict"]["floods"] and flooding["verdict"]["problem"] == "colouring_gaps"
    assert 1 <= flooding["threshold"] <= 254

    # A tap inside the house: with breaks it floods the sheet, and the page says so.
    tap = client.get("/colouring/try.json?gap=0&fx=0.23&fy=0.8").get_json()
    assert tap["share"] > 0.8 and "закрасило" in tap["warning"]
    filled = Image.open(io.BytesIO(base64.b64decode(tap["image"].split(",", 1)[1])))
    assert filled.size[0] == 1024
    sealed = client.get("/colouring/try.json?gap=32&fx=0.23&fy=0.8").get_json()
    assert 0.05 < sealed["share"] < 0.3 and sealed["warning"] == ""


def test_publishing_writes_the_picture_and_its_title_and_the_kiosk_shows_it(
        client: FlaskClient, config: EditorConfig, broken_scan: bytes) -> None:
    upload(client, broken_scan)
    # Still flooding: refused until fixed or «publish anyway».
    refused = client.post("/colouring/publish", data={
        "upload": upload_token(client), "title": "Домик", "gap": "0"})
    assert refused.status_code == 400 and centre_files(config) == []
    assert "Всё равно опубликовать" in refused.get_data(as_text=True)
    # A form that does not say which upload it shows publishes nothing (another tab's?).
    client.post("/colouring/publish", data={"title": "Домик", "gap": "32"})
    assert centre_files(config) == []
    nameless = client.post("/colouring/publish", data={
        "upload": upload_token(client), "title": "  ", "gap": "32"})
    assert nameless.status_code == 400 and "название" in nameless.get_data(as_text=True)
    # Said in the publish card, where she pressed the button (its title focused), not
    # above the picture; the browser's own bubble does not come first (novalidate).
    card = nameless.get_data(as_text=True).split('id="publish"', 1)[1].split("</form>")[0]
    assert 'role="alert"' in card and "название" in card and "novalidate" in card
    assert "autofocus" in card.split('name="title"', 1)[1].split(">", 1)[0]

    done = client.post("/colouring/publish", data={"upload": upload_token(client),
        "title": "Домик у реки", "title_en": "A house by the river", "gap": "32",
        "specks": "30", "threshold": "auto"})
    assert done.status_code == 303
    assert centre_files(config) == ["colouring/colouring.yaml", "colouring/domik-u-reki.png"]
    listing = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'href="#colouring-domik-u-reki">Показать в списке' in listing
    assert '<tr id="colouring-domik-u-reki"' in listing
    index = yaml.safe_load((config.centre / "colouring" / "colouring.yaml").read_text("utf-8"))
    assert index == [{"file": "domik-u-reki.png", "title": "Домик у реки",
                      "title_en": "A house by the river"}]
    # The upload is forgotten once published.
    assert list((config.editor_state / "wizard").glob("*.png")) == []
    # The kiosk loads it with its title, next to head office's pictures, without a word.
    content = load_content(config.content, centre=config.centre)
    mine = [p for p in content.colouring if p.source.name == "domik-u-reki.png"]
    assert mine and mine[0].title.get("ru") == "Домик у реки" and mine[0].origin == "centre"
    assert not [p for p in content.problems if "domik" in p.path]
    # A second picture of the same name gets a name of its own; the index keeps both.
    upload(client, broken_scan)
    client.post("/colouring/publish", data={
        "upload": upload_token(client), "title": "Домик у реки", "gap": "32"})
    index = yaml.safe_load((config.centre / "colouring" / "colouring.yaml").read_text("utf-8"))
    assert [e["file"] for e in index] == ["domik-u-reki.png", "domik-u-reki-2.png"]
    # Undo (the editor's history) takes the picture and its line in the index back.
    history = client.get("/history").get_data(as_text=True)
    assert "опубликована раскраска</b>: Домик у реки" in history  # not «colouring: …»


def test_a_photo_is_said_to_be_a_photo_not_sent_to_the_sliders(client: FlaskClient,
                                                              config: EditorConfig) -> None:
    """A street photo came out «в линиях есть разрывы… прибавьте «Закрыть разрывы»»: staff
    were sent to the sliders with a picture they can never make a colouring picture of."""
    upload(client, street_photo(), "IMG_2041.jpg")
    said = "Это похоже на фотографию, а не на рисунок линиями"
    page = client.get("/colouring/edit").get_data(as_text=True)
    assert said in page and "прямо сверху, при хорошем свете" in page
    assert "Прибавьте «Закрыть разрывы»" not in page and 'class="break"' not in page
    for gap in ("0", "32", "48"):  # whatever the sliders say
        verdict = client.get(f"/colouring/report.json?gap={gap}").get_json()["verdict"]
        assert verdict["photo"] and verdict["level"] == "warning" and said in verdict["text"]
    tap = client.get("/colouring/try.json?fx=0.5&fy=0.1").get_json()
    assert "Закрыть разрывы" not in tap["warning"]
    form = {"title": "Улица", "upload": upload_token(client)}
    assert client.post("/colouring/publish", data=form).status_code == 400  # not without
    assert centre_files(config) == []
    assert client.post("/colouring/publish", data={**form, "anyway": "1"}).status_code == 303
    # A drawing is not taken for a photo.
    upload(client, jpeg(photographed(drawing(1400, 1000))))
    assert said not in client.get("/colouring/edit").get_data(as_text=True)


def test_publish_anyway_takes_a_flooding_picture_with_its_warning(
        client: FlaskClient, config: EditorConfig, broken_scan: bytes) -> None:
    upload(client, broken_scan)
    done = client.post("/colouring/publish", data={
        "upload": upload_token(client), "title": "Как есть", "gap": "0",
                                                   "anyway": "1"})
    assert done.status_code == 303
    content = load_content(config.content, centre=config.centre)
    assert content.colouring


def test_the_thirteenth_picture_is_refused(client: FlaskClient, config: EditorConfig,
                                           broken_scan: bytes) -> None:
    folder = config.centre / "colouring"
    folder.mkdir()
    clean = Image.fromarray(drawing(700, 500))
    for number in range(3):  # 9 of head office's and 3 of the centre's: twelve
        clean.save(folder / f"own-{number}.png")
    upload(client, broken_scan)
    answer = client.post("/colouring/publish", data={
        "upload": upload_token(client), "title": "Тринадцатая", "gap": "32"})
    assert answer.status_code == 409
    assert "уже 12 картинок" in answer.get_data(as_text=True)
    assert sorted(p.name for p in folder.iterdir()) == ["own-0.png", "own-1.png", "own-2.png"]


SVG_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')


def _png_bomb() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 90000, 90000, 8, 0,
                                                                0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"just some text", "scan.jpg", "не фотография"),
    (SVG_ENTITY, "drawing.svg", "картинка SVG"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anim.gif", "картинка GIF"),
    (_png_bomb(), "bomb.png", "слишком большое"),
])
def test_hostile_uploads_are_refused_with_a_reason(client: FlaskClient, config: EditorConfig,
                                                   data: bytes, name: str, said: str) -> None:
    answer = upload(client, data, name)
    assert answer.status_code == 400
    assert said in answer.get_data(as_text=True)
    assert not (config.editor_state / "wizard").exists() or \
        list((config.editor_state / "wizard").iterdir()) == []
    assert client.get("/colouring/edit").status_code == 302  # nothing to edit


def test_add_starts_a_new_picture_and_offers_the_one_left(client: FlaskClient,
                                                          broken_scan: bytes) -> None:
    """A drawing uploaded and left came back under «Новая раскраска из рисунка» from «Добавить»:
    a fresh start took «Загрузить другой рисунок» and a confirmation."""
    assert 'id="draft"' not in client.get("/colouring/").get_data(as_text=True)
    upload(client, broken_scan)
    answer = client.get("/colouring/")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'id="scan-file"' in page  # the upload page
    assert "У вас есть начатая раскраска" in page and 'href="/colouring/edit"' in page
    assert client.get("/colouring/edit").status_code == 200  # still there to go on with


def test_no_file_is_said_under_the_drop_area_in_the_editors_words(client: FlaskClient) -> None:
    page = client.get("/colouring/").get_data(as_text=True)
    # Not `required`: the browser's own bubble would come up instead of the editor's words.
    assert 'id="scan-file"' in page and " required" not in page
    answer = client.post("/colouring/upload", data={}, content_type="multipart/form-data")
    said = answer.get_data(as_text=True)
    assert answer.status_code == 400
    drop, bar = said.index('id="scan-drop"'), said.index('id="scan-error"')
    assert drop < bar < said.index("</form>", drop)  # in the form, under the drop area
    assert said[bar:said.index("</div>", bar)].endswith("Выберите файл: фото или скан рисунка.")


def test_a_truncated_jpeg_is_refused(client: FlaskClient, broken_scan: bytes) -> None:
    answer = upload(client, broken_scan[: len(broken_scan) // 2])
    assert answer.status_code == 400
    assert "повреждён" in answer.get_data(as_text=True)


def test_a_heic_named_jpg_is_taken(client: FlaskClient) -> None:
    import pillow_heif

    out = io.BytesIO()
    pillow_heif.from_pillow(Image.fromarray(drawing(700, 500)).convert("RGB")).save(out)
    answer = upload(client, out.getvalue(), "IMG_0042.jpg")
    assert answer.status_code == 303


def test_wild_parameters_are_bounded(client: FlaskClient, broken_scan: bytes) -> None:
    upload(client, broken_scan)
    for query in ("threshold=9999&specks=-4&gap=1e308", "threshold=nan&gap=nan",
                  "threshold=abc&specks=x"):
        assert client.get(f"/colouring/report.json?{query}").status_code == 200
    assert client.get("/colouring/try.json?fx=nan&fy=1").status_code == 400
    assert client.get("/colouring/try.json?fx=a&fy=1").status_code == 400
    assert client.get("/colouring/try.json?fx=7&fy=-3").get_json()["share"] >= 0


def test_without_an_upload_nothing_is_served(client: FlaskClient) -> None:
    assert client.get("/colouring/art.png").status_code == 404
    assert client.get("/colouring/report.json").status_code == 404
    assert client.get("/colouring/try.json?fx=0.5&fy=0.5").status_code == 404


def test_one_session_cannot_see_anothers_upload(app: Flask, broken_scan: bytes) -> None:
    with app.test_client() as first, app.test_client() as second:
        upload(first, broken_scan)
        assert first.get("/colouring/art.png").status_code == 200
        assert second.get("/colouring/art.png").status_code == 404
        # A token forged into the session is never a path.
        with second.session_transaction() as session:
            session["wizard"] = "../../etc/passwd"
        assert second.get("/colouring/art.png").status_code == 404


def test_a_post_without_the_csrf_token_is_refused(tmp_path: Path, broken_scan: bytes) -> None:
    centre = tmp_path / "centre"
    centre.mkdir()
    app = create_app(EditorConfig(SHARED, centre, tmp_path / "state", login_disabled=True,
                                  csrf=True))
    with app.test_client() as client:
        answer = upload(client, broken_scan)
        assert answer.status_code == 400
        assert client.post("/colouring/publish", data={
        "upload": upload_token(client), "title": "x"}).status_code == 400
    assert list(centre.iterdir()) == []


def test_every_page_needs_sign_in(tmp_path: Path) -> None:
    centre = tmp_path / "centre"
    centre.mkdir()
    PinStore(tmp_path / "state").set_pin("24681357")
    app = create_app(EditorConfig(SHARED, centre, tmp_path / "state", csrf=False))
    with app.test_client() as client:
        for url in ("/colouring/", "/colouring/edit", "/colouring/art.png",
                    "/colouring/report.json", "/colouring/try.json?fx=0&fy=0"):
            answer = client.get(url)
            assert answer.status_code in (302, 303), url
            assert "/login" in answer.location or "sign" in answer.location, url
        assert client.post("/colouring/upload").status_code in (302, 303)
        assert client.post("/colouring/publish").status_code in (302, 303)


def test_the_json_is_plain(client: FlaskClient, broken_scan: bytes) -> None:
    upload(client, broken_scan)
    data = json.loads(client.get("/colouring/report.json").data)
    assert set(data) == {"verdict", "threshold", "image"}


def test_two_pictures_published_in_the_same_moment_are_both_listed(
        client: FlaskClient, config: EditorConfig, broken_scan: bytes,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """colouring.yaml is read, added to and written: a colleague's picture published between
    the read and the write was dropped from it (its file left unlisted)."""
    from kiosk.editor import wizard
    from kiosk.editor.publish import Publisher

    theirs = '- file: "kot.png"\n  title: "Кот"\n'.encode()
    original = getattr(wizard, "unused_slug")  # noqa: B009 (imported there, not exported)
    done: list[bool] = []

    def meanwhile(*args: object) -> str:
        if not done:
            done.append(True)
            Publisher(config.centre, config.editor_state).publish(
                {"colouring/kot.png": b"\x89PNG colleague", "colouring/colouring.yaml": theirs},
                "colleague", "colouring", "Кот")
        return str(original(*args))

    monkeypatch.setattr(wizard, "unused_slug", meanwhile)
    upload(client, broken_scan)
    done_answer = client.post("/colouring/publish", data={
        "upload": upload_token(client), "title": "Домик", "gap": "32"})
    assert done_answer.status_code == 303
    index = yaml.safe_load((config.centre / "colouring" / "colouring.yaml").read_text("utf-8"))
    assert [e["file"] for e in index] == ["kot.png", "domik.png"]


def test_a_title_with_a_stray_non_character_is_published_without_it(
        client: FlaskClient, config: EditorConfig, broken_scan: bytes) -> None:
    """U+FFFE pasted from a web page made colouring.yaml unreadable, and every later publish
    was refused: the title is published as it prints."""
    upload(client, broken_scan)
    client.post("/colouring/publish", data={"upload": upload_token(client),
                                             "title": "Кот\ufffe", "title_en": "Cat\uffff\x07",
                                             "gap": "32"})
    index = yaml.safe_load((config.centre / "colouring" / "colouring.yaml").read_text("utf-8"))
    assert index == [{"file": "kot.png", "title": "Кот", "title_en": "Cat"}]
