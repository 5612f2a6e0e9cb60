"""What the editor's pages show about the content, read by the kiosk's own loader: the merged
content (head office's shared folder + the centre's own), each item with its origin, its
schedule in words and its problems; the check of one story before it is published; hidden.yaml.
No Flask, no Qt."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kiosk.core.content.index import ContentIndex, default_index_path
from kiosk.core.content.loader import ContentLoader, ParseCache, load_content, natural_key
from kiosk.core.content.model import Content, Story
from kiosk.core.content.problems import Language, Problem, ProblemLog
from kiosk.core.content.sandbox import shared_sandbox
from kiosk.core.content.yamlsrc import LineDict, parse_yaml, read_at_most
from kiosk.core.schedules.schedule import ALWAYS, ClosedDays, Schedule
from kiosk.core.schedules.schedule_text import schedule_phrase
from kiosk.core.settings import Settings
from kiosk.editor.config import EditorConfig

HIDDEN_FILE = "hidden.yaml"
_EDITABLE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")  # a centre poster's name the form edits
MAX_HIDDEN_ENTRIES = 1000
GROUPS = (("stories", "Истории", "Stories"), ("pages", "Юбилейные страницы", "Anniversary pages"),
          ("posters", "Плакаты", "Posters"), ("notices", "Объявления", "Notices"),
          ("colouring", "Раскраски", "Colouring pictures"))


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the listing."""

    kind: str  # stories, pages, posters, notices, colouring
    path: str  # from its own folder: «stories/zontik.md»
    title: str
    origin: str  # "shared" or "centre"
    schedule: str  # in words, "" for always
    problems: tuple[Problem, ...] = ()
    slug: str = ""  # a centre story: its name, for the edit link
    shown: bool = True  # False: it has an error and the kiosk does not show it
    urgent: bool = False  # a notice shown as the band on every screen, not as a slide
    picture: str = ""  # the picture file it shows (its thumbnail); "" for none or a clip
    off_screen: str = ""  # its schedule keeps it off the screen now: when it comes, in words
    over: bool = False  # a centre item whose schedule has no day left: a warning to fix
    twin: str = ""  # a centre item named as another: that one's origin (a warning to fix)


@dataclass(frozen=True, slots=True)
class Listing:
    groups: tuple[tuple[str, str, tuple[Row, ...]], ...]  # (kind, heading, rows)
    hidden: tuple[tuple[str, str], ...]  # shared paths hidden on this kiosk, with their titles
    other_problems: tuple[Problem, ...]  # problems of no listed item (settings, folders …)
    errors: int
    warnings: int
    tags: tuple[tuple[str, str], ...] = field(default=())  # kiosk.yaml's tags (ru, en)


class ContentReader:
    """The content as the kiosk would show it, read again at every page the editor answers,
    but parsing only what changed since the last read: the kiosk's own ParseCache, with its
    index in the editor's state folder (one of its own: a kiosk on the same machine tidies
    the texts of its index by what its own process holds). With 37,000 stories the first read
    parses every file (about half a minute); the next ones take under a second."""

    def __init__(self, config: EditorConfig) -> None:
        self.config = config
        self._lock = threading.Lock()  # the cache and its index: one read at a time
        self._cache: ParseCache | None = None

    def load(self) -> Content:
        with self._lock:
            if self._cache is None:
                self._cache = ParseCache(index=ContentIndex.open(
                    self.index_path(), self.config.content, now=time.time()))
            return load_content(self.config.content, cache=self._cache,
                                centre=self.config.centre)

    def index_path(self) -> Path:
        kiosk_name = default_index_path(self.config.content, centre=self.config.centre).name
        return self.config.editor_state / "index" / kiosk_name


def relative(path: str | Path, config: EditorConfig) -> str:
    """A problem's or item's path from its own folder («stories/x.md»)."""
    text = str(path)
    for root in (config.centre, config.content):
        prefix = str(root).rstrip("/") + "/"
        if text.startswith(prefix):
            return text[len(prefix):]
    return os.path.basename(text)


def origin_of(path: str | Path, config: EditorConfig) -> str:
    prefix = str(config.centre).rstrip("/") + "/"
    return "centre" if str(path).startswith(prefix) else "shared"


