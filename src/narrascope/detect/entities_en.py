"""Names in scripts with capital letters (English and the other Latin-script languages): runs
of capitalised words that are names, not title-case common phrases.

A word counts as a name word when public English news writes it in lower case inside a sentence
at most 30 % of the time (``models/casing-en.json``, built by ``narrascope train casing``) or
never uses it at all; "Priority Tasks", "Film Production" and "Hurrah"-like interjections have no
name word and are dropped. A run that ends in a body's head noun ("... Commission", "... Party")
is an organisation even when its words are common; one that ends in a place's head noun ("...
Square", "... Farm") is a place, not an actor, and is dropped with what it contains.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from narrascope.config import PACKAGE_DIR
from narrascope.model import Sentence

CASING_FILE = PACKAGE_DIR / "models" / "casing-en.json"
NAME_SHARE = 0.3  # a word written in lower case at most this often is a name word
COMMON_SHARE = 0.6  # ... at least this often, a common word (stripped from a run's start)
_WORD = re.compile(r"[^\W\d_][\w\u0900-\u0dff]*(?:['’.-][\w\u0900-\u0dff]+)*\.?|[A-Z]\d+")
_CONNECTORS = {"of", "de", "da", "do", "dos", "das", "von", "der", "van", "al", "bin", "la",
               "del", "for", "the", "on"}
ORG_HEADS = {
    "ministry", "party", "council", "commission", "committee", "bank", "agency", "union",
    "organization", "organisation", "institute", "university", "forum", "fund", "corporation",
    "company", "parliament", "government", "court", "department", "association", "inc", "corp",
    "office", "foundation", "assembly", "cabinet", "bureau", "league", "front", "congress",
    "senate", "navy", "army", "forces", "force", "corps", "guard", "guards", "command",
    "federation", "alliance", "group", "network", "news", "times", "post", "service",
    "services", "authority", "administration", "secretariat", "presidium", "politburo",
    "directorate", "troops", "military", "battalion", "brigade", "division", "regiment",
    "unit", "fleet", "embassy", "mission", "delegation", "society", "centre", "center",
    "kcna", "tass", "agencies",
}
ARMY_HEADS = {"army", "forces", "force", "troops", "military", "navy", "corps", "battalion",
              "brigade", "division", "regiment", "fleet", "guard", "guards", "command"}
PLACE_HEADS = {
    "square", "street", "avenue", "road", "city", "county", "province", "region", "oblast",
    "district", "river", "mountain", "mount", "lake", "sea", "ocean", "bay", "island",
    "islands", "peninsula", "bridge", "farm", "factory", "plant", "mine", "works", "complex",
    "school", "hospital", "airport", "station", "park", "stadium", "hall", "museum", "palace",
    "theatre", "theater", "library", "port", "harbour", "harbor", "village", "town", "valley",
    "strait", "canal", "dam", "reservoir", "tower", "monument", "cemetery", "base", "zone",
    "prefecture", "municipality", "hill", "hills", "capital", "hotel", "arch", "gate", "pass",
    "coast", "gulf",
    "day", "week", "month", "year", "prize", "award", "order", "medal", "law", "act", "plan",
    "festival", "games", "cup", "championship", "exhibition", "conference", "summit",
    "meeting", "war", "operation", "doctrine", "treaty", "agreement", "accord",
    "declaration", "resolution", "statement", "report", "speech", "program", "programme",
    "project", "strategy", "policy", "exercise", "exercises", "drill", "drills",
}
TITLES = {
    "president", "prime", "minister", "chancellor", "secretary", "general", "senator",
    "governor", "mayor", "king", "queen", "pope", "sir", "chairman", "chairwoman", "ceo",
    "director", "comrade", "marshal", "premier", "vice", "deputy", "first", "foreign",
    "defense", "defence", "ambassador", "spokesman", "spokeswoman", "spokesperson", "envoy",
    "commander", "colonel", "lieutenant", "major", "captain", "admiral", "respected",
    "supreme", "leader", "dear", "great", "beloved", "mr", "mrs", "ms", "dr", "mr.", "mrs.",
    "ms.", "dr.", "prof", "professor", "journalist", "senior", "chief", "head", "member",
    "members", "officials", "official", "state", "acting", "former", "late", "u.s.", "us",
}
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our"}
_PEOPLE = re.compile(r" (?:people|peoples|nation)\b")
_DEMONYM = re.compile(r"(?:an|ian|ean|ese|ish|ic|i)$")


@dataclass(frozen=True)
class NameRun:
    """A run of capitalised words judged to be a name (start, end exclusive, in the text)."""

    start: int
    end: int
    name: str
    kind: str  # person, organisation, armed_forces, or other (a name of unknown kind)
    place: bool = False  # a place or thing: its span blocks other names, it is no actor


class Casing:
    """Lower-case shares of English words (None for a word the counts never saw)."""

    def __init__(self, path: Path = CASING_FILE) -> None:
        self.path = path

    @cached_property
    def shares(self) -> dict[str, float]:
        if not self.path.is_file():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.get("lower_share", {}).items()}

    def share(self, word: str) -> float | None:
        return self.shares.get(word.lower().rstrip(".").replace("’", "'"))

    def is_name_word(self, word: str) -> bool:
        if word.isupper() and len(word) >= 2:  # an acronym: WPK, KCNA
            share = self.share(word)
            return share is None or share <= NAME_SHARE
        share = self.share(word)
        return (share is None and len(word) >= 2) or (share is not None and share <= NAME_SHARE)

    def is_common(self, word: str) -> bool:
        share = self.share(word)
        return share is not None and share >= COMMON_SHARE


def capitalised_runs(text: str, sentences: Sequence[Sentence], casing: Casing) -> list[NameRun]:
    """The name runs of every sentence."""
    out: list[NameRun] = []
    for sentence in sentences:
        piece = sentence.slice(text)
        words = _words(piece)
        if _headline_case(piece, words):
            continue
        run: list[_Word] = []
        for i, word in enumerate(words):
            w = word.group()
            capital = w[0].isupper() or (w[0].isdigit() and bool(run))
            if capital and (not run or _joined(piece, run[-1], word)):
                run.append(word)
            elif capital:
                out += _judge(run, piece, sentence.start, casing)
                run = [word]
            elif run and w.lower() in _CONNECTORS and _capital_follows(words, i) \
                    and _joined(piece, run[-1], word):
                run.append(word)
            else:
                out += _judge(run, piece, sentence.start, casing)
                run = []
        out += _judge(run, piece, sentence.start, casing)
    return out


class _Word:
    """A word of a sentence; scraped text glues words ("GeneralKim Il SungSquare"), so a small
    letter followed by a capital starts a new word."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def group(self) -> str:
        return self._text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _words(piece: str) -> list[_Word]:
    out = []
    for m in _WORD.finditer(piece):
        at = m.start()
        for part in _GLUED.split(m.group()):
            out.append(_Word(part, at, at + len(part)))
            at += len(part)
    return out


