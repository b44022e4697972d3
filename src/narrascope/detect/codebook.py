"""The analyst's codebook (TOML): themes with a label, a description and example sentences."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from narrascope.errors import NarrascopeError
from narrascope.tomlfile import read_tables

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    description: str = ""
    examples: tuple[str, ...] = ()

    def prototypes(self) -> list[str]:
        """The texts a matching sentence is compared with."""
        texts = [self.description or self.label, *self.examples]
        return [t for t in texts if t.strip()]


@dataclass(frozen=True)
class Codebook:
    themes: tuple[Theme, ...]
    origin: str = ""

    @property
    def hash(self) -> str:
        payload = json.dumps([asdict(t) for t in self.themes], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def merged(self, other: Codebook) -> Codebook:
        ids = {t.id for t in self.themes}
        clash = [t.id for t in other.themes if t.id in ids]
        if clash:
            raise NarrascopeError(f"{other.origin}: theme ids already defined in "
                                  f"{self.origin}: {', '.join(clash)}")
        return Codebook(self.themes + other.themes, f"{self.origin}, {other.origin}")


def load_codebook(path: Path) -> Codebook:
    """Read and validate a codebook file; errors name the file and the theme."""
    tables = read_tables(path, "theme", "codebook")
    themes = []
    seen: set[str] = set()
    for i, table in enumerate(tables, start=1):
        where = f"{path}: theme #{i}"
        theme_id = table.get("id")
        if not isinstance(theme_id, str) or not _ID.match(theme_id):
            raise NarrascopeError(f"{where}: \"id\" must be a short identifier such as "
                                  "\"nk-troops-heroism\"")
        if theme_id in seen:
            raise NarrascopeError(f"{where}: id {theme_id!r} appears twice")
        seen.add(theme_id)
        label = table.get("label", theme_id)
        examples = table.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise NarrascopeError(f"{where} ({theme_id}): \"examples\" must be a list of strings")
        description = table.get("description", "")
        if not str(description).strip() and not examples:
            raise NarrascopeError(f"{where} ({theme_id}): give a description or examples to "
                                  "match against")
        themes.append(Theme(theme_id, str(label), str(description), tuple(examples)))
    return Codebook(tuple(themes), str(path))


def load_codebooks(paths: list[Path]) -> Codebook:
    books = [load_codebook(p) for p in paths]
    merged = books[0]
    for book in books[1:]:
        merged = merged.merged(book)
    return merged
