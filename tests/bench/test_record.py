"""What `make bench` keeps in bench/record.jsonl: enough to tell a slower host from slower code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from common import Figure, report  # noqa: E402  (bench/ is not a package)


def test_each_run_records_its_figures_and_how_fast_the_host_was_then(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "record.jsonl"
    monkeypatch.setenv("KIOSK_BENCH_RECORD", str(record))
    monkeypatch.setattr(sys, "argv", ["bench/example.py"])
    assert report([Figure("tap", 2.0, "ms", 3.0, reference=1.0, ratio_budget=1.5)]) == 1

    printed = capsys.readouterr().out
    assert "tap 2 ms budget 3 ratio 2× reference 1 budget 1.5× OVER" in printed
    assert "# host: the canary took" in printed
    (line,) = record.read_text(encoding="utf-8").splitlines()
    entry = json.loads(line)
    assert entry["bench"] == "example"
    assert entry["figures"][0] | {"name": "tap", "value": 2.0, "ok": False, "ratio": 2.0} \
        == entry["figures"][0]
    canary = entry["machine"]["canary"]
    assert 0 < canary["best_ms"] <= canary["median_ms"]
    assert f"{canary['median_ms']:g} ms" in printed  # the same reading on screen as in the record
