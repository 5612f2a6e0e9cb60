"""PySide6's check of each imported module, answered from the file's bytes (30 ms of the
first frame): the same answers as PySide6's own, and nothing replaced that is not that check."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

import kiosk.ui  # noqa: F401  (installs the quicker check)
from kiosk.ui.pyside_feature import quicker_feature_check


def feature() -> ModuleType:
    module = sys.modules.get("shibokensupport.feature")
    assert module is not None
    return module


def test_the_quicker_check_answers_as_pysides_own_for_every_module_loaded() -> None:
    quick = feature()._mod_uses_pyside
    assert getattr(quick, "kiosk_quicker", False)
    own = quick.replaced
    modules = [m for m in list(sys.modules.values())
               if isinstance(getattr(m, "__file__", None), str)]
    assert len(modules) > 200
    answers = {m.__name__: quick(m) for m in modules}
    assert answers == {m.__name__: own(m) for m in modules}
    assert answers["kiosk.ui.pyside_feature"] and not answers["json"]


def test_a_check_of_another_shape_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def two_arguments(module: ModuleType, more: object) -> bool:
        return True

    monkeypatch.setattr(feature(), "_mod_uses_pyside", two_arguments)
    assert not quicker_feature_check()
    assert feature()._mod_uses_pyside is two_arguments
