"""Behaviour a visitor or staff would notice, each once changed in the code without any test
failing (a review changed one thing at a time; docs/testing.md). Each test here fails on that
change: the comment above it names it. Gap closing that did not scale with the picture is
caught by tests/core/test_colouring.py::test_gap_closing_scales_and_can_be_tuned."""

from __future__ import annotations

import datetime as dt
import os
import random
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import cv2
import numpy as np
import pytest

from kiosk.core.colouring.engine import (
    HISTORY_BYTES,
    PAPER,
    Canvas,
    EngineSettings,
    analyse,
    coloured_in,
    neighbours,
    outside_region,
    prepare,
    rgb,
)
from kiosk.core.content.loader import ImageCheck, load_content
from kiosk.core.content.problems import Problem, ProblemLog
from kiosk.core.content.reload import ReloadDecider, fingerprint, keep_last_good
from kiosk.core.content.yamlsrc import parse_yaml
from kiosk.core.pin import LOCK_SECONDS, MAX_TRIES, Lockout, Outcome, PinStore, hash_pin
from kiosk.core.queue import (
    Call,
    JsonAdapter,
    QueueFollower,
    QueueFormatError,
    file_kind,
    make_adapter,
    parse_calls,
    queue_file_problem,
)
from kiosk.core.schedules.schedule import Schedule, parse_schedule
from kiosk.core.settings import QueueSettings, Settings, parse_settings
from tests.helpers import SVG, make_folder, story

RED, BLUE = rgb("#E53935"), rgb("#1E88E5")
MOSCOW = ZoneInfo("Europe/Moscow")


