"""The editor at a member of staff's desk, in a real browser (Debian's Chromium, headless,
driven by Playwright, against the editor served by waitress): a file that cannot be uploaded
(too large, said before a byte is sent; the network down; a refusal that is not the editor's
own answer) said in plain words where it was dropped; Publish in the window at every desk
size; «Добавить» in the header reaching every kind of content."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kiosk.editor.config import MAX_UPLOAD_BYTES
from tests.drawings import BREAK, drawing, jpeg, photographed
from tests.editor.browser import (
    CHROMIUM,
    PIN,
    chromium_context,
    editor_app,
    serving,
    type_31_february,
)
from tests.editor.test_colouring_pictures import line_art

pytest.importorskip("playwright.sync_api")
pytest.importorskip("waitress")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")

STATUS = "document.getElementById('upload-status')"


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    with serving(editor_app(tmp_path)) as url, chromium_context() as context:
        page = context.new_page()
        page.route("**/preview/**", lambda route: route.abort())  # no renderer needed here
        page.goto(f"{url}/")
        page.fill("#signin-pin input[name=pin]", PIN)
        page.click("#signin-pin button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/stories/new")
        yield page


def choose_large_file(page: Any, selector: str) -> None:
    """A file a byte over the limit chosen in `selector`: made in the page, not sent to it."""
    page.evaluate("""([selector, size]) => { const input = document.querySelector(selector);
        const files = new DataTransfer();
        files.items.add(new File([new Uint8Array(size)], "IMG_2041.JPG", { type: "image/jpeg" }));
        input.files = files.files;
        input.dispatchEvent(new Event("change", { bubbles: true })); }""",
                  [selector, MAX_UPLOAD_BYTES + 1])


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_too_large_is_said_before_it_is_sent(page: Any) -> None:
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST"
            else None)
    choose_large_file(page, "#photo-file")
    status = page.locator("#upload-status")
    status.wait_for()
    page.wait_for_function(f"() => {STATUS}.textContent !== ''")
    text = status.inner_text()
    assert "«IMG_2041.JPG» весит 30,1 МБ" in text and "не больше 30 МБ" in text
    assert "error" in (status.get_attribute("class") or "")
    assert sent == []  # not a byte of it sent
    assert page.input_value("#photo-value") == ""


def test_no_network_is_said_in_words(page: Any) -> None:
    page.route("**/photo", lambda route: route.abort("internetdisconnected"))
    page.set_input_files("#photo-file", files=[{"name": "a.jpg", "mimeType": "image/jpeg",
                                                "buffer": small_jpeg()}])
    page.wait_for_function(f"() => {STATUS}.textContent.includes('Нет связи')")
    assert "Failed to fetch" not in page.inner_text("#upload-status")


def test_a_refusal_that_is_not_the_editors_own_is_said_in_words(page: Any) -> None:
    """waitress answers a body over its own cap with a page of English text, not JSON."""
    page.route("**/photo", lambda route: route.fulfill(
        status=413, content_type="text/plain", body="Request Entity Too Large"))
    page.set_input_files("#photo-file", files=[{"name": "a.jpg", "mimeType": "image/jpeg",
                                                "buffer": small_jpeg()}])
    page.wait_for_function(f"() => {STATUS}.textContent.includes('до 30 МБ')")
    assert "Entity" not in page.inner_text("#upload-status")
    page.unroute("**/photo")
    page.route("**/photo", lambda route: route.fulfill(
        status=502, content_type="text/html", body="<h1>Bad Gateway</h1>"))
    page.set_input_files("#photo-file", files=[{"name": "b.jpg", "mimeType": "image/jpeg",
                                                "buffer": small_jpeg()}])
    page.wait_for_function(f"() => {STATUS}.textContent.includes('(502)')")
    assert "ИТ-службу" in page.inner_text("#upload-status")


def test_the_wizard_says_a_drawing_is_too_large_and_stays(page: Any) -> None:
    page.click("nav summary")
    page.click("nav >> text=Раскраску из рисунка")
    page.wait_for_selector("#scan-drop")
    url = page.url
    refusal = page.locator("#scan-error")
    assert not refusal.is_visible()  # no empty red bar before anything went wrong
    choose_large_file(page, "#scan-file")
    refusal.wait_for(state="visible")
    assert "не больше 30 МБ" in refusal.inner_text()
    posted: list[str] = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST"
            else None)
    page.click("button:has-text('Загрузить и обработать')")
    # Whatever the press starts (a sign-in check, the upload) is on the network at once.
    page.wait_for_load_state("networkidle")
    assert posted == []
    assert page.url == url and refusal.is_visible()


def test_the_wizard_says_no_file_was_chosen_by_the_drop_area(page: Any) -> None:
    """Pressed with no file: the browser's own bubble came up at the window's left edge, over
    the heading, and the editor's words never did."""
    page.goto(page.url.rsplit("/", 2)[0] + "/colouring/")
    posted: list[str] = []
    page.on("request", lambda request: posted.append(request.url) if request.method == "POST"
            else None)
    page.click("button:has-text('Загрузить и обработать')")
    refusal = page.locator("#scan-error")
    refusal.wait_for(state="visible", timeout=3000)
    assert refusal.inner_text() == "Выберите файл: фото или скан рисунка."
    drop, said = page.locator("#scan-drop").bounding_box(), refusal.bounding_box()
    assert drop is not None and said is not None
    assert 0 <= said["y"] - (drop["y"] + drop["height"]) <= 40  # right under the drop area
    assert posted == []
    page.set_input_files("#scan-file", files=[{"name": "domik.png", "mimeType": "image/png",
                                               "buffer": line_art()}])
    assert not refusal.is_visible()  # a file chosen: the words go


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1280, 1024), (1024, 768)],
                         ids=["1366x768", "1280x1024", "1024x768"])
