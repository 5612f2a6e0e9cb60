"""Publish content/ into a folder the way head office's tools do, while a reload loop reads it.

The loop is the kiosk's own decision path without Qt (kiosk.ui.service.reloader): a look at
the folder every few ms (fingerprint), ReloadDecider with a settle time, load_content with a
ParseCache, keep_last_good. It checks that no read ever shows fewer of the stories that are
there both before and after the copy (only the copy's end may remove stories), and that the
copy's end is on screen once everything has settled.

    PYTHONPATH=src python scripts/publish_sim.py [--old] [--settle 0.2] [--rounds 3]

--old reads as the kiosk did before the folders fixes: no keeping of a folder gone or
emptied, rsync's temporary files not looked at.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.content import reload as reload_module
from kiosk.core.content.loader import ParseCache, load_content
from kiosk.core.content.model import Content
from kiosk.core.content.reload import ReloadDecider, fingerprint, keep_last_good

HERE = Path(__file__).resolve().parent.parent
CHUNK = 512


@dataclass
class Watch:
    """The kiosk's reload loop over `root`, in a thread, with what each read showed."""

    root: Path
    settle: float
    gone_settle: float
    old: bool
    shown: Content = field(init=False)
    reads: list[tuple[float, frozenset[str]]] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    looks: int = 0

    def __post_init__(self) -> None:
        self.cache = ParseCache()
        self.shown = load_content(self.root, cache=self.cache)
        self.decider = ReloadDecider(self.settle, gone_settle=self.gone_settle)
        self.decider.done(fingerprint(self.root))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def ids(self) -> frozenset[str]:
        return frozenset(s.id for s in self.shown.stories)

    def _run(self) -> None:
        while not self.stop.is_set():
            now = time.monotonic()
            current = fingerprint(self.root)
            self.looks += 1
            if self.decider.look(current, now):
                replacing = None if self.old or self.decider.let_go(now) \
                    else self.decider.replacing
                new = load_content(self.root, cache=self.cache)
                self.errors.update(p.code for p in new.problems if p.is_error)
                self.shown = keep_last_good(self.shown, new, replacing)
                self.decider.done(current, reload_module.kept_folders(self.shown), now)
                self.reads.append((now, self.ids()))
            time.sleep(0.004)


def story_text(title: str, words: int) -> str:
    body = " ".join(["Сотрудница центра «Мои Документы» помогла заявителю ёлочкой"] * words)
    return f"---\ntitle: {title}\n---\n{body}\n"


def make_sources(base: Path) -> tuple[Path, Path]:
    """The content as it is (`before`) and as head office publishes it (`after`): stories
    changed (longer, so a cut falls mid-letter), removed, added."""
    before, after = base / "before", base / "after"
    shutil.copytree(HERE / "content", before)
    stories = sorted((before / "stories").glob("*.md"))
    for i in range(25):  # a fuller folder
        (before / "stories" / f"extra-{i:02d}.md").write_text(
            story_text(f"История {i}", 20), encoding="utf-8")
    shutil.copytree(before, after)
    for path in stories[:4]:
        path = after / "stories" / path.name
        path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n\n"
                        + "Дополнение. " * 60 + "\n", encoding="utf-8")
    for path in stories[4:6]:
        (after / "stories" / path.name).unlink()  # the copy's end removes these
    for i in range(3):
        (after / "stories" / f"new-{i}.md").write_text(story_text(f"Новая {i}", 30),
                                                        encoding="utf-8")
    return before, after


def story_ids(root: Path) -> frozenset[str]:
    return frozenset(s.id for s in load_content(root).stories)


# -- the copies -------------------------------------------------------------------------------

def slow_write(source: Path, target: Path, prealloc: bool, stall: float) -> None:
    """A file copied the way Explorer (empty, then written) or robocopy (full size in zeros,
    then written) does it, in chunks, with one stall somewhere mid-file."""
    data = source.read_bytes()
    cut = random.randrange(1, max(2, len(data)))
    with open(target, "wb") as out:
        if prealloc:
            out.truncate(len(data))
        for start in range(0, len(data), CHUNK):
            out.seek(start)
            out.write(data[start:start + CHUNK])
            out.flush()
            if start <= cut < start + CHUNK and stall:
                time.sleep(stall)
            time.sleep(0.001)
    shutil.copystat(source, target)


