"""Following the electronic queue, with times as input: no clocks, no network."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import runpy
import time
import unicodedata
from pathlib import Path

import pytest

from kiosk.core.content.loader import load_content
from kiosk.core.queue import (
    CATCH_UP_SECONDS,
    FORGET_ABSENT_SECONDS,
    MAX_BACKOFF_SECONDS,
    MAX_CALLS,
    MAX_PAYLOAD_BYTES,
    MAX_TEXT,
    RECENT_KEEP_SECONDS,
    Call,
    JsonAdapter,
    QueueAdapter,
    QueueFollower,
    QueueFormatError,
    TextAdapter,
    adapter_names,
    clean_display,
    make_adapter,
    parse_calls,
    queue_file_check,
    register_adapter,
)
from tests.helpers import REPO, make_folder, story

MSK = dt.timezone(dt.timedelta(hours=3))


def at(minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 27, 11, minute, second, tzinfo=MSK)


def call(ticket: str, window: str, minute: int = 0, second: int = 0) -> Call:
    return Call(ticket, window, at(minute, second))


def payload(*calls: Call) -> bytes:
    return json.dumps({"calls": [
        {"ticket": c.ticket, "window": c.window,
         "called_at": c.called_at.isoformat() if c.called_at else None} for c in calls]},
        ensure_ascii=False).encode()


# -- adapters ------------------------------------------------------------------------------


def test_json_format_reads_tickets_windows_and_times() -> None:
    data = ('{"calls": [{"ticket": "а017", "window": 12, "called_at": '
            '"2026-11-27T11:02:03+03:00"}, {"ticket": "Б004", "window": "3"}]}').encode()
    calls, skipped = parse_calls(JsonAdapter(), data)
    assert skipped == []
    assert calls == [Call("А017", "12", at(2, 3)), Call("Б004", "3", None)]


def test_json_time_without_offset_is_the_centres_and_a_bare_list_is_accepted() -> None:
    data = b'[{"ticket": "A1", "window": "2", "called_at": "2026-11-27T11:05:00"}]'
    calls, _ = parse_calls(JsonAdapter(MSK), data)
    assert calls[0].called_at == at(5)


def test_calls_are_put_in_time_order_when_every_call_has_a_time() -> None:
    calls, _ = parse_calls(JsonAdapter(), payload(call("B2", "1", 5), call("A1", "1", 1)))
    assert [c.ticket for c in calls] == ["A1", "B2"]


@pytest.mark.parametrize("garbage", [
    b"", b"<html>502 Bad Gateway</html>", b'{"calls": 5}', b'{"tickets": []}', b"[1, 2",
    b"\xff\xfe\x00garbage", b"[" * 100_000,
])
def test_garbage_is_rejected_as_a_whole(garbage: bytes) -> None:
    with pytest.raises(QueueFormatError):
        parse_calls(JsonAdapter(), garbage)


def test_bad_entries_are_skipped_with_reasons_and_the_rest_kept() -> None:
    data = json.dumps({"calls": [
        {"ticket": "А017", "window": "12"},
        {"ticket": "", "window": "1"},
        {"ticket": "А018"},
        {"ticket": "X" * 40, "window": "1"},
        {"ticket": "А019", "window": True},
        {"ticket": "А020", "window": "2", "called_at": "вчера"},
        "А021 → 3",
        {"ticket": "\u202e\u200b\u0007", "window": "4"},  # nothing visible: empty
        {"ticket": "А023", "window": 7.0},
    ]}).encode()
    calls, skipped = parse_calls(JsonAdapter(), data)
    assert [(c.ticket, c.window) for c in calls] == [("А017", "12"), ("А023", "7")]
    assert len(skipped) == 7
    assert "entry 2: ticket is empty" in skipped
    assert "entry 3: window is missing" in skipped
    assert any("longer than" in s for s in skipped)
    assert any("ISO 8601" in s for s in skipped)


def test_sizes_are_bounded() -> None:
    with pytest.raises(QueueFormatError, match="bytes"):
        parse_calls(JsonAdapter(), b" " * (MAX_PAYLOAD_BYTES + 1))
    many = payload(*(call(f"A{i}", "1", i // 60, i % 60) for i in range(MAX_CALLS + 50)))
    calls, _ = parse_calls(JsonAdapter(), many)
    assert len(calls) == MAX_CALLS
    assert calls[-1].ticket == f"A{MAX_CALLS + 49}"  # the newest are kept


def test_text_format() -> None:
    data = ("# ticket window time\n\nА017 12\nБ004;3;2026-11-27T11:02:03+03:00\n"
            "одно-слово\n").encode()
    calls, skipped = parse_calls(TextAdapter(), data)
    assert calls == [Call("А017", "12"), Call("Б004", "3", at(2, 3))]
    assert skipped == ["line 5: expected «ticket window [time]»"]
    calls, _ = parse_calls(TextAdapter(), "В001 5\n".encode("cp1251"))  # an old Windows system
    assert calls == [Call("В001", "5")]


def test_registry_knows_the_built_in_formats_and_new_ones() -> None:
    class Upper(QueueAdapter):
        name = "upper-test"

        def parse(self, payload: bytes) -> list[Call]:
            ticket, window = payload.decode().split(">")
            return [Call(ticket, window)]

    assert {"json", "text"} <= set(adapter_names())
    register_adapter("upper-test", Upper)
    assert "upper-test" in adapter_names()
    calls, _ = parse_calls(make_adapter("Upper-Test"), b"A1>2")
    assert calls == [Call("A1", "2")]
    with pytest.raises(KeyError):
        make_adapter("xml")


def test_a_crashing_adapter_is_a_bad_payload_not_a_crash() -> None:
    class Broken(QueueAdapter):
        def parse(self, payload: bytes) -> list[Call]:
            raise IndexError("oops")

    with pytest.raises(QueueFormatError, match="IndexError"):
        parse_calls(Broken(), b"x")


# -- the follower --------------------------------------------------------------------------


def follower(**kwargs: float) -> QueueFollower:
    return QueueFollower(rng=random.Random(1), **kwargs)  # type: ignore[arg-type]


def test_the_backlog_at_start_is_not_announced_but_listed() -> None:
    f = follower()
    backlog = [call(f"A{i}", "1", i) for i in range(20)]
    assert f.succeeded(backlog, now=0) == []
    assert f.banner(0) == []
    assert [c.ticket for c in f.recent(0)] == ["A19", "A18", "A17"]
    new = call("B1", "7", 30)
    assert f.succeeded([*backlog, new], now=1) == [new]
    assert f.banner(1) == [new]
    assert [c.ticket for c in f.recent(1)] == ["B1", "A19", "A18"]


def test_a_call_is_announced_once_and_a_recall_again() -> None:
    f = follower()
    f.succeeded([], now=0)
    first = call("A17", "12", 1)
    assert f.succeeded([first], now=1) == [first]
    assert f.succeeded([first], now=2) == []
    assert f.succeeded([first], now=3) == []
    recall = call("A17", "12", 4)  # the visitor did not come: called again
    assert f.succeeded([first, recall], now=4) == [recall]
    assert f.announced_total == 2


def test_a_ticket_number_given_out_again_is_a_new_call() -> None:
    # Text sources have no times: «А017 12» tomorrow reads like today's. Once a call has been
    # out of the list for a while, the same ticket at the same window is announced again.
    f = follower()
    f.succeeded([], now=0)
    today = Call("А017", "12")
    assert f.succeeded([today], now=1) == [today]
    later = [Call(f"Б{i:03d}", "3") for i in range(20)]  # today went off the end of the list
    f.succeeded(later, now=60)
    assert f.succeeded([*later[1:], today], now=60 + FORGET_ABSENT_SECONDS) == [today]
    assert f.banner(60 + FORGET_ABSENT_SECONDS) == [today]


def test_a_call_missing_from_one_answer_is_not_announced_again() -> None:
    f = follower()
    f.succeeded([], now=0)
    a, b = Call("А1", "1"), Call("А2", "2")
    f.succeeded([a, b], now=1)
    f.succeeded([b], now=2)  # a source that dropped an entry for a poll
    assert f.succeeded([a, b], now=3) == []
    # One that stays listed is never announced twice, however long it stays: asked every
    # poll, or in a file nobody touched overnight.
    assert f.succeeded([a, b], now=3 + 10 * FORGET_ABSENT_SECONDS) == []
    for hour in range(1, 13):
        f.unchanged(now=3 + 3600 * hour)
    assert f.succeeded([a, b, Call("А3", "3")], now=3 + 3600 * 12 + 1) == [Call("А3", "3")]


def test_the_banner_lasts_its_time_and_shows_quick_calls_together() -> None:
    f = follower(banner_seconds=10)
    f.succeeded([], now=0)
    a, b = call("A1", "1", 1), call("A2", "2", 2)
    f.succeeded([a], now=100)
    f.succeeded([a, b], now=103)
    assert f.banner(104) == [b, a]  # newest first
    assert f.banner_ends(104) == 110
    assert f.banner(110) == [b]
    assert f.banner(113) == []
    assert f.banner_ends(113) is None


def test_many_calls_at_once_show_at_most_three() -> None:
    f = follower()
    f.succeeded([], now=0)
    calls = [call(f"A{i}", "1", i) for i in range(6)]
    f.succeeded(calls, now=1)
    assert [c.ticket for c in f.banner(1)] == ["A5", "A4", "A3"]


def test_a_tap_dismisses_the_banner_until_the_next_call() -> None:
    f = follower()
    f.succeeded([], now=0)
    a, b = call("A1", "1", 1), call("A2", "2", 2)
    f.succeeded([a], now=1)
    f.dismiss(now=2)
    assert f.banner(2) == []
    f.succeeded([a, b], now=3)
    assert f.banner(3) == [b]


def test_failures_back_off_and_success_recovers(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "kiosk.queue")
    f = follower(poll_seconds=1)
    assert f.next_delay() == 1
    delays = []
    for n in range(10):
        f.failed("connection refused", now=n)
        delays.append(f.next_delay())
    assert 1.6 <= delays[0] <= 2.4 and 3.2 <= delays[1] <= 4.8  # about 2, 4, 8 … with jitter
    assert delays == sorted(delays[:5]) + delays[5:]
    assert all(d <= MAX_BACKOFF_SECONDS * 1.2 for d in delays)
    assert delays[-1] >= MAX_BACKOFF_SECONDS * 0.8
    health = f.health(now=100)
    assert health.status == "down" and health.failures == 10
    assert health.down_since == 0 and health.down_seconds == 100
    assert health.last_error == "connection refused"
    assert "down for 2 min — connection refused" in health.describe("en")
    # logged once, not ten times: the same error repeated is not news
    assert sum("connection refused" in r.message for r in caplog.records) == 1
    f.succeeded([], now=101)
    assert f.next_delay() == 1
    assert f.health(now=101).status == "ok"
    assert any("answers again" in r.message for r in caplog.records)


def test_health_before_the_first_answer_is_starting() -> None:
    assert follower().health(0).status == "starting"


def test_a_short_outage_catches_up_and_a_long_one_is_backlog() -> None:
    f = follower()
    a = call("A1", "1", 1)
    f.succeeded([a], now=0)
    f.failed("timeout", now=10)
    b = call("A2", "1", 2)
    assert f.succeeded([a, b], now=10 + CATCH_UP_SECONDS / 2) == [b]  # a blip loses nothing
    f.failed("timeout", now=100)
    c = call("A3", "1", 3)
    assert f.succeeded([a, b, c], now=100 + CATCH_UP_SECONDS + 1) == []  # old news
    d = call("A4", "1", 4)
    assert f.succeeded([a, b, c, d], now=200) == [d]


def test_garbage_keeps_the_last_good_state() -> None:
    f = follower()
    f.succeeded([], now=0)
    a = call("A1", "1", 1)
    f.succeeded([a], now=1)
    f.failed("not JSON", now=2)
    assert f.banner(2) == [a]
    assert f.recent(2) == [a]


def test_recent_calls_fade_after_a_while_and_follow_the_list() -> None:
    f = follower(recent_calls=2)
    a = call("A1", "1", 1)
    f.succeeded([a], now=0)
    assert f.recent(RECENT_KEEP_SECONDS - 1) == [a]
    assert f.recent(RECENT_KEEP_SECONDS + 1) == []
    f.succeeded([], now=10)  # the queue system started a new day
    assert f.recent(11) == []
    assert follower(recent_calls=0).recent(0) == []


def test_skipped_entries_are_logged_when_they_change(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "kiosk.queue")
    f = follower()
    for now in range(5):
        f.succeeded([], now=now, skipped=["entry 2: ticket is empty"])
    assert sum("skipped" in r.message for r in caplog.records) == 1


class InstalledAdapter(QueueAdapter):
    """Stands for an adapter that a package installed into the kiosk's environment."""

    def parse(self, payload: bytes) -> list[Call]:
        return [Call("Z9", "9")]


