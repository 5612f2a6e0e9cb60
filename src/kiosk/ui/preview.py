"""`kiosk preview`: every screen rendered to PNG without a window, plus a contact sheet.

Staff look at it before they publish; tests and reviewers look at it to see the screens.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from kiosk.core.breathing import BOX, BreathingExercise
from kiosk.core.content.loader import load_content
from kiosk.core.content.merge import origin_label, origin_of
from kiosk.core.content.model import Content
from kiosk.core.content.problems import Language, shorten
from kiosk.core.machine import SettingsPath
from kiosk.core.pin import PinStore
from kiosk.core.playlist import Slide, SlideKind, build_cycle
from kiosk.core.queue import Call
from kiosk.core.schedules.opening import screen_state
from kiosk.core.schedules.schedule import Schedule
from kiosk.core.schedules.schedule_text import schedule_phrase
from kiosk.core.service.screen_report import ScreenReport, why
from kiosk.core.staff_text import st
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import probe_image
from kiosk.ui.staff.menu import StaffAction
from kiosk.ui.theme import Theme

# Reads a content folder with every problem `kiosk check` finds (kiosk.cli.checked_content):
# (content, this computer's settings files, the centre's folder).
Checker = Callable[[Path, tuple[SettingsPath, ...], Path | None], Content]

SAMPLE_CALLS = [Call("А017", "12"), Call("Б104", "3"), Call("В009", "27")]


@dataclass(frozen=True)
class Shot:
    file: str
    caption: str
    source: str = ""  # the content file behind the screen, to find its problems


def _said(sheet: Language, ru: str, en: str) -> str:
    """The contact sheet's own words in its language (`--lang`; Russian without it)."""
    return en if sheet == "en" else ru


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def attract_slides(content: Content, local: dt.datetime | None = None) -> list[Slide]:
    """Every slide the loop can show (at the centre's time `local`, or ever), each once."""
    seen: dict[str, Slide] = {}
    cycle = 0
    while True:
        new = [s for s in build_cycle(content, cycle, local) if s.key not in seen]
        if not new:
            break
        seen.update((s.key, s) for s in new)
        cycle += 1
    return list(seen.values())


def render_previews(content: Content, out: Path, size: tuple[int, int],
                    lang: Language | None = None,
                    at: dt.datetime | None = None,
                    high_contrast: bool = False) -> list[Shot]:
    """Every screen as PNG. With `at` (an aware moment) the schedules are applied as they
    will be then; without, every item is shown. With `high_contrast`, the visitor's screens
    in the large-text, high-contrast mode (attract never uses it)."""
    app = QApplication.instance()
    assert app is not None
    out.mkdir(parents=True, exist_ok=True)
    window = preview_window(content, size, at)
    if lang is not None:
        window.set_language(lang)
    sheet: Language = lang or "ru"
    shots: list[Shot] = []
    for shot in walk_screens(window, content, at, high_contrast, sheet):
        window.grab().save(str(out / shot.file))
        shots.append(shot)
    window.allow_close = True  # the kiosk refuses to close otherwise
    window.close()
    window.deleteLater()
    write_contact_sheet(content, out, shots, size,
                        content.settings.local_time(at) if at is not None else None, sheet)
    return shots


def preview_window(content: Content, size: tuple[int, int],
                   at: dt.datetime | None = None) -> KioskWindow:
    """A kiosk window that is never shown on a screen, with its clock stopped at `at`."""
    if at is None:
        window = KioskWindow(Theme(*size), content)
        for screen in window.screens:
            screen.wall = lambda: None  # no moment given: everything, whatever its schedule
        # and the band with the urgent notices (the first shows; the band shows each in turn;
        # the first five, as it holds at once), whatever their schedules: else a notice tied
        # to closed days that kiosk.yaml does not list yet would never be seen before it is up.
        window.every_notice = True
        window.show_notices()
    else:
        window = KioskWindow(Theme(*size), content, utc_now=lambda: at)
    # The attract loop stands still: its first slide is on show for as long as the walk
    # takes. On the wall clock, a walk slower than that slide's time (a busy computer, a
    # 4K grab) showed the queue's shots over whichever slide the loop had reached by then,
    # or over a transition half done.
    stopped = window.attract.clock()
    window.attract.clock = lambda: stopped
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    if content.clips():  # a clip's slide: its first frame with a play mark, never played
        from kiosk.ui.video.still import clip_still

        window.attract.clip_still = clip_still
    window.show()
    return window


