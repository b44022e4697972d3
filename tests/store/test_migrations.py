from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from narrascope.errors import NarrascopeError
from narrascope.store import Store
from narrascope.store.migrations import MIGRATIONS, latest_version, migration


def test_fresh_store_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    with store.read() as conn:
        tables = set(inspect(conn).get_table_names())
        versions = conn.execute(text("SELECT version FROM schema_migrations")).scalars().all()
        mode = conn.execute(text("PRAGMA journal_mode")).scalar_one()
    assert {"sources", "documents", "sentences", "embeddings", "annotations",
            "analysis_runs", "doc_bands"} <= tables
    assert versions == list(range(1, latest_version() + 1))
    assert mode == "wal"


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    Store(url).close()
    store = Store(url)
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM schema_migrations")).scalar_one() == len(
            MIGRATIONS)


def test_annotation_records_detector_and_version() -> None:
    cols = {c["name"] for c in inspect(Store("sqlite://").engine).get_columns("annotations")}
    assert {"detector", "detector_version", "kind", "label", "score", "start", "end"} <= cols


def test_duplicate_migration_version_is_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        migration(1, "again")(lambda conn: None)


def test_bad_database_url_is_a_clear_error() -> None:
    with pytest.raises(NarrascopeError, match="cannot open database"):
        Store("nosuchdialect://x")


def test_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NarrascopeError, match="cannot open database"):
        Store(f"sqlite:///{tmp_path / 'missing-folder' / 'a.db'}")
