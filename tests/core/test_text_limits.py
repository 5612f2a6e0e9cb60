"""Texts whose layout would cost the screen too much, numbers YAML or Python cannot hold,
characters that turn text round, and floods of one problem (issue 14, attacker review)."""

from __future__ import annotations

import math
import os
import tracemalloc
from pathlib import Path

import pytest

from kiosk.core.content.loader import (
    MAX_BODY_BYTES,
    MAX_BODY_DEPTH,
    MAX_BODY_LINES,
    MAX_WORD_CHARS,
    ContentLoader,
)
from kiosk.core.content.model import Content
from kiosk.core.content.problems import (
    MAX_LOGGED,
    MAX_PER_FILE_AND_CODE,
    Problem,
    Severity,
    problems_to_log,
)
from kiosk.core.settings import MAX_TAGS, as_number, suggest
from tests.helpers import make_folder, story

BUNDLED = Path(__file__).resolve().parents[2] / "content"


def load(tmp_path: Path, stories: dict[str, str], settings: str | None = None) -> Content:
    return ContentLoader(make_folder(tmp_path / "c", stories=stories, settings=settings)).load()


def found(content: Content, name: str) -> list[tuple[str, Severity]]:
    return [(p.code, p.severity) for p in content.problems if Path(p.path).name == name]


def shown(content: Content) -> list[str]:
    return [s.id for s in content.stories]


# -- what one text may cost the screen -----------------------------------------------------