@contextmanager
def _prepared_ahead(window: KioskWindow, content: Content) -> Iterator[None]:
    """The colouring pictures prepared as a running kiosk prepares them in its loop, kept in a
    folder of the preview's own for as long as the picker and the page are shown."""
    from kiosk.core.colouring.prepare_apart import let_go
    from kiosk.core.content.loader import COLOURING_MOST
    from kiosk.ui.colouring import ahead as colouring_ahead

    before = colouring_ahead.store()
    with tempfile.TemporaryDirectory(prefix="kiosk-preview-") as folder:
        colouring_ahead.use_store(Path(folder))
        try:
            colouring_ahead.prepare_ahead(content.colouring[:COLOURING_MOST],
                                          window.colouring_canvas(),
                                          content.settings.colouring_gap_px,
                                          window.colouring_canvas(ratio=1.0))
            yield
        finally:
            colouring_ahead.use_store(before.directory if before is not None else None)
            let_go()


def walk_screens(window: KioskWindow, content: Content, at: dt.datetime | None = None,
                 high_contrast: bool = False, sheet: Language = "ru") -> Iterator[Shot]:
    """Puts every screen up in turn and yields a Shot for each while it is showing (the
    previews grab it, the accessibility audit measures it); captions in `sheet`'s language."""
    app = QApplication.instance()
    assert app is not None
    local = content.settings.local_time(at) if at is not None else None

    def ready(name: str, caption: str, source: Path | None = None) -> Shot:
        app.processEvents()
        return Shot(f"{name}.png", caption, str(source) if source else "")

    if not high_contrast:  # the attract loop is always in the usual theme
        pages = {p.id: p for p in content.pages}
        stories = {s.id: s for s in content.stories}
        posters = {p.id: p for p in content.posters}
        notices = {n.id: n for n in content.notices}
        number = 0
        for slide in attract_slides(content, local):
            window.show_screen(window.attract)
            failed = len(window.attract.failed_clips)
            window.attract.display(slide)
            if len(window.attract.failed_clips) > failed:
                continue  # a clip with no frame to show: the loop skips it (logged)
            number += 1
            source = (pages[slide.item_id].source if slide.kind is SlideKind.ANNIVERSARY
                      else stories[slide.item_id].source if slide.kind is SlideKind.STORY
                      else posters[slide.item_id].picture_for(window.theme.portrait)
                      if slide.kind is SlideKind.POSTER
                      else notices[slide.item_id].source if slide.kind is SlideKind.NOTICE
                      else None)
            name = f"attract-{number:02d}-{slide.kind.value}"
            if slide.item_id:
                name += f"-{_slug(slide.item_id)}"
            yield ready(name, _said(sheet, f"Заставка {number}", f"Attract loop {number}")
                        + f": {slide.kind.value} {slide.item_id}", source)
        window.attract.stop()
    else:
        window.show_screen(window.menu)
    window.set_high_contrast(high_contrast)
    if at is None:
        for screen in window.screens:
            screen.wall = lambda: None

    window.show_screen(window.menu)
    yield ready("menu", _said(sheet, "Меню", "Menu"))
    current = window.lang
    window.set_language("en" if current == "ru" else "ru")
    yield ready(f"menu-{window.lang}", _said(sheet, "Меню", "Menu") + f" ({window.lang})")
    window.set_language(current)

    window.show_screen(window.anniversary)
    for index, page in enumerate(content.pages_at(local)):
        window.anniversary.go(index)
        yield ready(f"anniversary-{index + 1:02d}-{_slug(page.id)}", page.title.get(sheet),
                    page.source)
    window.show_screen(window.stories)
    for index, story in enumerate(content.stories_at(local)):
        window.stories.go(index)
        yield ready(f"story-{index + 1:03d}-{_slug(story.id)}", story.title.get(sheet),
                    story.source)
    with _prepared_ahead(window, content):  # as the kiosk shows them (kiosk.ui.colouring.ahead)
        window.show_screen(window.picker)
        app.processEvents()  # laid out: the cards ask for their pictures coloured in
        QThreadPool.globalInstance().waitForDone()  # which is done off the UI thread
        yield ready("colouring-picker",
                    _said(sheet, "Раскраска: выбор картинки", "Colouring: choosing a picture"))
        for number, picture in enumerate(content.colouring, start=1):
            window.show_screen(window.picker)
            window.picker.picture_chosen.emit(picture.id)
            QThreadPool.globalInstance().waitForDone()  # the picture is read off the UI thread
            app.processEvents()  # and its result delivered
            yield ready(f"colouring-{number:02d}-{_slug(picture.id)}",
                        _said(sheet, "Раскраска", "Colouring") + f": {picture.title.get(sheet)}",
                        picture.source)
    # The queue banner, with made-up calls (previews never ask a real queue): over the
    # colouring page a child is using (in either theme: the band turns white in the high
    # contrast one), then three calls at once over the attract screen with the last calls in
    # its corner.
    if content.colouring:
        window.queue_banner.show_calls(SAMPLE_CALLS[:1], window.lang)
        yield ready("queue-banner-colouring", _said(
            sheet, "Очередь: вызов поверх раскраски", "Queue: a call over the colouring page"))
        window.queue_banner.show_calls([], window.lang)
    if not high_contrast:
        window.show_screen(window.attract)
        window.attract.set_recent_calls(SAMPLE_CALLS)
        yield ready("queue-attract-recent", _said(
            sheet, "Очередь: последние вызовы на заставке", "Queue: the last calls on the loop"))
        window.queue_banner.show_calls(SAMPLE_CALLS, window.lang)
        yield ready("queue-banner-three",
                    _said(sheet, "Очередь: три вызова сразу", "Queue: three calls at once"))
        window.queue_banner.show_calls([], window.lang)
        window.attract.set_recent_calls([])
        window.attract.stop()
    window.show_screen(window.calm)
    window.calm.reset()
    yield ready("calm-choice", _said(sheet, "Минутка спокойствия: выбор ритма",
                                     "A calm minute: choosing a pace"))
    # The breathing circle frozen half-way through the second breath in: the ring round it
    # shows the first breath done.
    started = window.calm.clock()
    window.calm.start(BOX)
    window.calm.exercise = BreathingExercise(BOX, started - 18.0)
    window.calm.step()
    window.calm.timer.stop()
    yield ready("calm-breathing",
                _said(sheet, "Минутка спокойствия: вдох", "A calm minute: breathing in"))
    window.calm.finish()
    yield ready("calm-done", _said(sheet, "Минутка спокойствия: готово", "A calm minute: done"))
    window.calm.reset()
    window.show_screen(window.menu)
    window.overlay.show_countdown(round(content.settings.warning_seconds), window.lang)
    yield ready("idle-warning", _said(sheet, "Вы ещё здесь?", "Are you still there?"))
    window.overlay.hide()
    if not high_contrast:  # staff screens are always in the usual theme
        yield from staff_screens(window, ready, sheet)


