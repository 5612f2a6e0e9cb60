"""Parsing time against input size for hostile content, up to the file size cap.

    python bench/adversarial.py [--all] [--deadline 5] [--only NAME]

For each parser of content — a story file as the loader reads it (front matter and Markdown),
kiosk.yaml, a notice (read, then asked when the urgent band next changes), the typesetting of
a body and of a title, the poster's teaser line, and Qt's own Markdown reader
(QTextDocument.setMarkdown, on the UI thread) — and for shapes of input made to trip each one
up (blank lines then `=x`, runs of spaces, `[`, `![`, `*`, `_`, backticks, `---`, deep YAML
nesting, many keys, …), the time at 10 KB, at a tenth of the cap, at 100 KB
and at the cap (MAX_TEXT_BYTES, 256 KB: no bigger text file is read). A linear parser takes
about ten times as long at the cap as at a tenth of it, a quadratic one a hundred times: the
figure `NAME.ratio`, time(cap) / time(cap/10), has a budget of 15. A case that does not finish
within --deadline seconds (it runs in a child process, which is then killed) is OVER too.
By default a few shapes a parser (about 10 s on a busy machine); --all runs every shape
against every parser (about 25 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Figure, report
from kiosk.core import settings as settings_module
from kiosk.core import typeset as typeset_module
from kiosk.core.content.loader import ContentLoader
from kiosk.core.content.notices import next_change
from kiosk.core.content.teaser import first_sentence
from kiosk.core.content.yamlsrc import MAX_TEXT_BYTES

CAP = MAX_TEXT_BYTES
SIZES = (10 * 1024, CAP // 10, 100 * 1024, CAP)
RATIO_BUDGET = 15.0
# Below this, a time says nothing about growth (a parser that looks at a fixed part of its
# input, or timer noise): the ratio counts a shorter time as this long.
FLOOR_SECONDS = 0.0005
# Per size, the best of up to this many runs, taken within about this long: the least
# disturbed run is the parser's own time. Times are the child process's CPU time, so other
# programs on a shared machine disturb them less.
RUNS = 5
RUN_SECONDS = 0.05

FRONT = "---\ntitle: Заголовок\n---\n"


def repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    """`head`, then `unit` repeated, then `tail`: at most `size` bytes of UTF-8 in all."""
    room = size - len((head + tail).encode())
    return head + unit * max(1, room // len(unit.encode())) + tail


def lines_up_to(size: int, line: Callable[[int], str]) -> str:
    """Lines line(0), line(1), … while they fit in `size` bytes."""
    lines, total, i = [], 0, 0
    while total + len(line(i).encode()) <= size:
        lines.append(line(i))
        total += len(lines[-1].encode())
        i += 1
    return "".join(lines)


def nested_block(size: int) -> str:
    """Mappings each indented one space more than the last."""
    return lines_up_to(size, lambda depth: " " * depth + "a:\n")


def many_keys(size: int) -> str:
    return lines_up_to(size, lambda i: f"k{i}: значение\n")


def backtick_runs(size: int) -> str:
    """Runs of 1, 2, 3, … backticks: each length is looked for after each run."""
    return lines_up_to(size, lambda i: "`" * (i % 300 + 1) + " ")


# Markdown bodies: each goes after a small front matter (story), or alone (typesetting, Qt).
BODIES: dict[str, Callable[[int], str]] = {
    "blank_lines_then_eq": lambda n: repeat("\n", n, tail="=x"),
    "blank_lines_then_eq_english": lambda n: repeat("\n \n", n, tail="= english"),
    "spaces_run": lambda n: repeat(" ", n, head="a", tail="x"),
    "spaces_between_words": lambda n: repeat("а    ", n),
    "open_brackets": lambda n: repeat("[", n),
    "open_images": lambda n: repeat("![", n),
    "open_image_targets": lambda n: repeat("![a](", n),
    "link_tails": lambda n: repeat("](", n),
    "stars": lambda n: repeat("*a", n),
    "star_underscore": lambda n: repeat("*_", n),
    "backticks": lambda n: repeat("`a", n),
    "backtick_runs": backtick_runs,
    "dash_lines": lambda n: repeat("---\n", n),
    "angle_brackets": lambda n: repeat("<a", n),
    "ampersands": lambda n: repeat("&#", n),
    "quotes_and_stars": lambda n: repeat('"*', n),
    "quote_nesting": lambda n: repeat("> ", n, tail="x"),
    "list_nesting": lambda n: repeat("- ", n, tail="x"),
    "list_items": lambda n: repeat("- x\n", n),
    "short_words": lambda n: repeat("а ", n),
    "one_long_word": lambda n: repeat("я", n),
    "equals_lines": lambda n: repeat("=english\n", n),
}
# The shapes that reach each parser's own scans; the loader only splits a body (and looks
# for images in it), typesetting passes much through as text.
STORY_SHAPES = ("blank_lines_then_eq", "blank_lines_then_eq_english", "equals_lines",
                "spaces_run", "open_images", "open_image_targets", "dash_lines")
TYPESET_SHAPES = ("spaces_between_words", "open_brackets", "link_tails", "backtick_runs",
                  "angle_brackets", "ampersands", "quotes_and_stars", "quote_nesting",
                  "list_nesting", "list_items", "short_words")
QT_SHAPES = ("blank_lines_then_eq", "open_brackets", "open_image_targets", "link_tails",
             "stars", "star_underscore", "backticks", "dash_lines", "quotes_and_stars",
             "quote_nesting", "list_nesting", "list_items")

# Front matters (YAML), between the fences of a story with a one-line body.
FRONT_MATTERS: dict[str, Callable[[int], str]] = {
    "many_keys": many_keys,
    "deep_flow": lambda n: repeat("[", n, head="title: "),
    "deep_block": nested_block,
    "long_value": lambda n: repeat("я", n, head="title: "),
    "long_flow_list": lambda n: repeat("а, ", n, head="tags: [", tail="а]"),
    "quoted_ampersands": lambda n: repeat('t: "&a *a"\n', n),
    "no_closing_fence": lambda n: repeat("a: b\n", n),
    "tabs": lambda n: repeat("\t", n, head="title: x\n"),
}

SETTINGS: dict[str, Callable[[int], str]] = {
    "many_keys": many_keys,
    "deep_flow": lambda n: repeat("{a: ", n, head="tags: "),
    "deep_block": nested_block,
    "many_tags": lambda n: repeat("  метка: tag\n", n, head="tags:\n"),
    "comments": lambda n: repeat("# комментарий\n", n, head="slide_seconds: 9\n"),
    "long_source": lambda n: repeat("a", n, head="queue:\n  source: http://", tail="/x"),
}

# A notice (notices/*.yaml), read and then asked when the urgent band next changes, as the
# window asks on each return to the loop (one with 700 spans of hours once took 35 s there).
NOTICE_HEAD = "text: Центр закрыт\nlevel: срочное\nshow_from: 2030-01-01\n"
NOTICES: dict[str, Callable[[int], str]] = {
    "many_hours": lambda n: NOTICE_HEAD + "hours:\n" + lines_up_to(
        n - len(NOTICE_HEAD.encode()) - 7,
        lambda i: f"  - {i * 2 // 60 % 24:02d}:{i * 2 % 60:02d}-"
                  f"{i * 2 // 60 % 24:02d}:{i * 2 % 60 + 1:02d}\n"),
    "one_long_word": lambda n: repeat("Ш", n, head="text: ", tail="\nlevel: срочное\n"),
    "short_words": lambda n: repeat("а ", n, head="text: ", tail="\nlevel: срочное\n"),
    "zero_width": lambda n: repeat("\u200b", n, head='text: "', tail='"\nlevel: срочное\n'),
}
NOTICE_MOMENT = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Case:
    parser: str
    shape: str
    make: Callable[[int], str]  # a text of about this many bytes
    run: Callable[[str], object]  # parses it

    @property
    def name(self) -> str:
        return f"{self.parser}.{self.shape}"


class Folder:
    """A content folder in the temporary directory, rewritten for each text."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "stories").mkdir(parents=True)

    def story(self, text: str) -> object:
        (self.root / "stories" / "s.md").write_text(text, encoding="utf-8")
        return ContentLoader(self.root).load()  # in this process: no sandbox

    def notice(self, text: str) -> object:
        (self.root / "notices").mkdir(exist_ok=True)  # beside a story: content, not empty
        (self.root / "notices" / "n.yaml").write_text(text, encoding="utf-8")
        content = ContentLoader(self.root).load()
        urgent = [n for n in content.notices if n.urgent]
        return next_change(urgent, NOTICE_MOMENT, content.closed_days())

    def settings(self, text: str) -> object:
        (self.root / "kiosk.yaml").write_text(text, encoding="utf-8")
        return ContentLoader(self.root).load()


