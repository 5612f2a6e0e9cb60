"""Head office's shared content and the centre's own, side by side: the rule that merges them.

Head office syncs its folder (`--content`, /srv/kiosk/content) with `rsync --delete`; the
centre keeps its own folder beside it (`--centre`, /srv/kiosk/centre), which no sync touches.
The rule (docs/content-format.md, «Папка центра»):

- the centre's folder may hold stories/, notices/, posters/, images/, colouring/ and
  hidden.yaml; anniversary/ and kiosk.yaml are head office's (a warning says where they belong);
- the centre's items are added to head office's, each marked `origin="centre"`;
- a centre file of the same name as a shared one does not replace it (a warning names both);
  hiding the shared one (hidden.yaml) lets the centre's show instead;
- hidden.yaml's `hide:` list of shared paths («stories/birthday.md») hides shared items; an
  entry naming nothing is told, with the nearest name;
- each folder's paths stay inside that folder (a centre story's photo is in the centre's
  images/); tags and settings are head office's kiosk.yaml and this computer's;
- the colouring screen's twelve pictures count both folders, head office's first.

Pure functions over what the loader read (kiosk.core.content.loader reads both folders).
"""

from __future__ import annotations

import bisect
import os
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from kiosk.core.content.model import ColouringPicture, Content, Notice, Poster, Story
from kiosk.core.content.problems import Problem, ProblemLog, typed
from kiosk.core.content.yamlsrc import LineDict
from kiosk.core.settings import suggest

SHARED = "shared"
CENTRE = "centre"
ORIGINS = (SHARED, CENTRE)
HIDDEN_FILE = "hidden.yaml"
# What the centre's folder may hold (besides README files).
CENTRE_FOLDERS = ("stories", "notices", "posters", "images", "colouring")
CENTRE_ENTRIES = (*CENTRE_FOLDERS, HIDDEN_FILE, "README.txt", "README.md")
# Head office's alone: named when found in the centre's folder, and never hidden.
HEAD_OFFICE_ONLY = {"kiosk.yaml": "centre_settings", "anniversary": "centre_anniversary"}
MAX_COLOURING = 12  # the colouring screen's pictures (kiosk.ui.colouring.picker)
MAX_HIDES = 1000  # entries of hidden.yaml read (an untrusted file)
# Hide entries given a nearest name: each is compared with every shared path of its folder
# (~1 s for 37,000 stories; the answer is kept for the next loads).
MAX_SUGGESTED = 3

ORIGIN_LABELS = {SHARED: ("общие", "shared"), CENTRE: ("центр", "centre")}


@dataclass(frozen=True)
class CentreContent:
    """What the loader read from the centre's folder, before the merge."""

    root: Path
    stories: tuple[Story, ...] = ()
    colouring: tuple[ColouringPicture, ...] = ()
    posters: tuple[Poster, ...] = ()
    notices: tuple[Notice, ...] = ()
    hide: tuple[tuple[str, int | None], ...] = ()  # each entry of hidden.yaml and its line
    hidden_file: Path | None = None


class SourcedItem(Protocol):
    """An item of the content read from a file of its own (a story, a notice …)."""

    @property
    def id(self) -> str: ...

    @property
    def source(self) -> Path: ...


Item = TypeVar("Item", bound=SourcedItem)


def check_centre_entries(root: Path, names: list[str], problems: list[Problem]) -> None:
    """The centre folder's own entries: head office's files named as such, others as unknown."""
    for name in names:
        if name in CENTRE_ENTRIES:
            continue
        log = ProblemLog(str(root / name), problems)
        code = HEAD_OFFICE_ONLY.get(name) or HEAD_OFFICE_ONLY.get(name.lower())
        if code is not None:
            log.warning(code, None, value=name)
        else:
            log.warning("unknown_entry", None, value=name, suggest=suggest(name, CENTRE_ENTRIES))


