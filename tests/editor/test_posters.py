"""The poster form (kiosk.editor.poster_views) through Flask's test client: its rules, uploads
refused in words, publish and undo of the picture(s) and side file as one record, the kiosk's
loader reading what was published, and the live preview's landscape and portrait shots drawn
by the real renderer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from kiosk.core.content.loader import load_content
from kiosk.core.paths import package_folder
from kiosk.editor import photos
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.poster_form import PosterFields, from_poster_file, poster_lines

SHARED = package_folder("content")
BLUE, RED = (30, 90, 160), (200, 40, 40)


def picture(width: int = 1920, height: int = 1080, colour: tuple[int, int, int] = BLUE,
            kind: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, kind)
    return out.getvalue()


def upload(client: FlaskClient, data: bytes, name: str = "plakat.jpg"
           ) -> tuple[int, dict[str, str]]:
    answer = client.post("/posters/upload", data={"picture": (io.BytesIO(data), name)})
    body = answer.get_json()
    assert isinstance(body, dict), answer.get_data(as_text=True)
    return answer.status_code, body


def drafted(client: FlaskClient, width: int = 1920, height: int = 1080,
            colour: tuple[int, int, int] = BLUE) -> str:
    """A picture uploaded as the form's script does: the draft's name."""
    status, body = upload(client, picture(width, height, colour))
    assert status == 200, body
    return body["picture"]


def form(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"name": "График на праздники", "period": "always",
                               "days": "all", "hours": "", "fit": "whole", "duration": ""}
    base.update(fields)
    return base


def centre_files(config: EditorConfig) -> dict[str, bytes]:
    return {str(p.relative_to(config.centre)): p.read_bytes()
            for p in sorted(config.centre.rglob("*")) if p.is_file()}


def last_record(config: EditorConfig) -> str:
    return sorted((config.editor_state / "history/records").glob("*.json"))[-1].stem


def poster_problems(config: EditorConfig) -> list[str]:
    content = load_content(SHARED, sandboxed=False, centre=config.centre)
    return [p.code for p in content.problems if str(config.centre) in p.path]


# -- the form and publishing ------------------------------------------------------------------

def test_a_new_poster_is_published_with_its_side_file_and_the_kiosk_loads_it(
        client: FlaskClient, config: EditorConfig) -> None:
    assert "Добавить плакат" in client.get("/").get_data(as_text=True)
    page = client.get("/posters/new").get_data(as_text=True)
    assert 'name="picture_file"' in page and "SVG" in page and "posters/" in page
    assert 'name="period"' in page  # the schedule presets, as on the story form
    name = drafted(client, width=4000, height=2250)
    assert centre_files(config) == {}  # a draft until the poster is published
    answer = client.post("/posters/save", data=form(picture=name, duration="12", fit="fill",
                                                    period="yearly", month="12"))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    files = centre_files(config)
    assert sorted(files) == ["posters/grafik-na-prazdniki.jpg", "posters/grafik-na-prazdniki.yaml"]
    assert files["posters/grafik-na-prazdniki.yaml"].decode() == \
        "# График на праздники\nduration: 12\nfit: fill\nmonths: декабрь\n"
    with Image.open(config.centre / "posters/grafik-na-prazdniki.jpg") as image:
        assert image.size == (3840, 2160)  # photos.POSTER_LONG_SIDE, not the story photo's
    content = load_content(SHARED, sandboxed=False, centre=config.centre)
    poster = next(p for p in content.posters if p.id == "grafik-na-prazdniki")
    assert (poster.origin, poster.duration, poster.fit) == ("centre", 12.0, "fill")
    assert poster.schedule.months == frozenset({12})
    assert poster_problems(config) == []
    page = client.get("/").get_data(as_text=True)
    assert "/posters/grafik-na-prazdniki/edit" in page and "опубликован" in page
    assert ">График на праздники</a>" in page  # staff's name for it, kept in its side file
    # Head office's poster: only hidden on this kiosk, never edited.
    assert "posters/1-thank-you.svg" in page and "Скрыть на этом киоске" in page
    assert client.get("/posters/1-thank-you/edit").status_code == 404
    assert "опубликован плакат</b>: График на праздники" in client.get("/history").get_data(
        as_text=True)
    log = (config.editor_state / "publish-log.jsonl").read_text(encoding="utf-8")
    entry = json.loads(log.splitlines()[-1])
    assert entry["user"] == "test" and entry["time"] and entry["files"] == [
        "posters/grafik-na-prazdniki.jpg", "posters/grafik-na-prazdniki.yaml"]


def test_a_control_character_in_a_name_is_dropped_not_told_as_a_yaml_error(
        client: FlaskClient, config: EditorConfig) -> None:
    name = drafted(client)
    answer = client.post("/posters/save", data=form(picture=name, name="Афиша\x01 мая\x7f"))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    (side,) = (p for p in centre_files(config) if p.endswith(".yaml"))
    assert centre_files(config)[side].decode().startswith("# Афиша мая\n")
    assert poster_problems(config) == []


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"name": ""}, "name", "Напишите название"),
    ({"picture": ""}, "picture", "Добавьте картинку"),
    ({"duration": "500"}, "duration", "от 3 до 120"),
    ({"duration": "две"}, "duration", "от 3 до 120"),
    ({"period": "dates"}, "show_from", "хотя бы одну дату"),
])
def test_the_forms_rules_refuse_with_the_problem_on_its_field(
        client: FlaskClient, config: EditorConfig, fields: dict[str, str], field: str,
        words: str) -> None:
    sent = form(picture=drafted(client))
    sent.update(fields)
    answer = client.post("/posters/save", data=sent)
    assert answer.status_code == 422
    assert f'data-problem-for="{field}">' in answer.get_data(as_text=True)
    assert words in answer.get_data(as_text=True)
    assert centre_files(config) == {}


def test_a_picture_path_from_the_client_is_never_used(client: FlaskClient,
                                                      config: EditorConfig) -> None:
    for forged in ("../../etc/passwd", "images/../x.jpg", "/tmp/x.jpg"):
        answer = client.post("/posters/save", data=form(picture=forged))
        assert answer.status_code == 422 and "Добавьте картинку" in answer.get_data(as_text=True)
    assert centre_files(config) == {}


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"Hello, world " * 50, "plakat.jpg", "не фотография"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "plakat.svg",
     "рисунок SVG"),
    (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64, "clip.mp4", "видео"),
    (b"\x1aE\xdf\xa3" + b"\x00" * 64, "clip.webm", "видео"),
])
def test_an_upload_that_is_not_a_picture_is_refused_in_words(
        client: FlaskClient, config: EditorConfig, data: bytes, name: str, words: str) -> None:
    status, body = upload(client, data, name)
    assert status == 400 and words in body["error"]
    # Without JavaScript the file comes with the form: the same words, on the picture.
    answer = client.post("/posters/save", data={**form(), "picture_file": (io.BytesIO(data),
                                                                             name)})
    assert answer.status_code == 422
    assert words in answer.get_data(as_text=True)
    assert centre_files(config) == {} and not list(
        (config.editor_state / "photo-drafts").glob("*"))


def test_a_picture_too_large_is_refused(client: FlaskClient, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    # (Kept under 500 KB: a larger test upload is spooled to a file the test client leaves.)
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 100_000)
    status, body = upload(client, picture(1920, 1080) + b"\0" * 200_000)
    assert status == 400 and "не больше 0,1 МБ" in body["error"]


def test_a_request_too_large_is_answered_in_json(tmp_path: Path) -> None:
    (tmp_path / "centre").mkdir()
    app = create_app(EditorConfig(SHARED, tmp_path / "centre", tmp_path / "state",
                                  login_disabled=True, csrf=False, max_request_bytes=100_000))
    answer = app.test_client().post(
        "/posters/upload", data={"picture": (io.BytesIO(b"x" * 200_000), "big.jpg")})
    assert answer.status_code == 413 and "слишком большой" in answer.get_json()["error"]


def test_publish_and_undo_of_an_edit_put_every_file_back(client: FlaskClient,
                                                         config: EditorConfig) -> None:
    client.post("/posters/save", data=form(picture=drafted(client), duration="10"))
    first = centre_files(config)
    edit = client.get("/posters/grafik-na-prazdniki/edit").get_data(as_text=True)
    assert 'name="duration" value="10"' in edit and "/posters/grafik-na-prazdniki/picture/" \
        "landscape" in edit
    # A new picture, a portrait one, and nothing else to say: no side file.
    answer = client.post("/posters/save", data=form(
        slug="grafik-na-prazdniki", name="", picture=drafted(client, colour=RED),
        portrait=drafted(client, width=1080, height=1920)))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    second = centre_files(config)
    assert sorted(second) == ["posters/grafik-na-prazdniki.jpg",
                              "posters/grafik-na-prazdniki.portrait.jpg"]
    assert second["posters/grafik-na-prazdniki.jpg"] != first["posters/grafik-na-prazdniki.jpg"]
    poster = next(p for p in load_content(SHARED, sandboxed=False, centre=config.centre).posters
                  if p.id == "grafik-na-prazdniki")
    assert poster.portrait == config.centre / "posters/grafik-na-prazdniki.portrait.jpg"
    assert poster_problems(config) == []
    assert client.post(f"/history/{last_record(config)}/undo").status_code == 302
    assert centre_files(config) == first  # byte for byte, the side file back too
    # A portrait picture added, then taken away alone; then the whole poster removed, and back.
    client.post("/posters/save", data=form(slug="grafik-na-prazdniki", duration="10",
                                           portrait=drafted(client, 1080, 1920)))
    assert "posters/grafik-na-prazdniki.portrait.jpg" in centre_files(config)
    client.post("/posters/save", data=form(slug="grafik-na-prazdniki", duration="10",
                                           remove_portrait="1"))
    assert centre_files(config) == first
    before_delete = centre_files(config)
    assert client.post("/posters/grafik-na-prazdniki/delete").status_code == 302
    assert centre_files(config) == {}
    client.post(f"/history/{last_record(config)}/undo")
    assert centre_files(config) == before_delete


def test_an_edit_keeps_what_the_form_does_not_show_and_a_png_is_replaced(
        client: FlaskClient, config: EditorConfig) -> None:
    folder = config.centre / "posters"
    folder.mkdir()
    (folder / "afisha.png").write_bytes(picture(1920, 1080, kind="PNG"))
    (folder / "afisha.yaml").write_text('duration: 9\nhours: "09:00-13:00"\nloop: no\n',
                                        encoding="utf-8")
    page = client.get("/posters/afisha/edit").get_data(as_text=True)
    assert 'value="keep" checked' in page and 'name="duration" value="9"' in page
    answer = client.post("/posters/save", data=form(slug="afisha", name="Афиша", period="keep",
                                                    duration="9",
                                                    picture=drafted(client, colour=RED)))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert sorted(centre_files(config)) == ["posters/afisha.jpg", "posters/afisha.yaml"]
    assert (folder / "afisha.yaml").read_text(encoding="utf-8") == \
        '# Афиша\nduration: 9\nhours: "09:00-13:00"\nloop: no\n'


def test_a_poster_changed_since_its_form_was_opened_is_not_overwritten(
        client: FlaskClient, config: EditorConfig) -> None:
    client.post("/posters/save", data=form(picture=drafted(client)))
    client.post("/posters/save", data=form(slug="grafik-na-prazdniki", duration="7",
                                           base="0" * 64))
    assert "duration" not in "".join(centre_files(config))


def test_the_side_file_round_trips() -> None:
    fields = PosterFields(slug="a", name="Ёлка во дворе", duration="15", fit="fill", period="dates",
                          show_from="2026-12-20", show_until="2027-01-10", days="weekdays",
                          hours="morning")
    text, lines = poster_lines(fields)
    again = from_poster_file("a", text)
    assert (again.name, again.duration, again.fit, again.period, again.show_from,
            again.show_until, again.days, again.hours, again.kept) == \
        ("Ёлка во дворе", "15", "fill", "dates", "2026-12-20", "2027-01-10", "weekdays",
         "morning", ())
    assert lines[1] == "name" and lines[2] == "duration" and lines[3] == "fit"
    assert poster_lines(PosterFields(slug="a")) == ("", {})


# -- the live preview -------------------------------------------------------------------------

RENDER_TIMEOUT = 20.0  # the module's renderer's (conftest)


@pytest.fixture
def preview_client(rendering: Flask, client: FlaskClient) -> FlaskClient:
    """`client`, its previews drawn by the real renderer."""
    return client


def shot(client: FlaskClient, body: dict[str, object], name: str) -> Image.Image:
    images = body["images"]
    assert isinstance(images, list)
    (url,) = [i["url"] for i in images if i["name"] == name]
    answer = client.get(url)
    assert answer.status_code == 200
    return Image.open(io.BytesIO(answer.data)).convert("RGB")


def test_the_preview_draws_the_poster_landscape_and_portrait(
        preview_client: FlaskClient) -> None:
    client = preview_client
    answer = client.post("/preview/poster", data=form(
        picture=drafted(client), portrait=drafted(client, 1080, 1920, RED)))
    body = answer.get_json()
    assert answer.status_code == 200 and body["shown"] is True, body
    assert [i["name"] for i in body["images"]] == ["landscape-ru-poster", "portrait-ru-poster"]
    landscape = shot(client, body, "landscape-ru-poster")
    portrait = shot(client, body, "portrait-ru-poster")
    assert landscape.size == (1920, 1080) and portrait.size == (1080, 1920)
    # The portrait screen shows the portrait picture, the landscape one the main picture.
    assert landscape.getpixel((960, 400)) == pytest.approx(BLUE, abs=12)
    assert portrait.getpixel((540, 700)) == pytest.approx(RED, abs=12)
    assert body["problems"] == []


def test_the_preview_puts_the_loaders_problems_on_their_fields(
        preview_client: FlaskClient) -> None:
    client = preview_client
    body = client.post("/preview/poster", data=form(
        picture=drafted(client, 6000, 1000), duration="2")).get_json()
    fields = {(p["field"], p["code"]) for p in body["problems"]}
    assert ("picture", "poster_too_thin") in fields
    assert ("duration", "form") in fields  # the form's own rule, on its field
    body = client.post("/preview/poster", data=form(name="")).get_json()
    assert body["shown"] is False and {p["field"] for p in body["problems"]} >= {"name",
                                                                                 "picture"}
    # A schedule with no day left: a warning on its field while the form is filled.
    body = client.post("/preview/poster", data=form(
        picture=drafted(client, 1920, 1080), period="dates", show_from="2025-01-01",
        show_until="2025-02-01")).get_json()
    assert [(p["field"], p["code"]) for p in body["problems"]] == [("schedule", "no_day_left")]
    assert body["shown"] is True
    assert "плакат в заставке не появится" in body["hint"]  # not «через несколько секунд»



def test_a_portrait_picture_as_the_main_one_is_told_in_the_forms_own_words(
        preview_client: FlaskClient) -> None:
    """The loader tells head office to rename files and edit kiosk.yaml; on the form the
    same advice is about its two fields, with the picture's size and the screen's."""
    client = preview_client
    body = client.post("/preview/poster", data=form(picture=drafted(client, 1080, 1920))
                       ).get_json()
    (problem,) = [p for p in body["problems"] if p["code"] == "poster_portrait_on_landscape"]
    assert problem["field"] == "picture"
    assert "«Для вертикального экрана»" in problem["ru"] and "1080×1920" in problem["ru"]
    assert "“For a portrait screen”" in problem["en"]
    for said in (problem["ru"], problem["en"]):
        assert "kiosk.yaml" not in said and ".portrait." not in said
    assert client.post("/posters/save", data=form(picture=drafted(client, 1080, 1920),
                                                  fit="fill")).status_code == 302
    page = client.get("/posters/grafik-na-prazdniki/edit").get_data(as_text=True)
    assert "видна будет только середина" in page and "Выберите «Целиком»" in page
    assert "kiosk.yaml" not in page and "«fit:" not in page

def test_a_poster_with_the_kiosks_own_settings_keeps_only_its_name(
        client: FlaskClient, config: EditorConfig) -> None:
    assert client.post("/posters/save", data=form(picture=drafted(client))).status_code == 302
    assert centre_files(config)["posters/grafik-na-prazdniki.yaml"] == \
        "# График на праздники\n".encode()
    assert poster_problems(config) == []
    page = client.get("/posters/grafik-na-prazdniki/edit").get_data(as_text=True)
    assert 'value="График на праздники"' in page and 'value="whole" checked' in page


def test_a_poster_edit_meeting_a_colleagues_save_is_refused_not_written_over(
        client: FlaskClient, config: EditorConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two members of staff saving one poster in the same moment: the one whose form was
    opened on what the colleague has just replaced is told, not written over it."""
    from kiosk.editor import poster_views
    from kiosk.editor.publish import Publisher

    client.post("/posters/save", data=form(picture=drafted(client)))
    page = client.get("/posters/grafik-na-prazdniki/edit").get_data(as_text=True)
    base = page.split('name="base" value="')[1].split('"')[0]
    theirs = b"# \xd0\x9a\xd0\xbe\xd0\xbb\xd0\xbb\xd0\xb5\xd0\xb3\xd0\xb0\nduration: 20\n"
    original = poster_views._check
    done: list[bool] = []

    def meanwhile(*args: object) -> object:
        if not done:
            done.append(True)
            Publisher(config.centre, config.editor_state).publish(
                {"posters/grafik-na-prazdniki.yaml": theirs}, "colleague", "poster", "x")
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(poster_views, "_check", meanwhile)
    answer = client.post("/posters/save", data=form(slug="grafik-na-prazdniki", base=base,
                                                    duration="12"))
    assert answer.status_code == 409 and "уже изменили" in answer.get_data(as_text=True)
    assert centre_files(config)["posters/grafik-na-prazdniki.yaml"] == theirs