def test_installed_adapters_are_found_by_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.metadata import EntryPoint

    import kiosk.core.queue as queue

    point = EntryPoint("installed-test", "tests.core.test_queue:InstalledAdapter",
                       queue.ADAPTER_ENTRY_POINTS)
    # kiosk.core.queue asks importlib.metadata only when it needs to (start-up time).
    monkeypatch.setattr("importlib.metadata.entry_points", lambda group: [point])
    assert "installed-test" in adapter_names()
    assert parse_calls(make_adapter("installed-test"), b"")[0] == [Call("Z9", "9")]


def test_the_documented_adapter_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(REPO / "docs" / "examples" / "queue_adapter.py"), run_name="__main__")
    assert capsys.readouterr().out.splitlines() == [
        "А017 -> 12 at 11:02:03",
        "skipped line 3: time data 'вчера' does not match format '%d.%m.%Y %H:%M:%S'"]


# -- text that would draw wrong, duplicates, privacy (issue 14) ------------------------------

RLO, PDF, LRI, PDI, LS = "\u202e", "\u202c", "\u2066", "\u2069", "\u2028"


@pytest.mark.parametrize("ticket", [
    f"{RLO}А017{PDF}",  # «710А» on screen before
    f"{RLO}А017",  # not even closed: the rest of the line reversed with it
    f"А0{LS}17",  # Qt broke the line there: the ticket box showed blank
    f"{LRI}А0\u200b17\u200e{PDI}",  # isolate, zero-width space, left-to-right mark
    "\u061cА017\u2029\ufeff",  # Arabic letter mark, paragraph separator, BOM
    "А\u0007017\x85",  # C0 and C1 controls
    "\u3164А017\u2800",  # letters that draw as blank
])
def test_invisible_characters_are_removed_from_tickets(ticket: str) -> None:
    data = json.dumps({"calls": [{"ticket": ticket, "window": f"{RLO}12"}]}).encode()
    calls, skipped = parse_calls(JsonAdapter(), data)
    assert skipped == []
    assert [(c.ticket, c.window) for c in calls] == [("А017", "12")]


