"""`kiosk stats`: a table in Russian for people, CSV for programs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from kiosk.core.service.stats import Event, StatsStore
from tests.cli.test_cli import kiosk


def filled(tmp_path: Path) -> Path:
    path = tmp_path / "stats.sqlite3"
    store = StatsStore(path)
    day = dt.datetime(2026, 11, 26, 9, 30)
    for _ in range(3):
        store.record(Event.MENU_OPEN, day)
    store.record(Event.COLOURING_FINISHED, day.replace(hour=14))
    store.record(Event.STORY_READ, day + dt.timedelta(days=1))
    store.close()
    return path


def test_a_readable_table_in_russian(tmp_path: Path) -> None:
    result = kiosk("stats", "--db", filled(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Статистика с начала по сегодня (время центра)"
    assert lines[1].split() == ["День", "Час", "Событие", "Сколько"]
    assert lines[2].split() == ["2026-11-26", "09:00–09:59", "открыли", "меню", "3"]
    assert "закончили раскраску («Готово»)" in lines[3]
    assert "прочитали историю" in lines[4] and "2026-11-27" in lines[4]
    assert "Итого:" in lines


def test_dates_limit_the_period(tmp_path: Path) -> None:
    result = kiosk("stats", "--db", filled(tmp_path), "--from", "2026-11-27", "--to",
                   "2026-11-30")
    assert "меню" not in result.stdout and "прочитали историю" in result.stdout
    empty = kiosk("stats", "--db", filled(tmp_path), "--to", "2026-01-01")
    assert empty.returncode == 0 and "событий нет" in empty.stdout


def test_csv_with_a_header_for_programs(tmp_path: Path) -> None:
    result = kiosk("stats", "--db", filled(tmp_path), "--csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["day", "hour", "event", "count"], ["2026-11-26", "9", "menu_open", "3"],
                    ["2026-11-26", "14", "colouring_finished", "1"],
                    ["2026-11-27", "9", "story_read", "1"]]


def test_the_state_folder_finds_the_database(tmp_path: Path) -> None:
    filled(tmp_path)
    result = kiosk("stats", "--state-dir", tmp_path, "--csv")
    assert result.stdout.count("\n") == 4


def test_mistakes_are_explained(tmp_path: Path) -> None:
    bad_date = kiosk("stats", "--from", "27.11.2026")
    assert bad_date.returncode == 2 and "2026-08-22" in bad_date.stderr
    missing = kiosk("stats", "--db", tmp_path / "none.sqlite3")
    assert missing.returncode == 1 and "Статистику не прочитать" in missing.stderr
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database" * 100)
    broken = kiosk("stats", "--db", garbage)
    assert broken.returncode == 1 and "не читается" in broken.stderr
