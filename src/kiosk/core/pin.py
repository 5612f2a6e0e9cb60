"""The staff PIN: kept only as a salted scrypt hash, with a lock after five wrong tries that
grows longer each time (5 min, 15 min, 1 h, 4 h, then 24 h) until the right PIN is entered.

Files in the state directory (both written atomically, readable by the kiosk's user only):
- `pin`: one line, `scrypt$N$r$p$salt$hash` (salt and hash in base64);
- `pin-tries`: `failures locked_until locks` (wall-clock seconds since the epoch; locks in a
  row), so a restart gives a guesser neither fresh tries nor a shorter lock.

The tries are counted in memory first: a state folder that cannot be written never lifts or
shortens a lock (it would only be forgotten at a restart). Every try is logged, never the
digits, and counted for the status file (`counts`).
"""

from __future__ import annotations

import base64
import logging
import math
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
# The n-th lock in a row (no right PIN between them) lasts LOCK_STEPS[n-1]; every lock after
# the last step lasts as long. A guesser gets 25 tries in the first 5 h 20 min, then 5 a day:
# half of the 10,000 four-digit PINs take (5,000 - 25) / 5 = 995 days, 2.7 years; all of
# them 5.5 years (docs/staff.md). A colleague who mistypes is locked 5 minutes; a forgotten
# PIN is set again with `kiosk set-pin`, which also lifts the lock.
LOCK_STEPS = (300.0, 900.0, 3600.0, 4 * 3600.0, 24 * 3600.0)
LOCK_SECONDS = LOCK_STEPS[0]  # the first lock
MAX_LOCKS = 1_000_000  # a number read from the tries file is trusted up to this


def valid_pin(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_pin(pin: str, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R,
             p: int = SCRYPT_P) -> str:
    import hashlib  # OpenSSL's scrypt: loaded only when a PIN is set or checked (hashes.py)

    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES,
                            maxmem=256 * n * r * p)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


class PinFileError(ValueError):
    """The pin file is not something this kiosk wrote."""


def verify(pin: str, stored: str) -> bool:
    import hashlib  # OpenSSL's scrypt: loaded only when a PIN is set or checked (hashes.py)
    import hmac

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


def lock_seconds(locks: int) -> float:
    """How long the `locks`-th lock in a row lasts."""
    return LOCK_STEPS[min(max(locks, 1), len(LOCK_STEPS)) - 1]


def _duration(seconds: float) -> str:
    return f"{seconds / 3600:g} h" if seconds >= 3600 else f"{seconds / 60:g} min"


@dataclass
class Lockout:
    """Wrong tries and the lock they lead to. Times are wall-clock seconds (they must mean
    the same after a restart); a clock set back never makes a lock longer than it was set
    for."""

    failures: int = 0  # wrong tries since the last lock (or the right PIN)
    locked_until: float = 0.0
    locks: int = 0  # locks in a row since the right PIN: the next lock is longer

    def seconds_left(self, now: float) -> float:
        longest = lock_seconds(self.locks)
        left = self.locked_until - now
        if left > longest:  # the clock went back: the lock's own length from now at most
            self.locked_until = now + longest
            left = longest
        return max(0.0, left)

    def failed(self, now: float) -> bool:
        """One more wrong PIN; True when it locks the pad."""
        self.failures += 1
        if self.failures >= MAX_TRIES:
            self.failures = 0
            self.locks = min(self.locks + 1, MAX_LOCKS)
            self.locked_until = now + lock_seconds(self.locks)
            return True
        return False

    def succeeded(self) -> None:
        self.failures = 0
        self.locked_until = 0.0
        self.locks = 0

    def dump(self) -> str:
        return f"{self.failures} {self.locked_until:.0f} {self.locks}\n"

    @classmethod
    def parse(cls, text: str) -> Lockout | None:
        """The tries file's state; None when it is not one (damaged)."""
        try:
            fields = text.split()
            if len(fields) not in (2, 3):  # two: written before locks grew longer
                return None
            failures, until = int(fields[0]), float(fields[1])
            locks = int(fields[2]) if len(fields) == 3 else 0
        except ValueError:
            return None
        if not math.isfinite(until):
            return None
        return cls(max(0, min(MAX_TRIES, failures)), until, max(0, min(MAX_LOCKS, locks)))


@dataclass(frozen=True)
class PinCounts:
    """For the status file: tries at the pad since the kiosk started, and the lock now."""

    successes: int
    failures: int
    locks: int
    locked_seconds: float
    locks_in_a_row: int


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
        self.lockout = self._read_lockout() or Lockout()
        # Since this process started (the status file's counters).
        self.successes = 0
        self.failures = 0
        self.locks = 0

    def _stamp(self) -> tuple[int, int] | None:
        try:
            info = self.tries_file.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _read_lockout(self) -> Lockout | None:
        self._tries_stamp = self._stamp()
        try:
            return Lockout.parse(self.tries_file.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError):
            return None

    def _refresh(self) -> None:
        """`kiosk set-pin` run beside the kiosk clears the lock: notice its new tries file.
        A file that is unchanged, gone, unreadable or damaged keeps what is counted in
        memory: only a state that is really written replaces it."""
        if self._stamp() != self._tries_stamp:
            written = self._read_lockout()
            if written is not None:
                self.lockout = written

    def _save_lockout(self) -> None:
        try:
            write_private(self.tries_file, self.lockout.dump())
            self._tries_stamp = self._stamp()
        except OSError as error:  # a read-only or full disk: the lock holds in memory
            log.warning("cannot record PIN tries in %s: %s; the lock holds until the kiosk "
                        "restarts", self.tries_file, error)

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

    def counts(self, now: float) -> PinCounts:
        return PinCounts(self.successes, self.failures, self.locks,
                         self.seconds_locked(now), self.lockout.locks)

    def check(self, pin: str, now: float) -> Outcome:
        """One try at the pad, at wall-clock time `now`. Logged without the digits."""
        stored = self.stored()
        if stored is None:
            return Outcome.NOT_SET
        if self.seconds_locked(now) > 0:
            log.info("staff PIN try refused: the pad is locked")
            return Outcome.LOCKED
        try:
            right = valid_pin(pin) and verify(pin, stored)
        except PinFileError as error:
            log.error("the PIN file %s is damaged (%s): set the PIN again with "
                      "`kiosk set-pin`", self.pin_file, error)
            return Outcome.NOT_SET
        if right:
            self.successes += 1
            log.info("staff PIN right: the staff menu opens")
            if self.lockout.failures or self.lockout.locks:
                self.lockout.succeeded()
                self._save_lockout()
            return Outcome.OK
        self.failures += 1
        locked = self.lockout.failed(now)
        if locked:
            self.locks += 1
        self._save_lockout()
        if locked:
            locks = self.lockout.locks
            log.warning("staff PIN wrong %d times in a row: the pad is locked for %s "
                        "(lock %d in a row)", MAX_TRIES, _duration(lock_seconds(locks)), locks)
        else:
            log.warning("staff PIN wrong (%d of %d tries before the pad locks)",
                        self.lockout.failures, MAX_TRIES)
        return Outcome.WRONG
