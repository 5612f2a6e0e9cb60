"""Live reload decisions with the time as an input, and keeping the last good content."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kiosk.core.content.loader import ImageCheck, load_content
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Severity
from kiosk.core.content.reload import (
    GONE_SETTLE,
    ReloadDecider,
    fingerprint,
    keep_last_good,
    kept_folders,
)
from tests.core.test_svgsafe import png_header
from tests.helpers import SVG, make_folder, story


def test_reload_waits_until_the_folder_has_settled(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    decider = ReloadDecider(settle=1.0)
    decider.done(fingerprint(root))
    assert not decider.look(fingerprint(root), 0.0)  # nothing changed
    (root / "stories" / "b.md").write_text("---\ntitle: Пол", encoding="utf-8")  # copying…
    assert not decider.look(fingerprint(root), 1.0)  # just changed: wait
    (root / "stories" / "b.md").write_text(story("Полная"), encoding="utf-8")  # …still
    assert not decider.look(fingerprint(root), 1.5)  # changed again: wait again
    assert not decider.look(fingerprint(root), 2.0)
    assert decider.look(fingerprint(root), 2.6)  # the same for a second: read it
    decider.done(fingerprint(root))
    assert not decider.waiting  # read: the reloader's next look need not come early
    assert not decider.look(fingerprint(root), 3.0) and not decider.waiting


def test_fingerprint_sees_a_flipped_release_link_and_a_vanished_folder(tmp_path: Path) -> None:
    one = make_folder(tmp_path / "release-1", stories={"a.md": story()})
    two = make_folder(tmp_path / "release-2", stories={"a.md": story()})
    link = tmp_path / "content"
    link.symlink_to(one)
    before = fingerprint(link)
    flipped = tmp_path / "content.new"
    flipped.symlink_to(two)
    os.replace(flipped, link)  # the atomic flip a deployment does
    assert fingerprint(link) != before
    link.unlink()
    assert fingerprint(link)[0] == "missing"


def test_a_broken_new_version_keeps_the_last_good_one(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story("Первая"), "b.md": story("Вторая")})
    old = load_content(root)
    (root / "stories" / "a.md").write_text("---\ntitle: Сломано: да\n---\nТекст\n",
                                           encoding="utf-8")
    (root / "stories" / "c.md").write_text(story("Новая"), encoding="utf-8")
    (root / "stories" / "b.md").unlink()
    merged = keep_last_good(old, load_content(root))
    assert [(s.id, s.title.ru) for s in merged.stories] == [("a", "Первая"), ("c", "Новая")]
    assert any(p.code == "yaml_syntax" for p in merged.problems)
    assert [(Path(p.path).name, p.severity) for p in merged.problems
            if p.code == "kept_last_good"] == [("a.md", Severity.WARNING)]
    kept = [p for p in merged.problems if p.code == "kept_last_good"]
    assert [Path(p.path).name for p in kept] == ["a.md"]
    assert not any(p.code == "skipped" for p in merged.problems)


def test_a_poster_half_copied_keeps_its_last_good_version(tmp_path: Path) -> None:
    def probe(path: Path) -> ImageCheck:  # as the real decoder says of a truncated file
        cut = path.suffix == ".png" and b"IEND" not in path.read_bytes()
        return ImageCheck("bad_image", "truncated") if cut else ImageCheck()

    whole = png_header(8, 8) + b"...IEND"  # a PNG as far as anything before the decoder sees
    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       images={"posters/notice.png": whole, "posters/other.svg": SVG})
    old = load_content(root, probe)
    (root / "posters" / "notice.png").write_bytes(whole[:30])  # a copy still under way
    merged = keep_last_good(old, load_content(root, probe))
    assert [p.id for p in merged.posters] == ["notice", "other"]
    assert [Path(p.path).name for p in merged.problems
            if p.code == "kept_last_good"] == ["notice.png"]


def test_broken_settings_keep_the_previous_settings(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", settings="slide_seconds: 20\n", stories={"a.md": story()})
    old = load_content(root)
    (root / "kiosk.yaml").write_text("slide_seconds: [20\n", encoding="utf-8")
    assert keep_last_good(old, load_content(root)).settings.slide_seconds == 20
    (root / "kiosk.yaml").write_text("- slide_seconds\n- 20\n", encoding="utf-8")  # a list
    assert keep_last_good(old, load_content(root)).settings.slide_seconds == 20


def test_settings_caught_mid_copy_keep_the_previous_settings(tmp_path: Path) -> None:
    # Explorer and rsync --inplace empty a file before writing it; robocopy makes it its full
    # size in zeros first. A copy that stalls there must not bring back the defaults (the
    # tags gone, the opening hours off) until it goes on.
    settings = "centre_name: МФЦ Хамовники\ntags:\n  забота: care\n"
    root = make_folder(tmp_path / "c", settings=settings, stories={"a.md": story()})
    old = load_content(root)
    for caught in (b"", b"\0" * len(settings.encode()),
                   settings.encode()[:20] + b"\0" * 20):
        (root / "kiosk.yaml").write_bytes(caught)
        merged = keep_last_good(old, load_content(root))
        assert merged.settings.centre_name == "МФЦ Хамовники", caught
        assert dict(merged.settings.tags) == {"забота": "care"}


def test_a_story_caught_mid_copy_is_told_as_such(tmp_path: Path) -> None:
    whole = story("Первая").encode()
    root = make_folder(tmp_path / "c", stories={"a.md": story("Первая"), "b.md": story()})
    old = load_content(root)
    (root / "stories" / "a.md").write_bytes(b"")
    (root / "stories" / "b.md").write_bytes(whole[:12] + b"\0" * (len(whole) - 12))
    merged = keep_last_good(old, load_content(root))
    assert [s.title.ru for s in merged.stories] == ["Первая", "Тёплый приём"]
    said = {Path(p.path).name: p for p in merged.problems if p.is_error}
    assert said["a.md"].code == "file_empty" and said["b.md"].code == "file_incomplete"
    assert "пустой" in said["a.md"].message("ru")
    assert "скопирован не до конца" in said["b.md"].message("ru")
    for problem in said.values():  # not «add a line ---», not «invisible characters»
        assert "когда копирование закончится" in problem.message("ru")
        assert "once the copy is done" in problem.message("en")


def test_a_deleted_folder_keeps_everything(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    old = load_content(root)
    for path in sorted(root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    root.rmdir()
    merged = keep_last_good(old, load_content(root))
    assert [s.id for s in merged.stories] == ["a"]
    assert {p.code for p in merged.problems} == {"missing_folder", "kept_last_good"}


def test_a_reload_reads_only_what_changed_and_never_serves_stale(tmp_path: Path) -> None:
    from kiosk.core.content.loader import ImageCheck, ParseCache
    from tests.helpers import SVG

    root = make_folder(tmp_path / "c", settings="tags:\n  дети: children\n", stories={
        f"s{i}.md": story(f"История {i}", tags="[дети]") for i in range(20)},
        images={"images/a.svg": SVG})
    (root / "stories" / "photo.md").write_text(story("С фото", photo="images/a.svg"),
                                                encoding="utf-8")
    decoded: list[str] = []

    def probe(path: Path) -> ImageCheck:
        decoded.append(path.name)
        broken = b"broken" in path.read_bytes()
        return ImageCheck("bad_image", "?") if broken else ImageCheck()

    cache = ParseCache()
    load_content(root, probe, cache=cache)
    before = dict(cache.entries)
    (root / "stories" / "s3.md").write_text(story("Исправленная", tags="[дети]"),
                                             encoding="utf-8")
    content = load_content(root, probe, cache=cache)
    changed = [key for key, entry in cache.entries.items() if entry is not before.get(key)]
    assert [Path(key).name for key in changed] == ["s3.md"]  # one file read again
    assert "Исправленная" in [s.title.ru for s in content.stories]

    decoded.clear()
    # The photo breaks in a way only the decoder sees.
    (root / "images" / "a.svg").write_text(SVG.replace("</svg>", "<!-- broken --></svg>"),
                                           encoding="utf-8")
    content = load_content(root, probe, cache=cache)
    assert decoded == ["a.svg"]
    assert "С фото" not in [s.title.ru for s in content.stories]  # not served from the cache

    (root / "kiosk.yaml").write_text("tags:\n  забота: care\n", encoding="utf-8")
    content = load_content(root, probe, cache=cache)  # new tags: every story checked again
    assert sum(p.code == "unknown_tag" for p in content.problems) == 20


def _read(decider: ReloadDecider, shown: Content, root: Path, now: float,
          centre: Path | None = None) -> Content:
    """What the kiosk's reloader does at a look: read if the decider says so, and keep the
    last good content (kiosk.ui.service.reloader, without Qt)."""
    current = fingerprint(root) + (fingerprint(centre) if centre is not None else ())
    if not decider.look(current, now):
        return shown
    replacing = None if decider.let_go(now) else decider.replacing
    merged = keep_last_good(shown, load_content(root, centre=centre), replacing)
    decider.done(current, kept_folders(merged), now)
    return merged


def test_stories_deleted_and_copied_again_never_leave_the_screen(tmp_path: Path) -> None:
    # A script's «rmdir /s stories, then copy» (or robocopy /MIR over a slow share): the
    # folder is gone, then comes back a few files at a time, with pauses past the settle time.
    names = [f"s{i}.md" for i in range(3)]
    root = make_folder(tmp_path / "c", stories={n: story(f"История {n[:-3]}") for n in names},
                       pages={"01.md": story("Страница")})
    shown = load_content(root)
    decider = ReloadDecider(settle=1.0)
    decider.done(fingerprint(root))
    shutil.rmtree(root / "stories")
    now = 0.0
    for now in (1.0, 2.5):
        shown = _read(decider, shown, root, now)
    assert [s.id for s in shown.stories] == ["s0", "s1", "s2"]
    gone = [p for p in shown.problems if p.code == "folder_gone_kept"]
    assert [Path(p.path).name for p in gone] == ["stories"]
    assert not any(p.code == "settings_gone_kept" for p in shown.problems)  # it had none
    assert gone[0].path == str(root / "stories") and gone[0].severity is Severity.WARNING
    assert gone[0].message("ru").startswith("папка «stories» пропала или опустела")
    assert "is gone or empty" in gone[0].message("en")
    (root / "stories").mkdir()
    (root / "stories" / "s0.md").write_text(story("История s0"), encoding="utf-8")
    for now in (4.0, 5.5, 9.0):
        shown = _read(decider, shown, root, now)
    assert [s.id for s in shown.stories] == ["s0", "s1", "s2"]  # the rest still on its way
    (root / "stories" / "s1.md").write_text(story("История s1, новая"), encoding="utf-8")
    for now in (10.0, 11.5, 15.0):
        shown = _read(decider, shown, root, now)
    assert [s.title.ru for s in shown.stories] == ["История s0", "История s1, новая",
                                                   "История s2"]
    # The copy's end left s2 out on purpose: gone once nothing changed for GONE_SETTLE.
    for now in (20.0, 11.5 + GONE_SETTLE + 0.1):
        shown = _read(decider, shown, root, now)
    assert [s.id for s in shown.stories] == ["s0", "s1"]
    assert not any(p.code == "folder_gone_kept" for p in shown.problems)


def test_a_copy_resumed_just_before_the_settle_time_keeps_the_rest(tmp_path: Path) -> None:
    # A slow share listed for almost GONE_SETTLE before its first file lands: the content
    # changed then, so the stories still on their way stay (they went at the read after it).
    root = make_folder(tmp_path / "c", stories={f"s{i}.md": story(f"История {i}")
                                                for i in range(3)},
                       pages={"01.md": story("Страница")})
    shown = load_content(root)
    decider = ReloadDecider(settle=1.0)
    decider.done(fingerprint(root))
    shutil.rmtree(root / "stories")
    for now in (1.0, 2.5):
        shown = _read(decider, shown, root, now)
    (root / "stories").mkdir()
    (root / "stories" / "s0.md").write_text(story("История 0"), encoding="utf-8")
    for now in (2.5 + GONE_SETTLE - 0.5, 2.5 + GONE_SETTLE + 0.5):
        shown = _read(decider, shown, root, now)
    assert [s.id for s in shown.stories] == ["s0", "s1", "s2"]
    for now in (20.0, 20.0 + GONE_SETTLE):  # and the copy's end was s0 alone: then they go
        shown = _read(decider, shown, root, now)
    assert [s.id for s in shown.stories] == ["s0"]


def test_a_folder_deleted_on_purpose_leaves_the_screen_after_the_settle_time(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story("История")},
                       pages={"01.md": story("Страница")})
    shown = load_content(root)
    decider = ReloadDecider(settle=1.0)
    decider.done(fingerprint(root))
    for page in (root / "anniversary").iterdir():  # robocopy /MIR: the old files first
        page.unlink()
    (root / "anniversary" / "README.txt").write_text("Страницы юбилейной истории",
                                                     encoding="utf-8")
    for now in (1.0, 2.5, 2.5 + GONE_SETTLE - 0.5):
        shown = _read(decider, shown, root, now)
        assert [p.id for p in shown.pages] == ["01"], now
    shown = _read(decider, shown, root, 2.5 + GONE_SETTLE + 0.1)
    assert shown.pages == () and [s.id for s in shown.stories] == ["a"]
    assert not decider.look(fingerprint(root), 100.0)  # and nothing more to read


def test_a_file_cut_mid_letter_is_told_as_being_copied_and_read_when_whole(
        tmp_path: Path) -> None:
    # rsync --inplace (or a network copy) stopped one byte into a two-byte Cyrillic letter.
    from kiosk.core.content.loader import ParseCache

    settings = "centre_name: МФЦ Хамовники\n"
    root = make_folder(tmp_path / "c", settings=settings,
                       stories={"a.md": story("Первая"), "b.md": story("Вторая")})
    cache = ParseCache()
    old = load_content(root, cache=cache)
    whole = story("Вторая, новая").encode()
    cut = whole.index("новая".encode()) + 1  # inside «н»
    (root / "stories" / "b.md").write_bytes(whole[:cut])
    arbat = "centre_name: МФЦ Арбат\n".encode()
    (root / "kiosk.yaml").write_bytes(arbat[:arbat.index("Арбат".encode()) + 1])  # inside «А»
    merged = keep_last_good(old, load_content(root, cache=cache))
    said = {Path(p.path).name: p for p in merged.problems if p.is_error}
    assert said["b.md"].code == said["kiosk.yaml"].code == "file_cut_short"
    for problem in said.values():  # not «save it as UTF-8»: nothing is wrong with its encoding
        assert "не до конца" in problem.message("ru") and "UTF-8" not in problem.message("ru")
        assert "once the copy is done" in problem.message("en")
    assert [s.title.ru for s in merged.stories] == ["Первая", "Вторая"]
    assert merged.settings.centre_name == "МФЦ Хамовники"
    (root / "stories" / "b.md").write_bytes(whole)  # the copy goes on to the end
    assert [s.title.ru for s in load_content(root, cache=cache).stories] == [
        "Первая", "Вторая, новая"]
    # A file in another encoding is still told as one, even when its last letter is not.
    (root / "stories" / "b.md").write_bytes(story("Вторая").encode("cp1251"))
    assert [p.code for p in load_content(root).problems
            if p.is_error and p.path.endswith("b.md")][:1] == ["not_utf8"]


def test_a_file_rsync_is_still_writing_keeps_the_folder_from_settling(tmp_path: Path) -> None:
    # rsync writes «.b.md.Xy12Ab» (with --delay-updates, «.~tmp~/b.md») and renames it when
    # whole: never read, but while it grows the copy is under way and nothing is read yet.
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    whole = story("Вторая").encode()
    for temporary in (root / "stories" / ".b.md.Xy12Ab", root / "stories" / ".~tmp~" / "b.md"):
        decider = ReloadDecider(settle=1.0)
        decider.done(fingerprint(root))
        temporary.parent.mkdir(exist_ok=True)
        temporary.write_bytes(whole[:10])
        assert not decider.look(fingerprint(root), 0.0) and decider.waiting
        temporary.write_bytes(whole[:20])
        assert not decider.look(fingerprint(root), 1.5)  # grown: still waiting
        temporary.write_bytes(whole)
        os.replace(temporary, root / "stories" / "b.md")
        assert not decider.look(fingerprint(root), 2.0)
        assert decider.look(fingerprint(root), 3.1)
        assert "b" in [s.id for s in load_content(root).stories]
        (root / "stories" / "b.md").unlink()
    # Left behind by a copy that was stopped: never read, never named, and settled.
    (root / "stories" / ".c.md.Qw34Er").write_bytes(whole[:10])
    assert not any(".c.md" in p.path for p in load_content(root).problems)


def test_kiosk_yaml_deleted_to_be_copied_again_keeps_the_settings_until_settled(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", settings="centre_name: МФЦ Арбат\ntags:\n  дети: kids\n",
                       stories={"a.md": story()})
    shown = load_content(root)
    decider = ReloadDecider(settle=1.0)
    decider.done(fingerprint(root))
    (root / "kiosk.yaml").unlink()  # «del kiosk.yaml», then a copy that has not begun yet
    for now in (1.0, 2.5, 2.5 + GONE_SETTLE - 0.5):
        shown = _read(decider, shown, root, now)
        assert shown.settings.centre_name == "МФЦ Арбат", now
        assert dict(shown.settings.tags) == {"дети": "kids"}
    note = [p for p in shown.problems if p.code == "settings_gone_kept"]
    assert (note[0].path, note[0].severity) == (str(root / "kiosk.yaml"), Severity.WARNING)
    assert "прежними настройками" in note[0].message("ru")
    shown = _read(decider, shown, root, 2.5 + GONE_SETTLE + 0.1)  # never came back: meant
    assert shown.settings.centre_name != "МФЦ Арбат" and not shown.settings.tags


def test_head_offices_stories_copied_again_show_each_story_once(tmp_path: Path) -> None:
    # The centre's «x.md» stays hidden by head office's «x.md» while head office's folder is
    # deleted and copied again: one «x», as before the copy, not both.
    root = make_folder(tmp_path / "c", stories={"x.md": story("Общая"), "y.md": story("Вторая")},
                       pages={"01.md": story("Страница")})
    centre = make_folder(tmp_path / "centre", stories={"X.md": story("Центра")})
    shown = load_content(root, centre=centre)
    shutil.rmtree(root / "stories")
    merged = keep_last_good(shown, load_content(root, centre=centre))
    assert [s.title.ru for s in merged.stories] == ["Общая", "Вторая"]
    (root / "stories").mkdir()  # back in part: «y» first
    (root / "stories" / "y.md").write_text(story("Вторая"), encoding="utf-8")
    merged = keep_last_good(merged, load_content(root, centre=centre), kept_folders(merged))
    assert [s.title.ru for s in merged.stories] == ["Общая", "Вторая"]


def test_colouring_pictures_keep_their_places_while_colouring_is_copied_again(
        tmp_path: Path) -> None:
    # colouring.yaml orders head office's pictures, the centre's follow: kept pictures sorted
    # by name moved about, and another twelve showed, for the length of the copy.
    order = "".join(f"- file: {name}.svg\n" for name in ("zebra", "moon", "apple"))
    root = make_folder(tmp_path / "c", pages={"01.md": story("Страница")}, images={
        "colouring/colouring.yaml": order, "colouring/zebra.svg": SVG,
        "colouring/moon.svg": SVG, "colouring/apple.svg": SVG, "colouring/kite.svg": SVG})
    centre = make_folder(tmp_path / "centre", images={"colouring/boat.svg": SVG})
    shown = load_content(root, centre=centre)
    before = ["zebra", "moon", "apple", "kite", "boat"]
    assert [p.id for p in shown.colouring] == before
    shutil.rmtree(root / "colouring")
    shown = keep_last_good(shown, load_content(root, centre=centre))
    assert [p.id for p in shown.colouring] == before
    (root / "colouring").mkdir()  # back in part, colouring.yaml not yet; and one new picture
    for name in ("moon", "ball"):
        (root / "colouring" / f"{name}.svg").write_text(SVG, encoding="utf-8")
    shown = keep_last_good(shown, load_content(root, centre=centre), kept_folders(shown))
    # Each where it was; the new one where the loader put it (by name: before «moon»).
    assert [p.id for p in shown.colouring] == ["ball", "zebra", "moon", "apple", "kite", "boat"]


def test_a_colouring_picture_half_copied_leaves_the_pictures_in_their_order(
        tmp_path: Path) -> None:
    order = "".join(f"- file: {name}.svg\n" for name in ("zebra", "moon", "apple"))
    root = make_folder(tmp_path / "c", pages={"01.md": story("Страница")}, images={
        "colouring/colouring.yaml": order, "colouring/zebra.svg": SVG,
        "colouring/moon.svg": SVG, "colouring/apple.svg": SVG})
    old = load_content(root)
    (root / "colouring" / "moon.svg").write_text(SVG[:40], encoding="utf-8")  # cut short
    merged = keep_last_good(old, load_content(root))
    assert [p.id for p in merged.colouring] == ["zebra", "moon", "apple"]  # not by name


def _centre_hiding(tmp_path: Path) -> tuple[Path, Path, Content, ReloadDecider]:
    """Head office's stories, two of them hidden by the centre, which shows its own «birthday»
    instead of head office's."""
    root = make_folder(tmp_path / "c", stories={
        "a.md": story("Общая"), "birthday.md": story("День рождения, общий"),
        "winter.md": story("Зима, не для этого центра")})
    centre = make_folder(tmp_path / "centre", stories={"birthday.md": story("Наш день рождения")},
                         images={"hidden.yaml": "hide:\n  - stories/birthday.md\n"
                                                "  - stories/winter.md\n"})
    shown = load_content(root, centre=centre)
    decider = ReloadDecider(settle=1.0)
    decider.done(fingerprint(root) + fingerprint(centre))
    return root, centre, shown, decider