def staff_screens(window: KioskWindow, ready: Callable[[str, str], Shot],
                  sheet: Language = "ru") -> Iterator[Shot]:
    """The PIN pad (no PIN set; then three digits typed), the staff menu's two panels and
    the screen test. A throwaway PIN, in a folder that is gone afterwards."""
    window.show_screen(window.pin_pad)
    yield ready("staff-pin-not-set",
                _said(sheet, "Сотрудники: ПИН-код не задан", "Staff: no PIN set"))
    with tempfile.TemporaryDirectory() as folder:
        window.pin_pad.store = PinStore(Path(folder))
        window.pin_pad.store.set_pin("0000")
        window.pin_pad.reset()
        for digit in "123":
            window.pin_pad.keys[digit].click()
        yield ready("staff-pin", _said(sheet, "Сотрудники: ПИН-код", "Staff: the PIN"))
        window.pin_pad.store = None
    window.show_screen(window.staff)
    window.staff.reset()
    yield ready("staff-diagnostics", _said(sheet, "Сотрудники: диагностика", "Staff: diagnostics"))
    window.staff.buttons[StaffAction.PROBLEMS].click()
    yield ready("staff-problems", _said(sheet, "Сотрудники: замечания к материалам",
                                        "Staff: problems in the content"))
    window.show_screen(window.pattern)
    yield ready("staff-pattern", _said(sheet, "Сотрудники: проверка экрана", "Staff: screen test"))
    window.go_to_attract()
    window.attract.stop()


