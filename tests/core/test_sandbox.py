"""The parse sandbox stops what a hostile file can make a parser do, and the kiosk goes on."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.content.loader import ContentLoader, load_content
from kiosk.core.content.reload import keep_last_good
from kiosk.core.content.sandbox import ParseRunaway, ParseSandbox
from tests import sandbox_targets as targets
from tests.helpers import make_folder, story

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[ParseSandbox]:
    # The child imports the misbehaving functions from tests/.
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    box = ParseSandbox(time_limit=1.0, memory_limit=512 * 1024 * 1024, idle_exit=30.0)
    yield box
    box.close()


def test_an_answer_comes_back_from_the_child(sandbox: ParseSandbox) -> None:
    assert sandbox.call(targets.echo, {"title": "Ёлка"}) == {"title": "Ёлка"}
    assert sandbox.call(targets.echo, 2) == 2
    assert sandbox.started == 1  # one child serves one request after another


def test_a_parse_that_never_ends_is_stopped_at_the_time_limit(sandbox: ParseSandbox) -> None:
    started = time.monotonic()
    with pytest.raises(ParseRunaway) as stopped:
        sandbox.call(targets.spin)
    assert stopped.value.reason == "time"
    assert time.monotonic() - started < 10  # the limit is 1 s; generous for a busy machine
    # … and the next file is read as usual, by a new child.
    assert sandbox.call(targets.echo, "дальше") == "дальше"
    assert sandbox.started == 2


def test_a_fifo_that_blocks_the_reader_is_stopped(sandbox: ParseSandbox,
                                                  tmp_path: Path) -> None:
    fifo = tmp_path / "story.md"
    os.mkfifo(fifo)
    with pytest.raises(ParseRunaway) as stopped:
        sandbox.call(targets.read_fifo, str(fifo))
    assert stopped.value.reason == "time"


def test_a_parse_that_eats_memory_is_stopped_at_the_limit(sandbox: ParseSandbox) -> None:
    with pytest.raises(ParseRunaway) as stopped:
        sandbox.call(targets.eat_memory)
    assert stopped.value.reason == "memory"
    assert sandbox.call(targets.echo, 1) == 1


def test_a_child_that_dies_is_reported_and_replaced(sandbox: ParseSandbox) -> None:
    with pytest.raises(ParseRunaway) as stopped:
        sandbox.call(targets.die)
    assert stopped.value.reason == "crash"
    assert sandbox.call(targets.echo, 1) == 1


def test_an_answer_too_large_to_take_is_refused(sandbox: ParseSandbox) -> None:
    with pytest.raises(ParseRunaway) as stopped:
        sandbox.call(targets.huge_answer)
    assert stopped.value.reason == "memory"


def test_an_error_in_the_parser_comes_back_as_an_error(sandbox: ParseSandbox) -> None:
    with pytest.raises(RuntimeError, match="ValueError: not a story"):
        sandbox.call(targets.fail)
    assert sandbox.started == 1  # a plain error needs no new child


def test_other_threads_run_while_a_parse_runs_away(sandbox: ParseSandbox) -> None:
    """The point of the child: the UI thread and the watchdog's pings go on meanwhile (a
    parser in a thread of this process would hold the GIL)."""
    waiting = threading.Event()
    done = threading.Event()

    def read() -> None:
        waiting.set()
        with pytest.raises(ParseRunaway):
            sandbox.call(targets.spin)
        done.set()

    reader = threading.Thread(target=read)
    reader.start()
    assert waiting.wait(5)
    ticks = 0
    while not done.is_set():  # "the UI thread": it keeps getting the interpreter
        ticks += 1
    reader.join()
    assert ticks > 1000


def test_an_idle_child_ends_by_itself_and_a_new_one_answers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    box = ParseSandbox(time_limit=5.0, idle_exit=0.2)
    try:
        assert box.call(targets.echo, 1) == 1
        child = box._child
        assert child is not None
        assert child.wait(timeout=10) == 0  # no second process while the kiosk only cycles
        assert box.call(targets.echo, 2) == 2
        assert box.started == 2
    finally:
        box.close()


def test_a_slow_start_of_the_child_is_not_counted_against_the_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On a busy machine the child's imports may take longer than a file's limit: the file
    is not to blame, and is read."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    box = ParseSandbox(time_limit=1.0, preload=("tests.slow_import",))
    try:
        assert box.call(targets.echo, "read") == "read"
    finally:
        box.close()


class _OneFileRunsAway(ParseSandbox):
    """Reads as the kiosk does, except that one file's parse runs past the time limit."""

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        if str(args[-1]).endswith("slow.md"):
            self.stopped += 1
            raise ParseRunaway("time", self.time_limit)
        return super().call(function, *args)


def test_a_file_that_runs_away_is_named_and_its_last_good_version_stays(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"slow.md": story("Прежняя"),
                                                "quick.md": story("Быстрая")})
    before = load_content(root)
    (root / "stories" / "slow.md").write_text(story("Новая"), encoding="utf-8")
    (root / "stories" / "quick.md").write_text(story("Тоже новая"), encoding="utf-8")
    box = _OneFileRunsAway(time_limit=5.0)
    try:
        read = ContentLoader(root, sandbox=box).load()
    finally:
        box.close()
    stopped = [p for p in read.problems if p.code == "parse_too_slow"]
    assert [Path(p.path).name for p in stopped] == ["slow.md"]
    assert "5 с" in stopped[0].message("ru")
    merged = keep_last_good(before, read)
    assert sorted(s.title.ru for s in merged.stories) == ["Прежняя", "Тоже новая"]


def test_a_limit_the_system_refuses_does_not_stop_the_child(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Under a seccomp filter or in a container setrlimit may fail: files are still read
    (the parent's deadline still holds), and the refusal is said on stderr."""
    import resource

    from kiosk.core.content import sandbox

    def refuse(*args: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(resource, "setrlimit", refuse)
    monkeypatch.setattr(os, "nice", refuse)
    sandbox._limit_self(512 * 1024 * 1024)
    assert capsys.readouterr().err.count("a limit was not set") == 3
