"""The editor in a real browser, as a member of staff uses it: Debian's Chromium, headless,
driven by Playwright, against `kiosk editor` started by the test on a free port. Sign in with
the staff PIN, add a story with a photo (dropped on the form), see the preview, publish, see
the file in the centre's folder and the kiosk's loader show it, undo it.

No skip: without /usr/bin/chromium the test fails and says how to install it (CI installs it:
scripts/system-deps.sh --tests)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page

from kiosk.core.content.loader import load_content
from kiosk.core.pin import PinStore
from tests.editor.browser import CHROMIUM, CONTENT, PIN, chromium_context
from tests.helpers import wait_for

SHOTS = os.environ.get("KIOSK_EDITOR_SHOTS")  # a folder: keep the pages' screenshots there
TEXT = ("Бабушка пришла в центр под проливным дождём, без зонта и совсем промокшая. "
        "Специалист усадил её у батареи, принёс горячий чай, а потом спокойно помог со "
        "всеми документами. Уходя, она сказала, что согрелась не только от чая.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str) -> bool:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`kiosk editor` in a process of its own, as the unit starts it."""
    state, centre = tmp_path / "state", tmp_path / "centre"
    PinStore(state).set_pin(PIN)
    port = free_port()
    env = {**os.environ, "KIOSK_MACHINE_SETTINGS": "", "KIOSK_USER_SETTINGS": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "editor", "--content", str(CONTENT), "--centre",
         str(centre), "--state-dir", str(state), "--listen", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: answers(f"{url}/signin") or process.poll() is not None, 60)
        assert process.poll() is None, process.communicate()[0].decode(errors="replace")
        yield url, centre
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


@pytest.fixture
def page() -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.fail("the editor's browser tests need Debian's Chromium at /usr/bin/chromium: "
                    "run `sudo scripts/system-deps.sh --tests` (apt-get install chromium)")
    with chromium_context(timezone_id="Europe/Moscow") as context:
        yield context.new_page()


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def phone_photo(tmp_path: Path) -> Path:
    """A phone's photo: 4000×3000, stored on its side with an EXIF note to turn it."""
    image = Image.new("RGB", (4000, 3000), (40, 110, 190))
    image.paste((250, 200, 40), (0, 0, 2000, 1500))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=85)
    path = tmp_path / "IMG_0001.JPG"
    path.write_bytes(out.getvalue())
    return path


def drop_file(page: Page, selector: str, path: Path, mime: str) -> None:
    """A file dragged from the desktop onto `selector` (a real DataTransfer with the file)."""
    data = list(path.read_bytes())
    handle: Any = page.evaluate_handle(
        """([bytes, name, mime]) => { const t = new DataTransfer();
            t.items.add(new File([new Uint8Array(bytes)], name, { type: mime })); return t; }""",
        [data, path.name, mime])
    page.dispatch_event(selector, "dragenter", {"dataTransfer": handle})
    page.dispatch_event(selector, "drop", {"dataTransfer": handle})


def test_staff_add_a_story_with_a_photo_publish_it_and_undo_it(
        editor: tuple[str, Path], page: Page, tmp_path: Path) -> None:
    url, centre = editor
    page.goto(f"{url}/")
    assert page.url.startswith(f"{url}/signin")  # every page needs sign-in
    shot(page, "signin")
    page.fill("#signin-pin input[name=pin]", PIN)
    page.click("#signin-pin button[type=submit]")
    page.wait_for_url(f"{url}/")
    assert page.locator("h1").inner_text() == "Что показывает киоск"
    shot(page, "listing")

    page.click(".heading-row >> text=Добавить историю")
    page.wait_for_url(f"{url}/stories/new")
    page.fill("input[name=title]", "Зонтик для бабушки")
    page.fill("textarea[name=text]", TEXT)
    page.fill("input[name=teaser]", "Согрелась не только от чая")
    page.check("input[name=tags][value='забота']")
    page.check("input[name=tags][value='старшее поколение']")
    page.fill("input[name=date]", "2024-07-14")
    page.check("input[name=period][value=yearly]")
    page.select_option("select[name=month]", "8")

    # The live preview (kiosk.editor.preview_views): the kiosk's own renderer draws the story
    # as typed; once the photo is in, the picture changes.
    landscape = "[data-preview-panel] [data-orientation=landscape][data-lang=ru] img"
    drawn = """([sel, before]) => { const img = document.querySelector(sel);
        const status = document.querySelector('[data-preview-status]');
        return img && !img.hidden && img.getAttribute('src') && img.getAttribute('src') !== before
               && status.textContent.includes('·'); }"""
    page.wait_for_function(drawn, arg=[landscape, ""], timeout=90_000)
    before = page.get_attribute(landscape, "src")
    drop_file(page, "#dropzone", phone_photo(tmp_path), "image/jpeg")
    page.wait_for_function("() => document.getElementById('photo-value').value !== ''")
    photo = page.input_value("#photo-value")
    assert photo.startswith("images/zontik-dlya-babushki-") and photo.endswith(".jpg")
    assert page.locator("#photo-thumb").is_visible()
    # A draft in the editor's state folder until the story is published.
    assert not (centre / photo).exists()
    draft = tmp_path / "state" / "editor" / "photo-drafts" / photo.removeprefix("images/")
    with Image.open(draft) as prepared:  # turned upright, downscaled
        assert prepared.size == (1536, 2048)
    page.wait_for_function(drawn, arg=[landscape, before], timeout=90_000)
    shot(page, "story-form")

    page.click("#publish")
    page.wait_for_url(f"{url}/")
    assert "опубликована" in page.locator(".flash.done").inner_text()
    # Listed with its photo, made small (kiosk.editor.thumbnails), as the others with theirs.
    page.wait_for_function("""() => { const img = document.querySelector(
        '#stories-zontik-dlya-babushki .thumb img'); return img && img.complete
        && img.naturalWidth === 180 && img.naturalHeight === 240; }""")
    shot(page, "published")
    story_file = centre / "stories" / "zontik-dlya-babushki.md"
    text = story_file.read_text(encoding="utf-8")
    assert f"photo: {photo}" in text and "months: август" in text
    assert (centre / photo).is_file() and not draft.exists()
    content = load_content(CONTENT, sandboxed=False, centre=centre)
    story = content.story("zontik-dlya-babushki")
    assert story is not None and story.origin == "centre"
    assert story.photo == centre / photo and story.tags == ("забота", "старшее поколение")
    assert story.schedule.months == frozenset({8})
    assert not [p for p in content.problems if str(centre) in p.path]
    row = page.locator("tr", has_text="Зонтик для бабушки")
    assert "центр" in row.inner_text() and "только в августе" in row.inner_text()

    with page.expect_navigation():  # (the page asks for a fresh CSRF token first)
        page.click(".flash.done button:has-text('Отменить')")
    page.wait_for_url(f"{url}/")
    assert "Отменено" in page.locator(".flash.done").inner_text()
    assert not story_file.exists() and not (centre / photo).exists()  # one record, both
    assert load_content(CONTENT, sandboxed=False, centre=centre).story(
        "zontik-dlya-babushki") is None

    page.click("nav >> text=Журнал изменений")
    page.wait_for_url(f"{url}/history")
    history = page.locator("table.history").inner_text()
    assert "ПИН-код" in history and "Зонтик для бабушки" in history and "отмена" in history
    shot(page, "history")
