"""What every benchmark prints: one line per figure,
`NAME VALUE UNIT budget BUDGET [ratio R× reference REF budget R×] ok|OVER`, and what it keeps:
with KIOSK_BENCH_RECORD set (`make bench` sets it to bench/record.jsonl), one JSON line per
benchmark run with the commit, the machine and every figure, so a regression shows as a step.

A figure can carry a reference measured in the same run (an empty PySide6 window, a plain numpy
fill): these machines are shared and noisy, and the ratio to something that slows down with
them is steadier than the absolute value. Where a ratio budget is set, the figure must meet it
as well as its absolute budget (which may be infinite when only the ratio is promised).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.service.memory import ProcessMemory, process_memory

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    budget: float
    reference: float | None = None  # the same-run reference, in the same unit as value
    ratio_budget: float | None = None  # the most value / reference may be

    @property
    def ratio(self) -> float | None:
        if self.reference is None or self.reference <= 0:
            return None
        return self.value / self.reference

    @property
    def ok(self) -> bool:
        if not self.value <= self.budget:  # NaN (not measured) is never ok
            return False
        if self.ratio_budget is None:
            return True
        ratio = self.ratio
        return ratio is not None and ratio <= self.ratio_budget

    def line(self) -> str:
        verdict = "ok" if self.ok else "OVER"
        text = f"{self.name} {_number(self.value, self.unit)} {self.unit} budget {self.budget:g}"
        if self.reference is not None:
            ratio = self.ratio
            shown = "n/a" if ratio is None else f"{ratio:.3g}×"
            text += f" ratio {shown} reference {_number(self.reference, self.unit)}"
            if self.ratio_budget is not None:
                text += f" budget {self.ratio_budget:g}×"
        return f"{text} {verdict}"

    def as_record(self) -> dict[str, object]:
        def plain(number: float | None) -> float | None:
            return None if number is None or number != number or number in (
                float("inf"), float("-inf")) else number

        return {"name": self.name, "value": plain(self.value), "unit": self.unit,
                "budget": plain(self.budget), "reference": plain(self.reference),
                "ratio": plain(self.ratio), "ratio_budget": plain(self.ratio_budget),
                "ok": self.ok}


def _number(value: float, unit: str) -> str:
    # Counts and figures from 1000 up whole (100000, 2490 s: not 1e+05, 2.49e+03); the rest
    # to three significant digits.
    whole = unit == "count" or abs(value) >= 1000
    return f"{value:.0f}" if whole else f"{value:.3g}"


def report(figures: list[Figure]) -> int:
    for figure in figures:
        print(figure.line(), flush=True)
    canary = host_speed()
    print(f"# host: the canary took {canary['median_ms']:g} ms (median of {CANARY_RUNS}), "
          f"{canary['best_ms']:g} at best", flush=True)
    _record(figures, canary)
    return 0 if all(f.ok for f in figures) else 1


def _record(figures: list[Figure], canary: dict[str, float]) -> None:
    """One JSON line in KIOSK_BENCH_RECORD for this run of this benchmark, if it is set."""
    target = os.environ.get("KIOSK_BENCH_RECORD")
    if not target:
        return
    entry = {
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "bench": Path(sys.argv[0]).stem,
        "commit": _git("rev-parse", "--short=12", "HEAD"),
        "dirty": _dirty(Path(target)),
        "machine": {**machine(), "canary": canary},
        "figures": [figure.as_record() for figure in figures],
    }
    with open(target, "a", encoding="utf-8") as record:
        record.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _dirty(record: Path) -> bool:
    """Whether tracked files differ from the commit, the record itself aside: each benchmark of
    a run appends to it, so from the run's second line on it always would."""
    paths = ["--", "."]
    resolved = record.resolve()
    if resolved.is_relative_to(REPO):  # (a record elsewhere changes nothing here)
        paths.append(f":(exclude){resolved.relative_to(REPO)}")
    return bool(_git("status", "--porcelain", "--untracked-files=no", *paths))


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


def machine() -> dict[str, object]:
    """What the figures depend on: host, CPU model and count, memory, load when measured."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        memory_kib = 0
    return {"host": platform.node(), "cpu": model, "cores": os.cpu_count(),
            "memory_gib": round(memory_kib / 2**20, 1),
            "load_1min": round(os.getloadavg()[0], 2), "python": platform.python_version()}


CANARY_RUNS = 7
CANARY_LOOP = 100_000  # ~5–10 ms of pure Python on these machines


def host_speed() -> dict[str, float]:
    """A fixed piece of pure Python, timed as the figures are recorded (ms: the median and
    the best of CANARY_RUNS). These hosts are shared: a neighbour on the same physical core
    slows every figure without raising the load average (6 December: the same commit and
    every same-run reference 1.5–2× slower for hours, the load 0.1). A step in the figures
    with a step in the canary is the host; without one, the code."""
    times = []
    for _ in range(CANARY_RUNS):
        started = time.perf_counter()
        total = 0
        for number in range(CANARY_LOOP):
            total += number * number
        times.append(time.perf_counter() - started)
    return {"median_ms": round(median(times) * 1000, 2),
            "best_ms": round(min(times) * 1000, 2)}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def offscreen_platform(width: int, height: int) -> str:
    """QT_QPA_PLATFORM value for an offscreen screen of this size."""
    config = Path(tempfile.gettempdir()) / f"kiosk-bench-screen-{width}x{height}.json"
    config.write_text(json.dumps({"windowFrameMargins": False, "screens": [
        {"name": "bench", "x": 0, "y": 0, "width": width, "height": height,
         "logicalDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


def _memory(pid: int) -> ProcessMemory:
    memory = process_memory(Path(f"/proc/{pid}"))
    if memory is None:
        raise RuntimeError(f"no memory figures for process {pid}")
    return memory


def pss_kib(pid: int) -> int:
    """The process's whole PSS, shared libraries counted as its share."""
    return _memory(pid).total_kib


def own_kib(pid: int) -> int:
    """What the process allocated itself (PSS less libraries and fonts: see ProcessMemory),
    which a leak raises. Whole PSS moves when another program mapping the same Qt libraries
    starts or ends: ±10 MB beside a test run, ~25 MB beside a second Qt program."""
    memory = _memory(pid)
    return memory.total_kib if memory.own_kib is None else memory.own_kib


def cpu_seconds(pid: int) -> float:
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")
