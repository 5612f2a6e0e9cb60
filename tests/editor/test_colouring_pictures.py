"""A centre's own colouring pictures after publishing, through Flask's test client: the list
offers to change them, a new title is published into colouring.yaml, «Убрать» takes the entry
and its picture away in one record (one undo puts both back), and a broken index is never
written over."""

from __future__ import annotations

import io

import pytest
import yaml
from flask.testing import FlaskClient
from PIL import Image, ImageDraw

from kiosk.core.content.loader import load_content
from kiosk.core.paths import package_folder
from kiosk.editor.colouring_views import index_text
from kiosk.editor.config import EditorConfig
from kiosk.editor.publish import Publisher

SHARED = package_folder("content")


def line_art() -> bytes:
    image = Image.new("L", (800, 600), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 700, 500), outline=0, width=12)
    draw.ellipse((300, 200, 500, 400), outline=0, width=12)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def config(config: EditorConfig) -> EditorConfig:
    """The shared editor's, with two pictures published."""
    Publisher(config.centre, config.editor_state).publish({
        "colouring/domik.png": line_art(), "colouring/kot.png": line_art(),
        "colouring/colouring.yaml": index_text([
            {"file": "domik.png", "title": "Домик", "title_en": "A house"},
            {"file": "kot.png", "title": "Кот"}])}, "anna", "colouring", "Домик")
    return config


def index(config: EditorConfig) -> list[dict[str, str]]:
    data = yaml.safe_load((config.centre / "colouring/colouring.yaml").read_text("utf-8"))
    return data if isinstance(data, list) else []


def test_the_list_offers_to_change_the_centres_own_pictures(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="/colouring/pictures/domik">Домик</a>' in page
    assert 'href="/colouring/pictures/kot">Изменить</a>' in page
    form = client.get("/colouring/pictures/domik").get_data(as_text=True)
    assert 'name="title" value="Домик"' in form and 'name="title_en" value="A house"' in form
    assert "Убрать раскраску с киоска" in form
    # A new title reaches the kiosk as every form's change does: «Опубликовать», as they say.
    assert 'id="publish">Опубликовать</button>' in form
    picture = client.get("/colouring/pictures/domik.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png"


def test_a_new_title_is_published_and_the_kiosk_shows_it(client: FlaskClient,
                                                         config: EditorConfig) -> None:
    answer = client.post("/colouring/pictures/domik/save",
                         data={"title": "Домик у\ufffe реки", "title_en": ""})
    assert answer.status_code == 302
    assert index(config) == [{"file": "domik.png", "title": "Домик у реки"},
                             {"file": "kot.png", "title": "Кот"}]
    assert "Раскраска «Домик у реки» переименована" in client.get("/").get_data(as_text=True)
    content = load_content(SHARED, centre=config.centre)
    titles = {c.source.name: c.title.get("ru") for c in content.colouring
              if c.origin == "centre"}
    assert titles == {"domik.png": "Домик у реки", "kot.png": "Кот"}
    assert not [p for p in content.problems if str(config.centre) in p.path]
    empty = client.post("/colouring/pictures/domik/save", data={"title": "  "})
    assert empty.status_code == 422 and "Дайте картинке название" in empty.get_data(
        as_text=True)
    assert index(config)[0]["title"] == "Домик у реки"


def test_removing_takes_the_entry_and_the_picture_and_one_undo_puts_both_back(
        client: FlaskClient, config: EditorConfig) -> None:
    assert client.post("/colouring/pictures/kot/delete").status_code == 302
    assert index(config) == [{"file": "domik.png", "title": "Домик", "title_en": "A house"}]
    assert not (config.centre / "colouring/kot.png").exists()
    assert "Раскраска «Кот» убрана с экрана раскрасок" in client.get("/").get_data(as_text=True)
    history = client.get("/history").get_data(as_text=True)
    assert "убрано с киоска</b>: Кот" in history
    record = Publisher(config.centre, config.editor_state).history()[0]
    client.post(f"/history/{record.id}/undo")
    assert [e["file"] for e in index(config)] == ["domik.png", "kot.png"]
    assert (config.centre / "colouring/kot.png").read_bytes() == line_art()
    # The last one removed: an empty index the kiosk reads as none.
    client.post("/colouring/pictures/kot/delete")
    client.post("/colouring/pictures/domik/delete")
    assert index(config) == []
    content = load_content(SHARED, centre=config.centre)
    assert not [c for c in content.colouring if c.origin == "centre"]
    assert not [p for p in content.problems if str(config.centre) in p.path]


@pytest.mark.parametrize("name", ["nothing", "KOT", "..", "kot.png.png", "colouring"])
def test_only_a_picture_of_the_centres_index_is_offered(client: FlaskClient,
                                                        name: str) -> None:
    assert client.get(f"/colouring/pictures/{name}").status_code == 404
    assert client.post(f"/colouring/pictures/{name}/delete").status_code == 404


def test_a_broken_index_is_never_written_over(client: FlaskClient, config: EditorConfig) -> None:
    path = config.centre / "colouring/colouring.yaml"
    broken = path.read_bytes() + b"- file: [unclosed\n"
    path.write_bytes(broken)
    assert client.get("/colouring/pictures/domik").status_code == 404  # unread: not offered
    assert client.post("/colouring/pictures/domik/save",
                       data={"title": "Новое"}).status_code == 404
    assert path.read_bytes() == broken


def test_a_rename_meeting_a_colleagues_new_picture_keeps_both(
        client: FlaskClient, config: EditorConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.editor import colouring_views

    theirs = index_text([{"file": "domik.png", "title": "Домик", "title_en": "A house"},
                         {"file": "kot.png", "title": "Кот"},
                         {"file": "sova.png", "title": "Сова"}])
    original = colouring_views.index_text
    done: list[bool] = []

    def meanwhile(entries: list[dict[str, str]]) -> bytes:
        if not done:
            done.append(True)
            Publisher(config.centre, config.editor_state).publish(
                {"colouring/sova.png": line_art(), "colouring/colouring.yaml": theirs},
                "colleague", "colouring", "Сова")
        return original(entries)

    monkeypatch.setattr(colouring_views, "index_text", meanwhile)
    client.post("/colouring/pictures/kot/save", data={"title": "Кошка"})
    assert [(e["file"], e["title"]) for e in index(config)] == [
        ("domik.png", "Домик"), ("kot.png", "Кошка"), ("sova.png", "Сова")]


def test_a_picture_copied_in_by_hand_is_not_offered_a_page_it_cannot_have(
        client: FlaskClient, config: EditorConfig) -> None:
    """A PNG in colouring/ that colouring.yaml does not list is shown by the kiosk, but has no
    entry to rename: «Изменить» led to «not found»."""
    (config.centre / "colouring" / "sova.png").write_bytes(line_art())
    page = client.get("/").get_data(as_text=True)
    assert "/colouring/pictures/domik" in page and "/colouring/pictures/sova" not in page


def test_a_title_keeps_its_soft_hyphens_and_joined_emoji() -> None:
    from kiosk.editor.colouring_views import typed_title

    assert typed_title("Ко\u00adшка") == "Ко\u00adшка"
    assert typed_title("Семья 👨\u200d👩\u200d👧") == "Семья 👨\u200d👩\u200d👧"
    assert typed_title("Кот\ufffe\u2028и\x07пёс") == "Кот и пёс"