def qt_markdown(text: str) -> object:
    from PySide6.QtGui import QGuiApplication, QTextDocument

    if QGuiApplication.instance() is None:
        qt_markdown.app = QGuiApplication([])  # type: ignore[attr-defined]
    document = QTextDocument()
    document.setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownNoHTML)  # as the UI does
    return document.blockCount()


def story_with_body(make: Callable[[int], str]) -> Callable[[int], str]:
    return lambda n: FRONT + make(n - len(FRONT.encode()))


def story_with_front_matter(make: Callable[[int], str], closed: bool) -> Callable[[int], str]:
    closing = "---\nТекст.\n" if closed else ""
    return lambda n: "---\n" + make(n - 4 - len(closing.encode())) + closing


# The default run: for each parser, the shapes that once were slow or are its slowest.
QUICK = frozenset((
    "story.blank_lines_then_eq", "story.open_images", "story.open_image_targets",
    "story.dash_lines", "story_front_matter.many_keys", "story_front_matter.deep_flow",
    "story_front_matter.deep_block", "story_front_matter.quoted_ampersands",
    "story_front_matter.no_closing_fence", "kiosk_yaml.many_keys", "kiosk_yaml.deep_flow",
    "kiosk_yaml.many_tags", "typeset_markdown.short_words", "typeset_markdown.link_tails",
    "typeset_markdown.angle_brackets", "typeset_markdown.list_items",
    "typeset_title.quotes_and_stars", "teaser.blank_lines_then_eq", "teaser.short_words",
    "qt_markdown.backticks", "qt_markdown.list_items", "qt_markdown.list_nesting",
    "qt_markdown.stars", "qt_markdown.open_brackets", "notice.many_hours",
    "notice.one_long_word"))


