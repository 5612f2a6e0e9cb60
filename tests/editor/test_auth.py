"""Sign-in to the staff editor (kiosk.editor.auth), through Flask's test client: the PIN and its
lock that survives a restart, accounts and their files, rate limits, CSRF, session expiry, the
cookie, the secret key, refusing to start, where the editor may listen, the accounts command."""

from __future__ import annotations

import io
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf  # type: ignore[import-untyped]

from kiosk import cli
from kiosk.core.pin import LOCK_STEPS, MAX_TRIES, PinStore
from kiosk.editor import auth
from kiosk.editor.app import create_app
from kiosk.editor.config import EditorConfig
from tests.editor.test_colouring_pictures import line_art

PIN = "48291375"
PASSWORD = "верный-пароль-1"
CONTENT = Path(__file__).resolve().parents[2] / "content"
T0 = 1_800_000_000.0


@dataclass
class Clock:
    now: float = T0

    def __call__(self) -> float:
        return self.now


@dataclass
class Editor:
    state: Path
    centre: Path
    clock: Clock = field(default_factory=Clock)

    def config(self, **changes: object) -> EditorConfig:
        return EditorConfig(content=CONTENT, centre=self.centre, state_dir=self.state,
                            extra={"clock": self.clock}, **changes)  # type: ignore[arg-type]

    def app(self, **changes: object) -> Flask:
        app = create_app(self.config(**changes))
        app.testing = True
        if "probe" not in app.view_functions:
            # A page behind sign-in that tells who is signed in.
            app.add_url_rule("/probe", "probe",
                             lambda: f"user={auth.current_user()}\ncsrf={generate_csrf()}")
        return app


@pytest.fixture
def editor(tmp_path: Path) -> Editor:
    found = Editor(tmp_path / "state", tmp_path / "centre")
    found.centre.mkdir()
    PinStore(found.state).set_pin(PIN)
    return found


def token(client: FlaskClient, path: str = "/signin") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"|csrf=(.+)', page)
    assert found, page
    return found.group(1) or found.group(2)


def sign_in_pin(client: FlaskClient, pin: str, **extra: str) -> tuple[int, str]:
    response = client.post("/signin", data={"method": "pin", "pin": pin,
                                            "csrf_token": token(client), **extra})
    return response.status_code, response.get_data(as_text=True)


def sign_in_account(client: FlaskClient, name: str, password: str) -> tuple[int, str]:
    response = client.post("/signin", data={"method": "account", "name": name,
                                            "password": password, "csrf_token": token(client)})
    return response.status_code, response.get_data(as_text=True)


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/probe")
    return response.status_code == 200 and response.get_data(as_text=True).startswith("user=")


# -- the PIN -------------------------------------------------------------------------------------

def test_every_page_needs_sign_in_and_the_pin_opens_it(editor: Editor) -> None:
    client = editor.app().test_client()
    response = client.get("/probe")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/signin?next=/probe")
    assert client.get("/").status_code == 303  # the listing too
    page = client.get("/signin").get_data(as_text=True)
    assert "Вход для сотрудников" in page and 'name="pin"' in page
    status, _ = sign_in_pin(client, PIN, next="/probe")
    assert status == 303
    assert client.get("/probe").get_data(as_text=True).startswith("user=ПИН-код\n")


def test_a_wrong_pin_five_times_locks_and_a_restart_keeps_the_lock(editor: Editor) -> None:
    client = editor.app().test_client()
    for tries_left in range(MAX_TRIES - 1, 0, -1):
        status, page = sign_in_pin(client, "11111111")
        assert status == 401
        assert f"Осталось попыток до блокировки: {tries_left}" in page
    status, page = sign_in_pin(client, "11111111")
    assert "закрыт ещё на 5 мин" in page
    # The right PIN is not even checked while the lock lasts, also after a restart.
    restarted = editor.app().test_client()
    status, page = sign_in_pin(restarted, PIN)
    assert status == 403 and "закрыт ещё на" in page
    assert not signed_in(restarted)
    # The pad's own file holds it: the kiosk's pad is locked the same way (one PIN, one lock).
    assert PinStore(editor.state).seconds_locked(editor.clock.now) == LOCK_STEPS[0]
    editor.clock.now += LOCK_STEPS[0] + 1
    status, _ = sign_in_pin(restarted, PIN)
    assert status == 303 and signed_in(restarted)


def test_no_pin_and_no_account_refuses_to_start(tmp_path: Path) -> None:
    editor = Editor(tmp_path / "state", tmp_path / "centre")
    with pytest.raises(auth.CannotStart, match="kiosk set-pin") as refused:
        editor.app()
    assert "kiosk editor-user add ИМЯ --state-dir " + str(tmp_path / "state") in \
        str(refused.value)
    auth.Accounts(editor.config().editor_state / auth.ACCOUNTS_FILE).add("anna", PASSWORD)
    editor.app()  # an account is enough
    # A test app with sign-in off starts without either.
    Editor(tmp_path / "other", tmp_path / "centre").app(login_disabled=True)


