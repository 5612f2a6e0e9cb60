"""How much memory a process uses, as the kernel reports it: for the staff diagnostics, the
fleet's status file and the benchmarks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessMemory:
    total_kib: int  # PSS (shared pages divided among their users), else RSS
    kind: str  # "PSS" or "RSS"
    # PSS less its file-backed part (libraries, fonts): what the process allocated itself,
    # which a leak raises. The file-backed part is shared with every program mapping the same
    # Qt libraries and moves by tens of MB when one starts or ends. None on kernels before 5.14.
    own_kib: int | None


def process_memory(proc: Path = Path("/proc/self")) -> ProcessMemory | None:
    """The memory of the process whose /proc folder is `proc`; None off Linux."""
    try:
        fields: dict[str, int] = {}
        for line in (proc / "smaps_rollup").read_text().splitlines()[1:]:
            name, _, rest = line.partition(":")
            fields[name] = int(rest.split()[0])
        own = fields["Pss"] - fields["Pss_File"] if "Pss_File" in fields else None
        return ProcessMemory(fields["Pss"], "PSS", own)
    except (OSError, ValueError, IndexError, KeyError):
        pass
    try:  # no smaps_rollup (before Linux 4.14, or hidden): resident pages
        resident_pages = int((proc / "statm").read_text().split()[1])
        return ProcessMemory(resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024, "RSS", None)
    except (OSError, ValueError, IndexError):
        return None