def cases(folder: Folder, settings_folder: Folder, notice_folder: Folder) -> list[Case]:
    # The uncached typesetting: the public functions remember short texts.
    plain = typeset_module._typeset_plain
    markdown = typeset_module._typeset_markdown
    found: list[Case] = []
    for shape in STORY_SHAPES:
        found.append(Case("story", shape, story_with_body(BODIES[shape]), folder.story))
    for shape, make in FRONT_MATTERS.items():
        found.append(Case("story_front_matter", shape,
                          story_with_front_matter(make, shape != "no_closing_fence"),
                          folder.story))
    for shape, make in SETTINGS.items():
        found.append(Case("kiosk_yaml", shape, make, settings_folder.settings))
    for shape, make in NOTICES.items():
        found.append(Case("notice", shape, make, notice_folder.notice))
    for shape in TYPESET_SHAPES:
        found.append(Case("typeset_markdown", shape, BODIES[shape],
                          lambda text: markdown(text, "ru", True)))
    for shape in ("spaces_between_words", "short_words", "quotes_and_stars", "open_brackets"):
        found.append(Case("typeset_title", shape, BODIES[shape],
                          lambda text: plain(text, "ru", False)))
    for shape in ("blank_lines_then_eq", "spaces_run", "short_words", "one_long_word"):
        found.append(Case("teaser", shape, BODIES[shape], first_sentence))
    for shape in QT_SHAPES:
        # As the reading screen gives it to Qt: typeset first.
        found.append(Case("qt_markdown", shape, BODIES[shape],
                          lambda text: qt_markdown(markdown(text, "ru", True))))
    return found


