"""Links and special files in the content folder: the folder itself may be a link (a release
link), but nothing inside it is followed or opened unless it is a regular file or folder of
its own. A FIFO is never opened: a reader would wait for a writer for good."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from kiosk.core.content.loader import ImageCheck, load_content
from kiosk.core.content.problems import Problem
from kiosk.core.content.reload import fingerprint, keep_last_good
from tests.helpers import SVG, make_folder, story

REFUSALS = ("content_link", "link_outside", "special_file", "path_outside")


@contextlib.contextmanager
def fifo_watch(*fifos: Path) -> Iterator[list[str]]:
    """Yields the names of the FIFOs someone opened while the block ran. A reader blocked on
    one is let go at once (a writer appears), so a regression fails its test, never hangs
    the suite."""
    opened: list[str] = []
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.02):
            for fifo in fifos:
                try:  # succeeds only while a reader has the FIFO open
                    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    continue
                os.close(fd)  # the reader sees the end of the file
                opened.append(fifo.name)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield opened
    finally:
        done.set()
        watcher.join(5)


def refusals(problems: tuple[Problem, ...]) -> list[tuple[str, str, str]]:
    return sorted((Path(p.path).name, p.code, p.severity.value) for p in problems
                  if p.code in REFUSALS)


def _hostile_folder(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A release reached through a link, holding every kind of link and special file in
    every place the kiosk reads."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(story("Чужой файл"), encoding="utf-8")
    (outside / "secret.svg").write_text(SVG, encoding="utf-8")
    release = make_folder(
        tmp_path / "releases" / "1",
        stories={"a.md": story("Своя история", photo="images/ok.svg"),
                 "b.md": story("Фото-ссылка", photo="images/near.svg"),
                 "c.md": story("Фото за пределами", photo="images/far.svg"),
                 "d.md": story("Фото-канал", photo="images/pipe.svg"),
                 "e.md": story("Папка-ссылка", photo="linked/ok.svg")},
        pages={"1.md": story("Страница")},
        images={"images/ok.svg": SVG, "colouring/cat.svg": SVG, "posters/p.svg": SVG})
    stories, images = release / "stories", release / "images"
    (stories / "near.md").symlink_to(stories / "a.md")  # leads inside
    (stories / "far.md").symlink_to(outside / "secret.md")
    (stories / "loop.md").symlink_to(stories / "loop.md")
    (release / "anniversary" / "2.md").symlink_to(outside / "secret.md")
    (images / "near.svg").symlink_to(images / "ok.svg")
    (images / "far.svg").symlink_to(outside / "secret.svg")
    (release / "linked").symlink_to(images)
    (release / "colouring" / "dog.svg").symlink_to(release / "colouring" / "cat.svg")
    (release / "posters" / "q.svg").symlink_to(outside / "secret.svg")
    fifos = [stories / "pipe.md", images / "pipe.svg", release / "anniversary" / "3.md",
             release / "colouring" / "pipe.svg", release / "posters" / "p.yaml",
             release / "posters" / "r.png"]
    for fifo in fifos:
        os.mkfifo(fifo)
    link = tmp_path / "content"
    link.symlink_to(release)  # the release link: followed, as ever
    return link, fifos


def test_links_and_special_files_are_refused_everywhere_and_named(tmp_path: Path) -> None:
    root, fifos = _hostile_folder(tmp_path)
    decoded: list[str] = []

    def probe(path: Path) -> ImageCheck:
        decoded.append(path.name)
        return ImageCheck()

    with fifo_watch(*fifos) as opened:
        content = load_content(root, probe)
    assert opened == []
    assert [s.id for s in content.stories] == ["a"]  # the others refer to links or FIFOs
    assert content.stories[0].photo == tmp_path / "releases" / "1" / "images" / "ok.svg"
    assert [p.id for p in content.pages] == ["1"]
    assert [c.id for c in content.colouring] == ["cat"]
    assert [p.id for p in content.posters] == ["p"]
    assert sorted(decoded) == ["cat.svg", "ok.svg", "p.svg"]  # nothing else was opened
    assert refusals(content.problems) == [
        ("2.md", "link_outside", "error"),
        ("3.md", "special_file", "error"),
        ("b.md", "content_link", "error"),
        ("c.md", "path_outside", "error"),
        ("d.md", "special_file", "error"),
        ("dog.svg", "content_link", "error"),
        ("e.md", "content_link", "error"),
        ("far.md", "link_outside", "error"),
        ("loop.md", "content_link", "error"),
        ("near.md", "content_link", "error"),
        ("p.yaml", "special_file", "error"),
        ("pipe.md", "special_file", "error"),
        ("pipe.svg", "special_file", "error"),
        ("q.svg", "link_outside", "error"),
        ("r.png", "special_file", "error"),
    ]
    messages = {Path(p.path).name: p.message("ru") for p in content.problems}
    assert "«near.md» — ссылка (symlink)" in messages["near.md"]
    assert "положите на её место сам файл" in messages["near.md"]
    assert "именованный канал" in messages["pipe.md"]


def test_a_linked_or_special_settings_file_keeps_the_last_good_settings(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("languages: [ru]\n", encoding="utf-8")
    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       settings="languages: [ru, en]\nslide_seconds: 9\n")
    shown = load_content(root)
    assert shown.settings.slide_seconds == 9
    settings = root / "kiosk.yaml"
    settings.unlink()
    settings.symlink_to(outside)
    linked = load_content(root)
    assert refusals(linked.problems) == [("kiosk.yaml", "link_outside", "error")]
    assert keep_last_good(shown, linked).settings == shown.settings
    settings.unlink()
    os.mkfifo(settings)
    with fifo_watch(settings) as opened:
        piped = load_content(root)
    assert opened == []
    assert refusals(piped.problems) == [("kiosk.yaml", "special_file", "error")]
    assert keep_last_good(shown, piped).settings == shown.settings


def test_a_content_folder_that_is_itself_a_link_inside_is_refused(tmp_path: Path) -> None:
    elsewhere = make_folder(tmp_path / "elsewhere", stories={"x.md": story("Чужая")})
    root = make_folder(tmp_path / "c", pages={"1.md": story()})
    (root / "stories").symlink_to(elsewhere / "stories")
    (root / "colouring").symlink_to(elsewhere)
    content = load_content(root)
    assert content.stories == () and content.colouring == ()
    assert refusals(content.problems) == [("colouring", "link_outside", "error"),
                                          ("stories", "link_outside", "error")]


def test_a_colouring_index_that_is_a_fifo_is_not_read(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       images={"colouring/cat.svg": SVG})
    os.mkfifo(root / "colouring" / "colouring.yaml")
    with fifo_watch(root / "colouring" / "colouring.yaml") as opened:
        content = load_content(root)
    assert opened == []
    assert [c.id for c in content.colouring] == ["cat"]
    assert refusals(content.problems) == [("colouring.yaml", "special_file", "error")]


def test_the_fingerprint_looks_at_links_without_following_them(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "c", stories={"a.md": story()})
    stories = root / "stories"
    os.mkfifo(stories / "pipe.md")
    (root / "loop").symlink_to(root)
    (root / "everything").symlink_to("/")
    with fifo_watch(stories / "pipe.md") as opened:
        before = fingerprint(root)
    assert opened == []
    # A file moved away and replaced by a link to itself: the same size, times and inode
    # through the link, but the kiosk now refuses it, so it must read the folder again.
    os.mkdir(root / ".kept")  # a dot folder: out of the fingerprint's sight
    os.rename(stories / "a.md", root / ".kept" / "a.md")
    (stories / "a.md").symlink_to(root / ".kept" / "a.md")
    assert fingerprint(root) != before


def test_a_file_where_a_folder_of_items_should_be_is_told_as_a_file(tmp_path: Path) -> None:
    # A folder deleted and a file saved under its name (an export, a zip renamed): not «a
    # link», and posters/, notices/, colouring/ not silently empty.
    root = make_folder(tmp_path / "c", pages={"01.md": story("Страница")})
    for name in ("stories", "posters", "notices", "colouring"):
        (root / name).write_text("не папка", encoding="utf-8")
    said = {Path(p.path).name: p for p in load_content(root).problems}
    for name in ("stories", "posters", "notices", "colouring"):
        assert said[name].code == "folder_is_file" and said[name].is_error, name
        assert f"положите на его место папку «{name}»" in said[name].message("ru")
        assert "symlink" not in said[name].message("ru")
        assert f"put the folder “{name}” in its place" in said[name].message("en")


def test_a_hidden_yaml_that_is_a_folder_is_told_as_a_folder(tmp_path: Path) -> None:
    shared = make_folder(tmp_path / "c", stories={"ok.md": story()})
    centre = make_folder(tmp_path / "centre", stories={"our.md": story("Наша")})
    (centre / "hidden.yaml").mkdir()
    said = [p for p in load_content(shared, centre=centre).problems
            if p.path == str(centre / "hidden.yaml")]
    assert [(p.code, p.is_error) for p in said] == [("hidden_is_folder", True)]
    assert said[0].message("ru").startswith("«hidden.yaml» — папка, а киоск ждёт здесь файл")
    assert "положите на её место файл hidden.yaml" in said[0].message("ru")
    assert "symlink" not in said[0].message("en") and "link" not in said[0].message("en")
