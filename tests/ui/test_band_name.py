"""The centre's name on the attract screen's band (issue 17): any name fits the band, at
the name's size on one or two lines, else in small type on as many lines as the band holds;
only a name longer than that is cut after a whole word with «…», and `kiosk check` says so,
measured by the band itself in the screen's fonts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.ui.fit_check import centre_name_problems
from kiosk.ui.resources import probe_image
from tests.helpers import make_folder, story
from tests.ui.conftest import WindowFactory, settle

NAME_44 = "Центр госуслуг района Южное Бутово, филиал 2"
NAME_EN = "Yuzhnoye Butovo District Public Services Centre, branch 2"
TOO_LONG = ("Государственное бюджетное учреждение города Москвы «Многофункциональные центры "
            "предоставления государственных услуг города Москвы», центр района Южное Бутово")


def folder(tmp_path: Path, name: str, name_en: str = "") -> Path:
    settings = f"centre_name: {name}\n" + (f"centre_name_en: {name_en}\n" if name_en else "")
    return make_folder(tmp_path / "c", stories={"a.md": story()}, settings=settings)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_44_character_name_is_shown_whole_inside_the_band(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, lang: str) -> None:
    assert len(NAME_44) == 44
    content = load_content(folder(tmp_path, NAME_44, NAME_EN), probe_image)
    window = make_window(content)
    window.set_language(lang)  # type: ignore[arg-type]
    window.attract.stop()
    settle(qtbot)
    band = window.attract.band
    assert band.width() == window.width()
    name = NAME_44 if lang == "ru" else NAME_EN
    invitation, subtitle, spot, time_spot, date_spot = band.text_spots()
    assert spot.text == name and spot.fits  # the whole name, no «…»
    assert band.rect().contains(spot.rect)
    # Clear of the invitation in the middle and of the time on the right.
    for other in (invitation, subtitle, time_spot, date_spot):
        assert not spot.rect.intersects(other.rect), other.text
    image = band.grab().toImage()
    assert (image.width(), image.height()) == (band.width(), band.height())
    assert centre_name_problems(content) == []


def test_a_name_too_long_for_the_band_is_cut_after_a_word_and_named_by_check(
        make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> None:
    root = folder(tmp_path, TOO_LONG)
    content = load_content(root, probe_image)
    window = make_window(content)
    window.attract.stop()
    settle(qtbot)
    layout = window.attract.band.name_layout()
    assert not layout.whole
    assert layout.text.endswith("…") and TOO_LONG.startswith(layout.text[:-1])
    assert TOO_LONG[len(layout.text) - 1] in " ,"  # after a whole word
    problems = centre_name_problems(content)
    assert [(p.code, Path(p.path).name, p.line) for p in problems] == \
        [("centre_name_long", "kiosk.yaml", 1)]
    # Said once, of the orientation that shows the least of it.
    shown = problems[0].args["shown"]
    assert len(shown) <= len(layout.text) and shown.endswith("…")
    assert "centre_name" in problems[0].message("ru")
    assert problems[0].args["orientation"] == "portrait"  # the narrower room


def test_the_time_reads_at_lead_size_in_both_orientations(make_window: WindowFactory,
                                                           qtbot: QtBot) -> None:
    """The portrait band set the clock at the small size, the date's: from across the room
    the time is what a passer-by reads there."""
    window = make_window()
    settle(qtbot)
    band = window.attract.band
    theme = band.theme
    spots = {spot.text: spot for spot in band.text_spots()}
    time_spot = spots[band.time_text]
    assert time_spot.pixel_size == theme.lead_px and time_spot.fits
    assert band.rect().contains(spots[band.date_text].rect)


def test_a_name_on_one_line_stands_on_the_times_line(make_window: WindowFactory,
                                                     qtbot: QtBot) -> None:
    """Both bold at lead size side by side, the name was centred on the time and the date
    together and stood 22 px lower than the time."""
    window = make_window()
    settle(qtbot)
    band = window.attract.band
    spots = {spot.text: spot for spot in band.text_spots()}
    name, time_spot = spots[band.centre], spots[band.time_text]
    assert name.pixel_size == time_spot.pixel_size
    assert abs(name.rect.top() - time_spot.rect.top()) <= 2, (name.rect, time_spot.rect)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 1024)])
def test_the_date_gives_up_its_weekday_and_year_before_it_is_cut(
        make_window: WindowFactory, qtbot: QtBot, size: tuple[int, int]) -> None:
    """A 5:4 screen showed «понедельн…»: its date now drops the weekday, then the year, and
    is whole («7 декабря»); a 16:9 screen keeps all of it."""
    window = make_window()
    settle(qtbot)
    band = window.attract.band
    date = band.date_text
    assert ", " in date and date[-4:].isdigit()
    spot = band.text_spots()[-1]  # the invitation's two lines, the name, the time, the date
    assert spot.fits and "…" not in spot.text
    if size == (1920, 1080):
        assert spot.text == date
    else:
        assert spot.text == date.split(", ")[1].rsplit(" ", 1)[0]


@pytest.mark.parametrize("size", [(1024, 768), (1280, 1024), (1366, 768), (1080, 1920)])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_date_shown_is_always_one_of_its_forms_whole(
        make_window: WindowFactory, qtbot: QtBot, size: tuple[int, int], lang: str) -> None:
    """At 1024×768 in English «7 December 2026» measured 172 px in a 172 px room (172.3
    to the fraction) and was shown cut, «7 December 20…», though «7 December» fits."""
    window = make_window(utc_now=lambda: dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))
    window.set_language(lang)  # type: ignore[arg-type]
    settle(qtbot)
    band = window.attract.band
    spot = band.text_spots()[-1]
    assert spot.text in band.dates and spot.fits and "…" not in spot.text, spot.text
