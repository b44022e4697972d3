"""Sentence segmentation with exact character offsets, rule-based per language."""

from __future__ import annotations

import re
from collections.abc import Iterator

from narrascope.model import Sentence

# Tokens that end with a period without ending a sentence, lower-cased, without the period.
_ABBREVIATIONS = {
    "en": {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "maj",
        "gov", "sen", "rep", "pres", "adm", "cmdr", "vs", "etc", "no", "inc", "ltd", "co", "corp",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "approx", "dept", "fig", "vol", "mt",
    },
    "ru": {
        "г", "гг", "т", "е", "д", "др", "им", "ул", "пр", "см", "тыс", "млн", "млрд", "руб", "стр",
        "т.е", "т.д", "т.п", "т.н", "т.к", "и.о", "обл", "р", "ст", "проф", "акад", "ген", "чел",
    },
}
_ABBREVIATIONS["uk"] = _ABBREVIATIONS["ru"] | {"ім", "вул", "тис"}
_ABBREVIATIONS["bg"] = _ABBREVIATIONS["ru"] | {"гр", "ул"}

# A run of sentence-final punctuation, closing quotes/brackets, then either whitespace or,
# after CJK full stops, nothing at all.
_BOUNDARY = re.compile(r"([.!?…]+|[。！？]+)([\"'»”’)\]]*)(\s+|(?<=[。！？])(?=\S))")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_MAX_SENTENCE = 1000


def _is_abbreviation(block: str, punct_start: int, language: str) -> bool:
    match = _WORD_BEFORE.search(block, 0, punct_start)
    if match is None:
        return False
    word = match.group(1).lower()
    if len(word) == 1 and word.isalpha() and block[punct_start] == ".":
        return True  # an initial, as in "J. Smith"
    known = _ABBREVIATIONS.get(language, _ABBREVIATIONS["en"])
    return block[punct_start] == "." and word in known


def _starts_sentence(char: str) -> bool:
    # Anything but a lower-case letter may open a sentence (Hangul and Han have no case).
    return not char.islower()


def _split_block(block: str, offset: int, language: str) -> Iterator[Sentence]:
    start = 0
    for m in _BOUNDARY.finditer(block):
        end = m.end(2)
        nxt = m.end()
        if nxt >= len(block):
            break
        if m.group(1).startswith(".") and _is_abbreviation(block, m.start(1), language):
            continue
        if not _starts_sentence(block[nxt]):
            continue
        yield from _bounded(block, start, end, offset)
        start = nxt
    yield from _bounded(block, start, len(block), offset)


def _bounded(block: str, start: int, end: int, offset: int) -> Iterator[Sentence]:
    """Trim whitespace and cut over-long runs at a clause or word break."""
    while start < end and block[start].isspace():
        start += 1
    while end > start and block[end - 1].isspace():
        end -= 1
    while end - start > _MAX_SENTENCE:
        cut = max(block.rfind(c, start, start + _MAX_SENTENCE) for c in (";", ",", " ", "，"))
        cut = cut + 1 if cut > start else start + _MAX_SENTENCE
        yield Sentence(offset + start, offset + cut)
        start = cut
        while start < end and block[start].isspace():
            start += 1
    if end > start:
        yield Sentence(offset + start, offset + end)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph-like blocks: split at blank lines, and at line breaks that end a heading or a
    sentence (a line break inside a sentence, as in hard-wrapped text, is kept)."""
    start = 0
    for m in re.finditer(r"\n", text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : m.start()].rstrip()
        following = text[m.end() : m.end() + 1]
        is_break = (
            not line
            or not following.strip()
            or line.endswith((".", "!", "?", "…", "。", "！", "？", ":", '"', "»", "”"))
            or (len(line) < 80
            and not line.endswith((",", ";", "-"))
            and not following.islower())
        )
        if is_break:
            yield start, m.start()
            start = m.end()
    yield start, len(text)


def split_sentences(text: str, language: str = "en") -> list[Sentence]:
    """Sentences of `text` as character spans that slice it exactly (end exclusive)."""
    out: list[Sentence] = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        if block.strip():
            out.extend(_split_block(block, b_start, language))
    return out
