"""The first read of a start takes only a few stories (`story_limit`, kiosk.ui.app's
FIRST_STORIES): it lists the stories folder only until it has them, not all 37,000 names
(~40 ms before the first frame), and takes the same stories a whole listing would."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.content.loader import load_content, natural_key
from tests.helpers import make_folder, story


class _Counted:
    """os.scandir's iterator, counting the entries taken from it."""

    def __init__(self, inner: Any, counts: dict[str, int], key: str) -> None:
        self.inner, self.counts, self.key = inner, counts, key

    def __enter__(self) -> _Counted:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.inner.close()

    def __iter__(self) -> Iterator[os.DirEntry[str]]:
        for entry in self.inner:
            self.counts[self.key] = self.counts.get(self.key, 0) + 1
            yield entry


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts: dict[str, int] = {}
    real = os.scandir

    def scandir(path: Any = ".") -> _Counted:
        return _Counted(real(path), counts, os.path.basename(os.fspath(path)))

    monkeypatch.setattr(os, "scandir", scandir)
    return counts


def test_the_first_read_lists_only_as_many_stories_as_it_takes(
        tmp_path: Path, listed: dict[str, int]) -> None:
    stories = {f"s{i}.md": story(f"История {i}") for i in range(300)}
    root = make_folder(tmp_path / "c", stories=stories)
    with os.scandir(root / "stories") as found:
        in_listing_order = [entry.name for entry in found]
    listed.clear()

    first = load_content(root, story_limit=20)
    assert listed["stories"] <= 21  # the 20 taken, and one that says there are more
    # The same stories as before: the first 20 the folder lists, in natural order.
    expected = sorted(in_listing_order[:20], key=natural_key)
    assert [Path(s.source).name for s in first.stories] == expected

    listed.clear()
    whole = load_content(root)
    assert listed["stories"] == 300
    assert len(whole.stories) == 300
