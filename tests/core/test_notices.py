"""Notices (notices/*.yaml): reading them, every mistake named, their levels, schedules that
refer to kiosk.yaml's closed days (across the new year), and the moment the set of urgent
notices next changes. The time is always an argument."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.content.index import ContentIndex
from kiosk.core.content.loader import ParseCache, load_content
from kiosk.core.content.model import Content, Notice, Text
from kiosk.core.content.notices import (
    HORIZON_DAYS,
    LONG_CHARS,
    MOST_CHARS,
    WORD_MOST,
    next_change,
    parse_level,
)
from kiosk.core.content.problems import MESSAGES, Problem, ProblemLog
from kiosk.core.content.reload import keep_last_good
from kiosk.core.content.yamlsrc import parse_yaml
from kiosk.core.playlist import SlideKind, build_cycle, notice_seconds
from kiosk.core.schedules.schedule import HOURS_MOST, ClosedDays, Schedule, parse_schedule
from kiosk.core.settings import Settings, parse_settings
from tests.helpers import BUNDLED, make_folder, story

MOSCOW = ZoneInfo("Europe/Moscow")
HOLIDAYS = "closed_days:\n  - 1-8 января\n"


def at(text: str, zone: ZoneInfo = MOSCOW) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def folder(tmp_path: Path, notices: dict[str, str], settings: str | None = None) -> Path:
    root = make_folder(tmp_path / "c", stories={"a.md": story()}, settings=settings)
    (root / "notices").mkdir()
    for name, text in notices.items():
        (root / "notices" / name).write_text(text, encoding="utf-8")
    return root


def problems_of(content: Content) -> list[tuple[str, int | None, str]]:
    return [(Path(p.path).name, p.line, p.code) for p in content.problems]


def only(content: Content, code: str) -> Problem:
    (found,) = [p for p in content.problems if p.code == code]
    return found


def schedule(text: str) -> tuple[Schedule, list[Problem]]:
    problems: list[Problem] = []
    log = ProblemLog("notices/x.yaml", problems)
    return parse_schedule(parse_yaml(text, log), log), problems


def settings(text: str) -> Settings:
    problems: list[Problem] = []
    log = ProblemLog("kiosk.yaml", problems)
    parsed = parse_settings(parse_yaml(text, log), log)
    assert problems == []
    return parsed


def closed_days(text: str) -> ClosedDays:
    return ClosedDays(settings(text).opening.is_closed_day)


# -- reading ------------------------------------------------------------------------------------

def test_a_notice_is_read_with_all_its_fields(tmp_path: Path) -> None:
    root = folder(tmp_path, {"repair.yaml": (
        "text: Из-за ремонта приём в окнах 10–14 не ведётся\n"
        "text_en: Counters 10–14 are closed for repairs\n"
        "level: срочное\n"
        "duration: 12\n"
        "show_from: 2026-12-01\nshow_until: 2026-12-20\n"
        "weekdays: [пн, вт]\nhours: \"10:00-14:00\"\n")})
    content = load_content(root)
    assert content.problems == ()
    (notice,) = content.notices
    assert notice == Notice(
        "repair", root / "notices" / "repair.yaml",
        Text("Из-за ремонта приём в окнах 10–14 не ведётся",
             "Counters 10–14 are closed for repairs"),
        urgent=True, duration=12.0,
        schedule=Schedule(dt.date(2026, 12, 1), dt.date(2026, 12, 20), frozenset({0, 1}),
                          ((dt.time(10), dt.time(14)),)))
    assert notice.text.get("en") == "Counters 10–14 are closed for repairs"


def test_a_text_typed_over_several_lines_is_one_line(tmp_path: Path) -> None:
    root = folder(tmp_path, {"a.yaml": "text: >\n  Сегодня центр\n  работает до 16:00\n"})
    (notice,) = load_content(root).notices
    assert notice.text == Text("Сегодня центр работает до 16:00")
    assert not notice.urgent  # ordinary unless it says otherwise


@pytest.mark.parametrize(("typed", "urgent"), [
    ("срочное", True), ("Срочное", True), ("срочно", True), ("urgent", True), ("URGENT", True),
    ("обычное", False), ("обычный", False), ("ordinary", False), ("normal", False)])
def test_levels_in_russian_and_english(typed: str, urgent: bool) -> None:
    problems: list[Problem] = []
    assert parse_level(typed, 3, ProblemLog("x.yaml", problems)) is urgent
    assert problems == []


def test_notices_are_in_the_order_of_their_names_and_readme_is_left_alone(tmp_path: Path) -> None:
    root = folder(tmp_path, {"10-b.yaml": "text: Б\n", "2-a.yml": "text: А\n",
                             "README.txt": "объявления\n"})
    content = load_content(root)
    assert [n.id for n in content.notices] == ["2-a", "10-b"]
    assert content.problems == ()


def test_the_folder_is_known_and_a_folder_of_notices_alone_is_content(tmp_path: Path) -> None:
    root = tmp_path / "c"
    (root / "notices").mkdir(parents=True)
    (root / "notices" / "a.yaml").write_text("text: Сегодня до 16:00\n", encoding="utf-8")
    content = load_content(root)
    assert content.problems == () and not content.is_empty


# -- every mistake, named ------------------------------------------------------------------------

def test_no_text_an_empty_text_and_an_empty_file_are_errors(tmp_path: Path) -> None:
    root = folder(tmp_path, {"none.yaml": "level: срочное\n", "empty.yaml": "text: \"\"\n",
                             "blank.yaml": "", "english.yaml": "text_en: Closed today\n"})
    content = load_content(root)
    assert content.notices == ()
    assert sorted(problems_of(content), key=repr) == sorted([
        ("none.yaml", None, "missing_field"), ("none.yaml", None, "skipped"),
        ("empty.yaml", 1, "empty_field"), ("empty.yaml", None, "skipped"),
        ("blank.yaml", None, "file_empty"), ("blank.yaml", None, "skipped"),
        ("english.yaml", None, "missing_field"), ("english.yaml", None, "skipped")], key=repr)
    (missing,) = [p for p in content.problems
                  if p.code == "missing_field" and p.path.endswith("none.yaml")]
    assert "«text: …»" in missing.message("ru")


def test_a_long_notice_is_shown_with_a_warning_and_a_too_long_one_is_not(tmp_path: Path) -> None:
    long_text = ("Слово " * 30)[: LONG_CHARS + 10].strip()
    too_long = ("Слово " * 60)[: MOST_CHARS + 10].strip()
    root = folder(tmp_path, {"long.yaml": f"text: {long_text}\n",
                             "huge.yaml": f"text: Коротко\ntext_en: {too_long}\n"})
    content = load_content(root)
    assert [n.id for n in content.notices] == ["long"]
    warning = only(content, "notice_long")
    assert not warning.is_error and warning.line == 1
    assert warning.args == {"key": "text", "length": str(len(long_text)), "most": str(LONG_CHARS)}
    error = only(content, "notice_too_long")
    assert error.is_error and error.line == 2 and error.args["key"] == "text_en"
    assert str(MOST_CHARS) in error.message("ru") and "не показывает" in error.message("ru")


@pytest.mark.parametrize(("length", "said"), [(LONG_CHARS + 1, "знак"),
                                              (LONG_CHARS + 34, "знака"),
                                              (LONG_CHARS + 5, "знаков")])
def test_a_long_notice_counts_its_characters_in_good_russian(tmp_path: Path, length: int,
                                                              said: str) -> None:
    # «в объявлении 154 знаков» was said of any length.
    text = ("Слово " * 40)[:length - 1] + "!"
    content = load_content(folder(tmp_path, {"long.yaml": f"text: {text}\n"}))
    message = only(content, "notice_long").message("ru")
    assert f"в объявлении {length} {said}," in message, message
    assert f"has {length} characters," in only(content, "notice_long").message("en")


def test_a_text_that_shows_nothing_is_as_empty_as_no_text(tmp_path: Path) -> None:
    root = folder(tmp_path, {
        "zwsp.yaml": 'text: "\\u200b"\nlevel: срочное\n',
        "format.yaml": 'text: " \\u200d\\u2060 \\ufeff\\u3164 "\n',
        "bidi.yaml": 'text: "\\u202e"\n',  # taken out as hidden: nothing is left
        "english.yaml": 'text: Сегодня до 16:00\ntext_en: "\\u200b\\u200b"\n'})
    content = load_content(root)
    assert [(n.id, n.text.en) for n in content.notices] == [("english", "")]
    assert sorted(problems_of(content), key=repr) == sorted([
        ("zwsp.yaml", 1, "empty_field"), ("zwsp.yaml", None, "skipped"),
        ("format.yaml", 1, "hidden_characters"), ("format.yaml", 1, "empty_field"),
        ("format.yaml", None, "skipped"),
        ("bidi.yaml", 1, "hidden_characters"), ("bidi.yaml", 1, "empty_field"),
        ("bidi.yaml", None, "skipped"), ("english.yaml", 2, "empty_field")], key=repr)
    english = [p for p in content.problems if p.path.endswith("english.yaml")]
    assert [p.is_error for p in english] == [False]  # no English: the Russian is shown


def test_a_word_too_long_for_a_line_is_an_error(tmp_path: Path) -> None:
    longest = "Ш" * WORD_MOST
    root = folder(tmp_path, {"fits.yaml": f"text: Ждём {longest} в окне 3\nlevel: срочное\n",
                             "over.yaml": f"text: Ждём\ntext_en: Go to {longest}Ш now\n",
                             "real.yaml": "text: Высококвалифицированный приём\n"})
    content = load_content(root)
    assert [n.id for n in content.notices] == ["fits", "real"]
    error = only(content, "notice_long_word")
    assert error.is_error and error.line == 2 and Path(error.path).name == "over.yaml"
    assert error.args == {"key": "text_en", "length": str(WORD_MOST + 1),
                          "value": longest + "…", "most": str(WORD_MOST)}
    assert "пробел" in error.message("ru") and "space" in error.message("en")


def test_notices_that_share_a_name_are_read_once_and_staff_hear_which(tmp_path: Path) -> None:
    root = folder(tmp_path, {"a.yaml": "text: Первое\nlevel: срочное\n",
                             "a.yml": "text: Второе\nlevel: срочное\n",
                             "B.yml": "text: Третье\n", "b.yaml": "text: Четвёртое\n",
                             "c.yaml": "text: Пятое\n"})
    content = load_content(root)
    # Whichever order the disk lists them in: .yaml before .yml, then capitals first.
    assert [(n.id, n.text.ru) for n in content.notices] == [
        ("a", "Первое"), ("b", "Четвёртое"), ("c", "Пятое")]
    twins = sorted((Path(p.path).name, p.args["other"], p.is_error) for p in content.problems
                   if p.code == "notice_twin")
    assert twins == [("B.yml", "b.yaml", False), ("a.yml", "a.yaml", False)]
    message = next(p for p in content.problems if p.args.get("value") == "a.yml").message("ru")
    assert "«a.yml» и «a.yaml»" in message and "Показывается «a.yaml»" in message
    slides = [s.item_id for s in build_cycle(content, 0, at("2026-12-01 12:00"))
              if s.kind is SlideKind.NOTICE]
    assert slides == ["b", "c"]  # each once; the urgent one is the band's


def test_an_unknown_level_is_an_error_naming_the_levels(tmp_path: Path) -> None:
    root = folder(tmp_path, {"a.yaml": "text: Сегодня до 16:00\nlevel: срочнное\n",
                             "b.yaml": "text: Сегодня до 16:00\nlevel: важное\n"})
    content = load_content(root)
    assert content.notices == ()  # neither a slide nor a band: which was meant is unknown
    first, second = [p for p in content.problems if p.code == "bad_notice_level"]
    assert first.line == 2
    assert "«срочное»?" in first.message("ru")
    for message in (first.message("ru"), second.message("ru")):
        assert "level: обычное" in message and "level: срочное" in message
    assert "level: ordinary" in second.message("en") and "level: urgent" in second.message("en")


def test_other_files_in_the_folder_are_named_and_links_refused(tmp_path: Path) -> None:
    root = folder(tmp_path, {"today.txt": "Сегодня до 16:00", "today.md": "---\ntext: x\n---\n",
                             "list.yaml": "- text: x\n", "typo.yaml": "text: x\nlevle: срочное\n"})
    (root / "notices" / "link.yaml").symlink_to(root / "notices" / "typo.yaml")
    content = load_content(root)
    assert [n.id for n in content.notices] == ["typo"]
    assert sorted(problems_of(content), key=repr) == sorted([
        ("today.txt", None, "notice_not_yaml"), ("today.md", None, "notice_not_yaml"),
        ("list.yaml", 1, "not_a_mapping"), ("list.yaml", None, "skipped"),
        ("typo.yaml", 2, "unknown_field"), ("link.yaml", None, "content_link")], key=repr)
    named = [p for p in content.problems if p.code == "notice_not_yaml"]
    assert {p.args["name"] for p in named} == {"today.yaml"}
    assert "«level»" in only(content, "unknown_field").message("ru")


def test_every_new_code_has_both_wordings() -> None:
    for code in ("notice_long", "notice_too_long", "bad_notice_level", "notice_not_yaml",
                 "bad_before_closed_days", "bad_on_closed_days", "closed_days_never",
                 "too_many_hours", "notice_long_word", "notice_twin"):
        ru, en = MESSAGES[code]
        assert ru and en and ru != en


# -- schedules and closed days -----------------------------------------------------------------

def test_closed_day_fields_and_their_mistakes() -> None:
    week, problems = schedule("before_closed_days: 7\non_closed_days: нет\n")
    assert problems == [] and (week.before_closed, week.on_closed) == (7, "no")
    for typed, expected in (("да", "yes"), ("yes", "yes"), ("no", "no"), ("только", "only"),
                            ("Only", "only")):
        parsed, problems = schedule(f"on_closed_days: {typed}\n")
        assert problems == [] and parsed.on_closed == expected, typed
    for typed in ("0", "91", "неделя", "2.5", "-3", "yes"):
        parsed, problems = schedule(f"before_closed_days: {typed}\n")
        assert [(p.code, p.line, p.is_error) for p in problems] == \
            [("bad_before_closed_days", 1, True)], typed
        assert parsed.before_closed == 0
        assert typed in problems[0].message("ru") and "от 1 до 90" in problems[0].message("ru")
    parsed, problems = schedule("on_closed_days: толко\n")
    assert [(p.code, p.line) for p in problems] == [("bad_on_closed_days", 1)]
    assert "«только»?" in problems[0].message("ru") and parsed.on_closed == "yes"
    parsed, problems = schedule("before_closed_days: 3\non_closed_days: только\n")
    assert [(p.code, p.line, p.is_error) for p in problems] == [("closed_days_never", 2, False)]


def test_the_week_before_the_new_year_holidays_across_the_year_boundary() -> None:
    closed = closed_days(HOLIDAYS)
    week, _ = schedule("before_closed_days: 7\n")
    shown = [day for day in (dt.date(2026, 12, 20) + dt.timedelta(days=n) for n in range(30))
             if week.active(at(f"{day.isoformat()} 12:00"), closed)]
    assert shown == [dt.date(2026, 12, 25) + dt.timedelta(days=n) for n in range(7)]
    assert week.active(at("2026-12-25 00:00"), closed)
    assert not week.active(at("2026-12-24 23:59"), closed)
    assert not week.active(at("2027-01-01 00:00"), closed)  # closed: not «before» any more
    # Every year: the list says «1-8 января» without a year.
    assert week.active(at("2030-12-31 12:00"), closed)
    assert not week.active(at("2030-12-24 12:00"), closed)


def test_a_working_day_inside_the_holidays_splits_them_in_two_runs() -> None:
    closed = closed_days("closed_days:\n  - 2027-01-01..2027-01-08\n"
                         "open_days:\n  2027-01-04: 10:00-16:00\n")
    eve, _ = schedule("before_closed_days: 1\n")
    assert eve.active(at("2026-12-31 12:00"), closed)
    assert eve.active(at("2027-01-04 12:00"), closed)  # open, and the 5th is closed again
    assert not eve.active(at("2027-01-03 12:00"), closed)
    assert not eve.active(at("2027-01-09 12:00"), closed)


def test_on_closed_days_no_and_only_and_hours_past_midnight() -> None:
    closed = closed_days(HOLIDAYS)
    never_closed, _ = schedule("on_closed_days: нет\n")
    only_closed, _ = schedule("on_closed_days: только\n")
    assert never_closed.active(at("2026-12-31 12:00"), closed)
    assert not never_closed.active(at("2027-01-03 12:00"), closed)
    assert only_closed.active(at("2027-01-03 12:00"), closed)
    assert not only_closed.active(at("2027-01-09 12:00"), closed)
    # An evening of the 31st that runs past midnight belongs to the 31st, the day before.
    night, _ = schedule('before_closed_days: 1\nhours: "22:00-02:00"\n')
    assert night.active(at("2027-01-01 01:00"), closed)
    assert not night.active(at("2027-01-01 23:00"), closed)
    assert not night.active(at("2026-12-31 12:00"), closed)


def test_without_closed_days_listed_such_schedules_never_hold_or_always_do() -> None:
    week, _ = schedule("before_closed_days: 7\n")
    only_closed, _ = schedule("on_closed_days: только\n")
    never_closed, _ = schedule("on_closed_days: нет\n")
    moment = at("2026-12-28 12:00")
    assert not week.active(moment) and not only_closed.active(moment)
    assert never_closed.active(moment)


def test_closed_days_are_worked_out_once_a_day_however_many_stories_ask(tmp_path: Path) -> None:
    stories = {f"s{i}.md": story(f"История {i}", before_closed_days="7") for i in range(300)}
    root = make_folder(tmp_path / "c", stories=stories, settings=HOLIDAYS)
    content = load_content(root, sandboxed=False)
    closed = content.closed_days()
    assert closed is not None
    asked: list[dt.date] = []
    rule = closed._is_closed

    def counted(day: dt.date) -> bool:
        asked.append(day)
        return rule(day)

    closed._is_closed = counted
    assert len(content.stories_at(at("2026-12-28 12:00"))) == 300
    assert len(set(asked)) == len(asked) <= 8  # each day once, not once a story
    assert content.stories_at(at("2026-12-20 12:00")) == ()


def test_a_schedule_with_closed_days_survives_the_index(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", settings=HOLIDAYS, stories={
        "a.md": story(before_closed_days="3", on_closed_days="нет")})
    for _ in range(2):  # the second read comes from the index
        index = ContentIndex.open(tmp_path / "index.sqlite")
        assert index is not None
        (item,) = load_content(root, cache=ParseCache(index=index)).stories
        assert (item.schedule.before_closed, item.schedule.on_closed) == (3, "no")


# -- the loop and the band ------------------------------------------------------------------

def test_an_ordinary_notice_is_a_slide_in_its_days_and_an_urgent_one_never(
        tmp_path: Path) -> None:
    root = folder(tmp_path, {
        "eve.yaml": "text: Завтра центр не работает\nbefore_closed_days: 1\n",
        "urgent.yaml": "text: Срочно\nlevel: срочное\n",
        "timed.yaml": "text: Сегодня до 16:00\nduration: 20\n"}, settings=HOLIDAYS)
    content = load_content(root)
    eve = [s for s in build_cycle(content, 0, at("2026-12-31 12:00"))
           if s.kind is SlideKind.NOTICE]
    assert [s.item_id for s in eve] == ["eve", "timed"]
    assert eve[1].duration == 20.0
    assert eve[0].duration == notice_seconds(content.notices[0], content) >= \
        content.settings.slide_seconds
    later = [s.item_id for s in build_cycle(content, 0, at("2027-01-09 12:00"))
             if s.kind is SlideKind.NOTICE]
    assert later == ["timed"]
    everything = [s.item_id for s in build_cycle(content) if s.kind is SlideKind.NOTICE]
    assert everything == ["eve", "timed"]


def notice(name: str, schedule_text: str) -> Notice:
    parsed, problems = schedule(schedule_text or "{}\n")
    assert problems == []
    return Notice(name, Path(f"{name}.yaml"), Text(name), True, None, parsed)


def test_the_next_change_is_the_next_edge_of_the_set_not_of_each_schedule() -> None:
    morning = notice("morning", 'hours: "10:00-14:00"\n')
    noon = notice("noon", 'hours: "12:00-16:00"\n')
    twin = notice("twin", 'hours: "10:00-14:00"\n')
    assert next_change([morning], at("2026-12-01 09:30"), None) == at("2026-12-01 10:00")
    assert next_change([morning], at("2026-12-01 10:00"), None) == at("2026-12-01 14:00")
    assert next_change([morning], at("2026-12-01 15:00"), None) == at("2026-12-02 10:00")
    assert next_change([morning, noon], at("2026-12-01 11:00"), None) == at("2026-12-01 12:00")
    assert next_change([morning, twin], at("2026-12-01 11:00"), None) == at("2026-12-01 14:00")


def test_the_next_change_around_the_holidays_and_when_nothing_changes() -> None:
    closed = closed_days(HOLIDAYS)
    week = notice("week", "before_closed_days: 7\n")
    assert next_change([week], at("2026-12-24 10:00"), closed) == at("2026-12-25 00:00")
    assert next_change([week], at("2026-12-31 23:59"), closed) == at("2027-01-01 00:00")
    assert next_change([week], at("2026-12-20 10:00"), closed) is None  # not within a day
    # Further ahead, as far as asked (the window asks a day ahead, and again within the hour).
    assert next_change([week], at("2026-12-20 10:00"), closed, 400) == at("2026-12-25 00:00")
    assert next_change([week], at("2026-12-25 00:00"), closed, 400) == at("2027-01-01 00:00")
    assert next_change([week], at("2027-01-01 00:00"), closed, 400) == at("2027-12-25 00:00")
    assert next_change([week], at("2026-12-20 10:00"), None, 400) is None  # never shown
    assert next_change([notice("always", "")], at("2026-12-20 10:00"), closed) is None
    assert next_change([], at("2026-12-20 10:00"), closed) is None


def test_the_next_change_is_a_wall_clock_time_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    morning = notice("morning", 'hours: "10:00-11:00"\n')
    now = at("2027-03-27 12:00", berlin)  # the clocks go forward in the night
    change = next_change([morning], now, None)
    assert change == at("2027-03-28 10:00", berlin)
    assert change is not None
    assert change - now.astimezone(dt.UTC) == dt.timedelta(hours=21)  # what a timer waits


def test_the_next_change_is_each_notices_own_next_change_seen_minute_by_minute() -> None:
    """Against the plain way, every minute of the day ahead asked of Schedule.active, for
    schedules of every kind: dates, weekdays, hours within and across midnight, the whole day,
    closed days."""
    closed = closed_days("closed_days:\n  - 2027-03-08\n  - 2027-03-11..2027-03-12\n")
    draw = random.Random(15)
    clock = [f"{h:02d}:{m:02d}" for h in (0, 1, 9, 13, 22, 23) for m in (0, 30, 59)]
    kinds = ["", "show_from: 2027-03-10\n", "show_until: 2027-03-09\n", "weekdays: пн, ср\n",
             "before_closed_days: 1\n", "on_closed_days: нет\n", "on_closed_days: только\n"]
    for _round in range(60):
        notices = []
        for number in range(draw.randint(1, 3)):
            spans = [f'"{draw.choice(clock)}-{draw.choice([*clock, "24:00"])}"'
                     for _span in range(draw.randint(0, 3))]
            hours = f"hours: [{', '.join(spans)}]\n" if spans else ""
            notices.append(notice(f"n{number}", draw.choice(kinds) + hours))
        now = at("2027-03-07 00:00") + dt.timedelta(minutes=draw.randrange(6 * 24 * 60),
                                                    seconds=draw.choice((0, 30)))
        shown = [n.schedule.active(now, closed) for n in notices]
        minute = now.replace(second=0) + dt.timedelta(minutes=1)
        expected = None
        while minute <= now + dt.timedelta(days=HORIZON_DAYS):
            if [n.schedule.active(minute, closed) for n in notices] != shown:
                expected = minute
                break
            minute += dt.timedelta(minutes=1)
        assert next_change(notices, now, closed) == expected, (now, notices)


def test_the_next_change_asks_each_schedule_about_a_few_days_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Worked out on each return to the loop: 200 expired notices with different hours took
    17 s, one with 700 spans 35 s (every edge of every notice on each of 400 days). Now each
    schedule is asked about each day looked at once, whatever its hours."""
    asked = 0
    active = Schedule.active

    def counted(self: Schedule, local: dt.datetime, closed: ClosedDays | None = None) -> bool:
        nonlocal asked
        asked += 1
        assert asked <= 10_000, "next_change asks far too much"
        return active(self, local, closed)

    expired = [notice(f"n{i}", f'show_until: 2020-01-01\nhours: "{i // 60:02d}:{i % 60:02d}'
                               f'-23:59"\n') for i in range(200)]
    spans = ", ".join(f'"00:{2 * i:02d}-00:{2 * i + 1:02d}"' for i in range(HOURS_MOST))
    busy = notice("busy", f"show_from: 2030-01-01\nhours: [{spans}]\n")
    monkeypatch.setattr(Schedule, "active", counted)
    assert next_change([*expired, busy], at("2027-03-10 12:00"), None) is None
    assert asked <= (HORIZON_DAYS + 2) * 201
    asked = 0
    closed = closed_days(HOLIDAYS)
    week = notice("week", "before_closed_days: 90\n" f"hours: [{spans}]\n")
    next_change([week] * 200, at("2026-06-01 12:00"), closed)
    assert asked <= (HORIZON_DAYS + 2) * 200


