"""Russian and English typesetting of text for the screen, done once where text is prepared.

What a careful reader expects and Qt does not do by itself:

* a no-break space (U+00A0) after one-letter words and short prepositions, conjunctions and
  particles («в центр», «не спешить»), before «ли», «же», «бы», after a number
  followed by a word, after a sentence's short first word ("…as usual. From 9 January"),
  and before a spaced dash, which therefore never starts a line;
* a spaced hyphen (or «--», and in Russian a spaced en dash) between words becomes a dash;
* no word alone on the last line of a paragraph: a short last word is tied to the one before,
  and the last word is not hyphenated (no syllable alone there either);
* straight quotes become «ёлочки» („…“ inside them) in Russian, “…” (‘…’ inside) in English,
  and an English apostrophe between letters becomes ’; in Russian, curly double quotes (“…”
  and „…“ as Word puts them in) are read like straight ones;
* soft hyphens (U+00AD) in long words at the points the pyphen dictionaries allow.

`typeset_markdown` does the same inside a CommonMark body without touching its syntax: code,
link targets, escapes, entities, list and quote markers, headings' closing #'s, line breaks.

Everything here is linear in the length of the text: content is typed by staff and read from
disk, so no regular expression may backtrack, and scans never go back over what they passed.
Typesetting typeset text changes nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Protocol

from kiosk.core.content.problems import Language
from kiosk.core.lazyre import LazyPattern

NBSP = "\u00a0"
SHY = "\u00ad"

# Words tied to the word after them: one-letter words in both cases («с» and «к» included),
# and the prepositions of up to three letters («Раскраска для / маленького» read as cut off).
_TIE_AFTER_RU = frozenset((
    "а", "в", "и", "к", "о", "с", "у", "я",
    "на", "по", "за", "от", "до", "из", "не", "но", "ни", "об", "во", "ко", "со", "да",
    "для", "под", "при", "без", "про", "над", "обо", "из-за", "из-под"))
# In English, the articles and the short prepositions: a line that ends on "the" or "in"
# reads as a bad break on a heading ("Umbrella in / the rain"), and these words are short
# enough that tying them costs a paragraph's rag nothing. Compared in lower case but "I".
_TIE_AFTER_EN = frozenset(("a", "an", "the", "at", "by", "in", "of", "on", "to", "for", "from",
                           "into", "with"))
# Particles tied to the word before them: «что ли», «так же», «если бы».
_TIE_BEFORE_RU = frozenset(("ли", "ль", "же", "ж", "бы", "б"))
_ABBREVIATION_TAILS_RU = frozenset(("е.", "д.", "п.", "к."))  # т. е., т. д., т. п., т. к.
# A sentence's first word up to this long is tied to the next: a line ending on it ("…are
# closed. From / 9 January…", «…закрыт. Мы / откроемся…») reads as the start of a thought cut off.
SENTENCE_OPENER = 4
_SENTENCE_ENDS = ".!?…"
_CLOSERS = "»“”\"'’)]*_~"  # after a sentence's last character: «…сказал.» Мы

_DASHES = frozenset(("—", "–"))
_SPACED_HYPHENS = {"ru": frozenset(("-", "–", "--")), "en": frozenset(("-", "--"))}
_WHITESPACE = " \t\n" + NBSP
_OPENERS = "«„“\"'([{*_~"  # stripped from the front of a word before it is compared
_MARKERS = "*_~"  # Markdown emphasis, stripped from the back of a word
WORD_EDGES = "«»„“”\"'‘’([{)]}*_~.,;:!?…"  # around a word, not part of it
_TRAILING_PUNCTUATION = ".,;:!?…)]}»“”\"'*_~"
_OPENING_CONTEXT = frozenset(" \t\n" + NBSP + "([{«„“—–")

_QUOTES = {"ru": (("«", "»"), ("„", "“")), "en": (("“", "”"), ("‘", "’"))}
# Quotes in a paragraph that make its straight quotes someone's deliberate choice. Russian has
# none: curly double quotes there come from Word or another language's keyboard, and are paired
# like straight ones (the typeset nested „…“ pair again as nested: typesetting stays idempotent).
_FOREIGN_QUOTES = {"ru": frozenset(), "en": frozenset("“”«»„")}
# Double quotes read as straight ones, and those whose shape says which way they face.
_DOUBLE_QUOTES = {"ru": frozenset('"“”„'), "en": frozenset('"')}
_ONLY_OPENING = frozenset("„")
_ONLY_CLOSING = frozenset("”")

MAX_UNIT = 30  # ties never build an unbreakable run longer than this (a chain of «а а а а»)
LET_GO_MEASURES = 12  # parts of one run let_go measures; the rest of a longer one is let go
WIDOW_WORD = 10  # a last word up to this long is tied to the word before it...
WIDOW_UNIT = 24  # ...unless the two together would be longer than this
MIN_HYPHENATED = 10  # letters; shorter words wrap whole
# List items in one body: Qt's Markdown reader takes time quadratic in the items of a list
# (6,400 one-word items, 25 KB, take 1 s on the UI thread; 12,800 take 8 s). Later items are
# shown as lines of text, as is anything nested deeper than _MAX_NESTING.
MAX_LIST_ITEMS = 300
HYPHEN_MIN = 3  # letters kept on either side of a soft hyphen
_MAX_WORD = 64  # longer "words" are not words (and pyphen is O(length × pattern length))
_MAX_NESTING = 8  # quote and list levels read before a line's text (bounds the work per line)
# Texts up to these lengths are remembered (bounded: at most ~2 MB and ~9 MB if all are full).
_CACHE_PLAIN_CHARS = 1_000
_CACHE_MARKDOWN_CHARS = 8_000
# en_US, not en_GB: the en_GB patterns break cer-ti-fic-ate, applic-a-tion.
_DICTIONARIES: dict[Language, str] = {"ru": "ru_RU", "en": "en_US"}

# Only single characters or bounded runs without nested quantifiers: linear on any input.
_TOKEN = re.compile(r"[^ \t\n]+")
_MD_SPECIAL = LazyPattern(r"[\\`<&\]]")
_MD_SPECIAL_LABELS = LazyPattern(r"[\\`<&\]\[]")
_BACKTICKS = LazyPattern(r"`+")
_AUTOLINK_END = LazyPattern(r"[ \t\n<>]")
_ENTITY = LazyPattern(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_DESTINATION = LazyPattern(r"[^ \t\n()\\<>]+")
_QUOTE_CHARS = LazyPattern("[\"«»“”„]")
_APOSTROPHE = LazyPattern(r"(?<=[^\W\d_])'(?=[^\W\d_])")  # one character either side
_WORD_JOINERS = LazyPattern("([-'’])")
_BLOCK_STARTS = frozenset(" \t>-+*_#`~=[0123456789")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class _Hyphenator(Protocol):
    def positions(self, word: str) -> list[int]: ...


@functools.cache
def _hyphenator(lang: Language) -> _Hyphenator:
    """One dictionary per language, loaded on first use: ~15-30 ms for ru, ~50-100 ms for en."""
    # Imported here: pyphen's own import costs ~30 ms (importlib.resources, zipfile) that the
    # start-up budget cannot spare.
    import pyphen  # type: ignore[import-untyped]

    hyphenator: _Hyphenator = pyphen.Pyphen(lang=_DICTIONARIES[lang], left=HYPHEN_MIN,
                                            right=HYPHEN_MIN)
    return hyphenator


def warm_up(lang: Language) -> None:
    """Load `lang`'s dictionary now, e.g. after the first frame, not while a story opens."""
    _hyphenator(lang)


