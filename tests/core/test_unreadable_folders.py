"""A folder of the content that cannot be listed (its permissions) is an error, as an unreadable
file is: `kiosk check` fails and the kiosk logs it, and the kiosk keeps showing what it showed
from it. It was skipped without a word, and «Ошибок: 0»."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.core.content.loader import load_content
from kiosk.core.content.reload import keep_last_good
from tests.helpers import SVG, make_folder, story

Closer = Callable[[Path], None]


def permissions_bind(tmp_path: Path) -> bool:
    """Whether a folder chmod 000 keeps this process out: not root's (os.geteuid() == 0),
    unless its capabilities to override them were taken away."""
    probe = tmp_path / "probe"
    probe.mkdir()
    probe.chmod(0)
    try:
        os.listdir(probe)
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
        probe.rmdir()
    return False


@pytest.fixture(params=["chmod", "denied"])
def close(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
          tmp_path: Path) -> Iterator[Closer]:
    """Makes a folder unreadable: chmod 000, IT's mistake itself (root reads anything: not as
    root), or the kernel's answer to it played here, for anyone, root too: the folder cannot
    be listed, and nothing in it can be looked at."""
    closed: list[Path] = []
    if request.param == "chmod":
        if not permissions_bind(tmp_path):
            pytest.skip("root reads a folder whatever its permissions")

        def chmod_000(folder: Path) -> None:
            folder.chmod(0)
            closed.append(folder)

        yield chmod_000
        for folder in reversed(closed):  # the outer ones first: the inner are in them
            folder.chmod(0o755)
        return
    real = {name: getattr(os, name) for name in ("scandir", "listdir", "lstat", "stat")}

    def refusing(name: str) -> Callable[..., object]:
        def call(path: str | os.PathLike[str] | int = ".", *args: object,
                 **kwargs: object) -> object:
            if isinstance(path, str | os.PathLike):
                folder = Path(path)
                inside = any(parent in closed for parent in folder.parents)
                if inside or (name in ("scandir", "listdir") and folder in closed):
                    raise PermissionError(13, "Permission denied", os.fspath(path))
            return real[name](path, *args, **kwargs)
        return call

    for name in real:
        monkeypatch.setattr(os, name, refusing(name))
    yield closed.append


def content_folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path / "c", stories={"a.md": story()},
                       pages={"1.md": story("Страница")},
                       images={"colouring/cat.svg": SVG, "posters/p.svg": SVG,
                               "notices/n.yaml": "text: Сегодня до 17:00\n"})


@pytest.mark.parametrize("folder", ["stories", "anniversary", "colouring", "posters", "notices"])
def test_an_unreadable_folder_is_an_error_and_the_rest_is_read(
        tmp_path: Path, close: Closer, folder: str) -> None:
    root = content_folder(tmp_path)
    close(root / folder)
    content = load_content(root, sandboxed=False)
    (error,) = content.errors
    assert (error.path, error.code) == (str(root / folder), "folder_unreadable")
    assert error.message("ru").startswith(f"папку «{folder}» не удалось открыть (")
    assert "ничего из того, что в ней лежит, киоск не покажет" in error.message("ru")
    assert "the kiosk shows nothing that is in it" in error.message("en")
    # The other folders are read as before.
    counts = {"stories": len(content.stories), "anniversary": len(content.pages),
              "colouring": len(content.colouring), "posters": len(content.posters),
              "notices": len(content.notices)}
    assert counts == {name: 0 if name == folder else 1 for name in counts}


def test_an_unreadable_content_folder_is_an_error(tmp_path: Path, close: Closer) -> None:
    root = content_folder(tmp_path)
    close(root)
    content = load_content(root, sandboxed=False)
    assert [(p.path, p.code) for p in content.errors] == [(str(root), "folder_unreadable")]
    assert content.is_empty


def test_an_unreadable_centre_folder_is_an_error(tmp_path: Path, close: Closer) -> None:
    root = content_folder(tmp_path)
    centre = make_folder(tmp_path / "centre", stories={"own.md": story("Своя")})
    close(centre)
    content = load_content(root, sandboxed=False, centre=centre)
    assert [(p.path, p.code) for p in content.errors] == [(str(centre), "folder_unreadable")]
    assert [s.id for s in content.stories] == ["a"]  # head office's, as before


def test_the_kiosk_keeps_what_it_showed_from_a_folder_it_can_no_longer_read(
        tmp_path: Path, close: Closer) -> None:
    root = content_folder(tmp_path)
    (root / "kiosk.yaml").write_text("slide_seconds: 20\n", encoding="utf-8")
    centre = make_folder(tmp_path / "centre", stories={"own.md": story("Своя")})
    shown = load_content(root, sandboxed=False, centre=centre)
    assert sorted(s.id for s in shown.stories) == ["a", "own"]
    close(root / "stories")
    merged = keep_last_good(shown, load_content(root, sandboxed=False, centre=centre))
    assert sorted(s.id for s in merged.stories) == ["a", "own"]
    assert [p.code for p in merged.errors] == ["folder_unreadable"]
    close(root)  # head office's whole folder: its items and its settings stay
    merged = keep_last_good(shown, load_content(root, sandboxed=False, centre=centre))
    assert sorted(s.id for s in merged.stories) == ["a", "own"]
    assert [p.id for p in merged.posters] == ["p"] and merged.settings.slide_seconds == 20
    close(centre)
    merged = keep_last_good(shown, load_content(root, sandboxed=False, centre=centre))
    assert sorted(s.id for s in merged.stories) == ["a", "own"]


def test_what_an_unreadable_centre_folder_hid_stays_hidden(tmp_path: Path,
                                                           close: Closer) -> None:
    from kiosk.core.content.loader import ParseCache

    root = make_folder(tmp_path / "c", stories={"a.md": story(), "b.md": story("Вторая")})
    centre = make_folder(tmp_path / "centre", images={"hidden.yaml": "hide: stories/a.md\n"})
    cache = ParseCache()
    shown = load_content(root, sandboxed=False, cache=cache, centre=centre)
    assert [s.id for s in shown.stories] == ["b"]
    close(centre)
    merged = keep_last_good(shown, load_content(root, sandboxed=False, cache=cache,
                                                centre=centre))
    assert [s.id for s in merged.stories] == ["b"]


def test_what_an_unreadable_hidden_file_hid_stays_hidden(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """hidden.yaml that cannot be opened (copied with the wrong rights) is not one emptied by
    hand: head office's story it hid stays hidden on the running kiosk, and `kiosk check`
    says the file could not be read (it was taken as empty: the story came back unsaid)."""
    from kiosk.core.content.loader import ParseCache

    root = make_folder(tmp_path / "c", stories={"a.md": story(), "b.md": story("Вторая")})
    centre = make_folder(tmp_path / "centre", images={"hidden.yaml": "hide: stories/a.md\n"})
    hidden = centre / "hidden.yaml"
    cache = ParseCache()
    shown = load_content(root, sandboxed=False, cache=cache, centre=centre)
    assert [s.id for s in shown.stories] == ["b"]
    real_open = os.open

    def refusing(path: str | os.PathLike[str], *args: int) -> int:
        if Path(path) == hidden:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", refusing)
    merged = keep_last_good(shown, load_content(root, sandboxed=False, cache=cache,
                                                centre=centre))
    assert [s.id for s in merged.stories] == ["b"]
    checked = load_content(root, sandboxed=False, centre=centre)  # kiosk check's read
    assert [p.path for p in checked.errors] == [str(hidden)]
