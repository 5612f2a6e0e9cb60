"""SHA-256 and BLAKE2b for the kiosk's keys and stamps, from Python's own implementations.

`hashlib` loads OpenSSL (libcrypto, ~3.4 MB of pages and ~0.6 MB of its own heap, ~2.5 ms
at start) for SHA-256 even though the kiosk's window process never speaks TLS. Python ships
its own SHA-256 (`_sha256` in 3.11, `_sha2` from 3.12) and BLAKE2 (`_blake2`, which
`hashlib.blake2b` is anyway): the same digests, byte for byte (tests/core/test_hashes.py
checks them against hashlib's), without OpenSSL. A Python built without them falls back to
hashlib. The index, the picture and clip caches and the crash fingerprints key on these
digests, so they must never change.

The PIN's scrypt needs OpenSSL: kiosk.core.pin imports hashlib when a PIN is checked or set.
The editor and `kiosk check` may use hashlib freely (tests/ui/test_no_openssl.py checks the
kiosk's window process only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import blake2b, sha256
else:
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # CPython 3.12 and later
        except ImportError:  # a Python built without its own: OpenSSL's
            from hashlib import sha256
    try:
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b

__all__ = ["blake2b", "sha256"]