def listing(content: Content, config: EditorConfig, lang: Language,
            utc: dt.datetime | None = None) -> Listing:
    """Every item the kiosk shows, by kind; `utc` the moment whose schedules are said (now)."""
    local = content.settings.local_time(utc or dt.datetime.now(dt.UTC))
    closed = content.closed_days()
    by_file: dict[str, list[Problem]] = {}
    for problem in content.problems:
        by_file.setdefault(problem.path, []).append(problem)
    used: set[str] = set()

    def row(kind: str, source: Path, title: str, schedule: Schedule, origin: str,
            slug: str = "", picture: Path | None = None) -> Row:
        key = str(source)
        used.add(key)
        return Row(kind, relative(source, config), title, origin,
                   schedule_words(schedule, lang), tuple(by_file.get(key, ())), slug,
                   picture="" if picture is None else str(picture),
                   off_screen=off_screen_words(schedule, local, closed, lang),
                   # Head office's own are theirs to change: not a warning for the centre.
                   over=origin == "centre" and no_day_left(schedule, local))

    def not_shown(kind: str, suffix: str, items: Sequence[Any],
                  title_of: Callable[[Path], str]) -> list[Row]:
        """The centre's files of `kind` with an error, which are not in the content: listed
        all the same, to be fixed."""
        folder = config.centre / kind
        shown = {str(item.source) for item in items}
        found: list[Row] = []
        for name in _names(folder, suffix):
            key = str(folder / name)
            if key not in shown:
                used.add(key)
                stem = name[: -len(suffix)]
                found.append(Row(kind, f"{kind}/{name}", title_of(folder / name) or stem,
                                 "centre", "", tuple(by_file.get(key, ())), stem, shown=False))
        return found

    indexed = _indexed_pictures(config)
    stories = [row("stories", s.source, s.title.get(lang), s.schedule, _origin(s, config),
                   s.id if _origin(s, config) == "centre" else "", s.photo)
               for s in content.stories]
    stories += not_shown("stories", ".md", content.stories, _title_of)
    notices = [replace(row("notices", n.source, n.text.get(lang), n.schedule, _origin(n, config),
                           n.id if _origin(n, config) == "centre" else ""), urgent=n.urgent)
               for n in content.notices]
    notices += not_shown("notices", ".yaml", content.notices, lambda _path: "")
    rows: dict[str, list[Row]] = {
        "stories": stories,
        "pages": [row("pages", p.source, p.title.get(lang), p.schedule, _origin(p, config),
                      picture=p.image) for p in content.pages],
        "posters": [row("posters", p.source, _poster_title(p), p.schedule, _origin(p, config),
                        p.id if _origin(p, config) == "centre" and _EDITABLE.fullmatch(p.id)
                        else "", None if p.is_video_for(False) else p.source)
                    for p in content.posters],
        "notices": notices,
        "colouring": [row("colouring", c.source, c.title.get(lang), ALWAYS, _origin(c, config),
                          _picture_name(c.source, indexed) if _origin(c, config) == "centre"
                          else "", c.source)
                      for c in content.colouring],
    }
    for kind in ("stories", "notices"):
        named = twins(rows[kind])
        if named:
            rows[kind] = [replace(one, twin=named[one.path]) if one.path in named else one
                          for one in rows[kind]]
    other = tuple(p for p in content.problems if p.path not in used)
    # The centre's own first (what staff come to change), by their titles as a list of
    # names is read, «2» before «10» (by their files «Зонт…» came after «Яркий…»); head
    # office's in the kiosk's order.
    groups = tuple((kind, ru if lang == "ru" else en, tuple(sorted(
        rows[kind], key=lambda row: (row.origin != "centre",
                                     natural_key(_title_key(row.title))
                                     if row.origin == "centre" else ""))))
        for kind, ru, en in GROUPS)
    errors = sum(1 for p in content.problems if p.is_error)
    over = sum(1 for kind_rows in rows.values() for one in kind_rows if one.over)
    over += sum(1 for kind_rows in rows.values() for one in kind_rows if one.twin)
    return Listing(groups, tuple((path, hidden_title(config, path))
                                 for path in hidden_entries(config.centre)), other, errors,
                   len(content.problems) - errors + over,
                   tuple(content.settings.tags.items()))


