"""Screenshots of the staff web editor for docs/content.md, taken from the real editor.

Run from the repository root (needs the dev venv, Debian's /usr/bin/chromium and no network):

    .venv/bin/python docs/screenshots/editor/make_screenshots.py [--out DIR] [--keep]

What it does: copies the bundled content/ into a temporary folder, makes an empty centre
folder and a state folder with the staff PIN 4829 and the account «anna.petrova», starts
`kiosk editor` on a free port of 127.0.0.1, and walks through it in headless Chromium at
1366×768 the way a new member of staff would: sign in, the listing, a new story with a phone
photo (a 4000×3000 JPEG made here with Pillow), its live preview, a problem on a field,
Publish, the history with its Undo button, hiding a head-office item, the colouring wizard
with a drawing, and a poster with its picture (both also made here). Every PNG is written
into DIR (default: this script's folder), reduced to a palette when it would be over 200 KB.
Everything it started (the editor and its renderer, the browser) is stopped at the end, even
on failure; the temporary folder is removed unless --keep.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter
from playwright.sync_api import Page, ViewportSize, sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
PIN = "4829"
ACCOUNT, PASSWORD = "anna.petrova", "correct-horse-1"
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
MAX_BYTES = 200 * 1024
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

TITLE = "Лифт для коляски"
TEXT = ("Молодая мама пришла оформить пособие с коляской и двумя сумками. Лифт на второй этаж "
        "в тот день ремонтировали. Администратор зала Ольга не стала ждать мастера: она "
        "позвала коллегу, и они вдвоём подняли коляску по лестнице, а потом проводили маму к "
        "свободному окну.\n\nЧерез неделю мама вернулась — просто сказать спасибо и принести "
        "открытку, которую нарисовал её старший сын.")
TEASER = "«Мы донесли коляску вместе — так быстрее»"
TITLE_EN = "A lift for the pram"
TEXT_EN = ("A young mother came to apply for a benefit with a pram and two bags. The lift was "
           "being repaired that day. Olga, the hall administrator, did not wait: she called a "
           "colleague, and together they carried the pram upstairs.")
LONG_TITLE = ("Как Ольга из зала ожидания и её коллега вдвоём подняли коляску молодой мамы по "
              "лестнице на второй этаж")


def kiosk_command() -> list[str]:
    beside = Path(sys.executable).parent / "kiosk"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("kiosk")
    if found:
        return [found]
    return [sys.executable, "-m", "kiosk"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_photo(path: Path) -> None:
    """A 4000×3000 'phone photo': a sky, a building, a pram, a sun."""
    image = Image.new("RGB", (4000, 3000), (126, 172, 214))
    draw = ImageDraw.Draw(image)
    for y in range(0, 1800, 12):  # sky getting lighter towards the horizon
        shade = 214 + (y * 30) // 1800
        draw.rectangle((0, y, 4000, y + 12), fill=(126 + y // 30, 172 + y // 40, min(255, shade)))
    draw.ellipse((3000, 250, 3500, 750), fill=(255, 214, 90))
    draw.rectangle((300, 900, 2600, 2400), fill=(205, 190, 170))  # the centre's building
    for column in range(5):
        for row in range(3):
            x, y = 450 + column * 420, 1050 + row * 420
            draw.rectangle((x, y, x + 260, y + 300), fill=(90, 130, 170))
    draw.rectangle((1150, 1900, 1650, 2400), fill=(120, 80, 60))  # the door
    draw.rectangle((0, 2400, 4000, 3000), fill=(110, 110, 115))  # the pavement
    draw.pieslice((2700, 1700, 3500, 2500), 180, 360, fill=(200, 40, 60))  # the pram's hood
    draw.rectangle((2700, 2100, 3500, 2450), fill=(220, 60, 80))
    for x in (2800, 3400):
        draw.ellipse((x - 130, 2450, x + 130, 2710), fill=(30, 30, 35))
    image = image.filter(ImageFilter.GaussianBlur(3))
    image.save(path, "JPEG", quality=88)


def make_poster(path: Path) -> None:
    """A 1920×1080 poster as a centre makes one in PowerPoint: the holiday opening hours."""
    from PIL import ImageFont

    fonts = REPO / "src/kiosk/assets/fonts"
    bold = ImageFont.truetype(str(fonts / "PTSans-Bold.ttf"), 96)
    regular = ImageFont.truetype(str(fonts / "PTSans-Regular.ttf"), 56)
    image = Image.new("RGB", (1920, 1080), (29, 79, 145))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1920, 24), fill=(243, 147, 36))
    draw.text((140, 150), "График работы", font=bold, fill=(255, 255, 255))
    draw.text((140, 260), "в новогодние праздники", font=bold, fill=(255, 255, 255))
    for row, (days, hours) in enumerate((("31 декабря", "10:00–16:00"),
                                         ("1–4 января", "выходные дни"),
                                         ("5–8 января", "10:00–18:00"))):
        y = 480 + row * 120
        draw.text((140, y), days, font=regular, fill=(255, 255, 255))
        draw.text((900, y), hours, font=regular, fill=(255, 214, 90))
    for x, y in ((1650, 200), (1560, 330), (1730, 380)):  # snowflakes
        draw.ellipse((x - 30, y - 30, x + 30, y + 30), outline=(255, 255, 255), width=6)
    image.save(path, "PNG")


def make_drawing(path: Path) -> None:
    """A photo of a felt-tip drawing on slightly grey paper: a house, a sun, specks, a small
    break in one line (the wizard closes it)."""
    image = Image.new("L", (2400, 1800), 228)
    draw = ImageDraw.Draw(image)
    width = 16
    draw.rectangle((500, 800, 1300, 1500), outline=20, width=width)  # walls
    draw.line((420, 820, 900, 380, 1380, 820, 420, 820), fill=20, width=width, joint="curve")
    draw.rectangle((800, 1100, 1000, 1500), outline=20, width=width)  # door
    draw.rectangle((580, 920, 740, 1060), outline=20, width=width)  # window
    draw.rectangle((1060, 920, 1220, 1060), outline=20, width=width)
    draw.ellipse((1650, 300, 2050, 700), outline=20, width=width)  # sun
    for angle in range(8):
        a = angle * math.pi / 4
        cx, cy = 1850, 500
        draw.line((cx + 240 * math.cos(a), cy + 240 * math.sin(a),
                   cx + 330 * math.cos(a), cy + 330 * math.sin(a)), fill=20, width=width)
    draw.line((150, 1500, 2250, 1500), fill=20, width=width)  # the ground
    draw.rectangle((1290, 1200, 1312, 1206), fill=228)  # a small break in the right wall
    for x, y in ((300, 300), (1500, 1650), (2100, 1200), (700, 1650)):
        draw.ellipse((x, y, x + 7, y + 7), fill=60)  # specks of dust
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    image.convert("RGB").save(path, "JPEG", quality=85)


@contextlib.contextmanager
def editor(work: Path) -> Iterator[str]:
    """A state folder with a PIN and an account, then `kiosk editor` on a free port; its whole
    process group (the renderer child too) is stopped on the way out."""
    content, centre, state = work / "content", work / "centre", work / "state"
    shutil.copytree(REPO / "content", content)
    centre.mkdir()
    kiosk = kiosk_command()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_LOG_LEVEL": "warning"}
    subprocess.run([*kiosk, "set-pin", "--pin-stdin", "--state-dir", str(state)],
                   input=PIN + "\n", text=True, check=True, env=env, capture_output=True)
    subprocess.run([*kiosk, "editor-user", "add", ACCOUNT, "--state-dir", str(state)],
                   input=f"{PASSWORD}\n{PASSWORD}\n", text=True, check=True, env=env,
                   capture_output=True)
    port = free_port()
    log = (work / "editor.log").open("wb")
    process = subprocess.Popen(
        [*kiosk, "editor", "--content", str(content), "--centre", str(centre),
         "--state-dir", str(state), "--listen", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/signin", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the editor did not start:\n" + (
                        work / "editor.log").read_text(errors="replace")) from None
                time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        log.close()


def save(page: Page, out: Path, name: str, *, clip: dict[str, float] | None = None,
         full_page: bool = False) -> None:
    data = page.screenshot(clip=clip, full_page=full_page)  # type: ignore[arg-type]
    image = Image.open(io.BytesIO(data))
    image.load()
    target = out / name
    image.save(target, optimize=True)
    if target.stat().st_size > MAX_BYTES:  # photos in the page: a palette keeps it legible
        image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT,
                                      dither=Image.Dither.NONE).save(target, optimize=True)
    print(f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}: "
          f"{image.width}×{image.height}, {target.stat().st_size // 1024} KB")


def settle(page: Page, to_top: bool = True) -> None:
    """Scrolled to the top (when asked), every thumbnail's own frame unscrolled (a field's
    scroll-into-view can shift an image inside its overflow-hidden button), repainted."""
    if to_top:
        page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.querySelectorAll('.preview-thumb').forEach(b => { b.scrollTop = 0; })")
    page.wait_for_timeout(300)


def wait_preview(page: Page) -> None:
    """Until the live preview has answered for the form as it is now and its pictures are in."""
    page.wait_for_function(
        """() => { const p = document.querySelector('[data-preview-panel]');
                   const s = p.querySelector('[data-preview-status]');
                   return !p.classList.contains('stale') && !s.classList.contains('busy')
                          && s.textContent.trim() !== ''
                          && s.textContent.indexOf('Начните') < 0
                          && s.textContent.indexOf('Добавьте картинку') < 0; }""",
        timeout=120_000)


def element_clip(page: Page, selector: str, pad: int = 12,
                 max_height: float | None = None) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    height = box["height"] + 2 * pad
    if max_height is not None:
        height = min(height, max_height)
    return {"x": max(0, box["x"] - pad), "y": max(0, box["y"] - pad),
            "width": min(VIEWPORT["width"], box["width"] + 2 * pad), "height": height}


def walk(url: str, work: Path, out: Path) -> None:
    photo, drawing = work / "IMG_20260805_101530.jpg", work / "risunok-domik.jpg"
    make_photo(photo)
    make_drawing(drawing)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=[*CHROMIUM_ARGS, "--lang=ru-RU"],
                                             env={**os.environ, "LANG": "ru_RU.UTF-8",
                                                  "LANGUAGE": "ru"})
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="ru-RU",
                                          timezone_id="Europe/Moscow")
            page = context.new_page()
            page.set_default_timeout(60_000)

            # 1. Sign-in: the name and password, or the staff PIN.
            page.goto(url + "/")
            page.wait_for_selector("#signin-pin")
            save(page, out, "01-signin.png")
            page.fill("#signin-pin input[name=pin]", PIN)
            page.click("#signin-pin button[type=submit]")
            page.wait_for_selector("h1")

            # 2. The listing: what the kiosk shows, head office's and the centre's, each
            # with its picture (those in view: the rest load as the page scrolls).
            page.wait_for_function("""() => [...document.querySelectorAll('.thumb img')]
                .filter(i => i.getBoundingClientRect().top < innerHeight)
                .every(i => i.complete && i.naturalWidth > 0)""")
            save(page, out, "02-listing.png")

            # 3. A new story: fields, tags, a date, a schedule preset, the photo.
            page.click("a.button.primary[href$='/stories/new']")
            page.wait_for_selector("#story-form")
            page.fill("input[name=title]", TITLE)
            page.fill("textarea[name=text]", TEXT)
            page.fill("input[name=teaser]", TEASER)
            page.fill("input[name=centre]", "Центр госуслуг района Арбат")
            page.fill("input[name=date]", "2026-03-05")
            for tag in ("дети", "забота"):
                chip = page.locator(f"label.chip:has(input[value='{tag}'])")
                if chip.count():
                    chip.first.click()
            page.set_input_files("#photo-file", str(photo))
            page.wait_for_selector("#photo-thumb:not([hidden])", timeout=120_000)
            page.fill("input[name=title_en]", TITLE_EN)
            page.fill("textarea[name=text_en]", TEXT_EN)
            page.check("input[name=period][value=yearly]")
            page.select_option("select[name=month]", "3")
            wait_preview(page)
            settle(page)
            save(page, out, "03-story-form.png")
            page.evaluate("document.querySelector('fieldset:has(.chips)').scrollIntoView()")
            settle(page, to_top=False)
            save(page, out, "04-tags-photo-schedule.png")

            # 4. The live preview: the kiosk's own screens, then one enlarged.
            page.locator("[data-preview-panel]").scroll_into_view_if_needed()
            page.evaluate("window.scrollTo(0, 0)")
            save(page, out, "05-preview.png",
                 clip=element_clip(page, "[data-preview-panel]", max_height=VIEWPORT["height"]))
            page.click("[data-screen=poster]")
            page.wait_for_timeout(300)  # the poster images are already loaded: swap only
            save(page, out, "06-preview-poster.png",
                 clip=element_clip(page, "[data-preview-panel]", max_height=VIEWPORT["height"]))
            page.click(".preview-shot.landscape[data-lang=ru] .preview-thumb")
            page.wait_for_selector("dialog[open]")
            page.wait_for_timeout(300)
            save(page, out, "07-preview-enlarged.png")
            page.keyboard.press("Escape")
            page.click("[data-screen=story]")

            # 5. A problem shown on its field: a title far too long for the poster.
            page.fill("input[name=title]", LONG_TITLE)
            page.wait_for_selector("label.field.has-problem:has(input[name=title]) "
                                   ".field-problem", timeout=120_000)
            wait_preview(page)
            settle(page)
            save(page, out, "08-problem-on-field.png")
            page.fill("input[name=title]", TITLE)
            wait_preview(page)

            # 6. Publish: the listing again, with «Опубликовано… Отменить».
            page.click("#publish")
            page.wait_for_selector(".flash")
            page.evaluate("window.scrollTo(0, 0)")
            save(page, out, "09-published.png")

            # 7. Hide a head-office story on this kiosk.
            hide = page.locator("#stories form[action$='/hide'] button").first
            hide.click()
            page.wait_for_selector("#hidden")
            page.locator("#hidden").scroll_into_view_if_needed()
            save(page, out, "10-hidden.png")

            # 8. The history, with an Undo button per change.
            page.goto(url + "/history")
            page.wait_for_selector("table.history")
            save(page, out, "11-history.png")

            # 9. The colouring wizard: upload a photo of a drawing, clean it, try a fill.
            page.goto(url + "/colouring/")
            page.wait_for_selector("#scan-file", state="attached")
            save(page, out, "12-wizard-upload.png")
            page.set_input_files("#scan-file", str(drawing))
            page.click("form.upload-card button[type=submit]")
            page.wait_for_selector("#art")
            page.wait_for_function("() => document.getElementById('art').complete")
            page.fill("input[name=title]", "Домик и солнце")
            page.fill("input[name=title_en]", "A house and the sun")
            art = page.locator("#art").bounding_box()
            assert art is not None
            # On the house's wall, right of the door: a shape with a small break in its line
            # that the clean-up closed, so the paint stays inside.
            page.mouse.click(art["x"] + art["width"] * 1150 / 2400,
                             art["y"] + art["height"] * 1300 / 1800)
            page.wait_for_function("() => document.getElementById('fill-result').textContent !== ''")
            page.wait_for_function("() => document.getElementById('busy').hidden")
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(300)
            save(page, out, "13-wizard-fill.png")

            # 10. A poster: a finished picture for the loop, drawn landscape and portrait.
            poster = work / "grafik-novyy-god.png"
            make_poster(poster)
            page.goto(url + "/posters/new")
            page.wait_for_selector("#poster-form")
            page.fill("input[name=name]", "Новогодний график работы")
            page.set_input_files("#poster-form input[name=picture_file]", str(poster))
            page.wait_for_selector("#poster-form [data-picture-thumb]:not([hidden])",
                                   timeout=120_000)
            page.fill("input[name=duration]", "12")
            page.check("input[name=period][value=dates]")
            page.fill("input[name=show_from]", "2026-12-20")
            page.fill("input[name=show_until]", "2027-01-10")
            wait_preview(page)
            settle(page)
            save(page, out, "14-poster-form.png")
            page.click("#publish")
            page.wait_for_selector(".flash")
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where the PNGs go")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kiosk-editor-shots-"))
    try:
        with editor(work) as url:
            walk(url, work, args.out.resolve())
    finally:
        if args.keep:
            print(f"temporary folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
