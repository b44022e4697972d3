"""Settings, loaded once and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB = "narrascope.db"
PACKAGE_DIR = Path(__file__).resolve().parent


def _default_data_dir() -> Path:
    env = os.environ.get("NARRASCOPE_DATA")
    if env:
        return Path(env)
    # ../shared/data relative to the repository root (src/narrascope -> repo root is two up)
    return PACKAGE_DIR.parent.parent.parent / "shared" / "data"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about its environment."""

    db: str = field(default_factory=lambda: os.environ.get("NARRASCOPE_DB", DEFAULT_DB))
    data_dir: Path = field(default_factory=_default_data_dir)
    model_dir: Path = PACKAGE_DIR / "models"
    allow_private: bool = False
    max_bytes: int = 5_000_000
    fetch_timeout: float = 20.0
    max_text_chars: int = 200_000

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL of the store: a path becomes a SQLite URL."""
        if "://" in self.db:
            return self.db
        return f"sqlite:///{Path(self.db).expanduser().resolve()}"
