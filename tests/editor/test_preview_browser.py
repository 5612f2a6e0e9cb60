"""The story form's live preview in a real browser (Debian's Chromium, headless, Playwright)
against the editor served by waitress: the kiosk's screens appear as staff type, change with
the title, and a problem appears under the field that causes it, with sign-in and CSRF on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.paths import package_folder
from kiosk.core.pin import PinStore
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.preview_views import RENDERER_KEY
from kiosk.editor.render import Renderer

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PIN = "48291375"
SHOWN = ("() => document.querySelectorAll('.preview-shot img:not([hidden])').length == 4"
         " && !document.querySelector('.preview-panel').classList.contains('stale')")

sync_api = pytest.importorskip("playwright.sync_api")
waitress = pytest.importorskip("waitress")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[str, Renderer]]:
    PinStore(tmp_path / "state").set_pin(PIN)
    (tmp_path / "centre").mkdir()
    app = create_app(EditorConfig(content=package_folder("content"), centre=tmp_path / "centre",
                                  state_dir=tmp_path / "state"))
    renderer = app.extensions[RENDERER_KEY] = Renderer(timeout=30.0)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", renderer
    finally:
        server.close()
        server.task_dispatcher.shutdown(timeout=5)
        thread.join(timeout=10)
        renderer.close()


@pytest.fixture
def page() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS,
                                             headless=True)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768},
                                          locale="ru-RU")
            yield context.new_page()
        finally:
            browser.close()


def test_the_preview_follows_what_staff_type(editor: tuple[str, Renderer], page: Any,
                                             tmp_path: Path) -> None:
    url, renderer = editor
    page.goto(f"{url}/")
    page.fill("#signin-pin input[name=pin]", PIN)
    page.click("#signin-pin button[type=submit]")
    page.wait_for_load_state()
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