# A group longer than this is shown a page at a time: 37,000 stories in one page were 29 MB of
# HTML that took the browser seconds to lay out, for staff who look for one of them.
PAGE_ROWS = 100
MOST_FIND_CHARS = 200  # what the search box takes (a title is at most 120)
_MOST_FIND_WORDS = 12


@dataclass(frozen=True, slots=True)
class Page:
    """The rows of one group that one page of the listing shows."""

    rows: tuple[Row, ...]
    number: int  # from 1
    pages: int  # at least 1
    total: int  # the group's rows, on every page

    @property
    def first(self) -> int:
        """The number of its first row, from 1 (0 for an empty group)."""
        return (self.number - 1) * PAGE_ROWS + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def page_of(rows: Sequence[Row], number: int) -> Page:
    """Page `number` of `rows` (the nearest page there is for one out of range)."""
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    number = min(max(number, 1), pages)
    start = (number - 1) * PAGE_ROWS
    return Page(tuple(rows[start:start + PAGE_ROWS]), number, pages, len(rows))


def page_holding(rows: Sequence[Row], slug: str) -> int:
    """The page of `rows` on which the row of `slug` is (1 when none is)."""
    for position, row in enumerate(rows):
        if row.slug and row.slug == slug:
            return position // PAGE_ROWS + 1
    return 1


def folded(text: str) -> str:
    """Text as the search compares it: case and «ё» do not matter."""
    return text.casefold().replace("ё", "е")


_WORD = re.compile(r"\w+")


def search_words(find: str) -> tuple[str, ...]:
    """The words of what staff typed into the search box, bounded (punctuation aside)."""
    return tuple(_WORD.findall(folded(find[:MOST_FIND_CHARS]))[:_MOST_FIND_WORDS])


def _found_in(title: str, words: tuple[str, ...]) -> bool:
    """Every one of `words` starts a word of `title` («елка» finds «Ёлка», not «мелками»;
    «7» finds «(7)» and «(70)», not «(47)»)."""
    own = _WORD.findall(folded(title))
    return all(any(word.startswith(part) for word in own) for part in words)


def narrowed(listing: Listing, find: str, problems_only: bool) -> Listing:
    """The listing with only the rows whose title has a word starting with each word of
    `find` (any case, «е» for «ё»), and with `problems_only` only those with a problem or not
    shown. The counts of errors and warnings stay the whole content's."""
    words = search_words(find)
    if not words and not problems_only:
        return listing

    def kept(row: Row) -> bool:
        if problems_only and row.shown and not row.problems and not row.over and not row.twin:
            return False
        return _found_in(row.title, words)

    groups = tuple((kind, heading, tuple(row for row in rows if kept(row)))
                   for kind, heading, rows in listing.groups)
    hidden = tuple((path, title) for path, title in listing.hidden
                   if not problems_only and _found_in(title, words))
    return replace(listing, groups=groups, hidden=hidden)


def _title_key(title: str) -> str:
    return " ".join(folded(title).split())


def same_titled(content: Content, config: EditorConfig, kind: str,
                title: str) -> tuple[str, str] | None:
    """A story (`kind` "stories") or a notice ("notices") already in the content that reads
    as `title` does (case, «ё» and spaces aside): its title and origin ("centre", "shared"),
    or None. A new item of the same title is most often the same one made twice (a second
    window, Back after publishing): shown twice in the loop."""
    wanted = _title_key(title)
    if not wanted:
        return None
    items: Sequence[Any] = content.stories if kind == "stories" else content.notices
    for item in items:
        name = item.title.get("ru") if kind == "stories" else item.text.get("ru")
        if _title_key(name) == wanted:
            return name, _origin(item, config)
    return None


# What the form says of a new item named as one there is already, by whose that one is.
SAME_TITLE = {
    ("stories", "centre"): (
        "Уже есть история с таким названием: «{0}». Если это та же история, откройте её из "
        "списка и измените; если другая — дайте ей другое название, иначе в заставке их "
        "будет две одинаковых.",
        "There is already a story with this title: “{0}”. If it is the same story, open it "
        "from the list and change it; if it is another, give it another title, or the loop "
        "shows two of the same."),
    ("stories", "shared"): (
        "У головного офиса уже есть история с таким названием: «{0}», и киоск её показывает. "
        "Если это та же история, добавлять её не нужно; если другая — дайте ей другое "
        "название.",
        "Head office already has a story with this title: “{0}”, and the kiosk shows it. If "
        "it is the same story, there is no need to add it; if it is another, give it another "
        "title."),
    ("notices", "centre"): (
        "Такое объявление уже есть: «{0}». Если нужно его изменить, откройте его из списка, а "
        "не добавляйте второе: киоск покажет оба.",
        "This notice is there already: “{0}”. To change it, open it from the list rather "
        "than add a second one: the kiosk would show both."),
    ("notices", "shared"): (
        "Такое объявление уже есть у головного офиса: «{0}», и киоск его показывает. "
        "Добавлять его ещё раз не нужно.",
        "Head office already has this notice: “{0}”, and the kiosk shows it. There is no need "
        "to add it again."),
}


