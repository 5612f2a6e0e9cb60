"""Where a page of reading text breaks (kiosk.ui.markdown, `_breaks`), on lines laid out by
hand: ten pixels each, five to a page."""

from __future__ import annotations

import math
import re

import pytest
from PySide6.QtGui import QFontMetricsF
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
    assert view._breaks(laid({0, 6}, set(), 7)) == [0, 4]
    # Nor where line 4 would open the last page as its paragraph's last line alone (a
    # widow): line 3 goes over with it (three and four).
    assert view._breaks(laid({0, 5}, set(), 7)) == [0, 3]
    assert view._breaks(laid({0, 3}, set(), 7)) == [0, 3]
    # Where taking it would leave the page before too short, the line stays at its foot
    # rather than the last page keep a line or two.
    assert view._breaks(laid({0, 2}, set(), 6)) == [0, 3]


def test_a_last_page_never_holds_one_line_alone_where_the_page_before_can_spare_one(
        view: MarkdownView, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first page with room for four lines under its title, and a fifth line overleaf
    alone: a visitor turned the page for one line. As CSS's `widows: 2` and a typesetter's
    «at end of paragraph: 2 lines», the line above goes over with it (three and two), the
    page count the same."""
    monkeypatch.setattr(view, "_room", lambda page: 40.0 if page == 0 else 50.0)
    assert view._breaks(laid({0}, set(), 5)) == [0, 3]
    # Not at the cost of half a word or a paragraph's first line at the page's foot: the
    # break goes a line higher still (two and three).
    assert view._breaks(laid({0}, {2}, 5)) == [0, 2]
    assert view._breaks(laid({0, 2}, set(), 5)) == [0, 2]
    # Nor of a heading left alone at the foot (a one-line paragraph that is not one may stay).
    monkeypatch.setattr(view, "_headings", {2})
    assert view._breaks(laid({0, 2, 3, 4}, set(), 5)) == [0, 2]
    monkeypatch.setattr(view, "_headings", set())
    assert view._breaks(laid({0, 2, 3, 4}, set(), 5)) == [0, 3]
    view.set_markdown("## Заголовок\n\nТекст под ним.")
    view.resize(600, 400)
    view._laid_lines()
    assert view._headings == {0}  # a Markdown heading's lines are known as one
    # Where the page before would keep a single line, the last stays one line.
    monkeypatch.setattr(view, "_room", lambda page: 20.0 if page == 0 else 50.0)
    assert view._breaks(laid({0}, set(), 3)) == [0, 2]


COMPOUNDS = ("В центр пришёл незрячий посетитель с собакой-поводырём. Кто-нибудь из "
             "сотрудников всегда готов помочь по-соседски, из-за чего очередь идёт быстрее, "
             "а мама-одиночка с коляской успевает в детский сад.")


def test_no_page_ends_inside_a_compound_word(qtbot: QtBot) -> None:
    """A line may break after a compound's hyphen («собакой- / поводырём»); a page may not:
    at 1280×1024 «собакой-» ended a page and «поводырём» began the next. Over a range of
    column widths, each page two lines high: the compound goes whole onto the next line."""
    view = MarkdownView(Theme(1280, 1024), 44)
    qtbot.addWidget(view)
    view.set_markdown(COMPOUNDS)
    pitch = view.first_page_text_height()  # two lines
    metrics = QFontMetricsF(view.theme.font(44, bold=True))
    widest = max(metrics.horizontalAdvance(word) for word in COMPOUNDS.split())
    broke_there = 0
    for width in range(math.ceil(widest) + 1, 900, 6):  # a compound fits a line whole
        view.resize(width, pitch)
        for page in range(view.page_count - 1):
            last = view.page_text(page).rstrip().split("\n")[-1]
            assert not re.search(r"\w[-\u2010]$", last), (width, page, last)
        laid, _ = view._laid_lines()
        broke_there += any(line[3] for line in laid)  # a line still breaks at a hyphen
    assert broke_there  # the widths tried do break lines inside compounds
    # Every word is there once, its hyphen as it was typed or its non-breaking twin.
    text = "".join(view.page_text(k) for k in range(view.page_count))
    assert re.sub(r"\s+", " ", text.replace("\u2011", "-")).strip() == COMPOUNDS


def test_a_story_never_ends_on_a_page_of_one_line(qtbot: QtBot) -> None:
    """Five short paragraphs of a line each, under a title that leaves the first page room
    for four: «Пять.» stood alone overleaf; now «Четыре.» goes with it, still two pages."""
    view = MarkdownView(Theme(1280, 1024), 44)
    qtbot.addWidget(view)
    view.set_markdown("Один.\n\nДва.\n\nТри.\n\nЧетыре.\n\nПять.")
    view.resize(600, 1000)
    assert view.page_count == 1
    lines, _ = view._laid_lines()
    four = math.ceil(lines[3][1] - lines[0][0])
    view.set_insets(1000 - four, 0)
    pages = [view.page_text(page).split() for page in range(view.page_count)]
    assert pages == [["Один.", "Два.", "Три."], ["Четыре.", "Пять."]]


def test_a_heading_never_stands_at_a_pages_foot_without_its_text(qtbot: QtBot) -> None:
    """A heading as the last line of a page, its text overleaf: it goes over with its text
    (keep with next), as a book's would."""
    view = MarkdownView(Theme(1280, 1024), 44)
    qtbot.addWidget(view)
    view.set_markdown("Один.\n\nДва.\n\nТри.\n\n## Четыре\n\nПять.\n\nШесть.\n\nСемь.")
    view.resize(600, 1000)
    assert view.page_count == 1
    lines, _ = view._laid_lines()
    assert view._headings == {3}
    view.set_insets(1000 - math.ceil(lines[3][1] - lines[0][0]), 0)  # room to the heading
    pages = [view.page_text(page).split() for page in range(view.page_count)]
    assert pages == [["Один.", "Два.", "Три."], ["Четыре", "Пять.", "Шесть.", "Семь."]]


def test_a_heading_takes_two_lines_of_its_text_where_the_next_page_holds_them(
        view: MarkdownView, monkeypatch: pytest.MonkeyPatch) -> None:
    # Line 3 a heading: alone at the foot, or with one line of its text, it goes over.
    monkeypatch.setattr(view, "_headings", {3})
    assert view._breaks(laid({0, 3, 4}, set(), 8)) == [0, 3]
    assert view._breaks(laid({0, 3, 4, 5}, set(), 8)) == [0, 3]
    monkeypatch.setattr(view, "_headings", {4})
    assert view._breaks(laid({0, 4, 5}, set(), 9)) == [0, 4]
    # Its text a line long, the next heading after it: the two may part there.
    monkeypatch.setattr(view, "_headings", {3, 5})
    assert view._breaks(laid({0, 3, 4, 5, 6}, set(), 9)) == [0, 5]
    # A heading at the top of its page stays, and so does one whose text the next page
    # cannot hold with it.
    monkeypatch.setattr(view, "_headings", {0})
    assert view._breaks(laid({0, 1}, set(), 9)) == [0, 5]
    monkeypatch.setattr(view, "_headings", {4})
    monkeypatch.setattr(view, "_room", lambda page: 50.0 if page == 0 else 20.0)
    assert view._breaks(laid({0, 4, 5}, set(), 7)) == [0, 5]


def test_a_paragraphs_last_line_never_opens_a_page_alone_mid_text(qtbot: QtBot) -> None:
    """A paragraph's last line opened the second page alone: the page before now ends a
    line earlier and that line goes over with it, still two pages."""
    view = MarkdownView(Theme(1280, 1024), 44)
    qtbot.addWidget(view)
    view.set_markdown("Один.\n\nОчередь движется быстрее, когда каждый знает, какие документы "
                      "взять с собой, и сотрудник центра заранее подскажет, где их "
                      "получить.\n\nДва.\n\nТри.")
    view.resize(500, 1000)
    assert view.page_count == 1
    lines, _ = view._laid_lines()
    texts = [text for _, text in view._lines()]
    last = len(lines) - 3  # the paragraph's last line, «Два.» and «Три.» under it
    assert texts[last + 1:] == ["Два.", "Три."] and not lines[last - 2][2]
    view.set_insets(1000 - math.ceil(lines[last - 1][1] - lines[0][0]), 0)  # all but its last
    assert view.page_count == 2
    assert view.page_text(1).split("\n") == texts[last - 1:]


def test_a_widow_stays_where_giving_it_a_line_would_take_a_page_more(
        view: MarkdownView, monkeypatch: pytest.MonkeyPatch) -> None:
    # A paragraph on lines 1-5: its last line opens the second page. With room there, the
    # line above goes with it; with none, a third page would follow: it stays.
    assert view._breaks(laid({0, 1, 6}, set(), 9)) == [0, 4]
    assert view._breaks(laid({0, 1, 6}, set(), 10)) == [0, 5]
    # Nor at the cost of a paragraph's first line alone at the foot of the page before.
    assert view._breaks(laid({0, 3, 6}, set(), 9)) == [0, 5]
    # A short last page that took a paragraph's last line (four and two, balanced to three
    # and three) takes no more where the page before would keep two lines under its title.
    monkeypatch.setattr(view, "_room", lambda page: 40.0 if page == 0 else 50.0)
    assert view._breaks(laid({0, 4}, set(), 6)) == [0, 3]
