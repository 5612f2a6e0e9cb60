"""Staff posters: a portrait version beside a landscape one, how a poster meets the screen, and
a warning for a poster made for the other shape of screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.content.loader import ImageCheck, load_content
from tests.helpers import SVG, make_folder


def sized(width: int, height: int) -> ImageCheck:
    return ImageCheck(size=(width, height))


def probe_by_name(path: Path) -> ImageCheck:
    """A decoder stand-in: portrait pictures are named «…tall…», the rest are landscape."""
    return sized(1080, 1920) if "tall" in path.name or ".portrait" in path.name \
        else sized(1920, 1080)


def codes(content: object) -> list[tuple[str, str]]:
    return [(p.code, Path(p.path).name) for p in content.problems]  # type: ignore[attr-defined]


def test_a_portrait_version_is_paired_with_its_poster_not_shown_twice(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={
        "posters/1-new-year.svg": SVG, "posters/1-new-year.portrait.svg": SVG,
        "posters/2-hours.portrait.svg": SVG, "posters/1-new-year.yaml": "duration: 12\n"})
    content = load_content(root)
    posters = {p.id: p for p in content.posters}
    assert list(posters) == ["1-new-year", "2-hours"]
    new_year = posters["1-new-year"]
    assert new_year.source.name == "1-new-year.svg"
    assert new_year.picture_for(portrait_screen=True).name == "1-new-year.portrait.svg"
    assert new_year.picture_for(portrait_screen=False).name == "1-new-year.svg"
    assert new_year.duration == 12  # the settings are the pair's
    # A poster made only in portrait is shown on either screen.
    assert posters["2-hours"].picture_for(portrait_screen=False).name == "2-hours.portrait.svg"
    assert not [c for c in codes(content) if c[0].startswith("poster_")]


@pytest.mark.parametrize(("written", "fit"), [
    ("fill", "fill"), ("заполнить", "fill"), ("Целиком", "whole"), ("whole", "whole")])
def test_staff_choose_whether_a_poster_fills_the_screen(tmp_path: Path, written: str,
                                                        fit: str) -> None:
    root = make_folder(tmp_path / "c", images={"posters/a.svg": SVG,
                                                "posters/a.yaml": f"fit: {written}\n"})
    content = load_content(root)
    assert content.posters[0].fit == fit
    assert not content.problems


def test_a_fit_staff_did_not_mean_is_named_with_the_choices_and_the_poster_stays_whole(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/a.svg": SVG,
                                                "posters/a.yaml": "duration: 5\nfit: stretch\n"})
    content = load_content(root)
    assert content.posters[0].fit == "whole"  # never stretched
    (problem,) = content.problems
    assert (problem.code, problem.line, problem.is_error) == ("bad_choice", 2, True)
    assert "заполнить" in problem.message("ru") and "stretch" in problem.message("en")


def test_settings_for_the_portrait_version_alone_are_named_not_ignored(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={
        "posters/a.svg": SVG, "posters/a.portrait.svg": SVG,
        "posters/a.portrait.yaml": "duration: 5\n"})
    content = load_content(root)
    (problem,) = content.problems
    assert problem.code == "poster_variant_side_file"
    assert "«a.yaml»" in problem.message("ru")
    assert content.posters[0].duration is None


def test_a_poster_for_the_other_shape_of_screen_is_a_warning_that_says_what_to_do(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={
        "posters/tall.svg": SVG, "posters/wide.svg": SVG,
        "posters/pair.svg": SVG, "posters/pair.portrait.svg": SVG})
    landscape = load_content(root, probe_by_name)
    assert codes(landscape) == [("poster_portrait_on_landscape", "tall.svg")]
    (problem,) = landscape.problems
    assert not problem.is_error
    assert "1080×1920" in problem.message("ru") and "«tall.portrait.svg»" in problem.message("ru")

    (root / "kiosk.yaml").write_text("screen: вертикальный\n", encoding="utf-8")
    portrait = load_content(root, probe_by_name)
    assert portrait.settings.screen == "portrait"
    # The portrait pair shows its portrait version; the landscape one has none.
    assert codes(portrait) == [("poster_landscape_on_portrait", "wide.svg")]
    # Set to fill the screen it leaves no margins: its sides are cut off, and it says how much.
    (root / "posters" / "wide.yaml").write_text("fit: заполнить\n", encoding="utf-8")
    filled = load_content(root, probe_by_name)
    assert codes(filled) == [("poster_landscape_on_portrait_cut", "wide.svg")]
    (problem,) = filled.problems
    assert problem.args["share"] == "38"  # 1080 of 2880 px: 1920×1080 scaled to 1620 high
    assert "около 38 % его ширины" in problem.message("ru")
    assert "«wide.portrait.svg»" in problem.message("ru") and "fit: целиком" in problem.message(
        "ru")


def test_without_decoding_no_shape_is_guessed(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/tall.svg": SVG})
    assert load_content(root).problems == ()  # the running kiosk does not decode to warn


def test_a_pdf_poster_is_named_with_how_to_save_it_as_a_picture(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/a.svg": SVG,
                                                "posters/schedule.pdf": b"%PDF-1.7\n"})
    content = load_content(root)
    assert [p.id for p in content.posters] == ["a"]
    (problem,) = content.problems
    assert (problem.code, problem.is_error) == ("pdf_not_shown", False)
    assert "PNG" in problem.message("ru")


def test_a_phones_heic_photo_as_a_poster_is_named_with_how_to_show_it(tmp_path: Path) -> None:
    # It was «формат не поддерживается; используйте PNG, JPEG или SVG», as for any file,
    # where a story's photo in HEIC is told to save it as JPEG or upload it in the editor.
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    root = make_folder(tmp_path / "c", images={"posters/a.svg": SVG,
                                                "posters/IMG_0412.HEIC": heic})
    content = load_content(root)
    assert [p.id for p in content.posters] == ["a"]
    (problem,) = content.problems
    assert (problem.code, problem.is_error) == ("image_heic_named", False)
    assert "HEIC" in problem.message("ru") and "редактор" in problem.message("ru")


def test_two_files_of_one_poster_name_show_one_and_name_the_other(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/greeting.svg": SVG,
                                                "posters/greeting.png": b"\x89PNG\r\n\x1a\n"})
    content = load_content(root)
    assert [p.source.name for p in content.posters] == ["greeting.png"]
    (problem,) = content.problems
    assert (problem.code, Path(problem.path).name) == ("poster_same_name", "greeting.svg")
    assert "«greeting.png»" in problem.message("ru")


def test_a_poster_far_from_any_screens_shape_is_a_warning(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", images={"posters/strip.svg": SVG})
    content = load_content(root, lambda _path: sized(4000, 300))
    assert codes(content) == [("poster_too_thin", "strip.svg")]


def test_a_fill_poster_cut_beyond_three_quarters_is_named_for_its_margins() -> None:
    """The kiosk shows a fill poster whole where covering the screen would cut more than
    three quarters of it away (kiosk.ui.resources): then it has margins, not a cut."""
    from kiosk.core.content.poster_shape import shape_problem

    tall = shape_problem("tall.png", (1000, 2000), False, True, "tall.portrait.png")
    assert tall is not None and tall[0] == "poster_portrait_on_landscape"  # 1/4.4 would stay
    wide = shape_problem("wide.png", (1920, 1080), True, True, "wide.portrait.png")
    assert wide == ("poster_landscape_on_portrait_cut", {
        "value": "wide.png", "size": "1920×1080", "variant": "wide.portrait.png",
        "share": "38"})
    assert shape_problem("fits.png", (1920, 1080), False, True, "x") is None
    assert shape_problem("square.png", (1000, 1000), True, True, "x") is None
