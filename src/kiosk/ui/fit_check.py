"""For `kiosk check`: text that would not fit its screen, measured the way the screen lays it
out (the real fonts, both orientations, both languages)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.core.model import Content
from kiosk.core.problems import LANGUAGES, Problem, Severity
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.theme import Theme

ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def text_fit_problems(content: Content) -> list[Problem]:
    found: dict[tuple[str, str, str], Problem] = {}
    for orientation, size in ORIENTATIONS.items():
        window = KioskWindow(Theme(*size), content)
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.show()
        for screen in window.screens:
            screen.wall = lambda: None  # every item, whatever its schedule
        reading_screens = ((window.anniversary, [page.source for page in content.pages]),
                           (window.stories, [story.source for story in content.stories]))
        for lang in LANGUAGES:
            window.set_language(lang)
            for screen, sources in reading_screens:
                window.show_screen(screen)
                for index, source in enumerate(sources):
                    screen.go(index)
                    QApplication.processEvents()
                    if screen.card.body.overflows():
                        key = (str(source), orientation, lang)
                        found[key] = _problem(*key)
        window.attract.stop()
        window.close()
        window.deleteLater()
    return list(found.values())


def _problem(path: str, orientation: str, lang: str) -> Problem:
    return Problem(path, None, Severity.WARNING, "text_too_long",
                   {"orientation": orientation, "language": lang})
