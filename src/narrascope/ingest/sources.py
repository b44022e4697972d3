"""The sources file (TOML): one [[source]] table per outlet."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from narrascope.errors import NarrascopeError
from narrascope.model import SOURCE_KINDS, Source

_KEYS = {"name", "url", "feed", "country", "kind", "language"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def load_sources(path: Path) -> list[Source]:
    """Parse and validate a sources file; any problem names the file and the table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NarrascopeError(f"{path}: no such sources file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise NarrascopeError(f"{path}: not a valid TOML file: {exc}") from exc
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise NarrascopeError(f"{path}: no [[source]] tables found; see the README for the format")
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