# Problems of what the attract screen's band shows on every slide (kiosk.ui.fit_check).
BAND_PROBLEMS = {"centre_name_long"}
_EVERY_ATTRACT_SHOT = "attract:"  # a key no file has


def _notes_by_file(content: Content, sheet: Language = "ru") -> dict[str, list[str]]:
    """Every problem `kiosk check` gives, by the file it is in (a problem of the band also
    under every attract shot), in the check's order."""
    found: dict[str, list[str]] = {}
    for problem in sorted(content.problems, key=lambda p: p.sort_key):
        found.setdefault(problem.path, []).append(problem.format(sheet))
        if problem.code in BAND_PROBLEMS:
            found.setdefault(_EVERY_ATTRACT_SHOT, []).append(problem.format(sheet))
    return found


def _shot_notes(by_file: dict[str, list[str]], shot: Shot) -> list[str]:
    """The problems of what `shot` shows: its item's file, the band on the attract screen."""
    notes = list(by_file.get(shot.source, [])) if shot.source else []
    if shot.file.startswith(("attract-", "queue-attract")):
        notes += by_file.get(_EVERY_ATTRACT_SHOT, [])
    return notes


def _hidden_html(content: Content, local: dt.datetime | None, sheet: Language = "ru") -> str:
    """At a moment: each item its schedule hides then, and when it is shown instead."""
    if local is None:
        return ""
    hidden: list[tuple[str, Path, str, Schedule]] = []
    shown_pages = set(map(id, content.pages_at(local)))
    hidden += [(_said(sheet, "страница", "page"), p.source, p.title.get(sheet), p.schedule)
               for p in content.pages
               if id(p) not in shown_pages]
    shown_stories = set(map(id, content.stories_at(local)))
    hidden += [(_said(sheet, "история", "story"), s.source, s.title.get(sheet), s.schedule)
               for s in content.stories
               if id(s) not in shown_stories]
    shown_posters = set(map(id, content.posters_at(local)))
    hidden += [(_said(sheet, "плакат", "poster"), p.source, p.id, p.schedule)
               for p in content.posters
               if id(p) not in shown_posters]
    shown_notices = set(map(id, content.notices_at(local)))
    hidden += [(_said(sheet, "объявление", "notice"), n.source,
                shorten(" ".join(n.text.get(sheet).split()), 80) or n.id, n.schedule)
               for n in content.notices if id(n) not in shown_notices]
    if not hidden:
        return _said(sheet, "<p>Расписания в этот момент ничего не скрывают.</p>",
                     "<p>At this moment the schedules hide nothing.</p>")
    opening, closing = _said(sheet, "«", "“"), _said(sheet, "»", "”")
    items = "".join(
        f"<li>{_said(sheet, 'скрыто расписанием', 'hidden by its schedule')}: {kind} "
        f"{opening}{html.escape(title)}{closing} (<code>{html.escape(str(source))}</code>) — "
        f"{html.escape(schedule_phrase(schedule, sheet))}</li>"
        for kind, source, title, schedule in hidden)
    heading = _said(sheet, "Скрыто расписанием", "Hidden by schedules")
    return f'<h2>{heading} ({len(hidden)})</h2><ul class="hidden">{items}</ul>'


