"""Read a content folder into a Content, logging every problem and skipping broken items.

Nothing here raises on bad content: whatever staff put in the folder, the kiosk gets the items
that are sound plus a list of problems worded for them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import stat
import struct
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.core import hashes
from kiosk.core.content.clipfile import VIDEO_SUFFIXES, is_video
from kiosk.core.content.imagesafe import (
    KIND_NAMES,
    KIND_SUFFIX,
    MAX_IMAGE_BYTES,
    MAX_SVG_BYTES,
    ImageFileError,
    file_head,
    kind_problem,
    raster_problem,
    read_image_file,
    safe_svg_file,
    sniff,
)
from kiosk.core.content.index import ContentIndex, IndexEntry, Stamp, kept_story, slim_path
from kiosk.core.content.kept import (
    NotKept,
    decode_picture,
    decode_yaml,
    encode_picture,
    encode_yaml,
)
from kiosk.core.content.model import (
    AnniversaryPage,
    ColouringPicture,
    Content,
    Notice,
    Poster,
    Story,
    Text,
    tags_in_use,
)
from kiosk.core.content.notices import (
    LONG_CHARS,
    MOST_CHARS,
    MOST_URGENT_SHOWN,
    WORD_MOST,
    longest_word,
    parse_level,
)
from kiosk.core.content.poster_shape import shape_problem
from kiosk.core.content.problems import (
    MAX_PER_FILE_AND_CODE,
    Problem,
    ProblemLog,
    Severity,
    cap_problems,
    clean_shown,
    shows_anything,
    typed,
)
from kiosk.core.content.sandbox import ParseRunaway, ParseSandbox, shared_sandbox
from kiosk.core.content.sources import (
    markdown_source,
    read_markdown,
    read_text,
    read_yaml,
    yaml_source,
)
from kiosk.core.content.teaser import TEASER_MAX_WORDS
from kiosk.core.content.winnames import (
    forbidden_characters,
    shown_name,
    troubled,
    windows_trouble,
)
from kiosk.core.content.yamlsrc import (
    MAX_TEXT_BYTES,
    LineDict,
    MarkdownFile,
    read_at_most,
)
from kiosk.core.lazyre import LazyPattern
from kiosk.core.machine import SettingsPath, with_machine_settings
from kiosk.core.schedules.schedule import (
    ALWAYS,
    SCHEDULE_EXAMPLES,
    SCHEDULE_FIELDS,
    Schedule,
    parse_schedule,
    read_date,
    schedule_field_for,
)
from kiosk.core.settings import (
    MAX_TAGS,
    Settings,
    as_flag,
    as_number,
    parse_settings,
    suggest,
)

if TYPE_CHECKING:  # a centre's own folder only (imported where it is read)
    from kiosk.core.content.merge import CentreContent

SETTINGS_FILE = "kiosk.yaml"
ANNIVERSARY_DIR = "anniversary"
STORIES_DIR = "stories"
COLOURING_DIR = "colouring"
COLOURING_INDEX = "colouring.yaml"
POSTERS_DIR = "posters"
NOTICES_DIR = "notices"
NOTICE_SUFFIXES = (".yaml", ".yml")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
# Files staff may keep in the folders without the kiosk complaining about them.
IGNORED_SUFFIXES = (".yaml", ".yml", ".txt", ".md", ".ini")
KNOWN_ENTRIES = (SETTINGS_FILE, ANNIVERSARY_DIR, STORIES_DIR, COLOURING_DIR, POSTERS_DIR, "images",
                 "README.txt", "README.md", NOTICES_DIR)
DURATION_RANGE = (3.0, 120.0)
COLOURING_MOST = 12  # pictures the colouring screen shows; more would each be too small
# Files found in a folder of texts that the kiosk does not read (kiosk check names each).
WORD_SUFFIXES = (".docx", ".doc", ".docm", ".dotx", ".rtf", ".odt", ".pages", ".wps")
PICTURE_SUFFIXES = (*IMAGE_SUFFIXES, ".heic", ".heif", ".gif", ".webp", ".bmp", ".tif",
                    ".tiff")
STRAY_IGNORED = ("readme.txt", "readme.md", "thumbs.db", "desktop.ini")
# What Windows, macOS and office programs leave beside staff's files, besides dot names
# (.DS_Store, macOS's «._name», rsync's and LibreOffice's temporary and lock files, .git):
# thumbnail caches, folder settings, a USB stick's recycle bin, Word's lock and temporary
# files, a Mac zip's folder. Nobody put them there on purpose and nobody can act on them.
_LEFT_BY_SYSTEM = frozenset(("thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini",
                             "$recycle.bin", "recycler", "recycled", "system volume information",
                             "__macosx", "icon\r"))
# A file still on its way: WinSCP's, Chrome's, Firefox's and curl's, old Edge's, Safari's.
_IN_TRANSFER = (".filepart", ".crdownload", ".part", ".partial", ".download")


def _emptied(path: Path) -> bool:
    """Whether a file holds nothing but blanks (and a byte-order mark): hidden.yaml emptied to
    hide nothing, which the editor never leaves half-written (it writes a copy, then renames).
    Any other text file empty is one caught mid-copy (kiosk.core.content.sources.read_text)."""
    try:
        head, _size = read_at_most(path, 64)
    except OSError:  # NotRegularFile is one too
        return False  # the full read says what is wrong with it
    return len(head) <= 64 and not head.removeprefix(b"\xef\xbb\xbf").strip()


def left_by_system(name: str) -> bool:
    """Whether `name` is a file or folder an operating system or a program left (see above),
    which the kiosk passes over without a word. Cheap: called for each of 37,000 stories."""
    first = name[:1]
    if first == ".":
        return True
    if first == "~":  # «~$Отчёт.docx» (Word's lock), «~WRL0001.tmp» (Word's temporary copy)
        return name[1:2] == "$" or name.lower().endswith(".tmp")
    lower = name.lower()
    if lower.endswith(_IN_TRANSFER):  # the file itself comes under its own name when done
        return True
    return len(name) <= 25 and lower in _LEFT_BY_SYSTEM


# rsync's temporary copy «.a.md.Xy12Ab», renamed to «a.md» once whole, and the folder
# --delay-updates fills before renaming everything at the end.
_RSYNC_TEMP = LazyPattern(r"\..+\.[A-Za-z0-9]{6}|\.~tmp~")


def being_copied(name: str) -> bool:
    """Whether `name` (never read: left_by_system) is a copy's temporary file or folder, so
    that a change in it means a copy is still under way and the folder has not settled."""
    return name.lower().endswith(_IN_TRANSFER) or _RSYNC_TEMP.fullmatch(name) is not None


# What one text (a story's or page's, in one language) may hold, so that laying it out and
# paging it costs the screen well under 0.1 s (a 250 KB text of «>>>…», one «word», took
# 2.3 s on the UI thread each time it was opened, and `kiosk check` 97 s). The longest real
# text is 1.5 KB and 9 lines, its longest word 18 letters; the worst text inside these limits
# takes ~50 ms at 1080p in large type (docs/content-format.md, «Limits»).
MAX_BODY_BYTES = 16 * 1024
MAX_BODY_LINES = 500
MAX_WORD_CHARS = 100
MAX_BODY_DEPTH = 8  # quotes (>) and lists one inside another
PARALLEL_FROM = 4000  # stories: fewer are read in this process (starting workers costs ~1 s)
PARALLEL_CHUNK = 2000

T = TypeVar("T")


@dataclass(frozen=True)
class ImageCheck:
    """What an image decoder found: ok, or a problem code with a detail for the message."""

    problem: str = ""
    detail: str = ""
    warning: bool = False  # shown all the same (a small photo), but worth telling staff
    size: tuple[int, int] | None = None  # width and height as shown (EXIF rotation applied)

    @property
    def ok(self) -> bool:
        return not self.problem or self.warning


ImageProbe = Callable[[Path], ImageCheck]
# Says whether a colouring picture is line art a child can colour: '' or a problem code.
LineArtProbe = Callable[[Path], str]


def no_probe(path: Path) -> ImageCheck:
    return ImageCheck()


_STAMP = struct.Struct("<Q")


def stamp(path: str) -> Stamp:
    """What a file is now: size, times and inode (a file replaced by rsync or a sync tool gets
    a new change time and inode even when its size and modification time are kept), in 8
    bytes: the kiosk keeps one or two for each of 37,000 stories (the 32 bytes of all four
    took 72 in memory, these 48). A hash of them: a change goes unseen only if its 64 bits
    come out the same, one chance in 10**19. Python's hash of a tuple of ints is the same in
    every process (no seed); another Python's could differ, which reads the files again."""
    try:
        info = os.lstat(path)  # a file replaced by a link to it is a change: links are refused
    except OSError:
        return None
    return _STAMP.pack(hash((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
                       & 0xFFFF_FFFF_FFFF_FFFF)


def entry_kind(path: str | os.PathLike[str]) -> str:
    """What the content folder itself holds at `path`, looked at without following a link or
    opening anything: "file", "folder", "link", "special" (a FIFO, device or socket), or ""
    when there is nothing there.

    The kiosk reads only regular files and folders of the content folder (the folder itself
    may be a link: a release link). A link inside is refused even when it leads inside: what
    it means changes when the folder is copied (rsync, a sync tool, the safe-mode copy, a USB
    stick), Windows shares do not show it, and a check of where it leads is out of date as
    soon as it is made. A FIFO would block its reader for good."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    return "link" if stat.S_ISLNK(mode) else "special"


@dataclass
class ParseCache:
    """Items read before, for the next load of the same folder: an item whose file, and whose
    images, are unchanged is not read again. With an `index` it is kept on disk too, so a
    restart reads only what changed, and story texts stay on disk until shown. A change of
    kiosk.yaml starts it afresh (tags, defaults)."""

    index: ContentIndex | None = None
    settings_key: str | None = None
    entries: dict[str, IndexEntry] = field(default_factory=dict)
    complete: bool = False  # every entry of the index is in `entries`
    # The centre's hidden.yaml as last read without an error (kiosk.core.content.merge): one that is
    # broken, or half-copied, keeps hiding what it hid.
    hide: tuple[tuple[str, int | None], ...] | None = None
    # The other files as last parsed or checked (YAML files, pictures: kiosk.core.content.kept), by
    # key: records, read through from the index.
    kept: dict[str, bytes] = field(default_factory=dict)

    def kept_record(self, key: str) -> bytes | None:
        record = self.kept.get(key)
        if record is None and self.index is not None:
            record = self.index.kept(key)
            if record is not None:
                self.kept[key] = record
        return record

    def finish_kept(self, new: dict[str, bytes], used: set[str] | None) -> None:
        """Keep the records made by this load; `used`: the keys of every file this load
        looked at (None after a partial load: nothing is forgotten then)."""
        self.kept.update(new)
        if used is not None:
            self.kept = {key: record for key, record in self.kept.items() if key in used}
        if self.index is not None:
            self.index.keep(new, used)

    def begin(self, settings: Settings, whole_folder: bool) -> None:
        key = hashes.sha256(repr(settings).encode()).hexdigest()[:32]
        if key != self.settings_key:
            self.settings_key = key
            self.entries = {}
            self.complete = self.index is None or not self.index.matches(key)
        if whole_folder and not self.complete and self.index is not None:
            # One read of the whole index is far quicker than 37,000 single ones.
            self.entries = {**self.index.read(key), **self.entries}
            self.complete = True

    def lookup(self, key: str) -> IndexEntry | None:
        entry = self.entries.get(key)
        if entry is None and not self.complete and self.index is not None:
            entry = self.index.get(key)
            if entry is not None:
                self.entries[key] = entry
        return entry

    def finish(self, changed: dict[str, IndexEntry], seen: set[str] | None) -> None:
        """`seen`: every file of the folder (None after a partial load, which saw only some:
        nothing is forgotten then)."""
        removed = [] if seen is None else [path for path in self.entries if path not in seen]
        for path in removed:
            del self.entries[path]  # a deleted file's entry would otherwise stay for ever
        if self.index is not None:
            self.index.write(changed, removed)


_REMOTE = LazyPattern(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)
# The characters that can start or end an image in Markdown: one class, no repetition, so
# finding them is linear whatever the text.
_MARKUP = LazyPattern(r"[\\\[\]<]")


# How a poster meets the screen: the first is the default.
POSTER_FITS = ("whole", "fill")
POSTER_FIT_WORDS = {"whole": "whole", "целиком": "whole", "fill": "fill", "заполнить": "fill"}
PORTRAIT_VARIANT = ".portrait"
# Longer side over shorter side beyond which a poster shows as a strip on either screen.
POSTER_THINNEST = 5


def _poster_id(path: Path) -> tuple[str, bool]:
    """«new-year.portrait.png» is the portrait variant of the poster «new-year»."""
    stem = path.stem
    if stem.lower().endswith(PORTRAIT_VARIANT) and len(stem) > len(PORTRAIT_VARIANT):
        return stem[:-len(PORTRAIT_VARIANT)], True
    return stem, False


def natural_key(name: str) -> str:
    """Sort «2-…» before «10-…», the way people number files: the name in lower case, each
    run of digits by its value. One string, ordered as the list [text, number, text, …]
    would be (each text ends in "\\0", below any character; each number is its digit count,
    then its digits), because sorting 37,000 lists runs in C without a pause for ~70 ms:
    the screen's thread cannot run meanwhile. Strings sort five times quicker."""
    # isdecimal, as \d: «①» or «²» pass isdigit() but are not split off as numbers.
    return "".join(_number_key(part) if part.isdecimal() else part.lower() + "\0"
                   for part in _DIGIT_RUNS.split(name))


_DIGIT_RUNS = re.compile(r"(\d+)")


def _number_key(digits: str) -> str:
    # «007» is 7 and «٣» is 3, as int() has them, with no limit on the run's length.
    value = "".join(str(unicodedata.decimal(c)) for c in digits).lstrip("0") or "0"
    return chr(1 + len(value)) + value


class ContentLoader:
    def __init__(self, root: Path, probe: ImageProbe = no_probe,
                 line_art: LineArtProbe | None = None, cache: ParseCache | None = None,
                 story_limit: int | None = None, workers: int = 1,
                 sandbox: ParseSandbox | None = None,
                 machine: Sequence[SettingsPath] = (), centre: Path | None = None) -> None:
        self.root = root
        # The centre's own folder, read beside `root` by kiosk.core.content.merge's rule (None:
        # none).
        self.centre = centre
        # The settings files of this computer, read over the content's kiosk.yaml.
        self.machine = tuple(machine)
        # Where files are parsed: a child process (the kiosk, `kiosk check`), or here (the
        # child itself, and tests of the parsers).
        self.sandbox = sandbox
        # Read only this many stories (any of them, for a first frame quickly); the folder's
        # other checks (duplicate names, misspelt suffixes) wait for a whole load.
        self.story_limit = story_limit
        self.workers = workers
        self.probe = probe
        self.line_art = line_art
        self.cache = cache
        # The files the item being read depends on, each as it was before it was read.
        self._depends_on: list[tuple[str, Stamp]] = []
        self._changed: dict[str, IndexEntry] = {}
        self._seen: set[str] = set()
        self._subfolders: dict[str, int] = {}  # folders inside each content folder, counted
        self.problems: list[Problem] = []
        self._checked_images: dict[Path, list[Problem]] = {}
        self._image_sizes: dict[Path, tuple[int, int]] = {}  # as decoded, when it was
        # Records of the YAML files and pictures parsed or checked by this load (for the
        # cache: kiosk.core.content.kept), and the keys of all of them, kept or not.
        self._kept_new: dict[str, bytes] = {}
        self._kept_used: set[str] = set()
        self._raised: set[Path] = set()  # images whose check raised: not kept
        self._by_case: tuple[Mapping[str, str], dict[str, str], tuple[str, ...]] | None = None
        # Folders listed to find a file named in another spelling (a miss only), by path.
        self._spellings: dict[str, tuple[dict[str, list[str]], ...]] = {}

    def log_for(self, path: Path) -> ProblemLog:
        return ProblemLog(str(path), self.problems)

    def load(self) -> Content:
        if not self.root.is_dir():
            self.log_for(self.root).error("missing_folder", None, value=str(self.root))
            if self.centre is not None:  # the centre's own items show all the same
                from kiosk.core.content.merge import merge

                shared = Content(self.root)
                merged = merge(shared, self._load_centre(shared.settings), self.problems)
                return replace(merged, problems=tuple(cap_problems(self.problems)))
            return Content(self.root, problems=tuple(self.problems))
        self._check_entries()
        if self.centre is None:
            self._check_folder_level()
        settings = self._load_settings()
        if self.cache is not None:
            self.cache.begin(settings, whole_folder=self.story_limit is None)
        pages = tuple(
            page for path in self._files(ANNIVERSARY_DIR, (".md",))
            if (page := self._guarded(path, lambda p: self._load_page(p, settings))) is not None
        )
        stories = self._load_stories(self._files(STORIES_DIR, (".md",), self.story_limit),
                                     settings)
        if self.cache is None:  # a whole fresh read (kiosk check, preview): not each reload
            self._copies(stories)
        colouring = self._load_colouring()
        if self.centre is None:  # with a centre's folder, kiosk.core.content.merge counts both
            self._colouring_over(colouring)
        posters = self._load_posters(settings)
        notices = self._load_notices()
        hidden: frozenset[str] = frozenset()
        if self.centre is not None:  # merged before the cache forgets unseen files
            from kiosk.core.content.merge import merge

            merged = merge(Content(self.root, settings, pages, stories, colouring, (), posters,
                                   notices), self._load_centre(settings), self.problems)
            stories, colouring = merged.stories, merged.colouring
            posters, notices, hidden = merged.posters, merged.notices, merged.hidden
        if self.cache is not None:
            self.cache.finish(self._changed, self._seen if self.story_limit is None else None)
            self.cache.finish_kept(self._kept_new,
                                   self._kept_used if self.story_limit is None else None)
        if not settings.tags and len(used := tags_in_use(stories, settings.tags)) > MAX_TAGS:
            self.log_for(self.root / SETTINGS_FILE).warning(
                "too_many_story_tags", None, count=str(len(used)), most=str(MAX_TAGS))
        if not pages and not stories and not posters and not notices:
            self.log_for(self.root).warning("no_content")
        return Content(self.root, settings, pages, stories, colouring,
                       tuple(cap_problems(self.problems)), posters, notices, self.centre, hidden)

    def _load_centre(self, settings: Settings) -> CentreContent:
        """The centre's own folder (kiosk.core.content.merge), read as this one is, each path kept
        inside it, into the same problems, cache and decoded images. A centre that has no
        folder (yet) has nothing to add."""
        # Here, not at the top: a kiosk without a centre's folder never needs it (~1.5 ms of
        # the start).
        from kiosk.core.content.merge import (
            HIDDEN_FILE,
            CentreContent,
            check_centre_entries,
            hide_entries,
        )

        assert self.centre is not None
        if not self.centre.is_dir():
            return CentreContent(self.centre)
        loader = ContentLoader(self.centre, self.probe, self.line_art, self.cache,
                               self.story_limit, 1, self.sandbox)
        loader.problems, loader._seen, loader._changed = self.problems, self._seen, self._changed
        loader._checked_images, loader._image_sizes = self._checked_images, self._image_sizes
        loader._kept_new, loader._kept_used = self._kept_new, self._kept_used
        loader._raised = self._raised
        try:
            names = sorted(p.name for p in self.centre.iterdir() if not left_by_system(p.name))
        except OSError as error:
            self._unlistable(self.centre, error)
            names = None
        check_centre_entries(self.centre, names or [], self.problems)
        stories = loader._load_stories(
            loader._files(STORIES_DIR, (".md",), self.story_limit), settings)
        hidden = self.centre / HIDDEN_FILE
        hide: tuple[tuple[str, int | None], ...] = ()
        before = len(self.problems)
        if (kind := entry_kind(hidden)) == "file":
            if not _emptied(hidden):  # else emptied by hand in Notepad: it hides nothing
                hide = hide_entries(loader._parsed_yaml(hidden), loader.log_for(hidden))
        elif kind == "folder":  # not «a symlink»: a folder made by mistake, an unzipped copy
            loader.log_for(hidden).error("hidden_is_folder", None, value=HIDDEN_FILE)
        elif kind:
            loader._refused(hidden, kind)
        if self.cache is not None:
            if names is None and self.cache.hide is not None:
                hide = self.cache.hide  # the folder could not be listed: what it hid stays hidden
            elif not any(p.is_error for p in self.problems[before:]):
                self.cache.hide = hide
            elif self.cache.hide is not None:
                hide = self.cache.hide
                loader.log_for(hidden).warning("kept_last_good")
        return CentreContent(self.centre, stories, loader._load_colouring(),
                             loader._load_posters(settings), loader._load_notices(), hide,
                             hidden)

    def _load_stories(self, paths: list[str], settings: Settings) -> tuple[Story, ...]:
        if self.workers < 2 or self.cache is not None or len(paths) < PARALLEL_FROM:
            return tuple(story for path in paths if (story := self._guarded(
                path, lambda p: self._load_story(p, settings))) is not None)
        # A whole folder read afresh (kiosk check): the stories in chunks, one process a core;
        # their problems come back in the order of the files, as if read here.
        import multiprocessing  # here: the kiosk itself never reads in processes
        from concurrent.futures import ProcessPoolExecutor

        chunks = [paths[i:i + PARALLEL_CHUNK] for i in range(0, len(paths), PARALLEL_CHUNK)]
        context = multiprocessing.get_context("spawn")  # the caller may be running Qt
        with ProcessPoolExecutor(self.workers, context) as pool:
            parts = list(pool.map(_read_stories, [self.root] * len(chunks),
                                  [settings] * len(chunks), [self.probe] * len(chunks), chunks))
        stories: list[Story] = []
        for items, problems in parts:
            stories.extend(item for item in items if item is not None)
            self.problems.extend(problems)
        return tuple(stories)

    # -- helpers ---------------------------------------------------------------------------

    def _check_entries(self) -> None:
        """A misspelt folder («story/») would be ignored without a word: name it."""
        try:
            names = sorted(p.name for p in self.root.iterdir() if not left_by_system(p.name))
        except OSError as error:
            self._unlistable(self.root, error)
            return
        for name in names:
            if self._windows_name(self.root, None, name) == "windows_name_end":
                continue
            if name not in KNOWN_ENTRIES:
                self.log_for(self.root / name).warning(
                    "unknown_entry", None, value=name, suggest=suggest(name, KNOWN_ENTRIES))

    def _files(self, folder: str, suffixes: tuple[str, ...],
               limit: int | None = None) -> list[str]:
        """Paths (as text: a folder of 37,000 stories makes no Path objects it does not need)
        of the files in `folder` with these suffixes, in natural order; with a `limit`, that
        many of them, whichever the folder lists first (the listing stops there)."""
        directory = os.path.join(self.root, folder)
        if (kind := entry_kind(directory)) != "folder":
            if kind:
                self._refused(Path(directory), kind)
            return []
        # The files taken, and the other entries (few): no pair or set for each of 37,000
        # stories, whose memory, freed, stayed in pymalloc's pools (−2.5 MB of them).
        names: list[str] = []
        others: list[tuple[str, str]] = []
        try:
            with os.scandir(directory) as found:
                for entry in found:
                    if left_by_system(entry.name):
                        continue
                    kind = _kind_of(entry)
                    if kind == "file" and os.path.splitext(entry.name)[1].lower() in suffixes:
                        names.append(entry.name)
                        if limit is not None and len(names) > limit:
                            # One more than the first read takes tells it the folder has more:
                            # the rest of 37,000 names need not be listed (~40 ms). The checks
                            # of the whole folder (links among them too) wait for a whole load.
                            break
                    else:
                        others.append((entry.name, kind))
        except OSError as error:
            self._unlistable(Path(directory), error)
            return []
        for name, kind in others:
            if kind in ("link", "special") and os.path.splitext(name)[1].lower() in suffixes:
                self._refused(Path(directory, name), kind)
        if limit is not None and len(names) > limit:
            return [os.path.join(directory, name)
                    for name in sorted(names[:limit], key=natural_key)]
        # «Umbrella.md» beside «umbrella.md»: two files that are one on a Windows share.
        first_of: dict[str, str] = {}
        for name in sorted(names):
            other = first_of.setdefault(os.path.splitext(name)[0].lower(), name)
            if other is not name:
                self.log_for(Path(directory, name)).warning("duplicate_id", None, value=name,
                                                            other=other)
        del first_of
        for name in troubled(names):
            self._windows_name(Path(directory), None, name)
        for name, kind in others:
            if self._windows_name(Path(directory), None, name) == "windows_name_end":
                continue  # «story.md.»: its dot is the thing to fix, not its extension
            if kind == "folder":
                self._subfolder(Path(directory, name), folder)
                continue
            # «story.md.txt» (Notepad's doing) or «story.markdown»: almost right, so say so.
            lower = name.lower()
            if kind == "file" and suffixes == (".md",) and self._stray_file(folder, name):
                continue
            if kind == "file" \
                    and (".md" in lower or lower.endswith(".markdown")) and lower != "readme.txt":
                fixed = name[: lower.index(".m")] + ".md"
                self.log_for(Path(directory, name)).warning("wrong_suffix", None, value=name,
                                                            name=fixed)
        return [os.path.join(directory, name) for name in sorted(names, key=natural_key)]

    def _copies(self, stories: tuple[Story, ...]) -> None:
        """A story word for word the same as another: Explorer's copy («umbrella - копия.md»,
        «Копия umbrella.md») left beside it; the loop would show it twice, unsaid."""
        # First by the text alone (a string's hash: ~0.05 s for 37,000 stories, where a
        # dataclass made and hashed for each took 1.4 s of `kiosk check`'s 30 s budget).
        by_text: dict[tuple[str, str], list[Story]] = {}
        for item in stories:
            by_text.setdefault((item.body.ru, item.title.ru), []).append(item)
        same: dict[Story, list[Path]] = {}
        nowhere = Path()
        for alike in by_text.values():
            if len(alike) < 2:
                continue
            for item in alike:  # everything the same but the name: photo, tags, schedule too
                same.setdefault(replace(item, id="", source=nowhere), []).append(item.source)
        for paths in same.values():
            if len(paths) > 1:  # the shortest name is the original: a copy's adds words
                original, *copies = sorted(paths, key=lambda path: (len(path.name), path.name))
                for path in copies:
                    if path.stem.lower() != original.stem.lower():  # else: duplicate_id
                        self.log_for(path).warning("story_copy", None, value=path.name,
                                                   other=original.name)

    def _check_folder_level(self) -> None:
        """A folder with none of the content's files and folders is the wrong one (its
        parent, or stories/ itself): an error, so it is never published as an empty kiosk;
        named with the folder that looks right, when one does."""
        try:
            names = sorted(p.name for p in self.root.iterdir() if not left_by_system(p.name))
        except OSError:
            return
        if set(names) & set(CONTENT_MARKS):
            return
        log = self.log_for(self.root)
        parent = self.root.resolve().parent
        if self.root.resolve().name in CONTENT_MARKS and \
                set(_listing(parent)) & set(CONTENT_MARKS):
            log.error("content_subfolder_given", None, value=str(self.root),
                      name=self.root.resolve().name, parent=str(parent))
        elif inside := _content_inside(self.root, names):
            log.error("not_content_folder_inside", None, value=str(self.root), inside=inside)
        elif not names:
            log.error("empty_content_folder", None, value=str(self.root))
        else:
            log.error("not_content_folder", None, value=str(self.root))

    def _colouring_over(self, pictures: tuple[ColouringPicture, ...]) -> None:
        """The pictures past what the colouring screen shows: each named (a 13th was
        dropped without a word)."""
        for picture in pictures[COLOURING_MOST:]:
            self.log_for(picture.source).warning("colouring_too_many", None,
                                                 value=picture.source.name,
                                                 most=str(COLOURING_MOST),
                                                 count=str(len(pictures)))

    def _stray_file(self, folder: str, name: str) -> bool:
        """A file of a folder of texts (stories/, anniversary/) that is not a text the kiosk
        reads, named with what to do (a .docx was ignored without a word). True when told
        here; False leaves it to the misspelt-suffix check («story.md.txt», «.markdown»)."""
        lower = name.lower()
        stem, suffix = os.path.splitext(lower)
        if lower in STRAY_IGNORED or lower.startswith("~$") or (
                suffix == ".txt" and stem.endswith(".md")) or suffix == ".markdown":
            return lower in STRAY_IGNORED or lower.startswith("~$")  # Word's lock files
        log = self.log_for(self.root / folder / name)
        plain = name[: len(stem)].split(".")[0] or "istoriya"
        if suffix in WORD_SUFFIXES:
            if ".md" in stem:  # «x.md.docx»: renaming it to .md gives a Word file named .md
                log.warning("word_file_md_name", None, value=name, name=f"{plain}.md")
            else:
                log.warning("word_file", None, value=name)
        elif suffix == ".txt":
            log.warning("plain_text_file", None, value=name, name=f"{plain}.md")
        elif suffix == ".pdf":
            log.warning("pdf_in_text_folder", None, value=name, folder=folder)
        elif suffix in PICTURE_SUFFIXES:
            log.warning("picture_in_text_folder", None, value=name, folder=folder,
                        key="image" if folder == ANNIVERSARY_DIR else "photo")
        else:
            log.warning("stray_file", None, value=name, folder=folder, expected=".md")
        return True

    def _guarded(self, key: str, load: Callable[[Path], T | None]) -> T | None:
        """Load one item; an unexpected failure skips that item only, with a message."""
        self._seen.add(key)
        cached = self.cache.lookup(key) if self.cache is not None else None
        if cached is not None and cached.unchanged(stamp):
            self.problems.extend(cached.problems)
            return cached.item  # type: ignore[return-value]
        before = len(self.problems)
        self._depends_on = [(key, stamp(key))]
        path = Path(key)
        try:
            item = load(path)
        except Exception as exc:  # a kiosk never dies of one file
            self.log_for(path).error("unreadable", None, detail=f"{type(exc).__name__}: {exc}")
            item = None
        found = self.problems[before:]
        if (capped := cap_problems(found)) is not found:  # a key repeated 27,000 times
            self.problems[before:] = capped
        if any(p.is_error for p in self.problems[before:]):
            self.log_for(path).warning("skipped")
            item = None
        # A parse stopped (a busy machine) is the read's failure, not the file's: read again.
        if self.cache is not None and isinstance(item, AnniversaryPage | Story | None) \
                and not any(p.code in _NOT_KEPT for p in self.problems[before:]):
            depends_on = tuple(self._depends_on)
            if item is not None:  # kept as compactly as an item read from the index
                index = self.cache.index
                body = item.body if index is None else index.store_body(item.body)
                item = (kept_story(item, body, depends_on) if isinstance(item, Story) else
                        replace(item, body=body, source=slim_path(item.source, depends_on)))
            entry = IndexEntry.of(depends_on, item, tuple(self.problems[before:]))
            self.cache.entries[key] = entry
            self._changed[key] = entry
        return item

    def _read_text(self, path: Path) -> str | None:
        return read_text(path, self.log_for(path))

    def _load_settings(self) -> Settings:
        """The content's kiosk.yaml, with the settings files of this computer laid over it
        (kiosk.core.machine); then the queue file they name is looked at."""
        settings = self._content_settings()
        if self.machine:
            settings = with_machine_settings(settings, self.machine, self.problems)
        queue = settings.queue
        if queue is not None and not queue.is_url:
            from kiosk.core.queue import queue_file_check  # here: only a queue file needs it

            origin = settings.origins.get("queue", str(self.root / SETTINGS_FILE))
            inside = None if queue.source.startswith("/") else self.root
            code = queue_file_check(queue.file_path(self.root), inside)
            if code is not None:  # missing, or a link, FIFO, device … the kiosk will not read
                ProblemLog(origin, self.problems).warning(code, queue.source_line,
                                                          value=queue.source)
        return settings

    def _content_settings(self) -> Settings:
        path = self.root / SETTINGS_FILE
        kind = entry_kind(path)
        if kind in ("link", "special"):
            self._refused(path, kind)
            return Settings()
        if not kind:
            return Settings()
        log = self.log_for(path)
        if kind == "folder":  # not a FIFO or device, as reading it would say
            log.error("settings_is_folder", None, value=SETTINGS_FILE)
            return Settings()
        before = len(self.problems)
        data = self._parsed_yaml(path)
        settings = parse_settings(data, log)
        self.problems[before:] = cap_problems(self.problems[before:])
        return settings

    # -- reading untrusted files: in the sandbox's child process (kiosk.core.content.sandbox) ------

    def _parsed_markdown(self, path: Path) -> tuple[MarkdownFile, ProblemLog] | None:
        if self.sandbox is None:
            return self._read_markdown(path)
        parsed = self._in_sandbox(markdown_source, path)
        return (parsed, self.log_for(path)) if isinstance(parsed, MarkdownFile) else None

    def _parsed_yaml(self, path: Path) -> Any:
        """A YAML file's tree, its problems told. As last parsed when its bytes are the same
        (kiosk.core.content.kept): a start with nothing changed parses no file, and does not wait
        for the sandbox's child to start."""
        key = str(path)
        digest = _file_digest(key) if self.cache is not None else None
        if digest is not None:
            assert self.cache is not None
            self._kept_used.add(f"yaml:{key}")
            record = self.cache.kept_record(f"yaml:{key}")
            if record is not None and (found := decode_yaml(record, digest, key)) is not None:
                value, problems = found
                self.problems.extend(problems)
                return value
        before = len(self.problems)
        value = self._read_yaml(path) if self.sandbox is None else \
            self._in_sandbox(yaml_source, path)
        problems = self.problems[before:]
        # Kept only if the file did not change while it was read, and as the file's own
        # verdict: a parse stopped (time, memory) or a file that could not be read is tried
        # again at the next load.
        if digest is not None and not any(p.code in _NOT_KEPT for p in problems) \
                and _file_digest(key) == digest:
            with contextlib.suppress(NotKept):
                self._kept_new[f"yaml:{key}"] = encode_yaml(digest, value, problems)
        return value

    def _in_sandbox(self, function: Callable[[str], tuple[Any, list[Problem]]],
                    path: Path) -> Any:
        assert self.sandbox is not None
        try:
            value, problems = self.sandbox.call(function, str(path))
        except ParseRunaway as stopped:
            code = "parse_too_slow" if stopped.reason == "time" else "parse_too_big"
            self.log_for(path).error(code, None, seconds=f"{self.sandbox.time_limit:g}")
            return None
        except RuntimeError as exc:  # the parser itself failed: that file only
            self.log_for(path).error("unreadable", None, detail=str(exc))
            return None
        self.problems.extend(problems)
        return value

    def _read_yaml(self, path: Path) -> Any:
        return read_yaml(path, self.log_for(path))

    def _read_markdown(self, path: Path) -> tuple[MarkdownFile, ProblemLog] | None:
        log = self.log_for(path)
        parsed = read_markdown(path, log)
        return (parsed, log) if parsed is not None else None

    def _text_field(self, md: MarkdownFile, key: str, log: ProblemLog,
                    required: bool = False) -> str:
        value = md.fields.get(key)
        line = md.fields.line_of(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if key in md.fields:
                (log.error if required else log.warning)("empty_field", line, key=key)
            elif required:
                log.error("missing_field", 2, key=key)
            return ""
        if isinstance(value, list | dict):
            log.error("wrong_type", line, key=key, expected="text", value=typed(value),
                      default="nothing")
            return ""
        # «title: 12:30» or «title: yes»: YAML made a number or a flag of it; keep what was typed.
        shown = self._shown_field(md.fields.raw_text.get(key, typed(value)), key, log, line)
        if not shows_anything(shown):  # «title: "\u200b"»: filled in, blank on the screen
            (log.error if required else log.warning)("empty_field", line, key=key)
            return ""
        return shown

    @staticmethod
    def _shown_field(text: str, key: str, log: ProblemLog, line: int | None) -> str:
        """A field's text as the screen shows it: without bidi, control and line-separator
        characters (U+202E turned a title backwards, U+2028 broke it), and staff hear which
        were taken out."""
        cleaned, removed = clean_shown(text)
        if removed:
            log.warning("hidden_characters", line, key=key, detail=removed)
        return cleaned.strip()

    def _body(self, md: MarkdownFile, log: ProblemLog, image_key: str) -> Text:
        """The texts; an image in them, in any of Markdown's forms, is an error: the item is
        not shown (its last good version stays on screen) until it is taken out. Shown
        without it, a text that says «see the photo» would be wrong, and the kiosk never
        loads a picture a text names (ui.markdown.InertTextDocument)."""
        texts: list[str] = []
        for lang, text, first in (("ru", md.body_ru, md.ru_line), ("en", md.body_en, md.en_line)):
            _check_layout_cost(text, lang, first, log)
            for line in _lines_of(text, body_images(text)):
                log.error("inline_image", first + line if first else None, key=image_key)
            cleaned, removed = clean_shown(text)
            if removed:
                log.warning("hidden_characters_text", first or None, language=lang,
                            detail=removed)
            texts.append(cleaned)
        if not texts[0]:
            log.error("empty_text", md.body_line)
        return Text(texts[0], texts[1])

    def _unknown_fields(self, md: MarkdownFile, known: tuple[str, ...], log: ProblemLog) -> None:
        for key in md.fields:
            if key not in known:
                # «months: [август]» misspelt: shown all year round, so an error. Beyond the
                # problems listed, only a schedule word as such («месяцы») is looked for.
                likened = log.shows_next("unknown_field") \
                    and log.shows_next("schedule_field_unknown")
                if (right := schedule_field_for(key, known, likened)) and right in known:
                    log.error("schedule_field_unknown", md.fields.line_of(key), key=key,
                              right=right, example=SCHEDULE_EXAMPLES[right])
                    continue
                log.warning("unknown_field", md.fields.line_of(key), key=key,
                            suggest=suggest(key, known) if likened else "")

    def _duration(self, md: MarkdownFile, log: ProblemLog) -> float | None:
        value = md.fields.get("duration")
        if value is None:
            return None
        line = md.fields.line_of("duration")
        number = as_number(value)
        if number is None:  # also «.nan» and «.inf» (as_number): «.nan» flashed the slide
            log.warning("wrong_type", line, key="duration", expected="number",
                        value=md.fields.raw_text.get("duration", typed(value)),
                        default="slide_seconds_default")
            return None
        low, high = DURATION_RANGE
        used = min(max(number, low), high)
        if used != number:
            log.warning("clamped", line, key="duration", value=f"{number:g}", low=f"{low:g}",
                        high=f"{high:g}", used=f"{used:g}")
        return used

    def _flag(self, md: MarkdownFile, key: str, default: bool, log: ProblemLog) -> bool:
        value = md.fields.get(key, default)
        flag = as_flag(value)
        if flag is not None:
            return flag
        log.warning("wrong_type", md.fields.line_of(key), key=key, expected="yes_no",
                    value=md.fields.raw_text.get(key, typed(value)), default=str(default).lower())
        return default

    def _path_field(self, md: MarkdownFile, key: str,
                    log: ProblemLog) -> tuple[str, int | None] | None:
        """The path a field gives (`photo:`, `image:`, `video:`) and its line; None if none."""
        value = md.fields.get(key)
        if value is None or value == "":
            return None
        line = md.fields.line_of(key)
        if not isinstance(value, str):
            log.error("wrong_type", line, key=key, expected="text", value=typed(value),
                      default="nothing")
            return None
        return value.strip(), line

    def _image(self, md: MarkdownFile, key: str, log: ProblemLog) -> Path | None:
        field = self._path_field(md, key, log)
        return self.resolve_image(*field, log) if field is not None else None

    def resolve_image(self, value: str, line: int | None, log: ProblemLog) -> Path | None:
        """A path that staff wrote, checked: inside the folder, present, decodable."""
        candidate = self.resolve_path(value, log, line)
        if candidate is None:
            return None
        if candidate.suffix.lower() not in IMAGE_SUFFIXES:
            code, args = _unread_suffix(candidate, value)
            log.error(code, line, **args)
            return None
        problems = self._check_image(candidate, value)
        for problem in problems:
            if problem.is_error:
                log.error(problem.code, line, **problem.args)
            else:
                log.warning(problem.code, line, **problem.args)
        size = self._image_sizes.get(candidate)
        if not problems and size is not None and min(size) > 0 \
                and max(size) > POSTER_THINNEST * min(size):
            # Shown whole beside the text: a banner of 20000×50 is a line a pixel high.
            log.warning("image_too_thin", line, value=value, size=f"{size[0]}×{size[1]}")
        return candidate

    def resolve_path(self, value: str, log: ProblemLog, line: int | None) -> Path | None:
        """A path that staff wrote, checked: inside the folder, present, a file."""
        if "\0" in value:  # no file has it, and os.lstat raises ValueError: «unreadable»
            log.error("missing_file", line, value=value)
            return None
        windows_drive = re.match(r"^[a-z]:[\\/]", value, re.IGNORECASE)
        if _REMOTE.match(value) and not windows_drive:
            log.error("path_remote", line, value=value)
            return None
        if windows_drive:
            log.error("path_outside", line, value=value)
            return None
        relative = value.replace("\\", "/")  # «images\photo.jpg» typed on Windows
        # «a/../b» is taken as written (nothing on the way may be a link, so it means the same).
        parts = os.path.normpath(relative).split("/")
        if os.path.isabs(relative) or parts[0] == "..":
            log.error("path_outside", line, value=value)
            return None
        here = Path(os.path.realpath(self.root))
        candidate = here.joinpath(*parts)
        # A new or fixed image re-reads the item.
        self._depends_on.append((str(candidate), stamp(str(candidate))))
        # Each step looked at, not followed: a link or a FIFO anywhere on the way is refused.
        for step, part in enumerate(parts, 1):
            kind = entry_kind(here / part)
            if kind == "" and (spelt := self._spelt_otherwise(here, part))[0] == "form":
                part = spelt[1]  # the same letters, as a Mac writes them: the file meant
                kind = entry_kind(here / part)
            here = here / part
            if kind in ("link", "special"):
                code = "special_file" if kind == "special" else \
                    "content_link" if self._leads_inside(here) else "path_outside"
                log.error(code, line, value=value)
                return None
            if kind != ("file" if step == len(parts) else "folder"):
                named, on_disk = self._as_on_disk(parts) if kind == "" else ("", "")
                if on_disk.endswith((".", " ")):  # there, as Windows cannot hold it
                    log.error("missing_file_end_on_disk", line, value=value, name=named,
                              ended=on_disk, fixed=on_disk.rstrip(". "))
                elif named and any(part.endswith((".", " ")) for part in parts):
                    log.error("missing_file_end", line, value=value, name=named)
                elif named:
                    log.error("missing_file_case", line, value=value, name=named)
                else:
                    log.error("missing_file", line, value=value)
                return None
        if here != candidate:
            self._depends_on.append((str(here), stamp(str(here))))
        for part in parts:  # found, but under a name Windows cannot hold
            self._windows_name(here, log, part)
        return here

    def _windows_name(self, folder: Path, log: ProblemLog | None, name: str) -> str:
        """Tell of a name in `folder` that Windows cannot hold (kiosk.core.content.winnames),
        in `log` (None: the entry's own); its problem's code, '' when the name is fine."""
        code, fixed = windows_trouble(name)
        if not code:
            return ""
        args = {"value": shown_name(name), "name": fixed}
        if code == "windows_name_chars":
            args["chars"] = forbidden_characters(name)
        elif code == "windows_name_reserved":
            args["device"] = name.partition(".")[0].rstrip(" ").upper()
        (log or self.log_for(folder / name)).warning(code, None, **args)
        return code

    def _spelt_otherwise(self, folder: Path, name: str) -> tuple[str, str]:
        """The one entry of `folder` that `name` means, though spelt otherwise: ("form",
        entry) when only the Unicode form of its letters differs (macOS names a file «й» as
        «и» and a combining breve, a keyboard types the one letter: the names look the same
        and are different bytes), ("case", entry) when upper and lower case differ too
        (Windows finds «Poster.JPG» as «poster.jpg»), ("end", entry) when dots or spaces at
        the end differ too (Windows drops them: «photo.jpg.» finds «photo.jpg»); ("", "") when
        none, or several, do."""
        key = str(folder)
        if (spellings := self._spellings.get(key)) is None:
            by_form: dict[str, list[str]] = {}
            by_case: dict[str, list[str]] = {}
            by_end: dict[str, list[str]] = {}
            with contextlib.suppress(OSError), os.scandir(folder) as found:
                for entry in found:
                    form = unicodedata.normalize("NFC", entry.name)
                    by_form.setdefault(form, []).append(entry.name)
                    by_case.setdefault(form.casefold(), []).append(entry.name)
                    by_end.setdefault(form.casefold().rstrip(". "), []).append(entry.name)
            spellings = self._spellings[key] = (by_form, by_case, by_end)
        form = unicodedata.normalize("NFC", name)
        if len(same := spellings[0].get(form, [])) == 1:
            return "form", same[0]
        if len(same := spellings[1].get(form.casefold(), [])) == 1:
            return "case", same[0]
        if len(same := spellings[2].get(form.casefold().rstrip(". "), [])) == 1:
            return "end", same[0]
        return "", ""

    def _as_on_disk(self, parts: list[str]) -> tuple[str, str]:
        """The path `parts` would be with each name as the folder spells it, as staff would
        write it ("images/Poster.JPG"), and the first name found only with other dots or
        spaces at its end, as the folder has it; ("", "") when some part is not there in
        any spelling."""
        here = Path(os.path.realpath(self.root))
        named: list[str] = []
        ended = ""
        for step, part in enumerate(parts, 1):
            kind = entry_kind(here / part)
            if kind == "":
                how, part = self._spelt_otherwise(here, part)
                if not part:
                    return "", ""
                if how == "end" and not ended:
                    ended = part
                kind = entry_kind(here / part)
            # Never through a link (nor listed beyond it): only what the content owns is named.
            if kind != ("file" if step == len(parts) else "folder"):
                return "", ""
            named.append(part)
            here = here / part
        return "/".join(named), ended

    def _video(self, md: MarkdownFile, key: str, log: ProblemLog) -> Path | None:
        """A page's or story's clip (`video:`): inside the folder, MP4 or WebM by its name and
        its first bytes. Whether it plays is `kiosk check`'s to say (kiosk.ui.video.probe)."""
        field = self._path_field(md, key, log)
        if field is None:
            return None
        value, line = field
        path = self.resolve_path(value, log, line)
        if path is None:
            return None
        if not is_video(path):
            log.error("bad_video_format", line, value=value)
            return None
        from kiosk.core.content.video import video_file_problem  # a start from the index reads none

        problem = video_file_problem(path, value)
        if problem is not None:
            (log.error if problem.is_error else log.warning)(problem.code, line, **problem.args)
        return path

    def _check_image(self, path: Path, shown_as: str) -> list[Problem]:
        """Decode each image once per load, however many items use it."""
        if path not in self._checked_images:
            try:
                found = _picture_problems(path, shown_as)
            except Exception as exc:  # a check that fails outright: that image only
                self._raised.add(path)
                found = [Problem("", None, Severity.ERROR, "bad_image",
                                 {"value": shown_as, "detail": f"{type(exc).__name__}: {exc}"})]
            if found:  # not given to a decoder at all
                self._checked_images[path] = found
                return found
            try:
                check = self.probe(path)
            except Exception as exc:  # a decoder that fails outright: that image only
                self._raised.add(path)
                check = ImageCheck("bad_image", f"{type(exc).__name__}: {exc}")
            if check.problem:
                severity = Severity.WARNING if check.warning else Severity.ERROR
                found.append(Problem("", None, severity, check.problem,
                                     {"value": shown_as, "detail": check.detail}))
            if check.size is not None:
                self._image_sizes[path] = check.size
            self._checked_images[path] = found
        return self._checked_images[path]

    def _check_picture(self, path: Path, shown_as: str) -> list[Problem]:
        """`_check_image` of a picture of colouring/ or posters/, as last checked while its
        file is unchanged (kiosk.core.content.kept), as a story keeps its photo's: checking them all
        again, SVGs drawn to time them, was most of a start's read."""
        name = f"{getattr(self.probe, '__module__', '')}.{getattr(self.probe, '__qualname__', '')}"
        if self.cache is None or path in self._checked_images or "<" in name:
            return self._check_image(path, shown_as)  # a lambda's or a closure's verdict
        key = f"picture:{name}:{path}"
        self._kept_used.add(key)
        before = stamp(str(path))
        record = self.cache.kept_record(key) if before is not None else None
        if record is not None and before is not None and \
                (kept := decode_picture(record, before, shown_as)) is not None:
            found, size = kept
            if size is not None:
                self._image_sizes[path] = size
            self._checked_images[path] = found
            return found
        found = self._check_image(path, shown_as)
        if before is not None and path not in self._raised \
                and not any(p.code in _NOT_KEPT for p in found) and stamp(str(path)) == before:
            self._kept_new[key] = encode_picture(before, found, self._image_sizes.get(path))
        return found

    # -- items -----------------------------------------------------------------------------

    PAGE_FIELDS = ("title", "title_en", "teaser", "teaser_en", "image", "duration",
                   *SCHEDULE_FIELDS, "video")
    STORY_FIELDS = ("title", "title_en", "teaser", "teaser_en", "centre", "centre_en", "date",
                    "tags", "photo", "example", "attract", "duration", *SCHEDULE_FIELDS,
                    "video")
    POSTER_FIELDS = ("duration", "fit", *SCHEDULE_FIELDS, "loop")
    NOTICE_FIELDS = ("text", "text_en", "level", "duration", *SCHEDULE_FIELDS)

    def _teaser(self, md: MarkdownFile, log: ProblemLog) -> Text:
        """The poster's line; a long one is shown all the same, but staff hear it is long."""
        teaser = Text(self._text_field(md, "teaser", log), self._text_field(md, "teaser_en", log))
        for key, text in (("teaser", teaser.ru), ("teaser_en", teaser.en)):
            words = len(text.split())
            if words > TEASER_MAX_WORDS:
                log.warning("teaser_long", md.fields.line_of(key), key=key, words=str(words),
                            most=str(TEASER_MAX_WORDS))
        return teaser

    def _load_page(self, path: Path, settings: Settings) -> AnniversaryPage | None:
        read = self._parsed_markdown(path)
        if read is None:
            return None
        md, log = read
        self._unknown_fields(md, self.PAGE_FIELDS, log)
        return AnniversaryPage(
            id=path.stem,
            source=path,
            title=Text(self._text_field(md, "title", log, required=True),
                       self._text_field(md, "title_en", log)),
            body=self._body(md, log, "image"),
            image=self._image(md, "image", log),
            duration=self._duration(md, log),
            schedule=parse_schedule(md.fields, log),
            teaser=self._teaser(md, log),
            video=self._video(md, "video", log),
        )

    def _load_story(self, path: Path, settings: Settings) -> Story | None:
        read = self._parsed_markdown(path)
        if read is None:
            return None
        md, log = read
        self._unknown_fields(md, self.STORY_FIELDS, log)
        return Story(
            id=path.stem,
            source=path,
            title=Text(self._text_field(md, "title", log, required=True),
                       self._text_field(md, "title_en", log)),
            body=self._body(md, log, "photo"),
            centre=Text(self._text_field(md, "centre", log),
                        self._text_field(md, "centre_en", log)),
            date=self._date(md, log),
            tags=self._tags(md, settings, log),
            photo=self._image(md, "photo", log),
            example=self._flag(md, "example", False, log),
            attract=self._flag(md, "attract", True, log),
            duration=self._duration(md, log),
            schedule=parse_schedule(md.fields, log),
            teaser=self._teaser(md, log),
            video=self._video(md, "video", log),
        )

    def _date(self, md: MarkdownFile, log: ProblemLog) -> dt.date | None:
        value = md.fields.get("date")
        if value is None or value == "":
            return None
        text = md.fields.raw_text.get("date", typed(value)).strip()
        found = read_date(text)  # 2023-07-14 or 14.07.2023; a story's date has a year
        if isinstance(found, dt.date):
            return found
        log.warning(found if isinstance(found, str) else "bad_date", md.fields.line_of("date"),
                    value=text)
        return None

    def _tags(self, md: MarkdownFile, settings: Settings, log: ProblemLog) -> tuple[str, ...]:
        value = md.fields.get("tags")
        line = md.fields.line_of("tags")
        if value is None:
            return ()
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            log.warning("wrong_type", line, key="tags", expected="list",
                        value=md.fields.raw_text.get("tags", typed(value)),
                        default="nothing")
            return ()
        # Without a tags list, a story's tag is a chip's text as written: cleaned as any.
        tags = tuple(dict.fromkeys(
            shown for tag in value if (shown := self._shown_field(typed(tag), "tags", log, line))))
        if settings.tags:
            by_case, chips = self._tags_by_case(settings)
            tags = tuple(dict.fromkeys(self._known_tag(tag, settings, by_case, chips, line, log)
                                       for tag in tags))
        return tags

    def _tags_by_case(self, settings: Settings) -> tuple[dict[str, str], tuple[str, ...]]:
        """kiosk.yaml's tags by their case-folded spelling, and those of the chips (the first
        MAX_TAGS: what a misspelt tag is likened to), made once a load: made for each tag of
        each story, its keys were kept by `suggest`'s cache, a copy each (2,000 tags outside a
        list of 2,000 held 320 MB)."""
        if self._by_case is None or self._by_case[0] is not settings.tags:
            by_case = {k.casefold(): k for k in settings.tags}
            self._by_case = (settings.tags, by_case, tuple(by_case)[:MAX_TAGS])
        return self._by_case[1], self._by_case[2]

    @staticmethod
    def _known_tag(tag: str, settings: Settings, by_case: dict[str, str],
                   chips: tuple[str, ...], line: int | None, log: ProblemLog) -> str:
        """The tag as kiosk.yaml spells it: «Забота» is «забота»; a misspelt one («забта»)
        is the nearest known tag, with a warning, so it never makes a chip of its own."""
        if tag in settings.tags:
            return tag
        if (same := by_case.get(tag.casefold())) is not None:
            return same
        near = suggest(tag.casefold(), chips)
        if near:
            log.warning("tag_misspelt", line, value=tag, suggest_tag=by_case[near])
            return by_case[near]
        log.warning("unknown_tag", line, value=tag, suggest="")
        return tag

    def _load_colouring(self) -> tuple[ColouringPicture, ...]:
        folder = self.root / COLOURING_DIR
        if not self._is_folder(folder):
            return ()
        try:
            entries = sorted(folder.iterdir(), key=lambda p: natural_key(p.name))
        except OSError as error:
            self._unlistable(folder, error)
            return ()
        titles: dict[str, Text] = {}
        order: list[str] = []
        index = folder / COLOURING_INDEX
        if (kind := entry_kind(index)) == "file":
            order, titles = self._colouring_index(index, {p.name for p in entries})
        elif kind in ("link", "special"):
            self._refused(index, kind)
        pictures: dict[str, ColouringPicture] = {}
        for path in entries:
            if left_by_system(path.name) \
                    or self._windows_name(folder, None, path.name) == "windows_name_end":
                continue
            kind = entry_kind(path)
            if kind == "folder":
                self._subfolder(path, COLOURING_DIR)
            if kind in ("folder", ""):
                continue
            suffix = path.suffix.lower()
            if suffix in IGNORED_SUFFIXES:
                if path.name != COLOURING_INDEX:
                    self._note_in_picture_folder(path, COLOURING_DIR,
                                                 f".svg, .png, .jpg, {COLOURING_INDEX}")
                continue
            log = self.log_for(path)
            if not self._picture_file_usable(path, suffix, log):
                continue
            if self.line_art is not None and (verdict := self._line_art_verdict(path)):
                log.warning(verdict, None, value=path.name)
            pictures[path.name] = ColouringPicture(
                path.stem, path, titles.get(path.name, Text(_title_from_name(path.stem))))
        ordered = [pictures.pop(name) for name in order if name in pictures]
        return (*ordered, *pictures.values())

    def _subfolder(self, path: Path, folder: str) -> None:
        """A folder inside stories/, posters/… (staff sorting stories by year): the kiosk reads
        one level, so its files were dropped without a word. The first MAX_PER_FILE_AND_CODE
        of a folder are named, then one line for all the others (100,000 folders made as
        many lines)."""
        seen = self._subfolders[folder] = self._subfolders.get(folder, 0) + 1
        if seen <= MAX_PER_FILE_AND_CODE:
            self.log_for(path).warning("subfolder_not_read", None, value=path.name,
                                       folder=folder)
        elif seen == MAX_PER_FILE_AND_CODE + 1:
            self.log_for(path.parent).warning("more_subfolders", None, folder=folder)

    def _note_in_picture_folder(self, path: Path, folder: str, expected: str) -> None:
        """A text or settings file in colouring/ or posters/ that the kiosk does not read: a
        story saved there, or a .txt of titles, was passed over without a word. A readme is
        the staff's own and is left alone."""
        if path.name.lower() not in STRAY_IGNORED:
            self.log_for(path).warning("stray_file", None, value=path.name, folder=folder,
                                       expected=expected)

    def _picture_file_usable(self, path: Path, suffix: str, log: ProblemLog) -> bool:
        """A picture file of a folder of pictures (colouring/, posters/): its format known and
        its decoding checked, each problem told; False when it cannot be shown."""
        if suffix not in IMAGE_SUFFIXES:
            code, args = _unread_suffix(path, path.name, poster=True)
            log.warning(code, None, **args)
            return False
        if (kind := entry_kind(path)) != "file":
            self._refused(path, kind)
            return False
        problems = self._check_picture(path.resolve(), path.name)
        for problem in problems:
            (log.error if problem.is_error else log.warning)(problem.code, None, **problem.args)
        if any(p.is_error for p in problems):
            log.warning("skipped")
            return False
        return True

    def _clip_file_usable(self, path: Path, log: ProblemLog) -> bool:
        """A clip in posters/: a file whose first bytes are an MP4's or a WebM's (whether it
        plays is `kiosk check`'s to say, and the screen skips one that does not)."""
        if (kind := entry_kind(path)) != "file":
            self._refused(path, kind)
            return False
        from kiosk.core.content.video import video_file_problem  # a start from the index reads none

        problem = video_file_problem(path, path.name)
        if problem is not None:
            (log.error if problem.is_error else log.warning)(problem.code, None, **problem.args)
            if problem.is_error:
                log.warning("skipped")
                return False
        return True

    def _refused(self, path: Path, kind: str) -> None:
        """Name a link or a special file (see `entry_kind`) that the kiosk will not open, or a
        file where a folder of items should be (a folder deleted, a file saved in its name)."""
        code = "special_file" if kind == "special" else "folder_is_file" if kind == "file" \
            else "content_link" if self._leads_inside(path) else "link_outside"
        self.log_for(path).error(code, None, value=path.name)

    def _unlistable(self, folder: Path, error: OSError) -> None:
        """A folder that is there but cannot be listed (its permissions): an error, as an
        unreadable file is, for none of what it holds is shown (kiosk.core.content.reload
        keeps what was shown from it). One gone since it was looked at is just gone."""
        if isinstance(error, FileNotFoundError | NotADirectoryError):
            return
        self.log_for(folder).error("folder_unreadable", None, value=folder.name,
                                   detail=error.strerror or str(error))

    def _leads_inside(self, link: Path) -> bool:
        """Whether a link leads somewhere in the content folder (said only in its message)."""
        inside = os.path.join(os.path.realpath(self.root), "")
        return os.path.realpath(link).startswith(inside)  # realpath: loops do not raise

    def _is_folder(self, folder: Path) -> bool:
        """A folder of the content folder itself; a link or special file there is named."""
        kind = entry_kind(folder)
        if kind in ("link", "special", "file"):
            self._refused(folder, kind)
        return kind == "folder"

    def _load_posters(self, settings: Settings) -> tuple[Poster, ...]:
        """Full-screen pictures in posters/, in natural order; «name.yaml» beside «name.png»
        may give its duration, schedule and fit, and «name.portrait.png» is what a portrait
        screen shows instead."""
        folder = self.root / POSTERS_DIR
        if not self._is_folder(folder):
            return ()
        try:
            entries = sorted(folder.iterdir(), key=lambda p: natural_key(p.name))
        except OSError as error:
            self._unlistable(folder, error)
            return ()
        kinds = {p.name: entry_kind(p) for p in entries}
        # A side file that is a link or a FIFO is named, never read (a FIFO would block the
        # read for good).
        names = {name for name, kind in kinds.items() if kind not in ("folder", "")}
        pictures: dict[str, Path] = {}  # poster id -> its own picture
        variants: dict[str, Path] = {}  # poster id -> its portrait picture
        for path in entries:
            if not left_by_system(path.name) \
                    and self._windows_name(folder, None, path.name) == "windows_name_end":
                continue
            if left_by_system(path.name) or kinds[path.name] in ("folder", ""):
                if kinds[path.name] == "folder" and not left_by_system(path.name):
                    self._subfolder(path, POSTERS_DIR)
                continue
            suffix = path.suffix.lower()
            log = self.log_for(path)
            if suffix in (".yaml", ".yml"):
                self._poster_side_file_used(path, names, log)
                continue
            if suffix in IGNORED_SUFFIXES:
                self._note_in_picture_folder(path, POSTERS_DIR,
                                             ".png, .jpg, .svg, .mp4, .webm, .yaml")
                continue
            if not (self._clip_file_usable(path, log) if suffix in VIDEO_SUFFIXES
                    else self._picture_file_usable(path, suffix, log)):
                continue
            poster_id, is_variant = _poster_id(path)
            chosen = variants if is_variant else pictures
            if poster_id in chosen:  # «a.png» beside «a.mp4»: one poster, one file
                log.warning("poster_same_name", None, value=path.name,
                            shown=chosen[poster_id].name)
                continue
            chosen[poster_id] = path
        posters: list[Poster] = []
        for poster_id in sorted({*pictures, *variants}, key=natural_key):
            source = pictures.get(poster_id) or variants[poster_id]
            variant = variants.get(poster_id) if poster_id in pictures else None
            duration, schedule, fit, loop = None, ALWAYS, POSTER_FITS[0], False
            side = next((folder / f"{poster_id}{ext}" for ext in (".yaml", ".yml")
                         if f"{poster_id}{ext}" in names), None)
            if side is not None and kinds[side.name] == "file":
                duration, schedule, fit, loop = self._poster_settings(side)
            elif side is not None:
                self._refused(side, kinds[side.name])
            poster = Poster(poster_id, source, duration, schedule, fit, variant, loop)
            if loop and not poster.is_video and side is not None:
                self.log_for(side).warning("loop_on_picture", None, value=source.name)
            self._poster_shape(poster, settings.screen == "portrait")
            posters.append(poster)
        return tuple(posters)

    def _poster_side_file_used(self, path: Path, names: set[str], log: ProblemLog) -> None:
        """A side file is read for the poster of its name; say so when it is not."""
        poster_id, is_variant = _poster_id(path)
        has_picture = any(f"{poster_id}{image}" in names or f"{poster_id}.portrait{image}" in names
                          for image in (*IMAGE_SUFFIXES, *VIDEO_SUFFIXES))
        if is_variant and has_picture:
            log.warning("poster_variant_side_file", None, value=path.name,
                        expected=f"{poster_id}.yaml")
        elif not has_picture:
            log.warning("poster_side_file_alone", None, value=path.name)

    def _poster_shape(self, poster: Poster, portrait_screen: bool) -> None:
        """Warn of a poster made for the other orientation of screen (known only when the
        pictures were decoded, as `kiosk check` does)."""
        path = poster.picture_for(portrait_screen)
        size = self._image_sizes.get(path.resolve())
        if size is None or size[0] == size[1]:
            return
        if max(size) > POSTER_THINNEST * min(size):
            self.log_for(path).warning("poster_too_thin", None, value=path.name,
                                       size=f"{size[0]}×{size[1]}")
            return
        found = shape_problem(path.name, size, portrait_screen, poster.fit == "fill",
                              f"{poster.id}.portrait{path.suffix.lower()}")
        if found is not None:
            self.log_for(path).warning(found[0], None, **found[1])

    def _poster_settings(self, side: Path) -> tuple[float | None, Schedule, str, bool]:
        log = self.log_for(side)
        data = self._parsed_yaml(side)
        if data is None:
            return None, ALWAYS, POSTER_FITS[0], False
        if not isinstance(data, LineDict):
            log.error("not_a_mapping", 1, found=type(data).__name__)
            return None, ALWAYS, POSTER_FITS[0], False
        md = MarkdownFile(data, "", "", 1)
        self._unknown_fields(md, self.POSTER_FIELDS, log)
        return (self._duration(md, log), parse_schedule(data, log), self._poster_fit(md, log),
                self._flag(md, "loop", False, log))

    def _poster_fit(self, md: MarkdownFile, log: ProblemLog) -> str:
        value = md.fields.get("fit")
        if value is None:
            return POSTER_FITS[0]
        fit = POSTER_FIT_WORDS.get(str(value).strip().lower())
        if fit is None:
            log.error("bad_choice", md.fields.line_of("fit"), key="fit",
                      choices="whole (целиком), fill (заполнить)",
                      value=md.fields.raw_text.get("fit", typed(value)), default=POSTER_FITS[0])
            return POSTER_FITS[0]
        return fit

    def _load_notices(self) -> tuple[Notice, ...]:
        """Notices in notices/, one YAML file each, in natural order. Any other file there is
        named (a notice typed into «notice.txt» would be missed without a word)."""
        folder = self.root / NOTICES_DIR
        if not self._is_folder(folder):
            return ()
        try:
            with os.scandir(folder) as found:
                # Names equal but for case come in one order whatever the disk lists first.
                entries = sorted(((entry.name, _kind_of(entry)) for entry in found
                                  if not left_by_system(entry.name)),
                                 key=lambda entry: (natural_key(entry[0]), entry[0]))
        except OSError as error:
            self._unlistable(folder, error)
            return ()
        notices: list[Notice] = []
        read: dict[str, str] = {}  # the file read for each id, in any case
        for name, kind in entries:
            path = folder / name
            if self._windows_name(folder, None, name) == "windows_name_end":
                continue
            if kind == "folder":
                self._subfolder(path, NOTICES_DIR)
                continue
            if path.suffix.lower() not in NOTICE_SUFFIXES:
                if kind == "file" and name.lower() not in ("readme.txt", "readme.md"):
                    self.log_for(path).warning("notice_not_yaml", None, value=name,
                                               name=f"{path.stem}.yaml")
                continue
            if kind != "file":  # a link, a FIFO: named, never opened
                self._refused(path, kind)
                continue
            # «a.yaml» and «a.yml», or «A.yaml»: one notice (one file on many disks), so one
            # is read, and staff hear which.
            first = read.setdefault(path.stem.casefold(), name)
            if first != name:
                self.log_for(path).warning("notice_twin", None, value=name, other=first)
                continue
            notice = self._guarded(str(path), self._load_notice)
            if notice is not None:
                notices.append(notice)
        urgent = [notice for notice in notices if notice.urgent]
        if len(urgent) > MOST_URGENT_SHOWN:  # named at the first that may never show
            self.log_for(urgent[MOST_URGENT_SHOWN].source).warning(
                "notice_urgent_many", None, count=str(len(urgent)),
                most=str(MOST_URGENT_SHOWN))
        return tuple(notices)

    def _load_notice(self, path: Path) -> Notice | None:
        log = self.log_for(path)
        before = len(self.problems)
        data = self._parsed_yaml(path)
        if data is None:
            if len(self.problems) == before:  # an empty file: the YAML itself was fine
                log.error("missing_field", None, key="text")
            return None
        if not isinstance(data, LineDict):
            log.error("not_a_mapping", 1, found=type(data).__name__)
            return None
        md = MarkdownFile(data, "", "", 1)
        self._unknown_fields(md, self.NOTICE_FIELDS, log)
        text = Text(self._notice_text(md, "text", log), self._notice_text(md, "text_en", log))
        urgent = parse_level(data.raw_text.get("level", data.get("level")),
                             data.line_of("level"), log)
        schedule = parse_schedule(data, log)
        if urgent and schedule.end is None and not schedule.uses_closed_days \
                and schedule.months is None and schedule.yearly is None \
                and not any(problem.is_error for problem in self.problems[before:]):
            # A band on every screen for good: meant for a day's change of hours, most often.
            log.warning("notice_urgent_endless", data.line_of("level"), key="show_until")
        return Notice(path.stem, path, text, bool(urgent), self._duration(md, log), schedule)

    def _notice_text(self, md: MarkdownFile, key: str, log: ProblemLog) -> str:
        """A notice's text on one line (it is a sentence or two, set in a band or on a
        slide); a long one is told, one too long for the screen is an error."""
        if key not in md.fields:
            if key == "text":
                log.error("missing_field", None, key=key)
            return ""
        before = len(self.problems)
        text = " ".join(self._text_field(md, key, log, required=key == "text").split())
        line = md.fields.line_of(key)
        if not shows_anything(text):  # «\u200b», or «\u202e» taken out: as empty as «""»
            if not any(p.code in ("empty_field", "wrong_type") for p in self.problems[before:]):
                (log.error if key == "text" else log.warning)("empty_field", line, key=key)
            return ""
        word = longest_word(text)
        if len(word) > WORD_MOST:
            log.error("notice_long_word", line, key=key, length=str(len(word)),
                      value=word[:WORD_MOST] + "…", most=str(WORD_MOST))
        if len(text) > MOST_CHARS:
            log.error("notice_too_long", line, key=key, length=str(len(text)),
                      most=str(MOST_CHARS))
        elif len(text) > LONG_CHARS:
            log.warning("notice_long", line, key=key, length=str(len(text)),
                        most=str(LONG_CHARS))
        return text

    def _line_art_verdict(self, path: Path) -> str:
        assert self.line_art is not None
        try:
            return self.line_art(path)
        except Exception:  # the decoder check has already spoken about broken files
            return ""

    def _colouring_index(self, index: Path, present: set[str]) -> tuple[list[str], dict[str, Text]]:
        log = self.log_for(index)
        data = self._parsed_yaml(index)
        order: list[str] = []
        titles: dict[str, Text] = {}
        if data is None:
            return order, titles
        if not isinstance(data, list):
            log.error("colouring_index_not_list", 1)
            return order, titles
        for entry in data:
            if not isinstance(entry, LineDict):  # «- кот.svg», «- 5»
                log.error("colouring_entry_not_picture", None, value=typed(entry))
                continue
            if "file" not in entry:
                log.error("colouring_entry_no_file", min(entry.key_lines.values(), default=None))
                continue
            if not isinstance(entry["file"], str):  # «file: [a]», «file: 12:30» (a number)
                log.error("wrong_type", entry.line_of("file"), key="file", expected="text",
                          value=entry.raw_text.get("file", typed(entry["file"])),
                          default="nothing")
                continue
            name = entry["file"].strip()
            if name in order:  # the last entry wins, as the message says
                log.warning("duplicate_key", entry.line_of("file"), key=name)
                order.remove(name)
            if name not in present:
                # «й» as a Mac writes it in the file's name and as a keyboard types it here.
                forms = [p for p in present if unicodedata.normalize("NFC", p)
                         == unicodedata.normalize("NFC", name)]
                if len(forms) != 1:
                    log.error("colouring_unknown_file", entry.line_of("file"), value=name)
                    continue
                name = forms[0]
            for key in entry:
                if key not in ("file", "title", "title_en"):
                    log.warning("unknown_field", entry.line_of(key), key=key,
                                suggest=suggest(key, ["file", "title", "title_en"])
                                if log.shows_next("unknown_field") else "")
            order.append(name)
            for key in ("title", "title_en"):
                if isinstance(entry.get(key), list | dict):  # «title: [Кот]» was dropped unsaid
                    log.warning("wrong_type", entry.line_of(key), key=key, expected="text",
                                value=typed(entry[key]), default="nothing")
            ru, en = (self._shown_field(entry.raw_text.get(key, ""), key, log, entry.line_of(key))
                      for key in ("title", "title_en"))
            titles[name] = Text(ru or _title_from_name(Path(name).stem), en)
        return order, titles


# What makes a folder a content folder: any one of these in it.
CONTENT_MARKS = (SETTINGS_FILE, ANNIVERSARY_DIR, STORIES_DIR, COLOURING_DIR, POSTERS_DIR,
                 NOTICES_DIR, "images")


def _listing(folder: Path, most: int = 200) -> list[str]:
    """At most `most` names in `folder` (none if it cannot be read)."""
    try:
        with os.scandir(folder) as found:
            return [entry.name for _, entry in zip(range(most), found, strict=False)]
    except OSError:
        return []


def _content_inside(root: Path, names: list[str]) -> str:
    """The folder in `root`, or one level further down, that looks like the content folder
    («content», «kiosk/content»), as a path to give `kiosk check`; '' if none does."""
    folders = [root / name for name in names[:50] if (root / name).is_dir()]
    for folder in folders:
        if set(_listing(folder)) & set(CONTENT_MARKS):
            return str(folder)
    for folder in folders:
        for inner in sorted(_listing(folder, 50)):
            if set(_listing(folder / inner)) & set(CONTENT_MARKS) and (folder / inner).is_dir():
                return str(folder / inner)
    return ""


# Problems that say how a read went, not what the file says: a file with one is read again.
_NOT_KEPT = frozenset(("parse_too_slow", "parse_too_big", "unreadable", "svg_too_slow"))


def _file_digest(path: str) -> bytes | None:
    """What a small text file holds now (its size and bytes, as much of it as is ever
    parsed): the same digest is the same parse. Its stamp would not do: a file rewritten in
    the same tick of the file system's clock, with the same size, keeps its times (and its
    inode, written in place). Read without blocking; None when it is not a regular file or
    cannot be read (then it is parsed, and what is wrong is told)."""
    try:
        raw, size = read_at_most(path, MAX_TEXT_BYTES)
    except (OSError, ValueError):  # NotRegularFile is an OSError
        return None
    return hashes.blake2b(raw, digest_size=16, person=str(size).encode()[:16]).digest()


def _kind_of(entry: os.DirEntry[str]) -> str:
    """`entry_kind` of a listed entry (no system call: the listing says)."""
    if entry.is_symlink():
        return "link"
    if entry.is_file(follow_symlinks=False):
        return "file"
    return "folder" if entry.is_dir(follow_symlinks=False) else "special"


def _title_from_name(stem: str) -> str:
    text = re.sub(r"^\d+[-_ ]*", "", stem).replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else stem


def _unread_suffix(path: Path, shown_as: str, poster: bool = False
                   ) -> tuple[str, dict[str, str]]:
    """The problem code and arguments of a picture under an extension the kiosk does not
    read: a phone's HEIC photo, or a PDF for a poster, told how to make it a picture; a JPEG,
    PNG or SVG under another extension (Windows saves many a JPEG from the web as «.jfif»)
    told the name to give it; anything else an unsupported format."""
    suffix = path.suffix.lower()
    if suffix in (".heic", ".heif"):
        return "image_heic_named", {"value": shown_as}
    if poster and suffix == ".pdf":
        return "pdf_not_shown", {"value": shown_as}
    try:  # without blocking, nor following a link: a FIFO or a device is «unsupported»
        real = sniff(file_head(path, MAX_IMAGE_BYTES))
    except ImageFileError:
        real = None
    if real in KIND_SUFFIX:
        return "image_wrong_suffix", {"value": shown_as, "real": KIND_NAMES[real],
                                      "name": os.path.splitext(shown_as)[0] + KIND_SUFFIX[real]}
    return "bad_image_format", {"value": shown_as}


def _picture_problems(path: Path, shown_as: str) -> list[Problem]:
    """What can be told of a picture without decoding it: a file that is not what its suffix
    says, or a drawing kiosk.core.content.imagesafe refuses. Qt is never given either."""
    svg = path.suffix.lower() == ".svg"
    try:
        head = file_head(path, MAX_SVG_BYTES if svg else MAX_IMAGE_BYTES)
    except ImageFileError as exc:
        return [Problem("", None, Severity.ERROR, exc.code,
                        {"value": shown_as, "detail": exc.detail})]
    wrong = kind_problem(path.name, head)
    if wrong is not None:
        code, args = wrong
        return [Problem("", None, Severity.ERROR, code, {**args, "value": shown_as})]
    if svg:
        checked = safe_svg_file(path)
        if not checked.ok:
            return [Problem("", None, Severity.ERROR, checked.problem,
                            {"value": shown_as, "detail": checked.detail})]
        return []
    try:  # a PNG's or JPEG's chunks and markers: what costs a decoder most
        costly = raster_problem(read_image_file(path))
    except ImageFileError as exc:
        costly = exc.code, exc.detail
    if costly is not None:
        return [Problem("", None, Severity.ERROR, costly[0],
                        {"value": shown_as, "detail": costly[1]})]
    return []


def _check_layout_cost(text: str, lang: str, first: int, log: ProblemLog) -> None:
    """An error for a text whose layout would cost the screen too much (see MAX_BODY_BYTES):
    too big, too many lines, a word too long to wrap, quotes or lists nested too deep. Each
    check is one linear pass."""
    at = first or None
    size = len(text.encode("utf-8"))
    if size > MAX_BODY_BYTES:  # the other checks would only repeat it
        log.error("text_too_big", at, language=lang, size=str(-(-size // 1024)),
                  most=str(MAX_BODY_BYTES // 1024))
        return
    lines = text.count("\n") + 1
    if lines > MAX_BODY_LINES:
        log.error("text_too_many_lines", at, language=lang, lines=str(lines),
                  most=str(MAX_BODY_LINES))
    word = max(text.split(), key=len, default="")
    if len(word) > MAX_WORD_CHARS:
        line = text.count("\n", 0, text.find(word))
        log.error("text_long_word", first + line if first else None, language=lang,
                  value=word[:40] + "…", length=str(len(word)), most=str(MAX_WORD_CHARS))
    for line, row in enumerate(text.split("\n")):
        if (depth := _nesting(row)) > MAX_BODY_DEPTH:
            log.error("text_too_deep", first + line if first else None, language=lang,
                      depth=str(depth) if depth <= 2 * MAX_BODY_DEPTH else
                      f"{2 * MAX_BODY_DEPTH}+", most=str(MAX_BODY_DEPTH))
            break


def _nesting(row: str) -> int:
    """How deep a Markdown line nests quotes and lists: each «>» and list marker at its start
    («> - > 1. x»), and when it has one, its indentation (a nested item is indented about two
    spaces a level). Stops counting past twice the limit."""
    stripped = row.lstrip(" \t")
    if not stripped or stripped[0] not in ">-*+0123456789":
        return 0
    indent = len(row[: len(row) - len(stripped)].expandtabs(4)) // 2
    depth = 0
    at, end = len(row) - len(stripped), len(row)
    while at < end and depth + indent <= 2 * MAX_BODY_DEPTH:
        char = row[at]
        if char == ">":
            at += 1
        elif char in "-*+" and row[at + 1:at + 2] in (" ", "\t"):
            at += 2
        elif char.isdigit():
            digits = at
            while digits < end and digits - at < 9 and row[digits].isdigit():
                digits += 1
            if row[digits:digits + 1] not in (".", ")") \
                    or row[digits + 1:digits + 2] not in (" ", "\t"):
                break
            at = digits + 2
        else:
            break
        depth += 1
        while at < end and row[at] in " \t":
            at += 1
    return depth + indent if depth else 0


def body_images(text: str) -> list[int]:
    """Where a Markdown text has an image, as Qt's reader would see one: `![alt](path)`,
    with brackets in the alt text too, `![alt][ref]`, `![alt][]` or `![ref]` with a line
    `[ref]: path`, and an HTML `<img>`. One pass over the brackets (an open one kept on a
    stack until it is closed): linear whatever the text."""
    labels = _reference_labels(text)
    found: list[int] = []
    escaped = -1  # the position a backslash escapes
    opened: list[tuple[int, bool]] = []  # open brackets: where, and whether «![»
    for match in _MARKUP.finditer(text):
        at = match.start()
        if at == escaped:
            continue
        char = text[at]
        if char == "\\":
            escaped = at + 1
        elif char == "[":
            opened.append((at, at > 0 and text[at - 1] == "!" and escaped != at - 1))
        elif char == "]" and opened:
            start, image = opened.pop()
            if not image:
                continue
            after = text[at + 1:at + 2]
            if after == "(":
                found.append(start - 1)
            elif after == "[":
                close = text.find("]", at + 2, at + 1002)  # a label has at most 999 chars
                label = text[at + 2:close] if close >= 0 else ""
                if _label(label or text[start + 1:at]) in labels:
                    found.append(start - 1)
            elif at - start <= 1000 and _label(text[start + 1:at]) in labels:
                found.append(start - 1)
        elif char == "<" and text[at + 1:at + 4].lower() == "img" \
                and text[at + 4:at + 5] in (" ", "\t", "\n", "/", ">"):
            found.append(at)
    return sorted(found)


def _label(text: str) -> str:
    """A reference label as CommonMark matches them: any case, runs of spaces as one."""
    return " ".join(text.split()).casefold()


def _reference_labels(text: str) -> set[str]:
    """The labels of the link reference definitions (`[ref]: path`) in a text."""
    labels: set[str] = set()
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > 3 or not stripped.startswith("["):
            continue
        close = stripped.find("]:")
        if close > 1:
            labels.add(_label(stripped[1:close]))
    return labels


def _lines_of(text: str, offsets: list[int]) -> list[int]:
    """The line (from 0) of each of these sorted offsets in `text`, in one pass."""
    lines: list[int] = []
    line = 0
    previous = 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        previous = offset
        lines.append(line)
    return lines


def load_content(root: Path, probe: ImageProbe = no_probe,
                 line_art: LineArtProbe | None = None,
                 cache: ParseCache | None = None, story_limit: int | None = None,
                 workers: int = 1, sandboxed: bool = True,
                 machine: Sequence[SettingsPath] = (), centre: Path | None = None) -> Content:
    """The whole folder; `line_art` (slow: it prepares every colouring picture) is for
    `kiosk check`, not for start-up; `cache` makes the next load of the same folder read
    only what changed; `story_limit` reads only that many stories; `workers` > 1 reads a
    large folder's stories in that many processes (`probe` must then be a module-level
    function). Files are parsed in the sandbox's child process unless `sandboxed` is off.
    `machine`: the settings files of this computer (kiosk.core.machine), read over the
    content's kiosk.yaml. `centre`: the centre's own folder, merged with `root` (head
    office's) by kiosk.core.content.merge's rule."""
    return ContentLoader(root, probe, line_art, cache, story_limit, workers,
                         shared_sandbox() if sandboxed else None, machine, centre).load()


def _read_stories(root: Path, settings: Settings, probe: ImageProbe,
                  paths: list[str]) -> tuple[list[Story | None], list[Problem]]:
    """In a worker process: these story files, read as ContentLoader reads them."""
    loader = ContentLoader(root, probe, sandbox=shared_sandbox())
    items = [loader._guarded(path, lambda p: loader._load_story(p, settings))
             for path in paths]
    return items, loader.problems
