"""The attract loop: which slide shows, for how long. Time is an argument, never read here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from kiosk.core.content.model import AnniversaryPage, Content, Notice, Story
from kiosk.core.content.teaser import reading_seconds, teaser_line, word_count


class SlideKind(Enum):
    WELCOME = "welcome"
    ANNIVERSARY = "anniversary"
    STORY = "story"
    COLOURING = "colouring"
    CALM = "calm"  # the invitation to the calm minute
    POSTER = "poster"  # a full-screen picture from posters/
    NOTICE = "notice"  # an ordinary notice from notices/ (urgent ones are a band instead)


@dataclass(frozen=True)
class Slide:
    """One slide of the attract loop: what it shows and for how long."""

    kind: SlideKind
    item_id: str
    duration: float

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.item_id}" if self.item_id else self.kind.value


COLOURING_EVERY = 4  # an invitation comes back after this many other slides
INVITATION_WORDS = 8  # an invitation's headline and line


def poster_seconds(item: Story | AnniversaryPage, content: Content) -> float:
    """A teaser stays as long as its words take to read (the item's own `duration` wins)."""
    if item.duration:
        return item.duration
    lang = content.settings.default_language
    words = word_count(item.title.get(lang)) + word_count(teaser_line(item, lang))
    return reading_seconds(words, content.settings.slide_seconds)


def notice_seconds(notice: Notice, content: Content) -> float:
    """A notice stays as long as its words and its kicker take to read (its `duration` wins)."""
    if notice.duration:
        return notice.duration
    words = word_count(notice.text.get(content.settings.default_language)) + 1
    return reading_seconds(words, content.settings.slide_seconds)


def build_cycle(content: Content, cycle: int = 0, local: dt.datetime | None = None) -> list[Slide]:
    """Slides of one pass of the loop: anniversary pages interleaved with stories, and an
    invitation every few slides (to the colouring page and to the calm minute, in turn).
    Each pass takes the next stories in turn, so a large collection is shown over successive
    passes rather than the same few each time. With `local` (the centre's wall-clock time)
    only the items scheduled for then are taken."""
    settings = content.settings
    default = settings.slide_seconds
    pages = [Slide(SlideKind.ANNIVERSARY, p.id, poster_seconds(p, content))
             for p in content.pages_at(local)] if settings.attract_anniversary else []
    posters = [Slide(SlideKind.POSTER, p.id, p.duration or default)
               for p in content.posters_at(local)]
    eligible = [s for s in content.stories_at(local) if s.attract]
    stories: list[Slide] = []
    if eligible and settings.attract_stories:
        count = min(settings.attract_stories, len(eligible))
        start = (cycle * count) % len(eligible)
        chosen = [eligible[(start + i) % len(eligible)] for i in range(count)]
        stories = [Slide(SlideKind.STORY, s.id, poster_seconds(s, content)) for s in chosen]

    mixed: list[Slide] = []
    for i in range(max(len(pages), len(stories))):
        if i < len(pages):
            mixed.append(pages[i])
        if i < len(stories):
            mixed.append(stories[i])

    # Staff posters are spread through the pass, one after every few items.
    if posters:
        step = max(1, len(mixed) // len(posters)) if mixed else 1
        for n, poster in enumerate(posters):
            mixed.insert(min(len(mixed), n * (step + 1)), poster)

    # Ordinary notices likewise, each once a pass (urgent ones are a band, not a slide).
    notices = [Slide(SlideKind.NOTICE, n.id, notice_seconds(n, content))
               for n in content.notices_at(local) if not n.urgent]
    if notices:
        step = max(1, len(mixed) // len(notices)) if mixed else 1
        for n, notice in enumerate(notices):
            mixed.insert(min(len(mixed), n * (step + 1)), notice)

    invites = [kind for kind, on in (
        (SlideKind.COLOURING, settings.attract_colouring_invite and bool(content.colouring)),
        (SlideKind.CALM, settings.attract_calm_invite)) if on]
    slides: list[Slide] = []
    for i, slide in enumerate(mixed):
        if invites and i % COLOURING_EVERY == 0:
            kind = invites[(i // COLOURING_EVERY) % len(invites)]
            slides.append(Slide(kind, "", reading_seconds(INVITATION_WORDS, default)))
        slides.append(slide)
    if not slides:  # nothing to show: the colouring invitation, else the branded welcome
        colouring = SlideKind.COLOURING in invites
        slides.append(Slide(SlideKind.COLOURING if colouring else SlideKind.WELCOME, "", default))
    return slides


class AttractPlaylist:
    """Steps through the loop as time passes; call `tick(now)` as often as you like. `now` is
    monotonic seconds (for durations); `wall` gives the centre's wall-clock time (for
    schedules), read when a pass of the loop is built."""

    def __init__(self, content: Content, now: float,
                 wall: Callable[[], dt.datetime | None] = lambda: None) -> None:
        self.content = content
        self.wall = wall
        self.cycle = 0
        self.slides = build_cycle(content, 0, wall())
        self.index = 0
        self.shown_at = now

    @property
    def current(self) -> Slide:
        return self.slides[self.index]

    def remaining(self, now: float) -> float:
        return max(0.0, self.shown_at + self.current.duration - now)

    def tick(self, now: float) -> Slide | None:
        """The new slide if the current one's time is up, else None. A clock that jumps (NTP,
        suspend) moves on by one slide at most, and never stalls when it goes backwards."""
        if now < self.shown_at:
            self.shown_at = now
        if now - self.shown_at < self.current.duration:
            return None
        return self.advance(now)

    def advance(self, now: float) -> Slide:
        self.index += 1
        if self.index >= len(self.slides):
            self.cycle += 1
            self.slides = build_cycle(self.content, self.cycle, self.wall())
            self.index = 0
        self.shown_at = now
        return self.current

    def follow_wall_clock(self) -> None:
        """The wall clock was set (NTP after a start without a clock battery, or a person):
        the slide on show stays for its time, and what follows it is a pass built for the new
        time, not the rest of one built for the old (a poster of today's date missing, or
        yesterday's still shown, until the pass ended minutes later). What this pass has
        shown already is not shown again in it, nor an invitation twice running: the new
        pass starts where the old one did (the slide on show was its first invitation, or
        a story of it shown again three slides later)."""
        seen = {s.key for s in self.slides[:self.index + 1] if s.item_id}
        slides = [self.current]
        for slide in build_cycle(self.content, self.cycle, self.wall()):
            if slide.key in seen or (not slide.item_id and not slides[-1].item_id):
                continue
            slides.append(slide)
        self.slides = slides
        self.index = 0

    def restart(self, now: float) -> Slide:
        """Back to the first slide of the loop (after a visitor's session ends), with the
        schedule as it is now."""
        self.slides = build_cycle(self.content, self.cycle, self.wall())
        self.index = 0
        self.shown_at = now
        return self.current
