"""Sign-in for the staff web editor: who may change what the kiosk shows.

- Two ways in: a staff account (name and password, `kiosk editor-user add NAME`) or the
  kiosk's staff PIN (`kiosk set-pin`). Both are kept only as salted scrypt hashes with the
  PIN pad's parameters (kiosk.core.pin); both lock after five wrong tries in a row, 5 min,
  15 min, 1 h, 4 h, then 24 h, and the lock survives a restart (the PIN's through the pad's
  own PinStore, an account's in `account-tries`). On top of that, sign-in attempts are
  limited per client address (Flask-Limiter, in memory): SIGNIN_RATE.
- Every POST carries a CSRF token (Flask-WTF); a form without it, or with a forged one, is
  refused with 400 and a plain Russian page.
- A session ends after IDLE_SECONDS without a request, and ABSOLUTE_SECONDS after sign-in,
  whatever happens. Its cookie is HttpOnly, SameSite=Strict, and Secure over HTTPS. The key
  that signs it is made once and kept in the editor's state folder (0600), never in the repo.
- A session holds a short HMAC of the account's password hash (of the PIN's for a PIN
  session): removing the account or changing its password or the PIN ends its sessions.
  «Выйти» records the session's id in `signed-out`, so a copy of its cookie is refused too.
- Every page but sign-in and the static files needs a signed-in session (a before_request
  hook; `login_required` says the same on each view).
- Every sign-in, right or wrong, is logged with the client's address, never the secret.

Files, in EditorConfig.editor_state (0700): `accounts` (`name:scrypt$…` a line), `account-tries`
(`name failures locked_until locks` a line), `secret-key`. The PIN: `pin` and `pin-tries` in
EditorConfig.state_dir, the pad's own files (the unit keeps a copy of the hash there:
deploy/kiosk-editor.service).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect  # type: ignore[import-untyped]
from markupsafe import escape
from werkzeug.exceptions import TooManyRequests

from kiosk.core.pin import (
    MAX_TRIES,
    Lockout,
    Outcome,
    PinFileError,
    PinStore,
    hash_pin,
    lock_seconds,
    verify,
    write_private,
)
from kiosk.editor.config import DEFAULT_LISTEN, EditorConfig, split_listen

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

PIN_USER = "ПИН-код"  # current_user() of a session opened with the PIN
ACCOUNTS_FILE = "accounts"
ACCOUNT_TRIES_FILE = "account-tries"
SECRET_FILE = "secret-key"
SIGNED_OUT_FILE = "signed-out"  # `session-id until` a line: sessions ended by «Выйти»
MAX_SIGNED_OUT = 5000
EDITOR_SETTINGS = Path("/etc/kiosk/editor.yaml")
IDLE_SECONDS = 30 * 60
ABSOLUTE_SECONDS = 12 * 3600
# Per client address, on top of the lockouts: a script gets 10 tries a minute at most (and
# spreads a lockout over many accounts no faster); a person who mistypes never meets it.
SIGNIN_RATE = "10 per minute;60 per hour"
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")
MAX_NAME = 32
MIN_PASSWORD = 10
MAX_PASSWORD = 256
MAX_ACCOUNTS = 500
MAX_FILE_BYTES = 256 * 1024
MAX_UNKNOWN_NAMES = 1000  # names tried that are no account: their lock is kept in memory only
SESSION_COOKIE = "kiosk_editor_session"
# Pages anyone may open: sign-in, the fonts and styles it uses, the language switch.
OPEN_ENDPOINTS = frozenset({"auth.login", "static", "editor.font", "editor.language"})
EXTENSION = "kiosk_editor_auth"


class CannotStart(RuntimeError):
    """The editor must not start: the message says why and what to run (in Russian)."""


# -- accounts ---------------------------------------------------------------------------------

def normal_name(name: str) -> str:
    return name.strip().lower()


def name_problem(name: str) -> str | None:
    """Why `name` cannot be an account's name (Russian), or None."""
    if not 1 <= len(name) <= MAX_NAME or not set(name) <= NAME_CHARS or name[0] in ".-":
        return (f"имя — от 1 до {MAX_NAME} строчных латинских букв, цифр, точек, дефисов и "
                "подчёркиваний, например anna.petrova")
    return None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"пароль — не короче {MIN_PASSWORD} знаков"
    if len(password) > MAX_PASSWORD:
        return f"пароль — не длиннее {MAX_PASSWORD} знаков"
    return None