@pytest.mark.parametrize("form", ["/stories/new", "/notices/new", "/posters/new"])
def test_publish_is_in_the_window_wherever_the_form_is_scrolled(
        page: Any, form: str, width: int, height: int) -> None:
    """Every form is taller than a desk's window: its Publish stays at the window's foot."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(page.url.rsplit("/", 2)[0] + form)
    publish = page.locator("#publish")
    for where in ("top", "middle"):
        if where == "middle":
            page.evaluate("() => window.scrollTo(0, document.body.scrollHeight / 3)")
        box = publish.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, where


def test_add_in_the_header_reaches_every_kind_of_content_and_closes_as_a_menu(
        page: Any) -> None:
    menu = page.locator("nav details.nav-add")
    items = menu.locator(".nav-menu a")
    assert not items.first.is_visible()
    page.click("nav summary")
    assert items.all_inner_texts() == ["Историю", "Объявление", "Плакат", "Раскраску из рисунка"]
    page.click("h1")  # a click elsewhere closes it
    assert not items.first.is_visible()
    page.click("nav summary")
    page.keyboard.press("Escape")
    assert not items.first.is_visible()
    page.click("nav summary")
    page.click("nav >> text=Объявление")
    page.wait_for_url("**/notices/new")
    assert page.locator("h1").inner_text() == "Новое объявление"
    # On the page it leads to, «Добавить» is marked as where one is, and its item is current.
    assert "current" in (menu.locator("summary").get_attribute("class") or "")
    assert menu.locator("a[aria-current=page]").text_content() == "Объявление"
    page.focus("nav summary")
    page.keyboard.press("Enter")
    assert items.first.is_visible()
    for _ in range(5):  # Tab through its four items and out of it: closed behind her
        page.keyboard.press("Tab")
    assert not items.first.is_visible()


def test_the_story_text_counts_its_words_and_says_when_it_is_too_short_or_long(
        page: Any) -> None:
    counter = page.locator("textarea[name=text] + .counter")
    assert counter.inner_text() == "Слов: 0"
    page.fill("textarea[name=text]", "Бабушка пришла в центр под дождём.")
    assert counter.inner_text().startswith("Слов: 6 — мало")
    assert "over" in (counter.get_attribute("class") or "")
    page.fill("textarea[name=text]", " ".join(["слово"] * 60))
    assert counter.inner_text() == "Слов: 60"
    assert "over" not in (counter.get_attribute("class") or "")
    page.fill("textarea[name=text]", "\n\n".join(["одно два три"] * 41))
    assert counter.inner_text().startswith("Слов: 123 — много")


def test_a_card_with_a_problem_rings_its_boxes_not_its_radio_buttons(page: Any) -> None:
    """A warning on the schedule (its dates) marked the boxes to fix, and ringed every radio
    button of the card orange beside them, as if each were wrong."""
    ring = "el => getComputedStyle(el).boxShadow"
    schedule = page.locator("fieldset", has=page.locator("input[name=period]"))
    for problem in ("has-problem", "has-error"):
        schedule.evaluate(f"card => card.classList.add('{problem}')")
        assert schedule.locator("input[type=date]").first.evaluate(ring) != "none"
        assert schedule.locator("input[type=radio]").first.evaluate(ring) == "none"
        schedule.evaluate(f"card => card.classList.remove('{problem}')")


def test_the_wizards_publish_is_in_the_window_once_the_drawing_is_read(page: Any) -> None:
    """Where the verdict is good, naming and publishing is all there is to do: its card comes
    before the clean-up's sliders, in a 1366×768 window."""
    page.goto(page.url.rsplit("/", 2)[0] + "/colouring/")
    page.set_input_files("#scan-file", files=[{"name": "domik.png", "mimeType": "image/png",
                                               "buffer": line_art()}])
    page.click("button:has-text('Загрузить и обработать')")
    page.wait_for_url("**/colouring/edit*")
    box = page.locator("#publish button[type=submit]").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 768)],
                         ids=["1366x768", "1024x768"])
