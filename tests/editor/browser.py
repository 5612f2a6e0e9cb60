"""What the editor's browser tests share: Debian's Chromium started headless by Playwright, and
the editor (a Flask app) served by waitress on a free port. Playwright and waitress are imported
only when used, so that a test module can skip first when they are missing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.core.pin import PinStore
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PIN = "48291375"
CONTENT = Path(__file__).resolve().parents[2] / "content"


def editor_app(tmp_path: Path, content: Path = CONTENT,
               clock: Callable[[], float] | None = None) -> Any:
    """The editor with sign-in and CSRF on, the staff PIN set, an empty centre folder; its
    sessions timed by `clock` where one is given."""
    PinStore(tmp_path / "state").set_pin(PIN)
    (tmp_path / "centre").mkdir()
    return create_app(EditorConfig(content=content, centre=tmp_path / "centre",
                                   state_dir=tmp_path / "state",
                                   extra={"clock": clock} if clock else {}))


@contextmanager
def serving(app: Any, threads: int = 2) -> Iterator[str]:
    """`app` served by waitress on a free port of 127.0.0.1: its URL."""
    import waitress  # type: ignore[import-untyped]
    from waitress import wasyncore

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # The browser is closed first (the fixtures' order), its connections with it.
        server.task_dispatcher.shutdown(timeout=5)
        # The sockets are closed by the loop's own thread, between two select() calls: closed
        # from here, one could go while select() waits on it (EBADF in that thread, an error
        # at some test's teardown). An emptied map ends the loop.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=10)
        assert not thread.is_alive()


@contextmanager
def chromium_context(**options: Any) -> Iterator[Any]:
    """A browser context of headless Chromium, 1366×768, Russian; `options` add to it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS,
                                             headless=True)
        try:
            yield browser.new_context(viewport={"width": 1366, "height": 768},
                                      locale="ru-RU", **options)
        finally:
            browser.close()


def sign_in(page: Any, url: str) -> None:
    """Signed in with the staff PIN on the editor's front page."""
    page.goto(f"{url}/")
    page.fill("#signin-pin input[name=pin]", PIN)
    page.click("#signin-pin button[type=submit]")
    page.wait_for_url(f"{url}/")


def type_31_february(page: Any, date: Any) -> None:
    """«31.02.2026» typed into the date field `date` (a locator) by hand, in whichever order
    the browser lays the field out (month first in en-US, day first in ru-RU): a date no
    calendar has, which the browser hands the form as empty."""
    for typed in ("02312026", "31022026"):
        date.click()
        page.keyboard.type(typed)
        if date.evaluate("input => input.validity.badInput"):
            return
        date.fill("")
    raise AssertionError("the date field took 31 February in neither order")