def test_head_offices_poster_is_listed_by_its_name(client: FlaskClient) -> None:
    """The bundled poster's side file began with a note about the file, and the list showed
    that note as the poster's name."""
    page = client.get("/").get_data(as_text=True)
    assert "12 лет вместе: спасибо, что доверяете нам свои дела" in page
    assert "Сколько секунд он на экране" not in page


def test_a_poster_without_its_picture_yet_is_told_to_add_one_not_to_rename_a_file(
        preview_client: FlaskClient) -> None:
    """Its side file alone made the loader tell staff to rename «grafik.yaml» like its
    picture: on the form, what is missing is the picture, and the form says so there."""
    body = preview_client.post("/preview/poster", data=form()).get_json()
    assert [p["field"] for p in body["problems"]] == ["picture"]
    for problem in body["problems"]:
        assert "Добавьте картинку" in problem["ru"], problem
        assert problem["empty"] is True  # said once she has left the field (preview.js)
        assert ".yaml" not in problem["ru"] + problem["en"] and "переименуйте" not in \
            problem["ru"]


def test_a_poster_whose_file_publish_would_refuse_opens_saying_so_in_red(
        client: FlaskClient, config: EditorConfig) -> None:
    """Its duration the kiosk clamps (a warning) is one the form refuses: the page said
    «опубликовать можно» in orange above it, and Publish then refused."""
    posters = config.centre / "posters"
    posters.mkdir(parents=True)
    (posters / "afisha.jpg").write_bytes(picture())
    (posters / "afisha.yaml").write_text("duration: 500\n", encoding="utf-8")
    page = client.get("/posters/afisha/edit").get_data(as_text=True)
    assert "опубликовать можно" not in page
    assert "data-error-banner" in page and "от 3 до 120" in page
    refused = client.post("/posters/save", data=form(slug="afisha", name="", duration="500"))
    assert refused.status_code == 422 and "data-error-banner" in refused.get_data(as_text=True)


def test_a_duration_the_kiosk_clamps_is_not_said_to_hide_the_poster(
        preview_client: FlaskClient) -> None:
    """500 seconds: the kiosk shows the poster for 120 (a warning in its check), while the
    preview's status said «С такими ошибками плакат на киоске не покажется»."""
    client = preview_client
    body = client.post("/preview/poster", data=form(picture=drafted(client, 1920, 1080),
                                                     duration="500")).get_json()
    assert body["shown"] is True, body
    (problem,) = [p for p in body["problems"] if p["field"] == "duration"]
    assert problem["severity"] == "error"  # Publish still refuses it
    assert problem["message"].startswith("Киоск покажет плакат 120 с, а не 500")
    # A poster with no picture is still not shown, whatever its duration.
    body = client.post("/preview/poster", data=form(name="", duration="500")).get_json()
    assert body["shown"] is False
