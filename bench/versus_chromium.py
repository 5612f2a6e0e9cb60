"""The kiosk against Chromium in kiosk mode, side by side on a real X server (Xvfb 1920×1080):
five 1080p JPEG photographs, one every 3 s, each fading in over 1 s.

    python bench/versus_chromium.py [--runs 3] [--seconds 30]

The five slides are made here (gradients, noise, soft shapes: JPEG photographs' kind of
pixels, the same every run). The kiosk shows them as staff posters (`posters/1.jpg` …, each
`fit: fill`) with `slide_seconds: 3`, `transition: crossfade`, `transition_ms: 1000` and
nothing else in the loop; Chromium (Debian's /usr/bin/chromium, `--kiosk`) shows an HTML page
with the same picture in the same place: the stage above a band of the kiosk's height and
colour with its words, each new slide fading in over the last with the kiosk's easing (CSS
opacity transition, `cubic-bezier(0.65, 0, 0.35, 1)`, InOutCubic). The band's ring and its
ripples (25 frames a second in the kiosk) are left out of the page: Chromium does less.

Both draw in software, as there is no GPU here: Chromium with `--disable-gpu` (without it, it
starts a GPU process that falls back to SwiftShader, software GL: the same CPU, 40 MB more
PSS and a slower start measured here, so the flag is in its favour), the kiosk with Qt's
raster engine; both hand their frames to the same X server.

One Xvfb for the whole session; the two run alternately, after one warm-up run each (the files
in the page cache, Chromium's profile and the kiosk's state folder made), `--runs` times each.
For each run:
- first content: from starting the process to the first slide's pixels on the X screen,
  polled every 10 ms with Xlib's XGetImage of five 24×24 patches (5 KB a poll, no screenshot
  of the whole screen: the polling costs the X server next to nothing);
  and the CPU time the program spent until then (a busy machine stretches a start by it);
- CPU while cycling: utime + stime of every process of the program (the browser's zygote,
  renderer, GPU and utility processes and its crash handler; the kiosk and its loader's
  sandbox), children that ended included, over `--seconds` from 2.5 s after its first
  content, as % of one core;
- PSS: the sum over those processes at the end of that window.
The X server's CPU over the same window is printed too (no budget: it draws for both).
Medians of the runs; each kiosk figure has Chromium's as its reference.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Figure, median, pss_kib, report

SIZE = (1920, 1080)
SLIDES = 5
SLIDE_SECONDS = 3
FADE_MS = 1000
BAND = 176  # the kiosk's attract band at 1080p (kiosk.ui.attract.band): the stage is 1920×904
WARM_UP = 2.5  # from first content to the measured window
FIRST_TIMEOUT = 30.0
POLL = 0.01
PATCH = 24
# Where the slide is looked for on the screen: inside the stage, away from its edges.
SPOTS = [(300, 200), (1600, 200), (960, 450), (300, 760), (1600, 760)]
TOLERANCE = 12.0  # most a patch's mean may differ per channel (decoders round differently)
CHROMIUM = "/usr/bin/chromium"
# Everything Chromium would do besides showing the page is off (in its favour).
CHROMIUM_FLAGS = [
    "--kiosk", "--no-first-run", "--no-default-browser-check", "--disable-gpu",
    "--no-sandbox",  # run as root here, which Chromium's sandbox refuses
    "--test-type",  # no «unsupported command-line flag» bar over the page for --no-sandbox
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-translate",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--password-store=basic", "--noerrdialogs", "--disable-session-crashed-bubble",
    "--autoplay-policy=no-user-gesture-required",
    f"--window-size={SIZE[0]},{SIZE[1]}", "--window-position=0,0",
]


# -- the slides ------------------------------------------------------------------------------

def make_slides(folder: Path) -> list[Path]:
    """Five 1920×1080 JPEGs like photographs: a sky-to-ground gradient in each one's own
    colours, soft shapes, grain. Deterministic."""
    from PIL import Image, ImageDraw, ImageFilter

    folder.mkdir(parents=True, exist_ok=True)
    width, height = SIZE
    palettes = [((40, 90, 160), (230, 200, 150)), ((20, 70, 40), (200, 220, 120)),
                ((120, 30, 60), (250, 170, 90)), ((30, 30, 60), (140, 160, 230)),
                ((90, 60, 30), (240, 230, 210))]
    paths = []
    for n, (top, bottom) in enumerate(palettes):
        rng = np.random.default_rng(1000 + n)
        t = np.linspace(0.0, 1.0, height)[:, None, None]
        tilt = np.linspace(-0.15, 0.15, width)[None, :, None]
        mix = np.clip(t + tilt * (n - 2) / 2, 0.0, 1.0)
        base = np.array(top, float) * (1 - mix) + np.array(bottom, float) * mix
        picture = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
        shapes = Image.new("RGB", SIZE)
        mask = Image.new("L", SIZE)
        draw, draw_mask = ImageDraw.Draw(shapes), ImageDraw.Draw(mask)
        for _ in range(14):
            x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
            r = int(rng.integers(60, 320))
            colour = tuple(int(c) for c in rng.integers(0, 256, 3))
            box = (x - r, y - r // 2, x + r, y + r // 2)
            if rng.random() < 0.5:
                draw.ellipse(box, fill=colour)
                draw_mask.ellipse(box, fill=int(rng.integers(90, 200)))
            else:
                draw.rectangle(box, fill=colour)
                draw_mask.rectangle(box, fill=int(rng.integers(90, 200)))
        picture = Image.composite(shapes, picture, mask.filter(ImageFilter.GaussianBlur(25)))
        grain = rng.normal(0.0, 9.0, (height, width, 1))
        pixels = np.clip(np.asarray(picture, float) + grain, 0, 255).astype(np.uint8)
        path = folder / f"{n + 1}.jpg"
        Image.fromarray(pixels).save(path, quality=88)
        paths.append(path)
    return paths


def expected_patches(slides: list[Path]) -> list[list[tuple[float, float, float]]]:
    """Each slide's mean colour in each spot, as the stage shows it (covering 1920×904,
    centred: the picture's rows from 88)."""
    from PIL import Image

    offset = (SIZE[1] - (SIZE[1] - BAND)) // 2
    found = []
    for path in slides:
        pixels = np.asarray(Image.open(path).convert("RGB"), float)
        found.append([tuple(float(v) for v in pixels[y + offset:y + offset + PATCH,
                                                     x:x + PATCH].mean(axis=(0, 1)))
                      for x, y in SPOTS])
    return found  # type: ignore[return-value]