def twins(rows: Sequence[Row]) -> dict[str, str]:
    """The centre's rows (by path) named as another row of the same list (case, «ё» and
    spaces aside), with the other's origin: the loop shows them twice."""
    seen: dict[str, list[Row]] = {}
    for row in rows:
        key = _title_key(row.title)
        if key:
            seen.setdefault(key, []).append(row)
    found: dict[str, str] = {}
    for same in seen.values():
        if len(same) > 1:
            for row in same:
                if row.origin == "centre":
                    others = [other.origin for other in same if other is not row]
                    found[row.path] = "shared" if "shared" in others else "centre"
    return found


def shared_titles(content: Content, config: EditorConfig, lang: Language) -> dict[str, str]:
    """What the listing calls each of head office's items, by path: made once for a page
    naming many of them (a listing for each of a record's 500 hidden items was their
    square)."""
    titles: dict[str, str] = {}
    for _kind, _heading, rows in listing(content, config, lang).groups:
        for row in rows:
            if row.origin == "shared":
                titles.setdefault(row.path, row.title or row.path)
    return titles


def shared_title(content: Content, config: EditorConfig, path: str, lang: Language,
                 titles: Mapping[str, str] | None = None) -> str:
    """What the listing calls head office's item `path` («stories/umbrella.md»): its title,
    a notice's text, a poster's name; for one hidden (not in `content`), a story's title as
    its file gives it; else the path. `titles`: shared_titles, made already."""
    found = (shared_titles(content, config, lang) if titles is None else titles).get(path)
    return hidden_title(config, path) if found is None else found


