"""The content the kiosk shows, as plain immutable data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.content.clipfile import is_video
from kiosk.core.content.problems import Language, Problem
from kiosk.core.schedules.schedule import ALWAYS, ClosedDays, Schedule
from kiosk.core.settings import MAX_TAGS, Settings


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Russian with an optional English translation (Russian stands in for it)."""

    ru: str
    en: str = ""

    def get(self, lang: Language) -> str:
        return self.en if lang == "en" and self.en else self.ru


@dataclass(frozen=True, slots=True)
class AnniversaryPage:
    """A page of the anniversary story, as read from anniversary/."""

    id: str
    source: Path
    title: Text
    body: Text
    image: Path | None = None
    duration: float | None = None
    schedule: Schedule = ALWAYS
    teaser: Text = Text("")  # the one line under the title on the attract poster
    video: Path | None = None  # a clip played (looped, muted) where the picture would be
    origin: str = "shared"  # "shared": head office's folder; "centre": the centre's own


@dataclass(frozen=True, slots=True)
class Story:
    """A sincere-service story, as read from stories/."""

    id: str
    source: Path
    title: Text
    body: Text
    centre: Text = Text("")
    date: dt.date | None = None
    tags: tuple[str, ...] = ()
    photo: Path | None = None
    example: bool = False
    attract: bool = True
    duration: float | None = None
    schedule: Schedule = ALWAYS
    teaser: Text = Text("")  # a sentence or pull quote for the attract poster; see teaser.py
    video: Path | None = None  # a clip played (looped, muted) where the photo would be
    origin: str = "shared"  # "shared": head office's folder; "centre": the centre's own


@dataclass(frozen=True, slots=True)
class Poster:
    """A full-screen picture made by the centre or head office: a slide of its own."""

    id: str
    source: Path  # the picture itself
    duration: float | None = None
    schedule: Schedule = ALWAYS
    fit: str = "whole"  # "whole": all of it, with margins; "fill": the screen, edges cut off
    portrait: Path | None = None  # «name.portrait.png» beside it: what a portrait screen shows
    loop: bool = False  # a clip: played over and over for `duration`, else once to its end
    origin: str = "shared"  # "shared": head office's folder; "centre": the centre's own

    def picture_for(self, portrait_screen: bool) -> Path:
        """The file a screen of this orientation shows."""
        return self.portrait if portrait_screen and self.portrait is not None else self.source

    def is_video_for(self, portrait_screen: bool) -> bool:
        """Whether a screen of this orientation plays a clip (kiosk.core.content.clipfile)."""
        return is_video(self.picture_for(portrait_screen))

    @property
    def is_video(self) -> bool:
        return is_video(self.source) or (self.portrait is not None and is_video(self.portrait))


@dataclass(frozen=True, slots=True)
class Notice:
    """A short text from notices/ (kiosk.core.content.notices): an ordinary one is a slide of the
    loop, an urgent one a band at the foot of every visitor screen while its schedule holds."""

    id: str
    source: Path
    text: Text
    urgent: bool = False
    duration: float | None = None  # an ordinary notice's slide
    schedule: Schedule = ALWAYS
    origin: str = "shared"  # "shared": head office's folder; "centre": the centre's own


@dataclass(frozen=True, slots=True)
class ColouringPicture:
    """A picture children can colour, as listed in colouring/."""

    id: str
    source: Path
    title: Text
    origin: str = "shared"  # "shared": head office's folder; "centre": the centre's own


