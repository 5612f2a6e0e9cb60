"""Fixtures the editor's tests share: the editor with sign-in and CSRF off, the shared content
of the package and an empty centre folder of the test's own; the real renderer for a module's
preview pages; a page of headless Chromium for the browser tests. A module that needs more
(pictures already published, a folder made) overrides a fixture by asking for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.core.paths import package_folder
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from kiosk.editor.preview_views import RENDERER_KEY
from kiosk.editor.render import Renderer
from tests.editor.browser import chromium_context


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


@pytest.fixture(scope="module")
def renderer(request: pytest.FixtureRequest) -> Iterator[Renderer]:
    """One renderer's child for a module's tests (starting one takes seconds); its timeout the
    module's RENDER_TIMEOUT where it sets one."""
    found = Renderer(timeout=getattr(request.module, "RENDER_TIMEOUT", 30.0))
    yield found
    found.close()


@pytest.fixture
def rendering(app: Flask, renderer: Renderer) -> Flask:
    """`app` (and so `client`) drawing its previews with the module's renderer."""
    app.extensions[RENDERER_KEY] = renderer
    return app


@pytest.fixture
def page() -> Iterator[Any]:
    """A page of headless Chromium, 1366×768, Russian (tests.editor.browser)."""
    with chromium_context() as context:
        yield context.new_page()
