"""The named actors a document mentions: people, organisations, countries, armed forces,
alliances and named groups, each with all its mentions, merged per document.

Sources, in order of trust:
1. the actors file (:mod:`actors`): every alias in any language and, where the actor is named in
   the document, its titles ("the General Secretary"); Russian aliases also on lemmas;
2. per language: natasha's Russian NER (names put in the nominative), kiwipiepy's Korean proper
   nouns marked as people, and for other scripts with capitals the name runs of
   :mod:`entities_en`.
Places are not actors: a place name ("Kim Il Sung Square", a Russian LOC that is no country in
the actors file) is dropped with everything inside it; so are bare datelines ("Pyongyang,
December 24 (KCNA) --") and names of unknown kind that are a single word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from narrascope.detect.actors import CYRILLIC, HANGUL, Actor, ActorCatalog, AliasMatch
from narrascope.detect.entities_en import Casing, capitalised_runs
from narrascope.detect.entities_ko import KoreanNames
from narrascope.detect.entities_ru import RussianNames
from narrascope.model import Sentence

KINDS = ("person", "organisation", "country", "armed_forces", "alliance", "group", "other")
_CATALOG, _NER, _RUN = 0, 1, 2
_TITLE_GAP = 30  # a title this close before its actor's own name is part of that mention
_DATELINE = re.compile(
    r"^[ \t]*(?:[A-Z][\w.' -]{1,40}|[А-ЯЁ][А-ЯЁа-яё.' -]{1,40}),?[ \t]+"
    r"(?:\w+[ \t]+\d{1,2}|\d{1,2}[ \t]+\w+)\.?(?:[ \t,]+\d{4})?[ \t]*"
    r"(?:\([^)\n]{1,40}\)[ \t]*(?:--|—|–|-)|(?:--|—|–|-)[ \t]*[^.\n]{1,40}\.)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Entity:
    """One actor of a document and every mention of it (start, end exclusive); `actor_id` is
    its id in the actors file, when it is there."""

    name: str
    kind: str
    mentions: tuple[tuple[int, int], ...]
    actor_id: str | None = None


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    kind: str
    key: str  # candidates with the same key are one entity
    source: int
    name: str
    actor: Actor | None = None


def datelines(text: str) -> list[tuple[int, int]]:
    """Wire-service datelines at line starts: "Pyongyang, December 24 (KCNA) --",
    "МОСКВА, 12 ноя — РИА Новости."."""
    return [(m.start(), m.end()) for m in _DATELINE.finditer(text[:20_000])]


class EntityFinder:
    """Finds and merges a document's actors; the language models load on first use."""

    def __init__(
        self,
        catalog: ActorCatalog | None = None,
        casing: Casing | None = None,
        use_ner: bool = True,
    ) -> None:
        self.catalog = catalog or ActorCatalog.load()
        self.casing = casing or Casing()
        self._russian = RussianNames()
        self._korean = KoreanNames()
        self._russian.available = self._korean.available = use_ner

    def find(self, text: str, language: str, sentences: Sequence[Sentence]) -> list[Entity]:
        """The document's actors, in order of first mention."""
        language = (language or "").lower()
        matches = self.catalog.match(text)
        candidates: list[_Candidate] = []
        places: list[tuple[int, int]] = list(datelines(text))
        russian = language == "ru" or (not language and bool(CYRILLIC.search(text[:2000])))
        if russian:
            matches += self._russian.alias_matches(text, self.catalog)
        if russian and self._russian.available:
            for name in self._russian.names(text):
                if name.kind == "place":
                    places.append((name.start, name.end))
                else:
                    candidates.append(_found(name, _NER))
        elif language == "ko" or HANGUL.search(text[:2000]):
            candidates += [_found(name, _NER) for name in self._korean.names(text)]
        elif any(c.isupper() for c in text[:2000]):
            for run in capitalised_runs(text, sentences, self.casing):
                if run.place:
                    places.append((run.start, run.end))
                else:
                    candidates.append(_found(run, _RUN))
        candidates += _catalog_candidates(matches, places)
        kept = [c for c in candidates if not _inside_any(c, places) or c.source == _CATALOG]
        return _group(_resolve_overlaps(kept))


def _inside_any(c: _Candidate, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= c.start and c.end <= e for s, e in spans)