def _read_small(path: Path) -> str:
    """The text of one of our own small files; "" if it is missing or too big to be ours."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError:
        return ""
    if len(data) > MAX_FILE_BYTES:
        log.error("%s is larger than %d bytes: not a file the editor wrote; ignored", path,
                  MAX_FILE_BYTES)
        return ""
    return data.decode("ascii", errors="replace")


class Accounts:
    """Staff accounts: `name:hash` lines in one file, written whole and atomically (0600)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, str]:
        accounts: dict[str, str] = {}
        for line in _read_small(self.path).splitlines()[:MAX_ACCOUNTS]:
            name, sep, stored = line.strip().partition(":")
            if sep and name_problem(name) is None and stored.startswith("scrypt$"):
                accounts[name] = stored
        return accounts

    def names(self) -> list[str]:
        return sorted(self.load())

    def _save(self, accounts: dict[str, str]) -> None:
        write_private(self.path, "".join(f"{name}:{stored}\n"
                                         for name, stored in sorted(accounts.items())))

    def add(self, name: str, password: str) -> None:
        """Add the account, or give an existing one a new password. ValueError (Russian)
        for a name or password that breaks the rules."""
        name = normal_name(name)
        problem = name_problem(name) or password_problem(password)
        if problem:
            raise ValueError(problem)
        accounts = self.load()
        if name not in accounts and len(accounts) >= MAX_ACCOUNTS:
            raise ValueError(f"учётных записей не больше {MAX_ACCOUNTS}")
        accounts[name] = hash_pin(password)
        self._save(accounts)

    def remove(self, name: str) -> bool:
        accounts = self.load()
        if accounts.pop(normal_name(name), None) is None:
            return False
        self._save(accounts)
        return True

    def check(self, name: str, password: str) -> bool:
        """Right name and password. An unknown name costs the same scrypt as a known one."""
        stored = self.load().get(normal_name(name))
        try:
            right = verify(password, stored or _DUMMY_HASH)
        except PinFileError as error:
            log.error("the account %s in %s is damaged (%s): set its password again with "
                      "`kiosk editor-user add`", normal_name(name), self.path, error)
            return False
        return right and stored is not None


_DUMMY_HASH = hash_pin("not an account", salt=b"\0" * 16)


