from __future__ import annotations

from kiosk.core.content.problems import Problem, ProblemLog
from kiosk.core.content.yamlsrc import parse_yaml
from kiosk.core.settings import QueueSettings, Settings, parse_settings


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
        "slide_seconds: 12\ntransition: slide\nidle_seconds: 60\nwarning_seconds: 30\n"
        "default_language: en\nattract:\n  stories: 3\n  anniversary: false\n"
        "tags:\n  дети: children\n")
    assert problems == []
    assert settings.slide_seconds == 12
    assert settings.transition == "slide"
    assert settings.idle_seconds == 60
    assert settings.warning_seconds == 30
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


def test_the_idle_question_leaves_at_least_twenty_seconds_to_answer() -> None:
    """WCAG 2.2 SC 2.2.1: a time-out's warning gives at least 20 s to say «Я здесь»."""
    assert Settings().warning_seconds >= 20
    settings, problems = read("warning_seconds: 10\n")
    assert settings.warning_seconds == 20
    assert "10 — вне допустимого диапазона 20–120; используется 20" in problems[0].message("ru")


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


def test_the_queue_is_off_unless_configured() -> None:
    assert read("")[0].queue is None
    settings, problems = read("queue:\n")
    assert settings.queue is None and problems == []


def test_queue_settings_are_read_with_defaults_and_clamped() -> None:
    settings, problems = read("queue:\n  source: http://10.0.0.5:8080/calls.json\n")
    assert problems == []
    assert settings.queue == QueueSettings(source="http://10.0.0.5:8080/calls.json")
    assert settings.queue.is_url and settings.queue.poll_seconds == 1
    assert settings.queue.banner_seconds == 10 and settings.queue.recent_calls == 3
    assert settings.queue.sound is False and settings.queue.format == "json"
    settings, problems = read("queue:\n  source: /srv/queue/calls.txt\n  format: Text\n"
                              "  poll_seconds: 0,1\n  banner_seconds: 600\n  sound: да\n"
                              "  recent_calls: 5\n")
    assert settings.queue is not None
    assert (settings.queue.format, settings.queue.poll_seconds, settings.queue.banner_seconds,
            settings.queue.sound, settings.queue.recent_calls) == ("text", 0.5, 120, True, 5)
    assert [(p.line, p.code) for p in problems] == [(4, "clamped"), (5, "clamped")]
    assert "«queue.poll_seconds»: 0.1 — вне допустимого диапазона 0.5–60" in \
        problems[0].message("ru")


def test_a_queue_source_with_a_wrong_scheme_turns_the_queue_off_with_an_error() -> None:
    for source in ("ftp://10.0.0.5/calls.json", "htp:/10.0.0.5/calls.json",
                   "C:\\queue\\calls.json", "http:///calls.json"):
        settings, problems = read(f"queue:\n  source: {source}\n")
        assert settings.queue is None, source
        assert [(p.line, p.code, p.is_error) for p in problems] == [
            (2, "queue_bad_scheme", True)], source
    assert "не адрес http:// или https://" in problems[0].message("ru")
    assert "neither an http:// or https:// address" in problems[0].message("en")


def test_a_queue_file_may_not_leave_the_content_folder_and_should_be_hidden() -> None:
    settings, problems = read("queue:\n  source: ../queue/calls.json\n")
    assert settings.queue is None and problems[0].code == "queue_path_outside"
    settings, problems = read("queue:\n  source: calls.json\n")
    assert settings.queue is not None  # works, but the watcher would re-read every second
    assert [(p.line, p.code, p.is_error) for p in problems] == [(2, "queue_file_watched", False)]
    assert "«.queue/calls.json»" in problems[0].message("ru")
    settings, problems = read("queue:\n  source: .queue/calls.json\n")
    assert settings.queue is not None and problems == []


def test_an_unknown_queue_format_suggests_the_nearest_one() -> None:
    settings, problems = read("queue:\n  source: http://q/calls\n  format: jsn\n")
    assert settings.queue is None
    assert (problems[0].line, problems[0].code) == (3, "queue_bad_format")
    assert "возможно, вы имели в виду «json»" in problems[0].message("ru")
    assert "possible: json, text" in problems[0].message("en")


def test_queue_without_source_or_with_unknown_keys() -> None:
    settings, problems = read("queue:\n  format: json\n")
    assert settings.queue is None
    assert [(p.line, p.code) for p in problems] == [(1, "queue_no_source")]
    assert "не указан source" in problems[0].message("ru")
    settings, problems = read("queue:\n  source: http://q/calls\n  banner_second: 5\n")
    assert settings.queue is not None
    assert problems[0].code == "unknown_key"
    assert "вы имели в виду «banner_seconds»" in problems[0].message("ru")
    settings, problems = read("queue: http://q/calls\n")
    assert settings.queue is None and problems[0].code == "wrong_type"
    assert "киоск не следит за очередью" in problems[0].message("ru")
