"""The editor's Flask application: `create_app(config)` builds it from an EditorConfig.

Parts plug in here, each a module of its own:
- `auth.init_app(app, config)`: sign-in, sessions, CSRF, rate limits (kiosk.editor.auth);
- `views.editor_bp`: the listing, the story form, publishing, history and undo;
- `preview_views.preview_bp`: the live preview rendered by the kiosk's own renderer;
- `wizard.wizard_bp`: the colouring-picture wizard.
"""

from __future__ import annotations

import importlib
import logging
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app

from kiosk.editor.config import EditorConfig, split_listen

log = logging.getLogger(__name__)

CONFIG_KEY = "KIOSK_EDITOR"  # app.config[CONFIG_KEY] is the EditorConfig
READER_KEY = "kiosk.content_reader"  # app.extensions[READER_KEY]: its catalog.ContentReader


def create_app(config: EditorConfig) -> Flask:
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=config.max_request_bytes,
        # A multipart form's text fields (never a file) are held in memory up to this, and a
        # form has at most this many parts (a story form has a few dozen).
        MAX_FORM_MEMORY_SIZE=FORM_BYTES,
        MAX_FORM_PARTS=1000,
        SECRET_KEY=config.secret_key or secrets.token_hex(32),
        LOGIN_DISABLED=config.login_disabled,
        WTF_CSRF_ENABLED=config.csrf,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        TEMPLATES_AUTO_RELOAD=False,
        JSON_AS_ASCII=False,
    )
    app.config[CONFIG_KEY] = config
    from kiosk.editor.catalog import ContentReader

    app.extensions[READER_KEY] = ContentReader(config)
    config.editor_state.mkdir(parents=True, exist_ok=True, mode=0o700)

    # Before anything reads the form (the CSRF check in auth does): a small body limit for
    # every request but a multipart upload, so that a 30 MB url-encoded post is refused unread.
    app.before_request(_limit_body)
    app.after_request(_security_headers)

    # Sign-in first: it guards every page registered after it.
    auth = _optional("kiosk.editor.auth")
    if auth is not None:
        auth.init_app(app, config)
    elif not config.login_disabled:
        raise RuntimeError("kiosk.editor.auth is missing: the editor never runs without sign-in")

    from kiosk.editor.views import editor_bp
    app.register_blueprint(editor_bp)
    for module, name in (("kiosk.editor.preview_views", "preview_bp"),
                         ("kiosk.editor.wizard", "wizard_bp")):
        part = _optional(module)
        if part is not None:
            app.register_blueprint(getattr(part, name))
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    if "preview.story" in app.view_functions:  # scratch folders of a preview child killed
        from kiosk.editor.render import sweep_scratch  # with an editor stopped by a signal

        sweep_scratch(config.editor_state / "preview")
    return app


# Werkzeug reads a url-encoded body whole into memory (its form memory cap covers only
# multipart), so every request but an upload gets a small limit: a story form at its bounds
# (2 × 20,000 Cyrillic letters) is about 250 KB url-encoded. (Measured: a url-encoded body
# costs ~50 times its size while it is decoded, 2 MB → +100 MB.) Only multipart posts to these
# endpoints may carry a photo or a scan.
FORM_BYTES = 256 * 1024
# waitress reads a request's whole body before the app (and its sign-in check) sees it, and
# keeps an idle connection 120 s: these bound what one client on the network can hold.
CHANNEL_TIMEOUT_S = 30
CONNECTION_LIMIT = 32
UPLOAD_ENDPOINTS = frozenset({"editor.upload_photo", "editor.save_story", "wizard.upload",
                              "editor.upload_poster_picture", "editor.save_poster"})


def _limit_body() -> None:
    from flask import request

    if request.endpoint in UPLOAD_ENDPOINTS and request.mimetype == "multipart/form-data":
        return
    request.max_content_length = min(FORM_BYTES, editor_config(current_app).max_request_bytes)


# No page of the editor in a frame of another site (clickjacking a «Опубликовать»), and only
# its own scripts (all are files in static/, none inline); inline styles stay allowed (the
# wizard's sheet is sized by a style attribute; styles run no code).
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def editor_config(app: Flask) -> EditorConfig:
    config: EditorConfig = app.config[CONFIG_KEY]
    return config


def _optional(name: str) -> Any:
    """A part of the editor that another helper may not have written yet."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def serve_from_cli(content: Path, centre: Path | None, state: Path | None,
                   listen: str | None) -> int:
    """`kiosk editor`: serve the editor with waitress until stopped. 2 when the options
    cannot work (no centre folder, a bad address)."""
    import sys

    from kiosk.core.paths import state_dir

    if centre is None:
        print("Не указана папка материалов центра: --centre ПАПКА или переменная "
              "KIOSK_CENTRE_CONTENT. Редактор пишет только в неё.", file=sys.stderr)
        return 2
    from kiosk.cli import folders_problem

    problem = folders_problem(content, centre)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from kiosk.editor import auth

    try:
        # --listen, else /etc/kiosk/editor.yaml, else this computer only (auth's rule).
        listen = auth.resolve_listen(listen)
        host, port = split_listen(listen)
        proxy = auth.resolve_trusted_proxy()
        config = EditorConfig(content=content, centre=centre, state_dir=state_dir(state),
                              listen=listen)
        centre.mkdir(parents=True, exist_ok=True)
        app = create_app(config)
    except (auth.CannotStart, ValueError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 2
    import waitress  # type: ignore[import-untyped]

    # Behind a TLS proxy (editor.yaml `trusted_proxy:`), its X-Forwarded-Proto makes the
    # cookie Secure and its X-Forwarded-For names the client; from anyone else they are
    # dropped. Without it, every request through a proxy has the proxy's address.
    behind: dict[str, Any] = {} if proxy is None else {
        "trusted_proxy": proxy, "trusted_proxy_headers": {"x-forwarded-proto",
                                                          "x-forwarded-for"}}
    log.info("editor: serving http://%s:%d/ (content %s, centre %s%s)", host, port, content,
             centre, f", behind the proxy {proxy}" if proxy else "")
    try:
        _can_listen(host, port)  # asked first: waitress leaves its socket open when it fails
        # Connections idle for 30 s are closed (waitress keeps them 120 s), and at most 32
        # are held: a client that opens many and sends nothing frees them sooner, and the
        # bodies waitress spools before sign-in is asked stay bounded (docs/security.md).
        waitress.serve(app, host=host, port=port, threads=4, ident="kiosk-editor",
                       max_request_body_size=config.max_request_bytes + 1024 * 1024,
                       channel_timeout=CHANNEL_TIMEOUT_S, connection_limit=CONNECTION_LIMIT,
                       **behind)
    except OSError as exc:  # the port is taken, the address is not this computer's …
        print(f"Редактор не может слушать {listen}: {exc.strerror or exc}. Возможно, этот "
              "порт уже занят (другой редактор?) или адрес не принадлежит этому компьютеру: "
              "укажите другой в --listen или в /etc/kiosk/editor.yaml.\n"
              f"The editor cannot listen at {listen}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    return 0


def _can_listen(host: str, port: int) -> None:
    """OSError when this address and port cannot be listened at (taken, not ours)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
