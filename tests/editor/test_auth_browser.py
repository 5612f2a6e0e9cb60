"""Sign-in to the staff editor in a real browser: Debian's Chromium, headless, driven by
Playwright, against the editor served by waitress on a free port. A wrong PIN five times locks
sign-in; a form posted from another site is refused and changes nothing."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.editor import auth
from tests.editor.browser import CHROMIUM, PIN, editor_app, serving

pytest.importorskip("playwright.sync_api")
pytest.importorskip("waitress")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")


@pytest.fixture
def editor_url(tmp_path: Path) -> Iterator[str]:
    app = editor_app(tmp_path)
    app.add_url_rule("/probe", "probe", lambda: f"user={auth.current_user()}")
    with serving(app) as url:
        yield url


def type_pin(page: Any, pin: str) -> None:
    page.fill("#signin-pin input[name=pin]", pin)
    page.click("#signin-pin button[type=submit]")
    page.wait_for_load_state()


def test_a_wrong_pin_five_times_locks_sign_in(editor_url: str, page: Any,
                                              tmp_path: Path) -> None:
    page.goto(f"{editor_url}/")
    assert page.url.startswith(f"{editor_url}/signin")
    page.screenshot(path=str(tmp_path / "signin.png"))
    for left in (4, 3, 2, 1):
        type_pin(page, "11111111")
        assert f"Осталось попыток до блокировки: {left}" in page.inner_text("#signin-error")
    type_pin(page, "11111111")
    assert "закрыт ещё на 5 мин" in page.inner_text("#signin-error")
    type_pin(page, PIN)  # the right PIN, too late
    assert "закрыт ещё на" in page.inner_text("#signin-error")
    page.goto(f"{editor_url}/probe")
    assert page.url.startswith(f"{editor_url}/signin")


class _Attacker(http.server.BaseHTTPRequestHandler):
    """Another site: a page that posts a form to the editor as soon as it opens."""

    target = ""

    def do_GET(self) -> None:
        body = (f'<!doctype html><form id="f" method="post" action="{self.target}">'
                '<input name="method" value="pin"><input name="pin" value="0000"></form>'
                '<script>document.getElementById("f").submit()</script>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_form_posted_from_another_site_is_refused(editor_url: str, page: Any) -> None:
    page.goto(f"{editor_url}/signin")
    type_pin(page, PIN)
    page.goto(f"{editor_url}/probe")
    assert page.inner_text("body") == "user=ПИН-код"

    _Attacker.target = f"{editor_url}/signout"
    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Attacker)
    thread = threading.Thread(target=attacker.serve_forever, daemon=True)
    thread.start()
    try:
        # «localhost» is another site than «127.0.0.1» for the browser.
        with page.expect_response(lambda r: r.url == f"{editor_url}/signout") as posted:
            page.goto(f"http://localhost:{attacker.server_address[1]}/")
        assert posted.value.status == 400
        page.wait_for_load_state()
        assert "Запрос отклонён" in page.inner_text("body")
    finally:
        attacker.shutdown()
        attacker.server_close()
    page.goto(f"{editor_url}/probe")  # still signed in: the forged sign-out did nothing
    assert page.inner_text("body") == "user=ПИН-код"