def make_kiosk_content(folder: Path, slides: list[Path]) -> Path:
    content = folder / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "posters").mkdir(parents=True)
    for path in slides:
        shutil.copy(path, content / "posters" / path.name)
        (content / "posters" / f"{path.stem}.yaml").write_text("fit: fill\n", encoding="utf-8")
    (content / "kiosk.yaml").write_text(
        "centre_name: Мои Документы\ncentre_name_en: My Documents\n"
        f"slide_seconds: {SLIDE_SECONDS}\ntransition: crossfade\n"
        f"transition_ms: {FADE_MS}\n"
        "attract:\n  anniversary: false\n  stories: 0\n  colouring_invite: false\n"
        "  calm_invite: false\n", encoding="utf-8")
    return content


def make_page(folder: Path, slides: list[Path]) -> Path:
    """The same slides as an HTML page: the kiosk's stage and band, each slide fading in over
    the one before (which stays opaque under it, as the kiosk blends)."""
    from kiosk.ui.theme import INK, ORANGE

    page = folder / "page"
    shutil.rmtree(page, ignore_errors=True)
    page.mkdir(parents=True)
    for path in slides:
        shutil.copy(path, page / path.name)
    images = "\n".join(f'<img src="{p.name}" alt="">' for p in slides)
    (page / "index.html").write_text(f"""<!doctype html>
<html lang="ru" translate="no"><head><meta charset="utf-8">
<meta name="google" content="notranslate"><title>slides</title><style>
html, body {{ margin: 0; width: 100%; height: 100%; overflow: hidden; background: #FFF8F0;
  cursor: none; font-family: "PT Sans", sans-serif; }}
#stage {{ position: absolute; left: 0; top: 0; right: 0; bottom: {BAND}px; }}
#stage img {{ position: absolute; left: 0; top: 0; width: 100%; height: 100%;
  object-fit: cover; opacity: 0; }}
#stage img.fade {{ transition: opacity {FADE_MS}ms cubic-bezier(0.65, 0, 0.35, 1); }}
#band {{ position: absolute; left: 0; right: 0; bottom: 0; height: {BAND}px;
  background: {ORANGE}; color: {INK}; display: flex; align-items: center;
  justify-content: space-between; padding: 0 64px; box-sizing: border-box; }}
#band .touch {{ font-size: 56px; font-weight: bold; line-height: 1.1; }}
#band .touch small {{ display: block; font-size: 26px; font-weight: normal; }}
#band .side {{ font-size: 36px; font-weight: bold; width: 420px; }}
#band .time {{ text-align: right; }}
#band .time small {{ display: block; font-size: 26px; font-weight: normal; }}
</style></head><body>
<div id="stage">
{images}
</div>
<div id="band"><div class="side">Мои Документы</div>
<div class="touch">Коснитесь экрана<small>Touch the screen</small></div>
<div class="side time"><span id="time"></span><small id="date"></small></div></div>
<script>
const slides = document.querySelectorAll("#stage img");
let shown = 0, layer = 1;
slides[0].style.opacity = 1;
slides[0].style.zIndex = layer;
function clock() {{
  const now = new Date();
  document.getElementById("time").textContent = now.toTimeString().slice(0, 5);
  document.getElementById("date").textContent = now.toLocaleDateString("ru-RU",
    {{weekday: "long", day: "numeric", month: "long"}});
  setTimeout(clock, (60 - now.getSeconds()) * 1000);
}}
clock();
setInterval(() => {{
  const before = slides[shown];
  shown = (shown + 1) % slides.length;
  const next = slides[shown];
  next.classList.remove("fade");
  next.style.opacity = 0;
  next.style.zIndex = ++layer;
  next.getBoundingClientRect();
  next.classList.add("fade");
  next.style.opacity = 1;
  next.addEventListener("transitionend", () => {{ before.style.opacity = 0; }},
                        {{once: true}});
}}, {SLIDE_SECONDS * 1000});
</script></body></html>
""", encoding="utf-8")
    return page / "index.html"