def _problems_html(content: Content, sheet: Language = "ru") -> str:
    """Every problem of the content, as the top of a contact sheet."""
    listed = sorted(content.problems, key=lambda p: p.sort_key)
    listing = "".join(f"<li>{html.escape(p.format(sheet))}</li>" for p in listed)
    count = sum(not p.is_consequence for p in listed)
    return (f"<h2>{_said(sheet, 'Замечания', 'Problems')} ({count})</h2><ul>{listing}</ul>"
            if listed else _said(sheet, "<p>Замечаний нет.</p>", "<p>No problems.</p>"))


ORIGIN_STYLE = (".origin { font-size: .8em; padding: 0 .4em; margin-right: .4em; "
                "border-radius: 4px; background: #e0ddd6; }\n"
                ".origin.centre { background: #1f4e8c; color: #fff; }")


def _origin_html(content: Content, shot: Shot, sheet: Language = "ru") -> str:
    """Which folder an item came from (kiosk.core.content.merge), when a centre folder was read."""
    origin = origin_of(content, shot.source) if shot.source else ""
    return (f'<span class="origin {origin}">{html.escape(origin_label(origin, sheet))}</span>'
            if origin else "")


def write_contact_sheet(content: Content, out: Path, shots: list[Shot],
                        size: tuple[int, int], local: dt.datetime | None = None,
                        sheet: Language = "ru") -> None:
    problems_by_file = _notes_by_file(content, sheet)
    cards = []
    for shot in shots:
        notes = _shot_notes(problems_by_file, shot)
        mark = " problem" if notes else ""
        note_html = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
        cards.append(
            f'<figure class="shot{mark}"><a href="{html.escape(shot.file)}">'
            f'<img src="{html.escape(shot.file)}" loading="lazy" alt=""></a>'
            f"<figcaption>{_origin_html(content, shot, sheet)}{html.escape(shot.caption)}<br>"
            f"<code>{html.escape(shot.file)}</code>"
            f"{f'<ul>{note_html}</ul>' if note_html else ''}</figcaption></figure>")
    problems = _problems_html(content, sheet)
    width = 420 if size[0] >= size[1] else 240
    moment = (f", {_said(sheet, 'на', 'at')} {local:%Y-%m-%d %H:%M} "
              f"({html.escape(content.settings.timezone)})" if local is not None
              else _said(sheet, ", все материалы без учёта расписания",
                         ", all the content, whatever its schedule"))
    screen = _screen_html(content, local, sheet)
    page = f"""<!doctype html>
<html lang="{sheet}"><head><meta charset="utf-8"><title>{_said(sheet, "Предпросмотр киоска",
                                                              "Kiosk preview")}</title>
<style>
body {{ font-family: "PT Sans", sans-serif; margin: 2em; background: #f4f1ec; color: #1b1b1f; }}
.grid {{ display: flex; flex-wrap: wrap; gap: 1.5em; }}
figure {{ margin: 0; width: {width}px; background: #fff; padding: .6em; border-radius: 8px; }}
figure img {{ width: 100%; border: 1px solid #ccc; }}
figure.problem {{ outline: 4px solid #c62828; }}
figcaption ul {{ color: #b71c1c; padding-left: 1.2em; }}
.screen {{ font-size: 1.3em; font-weight: bold; }}
{ORIGIN_STYLE}
</style></head><body>
<h1>{_said(sheet, "Предпросмотр", "Preview")}: {html.escape(str(content.root))}, \
{size[0]}×{size[1]}{moment}</h1>
{screen}
{problems}
{_hidden_html(content, local, sheet)}
<div class="grid">{''.join(cards)}</div>
</body></html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")


def _screen_html(content: Content, local: dt.datetime | None, sheet: Language) -> str:
    return (f'<p class="screen">{html.escape(screen_at(content, local, sheet))}</p>'
            if local is not None else "")


def screen_at(content: Content, local: dt.datetime, sheet: Language = "ru") -> str:
    """Whether the screen is lit at that moment, and why: outside opening hours the screens
    above are what it shows when a touch wakes it."""
    state = screen_state(content.settings.opening, local)
    report = ScreenReport(state.awake, state.reason, state.until, "black", local)
    if state.awake:
        return st("diag_screen_on", sheet, why=why(report, sheet))
    return st("diag_screen_off", sheet, why=why(report, sheet)) + _said(
        sheet, ". Снимки ниже — то, что экран покажет, если его разбудить касанием.",
        ". The shots below are what it shows when a touch wakes it.")


ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def preview(content_dir: Path, out: Path, size: tuple[int, int] | None,
            lang: Language | None = None, at: dt.datetime | None = None,
            high_contrast: bool = False, machine: tuple[SettingsPath, ...] = (),
            centre: Path | None = None, check: Checker | None = None) -> list[Shot]:
    """`at` is the centre's wall-clock time (naive: in kiosk.yaml's `timezone`). Without a
    `size`, both orientations: out/landscape, out/portrait, and out/index.html showing each
    screen's two side by side. `machine`: the settings files of this computer, read over the
    content's kiosk.yaml as the kiosk reads them. `check` reads the content with every
    problem `kiosk check` finds (kiosk.cli.checked_content), so the sheet lists the same;
    without it, the loader's own."""
    content = check(content_dir, machine, centre) if check is not None \
        else load_content(content_dir, probe_image, machine=machine, centre=centre)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=content.settings.zone)
    if size is not None:
        return render_previews(content, out, size, lang, at, high_contrast)
    both = {name: render_previews(content, out / name, dims, lang, at, high_contrast)
            for name, dims in ORIENTATIONS.items()}
    write_side_by_side(content, out, both,
                       content.settings.local_time(at) if at is not None else None, lang or "ru")
    return [shot for shots in both.values() for shot in shots]


