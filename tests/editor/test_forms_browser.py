"""The story, poster and notice forms as staff fill them, in a real browser (Debian's Chromium,
headless, Playwright, the editor served by waitress with its renderer): a required field still
empty is said in red only once she has left it or pressed Publish, never under the fields she
has not reached yet; a date no calendar has is counted in the preview's status; the photo's
thumbnail shows the whole photo."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from kiosk.core.paths import package_folder
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.preview_views import RENDERER_KEY
from kiosk.editor.render import Renderer
from tests.editor.browser import CHROMIUM, serving, type_31_february

pytest.importorskip("playwright.sync_api")
pytest.importorskip("waitress")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")

STATUS = "[data-preview-status]"
TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай, а потом спокойно помог со "
        "всеми документами. Уходя, она сказала, что согрелась не только от чая.")
SHOTS = os.environ.get("KIOSK_EDITOR_SHOTS")  # a folder: keep the pages' screenshots there


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    centre = tmp_path / "centre"
    centre.mkdir()
    app = create_app(EditorConfig(package_folder("content"), centre, tmp_path / "state",
                                  login_disabled=True, csrf=False))
    renderer = app.extensions[RENDERER_KEY] = Renderer(timeout=60.0)
    try:
        with serving(app, threads=4) as address:
            yield address
    finally:
        renderer.close()


def preview_answered(page: Any) -> Any:
    """Waits (as a context manager) for the live preview's next answer, then for the page to
    have written it (the status line no longer «Рисуем…»)."""
    class Answered:
        def __enter__(self) -> None:
            self.waiting = page.expect_response(
                lambda r: r.request.method == "POST" and "/preview/" in r.url
                and r.url.rsplit("/", 1)[-1] in ("story", "poster", "notice")
                and r.status != 409, timeout=90_000)
            self.waiting.__enter__()

        def __exit__(self, *exc: object) -> None:
            self.waiting.__exit__(*exc)
            if exc[0] is None:
                page.wait_for_function(f"() => !document.querySelector('{STATUS}')"
                                       ".classList.contains('busy')", timeout=30_000)
    return Answered()


def notes(page: Any, field: str) -> list[str]:
    """The problems written under the form's field `field` (by its input's name)."""
    return [text.strip() for text in page.locator(
        f"label.field:has([name={field}]) .field-problem:visible, "
        f"fieldset:has(> [name={field}]) .field-problem:visible, "
        f"fieldset:has(> .dropzone [name={field}_file]) .field-problem:visible"
    ).all_inner_texts()]


def shot(page: Any, name: str) -> None:
    """The window as she sees it (1366×768), where KIOSK_EDITOR_SHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def test_the_story_text_is_not_called_missing_while_she_writes_the_title(
        url: str, page: Any) -> None:
    page.goto(f"{url}/stories/new")
    with preview_answered(page):
        page.type("input[name=title]", "Очки нашлись", delay=20)
    shot(page, "story-title-only")
    # The text is empty but she has not reached it: nothing red under it, no «errors» said.
    assert notes(page, "text") == [] and notes(page, "title") == []
    status = page.inner_text(STATUS)
    assert "ошибк" not in status and "обязательные поля" in status
    assert "hidden-story" not in (page.get_attribute(STATUS, "class") or "")
    # She goes into the text and out of it, leaving it empty: now it is said, and why the
    # kiosk would not show the story.
    page.click("textarea[name=text]")
    page.click("input[name=teaser]")
    page.wait_for_function("() => document.querySelector('[data-preview-problem=text]')")
    assert notes(page, "text") == ["Напишите текст истории."]
    assert "С такими ошибками история на киоске не покажется" in page.inner_text(STATUS)
    shot(page, "story-text-left-empty")
    # Written, the error goes.
    with preview_answered(page):
        page.fill("textarea[name=text]", TEXT)
    assert notes(page, "text") == []


def test_a_photo_chosen_first_calls_nothing_missing_and_publish_still_does(
        url: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{url}/stories/new")
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (1200, 900), (40, 110, 190)).save(photo, "JPEG")
    with preview_answered(page):
        page.set_input_files("#photo-file", str(photo))
    assert notes(page, "title") == [] and notes(page, "text") == []
    assert "ошибк" not in page.inner_text(STATUS)
    # Publish: refused, and the missing fields said on the form sent back ...
    page.click("#publish")
    page.wait_for_selector("[data-error-banner]")
    assert notes(page, "title") == ["Напишите заголовок истории."]
    assert notes(page, "text") == ["Напишите текст истории."]
    # ... and still said by the live check as she fills the form in again.
    with preview_answered(page):
        page.type("input[name=title]", "Очки нашлись", delay=20)
    assert notes(page, "title") == [] and notes(page, "text") == ["Напишите текст истории."]


