"""Fixtures the editor's test-client tests share: the editor with sign-in and CSRF off, the
shared content of the package and an empty centre folder of the test's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.core.paths import package_folder
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig


@pytest.fixture
def config(tmp_path: Path) -> EditorConfig:
    centre = tmp_path / "centre"
    centre.mkdir()
    return EditorConfig(package_folder("content"), centre, tmp_path / "state",
                        login_disabled=True, csrf=False)


@pytest.fixture
def app(config: EditorConfig) -> Flask:
    return create_app(config)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as client:
        yield client
