"""Head office's shared folder and the centre's own, merged by the rule of
kiosk.core.content.merge."""

from __future__ import annotations

import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest

from kiosk.core.content.index import ContentIndex, default_index_path
from kiosk.core.content.loader import ParseCache, load_content
from kiosk.core.content.merge import MAX_COLOURING, origin_of
from kiosk.core.content.model import Content
from tests.helpers import SVG, make_folder, story


def shared_folder(root: Path) -> Path:
    return make_folder(root, settings="tags:\n  дети: children\n  семья: family\n",
                       stories={"01-birthday.md": story("День рождения"),
                                "03-winter.md": story("Зима")},
                       pages={"01-start.md": story("Начало")},
                       images={"images/cake.svg": SVG,
                               "notices/hours.yaml": "text: Сегодня до 20:00\n",
                               "posters/new-year.svg": SVG})


def problems(content: Content, code: str) -> list[tuple[str, dict[str, str]]]:
    return [(p.path, p.args) for p in content.problems if p.code == code]


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    return shared_folder(tmp_path / "content")


def test_centre_items_are_added_and_marked_as_the_centres(shared: Path, tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre",
                         stories={"02-our-party.md": story("Наш праздник", tags="[дети]"),
                                  "10-later.md": story("Позже")},
                         images={"notices/closed.yaml": "text: Закрыто на учёт\n",
                                 "posters/our.svg": SVG, "colouring/our-cat.svg": SVG})
    content = load_content(shared, centre=centre)
    assert content.errors == ()
    # In the order of the file names, as staff number them, whichever folder they are in.
    assert [(s.title.ru, s.origin) for s in content.stories] == [
        ("День рождения", "shared"), ("Наш праздник", "centre"), ("Зима", "shared"),
        ("Позже", "centre")]
    assert {n.id: n.origin for n in content.notices} == {"closed": "centre", "hours": "shared"}
    assert {p.id: p.origin for p in content.posters} == {"new-year": "shared", "our": "centre"}
    assert [(c.id, c.origin) for c in content.colouring] == [("our-cat", "centre")]
    assert [p.origin for p in content.pages] == ["shared"]
    assert content.centre == centre
    assert content.stories[1].tags == ("дети",)  # head office's tag list applies


def test_without_a_centre_everything_is_head_offices(shared: Path) -> None:
    content = load_content(shared)
    assert content.centre is None
    assert {s.origin for s in content.stories} == {"shared"}


def test_a_missing_centre_folder_shows_head_offices_content_only(shared: Path,
                                                                 tmp_path: Path) -> None:
    content = load_content(shared, centre=tmp_path / "not-made-yet")
    assert content.problems == load_content(shared).problems
    assert [s.title.ru for s in content.stories] == ["День рождения", "Зима"]


def test_a_centre_file_of_a_shared_name_does_not_replace_it(shared: Path,
                                                           tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", stories={
        "01-Birthday.md": story("Наш день рождения")})
    content = load_content(shared, centre=centre)
    assert [s.title.ru for s in content.stories] == ["День рождения", "Зима"]
    ((path, args),) = problems(content, "centre_same_name")
    assert path == str(centre / "stories" / "01-Birthday.md")
    assert args["other"] == str(shared / "stories" / "01-birthday.md")
    message = next(p for p in content.problems if p.code == "centre_same_name").message("ru")
    assert "01-Birthday.md" in message and "hidden.yaml" in message
    assert "stories/01-birthday.md" in message  # the line to write to hide the shared one


def test_hidden_yaml_hides_a_shared_item_and_lets_the_centres_show(shared: Path,
                                                                   tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre",
                         stories={"01-birthday.md": story("Наш день рождения")},
                         images={"hidden.yaml": "hide:\n  - stories/01-birthday.md\n"
                                                "  - notices\\hours.yaml\n"
                                                "  - posters/New-Year.svg\n"})
    content = load_content(shared, centre=centre)
    assert content.problems == ()
    assert [(s.title.ru, s.origin) for s in content.stories] == [
        ("Наш день рождения", "centre"), ("Зима", "shared")]
    assert content.notices == () and content.posters == ()