def test_a_line_separator_in_a_text_source_is_not_a_new_line() -> None:
    # str.splitlines() made «А0<LS>17 12» two lines, the second «17 12»: a call of ticket 17.
    calls, skipped = parse_calls(TextAdapter(), f"А0{LS}17 12\n{RLO}Б4\t3\r\n".encode())
    assert [(c.ticket, c.window) for c in calls] == [("А017", "12"), ("Б4", "3")]
    assert skipped == []


def test_stacked_accents_are_bounded_and_letters_keep_theirs() -> None:
    calls, _ = parse_calls(JsonAdapter(), json.dumps(
        {"calls": [{"ticket": "А" + "\u0301" * 500 + "017", "window": "1\u0308\u0301\u0316"},
                   {"ticket": "ё1", "window": "И\u0306"}]}).encode())
    ticket = calls[0].ticket
    assert ticket.startswith("А") and ticket.endswith("017")
    assert len(ticket) <= 4 + 2  # at most two accents on the letter
    assert sum(unicodedata.combining(c) > 0 for c in calls[0].window) == 2
    assert (calls[1].ticket, calls[1].window) == ("Ё1", "Й")  # composed: one letter each


def test_cleaning_is_linear_even_on_a_whole_payload_of_accents() -> None:
    # Python's normalisation sorts a run of accents in quadratic time: 128,000 alternating
    # ones take about a minute. Cleaning bounds them first.
    text = "a" + "\u0301\u0316" * 60_000
    started = time.perf_counter()
    assert clean_display(text) == unicodedata.normalize("NFC", "a\u0301\u0316")
    assert time.perf_counter() - started < 1.0


