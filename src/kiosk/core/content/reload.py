"""Live reload, decided without clocks: when the folder changed and has settled, and which
version of each item to show when the new one is broken.

A file still being copied keeps changing size or time: the folder is reloaded only once two
looks `settle` seconds apart see the same thing. Whatever the new folder holds, the kiosk keeps
its last good content: a broken item keeps its previous version, a vanished or unreadable
folder keeps everything, and a folder of items (stories/, posters/ …) that vanished or was
emptied keeps its items until the content has stayed unchanged for GONE_SETTLE seconds.
"""

from __future__ import annotations

import os
import stat
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.core import hashes
from kiosk.core.content.loader import (
    ANNIVERSARY_DIR,
    COLOURING_DIR,
    COLOURING_INDEX,
    NOTICES_DIR,
    POSTERS_DIR,
    SETTINGS_FILE,
    STORIES_DIR,
    STRAY_IGNORED,
    being_copied,
    left_by_system,
    natural_key,
)
from kiosk.core.content.merge import HIDDEN_FILE, Item, SourcedItem
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Problem, Severity

Fingerprint = tuple[object, ...]

# A folder of items that is gone or empty is far more often one being replaced (a script's
# «delete, then copy», a slow share listed before the first file lands) than a decision to
# show none of them: what was in it stays until nothing has changed for this long.
GONE_SETTLE = 10.0
_ITEM_FOLDERS = (ANNIVERSARY_DIR, STORIES_DIR, COLOURING_DIR, POSTERS_DIR, NOTICES_DIR)
_NO_ITEMS = frozenset((*STRAY_IGNORED, COLOURING_INDEX))


def fingerprint(root: Path) -> Fingerprint:
    """What the folder is now: where it really is (a release link that was flipped points
    elsewhere) and a digest of the size, time, inode and type of every entry in it (one
    lstat each; kept as a digest, as 40,000 files' worth of tuples would take 9 MB).

    Links inside are looked at, not followed (the loader refuses them, so replacing a file by
    a link to the very same file is a change), folders they lead to are never walked, and
    nothing is opened: a FIFO is only looked at."""
    try:
        real = os.path.realpath(root)
        if not os.path.isdir(real):
            return ("missing", str(root))
        digest = hashes.blake2b(digest_size=16)
        folders = [real]  # a list, not recursion: any depth is fine
        while folders:
            folder = folders.pop()
            try:
                with os.scandir(folder) as found:
                    # Dot names (editors' temporary files), a thumbnail cache Explorer
                    # rewrites as a folder is looked at: never read. A copy's temporary file
                    # (rsync's, a browser's) is looked at: while it grows, nothing settles.
                    names = sorted(entry.name for entry in found
                                   if not left_by_system(entry.name)
                                   or being_copied(entry.name))
            except OSError:
                continue  # gone or unreadable since it was listed: the next look sees it
            for name in names:
                path = os.path.join(folder, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue  # gone between listing and looking: the next look sees it
                if stat.S_ISDIR(info.st_mode):
                    folders.append(path)
                    continue
                digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\0"
                              f"{stat.S_IFMT(info.st_mode)}\n".encode("utf-8",
                                                                    "surrogateescape"))
        return (real, digest.hexdigest())
    except OSError as exc:
        return ("unreadable", str(root), str(exc))


def folder_fingerprint(look: Fingerprint) -> Fingerprint:
    """The content folder's own part of a look that also holds the centre's folder and this
    computer's settings files (kiosk.ui.service.reloader adds them after it): what `fingerprint` of
    the folder alone says now, for the safe-mode copy to compare with."""
    return look[:3] if look and look[0] == "unreadable" else look[:2]


