"""The staff PIN: kept only as a salted scrypt hash, with a lockout after five wrong tries.

Files in the state directory (both written atomically, readable by the kiosk's user only):
- `pin`: one line, `scrypt$N$r$p$salt$hash` (salt and hash in base64);
- `pin-tries`: `failures locked_until` (wall-clock seconds since the epoch), so a restart does
  not give a guesser five fresh tries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from kiosk.core.paths import pin_file

log = logging.getLogger(__name__)

# scrypt's cost: about 16 MB and ~40 ms a try here; a stolen file costs a guesser as much per
# PIN, and the pad's lockout limits guessing at the screen.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
HASH_BYTES = 32
SALT_BYTES = 16
MIN_DIGITS = 4
MAX_DIGITS = 8
MAX_TRIES = 5
LOCK_SECONDS = 300.0


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R,
             p: int = SCRYPT_P) -> str:
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES,
                            maxmem=256 * n * r * p)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


class PinFileError(ValueError):
    """The pin file is not something this kiosk wrote."""


def verify(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.strip().split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        n_, r_, p_ = int(n), int(r), int(p)
        if not (2 <= n_ <= 2**20 and 1 <= r_ <= 32 and 1 <= p_ <= 16):
            raise ValueError("cost out of range")
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt, validate=True),
                                n=n_, r=r_, p=p_, dklen=len(expected), maxmem=256 * n_ * r_ * p_)
    except ValueError as error:  # binascii.Error is a ValueError too
        raise PinFileError(str(error)) from None
    return hmac.compare_digest(actual, expected)


def write_private(path: Path, text: str) -> None:
    """Write to a temporary file beside `path` (mode 0600), then rename: a power cut leaves
    the old file or the new one, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class Lockout:
    """Wrong tries and the lock they lead to. Times are wall-clock seconds (they must mean
    the same after a restart); a clock set back never makes a lock longer than five minutes."""

    failures: int = 0
    locked_until: float = 0.0

    def seconds_left(self, now: float) -> float:
        left = self.locked_until - now
        if left > LOCK_SECONDS:  # the clock went back: five minutes from now at most
            self.locked_until = now + LOCK_SECONDS
            left = LOCK_SECONDS
        return max(0.0, left)

    def failed(self, now: float) -> bool:
        """One more wrong PIN; True when it locks the pad."""
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.locked_until = now + LOCK_SECONDS
            return True
        return False

    def succeeded(self) -> None:
        self.failures = 0
        self.locked_until = 0.0

    def dump(self) -> str:
        return f"{self.failures} {self.locked_until:.0f}\n"

    @classmethod
    def parse(cls, text: str) -> Lockout:
        try:
            failures, until = text.split()
            return cls(max(0, min(MAX_TRIES, int(failures))), float(until))
        except ValueError:
            return cls()


class Outcome(Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"  # too many wrong tries: wait (this try was not even checked)
    NOT_SET = "not_set"  # nobody ran `kiosk set-pin`: nobody gets in


class PinStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.pin_file = pin_file(directory)
        self.tries_file = directory / "pin-tries"
        self._tries_stamp: tuple[int, int] | None = None
        self.lockout = self._read_lockout()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            info = self.tries_file.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _read_lockout(self) -> Lockout:
        self._tries_stamp = self._stamp()
        try:
            return Lockout.parse(self.tries_file.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError):
            return Lockout()

    def _refresh(self) -> None:
        """`kiosk set-pin` run beside the kiosk clears the lock: notice its new tries file.
        An unchanged (or unwritable) file keeps what is counted in memory."""
        if self._stamp() != self._tries_stamp:
            self.lockout = self._read_lockout()

    def _save_lockout(self) -> None:
        try:
            write_private(self.tries_file, self.lockout.dump())
            self._tries_stamp = self._stamp()
        except OSError as error:  # a read-only or full disk: the lock still holds until exit
            log.warning("cannot record PIN tries in %s: %s", self.tries_file, error)

    def stored(self) -> str | None:
        try:
            text = self.pin_file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text or None

    def is_set(self) -> bool:
        return self.stored() is not None

    def set_pin(self, pin: str) -> None:
        if not valid_pin(pin):
            raise ValueError(f"a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits")
        write_private(self.pin_file, hash_pin(pin) + "\n")
        self.lockout = Lockout()
        self._save_lockout()

    def seconds_locked(self, now: float) -> float:
        self._refresh()
        return self.lockout.seconds_left(now)

    def check(self, pin: str, now: float) -> Outcome:
        """One try at the pad, at wall-clock time `now`."""
        stored = self.stored()
        if stored is None:
            return Outcome.NOT_SET
        if self.seconds_locked(now) > 0:
            return Outcome.LOCKED
        try:
            right = valid_pin(pin) and verify(pin, stored)
        except PinFileError as error:
            log.error("the PIN file %s is damaged (%s): set the PIN again with "
                      "`kiosk set-pin`", self.pin_file, error)
            return Outcome.NOT_SET
        if right:
            if self.lockout.failures:
                self.lockout.succeeded()
                self._save_lockout()
            return Outcome.OK
        locked = self.lockout.failed(now)
        self._save_lockout()
        if locked:
            log.warning("staff PIN pad locked for %d minutes after %d wrong tries",
                        LOCK_SECONDS // 60, MAX_TRIES)
        return Outcome.WRONG
