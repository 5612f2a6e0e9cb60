"""The story form's live preview in a real browser (Debian's Chromium, headless, Playwright)
against the editor served by waitress: the kiosk's screens appear as staff type, change with
the title, and a problem appears under the field that causes it, with sign-in and CSRF on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.i18n import format_date
from kiosk.core.paths import package_folder
from kiosk.editor.preview_views import RENDERER_KEY
from kiosk.editor.render import Renderer
from tests.editor.browser import CHROMIUM, PIN, editor_app, serving

SHOWN = ("() => document.querySelectorAll('.preview-shot img:not([hidden])').length == 4"
         " && !document.querySelector('.preview-panel').classList.contains('stale')")

pytest.importorskip("playwright.sync_api")
pytest.importorskip("waitress")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[str, Renderer]]:
    app = editor_app(tmp_path, content=package_folder("content"))
    renderer = app.extensions[RENDERER_KEY] = Renderer(timeout=30.0)
    try:
        with serving(app, threads=4) as url:
            yield url, renderer
    finally:
        renderer.close()



def sign_in(page: Any, url: str) -> None:
    """Signed in with the PIN on the editor's front page."""
    page.goto(f"{url}/")
    page.fill("#signin-pin input[name=pin]", PIN)
    page.click("#signin-pin button[type=submit]")
    page.wait_for_load_state()


def test_the_preview_follows_what_staff_type(editor: tuple[str, Renderer], page: Any,
                                             tmp_path: Path) -> None:
    url, renderer = editor
    sign_in(page, url)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST"
            and r.url.endswith("/preview/story") else None)
    page.goto(f"{url}/stories/new")
    page.wait_for_load_state("networkidle")
    assert posts == []  # an empty form is not judged
    assert renderer.starts == 1  # but the renderer is started while the title is written
    page.type("input[name=title]", "Очки нашлись", delay=40)
    page.fill("textarea[name=text]", "Пожилой посетитель забыл очки у окна, а сотрудница "
              "догнала его на крыльце и вернула их.")
    page.wait_for_function(SHOWN, timeout=60_000)
    assert len(posts) <= 2  # one request after the pause in typing, not one a keystroke
    first = page.get_attribute(".preview-shot.landscape img >> nth=0", "src")
    assert page.locator("[data-preview-problem]").count() == 0

    page.fill("input[name=title]", "Очки нашлись у окна, где их оставил пожилой посетитель, "
              "когда торопился на автобус после приёма")
    page.wait_for_function(f"() => document.querySelector('.preview-shot.landscape img')"
                           f".getAttribute('src') != {first!r} && ({SHOWN[6:]})",
                           timeout=60_000)
    problem = page.locator("label.field:has(input[name=title]) [data-preview-problem]")
    problem.first.wait_for(timeout=10_000)
    assert "заголов" in problem.first.text_content()
    page.screenshot(path=str(tmp_path / "preview.png"))

    page.click(".preview-shot.portrait .preview-thumb >> nth=0")
    assert page.locator("[data-preview-dialog]").is_visible()
    png = page.request.get(page.get_attribute("[data-preview-dialog] img", "src"))
    assert png.ok and png.body().startswith(b"\x89PNG")

    # The text beside «Опубликовать» follows the schedule: not «через несколько секунд» for a
    # story set for later.
    page.keyboard.press("Escape")
    hint = page.locator("[data-publish-hint]")
    assert "через несколько секунд" in hint.text_content()
    start = dt.date.today() + dt.timedelta(days=13)
    page.check("input[name=period][value=dates]")
    page.fill("input[name=show_from]", start.isoformat())
    page.fill("input[name=show_until]", (start + dt.timedelta(days=5)).isoformat())
    page.wait_for_function("() => document.querySelector('[data-publish-hint]').textContent"
                           f".includes({format_date(start, 'ru')!r})", timeout=60_000)
    assert "через несколько секунд" not in hint.text_content()


def test_a_form_sent_back_names_its_fields_with_errors_and_the_banner_goes_once_they_are_right(
        editor: tuple[str, Renderer], page: Any) -> None:
    """«Проверьте поля, отмеченные красным» stood at the top while the field in red was a
    screen below, and stayed after it was put right."""
    url, _ = editor
    sign_in(page, url)
    page.goto(f"{url}/stories/new")
    page.fill("textarea[name=text]", "Пожилой посетитель забыл очки у окна, а сотрудница "
              "догнала его на крыльце и вернула их.")
    page.click("#publish")  # no title: sent back
    banner = page.locator("[data-error-banner]")
    banner.wait_for()
    links = banner.locator("[data-error-fields] a")
    assert links.all_inner_texts() == ["«Заголовок»"]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    links.first.click()
    assert page.evaluate("document.activeElement.name") == "title"
    page.type("input[name=title]", "Очки нашлись", delay=20)
    banner.wait_for(state="hidden", timeout=60_000)  # the live check found no error left


def test_a_story_too_short_is_not_said_to_have_no_remarks(editor: tuple[str, Renderer],
                                                           page: Any) -> None:
    """15 words: the counter under the text said «мало» in amber while the preview's status
    beside it said «Замечаний нет»."""
    url, _ = editor
    sign_in(page, url)
    page.goto(f"{url}/stories/new")
    page.fill("input[name=title]", "Очки нашлись")
    page.fill("textarea[name=text]", "Пожилой посетитель забыл очки у окна, а сотрудница "
              "догнала его на крыльце и вернула их.")
    page.wait_for_function(SHOWN, timeout=60_000)
    assert "мало" in page.inner_text("label.field:has(textarea[name=text]) .counter")
    status = page.inner_text("[data-preview-status]")
    assert "Замечаний нет" not in status and "Замечаний: 1" in status
    assert "не покажется" not in status  # a remark, not an error