def test_a_trial_fills_answer_is_in_the_window_with_the_click(page: Any, width: int,
                                                               height: int) -> None:
    """The answer to a trial fill («…закрасило 86 % листа…») came 775 px down, under a 768 px
    window: staff saw the orange and missed the warning. At 1024 the verdict, the title and
    Publish were under the sheet as well, 845–1168 px down."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(page.url.rsplit("/", 2)[0] + "/colouring/")
    page.set_input_files("#scan-file", files=[{
        "name": "domik.jpg", "mimeType": "image/jpeg",
        "buffer": jpeg(photographed(drawing(2100, 1500, breaks=round(BREAK * 1.5), line=10)))}])
    page.click("button:has-text('Загрузить и обработать')")
    page.wait_for_url("**/colouring/edit*")
    for selector in ("#verdict", "#publish input[name=title]", "#publish button[type=submit]"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, selector
    sheet = page.locator("#art").bounding_box()
    assert sheet is not None
    page.mouse.click(sheet["x"] + sheet["width"] * 0.23, sheet["y"] + sheet["height"] * 0.8)
    page.wait_for_function("() => document.getElementById('fill-result').textContent !== ''")
    answer = page.locator("#fill-result")
    assert "закрасило" in answer.inner_text() and "разрывы" in answer.inner_text()
    box = answer.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_a_colouring_picture_left_is_offered_with_its_title_and_settings(page: Any) -> None:
    page.goto(page.url.rsplit("/", 2)[0] + "/colouring/")
    page.set_input_files("#scan-file", files=[{"name": "domik.png", "mimeType": "image/png",
                                               "buffer": line_art()}])
    page.click("button:has-text('Загрузить и обработать')")
    page.wait_for_url("**/colouring/edit*")
    page.fill("#publish input[name=title]", "Домик у реки")
    page.locator("#gap").fill("20")
    page.wait_for_url("**gap=20*")
    page.click("nav >> text=Материалы")
    page.click("nav summary")
    page.click("nav >> text=Раскраску из рисунка")
    page.wait_for_selector("#scan-file", state="attached")  # a new one starts on upload
    assert page.locator("h1").inner_text() == "Новая раскраска из рисунка"
    page.click("#draft >> text=Продолжить начатую")
    page.wait_for_url("**gap=20*")
    assert page.input_value("#publish input[name=title]") == "Домик у реки"
    assert page.input_value("#gap") == "20"


@pytest.mark.parametrize(("form", "fill"), [
    ("/stories/new", {"input[name=title]": "Очки для бабушки",
                      "textarea[name=text]": "Бабушка забыла очки, и мы прочли ей бланк. " * 4}),
    ("/notices/new", {"textarea[name=text]": "Сегодня центр работает до 18:00."}),
], ids=["story", "notice"])
def test_back_after_publishing_brings_an_empty_form(page: Any, tmp_path: Path, form: str,
                                                     fill: dict[str, str]) -> None:
    """Back after a story was published brought its form half filled (the text kept, the
    title not): typing the title again published a second copy."""
    page.goto(page.url.rsplit("/", 2)[0] + form)
    for selector, text in fill.items():
        page.fill(selector, text)
    page.click("#publish")
    page.wait_for_selector(".flash.done")
    page.go_back()
    page.wait_for_load_state("load")
    assert page.url.endswith(form)
    for selector in fill:
        assert page.input_value(selector) == "", selector


def test_a_date_no_calendar_has_is_said_and_the_form_is_not_sent(page: Any,
                                                                 tmp_path: Path) -> None:
    """«31 февраля» typed by hand: the browser gives the form an empty date, and the story
    was published without it, not a word said."""
    page.fill("input[name=title]", "Зонтик для бабушки")
    page.fill("textarea[name=text]", "Бабушка пришла в центр под проливным дождём. " * 3)
    date = page.locator("input[name=date]")
    type_31_february(page, date)
    problem = page.locator("[data-date-problem]")
    assert problem.count() == 0  # not while it is being typed
    page.click("input[name=centre]")
    assert "Такой даты нет" in problem.inner_text()  # said once she leaves the field
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST"
            and "/preview/" not in request.url else None)
    page.click("#publish")
    page.wait_for_function("() => document.activeElement.name === 'date'")
    assert sent == [] and not (tmp_path / "centre" / "stories").exists()
    assert page.input_value("input[name=title]") == "Зонтик для бабушки"  # nothing lost
    date.fill("2026-02-28")  # put right: the words go
    assert problem.count() == 0
