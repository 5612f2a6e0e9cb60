"""Writing small files so that a crash or power cut leaves the old version or the new one."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path


def write_atomic(path: Path, text: str | bytes, mode: int = 0o644,
                 durable: bool = True) -> None:
    """Readers see the old file or the new one, never a part. Raises OSError. Text is
    written as UTF-8.

    The temporary file is in the same folder (a rename is atomic only within one file system)
    and starts with a dot, so collectors that read `*.prom` or sync tools that skip dot files
    never take it; its name is the writing thread's own (two threads may write one file).
    `durable=False` skips the fsyncs: still atomic for readers and against a crash of the
    program, but a power cut may bring back the old version."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(tmp, mode)  # node_exporter usually runs as another user
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if not durable:
        return
    try:  # the rename itself reaches the disk only with the folder's entry
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError:
        pass