SHOWN = ["Общая", "Наш день рождения"]


def test_hidden_yaml_deleted_to_be_copied_again_keeps_its_stories_hidden_until_settled(
        tmp_path: Path) -> None:
    root, centre, shown, decider = _centre_hiding(tmp_path)
    assert [s.title.ru for s in shown.stories] == SHOWN
    (centre / "hidden.yaml").unlink()  # «del hidden.yaml», then a copy that has not begun yet
    for now in (1.0, 2.5, 2.5 + GONE_SETTLE - 0.5):
        shown = _read(decider, shown, root, now, centre)
        assert [s.title.ru for s in shown.stories] == SHOWN, now
    note = [p for p in shown.problems if p.code == "hidden_gone_kept"]
    assert (note[0].path, note[0].severity) == (str(centre / "hidden.yaml"), Severity.WARNING)
    assert note[0].message("ru").startswith("файла «hidden.yaml» в папке центра нет. Так "
                                            "бывает, пока его заменяют новой копией")
    assert "stay hidden for now" in note[0].message("en")
    assert not any(p.code == "centre_same_name" for p in shown.problems)  # ours is shown
    shown = _read(decider, shown, root, 2.5 + GONE_SETTLE + 0.1, centre)  # removed: meant
    assert [s.title.ru for s in shown.stories] == [
        "Общая", "День рождения, общий", "Зима, не для этого центра"]
    assert not any(p.code == "hidden_gone_kept" for p in shown.problems)