def words_of(size: int) -> str:
    """Plain words, `size` bytes of UTF-8."""
    text = ("Слово " * (size // 6 + 1)).encode()[:size].decode(errors="ignore").rstrip()
    return text + "x" * (size - len(text.encode()))


@pytest.mark.timeout(30)
def test_a_one_word_story_of_quote_signs_is_an_error_not_a_97_second_check(
        tmp_path: Path) -> None:
    """250 KB of «>>>…» is one word (no text_too_long): laying it out took 2.3 s on the UI
    thread at each opening, and `kiosk check` 97 s."""
    content = load(tmp_path, {"q.md": story(body=">" * 250_000 + " x"), "ok.md": story()})
    assert ("text_too_big", Severity.ERROR) in found(content, "q.md")
    assert ("skipped", Severity.WARNING) in found(content, "q.md")
    assert shown(content) == ["ok"]
    message = next(p for p in content.problems if p.code == "text_too_big").message("ru")
    assert "245 КБ" in message and "не больше 16 КБ" in message


@pytest.mark.parametrize(("name", "body", "code"), [
    ("size", words_of(MAX_BODY_BYTES), "text_too_big"),
    ("lines", "\n".join(["Строка."] * MAX_BODY_LINES), "text_too_many_lines"),
    ("word", "Текст " + "Ж" * MAX_WORD_CHARS + " конец.", "text_long_word"),
    ("quotes", ">" * MAX_BODY_DEPTH + " цитата", "text_too_deep"),
    ("lists", "".join("  " * i + "- пункт\n" for i in range(MAX_BODY_DEPTH)), "text_too_deep"),
])
def test_each_limit_lets_its_largest_text_through_and_refuses_one_more(
        tmp_path: Path, name: str, body: str, code: str) -> None:
    one_more = {"size": body + "x", "lines": body + "\nСтрока.",
                "word": body.replace("Ж ", "ЖЖ "), "quotes": ">" + body,
                "lists": body + "  " * MAX_BODY_DEPTH + "- пункт\n"}[name]
    content = load(tmp_path, {"at.md": story(body=body), "over.md": story(body=one_more)})
    assert shown(content) == ["at"]
    assert found(content, "at.md") == []
    assert (code, Severity.ERROR) in found(content, "over.md")


def test_the_english_text_is_held_to_the_same_limits_and_the_line_is_named(
        tmp_path: Path) -> None:
    body = "Русский текст.\n\n=== English ===\n\nFine.\n" + "x" * (MAX_WORD_CHARS + 1) + "\n"
    content = load(tmp_path, {"en.md": story(body=body)})
    problem = next(p for p in content.problems if p.code == "text_long_word")
    assert problem.line == 9  # the long word's own line (3 of front matter, 5 of text)
    assert "английский текст" in problem.message("ru")
    assert shown(content) == []


def test_the_limits_leave_a_wide_margin_over_the_bundled_content() -> None:
    content = ContentLoader(BUNDLED).load()
    texts = [text for body in (*(p.body for p in content.pages),
                               *(s.body for s in content.stories))
             for text in (body.ru, body.en)]
    assert len(texts) > 20
    assert max(len(t.encode()) for t in texts) * 8 < MAX_BODY_BYTES
    assert max(t.count("\n") + 1 for t in texts) * 20 < MAX_BODY_LINES
    assert max(len(w) for t in texts for w in t.split()) * 4 < MAX_WORD_CHARS
    assert not [p for p in content.problems if p.code.startswith("text_")]


# -- numbers -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [".nan", "nan", ".inf", "-.inf", "1e999", "9" * 400])
def test_a_duration_that_is_no_finite_number_is_refused_and_the_slide_time_used(
        tmp_path: Path, value: str) -> None:
    """«.nan» was accepted («используется nan») and flashed the slide for 50 ms."""
    content = load(tmp_path, {"d.md": story(duration=value)})
    assert content.stories[0].duration is None
    problem = next(p for p in content.problems if p.code == "wrong_type")
    assert problem.args["key"] == "duration"
    assert problem.message("ru").endswith("используется время слайда из kiosk.yaml (slide_seconds)")


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1" + "0" * 400])
def test_a_setting_that_is_no_finite_number_is_refused_not_a_crash(tmp_path: Path,
                                                                   value: str) -> None:
    content = load(tmp_path, {"ok.md": story()}, settings=f"slide_seconds: {value}\n")
    assert math.isfinite(content.settings.slide_seconds)
    assert [p.code for p in content.problems] == ["wrong_type"]
    assert as_number(value) is None


def test_a_5000_digit_number_is_named_with_its_line_not_a_python_error(tmp_path: Path) -> None:
    content = load(tmp_path, {"n.md": story(duration="9" * 5000)})
    problem = content.problems[0]
    assert (problem.code, problem.line) == ("yaml_number_too_long", 3)
    assert "5000 цифр" in problem.message("ru")
    assert "set_int_max_str_digits" not in " ".join(p.message("ru") for p in content.problems)


# -- kiosk.yaml that is a folder -----------------------------------------------------------

def test_kiosk_yaml_that_is_a_folder_is_called_a_folder(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"ok.md": story()})
    os.mkdir(root / "kiosk.yaml")
    content = ContentLoader(root).load()
    assert [(p.code, p.severity) for p in content.problems] == [
        ("settings_is_folder", Severity.ERROR)]
    assert "папка" in content.problems[0].message("ru")
    assert shown(content) == ["ok"]


# -- characters that turn text round -------------------------------------------------------

def test_bidi_and_separator_characters_are_taken_out_of_every_text_shown(
        tmp_path: Path) -> None:
    # The teaser's U+2028 as a YAML escape: a raw one is a line break to YAML.
    text = story(title='"Тёплый\u202e приём"', teaser='"Талон\\u2028А017"',
                 centre='"Центр\u2066 «Мои Документы»\u2069"',
                 body="Текст\u202e истории.\u2029Дальше.")
    content = load(tmp_path, {"b.md": text})
    item = content.stories[0]
    assert item.title.ru == "Тёплый приём"
    assert item.teaser.ru == "Талон А017"
    assert item.centre.ru == "Центр «Мои Документы»"
    # (The reader splits the text's lines at U+2029 too: a line break, a space on screen.)
    assert item.body.ru.split() == ["Текст", "истории.", "Дальше."]
    assert "\u202e" not in item.body.ru
    warned = {(p.code, p.args.get("key") or p.args.get("language")) for p in content.problems}
    assert warned == {("hidden_characters", "title"), ("hidden_characters", "teaser"),
                      ("hidden_characters", "centre"), ("hidden_characters_text", "ru")}
    assert "U+202E" in next(p for p in content.problems
                            if p.args.get("key") == "title").message("ru")


def test_the_centre_name_and_the_tag_chips_are_cleaned_too(tmp_path: Path) -> None:
    """The band and the chips showed U+202E as it came: «Мои Документы» drawn backwards."""
    settings = ('centre_name: "Мои\\u202e Документы"\n'
                'centre_name_en: "My\\u2066 Documents"\n'
                'tags:\n  "\\u202eдети": "\\u202echildren"\n')
    content = load(tmp_path, {"t.md": story(tags='["\\u202eдети"]')}, settings=settings)
    assert (content.settings.centre_name, content.settings.centre_name_en) == (
        "Мои Документы", "My Documents")
    assert dict(content.settings.tags) == {"дети": "children"}
    assert content.story_tags() == ("дети",)
    bare = load(tmp_path / "bare", {"t.md": story(tags='["\\u202eдети", "\\u200f"]')})
    assert bare.story_tags() == ("дети",)
    warned = {(Path(p.path).name, p.args.get("key")) for p in (*content.problems, *bare.problems)
              if p.code == "hidden_characters"}
    assert warned == {("kiosk.yaml", "centre_name"), ("kiosk.yaml", "centre_name_en"),
                      ("kiosk.yaml", "tags"), ("t.md", "tags")}


@pytest.mark.parametrize(("mark", "name"), [
    ("\u0301", "U+0301"),  # an acute accent
    ("\u0489", "U+0489"),  # Cyrillic millions sign, drawn by the kiosk's own font
    ("\u05b8", "U+05B8"),  # Hebrew qamats
    ("\u0e48", "U+0E48"),  # Thai mai ek
    ("\u2de0", "U+2DE0"),  # a Cyrillic letter written above
    ("\u0f71", "U+0F71"),  # Tibetan vowel sign aa
    ("\u17c6", "U+17C6"),  # Khmer nikahit
])
def test_combining_marks_stacked_on_a_letter_keep_four(tmp_path: Path, mark: str,
                                                       name: str) -> None:
    """99 of U+0489 on each «о» of a story filled its screen with scribble (a word of 100
    characters is not yet too long): only the
    accents of one block were counted, and Cyrillic's own marks, Hebrew's or Thai's not."""
    content = load(tmp_path, {"m.md": story(body="До" + mark * 90 + "м. «Й» и «ё» целы.")})
    body = content.stories[0].body.ru
    assert body.startswith("До" + mark * 4 + "м.") and "«Й» и «ё» целы." in body
    warned = [p for p in content.problems if p.code == "hidden_characters_text"]
    assert len(warned) == 1 and f"{name} ×90" in warned[0].message("ru")


def test_pointed_hebrew_and_accented_letters_are_kept_whole(tmp_path: Path) -> None:
    """Two marks a letter took the shin dot off pointed Hebrew («שָּׁ» has three)."""
    text = "Центр «Мои Документы»: הַשָּׁמַיִם, ज़ुँ, Ẫ."
    content = load(tmp_path, {"h.md": story(body=text)})
    assert content.stories[0].body.ru == text
    assert not [p for p in content.problems if p.code.startswith("hidden_characters")]


def test_typesetting_characters_staff_type_are_kept_without_a_word(tmp_path: Path) -> None:
    title = "12\u00a0лет вме\u00adсте 👩\u200d👧"  # no-break space, soft hyphen, emoji joiner
    content = load(tmp_path, {"t.md": story(title=f'"{title}"')})
    assert content.stories[0].title.ru == title
    assert content.problems == ()


def test_a_colouring_title_is_cleaned_too(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"ok.md": story()})
    (root / "colouring").mkdir()
    (root / "colouring" / "cat.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    (root / "colouring" / "colouring.yaml").write_text(
        '- file: cat.svg\n  title: "Кот\u202e"\n', encoding="utf-8")
    content = ContentLoader(root).load()
    assert content.colouring[0].title.ru == "Кот"
    assert [p.code for p in content.problems] == ["hidden_characters"]


