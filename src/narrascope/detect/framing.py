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

FRAMING_FILE = PACKAGE_DIR / "lexicons" / "framing.toml"
CATEGORIES = ("praise", "condemn", "victim", "self")
WINDOW = 6          # words on each side of a mention
SELF_WINDOW = 2     # "our" counts only right before the mention
_WORD = re.compile(r"[\w'’-]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


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


def _compile(cues: list[str], korean: bool) -> re.Pattern[str]:
    parts = []
    for cue in sorted(set(cues), key=len, reverse=True):
        body = r"\s+".join(re.escape(p.rstrip("*")) + (r"\w*" if p.endswith("*") else "")
                           for p in cue.split())
        parts.append(body if korean else rf"(?<!\w){body}(?!\w)")
    return re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE)


class FramingLexicon:
    """The cue patterns of each language; a language without its own cues uses English."""

    def __init__(self, path: Path = FRAMING_FILE) -> None:
        self.path = path

    @cached_property
    def patterns(self) -> dict[str, dict[str, re.Pattern[str]]]:
        data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        return {lang: {cat: _compile(list(table.get(cat, [])), lang == "ko")
                       for cat in CATEGORIES}
                for lang, table in data.items() if isinstance(table, dict)}

    def _language(self, language: str, words: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
        language = (language or "").lower()
        if language not in self.patterns and any(_HANGUL.search(w) for w in words[:3]):
            language = "ko"
        return self.patterns.get(language) or self.patterns["en"]

    def counts(self, context: Context, language: str) -> dict[str, float]:
        """Cue counts near the mention (``near_*``) and in its whole sentence (``sent_*``)."""
        patterns = self._language(language, context.before + context.after)
        near = " ".join(context.before) + " | " + " ".join(context.after)
        whole = " ".join(context.sentence_words)
        own = " ".join(context.before[-SELF_WINDOW:])
        out = {}
        for cat in CATEGORIES:
            pattern = patterns[cat]
            if cat == "self":
                out["near_self"] = float(len(pattern.findall(own)))
                continue
            out[f"near_{cat}"] = float(len(pattern.findall(near)))
            out[f"sent_{cat}"] = float(len(pattern.findall(whole)))
        return out


FEATURE_NAMES = ("near_praise", "near_condemn", "near_victim", "near_self", "sent_praise",
                 "sent_condemn", "sent_victim")
