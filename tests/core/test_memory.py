"""The process's memory, from the kernel: whole PSS and the part the process allocated."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.core.service.memory import ProcessMemory, process_memory

ROLLUP = """00400000-7ffd4a5f6000 ---p 00000000 00:00 0                          [rollup]
Rss:              160000 kB
Pss:              150000 kB
Pss_Anon:          70000 kB
Pss_File:          72000 kB
Pss_Shmem:          8000 kB
Private_Dirty:     75000 kB
"""


def test_own_memory_leaves_out_the_shared_libraries(tmp_path: Path) -> None:
    (tmp_path / "smaps_rollup").write_text(ROLLUP)
    assert process_memory(tmp_path) == ProcessMemory(150_000, "PSS", 78_000)


def test_this_process_is_measured() -> None:
    memory = process_memory()
    assert memory is not None and memory.kind == "PSS"
    assert 5_000 < memory.total_kib < 2_000_000
    # A Python process's own heap is part of it, and less than the whole.
    assert memory.own_kib is not None and 1_000 < memory.own_kib < memory.total_kib


def test_older_kernels_give_what_they_have(tmp_path: Path) -> None:
    no_split = "\n".join(line for line in ROLLUP.splitlines() if "Pss_" not in line)
    (tmp_path / "smaps_rollup").write_text(no_split)
    assert process_memory(tmp_path) == ProcessMemory(150_000, "PSS", None)
    (tmp_path / "smaps_rollup").unlink()
    (tmp_path / "statm").write_text("50000 1280 300 10 0 900 0\n")  # resident: 1,280 pages
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    assert process_memory(tmp_path) == ProcessMemory(1280 * page_kib, "RSS", None)
    assert process_memory(tmp_path / "none") is None
