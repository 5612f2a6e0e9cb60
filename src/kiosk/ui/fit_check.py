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
        for lang in LANGUAGES:
            window.set_language(lang)
            window.show_screen(window.anniversary)
            for index, page in enumerate(content.pages):
                window.anniversary.go(index)
                QApplication.processEvents()
                if window.anniversary.card.body.overflows():
                    key = (str(page.source), orientation, lang)
                    found[key] = _problem(*key)
            window.show_screen(window.stories)
            for index, story in enumerate(content.stories):
                window.stories.go(index)
                QApplication.processEvents()
                if window.stories.card.body.overflows():
                    key = (str(story.source), orientation, lang)
                    found[key] = _problem(*key)
        window.attract.stop()
        window.close()
        window.deleteLater()
    return list(found.values())


def _problem(path: str, orientation: str, lang: str) -> Problem:
    return Problem(path, None, Severity.WARNING, "text_too_long",
                   {"orientation": orientation, "language": lang})