def best_time(run: Callable[[str], object], text: str) -> float:
    times: list[float] = []
    spent = 0.0
    while len(times) < RUNS and (spent < RUN_SECONDS or not times):
        # A load remembers its suggestions for misspelt names: a second run of a small text
        # would find them all, a large one (over 4,096 names) none, which is not the parser.
        settings_module._nearest.cache_clear()
        gc.collect()
        gc.disable()
        started = time.process_time()
        try:
            run(text)
        finally:
            took = time.process_time() - started
            gc.enable()
        times.append(took)
        spent += took
    return min(times)


def measure(case: Case, out: Connection) -> None:
    """In a child process: the time at each size, sent as it is known."""
    case.run(case.make(100))  # imports, Qt's start, dictionaries: not the parser's time
    for size in SIZES:
        out.send((size, best_time(case.run, case.make(size))))
    out.close()


def run_case(case: Case, deadline: float) -> tuple[dict[int, float], bool]:
    """The times by size, and whether the case finished within `deadline` seconds."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=measure, args=(case, send))
    child.start()
    send.close()
    times: dict[int, float] = {}
    ends = time.monotonic() + deadline
    try:
        while len(times) < len(SIZES):
            left = ends - time.monotonic()
            if left <= 0 or not receive.poll(left):
                return times, False
            try:
                size, took = receive.recv()
            except EOFError:  # the child died (it says why on stderr)
                return times, False
            times[size] = took
        return times, True
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deadline", type=float, default=5.0,
                        help="seconds a case may take in all before it is stopped (OVER)")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--all", action="store_true", help="every shape against every parser")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    typeset_module.warm_up("ru")  # the dictionary's loading is not the parser's time
    temporary = tempfile.TemporaryDirectory(prefix="kiosk-adversarial-")
    folder = Folder(Path(temporary.name, "stories-only"))
    settings_folder = Folder(Path(temporary.name, "settings-only"))
    notice_folder = Folder(Path(temporary.name, "notices"))
    print(f"# sizes: {', '.join(f'{s / 1024:.1f} KB' for s in SIZES)} (the cap is "
          f"{CAP // 1024} KB); ratio = time(cap) / time(cap/10), linear ≈ 10", flush=True)
    figures: list[Figure] = []
    started = time.perf_counter()
    for case in cases(folder, settings_folder, notice_folder):
        if args.only not in case.name or not (args.all or args.only or case.name in QUICK):
            continue
        times, finished = run_case(case, args.deadline)
        shown = "  ".join(f"{times[s] * 1000:8.2f}" if s in times else "       —"
                          for s in SIZES)
        print(f"# {case.name:45} ms {shown}", flush=True)
        if finished:
            ratio = max(times[CAP], FLOOR_SECONDS) / max(times[CAP // 10], FLOOR_SECONDS)
        else:
            print(f"# {case.name}: stopped after {args.deadline:g} s", flush=True)
            ratio = float("inf")
        figures.append(Figure(f"{case.name}.ratio", ratio, "x", RATIO_BUDGET))
    print(f"# {len(figures)} cases in {time.perf_counter() - started:.1f} s", flush=True)
    temporary.cleanup()
    return report(figures)


if __name__ == "__main__":
    sys.exit(main())
