"""A story form left open while the session ends, in a real browser (Debian's Chromium, headless,
driven by Playwright, against the editor served by waitress): Publish says in words that the
sign-in has expired and keeps the text; after signing in again in another tab, the same form
publishes (its script asks for the new session's CSRF token first)."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kiosk.editor import auth
from tests.editor.browser import CHROMIUM, PIN, chromium_context, editor_app, serving
from tests.editor.test_colouring_pictures import line_art

pytest.importorskip("playwright.sync_api")
pytest.importorskip("waitress")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")

TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай и помог со всеми документами.")


def type_pin(page: Any, pin: str, then: str) -> None:
    page.fill("#signin-pin input[name=pin]", pin)
    page.click("#signin-pin button[type=submit]")
    page.wait_for_url(then)


def story_form(context: Any, editor_url: str, text: str = TEXT) -> Any:
    """A new story's form, signed in, its title (and `text`) typed."""
    form = context.new_page()
    form.route("**/preview/**", lambda route: route.abort())
    form.goto(f"{editor_url}/stories/new")
    type_pin(form, PIN, f"{editor_url}/stories/new")
    form.fill("input[name=title]", "Зонтик для бабушки")
    if text:
        form.fill("textarea[name=text]", text)
    return form


def sign_out_elsewhere(context: Any, editor_url: str) -> Any:
    """«Выйти» in another tab: the session the form was opened in ends."""
    other = context.new_page()
    other.goto(f"{editor_url}/")
    other.click("header button:has-text('Выйти')")
    other.wait_for_url(f"{editor_url}/signin")
    return other


def sign_in_in_the_dialog(form: Any, pin: str) -> Any:
    dialog = form.locator("dialog#signin-again")
    dialog.wait_for(state="visible")
    dialog.locator("input[name=pin]").fill(pin)
    dialog.locator("input[name=pin]").press("Enter")
    return dialog


@pytest.fixture
def editor_url(tmp_path: Path) -> Iterator[str]:
    with serving(editor_app(tmp_path)) as url:
        yield url


@pytest.fixture
def context() -> Iterator[Any]:
    with chromium_context() as context:
        yield context


def test_publish_from_a_tab_opened_before_signing_in_again(editor_url: str, context: Any,
                                                           tmp_path: Path) -> None:
    form = context.new_page()
    form.route("**/preview/**", lambda route: route.abort())  # no renderer needed here
    form.goto(f"{editor_url}/stories/new")
    type_pin(form, PIN, f"{editor_url}/stories/new")
    form.fill("input[name=title]", "Зонтик для бабушки")
    form.fill("textarea[name=text]", TEXT)

    other = context.new_page()  # another tab: the session ends there
    other.goto(f"{editor_url}/")
    other.click("header button:has-text('Выйти')")
    other.wait_for_url(f"{editor_url}/signin")

    # Publish now: nothing is lost; the page asks her to sign in again, here.
    form.click("#publish")
    dialog = form.locator("dialog#signin-again")
    dialog.wait_for(state="visible")
    assert "Сеанс работы в редакторе закончился" in dialog.inner_text()
    form.keyboard.press("Escape")  # she goes away instead: the form stays as it was
    dialog.wait_for(state="hidden")
    assert form.url == f"{editor_url}/stories/new"
    assert form.input_value("input[name=title]") == "Зонтик для бабушки"
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 40)).save(photo, "JPEG")
    form.set_input_files("#photo-file", files=[{"name": "a.jpg", "mimeType": "image/jpeg",
                                                "buffer": photo.getvalue()}])
    dialog.wait_for(state="visible")  # the photo, too, asks her to sign in again here
    form.keyboard.press("Escape")  # and, closed, says why the photo is not there
    form.wait_for_function("() => document.getElementById('upload-status').textContent"
                           ".includes('Сеанс работы в редакторе закончился')")

    # Signed in again in the other tab (a new session, a new CSRF token): the old tab publishes.
    other.goto(f"{editor_url}/")
    type_pin(other, PIN, f"{editor_url}/")
    form.click("#publish")
    form.wait_for_url(f"{editor_url}/")
    assert "опубликована" in form.inner_text(".flash.done")
    assert (tmp_path / "centre" / "stories" / "zontik-dlya-babushki.md").is_file()