# -- floods of one problem -----------------------------------------------------------------

@pytest.mark.timeout(60)
def test_a_key_repeated_27000_times_is_told_20_times_and_counted(tmp_path: Path) -> None:
    """It gave 27,000 warnings: 5.9 MB of `kiosk check` output."""
    front = "title: t\n" + "title: x\n" * 27_000
    content = load(tmp_path, {"r.md": f"---\n{front}---\nТекст.\n"})
    codes = [p.code for p in content.problems]
    assert codes == ["duplicate_key"] * MAX_PER_FILE_AND_CODE + ["more_problems"]
    more = content.problems[-1]
    assert "26\u00a0980" in more.message("ru") and more.line == content.problems[-2].line
    assert shown(content) == ["r"]


def test_unknown_fields_and_tags_are_capped_each_by_itself(tmp_path: Path) -> None:
    fields = {f"titl{i}": "1" for i in range(30)}
    content = load(tmp_path, {"f.md": story(tags="[" + ", ".join(f"t{i}" for i in range(25))
                                            + "]", **fields)},
                   settings="tags:\n  a: A\n")
    codes = [p.code for p in content.problems]
    assert codes.count("unknown_field") == codes.count("unknown_tag") == MAX_PER_FILE_AND_CODE
    assert sorted(p.args["count"] for p in content.problems
                  if p.code == "more_problems") == ["10", "5"]


