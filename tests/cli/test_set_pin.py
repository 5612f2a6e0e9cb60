"""`kiosk set-pin`: staff set the PIN on the kiosk's computer; only its hash is kept."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.core.pin import Outcome, PinStore


def set_pin(*args: str, stdin: str = "", env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "set-pin", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, cwd=cwd,
                          env={**os.environ, **(env or {})})


def test_set_pin_from_a_script(tmp_path: Path) -> None:
    result = set_pin("--state-dir", str(tmp_path / "state"), "--pin-stdin", stdin="482913\n")
    assert result.returncode == 0, result.stderr
    assert "ПИН-код сохранён" in result.stdout
    pin_file = tmp_path / "state" / "pin"
    assert "482913" not in pin_file.read_text()
    assert stat.S_IMODE(pin_file.stat().st_mode) == 0o600
    assert PinStore(tmp_path / "state").check("482913", 0) is Outcome.OK


def test_the_state_dir_comes_from_the_environment(tmp_path: Path) -> None:
    result = set_pin("--pin-stdin", stdin="1234\n", env={"KIOSK_STATE_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pin").exists()


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", ""])
def test_a_bad_pin_is_refused_and_explained(tmp_path: Path, pin: str) -> None:
    result = set_pin("--state-dir", str(tmp_path), "--pin-stdin", stdin=pin + "\n")
    assert result.returncode == 1
    assert "ПИН-код — от 4 до 8 цифр. ПИН-код не изменён." in result.stderr
    assert not (tmp_path / "pin").exists()


def test_asked_twice_and_both_must_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter(["2468", "2469", "2468", "2468"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["set-pin", "--state-dir", str(tmp_path)]) == 1
    assert "ПИН-коды не совпали" in capsys.readouterr().err
    assert not (tmp_path / "pin").exists()
    assert cli.main(["set-pin", "--state-dir", str(tmp_path)]) == 0
    assert PinStore(tmp_path).check("2468", 0) is Outcome.OK


def test_setting_a_pin_clears_a_lock(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1111")
    for _ in range(5):
        store.check("0000", 100)
    assert set_pin("--state-dir", str(tmp_path), "--pin-stdin", stdin="2222\n").returncode == 0
    assert PinStore(tmp_path).check("2222", 101) is Outcome.OK


def test_an_unwritable_state_dir_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = set_pin("--state-dir", str(blocker / "state"), "--pin-stdin", stdin="1234\n")
    assert result.returncode == 1
    assert "Не удалось записать" in result.stderr


def test_root_without_a_state_dir_is_refused_with_the_packages_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """IT runs it as root (the package's `kiosk` user has no shell): without a folder the PIN
    went to /root/.local/state/kiosk, «saved», and the kiosk in /var/lib/kiosk never saw it."""
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    package = tmp_path / "var-lib-kiosk"  # the package is installed: its folder is there
    package.mkdir()
    monkeypatch.setattr(cli, "PACKAGE_STATE_DIR", str(package))
    for name in ("KIOSK_STATE_DIR", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n"))
    assert cli.main(["set-pin", "--pin-stdin"]) == 2
    said = capsys.readouterr()
    assert "ПИН-код не изменён" in said.err and "сохранён" not in said.out
    assert f"\n    kiosk set-pin --state-dir {package}\n" in said.err
    assert str(tmp_path / ".local" / "state" / "kiosk") in said.err
    assert not list(tmp_path.rglob("pin"))
    # Named, by either way, it is written there.
    monkeypatch.setenv("KIOSK_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n"))
    assert cli.main(["set-pin", "--pin-stdin"]) == 0
    assert PinStore(tmp_path / "state").check("482913", 0) is Outcome.OK


@pytest.mark.parametrize("uid", [1000, 0])
def test_without_a_state_dir_the_usual_folder_where_no_package_is_installed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uid: int) -> None:
    """A user's own folder; and root's in a clone (README's «Try the staff editor» as root in
    a container: `kiosk run` as root reads root's own folder, and that is where it goes)."""
    monkeypatch.setattr(os, "geteuid", lambda: uid)
    monkeypatch.setattr(cli, "PACKAGE_STATE_DIR", str(tmp_path / "not-installed"))
    for name in ("KIOSK_STATE_DIR", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n"))
    assert cli.main(["set-pin", "--pin-stdin"]) == 0
    assert PinStore(tmp_path / ".local" / "state" / "kiosk").check("482913", 0) is Outcome.OK
