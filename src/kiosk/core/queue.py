"""Following the centre's electronic queue: which tickets were called to which window.

The queue system publishes its recent calls (an HTTP endpoint or a file); the kiosk reads
that list every second or so. An adapter turns the bytes into `Call`s; `QueueFollower` decides,
with the time as an argument, which calls are new, when the banner is due, how often to ask
again and how healthy the source is. Nothing here touches Qt or the network.

Decisions (docs/queue.md explains them to staff):
- The first list read after the kiosk starts is the backlog: those calls go to the recent-calls
  corner, never on the banner, so a restart does not flash twenty old tickets.
- A call is new when its (ticket, window, called_at) was not seen before: the same ticket
  called again to the same window at a new time is announced again.
- After the source was down for less than `CATCH_UP_SECONDS`, the calls made meanwhile are
  announced (a blip loses nothing); after a longer outage the first list is backlog again.
- A broken source never changes what is on screen: the last good list stays.
- Text from the answer is cleaned before anything shows or logs it (`clean_display`):
  invisible characters that reorder or blank what is drawn are removed, stacked accents
  bounded. A call listed twice in one answer is one call.
- No log line names a ticket: tickets with their times identify visitors.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import re
import stat
import unicodedata
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

log = logging.getLogger("kiosk.queue")

MAX_PAYLOAD_BYTES = 256 * 1024  # a queue's last calls are a few KB; anything larger is wrong
MAX_CALLS = 200  # calls kept from one list (the newest ones)
MAX_TEXT = 16  # characters in a ticket or a window number
MAX_RAW_TEXT = 1024  # a ticket or window longer than this before cleaning is refused unread
MAX_MARKS = 2  # combining marks kept on one letter («Й», «Ё», «Ẫ» need one or two)
MAX_REASON = 300  # characters of a reason (skipped entry, failure) kept for the log and health
MAX_BANNER_CALLS = 3  # shown together on the banner, newest first
CATCH_UP_SECONDS = 30.0  # an outage shorter than this: calls made meanwhile are announced
RECENT_KEEP_SECONDS = 30 * 60  # a call leaves the attract corner this long after it was seen
MAX_BACKOFF_SECONDS = 60.0
REMIND_SECONDS = 10 * 60  # a source still down is logged again this often
SEEN_MEMORY = 2000  # calls remembered for de-duplication
# A call gone from the source's list this long is forgotten: listed again, it is a new call.
# Queue systems hand the same numbers out again (each day, or when the counter wraps), and
# without `called_at` «А017 12» tomorrow looks like today's; a list that drops an entry for
# a poll or two and brings it back is not calling it again.
FORGET_ABSENT_SECONDS = 10 * 60

ADAPTER_ENTRY_POINTS = "kiosk.queue_adapters"  # where installed packages add their adapters


class QueueFormatError(ValueError):
    """The payload is not a list of calls at all (the whole answer is rejected)."""


@dataclass(frozen=True)
class Call:
    """One call: ticket «А017» is invited to window «12» (at `called_at`, when known)."""

    ticket: str
    window: str
    called_at: dt.datetime | None = None  # aware

    @property
    def key(self) -> tuple[str, str, str]:
        stamp = self.called_at.isoformat() if self.called_at is not None else ""
        return (self.ticket, self.window, stamp)


# Drawn as nothing, yet they change what is around them: controls (Cc), format characters
# (Cf: bidi embeddings and overrides U+202A–202E, isolates U+2066–2069, marks U+200E/F and
# U+061C, zero-width spaces and joiners, U+FEFF …), line and paragraph separators (Zl, Zp: Qt
# breaks the line there and the ticket box shows blank), surrogates, private-use and
# unassigned code points. «А017» after U+202E is drawn «710А».
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Letters and symbols that draw as blank space (Hangul fillers, the Braille blank …).
_BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def clean_display(text: str, max_marks: int = MAX_MARKS) -> str:
    """Text from a queue answer as it may be drawn: invisible and format characters removed,
    every run of spaces one plain space, at most `max_marks` combining marks on a letter (500
    stacked accents would paint over the lines above), composed (NFC), trimmed. One pass,
    linear in the length; normalising comes last, when no long run of marks is left for
    Python's canonical ordering, which is quadratic in a run's length (8,000 alternating
    accents: 0.2 s; a 256 KB answer of them: about a minute)."""
    out: list[str] = []
    marks = 0
    for char in text:
        category = "Zs" if char == "\t" else unicodedata.category(char)  # a tab parts words
        if category in _INVISIBLE_CATEGORIES or char in _BLANK_CHARACTERS:
            continue
        if category[0] == "M":  # Mn, Mc, Me: an accent on the letter before it
            if out and out[-1] != " " and marks < max_marks:
                out.append(char)
                marks += 1
            continue
        marks = 0
        if category == "Zs":
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out).strip())


def clean_reason(text: str) -> str:
    """A reason for the log and the staff's health line: printable, one line, bounded."""
    text = clean_display(text[:4 * MAX_REASON])
    return text if len(text) <= MAX_REASON else text[:MAX_REASON - 1] + "…"


