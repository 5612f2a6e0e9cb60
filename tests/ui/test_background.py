"""Work off the UI thread (kiosk.ui.background)."""

from __future__ import annotations

import sys

import pytest
import shiboken6
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from kiosk.ui import background


def test_a_job_that_ends_after_the_hub_is_gone_reports_no_error(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """At Python's end the hub workers emit on goes while a picture may still be decoding:
    the worker ends quietly, with no traceback in the kiosk's log."""
    hub = background._Hub()
    monkeypatch.setattr(background, "_hub", hub)
    jobs = background.Background()
    shiboken6.delete(hub)
    reported: list[object] = []
    monkeypatch.setattr(sys, "excepthook", lambda *error: reported.append(error))
    jobs.run(lambda: 1, lambda result: None)
    QThreadPool.globalInstance().waitForDone()
    assert reported == []
