from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kiosk.core.content.model import AnniversaryPage, ColouringPicture, Content, Story, Text
from kiosk.core.playlist import AttractPlaylist, SlideKind, build_cycle
from kiosk.core.settings import Settings


def content(pages: int = 3, stories: int = 5, colouring: bool = True,
            **settings: object) -> Content:
    settings.setdefault("attract_calm_invite", False)  # its own tests switch it on
    return Content(
        root=Path("content"),
        settings=replace(Settings(), **settings),  # type: ignore[arg-type]
        pages=tuple(AnniversaryPage(f"p{i}", Path(f"p{i}.md"), Text(f"P{i}"), Text("…"),
                                    duration=20.0 if i == 1 else None) for i in range(pages)),
        stories=tuple(Story(f"s{i}", Path(f"s{i}.md"), Text(f"S{i}"), Text("…"))
                      for i in range(stories)),
        colouring=(ColouringPicture("cat", Path("cat.svg"), Text("Кот")),) if colouring else (),
    )


def keys(c: Content, cycle: int = 0) -> list[str]:
    return [s.key for s in build_cycle(c, cycle)]


def test_pages_and_stories_alternate_with_the_invitations() -> None:
    assert keys(content(attract_stories=2, attract_calm_invite=True)) == [
        "colouring", "anniversary:p0", "story:s0", "anniversary:p1", "story:s1",
        "calm", "anniversary:p2"]
    assert keys(content(attract_stories=2)) == [
        "colouring", "anniversary:p0", "story:s0", "anniversary:p1", "story:s1",
        "colouring", "anniversary:p2"]
    # No colouring pictures: the calm minute is invited every time.
    assert keys(content(attract_stories=2, colouring=False,
                        attract_calm_invite=True))[::5] == ["calm", "calm"]


def test_each_pass_takes_the_next_stories() -> None:
    c = content(pages=0, colouring=False, attract_stories=2)
    assert keys(c, 0) == ["story:s0", "story:s1"]
    assert keys(c, 1) == ["story:s2", "story:s3"]
    assert keys(c, 2) == ["story:s4", "story:s0"]


def test_durations_come_from_the_page_or_the_settings() -> None:
    slides = build_cycle(content(slide_seconds=7.0, attract_colouring_invite=False))
    durations = {s.key: s.duration for s in slides}
    assert durations["anniversary:p1"] == 20.0
    assert durations["anniversary:p0"] == 7.0


def test_switched_off_parts_are_left_out() -> None:
    c = content(attract_anniversary=False, attract_stories=0)
    assert keys(c) == ["colouring"]
    assert keys(replace(c, settings=replace(c.settings, attract_calm_invite=True))) == [
        "colouring"]
    assert keys(content(pages=0, stories=0, colouring=False, attract_calm_invite=True)) == [
        "welcome"]
    assert keys(content(pages=0, stories=0, colouring=False)) == ["welcome"]


def test_stories_marked_not_for_attract_are_skipped() -> None:
    c = content(pages=0, colouring=False, attract_stories=10)
    hidden = replace(c.stories[1], attract=False)
    c = replace(c, stories=(c.stories[0], hidden, *c.stories[2:]))
    assert "story:s1" not in keys(c)


def test_playlist_moves_on_when_the_time_is_up() -> None:
    c = content(pages=2, stories=0, colouring=False, slide_seconds=5.0)
    playlist = AttractPlaylist(c, now=100.0)
    assert playlist.current.key == "anniversary:p0"
    assert playlist.tick(104.9) is None
    assert playlist.remaining(104.0) == 1.0
    nxt = playlist.tick(105.0)
    assert nxt is not None and nxt.key == "anniversary:p1"
    assert playlist.tick(110.0) is None  # p1 lasts 20 s
    wrapped = playlist.tick(125.0)
    assert wrapped is not None and wrapped.key == "anniversary:p0"


def test_a_clock_jump_moves_one_slide_and_backwards_never_stalls() -> None:
    c = content(pages=3, stories=0, colouring=False, slide_seconds=5.0)
    playlist = AttractPlaylist(c, now=0.0)
    moved = playlist.tick(100_000.0)
    assert moved is not None and moved.key == "anniversary:p1"
    assert playlist.tick(50.0) is None  # clock went back
    assert playlist.tick(75.0) is not None


def test_a_wall_clock_set_is_followed_from_the_next_slide() -> None:
    """A kiosk starting on a stale clock (no clock battery) built its pass for that day; NTP
    sets the clock: today's poster comes next, not after the old pass's remaining minutes."""
    import datetime as dt

    from kiosk.core.content.model import Poster
    from kiosk.core.schedules.schedule import Schedule

    today = Poster("sale", Path("sale.png"), schedule=Schedule(start=dt.date(2026, 12, 7)))
    c = replace(content(pages=3, stories=3, colouring=False), posters=(today,))
    wall = [dt.datetime(2026, 1, 1, 10, 0)]
    playlist = AttractPlaylist(c, now=0.0, wall=lambda: wall[0])
    assert "poster:sale" not in [s.key for s in playlist.slides]
    on_show = playlist.current
    wall[0] = dt.datetime(2026, 12, 7, 10, 0)
    playlist.follow_wall_clock()
    assert playlist.current == on_show  # it stays for its time
    assert playlist.tick(on_show.duration - 0.1) is None
    following = [playlist.advance(on_show.duration + i).key for i in range(2)]
    assert "poster:sale" in following
    wall[0] = dt.datetime(2026, 1, 1, 10, 0)  # and back: gone from the slides that follow
    playlist.follow_wall_clock()
    assert "poster:sale" not in [s.key for s in playlist.slides[1:]]


def test_a_wall_clock_set_shows_nothing_of_the_pass_twice() -> None:
    """NTP sets the clock while the loop runs: the rest of the pass is built for the new
    time, but what this pass showed already is not shown again in it (the story on show
    came back three slides later), nor an invitation twice running (the colouring
    invitation on show, then again)."""
    import datetime as dt
    from itertools import pairwise

    wall = [dt.datetime(2026, 1, 1, 10, 0)]
    for on_show in (0, 3):
        playlist = AttractPlaylist(content(attract_stories=3), now=0.0, wall=lambda: wall[0])
        for step in range(on_show):
            playlist.advance(float(step))
        shown = [s.key for s in playlist.slides[:on_show + 1]]
        playlist.follow_wall_clock()
        while playlist.index + 1 < len(playlist.slides):  # to the end of this pass
            shown.append(playlist.advance(100.0).key)
        items = [key for key in shown if ":" in key]
        assert len(items) == len(set(items)), shown
        assert all(":" in a or ":" in b for a, b in pairwise(shown)), shown


def test_restart_goes_back_to_the_first_slide() -> None:
    playlist = AttractPlaylist(content(), now=0.0)
    playlist.advance(1.0)
    assert playlist.restart(2.0).kind is SlideKind.COLOURING
