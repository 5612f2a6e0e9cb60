"""How `kiosk` ends, as the service and monitoring see it: a crash exits 70 (EX_SOFTWARE) with
its traceback logged at CRITICAL, every line of it at the journal's priority 2 under systemd;
what the kiosk survives (an exception in a Qt slot or a worker thread) is logged and does not
end it; `--log-level` and $KIOSK_LOG_LEVEL choose what is logged. Each in a real process, made
to fail by replacing one function before `kiosk.cli.main` runs (no hook in the program)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from kiosk.cli import build_parser
from kiosk.core.service.exit_codes import EXIT_CRASH
from tests.cli.test_cli import ENV
from tests.helpers import BUNDLED

BROKEN = textwrap.dedent("""
    import importlib, sys
    module, name = sys.argv[1].split(":")

    def broken(*args, **kwargs):
        raise RuntimeError("deliberately broken: " + name)

    setattr(importlib.import_module(module), name, broken)
    from kiosk.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def kiosk_with_broken(function: str, *args: str | Path, env: dict[str, str] | None = None,
                      stderr: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`kiosk *args` with `module:function` raising; stderr into a file if given, and then,
    if `env` says JOURNAL_STREAM=journal, as the journal's own stream."""
    env = {**ENV, **(env or {})}
    if stderr is None:
        return subprocess.run([sys.executable, "-c", BROKEN, function, *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=120)
    with open(stderr, "w") as stream:
        if env.get("JOURNAL_STREAM") == "journal":
            info = os.fstat(stream.fileno())
            env["JOURNAL_STREAM"] = f"{info.st_dev}:{info.st_ino}"
        return subprocess.run([sys.executable, "-c", BROKEN, function, *map(str, args)],
                              stdout=subprocess.PIPE, stderr=stream, text=True, env=env,
                              timeout=120)


def run_args(state: Path) -> list[str | Path]:
    return ["run", "--content", BUNDLED, "--windowed", "--size", "1080x1920", "--state-dir",
            state]


def test_a_crash_at_start_up_exits_70_with_its_traceback_in_the_log(tmp_path: Path) -> None:
    result = kiosk_with_broken("kiosk.ui.app:create_application", *run_args(tmp_path))
    assert result.returncode == EXIT_CRASH == 70, result.stderr
    log_file = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    for text in (result.stderr, log_file):
        assert re.search(r" CRITICAL kiosk\.cli: kiosk run crashed \(a fault of the program, "
                         r"not of the content\): exit status 70\nTraceback ", text), text
        assert "\nRuntimeError: deliberately broken: create_application\n" in text
    assert "the kiosk continues" not in result.stderr
    # Not a clean exit: the crash guard counts it at the next start (safe mode after a few).
    assert '"state": "running"' in (tmp_path / "starts.json").read_text()


def test_a_crash_in_the_event_loop_reaches_the_journal_at_priority_2(tmp_path: Path) -> None:
    stderr = tmp_path / "stderr"
    result = kiosk_with_broken("kiosk.ui.app:_load", *run_args(tmp_path / "state"),
                               env={"JOURNAL_STREAM": "journal"}, stderr=stderr)
    assert result.returncode == 70
    lines = stderr.read_text(encoding="utf-8").splitlines()
    start = lines.index("<2>CRITICAL kiosk.cli: kiosk run crashed (a fault of the program, "
                        "not of the content): exit status 70")
    end = lines.index("<2>RuntimeError: deliberately broken: _load")
    assert lines[start + 1] == "<2>Traceback (most recent call last):"
    assert all(line.startswith("<2>") for line in lines[start:end]), lines[start:end]
    assert any(re.search(r"^<2>  File .*app\.py.*in start_kiosk$", line) for line in lines)
    assert f"<6>INFO kiosk.ui.service.operations: state folder {tmp_path / 'state'}" in lines
    # The files keep their own format.
    log_file = (tmp_path / "state" / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert re.search(r"^\d{4}-\d\d-\d\d [\d:,]+ CRITICAL kiosk\.cli: kiosk run crashed", log_file,
                     re.MULTILINE)
    assert not re.search(r"^<\d>", log_file, re.MULTILINE)


# What is logged before the state folder is known (the variable) goes to stderr only. (The
# staff PIN's warning comes with its store, after the first frame: not in a start that fails.)
@pytest.mark.parametrize(("variable", "option", "shown", "hidden"), [
    ("warning", None, [], [" INFO ", "no staff PIN is set"]),
    ("debug", "error", [], [" INFO ", " WARNING "]),
    ("loud", None, ["WARNING kiosk.cli: KIOSK_LOG_LEVEL='loud' is not one of debug, info, "
                    "warning, error: logging at info",
                    "INFO kiosk.ui.service.operations: state folder"],
     [" DEBUG "]),
])
def test_the_log_level_applies_to_stderr_and_the_file(
        tmp_path: Path, variable: str, option: str | None, shown: list[str],
        hidden: list[str]) -> None:
    args = [*run_args(tmp_path), *(("--log-level", option) if option else ())]
    result = kiosk_with_broken("kiosk.ui.app:create_application", *args,
                               env={"KIOSK_LOG_LEVEL": variable})
    assert result.returncode == 70
    log_file = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    for text in (result.stderr, log_file):
        assert "CRITICAL kiosk.cli: kiosk run crashed" in text
        for line in hidden:
            assert line not in text, text
    for line in shown:
        assert line in result.stderr
    assert ("state folder" in log_file) == any("state folder" in line for line in shown)


@pytest.mark.parametrize(("function", "command", "said"), [
    ("kiosk.core.content.loader:load_content", ["check", BUNDLED],
     "Сбой программы: это не ошибка в материалах."),
    ("kiosk.core.content.loader:load_content",
     ["check", BUNDLED, "--lang", "en", "--format", "json"],
     "The program failed: this is not a mistake in the content."),
    ("kiosk.ui.preview:preview", ["preview", BUNDLED, "--out", "OUT"],
     "Сбой программы: это не ошибка в материалах."),
])
def test_check_and_preview_failing_exit_70_not_1(tmp_path: Path, function: str,
                                                  command: list[str | Path], said: str) -> None:
    args = [tmp_path / "out" if part == "OUT" else part for part in command]
    result = kiosk_with_broken(function, *args)
    assert result.returncode == 70, result.stderr
    assert f"CRITICAL kiosk.cli: kiosk {command[0]} crashed" in result.stderr
    assert result.stderr.splitlines()[-1].startswith(said)  # after the traceback
    assert result.stdout == ""  # nothing a pipeline could take for a verdict


SURVIVED = textwrap.dedent("""
    import sys, threading
    from PySide6.QtCore import QTimer
    import kiosk.ui.app as app

    def slot():
        raise RuntimeError("a slot's fault")

    def worker():
        raise RuntimeError("a worker's fault")

    logged = app.log_problems

    def log_problems(*args, **kwargs):  # once the content is on screen
        logged(*args, **kwargs)
        QTimer.singleShot(0, slot)
        threading.Thread(target=worker, name="worker-1").start()

    app.log_problems = log_problems
    from kiosk.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_fault_in_a_slot_or_a_thread_is_logged_and_the_kiosk_goes_on(tmp_path: Path) -> None:
    awaited = {"ERROR kiosk.ui.app: unhandled exception (the kiosk continues)",
               "ERROR kiosk.ui.app: unhandled exception in thread worker-1 (the kiosk continues)",
               "INFO kiosk.ui.app: showing"}
    seen: list[str] = []
    with subprocess.Popen([sys.executable, "-c", SURVIVED, *map(str, run_args(tmp_path))],
                          stderr=subprocess.PIPE, text=True, env=ENV) as process:
        # Should a line never come, the kiosk is ended and its stderr ends with it.
        deadline = threading.Timer(60, process.kill)
        deadline.start()
        try:
            assert process.stderr is not None
            for line in process.stderr:
                seen.append(line)
                awaited = {text for text in awaited if text not in line}
                if not awaited:
                    break
            process.send_signal(signal.SIGTERM)
            seen.append(process.stderr.read())
            status = process.wait(timeout=30)
        finally:
            deadline.cancel()
            process.kill()
    text = "".join(seen)
    assert not awaited, text
    assert status == 0, text
    assert "RuntimeError: a slot's fault" in text and "RuntimeError: a worker's fault" in text
    assert "Exception in thread" not in text  # Python's own print, which bypasses the log
    assert "CRITICAL" not in text


def test_every_command_takes_a_log_level() -> None:
    parser = build_parser()
    for command in (["run"], ["check"], ["preview", "--out", "x"], ["stats"], ["set-pin"]):
        assert parser.parse_args([*command, "--log-level", "debug"]).log_level == "debug"
        assert parser.parse_args(command).log_level is None
