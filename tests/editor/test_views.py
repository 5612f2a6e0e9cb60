"""The editor's pages through Flask's test client: each rule of the story form, problems on
their fields, publishing and undo, hiding shared items, and names from the client never used
as paths."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.datastructures import MultiDict

from kiosk.core.content.loader import load_content
from kiosk.core.paths import package_folder
from kiosk.core.pin import PinStore
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.story_form import StoryFields, from_story_file, slugify, story_text

SHARED = package_folder("content")
TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай и помог со всеми документами.")


def form(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"title": "Зонтик для бабушки", "text": TEXT, "period": "always",
                               "days": "all", "hours": ""}
    base.update(fields)
    return base


def centre_files(config: EditorConfig) -> list[str]:
    return sorted(str(p.relative_to(config.centre)) for p in config.centre.rglob("*")
                  if p.is_file())


def jpeg(width: int = 1200, height: int = 900) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def test_a_new_story_is_published_into_the_centre_folder_and_the_kiosk_loads_it(
        client: FlaskClient, config: EditorConfig) -> None:
    answer = client.post("/stories/save", data=form(
        tags=["забота", "погода"], date="2024-07-14", teaser="Тепло и чай",
        title_en="An umbrella for grandmother", text_en="She came in the rain."))
    assert answer.status_code == 302
    assert centre_files(config) == ["stories/zontik-dlya-babushki.md"]
    text = (config.centre / "stories/zontik-dlya-babushki.md").read_text(encoding="utf-8")
    assert text == story_text(StoryFields(
        slug="zontik-dlya-babushki", title="Зонтик для бабушки", text=TEXT,
        title_en="An umbrella for grandmother", text_en="She came in the rain.",
        teaser="Тепло и чай", date="2024-07-14", tags=("забота", "погода")))
    content = load_content(SHARED, sandboxed=False, centre=config.centre)
    story = content.story("zontik-dlya-babushki")
    assert story is not None and story.origin == "centre"
    assert (story.title.ru, story.title.en, story.tags) == \
        ("Зонтик для бабушки", "An umbrella for grandmother", ("забота", "погода"))
    assert not [p for p in content.problems if "zontik" in p.path]
    # The listing shows it as the centre's, with its edit link; the flash offers undo.
    page = client.get("/").get_data(as_text=True)
    assert "/stories/zontik-dlya-babushki/edit" in page and "опубликована" in page
    assert "/history/" in page and "Отменить" in page
    # …and leads to its row, which has that name (the listing opens at its top, the flash).
    assert answer.headers["Location"] == "/"
    assert 'href="#stories-zontik-dlya-babushki">Показать в списке</a>' in page
    assert '<tr id="stories-zontik-dlya-babushki"' in page


def test_a_story_without_a_title_or_text_is_refused_with_the_problem_on_the_field(
        client: FlaskClient, config: EditorConfig) -> None:
    answer = client.post("/stories/save", data=form(title="", text=""))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'data-problem-for="title">Напишите заголовок' in page
    assert 'data-problem-for="text">Напишите текст' in page
    assert centre_files(config) == []


def test_an_english_separator_in_the_russian_text_is_refused(
        client: FlaskClient, config: EditorConfig) -> None:
    answer = client.post("/stories/save", data=form(text=TEXT + "\n=== English ===\nHello"))
    assert answer.status_code == 422
    assert 'data-problem-for="text">В русском тексте есть строка' in answer.get_data(
        as_text=True)
    assert centre_files(config) == []


@pytest.mark.parametrize(("field", "value"), [("text", TEXT + "\n\n![фото](images/x.png)"),
                                              ("text_en", "Hi.\n\n![photo](images/x.png)")])
def test_an_error_the_kiosks_loader_finds_refuses_the_publish_and_is_shown_on_its_field(
        client: FlaskClient, config: EditorConfig, field: str, value: str) -> None:
    answer = client.post("/stories/save", data=form(**{field: value}))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert f'data-problem-for="{field}">В тексте есть картинка' in page  # as a sentence
    assert centre_files(config) == []
    assert "zontik" not in json.dumps(list((config.state_dir / "editor").rglob("*.json")),
                                      default=str)  # no history record either


def test_warnings_publish_and_are_told(client: FlaskClient, config: EditorConfig) -> None:
    teaser = " ".join(["слово"] * 25)
    answer = client.post("/stories/save", data=form(teaser=teaser), follow_redirects=True)
    assert answer.status_code == 200
    assert centre_files(config) == ["stories/zontik-dlya-babushki.md"]
    assert "25 слов" in answer.get_data(as_text=True)


def test_tags_only_from_the_kiosks_list(client: FlaskClient, config: EditorConfig) -> None:
    client.post("/stories/save", data=form(tags=["забота", "взлом", "../../etc"]))
    story = load_content(SHARED, sandboxed=False, centre=config.centre).story(
        "zontik-dlya-babushki")
    assert story is not None and story.tags == ("забота",)
    page = client.get("/stories/new").get_data(as_text=True)
    for tag in ("забота", "дети", "старшее поколение"):
        assert f'type="checkbox" name="tags" value="{tag}"' in page
    # A file's «Забота» is the list's «забота»: one chip, ticked, and written as the list has it.
    (config.centre / "stories" / "sama.md").write_text(
        f"---\ntitle: Сама\ntags: [Забота]\n---\n{TEXT}\n", encoding="utf-8")
    page = client.get("/stories/sama/edit").get_data(as_text=True)
    assert 'value="забота" checked' in page and 'value="Забота"' not in page
    client.post("/stories/save", data=form(slug="sama", tags=["забота"]))
    assert 'tags: ["забота"]' in (config.centre / "stories" / "sama.md").read_text(
        encoding="utf-8")


@pytest.mark.parametrize(("preset", "expected"), [
    ({"period": "yearly", "month": "8"}, ("months: август",)),
    ({"days": "weekdays"}, ("weekdays: пн-пт",)),
    ({"hours": "morning"}, ('hours: "08:00-12:00"',)),
    ({"period": "dates", "show_from": "2026-12-20", "show_until": "2027-01-10"},
     ("show_from: 2026-12-20", "show_until: 2027-01-10")),
    ({"period": "always"}, ()),
])
def test_schedule_presets_write_the_canonical_fields_the_loader_reads(
        client: FlaskClient, config: EditorConfig, preset: dict[str, str],
        expected: tuple[str, ...]) -> None:
    assert client.post("/stories/save", data=form(**preset)).status_code == 302
    text = (config.centre / "stories/zontik-dlya-babushki.md").read_text(encoding="utf-8")
    front = text.split("---\n")[1].splitlines()
    assert [line for line in front if line.split(":")[0] in
            ("months", "weekdays", "hours", "show_from", "show_until")] == list(expected)
    content = load_content(SHARED, sandboxed=False, centre=config.centre)
    assert not [p for p in content.problems if "zontik" in p.path]
    story = content.story("zontik-dlya-babushki")
    assert story is not None
    schedule = story.schedule
    if preset.get("period") == "yearly":
        assert schedule.months == frozenset({8})
    if preset.get("days"):
        assert schedule.weekdays == frozenset(range(5))
    if preset.get("hours"):
        assert [(a.hour, b.hour) for a, b in schedule.hours] == [(8, 12)]
    listing = client.get("/").get_data(as_text=True)
    words = {"yearly": "только в августе", "always": "всегда",
             "dates": "только с 20 декабря 2026 по 10 января 2027"}
    assert words[preset.get("period", "always")] in listing


def test_names_come_from_the_title_and_never_clash(client: FlaskClient,
                                                   config: EditorConfig) -> None:
    client.post("/stories/save", data=form())
    client.post("/stories/save", data=form())
    client.post("/stories/save", data=form(title="Зонтик под ливнем"))  # a shared story's name
    client.post("/stories/save", data=form(title="!!!"))
    assert centre_files(config) == ["stories/story.md", "stories/zontik-dlya-babushki-2.md",
                                    "stories/zontik-dlya-babushki.md",
                                    "stories/zontik-pod-livnem.md"]
    assert (SHARED / "stories/umbrella.md").exists()
    assert slugify("Ёлка в «Моих Документах» 2024!") == "elka-v-moikh-dokumentakh-2024"


@pytest.mark.parametrize("slug", ["../../../etc/passwd", "..", "a/b", "Zontik", ".x",
                                  "zontik.md", "x" * 200])
def test_a_name_from_the_client_is_never_a_path(client: FlaskClient, config: EditorConfig,
                                                tmp_path: Path, slug: str) -> None:
    (tmp_path / "etc").mkdir()
    assert client.post("/stories/save", data=form(slug=slug)).status_code == 404
    assert client.get(f"/stories/{slug}/edit").status_code == 404
    assert client.post(f"/stories/{slug}/delete").status_code == 404
    assert client.get(f"/images/{slug}").status_code == 404
    assert centre_files(config) == []


def test_a_photo_path_from_the_client_is_taken_only_in_the_editors_own_shape(
        client: FlaskClient, config: EditorConfig) -> None:
    for photo in ("../../etc/passwd", "/etc/passwd", "images/../kiosk.yaml", "images/x.png"):
        client.post("/stories/save", data=form(photo=photo))
    text = (config.centre / "stories/zontik-dlya-babushki.md").read_text(encoding="utf-8")
    assert "photo:" not in text


def test_hiding_takes_only_a_shared_item_the_listing_shows(client: FlaskClient,
                                                          config: EditorConfig) -> None:
    for path in ("../kiosk.yaml", "stories/nothing.md", "anniversary/01-first-centre.md"):
        assert client.post("/hide", data={"path": path}).status_code == 400
    assert centre_files(config) == []
    assert client.post("/hide", data={"path": "stories/umbrella.md"}).status_code == 302
    assert "stories/umbrella.md" in (config.centre / "hidden.yaml").read_text(encoding="utf-8")
    content = load_content(SHARED, sandboxed=False, centre=config.centre)
    assert content.story("umbrella") is None and not content.errors
    page = client.get("/").get_data(as_text=True)
    assert "Показывать снова" in page
    hidden = page.split('id="hidden"')[1].split("</section>")[0]
    # Its kind in words under its title, not its file (the path only in the button's form).
    assert '<td class="c-title">Зонтик под ливнем<div class="path">история</div>' in hidden
    assert hidden.count("stories/umbrella.md") == hidden.count('value="stories/umbrella.md"')
    assert client.post("/hide", data={"path": "notices/new-year.yaml"}).status_code == 302
    hidden = client.get("/").get_data(as_text=True).split('id="hidden"')[1]
    assert '<div class="path">объявление</div>' in hidden and ">notices/" not in hidden
    client.post("/hide", data={"path": "notices/new-year.yaml", "show": "1"})
    # Said by its title, as the list names it, not by its file.
    assert "«Зонтик под ливнем» больше не показывается на этом киоске" in page
    client.post("/hide", data={"path": "stories/umbrella.md", "show": "1"})
    assert load_content(SHARED, sandboxed=False, centre=config.centre).story("umbrella")
    page = client.get("/").get_data(as_text=True)
    assert "«Зонтик под ливнем» снова показывается на этом киоске" in page
    history = client.get("/history").get_data(as_text=True)
    assert "скрыто на этом киоске</b>: Зонтик под ливнем" in history


def test_edit_keeps_what_the_form_does_not_show_and_undo_from_history(
        client: FlaskClient, config: EditorConfig) -> None:
    path = config.centre / "stories" / "staraya.md"
    path.parent.mkdir()
    original = ("---\ntitle: Старая история\ndate: 2020-01-02\ntags: [дети]\n"
                "duration: 12\nattract: false\nhours: \"09:00-13:00\"\n---\n" + TEXT + "\n")
    path.write_text(original, encoding="utf-8")
    page = client.get("/stories/staraya/edit").get_data(as_text=True)
    assert 'value="Старая история"' in page and 'value="keep" checked' in page
    assert 'hours: &#34;09:00-13:00&#34;' in page  # shown as it is
    answer = client.post("/stories/save", data=form(
        slug="staraya", title="Новая история", tags=["дети"], period="keep"))
    assert answer.status_code == 302
    text = path.read_text(encoding="utf-8")
    assert 'title: "Новая история"' in text and "duration: 12" in text \
        and "attract: false" in text and 'hours: "09:00-13:00"' in text
    assert centre_files(config) == ["stories/staraya.md"]  # the same file, not a new one
    history = client.get("/history").get_data(as_text=True)
    assert "Новая история" in history and "test" in history
    record = sorted((config.state_dir / "editor/history/records").glob("*.json"))[-1].stem
    assert client.post(f"/history/{record}/undo").status_code == 302
    assert path.read_text(encoding="utf-8") == original
    record = sorted((config.state_dir / "editor/history/records").glob("*.json"))[0].stem
    # A preset chosen instead replaces the schedule the file had.
    client.post("/stories/save", data=form(slug="staraya", hours="morning"))
    text = path.read_text(encoding="utf-8")
    assert 'hours: "08:00-12:00"' in text and "09:00" not in text and "duration: 12" in text
    client.post(f"/history/{record}/undo")  # refused: undone already
    assert 'hours: "08:00-12:00"' in path.read_text(encoding="utf-8")
    assert client.post("/history/..%2F..%2Fx/undo").status_code in (302, 404)
    assert 'hours: "08:00-12:00"' in path.read_text(encoding="utf-8")


def test_delete_and_undo_it(client: FlaskClient, config: EditorConfig) -> None:
    client.post("/stories/save", data=form())
    assert client.post("/stories/zontik-dlya-babushki/delete").status_code == 302
    assert centre_files(config) == []
    record = sorted((config.state_dir / "editor/history/records").glob("*.json"))[-1].stem
    client.post(f"/history/{record}/undo")
    assert centre_files(config) == ["stories/zontik-dlya-babushki.md"]


def test_a_centre_story_with_an_error_is_listed_with_its_problem(
        client: FlaskClient, config: EditorConfig) -> None:
    (config.centre / "stories").mkdir()
    (config.centre / "stories" / "broken.md").write_text("---\ntitle: Сломанная\n---\n",
                                                         encoding="utf-8")
    page = client.get("/").get_data(as_text=True)
    assert "Сломанная" in page and "Не показывается: есть ошибка" in page
    assert "/stories/broken/edit" in page


def test_a_photo_is_prepared_and_saved_under_a_name_of_the_editors(
        client: FlaskClient, config: EditorConfig) -> None:
    answer = client.post("/photo", data={"photo": (io.BytesIO(jpeg(4000, 3000)),
                                                   "../../IMG 0001.JPG"),
                                         "title": "Зонтик"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    name = answer.get_json()["photo"]
    assert name.startswith("images/zontik-") and name.endswith(".jpg")
    assert centre_files(config) == []  # a draft until its story is published
    thumbnail = client.get(answer.get_json()["url"])
    assert thumbnail.status_code == 200
    with Image.open(io.BytesIO(thumbnail.data)) as image:
        assert max(image.size) <= 2048
    client.post("/stories/save", data=form(photo=name))
    assert name in centre_files(config)
    story = load_content(SHARED, sandboxed=False, centre=config.centre).story(
        "zontik-dlya-babushki")
    assert story is not None and story.photo == config.centre / name


def test_the_photo_hint_and_the_guide_say_what_the_upload_does(
        client: FlaskClient, config: EditorConfig) -> None:
    """The hint left out WebP, which is taken; the guide said an upload was a line of the
    history of its own («загружено фото»): it is a draft until its story is published."""
    webp = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 40)).save(webp, "WEBP")
    answer = client.post("/photo", data={"photo": (io.BytesIO(webp.getvalue()), "a.webp"),
                                         "title": "Зонтик"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    hint = client.get("/stories/new").get_data(as_text=True).split('id="photo-file"')[1]
    assert all(kind in hint.split("</span>", 2)[1] for kind in ("JPEG", "PNG", "WebP", "HEIC"))
    assert "загружено фото" not in client.get("/history").get_data(as_text=True)
    client.post("/stories/save", data=form(photo=answer.get_json()["photo"]))
    history = client.get("/history").get_data(as_text=True)
    assert "<summary>файлы: 2</summary>" in history and "добавлено: фото" in history
    guide = (Path(__file__).parents[2] / "docs" / "content.md").read_text(encoding="utf-8")
    assert "отдельной строкой («загружено фото»)" not in guide
    assert "«добавлено: фото»" in guide


def test_a_file_that_is_not_a_photo_is_refused_in_words(client: FlaskClient,
                                                        config: EditorConfig) -> None:
    answer = client.post("/photo", data={"photo": (io.BytesIO(b"Hello, world " * 50), "a.jpg")})
    assert answer.status_code == 400
    assert "не фотография" in answer.get_json()["error"]
    assert centre_files(config) == []


def test_a_request_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    (tmp_path / "centre").mkdir()
    app = create_app(EditorConfig(SHARED, tmp_path / "centre", tmp_path / "state",
                                  login_disabled=True, csrf=False, max_request_bytes=100_000))
    answer = app.test_client().post(
        "/photo", data={"photo": (io.BytesIO(b"x" * 200_000), "big.jpg")})
    assert answer.status_code == 413 and "слишком большой" in answer.get_json()["error"]
    long = app.test_client().post("/stories/save", data=form(title="Я" * 5000))
    text = next((tmp_path / "centre" / "stories").glob("*.md")).read_text(encoding="utf-8")
    assert long.status_code == 302 and len(text.splitlines()[1]) < 220


def test_every_page_needs_sign_in(tmp_path: Path) -> None:
    (tmp_path / "centre").mkdir()
    PinStore(tmp_path / "state").set_pin("2468")
    app = create_app(EditorConfig(SHARED, tmp_path / "centre", tmp_path / "state"))
    client = app.test_client()
    for method, url in (("get", "/"), ("get", "/stories/new"), ("get", "/history"),
                        ("get", "/images/x.jpg"), ("post", "/stories/save"),
                        ("post", "/photo"), ("post", "/hide")):
        answer = getattr(client, method)(url)
        assert answer.status_code in (303, 400), (url, answer.status_code)
        assert answer.status_code == 400 or "/signin" in answer.headers["Location"]
    with client.get("/static/editor.css") as static, client.get(
            "/fonts/PTSans-Regular.ttf") as font:
        assert static.status_code == font.status_code == 200
    assert not (tmp_path / "centre" / "stories").exists()


def test_the_pages_switch_to_english(client: FlaskClient) -> None:
    client.post("/language/en", data={"next": "/"})
    page = client.get("/stories/new").get_data(as_text=True)
    assert "Title in English" in page and "Publish" in page and "Заголовок" not in page
    assert client.post("/language/ru", data={"next": "https://evil.example/"}).headers[
        "Location"] == "/"


def test_the_form_round_trips_a_story_file() -> None:
    fields = StoryFields(slug="x", title='Кавычки "и" «ёлочки»: да', text="Абзац.\n\nЕщё.",
                         title_en="Quotes", text_en="Para.", teaser="# не комментарий",
                         date="2024-01-02", tags=("дети",), photo="images/a-1.jpg",
                         period="yearly", month=12, days="weekdays", hours="morning")
    assert from_story_file("x", story_text(fields)) == fields


def test_text_pasted_from_word_is_kept_as_if_typed() -> None:
    # Word's bullets and tabs: list items the kiosk shows as such, one space between words.
    pasted = ("Что\tпринести:\r\n•\tпаспорт;\r\n–\tСНИЛС;\r\n2.\tфото  3×4.\r\n"
              "\tОтступ абзаца.\r\n\r\n— Здравствуйте, — сказала она.\r\n  - вложенный\t ")
    fields = StoryFields.from_form(MultiDict({"text": pasted, "text_en": "One\ttwo  three"}))
    assert fields.text == ("Что принести:\n\n- паспорт;\n- СНИЛС;\n2. фото 3×4.\n\nОтступ "
                           "абзаца.\n\n— Здравствуйте, — сказала она.\n\n  - вложенный")
    assert fields.text_en == "One two three"


def test_each_line_of_the_box_is_a_paragraph_as_word_pastes_them() -> None:
    """Word pastes a paragraph as one line with no blank one after it: on the kiosk the
    paragraphs ran together, «o» and «§» (its second and third levels' bullets) stayed as
    letters, and the paragraph after a list went into the list's last item."""
    pasted = ("Бабушка пришла за справкой.\r\nОна волновалась.\r\n"
              "o\tпаспорт;\r\n§\tзаявление;\r\n1.\tвзять талон;\r\n2.\tподождать.\r\n"
              "Через неделю она вернулась.")
    fields = StoryFields.from_form(MultiDict({"text": pasted}))
    assert fields.text == ("Бабушка пришла за справкой.\n\nОна волновалась.\n\n- паспорт;\n"
                           "- заявление;\n1. взять талон;\n2. подождать.\n\nЧерез неделю она "
                           "вернулась.")
    # A word «o» typed with a space is a word: «o» is a bullet only before a tab.
    assert StoryFields.from_form(MultiDict({"text": "o sole mio"})).text == "o sole mio"


def test_a_file_whose_paragraphs_wrap_over_lines_keeps_them_whole_in_the_form() -> None:
    """A story written by hand with its paragraphs wrapped: every line of the box is a
    paragraph, so the form shows each whole on one line and publishes it as it was."""
    wrapped = ("---\ntitle: Зонтик\n---\nПервая строка абзаца\nи его продолжение.\n\n"
               "- пункт\n- ещё пункт\n\nВторой абзац.\n")
    fields = from_story_file("x", wrapped)
    assert fields.text == ("Первая строка абзаца и его продолжение.\n\n- пункт\n- ещё пункт"
                           "\n\nВторой абзац.")
    again = StoryFields.from_form(MultiDict({"text": fields.text}))
    assert again.text == fields.text


def test_kiosk_editor_will_not_start_without_a_centre_folder_or_on_every_network(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    monkeypatch.delenv("KIOSK_CENTRE_CONTENT", raising=False)
    assert main(["editor", "--content", str(SHARED), "--state-dir", str(tmp_path)]) == 2
    assert "--centre" in capsys.readouterr().err
    PinStore(tmp_path).set_pin("2468")
    assert main(["editor", "--content", str(SHARED), "--centre", str(tmp_path / "c"),
                 "--state-dir", str(tmp_path), "--listen", "0.0.0.0:8080"]) == 2
    assert "во всех сетях" in capsys.readouterr().err


def test_a_story_changed_since_its_form_was_opened_is_not_overwritten(
        client: FlaskClient, config: EditorConfig) -> None:
    client.post("/stories/save", data=form())
    page = client.get("/stories/zontik-dlya-babushki/edit").get_data(as_text=True)
    base = page.split('name="base" value="')[1].split('"')[0]
    assert len(base) == 64
    # A colleague publishes first; this form, opened before, is refused.
    client.post("/stories/save", data=form(slug="zontik-dlya-babushki", base=base,
                                           title="Правка коллеги"))
    answer = client.post("/stories/save", data=form(slug="zontik-dlya-babushki", base=base,
                                                    title="Моя правка"))
    assert answer.status_code == 409 and "уже изменили" in answer.get_data(as_text=True)
    text = (config.centre / "stories/zontik-dlya-babushki.md").read_text(encoding="utf-8")
    assert "Правка коллеги" in text and "Моя правка" not in text


def test_a_centre_notice_is_published_checked_by_the_loader_edited_and_removed(
        client: FlaskClient, config: EditorConfig) -> None:
    notice = {"text": "Завтра центр работает до 17:00", "text_en": "Tomorrow we close at 5 pm",
              "level": "urgent", "period": "always", "days": "weekdays", "hours": ""}
    assert client.post("/notices/save", data={**notice, "text": ""}).status_code == 422
    too_long = client.post("/notices/save", data={**notice, "text": "Очень " * 45})
    assert too_long.status_code == 422
    assert 'data-problem-for="text">' in too_long.get_data(as_text=True)
    assert centre_files(config) == []
    assert client.post("/notices/save", data=notice).status_code == 302
    [name] = centre_files(config)
    assert name == "notices/zavtra-tsentr-rabotaet-do-17-00.yaml"
    content = load_content(SHARED, sandboxed=False, centre=config.centre)
    [mine] = [n for n in content.notices if n.origin == "centre"]
    assert mine.urgent and mine.text.en == "Tomorrow we close at 5 pm"
    assert mine.schedule.weekdays == frozenset(range(5))
    # Urgent with no last day: published, with a word that its band stays until removed.
    assert [p.code for p in content.problems if "zavtra" in p.path] == ["notice_urgent_endless"]
    slug = name[len("notices/"):-len(".yaml")]
    page = client.get("/").get_data(as_text=True)
    assert f"/notices/{slug}/edit" in page and "по будням" in page
    # A hand-written «before_closed_days» is kept while «as it is» stays chosen.
    path = config.centre / name
    path.write_text(path.read_text(encoding="utf-8").replace("weekdays: пн-пт",
                                                             "before_closed_days: 3"))
    form_page = client.get(f"/notices/{slug}/edit").get_data(as_text=True)
    assert 'value="keep" checked' in form_page and 'value="urgent" checked' in form_page
    # Headed by what it edits, as a story's and a poster's form are.
    assert "<h1>Объявление «Завтра центр работает до 17:00»</h1>" in form_page
    client.post("/notices/save", data={**notice, "slug": slug, "period": "keep",
                                       "days": "all", "level": "ordinary"})
    text = path.read_text(encoding="utf-8")
    assert "before_closed_days: 3" in text and "level" not in text
    assert client.post(f"/notices/{slug}/delete").status_code == 302
    assert centre_files(config) == []


def test_a_link_in_the_centre_folder_is_named_not_followed(
        client: FlaskClient, config: EditorConfig, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(f"---\ntitle: Чужое\n---\n{TEXT}\n", encoding="utf-8")
    (config.centre / "stories").mkdir()
    (config.centre / "stories" / "link.md").symlink_to(outside)
    answer = client.get("/stories/link/edit", follow_redirects=True)
    assert "не обычный файл" in answer.get_data(as_text=True)
    client.post("/stories/save", data=form(slug="link", title="Переписать"))
    assert "Чужое" in outside.read_text(encoding="utf-8")


# -- two members of staff in the same moment ----------------------------------------------------

def colleague_during(monkeypatch: pytest.MonkeyPatch, target: object, name: str,
                     config: EditorConfig, changes: dict[str, bytes]) -> None:
    """A colleague publishes `changes` while this request is in `target.name` (between
    reading the centre's files and publishing): the moment two saves meet."""
    from kiosk.editor.publish import Publisher

    original = getattr(target, name)
    done: list[bool] = []

    def meanwhile(*args: object, **kwargs: object) -> object:
        if not done:
            done.append(True)
            Publisher(config.centre, config.editor_state).publish(changes, "colleague",
                                                                  "publish", "colleague")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, meanwhile)


COLLEAGUE = "---\ntitle: Правка коллеги\n---\nТекст коллеги, опубликованный в ту же секунду.\n"


def test_an_edit_meeting_a_colleagues_save_is_refused_not_written_over(
        client: FlaskClient, config: EditorConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from hashlib import sha256

    from kiosk.editor import catalog
    client.post("/stories/save", data=form())
    path = config.centre / "stories/zontik-dlya-babushki.md"
    base = sha256(path.read_bytes()).hexdigest()
    colleague_during(monkeypatch, catalog, "check_story", config,
                     {"stories/zontik-dlya-babushki.md": COLLEAGUE.encode()})
    answer = client.post("/stories/save", data=form(slug="zontik-dlya-babushki", base=base,
                                                    title="Моя правка"))
    assert answer.status_code == 409 and "уже изменили" in answer.get_data(as_text=True)
    assert path.read_text(encoding="utf-8") == COLLEAGUE


def test_two_new_stories_of_one_title_in_the_same_moment_both_kept(
        client: FlaskClient, config: EditorConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.editor import catalog
    colleague_during(monkeypatch, catalog, "check_story", config,
                     {"stories/zontik-dlya-babushki.md": COLLEAGUE.encode()})
    answer = client.post("/stories/save", data=form())
    assert answer.status_code == 409
    assert "под тем же именем файла" in answer.get_data(as_text=True)
    assert (config.centre / "stories/zontik-dlya-babushki.md").read_text(
        encoding="utf-8") == COLLEAGUE
    assert client.post("/stories/save", data=form()).status_code == 302  # pressed again
    assert centre_files(config) == ["stories/zontik-dlya-babushki-2.md",
                                    "stories/zontik-dlya-babushki.md"]


def test_a_notice_edit_meeting_a_colleagues_save_is_refused(
        client: FlaskClient, config: EditorConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from hashlib import sha256

    from kiosk.editor import catalog
    notice = {"text": "Завтра центр работает до 17:00", "level": "urgent", "period": "always",
              "days": "all", "hours": ""}
    client.post("/notices/save", data=notice)
    [name] = centre_files(config)
    path = config.centre / name
    base = sha256(path.read_bytes()).hexdigest()
    theirs = b"level: urgent\ntext: \xd0\x97\xd0\xb0\xd0\xba\xd1\x80\xd1\x8b\xd1\x82\xd0\xbe\n"
    colleague_during(monkeypatch, catalog, "check_notice", config, {name: theirs})
    slug = name.removeprefix("notices/").removesuffix(".yaml")
    answer = client.post("/notices/save", data={**notice, "slug": slug, "base": base,
                                                "text": "Моя правка"})
    assert answer.status_code == 409 and "уже изменили" in answer.get_data(as_text=True)
    assert path.read_bytes() == theirs


def test_two_hides_in_the_same_moment_both_stay_hidden(
        client: FlaskClient, config: EditorConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.editor import catalog
    colleague_during(monkeypatch, catalog, "hidden_text", config,
                     {"hidden.yaml": catalog.hidden_text(["stories/twins.md"])})
    assert client.post("/hide", data={"path": "stories/umbrella.md"}).status_code == 302
    assert catalog.hidden_entries(config.centre) == ("stories/twins.md",
                                                     "stories/umbrella.md")


def test_a_notice_message_names_the_field_as_the_form_does(client: FlaskClient) -> None:
    """«“text”: в объявлении 139 знаков…»: the file's key, not the form's «Объявление»."""
    notice = {"text": "Очень " * 45, "level": "urgent", "period": "always", "days": "all",
              "hours": ""}
    said = client.post("/notices/save", data=notice).get_data(as_text=True)
    assert "«Объявление»: в объявлении 269 знаков" in said and "«text»" not in said
    client.post("/language/en")
    said = client.post("/notices/save", data=notice).get_data(as_text=True)
    assert "“Notice”: the notice has 269 characters" in said and "“text”" not in said


@pytest.mark.parametrize("page", ["/stories/new", "/notices/new", "/posters/new"])
def test_the_month_of_a_new_form_is_this_month(client: FlaskClient, page: str) -> None:
    """«Только в месяце, каждый год» offered August (or January) whatever the month: staff
    writing in December about December had to find it."""
    import datetime as dt

    html = client.get(page).get_data(as_text=True)
    month = html.split('name="month"')[1].split("</select>")[0]
    assert month.count("selected") == 1
    assert f'<option value="{dt.date.today().month}" selected>' in month


def test_messages_read_as_sentences_with_dates_as_people_write_them(
        client: FlaskClient) -> None:
    """«дата окончания 2026-12-01 раньше даты начала 2026-12-20…»: the loader's words after
    `kiosk check`'s colon, on a page a sentence of its own, with dates the calendar never
    showed as numbers."""
    page = client.post("/stories/save", data=form(
        period="dates", show_from="2026-12-20", show_until="2026-12-01")).get_data(True)
    assert "Дата окончания 1 декабря 2026 раньше даты начала 20 декабря 2026" in page
    client.post("/language/en")
    page = client.post("/stories/save", data=form(
        period="dates", show_from="2026-12-20", show_until="2026-12-01")).get_data(True)
    assert "The end date 1 December 2026 is before the start date 20 December 2026" in page


def test_a_story_dated_after_today_is_published_with_a_warning_on_its_date(
        client: FlaskClient, config: EditorConfig) -> None:
    answer = client.post("/stories/save", data=form(date="2999-05-01"))
    assert answer.status_code == 302  # a warning: published all the same
    page = client.get("/").get_data(as_text=True)
    assert "«Когда это было» 1 мая 2999\u00a0— этот день ещё не наступил" in page
    assert "этот день ещё не наступил" not in client.post(
        "/stories/save", data=form(title="Вчерашняя", date="2020-05-01")).get_data(True)


def test_the_list_says_which_notices_are_urgent(client: FlaskClient) -> None:
    """An urgent notice is a red band on every screen, an ordinary one a slide: the list
    showed both alike."""
    page = client.get("/").get_data(as_text=True)
    notices = page.split('id="notices"')[1].split("</section>")[0]
    assert notices.count("срочное: полоса внизу экрана") == 1


def test_a_hidden_path_that_climbs_out_is_not_read_for_a_title(tmp_path: Path) -> None:
    """hidden.yaml is the centre's file: a path in it names what to hide, never a file to
    read outside head office's folders."""
    from kiosk.editor import catalog

    (tmp_path / "content" / "stories").mkdir(parents=True)
    (tmp_path / "content" / "stories" / "zontik.md").write_text(
        "---\ntitle: Зонтик\n---\nТекст.\n", encoding="utf-8")
    (tmp_path / "secret.md").write_text("---\ntitle: Секрет\n---\nТекст.\n",
                                        encoding="utf-8")
    config = EditorConfig(tmp_path / "content", tmp_path / "centre", tmp_path / "state")
    assert catalog.hidden_title(config, "stories/zontik.md") == "Зонтик"
    assert catalog.hidden_title(config, "stories/../secret.md") == "stories/../secret.md"
    assert catalog.hidden_title(config, str(tmp_path / "secret.md")) == str(
        tmp_path / "secret.md")


def test_a_hidden_poster_is_listed_by_its_name(config: EditorConfig) -> None:
    from kiosk.editor import catalog

    assert catalog.hidden_title(config, "posters/1-thank-you.svg") == \
        "12 лет вместе: спасибо, что доверяете нам свои дела"
    # A colouring picture by its title in colouring.yaml («umbrella» before).
    assert catalog.hidden_title(config, "colouring/umbrella.svg") == "Зонтик под дождём"
    assert catalog.hidden_title(config, "colouring/nothing.svg") == "colouring/nothing.svg"


def test_a_publish_says_when_its_schedule_lets_the_kiosk_show_it(
        client: FlaskClient, config: EditorConfig) -> None:
    """A story set for a later month was «shown within seconds», and was not."""
    import datetime as dt

    from kiosk.core.i18n import format_date

    def said() -> str:
        """The publish's message, taken (as the listing it redirects to would)."""
        with client.session_transaction() as session:
            flashes = session.pop("_flashes", [])
        return " ".join(text for category, text in flashes if category.startswith("done"))

    start = dt.date.today() + dt.timedelta(days=40)
    later = form(title="Весной", period="dates", show_from=start.isoformat(),
                 show_until=(start + dt.timedelta(days=30)).isoformat())
    assert client.post("/stories/save", data=later).status_code == 302
    words = said()
    assert "через несколько секунд" not in words
    assert f"На экране она появится {format_date(start, 'ru')}" in words

    assert client.post("/stories/save", data=form(title="Сейчас")).status_code == 302
    assert "киоск покажет её через несколько секунд" in said()

    notice = {"text": "Центр работает до 17:00", "level": "ordinary", "period": "dates",
              "show_from": start.isoformat(), "show_until": start.isoformat(), "days": "all",
              "hours": ""}
    assert client.post("/notices/save", data=notice).status_code == 302
    assert f"На экране оно появится {format_date(start, 'ru')}" in said()


def test_the_listing_says_what_its_schedule_keeps_off_the_screen_now(
        client: FlaskClient, config: EditorConfig) -> None:
    import datetime as dt

    from kiosk.editor import catalog

    (config.centre / "stories").mkdir()
    for name, schedule in (("vesna", "show_from: 2027-03-01\nshow_until: 2027-03-31\n"),
                           ("utro", 'hours: "08:00-10:00"\n'),
                           ("proshlo", "show_from: 2026-11-01\nshow_until: 2026-11-30\n"),
                           ("vsegda", "")):
        (config.centre / "stories" / f"{name}.md").write_text(
            f"---\ntitle: {name}\n{schedule}---\n{TEXT}\n", encoding="utf-8")
    content = catalog.ContentReader(config).load()
    noon = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)  # 12:00 in Moscow, a Monday
    rows = {row.title: row for row in catalog.listing(content, config, "ru", noon).groups[0][2]}
    assert rows["vesna"].off_screen == "сейчас не на экране: появится 1 марта 2027"
    assert rows["utro"].off_screen == "сейчас не на экране: в другие часы"
    assert rows["proshlo"].off_screen == "дней показа не осталось"
    assert rows["vsegda"].off_screen == "" and rows["Справка нашлась до закрытия"].off_screen == ""
    # Head office's «Завтра центр не работает» waits for closed days kiosk.yaml lists none of.
    [tomorrow] = [row for row in catalog.listing(content, config, "ru", noon).groups[3][2]
                  if row.title == "Завтра центр не работает"]
    assert tomorrow.off_screen == "сейчас не на экране"
    morning = dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC)  # 08:30 in Moscow
    rows = {row.title: row for row in catalog.listing(content, config, "ru", morning).groups[0][2]}
    assert rows["utro"].off_screen == ""
    assert "появится 1 марта 2027" in client.get("/").get_data(as_text=True)
    # Its last day, its hours over: nothing more to show, not «в другие часы».
    (config.centre / "stories" / "segodnya.md").write_text(
        f"---\ntitle: segodnya\nshow_from: 2026-12-07\nshow_until: 2026-12-07\n"
        f'hours: "08:00-10:00"\n---\n{TEXT}\n', encoding="utf-8")
    content = catalog.ContentReader(config).load()
    rows = {row.title: row for row in catalog.listing(content, config, "ru", noon).groups[0][2]}
    assert rows["segodnya"].off_screen == "дней показа не осталось" and rows["segodnya"].over
    assert rows["utro"].off_screen == "сейчас не на экране: в другие часы"


def test_a_centre_item_whose_schedule_is_over_is_a_warning_in_the_listing(
        client: FlaskClient, config: EditorConfig) -> None:
    """Dates all past: said only after Publish; the listing said «Замечаний нет»."""
    import datetime as dt

    from kiosk.editor import catalog

    noon = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    before = catalog.listing(catalog.ContentReader(config).load(), config, "ru", noon).warnings
    (config.centre / "stories").mkdir()
    (config.centre / "stories" / "proshlo.md").write_text(
        f"---\ntitle: Прошло\nshow_from: 2025-01-01\nshow_until: 2025-02-01\n---\n{TEXT}\n",
        encoding="utf-8")
    listing = catalog.listing(catalog.ContentReader(config).load(), config, "ru", noon)
    assert listing.warnings == before + 1
    [row] = [row for row in listing.groups[0][2] if row.title == "Прошло"]
    assert row.over and row.shown
    page = client.get("/?show=problems").get_data(as_text=True)
    assert 'id="stories-proshlo"' in page and "Замечаний нет" not in page
    assert "Дней показа по расписанию не осталось" in page
    # Head office's items are theirs to change: counted for them, not for the centre.
    assert not [row for _, _, rows in listing.groups for row in rows
                if row.over and row.origin != "centre"]


def test_an_urgent_notice_with_no_last_day_is_told_on_its_schedule(
        client: FlaskClient) -> None:
    notice = {"text": "Сегодня центр работает до 16:00", "level": "urgent", "period": "always",
              "days": "all", "hours": ""}
    checked = client.post("/preview/notice", data=notice).get_json()
    [problem] = [p for p in checked["problems"] if p["code"] == "notice_urgent_endless"]
    assert problem["field"] == "schedule" and problem["severity"] == "warning"
    assert "пока объявление не уберут" in problem["message"]
    assert "«Когда показывать»" in problem["message"] and "show_until" not in problem["message"]
    assert client.post("/notices/save", data=notice).status_code == 302  # published all the same


def test_the_history_says_an_undone_undo_put_back_and_cuts_titles_at_a_word(
        client: FlaskClient, config: EditorConfig) -> None:
    text = ("Внимание! 1–8 января центр не работает. Документы, готовые в эти дни, можно "
            "забрать с 9 января.")
    assert 80 < len(text) <= 120
    notice = {"text": text, "level": "ordinary", "period": "always", "days": "all", "hours": ""}
    assert client.post("/notices/save", data=notice).status_code == 302
    records = config.state_dir / "editor/history/records"
    first = sorted(records.glob("*.json"))[-1].stem
    client.post(f"/history/{first}/undo")
    undo = sorted(records.glob("*.json"))[-1].stem
    client.post(f"/history/{undo}/undo")
    history = client.get("/history").get_data(as_text=True)
    # «…можно забр» was cut inside a word; now after the last whole one.
    assert "готовые в эти дни, можно…" in history and "можно забр" not in history
    assert history.count("<b>отмена</b>") == 1 and history.count("<b>возвращено</b>") == 1
    assert "снова как было до отмены от" in history
    assert '<details class="files"><summary>файлы: 1</summary>' in history


def test_the_history_names_the_files_of_a_publish_in_words(
        client: FlaskClient, config: EditorConfig) -> None:
    """«stories/ochki-dlya-babushki.md (новый)» under «файлы»: a folder and a file name."""
    assert client.post("/stories/save", data=form()).status_code == 302
    assert client.post("/hide", data={"path": "stories/umbrella.md"}).status_code == 302
    history = client.get("/history").get_data(as_text=True)
    files = " ".join(part.split("</details>")[0] for part in history.split('class="files"')[1:])
    assert "добавлено: текст истории" in files and "добавлено: список скрытых материалов" in files
    assert "stories/" not in files and ".md" not in files and "hidden.yaml" not in files


def test_a_story_sent_back_without_its_title_is_not_headed_with_empty_quotes(
        client: FlaskClient, config: EditorConfig) -> None:
    assert client.post("/stories/save", data=form()).status_code == 302
    page = client.post("/stories/save", data=form(slug="zontik-dlya-babushki", title=""))
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "<h1>Изменение истории</h1>" in html and "«»" not in html


def test_a_second_story_of_the_same_title_is_published_with_a_warning(
        client: FlaskClient, config: EditorConfig) -> None:
    """Two stories may share a title, so it is not refused; but the second is most often the
    first made twice, shown twice in the loop: said after Publish."""
    first = client.post("/stories/save", data=form(title="Очки для бабушки"),
                        follow_redirects=True).get_data(as_text=True)
    assert "Уже есть история" not in first
    second = client.post("/stories/save", data=form(title="Очки для  бабушки"),
                         follow_redirects=True).get_data(as_text=True)
    assert "Уже есть история с таким названием: «Очки для бабушки»" in second
    assert centre_files(config) == ["stories/ochki-dlya-babushki-2.md",
                                    "stories/ochki-dlya-babushki.md"]
    notice = {"text": "Завтра центр не работает", "level": "ordinary", "period": "always",
              "days": "all", "hours": ""}
    said = client.post("/notices/save", data=notice, follow_redirects=True)
    assert "Такое объявление уже есть у головного офиса: «Завтра центр не работает»" in \
        said.get_data(as_text=True)
    # The listing keeps saying so, on each of the centre's twins, and counts them.
    listing = client.get("/").get_data(as_text=True)
    assert listing.count("У вашего центра есть ещё один материал с тем же названием") == 2
    assert listing.count("У головного офиса есть материал с тем же названием") == 1
    assert "3 замечания" in listing
    only = client.get("/?show=problems").get_data(as_text=True)
    assert sorted(re.findall(r'id="stories-([a-z0-9-]+)"', only)) == [
        "ochki-dlya-babushki", "ochki-dlya-babushki-2"]