@dataclass(frozen=True, slots=True)
class Content:
    """Everything a content folder holds that the kiosk shows, and the problems found in it."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    pages: tuple[AnniversaryPage, ...] = ()
    stories: tuple[Story, ...] = ()
    colouring: tuple[ColouringPicture, ...] = ()
    problems: tuple[Problem, ...] = ()
    posters: tuple[Poster, ...] = ()
    notices: tuple[Notice, ...] = ()
    # The centre's own folder read beside `root` (kiosk.core.content.merge), None: `root` alone.
    centre: Path | None = None
    # The files of head office's items its hidden.yaml hid (kiosk.core.content.reload keeps
    # them hidden while the file is copied again).
    hidden: frozenset[str] = frozenset()
    # Answers worked out once for this content: with 37,000 stories, filtering them all on
    # every page turn or slide would cost a frame each time.
    _memo: dict[object, object] = field(default_factory=dict, init=False, repr=False,
                                         compare=False, hash=False)

    def pages_at(self, local: dt.datetime | None) -> tuple[AnniversaryPage, ...]:
        """The pages to show at the centre's wall-clock time `local` (None: all of them)."""
        if local is None:
            return self.pages
        closed = self.closed_days()
        return tuple(p for p in self.pages if p.schedule.active(local, closed))

    def posters_at(self, local: dt.datetime | None) -> tuple[Poster, ...]:
        """The posters to show at `local` (None: all of them)."""
        if local is None:
            return self.posters
        closed = self.closed_days()
        return tuple(p for p in self.posters if p.schedule.active(local, closed))

    def notices_at(self, local: dt.datetime | None) -> tuple[Notice, ...]:
        """The notices to show at `local` (None: all of them)."""
        if local is None:
            return self.notices
        closed = self.closed_days()
        return tuple(n for n in self.notices if n.schedule.active(local, closed))

    def closed_days(self) -> ClosedDays | None:
        """kiosk.yaml's closed days as schedules ask about them (None: it lists none), one
        for this content, so each day is worked out once."""
        if not self.settings.closed_days:
            return None
        found = self._memo.get("closed_days")
        if found is None:
            found = self._memo["closed_days"] = ClosedDays(self.settings.opening.is_closed_day)
        return found  # type: ignore[return-value]

    def stories_at(self, local: dt.datetime | None) -> tuple[Story, ...]:
        """The stories to show at `local` (None: all of them). Schedules go by the minute,
        so the answer is kept for the minute."""
        if local is None or not self._scheduled():
            return self.stories
        minute = local.replace(second=0, microsecond=0)
        key = ("stories_at", minute)
        found = self._memo.get(key)
        if found is None:
            for old in [k for k in self._memo if isinstance(k, tuple) and k[0] == "stories_at"]:
                del self._memo[old]
            closed = self.closed_days()
            found = self._memo[key] = tuple(
                s for s in self.stories
                if s.schedule is ALWAYS or s.schedule.active(minute, closed))
        return found  # type: ignore[return-value]

    def _scheduled(self) -> bool:
        found = self._memo.get("scheduled")
        if found is None:
            found = self._memo["scheduled"] = any(s.schedule is not ALWAYS for s in self.stories)
        return bool(found)

    def story(self, story_id: str) -> Story | None:
        by_id = self._memo.get("by_id")
        if by_id is None:
            by_id = self._memo["by_id"] = {s.id: s for s in self.stories}
        return by_id.get(story_id)  # type: ignore[attr-defined, no-any-return]

    def warm(self) -> Content:
        """Work out now (in a worker thread) what the screens will ask first."""
        self._scheduled()
        self.story("")
        self.story_tags()
        self.clips()  # the attract screen asks at once whether to load the player
        return self

    @property
    def is_empty(self) -> bool:
        return not self.pages and not self.stories and not self.posters and not self.notices

    def clips(self) -> tuple[Path, ...]:
        """Every video clip the content plays, each once (posters' in both orientations,
        pages' and stories'): the player is loaded only when there is one."""
        found = self._memo.get("clips")
        if found is None:
            paths = [path for poster in self.posters
                     for path in (poster.source, poster.portrait)
                     if path is not None and is_video(path)]
            paths += [page.video for page in self.pages if page.video is not None]
            paths += [story.video for story in self.stories if story.video is not None]
            found = self._memo["clips"] = tuple(dict.fromkeys(paths))
        return found  # type: ignore[return-value]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def story_tags(self, stories: tuple[Story, ...] | None = None) -> tuple[str, ...]:
        """Tags in use (by `stories`, or all), in the order of the kiosk.yaml vocabulary. Where
        kiosk.yaml lists tags, only those are chips: a misspelt tag is the story's own
        problem (`kiosk check` names it) and never adds a chip to every story's screen."""
        chosen = self.stories if stories is None else stories
        key = ("tags", id(chosen))
        found = self._memo.get(key)
        if found is not None and found[0] is chosen:  # type: ignore[index]
            return found[1]  # type: ignore[index, no-any-return]
        tags = tags_in_use(chosen, self.settings.tags)[:MAX_TAGS]
        for old in [k for k in self._memo if isinstance(k, tuple) and k[0] == "tags"]:
            del self._memo[old]
        self._memo[key] = (chosen, tags)
        return tags

    def tag_label(self, tag: str, lang: Language) -> str:
        if lang == "en":
            return self.settings.tags.get(tag, tag) or tag
        return tag


def tags_in_use(stories: tuple[Story, ...], vocabulary: Mapping[str, str]) -> tuple[str, ...]:
    """The tags `stories` use, in the order of kiosk.yaml's list; where it lists none, every
    tag used, sorted. Uncut: `Content.story_tags` shows MAX_TAGS of them."""
    used = {tag for story in stories for tag in story.tags}
    known = [tag for tag in vocabulary if tag in used]
    return (*known, *(sorted(used - set(known)) if not vocabulary else ()))