@dataclass
class ReloadDecider:
    """Feed it each look at the folder with the time; it says when to reload."""

    settle: float = 1.0  # seconds the folder must stay the same before it is read
    loaded: Fingerprint | None = None  # what the content on screen was read from
    gone_settle: float = GONE_SETTLE
    # Folders of items gone or emptied whose last items are still shown (keep_last_good's
    # `replacing`), and when the content last changed while they were.
    replacing: frozenset[str] = frozenset()
    _seen: Fingerprint | None = None
    _seen_at: float = 0.0
    _replacing_since: float = 0.0

    def look(self, current: Fingerprint, now: float) -> bool:
        if current == self.loaded:
            self._seen = None
            return self.let_go(now)  # read once more, to let the gone folders' items go
        if current != self._seen:
            self._seen, self._seen_at = current, now  # changed (again): wait for it to settle
            if self.replacing:  # a copy goes on: its read must not let the folders go
                self._replacing_since = now
            return False
        return now - self._seen_at >= self.settle  # the same for long enough: read it

    @property
    def waiting(self) -> bool:
        """A change was seen and is waiting to settle."""
        return self._seen is not None

    def let_go(self, now: float) -> bool:
        """Folders gone or emptied and nothing changed for `gone_settle` seconds since: meant,
        not a copy under way; the next read shows them as they are."""
        return bool(self.replacing) and now - self._replacing_since >= self.gone_settle

    def done(self, current: Fingerprint | None, replacing: frozenset[str] = frozenset(),
             now: float = 0.0) -> None:
        """The folder as `current` is on screen now (or was judged and kept out), with the
        items of the folders `replacing` kept from before (kept_folders)."""
        if replacing and (current != self.loaded or not self.replacing):
            self._replacing_since = now  # still changing: a copy goes on
        self.replacing = replacing
        self.loaded = current
        self._seen = None


def keep_last_good(old: Content, new: Content, replacing: frozenset[str] | None = frozenset()
                   ) -> Content:
    """`new`, except where it is worse than `old`: items whose file now has an error keep
    their previous version, broken settings keep the previous settings, a folder that is
    gone or empty keeps everything, and so does a folder of items (stories/ …) that is gone or
    empty, and one in `replacing` (seen so before: being copied again) its vanished items,
    each with a «folder_gone_kept» note (kept_folders). `replacing` None: folders gone or
    emptied long enough are meant to be so (ReloadDecider.let_go): nothing of them is kept."""
    note = Problem(str(new.root), None, Severity.WARNING, "kept_last_good", {})
    if new.is_empty and not old.is_empty:
        return replace(old, problems=(*new.problems, note))
    if new.centre is not None and not old.is_empty and any(
            p.code == "missing_folder" and p.path == str(new.root) for p in new.problems):
        # Head office's folder gone (a release link removed), the centre's still there: as a
        # vanished folder, everything stays as it was.
        return replace(old, problems=(*new.problems, note))
    broken = {p.path for p in new.problems if p.is_error}
    # Folders that could not be listed (their permissions): what was in them stays.
    closed = tuple(os.path.join(p.path, "") for p in new.problems
                   if p.code == "folder_unreadable")
    settings = old.settings if _settings_broken(new) else new.settings
    hidden = new.hidden
    pages = _merge(old.pages, new.pages, broken, closed)
    stories = _merge(old.stories, new.stories, broken, closed)
    colouring = _merge(old.colouring, new.colouring, broken, closed)
    # A poster half-copied, a notice half-saved: each keeps its last version.
    posters = _merge(old.posters, new.posters, broken, closed)
    notices = _merge(old.notices, new.notices, broken, closed)
    kept = _sources_among((*pages, *stories, *colouring, *posters, *notices), broken)
    # «will not be shown» is not true of a file whose previous version stays on screen.
    problems = tuple(
        Problem(p.path, None, Severity.WARNING, "kept_last_good", {})
        if p.is_consequence and p.path in kept else p
        for p in new.problems)
    if replacing is not None:
        folders = _item_folders(old)
        held: list[str] = []  # the folders whose items are kept, in order
        pages = _hold(old.pages, pages, folders[0], replacing, held)
        stories = _hold(old.stories, stories, folders[1], replacing, held)
        colouring = _hold(old.colouring, colouring, folders[2], replacing, held)
        posters = _hold(old.posters, posters, folders[3], replacing, held)
        notices = _hold(old.notices, notices, folders[4], replacing, held)
        problems = (*problems, *(
            Problem(folder.rstrip(os.sep), None, Severity.WARNING, "folder_gone_kept",
                    {"value": os.path.basename(folder.rstrip(os.sep)),
                     "seconds": f"{GONE_SETTLE:.0f}"}) for folder in held))
        # kiosk.yaml deleted to be copied again: its defaults would change the whole kiosk
        # (the tags, the languages, the opening hours) for the moment of the copy.
        path = str(new.root / SETTINGS_FILE)
        if path in old.settings.origins.values() and not os.path.lexists(path):
            settings = old.settings
            problems = (*problems, Problem(path, None, Severity.WARNING, "settings_gone_kept",
                                           {"value": SETTINGS_FILE,
                                            "seconds": f"{GONE_SETTLE:.0f}"}))
        # The centre's hidden.yaml deleted to be copied again, or its whole folder, or cut to
        # 0 bytes by a copy that writes it over: the head office's items it hid would show for
        # the moment of the copy.
        if old.hidden and new.centre is not None and (code := _hidden_copied(
                path := os.path.join(new.centre, HIDDEN_FILE))):
            hidden = old.hidden
            stories = _still_hidden(old.stories, stories, hidden)
            colouring = _still_hidden(old.colouring, colouring, hidden)
            posters = _still_hidden(old.posters, posters, hidden)
            notices = _still_hidden(old.notices, notices, hidden)
            problems = (*(p for p in problems  # «not shown, head office's is»: it is not
                          if p.code != "centre_same_name" or p.args.get("other") not in hidden),
                        Problem(path, None, Severity.WARNING, code,
                                {"value": HIDDEN_FILE, "seconds": f"{GONE_SETTLE:.0f}"}))
    return replace(new, settings=settings, pages=pages, stories=stories, colouring=colouring,
                   posters=posters, notices=notices, problems=problems, hidden=hidden)


