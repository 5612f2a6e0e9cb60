"""`kiosk check` and `kiosk preview` with the settings files of this computer: they read them
over the content's kiosk.yaml, say where each value came from and report their mistakes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import make_folder, story


def kiosk(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    for name in [name for name, value in env.items() if value == "<unset>"]:
        del environ[name]
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, args)], capture_output=True,
                          text=True, env=environ, timeout=120)


def content(tmp_path: Path) -> Path:
    return make_folder(tmp_path / "content", stories={"a.md": story()}, settings=(
        "centre_name: Мои Документы\n"
        "queue:\n  source: http://head-office.example/calls.json\n  poll_seconds: 5\n"))


MACHINE = ("# this computer\n"
           "queue:\n  source: http://10.0.0.5/calls.json\n"
           "opening_hours: 08:00-20:00\n"
           "idle_seconds: долго\n"
           "tags:\n  дети: kids\n")


def test_check_says_which_settings_came_from_this_computer(tmp_path: Path) -> None:
    root = content(tmp_path)
    machine = tmp_path / "etc" / "kiosk.yaml"
    machine.parent.mkdir()
    machine.write_text(MACHINE, encoding="utf-8")
    result = kiosk("check", root, "--settings", machine)
    out = result.stdout
    assert result.returncode == 1, out  # idle_seconds: долго is an error
    assert (f"Настройки этого компьютера: queue, opening_hours — из {machine}") in out
    assert (f"{machine}:5: ошибка: «idle_seconds»: ожидается число, а указано «долго»; "
            "используется 90") in out
    assert f"{machine}:6: предупреждение: «tags» — настройка материалов" in out
    english = kiosk("check", root, "--settings", machine, "--lang", "en").stdout
    assert f"This computer's settings: queue, opening_hours — from {machine}" in english

    report = json.loads(kiosk("check", root, "--settings", machine, "--format", "json").stdout)
    assert report["origins"] == {"centre_name": str(root / "kiosk.yaml"),
                                 "queue": str(machine), "opening_hours": str(machine)}
    assert report["settings_files"] == [
        {"path": str(machine), "state": "read", "keys": ["queue", "opening_hours"]}]
    assert [(p["path"], p["line"], p["code"]) for p in report["problems"]] == [
        (str(machine), 5, "wrong_type"), (str(machine), 6, "content_only_key")]


def test_check_reads_the_machine_and_user_files_the_environment_names(tmp_path: Path) -> None:
    root = content(tmp_path)
    machine = tmp_path / "machine.yaml"
    machine.write_text("centre_name: Марьино\nidle_seconds: 60\n", encoding="utf-8")
    config = tmp_path / "config"
    (config / "kiosk").mkdir(parents=True)
    (config / "kiosk" / "kiosk.yaml").write_text("idle_seconds: 45\n", encoding="utf-8")
    report = json.loads(kiosk("check", root, "--format", "json",
                              KIOSK_MACHINE_SETTINGS=str(machine),
                              KIOSK_USER_SETTINGS="<unset>",
                              XDG_CONFIG_HOME=str(config)).stdout)
    user = str(config / "kiosk" / "kiosk.yaml")
    assert report["origins"]["centre_name"] == str(machine)
    assert report["origins"]["idle_seconds"] == user  # the user's file is read last
    assert [f["path"] for f in report["settings_files"]] == [str(machine), user]
    assert report["errors"] == 0


def test_check_without_files_of_this_computer_says_nothing_of_them(tmp_path: Path) -> None:
    root = content(tmp_path)
    result = kiosk("check", root)  # tests/conftest.py: no machine or user file
    assert result.returncode == 0, result.stdout
    assert "Настройки этого компьютера" not in result.stdout
    report = json.loads(kiosk("check", root, "--format", "json").stdout)
    assert report["settings_files"] == []
    assert report["origins"]["queue"] == str(root / "kiosk.yaml")


def test_a_named_file_that_is_missing_or_broken_is_reported(tmp_path: Path) -> None:
    root = content(tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("queue:\n  source: [http://10.0.0.5\n", encoding="utf-8")
    missing = tmp_path / "typo.yaml"
    result = kiosk("check", root, "--settings", broken, "--settings", missing)
    assert result.returncode == 1
    assert f"{broken}:3: ошибка: разметка YAML нарушена" in result.stdout
    assert f"{missing}: предупреждение: файла настроек этого компьютера нет" in result.stdout
    assert (f"Настройки этого компьютера: {broken} не прочитан, в нём ошибка; действуют "
            "настройки из kiosk.yaml материалов") in result.stdout


def test_preview_uses_this_computers_opening_hours(tmp_path: Path) -> None:
    root = content(tmp_path)
    hours = tmp_path / "hours.yaml"
    hours.write_text("opening_hours: 08:00-20:00\n", encoding="utf-8")
    out = tmp_path / "out"
    result = kiosk("preview", root, "--out", out, "--size", "1280x720",
                   "--at", "2026-08-22 03:00", "--settings", hours)
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Экран выключен — центр закрыт" in page


def test_run_reads_this_computers_settings(tmp_path: Path) -> None:
    root = content(tmp_path)
    machine = tmp_path / "kiosk.yaml"
    machine.write_text("centre_name: Марьино\n", encoding="utf-8")
    environ = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--content", str(root), "--windowed",
             "--size", "1280x720", "--state-dir", str(tmp_path / "state"),
             "--settings", str(machine)], stderr=subprocess.PIPE, text=True,
            env=environ) as process:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:  # up to the line written once the content is on screen
            lines.append(line)
            if "showing" in line:
                break
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert any(f"This computer's settings: centre_name — from {machine}" in line
               for line in lines), "".join(lines)
