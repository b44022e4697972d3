"""Reading the analyst's TOML files (sources, codebooks) with errors that name the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError


def read_tables(path: Path, table: str, what: str) -> list[dict[str, Any]]:
    """The `[[table]]` entries of a TOML file; `what` names the file's role in errors."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise NarrascopeError(f"{path}: no such {what} file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise NarrascopeError(f"{path}: not a valid TOML file: {exc}") from exc
    tables = data.get(table)
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise NarrascopeError(f"{path}: no [[{table}]] tables; see the README for the format")
    return tables
