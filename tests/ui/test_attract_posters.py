"""The attract loop as posters: one grid for every slide, display type that never shrinks, an
invitation to touch that can be seen across the room, and a tap that opens what was shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import AnniversaryPage, Content, Story
from kiosk.core.content.problems import Language
from kiosk.core.playlist import Slide, SlideKind
from kiosk.ui.attract.poster import PosterPainter, PosterWords, poster_words
from kiosk.ui.attract.poster_check import poster_fit_problems
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.preview import attract_slides
from kiosk.ui.resources import probe_image
from kiosk.ui.theme import Theme
from tests.helpers import ONE_LETTER_WORDS, SVG, copy_bundled
from tests.ui.conftest import FakeClock


def shown(window: KioskWindow, slide: Slide, lang: Language) -> list[tuple[str, int, int]]:
    """(text, left edge, pixel size) of every line painted on the slide."""
    window.set_language(lang)
    window.attract.display(slide)
    return [(spot.text, spot.rect.left(), spot.pixel_size)
            for spot in window.attract.stage.text_spots()]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_poster_sets_its_words_on_the_same_column_at_the_same_sizes(
        window: KioskWindow, lang: Language) -> None:
    theme = window.attract.theme
    grid = theme.grid
    column = grid.x(0) if theme.portrait else grid.x(6)
    for slide in attract_slides(window.content):
        if slide.kind is SlideKind.POSTER:
            continue
        lines = shown(window, slide, lang)
        assert lines, slide.key
        assert {left for _text, left, _size in lines} == {column}, slide.key
        kicker, headline = lines[0], lines[1]
        assert kicker[2] == theme.small_px
        assert headline[2] == theme.display_px, (slide.key, headline[0])
        assert all(size in (theme.small_px, theme.display_px, theme.lead_px)
                   for _text, _left, size in lines), slide.key
        # Every word painted whole: nothing cut, nothing off the stage.
        stage = window.attract.stage.rect()
        for spot in window.attract.stage.text_spots():
            assert spot.fits and stage.contains(spot.rect), (slide.key, spot.text)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_poster_line_ends_in_a_one_letter_word(window: KioskWindow, lang: Language) -> None:
    for slide in attract_slides(window.content):
        for text, _left, _size in shown(window, slide, lang):
            last = text.replace("\u00a0", " ").split()[-1]
            assert last not in ONE_LETTER_WORDS, (slide.key, text)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_headline_leaves_a_short_word_alone_on_a_line(
        window: KioskWindow, lang: Language) -> None:
    """«The Academy / of / Sincere Service», «A colouring page for a little / helper»: the
    ties too wide for a display line were let go the wrong way round."""
    theme = window.attract.theme
    for slide in attract_slides(window.content):
        lines = [text.replace("\u00a0", " ").split()
                 for text, _left, size in shown(window, slide, lang) if size == theme.display_px]
        # (A headline's first word may stand alone: «Всё / в одном месте».)
        assert not any(len(line) == 1 and len(line[0]) <= 3 for line in lines[1:]), \
            (slide.key, lines)
        if slide.key == "story:colouring-page" and lang == "en":  # «for / a little helper»
            assert len(lines[-1]) > 1, lines


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 1024), (1024, 768)])
def test_a_headline_keeps_a_particle_with_its_word_where_the_title_size_can(
        window: KioskWindow) -> None:
    """«Завтра / центр не / работает» at display size in a 5:4 screen's column, where «не
    работает» was wider than it: the title size keeps them together."""
    window.every_notice = True
    window.show_notices()
    [slide] = [slide for slide in attract_slides(window.content)
               if slide.key == "notice:closed-tomorrow"]
    lines = [text.replace("\u00a0", " ").split()
             for text, _left, size in shown(window, slide, "ru") if size >= window.theme.title_px]
    assert lines and all(line[-1] != "не" for line in lines), lines


@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_on_a_4_3_or_5_4_screen_above_a_notice_band_every_poster_keeps_its_line(
        window: KioskWindow, lang: Language) -> None:
    """«Раскрась картинку» alone, its line for the parents dropped: the headline steps down to
    the title size where that lets the line show. A line is left out only where even the
    title size has no room for it, and the kiosk's own invitations always keep theirs."""
    window.every_notice = True
    window.show_notices()
    for slide in attract_slides(window.content):
        spots = shown(window, slide, lang)
        line = window.attract.painter.last_words.line
        if not line or slide.kind is SlideKind.POSTER:
            continue
        painted = " ".join(text for text, _left, _size in spots).replace("\u00a0", " ")
        if line.split()[-1] not in painted.split():
            assert slide.kind not in (SlideKind.COLOURING, SlideKind.CALM), slide.key
            assert max(size for _text, _left, size in spots) < window.theme.display_px, \
                (slide.key, painted)


