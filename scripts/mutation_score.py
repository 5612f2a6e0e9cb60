"""The mutation score of each kiosk.core module from mutmut's last run, as the table in
docs/testing.md: `python scripts/mutation_score.py [module …]` (all modules mutmut has results
for when none is named). Reads `mutmut results --all true`, run in the current folder.

A mutant counts as killed when a test failed on it. "Timeout" is counted apart: a mutant that
made the code hang, or one whose worker failed to start its tests (mutmut reports both as
exit 255; docs/testing.md). "Not checked" mutants (a run stopped early) are left out.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {"killed", "caught by type check"}


def statuses() -> dict[str, Counter[str]]:
    mutmut = Path(sys.executable).with_name("mutmut")
    output = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True,
                            text=True, check=True).stdout
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in output.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name.startswith("kiosk."):
            by_module[name.rsplit(".", 1)[0]][status] += 1
    return by_module


def main(modules: list[str]) -> int:
    found = statuses()
    names = [f"kiosk.core.{m}" for m in modules] if modules else sorted(found)
    print("| module | killed / total | score | survived | timeout | no tests | not checked |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in names:
        counts = found.get(name, Counter())
        total = sum(counts.values()) - counts["not checked"]
        killed = sum(counts[s] for s in KILLED)
        score = f"{100 * killed / total:.0f} %" if total else "–"
        print(f"| {name.removeprefix('kiosk.core.')} | {killed} / {total} | {score} "
              f"| {counts['survived']} | {counts['timeout']} | {counts['no tests']} "
              f"| {counts['not checked']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