def test_hidden_yaml_cut_to_nothing_by_a_copy_keeps_its_stories_hidden_until_settled(
        tmp_path: Path) -> None:
    # A copy over the file truncates it, then writes: 0 bytes for a moment, which read as
    # «hide nothing» showed the stories it hides (winter's, head office's birthday) at once.
    root, centre, shown, decider = _centre_hiding(tmp_path)
    (centre / "hidden.yaml").write_bytes(b"")
    for now in (1.0, 2.5, 2.5 + GONE_SETTLE - 0.5):
        shown = _read(decider, shown, root, now, centre)
        assert [s.title.ru for s in shown.stories] == SHOWN, now
    note = [p for p in shown.problems if p.code == "hidden_emptied_kept"]
    assert note[0].message("ru").startswith("файл «hidden.yaml» в папке центра пустой. Так "
                                            "бывает, пока его заменяют новой копией")
    assert not any(p.code == "centre_same_name" for p in shown.problems)
    (centre / "hidden.yaml").write_text("hide:\n  - stories/winter.md\n", encoding="utf-8")
    for now in (13.0, 14.5):  # the copy is done: its list, not the old one, at once
        shown = _read(decider, shown, root, now, centre)
    # The new list hides winter only: head office's birthday is shown over the centre's.
    assert [s.title.ru for s in shown.stories] == ["Общая", "День рождения, общий"]
    assert not any(p.code.startswith("hidden_") for p in shown.problems)


