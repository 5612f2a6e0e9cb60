"""The content the kiosk shows, as plain immutable data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.problems import Language, Problem
from kiosk.core.schedule import ALWAYS, Schedule
from kiosk.core.settings import Settings


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Russian with an optional English translation (Russian stands in for it)."""

    ru: str
    en: str = ""

    def get(self, lang: Language) -> str:
        return self.en if lang == "en" and self.en else self.ru


@dataclass(frozen=True, slots=True)
class AnniversaryPage:
    id: str
    source: Path
    title: Text
    body: Text
    image: Path | None = None
    duration: float | None = None
    schedule: Schedule = ALWAYS


@dataclass(frozen=True, slots=True)
class Story:
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


@dataclass(frozen=True, slots=True)
class ColouringPicture:
    id: str
    source: Path
    title: Text


@dataclass(frozen=True, slots=True)
class Content:
    root: Path
    settings: Settings = field(default_factory=Settings)
    pages: tuple[AnniversaryPage, ...] = ()
    stories: tuple[Story, ...] = ()
    colouring: tuple[ColouringPicture, ...] = ()
    problems: tuple[Problem, ...] = ()

    def pages_at(self, local: dt.datetime | None) -> tuple[AnniversaryPage, ...]:
        """The pages to show at the centre's wall-clock time `local` (None: all of them)."""
        if local is None:
            return self.pages
        return tuple(p for p in self.pages if p.schedule.active(local))

    def stories_at(self, local: dt.datetime | None) -> tuple[Story, ...]:
        if local is None:
            return self.stories
        return tuple(s for s in self.stories if s.schedule.active(local))

    @property
    def is_empty(self) -> bool:
        return not self.pages and not self.stories

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def story_tags(self, stories: tuple[Story, ...] | None = None) -> tuple[str, ...]:
        """Tags in use (by `stories`, or all), in the order of the kiosk.yaml vocabulary, then
        the unknown ones."""
        used = {tag for story in (self.stories if stories is None else stories)
                for tag in story.tags}
        known = [tag for tag in self.settings.tags if tag in used]
        return (*known, *sorted(used - set(known)))

    def tag_label(self, tag: str, lang: Language) -> str:
        if lang == "en":
            return self.settings.tags.get(tag, tag) or tag
        return tag
