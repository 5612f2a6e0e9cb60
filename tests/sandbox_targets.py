"""Functions the sandbox tests run in the child: each misbehaves the way a hostile file can
make a parser misbehave."""

from __future__ import annotations

import os


def echo(value: object) -> object:
    return value


def spin() -> None:
    while True:
        pass


def eat_memory() -> list[bytes]:
    kept = []
    while True:
        kept.append(bytes(64 * 1024 * 1024))


def read_fifo(path: str) -> bytes:
    with open(path, "rb") as fifo:  # blocks until a writer comes: none will
        return fifo.read()


def die() -> None:
    os._exit(9)


def fail() -> None:
    raise ValueError("not a story")


def huge_answer() -> bytes:
    return bytes(80 * 1024 * 1024)