def test_a_poster_picture_chosen_first_does_not_call_the_name_missing(
        url: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{url}/posters/new")
    picture = tmp_path / "afisha.png"
    Image.new("RGB", (1920, 1080), (29, 79, 145)).save(picture)
    with preview_answered(page):
        page.set_input_files("[data-picture-file] >> nth=0", str(picture))
    shot(page, "poster-picture-first")
    assert notes(page, "name") == []
    status = page.inner_text(STATUS)
    assert "ошибк" not in status and "обязательные поля" in status
    # Into the name and out of it with Tab, empty: said now.
    page.focus("input[name=name]")
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.querySelector('[data-preview-problem=name]')")
    assert notes(page, "name") == ["Напишите название плаката: по нему его найдут в списке."]


def test_urgent_chosen_first_does_not_call_the_notice_text_missing(url: str, page: Any) -> None:
    page.goto(f"{url}/notices/new")
    with preview_answered(page):
        page.click("text=Срочное")
    shot(page, "notice-urgent-first")
    assert notes(page, "text") == []
    assert "ошибк" not in page.inner_text(STATUS)
    page.click("#publish")
    page.wait_for_selector("[data-error-banner]")
    assert notes(page, "text") == ["Напишите текст объявления."]


def test_an_item_opened_with_a_required_field_empty_says_so_at_once(
        url: str, page: Any, tmp_path: Path) -> None:
    """A notice whose file has no text is not on the kiosk: its form says why as it opens,
    not once she has been into the field (only a new form's fields wait to be reached)."""
    notices = tmp_path / "centre" / "notices"
    notices.mkdir()
    (notices / "lift.yaml").write_text("text: ''\nlevel: срочное\n", encoding="utf-8")
    with preview_answered(page):
        page.goto(f"{url}/notices/lift/edit")
    assert notes(page, "text") == ["Напишите текст объявления."]
    assert "обязательные поля" not in page.inner_text(STATUS)


def test_enter_in_a_one_line_field_goes_on_to_the_next_and_publishes_nothing(
        url: str, page: Any, tmp_path: Path) -> None:
    """Enter in the title or the slideshow line published the story at once (with «Отменить»
    offered): people who press Enter to move on, or for a new line, published by accident."""
    page.goto(f"{url}/stories/new")
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST"
            and "/preview/" not in r.url and "/upload" not in r.url else None)
    page.fill("input[name=title]", "Очки нашлись")
    page.focus("input[name=title]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "text"  # on to the story's text
    page.fill("textarea[name=text]", TEXT)
    page.focus("input[name=teaser]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") != "teaser"
    assert page.url.endswith("/stories/new") and posted == []
    assert not (tmp_path / "centre" / "stories").exists()


def counted(status: str) -> int:
    if "Замечаний нет" in status:
        return 0
    found = re.search(r"Замечаний: (\d+)", status)
    assert found, status
    return int(found.group(1))


def test_a_date_no_calendar_has_is_counted_in_the_preview_status(url: str, page: Any) -> None:
    page.goto(f"{url}/stories/new")
    page.fill("input[name=title]", "Зонтик для бабушки")
    with preview_answered(page):
        page.fill("textarea[name=text]", TEXT)
    before = counted(page.inner_text(STATUS))
    date = page.locator("input[name=date]")
    type_31_february(page, date)
    page.click("input[name=centre]")
    page.wait_for_selector("[data-date-problem]")
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent"
                           f".includes('Замечаний: {before + 1}')")
    shot(page, "story-bad-date")
    date.fill("2024-07-14")  # put right: counted no more
    page.wait_for_function(f"() => !document.querySelector('{STATUS}').textContent"
                           f".includes('Замечаний: {before + 1}')")
    assert counted(page.inner_text(STATUS)) == before


def portrait_phone_photo(path: Path) -> Path:
    """A phone's portrait photo, 3000×4000 as seen, red along its top and green along its
    foot; stored on its side with an EXIF note to turn it (as phones do)."""
    seen = Image.new("RGB", (3000, 4000), (40, 110, 190))
    seen.paste((220, 30, 30), (0, 0, 3000, 600))
    seen.paste((30, 170, 60), (0, 3400, 3000, 4000))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    seen.transpose(Image.Transpose.ROTATE_90).save(out, "JPEG", exif=exif.tobytes(), quality=85)
    path.write_bytes(out.getvalue())
    return path