def test_hidden_yaml_left_at_nothing_shows_what_it_hid_once_settled(tmp_path: Path) -> None:
    root, centre, shown, decider = _centre_hiding(tmp_path)
    (centre / "hidden.yaml").write_bytes(b"")  # emptied on purpose (Notepad saves 0 bytes)
    for now in (1.0, 2.5, 2.5 + GONE_SETTLE + 0.1):
        shown = _read(decider, shown, root, now, centre)
    assert [s.title.ru for s in shown.stories] == [
        "Общая", "День рождения, общий", "Зима, не для этого центра"]
    assert not any(p.code == "hidden_emptied_kept" for p in shown.problems)


@pytest.mark.parametrize("written", [b"\n\n", b"# nothing hidden for now\n", b"hide: []\n"])
def test_hidden_yaml_emptied_of_its_list_on_purpose_shows_what_it_hid_at_once(
        tmp_path: Path, written: bytes) -> None:
    root, centre, shown, decider = _centre_hiding(tmp_path)
    (centre / "hidden.yaml").write_bytes(written)  # no copy leaves such a text half-written
    for now in (1.0, 2.5):
        shown = _read(decider, shown, root, now, centre)
    assert [s.title.ru for s in shown.stories] == [
        "Общая", "День рождения, общий", "Зима, не для этого центра"]