def _count_likening(monkeypatch: pytest.MonkeyPatch, *where: str) -> list[str]:
    """The words `suggest` is asked to liken, through each of the names `where`."""
    likened: list[str] = []

    def counting(word: str, choices: tuple[str, ...] | list[str]) -> str:
        likened.append(word)
        return suggest(word, choices)

    for name in where:
        monkeypatch.setattr(name, counting)
    return likened


def test_only_the_unknown_fields_listed_are_likened_to_the_known_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each of 25,000 unknown fields was likened to every known field (and to every schedule
    word) for a suggestion only the first 20 show: 2.6 s of the read for one file."""
    likened = _count_likening(monkeypatch, "kiosk.core.content.loader.suggest",
                              "kiosk.core.schedules.schedule.suggest")
    fields = {"titel": "x", **{f"k{i}": "1" for i in range(25_000)}, "месяцы": "[август]"}
    content = load(tmp_path, {"f.md": story(**fields)})
    warnings = [p for p in content.problems if p.code == "unknown_field"]
    assert len(warnings) == MAX_PER_FILE_AND_CODE
    assert warnings[0].args["suggest"] == "title"  # what is listed still names the field
    assert len(likened) <= 3 * MAX_PER_FILE_AND_CODE
    # A schedule under a plain word of its own is still found at the file's end.
    assert ("schedule_field_unknown", Severity.ERROR) in found(content, "f.md")


def test_only_the_unknown_settings_listed_are_likened_to_the_known_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kiosk.yaml with 20,000 unknown keys: each was likened to every known one."""
    likened = _count_likening(monkeypatch, "kiosk.core.settings.suggest")
    keys = "centre_nme: Марьино\n" + "".join(f"k{i}: 1\n" for i in range(20_000))
    content = load(tmp_path, {"f.md": story()}, settings=keys + "queue:\n  urll: x\n")
    unknown = [p for p in content.problems if p.code == "unknown_key"]
    assert len(unknown) == MAX_PER_FILE_AND_CODE
    assert unknown[0].args["suggest"] == "centre_name"
    assert len(likened) <= 2 * MAX_PER_FILE_AND_CODE


def test_a_story_of_20000_tags_makes_at_most_50_chips_and_check_says_so(
        tmp_path: Path) -> None:
    """Without a tags list every tag used is a chip: 20,000 chips held the UI thread 10.7 s
    building the window and took 290 MB."""
    tags = "[" + ", ".join(f"t{i}" for i in range(20_000)) + "]"
    content = load(tmp_path, {"many.md": story(tags=tags), "ok.md": story(tags="[дети]")})
    assert len(content.story_tags()) == MAX_TAGS
    assert ("too_many_story_tags", Severity.WARNING) in found(content, "kiosk.yaml")
    assert shown(content) == ["many", "ok"]