def test_fields_are_bounded_before_and_after_cleaning() -> None:
    calls, skipped = parse_calls(JsonAdapter(), json.dumps({"calls": [
        {"ticket": RLO * 2000 + "А1", "window": "1"},  # unread: too long raw
        {"ticket": "А" + RLO * 900 + "2", "window": "1"},  # fine once cleaned
        {"ticket": "Б" * (MAX_TEXT + 1), "window": "2"},
        {"ticket": 10**40, "window": 1},
    ]}).encode())
    assert [c.ticket for c in calls] == ["А2"]
    assert len(skipped) == 3 and all("longer than" in s for s in skipped)


def test_a_third_party_adapter_cannot_bypass_the_cleaning() -> None:
    class Sloppy(QueueAdapter):
        name = "sloppy"

        def parse(self, payload: bytes) -> list[Call]:
            return [Call(f"{RLO}А017", f"1{LS}2"), Call("X" * 100, "1"), Call("Б1", "")]

    calls, skipped = parse_calls(Sloppy(), b"")
    assert calls == [Call("А017", "12")]
    assert len(skipped) == 2


def test_reasons_from_the_answer_are_cleaned_and_bounded(
        caplog: pytest.LogCaptureFixture) -> None:
    class Shouting(QueueAdapter):
        name = "shouting"

        def parse(self, payload: bytes) -> list[Call]:
            raise RuntimeError(f"{RLO}bad{LS}" * 10_000)

    with pytest.raises(QueueFormatError) as raised:
        parse_calls(Shouting(), b"")
    reason = str(raised.value)
    assert RLO not in reason and LS not in reason and len(reason) <= 300
    f = follower()
    f.failed(f"{RLO}HTTP 500{LS}" + "x" * 5000, now=0)
    assert f.health(0).last_error.startswith("HTTP 500") and len(f.health(0).last_error) <= 300
    assert all(RLO not in r.getMessage() for r in caplog.records)