def test_more_spans_of_hours_than_a_day_needs_are_an_error() -> None:
    spans = [f'"{h:02d}:00-{h:02d}:30"' for h in range(HOURS_MOST)]
    parsed, problems = schedule(f"hours: [{', '.join(spans)}]\n")
    assert problems == [] and len(parsed.hours) == HOURS_MOST
    parsed, problems = schedule("text: x\nhours:\n" + "".join(
        f"  - {m // 60:02d}:{m % 60:02d}-{m // 60:02d}:{m % 60 + 1:02d}\n"
        for m in range(0, 1400, 2)))
    (problem,) = problems
    assert problem.code == "too_many_hours" and problem.is_error and problem.line == 2
    assert problem.args == {"count": "700", "most": str(HOURS_MOST)}
    assert "не больше 24" in problem.message("ru") and "09:00-18:00" in problem.message("ru")


# -- the last good version, and the bundled examples --------------------------------------------

def test_a_notice_broken_while_being_edited_keeps_its_last_good_version(tmp_path: Path) -> None:
    root = folder(tmp_path, {"a.yaml": "text: Сегодня до 16:00\nlevel: срочное\n"})
    old = load_content(root)
    (root / "notices" / "a.yaml").write_text("text: Сегодня до 16:00\nlevel: срочн",
                                             encoding="utf-8")
    new = load_content(root)
    assert new.notices == ()
    assert keep_last_good(old, new).notices == old.notices


