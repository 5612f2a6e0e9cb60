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


def test_a_run_is_marked_dirty_by_changed_code_not_by_its_own_record(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    import common

    repo = tmp_path / "repo"
    (repo / "bench").mkdir(parents=True)
    record = repo / "bench" / "record.jsonl"
    record.write_text("", encoding="utf-8")
    (repo / "code.py").write_text("x = 1\n", encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    for step in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "start"]):
        subprocess.run([*git, *step], check=True)
    monkeypatch.setattr(common, "REPO", repo.resolve())
    monkeypatch.setenv("KIOSK_BENCH_RECORD", str(record))
    monkeypatch.setattr(sys, "argv", ["bench/example.py"])

    def run() -> bool:
        report([Figure("tap", 2.0, "ms", 3.0)])
        dirty: bool = json.loads(record.read_text(encoding="utf-8").splitlines()[-1])["dirty"]
        return dirty

    assert run() is False
    assert run() is False  # the first line made the record differ from the commit
    (repo / "code.py").write_text("x = 2\n", encoding="utf-8")
    assert run() is True
