"""`kiosk check` checks the posters while the stories' texts are measured: the other work is
run exactly once, whether or not there are stories, and changes nothing that is found."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from kiosk.core.content.model import Content
from kiosk.ui import fit_check


def test_the_other_work_runs_once_beside_the_measuring(qtbot: QtBot, bundled: Content) -> None:
    calls: list[int] = []
    found = fit_check.text_fit_problems(bundled, lambda: calls.append(1))
    assert calls == [1]
    assert found == fit_check.text_fit_problems(bundled)
    calls.clear()
    fit_check.text_fit_problems(replace(bundled, stories=()), lambda: calls.append(1))
    assert calls == [1]
