"""`kiosk check`'s quick count of a poster title's lines: never fewer than the poster sets, and
sure of a title whose non-breaking glue the poster lets go, so 37,000 stories are not all
laid out."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from kiosk.core.content.problems import Language
from kiosk.ui.attract import poster_check
from kiosk.ui.attract.poster import PosterPainter, PosterWords
from kiosk.ui.theme import Theme

RU = ("в за на до и по строчкой Строчка мы вместе искали выход трудной ситуации благодарность "
      "посетитель (119) (12345) «Ёлка», документы пенсию. сотрудник: из-за и/или "
      "Великолепнейшими достопримечательностями")
EN = ("a by line Line the of we found together difficult situation (119) (12345) «Tree», "
      "documents pension. staff: well-known and/or extraordinarily")
WORDS: dict[Language, list[str]] = {"ru": RU.split(), "en": EN.split()}


def bounds(width: int, height: int) -> tuple[PosterPainter, QSize, poster_check._Bounds]:
    theme = Theme(width, height)
    painter = PosterPainter(theme)
    stage = QSize(width, height - theme.px(300 if theme.portrait else 176))
    return painter, stage, poster_check._Bounds(painter, stage, {})


@pytest.mark.parametrize("size", list(poster_check.ORIENTATIONS.values()))
def test_a_title_said_to_fit_surely_fits_on_the_poster(qtbot: QtBot,
                                                       size: tuple[int, int]) -> None:
    painter, stage, quick = bounds(*size)
    rng = random.Random(7)
    sure = 0
    for _ in range(600):
        lang: Language = rng.choice(["ru", "en"])
        title = " ".join(rng.choice(WORDS[lang]) for _ in range(rng.randint(2, 14)))
        line = " ".join(rng.choice(WORDS[lang]) for _ in range(rng.randint(0, 20))) \
            if rng.random() < 0.3 else ""
        if not quick.surely_fits(title, line, lang):
            continue
        sure += 1
        layout = painter.layout(PosterWords("Искренний сервис" if line else "", title, line,
                                            None), lang, stage)
        assert layout.headline_at_display, title
        assert not line or layout.line is not None, (title, line)
    assert sure > 100  # the quick count decides most titles


def test_a_group_too_wide_for_the_column_is_let_go_as_the_poster_does(qtbot: QtBot) -> None:
    painter, stage, quick = bounds(1920, 1080)
    # Typeset ties «за», the last word and the number into one group wider than the column:
    # the poster lets the glue go, the last first, so that no line ends on «за» (the first
    # first would keep the last two together: «Строчка за / строчкой (12)»), and the quick
    # count counts the longer of the two ways.
    title = "Строчка за строчкой (12)"
    layout = painter.layout(PosterWords("", title, "", None), "ru", stage)
    assert layout.headline_at_display
    assert [line for line, _ in layout.headline.lines] == ["Строчка", "за\u00a0строчкой",
                                                           "(12)"]
    assert quick.lines_at_most(quick.typeset(title, "ru"), quick.display) == 3
    assert quick.surely_fits(title, "", "ru")
    # A group that could break at its hyphen is left to the layout.
    assert quick.lines_at_most("за\u00a0строчкой-строчкой\u00a0(119)", quick.display) == 1 << 20


def test_a_word_wider_than_the_poster_is_never_surely_fitting(qtbot: QtBot) -> None:
    _painter, _stage, quick = bounds(1080, 1920)
    assert not quick.surely_fits("Достопримечательностямидостопримечательностями", "", "ru")


def test_a_group_with_ideographs_is_left_to_the_layout(qtbot: QtBot) -> None:
    """Qt breaks between CJK ideographs with no space: the poster keeps such a group's glue,
    so counting it as let go said «fits» where the poster is too long."""
    painter, stage, quick = bounds(1920, 1080)
    group = "受京号案舎\u00a0сотрудник"
    assert quick.lines_at_most(quick.typeset(group, "ru"), quick.display) == 1 << 20
    title = "受京号案舎\u00a0сотрудник в и благодарность посетитель ситуации"
    if quick.surely_fits(title, "", "ru"):
        assert painter.layout(PosterWords("", title, "", None), "ru", stage).headline_at_display
