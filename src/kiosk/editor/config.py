"""The editor's settings: which folders it reads and writes, where it keeps its own state,
where it listens. One frozen dataclass, built by `kiosk editor` from its options (or by tests),
read by every part of the editor (views, publishing, auth, preview, photos)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.paths import state_dir as kiosk_state_dir

DEFAULT_LISTEN = "127.0.0.1:8080"
# The biggest request the editor accepts: a phone photo (HEIC or JPEG, 24 MP ≈ 5–12 MB) with
# room to spare; anything larger is refused by Flask before it is read (413).
MAX_REQUEST_BYTES = 32 * 1024 * 1024
# The biggest file staff may upload (a photo, a poster's picture, a scan of a drawing): the one
# figure every page and message names. Below MAX_REQUEST_BYTES, so a file between the two is
# answered with the editor's own message; the browser checks it before sending the file.
MAX_UPLOAD_BYTES = 30_000_000


@dataclass(frozen=True, slots=True)
class EditorConfig:
    """`content`: head office's shared folder (read only); `centre`: the centre's own folder,
    the only place the editor writes; `state_dir`: the kiosk's state folder, under which the
    editor keeps `editor/` (publish history, publish log, sessions, lock files) — never inside
    a content folder, which head office's sync may wipe; `listen`: HOST:PORT."""

    content: Path
    centre: Path
    state_dir: Path
    listen: str = DEFAULT_LISTEN
    # A Flask secret; None: auth.init_app makes one and keeps it in the state folder.
    secret_key: str | None = None
    # Tests of the pages alone (no sign-in). Never set by `kiosk editor`.
    login_disabled: bool = False
    # CSRF checks (Flask-WTF); off only in tests that post forms without a token.
    csrf: bool = True
    max_request_bytes: int = MAX_REQUEST_BYTES
    # Anything else a part of the editor needs (auth: accounts file, session lifetime...).
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def editor_state(self) -> Path:
        """The editor's own folder in the state folder."""
        return self.state_dir / "editor"

    @property
    def history_dir(self) -> Path:
        return self.editor_state / "history"

    @property
    def publish_log(self) -> Path:
        return self.editor_state / "publish-log.jsonl"

    @property
    def host(self) -> str:
        return split_listen(self.listen)[0]

    @property
    def port(self) -> int:
        return split_listen(self.listen)[1]


def split_listen(text: str) -> tuple[str, int]:
    """"127.0.0.1:8080" → ("127.0.0.1", 8080); "[::1]:8080" → ("::1", 8080). ValueError
    (in Russian) when it is not HOST:PORT with a port from 1 to 65535."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"адрес пишется как 127.0.0.1:8080, а не «{text}»")
    return host.strip("[]"), int(port)


def default_state_dir() -> Path:
    return kiosk_state_dir()
