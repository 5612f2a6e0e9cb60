from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from kiosk.core.pin import (
    LOCK_SECONDS,
    Lockout,
    Outcome,
    PinFileError,
    PinStore,
    hash_pin,
    valid_pin,
    verify,
)


def test_the_pin_is_stored_only_as_a_salted_hash(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("2468")
    text = (tmp_path / "pin").read_text()
    assert "2468" not in text
    scheme, n, r, p, salt, _digest = text.strip().split("$")
    assert len(salt) >= 20
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert stat.S_IMODE((tmp_path / "pin").stat().st_mode) == 0o600
    again = PinStore(tmp_path)
    again.set_pin("2468")
    assert (tmp_path / "pin").read_text() != text  # a fresh salt every time
    assert not list(tmp_path.glob(".pin*"))  # no temporary file left behind


def test_right_and_wrong_pins(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("13579")
    assert store.check("13579", 1000) is Outcome.OK
    assert store.check("13578", 1000) is Outcome.WRONG
    assert store.check("", 1000) is Outcome.WRONG
    assert store.check("1357", 1000) is Outcome.WRONG


def test_verifying_takes_well_under_150_ms() -> None:
    stored = hash_pin("1234")
    started = time.perf_counter()
    assert verify("1234", stored)
    assert time.perf_counter() - started < 0.15


def test_no_pin_set_lets_nobody_in(tmp_path: Path) -> None:
    store = PinStore(tmp_path / "missing")
    assert not store.is_set()
    assert store.check("0000", 1000) is Outcome.NOT_SET


def test_a_damaged_pin_file_lets_nobody_in(tmp_path: Path) -> None:
    (tmp_path / "pin").write_text("scrypt$16384$8$1$not base64!$x\n")
    assert PinStore(tmp_path).check("1234", 0) is Outcome.NOT_SET
    with pytest.raises(PinFileError):
        verify("1234", "md5$whatever")


def test_valid_pins_are_four_to_eight_digits() -> None:
    assert [valid_pin(p) for p in ("123", "1234", "12345678", "123456789", "12a4", "١٢٣٤")] \
        == [False, True, True, False, False, False]


def test_five_wrong_tries_lock_for_five_minutes_even_the_right_pin(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1234")
    for _ in range(5):
        assert store.check("9999", 1000) is Outcome.WRONG
    assert store.seconds_locked(1000) == LOCK_SECONDS
    assert store.check("1234", 1000 + 299) is Outcome.LOCKED
    assert store.check("1234", 1000 + 300) is Outcome.OK


def test_the_lock_survives_a_restart(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1234")
    for _ in range(3):
        store.check("0000", 1000)
    restarted = PinStore(tmp_path)
    assert restarted.lockout.failures == 3
    restarted.check("0000", 1001)
    restarted.check("0000", 1002)  # the fifth wrong try overall
    assert PinStore(tmp_path).check("1234", 1100) is Outcome.LOCKED
    assert stat.S_IMODE((tmp_path / "pin-tries").stat().st_mode) == 0o600


def test_a_right_pin_forgets_the_wrong_tries(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1234")
    for _ in range(4):
        store.check("0000", 1000)
    assert store.check("1234", 1000) is Outcome.OK
    assert store.check("0000", 1000) is Outcome.WRONG
    assert store.seconds_locked(1000) == 0


def test_a_clock_set_back_never_lengthens_the_lock() -> None:
    lockout = Lockout()
    for _ in range(5):
        lockout.failed(10_000)
    assert lockout.seconds_left(10_000 - 3 * 3600) == LOCK_SECONDS  # three hours back
    assert lockout.seconds_left(10_000 - 3 * 3600 + LOCK_SECONDS) == 0


def test_a_damaged_tries_file_starts_from_no_tries(tmp_path: Path) -> None:
    (tmp_path / "pin-tries").write_text("garbage")
    assert PinStore(tmp_path).lockout == Lockout()
    assert Lockout.parse("99 5") == Lockout(5, 5.0)


def test_setting_the_pin_beside_a_running_kiosk_lifts_its_lock(tmp_path: Path) -> None:
    running = PinStore(tmp_path)
    running.set_pin("1234")
    for _ in range(5):
        running.check("0000", 1000)
    assert running.check("1234", 1001) is Outcome.LOCKED
    PinStore(tmp_path).set_pin("5678")  # `kiosk set-pin`, another process
    assert running.check("5678", 1002) is Outcome.OK


def test_an_unwritable_state_dir_still_locks(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    (tmp_path / "pin").write_text(hash_pin("1234"))
    store = PinStore(tmp_path)
    store.tries_file = blocker / "pin-tries"  # cannot be written
    for _ in range(5):
        assert store.check("0000", 1000) is Outcome.WRONG
    assert store.check("1234", 1001) is Outcome.LOCKED