def test_a_hide_may_leave_out_the_files_ending(shared: Path, tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", images={"hidden.yaml": "hide: Stories/03-Winter\n"})
    content = load_content(shared, centre=centre)
    assert content.problems == ()
    assert [s.title.ru for s in content.stories] == ["День рождения"]


def test_a_hide_typed_finds_a_name_macos_wrote(tmp_path: Path) -> None:
    # A story written on a Mac: «й» in its file name is «и» and a breve (NFD); the centre
    # types «й» (NFC). The names look the same, and the warning said no such file was there.
    shared = make_folder(tmp_path / "content", stories={
        unicodedata.normalize("NFD", "йога.md"): story("Йога"), "zima.md": story("Зима")})
    centre = make_folder(tmp_path / "centre", images={
        "hidden.yaml": f"hide:\n  - {unicodedata.normalize('NFC', 'stories/Йога.md')}\n"
                       f"  - {unicodedata.normalize('NFC', 'stories/йога')}\n"})
    content = load_content(shared, centre=centre)
    assert content.problems == ()
    assert [s.title.ru for s in content.stories] == ["Зима"]


@pytest.mark.parametrize("emptied", [b"", b"\xef\xbb\xbf\r\n", b"  \n\n"])
def test_a_hidden_file_emptied_by_hand_hides_nothing(tmp_path: Path, emptied: bytes) -> None:
    """IT empties hidden.yaml in Notepad to show head office's stories again: they come
    back, on the running kiosk too (its reads keep the last good files; 0 bytes, as a copy
    leaves it for a moment, after GONE_SETTLE: tests/core/test_reload.py), and nothing is
    called an error (it was «файл пустой», and the story stayed hidden)."""
    shared = make_folder(tmp_path / "content", stories={
        "umbrella.md": story("Зонт"), "zima.md": story("Зима")})
    centre = make_folder(tmp_path / "centre", images={
        "hidden.yaml": "hide:\n  - stories/umbrella.md\n"})
    cache = ParseCache()
    assert [s.id for s in load_content(shared, centre=centre, cache=cache).stories] == ["zima"]
    (centre / "hidden.yaml").write_bytes(emptied)
    for reading in (cache, None):  # the running kiosk's read, and kiosk check's
        content = load_content(shared, centre=centre, cache=reading)
        assert content.problems == (), [p.code for p in content.problems]
        assert sorted(s.id for s in content.stories) == ["umbrella", "zima"]


def test_a_hide_naming_nothing_is_told_with_the_nearest_name(shared: Path,
                                                            tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", images={
        "hidden.yaml": "hide:\n  - stories/01-brithday.md\n  - anniversary/01-start.md\n"
                       "  - 03-winter.md\n"})
    content = load_content(shared, centre=centre)
    assert len(content.stories) == 2 and len(content.pages) == 1  # nothing hidden
    assert [(path, args["suggest"]) for path, args in problems(content, "hide_unknown")] == [
        (str(centre / "hidden.yaml"), "stories/01-birthday.md"),
        (str(centre / "hidden.yaml"), "stories/03-winter.md")]  # the folder left out
    assert [a["value"] for _, a in problems(content, "hide_not_allowed")] == [
        "anniversary/01-start.md"]


@pytest.mark.parametrize("text, code", [
    ("- stories/a.md\n", "not_a_mapping"),
    ("hide: 12:30: x\n", "yaml_syntax"),
    ("hide:\n  stories: a.md\n", "wrong_type"),
    ("hidde:\n  - stories/01-birthday.md\n", "unknown_key"),
])
def test_a_broken_hidden_yaml_is_explained_and_hides_nothing(
        shared: Path, tmp_path: Path, text: str, code: str) -> None:
    centre = make_folder(tmp_path / "centre", images={"hidden.yaml": text})
    content = load_content(shared, centre=centre)
    assert code in [p.code for p in content.problems]
    assert len(content.stories) == 2


def test_head_offices_files_in_the_centre_folder_are_named_and_not_read(
        shared: Path, tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", settings="default_language: en\n",
                         pages={"99-ours.md": story("Наша юбилейная страница")},
                         images={"storys/x.md": story()})
    content = load_content(shared, centre=centre)
    assert [p.title.ru for p in content.pages] == ["Начало"]
    assert content.settings.default_language == "ru"
    found = {Path(p.path).name: (p.code, p.args) for p in content.problems}
    assert found["kiosk.yaml"][0] == "centre_settings"
    assert found["anniversary"][0] == "centre_anniversary"
    assert found["storys"] == ("unknown_entry", {"value": "storys", "suggest": "stories"})
    assert "/etc/kiosk/kiosk.yaml" in next(
        p for p in content.problems if p.code == "centre_settings").message("ru")


def test_each_folders_paths_stay_inside_it(shared: Path, tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", stories={
        "ours.md": story("Своя картинка", photo="images/ours.svg"),
        "theirs.md": story("Картинка головного офиса", photo="images/cake.svg"),
        "outside.md": story("Наружу", photo="../content/images/cake.svg"),
    }, images={"images/ours.svg": SVG})
    content = load_content(shared, centre=centre)
    (ours,) = [s for s in content.stories if s.id == "ours"]
    assert ours.photo == (centre / "images" / "ours.svg").resolve()
    codes = {Path(p.path).name: p.code for p in content.errors}
    assert codes == {"theirs.md": "missing_file", "outside.md": "path_outside"}
    assert {s.id for s in content.stories} == {"01-birthday", "03-winter", "ours"}


