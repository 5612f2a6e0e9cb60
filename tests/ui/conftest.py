from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.core.loader import load_content
from kiosk.core.model import Content
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.resources import load_fonts, probe_image
from kiosk.ui.theme import Theme
from tests.helpers import BUNDLED

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@pytest.fixture(scope="session", autouse=True)
def fonts(qapp: QApplication) -> list[str]:
    return load_fonts()


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
    """Shows a kiosk window on the bundled content, with the fake clock; keyword arguments
    go to KioskWindow (a wall clock, a PIN store). Its timers are stopped afterwards."""
    made: list[KioskWindow] = []

    def make(**options: Any) -> KioskWindow:
        win = KioskWindow(Theme(*size), bundled, clock, **options)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.attract.stop()
        win.session_timer.stop()


@pytest.fixture
def window(make_window: WindowFactory) -> KioskWindow:
    return make_window()
