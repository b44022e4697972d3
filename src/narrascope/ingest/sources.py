"""The sources file (TOML): one [[source]] table per outlet."""

from __future__ import annotations

import re
from pathlib import Path

from narrascope.errors import NarrascopeError
from narrascope.model import SOURCE_KINDS, Source
from narrascope.tomlfile import read_tables

_KEYS = {"name", "url", "feed", "country", "kind", "language"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def load_sources(path: Path) -> list[Source]:
    """Parse and validate a sources file; any problem names the file and the table."""
    tables = read_tables(path, "source", "sources")
    out = []
    for i, table in enumerate(tables, start=1):
        where = f"{path}: source #{i}"
        unknown = set(table) - _KEYS
        if unknown:
            raise NarrascopeError(f"{where}: unknown keys {sorted(unknown)}; allowed: "
                                  f"{sorted(_KEYS)}")
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise NarrascopeError(f"{where}: \"name\" is required")
        kind = table.get("kind", "other")
        if kind not in SOURCE_KINDS:
            raise NarrascopeError(f"{where} ({name}): kind {kind!r} is not one of "
                                  f"{', '.join(SOURCE_KINDS)}")
        country = table.get("country")
        if country is not None and not _COUNTRY.match(str(country).upper()):
            raise NarrascopeError(f"{where} ({name}): country {country!r} is not an ISO 3166 "
                                  "alpha-2 code such as RU or KP")
        out.append(
            Source(
                name=name.strip(),
                url=table.get("url"),
                feed=table.get("feed"),
                country=str(country).upper() if country else None,
                kind=kind,
                language=table.get("language"),
            )
        )
    return out
