"""The actors file: who an analyst's material names, under every form and in every language.

An actors file (TOML) has one ``[[actor]]`` table per actor: ``id``, canonical ``name``, ``kind``
(person, organisation, country, armed_forces, alliance, group), ``aliases`` (names in any
language) and, optionally, ``titles`` (phrases that stand for the actor only in a document that
names it: "the General Secretary", "장군님"). narrascope ships one
(``lexicons/actors.toml``); ``--actors FILE`` adds the analyst's own, whose entries extend or
override the shipped ones by ``id``.

Alias rules: an alias with an upper-case letter matches case-sensitively ("US" is not "us"), an
all-lower-case one in any case; aliases match whole words; a trailing ``*`` makes a stem that
takes up to four more letters; Russian aliases are written in the nominative and matched on
lemmas (so "Курской области" finds "Курская область"); Korean aliases match with particles and
honorifics after them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from narrascope.config import PACKAGE_DIR
from narrascope.errors import NarrascopeError

ACTOR_KINDS = ("person", "organisation", "country", "armed_forces", "alliance", "group")
SHIPPED_ACTORS = PACKAGE_DIR / "lexicons" / "actors.toml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LETTER = r"[\w\u0900-\u0dff]"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD_START = re.compile(rf"(?<!{_LETTER}){_LETTER}|(?<=[a-z])[A-Z]")


@dataclass(frozen=True)
class Actor:
    """One actor of an actors file."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class AliasMatch:
    """An alias (or, when `title`, a title) of an actor found in a text (end exclusive)."""

    start: int
    end: int
    actor: Actor
    title: bool = False


def _parse_actor(raw: object, path: Path, index: int) -> Actor:
    where = f"{path}: actor {index + 1}"
    if not isinstance(raw, dict):
        raise NarrascopeError(f"{where}: each [[actor]] must be a table")
    actor_id, name, kind = raw.get("id"), raw.get("name"), raw.get("kind", "organisation")
    if not isinstance(actor_id, str) or not _ID.match(actor_id):
        raise NarrascopeError(f"{where}: `id` must be lower-case letters, digits and hyphens")
    if not isinstance(name, str) or not name.strip():
        raise NarrascopeError(f"{where} ({actor_id}): `name` is required")
    if kind not in ACTOR_KINDS:
        raise NarrascopeError(f"{where} ({actor_id}): `kind` {kind!r} is not one of "
                              f"{', '.join(ACTOR_KINDS)}")
    lists = []
    for key in ("aliases", "titles"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise NarrascopeError(f"{where} ({actor_id}): `{key}` must be a list of strings")
        lists.append(tuple(dict.fromkeys(v.strip() for v in value if v.strip())))
    aliases = tuple(dict.fromkeys((name.strip(), *lists[0])))
    return Actor(actor_id, name.strip(), kind, aliases, lists[1])


def read_actors(path: Path) -> list[Actor]:
    """The actors of one file, with a one-line error naming the file when it is malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NarrascopeError(f"{path}: actors file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise NarrascopeError(f"{path}: not a valid TOML actors file ({exc})") from None
    entries = data.get("actor", [])
    if not isinstance(entries, list):
        raise NarrascopeError(f"{path}: expected [[actor]] tables")
    return [_parse_actor(raw, path, i) for i, raw in enumerate(entries)]


def load_actors(extra: Sequence[Path] = (), *, shipped: bool = True) -> list[Actor]:
    """The shipped actors, extended (or overridden by id) by each extra file in turn."""
    by_id: dict[str, Actor] = {}
    for path in ([SHIPPED_ACTORS] if shipped else []) + list(extra):
        for actor in read_actors(path):
            by_id[actor.id] = actor
    return list(by_id.values())


def _pattern(form: str) -> re.Pattern[str]:
    """A surface form as a pattern matched at a word start."""
    stem = form.endswith("*")
    parts = form.rstrip("*").split()
    body = r"\s*".join(re.escape(p) for p in parts) if HANGUL.search(form) else \
        r"\s+".join(re.escape(p) for p in parts)
    if HANGUL.search(form):
        tail = ""  # particles and honorifics follow Korean names directly
    elif len(parts) > 1 and parts[-1][-1:].isalpha():
        tail = ""  # "ComradeKim Jong Unwas": a glued name still ends where its last word does
    elif stem:
        tail = rf"{_LETTER}{{0,4}}(?!{_LETTER})"
    else:
        # "GeneralKim Il SungSquare": scraped text glues words; a name ending in a small letter
        # may be followed by a capital
        tail = rf"(?:(?!{_LETTER})|(?<=[a-z])(?=[A-Z]))" if parts[-1][-1:].isalnum() else ""
    cased = any(c.isupper() for c in form)
    return re.compile(body + tail, 0 if cased else re.IGNORECASE)


class ActorCatalog:
    """Compiled aliases and titles of a list of actors, for finding them in texts."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors = list(actors)
        self.by_id = {a.id: a for a in self.actors}
        # forms indexed by their first two letters (lower-cased), tried at each word start
        self._forms: dict[str, list[tuple[re.Pattern[str], Actor, bool]]] = {}
        self._lemma_forms: dict[str, list[tuple[tuple[str, ...], Actor, bool]]] = {}
        for actor in self.actors:
            for forms, title in ((actor.aliases, False), (actor.titles, True)):
                for form in forms:
                    if len(form.rstrip("*")) < 2:
                        continue
                    self._forms.setdefault(form[:2].lower(), []).append(
                        (_pattern(form), actor, title))
                    if CYRILLIC.search(form) and not form.endswith("*"):
                        self._lemma_forms.setdefault("", []).append(
                            (tuple(form.split()), actor, title))

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> ActorCatalog:
        return cls(load_actors(extra))

    def match(self, text: str) -> list[AliasMatch]:
        """Every alias and title found at a word start of `text` (overlaps included)."""
        found = []
        for word in _WORD_START.finditer(text):
            at = word.start()
            for pattern, actor, title in self._forms.get(text[at:at + 2].lower(), ()):
                m = pattern.match(text, at)
                if m:
                    found.append(AliasMatch(at, m.end(), actor, title))
        return found

    def lemma_forms(self) -> list[tuple[tuple[str, ...], Actor, bool]]:
        """The Cyrillic aliases and titles as word tuples, for matching on lemmas."""
        return self._lemma_forms.get("", [])