# A head-office file named in hidden.yaml whose title may be read: a story's or a poster's own
# name in its folder (nothing that climbs out of it: hidden.yaml is the centre's file).
_TITLED = re.compile(r"(stories|posters|notices|colouring)/[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
_MOST_COLOURING_ENTRIES = 200  # colouring.yaml's list looked through for a hidden picture


def hidden_title(config: EditorConfig, path: str) -> str:
    """The title of a head-office item hidden on this kiosk (not in the content any more),
    as far as its file gives one: a story's title, a poster's name, a notice's text; else its
    path."""
    if not _TITLED.fullmatch(path) or ".." in path:
        return path
    if path.endswith(".md"):
        return _title_of(config.content / path) or path
    if path.startswith("posters/"):
        stem = path.removeprefix("posters/").split(".")[0]
        return _side_file_name(config.content / "posters" / f"{stem}.yaml") or path
    if path.startswith("notices/") and path.endswith(".yaml"):
        return _notice_text(config.content / path) or path
    if path.startswith("colouring/"):
        return _colouring_title(config.content, path.removeprefix("colouring/")) or path
    return path


def _colouring_title(root: Path, name: str) -> str:
    """A colouring picture's title as head office's colouring.yaml gives it ("" if none):
    read within the loader's bounds, its aliases refused (kiosk.core.content.yamlsrc)."""
    text = _file_text(root / "colouring" / "colouring.yaml")
    data = None if text is None else parse_yaml(text, ProblemLog("", []))
    if not isinstance(data, list):
        return ""
    for entry in data[:_MOST_COLOURING_ENTRIES]:
        if isinstance(entry, dict) and entry.get("file") == name:
            title = entry.get("title")
            return title.strip()[:120] if isinstance(title, str) else ""
    return ""


def _file_text(path: Path) -> str | None:
    try:
        data, _ = read_at_most(path)
    except OSError:
        return None
    return data.decode("utf-8", "replace")


def _notice_text(path: Path) -> str:
    """A notice file's text, as far as it can be read ("" if none)."""
    from kiosk.editor.story_form import from_notice_file
    text = _file_text(path)
    return "" if text is None else from_notice_file(path.stem, text).text


def _title_of(path: Path) -> str:
    """The title a story file gives, as far as it can be read ("" if none)."""
    from kiosk.editor.story_form import from_story_file
    text = _file_text(path)
    return "" if text is None else from_story_file(path.stem, text).title


def _poster_title(poster: Any) -> str:
    """The name the editor wrote in a poster's side file («# Афиша»), else the file's."""
    return _side_file_name(poster.source.with_name(f"{poster.id}.yaml")) or str(poster.id)


def _side_file_name(side: Path) -> str:
    """The name in a poster's side file's first line («# Афиша»); "" for none."""
    from kiosk.editor.poster_form import poster_name

    try:
        data, _ = read_at_most(side, 4096)
    except OSError:
        return ""
    return poster_name(data.decode("utf-8", "replace"))


def _picture_name(source: Path, indexed: set[str]) -> str:
    """A centre's colouring picture the editor can rename or remove: one it would have made
    («domik.png») and its colouring.yaml lists (`indexed`), by its name without .png; ""
    for another (a picture copied in by hand has nothing there to rename)."""
    from kiosk.editor.colouring_views import PICTURE_NAME

    name = Path(source).name
    stem = name.removesuffix(".png")
    return stem if name in indexed and name.endswith(".png") and PICTURE_NAME.match(stem) \
        else ""


def _indexed_pictures(config: EditorConfig) -> set[str]:
    """The files the centre's colouring/colouring.yaml lists (none where it is unreadable)."""
    from kiosk.editor.colouring_views import index_entries

    try:
        data, _ = read_at_most(config.centre / "colouring" / "colouring.yaml")
    except OSError:
        return set()
    return {entry["file"] for entry in index_entries(data) or ()}


def _origin(item: Any, config: EditorConfig) -> str:
    origin = getattr(item, "origin", None)
    return str(origin) if origin in ("shared", "centre") else origin_of(item.source, config)


def _names(folder: Path, suffix: str) -> list[str]:
    try:
        with os.scandir(folder) as found:
            return sorted(e.name for e in found if e.name.endswith(suffix)
                          and not e.name.startswith(".") and e.is_file(follow_symlinks=False))
    except OSError:
        return []


def taken_story_names(content: Content, config: EditorConfig) -> set[str]:
    """Every story name in either folder: a new story's name must differ from all of them."""
    names = {s.id.lower() for s in content.stories}
    names |= {n[:-3].lower() for n in _names(config.centre / "stories", ".md")}
    names |= {n[:-3].lower() for n in _names(config.content / "stories", ".md")}
    return names


def taken_notice_names(content: Content, config: EditorConfig) -> set[str]:
    names = {n.id.lower() for n in content.notices}
    for root in (config.centre, config.content):
        names |= {n.rsplit(".", 1)[0].lower() for n in _names(root / "notices", ".yaml")}
        names |= {n.rsplit(".", 1)[0].lower() for n in _names(root / "notices", ".yml")}
    return names


def check_story(config: EditorConfig, settings: Settings, slug: str,
                text: str, draft_photo: tuple[str, Path] | None = None
                ) -> tuple[Story | None, list[Problem]]:
    """The kiosk's loader on this story text as if it were `stories/<slug>.md` of the centre
    folder (its photo looked for in the centre's images/), without writing it there: the text
    is read from a private scratch file in the editor's state folder. `draft_photo`: a photo
    not published yet (`images/<name>.jpg`, the file it is in now), looked for there instead:
    the loader then reads a scratch folder that holds only that photo."""
    scratch = config.editor_state / "scratch"
    scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix="story-", suffix=".md", dir=scratch)
    root = config.centre
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        if draft_photo is not None:
            root = Path(tempfile.mkdtemp(prefix="photo-", dir=scratch))
            (root / "images").mkdir()
            shutil.copyfile(draft_photo[1], root / draft_photo[0])
        loader = ContentLoader(root, sandbox=shared_sandbox())
        # The loader's own reading of one story (as `_read_stories` does in its workers).
        story = loader._guarded(name, lambda p: loader._load_story(p, settings))
    finally:
        os.unlink(name)
        if root != config.centre:
            shutil.rmtree(root, ignore_errors=True)
    target = str(config.centre / "stories" / f"{slug}.md")
    problems = [Problem(target if p.path == name else
                        str(config.centre / Path(p.path).relative_to(root))
                        if Path(p.path).is_relative_to(root) else p.path,
                        p.line, p.severity, p.code, p.args) for p in loader.problems]
    return story, problems


