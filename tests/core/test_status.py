"""The status file: valid Prometheus text exposition, and never seen half-written."""

from __future__ import annotations

import errno
import os
import re
import threading
from pathlib import Path

import pytest

from kiosk.core.service.memory import ProcessMemory
from kiosk.core.service.status import Status, render, write_atomic

STATUS = Status(version="0.1.0", uptime_seconds=3600.25, content_release='2026-11-27 "b"\\x',
                content_fingerprint="148a94766c00", content_errors=2, content_warnings=5,
                memory=ProcessMemory(96_000, "PSS", 40_000), last_touch_timestamp=1795779208.6,
                restarts_total=4, crashes_total=1, safe_mode=True, log_write_errors_total=7)

# The text format's grammar (https://prometheus.io/docs/instrumenting/exposition_formats/).
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^(?P<name>{NAME})(?:\{{(?P<labels>{LABEL}(?:,{LABEL})*)\}})?"
                    r" (?P<value>[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|NaN|Inf))$")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse(text: str) -> dict[str, tuple[str, dict[str, float]]]:
    """Family name → (type, {labels text: value}); asserts every rule it checks."""
    assert text.endswith("\n")
    families: dict[str, tuple[str, dict[str, float]]] = {}
    helped: set[str] = set()
    current = ""
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name = line.split()[2]
            assert re.fullmatch(NAME, name) and name not in helped
            helped.add(name)
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            assert kind in TYPES and name not in families and name in helped
            families[name] = (kind, {})
            current = name
        else:
            match = SAMPLE.match(line)
            assert match, line
            assert match["name"] == current  # samples of a family follow its TYPE line
            labels = match["labels"] or ""
            assert labels not in families[current][1]  # no duplicate series
            families[current][1][labels] = float(match["value"])
    for name, (kind, _) in families.items():
        assert kind != "counter" or name.endswith("_total")
    return families


def test_the_file_parses_as_the_exposition_format() -> None:
    families = parse(render(STATUS))
    assert families["kiosk_up"] == ("gauge", {"": 1.0})
    assert abs(families["kiosk_uptime_seconds"][1][""] - 3600.25) <= 0.1
    assert families["kiosk_content_problems"][1] == {'severity="error"': 2,
                                                     'severity="warning"': 5}
    assert families["kiosk_restarts_total"] == ("counter", {"": 4})
    assert families["kiosk_safe_mode"][1][""] == 1
    assert families["kiosk_memory_bytes"][1][""] == 96_000 * 1024
    assert families["kiosk_memory_own_bytes"][1][""] == 40_000 * 1024
    assert families["kiosk_last_touch_timestamp_seconds"][1][""] == 1795779209
    assert families["kiosk_log_write_errors_total"][1][""] == 7
    (labels,) = families["kiosk_content_info"][1]
    # Quotes and backslashes in a folder name are escaped, so the line still parses.
    assert 'release="2026-11-27 \\"b\\"\\\\x"' in labels


def test_no_touch_and_unknown_memory() -> None:
    text = render(Status("0.1.0", 1.0, "content", "", 0, 0, None, None, 0, 0, False, up=False))
    families = parse(text)
    assert "kiosk_memory_bytes" not in families and "kiosk_memory_own_bytes" not in families
    assert families["kiosk_last_touch_timestamp_seconds"][1][""] == 0
    assert families["kiosk_up"][1][""] == 0


def test_readers_never_see_a_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.prom"
    small, big = render(STATUS), render(STATUS) * 200  # ~0.5 MB: many write() calls
    write_atomic(path, small)
    stop = threading.Event()
    seen: set[int] = set()

    def read() -> None:
        while not stop.is_set():
            seen.add(len(path.read_text(encoding="utf-8")))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(60):
            write_atomic(path, big if i % 2 else small)
    finally:
        stop.set()
        reader.join()
    assert seen <= {len(small), len(big)}
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.prom"]  # no temporary left over
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_a_failed_write_keeps_the_old_file(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kiosk.prom"
    write_atomic(path, "old\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.prom"]