def hide_entries(data: Any, log: ProblemLog) -> tuple[tuple[str, int | None], ...]:
    """hidden.yaml as parsed: `hide:` a list of shared paths (or one path)."""
    if data is None:
        return ()
    if not isinstance(data, LineDict):
        log.error("not_a_mapping", 1, found=type(data).__name__)
        return ()
    for key in data:
        if key != "hide":
            log.warning("unknown_key", data.line_of(key), key=str(key),
                        suggest=suggest(str(key), ["hide"])
                        if log.shows_next("unknown_key") else "")
    value = data.get("hide")
    line = data.line_of("hide")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        log.error("wrong_type", line, key="hide", expected="list", value=typed(value),
                  default="nothing")
        return ()
    entries: list[tuple[str, int | None]] = []
    for entry in value[:MAX_HIDES]:
        if isinstance(entry, str | int | float) and str(entry).strip():
            entries.append((str(entry).strip(), line))
        else:
            log.warning("wrong_type", line, key="hide", expected="text", value=typed(entry),
                        default="nothing")
    return tuple(entries)


def _relative(source: Path) -> str:
    """An item's path from its content folder: items are always one folder deep. Text
    operations, not pathlib's (37,000 stories)."""
    text = str(source)
    cut = text.rfind("/", 0, text.rfind("/"))
    return text[cut + 1:]


def _normal(entry: str) -> str:
    """A hide entry as compared: Windows slashes, «./», case (a Windows share ignores it)."""
    text = entry.replace("\\", "/").strip().strip("/")
    while text.startswith("./"):
        text = text[2:]
    return _folded(text)


def _folded(path: str) -> str:
    """`path` whatever its case and the Unicode form of its letters: a name macOS wrote («й» as
    «и» and a breve) and the same name typed are one."""
    return unicodedata.normalize("NFC", path.casefold())


def merge(shared: Content, centre: CentreContent, problems: list[Problem]) -> Content:
    """`shared` (head office's items) with the centre's added, hidden ones taken out, by the
    rule above; the rule's own problems go to `problems`."""
    kinds: list[tuple[str, tuple[Any, ...], tuple[Any, ...]]] = [
        ("stories", shared.stories, centre.stories),
        ("notices", shared.notices, centre.notices),
        ("posters", shared.posters, centre.posters),
        ("colouring", shared.colouring, centre.colouring),
    ]
    # Each shared item by its path from the shared folder (a poster by its portrait one too).
    by_path: dict[str, Any] = {}
    written: dict[str, str] = {}  # each of those paths as it is written, for suggestions
    if centre.hide:
        for _, items, _ in kinds:
            for item in items:
                for source in (item.source, getattr(item, "portrait", None)):
                    if source is not None:
                        path = _relative(source)
                        by_path[key := _folded(path)] = item
                        written[key] = path
    hidden: set[int] = set()  # id() of each hidden item
    by_stem: dict[str, Any] | None = None  # «stories/birthday»: made when first asked
    hide_log = ProblemLog(str(centre.hidden_file or centre.root / HIDDEN_FILE), problems)
    suggested = 0
    for entry, line in centre.hide:
        key = _normal(entry)
        folder = key.partition("/")[0]
        if key in HEAD_OFFICE_ONLY or folder in HEAD_OFFICE_ONLY:
            hide_log.warning("hide_not_allowed", line, value=entry)
            continue
        found = by_path.get(key)
        if found is None and "/" in key and "." not in key.rpartition("/")[2]:
            # «stories/birthday»: the file's name without its ending
            if by_stem is None:
                by_stem = {path.rpartition(".")[0]: item for path, item in by_path.items()}
            found = by_stem.get(key)
        if found is not None:
            hidden.add(id(found))
            continue
        near = ""
        if suggested < MAX_SUGGESTED:
            suggested += 1
            same = tuple(path for path in written.values()
                         if path.partition("/")[0].casefold() == folder)
            near = suggest(entry.replace("\\", "/").strip(), same or tuple(written.values()))
        hide_log.warning("hide_unknown", line, value=entry, suggest=near)
    from kiosk.core.content.loader import natural_key  # here: the loader imports this module

    merged: dict[str, tuple[Any, ...]] = {}
    for name, mine, theirs in kinds:
        shown = tuple(item for item in mine if id(item) not in hidden) if hidden else mine
        added = _added(name, shown, theirs, problems)
        if name == "colouring":
            merged[name] = (*shown, *added)  # head office's first: the screen shows twelve
        elif added:
            # Into head office's, already in the order of the file names: a few keys worked
            # out for each of the centre's, not one for each of 37,000 stories.
            def order(item: Any) -> str:
                return natural_key(item.source.name)

            placed = list(shown)
            for item in sorted(added, key=order):
                placed.insert(bisect.bisect_right(placed, order(item), key=order), item)
            merged[name] = tuple(placed)
        else:
            merged[name] = shown
    colouring = merged["colouring"]
    for picture in colouring[MAX_COLOURING:]:  # the loader leaves the count to the merge
        centres = picture.origin == CENTRE
        ProblemLog(str(picture.source), problems).warning(
            "colouring_over_limit" if centres else "colouring_too_many", None,
            value=picture.source.name, most=str(MAX_COLOURING),
            count=str(len(colouring) if centres else len(shared.colouring)))
    return replace(shared, stories=merged["stories"], notices=merged["notices"],
                   posters=merged["posters"], colouring=colouring, centre=centre.root,
                   hidden=frozenset(str(item.source) for _, items, _ in kinds
                                    for item in items if id(item) in hidden)
                   if hidden else frozenset())