def typeset(text: str, lang: Language, hyphenate: bool = True) -> str:
    """Plain text (titles, one-liners). Each line is its own paragraph. Headlines in display
    sizes should pass `hyphenate=False`: a word of a few-word headline is not to be split."""
    if len(text) > _CACHE_PLAIN_CHARS:
        return _typeset_plain(text, lang, hyphenate)
    return _typeset_plain_cached(text, lang, hyphenate)


def ties_forward(word: str, lang: Language) -> bool:
    """Whether `word` is one tied to the word after it wherever it stands (a one-letter word,
    a short preposition, an article): a line that ends on it reads as cut off."""
    word = word.replace(SHY, "").strip(WORD_EDGES)
    if lang == "en":
        return word == "I" or word.lower() in _TIE_AFTER_EN
    return word.lower() in _TIE_AFTER_RU


def let_go(text: str, too_wide: Callable[[str], bool], first: bool = True) -> str:
    """A line of typeset text with the ties of each run of tied words that is `too_wide` for
    its column given up until its parts fit: the first tie first, so that the last two words
    stay together («for / a little helper», not «for a little / helper»), or with `first`
    False the last first («of Sincere / Service», not «of / Sincere Service»); the tie after
    a one-letter word only when no other is left («Снежинки / в зале / ожидания», never «в /
    зале»). Each part is measured once before it is split."""
    parts: list[str] = []
    for run in text.split(" "):
        pending = [run]
        measured = 0
        while pending:
            part = pending.pop()
            if NBSP not in part:
                parts.append(part)
                continue
            measured += 1
            if measured > LET_GO_MEASURES:  # no-break spaces typed by hand, thousands of them
                parts.append(part.replace(NBSP, " "))
                continue
            if not too_wide(part):
                parts.append(part)
                continue
            words = part.split(NBSP)
            ties = range(len(words) - 1) if first else range(len(words) - 2, -1, -1)
            # A dash may end a line («Главное — / люди»); a one-letter word may not.
            cut = next((k for k in ties if len(words[k].strip(WORD_EDGES)) > 1
                        or words[k] in _DASHES), ties[0])
            # The right-hand part is looked at after the left: pending is a stack.
            pending += [NBSP.join(words[cut + 1:]), NBSP.join(words[: cut + 1])]
    return " ".join(parts)


