"""Settings of this computer over the content's kiosk.yaml (kiosk.core.machine): which files,
in which order, what each may set, and what a broken one does (nothing: the content's apply)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Problem
from kiosk.core.content.reload import keep_last_good
from kiosk.core.machine import (
    MACHINE_ENV,
    MACHINE_FILE,
    MAX_MACHINE_BYTES,
    USER_ENV,
    SettingsPath,
    files_stamp,
    settings_paths,
    with_machine_settings,
)
from kiosk.core.schedules.opening import ALL_DAY
from kiosk.core.settings import QueueSettings, Settings, SettingsFile
from tests.helpers import make_folder, story

CONTENT_SETTINGS = (
    "centre_name: Мои Документы\n"
    "idle_seconds: 120\n"
    "tags:\n  дети: children\n"
    "queue:\n  source: http://head-office.example/calls.json\n  poll_seconds: 5\n  sound: да\n"
    "opening_hours: 08:00-20:00\n"
)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_folder(tmp_path / "content", stories={"a.md": story()},
                       settings=CONTENT_SETTINGS)


def machine_file(tmp_path: Path, text: str, name: str = "etc-kiosk.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(root: Path, *files: Path) -> Content:
    return load_content(root, sandboxed=False, machine=tuple(SettingsPath(f) for f in files))


def codes(content: Content, path: Path) -> list[tuple[int | None, str]]:
    return [(p.line, p.code) for p in content.problems if p.path == str(path)]


# -- which files ----------------------------------------------------------------------------


def test_the_machine_file_then_the_users_and_the_variables_replace_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert settings_paths({}, home) == (
        SettingsPath(MACHINE_FILE, named=False),
        SettingsPath(home / ".config" / "kiosk" / "kiosk.yaml", named=False))
    assert settings_paths({"XDG_CONFIG_HOME": "/cfg"}, home)[1].path == \
        Path("/cfg/kiosk/kiosk.yaml")
    # The XDG rule: a relative XDG_CONFIG_HOME is ignored.
    assert settings_paths({"XDG_CONFIG_HOME": "cfg"}, home)[1].path == \
        home / ".config" / "kiosk" / "kiosk.yaml"
    assert settings_paths({MACHINE_ENV: "/a.yaml", USER_ENV: "/b.yaml"}, home) == (
        SettingsPath(Path("/a.yaml")), SettingsPath(Path("/b.yaml")))
    assert settings_paths({MACHINE_ENV: "", USER_ENV: ""}, home) == ()
    assert settings_paths({}, None) == (SettingsPath(MACHINE_FILE, named=False),)
    # --settings: exactly these, in order.
    assert settings_paths({MACHINE_ENV: "/a.yaml"}, home, [Path("/x"), Path("/y")]) == (
        SettingsPath(Path("/x")), SettingsPath(Path("/y")))


# -- the rule: a key of a later file replaces the whole value --------------------------------


def test_the_machine_files_queue_replaces_the_contents_whole(content: Path,
                                                               tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "queue:\n  source: http://10.0.0.5/calls.json\n")
    settings = load(content, machine).settings
    # Head office's poll_seconds and sound are not mixed into the centre's queue.
    assert settings.queue == QueueSettings(source="http://10.0.0.5/calls.json")
    assert settings.origins["queue"] == str(machine)
    assert settings.origins["centre_name"] == str(content / "kiosk.yaml")
    assert settings.centre_name == "Мои Документы"
    assert settings.files == (SettingsFile(str(machine), "read"),)
    assert settings.keys_from(str(machine)) == ("queue",)


def test_the_users_file_wins_over_the_machines(content: Path, tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "centre_name: Марьино\nidle_seconds: 60\n")
    user = machine_file(tmp_path, "idle_seconds: 45\n", "user.yaml")
    settings = load(content, machine, user).settings
    assert (settings.centre_name, settings.idle_seconds) == ("Марьино", 45)
    assert settings.origins["centre_name"] == str(machine)
    assert settings.origins["idle_seconds"] == str(user)


def test_opening_hours_are_replaced_not_merged(content: Path, tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "opening_hours:\n  пн-пт: 09:00-18:00\n  сб-вс: выходной\n")
    settings = load(content, machine).settings
    assert settings.opening_hours is not None
    assert settings.opening_hours[5] == settings.opening_hours[6] == ()  # not the content's
    assert settings.origins["opening_hours"] == str(machine)


# -- mistakes ---------------------------------------------------------------------------------


def test_a_bad_value_falls_back_to_the_contents_and_names_the_machine_file(
        content: Path, tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "# this computer\nidle_seconds: долго\nwarning_seconds: 500\n"
                                     "screan: portrait\n")
    loaded = load(content, machine)
    assert loaded.settings.idle_seconds == 120  # the content's, not the default 90
    assert loaded.settings.origins["idle_seconds"] == str(content / "kiosk.yaml")
    assert loaded.settings.warning_seconds == 120  # clamped: the machine file's, at its limit
    assert loaded.settings.origins["warning_seconds"] == str(machine)
    assert sorted(codes(loaded, machine)) == [(2, "wrong_type"), (3, "clamped"),
                                              (4, "unknown_key")]
    by_code = {p.code: p for p in loaded.problems}
    assert by_code["wrong_type"].message("ru").endswith("используется 120")
    assert "возможно, вы имели в виду «screen»" in by_code["unknown_key"].message("ru")


def test_a_broken_queue_block_turns_the_queue_off_not_back_to_head_offices(
        content: Path, tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "queue:\n  source: ftp://10.0.0.5/calls.json\n")
    loaded = load(content, machine)
    assert loaded.settings.queue is None
    assert loaded.settings.origins["queue"] == str(machine)
    assert codes(loaded, machine) == [(2, "queue_bad_scheme")]


def test_a_mistake_inside_a_block_is_read_as_in_kiosk_yaml_never_the_contents(
        content: Path, tmp_path: Path) -> None:
    # As docs/deploy.md («Настройки этого компьютера») and docs/content-format.md say.
    machine = machine_file(tmp_path, "queue:\n  source: http://10.0.0.5/calls.json\n"
                                     "  poll_seconds: abc\n"
                                     "opening_hours:\n  пн-пт: 09:00-18:00\n  сб-вс: 9 утра\n")
    loaded = load(content, machine)
    assert loaded.settings.queue == QueueSettings(source="http://10.0.0.5/calls.json")
    assert loaded.settings.queue.poll_seconds == 1  # the default, not head office's 5
    week = loaded.settings.opening.week
    assert week is not None and week[0] == ((dt.time(9), dt.time(18)),)
    assert week[5] == week[6] == ALL_DAY  # round the clock, not the content's 08:00-20:00
    assert loaded.settings.origins["queue"] == loaded.settings.origins["opening_hours"] \
        == str(machine)
    assert codes(loaded, machine) == [(3, "wrong_type"), (6, "bad_opening_hours")]


def test_a_queue_file_needs_its_full_path_in_a_machine_file(content: Path,
                                                             tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "queue:\n  format: json\n  source: .queue/calls.json\n")
    loaded = load(content, machine)
    assert loaded.settings.queue is None
    assert codes(loaded, machine) == [(3, "machine_queue_relative")]
    absolute = machine_file(tmp_path, "queue:\n  source: /srv/queue/calls.json\n", "abs.yaml")
    loaded = load(content, absolute)
    assert loaded.settings.queue == QueueSettings(source="/srv/queue/calls.json")
    # Not there yet: said of the file that names it.
    assert codes(loaded, absolute) == [(2, "queue_file_missing")]


def test_content_only_keys_are_ignored_with_a_warning(content: Path, tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "tags:\n  дети: kids\nslide_seconds: 30\n"
                                     "attract:\n  stories: 0\nidle_seconds: 60\n")
    loaded = load(content, machine)
    assert loaded.settings.tags == {"дети": "children"}
    assert loaded.settings.slide_seconds == 9.0
    assert loaded.settings.attract_stories == 6
    assert loaded.settings.idle_seconds == 60
    assert codes(loaded, machine) == [(1, "content_only_key"), (3, "content_only_key"),
                                      (4, "content_only_key")]
    assert "kiosk.yaml в папке с материалами" in loaded.problems[0].message("ru")
    assert loaded.settings.keys_from(str(machine)) == ("idle_seconds",)


@pytest.mark.parametrize(("text", "code"), [
    ("idle_seconds: 60\ncentre_name: Центр: Марьино\n", "yaml_syntax"),
    ("просто текст\n", "not_a_mapping"),
    ("a: &x [1]\nb: *x\n", "yaml_alias"),
])
def test_a_broken_machine_file_leaves_the_contents_settings(
        content: Path, tmp_path: Path, text: str, code: str) -> None:
    machine = machine_file(tmp_path, text)
    loaded = load(content, machine)
    assert loaded.settings.idle_seconds == 120
    assert loaded.settings.keys_from(str(machine)) == ()
    assert loaded.settings.files == (SettingsFile(str(machine), "broken"),)
    assert [c for _, c in codes(loaded, machine)] == [code]
    assert len(loaded.stories) == 1  # the kiosk goes on


def test_not_utf8_is_named_with_its_line(content: Path, tmp_path: Path) -> None:
    machine = tmp_path / "etc.yaml"
    machine.write_bytes("idle_seconds: 60\ncentre_name: Марьино\n".encode("cp1251"))
    loaded = load(content, machine)
    assert codes(loaded, machine) == [(2, "not_utf8")]
    assert loaded.settings.idle_seconds == 120


def test_a_huge_file_is_refused_unread(content: Path, tmp_path: Path) -> None:
    machine = tmp_path / "etc.yaml"
    machine.write_bytes(b"# " + b"x" * (4 * MAX_MACHINE_BYTES) + b"\nidle_seconds: 60\n")
    loaded = load(content, machine)
    assert codes(loaded, machine) == [(None, "machine_settings_too_large")]
    assert loaded.problems[0].args == {"size": "257", "most": "64"}
    assert loaded.settings.idle_seconds == 120


def test_a_fifo_a_folder_and_an_unreadable_path_are_refused_without_waiting(
        content: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    (tmp_path / "plain").write_text("")
    unreadable = tmp_path / "plain" / "kiosk.yaml"  # its «folder» is a file
    found: list[Content] = []
    reader = threading.Thread(target=lambda: found.append(load(content, fifo, folder,
                                                               unreadable)), daemon=True)
    reader.start()
    reader.join(10)
    assert found, "reading a FIFO blocked"
    loaded = found[0]
    assert codes(loaded, fifo) == [(None, "machine_settings_not_file")]
    assert codes(loaded, folder) == [(None, "machine_settings_not_file")]
    assert codes(loaded, unreadable) == [(None, "machine_settings_unreadable")]
    assert [f.state for f in loaded.settings.files] == ["broken"] * 3
    assert loaded.settings.idle_seconds == 120


def test_a_file_the_kiosk_may_not_read_is_an_error_a_closed_home_is_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root the tests cannot be refused a file: the refusal is made here. A file that is
    there but closed to the kiosk (root's 600) is an error; the user's default file under a
    home systemd closes to it (ProtectHome=) cannot be there for it: quiet."""
    from kiosk.core import machine

    def refused(path: object, most: int) -> tuple[bytes, int]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(machine, "read_at_most", refused)
    there = tmp_path / "kiosk.yaml"
    there.write_text("idle_seconds: 60\n")
    problems: list[Problem] = []
    settings = with_machine_settings(Settings(), (SettingsPath(there, named=False),), problems)
    assert [(p.code, p.is_error) for p in problems] == [("machine_settings_unreadable", True)]
    assert "sudo chmod 644" in problems[0].message("ru")
    assert settings.files == (SettingsFile(str(there), "broken"),)

    monkeypatch.setattr(machine, "_can_look_at", lambda path: False)
    home = SettingsPath(tmp_path / "home" / ".config" / "kiosk" / "kiosk.yaml", named=False)
    problems = []
    settings = with_machine_settings(Settings(), (home, SettingsPath(there)), problems)
    assert [f.state for f in settings.files] == ["missing", "broken"]
    assert [(p.path, p.code) for p in problems] == [(str(there), "machine_settings_unreadable")]


