"""asyncio for the kiosk's window process, without TLS.

asyncio imports `ssl` for its TLS transports, and `ssl` loads OpenSSL: libssl and libcrypto
(~4 MB of pages), its Python module and OpenSSL's heap (~1 MB), 3–5 ms of CPU. The window
process never speaks TLS from Python: the queue display asks its server through QtNetwork
(which loads OpenSSL itself, and only for an https address), the editor is a process of its
own. asyncio is written for a Python without `ssl` (base_events, selector_events and sslproto
set `ssl = None` when the import fails): imported inside `ssl_missing()` it is that asyncio,
and TLS asked of it fails with "stdlib ssl module not available".
tests/ui/test_no_openssl.py checks that no OpenSSL is mapped while the kiosk cycles.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def ssl_missing() -> Iterator[None]:
    """Within it, `import ssl` fails as on a Python built without it (a None in sys.modules
    is how Python marks a module that is not to be imported); after it, `ssl` imports as
    usual, for whatever needs it later. Nothing changes where `ssl` is already loaded."""
    if "ssl" in sys.modules:
        yield
        return
    sys.modules["ssl"] = None  # type: ignore[assignment]  # the import raises ImportError
    try:
        yield
    finally:
        if "ssl" in sys.modules and sys.modules["ssl"] is None:
            del sys.modules["ssl"]
