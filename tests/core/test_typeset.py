"""Typesetting: what a Russian (or English) reader notices at once, on the kiosk's own text."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.content.problems import LANGUAGES, Language
from kiosk.core.typeset import (
    LET_GO_MEASURES,
    MAX_UNIT,
    NBSP,
    SHY,
    _hyphenator,
    let_go,
    typeset,
    typeset_markdown,
)

CONTENT = Path(__file__).resolve().parents[2] / "content"

# From content/stories/before-closing.md, with a spaced hyphen and straight quotes typed in.
BEFORE_CLOSING = (
    "За пятнадцать минут до закрытия в центр почти вбежал мужчина: документы нужно было подать "
    "до праздников, а одной справки в папке не оказалось. Справка нашлась - она пряталась "
    "между страницами договора. Документы приняли за пару минут до конца рабочего дня, "
    "и посетитель ушёл, пожелав всем счастливого Нового года.")
BIRTHDAY = ("Сначала девочка смутилась, а потом до конца визита рассказывала папе, что её "
            "поздравили \"прямо в настоящем учреждении\".")
ONE_LETTER = re.compile(r"(?:^|[\s(«„])[вкуоаиясВКУОАИЯС] ")


def plain(text: str) -> str:
    """The text as it was typed, give or take the typesetting's own characters."""
    return text.replace(SHY, "").replace(NBSP, " ")


def shown(text: str) -> str:
    """Readable in a failing assertion: ~ for a no-break space, | for a soft hyphen."""
    return text.replace(NBSP, "~").replace(SHY, "|")