def test_a_list_of_2000_tags_makes_50_chips_and_tags_outside_it_cost_no_memory(
        tmp_path: Path) -> None:
    """Each tag a story has outside the list was compared with a fresh copy of the whole
    list, and the copies stayed in the suggestions' cache: 2,000 of each held 320 MB. The
    list is kept whole (a story's «т1999» is no typo), its first 50 the chips."""
    settings = "tags:\n" + "".join(f"  т{i}: t{i}\n" for i in range(2000))
    tags = "[" + ", ".join(f"x{i}" for i in range(2000)) + "]"
    tracemalloc.start()
    try:
        content = load(tmp_path, {"s.md": story(tags=tags)}, settings=settings)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(content.settings.tags) == 2000
    assert ("too_many_tags", Severity.WARNING) in found(content, "kiosk.yaml")
    assert peak < 40_000_000, f"{peak / 1e6:.0f} MB"


def test_a_tag_listed_past_the_fiftieth_is_its_own_not_a_typo_of_another(
        tmp_path: Path) -> None:
    """Sixty tags listed: the list cut to fifty made «метка 57» a typo of «метка 5», the story
    shown under that chip and kiosk check advising to write «метка 5»."""
    settings = "tags:\n" + "".join(f"  метка {i}: tag {i}\n" for i in range(60))
    content = load(tmp_path, {"s.md": story(tags="[метка 57, Метка 7]")}, settings=settings)
    assert content.stories[0].tags == ("метка 57", "метка 7")
    assert [code for code, _ in found(content, "s.md")] == []
    assert content.story_tags() == ("метка 7", "метка 57")  # in the list's order


@pytest.mark.parametrize("source", ["/srv/queue/calls\\0.json", ".queue/calls\\0.json",
                                    "http://10.0.0.5/calls\\n.json"])
def test_a_queue_source_with_a_null_byte_turns_the_queue_off_not_the_kiosk(
        tmp_path: Path, source: str) -> None:
    """Looking at «/srv/queue/calls\\0.json» raised ValueError: `kiosk run` exited 70 at
    start, and again at every restart, and `kiosk check` printed a traceback."""
    content = load(tmp_path, {"s.md": story()}, settings=f'queue:\n  source: "{source}"\n')
    assert content.settings.queue is None
    assert ("queue_source_control", Severity.ERROR) in found(content, "kiosk.yaml")
    assert shown(content) == ["s"]


def test_a_photo_path_with_a_null_byte_is_a_file_not_found(tmp_path: Path) -> None:
    """It was «the file could not be read: ValueError: embedded null byte», never kept in
    the index: the story was read again at every look at the folder."""
    content = load(tmp_path, {"s.md": story(photo='"images/a\\0.jpg"')})
    assert found(content, "s.md") == [("missing_file", Severity.ERROR),
                                      ("skipped", Severity.WARNING)]


def problem(path: str, code: str = "no_front_matter") -> Problem:
    return Problem(path, 1, Severity.ERROR, code)


def test_the_log_gets_only_new_problems_and_at_most_a_few_hundred() -> None:
    before = [problem(f"{i}.md") for i in range(10)]
    now = [*before[2:], problem("new.md"), problem("0.md", "not_utf8")]
    logged, more, unchanged = problems_to_log(now, before)
    assert logged == [problem("new.md"), problem("0.md", "not_utf8")]
    assert (more, unchanged) == (0, 8)
    flood = [problem(f"{i}.md") for i in range(100_000)]
    logged, more, unchanged = problems_to_log(flood)
    assert len(logged) == MAX_LOGGED and more == 100_000 - MAX_LOGGED and unchanged == 0


@pytest.mark.parametrize(("pages", "words", "most", "ru", "en"), [
    ("4", "21", "63", "займёт 4 страницы, если", "takes 4 pages on"),
    ("5", "40", "120", "займёт 5 страниц, если", "takes 5 pages on"),
])
def test_a_long_text_is_told_in_words_that_agree_with_their_numbers(
        pages: str, words: str, most: str, ru: str, en: str) -> None:
    problem = Problem("stories/a.md", None, Severity.WARNING, "text_too_long",
                      {"language": "ru", "orientation": "landscape", "pages": pages,
                       "words": words, "most": most})
    russian, english = problem.message("ru"), problem.message("en")
    assert ru in russian and en in english
    # After «около» and «до» the genitive: «около 21 слова», «до 63 слов», «около 40 слов».
    assert f"около {words} {'слова' if words == '21' else 'слов'}," in russian
    assert f"примерно до {most} слов" in russian and "(ы)" not in russian
    assert f"about {words} words fit" in english and f"about {most} words" in english