def _catalog_candidates(
    matches: list[AliasMatch], blocked: Sequence[tuple[int, int]]
) -> list[_Candidate]:
    """Alias matches, and title matches of actors the document names by an alias (a title right
    before its actor's name is left out: the name is the mention)."""
    aliases = [m for m in matches if not m.title and not _blocked(m, blocked)]
    named = {m.actor.id for m in aliases}
    out = [_from_alias(m) for m in aliases]
    for m in matches:
        if not m.title or m.actor.id not in named or _blocked(m, blocked):
            continue
        if any(a.actor.id == m.actor.id and 0 <= a.start - m.end <= _TITLE_GAP for a in aliases):
            continue
        out.append(_from_alias(m))
    return out


def _blocked(m: AliasMatch, spans: Sequence[tuple[int, int]]) -> bool:
    """Inside a place name or a dateline, but not the whole of it (what the actors file names
    is an actor, whatever a NER model calls it)."""
    return any(s <= m.start and m.end <= e and (m.end - m.start) < (e - s) for s, e in spans)


class _Named(Protocol):
    """A name a language's finder found."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...


def _found(name: _Named, source: int) -> _Candidate:
    return _Candidate(name.start, name.end, name.kind, _name_key(name.name, name.kind), source,
                      name.name)


def _from_alias(m: AliasMatch) -> _Candidate:
    return _Candidate(m.start, m.end, m.actor.kind, "a:" + m.actor.id, _CATALOG, m.actor.name,
                      m.actor)


def _name_key(name: str, kind: str) -> str:
    words = [w.lower().strip(".'’") for w in name.split()]
    return ("p:" if kind == "person" else "o:") + " ".join(words)


def _resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """One candidate per stretch of text. The actors file wins over a name found by a model or
    by capitals, except that a body's name around a country ("Ministry of Foreign Affairs of
    the DPRK", "Министерство обороны России") stays whole, the country inside it kept as a
    mention of the country; otherwise the longest wins."""
    catalog = [c for c in candidates if c.source == _CATALOG]
    out = [c for c in candidates if c.source == _CATALOG]
    dropped: set[int] = set()
    for c in candidates:
        if c.source == _CATALOG:
            continue
        inner = [i for i, k in enumerate(catalog) if k.start < c.end and c.start < k.end]
        if not inner:
            out.append(c)
            continue
        around = all(
            c.start <= catalog[i].start
            and catalog[i].end <= c.end
            and (catalog[i].end - catalog[i].start) < (c.end - c.start)
            and catalog[i].kind in ("country", "alliance")
            for i in inner
        )
        if around and c.kind in ("organisation", "armed_forces"):
            out.append(c)
            dropped.update(id(catalog[i]) for i in inner)
    out = [c for c in out if id(c) not in dropped]
    ranked = sorted(out, key=lambda c: (c.source != _CATALOG, -(c.end - c.start), c.start))
    kept: list[_Candidate] = []
    for c in ranked:
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    # a country inside a body's name stays a mention of the country
    nested = [
        c
        for c in catalog
        if c.kind in ("country", "alliance")
        and all(c is not k for k in kept)
        and any(
            k.start <= c.start and c.end <= k.end and k.kind in ("organisation", "armed_forces")
            for k in kept
        )
    ]
    return sorted(kept + nested, key=lambda c: c.start)


def _group(candidates: list[_Candidate]) -> list[Entity]:
    """One entity per key; a one-word name joins the only person of the document whose first
    or last name it is; one-word names of unknown kind are left out."""
    people: dict[str, list[str]] = {}
    for c in candidates:
        if c.kind == "person" and c.source != _CATALOG and len(c.name.split()) > 1:
            words = c.name.split()
            for w in (words[0], words[-1]):
                people.setdefault(w.lower(), []).append(c.key)
    groups: dict[str, list[_Candidate]] = {}
    for c in candidates:
        key = c.key
        if c.source != _CATALOG and len(c.name.split()) == 1:
            owners = set(people.get(c.name.lower(), ()))
            if len(owners) == 1:
                key = owners.pop()
            elif c.kind == "other":
                continue
        groups.setdefault(key, []).append(c)
    entities = []
    for members in groups.values():
        first = members[0]
        actor = next((m.actor for m in members if m.actor is not None), None)
        if actor is not None:
            name, kind = actor.name, actor.kind
        else:
            name = max((m.name for m in members), key=len)
            kinds = {m.kind for m in members}
            kind = next((k for k in KINDS if k in kinds), first.kind)
        if kind == "other":
            continue
        entities.append(
            Entity(
                name, kind, tuple((m.start, m.end) for m in members), actor.id if actor else None
            )
        )
    return entities


def find_entities(
    text: str, language: str, sentences: Sequence[Sentence], finder: EntityFinder | None = None
) -> list[Entity]:
    """The actors of one document; pass a long-lived `finder` to load the models once."""
    return (finder or EntityFinder()).find(text, language, sentences)