def check_notice(config: EditorConfig, slug: str, text: str) -> list[Problem]:
    """The kiosk's loader on this notice text as if it were `notices/<slug>.yaml` of the
    centre folder, read from a private scratch file (as check_story)."""
    scratch = config.editor_state / "scratch"
    scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix="notice-", suffix=".yaml", dir=scratch)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        loader = ContentLoader(config.centre, sandbox=shared_sandbox())
        loader._guarded(name, loader._load_notice)
    finally:
        os.unlink(name)
    target = str(config.centre / "notices" / f"{slug}.yaml")
    return [Problem(target if p.path == name else p.path, p.line, p.severity, p.code, p.args)
            for p in loader.problems]


def taken_poster_names(config: EditorConfig) -> set[str]:
    """Every poster name in either folder («a» of «a.png», «a.portrait.png», «a.yaml»)."""
    names: set[str] = set()
    for root in (config.centre, config.content):
        for name in _names(root / "posters", ""):
            stem = name.rsplit(".", 1)[0].lower() if "." in name else name.lower()
            names.add(stem.removesuffix(".portrait"))
    return names


def check_poster(config: EditorConfig, settings: Settings, slug: str, side_text: str,
                 pictures: dict[str, Path]) -> list[Problem]:
    """The kiosk's loader on a poster as if it were `posters/<slug>…` of the centre folder:
    its pictures (file name in posters/ → where the bytes are now) and its side file
    (`side_text`, none when "") copied into a private scratch folder, read there with the
    picture sizes taken from their headers (for the shape warnings `kiosk check` gives)."""
    from kiosk.core.content.imagesafe import picture_size
    from kiosk.core.content.loader import ImageCheck

    def sizes(path: Path) -> ImageCheck:
        try:
            with open(path, "rb") as file:
                return ImageCheck(size=picture_size(file.read(MAX_POSTER_HEADER)))
        except OSError:
            return ImageCheck()

    scratch = config.editor_state / "scratch"
    scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = Path(tempfile.mkdtemp(prefix="poster-", dir=scratch))
    try:
        folder = root / "posters"
        folder.mkdir()
        for name, source in pictures.items():
            shutil.copyfile(source, folder / name)
        if side_text:
            (folder / f"{slug}.yaml").write_text(side_text, encoding="utf-8")
        loader = ContentLoader(root, sizes, sandbox=shared_sandbox())
        loader._load_posters(settings)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return [Problem(str(config.centre / Path(p.path).relative_to(root))
                    if Path(p.path).is_relative_to(root) else p.path,
                    p.line, p.severity, p.code, p.args) for p in loader.problems]


MAX_POSTER_HEADER = 1024 * 1024  # a JPEG's size is in its first few KB (after its EXIF)


def hidden_entries(centre: Path, broken: list[str] | None = None) -> tuple[str, ...]:
    """hidden.yaml's `hide:` list (what it can be read of: the loader names its mistakes).
    When the file is there but cannot be read whole as a `hide:` list of paths, why is added
    to `broken` (in English, for the log): the editor must not write it over."""
    problems = broken if broken is not None else []
    try:
        data, _ = read_at_most(centre / HIDDEN_FILE)
    except FileNotFoundError:
        return ()
    except OSError as error:
        problems.append(f"cannot be read ({error})")
        return ()
    return hidden_in(data, problems)


def hidden_in(data: bytes, problems: list[str]) -> tuple[str, ...]:
    """The `hide:` list of hidden.yaml's bytes `data` (hidden_entries; the undo's page reads
    the file's versions from the history)."""
    from kiosk.core.content.yamlsrc import MAX_TEXT_BYTES

    if len(data) > MAX_TEXT_BYTES:
        problems.append("too large")
    log = ProblemLog(HIDDEN_FILE, [])
    parsed = parse_yaml(data.decode("utf-8", "replace"), log)
    if parsed is None and data.strip():
        problems.append("not valid YAML")
    elif parsed is not None and not isinstance(parsed, dict):
        problems.append("not a mapping with hide:")
    hide = parsed.get("hide") if isinstance(parsed, dict) else None
    if isinstance(hide, str):
        hide = [hide]
    if hide is not None and not isinstance(hide, list):
        problems.append("hide: is not a list")
    if not isinstance(hide, list):
        return ()
    if not all(isinstance(e, str) for e in hide) or len(hide) > MAX_HIDDEN_ENTRIES:
        problems.append("hide: has entries that are not paths")
    return tuple(dict.fromkeys(str(e).strip() for e in hide[:MAX_HIDDEN_ENTRIES]
                               if isinstance(e, str) and e.strip()))