def _added(folder: str, shown: tuple[Item, ...], theirs: tuple[Item, ...],
           problems: list[Problem]) -> tuple[Item, ...]:
    """The centre's items of one kind that show: not one of the same name as a shared item
    still shown (that one stays, and staff hear how to replace it); each marked centre's."""
    if not theirs:
        return ()
    taken = {item.id.casefold(): item for item in shown}
    added: list[Item] = []
    for item in theirs:
        other = taken.get(item.id.casefold())
        if other is not None:
            ProblemLog(str(item.source), problems).warning(
                "centre_same_name", None, value=f"{folder}/{item.source.name}",
                other=str(other.source), hide=_relative(other.source))
            continue
        added.append(replace(item, origin=CENTRE))  # type: ignore[type-var]
    return tuple(added)


def origin_of(content: Content, path: str) -> str:
    """Which folder a problem's file is in: "centre", "shared", or "" (this computer's
    settings, or a content read without a centre folder)."""
    if content.centre is None:
        return ""
    for origin, root in ((CENTRE, content.centre), (SHARED, content.root)):
        base = os.path.join(os.path.abspath(root), "")
        if os.path.abspath(path).startswith(base) or os.path.abspath(path) == base[:-1]:
            return origin
    return ""


def origin_label(origin: str, lang: str = "ru") -> str:
    """«центр» / «общие», as staff read it beside a path."""
    ru, en = ORIGIN_LABELS.get(origin, ("", ""))
    return en if lang == "en" else ru


_KINDS = ("stories", "notices", "posters", "colouring")


def origin_counts(content: Content) -> dict[str, Any]:
    """`kiosk check --format json`: the centre's folder and how many items each folder gave."""
    counts = {origin: dict.fromkeys(_KINDS, 0) for origin in ORIGINS}
    counts[SHARED]["pages"] = len(content.pages)  # the anniversary history: head office's
    for kind in _KINDS:
        for item in getattr(content, kind):
            counts[CENTRE if item.origin == CENTRE else SHARED][kind] += 1
    return {"centre": str(content.centre) if content.centre is not None else None,
            "by_origin": counts}


def origin_lines(content: Content, lang: str = "ru") -> list[str]:
    """`kiosk check`: what head office's folder and the centre's each gave (nothing without
    a centre folder)."""
    if content.centre is None:
        return []
    counts = origin_counts(content)["by_origin"]
    if not content.centre.is_dir():
        return [f"The centre's own folder {content.centre} is not there: head office's content "
                f"alone is shown." if lang == "en" else
                f"Папки материалов центра {content.centre} нет: показаны только общие "
                f"материалы головного офиса."]
    lines = []
    for origin, root in ((SHARED, content.root), (CENTRE, content.centre)):
        n = counts[origin]
        if lang == "en":
            name = "Head office's shared content" if origin == SHARED else "The centre's own"
            lines.append(f"{name} ({root}): stories: {n['stories']}, notices: {n['notices']}, "
                         f"posters: {n['posters']}, colouring pictures: {n['colouring']}.")
        else:
            name = "Общие материалы головного офиса" if origin == SHARED \
                else "Материалы центра"
            lines.append(f"{name} ({root}): историй: {n['stories']}, объявлений: "
                         f"{n['notices']}, плакатов: {n['posters']}, картинок для раскраски: "
                         f"{n['colouring']}.")
    return lines
