"""The live preview's pages (kiosk.editor.preview_views) through Flask's test client, with the
real renderer: images of the draft, each problem on the form field that causes it, hostile
drafts answered within the timeout, sign-in and CSRF."""

from __future__ import annotations

import gc
import io
import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from PIL import Image, ImageChops

from kiosk.core.paths import package_folder
from kiosk.core.pin import PinStore
from kiosk.editor import preview_views
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.preview_views import RENDERER_KEY, field_of
from kiosk.editor.render import Renderer

SHARED = package_folder("content")
TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай и помог со всеми документами.")
TIMEOUT = RENDER_TIMEOUT = 15.0  # the module's renderer's (conftest)
pytestmark = pytest.mark.usefixtures("rendering")  # `client` draws with the real renderer


@pytest.fixture
def config(config: EditorConfig) -> EditorConfig:
    """The shared editor's, with the centre's photo folder made."""
    (config.centre / "images").mkdir()
    return config


def make_app(config: EditorConfig, renderer: Renderer) -> Flask:
    app = create_app(config)
    app.extensions[RENDERER_KEY] = renderer  # one child for the module's tests
    return app


def wait_for(condition: Callable[[], object], seconds: float = 60.0) -> None:
    """Until `condition()` holds (a condition, not a fixed pause)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def form(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"title": "Зонтик для бабушки", "text": TEXT, "period": "always",
                               "days": "all", "hours": ""}
    base.update(fields)
    return base


def preview(client: FlaskClient, **fields: object) -> dict[str, object]:
    answer = client.post("/preview/story", data=form(**fields))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert isinstance(body, dict)
    return body


def on_field(body: dict[str, object], field: str) -> list[str]:
    problems = body["problems"]
    assert isinstance(problems, list)
    return [p["code"] for p in problems if p["field"] == field]


def image(client: FlaskClient, body: dict[str, object], name: str) -> Image.Image:
    images = body["images"]
    assert isinstance(images, list)
    (url,) = [i["url"] for i in images if i["name"] == name]
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    return Image.open(io.BytesIO(answer.data)).convert("RGB")


def differ(first: Image.Image, second: Image.Image) -> bool:
    return max(high for _, high in ImageChops.difference(first, second).getextrema()) > 32  # type: ignore[misc]


def test_a_draft_gives_its_screens_at_addresses_of_their_own(client: FlaskClient) -> None:
    body = preview(client)
    assert body["shown"] is True
    images = body["images"]
    assert isinstance(images, list) and len(images) == 8
    assert image(client, body, "landscape-ru-story").size == (1920, 1080)
    assert image(client, body, "portrait-en-poster").size == (1080, 1920)
    url = images[0]["url"]
    assert client.get(url.replace(url.split("/")[-2], "forged")).status_code == 404
    assert client.get(url.rsplit("/", 1)[0] + "/other.png").status_code == 404


def test_the_screen_changes_as_the_title_is_typed(client: FlaskClient) -> None:
    first = preview(client, title="Зонтик для бабушки")
    second = preview(client, title="Зонтик для дедушки")
    assert differ(image(client, first, "landscape-ru-story"),
                  image(client, second, "landscape-ru-story"))
    assert differ(image(client, first, "portrait-ru-poster"),
                  image(client, second, "portrait-ru-poster"))


def test_a_title_too_long_for_the_poster_is_shown_on_the_title(client: FlaskClient) -> None:
    long = " ".join(["Очень длинный заголовок истории о том, как помогли посетителю"] * 2)
    body = preview(client, title=long)
    assert "headline_long" in on_field(body, "title")
    english = preview(client, title_en=" ".join(["A very long title about a visitor"] * 4))
    assert "headline_long" in on_field(english, "title_en")
    assert "headline_long" not in on_field(english, "title")


def test_the_loaders_problems_go_to_their_fields(client: FlaskClient) -> None:
    body = preview(client, tags=["забота", "зонты"], teaser=" ".join(["слово"] * 30))
    assert set(on_field(body, "tags")) & {"unknown_tag", "tag_misspelt"}
    assert "teaser_long" in on_field(body, "teaser")
    assert on_field(body, "title") == []


def test_a_date_to_come_is_a_warning_on_its_field(client: FlaskClient) -> None:
    body = preview(client, date="2999-05-01")
    assert on_field(body, "date") == ["story_date_ahead"] and body["shown"] is True
    assert on_field(preview(client, date="2020-05-01"), "date") == []


def test_a_schedule_with_no_day_left_is_a_warning_on_its_field(client: FlaskClient) -> None:
    """Told while the form is filled, not first after Publish; the item is still drawn."""
    past = {"period": "dates", "show_from": "2025-01-01", "show_until": "2025-02-01"}
    body = preview(client, **past)
    assert on_field(body, "schedule") == ["no_day_left"] and body["shown"] is True
    problems = body["problems"]
    assert isinstance(problems, list)
    assert [p["message"] for p in problems if p["field"] == "schedule"] == [
        "Дней показа по этому расписанию не осталось: киоск не покажет эту историю. "
        "Измените даты показа."]
    assert on_field(preview(client), "schedule") == []
    notice = notice_preview(client, level="ordinary", **past)
    assert on_field(notice, "schedule") == ["no_day_left"] and notice["shown"] is True
    # Dates the wrong way round are the loader's error, not this warning.
    reversed_ = preview(client, period="dates", show_from="2025-02-01", show_until="2025-01-01")
    assert on_field(reversed_, "schedule") == ["dates_reversed"]


def test_a_text_too_long_is_told_once_with_the_counters_limit(client: FlaskClient) -> None:
    """The counter said «до 120 слов», the field «примерно до 198 слов» for one screen and 240
    for the other, in a sentence starting with a small letter."""
    from kiosk.editor.story_form import WORDS_MOST

    body = preview(client, text=" ".join(["слово"] * 400))
    problems = body["problems"]
    assert isinstance(problems, list)
    [long] = [p for p in problems if p["code"] == "text_too_long"]
    assert long["field"] == "text"
    assert re.fullmatch(r"Текст займёт \d+ страниц(ы)? на (горизонтальном|вертикальном) "
                        r"экране: посетителю придётся долго листать\. Сократите его до "
                        rf"{WORDS_MOST} слов\.", long["ru"]), long["ru"]
    assert long["en"].startswith("The text takes ") and f"to {WORDS_MOST} words" in long["en"]
    form_page = client.get("/stories/new").get_data(as_text=True)
    assert f'data-count-limit="{WORDS_MOST}"' in form_page
    assert f"на киоске истории до {WORDS_MOST} слов" in form_page


def test_the_text_beside_publish_says_when_the_schedule_shows_it(client: FlaskClient) -> None:
    """«История появится на киоске через несколько секунд» beside a story set for later."""
    import datetime as dt

    from kiosk.core.i18n import format_date

    start = dt.date.today() + dt.timedelta(days=13)
    later = {"period": "dates", "show_from": start.isoformat(),
             "show_until": (start + dt.timedelta(days=5)).isoformat()}
    hint = preview(client, **later)["hint"]
    assert isinstance(hint, str) and "через несколько секунд" not in hint
    assert hint.startswith(f"История появится на киоске {format_date(start, 'ru')} (по расписанию")
    assert preview(client)["hint"] == ("История появится на киоске через несколько секунд. "
                                       "Любую публикацию можно отменить.")
    past = preview(client, period="dates", show_from="2025-01-01", show_until="2025-02-01")
    assert str(past["hint"]).startswith("Дней показа по расписанию (") and \
        "не осталось: история на киоске не появится" in str(past["hint"])
    assert format_date(start, "ru") in str(notice_preview(client, **later)["hint"])
    # The form's page says it too, before the first preview answers.
    page = client.get("/stories/new").get_data(as_text=True)
    assert "<span class=\"hint\" data-publish-hint aria-live=\"polite\">История появится на " \
        "киоске через несколько секунд." in page


def test_the_forms_own_rules_and_a_draft_not_shown(client: FlaskClient) -> None:
    body = preview(client, title="")
    # The form's own words only: not the loader's «add a line title: …» about the file.
    assert on_field(body, "title") == ["form"]
    assert body["shown"] is False  # a story without a title is not shown by the kiosk
    assert body["images"] == []


def test_a_required_field_left_empty_is_marked_so(client: FlaskClient) -> None:
    """The page says an empty required field only once she has left it (static/preview.js):
    the answer marks those problems, and only those."""
    def empty(body: dict[str, object]) -> dict[str, bool]:
        problems = body["problems"]
        assert isinstance(problems, list)
        return {p["field"]: p["empty"] for p in problems if p["severity"] == "error"}

    assert empty(preview(client, title="", text="")) == {"title": True, "text": True}
    assert empty(preview(client, text="Абзац.\n=== English ===\nText.")) == {"text": False}
    assert empty(preview(client, period="dates")) == {"schedule": True}
    assert empty(notice_preview(client, text="")) == {"text": True}


def test_a_draft_not_shown_for_its_dates_is_drawn_all_the_same(client: FlaskClient) -> None:
    """Dates the wrong way round: the kiosk will not show the story, and the preview said so
    with four empty frames; staff could not see what they were fixing."""
    body = preview(client, period="dates", show_from="2026-12-20", show_until="2026-12-01")
    assert body["shown"] is False
    problems, images = body["problems"], body["images"]
    assert isinstance(problems, list) and isinstance(images, list)
    assert "dates_reversed" in [p["code"] for p in problems]
    assert len(images) == 8
    assert not differ(image(client, body, "landscape-ru-story"),
                      image(client, preview(client), "landscape-ru-story"))


def test_the_centres_photo_is_drawn(client: FlaskClient, config: EditorConfig) -> None:
    photo = Image.new("RGB", (1200, 900), (200, 30, 30))
    photo.save(config.centre / "images" / "grandma.jpg", quality=90)
    without = preview(client)
    with_photo = preview(client, photo="images/grandma.jpg")
    assert on_field(with_photo, "photo") == []
    shot = image(client, with_photo, "landscape-ru-story")
    assert differ(image(client, without, "landscape-ru-story"), shot)
    red = sum(1 for r, g, b in shot.resize((192, 108)).get_flattened_data() if r > 180 and g < 60)  # type: ignore[misc]
    assert red > 500  # the photo's red fills its part of the card


def test_a_centres_photo_put_there_by_hand_is_drawn_as_the_kiosk_shows_it(
        client: FlaskClient, config: EditorConfig) -> None:
    """A camera's photo of 35 MB put in the centre's folder: the kiosk shows it (up to 50 MB),
    the preview called it «Файл «images/grandma.jpg» не найден» (it copied 30 MB at most)."""
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 30, 30)).save(out, "JPEG", quality=90)
    with open(config.centre / "images" / "grandma.jpg", "wb") as photo:
        photo.write(out.getvalue())
        photo.truncate(35_000_000)  # what follows its end marker, as a camera's data does
    with_photo = preview(client, photo="images/grandma.jpg")
    assert on_field(with_photo, "photo") == []
    shot = image(client, with_photo, "landscape-ru-story")
    red = sum(1 for r, g, b in shot.resize((192, 108)).get_flattened_data() if r > 180 and g < 60)  # type: ignore[misc]
    assert red > 500


def test_a_centres_photo_over_the_kiosks_limit_is_named_by_its_size_not_as_missing(
        client: FlaskClient, config: EditorConfig) -> None:
    """A 51 MB photo put in the centre's folder by hand: the kiosk refuses it by its size, and
    the preview said «Файл … не найден» (it copied nothing), sending staff to look for a file
    that is there."""
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 30, 30)).save(out, "JPEG", quality=90)
    with open(config.centre / "images" / "grandma.jpg", "wb") as photo:
        photo.write(out.getvalue())
        photo.truncate(51_000_000)
    body = preview(client, photo="images/grandma.jpg")
    assert on_field(body, "photo") == ["image_file_too_big"]
    assert "51" in json.dumps(body["problems"], ensure_ascii=False)  # its size, as check says


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose header claims `width`×`height` (a decompression bomb's header)."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def test_hostile_drafts_are_answered_within_the_timeout(client: FlaskClient,
                                                        config: EditorConfig) -> None:
    (config.centre / "images" / "bomb.jpg").write_bytes(jpeg_claiming(65000, 65000))
    hostile = [
        {"text": "а" * 100_000},  # one endless word, past the form's bound
        {"text": "строка\n" * 40_000},  # a 40,000-line body
        {"text": ">" * 30_000},  # nesting, the loader's costliest text
        {"title": "Ж" * 5000, "text_en": "w " * 20_000},
        {"photo": "images/bomb.jpg"},
    ]
    for fields in hostile:
        started = time.monotonic()
        answer = client.post("/preview/story", data=form(**fields))
        assert time.monotonic() - started < TIMEOUT
        if answer.status_code == 413:  # past the editor's form limit (app.FORM_BYTES): unread
            continue
        assert answer.status_code == 200, answer.get_data(as_text=True)
        body = answer.get_json()
        assert body["problems"], fields
    assert "image_too_large" in on_field(body, "photo") or on_field(body, "photo")
    assert preview(client)["shown"] is True  # and the next ordinary draft is drawn


def test_other_pages_do_not_wait_for_a_preview(config: EditorConfig,
                                               renderer: Renderer) -> None:
    app = make_app(config, renderer)
    answers: dict[str, int] = {}
    renderer._lock.acquire()  # a preview is being drawn, for as long as the test says
    try:
        waiting = threading.Thread(target=lambda: answers.update(
            preview=app.test_client().post("/preview/story", data=form()).status_code))
        waiting.start()
        started = time.monotonic()
        assert app.test_client().get("/").status_code in (200, 302)
        assert time.monotonic() - started < 5
        assert waiting.is_alive()
    finally:
        renderer._lock.release()
    waiting.join(TIMEOUT)
    assert answers["preview"] == 200


def test_opening_the_form_starts_the_renderer_before_the_first_draft(
        config: EditorConfig) -> None:
    fresh = Renderer(timeout=TIMEOUT)
    try:
        client = make_app(config, fresh).test_client()
        assert client.post("/preview/warm").status_code == 204
        wait_for(lambda: fresh.pid is not None and not fresh._lock.locked())  # warmed up
        assert client.post("/preview/warm").status_code == 204  # once is enough
        body = preview(client)
        assert body["shown"] is True and fresh.starts == 1
    finally:
        fresh.close()


def test_the_renderer_ends_with_its_app(config: EditorConfig) -> None:
    """Each app's renderer is stopped when the app goes (tests make many apps), not left
    holding ~140 MB until the interpreter exits."""
    app = create_app(config)
    pid = preview_views.renderer(app).ping()
    del app
    gc.collect()
    wait_for(lambda: not Path(f"/proc/{pid}").exists())


def test_sign_in_is_needed(tmp_path: Path, renderer: Renderer) -> None:
    root = tmp_path / "signed"  # an editor of its own, beside the module's `app`
    config = EditorConfig(SHARED, root / "centre", root / "state", csrf=False)
    PinStore(config.state_dir).set_pin("4826")  # someone could sign in: the editor starts
    app = make_app(config, renderer)
    starts = renderer.starts
    answer = app.test_client().post("/preview/story", data=form())
    assert answer.status_code in (302, 303)
    with app.test_request_context():
        assert answer.headers["Location"].endswith(url_for("auth.login"))
    assert app.test_client().get("/preview/image/x/landscape-ru-story.png").status_code in (
        302, 303)
    assert renderer.starts == starts


def test_a_post_without_the_csrf_token_is_refused(tmp_path: Path, renderer: Renderer) -> None:
    root = tmp_path / "signed"  # an editor of its own, beside the module's `app`
    config = EditorConfig(SHARED, root / "centre", root / "state", login_disabled=True)
    app = make_app(config, renderer)
    assert app.test_client().post("/preview/story", data=form()).status_code == 400


@pytest.mark.parametrize(("code", "args", "line", "path", "field"), [
    ("headline_long", {"value": "Long"}, None, "stories/a.md", "title"),
    ("headline_long", {"value": "Long"}, None, "stories/a.md", "title_en"),
    ("text_too_long", {"language": "en"}, None, "stories/a.md", "text_en"),
    ("text_too_long", {"language": "ru"}, None, "stories/a.md", "text"),
    ("teaser_long", {"key": "teaser_en"}, 4, "stories/a.md", "teaser_en"),
    ("empty_field", {"key": "centre"}, 5, "stories/a.md", "centre"),
    ("bad_hours", {}, 7, "stories/a.md", "schedule"),
    ("image_too_small", {}, None, "images/a.jpg", "photo"),
    ("separator_misspelt", {}, 12, "stories/a.md", "text"),
    ("centre_same_name", {}, None, "stories/a.md", ""),
])
def test_the_field_of_each_kind_of_problem(code: str, args: dict[str, str], line: int | None,
                                           path: str, field: str) -> None:
    lines = {2: "title", 3: "title_en", 4: "teaser_en", 5: "centre", 7: "hours", 12: "text"}
    title_en = "Long" if field == "title_en" else ""
    assert field_of(code, args, line, path, lines, title_en) == field


# -- a notice ---------------------------------------------------------------------------------

def notice_preview(client: FlaskClient, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {"text": "1–8 января центр не работает", "level": "urgent",
                               "period": "always", "days": "all", "hours": ""}
    data.update(fields)
    answer = client.post("/preview/notice", data=data)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert isinstance(body, dict)
    return body


def red_share(picture: Image.Image, rows: range) -> float:
    """The share of `rows` (of a 1080p screen, scaled to the picture) in the band's red."""
    scale = picture.height / (1920 if picture.height > picture.width else 1080)
    band = picture.crop((0, round(rows.start * scale), picture.width, round(rows.stop * scale)))
    import numpy as np

    rgb = np.asarray(band.convert("RGB"), dtype=np.int16)
    red = (rgb[..., 0] > 140) & (rgb[..., 1] < 60) & (rgb[..., 2] < 60)
    return float(red.mean())