def typeset_markdown(markdown: str, lang: Language, hyphenate: bool = True) -> str:
    """A CommonMark body as Qt's QTextDocument.setMarkdown reads it (raw HTML off)."""
    if len(markdown) > _CACHE_MARKDOWN_CHARS:
        return _typeset_markdown(markdown, lang, hyphenate)
    return _typeset_markdown_cached(markdown, lang, hyphenate)


def _typeset_plain(text: str, lang: Language, hyphenate: bool) -> str:
    return _paragraph(text, [], lang, hyphenate, markdown=False)


# ---------------------------------------------------------------------------------------------
# Markdown blocks: a line at a time, deciding which lines belong to which paragraph.


def _leading_width(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _container_prefix(line: str) -> tuple[int, int, int]:
    """Where a line's text starts, after its indentation, block-quote and list markers (-1 for
    a line nested deeper than _MAX_NESTING); where a backslash would turn its first list
    marker into text (-1 when no list item starts on it); and where one would stop the
    nesting at _MAX_NESTING (-1 when it is not that deep)."""
    i, n, marker, depth = 0, len(line), -1, 0
    while True:
        j = i
        while j < n and line[j] in " \t":
            j += 1
        if j < n and line[j] == ">":
            at, i, item = j, j + 1, False
        elif j < n and line[j] in "-*_" and _is_thematic_break(line[j:]):
            return j, marker, -1
        elif j < n and line[j] in "-+*" and (j + 1 == n or line[j + 1] in " \t"):
            at, i, item = j, j + 1, True
        else:
            k = j
            while k < n and k - j < 9 and line[k].isdigit():
                k += 1
            if not (j < k < n and line[k] in ".)" and (k + 1 == n or line[k + 1] in " \t")):
                return j, marker, -1
            at, i, item = k, k + 1, True
        if depth == _MAX_NESTING:
            return -1, marker, at
        depth += 1
        if item and marker < 0:
            marker = at


def _is_thematic_break(text: str) -> bool:
    """`***`, `- - -`, `___` (and so also a setext `---` underline)."""
    compact = text.replace(" ", "").replace("\t", "")
    return len(compact) >= 3 and compact[0] in "-*_" and compact == compact[0] * len(compact)


def _fence(text: str) -> tuple[str, int] | None:
    stripped = text.lstrip(" ")
    if len(text) - len(stripped) > 3 or stripped[:3] not in ("```", "~~~"):
        return None
    char = stripped[0]
    run = len(stripped) - len(stripped.lstrip(char))
    if char == "`" and "`" in stripped[run:]:
        return None  # an info string may not hold a backtick: this is inline code
    return char, run


def _heading(text: str) -> tuple[int, int] | None:
    """For an ATX heading, where its text starts and where its closing #'s start."""
    stripped = text.lstrip(" ")
    if len(text) - len(stripped) > 3 or stripped[:1] != "#":
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    if not 1 <= level <= 6 or (len(stripped) > level and stripped[level] not in " \t"):
        return None
    start = len(text) - len(stripped) + level
    body = text.rstrip(" \t")
    end = len(body)
    while end > start and body[end - 1] == "#":
        end -= 1
    if end < len(body) and end > start and body[end - 1] not in " \t":
        end = len(body)  # «C#» ends the text, it closes nothing
    return start, end


def _typeset_markdown(markdown: str, lang: Language, hyphenate: bool) -> str:
    lines = markdown.split("\n")
    out: list[str] = []
    # The open paragraph: each line's prefix (kept), text (typeset) and "\r" if any.
    prefixes: list[str] = []
    texts: list[str] = []
    ends: list[str] = []
    fence: tuple[str, int] | None = None
    in_list = after_blank = False
    items = 0
    labels = "]:" in markdown  # it may define link labels: [text] is then left as typed

    def flush() -> None:
        if texts:
            typeset_lines = _paragraph("\n".join(texts), None, lang, hyphenate,
                                       markdown=True, labels=labels).split("\n")
            out.extend(p + t + e for p, t, e in zip(prefixes, typeset_lines, ends, strict=True))
            prefixes.clear()
            texts.clear()
            ends.clear()

    crlf = "\r" in markdown
    for raw in lines:
        line, end = (raw[:-1], "\r") if crlf and raw.endswith("\r") else (raw, "")
        if fence is None:
            # The common cases first: text at the margin that starts with nothing a block
            # can start with is a paragraph's line; a blank line only ends one.
            first = line[:1]
            if first and (first not in _BLOCK_STARTS
                          or (first == "=" and line.strip(" \t="))):
                in_list = in_list and not after_blank
                after_blank = False
                prefixes.append("")
                texts.append(line)
                ends.append(end)
                continue
            if not line.strip(" \t"):
                if texts:
                    flush()
                out.append(raw)
                after_blank = True
                continue
        start, marker, too_deep = _container_prefix(line)
        if fence is None and (too_deep >= 0 or marker >= 0):
            items += marker >= 0
            # Qt's reader takes time quadratic in the items of a list, and more than linear in
            # nesting: beyond these limits, markers are escaped and shown as text.
            escape = too_deep if too_deep >= 0 else marker if items > MAX_LIST_ITEMS else -1
            if escape >= 0:
                line = line[:escape] + "\\" + line[escape:]
                raw = line + end
                start, marker, too_deep = _container_prefix(line)
        item = marker >= 0
        if start < 0:
            flush()
            out.append(raw)
            continue
        text = line[start:]
        if fence is not None:
            closing = _fence(text)
            if closing and closing[0] == fence[0] and closing[1] >= fence[1] \
                    and not text.strip(" \t" + fence[0]):
                fence = None
            out.append(raw)
            continue
        if not text.strip(" \t"):
            flush()
            out.append(raw)
            after_blank = True
            continue
        if item:
            in_list = True
        elif after_blank and _leading_width(line) == 0 and line[0] != ">":
            in_list = False
        indented_code = (not texts and not in_list and not item
                         and _leading_width(line) >= 4)
        after_blank = False
        fence = _fence(text)
        stripped = text.lstrip(" \t")
        if indented_code or fence is not None or _is_thematic_break(text) \
                or not stripped.strip("=") \
                or (stripped.startswith("[") and "]:" in stripped):
            # Code, rules, setext underlines and link definitions: nothing to typeset.
            flush()
            out.append(raw)
            continue
        heading = _heading(text)
        if item or heading:
            flush()
        if heading:
            head, tail = heading
            prefixes.append(line[: start + head])
            texts.append(text[head:tail])
            ends.append(text[tail:] + end)
            flush()
            continue
        prefixes.append(line[:start])
        texts.append(text)
        ends.append(end)
    flush()
    return "\n".join(out)


_typeset_plain_cached = functools.lru_cache(maxsize=512)(_typeset_plain)
_typeset_markdown_cached = functools.lru_cache(maxsize=256)(_typeset_markdown)


# ---------------------------------------------------------------------------------------------
# Markdown inlines: the spans of a paragraph that must stay exactly as typed.


def _protected_spans(text: str, hidden: list[tuple[int, int]],
                     labels: bool) -> list[tuple[int, int]]:
    """Code spans, link targets and titles, reference labels, autolinks, backslash escapes and
    entities, in order; link targets and labels, which are not shown, also go to `hidden`.
    With `labels`, all text in [brackets] too: it may be a label that has to match its
    definition character for character. Each scan resumes where the previous one stopped, so
    the time is linear."""
    spans: list[tuple[int, int]] = []
    special = _MD_SPECIAL_LABELS if labels else _MD_SPECIAL
    unclosed = False  # no "]" after some "[": none after any later one either
    n = len(text)
    runs: dict[int, list[int]] = {}
    taken: dict[int, int] = {}
    if "`" in text:
        for found_run in _BACKTICKS.finditer(text):
            runs.setdefault(found_run.end() - found_run.start(), []).append(found_run.start())
    pos = 0
    while (match := special.search(text, pos)) is not None:
        i = match.start()
        char = text[i]
        pos = i + 1
        if char == "\\":
            if i + 1 < n and text[i + 1] in _ASCII_PUNCTUATION:
                spans.append((i, i + 2))
                pos = i + 2
        elif char == "`":
            j = i
            while j < n and text[j] == "`":
                j += 1
            length = j - i
            starts = runs.get(length, [])
            k = taken.get(length, 0)
            while k < len(starts) and starts[k] < j:
                k += 1
            if k < len(starts):
                taken[length] = k + 1
                pos = starts[k] + length
            else:
                taken[length] = k
                pos = j  # no closing run: literal backticks
            spans.append((i, pos))
        elif char == "<":
            found = _AUTOLINK_END.search(text, i + 1)
            if found and text[found.start()] == ">":
                inside = text[i + 1 : found.start()]
                if ":" in inside or "@" in inside:
                    pos = found.end()
                    spans.append((i, pos))
        elif char == "[":
            close = -1 if unclosed else text.find("]", i + 1)
            unclosed = close == -1
            if close != -1:  # the "]" is left for the next step: a link target may follow
                pos = close
                spans.append((i, pos))
        elif char == "&":
            entity = _ENTITY.match(text, i)
            if entity:
                pos = entity.end()
                spans.append((i, pos))
        elif i + 1 < n and text[i + 1] == "(":  # "](": a link's target and title
            pos = _link_tail(text, i + 1)
            spans.append((i + 1, pos))
            hidden.append((i + 1, pos))
        elif i + 1 < n and text[i + 1] == "[":  # "][": a reference, matched to its definition
            close = text.find("]", i + 2)
            if close != -1:
                pos = close + 1
                spans.append((i + 1, pos))
                hidden.append((i + 1, pos))
    return spans


def _skip_whitespace(text: str, j: int) -> int:
    while j < len(text) and text[j] in " \t\n":
        j += 1
    return j


def _link_tail(text: str, j: int) -> int:
    """From the "(" after a link text: past its destination, title and ")". Malformed ones end
    early; what was scanned stays protected, which is always safe."""
    n = len(text)
    j = _skip_whitespace(text, j + 1)
    if j < n and text[j] == "<":
        while j < n and text[j] not in ">\n":
            j += 1
        if j == n or text[j] != ">":
            return j
        j += 1
    else:
        depth = 0
        while j < n:
            run = _DESTINATION.match(text, j)
            if run:
                j = run.end()
                continue
            char = text[j]
            if char == "\\":
                j += 2
            elif char == "(":
                depth += 1
                j += 1
            elif char == ")" and depth:
                depth -= 1
                j += 1
            elif char == "<" or char == ">":
                j += 1
            else:
                break
        j = min(j, n)
    j = _skip_whitespace(text, j)
    if j < n and text[j] in "\"'(":
        closing = ")" if text[j] == "(" else text[j]
        j += 1
        while j < n and text[j] != closing:
            j += 2 if text[j] == "\\" else 1
        j = _skip_whitespace(text, min(j + 1, n))
    if j < n and text[j] == ")":
        j += 1
    return min(j, n)


# ---------------------------------------------------------------------------------------------
# A paragraph: quotes, dashes, ties, hyphenation.


def _paragraph(text: str, spans: list[tuple[int, int]] | None, lang: Language,
               hyphenate: bool, markdown: bool, labels: bool = False) -> str:
    """One paragraph; `spans` None for Markdown, whose protected spans are found here."""
    hidden: list[tuple[int, int]] = []
    if spans is None:
        spans = _protected_spans(text, hidden, labels)
    text = _quote(text, spans, lang)
    if lang == "en" and "'" in text:
        text = _apostrophes(text, spans)
    tokens = _tokens(text, spans)
    if not tokens:
        return text
    words = [text[s:e] for s, e in tokens]
    gaps = [text[tokens[k][1] : tokens[k + 1][0]] for k in range(len(tokens) - 1)]
    _dashes(words, gaps, tokens, _SpanLookup(spans), lang)
    # What each word takes on the screen, for the length limits of ties.
    widths = [_length(word) for word in words]
    if hidden:
        lookup = _SpanLookup(hidden)
        for k, (start, end) in enumerate(tokens):
            for span_start, span_end in lookup.within(start, end):
                widths[k] -= min(span_end, end) - max(span_start, start)
    ties = _ties(words, gaps, widths, lang, markdown)
    protected = _SpanLookup(spans)
    pieces = [text[: tokens[0][0]]]
    last = len(tokens) - 1
    for k, (start, _) in enumerate(tokens):
        word = words[k]
        # Not a paragraph's last word («заместите- / лей.»: a syllable alone on the last
        # line), unless it stands alone or is too long for a line without a break.
        if hyphenate and len(word) >= MIN_HYPHENATED \
                and not (k == last > 0 and widths[k] <= WIDOW_UNIT):
            word = _hyphenate_token(word, start, protected, lang)
        pieces.append(word)
        if k < len(gaps):
            pieces.append(NBSP if ties[k] else gaps[k])
    pieces.append(text[tokens[-1][1] :])
    return "".join(pieces)


class _SpanLookup:
    """Which parts of a token are protected; spans are sorted and tokens visited in order."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.next = 0

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        while self.next < len(self.spans) and self.spans[self.next][1] <= start:
            self.next += 1
        found = []
        k = self.next
        while k < len(self.spans) and self.spans[k][0] < end:
            found.append(self.spans[k])
            k += 1
        return found


def _quote(text: str, spans: list[tuple[int, int]], lang: Language) -> str:
    """Straight double quotes to the language's quotes, if they pair up; otherwise (or when
    the paragraph already uses other quotes) they are left as typed."""
    doubles = _DOUBLE_QUOTES[lang]
    if not any(c in doubles for c in text):
        return text
    if any(c in _FOREIGN_QUOTES[lang] for c in text):
        return text
    protected = _SpanLookup(spans)
    events: list[tuple[int, bool]] = []  # (index, opens) for the straight quotes
    levels: dict[int, int] = {}  # their nesting depth, counting «» around them
    stack: list[str] = []
    n = len(text)
    for match in _QUOTE_CHARS.finditer(text):
        i = match.start()
        if protected.within(i, i + 1):
            continue
        char = text[i]
        if char == "«":
            stack.append(char)
            continue
        if char == "»":
            if not stack or stack[-1] != "«":
                return text
            stack.pop()
            continue
        if char not in doubles:
            continue  # English: its curly quotes were ruled out above
        before = i - 1
        while before >= 0 and text[before] in "*_":
            before -= 1
        after = i + 1
        while after < n and text[after] in "*_":
            after += 1
        opens = (before < 0 or text[before] in _OPENING_CONTEXT) and after < n \
            and text[after] not in _WHITESPACE
        closes = before >= 0 and text[before] not in _OPENING_CONTEXT
        if char in _ONLY_OPENING:
            closes = False
        elif char in _ONLY_CLOSING:
            opens = False
        if opens and not closes:
            levels[i] = len(stack)
            stack.append('"')
            events.append((i, True))
        elif closes and stack and stack[-1] == '"':
            stack.pop()
            levels[i] = len(stack)
            events.append((i, False))
        else:
            return text  # a quote that neither clearly opens nor closes: inches, a typo
    if stack:
        return text
    chars = list(text)
    for i, opens in events:
        pair = _QUOTES[lang][min(levels[i], 1)]
        chars[i] = pair[0] if opens else pair[1]
    return "".join(chars)


def _apostrophes(text: str, spans: list[tuple[int, int]]) -> str:
    """English: a straight apostrophe between letters is a typographic one (it's, Mary’s)."""
    protected = _SpanLookup(spans)
    chars = list(text)
    for match in _APOSTROPHE.finditer(text):
        if not protected.within(match.start(), match.end()):
            chars[match.start()] = "’"
    return "".join(chars)


def _tokens(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of non-space characters; a protected span with spaces inside stays one token."""
    tokens: list[tuple[int, int]] = []
    k = 0
    reach = 0  # the end of the furthest protected span begun so far
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if tokens and reach > tokens[-1][1]:  # the space before is protected too
            tokens[-1] = (tokens[-1][0], end)
        else:
            tokens.append((start, end))
        while k < len(spans) and spans[k][0] < end:
            reach = max(reach, spans[k][1])
            k += 1
    return tokens


def _dashes(words: list[str], gaps: list[str], tokens: list[tuple[int, int]],
            protected: _SpanLookup, lang: Language) -> None:
    """A hyphen (or «--») between two words, spaced on both sides, is a dash."""
    hyphens = _SPACED_HYPHENS[lang]
    for k in range(1, len(words) - 1):
        if words[k] in hyphens and gaps[k - 1] == " " and gaps[k] == " " \
                and not words[k - 1][-1].isdigit() and not words[k + 1][0].isdigit() \
                and not protected.within(*tokens[k]):
            words[k] = "—"


def _first_word(token: str) -> str:
    return token.split(NBSP, 1)[0].lstrip(_MARKERS)


def _last_word(token: str) -> str:
    return token.rsplit(NBSP, 1)[-1].lstrip(_OPENERS).rstrip(_MARKERS)


def _length(token: str) -> int:
    return len(token) - token.count(SHY)


def _tied(left: str, right: str, lang: Language) -> bool:
    """Whether the space between these two tokens must not break (before the length caps)."""
    after = _last_word(left)
    before = _first_word(right)
    if before in _DASHES:
        return True
    if not before or before[0] in "-—–":
        return False
    if after.isdigit() and before[0].isalpha() and (lang == "ru" or len(after) <= 2):
        return True  # «15 минут», «2020 г.», "22 August"; not "in 2023 the centres"
    if lang == "en":
        return after == "I" or after.lower() in _TIE_AFTER_EN
    lower = after.lower()
    if lower in _TIE_AFTER_RU or after in ("№", "§"):
        return True
    if len(after) == 2 and after[1] == "." and "А" <= after[0] <= "Я" and before[0].isupper():
        return True  # initials: «А. С. Пушкин»
    if lower == "т." and before.rstrip(",;:") in _ABBREVIATION_TAILS_RU:
        return True
    return before.rstrip(_TRAILING_PUNCTUATION).lower() in _TIE_BEFORE_RU


def _opens_sentence(words: list[str], k: int) -> bool:
    """Whether token `k` ends in a short word that begins a sentence after another one, with
    no punctuation after it ("Yes, we…" may break after the comma). A paragraph's first word
    starts its line already."""
    *before, word = words[k].split(NBSP)
    word = word.lstrip(_OPENERS)
    if not 0 < len(word) <= SENTENCE_OPENER or not word.isalpha() or not word[0].isupper():
        return False  # "i.e. some": not a sentence
    previous = (before[-1] if before else words[k - 1] if k > 0 else "").rstrip(_CLOSERS)
    return bool(previous) and previous[-1] in _SENTENCE_ENDS


def _hard_break(gap: str, left: str) -> bool:
    """A Markdown line break that ends a visual line: two spaces or a backslash before it."""
    newline = gap.find("\n")
    return newline != -1 and (gap[:newline].count(" ") >= 2 or left.endswith("\\"))


def _ties(words: list[str], gaps: list[str], widths: list[int], lang: Language,
          markdown: bool) -> list[bool]:
    """Which single-space gaps become no-break spaces. Decided left to right, so the length
    of the unbreakable run ending at each word is known; once tied, a run is not revisited,
    which is what makes a second pass find nothing to do."""
    ties = [False] * len(gaps)
    run = widths[0]  # the unbreakable run ending at the current word
    runs = [run]
    for k, gap in enumerate(gaps):
        right = words[k + 1]
        width = widths[k + 1]
        if gap == " " and (_tied(words[k], right, lang) or _opens_sentence(words, k)) \
                and (_first_word(right) in _DASHES or run + 1 + width <= MAX_UNIT):
            ties[k] = True
            run += 1 + width
        else:
            if "\n" in gap and (not markdown or _hard_break(gap, words[k])):
                _tie_widow(words, gaps, widths, ties, runs, k)
            run = width
        runs.append(run)
    _tie_widow(words, gaps, widths, ties, runs, len(words) - 1)
    return ties


def _tie_widow(words: list[str], gaps: list[str], widths: list[int], ties: list[bool],
               runs: list[int], last: int) -> None:
    """Tie a paragraph's (or line's) last word to the one before, so it never stands alone:
    only if it is a single short word not already tied, and the pair is not too long."""
    if last < 1 or gaps[last - 1] != " " or ties[last - 1]:
        return
    word = words[last]
    punctuation = len(word) - len(word.strip(_TRAILING_PUNCTUATION + "«„("))
    if NBSP in word or widths[last] - punctuation > WIDOW_WORD:
        return
    # The two words, not the run before: "the~administrator's desk." is tied too.
    if widths[last - 1] + 1 + widths[last] <= WIDOW_UNIT \
            and runs[last - 1] + 1 + widths[last] <= MAX_UNIT:
        ties[last - 1] = True


# ---------------------------------------------------------------------------------------------
# Hyphenation.


def _hyphenate_token(token: str, start: int, protected: _SpanLookup, lang: Language) -> str:
    spans = protected.within(start, start + len(token))
    if not spans:
        return NBSP.join(_hyphenate_word(w, lang) for w in token.split(NBSP))
    pieces = []
    pos = start
    for span_start, span_end in spans:
        if span_start > pos:
            pieces.append(_hyphenate_token(token[pos - start : span_start - start], pos,
                                           _SpanLookup([]), lang))
        pieces.append(token[max(span_start, pos) - start : span_end - start])
        pos = max(pos, span_end)
    if pos < start + len(token):
        pieces.append(_hyphenate_token(token[pos - start :], pos, _SpanLookup([]), lang))
    return "".join(pieces)


def _is_letter(char: str, lang: Language) -> bool:
    if lang == "ru":
        return "\u0400" <= char <= "\u04ff"
    return char.isalpha() and char < "\u0250"


def _hyphenate_word(word: str, lang: Language) -> str:
    """Soft hyphens in one word between spaces, if it is a plain word of the language:
    not a URL, an address, a number, a code, a word in capitals or in another script."""
    if len(word) < MIN_HYPHENATED or len(word) > _MAX_WORD or SHY in word:
        return word
    core = word.strip(WORD_EDGES)
    first = len(word) - len(word.lstrip(WORD_EDGES))
    last = first + len(core)
    if len(core) < MIN_HYPHENATED or core.isupper():
        return word
    for char in core:
        if not (_is_letter(char, lang) or char in "-'’"):
            return word
    parts = _WORD_JOINERS.split(core)
    if all(len(part) < MIN_HYPHENATED for part in parts):
        return word
    hyphenator = _hyphenator(lang)
    out = []
    for part in parts:
        if len(part) >= MIN_HYPHENATED and len(part.lower()) == len(part):
            points = [p for p in hyphenator.positions(part) if not getattr(p, "data", None)]
            pos = 0
            for point in points:
                out.append(part[pos:point])
                out.append(SHY)
                pos = point
            out.append(part[pos:])
        else:
            out.append(part)
    return word[:first] + "".join(out) + word[last:]