def kept_folders(content: Content) -> frozenset[str]:
    """The folders of items (and the kiosk.yaml, the centre's hidden.yaml) that
    `keep_last_good` found gone or emptied and kept from before: for ReloadDecider.done."""
    return frozenset(os.path.join(p.path, "") if p.code == "folder_gone_kept" else p.path
                     for p in content.problems
                     if p.code in ("folder_gone_kept", "settings_gone_kept", "hidden_gone_kept",
                                   "hidden_emptied_kept"))


def _hidden_copied(path: str) -> str:
    """The note to keep the last hide list with while the centre's hidden.yaml at `path` may
    be being copied: gone, or 0 bytes (a copy truncates, then writes); '' otherwise. Blanks or
    comments are written on purpose (no copy leaves them): they hide nothing at once."""
    try:
        info = os.lstat(path)
    except OSError:  # as os.path.lexists: not there
        return "hidden_gone_kept"
    return "hidden_emptied_kept" if stat.S_ISREG(info.st_mode) and not info.st_size else ""


def _still_hidden(old: tuple[Item, ...], new: tuple[Item, ...], hidden: frozenset[str]
                  ) -> tuple[Item, ...]:
    """`new` without the items whose files are `hidden` (few), and with the item of `old`
    each of them gave way to (the centre's of the same name), where it was."""
    names = {os.path.basename(path) for path in hidden}
    gone = {id(item) for item in new if item.source.name in names and str(item.source) in hidden}
    if not gone:
        return new
    ids = {item.id.casefold() for item in new if id(item) in gone}
    shown = [item for item in new if id(item) not in gone]
    back = [item for item in old if item.id.casefold() in ids]
    return _in_old_order(shown, back, old) if back else tuple(shown)


def _item_folders(content: Content) -> tuple[tuple[str, ...], ...]:
    """Each kind of item's folders (the head office's, the centre's), each ending in a
    separator, as the loader names its items' sources."""
    roots = (content.root,) if content.centre is None else (content.root, content.centre)
    return tuple(tuple(os.path.join(root, name, "") for root in roots)
                 for name in _ITEM_FOLDERS)


def _in(item: SourcedItem, folder: str) -> bool:
    # Its folder's name, made and dropped: str() of the source itself stays cached in the Path
    # (3 MB for 37,000 stories, where a centre's folder has none of them).
    return (str(item.source.parent) + os.sep).startswith(folder)


def _any_in(items: tuple[Item, ...], folder: str) -> bool:
    return any(_in(item, folder) for item in items)  # stops at the first


def _hold(old: tuple[Item, ...], new: tuple[Item, ...], folders: tuple[str, ...],
          replacing: frozenset[str], held: list[str]) -> tuple[Item, ...]:
    """`new`, with the items of `old` from each of `folders` that is gone or emptied (all of
    them) or in `replacing` (those not back yet, if any); each such folder added to `held`."""
    for folder in folders:
        if not _any_in(old, folder):
            continue
        if not _any_in(new, folder) and _emptied(folder):  # not its items hidden (hidden.yaml)
            new = _with_kept(new, old, folder, True)
        elif folder in replacing and (back := _with_kept(new, old, folder, False)) is not new:
            new = back
        else:
            continue
        if folder not in held:
            held.append(folder)
    return new


def _emptied(folder: str) -> bool:
    """Whether `folder` is gone, or holds nothing but what systems and copies leave and the
    files that are no items (a README, colouring.yaml): robocopy /MIR deletes the old files
    before it copies the new."""
    try:
        with os.scandir(folder) as found:
            return all(left_by_system(entry.name) or entry.name.lower() in _NO_ITEMS
                       for entry in found)
    except OSError:
        return True