def test_signed_out_publish_signs_in_again_in_the_page_and_is_sent(
        editor_url: str, context: Any, tmp_path: Path) -> None:
    form = story_form(context, editor_url)
    sign_out_elsewhere(context, editor_url)
    form.click("#publish")
    dialog = form.locator("dialog#signin-again")
    dialog.wait_for(state="visible")
    assert dialog.locator("input[name=pin]").evaluate("el => el === document.activeElement")
    sign_in_in_the_dialog(form, "00000000")
    dialog.locator("#signin-error").wait_for()  # the sign-in page's own words, in the dialog
    assert "Неверный ПИН-код" in dialog.inner_text() and form.url.endswith("/stories/new")
    assert not (tmp_path / "centre" / "stories").exists()
    sign_in_in_the_dialog(form, PIN)
    form.wait_for_url(f"{editor_url}/")  # signed in, and the form went as pressed
    assert "опубликована" in form.inner_text(".flash.done")
    assert (tmp_path / "centre" / "stories" / "zontik-dlya-babushki.md").is_file()


def test_a_form_the_server_sent_back_is_sent_after_signing_in_again(
        editor_url: str, context: Any, tmp_path: Path) -> None:
    """A form sent back with its problems lives at /stories/save, an address that opens no
    page by itself: signing in again from there sent her to a «405» and nothing was sent."""
    form = story_form(context, editor_url, text="")
    form.click("#publish")  # no text yet: sent back with the problem on its field
    form.wait_for_url(f"{editor_url}/stories/save")
    form.fill("textarea[name=text]", TEXT)
    sign_out_elsewhere(context, editor_url)
    form.click("#publish")
    sign_in_in_the_dialog(form, PIN)
    form.wait_for_url(f"{editor_url}/")
    assert "опубликована" in form.inner_text(".flash.done")
    assert (tmp_path / "centre" / "stories" / "zontik-dlya-babushki.md").is_file()


def test_the_preview_offers_to_sign_in_again_and_goes_on_once_signed_in(
        editor_url: str, context: Any) -> None:
    """The preview found the session ended as she typed: it said to sign in in another tab.
    Now it says so with «Войти снова», whose dialog opens only when pressed (not under her
    typing), and once signed in the preview is drawn again."""
    phase = {"now": "signed in"}
    drawn_again = {"count": 0}

    def preview(route: Any) -> None:
        if phase["now"] == "signed in" or route.request.url.endswith("/warm"):
            route.abort()  # no renderer needed here
        elif phase["now"] == "signed out":
            route.continue_()  # the editor's own answer: its sign-in page
        else:
            drawn_again["count"] += 1
            route.fulfill(status=200, content_type="application/json",
                          body='{"images": [], "problems": [], "shown": true}')

    form = context.new_page()
    form.route("**/preview/**", preview)
    form.goto(f"{editor_url}/stories/new")
    type_pin(form, PIN, f"{editor_url}/stories/new")
    sign_out_elsewhere(context, editor_url)
    phase["now"] = "signed out"
    form.fill("input[name=title]", "Зонтик для бабушки")
    status = form.locator("[data-preview-status]")
    again = status.locator("button:has-text('Войти снова')")
    again.wait_for()
    assert "Сеанс работы в редакторе закончился" in status.inner_text()
    assert "другой вкладке" not in status.inner_text()
    # The header no longer says she is signed in, nor offers to sign out.
    header = form.locator("header .top-right")
    assert header.locator(".who").inner_text() == "Сеанс закончился"
    assert not header.locator("button:has-text('Выйти')").is_visible()
    form.keyboard.type(" и дождь")  # still typing: no dialog takes her keystrokes
    assert form.input_value("input[name=title]") == "Зонтик для бабушки и дождь"
    assert not form.locator("dialog#signin-again").is_visible()
    again.click()
    phase["now"] = "signed in again"
    dialog = sign_in_in_the_dialog(form, PIN)
    dialog.wait_for(state="hidden")
    form.wait_for_function("() => document.querySelector('[data-preview-status]').textContent"
                           ".includes('Так история выглядит на киоске')")
    assert drawn_again["count"] >= 1
    assert form.input_value("input[name=title]") == "Зонтик для бабушки и дождь"
    assert header.locator(".who").inner_text() == "Вы вошли по ПИН-коду"
    assert header.locator("button:has-text('Выйти')").is_visible()