# -- the X screen ----------------------------------------------------------------------------

class XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte)),
                ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
                ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int),
                ("bits_per_pixel", ctypes.c_int)]


class XScreen:
    """Reads small patches of the X screen's root window (Xlib's XGetImage, through ctypes:
    no dependency)."""

    Z_PIXMAP = 2

    def __init__(self, display: str) -> None:
        name = ctypes.util.find_library("X11") or "libX11.so.6"
        self.x = ctypes.CDLL(name)
        self.x.XOpenDisplay.restype = ctypes.c_void_p
        self.x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x.XGetImage.restype = ctypes.POINTER(XImage)
        self.x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                     ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                     ctypes.c_ulong, ctypes.c_int]
        self.x.XDestroyImage.argtypes = [ctypes.POINTER(XImage)]
        self.x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.display = self.x.XOpenDisplay(display.encode())
        if not self.display:
            raise RuntimeError(f"cannot open X display {display}")
        self.root = self.x.XDefaultRootWindow(self.display)

    def patch(self, x: int, y: int, width: int, height: int) -> NDArray[np.uint8]:
        """The pixels of a box, height × width × 3 (RGB; 24-bit TrueColor is BGRX bytes)."""
        image = self.x.XGetImage(self.display, self.root, x, y, width, height, 0xFFFFFFFF,
                                 self.Z_PIXMAP)
        if not image:
            raise RuntimeError("XGetImage failed")
        try:
            info = image.contents
            if info.bits_per_pixel != 32:
                raise RuntimeError(f"{info.bits_per_pixel} bits a pixel: expected 32")
            raw = ctypes.string_at(info.data, info.bytes_per_line * height)
        finally:
            self.x.XDestroyImage(image)
        rows = np.frombuffer(raw, np.uint8).reshape(height, -1)[:, :width * 4]
        return rows.reshape(height, width, 4)[:, :, 2::-1]

    def means(self) -> list[tuple[float, float, float]]:
        found = []
        for x, y in SPOTS:
            r, g, b = self.patch(x, y, PATCH, PATCH).mean(axis=(0, 1))
            found.append((float(r), float(g), float(b)))
        return found

    def shows_a_slide(self, expected: list[list[tuple[float, float, float]]]) -> bool:
        means = self.means()
        return any(all(max(abs(a - b) for a, b in zip(seen, wanted, strict=True)) <= TOLERANCE
                       for seen, wanted in zip(means, slide, strict=True))
                   for slide in expected)

    def save(self, path: Path) -> None:
        """The whole screen as a PNG (for looking at it; not while measuring)."""
        from PIL import Image

        Image.fromarray(np.ascontiguousarray(self.patch(0, 0, *SIZE))).save(path)

    def close(self) -> None:
        self.x.XCloseDisplay(self.display)


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on the first free display number (it picks it and says which: -displayfd)."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24",
         "-nolisten", "tcp", "-br", "-noreset"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    os.close(write)
    number = b""
    deadline = time.monotonic() + 20
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        chunk = os.read(read, 16)
        if not chunk:
            break
        number += chunk
    os.close(read)
    if not number.strip():
        server.kill()
        raise RuntimeError("Xvfb did not start")
    return server, f":{number.decode().strip()}"


