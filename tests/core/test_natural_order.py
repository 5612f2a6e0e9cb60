"""Files in the order people number them: «2-…» before «10-…», case ignored; the key is one
string so that sorting 37,000 names never holds the screen's thread for long."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

from kiosk.core.content.loader import load_content, natural_key
from tests.helpers import SVG, make_folder, story


def as_list(name: str) -> list[Any]:
    """The order the key keeps: text and numbers in turn, text in lower case."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def test_numbers_sort_by_their_value_and_letters_ignore_case() -> None:
    names = ["story-10.md", "Story-2.md", "story-1.md", "story-02b.md", "a", "a1", "a01", "B",
             "ab", "a-1", "a 10", "a 9",
             "a\x01"]  # a control character: a file name may hold one
    assert sorted(names, key=natural_key) == sorted(names, key=as_list)
    assert sorted(["story-10.md", "story-9.md"], key=natural_key) == ["story-9.md",
                                                                      "story-10.md"]


def test_the_key_orders_any_two_names_as_the_list_of_parts_does() -> None:
    rng = random.Random(3)
    alphabet = "aAbZ-_. 0123456789Яяё٣"
    names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
             for _ in range(1500)]
    for first in names:
        for second in names[:40]:
            assert (natural_key(first) < natural_key(second)) == \
                (as_list(first) < as_list(second)), (first, second)
            assert (natural_key(first) == natural_key(second)) == \
                (as_list(first) == as_list(second)), (first, second)


def test_digits_that_are_not_decimal_are_letters_and_never_stop_the_kiosk(tmp_path: Path) -> None:
    """«①.svg» in posters/ stopped `kiosk run` at every restart: isdigit() said it was a
    number, int() refused it."""
    names = ["①.svg", "2².png", "10.png", "2.png", "٣.png", "1" * 5000]
    assert sorted(names[:5], key=natural_key) == ["2.png", "2².png", "٣.png", "10.png", "①.svg"]
    assert natural_key("1" * 5000) > natural_key("9")  # past int()'s 4,300-digit limit
    root = make_folder(tmp_path / "c", stories={"a.md": story()},
                       images={"posters/①.svg": SVG, "posters/2.svg": SVG})
    content = load_content(root)
    assert [poster.id for poster in content.posters] == ["2", "①"]