def test_the_wizard_offers_to_sign_in_again_and_keeps_the_drawing(tmp_path: Path,
                                                                  context: Any) -> None:
    """Half an hour away from the wizard's sliders: moved again, they said to sign in in
    another tab. Now «Войти снова» here, and the drawing is read again, still hers."""
    now = [time.time()]
    with serving(editor_app(tmp_path, clock=lambda: now[0])) as editor_url:
        page = context.new_page()
        page.goto(f"{editor_url}/colouring/")
        type_pin(page, PIN, f"{editor_url}/colouring/")
        page.set_input_files("#scan-file", files=[{"name": "domik.png", "mimeType": "image/png",
                                                   "buffer": line_art()}])
        page.click("button:has-text('Загрузить и обработать')")
        page.wait_for_url("**/colouring/edit*")
        verdict = page.locator("#verdict")
        said = verdict.inner_text()
        now[0] += auth.IDLE_SECONDS + 1  # the session ends while she is away
        page.click("#threshold-auto")  # back: the drawing is read again
        again = verdict.locator("button:has-text('Войти снова')")
        again.wait_for()
        assert "Сеанс работы в редакторе закончился" in verdict.inner_text()
        assert "другой вкладке" not in verdict.inner_text()
        assert verdict.get_attribute("class") == "verdict warning"  # not a fit drawing's green
        again.click()
        sign_in_in_the_dialog(page, PIN).wait_for(state="hidden")
        page.wait_for_function("said => document.getElementById('verdict').textContent === said",
                               arg=said)  # read again, her drawing: nothing to upload again
        assert "/colouring/edit" in page.url


def test_the_preview_thumbnails_show_the_whole_screen(editor_url: str, context: Any) -> None:
    """The landscape thumbnails at the top of the story form: the picture fills its frame
    exactly, and the frame cannot be scrolled (which cut the picture's top)."""
    page = context.new_page()
    page.route("**/preview/**", lambda route: route.abort())
    page.goto(f"{editor_url}/stories/new")
    type_pin(page, PIN, f"{editor_url}/stories/new")
    page.evaluate("""() => {
        const canvas = document.createElement('canvas');
        document.querySelectorAll('.preview-shot').forEach(figure => {
            const landscape = figure.dataset.orientation === 'landscape';
            canvas.width = landscape ? 1920 : 1080; canvas.height = landscape ? 1080 : 1920;
            const img = figure.querySelector('img');
            img.src = canvas.toDataURL(); img.hidden = false;
        });
    }""")
    page.wait_for_function("() => [...document.querySelectorAll('.preview-thumb img')]"
                           ".every(img => img.complete && img.naturalWidth)")
    found = page.evaluate("""() => [...document.querySelectorAll('.preview-thumb')].map(b => {
        b.scrollTop = 12;
        const frame = b.getBoundingClientRect();
        const img = b.querySelector('img').getBoundingClientRect();
        return [b.scrollTop, img.top - frame.top, frame.bottom - img.bottom];
    })""")
    assert found and all(top == 0 and 0 <= above <= 1 and 0 <= below <= 1
                         for top, above, below in found), found