def test_the_bundled_notices_wait_for_closed_days_in_kiosk_yaml() -> None:
    content = load_content(BUNDLED)
    assert {n.id: n.urgent for n in content.notices} == {"closed-tomorrow": False,
                                                        "new-year": True}
    assert content.closed_days() is None  # closed_days is a commented example
    for day in range(1, 366):
        moment = at("2027-01-01 12:00") + dt.timedelta(days=day)
        assert content.notices_at(moment) == ()  # so never shown as bundled
    listed = Content(content.root, settings(HOLIDAYS), notices=content.notices)
    assert [n.id for n in listed.notices_at(at("2026-12-26 12:00"))] == ["new-year"]
    assert [n.id for n in listed.notices_at(at("2026-12-31 12:00"))] == \
        ["closed-tomorrow", "new-year"]


def test_an_urgent_notice_with_no_last_day_is_a_warning(tmp_path: Path) -> None:
    """A band on every screen until someone removes the file: said, and shown all the same."""
    root = folder(tmp_path, {
        "endless.yaml": "text: Сегодня до 16:00\nlevel: срочное\nweekdays: пн-пт\n",
        "today.yaml": "text: Сегодня до 15:00\nlevel: срочное\nshow_until: 2026-12-07\n",
        "before.yaml": "text: Завтра закрыто\nlevel: срочное\nbefore_closed_days: 1\n",
        "yearly.yaml": "text: Летом до 18:00\nlevel: срочное\nmonths: [июль]\n",
        "ordinary.yaml": "text: Добро пожаловать\n"})
    content = load_content(root)
    assert len(content.notices) == 5
    [warning] = content.problems
    assert (Path(warning.path).name, warning.code, warning.line, warning.is_error) == (
        "endless.yaml", "notice_urgent_endless", 2, False)
    assert "пока объявление не уберут" in warning.message("ru")
    assert "until the notice is removed" in warning.message("en")