# -- processes -------------------------------------------------------------------------------

def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_tree(root: int, marker: str | None = None) -> list[int]:
    """`root` and every process under it (by parent, across all threads' children), and
    any process whose command line names `marker` (Chromium's crash handler leaves the
    tree: it is started twice forked, and names the profile's folder)."""
    parents: dict[int, list[int]] = {}
    named: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None:
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
            if marker is not None:
                with contextlib.suppress(OSError):
                    if marker.encode() in (entry / "cmdline").read_bytes():
                        named.append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue += parents.get(pid, [])
    return found + [pid for pid in named if pid not in found]


def tree_cpu_seconds(root: int, marker: str | None = None) -> float:
    """utime + stime of every process in the tree, with the ended children it waited for."""
    ticks = 0
    for pid in process_tree(root, marker):
        fields = _stat(pid)
        if fields is not None:
            ticks += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_pss_mb(root: int, marker: str | None = None) -> float:
    total = 0
    for pid in process_tree(root, marker):
        with contextlib.suppress(RuntimeError, OSError):  # ended meanwhile
            total += pss_kib(pid)
    return total / 1024


def end_tree(process: subprocess.Popen[bytes], marker: str | None = None) -> None:
    pids = process_tree(process.pid, marker)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


# -- a run -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    first_s: float
    first_cpu_s: float  # CPU time of the program's processes until then
    cpu_percent: float
    pss_mb: float
    xvfb_percent: float