def rooms(side: int) -> np.ndarray:
    """A square picture `side` pixels wide, split by a wall into two rooms."""
    art = np.full((side, side), 255, dtype=np.uint8)
    margin = side // 10
    cv2.rectangle(art, (margin, margin), (side - margin, side - margin), 0, 5)
    cv2.line(art, (side // 2, margin), (side // 2, side - margin), 0, 5)
    return art


# Undo did not restore the map of regions known to be one colour: after «fill, undo», the
# engine still thought the region was red, and the child's second tap did nothing.
def test_a_tap_after_undo_fills_again() -> None:
    canvas = Canvas(prepare(rooms(540)))
    assert canvas.fill(150, 270, RED) is not None
    canvas.undo()
    assert canvas.paint[270, 150] == PAPER
    assert canvas.fill(150, 270, RED) is not None  # the same tap again: it fills
    assert canvas.paint[270, 150] == RED
    canvas.fill(150, 270, BLUE)
    canvas.undo()  # back to red, and red is what the engine knows it is
    assert canvas.paint[270, 150] == RED
    assert canvas.fill(150, 270, BLUE) is not None
    assert canvas.paint[270, 150] == BLUE


# Regions labelled 8-connected: paper touching corner to corner across a one-pixel diagonal
# line was one region, and a fill leaked through the line.
def test_a_fill_does_not_leak_through_a_thin_diagonal_line() -> None:
    art = np.full((300, 300), 255, dtype=np.uint8)
    cv2.line(art, (0, 0), (299, 299), 0, 1, cv2.LINE_8)  # one pixel wide, corner to corner
    canvas = Canvas(prepare(art))
    canvas.fill(200, 60, RED)  # above the line
    assert canvas.paint[60, 200] == RED
    assert canvas.paint[240, 100] == PAPER  # below it


# An integer Unix time in `called_at` (documented in docs/queue.md) was rejected, and with it
# the call.
def test_a_queue_call_with_unix_seconds_is_read() -> None:
    adapter = JsonAdapter(MOSCOW)
    calls = adapter.parse(b'[{"ticket": "A017", "window": 12, "called_at": 1795766523},'
                          b' {"ticket": "A018", "window": 3, "called_at": 1795766580.5}]')
    assert adapter.skipped == []
    assert [(c.ticket, c.window) for c in calls] == [("A017", "12"), ("A018", "3")]
    assert calls[0].called_at == dt.datetime(2026, 11, 27, 8, 2, 3, tzinfo=dt.UTC)
    assert calls[1].called_at == dt.datetime(2026, 11, 27, 8, 3, 0, 500000, tzinfo=dt.UTC)


# The upper clamp of `duration` removed: «duration: 600» kept a slide on screen for ten
# minutes, with no warning for staff.
def test_a_long_duration_is_clamped_with_a_warning(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", pages={"1.md": "---\ntitle: А\nduration: 600\n---\nТ\n"},
                       stories={"a.md": story(duration="45")})
    content = load_content(root)
    assert content.pages[0].duration == 120.0
    assert content.stories[0].duration == 45.0  # in range: as written
    assert [(p.code, p.args["used"]) for p in content.problems] == [("clamped", "120")]


# The time of modification dropped from the folder's fingerprint: a file edited in place to
# the same size (a fixed typo) was never reloaded.
def test_a_same_size_edit_in_place_is_reloaded(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story("Тёплый приём")})
    path = root / "stories" / "a.md"
    decider = ReloadDecider(settle=1.0)
    decider.done(fingerprint(root))
    before = path.stat()
    with path.open("r+b") as file:  # the same inode, the same size, other words
        file.write(story("Тёплый приют").encode("utf-8"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert path.stat().st_size == before.st_size and path.stat().st_ino == before.st_ino
    assert not decider.look(fingerprint(root), 10.0)  # seen: waits for it to settle
    assert decider.look(fingerprint(root), 11.0)
    assert [s.title.ru for s in load_content(root).stories] == ["Тёплый приют"]


# The first day of `show_from` excluded: an item meant for 1 August appeared on the 2nd.
def test_an_item_is_shown_from_the_first_moment_of_its_first_day() -> None:
    problems: list[Problem] = []
    log = ProblemLog("stories/x.md", problems)
    august = parse_schedule(parse_yaml("show_from: 2026-08-01\nshow_until: 2026-08-01\n", log),
                            log)
    assert problems == []
    for moment in ("2026-08-01 00:00", "2026-08-01 12:00", "2026-08-01 23:59"):
        assert august.active(dt.datetime.fromisoformat(moment).replace(tzinfo=MOSCOW)), moment
    assert not august.active(dt.datetime(2026, 7, 31, 23, 59, tzinfo=MOSCOW))
    assert not august.active(dt.datetime(2026, 8, 2, 0, 0, tzinfo=MOSCOW))
    # With hours too, and across midnight: the evening of the first day is shown.
    night = parse_schedule(parse_yaml('show_from: 2026-08-01\nhours: "22:00-02:00"\n', log), log)
    assert night.active(dt.datetime(2026, 8, 1, 22, 0, tzinfo=MOSCOW))
    assert night.active(dt.datetime(2026, 8, 2, 1, 0, tzinfo=MOSCOW))
    assert not night.active(dt.datetime(2026, 8, 1, 1, 0, tzinfo=MOSCOW))  # July 31st's night


# -- Survivors of `make mutate` that a user would notice (docs/testing.md) ------------------


# ReloadDecider forgetting what it loaded: the same folder was read again every second.
def test_an_unchanged_folder_is_never_read_again(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    decider = ReloadDecider(settle=1.0)
    decider.done(fingerprint(root))
    for now in (0.0, 1.5, 3.0, 10.0):
        assert not decider.look(fingerprint(root), now)
        assert not decider.waiting
    (root / "stories" / "b.md").write_text(story("Вторая"), encoding="utf-8")
    assert not decider.look(fingerprint(root), 11.0)
    assert decider.waiting
    assert decider.look(fingerprint(root), 12.0)
    decider.done(fingerprint(root))
    assert not decider.waiting
    assert not decider.look(fingerprint(root), 13.0) and not decider.look(fingerprint(root), 20.0)


# Hidden files counted: an editor's swap file, written at every keystroke, reloaded the folder
# while staff were still typing.
def test_hidden_files_do_not_change_the_fingerprint(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    before = fingerprint(root)
    (root / "stories" / ".a.md.swp").write_bytes(b"half a story")
    (root / ".git").mkdir()
    (root / ".git" / "index").write_bytes(b"sync tool state")
    assert fingerprint(root) == before
    (root / "stories" / "b.md").write_text(story(), encoding="utf-8")
    assert fingerprint(root) != before


# A file name that is not UTF-8 (copied from an old Windows share) made the fingerprint raise:
# live reload stopped for good.
def test_a_file_name_that_is_not_utf8_is_fingerprinted(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    before = fingerprint(root)
    with open(os.fsencode(root / "stories") + b"/\xef\xf0\xe8\xe2\xe5\xf2.md", "wb") as file:
        file.write(b"cp1251")
    after = fingerprint(root)
    assert after != before and after[0] == os.path.realpath(root)


# keep_last_good keeping the old kiosk.yaml when the new one was fine (because of a warning in
# it, or an error in some story), or dropping a broken page or colouring picture outright.
def test_a_reload_applies_good_settings_and_keeps_each_broken_item(tmp_path: Path) -> None:
    def probe(path: Path) -> ImageCheck:  # a picture cut short by a copy still under way
        return ImageCheck() if path.read_bytes().endswith(b"</svg>") else \
            ImageCheck("bad_image", "truncated")

    root = make_folder(tmp_path / "c", settings="slide_seconds: 20\n",
                       stories={"a.md": story("Первая")},
                       pages={"1.md": "---\ntitle: Страница\n---\nТекст\n"},
                       images={"colouring/cat.svg": SVG})
    old = load_content(root, probe)
    (root / "kiosk.yaml").write_text("slide_seconds: 25\nslide_secnods: 3\n", encoding="utf-8")
    (root / "stories" / "a.md").write_text("---\ntitle: [Сломано\n---\nТекст\n",
                                           encoding="utf-8")
    (root / "anniversary" / "1.md").write_text("---\ntitle: [Сломано\n---\nТ\n",
                                               encoding="utf-8")
    (root / "anniversary" / "2.md").write_text("---\ntitle: Новая\n---\nТекст\n",
                                               encoding="utf-8")
    (root / "colouring" / "cat.svg").write_text(SVG[:40], encoding="utf-8")
    new = load_content(root, probe)
    assert {p.code for p in new.problems} >= {"unknown_key", "yaml_syntax", "bad_image"}
    merged = keep_last_good(old, new)
    assert merged.settings.slide_seconds == 25  # a warning in it is not a broken kiosk.yaml
    assert [p.title.ru for p in merged.pages] == ["Страница", "Новая"]
    assert [s.title.ru for s in merged.stories] == ["Первая"]
    assert [c.id for c in merged.colouring] == ["cat"]


# After a right PIN a colleague's earlier typos still counted (the pad locked one try early),
# and the status file's count of right PINs stuck at one.
def test_a_right_pin_starts_the_count_of_wrong_tries_afresh(tmp_path: Path) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1234")
    for _ in range(2):
        for _ in range(MAX_TRIES - 1):
            assert store.check("0000", 1000) is Outcome.WRONG
        assert store.check("1234", 1000) is Outcome.OK  # never locked: each run was 4 tries
    assert store.counts(1000).successes == 2
    assert store.counts(1000).failures == 2 * (MAX_TRIES - 1)
    assert store.counts(1000).locks == 0


# A clock set back while the pad was locked lifted the lock at the next look.
def test_a_clock_set_back_keeps_the_lock_running() -> None:
    lockout = Lockout()
    for _ in range(MAX_TRIES):
        lockout.failed(10_000)
    back = 10_000 - 3 * 3600
    assert lockout.seconds_left(back) == LOCK_SECONDS
    assert lockout.seconds_left(back + 100) == LOCK_SECONDS - 100


# A PIN file with an absurd scrypt cost (copied from elsewhere, or crafted) was tried: the pad
# froze on the first try while scrypt asked for gigabytes. It is a damaged file: nobody in.
@pytest.mark.parametrize("cost", ["2097152$1$1", "16$33$1", "16$1$17", "1$8$1"])
def test_a_pin_file_with_an_absurd_cost_is_damaged(tmp_path: Path, cost: str) -> None:
    good = hash_pin("1234", n=16, r=1, p=1).split("$")
    (tmp_path / "pin").write_text("$".join(["scrypt", cost, *good[4:]]) + "\n")
    assert PinStore(tmp_path).check("1234", 1000) is Outcome.NOT_SET


# The state folder a first `kiosk set-pin` makes was not private (or not made at all when its
# parent was missing too).
def test_setting_the_pin_makes_a_private_state_folder(tmp_path: Path) -> None:
    state = tmp_path / "var" / "kiosk"
    PinStore(state).set_pin("1234")
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert [p.name for p in state.iterdir() if p.name.startswith(".")] == []  # no temporaries
    assert PinStore(state).check("1234", 0) is Outcome.OK


# `hours: 00:00-24:00` (all day) never showed the item; hours with weekdays ignored the day.
def test_all_day_hours_and_hours_on_some_weekdays() -> None:
    problems: list[Problem] = []
    log = ProblemLog("stories/x.md", problems)
    all_day = parse_schedule(parse_yaml('hours: "00:00-24:00"\n', log), log)
    mondays = parse_schedule(parse_yaml('weekdays: [пн]\nhours: "09:00-18:00"\n', log), log)
    assert problems == []
    for moment in ("00:00", "12:00", "23:59"):
        assert all_day.active(dt.datetime.fromisoformat(f"2026-11-30 {moment}")
                              .replace(tzinfo=MOSCOW)), moment
    assert mondays.active(dt.datetime(2026, 11, 30, 10, 0, tzinfo=MOSCOW))  # a Monday
    assert not mondays.active(dt.datetime(2026, 12, 1, 10, 0, tzinfo=MOSCOW))
    assert not mondays.active(dt.datetime(2026, 11, 30, 18, 0, tzinfo=MOSCOW))


def _settings(text: str) -> tuple[Settings, list[tuple[int | None, str, dict[str, str]]]]:
    problems: list[Problem] = []
    log = ProblemLog("content/kiosk.yaml", problems)
    settings = parse_settings(parse_yaml(text, log), log)
    return settings, [(p.line, p.code, p.args) for p in problems]


# What `kiosk check` tells staff about a wrong setting: its line, the key, what was written and
# what is used instead. None of this was checked for yes/no settings, texts, choices, time
# zones, the tags and attract blocks, and the queue block.
Mistakes = list[tuple[str, list[tuple[int, str, dict[str, str]]]]]
SETTING_MISTAKES: Mistakes = [
    ("centre_name: [a, b]\n", [(1, "wrong_type", {
        "key": "centre_name", "expected": "text", "value": "[a, b]",
        "default": "Мои Документы"})]),
    ("\ndefault_language: fr\n", [(2, "bad_choice", {
        "key": "default_language", "choices": "ru, en", "value": "fr", "default": "ru"})]),
    ("transition_ms: быстро\n", [(1, "wrong_type", {
        "key": "transition_ms", "expected": "whole", "value": "быстро", "default": "700"})]),
    ("slide_seconds: быстро\n", [(1, "wrong_type", {
        "key": "slide_seconds", "expected": "number", "value": "быстро", "default": "9"})]),
    ("attract: всё\n", [(1, "wrong_type", {
        "key": "attract", "expected": "mapping", "value": "всё", "default": "nothing"})]),
    ("tags: дети\n", [(1, "wrong_type", {
        "key": "tags", "expected": "mapping", "value": "дети", "default": "nothing"})]),
    ("timezone: Moscow/Centre\n", [(1, "bad_timezone", {
        "value": "Moscow/Centre", "default": "Europe/Moscow"})]),
    ("attract:\n  anniversary: может быть\n  storiess: 3\n", [
        (3, "unknown_key", {"key": "attract.storiess", "suggest": "stories"}),
        (2, "wrong_type", {"key": "attract.anniversary", "expected": "yes_no",
                           "value": "может быть", "default": "true"})]),
    ("queue: [1]\n", [(1, "wrong_type", {
        "key": "queue", "expected": "mapping", "value": "[1]", "default": "queue_off"})]),
    ("queue:\n  sound: громко\n  pol_seconds: 2\n  source: .queue/calls.json\n", [
        (2, "wrong_type", {"key": "queue.sound", "expected": "yes_no", "value": "громко",
                           "default": "false"}),
        (3, "unknown_key", {"key": "queue.pol_seconds", "suggest": "poll_seconds"})]),
    ("queue:\n  format: xml\n  source: calls.json\n", [(2, "queue_bad_format", {
        "value": "xml", "choices": "json, text", "suggest": ""})]),
    ("queue:\n  poll_seconds: 2\n", [(1, "queue_no_source", {})]),
    ("queue:\n  source: [a, b]\n", [(2, "queue_no_source", {})]),
    ("queue:\n  source: ftp://queue.local/calls.json\n", [(2, "queue_bad_scheme", {
        "value": "ftp://queue.local/calls.json"})]),
    ("queue:\n  source: https:///calls\n", [(2, "queue_bad_scheme", {
        "value": "https:///calls"})]),
    ("queue:\n  source: htp:/queue/calls\n", [(2, "queue_bad_scheme", {
        "value": "htp:/queue/calls"})]),
    ("queue:\n  source: ../calls.json\n", [(2, "queue_path_outside", {
        "value": "../calls.json"})]),
    ("queue:\n  source: calls.json\n", [(2, "queue_file_watched", {"value": "calls.json"})]),
]


# ASCII ids: with Cyrillic ones mutmut's workers could not run these tests (docs/testing.md).
@pytest.mark.parametrize(("text", "expected"), SETTING_MISTAKES,
                         ids=[f"{i}-{e[0][1]}" for i, (_, e) in enumerate(SETTING_MISTAKES)])
def test_each_wrong_setting_is_named_with_its_line_value_and_default(
        text: str, expected: list[tuple[int, str, dict[str, str]]]) -> None:
    assert _settings(text)[1] == expected


def test_settings_that_are_right_in_unusual_ways() -> None:
    settings, problems = _settings(
        "centre_name_en: да\ntimezone: Asia/Vladivostok\nattract:\n  anniversary: нет\n"
        "queue:\n  source: HTTPS://queue.local/calls\n  format: TEXT\n  sound: да\n")
    assert problems == []
    assert settings.centre_name_en == "да"  # a name, as typed: not a yes/no
    assert settings.attract_anniversary is False
    assert settings.queue is not None and settings.queue.is_url and settings.queue.sound
    assert settings.queue.format == "text"
    noon = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    assert settings.local_time(noon).hour == 22  # Vladivostok is UTC+10
    _, problems = _settings("queue:\n  source: /var/lib/queue/calls.json\n")
    assert problems == []  # an absolute path: outside the content folder, not watched


def test_the_centre_name_follows_the_language_and_queue_files_their_folder() -> None:
    assert Settings().centre("ru") == "Мои Документы"
    assert Settings().centre("en") == "My Documents"
    assert Settings(centre_name_en="").centre("en") == "Мои Документы"  # no English name
    root = Path("/srv/content")
    assert QueueSettings("/var/lib/queue/calls.json").file_path(root) == \
        Path("/var/lib/queue/calls.json")
    assert QueueSettings("queue/calls.json").file_path(root) == root / "queue/calls.json"


# A schedule mistake named by its code only: the line, what was written and the suggestion
# («сб» for «сбб») were never checked; a weekday list with a typo hid the item for good.
SCHEDULE_MISTAKES: Mistakes = [
    ("title: x\nshow_from: 2026-02-30\n", [(2, "impossible_date", {"value": "2026-02-30"})]),
    ("title: x\nshow_from: 2026/02/03\n", [(2, "bad_date", {"value": "2026/02/03"})]),
    ("title: x\nshow_from: 2026-09-01\nshow_until: 2026-08-01\n", [
        (3, "dates_reversed", {"start": "2026-09-01", "end": "2026-08-01"})]),
    ("title: x\nweekdays: [сбб]\n", [(2, "bad_weekday", {"value": "сбб", "suggest": "сб"})]),
    ("weekdays: субота\n", [(1, "bad_weekday", {"value": "субота", "suggest": "сб"})]),
    ("weekdays: [пн, abc]\n", [(1, "bad_weekday", {"value": "abc", "suggest": ""})]),
    ('title: x\nhours: "25:00-26:00"\n', [(2, "bad_hours", {"value": "25:00-26:00"})]),
    ('hours: ["09:00-13:00", утром]\n', [(1, "bad_hours", {"value": "утром"})]),
]


@pytest.mark.parametrize(("text", "expected"), SCHEDULE_MISTAKES,
                         ids=[f"{i}-{e[0][1]}" for i, (_, e) in enumerate(SCHEDULE_MISTAKES)])
def test_each_schedule_mistake_is_named_with_its_line_and_value(
        text: str, expected: list[tuple[int, str, dict[str, str]]]) -> None:
    problems: list[Problem] = []
    log = ProblemLog("stories/x.md", problems)
    parse_schedule(parse_yaml(text, log), log)
    assert [(p.line, p.code, p.args) for p in problems] == expected


def test_schedules_written_as_staff_write_them() -> None:
    problems: list[Problem] = []
    log = ProblemLog("stories/x.md", problems)

    def read(text: str) -> Schedule:
        return parse_schedule(parse_yaml(text, log), log)

    weekend, dotted = read("weekdays: сб, вс\n"), read("weekdays: пн., вт.\n")
    morning, typo = read("hours: 09:30-10:15\n"), read("weekdays: [сбб]\n")
    problems = [p for p in problems if p.code != "bad_weekday"]  # the typo's, checked above
    assert problems == []
    saturday, monday = dt.date(2026, 11, 28), dt.date(2026, 11, 30)

    def on(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MOSCOW)

    assert weekend.active(on(saturday)) and not weekend.active(on(monday))
    assert dotted.active(on(monday)) and not dotted.active(on(saturday))
    assert not morning.active(on(monday, 9, 29)) and morning.active(on(monday, 9, 30))
    assert morning.active(on(monday, 10, 14)) and not morning.active(on(monday, 10, 15))
    assert typo.active(on(monday)) and typo.active(on(saturday))  # left out, not «never»


# A `called_at` of the wrong type (a list, an object) raised past the adapter: the whole
# answer was lost instead of the one entry.
def test_a_call_with_a_time_of_the_wrong_type_is_skipped_alone() -> None:
    adapter = JsonAdapter(MOSCOW)
    calls = adapter.parse(
        b'[{"ticket": "A1", "window": 1, "called_at": [2026, 11, 27]},'
        b' {"ticket": "A2", "window": 2, "called_at": {"at": "11:02"}},'
        b' {"ticket": "A3", "window": 3, "called_at": true},'
        b' {"ticket": "A4", "window": 4, "called_at": "' + b"2" * 41 + b'"},'
        b' {"ticket": "A5", "window": 5, "called_at": ""}]')
    assert [(c.ticket, c.called_at) for c in calls] == [("A5", None)]
    assert len(adapter.skipped) == 4 and all("called_at" in r for r in adapter.skipped)


# What the staff diagnostics screen says of the queue; after the source recovers, the next
# failure waits the shortest time again (it waited as after two failures in a row).
def test_queue_health_in_both_languages_and_back_off_after_a_recovery() -> None:
    follower = QueueFollower(poll_seconds=1.0, rng=random.Random(1))
    assert follower.health(0).describe("ru") == "очередь: подключение…"
    follower.succeeded([], 1.0)
    assert follower.health(1.0).describe("ru") == "очередь: работает"
    assert follower.health(1.0).describe() == "queue: ok"
    follower.failed("timeout", 2.0)
    follower.failed("timeout", 4.0)
    assert follower.health(122.0).describe("ru") == "очередь: нет связи 2 мин — timeout"
    assert follower.health(122.0).describe("en") == "queue: down for 2 min — timeout"
    follower.succeeded([], 130.0)
    assert follower.health(130.0).failures == 0 and follower.next_delay() == 1.0
    follower.failed("timeout", 131.0)
    assert 1.6 <= follower.next_delay() <= 2.4  # 2 s ± 20 %: the first failure's wait


# The box a brush segment returns is all the screen repaints: a box one pixel short left a
# sliver of the stroke unpainted until something else repainted there. And undo after a
# stroke that went back on itself must restore everything it touched.
def test_each_brush_segment_returns_a_box_holding_all_it_painted_and_undo_is_exact() -> None:
    canvas = Canvas(prepare(rooms(540)))
    before = canvas.paint.copy()
    points = [(300, 200), (40, 20), (500, 520), (0, 270), (539, 0)]  # to the edges, and back
    painted = before.copy()
    for index, (x, y) in enumerate(points):
        box = canvas.begin_stroke(x, y, BLUE, 12) if index == 0 else canvas.extend_stroke(x, y)
        assert box is not None
        changed = np.argwhere(canvas.paint != painted)
        bx, by, bw, bh = box
        assert changed.size
        assert (changed[:, 0] >= by).all() and (changed[:, 0] < by + bh).all()
        assert (changed[:, 1] >= bx).all() and (changed[:, 1] < bx + bw).all()
        painted = canvas.paint.copy()
    assert canvas.paint[270, 0] == BLUE and canvas.paint[0, 539] == BLUE  # edges painted too
    canvas.end_stroke()
    canvas.undo()
    assert np.array_equal(canvas.paint, before)
    # A dot is a whole disc, not one clipped by its box; a stroke down and back, away from
    # the edges, is undone whole.
    canvas.begin_stroke(300, 200, BLUE, 12)
    assert all(canvas.paint[y, x] == BLUE for x, y in ((288, 200), (312, 200), (300, 188),
                                                       (300, 212)))
    canvas.end_stroke()
    canvas.undo()
    for x, y in ((50, 400), (120, 450), (60, 500)):
        if canvas.extend_stroke(x, y) is None:
            canvas.begin_stroke(x, y, RED, 12)
    canvas.end_stroke()
    assert canvas.paint[450, 120] == RED
    canvas.undo()
    assert np.array_equal(canvas.paint, before)


# A tap on the picture's first or last row or column did nothing, or one just beside the
# picture raised (IndexError) and closed the colouring page.
def test_taps_on_the_edges_of_the_picture() -> None:
    canvas = Canvas(prepare(rooms(540)))
    assert canvas.fill(0, 0, RED) is not None  # the paper around the drawing
    assert canvas.paint[539, 539] == RED
    canvas.undo()
    assert canvas.fill(539, 539, RED) is not None
    for x, y in ((540, 10), (10, 540), (-1, 10), (10, -1)):
        assert canvas.fill(x, y, BLUE) is None


# After the page was wiped (the child left) the next child's first tap raised.
def test_the_next_child_can_colour_after_a_wipe() -> None:
    canvas = Canvas(prepare(rooms(540)))
    canvas.fill(150, 270, RED)
    canvas.wipe()
    assert canvas.fill(150, 270, RED) is not None and canvas.paint[270, 150] == RED
    assert canvas.undo() is not None and canvas.is_blank


# Undo keeps 30 steps, no fewer; the oldest go first.
def test_undo_keeps_thirty_steps() -> None:
    canvas = Canvas(prepare(rooms(540)))
    colours = [rgb(f"#{i:02X}3060") for i in range(40)]
    for colour in colours:
        canvas.fill(150, 270, colour)
    steps = 0
    while canvas.undo() is not None:
        steps += 1
    assert steps == 30
    assert canvas.paint[270, 150] == colours[9]  # the 10th fill: the last one not kept


# Paper the gap closing swallowed (the closed gap itself) must take a region's paint, or a
# white speck shows in the line where the gap was.
def test_no_white_speck_where_a_gap_was_closed() -> None:
    art = rooms(540)
    art[266:271, 262:279] = 255  # a 5-pixel gap in the middle wall
    canvas = Canvas(prepare(art))
    canvas.fill(150, 270, RED)
    canvas.fill(400, 270, BLUE)
    assert canvas.paint[270, 150] == RED and canvas.paint[270, 400] == BLUE
    inside = canvas.composite()[60:480, 60:480]
    assert not (inside == PAPER).any()


# A salt or hash that is not clean base64 is a damaged PIN file (decoded leniently, it was
# checked as if it were a PIN, and the right PIN was «wrong»).
@pytest.mark.parametrize("field", [4, 5])
def test_a_pin_file_with_a_damaged_salt_or_hash_lets_nobody_in(tmp_path: Path,
                                                             field: int) -> None:
    parts = hash_pin("1234", n=16, r=1, p=1).split("$")
    parts[field] = parts[field][:4] + "!" + parts[field][4:]
    (tmp_path / "pin").write_text("$".join(parts) + "\n")
    assert PinStore(tmp_path).check("1234", 1000) is Outcome.NOT_SET


# The log says how long the pad is locked, in words IT can read: «5 min», then «1 h».
def test_the_log_says_how_long_each_lock_lasts(tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    store = PinStore(tmp_path)
    store.set_pin("1234")
    now = 1000.0
    for _ in range(3):  # 5 min, 15 min, then an hour
        for _ in range(MAX_TRIES):
            store.check("0000", now)
        now += store.seconds_locked(now)
    locks = [r.getMessage() for r in caplog.records if "locked for" in r.getMessage()]
    assert [m.split("locked for ")[1].split(" (")[0] for m in locks] == \
        ["5 min", "15 min", "1 h"]


# The engine's smaller promises the colouring page and the picker rely on: colours as
# written, start over then colour again, a blank picture's card, which shapes touch, and
# `kiosk check`'s warning for a picture too fine for fingers.
def test_colours_start_over_blank_cards_and_neighbours() -> None:
    assert rgb("#F5962F") == 0xFFF5962F and rgb("1E88E5") == 0xFF1E88E5
    canvas = Canvas(prepare(rooms(540)))
    canvas.fill(150, 270, RED)
    canvas.start_over()
    assert canvas.fill(150, 270, BLUE) is not None and canvas.paint[270, 150] == BLUE
    blank = prepare(np.full((60, 80), 255, dtype=np.uint8))
    art = rooms(540)
    art[:, :3] = 0  # a line down the left edge: the paper around touches three edges only
    picture = prepare(art)
    outside = picture.region_at(20, 20)
    left, right = picture.region_at(150, 270), picture.region_at(400, 270)
    assert outside_region(picture) == outside
    assert neighbours(picture) == {outside: {left, right}, left: {outside, right},
                                   right: {outside, left}}
    assert (coloured_in(prepare(np.zeros((40, 40), dtype=np.uint8)), {}) != PAPER).all()
    assert (coloured_in(blank, {1: RED})[0, 0]) == RED


def test_a_picture_of_many_tiny_shapes_is_not_line_art() -> None:
    art = np.full((1080, 1920), 255, dtype=np.uint8)
    art[::12, :] = 0  # cells of 11 × 11 pixels: 121 each, under the 207 a fingertip needs
    art[:, ::12] = 0
    assert analyse(prepare(art, EngineSettings(gap_px=1))).problem == "colouring_photo"


# Undo history is capped in memory (24 MB): a child scribbling over a 4K page for a minute
# must not take the kiosk's memory with it, and the cap drops no more than it must.
def test_undo_history_stays_within_its_memory() -> None:
    canvas = Canvas(prepare(rooms(2160)))
    rng = np.random.default_rng(3)
    for stroke in range(20):  # wide strokes across the page: about 2 MB of undo each
        colour = rgb(f"#{stroke * 6:02X}{255 - stroke:02X}{stroke * 3:02X}")
        canvas.begin_stroke(0, int(rng.integers(0, 2160)), colour, 150)
        for x in range(0, 2160, 240):
            canvas.extend_stroke(x, int(rng.integers(0, 2160)))
        canvas.end_stroke()
    total = sum(change.nbytes for change in canvas.history)
    assert HISTORY_BYTES * 0.8 < total <= HISTORY_BYTES  # cut by memory, and no more
    assert 5 <= len(canvas.history) < 20
    newest = canvas.paint.copy()
    canvas.undo()
    assert not np.array_equal(canvas.paint, newest)  # the last stroke can be undone


# The attract corner set to show one call showed none; a text queue's times without an offset
# are the centre's; a binary file is not read as calls; a FIFO named as the queue file is
# named as one (it would block the reader for good).
def test_queue_details_staff_and_visitors_see(tmp_path: Path) -> None:
    follower = QueueFollower(recent_calls=1)
    follower.succeeded([Call("А016", "3"), Call("А017", "12")], 0.0)
    assert follower.recent(1.0) == [Call("А017", "12")]
    adapter = make_adapter(" Text ", MOSCOW)
    calls, skipped = parse_calls(adapter, "А017 12 2026-11-27T11:02:03\n".encode())
    assert skipped == [] and calls[0].called_at == dt.datetime(2026, 11, 27, 8, 2, 3,
                                                               tzinfo=dt.UTC)
    with pytest.raises(QueueFormatError):
        parse_calls(make_adapter("text"), b"A017 12\x00\x01")
    fifo = tmp_path / "calls.txt"
    os.mkfifo(fifo)
    assert "FIFO" in (queue_file_problem(fifo) or "")
    assert file_kind(os.stat(tmp_path).st_mode) != file_kind(os.lstat(fifo).st_mode)