def test_the_centres_folder_copied_again_keeps_head_offices_hidden_stories_hidden(
        tmp_path: Path) -> None:
    root, centre, shown, decider = _centre_hiding(tmp_path)
    shutil.rmtree(centre)
    for now in (1.0, 2.5):
        shown = _read(decider, shown, root, now, centre)
        assert [s.title.ru for s in shown.stories] == SHOWN, now
    (centre / "stories").mkdir(parents=True)  # the copy under way: hidden.yaml not yet there
    (centre / "stories" / "birthday.md").write_text(story("Наш день рождения"),
                                                   encoding="utf-8")
    for now in (4.0, 5.5):
        shown = _read(decider, shown, root, now, centre)
        assert [s.title.ru for s in shown.stories] == SHOWN, now
    (centre / "hidden.yaml").write_text("hide:\n  - stories/birthday.md\n", encoding="utf-8")
    for now in (7.0, 8.5):  # the copy done, with one story hidden less: as it says
        shown = _read(decider, shown, root, now, centre)
    assert [s.title.ru for s in shown.stories] == [
        "Общая", "Наш день рождения", "Зима, не для этого центра"]


def test_head_offices_folder_gone_beside_the_centres_keeps_everything(tmp_path: Path) -> None:
    # A release link removed: the centre's folder alone would show its own items only.
    root = make_folder(tmp_path / "c", stories={"a.md": story("Общая")},
                       pages={"01.md": story("Страница")})
    centre = make_folder(tmp_path / "centre", stories={"c.md": story("Центра")})
    old = load_content(root, centre=centre)
    shutil.rmtree(root)
    merged = keep_last_good(old, load_content(root, centre=centre))
    assert [s.title.ru for s in merged.stories] == ["Общая", "Центра"]
    assert [p.id for p in merged.pages] == ["01"]
    note = [p for p in merged.problems if p.code == "kept_last_good"]
    assert [(p.path, p.severity) for p in note] == [(str(root), Severity.WARNING)]
    assert any(p.code == "missing_folder" for p in merged.problems)


