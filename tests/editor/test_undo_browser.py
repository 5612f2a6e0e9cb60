"""The undo's page in a real browser (Debian's Chromium, headless, Playwright) against the editor
served by waitress, with sign-in and CSRF on: «Отменить» in the history opens it, the kiosk's
screens of the story as it comes back appear, the keyboard reaches everything, it fits 1366
and 1024 px wide, and «Отменить публикацию» does the undo."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.paths import package_folder
from kiosk.editor.preview_views import RENDERER_KEY
from kiosk.editor.publish import Publisher
from kiosk.editor.render import Renderer
from kiosk.editor.story_form import StoryFields, story_text
from tests.editor.browser import CHROMIUM, chromium_context, editor_app, serving, sign_in

pytest.importorskip("playwright.sync_api")
pytest.importorskip("waitress")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")

SHOTS = os.environ.get("KIOSK_EDITOR_SHOTS")  # a folder: keep the pages' screenshots there
TEXT = ("Пожилой посетитель забыл очки у окна, а сотрудница догнала его на крыльце и вернула "
        "их. Он сказал, что без них не прочитал бы ни одного документа.")
DRAWN = ("() => { const shown = [...document.querySelectorAll('.preview-shot img')]"
         ".filter(i => !i.hidden && i.complete && i.naturalWidth > 0);"
         " const status = document.querySelector('[data-preview-status]');"
         " return shown.length == 4 && !status.classList.contains('busy'); }")


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[str, Path, Publisher]]:
    app = editor_app(tmp_path, content=package_folder("content"))
    renderer = app.extensions[RENDERER_KEY] = Renderer(timeout=30.0)
    publisher = Publisher(tmp_path / "centre", tmp_path / "state" / "editor")
    try:
        with serving(app, threads=4) as url:
            yield url, tmp_path / "centre", publisher
    finally:
        renderer.close()


def story_published_twice(publisher: Publisher, path: str) -> str:
    """«Очки нашлись» published, then again as «Очки нашлись на крыльце»: the first text."""
    first = story_text(StoryFields(slug="ochki", title="Очки нашлись", text=TEXT))
    publisher.publish({path: first.encode()}, "anna", "publish", "Очки нашлись")
    publisher.publish({path: story_text(StoryFields(
        slug="ochki", title="Очки нашлись на крыльце", text=TEXT)).encode()}, "anna",
        "publish", "Очки нашлись на крыльце")
    return first


def shot(page: Any, folder: Path, name: str) -> None:
    for where in [folder, *([Path(SHOTS)] if SHOTS else [])]:
        where.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(where / f"{name}.png"), full_page=True)


def test_the_undo_shows_the_story_as_it_comes_back_and_is_done_from_the_keyboard(
        editor: tuple[str, Path, Publisher], page: Any, tmp_path: Path) -> None:
    url, centre, publisher = editor
    path = "stories/ochki.md"
    first = story_published_twice(publisher, path)
    sign_in(page, url)

    page.goto(f"{url}/history")
    undo = page.get_by_role("link", name="Отменить: Очки нашлись на крыльце")
    undo.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/history/*/undo")
    assert page.locator("h1").inner_text() == "Отменить публикацию?"
    assert page.locator("h2").all_inner_texts() == [
        "История «Очки нашлись» станет такой, какой была до этого изменения"]
    assert (centre / path).read_text(encoding="utf-8") != first  # nothing done by looking
    page.wait_for_function(DRAWN, timeout=90_000)
    status = page.locator("[data-preview-status]")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == "Так это будет на киоске."
    assert page.locator(".preview-shot img").evaluate_all(
        "images => images.map(i => i.alt)") == [
        "Горизонтальный экран, по-русски", "Горизонтальный экран, по-английски",
        "Вертикальный экран, по-русски", "Вертикальный экран, по-английски"]
    story_screens = page.locator(".preview-shot img").evaluate_all(
        "images => images.map(i => i.getAttribute('src'))")
    assert all(src.endswith("-story.png") for src in story_screens)
    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 768})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # The four screens side by side, as tall as each other, each whole in the window.
        boxes = page.locator(".preview-thumb").evaluate_all(
            "els => els.map(e => [e.getBoundingClientRect().right, e.offsetHeight])")
        assert max(right for right, _ in boxes) <= width
        heights = [height for _, height in boxes]
        assert max(heights) - min(heights) <= 2 and min(heights) > 150, heights
        shot(page, tmp_path, f"undo-{width}")

    # The keyboard: the switch to the slideshow, a screen enlarged and closed, then the button.
    slideshow = page.get_by_role("button", name="Заставка")
    slideshow.focus()
    page.keyboard.press("Space")
    assert slideshow.get_attribute("aria-pressed") == "true"
    assert all(src.endswith("-poster.png") for src in page.locator(".preview-shot img")
               .evaluate_all("images => images.map(i => i.getAttribute('src'))"))
    page.locator(".preview-thumb").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("[data-preview-dialog]").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("[data-preview-dialog]").is_visible()
    for _ in range(30):
        if page.evaluate("document.activeElement.hasAttribute('data-undo-button')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Отменить публикацию"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/history")
    assert "Отменено: «Очки нашлись на крыльце»" in page.locator(".flash.done").inner_text()
    assert (centre / path).read_text(encoding="utf-8") == first


def test_a_refused_undo_is_said_on_its_page_with_the_way_back(
        editor: tuple[str, Path, Publisher], page: Any, tmp_path: Path) -> None:
    url, centre, publisher = editor
    path = "stories/ochki.md"
    publisher.publish({path: story_text(StoryFields(slug="ochki", title="Очки нашлись",
                                                    text=TEXT)).encode()},
                      "anna", "publish", "Очки нашлись")
    publisher.publish({path: None}, "boris", "delete", "Очки нашлись")
    sign_in(page, url)
    page.goto(f"{url}/history")
    page.locator("tr", has_text="опубликована история").get_by_role("link").click()
    page.wait_for_url(f"{url}/history/*/undo")
    alert = page.get_by_role("alert")
    assert "не отменить: с тех пор это изменили ещё раз" in alert.inner_text()
    assert page.get_by_role("button", name="Отменить публикацию").count() == 0
    shot(page, tmp_path, "undo-refused")
    page.get_by_role("link", name="Назад к журналу").click()
    page.wait_for_url(f"{url}/history")
    assert not (centre / path).exists()


def test_the_green_message_says_its_undo_is_at_once_and_what_it_undoes(
        editor: tuple[str, Path, Publisher], page: Any, tmp_path: Path) -> None:
    """The message after a publish undoes it with one press, no page first (she has just done
    it): its button says which publish, not a bare «Отменить» that reads as «close this
    message»; the message after the undo offers to put it back the same way."""
    url, centre, _ = editor
    page.route("**/preview/**", lambda route: route.abort())  # no screens needed here
    sign_in(page, url)
    page.goto(f"{url}/stories/new")
    page.fill("input[name=title]", "Очки нашлись")
    page.fill("textarea[name=text]", TEXT)
    page.click("#publish")
    page.wait_for_url(f"{url}/")
    story = centre / "stories" / "ochki-nashlis.md"
    assert story.is_file()
    message = page.locator(".flash.done")
    undo = message.get_by_role("button", name="Отменить эту публикацию: «Очки нашлись»")
    assert undo.inner_text() == "Отменить эту публикацию"
    box = undo.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1366
    shot(page, tmp_path, "message-published")

    with page.expect_navigation():  # no page in between: undone at once
        undo.click()
    page.wait_for_url(f"{url}/")
    assert "Отменено: «Очки нашлись»" in message.inner_text()
    assert not story.exists()
    again = message.get_by_role("button", name="Вернуть, как было до отмены: «Очки нашлись»")
    assert again.inner_text() == "Вернуть, как было до отмены"
    shot(page, tmp_path, "message-undone")
    with page.expect_navigation():
        again.click()
    page.wait_for_url(f"{url}/")
    assert story.is_file()


def test_without_javascript_the_page_says_in_words_that_there_are_no_screens(
        editor: tuple[str, Path, Publisher], tmp_path: Path) -> None:
    """A browser with JavaScript off: no «Рисуем…» that never ends and no empty frames, but a
    sentence where the screens would be; the undo still works."""
    url, centre, publisher = editor
    path = "stories/ochki.md"
    first = story_published_twice(publisher, path)
    with chromium_context(java_script_enabled=False) as context:
        page = context.new_page()
        sign_in(page, url)
        page.goto(f"{url}/history")
        page.get_by_role("link", name="Отменить: Очки нашлись на крыльце").click()
        page.wait_for_url(f"{url}/history/*/undo")
        status = page.locator("[data-preview-status]")
        assert status.inner_text() == ("Снимков экрана нет: в браузере выключен JavaScript. "
                                       "Что изменится, сказано в заголовке выше.")
        assert "busy" not in (status.get_attribute("class") or "")
        assert "Рисуем" not in page.inner_text("body")
        assert not page.locator(".preview-grid").is_visible()
        assert not page.get_by_role("button", name="Заставка").is_visible()
        shot(page, tmp_path, "undo-no-javascript")
        page.get_by_role("button", name="Отменить публикацию").click()
        page.wait_for_url(f"{url}/history")
    assert (centre / path).read_text(encoding="utf-8") == first