def test_the_form_thumbnail_shows_the_whole_portrait_photo(
        url: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{url}/stories/new")
    page.set_input_files("#photo-file", str(portrait_phone_photo(tmp_path / "IMG_0002.JPG")))
    page.wait_for_function("() => { const img = document.getElementById('photo-thumb');"
                           " return !img.hidden && img.complete && img.naturalWidth > 0; }")
    thumb = page.locator("#photo-thumb")
    box = thumb.bounding_box()
    assert (box["width"], box["height"]) == (160, 120)  # the frame as before, whatever the photo
    thumb.scroll_into_view_if_needed()
    shot(page, "story-portrait-photo")
    with Image.open(io.BytesIO(thumb.screenshot())) as shown:
        pixels = np.asarray(shown.convert("RGB"), dtype=np.int16)

    def seen(colour: tuple[int, int, int]) -> int:
        return int((np.abs(pixels - np.array(colour)).max(axis=2) < 40).sum())
    assert seen((220, 30, 30)) > 200, "the top of the photo is cut off"
    assert seen((30, 170, 60)) > 200, "the foot of the photo is cut off"


def test_a_title_cleared_to_be_written_anew_is_not_called_missing_under_her_typing(
        url: str, page: Any) -> None:
    page.goto(f"{url}/stories/new")
    with preview_answered(page):
        page.type("input[name=title]", "Очки нашлись", delay=20)
    page.click("textarea[name=text]")
    page.click("input[name=teaser]")  # the text left empty: said, the title filled
    page.wait_for_function("() => document.querySelector('[data-preview-problem=text]')")
    # Back into the title to write another: while she is in it, it is not called empty.
    page.click("input[name=title]")
    page.keyboard.press("Control+A")
    with preview_answered(page):
        page.keyboard.press("Backspace")
    shot(page, "story-title-cleared")
    assert notes(page, "title") == []
    assert notes(page, "text") == ["Напишите текст истории."]
    # Left empty, it is.
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.querySelector('[data-preview-problem=title]')")
    assert notes(page, "title") == ["Напишите заголовок истории."]


def schedule_notes(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(
        "fieldset:has([name=period]) .field-problem:visible").all_inner_texts()]


def test_a_wrong_first_day_is_still_said_once_she_has_been_through_the_last(
        url: str, page: Any) -> None:
    """«С» and «по» share a line: leaving an empty «по» took back what was said of «С», and
    Publish then asked her to pick a date she had typed."""
    page.goto(f"{url}/notices/new")
    with preview_answered(page):
        page.fill("textarea[name=text]", "Центр не работает")
    page.click("input[name=period][value=dates]")
    first = page.locator("input[name=show_from]")
    type_31_february(page, first)
    page.click("input[name=show_until]")
    page.click("textarea[name=text]")  # out of «по», left empty
    page.wait_for_function(f"() => document.querySelector('{STATUS}').textContent"
                           ".includes('исправьте поля')")
    wrong_day = [note for note in schedule_notes(page) if note.startswith("Такой даты нет")]
    assert len(wrong_day) == 1 and len(schedule_notes(page)) == 1
    # Publish: held for the date, and the note is the date's, not «pick a date».
    page.click("#publish")
    page.wait_for_function("() => document.activeElement.name === 'show_from'")
    shot(page, "notice-wrong-first-day-publish")
    assert schedule_notes(page) == wrong_day
    assert "/notices/new" in page.url


def test_the_english_banner_quotes_the_fields_in_english(url: str, page: Any) -> None:
    page.goto(f"{url}/posters/new")
    page.click("header button.lang")
    page.wait_for_selector("h1:has-text('New poster')")
    page.click("#publish")
    page.wait_for_selector("[data-error-banner]")
    shot(page, "poster-banner-en")
    banner = page.inner_text("[data-error-banner]")
    assert "With errors: “Name”, “Picture”." in banner, banner


def test_an_empty_story_sent_back_by_publish_says_why_it_is_not_shown(
        url: str, page: Any) -> None:
    page.goto(f"{url}/stories/new")
    page.click("text=погода")
    with preview_answered(page):
        page.click("#publish")  # the form sent back, its preview drawn for it
    assert notes(page, "title") == ["Напишите заголовок истории."]
    shot(page, "story-empty-sent-back")
    status = page.inner_text(STATUS)
    assert "Начните писать" not in status
    assert "С такими ошибками история на киоске не покажется" in status