def test_posters_and_notices_deleted_to_be_copied_again_stay_on_screen(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()}, images={
        "posters/afisha.svg": SVG, "notices/hours.yaml": "text: Сегодня до 20:00\n"})
    shown = load_content(root)
    for folder in ("posters", "notices"):
        shutil.rmtree(root / folder)
    merged = keep_last_good(shown, load_content(root))
    assert [p.id for p in merged.posters] == ["afisha"]
    assert [n.id for n in merged.notices] == ["hours"]
    assert sorted(Path(p.path).name for p in merged.problems
                  if p.code == "folder_gone_kept") == ["notices", "posters"]


def test_a_page_and_a_notice_half_saved_keep_their_last_version(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       pages={"01.md": story("Страница")},
                       images={"notices/hours.yaml": "text: Сегодня до 20:00\n"})
    old = load_content(root)
    (root / "anniversary" / "01.md").write_text("---\ntitle: [\n", encoding="utf-8")
    (root / "notices" / "hours.yaml").write_text("text: [\n", encoding="utf-8")
    merged = keep_last_good(old, load_content(root))
    assert [p.title.ru for p in merged.pages] == ["Страница"]
    assert [n.id for n in merged.notices] == ["hours"]


def test_the_centres_own_folders_copied_again_stay_on_screen(tmp_path: Path) -> None:
    # Head office's stories are there and unchanged, it has no posters: the centre's
    # stories/ and posters/ deleted to be copied again still show what they held.
    root = make_folder(tmp_path / "c", stories={"a.md": story("Общая")})
    centre = make_folder(tmp_path / "centre", stories={"c.md": story("Центра")},
                         images={"posters/nasha.svg": SVG})
    shown = load_content(root, centre=centre)
    for folder in ("stories", "posters"):
        shutil.rmtree(centre / folder)
    merged = keep_last_good(shown, load_content(root, centre=centre))
    assert [s.title.ru for s in merged.stories] == ["Общая", "Центра"]
    assert [p.id for p in merged.posters] == ["nasha"]


