"""The poster form in a real browser (Debian's Chromium driven by Playwright, `kiosk editor`
started by the test, sign-in and CSRF on): a picture dropped on the form, the preview of the
loop's slide in both orientations, Publish, and the kiosk's loader showing the poster."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from playwright.sync_api import Page

from kiosk.core.content.loader import load_content
from tests.editor.browser import CONTENT, PIN
from tests.editor.test_browser import drop_file, editor, page  # noqa: F401 (fixtures)


def test_staff_add_a_poster_with_a_picture_and_publish_it(
        editor: tuple[str, Path], page: Page, tmp_path: Path) -> None:  # noqa: F811
    url, centre = editor
    page.goto(f"{url}/")
    page.fill("#signin-pin input[name=pin]", PIN)
    page.click("#signin-pin button[type=submit]")
    page.wait_for_url(f"{url}/")
    page.click("#posters >> text=Добавить плакат")
    page.wait_for_url(f"{url}/posters/new")
    page.fill("input[name=name]", "Афиша концерта")
    picture = tmp_path / "afisha.png"
    Image.new("RGB", (1920, 1080), (29, 79, 145)).save(picture)
    drop_file(page, "[data-poster-drop] >> nth=0", picture, "image/png")
    page.wait_for_function(
        "() => document.querySelector('input[name=picture]').value !== ''")
    draft = page.input_value("input[name=picture]")
    assert draft.startswith("images/poster-") and not list(centre.rglob("*.jpg"))
    # The kiosk's renderer draws the slide for a landscape and a portrait screen.
    for orientation in ("landscape", "portrait"):
        page.wait_for_function(
            """(o) => { const img = document.querySelector(
                   `[data-preview-panel] [data-orientation=${o}] img`);
                return img && !img.hidden && img.getAttribute('src'); }""",
            arg=orientation, timeout=90_000)
    assert "Замечаний нет" in page.inner_text("[data-preview-status]")
    page.fill("input[name=duration]", "15")
    page.click("#publish")
    page.wait_for_url(f"{url}/")
    assert "опубликован" in page.locator(".flash.done").inner_text()
    assert sorted(p.name for p in (centre / "posters").iterdir()) == [
        "afisha-kontserta.jpg", "afisha-kontserta.yaml"]
    content = load_content(CONTENT, sandboxed=False, centre=centre)
    poster = next(p for p in content.posters if p.id == "afisha-kontserta")
    assert poster.origin == "centre" and poster.duration == 15.0
    assert not [p for p in content.problems if str(centre) in p.path]
    assert "Афиша концерта" in page.locator("#posters").inner_text()
    # The message at the top leads to the new row, marked in the list.
    page.click(".flash.done >> text=Показать в списке")
    page.wait_for_url(f"{url}/#posters-afisha-kontserta")
    row = page.locator("tr:target")
    assert "Афиша концерта" in row.inner_text()
    assert row.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor") \
        == "rgb(255, 243, 214)"