class AccountTries:
    """Each account's Lockout (kiosk.core.pin), kept in a file so that a restart gives a
    guesser neither fresh tries nor a shorter lock. Names that are no account get a lock too
    (held in memory), so that a lock does not tell which names exist."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unknown: dict[str, Lockout] = {}

    def _load(self) -> dict[str, Lockout]:
        tries: dict[str, Lockout] = {}
        for line in _read_small(self.path).splitlines()[:MAX_ACCOUNTS]:
            name, _, rest = line.strip().partition(" ")
            lockout = Lockout.parse(rest)
            if lockout is not None and name_problem(name) is None:
                tries[name] = lockout
        return tries

    def get(self, name: str, known: bool) -> Lockout:
        if not known:
            return self.unknown.get(name) or Lockout()
        return self._load().get(name) or Lockout()

    def put(self, name: str, known: bool, lockout: Lockout) -> None:
        tries = self._load()
        if known:
            tries[name] = lockout
        else:
            if len(self.unknown) >= MAX_UNKNOWN_NAMES:
                self.unknown.clear()
            self.unknown[name] = lockout
        # The file is written for a name that is no account too (as it was): the answer
        # takes as long, so its time does not tell which names exist.
        clean = {key: value for key, value in tries.items()
                 if value.failures or value.locks or value.locked_until}
        try:
            write_private(self.path, "".join(f"{key} {value.dump()}"
                                             for key, value in sorted(clean.items())))
        except OSError as error:
            log.warning("cannot record sign-in tries in %s: %s", self.path, error)
            if known:
                self.unknown[name] = lockout  # held in memory at least


# -- the state of one app ---------------------------------------------------------------------

@dataclass
class AuthState:
    config: EditorConfig
    clock: Callable[[], float]
    pins: PinStore
    accounts: Accounts
    tries: AccountTries
    limiter: Limiter
    lock: threading.Lock


def _state() -> AuthState:
    state: AuthState = current_app.extensions[EXTENSION]
    return state


def accounts_of(config: EditorConfig) -> Accounts:
    return Accounts(config.editor_state / ACCOUNTS_FILE)


def startup_problem(config: EditorConfig) -> str | None:
    """Why the editor must not start (Russian, naming the command that fixes it), or None."""
    if PinStore(config.state_dir).is_set() or accounts_of(config).names():
        return None
    # The commands with their folders: run as root without them, they would write where no
    # editor looks (and now refuse).
    return ("Войти в редактор некому: не задан ни ПИН-код сотрудников, ни учётная запись. "
            "Задайте ПИН-код командой «kiosk set-pin --state-dir ПАПКА_КИОСКА» (тот же, что "
            "у меню сотрудников киоска; у киоска из пакета папка — /var/lib/kiosk) или "
            "добавьте учётную запись командой «kiosk editor-user add ИМЯ --state-dir "
            f"{config.state_dir}», затем запустите редактор снова. На компьютере киоска — см. "
            "docs/deploy.md, раздел «Редактор для сотрудников».")


def check_listen(text: str) -> str | None:
    """Why the editor must not listen at `text` (Russian), or None. Only an IP address (or
    localhost) and a port: a host name could mean another address tomorrow; and never every
    network at once (0.0.0.0, ::)."""
    try:
        host, _ = split_listen(text)
    except ValueError as error:
        return f"Адрес редактора: {error}."
    if host == "localhost":
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return (f"Адрес редактора «{text}»: нужен IP-адрес этого компьютера в сети центра, "
                "например 192.168.1.20:8080, а не имя.")
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:0.0.0.0 is 0.0.0.0 too
    if address.is_unspecified or (mapped is not None and mapped.is_unspecified):
        return (f"Адрес редактора «{text}» открыл бы его во всех сетях компьютера сразу. "
                "Укажите адрес этого компьютера в сети центра, например 192.168.1.20:8080.")
    return None


def resolve_listen(option: str | None, settings: Path = EDITOR_SETTINGS) -> str:
    """Where the editor listens: `--listen`, else `listen:` in /etc/kiosk/editor.yaml, else
    127.0.0.1:8080 (this computer only). CannotStart for an address check_listen refuses or
    a settings file that cannot be read."""
    listen = option
    if listen is None:
        listen = _setting(settings, "listen")
    listen = DEFAULT_LISTEN if listen is None else listen
    problem = check_listen(listen)
    if problem:
        raise CannotStart(problem)
    return listen


def resolve_trusted_proxy(settings: Path | None = None) -> str | None:
    """`trusted_proxy:` in /etc/kiosk/editor.yaml: the address of the TLS proxy in front of
    the editor, whose X-Forwarded-Proto and X-Forwarded-For the editor believes (the session
    cookie is then Secure, and the sign-in limit counts each client, not the proxy). None: no
    proxy. CannotStart for anything but one IP address."""
    settings = EDITOR_SETTINGS if settings is None else settings
    value = _setting(settings, "trusted_proxy")
    if value is None:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise CannotStart(f"{settings}: trusted_proxy — IP-адрес прокси-сервера с TLS перед "
                          f"редактором, например 127.0.0.1, а не «{value}».") from None


SETTINGS_KEYS = frozenset({"listen", "trusted_proxy"})


def _setting(settings: Path, key: str) -> str | None:
    import yaml

    try:
        text = settings.read_text(encoding="utf-8")[:MAX_FILE_BYTES]
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise CannotStart(f"Не удалось прочитать {settings}: {error}.") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CannotStart(f"{settings}: это не YAML ({error}).") from None
    if data is None:
        return None
    if not isinstance(data, dict) or not set(data) <= SETTINGS_KEYS:
        raise CannotStart(f"{settings}: понимаются только строки «listen: АДРЕС:ПОРТ» и "
                          "«trusted_proxy: АДРЕС».")
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise CannotStart(f"{settings}: {key} пишется как 192.168.1.20:8080 (trusted_proxy — "
                          "без порта), в кавычках для адреса IPv6.")
    return value


# -- secret key and cookie --------------------------------------------------------------------

def secret_key(config: EditorConfig) -> str:
    """The key that signs session cookies: made once, kept in the state folder (0600)."""
    path = config.editor_state / SECRET_FILE
    key = _read_small(path).strip()
    if len(key) >= 64 and all(char in "0123456789abcdef" for char in key):
        return key
    key = secrets.token_hex(32)
    write_private(path, key + "\n")
    return key


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when the page came over HTTPS (behind a proxy that says so
    or with TLS in front): a browser then never sends it over plain HTTP."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


# -- init_app ---------------------------------------------------------------------------------

def init_app(app: Flask, config: EditorConfig) -> None:
    """Sign-in, sessions, CSRF and rate limits for `app`. CannotStart when nobody could sign in
    (no PIN, no account), unless the app is a test app with sign-in off."""
    login_disabled = bool(app.config.get("LOGIN_DISABLED"))
    if not login_disabled:
        problem = startup_problem(config)
        if problem:
            raise CannotStart(problem)
    if config.secret_key is None:
        app.config["SECRET_KEY"] = secret_key(config)
    app.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=ABSOLUTE_SECONDS,
        # The token lives as long as the session (a form open for an hour still publishes).
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    app.session_interface = _SessionInterface()
    CSRFProtect(app)
    clock = cast(Callable[[], float], config.extra.get("clock") or _wall_clock)
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://",
                      default_limits=[], key_prefix="editor")
    state = AuthState(config, clock, PinStore(config.state_dir), accounts_of(config),
                      AccountTries(config.editor_state / ACCOUNT_TRIES_FILE), limiter,
                      threading.Lock())
    app.extensions[EXTENSION] = state
    blueprint = _blueprint()
    limiter.limit(SIGNIN_RATE, methods=["POST"])(blueprint)
    app.register_blueprint(blueprint)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(TooManyRequests, _too_many)
    app.before_request(_guard)


def _wall_clock() -> float:
    import time
    return time.time()


# -- sessions ---------------------------------------------------------------------------------

def _fingerprint(user: str) -> str | None:
    """A short HMAC (with the app's secret key) of the account's password hash, or of the
    PIN's for a PIN session; None when the account or the PIN is gone. A session keeps the one
    of its sign-in, so removing the account or changing its password or the PIN ends it."""
    import hashlib
    import hmac

    state = _state()
    stored = state.pins.stored() if user == PIN_USER else state.accounts.load().get(user)
    if not stored:
        return None
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, stored.encode(), hashlib.sha256).hexdigest()[:32]


def _signed_out_path() -> Path:
    return _state().config.editor_state / SIGNED_OUT_FILE


def _signed_out(now: float) -> dict[str, float]:
    """The ids of sessions ended by sign-out that could still be alive, and until when."""
    ended: dict[str, float] = {}
    for line in _read_small(_signed_out_path()).splitlines():
        sid, _, until = line.partition(" ")
        try:
            moment = float(until)
        except ValueError:
            continue
        if sid and math.isfinite(moment) and moment > now:
            ended[sid] = moment
    return ended


def _record_sign_out(sid: str, until: float, now: float) -> None:
    with _state().lock:
        ended = _signed_out(now)
        ended[sid] = until
        kept = sorted(ended.items(), key=lambda item: item[1])[-MAX_SIGNED_OUT:]
        try:
            write_private(_signed_out_path(), "".join(f"{key} {value:.0f}\n"
                                                      for key, value in kept))
        except OSError as error:
            log.error("cannot record a sign-out in %s: %s", _signed_out_path(), error)


def _session_user(now: float) -> str | None:
    """The signed-in user of this request's session, or None (and why in g-less form)."""
    user = session.get("user")
    started, seen = session.get("signed_in"), session.get("seen")
    if not isinstance(user, str) or not isinstance(started, (int, float)) or \
            not isinstance(seen, (int, float)):
        return None
    if not (math.isfinite(started) and math.isfinite(seen)):
        return None
    # A clock set back never lengthens a session: a time in the future counts as now.
    if now - min(started, now) > ABSOLUTE_SECONDS or now - min(seen, now) > IDLE_SECONDS:
        return None
    # The account (or the PIN) is still the one signed in with, and the session was not
    # ended by «Выйти» (a copy of its cookie dies with it).
    fingerprint, sid = session.get("fp"), session.get("sid")
    if not isinstance(fingerprint, str) or not isinstance(sid, str) or \
            fingerprint != _fingerprint(user) or sid in _signed_out(now):
        return None
    return user


def _guard() -> Response | None:
    if current_app.config.get("LOGIN_DISABLED"):
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    now = _state().clock()
    if _session_user(now) is None:
        expired = "user" in session
        _forget_user()  # the rest stays: the sign-in form's CSRF token, the language
        target = request.full_path if request.method == "GET" else ""
        args: dict[str, Any] = {}
        if target and target not in ("/?", "/"):
            args["next"] = target.rstrip("?")
        if expired:
            args["expired"] = "1"
        return cast(Response, redirect(url_for("auth.login", **args), code=303))
    if now - session["seen"] >= 60:  # the cookie changes once a minute at most
        session["seen"] = now
    return None


def login_required(view: F) -> F:
    """Only for a signed-in session (the before_request hook already says so for every page;
    this keeps a view safe even on an app without the hook)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_app.config.get("LOGIN_DISABLED") and \
                _session_user(_state().clock()) is None:
            _forget_user()
            return redirect(url_for("auth.login"), code=303)
        return view(*args, **kwargs)
    return cast(F, wrapper)


AUTH_KEYS = ("user", "kind", "signed_in", "seen", "fp", "sid")
WIZARD_KEYS = ("wizard", "wizard_by")  # kiosk.editor.wizard: the drawing uploaded, and by whom


def signed_in() -> bool:
    """Whether this request comes from a live session (always, with sign-in off in tests)."""
    return bool(current_app.config.get("LOGIN_DISABLED")) or \
        _session_user(_state().clock()) is not None


def _forget_user() -> None:
    for key in AUTH_KEYS:
        session.pop(key, None)


def current_user() -> str:
    """The account's name, «ПИН-код» for a session opened with the PIN; "" for nobody."""
    user = session.get("user")
    return user if isinstance(user, str) else ""


def _client() -> str:
    return request.remote_addr or "?"


def safe_next(target: str, default: str = "/") -> str:
    """`target` when it is a path of this site, else `default`. Browsers drop tabs and line
    breaks from a URL and read «\\» as «/» («/%09/evil.com» → «//evil.com»), so a target with
    any control character, space or backslash is refused, and so is anything with a scheme or
    a host, or not starting with a single «/»."""
    if not target.startswith("/") or target.startswith("//") or len(target) > 2048:
        return default
    if any(char.isspace() or char == "\\" or ord(char) < 32 or 127 <= ord(char) < 160
           for char in target):
        return default
    from urllib.parse import unquote, urlsplit

    for text in (target, unquote(target)):
        parts = urlsplit(text)
        if parts.scheme or parts.netloc or text.startswith(("//", "/\\")):
            return default
    return target


def _t(ru: str, en: str) -> str:
    return en if session.get("lang") == "en" else ru


def _minutes(seconds: float, lang: str = "ru") -> str:
    minutes = max(1, math.ceil(seconds / 60))
    if minutes >= 120:
        hours = math.ceil(minutes / 60)
        return f"{hours} h" if lang == "en" else f"{hours} ч"
    return f"{minutes} min" if lang == "en" else f"{minutes} мин"


def _sign_in(user: str, kind: str, now: float) -> Response:
    next_page = safe_next(request.form.get("next", ""))
    language = session.get("lang")
    # A drawing being made into a colouring picture stays for whoever uploaded it, signing in
    # again where the session ended (the wizard's publish form goes on from the dialog).
    drawing = {key: session[key] for key in WIZARD_KEYS if key in session} \
        if session.get("wizard_by") == user else {}
    session.clear()  # a new CSRF token too: nothing else from before sign-in carries over
    if language is not None:
        session["lang"] = language
    session.update(drawing)
    session.permanent = True
    session.update(user=user, kind=kind, signed_in=now, seen=now, fp=_fingerprint(user),
                   sid=secrets.token_hex(16))
    return cast(Response, redirect(next_page, code=303))


# -- the pages --------------------------------------------------------------------------------

def _blueprint() -> Blueprint:
    blueprint = Blueprint("auth", __name__)

    @blueprint.route("/signin", methods=["GET", "POST"])
    def login() -> Any:
        state = _state()
        now = state.clock()
        if request.method == "GET":
            if _session_user(now) is not None:
                return redirect(safe_next(request.args.get("next", "")), code=303)
            notice = (_t("Сеанс закончился: войдите снова.", "Your session has ended: sign in "
                         "again.") if request.args.get("expired") else None)
            return _page(notice=notice)
        method = request.form.get("method", "")
        if method == "pin":
            return _pin_sign_in(state, now)
        return _account_sign_in(state, now)

    @blueprint.route("/session/token")
    def fresh_token() -> Any:
        """This session's CSRF token, for a page opened before the latest sign-in (which
        makes a new one): its script asks here before a form is posted, so the form still
        goes through. Signed-in sessions only (the guard); another site cannot read the
        answer (no CORS), and the token is still the one this session's secret makes. The
        user is said so that the page can ask before posting under someone else's name."""
        from flask import jsonify
        from flask_wtf.csrf import generate_csrf

        response = jsonify(token=generate_csrf(), user=current_user())
        response.headers["Cache-Control"] = "no-store"
        return response

    @blueprint.route("/signout", methods=["POST"])
    def logout() -> Any:
        user = current_user()
        sid, started = session.get("sid"), session.get("signed_in")
        if isinstance(sid, str) and isinstance(started, (int, float)):
            _record_sign_out(sid, started + ABSOLUTE_SECONDS, _state().clock())
        language = session.get("lang")
        session.clear()
        if language is not None:
            session["lang"] = language
        if user:
            log.info("editor sign-out: %s from %s", user, _client())
        return redirect(url_for("auth.login"), code=303)

    return blueprint


def _page(status: int = 200, error: str | None = None, notice: str | None = None,
          method: str = "account", name: str = "") -> tuple[str, int]:
    state = _state()
    return render_template(
        "signin.html", error=error, notice=notice, method=method, name=name,
        next_page=safe_next(request.values.get("next", "")),
        pin_set=state.pins.is_set(), has_accounts=bool(state.accounts.names())), status


def _pin_sign_in(state: AuthState, now: float) -> Any:
    pin = request.form.get("pin", "")[:64]
    with state.lock:
        outcome = state.pins.check(pin, now)
        left = state.pins.seconds_locked(now)
        failures = state.pins.lockout.failures
    if outcome is Outcome.OK:
        log.info("editor sign-in with the staff PIN from %s", _client())
        return _sign_in(PIN_USER, "pin", now)
    log.warning("editor sign-in with the staff PIN refused (%s) from %s", outcome.value,
                _client())
    if outcome is Outcome.NOT_SET:
        error = _t("ПИН-код сотрудников не задан. Войдите по имени и паролю или попросите "
                   "ИТ-службу задать ПИН-код.",
                   "No staff PIN is set. Sign in with your name and password, or ask IT to "
                   "set the PIN.")
    elif left > 0:
        error = _t(f"Слишком много неверных попыток подряд. Вход по ПИН-коду закрыт ещё на "
                   f"{_minutes(left)}.",
                   f"Too many wrong tries in a row. Sign-in with the PIN is closed for "
                   f"{_minutes(left, 'en')} more.")
    else:
        error = _t(f"Неверный ПИН-код. Осталось попыток до блокировки: {MAX_TRIES - failures}.",
                   f"Wrong PIN. Tries left before sign-in is locked: {MAX_TRIES - failures}.")
    return _page(401 if outcome is not Outcome.LOCKED else 403, error=error, method="pin")


def _account_sign_in(state: AuthState, now: float) -> Any:
    name = normal_name(request.form.get("name", "")[:MAX_NAME * 2])
    password = request.form.get("password", "")[:MAX_PASSWORD + 1]
    with state.lock:
        known = name in state.accounts.load()
        shown = name if known else "(no such account)"  # a password typed as a name stays out
        lockout = state.tries.get(name, known)
        left = lockout.seconds_left(now)
        if left > 0:
            log.warning("editor sign-in refused for %s from %s: locked for %.0f s more",
                        shown, _client(), left)
            return _page(403, error=_t(
                f"Слишком много неверных попыток подряд. Вход с этим именем закрыт ещё на "
                f"{_minutes(left)}.", f"Too many wrong tries in a row. Sign-in with this name "
                f"is closed for {_minutes(left, 'en')} more."), name=name)
        if name and password and state.accounts.check(name, password):
            if lockout.failures or lockout.locks:
                lockout.succeeded()
                state.tries.put(name, known, lockout)
            log.info("editor sign-in: %s from %s", name, _client())
            return _sign_in(name, "account", now)
        locked = lockout.failed(now)
        state.tries.put(name, known, lockout)
    log.warning("editor sign-in refused: wrong name or password for %s from %s%s", shown,
                _client(), f"; locked for {lock_seconds(lockout.locks):.0f} s" if locked else "")
    if locked:
        seconds = lock_seconds(lockout.locks)
        error = _t(f"Слишком много неверных попыток подряд. Вход с этим именем закрыт на "
                   f"{_minutes(seconds)}.", f"Too many wrong tries in a row. Sign-in with "
                   f"this name is closed for {_minutes(seconds, 'en')}.")
    else:
        error = _t(f"Неверное имя или пароль. Осталось попыток до блокировки: "
                   f"{MAX_TRIES - lockout.failures}.", f"Wrong name or password. Tries left "
                   f"before sign-in is locked: {MAX_TRIES - lockout.failures}.")
    return _page(401, error=error, name=name)


# -- refusals: plain pages in Russian --------------------------------------------------------------

PLAIN_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>@font-face {{ font-family: "PT Sans"; src: url("/fonts/PTSans-Regular.ttf"); }}
</style></head>
<body style="font-family: 'PT Sans', sans-serif; max-width: 40em; margin: 3em auto;
padding: 0 1em; line-height: 1.5; color: #1d1d1f">
<h1 style="font-size: 1.5em">{title}</h1>{body}
<p><a href="/">Вернуться в редактор</a></p></body></html>"""


def plain_page(title: str, paragraphs: Iterable[str]) -> str:
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return PLAIN_PAGE.format(title=escape(title), body=body)


def _csrf_refused(error: CSRFError) -> tuple[str, int]:
    log.warning("editor request refused (CSRF: %s): %s %s from %s", error.description,
                request.method, request.path, _client())
    return plain_page("Запрос отклонён", (
        "Редактор не принял эту форму: она пришла не со страницы редактора или страница "
        "была открыта слишком давно (например, до выхода из редактора).",
        "Откройте страницу редактора заново, при необходимости войдите и отправьте форму ещё "
        "раз. Если это повторяется, сообщите в ИТ-службу.")), 400


def _too_many(error: TooManyRequests) -> tuple[str, int]:
    log.warning("editor sign-in refused: too many tries from %s (%s)", _client(),
                error.description)
    return plain_page("Слишком много попыток входа", (
        "С этого компьютера было слишком много попыток войти за короткое время.",
        "Подождите минуту и попробуйте снова. Если вы забыли пароль или ПИН-код, обратитесь "
        "в ИТ-службу.")), 429