def robocopy_mir(source: Path, target: Path, stall: float) -> None:
    """robocopy /MIR: each folder in turn, its extra files deleted first, then new and
    changed files copied (made their full size first)."""
    for folder, dirs, files in os.walk(source):
        dirs.sort()
        there = target / Path(folder).relative_to(source)
        there.mkdir(exist_ok=True)
        for extra in sorted(set(os.listdir(there)) - set(files) - set(dirs)):
            gone = there / extra
            shutil.rmtree(gone) if gone.is_dir() else gone.unlink()
        for name in sorted(files):
            src, dst = Path(folder) / name, there / name
            if dst.exists() and dst.stat().st_size == src.stat().st_size \
                    and int(dst.stat().st_mtime) == int(src.stat().st_mtime):
                continue
            slow_write(src, dst, prealloc=True, stall=stall if random.random() < 0.3 else 0)


def delete_and_copy(source: Path, target: Path, stall: float) -> None:
    """A script: «rmdir /s /q stories» then copy the folder anew from a slow share (the
    listing of the share takes a while before the first file lands)."""
    shutil.rmtree(target / "stories")
    time.sleep(stall * 3)
    (target / "stories").mkdir()
    for path in sorted((source / "stories").iterdir()):
        slow_write(path, target / "stories" / path.name, prealloc=False,
                   stall=stall if random.random() < 0.2 else 0)


def explorer_drop(source: Path, target: Path, stall: float) -> None:
    """Explorer's drag and drop of stories/ over the old one: files replaced one by one
    (emptied, then written); nothing deleted (Explorer does not mirror)."""
    for path in sorted((source / "stories").iterdir()):
        slow_write(path, target / "stories" / path.name, prealloc=False,
                   stall=stall if random.random() < 0.3 else 0)
    for extra in set(os.listdir(target / "stories")) - set(os.listdir(source / "stories")):
        (target / "stories" / extra).unlink()  # then staff delete the old ones by hand


def rsync(*options: str) -> Callable[[Path, Path, float], None]:
    def run(source: Path, target: Path, stall: float) -> None:
        subprocess.run(["rsync", "-a", "--delete", "--bwlimit=4", *options,
                        f"{source}/", f"{target}/"], check=True)
    run.__name__ = "rsync " + " ".join(options)
    return run


# -- the run ----------------------------------------------------------------------------------

def one(copy: Callable[[Path, Path, float], None], base: Path, before: Path, after: Path,
        args: argparse.Namespace) -> tuple[bool, str]:
    target = base / "kiosk-content"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(before, target)
    watch = Watch(target, args.settle, args.gone_settle, args.old)
    kept = story_ids(before) & story_ids(after)  # in both: must never leave the screen
    start_count = len(watch.ids())
    watch.thread.start()
    started = time.monotonic()
    copy(after, target, args.settle * 1.8)
    copied = time.monotonic()
    time.sleep(args.settle * 3 + args.gone_settle)  # everything settles
    watch.stop.set()
    watch.thread.join()
    lost = [(t - started, sorted(kept - ids)) for t, ids in watch.reads if not kept <= ids]
    fewest = min((len(ids) for _t, ids in watch.reads), default=start_count)
    final = watch.ids() == story_ids(after)
    ok = not lost and final
    name = getattr(copy, "__name__", str(copy))
    report = (f"{name:28} copy {copied - started:5.1f} s, {watch.looks:5d} looks, "
              f"{len(watch.reads):3d} reads, stories {start_count}→{len(watch.ids())} "
              f"(fewest shown {fewest}, end {len(story_ids(after))}); "
              f"reads that lost a story kept by the copy: {len(lost)}"
              + (f" first at {lost[0][0]:.2f} s: {lost[0][1][:3]}" if lost else "")
              + f"; end on screen: {final}; errors seen mid-copy: {dict(watch.errors)}")
    return ok, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", action="store_true")
    parser.add_argument("--settle", type=float, default=0.2)
    parser.add_argument("--gone-settle", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    random.seed(args.seed)
    if args.old:
        reload_module.being_copied = lambda name: False  # type: ignore[attr-defined]
    copies: list[Callable[[Path, Path, float], None]] = [
        robocopy_mir, delete_and_copy, explorer_drop]
    if shutil.which("rsync"):
        copies += [rsync(), rsync("--inplace"), rsync("--delay-updates"),
                   rsync("--delete-before", "--inplace")]
    else:
        print("rsync is not installed: its runs are left out")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        before, after = make_sources(base)
        for _round in range(args.rounds):
            for copy in copies:
                ok, report = one(copy, base, before, after, args)
                failed += not ok
                print(("ok   " if ok else "FAIL ") + report, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