def test_a_notice_is_drawn_as_the_kiosk_shows_it(client: FlaskClient) -> None:
    """Urgent: the band at the foot of a screen; ordinary: a slide of the loop. The notice
    form had no preview at all, the most visible thing staff publish."""
    urgent = notice_preview(client)
    assert urgent["shown"] is True
    images = urgent["images"]
    assert isinstance(images, list) and len(images) == 4
    landscape = image(client, urgent, "landscape-ru-notice")
    assert landscape.size == (1920, 1080)
    assert red_share(landscape, range(1040, 1075)) > 0.5  # the band along the foot
    assert red_share(image(client, urgent, "portrait-en-notice"), range(1880, 1915)) > 0.5
    ordinary = notice_preview(client, level="ordinary")
    slide = image(client, ordinary, "landscape-ru-notice")
    assert red_share(slide, range(1040, 1075)) < 0.1 and differ(slide, landscape)
    assert differ(image(client, ordinary, "landscape-ru-notice"),
                  image(client, notice_preview(client, level="ordinary",
                                               text="Завтра центр работает до 17:00"),
                        "landscape-ru-notice"))


def test_a_notice_s_problems_go_to_its_fields(client: FlaskClient) -> None:
    empty = notice_preview(client, text="")
    assert empty["shown"] is False and empty["images"] == []
    assert on_field(empty, "text") == ["form"]
    long = notice_preview(client, text="Очень " * 25)
    assert "notice_long" in on_field(long, "text")
    problems = long["problems"]
    assert isinstance(problems, list)
    assert any(p["message"].startswith("«Объявление»: в объявлении") for p in problems)