# -- numbers said with their nouns -----------------------------------------------------------

@pytest.mark.parametrize(("extra", "ru", "en"), [
    (1, "…и ещё 1 такое же замечание в этом файле", "…and 1 more problem of this kind"),
    (2, "…и ещё 2 таких же замечания в этом файле", "…and 2 more problems of this kind"),
    (5, "…и ещё 5 таких же замечаний в этом файле", "…and 5 more problems of this kind"),
])
def test_the_problems_past_the_twentieth_are_counted_in_words_that_agree(
        tmp_path: Path, extra: int, ru: str, en: str) -> None:
    """«…и ещё 1 таких же замечаний»: the count was glued to a noun in one form."""
    fields = {f"titl{i}": "1" for i in range(MAX_PER_FILE_AND_CODE + extra)}
    content = load(tmp_path, {"f.md": story(**fields)})
    more = next(p for p in content.problems if p.code == "more_problems")
    assert more.message("ru").startswith(ru)
    assert more.message("en").startswith(en)


def test_a_tags_list_of_51_says_51_tags_in_words_that_agree(tmp_path: Path) -> None:
    """«в списке tags 51 меток», «в историях 52 разных меток»."""
    settings = "tags:\n" + "".join(f"  метка {i}: tag {i}\n" for i in range(51))
    content = load(tmp_path, {"s.md": story()}, settings=settings)
    listed = next(p for p in content.problems if p.code == "too_many_tags")
    assert listed.message("ru").startswith("в списке tags 51 метка, а")
    tags = "[" + ", ".join(f"t{i}" for i in range(52)) + "]"
    content = load(tmp_path / "used", {"s.md": story(tags=tags)})
    used = next(p for p in content.problems if p.code == "too_many_story_tags")
    assert used.message("ru").startswith("в историях 52 разные метки, а")


@pytest.mark.parametrize(("code", "args", "ru"), [
    ("too_many_hours", {"count": "31", "most": "24"}, "в hours: 31 промежуток времени,"),
    ("too_many_hours", {"count": "32", "most": "24"}, "в hours: 32 промежутка времени,"),
    ("yaml_number_too_long", {"digits": "4301", "most": "4300"}, "число из 4301 цифры;"),
    ("title_too_long_for_card", {"value": "З", "lines": "3", "orientation": "landscape",
                                 "most": "21"}, "(примерно до 21 знака)"),
    ("centre_name_long", {"value": "Ц", "key": "centre_name", "shown": "Ц…",
                          "orientation": "landscape", "most": "31"}, "сократите его до 31 знака"),
])
def test_a_count_or_limit_that_varies_takes_the_noun_form_its_number_needs(
        code: str, args: dict[str, str], ru: str) -> None:
    problem = Problem("kiosk.yaml", 1, Severity.ERROR, code, args)
    assert ru in problem.message("ru")


@pytest.mark.parametrize(("code", "args", "ru", "en"), [
    ("video_truncated", {"value": "a.mp4", "played": "12.3", "duration": "30.0"},
     "обрывается на 12,3 с из 30,0 с", "breaks off at 12.3 s of 30.0 s"),
    ("parse_too_slow", {"seconds": "2.5"}, "за 2,5 с", "after 2.5 s"),
    ("svg_too_complex", {"value": "a.svg", "detail": "6.2 МБ > 5.0 МБ / 6.2 MB > 5.0 MB"},
     "(6,2 МБ > 5,0 МБ)", "(6.2 MB > 5.0 MB)"),
])
def test_a_decimal_in_a_russian_message_has_a_comma(code: str, args: dict[str, str], ru: str,
                                                    en: str) -> None:
    problem = Problem("x.md", None, Severity.ERROR, code, args)
    assert ru in problem.message("ru") and en in problem.message("en")