def test_a_call_listed_twice_in_one_answer_is_announced_once() -> None:
    f = follower()
    f.succeeded([], now=0)
    a, b = call("А17", "12", 1), call("Б4", "3", 2)
    assert f.succeeded([a, b, a], now=1) == [b, a]
    assert f.banner(1) == [a, b]
    assert f.announced_total == 2
    assert f.recent(1) == [a, b]  # the corner lists it once too
    text_twice = Call("В1", "5")  # no times: the same line twice
    assert f.succeeded([text_twice, text_twice], now=2) == [text_twice]


def test_the_log_never_names_a_called_ticket(caplog: pytest.LogCaptureFixture) -> None:
    # A ticket with the time of its log line identifies the visitor who held it.
    caplog.set_level(logging.DEBUG, "kiosk.queue")
    f = follower()
    f.succeeded([call("А901", "7", 0)], now=0)  # backlog
    f.succeeded([call("А901", "7", 0), call("Б902", "8", 1), call("В903", "9", 2)], now=1)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "2 new call" in text
    for secret in ("А901", "Б902", "В903", "window 8"):
        assert secret not in text


@pytest.mark.parametrize("kind", ["fifo", "link", "linked folder", "folder"])
def test_check_reports_a_queue_file_the_kiosk_will_not_open(tmp_path: Path, kind: str) -> None:
    source = ".queue/calls.json"
    root = make_folder(tmp_path / "content", stories={"a.md": story()},
                       settings=f"queue:\n  source: {source}\n")
    outside = tmp_path / "outside.json"
    outside.write_text('{"calls": []}', encoding="utf-8")
    (root / ".queue").mkdir()
    target = root / ".queue" / "calls.json"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link":
        target.symlink_to(outside)
    elif kind == "linked folder":
        (root / ".queue").rmdir()
        (root / ".queue").symlink_to(tmp_path)
        os.replace(outside, tmp_path / "calls.json")
    else:
        target.mkdir()
    started = time.perf_counter()
    problems = load_content(root).problems
    assert time.perf_counter() - started < 10  # a FIFO is looked at, never opened
    assert [(p.line, p.code, p.is_error) for p in problems] == [
        (2, "queue_file_special", False)]
    assert "FIFO" in problems[0].message("ru") and "link" in problems[0].message("en")
    assert queue_file_check(target) == "queue_file_special" or kind == "linked folder"