def test_a_new_item_named_as_one_there_is_already_is_warned_on_its_title(
        client: FlaskClient) -> None:
    """A second «Справка нашлась до закрытия» (a second window, Back after Publish) went up
    without a word, and the loop showed the story twice: told while the form is filled (case,
    «ё» and spaces aside); an edit of the story itself is not."""
    body = preview(client, title="справка  нашлась до закрытия")
    assert on_field(body, "title") == ["same_title"] and body["shown"] is True
    problems = body["problems"]
    assert isinstance(problems, list)
    # Head office's: not the centre's to change, so not «open it and change it».
    assert [p["message"] for p in problems if p["field"] == "title"] == [
        "У головного офиса уже есть история с таким названием: «Справка нашлась до "
        "закрытия», и киоск её показывает. Если это та же история, добавлять её не нужно; "
        "если другая — дайте ей другое название."]
    assert on_field(preview(client, title="Справка нашлась вовремя"), "title") == []
    notice = notice_preview(client, text="Завтра центр не работает", level="ordinary")
    # Shown always, its «Завтра» is warned of too (head office's shows the eve only).
    assert on_field(notice, "text") == ["relative_day", "same_title"]


def said(body: dict[str, object], code: str) -> list[dict[str, str]]:
    problems = body["problems"]
    assert isinstance(problems, list)
    return [p for p in problems if p["code"] == code]


