"""How a sentence frames an actor, read from the words around its mention with the mention
itself masked: the context words, and counts of framing cues (``lexicons/framing.toml``:
praise, condemnation, victimhood, the source's own "our") in English, Russian and Korean.
Nothing here says who the actor is.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from narrascope.config import PACKAGE_DIR
from narrascope.detect.actors import HANGUL

FRAMING_FILE = PACKAGE_DIR / "lexicons" / "framing.toml"
CATEGORIES = ("praise", "condemn", "victim", "self")
WINDOW = 6          # words on each side of a mention
SELF_WINDOW = 2     # "our" counts only right before the mention
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Context:
    """The words around one mention, inside its sentence (lower-cased, the mention left out)."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    sentence_words: tuple[str, ...]


def context_of(text: str, start: int, end: int, sentence_start: int,
               sentence_end: int) -> Context:
    before = tuple(w.lower() for w in _WORD.findall(text[sentence_start:max(start,
                                                                             sentence_start)]))
    after = tuple(w.lower() for w in _WORD.findall(text[min(end, sentence_end):sentence_end]))
    return Context(before[-WINDOW:], after[:WINDOW], before + after)


@dataclass(frozen=True)
class _Cues:
    """One category's cues in one language: whole words and stems (a trailing *); Korean cues
    match inside a word (particles and endings follow them)."""

    words: frozenset[str]
    stems: tuple[str, ...]
    inside: bool

    @classmethod
    def of(cls, cues: list[str], korean: bool) -> _Cues:
        cues = [c.lower() for c in cues]
        return cls(frozenset(c for c in cues if not c.endswith("*")),
                   tuple(c.rstrip("*") for c in cues if c.endswith("*") or korean), korean)

    def hit(self, word: str) -> bool:
        if self.inside:
            return any(stem in word for stem in self.stems)
        return word in self.words or word.startswith(self.stems)


class FramingLexicon:
    """The cues of each language; a language without its own cues uses English."""

    def __init__(self, path: Path = FRAMING_FILE) -> None:
        self.path = path
        self._words: dict[tuple[str, str], tuple[int, ...]] = {}

    @cached_property
    def cues(self) -> dict[str, dict[str, _Cues]]:
        data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        return {lang: {cat: _Cues.of(list(table.get(cat, [])), lang == "ko")
                       for cat in CATEGORIES}
                for lang, table in data.items() if isinstance(table, dict)}

    def _language(self, language: str, words: tuple[str, ...]) -> str:
        language = (language or "").lower()
        if language not in self.cues and any(HANGUL.search(w) for w in words[:3]):
            language = "ko"
        return language if language in self.cues else "en"

    def _word(self, language: str, word: str) -> tuple[int, ...]:
        """Which categories one word is a cue of (words repeat: each is looked at once)."""
        key = (language, word)
        found = self._words.get(key)
        if found is None:
            if len(self._words) > 200_000:
                self._words.clear()
            table = self.cues[language]
            found = self._words[key] = tuple(int(table[cat].hit(word)) for cat in CATEGORIES)
        return found

    def _count(self, language: str, words: tuple[str, ...]) -> tuple[int, ...]:
        """Cue counts of each category in some words."""
        totals = [0] * len(CATEGORIES)
        for word in words:
            for i, hit in enumerate(self._word(language, word)):
                totals[i] += hit
        return tuple(totals)

    def counts(self, context: Context, language: str) -> dict[str, float]:
        """Cue counts near the mention (``near_*``) and in its whole sentence (``sent_*``)."""
        language = self._language(language, context.before + context.after)
        near = [a + b for a, b in zip(self._count(language, context.before),
                                      self._count(language, context.after), strict=True)]
        whole = self._count(language, context.sentence_words)
        own = self._count(language, context.before[-SELF_WINDOW:])[CATEGORIES.index("self")]
        out = {"near_self": float(own)}
        for i, cat in enumerate(CATEGORIES[:3]):
            out[f"near_{cat}"] = float(near[i])
            out[f"sent_{cat}"] = float(whole[i])
        return out


FEATURE_NAMES = ("near_praise", "near_condemn", "near_victim", "near_self", "sent_praise",
                 "sent_condemn", "sent_victim")
