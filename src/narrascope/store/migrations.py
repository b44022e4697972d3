"""Versioned schema migrations, registered in order with a decorator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect, select

from narrascope.store import schema

MigrationFn = Callable[[Connection], None]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: MigrationFn


MIGRATIONS: list[Migration] = []


def migration(version: int, name: str) -> Callable[[MigrationFn], MigrationFn]:
    """Register `fn` as the step that brings the schema to `version`."""

    def register(fn: MigrationFn) -> MigrationFn:
        if any(m.version == version for m in MIGRATIONS):
            raise ValueError(f"migration {version} registered twice")
        MIGRATIONS.append(Migration(version, name, fn))
        MIGRATIONS.sort(key=lambda m: m.version)
        return fn

    return register


@migration(1, "initial schema")
def _initial(conn: Connection) -> None:
    # Version 1 is the shape in schema.py at the time of writing; later changes to that shape
    # need a migration of their own with explicit DDL, never an edit of this one.
    tables = [t for name, t in schema.metadata.tables.items() if name in _V1_TABLES]
    schema.metadata.create_all(conn, tables=tables)


_V1_TABLES = ("sources", "documents", "doc_bands", "sentences", "embeddings", "annotations",
              "analysis_runs")


@migration(2, "stories")
def _stories(conn: Connection) -> None:
    schema.metadata.create_all(
        conn, tables=[schema.stories, schema.story_documents, schema.tracker_state]
    )


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    versions = conn.execute(select(schema.schema_migrations.c.version)).scalars().all()
    return max(versions, default=0)


def migrate(conn: Connection) -> list[int]:
    """Apply every pending migration in its own step; return the versions applied."""
    schema.schema_migrations.create(conn, checkfirst=True)
    done = current_version(conn)
    applied = []
    for m in MIGRATIONS:
        if m.version <= done:
            continue
        m.apply(conn)
        conn.execute(
            schema.schema_migrations.insert().values(
                version=m.version, name=m.name, applied_at=datetime.now(UTC).isoformat()
            )
        )
        applied.append(m.version)
    return applied


def latest_version() -> int:
    return MIGRATIONS[-1].version