def bodies() -> list[tuple[str, str, Language]]:
    """(name, Markdown, language) for every Russian and English body in content/."""
    found: list[tuple[str, str, Language]] = []
    for path in sorted(CONTENT.glob("*/*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        russian, _, english = body.partition("=== English ===")
        found.append((f"{path.stem} ru", russian.strip(), "ru"))
        if english.strip():
            found.append((f"{path.stem} en", english.strip(), "en"))
    return found


def test_no_line_ends_in_a_one_letter_word_or_a_short_preposition() -> None:
    out = typeset(BEFORE_CLOSING, "ru")
    assert not ONE_LETTER.search(out), shown(out)
    for tied in ("в~центр", "а~одной", "в~папке", "и~посе", "За~пят", "до~закрытия",
                 "не~оказалось", "за~пару"):
        assert tied in shown(out)
    # Capitals too, and a preposition after an opening bracket or quote.
    assert shown(typeset("В центре (к окну) «С улыбкой»", "ru", hyphenate=False)) \
        == "В~центре (к~окну) «С~улыбкой»"
    # A one-letter word followed by punctuation ties nothing: «я,» is not a preposition.
    assert shown(typeset("Пришёл я, и ушёл домой пешком", "ru", hyphenate=False)) \
        == "Пришёл я, и~ушёл домой~пешком"


def test_particles_numbers_and_abbreviations_are_tied() -> None:
    out = shown(typeset("Скоро ли домой? Тут же, с 2017 года, 15 минут: т. е. № 5, "
                        "А. С. Пушкин и т. д. Кто-нибудь пришёл домой", "ru", hyphenate=False))
    assert out == ("Скоро~ли домой? Тут~же, с~2017~года, 15~минут: т.~е. №~5, "
                   "А.~С.~Пушкин и~т.~д. Кто-нибудь пришёл~домой")


def test_a_dash_never_starts_a_line_and_a_spaced_hyphen_is_a_dash() -> None:
    out = typeset(BEFORE_CLOSING, "ru")
    assert "Справка нашлась\u00a0— она" in out
    assert " —" not in out and " - " not in out
    # A hyphen inside a word, a minus between numbers and a range stay as typed.
    assert typeset("Кто-то решил: 5 - 3 = 2, с 9-00 до 18-00", "ru", hyphenate=False) \
        == "Кто-то решил: 5 - 3 = 2, с\u00a09-00 до\u00a018-00"
    assert typeset("Всё -- как вчера", "ru") == "Всё\u00a0— как\u00a0вчера"


def test_the_last_two_words_of_a_paragraph_are_joined_unless_both_are_long() -> None:
    assert typeset(BEFORE_CLOSING, "ru", hyphenate=False).endswith("Нового\u00a0года.")
    out = typeset_markdown("Первый абзац кончается так.\n\nВторой абзац — тоже вот так.", "ru")
    assert shown(out) == "Первый абзац кончается~так.\n\nВторой абзац~— тоже вот~так."
    # A last word longer than ten letters may take a line of its own: it fills it.
    assert typeset("Пришёл специалистам", "ru", hyphenate=False) == "Пришёл специалистам"
    # Two long words together could overflow a narrow column: not joined.
    assert typeset("Поблагодарившим посетителям", "ru", hyphenate=False) \
        == "Поблагодарившим посетителям"
    # Nor a short last word after a long one, if the two would be too long together.
    assert typeset("Спасибо достопримечательностям города", "ru", hyphenate=False) \
        == "Спасибо достопримечательностям города"
    # Already two words on the last line («в дом»): nothing more is needed.
    assert shown(typeset("Он вошёл в дом", "ru")) == "Он вошёл в~дом"


def test_straight_quotes_become_guillemets_and_nested_ones_low_high_quotes() -> None:
    # (The paragraph's last word is not hyphenated: no syllable alone on its last line.)
    assert typeset(BIRTHDAY, "ru").endswith("«прямо в\u00a0настоящем\u00a0учреждении».")
    assert typeset('Он сказал "в "Моих документах" помогут"', "ru", hyphenate=False) \
        == "Он сказал «в\u00a0„Моих документах“\u00a0помогут»"
    # Straight quotes inside ёлочки already typed are nested quotes.
    assert typeset('«Центр "Мои документы"» рядом', "ru", hyphenate=False) \
        == "«Центр „Мои документы“»\u00a0рядом"
    assert typeset('Слово ("цитата") здесь', "ru", hyphenate=False) \
        == "Слово («цитата»)\u00a0здесь"
    # Quotes that do not pair up (inches, a typo) are left as typed.
    for typed in ('Экран 15" в углу зала', 'Один " и всё', 'Один “ и всё', 'Слово ” здесь'):
        assert plain(typeset(typed, "ru")) == typed


def test_curly_quotes_pasted_from_word_become_guillemets_in_russian_only() -> None:
    # Word puts in “…” (or „…“) where Russian wants «…»; straight ones nested in them too.
    assert plain(typeset("Центр “Мои документы” рядом", "ru")) == "Центр «Мои документы» рядом"
    assert plain(typeset("„Уже“ и \"ещё\" здесь", "ru")) == "«Уже» и «ещё» здесь"
    assert plain(typeset('Он сказал “в "Моих документах" помогут”', "ru")) \
        == "Он сказал «в „Моих документах“ помогут»"
    assert plain(typeset_markdown("Текст: “*да*”.\n\n- “Пункт”", "ru")) \
        == "Текст: «*да*».\n\n- «Пункт»"
    # Typeset text stays as it is, nested „…“ included.
    done = typeset('Он сказал “в “Моих документах” помогут”', "ru")
    assert plain(done) == "Он сказал «в „Моих документах“ помогут»"
    assert typeset(done, "ru") == done
    # English keeps its curly quotes, and Russian ones typed in an English text.
    for typed in ("She said “yes” today", "The «Мои документы» centre"):
        assert plain(typeset(typed, "en")) == typed


def test_long_words_get_soft_hyphens_where_the_dictionary_allows() -> None:
    out = typeset("Перерегистрация", "ru")
    assert out == "Пере\u00adре\u00adги\u00adстра\u00adция"
    allowed = {int(p) for p in _hyphenator("ru").positions("перерегистрация")}
    points = {i - n for n, i in enumerate(i for i, c in enumerate(out) if c == SHY)}
    assert points <= allowed
    assert min(points) >= 3 and max(points) <= len("перерегистрация") - 3
    # Short words, and words that are not Russian words, are never split.
    for word in ("документы", "ПЕРЕРЕГИСТРАЦИЯ", "перерегистрация2024", "https://www.mos.ru/",
                 "perereg@mos.ru", "перерегистрация.рф", "Перерегистрацияonline",
                 "госуслуги.мос.ру/перерегистрация", "registration"):
        assert SHY not in typeset(f"Смотрите {word} тут", "ru"), word
    # A word inside Markdown emphasis or quotes is still a word.
    assert typeset_markdown("_перерегистрация_", "ru") \
        == "_пере\u00adре\u00adги\u00adстра\u00adция_"
    # Headlines in display sizes are not hyphenated.
    assert SHY not in typeset("Перерегистрация за пять минут", "ru", hyphenate=False)


def test_markdown_syntax_survives_unchanged() -> None:
    link = '](https://www.mos.ru/uslugi/perereg_(new)?a=1&b="2" "в центре - быстро")'
    code = '`в коде "так" - и так`'
    source = (f"# Заголовок про перерегистрацию ##\n\n"
              f"Подробнее [на сайте{link} и {code}, **в 2011 году** и _в доме_.\n"
              f"Вторая строка \\\"без кавычек\\\" и <https://mos.ru/a b> и &laquo;x&raquo;.\n\n"
              f"- в первом пункте\n"
              f"- и во втором\n"
              f"  продолжение пункта\n\n"
              f"1. в раз\n\n"
              f"> цитата в блоке\n\n"
              f"~~~\nв коде \"ничего\" - не трогаем\n~~~\n\n"
              f"    и в отступе тоже\n")
    out = typeset_markdown(source, "ru")
    assert out.count("\n") == source.count("\n")
    assert link in out and code in out
    assert "\\\"без кавычек\\\"" in out and "&laquo;x&raquo;" in out
    assert "~~~\nв коде \"ничего\" - не трогаем\n~~~" in out
    assert out.endswith("\n    и в отступе тоже\n")
    assert shown(out).splitlines() == [
        "# Заголовок про~перерегистрацию ##",
        "",
        f"Подробнее [на~сайте{link} и~{code}, **в~2011~году** и~_в~доме_.",
        "Вторая строка \\\"без кавычек\\\" и~<https://mos.ru/a b> и~&laquo;x&raquo;.",
        "",
        "- в~первом~пункте",
        "- и~во~втором",
        "  про|дол|же|ние~пункта",
        "",
        "1. в~раз",
        "",
        "> цитата в~блоке",
        "",
        "~~~",
        "в коде \"ничего\" - не трогаем",
        "~~~",
        "",
        "    и в отступе тоже",
    ]


def test_a_space_a_link_target_owns_is_never_tied() -> None:
    # Not links as typed (a space in the target): a no-break space there would make them
    # links, so only the spaces outside are tied.
    assert typeset_markdown("Смотри [тут](адрес а) дальше", "ru") \
        == "Смотри [тут](адрес а)\u00a0дальше"
    assert typeset_markdown("Смотри ](  а ](  а", "ru") == "Смотри\u00a0](  а ](  а"


def test_a_document_with_link_definitions_keeps_bracketed_text_as_typed() -> None:
    # [text][] is matched to its definition character for character (soft hyphens, quotes and
    # dashes included); an inline link's target stays protected as well.
    source = ('Текст [перерегистрация "x" - y][] и [в доме](https://a.b/c "d - e") и "тут"\n\n'
              '[перерегистрация "x" - y]: https://mos.ru')
    assert typeset_markdown(source, "ru") == (
        'Текст [перерегистрация "x" - y][] и\u00a0[в доме](https://a.b/c "d - e") '
        "и\u00a0«тут»\n\n"
        '[перерегистрация "x" - y]: https://mos.ru')


def test_english_has_its_own_rules() -> None:
    text = ('Fifteen minutes before closing a man all but ran into the centre - his documents '
            'had to be in, I think, before the holidays. She had been congratulated "in a real '
            "office\". On 22 August 2023 the centres turned twelve. It's the administrator's "
            "desk.")
    out = shown(typeset(text, "en"))
    assert "closing a~man" in out and "centre~— his" in out and "I~think" in out
    assert "“in~a~real office”" in out
    assert "22~August 2023 the" in out  # a day is tied to its month, a year to nothing
    assert "It’s the~admin|is|tra|tor’s~desk." in out  # the last word never alone
    # Russian prepositions mean nothing in English, and Russian words are not hyphenated.
    assert shown(typeset("go home, do it по перерегистрации", "en")) \
        == "go home, do it по перерегистрации"
    assert shown(typeset('Он сказал "да" вчера', "en")) == "Он сказал “да”~вчера"


def test_an_english_line_never_ends_on_an_article_or_a_short_preposition() -> None:
    # A picker card's title broke as "Umbrella in / the rain".
    assert shown(typeset("Umbrella in the rain", "en", hyphenate=False)) \
        == "Umbrella in~the~rain"
    assert shown(typeset("The centre is open to all of us at any time by appointment in "
                         "Moscow on weekdays and an hour longer", "en", hyphenate=False)) \
        == ("The~centre is open to~all of~us at~any time by~appointment in~Moscow "
            "on~weekdays and an~hour~longer")
    # Not longer words, nor "i" in lower case (a numeral, "i.e."): "I" only as a capital.
    assert shown(typeset("go round town, i.e. in part i here I am", "en", hyphenate=False)) \
        == "go round town, i.e. in~part i here I~am"
    # The prepositions of three and four letters ("A colouring page for / a little helper").
    assert shown(typeset("A page for a helper, with love from all of us into the night", "en",
                         hyphenate=False)) \
        == "A~page for~a~helper, with~love from~all of~us into~the~night"
    # Tying a last word after a chain of them still leaves no run longer than MAX_UNIT.
    for text in ("of the " * 6 + "end", "в " * 14 + "дом"):
        lang: Language = "en" if text.startswith("of") else "ru"
        runs = typeset(text, lang, hyphenate=False).split(" ")
        assert max(len(run) for run in runs) <= MAX_UNIT, runs


def test_ties_too_wide_for_a_column_go_the_first_first_one_letter_words_last() -> None:
    def narrow(run: str) -> bool:  # a column of 13 characters
        return len(run) > 13

    def tied(text: str) -> str:
        return text.replace("~", NBSP)

    # The last two words stay together; a preposition gives way first.
    assert shown(let_go(tied("A~colouring page for~a~little~helper"), narrow)) \
        == "A~colouring page for a~little helper"
    assert shown(let_go(tied("An umbrella in~the~downpour"), narrow)) \
        == "An umbrella in the~downpour"
    # Never a one-letter word at a line's end while another tie can go instead.
    assert shown(let_go(tied("Снежинки в~зале~ожидания"), narrow)) == "Снежинки в~зале ожидания"
    # A dash may end a line: the last first lets go the tie after it, not the one before.
    assert shown(let_go(tied("Главное~—~люди"), narrow, first=False)) == "Главное~— люди"
    # What fits keeps its ties; text without any is returned as it is.
    assert let_go(tied("в~дом"), narrow) == tied("в~дом")
    assert let_go("a b c", narrow) == "a b c"


def test_thousands_of_typed_ties_are_measured_a_dozen_times_not_thousands() -> None:
    """No-break spaces typed by hand (a title of 5,000 words joined by them): each part
    measured was a whole text's width again, quadratic on the UI thread."""
    measured: list[int] = []

    def too_wide(run: str) -> bool:
        measured.append(len(run))
        return True

    text = NBSP.join(["слово"] * 5000)
    assert let_go(text, too_wide) == " ".join(["слово"] * 5000)
    assert len(measured) <= LET_GO_MEASURES


def test_a_paragraphs_last_word_is_not_hyphenated() -> None:
    # An anniversary page ended «…и их заместите- / лей.»: a syllable alone on the last line.
    out = typeset_markdown("Учились руководители центров и их заместителей.\n\n"
                           "Второй абзац про перерегистрацию.", "ru")
    first, second = out.split("\n\n")
    assert first.endswith(" заместителей.") and "руко\u00adво\u00adди" in first
    assert second.endswith("перерегистрацию.")
    # A word alone, or too long for any line, keeps its breaks.
    assert SHY in typeset("Перерегистрация", "ru")
    assert SHY in typeset("Это человеконенавистничествами", "ru").split(" ")[-1]


def test_a_line_never_ends_on_a_three_letter_preposition() -> None:
    # A story's title broke as «Раскраска для / маленького помощника».
    assert shown(typeset("Раскраска для маленького помощника", "ru", hyphenate=False)) \
        == "Раскраска для~маленького~помощника"
    assert shown(typeset("Под козырьком, без зонта, при нас, про него, над ним, обо всём. "
                         "Всё", "ru", hyphenate=False)) \
        == "Под~козырьком, без~зонта, при~нас, про~него, над~ним, обо~всём.~Всё"


def test_a_sentences_short_first_word_never_ends_a_line() -> None:
    # The new-year notice's English text broke as "…we are closed. From / 9 January…".
    assert shown(typeset("The centre is closed until 8 January. From 9 January we are open",
                         "en", hyphenate=False)) \
        == "The~centre is closed until 8~January. From~9~January we are~open"
    assert shown(typeset("Центр закрыт. Мы откроемся. «Так сказали.» Этот день! Если бы… "
                         "Когда придёте к нам утром", "ru", hyphenate=False)) \
        == ("Центр закрыт. Мы~откроемся. «Так~сказали.» Этот~день! Если~бы… "
            "Когда придёте к~нам~утром")
    # Not a word followed by punctuation, one in lower case after an abbreviation, a longer
    # one, nor a paragraph's first word (it starts its line already).
    assert shown(typeset("Yes. No, thanks. See i.e. some more. Always late for work",
                         "en", hyphenate=False)) \
        == "Yes. No, thanks. See~i.e. some more. Always late for~work"
    assert shown(typeset("Мы вошли", "ru", hyphenate=False)) == "Мы~вошли"  # the widow rule
    assert shown(typeset("Мы вошли в дом", "ru", hyphenate=False)) == "Мы вошли в~дом"


@pytest.mark.parametrize(("name", "body", "lang"), bodies())
def test_the_kiosks_content_typesets_and_a_second_pass_changes_nothing(
        name: str, body: str, lang: Language) -> None:
    once = typeset_markdown(body, lang)
    assert typeset_markdown(once, lang) == once, name
    assert typeset(once, lang) == typeset(typeset(once, lang), lang)
    assert once != body and once.count("\n") == body.count("\n")
    if lang == "ru":
        assert not ONE_LETTER.search(once), shown(once)
    assert " —" not in once and '"' not in once
    for paragraph in once.split("\n\n"):
        last = paragraph.rsplit(" ", 1)[-1]
        if len(plain(last).strip(".,!?»”")) <= 10:
            assert NBSP in last, shown(paragraph)  # a short last word is joined


IDEMPOTENT = [
    BEFORE_CLOSING, BIRTHDAY, "Он шёл в дом", "а а а а а а а а а а а а а а а а а а а а а а",
    "Смотри [тут](адрес а) дальше", "Смотри ](  а ](  а ](  а", "`` ` `` в `а` и ` ```",
    "Строка  \nв новой строке\\\nи ещё одна", "C# и F# и в C++ ##", '"а "б "в" б" а"',
]


@pytest.mark.parametrize("text", IDEMPOTENT)
def test_typesetting_typeset_text_changes_nothing(text: str) -> None:
    for lang in LANGUAGES:
        once = typeset_markdown(text, lang)
        assert typeset_markdown(once, lang) == once
        once = typeset(text, lang)
        assert typeset(once, lang) == once


def test_hostile_input_of_100_kb_comes_out_right() -> None:
    """Inputs built to make a careless parser quadratic. Each result is checked, not timed:
    the timing is in the commit message; a regression shows as a test that does not end."""
    for hostile in ("\n" * 100_000, "=x\n" * 33_000, "=x" * 50_000, "](" * 50_000,
                    "][" * 50_000, "<a" * 50_000, "` `` ``` " * 11_000, "\\" * 100_000,
                    "&amp" * 25_000, "*" * 100_000, '"' * 100_000,
                    "п" * 100_000, " \n" * 50_000, "```\n" * 25_000):
        assert typeset_markdown(hostile, "ru") == hostile, hostile[:10]
    assert typeset_markdown("- " * 50_000, "ru") == "- " * 50_000  # a rule, not lists
    # Nested deeper than 8 (Qt's reader slows down more than linearly): from the ninth
    # marker on it is text.
    for marker, escaped in (("- ", "\\- "), ("> ", "\\> "), ("1. ", "1\\. ")):
        deep = typeset_markdown(marker * 50_000 + "x", "ru")
        assert plain(deep).startswith(marker * 8 + escaped), marker
        assert deep.count("\\") == 1 and deep.endswith("x"), marker
    unclosed = "[а " * 33_000 + "\n\n[a]: b"
    assert plain(typeset_markdown(unclosed, "ru")) == unclosed
    ties = typeset_markdown("а " * 50_000, "ru")
    assert plain(ties) == "а " * 50_000
    assert max(len(run) for run in ties.split(" ")) <= MAX_UNIT  # still breaks somewhere
    story = typeset_markdown(BEFORE_CLOSING, "ru")
    many = "\n\n".join([BEFORE_CLOSING] * 330)
    assert len(many) > 100_000
    assert typeset_markdown(many, "ru") == "\n\n".join([story] * 330)


def test_importing_it_does_not_load_the_dictionaries() -> None:
    """pyphen and its dictionaries cost ~50 ms: not at start-up, and not for short text."""
    code = ("import sys\nimport kiosk.core.typeset as t\n"
            "print('pyphen' in sys.modules)\n"
            "t.typeset('Справка нашлась до закрытия', 'ru')\n"
            "print('pyphen' in sys.modules)\n"
            "t.typeset('Перерегистрация', 'ru')\n"
            "print('pyphen' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "False", "True"]