def test_the_colouring_screens_twelve_pictures_count_both_folders(tmp_path: Path) -> None:
    shared = make_folder(tmp_path / "content", stories={"a.md": story()}, images={
        f"colouring/{n:02d}.svg": SVG for n in range(MAX_COLOURING - 1)})
    centre = make_folder(tmp_path / "centre", images={
        "colouring/ours-1.svg": SVG, "colouring/ours-2.svg": SVG})
    content = load_content(shared, centre=centre)
    assert [c.origin for c in content.colouring[:MAX_COLOURING]] == \
        ["shared"] * (MAX_COLOURING - 1) + ["centre"]  # head office's first
    ((path, args),) = problems(content, "colouring_over_limit")
    assert path == str(centre / "colouring" / "ours-2.svg")
    assert args["count"] == str(MAX_COLOURING + 1)


def test_head_offices_pictures_past_twelve_are_told_once_with_a_centre(tmp_path: Path) -> None:
    shared = make_folder(tmp_path / "content", stories={"a.md": story()}, images={
        f"colouring/{n:02d}.svg": SVG for n in range(MAX_COLOURING + 1)})
    centre = make_folder(tmp_path / "centre", images={"colouring/ours.svg": SVG})
    content = load_content(shared, centre=centre)
    told = {Path(p.path).name: (p.code, p.args["count"]) for p in content.problems
            if p.code.startswith("colouring_")}
    assert told == {f"{MAX_COLOURING:02d}.svg": ("colouring_too_many", str(MAX_COLOURING + 1)),
                    "ours.svg": ("colouring_over_limit", str(MAX_COLOURING + 2))}


def test_problems_say_which_folder_they_are_in(shared: Path, tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", stories={"bad.md": "---\ntitle: [\n---\nТекст\n"})
    (shared / "stories" / "worse.md").write_text("no front matter", encoding="utf-8")
    content = load_content(shared, centre=centre)
    origins = {Path(p.path).name: origin_of(content, p.path) for p in content.errors}
    assert origins == {"bad.md": "centre", "worse.md": "shared"}


def test_a_head_office_sync_leaves_the_centres_story_on_screen(shared: Path,
                                                               tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", stories={"ours.md": story("Наша история")})
    release = shared_folder(tmp_path / "release-2")
    (release / "stories" / "03-winter.md").unlink()
    (release / "stories" / "04-spring.md").write_text(story("Весна"), encoding="utf-8")
    if shutil.which("rsync"):
        subprocess.run(["rsync", "-a", "--delete", f"{release}/", f"{shared}/"], check=True)
    else:  # what rsync --delete does to the shared folder
        shutil.rmtree(shared)
        shutil.copytree(release, shared)
    content = load_content(shared, centre=centre)
    assert [(s.title.ru, s.origin) for s in content.stories] == [
        ("День рождения", "shared"), ("Весна", "shared"), ("Наша история", "centre")]
    assert (centre / "stories" / "ours.md").exists()


def test_the_index_keeps_both_folders_and_their_origins(shared: Path, tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", stories={"ours.md": story("Наша история")})
    env = {"KIOSK_CACHE_DIR": str(tmp_path / "cache")}
    path = default_index_path(shared, env, centre=centre)
    assert path != default_index_path(shared, env)  # one index per pair of folders

    def load() -> Content:
        cache = ParseCache(ContentIndex.open(path, shared, now=time.time()))
        try:
            return load_content(shared, cache=cache, centre=centre, sandboxed=False)
        finally:
            assert cache.index is not None
            cache.index.close()

    first = load()
    again = load()  # from the index: nothing re-read, the centre's stories still centre's
    assert [(s.id, s.origin) for s in again.stories] == [(s.id, s.origin) for s in first.stories]
    assert ("ours", "centre") in [(s.id, s.origin) for s in again.stories]
    assert [s.body.ru for s in again.stories] == [s.body.ru for s in first.stories]


def test_the_centres_items_show_while_head_offices_folder_is_missing(tmp_path: Path) -> None:
    centre = make_folder(tmp_path / "centre", stories={"ours.md": story("Наша история")})
    content = load_content(tmp_path / "not-synced-yet", centre=centre)
    assert [(s.title.ru, s.origin) for s in content.stories] == [("Наша история", "centre")]
    assert [p.code for p in content.errors] == ["missing_folder"]