@pytest.mark.parametrize("size", [(1280, 1024), (1024, 768)])
@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("band", [False, True])
def test_on_a_4_3_or_5_4_screen_every_headline_of_the_loop_has_one_size(
        window: KioskWindow, lang: Language, band: bool) -> None:
    """Some at display size, some at title size, poster by poster: «Забытые очки» shouted in a
    quiet loop. The narrow column sets every headline at the title size."""
    window.every_notice = band
    window.show_notices()
    sizes = set()
    for slide in attract_slides(window.content):
        if slide.kind is SlideKind.POSTER:
            continue
        spots = shown(window, slide, lang)
        sizes.add(max(size for _text, _left, size in spots))
    assert sizes == {window.theme.title_px}


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_headline_line_ends_on_a_number_whose_word_is_on_the_next(
        window: KioskWindow, lang: Language) -> None:
    """«Более 37 / тысяч историй» in portrait: the tie after the number was let go first."""
    theme = window.attract.theme
    for slide in attract_slides(window.content):
        lines = [text.replace("\u00a0", " ").split()
                 for text, _left, size in shown(window, slide, lang) if size == theme.display_px]
        assert not any(line[-1].isdigit() for line in lines[:-1]), (slide.key, lines)


def test_the_invitation_to_touch_is_large_and_moves(qtbot: QtBot, window: KioskWindow,
                                                    clock: FakeClock) -> None:
    band = window.attract.band
    theme = window.attract.theme
    words = {spot.text: spot for spot in band.text_spots()}
    invitation = words["Коснитесь экрана"]
    assert invitation.pixel_size == theme.title_px  # not a pill's label: title size
    assert band.width() == window.width()  # the whole band is the invitation
    assert all(spot.fits for spot in band.text_spots())
    before = band.phase
    clock.advance(0.6)
    qtbot.waitUntil(lambda: band.phase != before, timeout=2000)
    window.attract.stop()
    assert not band.timer.isActive()  # nothing moves behind the menu


def _first(window: KioskWindow, kind: SlideKind) -> Slide:
    return next(s for s in attract_slides(window.content) if s.kind is kind)


def _tap_on(qtbot: QtBot, window: KioskWindow, slide: Slide) -> None:
    attract = window.attract
    assert attract.playlist is not None
    attract.playlist.slides = [slide]
    attract.playlist.index = 0
    attract.display(slide)
    qtbot.mouseClick(attract.stage, Qt.MouseButton.LeftButton)


def test_a_tap_on_a_story_teaser_opens_that_story(qtbot: QtBot, window: KioskWindow) -> None:
    slide = next(s for s in attract_slides(window.content)
                 if s.kind is SlideKind.STORY and s.item_id != window.content.stories[0].id)
    _tap_on(qtbot, window, slide)
    assert window.current_screen is window.stories
    story = window.stories.visible_stories[window.stories.index]
    assert story.id == slide.item_id


def test_a_tap_on_an_anniversary_poster_opens_that_page(qtbot: QtBot,
                                                         window: KioskWindow) -> None:
    slide = [s for s in attract_slides(window.content) if s.kind is SlideKind.ANNIVERSARY][2]
    _tap_on(qtbot, window, slide)
    assert window.current_screen is window.anniversary
    assert window.anniversary.pages[window.anniversary.index].id == slide.item_id


def test_a_tap_on_an_invitation_opens_its_screen(qtbot: QtBot, window: KioskWindow) -> None:
    _tap_on(qtbot, window, _first(window, SlideKind.CALM))
    assert window.current_screen is window.calm