def test_stories_the_centre_hides_all_of_leave_the_screen_at_once(tmp_path: Path) -> None:
    # Not a folder emptied for a copy: its files are there, hidden.yaml hides every one.
    root = make_folder(tmp_path / "c", stories={"a.md": story(), "b.md": story()},
                       pages={"01.md": story("Страница")})
    centre = make_folder(tmp_path / "centre", images={"posters/nasha.svg": SVG})
    shown = load_content(root, centre=centre)
    (centre / "hidden.yaml").write_text("hide:\n  - stories/a.md\n  - stories/b.md\n",
                                        encoding="utf-8")
    merged = keep_last_good(shown, load_content(root, centre=centre))
    assert merged.stories == ()
    assert not any(p.code == "folder_gone_kept" for p in merged.problems)


def test_hidden_yaml_copied_again_keeps_posters_and_pictures_hidden_and_says_what_is_not_shown(
        tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story("Общая")}, images={
        "posters/old.svg": SVG, "posters/new.svg": SVG,
        "colouring/cat.svg": SVG, "colouring/dog.svg": SVG,
        "notices/hours.yaml": "text: Сегодня до 20:00\n",
        "notices/closed.yaml": "text: Закрыто на учёт\n"})
    centre = make_folder(tmp_path / "centre", stories={"a.md": story("Центра")}, images={
        "hidden.yaml": "hide:\n  - posters/old.svg\n  - colouring/dog.svg\n"
                       "  - notices/closed.yaml\n"})
    shown = load_content(root, centre=centre)
    shown = keep_last_good(shown, load_content(root, centre=centre), frozenset())  # a reload
    (centre / "hidden.yaml").unlink()
    merged = keep_last_good(shown, load_content(root, centre=centre), frozenset())
    assert [p.id for p in merged.posters] == ["new"]
    assert [p.id for p in merged.colouring] == ["cat"]
    assert [n.id for n in merged.notices] == ["hours"]
    # The centre's own «a» is still not shown, head office's is: still told.
    assert [Path(p.path).parent.parent.name for p in merged.problems
            if p.code == "centre_same_name"] == ["centre"]