# -- accounts ------------------------------------------------------------------------------------

def test_accounts_are_hashed_with_the_pins_scrypt_written_atomically_0600(
        editor: Editor, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = auth.Accounts(editor.config().editor_state / auth.ACCOUNTS_FILE)
    accounts.add("Anna.Petrova", PASSWORD)
    text = accounts.path.read_text()
    assert PASSWORD not in text
    assert re.fullmatch(r"anna\.petrova:scrypt\$16384\$8\$1\$[^$]+\$[^$]+\n", text), text
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(accounts.path.parent.stat().st_mode) == 0o700
    assert accounts.check("anna.petrova", PASSWORD)
    assert not accounts.check("anna.petrova", PASSWORD + "x")
    assert not accounts.check("boris", PASSWORD)
    with pytest.raises(ValueError, match="не короче"):
        accounts.add("boris", "short")
    with pytest.raises(ValueError, match="латинских"):
        accounts.add("борис", PASSWORD)
    # A write that fails half-way leaves the old file whole and no temporary file behind.
    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError):
        accounts.add("boris", PASSWORD)
    assert accounts.path.read_text() == text
    assert sorted(p.name for p in accounts.path.parent.iterdir()
                  if p.name.startswith(".")) == []


def test_an_account_signs_in_and_its_lock_survives_a_restart(editor: Editor) -> None:
    auth.Accounts(editor.config().editor_state / auth.ACCOUNTS_FILE).add("anna", PASSWORD)
    client = editor.app().test_client()
    status, page = sign_in_account(client, "anna", "wrong password")
    assert status == 401 and "Неверное имя или пароль" in page
    for _ in range(MAX_TRIES - 1):
        status, page = sign_in_account(client, "anna", "wrong password")
    assert "закрыт на 5 мин" in page
    restarted = editor.app().test_client()
    status, page = sign_in_account(restarted, "anna", PASSWORD)
    assert status == 403 and not signed_in(restarted)
    editor.clock.now += LOCK_STEPS[0] + 1
    status, _ = sign_in_account(restarted, "ANNA", PASSWORD)
    assert status == 303
    assert restarted.get("/probe").get_data(as_text=True).startswith("user=anna\n")


def test_a_name_that_is_no_account_locks_too(editor: Editor) -> None:
    """Otherwise the lock would tell which names exist."""
    auth.Accounts(editor.config().editor_state / auth.ACCOUNTS_FILE).add("anna", PASSWORD)
    client = editor.app().test_client()
    for _ in range(MAX_TRIES):
        _status, page = sign_in_account(client, "nobody", "wrong password")
    assert "закрыт на 5 мин" in page


def test_sign_ins_are_logged_with_the_address_never_the_secret(
        editor: Editor, caplog: pytest.LogCaptureFixture) -> None:
    auth.Accounts(editor.config().editor_state / auth.ACCOUNTS_FILE).add("anna", PASSWORD)
    app = editor.app()
    with caplog.at_level(logging.INFO, logger="kiosk"):
        sign_in_pin(app.test_client(), "11112222")
        sign_in_pin(app.test_client(), PIN)
        sign_in_account(app.test_client(), "anna", PASSWORD)
        # a password typed into the name field
        sign_in_account(app.test_client(), PASSWORD, PASSWORD)
    text = caplog.text
    assert "refused (wrong) from 127.0.0.1" in text
    assert "with the staff PIN from 127.0.0.1" in text
    assert "editor sign-in: anna from 127.0.0.1" in text
    for secret in (PIN, "11112222", PASSWORD):
        assert secret not in text


# -- rate limit, CSRF ----------------------------------------------------------------------------

def test_sign_in_attempts_are_limited_per_address(editor: Editor) -> None:
    client = editor.app().test_client()
    for number in range(10):
        status, _ = sign_in_account(client, f"user{number}", "wrong password")
        assert status == 401
    status, page = sign_in_account(client, "user10", "wrong password")
    assert status == 429
    assert "Слишком много попыток входа" in page
    # Another address is not held back by this one.
    other = editor.app().test_client()
    other.environ_base["REMOTE_ADDR"] = "192.168.1.50"
    assert sign_in_account(other, "user0", "wrong password")[0] == 401