def _with_kept(new: tuple[Item, ...], old: tuple[Item, ...], folder: str, all_of_it: bool
               ) -> tuple[Item, ...]:
    """`new` and the items of `old` from `folder` (all, or those not back in it), each where
    it was (_in_old_order). A kept item still hides the other folder's of the same name, as
    head office's hides the centre's (kiosk.core.content.merge): one of each name, as before
    the copy."""
    fresh = set() if all_of_it else {item.id for item in new if _in(item, folder)}
    kept = [item for item in old
            if item.id not in fresh and _in(item, folder)]
    if not kept:
        return new
    names = {item.id.casefold() for item in kept}
    shown = [item for item in new if item.id.casefold() not in names]
    return _in_old_order(shown, kept, old)


def _in_old_order(shown: list[Item] | tuple[Item, ...], kept: list[Item],
                  old: tuple[Item, ...]) -> tuple[Item, ...]:
    """`shown` in the loader's order, with each of `kept` (items of `old`) back where it was in
    `old`: after the item it followed there (the nearest one still shown), among the items
    new since `old` by file name. Not all sorted by name: the colouring page follows
    colouring.yaml, head office's pictures first, and sorted, its pictures (and which twelve
    show) would move about while colouring/ is copied. Where the loader goes by the names
    (stories, posters …), this is their order too."""
    taken = {id(item) for item in kept}
    here = {item.id for item in shown}
    after: dict[str | None, list[Item]] = {}  # by the id of the item each followed in `old`
    anchor: str | None = None
    for item in old:
        if id(item) in taken:
            after.setdefault(anchor, []).append(item)
        elif item.id in here:
            anchor = item.id
    before = {item.id for item in old}
    placed: list[Item] = []
    # A deque: 37,000 kept and as many new names would make popping a list's head quadratic.
    waiting = deque(after.pop(None, []))
    for item in shown:
        if item.id in before:  # one of `old`'s: what followed it there comes next
            placed.extend(waiting)
            waiting = deque(after.pop(item.id, []))
        elif waiting:  # new since: by its name among those waiting
            name = natural_key(item.source.name)
            while waiting and natural_key(waiting[0].source.name) <= name:
                placed.append(waiting.popleft())
        placed.append(item)
    placed.extend(waiting)
    return tuple(placed)


def _sources_among(items: tuple[SourcedItem, ...], paths: set[str]) -> set[str]:
    """Which of `paths` (few) are the sources of `items` (perhaps 37,000): compared by name
    first, as str() of every Path would keep a copy of each path in memory."""
    names = {os.path.basename(path) for path in paths}
    return {source for item in items if item.source.name in names
            if (source := str(item.source)) in paths}


# The content's kiosk.yaml could not be read as a whole (or is a list, not «key: value»
# lines): the last good settings stay (its defaults would change the whole kiosk: languages,
# tags, the queue). A file of this computer: its state, see _settings_broken.
_UNREAD_SETTINGS = frozenset({
    "yaml_syntax", "yaml_alias", "yaml_too_deep", "unreadable", "not_utf8", "file_too_large",
    "parse_too_slow", "parse_too_big", "content_link", "link_outside", "special_file",
    "yaml_number_too_long", "not_a_mapping", "file_is_word", "file_is_utf16", "file_empty",
    "file_incomplete", "file_cut_short"})


def _settings_broken(content: Content) -> bool:
    # A file of this computer says itself whether it was read as a whole ("broken": a YAML
    # mistake, or a list instead of «key: value» lines), whatever its problem's code.
    if any(file.state == "broken" for file in content.settings.files):
        return True
    # The content's kiosk.yaml not read whole, or not seen at all (its folder not listable).
    path, root = str(content.root / "kiosk.yaml"), str(content.root)
    return any(p.is_error and ((p.code in _UNREAD_SETTINGS and p.path == path)
                               or (p.code == "folder_unreadable" and p.path == root))
               for p in content.problems)


def _merge(old: tuple[Item, ...], new: tuple[Item, ...], broken: set[str],
           closed: tuple[str, ...] = ()) -> tuple[Item, ...]:
    """The new items, plus the old version of each item whose new file is broken or lies in
    a folder that could not be listed (`closed`, each ending in a separator), where it was
    (_in_old_order)."""
    if not broken:
        return new
    fresh = {item.id for item in new}
    gone = [item for item in old if item.id not in fresh]  # few: str() only for these
    kept = [item for item in gone
            if (source := str(item.source)) in broken or source.startswith(closed)]
    if not kept:
        return new
    return _in_old_order(new, kept, old)
