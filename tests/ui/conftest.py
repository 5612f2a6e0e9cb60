from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QAbstractAnimation, QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_content
from kiosk.core.content.model import Content
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import load_fonts, probe_image
from kiosk.ui.theme import Theme
from tests.helpers import BUNDLED

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@pytest.fixture(scope="session", autouse=True)
def fonts(qapp: QApplication) -> list[str]:
    return load_fonts()


def wrapped_lines(text: str, font: QFont, width: float) -> list[str]:
    """`text` in lines as Qt wraps it at its spaces in a column `width` wide: each line's
    characters as typed (no-break spaces and soft hyphens in it)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def _pointer(item: QObject) -> int:
    return int(shiboken6.getCppPointer(item)[0])


def _still_running(widget: QWidget) -> list[str]:
    """What keeps working under a closed window: its active timers and running animations."""
    timers = [f"QTimer {t.objectName() or hex(_pointer(t))} ({t.interval()} ms) "
              f"under {type(t.parent()).__name__}"
              for t in widget.findChildren(QTimer) if t.isActive()]
    animations = [f"{type(a).__name__} under {type(a.parent()).__name__}"
                  for a in widget.findChildren(QAbstractAnimation)
                  if a.state() is QAbstractAnimation.State.Running]
    return timers + animations


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    """The test is over: staff may close its kiosk windows. Runs before pytest-qt closes the
    widgets a test gave `qtbot.addWidget` (a kiosk refuses to close otherwise)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, KioskWindow):
            widget.allow_close = True
    return (yield)


@pytest.fixture(autouse=True)
def no_leaks(qapp: QApplication) -> Iterator[None]:
    """A test leaves no window on screen and nothing running under the windows it made: no
    timer, no animation. Set up before every other fixture of the test, so it looks after
    they are torn down and after pytest-qt closed the widgets given to `qtbot.addWidget`.
    Then everything the test made is deleted, so one leak does not spill into the next test."""
    before = {_pointer(w) for w in QApplication.topLevelWidgets()}
    yield
    QApplication.processEvents()
    made = [w for w in QApplication.topLevelWidgets() if _pointer(w) not in before]
    leaks = [f"{type(w).__name__} «{w.windowTitle()}» still shown" for w in made
             if w.isVisible()]
    leaks += [f"{type(w).__name__}: {running}" for w in made for running in _still_running(w)]
    for widget in made:  # what pytest-qt did not close: deleted all the same
        widget.hide()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if leaks:
        pytest.fail("left behind by the test (close windows with qtbot.addWidget, stop "
                    "timers in fixtures):\n  " + "\n  ".join(leaks), pytrace=False)


def settle(qtbot: QtBot) -> None:
    """Let what is already queued for the event loop run (zero-time timers, posted events):
    a marker queued behind it has fired, twice over (Qt runs posted events before timers)."""
    for _ in range(2):
        _wait_for_a_marker(qtbot)


def _wait_for_a_marker(qtbot: QtBot) -> None:
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)


@pytest.fixture(scope="session")
def bundled() -> Content:
    return load_content(BUNDLED, probe_image)


class FakeClock:
    """Monotonic time that tests move by hand: no test waits for real seconds to pass."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return SIZES[request.param]


WindowFactory = Callable[..., KioskWindow]


@pytest.fixture
def make_window(qtbot: QtBot, bundled: Content, clock: FakeClock,
                size: tuple[int, int]) -> Iterator[WindowFactory]:
    """Shows a kiosk window on the bundled content (or the content given), with the fake
    clock; keyword arguments go to KioskWindow (a wall clock, a PIN store). Its timers and
    any clip player are stopped afterwards."""
    made: list[KioskWindow] = []

    def make(content: Content | None = None, **options: Any) -> KioskWindow:
        win = KioskWindow(Theme(*size), content or bundled, clock, **options)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.attract.stop()
        win.session_timer.stop()
        if win.attract.player is not None:
            win.attract.player.terminate()


@pytest.fixture
def window(make_window: WindowFactory) -> KioskWindow:
    return make_window()