@pytest.mark.parametrize("forged", ["", "IjEyMyI.aaaa.bbbb"])
def test_a_post_without_a_valid_csrf_token_is_refused(editor: Editor, forged: str) -> None:
    client = editor.app().test_client()
    data = {"method": "pin", "pin": PIN}
    if forged:
        data["csrf_token"] = forged
    response = client.post("/signin", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Запрос отклонён" in page and "не со страницы редактора" in page
    assert not signed_in(client)
    # Signed in, a form posted from elsewhere (no token) changes nothing either.
    assert sign_in_pin(client, PIN)[0] == 303
    assert client.post("/signout").status_code == 400
    assert signed_in(client)


def test_a_token_of_another_session_is_refused(editor: Editor) -> None:
    app = editor.app()
    attacker, victim = app.test_client(), app.test_client()
    stolen = token(attacker)
    assert sign_in_pin(victim, PIN)[0] == 303
    assert victim.post("/signout", data={"csrf_token": stolen}).status_code == 400
    assert victim.post("/signout", data={"csrf_token": token(victim, "/probe")}).status_code \
        == 303
    assert not signed_in(victim)


# -- sessions ------------------------------------------------------------------------------------


def test_a_drawing_in_the_wizard_stays_for_her_when_she_signs_in_again(editor: Editor) -> None:
    """Signing in again where the session ended (the editor's dialog) keeps the drawing she
    was making into a colouring picture; signing in as someone else does not give it them."""
    client = editor.app().test_client()
    sign_in_pin(client, PIN)
    answer = client.post("/colouring/upload", data={
        "scan": (io.BytesIO(line_art()), "domik.png"), "csrf_token": token(client, "/colouring/")})
    assert answer.status_code == 303 and client.get("/colouring/edit").status_code == 200
    editor.clock.now += auth.IDLE_SECONDS + 1
    assert client.get("/colouring/edit").status_code == 303  # the session has ended
    assert sign_in_pin(client, PIN)[0] == 303
    assert client.get("/colouring/edit").status_code == 200  # her drawing, still there

    auth.Accounts(editor.config().editor_state / auth.ACCOUNTS_FILE).add("boris", PASSWORD)
    editor.clock.now += auth.IDLE_SECONDS + 1
    assert sign_in_account(client, "boris", PASSWORD)[0] == 303
    assert client.get("/colouring/edit").status_code in (302, 303)  # not his to publish

def test_a_session_ends_after_30_idle_minutes(editor: Editor) -> None:
    client = editor.app().test_client()
    sign_in_pin(client, PIN)
    editor.clock.now += auth.IDLE_SECONDS - 60
    assert signed_in(client)
    editor.clock.now += auth.IDLE_SECONDS - 60  # active 29 min ago: still in
    assert signed_in(client)
    editor.clock.now += auth.IDLE_SECONDS + 1
    response = client.get("/probe")
    assert response.status_code == 303 and "expired=1" in response.headers["Location"]
    assert "Сеанс закончился" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert not signed_in(client)


def test_a_session_ends_12_hours_after_sign_in_however_busy(editor: Editor) -> None:
    client = editor.app().test_client()
    sign_in_pin(client, PIN)
    for _ in range(auth.ABSOLUTE_SECONDS // (20 * 60)):
        editor.clock.now += 20 * 60
        assert signed_in(client)
    editor.clock.now += 20 * 60
    assert not signed_in(client)


def test_the_session_cookie_is_httponly_strict_and_secure_over_https(editor: Editor) -> None:
    app = editor.app()
    client = app.test_client()
    token_value = token(client)
    response = client.post("/signin", data={"method": "pin", "pin": PIN,
                                            "csrf_token": token_value})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(auth.SESSION_COOKIE + "=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    secure = app.test_client()
    page = secure.get("/signin", base_url="https://editor.local").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    response = secure.post("/signin", base_url="https://editor.local",
                           headers={"Referer": "https://editor.local/signin"},
                           data={"method": "pin", "pin": PIN, "csrf_token": found.group(1)})
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


def test_the_secret_key_is_made_once_0600_and_kept(editor: Editor) -> None:
    first = editor.app()
    path = editor.config().editor_state / auth.SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.config["SECRET_KEY"] == path.read_text().strip()
    client = first.test_client()
    sign_in_pin(client, PIN)
    # After a restart the same cookie still opens the pages (the key is the same).
    restarted = editor.app()
    assert restarted.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    cookie = client.get_cookie(auth.SESSION_COOKIE)
    assert cookie is not None
    again = restarted.test_client()
    again.set_cookie(auth.SESSION_COOKIE, cookie.value)
    assert signed_in(again)


def test_after_sign_in_only_a_page_of_this_site(editor: Editor) -> None:
    app = editor.app()
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        client = app.test_client()
        response = client.post("/signin", data={"method": "pin", "pin": PIN, "next": target,
                                                "csrf_token": token(client)})
        assert response.headers["Location"] == "/", target


# -- where the editor listens -------------------------------------------------------------------

def test_listen_defaults_to_this_computer_only(tmp_path: Path) -> None:
    assert auth.resolve_listen(None, tmp_path / "missing.yaml") == "127.0.0.1:8080"
    settings = tmp_path / "editor.yaml"
    settings.write_text("listen: 192.168.1.20:8080\n")
    assert auth.resolve_listen(None, settings) == "192.168.1.20:8080"
    assert auth.resolve_listen("127.0.0.1:9000", settings) == "127.0.0.1:9000"


@pytest.mark.parametrize("listen, reason", [
    ("0.0.0.0:8080", "во всех сетях"),
    ("[::]:8080", "во всех сетях"),
    ("kiosk.local:8080", "а не имя"),
    ("192.168.1.20", "127.0.0.1:8080"),
    ("192.168.1.20:99999", "127.0.0.1:8080"),
])
def test_listen_refuses_every_network_at_once_and_names(tmp_path: Path, listen: str,
                                                        reason: str) -> None:
    with pytest.raises(auth.CannotStart, match=reason):
        auth.resolve_listen(listen, tmp_path / "missing.yaml")
    settings = tmp_path / "editor.yaml"
    settings.write_text(f'listen: "{listen}"\n')
    with pytest.raises(auth.CannotStart, match=reason):
        auth.resolve_listen(None, settings)


@pytest.mark.parametrize("text", ["listen: [1, 2]\n", "port: 8080\n", "listen: 'a\n"])
def test_a_settings_file_it_cannot_understand_stops_it(tmp_path: Path, text: str) -> None:
    settings = tmp_path / "editor.yaml"
    settings.write_text(text)
    with pytest.raises(auth.CannotStart, match=r"editor\.yaml"):
        auth.resolve_listen(None, settings)


def test_kiosk_editor_refuses_to_start_without_pin_or_account(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["editor", "--content", str(CONTENT), "--centre", str(tmp_path / "c"),
                     "--state-dir", str(tmp_path / "state")])
    assert code == 2
    assert "kiosk set-pin" in capsys.readouterr().err


# -- kiosk editor-user ---------------------------------------------------------------------------

def run_cli(monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["editor-user", *args])


def test_editor_user_as_root_without_a_state_dir_is_refused_with_the_packages_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """IT runs it as root: the account went to /root/.local/state/kiosk/editor, «added», and
    the packaged editor in /var/lib/kiosk-editor never saw it."""
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    package = tmp_path / "var-lib-kiosk-editor"  # the package is installed
    package.mkdir()
    monkeypatch.setattr(cli, "PACKAGE_EDITOR_DIR", str(package))
    for name in ("KIOSK_STATE_DIR", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert run_cli(monkeypatch, ["add", "anna"], f"{PASSWORD}\n{PASSWORD}\n") == 2
    said = capsys.readouterr()
    assert "не изменены" in said.err and "добавлена" not in said.out
    assert f"\n    kiosk editor-user add anna --state-dir {package}\n" in said.err
    assert not list(tmp_path.rglob(auth.ACCOUNTS_FILE))
    monkeypatch.setenv("KIOSK_STATE_DIR", str(tmp_path / "state"))
    assert run_cli(monkeypatch, ["add", "anna"], f"{PASSWORD}\n{PASSWORD}\n") == 0
    assert auth.Accounts(tmp_path / "state" / "editor" / auth.ACCOUNTS_FILE).check("anna",
                                                                                   PASSWORD)


def test_editor_user_add_list_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    state = ["--state-dir", str(tmp_path)]
    accounts = auth.Accounts(tmp_path / "editor" / auth.ACCOUNTS_FILE)
    assert run_cli(monkeypatch, ["add", "anna", *state], f"{PASSWORD}\n{PASSWORD}x\n") == 1
    assert "не совпали" in capsys.readouterr().err
    assert run_cli(monkeypatch, ["add", "anna", *state], "short\nshort\n") == 1
    assert "Пароль — не короче 10 знаков" in capsys.readouterr().err
    assert run_cli(monkeypatch, ["add", "Анна", *state], f"{PASSWORD}\n{PASSWORD}\n") == 1
    assert not accounts.names()
    assert run_cli(monkeypatch, ["add", "anna", *state], f"{PASSWORD}\n{PASSWORD}\n") == 0
    assert "добавлена" in capsys.readouterr().out
    assert accounts.check("anna", PASSWORD)
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600
    assert run_cli(monkeypatch, ["list", *state]) == 0
    assert capsys.readouterr().out == "anna\n"
    assert run_cli(monkeypatch, ["remove", "anna", *state]) == 0
    assert accounts.names() == []
    assert run_cli(monkeypatch, ["remove", "anna", *state]) == 1

