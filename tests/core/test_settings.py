from __future__ import annotations

from kiosk.core.problems import Problem, ProblemLog
from kiosk.core.settings import Settings, parse_settings
from kiosk.core.yamlsrc import parse_yaml


def read(text: str) -> tuple[Settings, list[Problem]]:
    problems: list[Problem] = []
    log = ProblemLog("content/kiosk.yaml", problems)
    return parse_settings(parse_yaml(text, log), log), problems


def test_empty_file_gives_the_defaults() -> None:
    settings, problems = read("")
    assert settings == Settings()
    assert problems == []


def test_values_are_read() -> None:
    settings, problems = read(
        "slide_seconds: 12\ntransition: slide\nidle_seconds: 60\nwarning_seconds: 10\n"
        "default_language: en\nattract:\n  stories: 3\n  anniversary: false\n"
        "tags:\n  дети: children\n")
    assert problems == []
    assert settings.slide_seconds == 12
    assert settings.transition == "slide"
    assert settings.idle_seconds == 60
    assert settings.warning_seconds == 10
    assert settings.default_language == "en"
    assert settings.attract_stories == 3
    assert settings.attract_anniversary is False
    assert settings.tags == {"дети": "children"}


def test_out_of_range_values_are_clamped_with_a_warning() -> None:
    settings, problems = read("idle_seconds: 5\nslide_seconds: 100000\n")
    assert settings.idle_seconds == 20
    assert settings.slide_seconds == 120
    assert [(p.line, p.code, p.is_error) for p in problems] == [
        (1, "clamped", False), (2, "clamped", False)]
    assert "5 — вне допустимого диапазона 20–900; используется 20" in problems[0].message("ru")


def test_wrong_type_is_an_error_and_keeps_the_default() -> None:
    settings, problems = read("idle_seconds: долго\n")
    assert settings.idle_seconds == 90
    assert problems[0].is_error
    assert problems[0].message("ru") == (
        "«idle_seconds»: ожидается число, а указано «долго»; используется 90")
    assert problems[0].message("en") == (
        "“idle_seconds” must be a number, but is “долго”; using 90")


def test_numbers_in_quotes_and_russian_yes_no_are_understood() -> None:
    settings, problems = read('slide_seconds: "12"\nidle_seconds: 60,5\n'
                              "attract:\n  anniversary: нет\n  colouring_invite: да\n")
    assert problems == []
    assert settings.slide_seconds == 12.0
    assert settings.idle_seconds == 60.5
    assert settings.attract_anniversary is False
    assert settings.attract_colouring_invite is True


def test_unknown_key_suggests_the_nearest_one() -> None:
    _, problems = read("slide_second: 5\n")
    assert problems[0].code == "unknown_key"
    assert "возможно, вы имели в виду «slide_seconds»" in problems[0].message("ru")


def test_bad_choice_and_duplicate_key() -> None:
    settings, problems = read("transition: wipe\ntransition: slide\nidle_seconds: 40\n"
                              "idle_seconds: 50\n")
    assert settings.transition == "slide"
    assert settings.idle_seconds == 50
    assert [(p.code, p.line) for p in problems] == [("duplicate_key", 2), ("duplicate_key", 4)]
    _, problems = read("transition: wipe\n")
    assert problems[0].code == "bad_choice"
    assert "crossfade, slide" in problems[0].message("ru")


def test_yaml_syntax_error_names_the_line_and_a_fix() -> None:
    settings, problems = read("idle_seconds: 60\ncentre_name: Центр: Марьино\n")
    assert settings == Settings()
    assert problems[0].line == 2
    assert "возьмите весь текст после «ключ:» в кавычки" in problems[0].message("ru")


def test_tab_indentation_is_explained() -> None:
    _, problems = read("attract:\n\tstories: 3\n")
    assert problems[0].code == "yaml_syntax"
    assert "табуляция" in problems[0].message("ru")


def test_colouring_gap_is_a_setting() -> None:
    settings, problems = read("colouring_gap_px: 12\n")
    assert settings.colouring_gap_px == 12 and problems == []
    settings, problems = read("colouring_gap_px: 100\n")
    assert settings.colouring_gap_px == 32 and problems[0].code == "clamped"
