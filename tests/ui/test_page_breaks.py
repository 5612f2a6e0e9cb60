"""Where a page of reading text breaks (kiosk.ui.markdown, `_breaks`), on lines laid out by
hand: ten pixels each, five to a page."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.markdown import MarkdownView
from kiosk.ui.theme import Theme

Line = tuple[float, float, bool, bool]


def laid(first_lines: set[int], hyphens: set[int], count: int) -> list[Line]:
    return [(k * 10.0, k * 10.0 + 10, k in first_lines, k in hyphens) for k in range(count)]


@pytest.fixture
def view(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> MarkdownView:
    view = MarkdownView(Theme(1920, 1080), 44)
    qtbot.addWidget(view)
    monkeypatch.setattr(view, "_room", lambda page: 50.0)
    return view


def test_a_page_never_ends_on_half_a_word_nor_on_a_paragraphs_first_line(
        view: MarkdownView) -> None:
    # Line 4 ends «внима-»; moving the break above it would leave line 3, a paragraph's
    # first, alone at the page's foot: the break goes above that line instead.
    assert view._breaks(laid({0, 3}, {4}, 7)) == [0, 3]
    # With no paragraph there, the break moves up one line only.
    assert view._breaks(laid({0}, {4}, 7)) == [0, 4]


def test_a_short_last_page_takes_lines_without_leaving_a_first_line_behind(
        view: MarkdownView) -> None:
    # Seven lines: five and two, balanced to four and three, except where line 3 begins a
    # paragraph: the last page takes it too (four lines), not leaving it alone above.
    assert view._breaks(laid({0, 5}, set(), 7)) == [0, 4]
    assert view._breaks(laid({0, 3}, set(), 7)) == [0, 3]
    # Where taking it would leave the page before too short, the line stays at its foot
    # rather than the last page keep a line or two.
    assert view._breaks(laid({0, 2}, set(), 6)) == [0, 3]
