"""Groups of sources compared by the convergence detector, and their command-line syntax."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

from narrascope.errors import NarrascopeError

RULE_KEYS = {"kind": "source_kinds", "country": "countries", "source": "sources"}
GROUP_SYNTAX = ('NAME=RULE[,RULE...] with RULE one of kind:KIND, country:CC, source:NAME '
                '(e.g. "ru=country:RU,kind:state-media")')


class Placed(Protocol):
    """Anything that knows its source, kind of source and country (documents, findings)."""

    @property
    def source(self) -> str | None: ...
    @property
    def source_kind(self) -> str: ...
    @property
    def country(self) -> str | None: ...


@dataclass(frozen=True)
class SourceGroup:
    """A named set of sources. A source belongs when it passes every kind of rule given; rules
    of one kind are alternatives (country:RU,country:BY means either)."""

    name: str
    source_kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def matches(self, item: Placed) -> bool:
        country = (item.country or "").upper()
        return ((not self.source_kinds or item.source_kind in self.source_kinds)
                and (not self.countries or country in self.countries)
                and (not self.sources or item.source in self.sources))

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "source_kinds": list(self.source_kinds),
                "countries": list(self.countries), "sources": list(self.sources)}


def parse_group(text: str) -> SourceGroup:
    """A group from its command-line form, NAME=RULE[,RULE...]."""
    name, sep, rules = text.partition("=")
    if not sep or not name.strip() or not rules.strip():
        raise NarrascopeError(f"group {text!r}: expected {GROUP_SYNTAX}")
    values: dict[str, list[str]] = {field: [] for field in RULE_KEYS.values()}
    for rule in rules.split(","):
        key, colon, value = rule.partition(":")
        field = RULE_KEYS.get(key.strip().lower())
        if not colon or field is None or not value.strip():
            raise NarrascopeError(f"group {text!r}: bad rule {rule!r}; expected {GROUP_SYNTAX}")
        value = value.strip()
        values[field].append(value.upper() if field == "countries" else value)
    return SourceGroup(name.strip(), tuple(values["source_kinds"]), tuple(values["countries"]),
                       tuple(values["sources"]))


def state_media_group(country: str) -> SourceGroup:
    return SourceGroup(f"state-media of {country}", ("state-media",), (country,))


def state_media_pairs(items: Iterable[Placed]) -> list[tuple[SourceGroup, SourceGroup]]:
    """The default comparison: the state media of every two countries that have some."""
    countries = sorted({(i.country or "").upper() for i in items
                        if i.source_kind == "state-media" and i.country})
    return [(state_media_group(a), state_media_group(b)) for a, b in combinations(countries, 2)]