def test_a_notice_naming_a_day_by_today_is_warned_gently(client: FlaskClient) -> None:
    """«Завтра центр работает до 16:00» shown 7–10 December says a wrong day on three of
    them; it was published without a word. Shown on one day, the day it names is said."""
    import datetime as dt

    from kiosk.core.i18n import format_date

    start = dt.date.today() + dt.timedelta(days=3)
    several = notice_preview(client, text="Завтра центр работает до 16:00", period="dates",
                             show_from=start.isoformat(),
                             show_until=(start + dt.timedelta(days=3)).isoformat())
    (warning,) = said(several, "relative_day")
    assert warning["field"] == "text" and warning["severity"] == "warning"
    assert "«завтра» каждый день — другое число" in warning["message"]
    assert several["shown"] is True  # a warning: it may be published
    one = notice_preview(client, text="Завтра центр работает до 16:00", period="dates",
                         show_from=start.isoformat(), show_until=start.isoformat())
    (warning,) = said(one, "relative_day")
    tomorrow = format_date(start + dt.timedelta(days=1), "ru")
    assert f"«завтра» для посетителя — {tomorrow}" in warning["message"]
    # «Сегодня» is the day shown whichever it is: right on every day it shows.
    for until in (start, start + dt.timedelta(days=3)):
        assert on_field(notice_preview(client, text="Сегодня центр работает до 16:00",
                                       period="dates", show_from=start.isoformat(),
                                       show_until=until.isoformat()), "text") == []
    english = notice_preview(client, text="31 декабря центр работает до 16:00",
                             text_en="Open until 16:00 tomorrow")
    assert on_field(english, "text") == [] and on_field(english, "text_en") == ["relative_day"]


def test_a_notice_on_the_calendars_last_day_naming_tomorrow_is_previewed(
        client: FlaskClient) -> None:
    """«Завтра…» shown only on 31 December 9999 (a year typed in full by mistake) has no
    tomorrow to name: the preview answered 500 (a date past the calendar's end), not a
    drawing with the notice's other remarks."""
    body = notice_preview(client, text="Завтра центр не работает", period="dates",
                          show_from="9999-12-31", show_until="9999-12-31")
    assert said(body, "relative_day") == []
    body = notice_preview(client, text="Вчера центр не работал", period="dates",
                          show_from="0001-01-01", show_until="0001-01-01")
    assert said(body, "relative_day") == []