def test_leaving_a_form_with_changes_asks_first(editor_url: str, context: Any) -> None:
    """A story half written: «Не сохранять» and any way off the page ask before dropping it
    (a browser does not keep these fields on Back); an untouched form and Publish do not."""
    form = context.new_page()
    form.route("**/preview/**", lambda route: route.abort())
    form.goto(f"{editor_url}/stories/new")
    type_pin(form, PIN, f"{editor_url}/stories/new")
    asked: list[tuple[str, str]] = []

    def answer(accept: bool) -> None:
        def on_dialog(dialog: Any) -> None:
            asked.append((dialog.type, dialog.message))
            dialog.accept() if accept else dialog.dismiss()
        form.once("dialog", on_dialog)

    form.click("a:has-text('Не сохранять')")  # untouched: no question
    form.wait_for_url(f"{editor_url}/")
    assert asked == []
    form.goto(f"{editor_url}/stories/new")
    form.fill("input[name=title]", "Зонтик для бабушки")
    answer(accept=False)
    form.click("a:has-text('Не сохранять')")
    assert asked == [("confirm", "Не сохранять изменения? Всё, что вы здесь ввели, пропадёт.")]
    assert form.url == f"{editor_url}/stories/new"
    assert form.input_value("input[name=title]") == "Зонтик для бабушки"
    answer(accept=False)
    form.click("header a.brand")  # any other way off the page: the browser's question
    assert asked[-1][0] == "beforeunload" and form.url == f"{editor_url}/stories/new"
    form.fill("textarea[name=text]", TEXT)
    form.click("#publish")  # published: nothing to ask
    form.wait_for_url(f"{editor_url}/")
    assert len(asked) == 2


def test_a_notices_characters_are_counted_as_it_is_typed(editor_url: str, context: Any) -> None:
    """«до 120 знаков», and nothing said how many there were until Publish."""
    form = context.new_page()
    form.route("**/preview/**", lambda route: route.abort())
    form.goto(f"{editor_url}/notices/new")
    type_pin(form, PIN, f"{editor_url}/notices/new")
    counter = form.locator("textarea[name=text] + .counter")
    assert counter.inner_text() == "0 из 120 знаков"
    form.fill("textarea[name=text]", "Завтра центр работает до 17:00")
    assert counter.inner_text() == "30 из 120 знаков"
    assert "over" not in (counter.get_attribute("class") or "")
    form.fill("textarea[name=text]", "Очень " * 25)
    assert counter.inner_text() == "149 из 120 знаков"
    assert "over" in (counter.get_attribute("class") or "")


def test_a_form_sent_back_with_its_problems_still_asks_before_it_is_left(
        editor_url: str, context: Any) -> None:
    """Refused (a text missing), the page the server sent back holds all that was typed and
    none of it published: leaving it asked nothing, since nothing had changed on it."""
    form = context.new_page()
    form.route("**/preview/**", lambda route: route.abort())
    form.goto(f"{editor_url}/stories/new")
    type_pin(form, PIN, f"{editor_url}/stories/new")
    form.fill("input[name=title]", "Зонтик для бабушки")
    form.click("#publish")
    form.wait_for_url(f"{editor_url}/stories/save")
    assert form.input_value("input[name=title]") == "Зонтик для бабушки"
    asked: list[str] = []

    def on_dialog(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    form.once("dialog", on_dialog)
    form.click("header a.brand")
    assert asked == ["beforeunload"] and form.url == f"{editor_url}/stories/save"


def test_the_sign_in_page_keeps_its_look_now_that_the_dialog_shares_it(
        editor_url: str, context: Any) -> None:
    """Its styles moved to editor.css for the dialog; a selector split wrongly there made the
    name field half as wide, spaced its letters and set the whole card in the heading's size."""
    page = context.new_page()
    page.goto(f"{editor_url}/signin")
    style = "([el, name]) => getComputedStyle(document.querySelector(el))[name]"
    assert page.evaluate(style, ["#signin-pin", "fontSize"]) == "16px"
    assert page.evaluate(style, ["#signin-pin h2", "fontSize"]) == "18.4px"
    assert page.evaluate(style, ["#signin-pin input[name=pin]", "letterSpacing"]) != "normal"
    assert page.evaluate(style, ["#signin-pin input[name=pin]", "borderTopWidth"]) == "1px"
