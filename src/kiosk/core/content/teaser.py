"""What a story or page says on the attract loop, and for how long.

A passer-by gives a screen about three seconds, so the loop shows a poster, not the text: the
title, one short line (the `teaser` the staff chose, else the body's first sentence when it is
short), and the picture. How long the slide stays follows the words on it: an elderly reader
takes about 0.4 s a word, and a glance at the picture comes first.
"""

from __future__ import annotations

from kiosk.core.content.model import AnniversaryPage, Story
from kiosk.core.content.problems import Language
from kiosk.core.lazyre import LazyPattern

# A teaser longer than this is a paragraph, not a line on a poster (`kiosk check` says so).
TEASER_MAX_WORDS = 20
# Reading time on the loop: a first look, then each word shown.
GLANCE_SECONDS = 3.0
SECONDS_PER_WORD = 0.4
LONGEST_SLIDE_SECONDS = 20.0
# The body's first sentence is taken only while it is this short: longer, the poster shows the
# title alone rather than a cut sentence.
FIRST_SENTENCE_MAX_CHARS = 160
# A sentence's end: its mark, then a space or the end of the text (one character class and a
# look-ahead: linear on any input).
_SENTENCE_END = LazyPattern(r"[.!?…](?= |$)")
_MARKUP = str.maketrans("", "", "*_`#>")


def word_count(text: str) -> int:
    return len(text.split())


def first_sentence(markdown: str, max_chars: int = FIRST_SENTENCE_MAX_CHARS) -> str:
    """The first sentence of a Markdown body, its markup dropped, if it is at most `max_chars`
    long; "" otherwise. Looks at no more than the first paragraph's first `max_chars * 2`
    characters: one pass, whatever the body holds."""
    head = markdown.lstrip()[: max_chars * 2]
    paragraph = head.split("\n\n", 1)[0]
    text = " ".join(paragraph.translate(_MARKUP).split())
    for end in _SENTENCE_END.finditer(text):
        if end.start() >= max_chars:
            return ""
        # «22 августа 2011 г. в Москве» — an abbreviation's dot before a small letter is not
        # the end of the sentence.
        after = end.end() + 1
        if after < len(text) and text[after].islower():
            continue
        return text[: end.end()]
    return text if len(text) <= max_chars else ""


def teaser_line(item: Story | AnniversaryPage, lang: Language) -> str:
    """The line under the title on the item's poster: the staff's teaser, else a short first
    sentence of the body, else nothing."""
    if lang == "en":
        # No English: no line, rather than a Russian one on an English poster.
        return item.teaser.en.strip() or first_sentence(item.body.en)
    return item.teaser.ru.strip() or first_sentence(item.body.ru)


def reading_seconds(words: int, shortest: float) -> float:
    """How long a slide with `words` words stays: never under `shortest` (kiosk.yaml's
    slide_seconds), never over 20 s."""
    return min(max(shortest, GLANCE_SECONDS + SECONDS_PER_WORD * words),
               max(shortest, LONGEST_SLIDE_SECONDS))