def hidden_text(entries: Sequence[str]) -> bytes:
    """hidden.yaml as the editor writes it."""
    lines = ["# Общие материалы головного офиса, скрытые на этом киоске.",
             "# Файл пишет редактор киоска («Скрыть на этом киоске»); путь — от общей папки.",
             "hide:" if entries else "hide: []"]
    lines += [f"  - {_yaml_string(entry)}" for entry in entries]
    return ("\n".join(lines) + "\n").encode()


def _yaml_string(value: str) -> str:
    import json
    return json.dumps(value, ensure_ascii=False)


def showing(schedule: Schedule, local: dt.datetime, closed: ClosedDays | None
            ) -> tuple[str, dt.date | None]:
    """When the kiosk shows an item of this schedule, at the centre's wall-clock time
    `local`: ("now", None) on screen at this moment; ("later", day) from `day` (today: at its
    hours; None: near closed days kiosk.yaml does not list yet, so not known); ("never",
    None) no day of it is left. The publish's message and the listing say it."""
    if schedule.active(local, closed):
        return "now", None
    day = schedule.first_day_from(local.date(), closed)
    if day == local.date() and schedule.first_day_ahead(local, closed) is None:
        return "never", None  # its last day, and that day's hours are over
    if day is None and schedule.uses_closed_days:
        return "later", None
    return ("later", day) if day is not None else ("never", None)


def no_day_left(schedule: Schedule, local: dt.datetime) -> bool:
    """The schedule has nothing left to show from the wall-clock time `local` on (dates all
    past, today's hours over, or dates the wrong way round): the kiosk will not show its item
    again. One near closed days is never said to be over: those days may still be added to
    kiosk.yaml. `local` is passed in: the loader's problems are cached by file, so a day
    going by cannot be one of them."""
    return schedule != ALWAYS and not schedule.uses_closed_days \
        and schedule.first_day_ahead(local) is None


def off_screen_words(schedule: Schedule, local: dt.datetime, closed: ClosedDays | None,
                     lang: Language) -> str:
    """"" for an item on screen at `local`; else when its schedule brings it: «сейчас не на
    экране: появится 1 марта 2027», «…: в другие часы», «дней показа не осталось»."""
    from kiosk.core.i18n import format_date

    if schedule == ALWAYS:  # most items: no schedule to work out
        return ""
    when, day = showing(schedule, local, closed)
    ru = lang == "ru"
    if when == "now":
        return ""
    if when == "never":
        return "дней показа не осталось" if ru else "no day of it is left"
    if day is None:
        return "сейчас не на экране" if ru else "not on screen now"
    if day == local.date():
        return "сейчас не на экране: в другие часы" if ru else "not on screen now: other hours"
    return (f"сейчас не на экране: появится {format_date(day, 'ru')}" if ru
            else f"not on screen now: from {format_date(day, 'en')}")


def schedule_in(text: str) -> Schedule:
    """The schedule of a story file («---» front matter) or a YAML side file."""
    from kiosk.core.schedules.schedule import parse_schedule

    if text.startswith("---"):
        text = text[3:].split("\n---", 1)[0]
    log = ProblemLog("", [])
    fields = parse_yaml(text, log)
    return parse_schedule(fields, log) if isinstance(fields, LineDict) else ALWAYS


def schedule_words(schedule: Schedule, lang: Language) -> str:
    """«только в августе, по будням, с 8:00 до 12:00» (kiosk.core.schedules.schedule_text, as the
    preview says it, without its «показывается»); "" for an item shown always."""
    if schedule == ALWAYS:
        return ""
    phrase = schedule_phrase(schedule, lang)
    return phrase.removeprefix("показывается ").removeprefix("shown ")