def _capital_follows(words: Sequence[_Word], i: int) -> bool:
    """Whether a capitalised word follows word i, after at most one more connector
    ("Central Committee of the Workers' Party")."""
    for nxt in words[i + 1:i + 3]:
        if nxt.group()[0].isupper():
            return True
        if nxt.group().lower() not in _CONNECTORS:
            return False
    return False


def _headline_case(piece: str, words: Sequence[_Word]) -> bool:
    """A title-case headline: nearly every word capitalised and no final full stop."""
    caps = sum(w.group()[0].isupper() for w in words)
    return len(words) >= 4 and caps > 0.6 * len(words) and not piece.rstrip().endswith(".")


def _joined(piece: str, before: _Word, after: _Word) -> bool:
    return piece[before.end():after.start()] in ("", " ", "-", " '", "' ", "’ ")


def _judge(run: list[_Word], piece: str, offset: int, casing: Casing) -> list[NameRun]:
    """The name in a run, if any: leading titles and common words dropped, trailing connectors
    dropped, kept only with a name word or a body's head noun."""
    words = [w.group().rstrip(".") if not w.group().isupper() else w.group() for w in run]
    while words and words[-1].lower() in _CONNECTORS:
        words, run = words[:-1], run[:-1]
    while words and words[0].lower() in _DETERMINERS:
        words, run = words[1:], run[1:]
    if not words:
        return []
    heads = [w.lower() for w in words]
    if any(c.isdigit() for w in words for c in w):  # "F-35A", "SM-6": a thing, not an actor
        return [NameRun(offset + run[0].start(), offset + run[-1].end(), " ".join(words),
                        "other", place=True)]
    if heads[-1] in PLACE_HEADS or heads[-1].rstrip("s") in PLACE_HEADS:
        return [NameRun(offset + run[0].start(), offset + run[-1].end(), " ".join(words),
                        "other", place=True)]
    before_of = next((i for i, h in enumerate(heads) if h in _CONNECTORS), len(heads)) - 1
    org = len(words) >= 2 and (heads[-1] in ORG_HEADS or heads[0] in ORG_HEADS
                               or heads[max(before_of, 0)] in ORG_HEADS)
    cut = 0
    while cut < len(words) - 1 and not org and (heads[cut] in TITLES or casing.is_common(
            words[cut]) or heads[cut] in _CONNECTORS):
        cut += 1
    words, run, heads = words[cut:], run[cut:], heads[cut:]
    names = [casing.is_name_word(w) for w in words]
    if not any(names) and not org:
        return []
    start, end = offset + run[0].start(), offset + run[-1].end()
    end = start + len(piece[run[0].start():run[-1].end()].rstrip("."))
    if org:
        kind = "armed_forces" if heads[-1] in ARMY_HEADS else "organisation"
    elif len(words) == 1:
        people = _PEOPLE.match(piece, run[-1].end())
        if _DEMONYM.search(heads[0]) and people:  # "the Venezuelan people": a named people
            return [NameRun(start, offset + people.end(), words[0] + " people", "group")]
        if _DEMONYM.search(heads[0]) and _followed_by_lower(piece, run[-1]):
            return []  # "Russian journalist": an adjective, not an actor
        # a lone word of unknown kind ("Filipov", "Hurrah") is kept only where it is part of a
        # person's full name elsewhere in the document (see entities._group)
        kind = "organisation" if words[0].isupper() and len(words[0]) > 1 else "other"
    elif all(names) and len(words) <= 4:
        kind = "person"
    else:
        kind = "other"
    name = " ".join(piece[run[0].start():run[-1].end()].rstrip(".").split())
    return [NameRun(start, end, name, kind)]


def _followed_by_lower(piece: str, word: _Word) -> bool:
    rest = piece[word.end():word.end() + 20].lstrip()
    return bool(rest) and rest[0].islower()
