"""Publishing into the centre's folder: atomic writes, the history of every published version,
undo, and the publish log. No Flask, no Qt: the web pages call this, tests call it directly.

- **Atomic**: each file is written under a hidden temporary name in its own folder (the
  kiosk's loader skips names starting with a dot), flushed to disk (fsync), then renamed over
  the old one (os.replace) and the folder flushed, so a kiosk reloading at any moment reads the
  old file or the new one, never half of one. A publish of several files writes pictures
  before the stories that name them, and removes stories before the pictures they name.
- **Never outside the centre folder**: every read, write and delete goes through the file's
  folder opened from the centre folder with O_NOFOLLOW (a folder or a file that is a link is
  refused, a FIFO is never waited on). A write that fails (a read-only folder) puts back what
  that publish already wrote and says so, naming the folder.
- **One at a time**: a lock file in the editor's state folder (flock) and a thread lock, so two
  editors (or two requests) never interleave their files or their history.
- **History outside the content folder** (`<state>/editor/history/`), which head office's
  sync may wipe: each publish is a record (who, when, what, and the bytes of each file before
  and after, stored once each by their SHA-256). `undo(id)` is a new publish that puts back
  the bytes from before (or deletes a file that publish created); it refuses when a file was
  changed again since, naming it.
- **Log**: a JSON line per publish in `<state>/editor/publish-log.jsonl` and a line in the
  Python log, with who and when.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# What the editor may write in the centre folder: these folders, one level deep, and
# hidden.yaml. Names are the editor's own (slugs); a name from a client is never a path.
WRITABLE_FOLDERS = ("stories", "images", "notices", "colouring", "posters")
WRITABLE_FILES = ("hidden.yaml",)
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")
RECORD_ID = re.compile(r"^\d{8}T\d{6}-\d{6}$")
MAX_FILE_BYTES = 64 * 1024 * 1024
_THREAD_LOCK = threading.Lock()


class PublishError(Exception):
    """A publish or undo that cannot be done; `ru` and `en` say why, for the page."""

    def __init__(self, ru: str, en: str) -> None:
        super().__init__(en)
        self.ru = ru
        self.en = en


FRESH_TRIES = 3  # a publish made anew after a colleague's in the same moment, at most


class PublishConflict(PublishError):
    """A file is no longer what the publish expected (`expect`): someone changed it in the
    moment between reading it and publishing. Callers say what that means for them."""

    def __init__(self, path: str) -> None:
        super().__init__(f"«{path}» с тех пор изменили ещё раз: сначала отмените более "
                         "позднее изменение", f"“{path}” has been changed again since: undo "
                         "the later change first")
        self.path = path


@dataclass(frozen=True, slots=True)
class Plan:
    """A publish made from files as they were read (Publisher.publish_fresh): what to write
    or delete (`changes`), and what each file it depends on held when read (`expect`)."""

    changes: Mapping[str, bytes | None]
    action: str
    title: str
    expect: Mapping[str, bytes | None]


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str  # inside the centre folder, e.g. "stories/zontik.md"
    before: str | None  # SHA-256 of the bytes before (None: there was no file)
    after: str | None  # SHA-256 of the bytes written (None: the file was deleted)


@dataclass(frozen=True, slots=True)
class PublishRecord:
    id: str
    time: str  # ISO 8601, UTC
    user: str
    action: str  # "publish", "delete", "hide", "photo", "undo" …
    title: str  # what the page shows: the story's title, the picture's name …
    files: tuple[FileChange, ...]
    undoes: str = ""  # the record this one undid
    undone_by: str = ""  # filled in when read: a later record that undid this one

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "time": self.time, "user": self.user, "action": self.action,
                "title": self.title, "undoes": self.undoes,
                "files": [{"path": f.path, "before": f.before, "after": f.after}
                          for f in self.files]}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> PublishRecord:
        files = data.get("files")
        return cls(
            id=str(data["id"]), time=str(data["time"]), user=str(data.get("user", "")),
            action=str(data.get("action", "")), title=str(data.get("title", "")),
            undoes=str(data.get("undoes", "")),
            files=tuple(FileChange(str(f["path"]), _opt(f.get("before")), _opt(f.get("after")))
                        for f in (files if isinstance(files, list) else [])
                        if isinstance(f, dict)))


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def checked_path(path: str) -> str:
    """`path` if the editor may write it in the centre folder, else ValueError. Only the
    editor's own names pass: a known folder, one level, lower-case Latin letters, digits,
    dots, hyphens and underscores, never starting with a dot."""
    parts = path.split("/")
    if len(parts) == 1 and parts[0] in WRITABLE_FILES:
        return path
    if len(parts) != 2 or parts[0] not in WRITABLE_FOLDERS or not NAME_PATTERN.match(parts[1]) \
            or ".." in parts[1]:
        raise ValueError(f"not a path the editor writes: {path!r}")
    return path


class Publisher:
    def __init__(self, centre: Path, editor_state: Path) -> None:
        self.centre = centre
        self.state = editor_state
        self.history_dir = editor_state / "history"
        self.blobs = self.history_dir / "blobs"
        self.records = self.history_dir / "records"
        self.log_file = editor_state / "publish-log.jsonl"
        self.lock_file = editor_state / "publish.lock"

    # -- reading ----------------------------------------------------------------------------

    def read(self, path: str, limit: int = MAX_FILE_BYTES) -> bytes | None:
        """The bytes of a centre file (None: there is none, or it is not a regular file),
        at most `limit` + 1 of them. Read through its folder opened without following links:
        a link, a FIFO or a device is never opened as a file, nor a folder that is a link."""
        folder, _, name = checked_path(path).rpartition("/")
        try:
            dir_fd = self._folder(folder, create=False)
        except FileNotFoundError:
            return None
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                         dir_fd=dir_fd)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:  # a link (ELOOP) or worse: the editor will not touch it
            raise _not_ordinary(path) from exc
        finally:
            os.close(dir_fd)
        with os.fdopen(fd, "rb") as file:
            if not _is_regular(file.fileno()):
                return None
            return file.read(limit + 1)

    def regular(self, path: str) -> Path | None:
        """The centre file `path` where it is a regular file reached without a link (its
        folder or itself), for a child that opens it by name (the preview's renderer); None
        otherwise. `is_file()` and `is_symlink()` look at the last part only: a linked
        images/ folder led out of the centre."""
        try:
            folder, _, name = checked_path(path).rpartition("/")
            dir_fd = self._folder(folder, create=False)
        except (ValueError, OSError, PublishError):
            return None
        try:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return None
        finally:
            os.close(dir_fd)
        return self.centre / path if stat.S_ISREG(info.st_mode) else None

    def _folder(self, folder: str, create: bool) -> int:
        """An fd of the centre folder ("") or of one of its folders, opened with O_NOFOLLOW:
        a folder that is a link (out of the centre) is refused. FileNotFoundError: missing."""
        if create:
            self.centre.mkdir(parents=True, exist_ok=True)
        root = os.open(self.centre, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        if not folder:
            return root
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(folder, 0o755, dir_fd=root)
            try:
                return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW |
                               os.O_CLOEXEC, dir_fd=root)
            except FileNotFoundError:
                raise
            except OSError as exc:  # ELOOP, ENOTDIR: a link or a file in its place
                raise PublishError(
                    f"«{folder}» в папке центра — не папка (ссылка?): уберите её",
                    f"“{folder}” in the centre's folder is not a folder (a link?): remove "
                    "it") from exc
        finally:
            os.close(root)

    def history(self, limit: int = 200) -> list[PublishRecord]:
        """The latest records, newest first, each with `undone_by` filled in."""
        records = [r for record_id in self._ids()[:limit]
                   if (r := self._record(record_id)) is not None]
        undone = {r.undoes: r.id for r in records if r.undoes}
        return [PublishRecord(r.id, r.time, r.user, r.action, r.title, r.files, r.undoes,
                              undone.get(r.id, "")) for r in records]

    def _ids(self) -> list[str]:
        """The records' ids, newest first (an id begins with its time)."""
        try:
            return sorted((n[:-5] for n in os.listdir(self.records) if n.endswith(".json")),
                          reverse=True)
        except FileNotFoundError:
            return []

    def _later(self, record: PublishRecord, limit: int = 1000) -> Iterator[PublishRecord]:
        """The records after `record` among the latest `limit`, newest first, read as they
        are asked for: an undo's refusals read those, not the whole history (1,000 records,
        100 of them of 1,000 files, took 0.4–0.5 s for each undo and each undo page)."""
        for record_id in self._ids()[:limit]:
            if record_id <= record.id:
                return
            found = self._record(record_id)
            if found is not None and found.id > record.id:
                yield found

    def record(self, record_id: str) -> PublishRecord | None:
        return self._record(record_id) if RECORD_ID.match(record_id) else None

    def _record(self, record_id: str) -> PublishRecord | None:
        try:
            data = json.loads((self.records / f"{record_id}.json").read_text(encoding="utf-8"))
            return PublishRecord.from_json(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def blob(self, digest: str) -> bytes:
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ValueError(digest)
        return (self.blobs / digest).read_bytes()

    # -- writing ----------------------------------------------------------------------------

    def publish(self, changes: Mapping[str, bytes | None], user: str, action: str,
                title: str, undoes: str = "",
                expect: Mapping[str, bytes | None] | None = None) -> PublishRecord:
        """Write (bytes) or delete (None) these centre files, as one record of the history.
        `expect`: what each file must hold now (None: no such file), checked under the lock:
        an edit publishes over what its form was opened on, a new file over nothing, an
        index (hidden.yaml, colouring.yaml) over what it was read as; else PublishConflict."""
        paths = [checked_path(path) for path in changes]
        for path, data in changes.items():
            if data is not None and len(data) > MAX_FILE_BYTES:
                raise PublishError(f"«{path}» слишком большой", f"“{path}” is too large")
        with self._locked():
            before = {path: self.read(path) for path in paths}
            if expect is not None:
                for path, wanted in expect.items():
                    if before.get(path, self.read(path)) != wanted:
                        raise PublishConflict(path)
            files: list[FileChange] = []
            for path in paths:
                old, new = before[path], changes[path]
                if old == new:
                    continue
                files.append(FileChange(path, self._keep(old), self._keep(new)))
            if not files:
                raise PublishError("Ничего не изменилось: публиковать нечего.",
                                   "Nothing has changed: there is nothing to publish.")
            # Pictures before what names them; what names them removed before the pictures.
            order = {"images": 0, "colouring": 1, "notices": 2, "stories": 3, "hidden.yaml": 4}
            writes = sorted((f for f in files if f.after is not None),
                            key=lambda f: order.get(f.path.split("/")[0], 5))
            deletes = sorted((f for f in files if f.after is None),
                             key=lambda f: -order.get(f.path.split("/")[0], 5))
            done: list[FileChange] = []
            try:
                for change in [*writes, *deletes]:
                    self._put(change.path, changes[change.path])
                    done.append(change)
            except (OSError, PublishError) as error:
                # Nothing half-done: what was already written is put back as it was.
                for change in reversed(done):
                    with contextlib.suppress(OSError, PublishError):
                        self._put(change.path, before[change.path])
                if isinstance(error, PublishError):
                    raise
                raise PublishError(
                    f"Не удалось записать в папку центра {self.centre} ({error.strerror}). "
                    "Ничего не изменилось. Сообщите в ИТ-службу: у редактора должно быть "
                    "право записи в эту папку.",
                    f"Could not write to the centre's folder {self.centre} ({error.strerror})."
                    " Nothing has changed. Tell IT: the editor needs write access to this "
                    "folder.") from error
            record = PublishRecord(self._new_id(), _now(), user, action, title[:200],
                                   tuple(files), undoes)
            self._save_record(record)
        log.info("editor: %s %s by %s: %s (%s)", action, record.id, user,
                 ", ".join(f.path for f in files), title[:200])
        return record

    def publish_fresh(self, plan: Callable[[], Plan], user: str) -> PublishRecord:
        """Publish what `plan()` makes of the files as they are now, over what it read
        (`Plan.expect`): where a colleague's publish came between the read and the write,
        `plan()` reads again and makes it anew, up to FRESH_TRIES times, then PublishConflict.
        `plan()` may refuse with a PublishError of its own (a file it will not write over)."""
        for _ in range(FRESH_TRIES - 1):
            made = plan()
            try:
                return self.publish(made.changes, user, made.action, made.title,
                                    expect=made.expect)
            except PublishConflict:
                continue
        made = plan()
        return self.publish(made.changes, user, made.action, made.title, expect=made.expect)

    def undo(self, record_id: str, user: str) -> PublishRecord:
        """A new publish that puts back what `record_id` replaced."""
        record = self.record(record_id)
        refused = self.undo_refusal(record_id, record)
        if refused is not None:
            raise refused
        assert record is not None
        changes = {f.path: None if f.before is None else self.blob(f.before)
                   for f in record.files}
        expect = {f.path: None if f.after is None else self.blob(f.after) for f in record.files}
        try:
            return self.publish(changes, user, "undo", record.title, undoes=record.id,
                                expect=expect)
        except PublishConflict as conflict:
            raise self._changed_since(record, conflict.path) or conflict from None

    def undo_refusal(self, record_id: str, record: PublishRecord | None = None
                     ) -> PublishError | None:
        """Why `undo(record_id)` would be refused now (no such record, undone already, a
        file of it changed again since), or None: said on the undo's page before anything is
        pressed. Undo checks it again under the lock."""
        record = record if record is not None else self.record(record_id)
        if record is None:
            return PublishError("Такой публикации нет в истории.",
                                "There is no such publish in the history.")
        if any(r.undoes == record.id for r in self._later(record)):
            return PublishError("Эту публикацию уже отменили.",
                                "This publish has already been undone.")
        for change in record.files:
            try:
                now = self.read(change.path)
            except PublishError as refused:
                return refused
            held = None if now is None else hashlib.sha256(now).hexdigest()
            if held != change.after:
                return self._changed_since(record, change.path) or PublishConflict(change.path)
        return None

    def _changed_since(self, record: PublishRecord, path: str) -> PublishError | None:
        """The refusal naming the change in the way: the newest one of `path` since `record`,
        higher in the list (None where the history has none: changed outside the editor)."""
        later = next((r for r in self._later(record) if any(f.path == path for f in r.files)),
                     None)
        if later is None:
            return None
        from kiosk.editor.auth import PIN_USER

        who_en = "staff PIN" if later.user == PIN_USER else later.user
        return PublishError(
            f"«{record.title}» не отменить: с тех пор это изменили ещё раз («{later.title}»,"
            f" {later.user}). Сначала отмените то, более позднее изменение — оно выше в "
            "списке.", f"“{record.title}” cannot be undone: it has been changed again "
            f"since (“{later.title}”, {who_en}). Undo that later change first — it is "
            "higher in the list.")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.state.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _THREAD_LOCK, open(self.lock_file, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _keep(self, data: bytes | None) -> str | None:
        """Store these bytes in the history (once per content); their SHA-256."""
        if data is None:
            return None
        digest = hashlib.sha256(data).hexdigest()
        target = self.blobs / digest
        if not target.exists():
            self.blobs.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._write_atomically(target, data, mode=0o600)
        return digest

    def _new_id(self) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        self.records.mkdir(parents=True, exist_ok=True, mode=0o700)
        taken = [n for n in os.listdir(self.records) if n.startswith(stamp)]
        return f"{stamp}-{len(taken) + 1:06d}"

    def _save_record(self, record: PublishRecord) -> None:
        body = json.dumps(record.to_json(), ensure_ascii=False, indent=1).encode()
        self._write_atomically(self.records / f"{record.id}.json", body, mode=0o600)
        line = json.dumps({"time": record.time, "user": record.user, "action": record.action,
                           "id": record.id, "title": record.title, "undoes": record.undoes,
                           "files": [f.path for f in record.files]}, ensure_ascii=False)
        fd = os.open(self.log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as file:
            file.write(line + "\n")
            file.flush()
            os.fsync(file.fileno())

    @staticmethod
    def _write_atomically(target: Path, data: bytes, mode: int = 0o644) -> None:
        folder = target.parent
        folder.mkdir(parents=True, exist_ok=True)
        if folder.is_symlink() or not folder.is_dir():
            raise PublishError(f"«{folder.name}» — не папка", f"“{folder.name}” is not a folder")
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temp, mode)
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        _fsync_folder(folder)

    def _put(self, path: str, data: bytes | None) -> None:
        """Write (atomically) or delete (None) one centre file, inside the folder opened
        without following links: never a file outside the centre folder."""
        folder, _, name = path.rpartition("/")
        dir_fd = self._folder(folder, create=data is not None)
        try:
            if data is None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=dir_fd)
            else:
                temp = f".{name}.{os.urandom(6).hex()}.tmp"
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW |
                             os.O_CLOEXEC, 0o600, dir_fd=dir_fd)
                try:
                    with os.fdopen(fd, "wb") as file:
                        file.write(data)
                        file.flush()
                        os.fchmod(file.fileno(), 0o644)
                        os.fsync(file.fileno())
                    os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(temp, dir_fd=dir_fd)
                    raise
            with contextlib.suppress(OSError):
                os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _not_ordinary(path: str) -> PublishError:
    return PublishError(f"«{path}» — не обычный файл (ссылка?): уберите его из папки центра",
                        f"“{path}” is not an ordinary file (a link?): remove it from the "
                        "centre's folder")


def _is_regular(fd: int) -> bool:
    return stat.S_ISREG(os.fstat(fd).st_mode)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
