"""The queue against a real HTTP server on 127.0.0.1 (and a file): tickets are called, the
server stalls, fails, sends garbage and huge answers, and comes back."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.breathing import BOX
from kiosk.core.content.model import Content
from kiosk.core.i18n import STRINGS
from kiosk.core.queue import Call
from kiosk.core.settings import QueueSettings
from kiosk.ui.audit import as_array
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.preview import preview_window, walk_screens
from kiosk.ui.queue.source import QueueSource
from kiosk.ui.widgets import BigButton, TouchButton
from tests.ui.conftest import FakeClock
from tests.ui.test_colouring_screen import inside_of_big_region, open_first_picture, widget_point


class QueueServer:
    """A queue system's endpoint in a thread: `mode` says how it misbehaves."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.calls: list[dict[str, str]] = []
        self.mode = "ok"  # ok, stall, error, garbage, huge
        self.redirects: dict[str, str] = {}  # path -> where a 302 sends it
        self.requests = 0
        self.release = threading.Event()  # ends every stall
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                mode = server.mode
                if self.path in server.redirects:
                    self.send_response(302)
                    self.send_header("Location", server.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if mode == "stall":
                    server.release.wait(10)
                    return
                if mode == "error":
                    self.send_error(500)
                    return
                body = {"garbage": b'{"calls": [{"ticket": "A1", "wind',
                        "huge": b"[" + b" " * (1024 * 1024) + b"]"}.get(mode) or json.dumps(
                            {"calls": server.calls}, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the kiosk hangs up on a huge answer
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.host = host
        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}/calls"

    def call(self, ticket: str, window: str) -> None:
        self.calls.append({"ticket": ticket, "window": window,
                           "called_at": f"2026-11-27T11:{len(self.calls):02d}:00+03:00"})

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[QueueServer]:
    running = QueueServer()
    yield running
    running.stop()


def follow(window: KioskWindow, settings: QueueSettings, root: Path | None = None) -> QueueSource:
    """What app.py does with kiosk.yaml's queue block."""
    content = window.content
    window.follow_queue(replace(content, root=root or content.root, settings=replace(
        content.settings, queue=settings)))
    assert window.queue is not None
    return window.queue


@pytest.fixture
def stop_queue(window: KioskWindow) -> Iterator[None]:
    yield
    window.stop_queue()


def signal(window: KioskWindow) -> str:
    """The colour of a called ticket, and of nothing else."""
    return QColor(window.queue_banner.theme.colours.signal).name()


def answered(qtbot: QtBot, source: QueueSource, more: int = 1, timeout: int = 5000) -> None:
    target = source.answers + more
    qtbot.waitUntil(lambda: source.answers >= target, timeout=timeout)


@pytest.mark.usefixtures("stop_queue")
def test_a_call_shows_within_two_seconds_over_the_colouring_page_and_keeps_the_drawing(
        qtbot: QtBot, window: KioskWindow, server: QueueServer) -> None:
    screen = open_first_picture(qtbot, window)
    assert screen.canvas is not None
    x, y, _ = inside_of_big_region(screen)
    qtbot.mouseClick(screen.swatches[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton, pos=widget_point(screen, x, y))
    drawing = screen.canvas.paint.copy()
    assert (drawing != drawing[0, 0]).any()

    source = follow(window, QueueSettings(source=server.url))  # the defaults: every second
    answered(qtbot, source)
    assert not window.queue_banner.isVisible()
    server.call("А017", "12")
    published = time.monotonic()
    qtbot.waitUntil(window.queue_banner.isVisible, timeout=2000)
    assert time.monotonic() - published < 2.0
    assert window.queue_banner.calls == [Call("А017", "12", window.queue_banner.calls[0].called_at)]
    banner = window.queue_banner.geometry()
    assert banner.width() == window.width() and banner.top() == 0
    assert banner.height() < window.height() * 0.5  # the rest stays usable
    image = window.grab().toImage()
    assert image.pixelColor(QPoint(5, 5)).name() == signal(window)  # on top of the page

    # A tap on the banner closes it and does not reach the canvas under it.
    assert window.current_screen is screen and (screen.canvas.paint == drawing).all()
    qtbot.mouseClick(window.queue_banner, Qt.MouseButton.LeftButton,
                     pos=QPoint(window.width() // 2, banner.height() // 2))
    assert not window.queue_banner.isVisible()
    assert window.current_screen is screen
    assert screen.canvas is not None and np.array_equal(screen.canvas.paint, drawing)


@pytest.mark.usefixtures("stop_queue")
def test_stalls_errors_garbage_and_huge_answers_never_show_a_banner_and_it_recovers(
        qtbot: QtBot, window: KioskWindow, server: QueueServer, clock: FakeClock) -> None:
    server.call("А001", "1")
    # A slow poll that the test drives by hand with ask_now(): one look at a time.
    source = follow(window, QueueSettings(source=server.url, poll_seconds=60,
                                          timeout_seconds=1))
    answered(qtbot, source)
    assert source.follower.health(clock()).status == "ok"
    for mode, error in (("error", "HTTP 500"), ("garbage", "unreadable answer"),
                        ("huge", "larger than"), ("stall", "no answer within 1 s")):
        server.mode = mode
        server.call(f"Б{mode}"[:8], "2")  # calls made while it misbehaves …
        source.ask_now()
        answered(qtbot, source, timeout=6000)
        health = source.follower.health(clock())
        assert health.status == "down", mode
        assert error in health.last_error, (mode, health.last_error)
        assert not window.queue_banner.isVisible(), mode  # … never a banner from garbage
        assert window.current_screen is window.attract
        assert source.timer.isActive()  # and it will ask again
    server.release.set()
    server.mode = "ok"
    server.call("В777", "7")
    source.ask_now()
    qtbot.waitUntil(window.queue_banner.isVisible, timeout=5000)
    assert source.follower.health(clock()).status == "ok"
    # The calls made while it was down are shown (the outage was short), newest first.
    assert [c.ticket for c in window.queue_banner.calls] == ["В777", "БSTALL", "БHUGE"]


@pytest.mark.usefixtures("stop_queue")
def test_polling_backs_off_while_the_server_is_down_and_recovers(
        qtbot: QtBot, window: KioskWindow, server: QueueServer) -> None:
    source = follow(window, QueueSettings(source=server.url, poll_seconds=0.05))
    answered(qtbot, source)
    server.mode = "error"
    answered(qtbot, source, more=4)
    assert source.follower.next_delay() > 0.05 * 4 * 0.8  # 0.05 → 0.1 → 0.2 → 0.4 …
    server.mode = "ok"
    qtbot.waitUntil(lambda: source.follower.next_delay() == 0.05, timeout=5000)


@pytest.mark.usefixtures("stop_queue")
def test_the_backlog_is_listed_in_the_corner_not_announced(
        qtbot: QtBot, window: KioskWindow, server: QueueServer) -> None:
    for number in range(1, 21):
        server.call(f"А{number:03d}", str(number))
    source = follow(window, QueueSettings(source=server.url, poll_seconds=0.05))
    answered(qtbot, source)
    assert not window.queue_banner.isVisible()
    recent = window.attract.recent
    assert window.attract.recent_row.isVisible()
    assert [c.ticket for c in recent.calls] == ["А020", "А019", "А018"]
    # The corner has a row of its own: it takes room from the slide, never covers it.
    stage = window.attract.stage.geometry()
    assert recent.mapTo(window.attract, QPoint(0, 0)).y() >= stage.bottom()
    assert recent.geometry().right() <= window.width()


@pytest.mark.usefixtures("stop_queue")
def test_the_banner_stays_on_top_while_the_visitor_moves_between_screens(
        qtbot: QtBot, window: KioskWindow, server: QueueServer, clock: FakeClock) -> None:
    source = follow(window, QueueSettings(source=server.url, poll_seconds=60))
    answered(qtbot, source)
    server.call("А017", "12")
    source.ask_now()
    qtbot.waitUntil(window.queue_banner.isVisible, timeout=2000)
    qtbot.mouseClick(window.attract.stage, Qt.MouseButton.LeftButton)  # a visitor comes
    assert window.current_screen is not window.attract  # the menu, or what the poster showed
    open_first_picture(qtbot, window)  # the colouring page is built only now

    def banner_on_top() -> bool:
        return window.grab().toImage().pixelColor(QPoint(5, 5)).name() == signal(window)

    for screen in (window.colouring, window.stories, window.menu):
        window.show_screen(screen)
        assert banner_on_top()
    clock.advance(window.content.settings.idle_seconds)  # «Вы ещё здесь?» comes up …
    qtbot.waitUntil(window.overlay.isVisible)
    assert banner_on_top()  # … under the call


@pytest.mark.usefixtures("stop_queue")
def test_a_tap_on_the_banner_in_attract_does_not_open_the_menu(
        qtbot: QtBot, window: KioskWindow, server: QueueServer) -> None:
    source = follow(window, QueueSettings(source=server.url, poll_seconds=0.05))
    answered(qtbot, source)
    server.call("А017", "12")
    qtbot.waitUntil(window.queue_banner.isVisible, timeout=2000)
    qtbot.mouseClick(window.queue_banner, Qt.MouseButton.LeftButton)
    assert not window.queue_banner.isVisible()
    assert window.current_screen is window.attract


@pytest.mark.usefixtures("stop_queue")
def test_the_banner_goes_after_its_time_and_speaks_the_visitors_language(
        qtbot: QtBot, window: KioskWindow, server: QueueServer, clock: FakeClock) -> None:
    source = follow(window, QueueSettings(source=server.url, poll_seconds=0.05,
                                          banner_seconds=10))
    answered(qtbot, source)
    window.set_language("en")
    server.call("А017", "12")
    qtbot.waitUntil(window.queue_banner.isVisible, timeout=2000)
    assert window.queue_banner.lang == "en"
    clock.advance(10)
    window.show_queue()  # what the banner's timer does when it fires
    assert not window.queue_banner.isVisible()
    assert window.queue_timer.isActive() is False


@pytest.mark.usefixtures("stop_queue")
def test_the_optional_sound(qtbot: QtBot, window: KioskWindow, server: QueueServer,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", lambda: beeps.append(1))
    source = follow(window, QueueSettings(source=server.url, poll_seconds=0.05, sound=True))
    answered(qtbot, source)
    server.call("А017", "12")
    qtbot.waitUntil(window.queue_banner.isVisible, timeout=2000)
    answered(qtbot, source, more=2)
    assert beeps == [1]  # once per call, not once per poll


@pytest.mark.usefixtures("stop_queue")
def test_a_half_written_file_keeps_the_last_good_state(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path, clock: FakeClock) -> None:
    queue_dir = tmp_path / ".queue"
    queue_dir.mkdir()
    path = queue_dir / "calls.json"
    path.write_text('{"calls": [{"ticket": "А001", "window": "1"}]}', encoding="utf-8")
    source = follow(window, QueueSettings(source=".queue/calls.json", poll_seconds=60),
                    root=tmp_path)

    def look() -> None:
        source.ask_now()
        answered(qtbot, source)

    answered(qtbot, source)
    assert [c.ticket for c in window.attract.recent.calls] == ["А001"]
    look()  # unchanged: not parsed again, still healthy
    assert source.follower.health(clock()).status == "ok"

    full = '{"calls": [{"ticket": "А001", "window": "1"}, {"ticket": "А002", "window": "2"}]}'
    path.write_text(full[:50], encoding="utf-8")  # a queue system caught mid-write
    look()
    assert source.follower.health(clock()).status == "ok"  # transient: not an error yet
    assert not window.queue_banner.isVisible()
    assert [c.ticket for c in window.attract.recent.calls] == ["А001"]
    path.write_text(full, encoding="utf-8")
    look()
    assert window.queue_banner.isVisible()
    assert window.queue_banner.calls[0].ticket == "А002"

    path.write_text("не JSON", encoding="utf-8")  # and stays so: the second look says so
    look()
    assert source.follower.health(clock()).status == "ok"
    look()
    assert source.follower.health(clock()).status == "down"
    assert "unreadable answer" in source.follower.health(clock()).last_error
    assert [c.ticket for c in window.attract.recent.calls] == ["А002", "А001"]
    path.unlink()
    look()
    assert "does not exist" in source.follower.health(clock()).last_error


def test_the_source_follows_kiosk_yaml(qtbot: QtBot, window: KioskWindow, bundled: Content,
                                       server: QueueServer) -> None:
    first = follow(window, QueueSettings(source=server.url))
    assert follow(window, QueueSettings(source=server.url)) is first  # unchanged: kept
    second = follow(window, QueueSettings(source=server.url, banner_seconds=5))
    assert second is not first and not first.timer.isActive()
    window.follow_queue(bundled)  # the queue block removed
    assert window.queue is None and not second.timer.isActive()
    assert not window.attract.recent_row.isVisible()


# -- how a call looks ------------------------------------------------------------------------

CALLS = [Call("А017", "12"), Call("Б104", "3"), Call("В009", "27")]


def share_of(widget: QWidget, colour: str, tolerance: int = 10) -> float:
    """The share of the widget's pixels, as drawn now, that are of this colour."""
    pixels = as_array(widget.grab().toImage()).astype(np.int32)
    target = QColor(colour)
    rgb = np.array([target.red(), target.green(), target.blue()], np.int32)
    return float((np.abs(pixels - rgb).max(axis=2) <= tolerance).mean())


def test_the_banner_is_the_signal_colour_with_the_ticket_in_display_figures(
        window: KioskWindow) -> None:
    banner = window.queue_banner
    banner.show_calls(CALLS[:1], "ru")
    QApplication.processEvents()
    assert share_of(banner, banner.theme.colours.signal) > 0.6  # the band itself
    words = {spot.text: spot for spot in banner.text_spots()}
    assert " ".join(words) == "Приглашается талон А017 → окно 12"
    assert words["А017"].pixel_size == words["12"].pixel_size == banner.theme.display_px
    assert all(spot.fits for spot in words.values())
    assert all(spot.colour.name() == QColor(banner.theme.colours.signal_ink).name()
               for spot in words.values())
    # Three calls: the newest in full and large, the two before it smaller, all whole.
    banner.show_calls(CALLS, "ru")
    QApplication.processEvents()
    shown = [spot.text for spot in banner.text_spots()]
    assert shown[:6] == ["Приглашается", "талон", "А017", "→", "окно", "12"]
    for call in CALLS[1:]:
        assert call.ticket in shown and call.window in shown
    small = {spot.text: spot.pixel_size for spot in banner.text_spots()}
    assert small["Б104"] < small["А017"]
    assert banner.height() < window.height() * 0.5
    assert all(banner.rect().contains(spot.rect) for spot in banner.text_spots())


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 1024), (1024, 768), (1080, 1920)])
def test_no_line_of_the_banner_starts_with_the_arrow(window: KioskWindow) -> None:
    """At 1280×1024 the call broke as «Приглашается талон А017 / → окно 12»: the call
    «талон А017 → окно 12» keeps together, the line breaking before it where it must."""
    banner = window.queue_banner
    for lang in ("ru", "en"):
        banner.show_calls(CALLS, lang)
        QApplication.processEvents()
        spots = banner.text_spots()
        starts = [spot for i, spot in enumerate(spots)
                  if i == 0 or spot.rect.top() > spots[i - 1].rect.bottom()]
        assert not any(spot.text == "→" for spot in starts), [s.text for s in starts]
        arrow = next(i for i, spot in enumerate(spots) if spot.text == "→")
        assert abs(spots[arrow].rect.center().y() - spots[arrow - 1].rect.center().y()) < 40
    # A call wider than a line (a ticket of 14 characters) breaks before its arrow, not a
    # word to a line: «→ окно 12» keeps together.
    banner.show_calls([Call("VIP01234567890", "12")], "ru")
    QApplication.processEvents()
    said: list[list[str]] = []
    previous = None
    for spot in banner.text_spots():
        if previous is None or spot.rect.top() > previous.rect.bottom():
            said.append([])
        said[-1].append(spot.text)
        previous = spot
    assert any(line[i:i + 3] == ["→", "окно", "12"] for line in said
               for i in range(len(line))), said


def test_no_button_on_a_visitor_screen_wears_the_signal_colour(
        qtbot: QtBot, window: KioskWindow) -> None:
    signal_colour = window.queue_banner.theme.colours.signal
    screens = [window.menu, window.anniversary, window.stories, window.picker, window.calm]
    open_first_picture(qtbot, window)
    screens.append(window.colouring)
    seen = 0
    for screen in screens:
        window.show_screen(screen)
        pages = [lambda: None]
        if screen is window.calm:
            pages = [lambda: window.calm.reset(), lambda: window.calm.start(BOX),
                     lambda: window.calm.finish()]
        for show in pages:
            show()
            QApplication.processEvents()
            for button in screen.findChildren(TouchButton):
                if not button.isVisible():
                    continue
                seen += 1
                if isinstance(button, BigButton):
                    assert button.background.name() != QColor(signal_colour).name(), button
                assert share_of(button, signal_colour) < 0.01, (screen, button.text())
    window.overlay.show_countdown(10, "ru")
    QApplication.processEvents()
    assert share_of(window.overlay.button, signal_colour) < 0.01
    assert seen > 20
    # In the large-text mode the called ticket is the white band (its buttons are yellow,
    # the usual band's colour: it stayed yellow, one more button to look at); no button is
    # white. Back in the usual mode the band is yellow again.
    window.show_screen(window.menu)
    window.set_high_contrast(True)
    window.queue_banner.show_calls(CALLS[:1], "ru")
    QApplication.processEvents()
    white = QColor(window.theme.colours.signal).name()
    assert white == QColor("white").name()
    assert share_of(window.queue_banner, white) > 0.6
    built: list[QWidget] = [window.menu, window.anniversary, window.stories, window.picker,
                            window.calm, window.overlay]
    for widget in built:
        for button in widget.findChildren(BigButton):
            assert button.background.name() != white, button.text()
    yellow = [b for b in window.menu.findChildren(TouchButton) if b.isVisible()
              and share_of(b, signal_colour, tolerance=60) > 0.3]
    assert yellow  # the mode's buttons are all but the usual band's yellow (#FFE600)
    window.set_high_contrast(False)
    QApplication.processEvents()
    assert share_of(window.queue_banner, signal_colour) > 0.6


def test_the_high_contrast_preview_shows_the_white_band(qtbot: QtBot,
                                                       bundled: Content) -> None:
    """`kiosk preview --high-contrast` showed no call at all: staff could not see the white
    band their large-text visitors get over the colouring page."""
    window = preview_window(bundled, (1920, 1080))
    qtbot.addWidget(window)
    seen = False
    for shot in walk_screens(window, bundled, high_contrast=True):
        if shot.file == "queue-banner-colouring.png":
            QApplication.processEvents()
            assert window.queue_banner.isVisible()
            assert window.current_screen is window.colouring
            assert share_of(window.queue_banner, "white") > 0.6
            seen = True
    window.attract.stop()
    window.session_timer.stop()
    assert seen


def test_english_says_counter(window: KioskWindow) -> None:
    assert not [key for key, (_, en) in STRINGS.items()
                if "window" in en.replace("{window}", "").lower()]
    window.set_language("en")
    window.queue_banner.show_calls(CALLS, "en")
    QApplication.processEvents()
    words = [spot.text for spot in window.queue_banner.text_spots()]
    assert " ".join(words[:8]) == f"Ticket {CALLS[0].ticket} , please go to counter 12"
    assert words.count("counter") == 3
    window.attract.set_recent_calls(CALLS)
    window.show_screen(window.attract)
    window.grab()
    assert window.attract.recent.painted_texts.count("counter") == 3


@pytest.mark.parametrize("count", [3, 10])
def test_every_recent_call_is_shown_whole(window: KioskWindow, count: int) -> None:
    """The attract screen's list of calls never leaves one out: in portrait the third call
    used to be dropped for want of width."""
    calls = [Call(f"А{n:03d}", str(10 + n)) for n in range(count)]
    window.show_screen(window.attract)
    window.attract.set_recent_calls(calls)
    QApplication.processEvents()
    recent = window.attract.recent
    image = as_array(window.grab().toImage())
    painted = recent.painted_texts
    rects = recent.call_rects()
    assert len(rects) == count
    for call, rect in zip(calls, rects, strict=True):
        assert call.ticket in painted and call.window in painted
        assert recent.rect().contains(rect), call
        where = QRect(recent.mapTo(window, rect.topLeft()), rect.size())
        assert window.rect().contains(where), call
        inside = image[where.top():where.bottom(), where.left():where.right()]
        assert (inside.max(axis=2) < 90).sum() > where.height(), call  # ink is drawn there
    inner = [rect.adjusted(1, 1, -1, -1) for rect in rects]
    assert not any(a.intersects(b) for i, a in enumerate(inner) for b in inner[i + 1:])
    # Quiet: only a new call shouts in the signal colour.
    assert share_of(recent, window.queue_banner.theme.colours.signal) == 0.0


# -- hostile sources (issue 14) ---------------------------------------------------------------


class TrickleServer:
    """Answers 200 and then a byte every `interval` seconds, never finishing: each byte is
    soon enough for a timeout that measures silence."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.sent = 0
        self.done = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/calls"

    def _serve(self) -> None:
        while not self.done.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            with connection, contextlib.suppress(OSError):
                connection.settimeout(2)
                connection.recv(65536)  # the request
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                   b"Content-Length: 100000\r\n\r\n[")
                while not self.done.wait(self.interval):
                    connection.sendall(b" ")
                    self.sent += 1

    def stop(self) -> None:
        self.done.set()
        self.thread.join(5)
        self.listener.close()


@pytest.fixture
def trickle() -> Iterator[TrickleServer]:
    running = TrickleServer()
    yield running
    running.stop()


@pytest.mark.usefixtures("stop_queue")
@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # no drawing: once
def test_a_server_that_trickles_is_cut_off_at_the_deadline_and_health_says_so(
        qtbot: QtBot, window: KioskWindow, trickle: TrickleServer, clock: FakeClock) -> None:
    # A byte every 50 ms never trips Qt's transfer timeout, which measures silence: the
    # request was held for 80 s against 3 while health said "ok".
    source = follow(window, QueueSettings(source=trickle.url, poll_seconds=60,
                                          timeout_seconds=1))
    started = time.monotonic()
    answered(qtbot, source, timeout=4000)
    assert time.monotonic() - started < 2.5
    assert trickle.sent >= 5  # it was answering, slowly, all along
    health = source.follower.health(clock())
    assert health.status == "down"
    assert "no answer within 1 s" in health.last_error


@pytest.mark.usefixtures("stop_queue")
@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # no drawing: once
def test_a_redirect_to_another_server_is_refused_and_within_the_same_one_followed(
        qtbot: QtBot, window: KioskWindow, server: QueueServer, clock: FakeClock) -> None:
    elsewhere = QueueServer(host="127.0.0.2")
    try:
        elsewhere.call("Ж666", "6")
        server.redirects["/calls"] = elsewhere.url
        source = follow(window, QueueSettings(source=server.url, poll_seconds=60))
        answered(qtbot, source)
        health = source.follower.health(clock())
        assert health.status == "down"
        assert "another server: refused" in health.last_error
        assert elsewhere.requests == 0  # never asked
        assert window.attract.recent.calls == []

        server.call("А017", "12")
        server.redirects["/calls"] = "/v2/calls"  # the path moved on the same server
        server.redirects["/v2/calls"] = "/calls?v=2"
        server.redirects.pop("/calls")
        window.stop_queue()
        source = follow(window, QueueSettings(source=server.url.replace("/calls", "/v2/calls"),
                                              poll_seconds=60))
        answered(qtbot, source)
        assert source.follower.health(clock()).status == "ok"
        assert [c.ticket for c in window.attract.recent.calls] == ["А017"]
    finally:
        elsewhere.stop()


@pytest.mark.usefixtures("stop_queue")
def test_invisible_characters_and_a_call_listed_twice_never_reach_the_screen(
        qtbot: QtBot, window: KioskWindow, server: QueueServer) -> None:
    source = follow(window, QueueSettings(source=server.url, poll_seconds=60))
    answered(qtbot, source)
    server.calls = [{"ticket": "\u202eА017\u202c", "window": "1\u20282",
                     "called_at": "2026-11-27T11:00:00+03:00"}] * 2
    server.calls.append({"ticket": "Б" + "\u0301" * 500 + "04", "window": "3"})
    source.ask_now()
    qtbot.waitUntil(window.queue_banner.isVisible, timeout=3000)
    banner = window.queue_banner
    accented = "Б\u0301\u0301" + "04"  # two accents kept of 500
    assert [(c.ticket, c.window) for c in banner.calls] == [(accented, "3"), ("А017", "12")]
    drawn = [p.word.text for p in banner.placed]
    assert "А017" in drawn and "12" in drawn  # «710А» before, and a blank box for «1 2»
    window.attract.recent.repaint()
    assert [c.ticket for c in window.attract.recent.calls] == [accented, "А017"]  # once
    assert "А017" in window.attract.recent.painted_texts
    assert all(len(text) <= 16 for text in drawn)


@pytest.mark.usefixtures("stop_queue")
@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # no drawing: once
@pytest.mark.parametrize("kind", ["fifo", "link", "linked folder", "device"])
def test_a_queue_file_that_is_not_a_regular_file_is_refused_without_opening_it(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path, clock: FakeClock, kind: str) -> None:
    root = tmp_path / "content"
    (root / ".queue").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "calls.json").write_text('{"calls": [{"ticket": "Ж1", "window": "1"}]}')
    source_path = ".queue/calls.json"
    fifo = root / ".queue" / "calls.json"
    if kind == "fifo":
        os.mkfifo(fifo)  # opening it to read waited for a writer for good
    elif kind == "link":
        fifo.symlink_to(outside / "calls.json")
    elif kind == "linked folder":
        (root / ".linked").symlink_to(outside)
        source_path = ".linked/calls.json"
    else:
        source_path = "/dev/zero"  # never ends; before, read as «being written» for ever
    try:
        source = follow(window, QueueSettings(source=source_path, poll_seconds=60,
                                              timeout_seconds=1), root=root)
        answered(qtbot, source, timeout=3000)
        health = source.follower.health(clock())
        assert health.status == "down"
        expected = {"fifo": "is a FIFO (named pipe), not a regular file",
                    "link": "is a symbolic link", "linked folder": "outside the content folder",
                    "device": "is a device"}[kind]
        assert expected in health.last_error
        assert "name the file the queue system writes" in health.last_error
        assert window.attract.recent.calls == []
    finally:
        if kind == "fifo":  # a reader stuck on it (the old code) is let go
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.usefixtures("stop_queue")
@pytest.mark.parametrize("size", [(1920, 1080)], ids=["landscape"])  # no drawing: once
def test_a_file_read_that_never_returns_is_a_failure_and_not_repeated(
        qtbot: QtBot, window: KioskWindow, tmp_path: Path, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A network folder that stopped answering: the read hangs in its worker thread.
    import kiosk.ui.queue.source as queue_source

    release = threading.Event()
    looks: list[int] = []

    def hanging(*args: object) -> queue_source.Answer:
        looks.append(1)
        release.wait(10)
        return queue_source.Failure("released")

    monkeypatch.setattr(queue_source, "look_at_file", hanging)
    try:
        source = follow(window, QueueSettings(source=".queue/calls.json", poll_seconds=60,
                                              timeout_seconds=1), root=tmp_path)
        answered(qtbot, source, timeout=4000)
        health = source.follower.health(clock())
        assert health.status == "down" and "no answer within 1 s" in health.last_error
        source.ask_now()
        answered(qtbot, source, timeout=2000)
        assert "has not returned" in source.follower.health(clock()).last_error
        assert looks == [1]  # one thread held, not one more per poll
    finally:
        release.set()
