"""Publishing into the centre's folder: atomic under a concurrent kiosk reload, one at a time,
history outside the content folder, undo, the publish log, and only the editor's own paths."""

from __future__ import annotations

import itertools
import json
import shutil
import threading
from pathlib import Path

import pytest

from kiosk.core.content.loader import load_content
from kiosk.core.paths import package_folder
from kiosk.editor.publish import Publisher, PublishError, checked_path

STORY = "stories/zontik-anny.md"


def story(n: int, size: int = 12_000) -> bytes:
    """A valid story whose every byte says which version it is (so half of one shows)."""
    body = (f"Версия {n}. " * (size // 14)).strip()
    return (f"---\ntitle: \"Версия {n}\"\n---\n{body}\nКОНЕЦ {n}\n").encode()


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    shared = tmp_path / "shared"
    shutil.copytree(package_folder("content"), shared)
    centre = tmp_path / "centre"
    centre.mkdir()
    return shared, centre, tmp_path / "state" / "editor"


def test_a_publish_writes_the_file_keeps_history_outside_and_logs_who(
        folders: tuple[Path, Path, Path]) -> None:
    _, centre, state = folders
    publisher = Publisher(centre, state)
    record = publisher.publish({STORY: story(1)}, "anna", "publish", "Версия 1")
    assert (centre / STORY).read_bytes() == story(1)
    # Nothing but the story in the centre folder: no temporary files, no history.
    assert sorted(str(p.relative_to(centre)) for p in centre.rglob("*")) == ["stories", STORY]
    [line] = (state / "publish-log.jsonl").read_text(encoding="utf-8").splitlines()
    logged = json.loads(line)
    assert (logged["user"], logged["action"], logged["files"], logged["id"]) == \
        ("anna", "publish", [STORY], record.id)
    assert logged["time"].endswith("+00:00")
    [kept] = publisher.history()
    assert kept.id == record.id and kept.files[0].before is None
    assert publisher.blob(kept.files[0].after or "") == story(1)


def test_undo_puts_back_the_previous_bytes_and_deletes_a_file_that_was_new(
        folders: tuple[Path, Path, Path]) -> None:
    _, centre, state = folders
    publisher = Publisher(centre, state)
    first = publisher.publish({STORY: story(1)}, "anna", "publish", "1")
    second = publisher.publish({STORY: story(2)}, "boris", "publish", "2")
    with pytest.raises(PublishError) as refused:  # the file changed since the first publish
        publisher.undo(first.id, "anna")
    assert refused.value.ru == ("«1» не отменить: с тех пор это изменили ещё раз («2», boris)."
                                " Сначала отмените то, более позднее изменение — оно выше в "
                                "списке.")
    assert (centre / STORY).read_bytes() == story(2)
    publisher.undo(second.id, "anna")
    assert (centre / STORY).read_bytes() == story(1)
    with pytest.raises(PublishError):  # undone already
        publisher.undo(second.id, "anna")
    history = publisher.history()
    assert [r.action for r in history] == ["undo", "publish", "publish"]
    assert history[1].undone_by == history[0].id and history[0].undoes == second.id
    # Undo the undo, then the first: the file that was new is gone.
    publisher.undo(history[0].id, "anna")
    assert (centre / STORY).read_bytes() == story(2)
    latest = publisher.history()[0]
    publisher.undo(latest.id, "anna")
    publisher.undo(first.id, "anna")
    assert not (centre / STORY).exists()


def test_a_publish_that_changes_nothing_is_refused(folders: tuple[Path, Path, Path]) -> None:
    _, centre, state = folders
    publisher = Publisher(centre, state)
    publisher.publish({STORY: story(1)}, "anna", "publish", "1")
    with pytest.raises(PublishError) as refused:
        publisher.publish({STORY: story(1)}, "anna", "publish", "1")
    assert "Ничего не изменилось" in refused.value.ru
    assert len(publisher.history()) == 1


@pytest.mark.parametrize("path", [
    "../x.md", "stories/../../etc/passwd", "/etc/passwd", "stories/.hidden.md",
    "stories/a/b.md", "kiosk.yaml", "anniversary/01.md", "stories/", "stories/Ёлка.md",
    "stories/..", "images/x.jpg/..", "hidden.yaml/x"])
def test_only_the_editors_own_names_are_paths(folders: tuple[Path, Path, Path],
                                              path: str) -> None:
    _, centre, state = folders
    with pytest.raises(ValueError):
        checked_path(path)
    with pytest.raises(ValueError):
        Publisher(centre, state).publish({path: b"x"}, "anna", "publish", "x")
    assert not any(centre.rglob("*"))


def test_a_link_in_the_centre_folder_is_never_written_through(
        folders: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, centre, state = folders
    outside = tmp_path / "outside.md"
    outside.write_text("keep")
    (centre / "stories").mkdir()
    (centre / STORY).symlink_to(outside)
    with pytest.raises(PublishError):
        Publisher(centre, state).publish({STORY: story(1)}, "anna", "publish", "1")
    assert outside.read_text() == "keep"


def test_a_kiosk_reloading_while_staff_publish_never_reads_half_a_story(
        folders: tuple[Path, Path, Path]) -> None:
    """A reader in a loop, as the kiosk's reload reads: the raw bytes, and the loader's
    story, are always one whole published version."""
    shared, centre, state = folders
    publisher = Publisher(centre, state)
    versions = {story(n, size=8_000 if n % 2 else 1_000) for n in range(40)}
    publisher.publish({STORY: story(0, 1_000)}, "anna", "publish", "0")
    stop = threading.Event()
    seen_bytes: list[bytes] = []
    seen_bodies: list[str] = []

    def read_raw() -> None:
        while not stop.is_set():
            try:
                seen_bytes.append((centre / STORY).read_bytes())
            except FileNotFoundError:
                seen_bytes.append(b"<missing>")

    def reload() -> None:
        while not stop.is_set():
            content = load_content(shared, sandboxed=False, centre=centre)
            mine = [s for s in content.stories if s.id == "zontik-anny" and s.origin == "centre"]
            seen_bodies.extend(s.body.ru for s in mine)
            if not mine:
                seen_bodies.append("<missing>")

    readers = [threading.Thread(target=read_raw), threading.Thread(target=reload)]
    for reader in readers:
        reader.start()
    try:
        for n in range(1, 40):
            publisher.publish({STORY: story(n, size=8_000 if n % 2 else 1_000)}, "anna",
                              "publish", str(n))
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert len(seen_bytes) > 40 and seen_bodies
    assert not [b[-40:] for b in seen_bytes if b not in versions]
    bodies = {story(n, size=8_000 if n % 2 else 1_000).decode().split("---\n")[2].strip()
              for n in range(40)}
    assert not [body[-40:] for body in seen_bodies if body not in bodies]


def test_two_editors_publishing_at_once_are_taken_one_after_the_other(
        folders: tuple[Path, Path, Path]) -> None:
    _, centre, state = folders
    errors: list[BaseException] = []

    def editor(name: str) -> None:
        publisher = Publisher(centre, state)  # each its own, as two requests would be
        for n in range(15):
            try:
                publisher.publish({STORY: f"{name} {n}".encode()}, name, "publish", name)
            except BaseException as exc:  # reported below
                errors.append(exc)

    threads = [threading.Thread(target=editor, args=(name,)) for name in ("anna", "boris")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    history = list(reversed(Publisher(centre, state).history()))
    assert len(history) == 30 and len({r.id for r in history}) == 30
    # Each publish saw exactly what the one before it left: no two interleaved.
    for earlier, later in itertools.pairwise(history):
        assert later.files[0].before == earlier.files[0].after
    log_lines = (state / "publish-log.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(log_lines) == 30 and all(json.loads(line) for line in log_lines)


def test_an_undo_reads_the_records_after_its_own_not_the_whole_history(
        folders: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether an undo is refused (undone already, changed again since) is in the records
    after the one undone: those are read, not the latest 1,000 (with some records of
    thousands of files, 0.4–0.5 s for each undo page and each undo). The same refusals."""
    _, centre, state = folders
    publisher = Publisher(centre, state)
    made = [publisher.publish({f"stories/s{n}.md": story(n, 100)}, "anna", "publish", f"{n}")
            for n in range(30)]
    again = publisher.publish({"stories/s27.md": story(99, 100)}, "boris", "publish", "99")
    read: list[str] = []
    reading = publisher._record

    def counted(record_id: str) -> object:
        read.append(record_id)
        return reading(record_id)

    monkeypatch.setattr(publisher, "_record", counted)
    assert publisher.undo_refusal(again.id, again) is None and read == []
    refused = publisher.undo_refusal(made[27].id, made[27])
    assert refused is not None and refused.ru.startswith(
        "«27» не отменить: с тех пор это изменили ещё раз («99», boris).")
    assert set(read) == {again.id, made[29].id, made[28].id}
    read.clear()
    undo = publisher.undo(again.id, "anna")
    assert read == [again.id]  # the record itself
    read.clear()
    refused = publisher.undo_refusal(again.id, again)
    assert refused is not None and refused.ru == "Эту публикацию уже отменили."
    assert read == [undo.id]
