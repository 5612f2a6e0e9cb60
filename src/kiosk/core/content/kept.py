"""What the content index (kiosk.core.content.index) keeps of the files that are not stories or
pages, so that a start with nothing changed parses no file and waits for no sandbox child:

- a YAML file (kiosk.yaml, colouring.yaml, a poster's or a notice's file, hidden.yaml): the
  tree the sandbox's child parsed from it and the problems it found, with a digest of the
  bytes. The loader checks the tree again at every load, with the very code that checks what
  the child sends, so a record can only give what a file could have given;
- a picture of colouring/ or posters/: what checking and decoding it found (its problems, its
  size), with the file's stamp, as a story keeps its photo's.

A record is JSON text, at most MAX_RECORD bytes: reading it never runs code, and never makes
more than a bounded multiple of its size (marshal's would: five damaged bytes can ask it for a
list of 2**31 items). Every value in it is checked when it is read back: a damaged, truncated or
foreign record, or one of another kind, is as good as none, and the file is read again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kiosk.core.content.problems import MESSAGES, Problem, Severity
from kiosk.core.content.yamlsrc import MAX_DEPTH, LineDict

MAX_RECORD = 1024 * 1024  # bytes; kiosk.yaml and its kind make a few kilobytes
MAX_NODES = 100_000  # values in one tree (a 256 KB file of «- 1» lines has ~65,000)
_YAML, _PICTURE = "yaml1", "picture1"  # what a record holds, and in which layout
_SCALARS = (type(None), bool, int, float, str)
_SEVERITIES = {severity.value: severity for severity in Severity}


class NotKept(ValueError):
    """A value the index does not keep, or a record that is not one this code wrote."""


# What reading a record that is not one may raise: JSON's errors (ValueError), values of the
# wrong shape or type, nesting too deep.
_NOT_A_RECORD = (NotKept, ValueError, TypeError, KeyError, AttributeError, RecursionError)


def _dumps(record: list[Any]) -> bytes:
    data = json.dumps(record, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    if len(data) > MAX_RECORD:
        raise NotKept("too large")
    return data


def _loads(record: bytes, kind: str) -> list[Any]:
    if type(record) is not bytes or len(record) > MAX_RECORD:
        raise NotKept("record")
    value = json.loads(record)
    if type(value) is not list or len(value) != 4 or value[0] != kind:
        raise NotKept("record")
    return value


# -- YAML trees ---------------------------------------------------------------------------


def encode_yaml(digest: bytes, value: Any, problems: Sequence[Problem]) -> bytes:
    """A record of a YAML file's tree and problems; NotKept for anything PyYAML's safe loader
    does not make (then the file is simply parsed at each load)."""
    return _dumps([_YAML, digest.hex(), _tree(value, 0, [MAX_NODES]),
                   [[p.path, p.line, p.severity.value, p.code, list(p.args.items())]
                    for p in problems]])


def decode_yaml(record: bytes, digest: bytes, path: str) -> tuple[Any, list[Problem]] | None:
    """The tree and problems of the file at `path` whose bytes have this `digest`; None if the
    record is not a sound record of them."""
    try:
        _, kept_digest, tree, problems = _loads(record, _YAML)
        if kept_digest != digest.hex():
            return None
        return _value(tree, 0, [MAX_NODES]), _read_problems(problems, path)
    except _NOT_A_RECORD:
        return None


def _tree(value: Any, depth: int, budget: list[int]) -> Any:
    """A value as JSON: a scalar as itself, anything else as [kind, …]."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH + 1:
        raise NotKept("too big")
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is bytes:  # !!binary
        return ["y", value.hex()]
    if kind in (list, tuple, set):  # tuples: !!pairs and !!omap; sets (!!set) of scalars
        items = [_tree(item, depth + 1, budget) for item in value]
        return ["l" if kind is list else "t" if kind is tuple else "s", items]
    if kind is LineDict:
        return ["m", [[key, _tree(item, depth + 1, budget)] for key, item in value.items()],
                list(value.key_lines.items()), value.duplicates, list(value.raw_text.items())]
    raise NotKept(kind.__name__)


def _value(node: Any, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH + 1:
        raise NotKept("too big")
    if type(node) in _SCALARS:
        return node
    if type(node) is not list or not node:
        raise NotKept("node")
    tag = node[0]
    if tag == "y" and len(node) == 2:
        return bytes.fromhex(_text(node[1]))
    if tag in ("l", "t", "s") and len(node) == 2 and type(node[1]) is list:
        items = [_value(item, depth + 1, budget) for item in node[1]]
        if tag == "l":
            return items
        if tag == "t":
            return tuple(items)
        if not all(type(item) in (*_SCALARS, bytes) for item in items):
            raise NotKept("set")
        return set(items)
    if tag == "m" and len(node) == 5:
        _, items, lines, duplicates, raw = node
        budget[0] -= len(lines) + len(duplicates) + len(raw)
        if budget[0] < 0:
            raise NotKept("too big")
        mapping = LineDict()
        for key, item in items:
            mapping[_text(key)] = _value(item, depth + 1, budget)
        mapping.key_lines = {_text(key): _number(line) for key, line in lines}
        mapping.duplicates = [(_text(key), _number(line)) for key, line in duplicates]
        mapping.raw_text = {_text(key): _text(text) for key, text in raw}
        return mapping
    raise NotKept("node")


def _read_problems(problems: Any, path: str) -> list[Problem]:
    if type(problems) is not list or len(problems) > 10_000:
        raise NotKept("problems")
    read: list[Problem] = []
    for where, line, severity, code, args in problems:
        if where != path or (line is not None and type(line) is not int):
            raise NotKept("problem")
        read.append(Problem(path, line, _SEVERITIES[severity], _code(code),
                            {_text(key): _text(value) for key, value in args}))
    return read


# -- pictures -------------------------------------------------------------------------------


def encode_picture(stamp: bytes, found: Sequence[Problem],
                   size: tuple[int, int] | None) -> bytes:
    """A record of what checking a picture found. The problems' `value` (how the file was
    named where it is used) is left out: it is put back by whoever uses the record."""
    return _dumps([_PICTURE, stamp.hex(),
                   [[p.severity.value, p.code,
                     [[key, None if key == "value" else value] for key, value in p.args.items()]]
                    for p in found],
                   list(size) if size is not None else None])


def decode_picture(record: bytes, stamp: bytes, shown_as: str
                   ) -> tuple[list[Problem], tuple[int, int] | None] | None:
    """The problems (as found for a picture named `shown_as`) and size of the picture whose
    file has this `stamp`; None if the record is not a sound one of it."""
    try:
        _, kept_stamp, problems, size = _loads(record, _PICTURE)
        if kept_stamp != stamp.hex() or type(problems) is not list or len(problems) > 16:
            return None
        found = [Problem("", None, _SEVERITIES[severity], _code(code),
                         {_text(key): shown_as if value is None and key == "value"
                          else _text(value) for key, value in args})
                 for severity, code, args in problems]
        if size is not None:
            width, height = size
            size = (_number(width), _number(height))
        return found, size
    except _NOT_A_RECORD:
        return None


# -- checks -------------------------------------------------------------------------------


def _code(code: Any) -> str:
    if type(code) is not str or code not in MESSAGES:
        raise NotKept("code")
    return code


def _text(value: Any) -> str:
    if type(value) is not str:
        raise NotKept("text")
    return value


def _number(value: Any) -> int:
    if type(value) is not int or not 0 <= value < 1 << 31:
        raise NotKept("number")
    return value