def run_once(command: list[str], env: dict[str, str], screen: XScreen, server_pid: int,
             expected: list[list[tuple[float, float, float]]], seconds: float,
             marker: str, shot: Path | None = None) -> Run:
    """One run of the program; `marker`: the temporary folder its command names, which
    finds its processes that left the tree."""
    if screen.shows_a_slide(expected):
        raise RuntimeError("a slide is on the screen before the program starts")
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while not screen.shows_a_slide(expected):
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} ended ({process.returncode}) before its "
                                   "first slide")
            if time.monotonic() - started > FIRST_TIMEOUT:
                raise RuntimeError(f"{command[0]}: no slide on the screen in "
                                   f"{FIRST_TIMEOUT:.0f} s")
            time.sleep(POLL)
        first = time.monotonic() - started
        first_cpu = tree_cpu_seconds(process.pid, marker)
        time.sleep(WARM_UP)
        cpu_start = tree_cpu_seconds(process.pid, marker)
        xvfb_start = tree_cpu_seconds(server_pid)
        wall_start = time.monotonic()
        time.sleep(seconds)
        cpu_end, xvfb_end = tree_cpu_seconds(process.pid, marker), tree_cpu_seconds(server_pid)
        wall = time.monotonic() - wall_start
        pss = tree_pss_mb(process.pid, marker)
        if shot is not None:
            screen.save(shot)
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} ended ({process.returncode}) while cycling")
    finally:
        end_tree(process, marker)
    deadline = time.monotonic() + 10
    while screen.shows_a_slide(expected) and time.monotonic() < deadline:
        time.sleep(0.05)  # its window gone from the screen
    return Run(first, first_cpu, (cpu_end - cpu_start) / wall * 100, pss,
               (xvfb_end - xvfb_start) / wall * 100)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--shots", type=Path, default=None,
                        help="save a screenshot of each program at the end of its runs here")
    args = parser.parse_args()
    missing = [tool for tool in ("Xvfb", CHROMIUM) if shutil.which(tool) is None]
    if missing:
        print(f"versus_chromium: {', '.join(missing)} missing "
              "(scripts/system-deps.sh --tests installs xvfb and chromium)")
        return 1
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-chromium-"))
    server: subprocess.Popen[bytes] | None = None
    screen: XScreen | None = None
    try:
        slides = make_slides(work / "slides")
        expected = expected_patches(slides)
        content = make_kiosk_content(work, slides)
        page = make_page(work, slides)
        server, display = start_xvfb()
        screen = XScreen(display)
        print(f"versus_chromium: Xvfb {display} {SIZE[0]}×{SIZE[1]}, {SLIDES} slides every "
              f"{SLIDE_SECONDS} s, {FADE_MS} ms crossfade, {args.seconds:g} s of cycling, "
              f"{args.runs} runs each", flush=True)
        base = {key: value for key, value in os.environ.items()
                if not key.startswith(("QT_", "KIOSK_"))}
        base["DISPLAY"] = display
        kiosk_env = {**base, "QT_QPA_PLATFORM": "xcb", "KIOSK_STATE_DIR": str(work / "state"),
                     "KIOSK_MACHINE_SETTINGS": "", "KIOSK_USER_SETTINGS": ""}
        kiosk = [str(Path(sys.executable).with_name("kiosk")), "run", "--content", str(content)]
        browser_env = {**base, "HOME": str(work / "home"), "TZ": "Europe/Moscow"}
        browser = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'chromium'}",
                   page.as_uri()]
        programs = {"kiosk": (kiosk, kiosk_env), "chromium": (browser, browser_env)}
        results: dict[str, list[Run]] = {"kiosk": [], "chromium": []}
        for command, env in programs.values():  # warm-up: page cache, profile, state
            run_once(command, env, screen, server.pid, expected, 3.0, str(work))
        for n in range(args.runs):
            for name, (command, env) in programs.items():
                last = args.shots is not None and n == args.runs - 1
                run = run_once(command, env, screen, server.pid, expected, args.seconds,
                               str(work),
                               args.shots / f"{name}.png" if last and args.shots else None)
                results[name].append(run)
                print(f"  {name} run {n + 1}: first content {run.first_s:.3f} s "
                      f"({run.first_cpu_s:.2f} s of CPU), "
                      f"CPU {run.cpu_percent:.1f} %, PSS {run.pss_mb:.0f} MB, "
                      f"Xvfb {run.xvfb_percent:.1f} %", flush=True)
    finally:
        if screen is not None:
            screen.close()
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    def mid(name: str, field: str) -> float:
        return median([getattr(run, field) for run in results[name]])

    # Budgets: CPU a third of Chromium's (issue 18). First content and PSS no worse than the
    # ratios issue 18 measured (0.50 s against 0.63 s: 0.79×; 100 MB against 454 MB: 0.22×),
    # and no absolute figure worse than it measured then (0.50 s, 100 MB, 10.6 %) with room
    # for a shared machine at start-up (1 s).
    return report([
        Figure("versus_chromium_first_content", mid("kiosk", "first_s"), "s", 1.0,
               reference=mid("chromium", "first_s"), ratio_budget=0.79),
        # The CPU time spent until then: what a busy machine stretches the start by.
        Figure("versus_chromium_first_content_cpu", mid("kiosk", "first_cpu_s"), "s",
               float("inf"), reference=mid("chromium", "first_cpu_s")),
        Figure("versus_chromium_pss", mid("kiosk", "pss_mb"), "MB", 100,
               reference=mid("chromium", "pss_mb"), ratio_budget=0.22),
        Figure("versus_chromium_cpu", mid("kiosk", "cpu_percent"), "%", 10.6,
               reference=mid("chromium", "cpu_percent"), ratio_budget=1 / 3),
        Figure("versus_chromium_xvfb_cpu", mid("kiosk", "xvfb_percent"), "%", float("inf"),
               reference=mid("chromium", "xvfb_percent")),
    ])


if __name__ == "__main__":
    sys.exit(main())