def test_a_missing_file_is_quiet_unless_it_was_named(tmp_path: Path) -> None:
    problems: list[Problem] = []
    default = SettingsPath(tmp_path / "nothing.yaml", named=False)
    named = SettingsPath(tmp_path / "typo.yaml")
    settings = with_machine_settings(Settings(), (default, named), problems)
    assert [(p.path, p.code, p.is_error) for p in problems] == [
        (str(named.path), "machine_settings_missing", False)]
    assert [f.state for f in settings.files] == ["missing", "missing"]


def test_a_link_is_followed(content: Path, tmp_path: Path) -> None:
    target = machine_file(tmp_path, "idle_seconds: 60\n", "managed.yaml")
    link = tmp_path / "kiosk.yaml"
    link.symlink_to(target)
    loaded = load(content, link)
    assert loaded.settings.idle_seconds == 60
    assert loaded.settings.origins["idle_seconds"] == str(link)


def test_an_all_comments_file_sets_nothing(content: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "deploy" / "kiosk.yaml.example"
    loaded = load(content, example)
    assert codes(loaded, example) == []
    assert loaded.settings.files == (SettingsFile(str(example), "read"),)
    assert loaded.settings.keys_from(str(example)) == ()
    assert replace(loaded.settings, files=()) == load(content).settings


def test_every_setting_in_the_example_is_valid_when_uncommented(content: Path,
                                                               tmp_path: Path) -> None:
    """The example's settings, each line's «#» taken away as its header says, read without a
    single problem: what IT gets by switching a block on works."""
    example = Path(__file__).resolve().parents[2] / "deploy" / "kiosk.yaml.example"
    text = example.read_text(encoding="utf-8")
    lines: list[str] = []
    in_setting = False  # the lines of a block («#queue:», «#  source: …») go together
    for line in text.splitlines():
        in_setting = (line.startswith("#") and line[1:2] not in ("", " ")) \
            or (in_setting and line.startswith("#  "))
        if in_setting:
            lines.append(line[1:])
    machine = machine_file(tmp_path, "\n".join(lines) + "\n")
    loaded = load(content, machine)
    assert [p.format("ru") for p in loaded.problems if p.path == str(machine)] == []
    assert set(loaded.settings.keys_from(str(machine))) == {
        "centre_name", "centre_name_en", "default_language", "screen", "timezone",
        "idle_seconds", "warning_seconds", "queue", "opening_hours", "closed_days",
        "open_days"}


# -- reloads ----------------------------------------------------------------------------------


def test_a_machine_file_broken_while_running_keeps_the_last_good_settings(
        content: Path, tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "queue:\n  source: http://10.0.0.5/calls.json\n")
    shown = load(content, machine)
    machine.write_text("queue:\n  source: http://10.0.0.5/calls.json\n  sound: [да\n",
                       encoding="utf-8")  # half saved
    kept = keep_last_good(shown, load(content, machine))
    assert kept.settings.queue == QueueSettings(source="http://10.0.0.5/calls.json")
    machine.unlink()  # taken away on purpose: the content's queue again
    gone = keep_last_good(shown, load(content, machine))
    assert gone.settings.queue is not None
    assert gone.settings.queue.source == "http://head-office.example/calls.json"


def test_a_machine_file_replaced_by_a_list_keeps_the_last_good_settings(
        content: Path, tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "queue:\n  source: http://10.0.0.5/calls.json\n")
    shown = load(content, machine)
    machine.write_text("- a\n- b\n", encoding="utf-8")  # valid YAML, but not settings
    replaced = load(content, machine)
    assert [code for _, code in codes(replaced, machine)] == ["not_a_mapping"]
    kept = keep_last_good(shown, replaced)
    assert kept.settings.queue == QueueSettings(source="http://10.0.0.5/calls.json")


def test_the_stamp_follows_each_file(tmp_path: Path) -> None:
    paths = (SettingsPath(tmp_path / "a.yaml"), SettingsPath(tmp_path / "b.yaml"))
    nothing = files_stamp(paths)
    (tmp_path / "b.yaml").write_text("idle_seconds: 60\n")
    written = files_stamp(paths)
    assert written != nothing
    assert files_stamp(paths) == written
    # Another size: a file system with coarse times could give the same size the same stamp.
    (tmp_path / "b.yaml").write_text("idle_seconds: 1200\n")
    assert files_stamp(paths) != written


def test_a_machine_file_may_turn_the_contents_queue_off(content: Path, tmp_path: Path) -> None:
    machine = machine_file(tmp_path, "queue: нет\n")
    loaded = load(content, machine)
    assert loaded.settings.queue is None
    assert codes(loaded, machine) == []
    assert loaded.settings.origins["queue"] == str(machine)