def write_side_by_side(content: Content, out: Path, both: dict[str, list[Shot]],
                       local: dt.datetime | None = None, sheet: Language = "ru") -> None:
    """One row a screen: landscape and portrait beside each other, the content's problems
    above, each outlined in red where a screen shows a file with a problem; with `local`,
    whether the screen is lit at that moment and what the schedules hide."""
    problems_by_file = _notes_by_file(content, sheet)
    portrait = {shot.file: shot for shot in both["portrait"]}
    rows = []
    for shot in both["landscape"]:
        notes = _shot_notes(problems_by_file, shot)
        mark = " problem" if notes else ""
        cells = [f'<a href="landscape/{html.escape(shot.file)}"><img class="land" alt="" '
                 f'loading="lazy" src="landscape/{html.escape(shot.file)}"></a>']
        if shot.file in portrait:
            cells.append(f'<a href="portrait/{html.escape(shot.file)}"><img class="port" alt="" '
                         f'loading="lazy" src="portrait/{html.escape(shot.file)}"></a>')
        note_html = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
        rows.append(f'<figure class="pair{mark}"><div>{"".join(cells)}</div><figcaption>'
                    f"{_origin_html(content, shot, sheet)}"
                    f"{html.escape(shot.caption)} <code>{html.escape(shot.file)}</code>"
                    f"{f'<ul>{note_html}</ul>' if note_html else ''}</figcaption></figure>")
    problems = _problems_html(content, sheet)
    page = f"""<!doctype html>
<html lang="{sheet}"><head><meta charset="utf-8"><title>{_said(sheet, "Предпросмотр киоска",
                                                              "Kiosk preview")}</title>
<style>
body {{ font-family: "PT Sans", sans-serif; margin: 2em; background: #f4f1ec; color: #1b1b1f; }}
figure {{ margin: 0 0 2em; background: #fff; padding: .8em; border-radius: 8px; }}
figure > div {{ display: flex; gap: 1em; align-items: flex-start; }}
img {{ border: 1px solid #ccc; }} img.land {{ width: 640px; }} img.port {{ width: 203px; }}
figure.problem {{ outline: 4px solid #c62828; }}
figcaption ul {{ color: #b71c1c; padding-left: 1.2em; }}
.screen {{ font-size: 1.3em; font-weight: bold; }}
{ORIGIN_STYLE}
</style></head><body>
<h1>{_said(sheet, "Предпросмотр", "Preview")}: {html.escape(str(content.root))}, \
{_said(sheet, "альбомный и книжный экран", "landscape and portrait")}</h1>
{_screen_html(content, local, sheet)}
{problems}
{_hidden_html(content, local, sheet)}
{''.join(rows)}
</body></html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")
