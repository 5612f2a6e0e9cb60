from __future__ import annotations

import logging
import stat
import time
from pathlib import Path

import pytest

from kiosk.core.pin import (
    LOCK_SECONDS,
    LOCK_STEPS,
    MAX_TRIES,
    Lockout,
    Outcome,
    PinCounts,
    PinFileError,
    PinStore,
    hash_pin,
    valid_pin,
    verify,
)
from kiosk.core.service.status import Status, render


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
    """The staff wait for it after the last digit. CPU time: scrypt is all CPU, and the wall
    clock on a busy machine (a CI run beside a benchmark) measured the neighbours."""
    stored = hash_pin("1234")
    started = time.thread_time()
    assert verify("1234", stored)
    assert time.thread_time() - started < 0.15


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


# -- escalating locks, logging and counting, an unwritable state (issue 14) --------------------


def lock_five_times(store: PinStore, now: float) -> None:
    for _ in range(MAX_TRIES):
        assert store.check("0000", now) is Outcome.WRONG


def test_each_lock_in_a_row_is_longer_until_a_day() -> None:
    lockout = Lockout()
    now = 0.0
    lengths = []
    for _ in range(7):
        for _ in range(MAX_TRIES):
            lockout.failed(now)
        lengths.append(lockout.seconds_left(now))
        now = lockout.locked_until
    assert lengths == [300, 900, 3600, 4 * 3600, 24 * 3600, 24 * 3600, 24 * 3600]
    lockout.succeeded()  # the right PIN: a colleague's next slip is five minutes again
    for _ in range(MAX_TRIES):
        lockout.failed(now)
    assert lockout.seconds_left(now) == 300


def test_a_four_digit_pin_takes_years_to_guess() -> None:
    # A guesser who tries the moment each lock ends, for ever.
    lockout, now, tries = Lockout(), 0.0, 0
    while tries < 5_000:  # half of the 10,000 four-digit PINs: the average guess
        now += lockout.seconds_left(now)
        lockout.failed(now)
        tries += 1
    assert now / (365 * 86400) > 2.5
    assert LOCK_STEPS[-1] == 24 * 3600


def test_a_clock_set_back_never_lengthens_an_escalated_lock() -> None:
    lockout = Lockout(failures=0, locked_until=0.0, locks=2)
    for _ in range(MAX_TRIES):
        lockout.failed(10_000)
    assert lockout.seconds_left(10_000) == 3600
    assert lockout.seconds_left(10_000 - 5 * 86400) == 3600  # five days back: an hour still


def test_an_escalated_lock_survives_a_restart(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1234")
    now = 1000.0
    for _ in range(3):  # 5 min, 15 min, then an hour
        lock_five_times(store, now)
        now += store.seconds_locked(now)
    restarted = PinStore(tmp_path)
    assert restarted.check("1234", now - 1) is Outcome.LOCKED  # the hour still runs
    assert restarted.lockout.locks == 3
    lock_five_times(restarted, now)
    assert PinStore(tmp_path).seconds_locked(now) == 4 * 3600  # the fourth: four hours


def test_an_unwritable_state_folder_neither_lifts_nor_shortens_the_lock(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "pin").write_text(hash_pin("1234"))
    store = PinStore(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("")
    store.tries_file = blocker / "pin-tries"  # every write fails
    now = 1000.0
    for _ in range(3):
        lock_five_times(store, now)
        assert store.check("1234", now + 1) is Outcome.LOCKED
        now += store.seconds_locked(now)
    lock_five_times(store, now)
    assert store.seconds_locked(now) == 4 * 3600  # escalated in memory all along
    assert store.counts(now) == PinCounts(successes=0, failures=20, locks=4,
                                          locked_seconds=4 * 3600, locks_in_a_row=4)
    assert "cannot record PIN tries" in caplog.text


def test_a_damaged_or_vanished_tries_file_does_not_lift_a_running_lock(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1234")
    lock_five_times(store, 1000)
    (tmp_path / "pin-tries").write_text("garbage")
    assert store.check("1234", 1001) is Outcome.LOCKED
    (tmp_path / "pin-tries").unlink()
    assert store.check("1234", 1002) is Outcome.LOCKED
    assert store.seconds_locked(1002) == 298


def test_tries_are_logged_and_counted_without_the_digits(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, "kiosk.core.pin")
    store = PinStore(tmp_path)
    store.set_pin("482913")
    assert store.check("482913", 1000) is Outcome.OK
    assert store.check("777555", 1000) is Outcome.WRONG
    for _ in range(MAX_TRIES - 1):
        assert store.check("0000", 1001) is Outcome.WRONG
    assert store.check("482913", 1002) is Outcome.LOCKED
    counts = store.counts(1002)
    assert (counts.successes, counts.failures, counts.locks) == (1, 5, 1)
    assert counts.locked_seconds == 299 and counts.locks_in_a_row == 1
    messages = [r.getMessage() for r in caplog.records]
    assert any("staff PIN right" in m for m in messages)
    assert sum("staff PIN wrong" in m for m in messages) == 5
    assert any("locked for 5 min" in m for m in messages)
    for secret in ("482913", "777555", "0000"):
        assert secret not in caplog.text


def test_the_status_file_counts_the_tries(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1234")
    store.check("1234", 1000)
    lock_five_times(store, 1000)
    text = render(Status(version="1", uptime_seconds=1, content_release="r",
                         content_fingerprint="f", content_errors=0, content_warnings=0,
                         memory=None, last_touch_timestamp=None, restarts_total=0,
                         crashes_total=0, safe_mode=False, pin=store.counts(1060)))
    assert 'kiosk_pin_tries_total{result="right"} 1' in text
    assert 'kiosk_pin_tries_total{result="wrong"} 5' in text
    assert "kiosk_pin_locks_total 1" in text
    assert "kiosk_pin_locked_seconds 240" in text
    assert "kiosk_pin_locks_in_a_row 1" in text