def test_a_staff_poster_fills_the_stage_and_a_tap_opens_the_menu(
        qtbot: QtBot, tmp_path: Path) -> None:
    root = copy_bundled(tmp_path)
    (root / "posters").mkdir(exist_ok=True)
    (root / "posters" / "notice.svg").write_text(
        SVG.replace('fill="none"', 'fill="#2E7D32"'), encoding="utf-8")
    content = load_content(root, probe_image)
    window = KioskWindow(Theme(1920, 1080), content)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    slide = next(s for s in attract_slides(window.content) if s.item_id == "notice")
    _tap_on(qtbot, window, slide)
    assert window.current_screen is window.menu
    window.show_screen(window.attract)
    window.attract.display(slide)
    image = window.attract.stage.current.toImage()
    centre = QColor(image.pixel(image.width() // 2, image.height() // 2))
    assert centre.green() > 100 and centre.red() < 80  # the poster's own green, fitted whole
    assert window.attract.stage.text_spots() == []  # staff posters carry their own words
    window.attract.stop()


def test_a_headline_too_long_for_display_type_is_set_smaller_and_named(
        qtbot: QtBot, bundled: Content) -> None:
    theme = Theme(1920, 1080)
    painter = PosterPainter(theme)
    stage = QSize(1920, 904)
    title = "Очень длинный заголовок истории, который никак не поместится в три строки плаката"
    layout = painter.layout(PosterWords("", title, "", None), "ru", stage)
    assert not layout.headline_at_display
    assert layout.headline.font.pixelSize() == theme.title_px
    assert layout.headline.fits
    assert poster_fit_problems(bundled) == []  # the bundled titles all fit
    from dataclasses import replace

    long_story = replace(bundled.stories[0], title=replace(bundled.stories[0].title, ru=title))
    problems = poster_fit_problems(replace(bundled, stories=(long_story,), pages=()))
    named = [(p.code, p.args["words"]) for p in problems if p.code == "headline_long"]
    assert len(named) == 1 and 3 <= int(named[0][1]) <= 8  # its first words fit, not all
    # One word wider than a line: that word is the cause, named, not «the first word fits».
    title = "Как администратор зала и её коллега вдвоём подняли коляску молодой мамы"
    long_story = replace(bundled.stories[0], title=replace(bundled.stories[0].title, ru=title))
    [problem] = poster_fit_problems(replace(bundled, stories=(long_story,), pages=()))
    assert problem.code == "headline_word_wide" and problem.args["word"] == "администратор"
    assert "слово «администратор» само по себе не помещается в строку крупного шрифта, если " \
        "вывести плакат заставки на горизонтальный экран" in problem.message("ru")


def test_the_centres_name_and_clock_are_on_every_orientation(window: KioskWindow) -> None:
    texts = [spot.text for spot in window.attract.band.text_spots()]
    assert "Мои Документы" in texts
    assert any(":" in text for text in texts)  # the time
    point = QPoint(5, 5)
    assert window.attract.band.mapTo(window, point).y() > window.height() // 2


def test_a_teaser_with_no_room_under_its_title_is_named(bundled: Content) -> None:
    from dataclasses import replace

    story = bundled.stories[0]
    crowded = replace(story, title=replace(story.title, ru="Справка нашлась до самого закрытия"),
                      teaser=replace(story.teaser, ru=" ".join(["словечко"] * 14)))
    problems = poster_fit_problems(replace(bundled, stories=(crowded,), pages=()))
    assert [(p.code, p.args.get("key")) for p in problems
            if p.code == "teaser_no_room"] == [("teaser_no_room", "teaser")]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_headlines_break_between_words_never_inside_one(window: KioskWindow,
                                                        lang: Language) -> None:
    theme = window.attract.theme
    for slide in attract_slides(window.content):
        if slide.kind is SlideKind.POSTER:
            continue
        lines = [text for text, _left, size in shown(window, slide, lang)
                 if size == theme.display_px]
        words = " ".join(lines).replace("\u00a0", " ").split()
        title = window.attract.painter.last_words.headline
        assert words == title.replace("\u00a0", " ").split(), (slide.key, lines)


def test_the_colouring_invitation_shows_a_coloured_picture(window: KioskWindow) -> None:
    window.attract.display(_first(window, SlideKind.COLOURING))
    image = window.attract.stage.current.toImage()
    box = poster_frame_of(window)
    colourful = 0
    for y in range(box.top(), box.bottom(), 6):
        for x in range(box.left(), box.right(), 6):
            colour = QColor(image.pixel(x, y))
            colourful += colour.hsvSaturation() > 120 and colour.value() > 120
    sampled = (box.width() // 6) * (box.height() // 6)
    assert colourful > sampled * 0.12  # line art alone would be black on white


def poster_frame_of(window: KioskWindow) -> QRect:
    from kiosk.ui.attract.poster import poster_frame

    return poster_frame(window.attract.theme, window.attract.stage.size()).picture.toRect()


def test_kiosk_checks_quick_bound_never_passes_a_poster_that_does_not_fit(
        bundled: Content) -> None:
    from kiosk.core.content.teaser import teaser_line
    from kiosk.ui.attract.poster_check import _Bounds

    words = ["справка", "нашлась", "до", "закрытия", "посетитель", "документы", "специалист",
             "зонтик"]
    texts = [" ".join(words[(i * 3) % len(words):] + words[: i % 5]) for i in range(24)]
    for width, height, band in ((1920, 1080, 176), (1080, 1920, 300)):
        theme = Theme(width, height)
        painter = PosterPainter(theme)
        stage = QSize(width, height - band)
        bounds = _Bounds(painter, stage, {})
        items: list[Story | AnniversaryPage] = [*bundled.pages, *bundled.stories]
        pairs = [(item.title.ru, teaser_line(item, "ru")) for item in items]
        pairs += [(a, b) for a in texts[:8] for b in texts[8:]]
        skipped = fitting = 0
        for number, (title, line) in enumerate(pairs):
            layout = painter.layout(PosterWords("Искренний сервис", title, line, None), "ru",
                                    stage)
            fits = layout.headline_at_display and layout.line is not None
            real = number < len(items)
            fitting += fits and real
            if bounds.surely_fits(title, line, "ru"):
                skipped += real
                assert fits, (title, line)
        # It spares the layout of most real posters that fit (the made-up texts above are
        # near the limits on purpose).
        assert skipped >= fitting * 0.5


LONG_NOTICE = ("Уважаемые посетители! В связи с плановыми работами на линии электропередачи "
               "приём в окнах с 10 по 14 временно не ведётся. Просим отнестись с пониманием "
               "и обращаться в другие окна.")


@pytest.mark.parametrize("text", [LONG_NOTICE, "Высококвалифицированный Электроэнергетический"])
def test_a_long_notice_or_a_long_word_is_set_smaller_never_cut_off(
        window: KioskWindow, tmp_path: Path, text: str) -> None:
    from tests.helpers import make_folder

    root = make_folder(tmp_path / "c", images={"notices/a.yaml": f"text: {text}\n"})
    window.set_content(load_content(root))
    window.attract.display(Slide(SlideKind.NOTICE, "a", 8))
    stage = window.attract.stage.rect()
    spots = window.attract.stage.text_spots()
    assert " ".join(spot.text.strip() for spot in spots).endswith(text.split()[-1])
    assert all(stage.contains(spot.rect) for spot in spots)
    window.attract.stop()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_poster_line_starts_with_a_dash(window: KioskWindow, lang: Language) -> None:
    """«Главное / — люди»: the dash is tied to the word before it, and where the tied words
    are too wide the tie after the dash is let go instead («Главное — / люди»)."""
    for slide in attract_slides(window.content):
        for text, _left, _size in shown(window, slide, lang):
            assert not text.lstrip().startswith(("—", "–")), (slide.key, text)


@pytest.mark.parametrize(("text", "lang", "width", "expected"), [
    # Both fit three lines; the one not ending a line on «на» is chosen.
    ("Разговор на одном уровне", "ru", 700, ["Разговор", "на одном", "уровне"]),
    ("Главное — люди", "ru", 600, ["Главное —", "люди"]),
    # English keeps the last words together instead (docs/design.md).
    ("A colouring page for a little helper", "en", 848,
     ["A colouring", "page for", "a little helper"]),
])
def test_a_headline_set_where_ties_must_go_keeps_prepositions_and_dashes_in_place(
        qapp: object, text: str, lang: Language, width: int, expected: list[str]) -> None:
    from kiosk.core.typeset import typeset
    from kiosk.ui.attract.poster import set_text

    theme = Theme(1920, 1080)
    lines = set_text(typeset(text, lang, hyphenate=False),
                     theme.font(theme.display_px, bold=True), width, 1.04, 3).lines
    assert [line.replace("\u00a0", " ") for line, _width in lines] == expected


def test_a_portrait_poster_makes_its_picture_shorter_for_its_line(qapp: object) -> None:
    """Under a headline of two lines the line «Устали ждать? Подышите с нами…» was left out
    for 22 px, leaving a band of empty paper: the picture gives up to a fifth of its height,
    the words keep their bottom, and the picture decoded ahead has the same box."""
    theme = Theme(1080, 1920)
    painter = PosterPainter(theme)
    words = PosterWords("Пока вы ждёте", "Минутка спокойствия",
                        "Устали ждать? Подышите с нами одну минуту.", None)
    roomy = painter.layout(words, "ru", QSize(1080, 1620))
    assert roomy.line is not None and roomy.frame.picture.height() == 810
    tight = painter.layout(words, "ru", QSize(1080, 1447))
    assert tight.line is not None
    assert 810 * 0.8 <= tight.frame.picture.height() < 810
    assert tight.frame.words.bottom() == painter.layout(
        PosterWords("Пока вы ждёте", "Минутка спокойствия", "", None), "ru",
        QSize(1080, 1447)).frame.words.bottom()
    # More than a fifth of the picture: the line is left out, the picture whole.
    crowded = painter.layout(words, "ru", QSize(1080, 1250))
    assert crowded.line is None and crowded.frame.picture.height() == 810
    # Landscape never moves its picture.
    wide = PosterPainter(Theme(1920, 1080))
    assert wide.layout(words, "ru", QSize(1920, 904)).frame.picture == \
        wide.layout(PosterWords("Пока вы ждёте", "Минутка спокойствия", "", None), "ru",
                    QSize(1920, 904)).frame.picture


def test_a_picture_giving_height_keeps_its_width_and_is_decoded_as_a_whole_one(
        bundled: Content, qapp: object) -> None:
    """Shrunk whole, a picture giving height to its line stood 981 px wide off the grid among
    edge-to-edge ones, and was decoded for a box of its own: now it is decoded for the whole
    frame, drawn at that width, and cut at the box's foot."""
    painter = PosterPainter(Theme(1080, 1920))
    story = next(s for s in bundled.stories if s.attract and s.photo is not None)
    slide = Slide(SlideKind.STORY, story.id, 9.0)
    words = poster_words(slide, bundled, "ru")
    boxes = set()
    for height in (1620, 1447):
        stage = QSize(1080, height)
        [(path, size, fill)] = painter.picture_boxes(slide, bundled, "ru", stage)
        assert (path, fill) == (story.photo, False)
        boxes.add((size.width(), size.height()))
    assert boxes == {(1080, 810)}
    stage = QSize(1080, 1447)
    box = painter.layout(words, "ru", stage).frame.picture
    assert box.height() < 810 and box.width() == 1080
    image = painter.render(slide, bundled, "ru", stage).toImage()
    paper = QColor(painter.theme.colours.paper).name()
    middle = round(box.center().y())
    assert image.pixelColor(3, middle).name() != paper  # edge to edge, as at full height
    assert image.pixelColor(1076, middle).name() != paper
    assert image.pixelColor(540, round(box.bottom()) + 3).name() == paper  # cut at its foot


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_posters_line_ends_as_a_sentence(window: KioskWindow, lang: Language) -> None:
    """The stories' lines are sentences with their full stops: the invitations' lines under
    them were not («…выбери картинку и краски», "…for one minute")."""
    for slide in attract_slides(window.content):
        shown(window, slide, lang)
        line = window.attract.painter.last_words.line.strip()
        assert not line or line.endswith((".", "!", "?", "…", "»", "”", '"')), (slide.key, line)


def test_a_posters_kicker_rule_is_in_the_accent_as_on_the_reading_screens(
        window: KioskWindow) -> None:
    """A colour means one thing (docs/design.md): the kicker's rule was the «tap here» orange
    on the posters and the accent on the reading screens."""
    theme = window.attract.theme
    slide = next(s for s in attract_slides(window.content) if s.kind is SlideKind.STORY)
    window.attract.display(slide)
    image = window.attract.stage.grab().toImage()
    kicker = window.attract.stage.text_spots()[0].rect
    # The rule: a short bar just above the kicker's word, at the words' left edge.
    rule = image.pixelColor(kicker.left() + theme.px(36), kicker.top() - theme.px(12))
    assert rule.name() == QColor(theme.colours.accent).name()


def test_the_line_under_a_headline_matters_more_than_where_a_preposition_falls(
        qapp: object) -> None:
    """With a notice's band under it, «Разговор / на одном / уровне» left no room for its
    line, and the poster showed three lines alone: where the three lines leave room, they
    stay; where only two would, the headline takes two and its line shows."""
    painter = PosterPainter(Theme(1920, 1080))
    words = PosterWords("Искренний сервис", "Разговор на одном уровне",
                        "«Обычно я объясняю сам, а здесь спросили первыми».", None)

    def shown(height: int) -> tuple[list[str], bool]:
        layout = painter.layout(words, "ru", QSize(1920, height))
        return ([line.replace("\u00a0", " ") for line, _ in layout.headline.lines],
                layout.line is not None)

    assert shown(904) == (["Разговор", "на одном", "уровне"], True)
    assert shown(840) == (["Разговор на", "одном уровне"], True)


@pytest.mark.parametrize("size", [(1280, 1024)])
def test_a_one_letter_word_alone_on_a_display_line_sets_the_headline_smaller(
        window: KioskWindow, size: tuple[int, int]) -> None:
    """A 5:4 screen's column set «Разговор / в / блокноте» at display size, «в» alone on its
    line: at the title size the headline is set as a typesetter would."""
    theme = window.attract.theme
    layout = window.attract.painter.layout(
        PosterWords("Искренний сервис", "Разговор в блокноте", "", None), "ru",
        window.attract.stage.size())
    lines = [line.replace("\u00a0", " ") for line, _ in layout.headline.lines]
    assert "в" not in lines, lines
    assert not layout.headline_at_display and layout.headline.font.pixelSize() == theme.title_px


@pytest.mark.parametrize("size", [(1080, 1920)])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_colouring_invitations_card_is_never_cut_in_portrait(
        qtbot: QtBot, window: KioskWindow, lang: Language) -> None:
    """Its picture is a card with a rim: scaled as a photo and cut to the room its words left
    it above a notice band, the rim was cut off at the screen's top and the bottom corners
    were cut flat. Fitted whole, it keeps off the screen's top edge."""
    window.every_notice = True
    window.show_notices()
    qtbot.waitUntil(window.notice_band.isVisible)
    slide = Slide(SlideKind.COLOURING, "", 8)
    assert poster_words(slide, window.content, lang).framed
    stage = window.attract.stage.size()
    image = PosterPainter(window.theme).render(slide, window.content, lang, stage).toImage()
    rim = QColor("#D6CFC4")

    def is_rim(y: int) -> bool:
        found = QColor(image.pixel(image.width() // 2, y))
        return all(abs(a - b) <= 24 for a, b in (
            (found.red(), rim.red()), (found.green(), rim.green()), (found.blue(), rim.blue())))

    column = [is_rim(y) for y in range(0, stage.height() * 3 // 4)]
    assert any(column), "no rim"
    top = column.index(True)
    gap = window.theme.space("xl")
    assert gap - 2 <= top <= gap + 40, "the card's rim is cut at its top, or touches the edge"
    assert any(column[top + 20:]), "no rim at the card's foot"