def clean_text(value: Any, what: str) -> str:
    """A ticket or window as the banner shows it: trimmed, upper case, short, nothing
    invisible in it (`clean_display`). Raises ValueError with the reason."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{what} is missing")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{what} is not a whole number")  # its value is never logged
        value = int(value)
    if not isinstance(value, str | int):
        raise ValueError(f"{what} must be text or a number, not {type(value).__name__}")
    raw = str(value) if not isinstance(value, int) or abs(value) < 10**MAX_TEXT \
        else "9" * (MAX_TEXT + 1)  # too long anyway; str() of a huge int is slow
    if len(raw) > MAX_RAW_TEXT:
        raise ValueError(f"{what} is longer than {MAX_TEXT} characters")
    text = clean_display(raw).upper()
    if not text:
        raise ValueError(f"{what} is empty")
    if len(text) > MAX_TEXT:
        raise ValueError(f"{what} is longer than {MAX_TEXT} characters")
    return text


def parse_time(value: Any, zone: dt.tzinfo) -> dt.datetime | None:
    """ISO 8601 («2026-11-27T11:02:03+03:00», a time without offset is the centre's) or Unix
    seconds; None when absent. Raises ValueError when present but unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("called_at is not a time")
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueError(f"called_at {value!r} is out of range") from exc
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("called_at is not a time")
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(f"called_at {value!r} is not an ISO 8601 time") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


class QueueAdapter(ABC):
    """Turns what a queue system publishes into calls. Subclass it for another system: set
    `name`, implement `parse`, raise QueueFormatError when the payload is not a list of calls
    at all, and call `self.skip(reason)` for a single entry that cannot be read."""

    name: ClassVar[str] = ""

    def __init__(self, zone: dt.tzinfo = dt.UTC) -> None:
        self.zone = zone  # for times written without an offset: the centre's
        self.skipped: list[str] = []

    @abstractmethod
    def parse(self, payload: bytes) -> list[Call]:
        """The calls in the payload, oldest first."""

    def skip(self, reason: str) -> None:
        if len(self.skipped) < 20:  # enough to explain; a broken list must not fill the log
            self.skipped.append(clean_reason(reason))

    def decode(self, payload: bytes) -> str:
        """Text from bytes: UTF-8 (with or without a BOM), else Windows-1251, which older
        Russian queue systems still write."""
        try:
            return payload.decode("utf-8-sig")
        except UnicodeDecodeError:
            return payload.decode("cp1251", errors="replace")


class JsonAdapter(QueueAdapter):
    """The kiosk's own format (docs/queue.md):
    {"calls": [{"ticket": "А017", "window": "12", "called_at": "2026-11-27T11:02:03+03:00"}]}
    A bare list of such objects is accepted too; "window" may be a number."""

    name = "json"

    def parse(self, payload: bytes) -> list[Call]:
        try:
            data = json.loads(self.decode(payload))
        except (ValueError, RecursionError) as exc:
            raise QueueFormatError(f"not JSON: {exc}") from exc
        if isinstance(data, dict):
            if "calls" not in data:
                raise QueueFormatError('no "calls" list in the JSON object')
            data = data["calls"]
        if not isinstance(data, list):
            raise QueueFormatError(f'"calls" must be a list, not {type(data).__name__}')
        calls: list[Call] = []
        for number, entry in enumerate(data, start=1):
            if not isinstance(entry, dict):
                self.skip(f"entry {number}: not an object")
                continue
            try:
                calls.append(Call(clean_text(entry.get("ticket"), "ticket"),
                                  clean_text(entry.get("window"), "window"),
                                  parse_time(entry.get("called_at"), self.zone)))
            except ValueError as exc:
                self.skip(f"entry {number}: {exc}")
        return calls


class TextAdapter(QueueAdapter):
    """One call a line, oldest first: «А017 12» or «А017 12 2026-11-27T11:02:03+03:00»
    (spaces, tabs or ; between the parts); empty lines and lines starting with # are skipped."""

    name = "text"

    def parse(self, payload: bytes) -> list[Call]:
        text = self.decode(payload)
        if "\x00" in text:
            raise QueueFormatError("binary data, not text")
        calls: list[Call] = []
        # Lines end at \n only: str.splitlines() also breaks at U+2028 and friends, and would
        # make «А0<U+2028>17 12» two lines, the second a call of ticket «17».
        for number, line in enumerate(text.split("\n"), start=1):
            line = clean_display(line)  # tabs become spaces, invisible characters go
            if not line or line.startswith("#"):
                continue
            parts = [p for p in re.split(r"[ ;]+", line) if p]
            if len(parts) not in (2, 3):
                self.skip(f"line {number}: expected «ticket window [time]»")
                continue
            try:
                calls.append(Call(clean_text(parts[0], "ticket"), clean_text(parts[1], "window"),
                                  parse_time(parts[2] if len(parts) == 3 else None, self.zone)))
            except ValueError as exc:
                self.skip(f"line {number}: {exc}")
        return calls


AdapterFactory = Callable[[dt.tzinfo], QueueAdapter]
_BUILT_IN: dict[str, AdapterFactory] = {"json": JsonAdapter, "text": TextAdapter}
_REGISTERED: dict[str, AdapterFactory] = {}


def register_adapter(name: str, factory: AdapterFactory) -> None:
    """Make `format: name` in kiosk.yaml use `factory` (an adapter class). Installed packages
    can instead declare an entry point in the group "kiosk.queue_adapters"."""
    _REGISTERED[name.strip().lower()] = factory


def _installed() -> dict[str, EntryPoint]:
    """Adapters of installed packages, by name; loaded only when their format is chosen."""
    # Imported here: importlib.metadata costs ~20 ms of the kiosk's start-up otherwise.
    from importlib.metadata import entry_points

    return {point.name.lower(): point for point in entry_points(group=ADAPTER_ENTRY_POINTS)}


def adapter_names() -> list[str]:
    return sorted({*_BUILT_IN, *_REGISTERED, *_installed()})


def make_adapter(name: str, zone: dt.tzinfo = dt.UTC) -> QueueAdapter:
    """The adapter for a format name; KeyError when there is none."""
    key = name.strip().lower()
    if key in _BUILT_IN:
        return _BUILT_IN[key](zone)
    if key in _REGISTERED:
        return _REGISTERED[key](zone)
    installed = _installed()
    if key in installed:
        factory = installed[key].load()  # the entry point's class
        adapter = factory(zone)
        if not isinstance(adapter, QueueAdapter):
            raise KeyError(f"{name}: the entry point is not a QueueAdapter")
        return adapter
    raise KeyError(name)


def parse_calls(adapter: QueueAdapter, payload: bytes) -> tuple[list[Call], list[str]]:
    """Run an adapter within the kiosk's limits: the calls (at most MAX_CALLS, the newest) and
    the reasons entries were skipped. Raises QueueFormatError for a payload that is no list."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise QueueFormatError(f"{len(payload)} bytes, more than {MAX_PAYLOAD_BYTES}")
    adapter.skipped = []
    try:
        calls = adapter.parse(payload)
    except QueueFormatError as exc:
        raise QueueFormatError(clean_reason(str(exc))) from exc
    except Exception as exc:  # a third-party adapter's bug is a bad payload, not a crash
        raise QueueFormatError(clean_reason(
            f"the adapter failed: {type(exc).__name__}: {exc}")) from exc
    checked = (_checked(call, number, adapter) for number, call in enumerate(calls, start=1))
    calls = [call for call in checked if call is not None]
    if all(c.called_at is not None for c in calls):
        calls = sorted(calls, key=lambda c: c.called_at or dt.datetime.min)
    return calls[-MAX_CALLS:], list(adapter.skipped)


def _checked(call: Call, number: int, adapter: QueueAdapter) -> Call | None:
    """A call as any adapter made it, cleaned again: a third-party adapter that skipped
    `clean_text` cannot put invisible or overlong text on the screen."""
    try:
        if not isinstance(call, Call):
            raise ValueError(f"not a Call but {type(call).__name__}")
        when = call.called_at
        if when is not None and (not isinstance(when, dt.datetime) or when.tzinfo is None):
            raise ValueError("called_at is not a time with its zone")
        ticket, window = clean_text(call.ticket, "ticket"), clean_text(call.window, "window")
    except ValueError as exc:
        adapter.skip(f"call {number}: {exc}")
        return None
    if (ticket, window) == (call.ticket, call.window):
        return call
    return Call(ticket, window, when)


def unique(calls: list[Call]) -> list[Call]:
    """Each call once, where it was listed last: a list naming a call twice calls it once."""
    latest = {call.key: index for index, call in enumerate(calls)}
    return [call for index, call in enumerate(calls) if latest[call.key] == index]


_FILE_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a device",
               stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder",
               stat.S_IFLNK: "a symbolic link"}


def file_kind(mode: int) -> str:
    """What a stat mode is, in words: «a FIFO (named pipe)», «a regular file» …"""
    return _FILE_KINDS.get(stat.S_IFMT(mode), "a special file") if not stat.S_ISREG(mode) \
        else "a regular file"


def queue_file_problem(path: Path, root: Path | None = None) -> str | None:
    """Why the queue file must not be opened (None: it may be). Only a regular file is read:
    opening a FIFO waits for a writer for good, a device may never end or do something on
    open, and a symbolic link in the content folder can point anywhere. `root`: the content
    folder of a relative source, which it must not leave through a linked folder either.
    Looks without opening (lstat); raises FileNotFoundError and other OSErrors."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        return f"is {file_kind(info.st_mode)}, not a regular file"
    if root is not None:
        real, folder = os.path.realpath(path), os.path.realpath(root)
        if not real.startswith(folder.rstrip("/") + "/"):
            return "is reached through a link leading outside the content folder"
    return None


def queue_file_check(path: Path, root: Path | None = None) -> str | None:
    """For `kiosk check`: the problem code for a queue file that is missing
    (queue_file_missing) or will be refused (queue_file_special), else None."""
    try:
        problem = queue_file_problem(path, root)
    except FileNotFoundError:
        return "queue_file_missing"
    except OSError:
        return None  # cannot tell from here (permissions): the kiosk's health will say
    return "queue_file_special" if problem is not None else None


# -- the follower --------------------------------------------------------------------------


Status = Literal["starting", "ok", "down"]


@dataclass(frozen=True)
class QueueHealth:
    """For staff diagnostics: is the queue source answering, and since when not."""

    status: Status
    down_since: float | None  # monotonic time of the first failure in a row
    down_seconds: float  # 0 while it answers
    last_error: str  # the newest failure's reason ('' if none yet)
    last_success: float | None  # monotonic time of the last good answer
    failures: int  # failures in a row
    calls_announced: int  # since the kiosk started
    next_poll_seconds: float

    def describe(self, lang: Literal["ru", "en"] = "en") -> str:
        if self.status == "ok":
            return "очередь: работает" if lang == "ru" else "queue: ok"
        if self.status == "starting":
            return "очередь: подключение…" if lang == "ru" else "queue: connecting…"
        minutes = round(self.down_seconds / 60)
        if lang == "ru":
            return f"очередь: нет связи {minutes} мин — {self.last_error}"
        return f"queue: down for {minutes} min — {self.last_error}"


@dataclass
class _Announced:
    call: Call
    until: float


@dataclass
class QueueFollower:
    """Feed it each answer of the queue source with the time; it says what to show."""

    banner_seconds: float = 10.0
    recent_calls: int = 3
    poll_seconds: float = 1.0
    rng: random.Random = field(default_factory=random.Random)

    _seen: OrderedDict[tuple[str, str, str], float] = field(default_factory=OrderedDict)
    # When each remembered call was last in a list, least recently listed first.
    _listed: OrderedDict[tuple[str, str, str], float] = field(default_factory=OrderedDict)
    _latest: list[Call] = field(default_factory=list)  # the last good list, oldest first
    _announced: list[_Announced] = field(default_factory=list)
    _synced: bool = False  # a good list was read since the start or a long outage
    _failures: int = 0
    _down_since: float | None = None
    _last_error: str = ""
    _last_logged: tuple[str, float] | None = None
    _last_success: float | None = None
    _skipped: tuple[str, ...] = ()
    _delay: float = 0.0
    announced_total: int = 0

    def __post_init__(self) -> None:
        self._delay = self.poll_seconds

    # -- answers from the source -----------------------------------------------------------

    def succeeded(self, calls: list[Call], now: float, skipped: list[str] | None = None
                  ) -> list[Call]:
        """A good list arrived; returns the calls to announce now (oldest first)."""
        calls = unique(calls)
        self._forget_calls_gone_from_the_list(calls, now)
        if self._down_since is not None:
            outage = now - self._down_since
            log.info("queue source answers again after %.0f s", outage)
            if outage >= CATCH_UP_SECONDS:
                self._synced = False  # what was called meanwhile is old news: backlog
        self._failures = 0
        self._down_since = None
        self._last_logged = None
        self._last_success = now
        self._delay = self.poll_seconds
        reasons = tuple(clean_reason(reason) for reason in (skipped or ())[:20])
        if reasons and reasons != self._skipped:
            log.warning("queue: %d entries skipped: %s", len(reasons), "; ".join(reasons[:5]))
        self._skipped = reasons

        fresh = [c for c in calls if c.key not in self._seen]
        for call in fresh:
            self._seen[call.key] = now
        while len(self._seen) > SEEN_MEMORY:
            self._seen.popitem(last=False)
        self._latest = list(calls)
        if not self._synced:
            self._synced = True
            if fresh:
                log.info("queue: %d earlier calls taken as backlog (not announced)", len(fresh))
            return []
        for call in fresh:
            self._announced.append(_Announced(call, now + self.banner_seconds))
        if fresh:  # how many, never which: a ticket with its time identifies a visitor
            log.info("queue: %d new call(s) on the banner", len(fresh))
        self.announced_total += len(fresh)
        self._announced = [a for a in self._announced if a.until > now][-MAX_BANNER_CALLS * 4:]
        return fresh

    def _forget_calls_gone_from_the_list(self, calls: list[Call], now: float) -> None:
        """Forget the calls missing from the answers of the last FORGET_ABSENT_SECONDS (judged
        before this list counts: a number given out again must not refresh its old call),
        then note this list."""
        previous_answer = self._last_success
        listed = self._listed
        while listed:
            key, last = next(iter(listed.items()))
            gone = (previous_answer is not None and last < previous_answer
                    and now - last >= FORGET_ABSENT_SECONDS)
            if not gone and len(listed) <= SEEN_MEMORY:
                break
            del listed[key]
            self._seen.pop(key, None)
        self._note_listed(calls, now)

    def _note_listed(self, calls: list[Call], now: float) -> None:
        for call in calls:
            self._listed[call.key] = now
            self._listed.move_to_end(call.key)

    def unchanged(self, now: float) -> None:
        """The source answered and nothing changed (a file not touched since the last read)."""
        self._note_listed(self._latest, now)  # a file untouched overnight still lists them
        if self._down_since is not None:
            log.info("queue source answers again after %.0f s", now - self._down_since)
        self._failures = 0
        self._down_since = None
        self._last_logged = None
        self._last_success = now
        self._delay = self.poll_seconds

    def failed(self, error: str, now: float) -> None:
        """No answer, an error, or garbage: nothing on screen changes; ask again later."""
        error = clean_reason(error)
        self._failures += 1
        if self._down_since is None:
            self._down_since = now
        self._last_error = error
        base = min(self.poll_seconds * 2 ** self._failures, MAX_BACKOFF_SECONDS)
        # ±20 % so a room of kiosks does not hammer a recovering server in step.
        self._delay = max(self.poll_seconds, base * self.rng.uniform(0.8, 1.2))
        last = self._last_logged
        if last is None or last[0] != error or now - last[1] >= REMIND_SECONDS:
            log.warning("queue source failed (%d in a row, next try in %.0f s): %s",
                        self._failures, self._delay, error)
            self._last_logged = (error, now)

    def next_delay(self) -> float:
        """Seconds until the source should be asked again."""
        return self._delay

    # -- what to show ----------------------------------------------------------------------

    def banner(self, now: float) -> list[Call]:
        """The calls the banner shows now, newest first (empty: no banner)."""
        live = [a.call for a in self._announced if a.until > now]
        return live[::-1][:MAX_BANNER_CALLS]

    def banner_ends(self, now: float) -> float | None:
        """When the banner, as it is now, is next due to change (None: no banner)."""
        ends = [a.until for a in self._announced if a.until > now]
        return min(ends) if ends else None

    def dismiss(self, now: float) -> None:
        """A tap on the banner: the calls on it are not shown again."""
        self._announced = []

    def recent(self, now: float) -> list[Call]:
        """The last few calls for the attract corner, newest first: from the last good list,
        and only those seen within RECENT_KEEP_SECONDS (yesterday's calls fade away)."""
        if self.recent_calls <= 0:
            return []
        current = [c for c in self._latest
                   if now - self._seen.get(c.key, now) < RECENT_KEEP_SECONDS]
        return current[::-1][:self.recent_calls]

    def health(self, now: float) -> QueueHealth:
        if self._down_since is not None:
            status: Status = "down"
        elif self._last_success is None:
            status = "starting"
        else:
            status = "ok"
        return QueueHealth(
            status=status, down_since=self._down_since,
            down_seconds=now - self._down_since if self._down_since is not None else 0.0,
            last_error=self._last_error, last_success=self._last_success,
            failures=self._failures, calls_announced=self.announced_total,
            next_poll_seconds=self._delay)
