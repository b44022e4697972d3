"""Opening the store: one engine per process, SQLite tuned for one writer and many readers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from narrascope.errors import NarrascopeError
from narrascope.store.migrations import migrate


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Store:
    """The database behind narrascope: an engine plus the guarantee that the schema is current."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, future=True)
        except (ArgumentError, NoSuchModuleError) as exc:
            raise NarrascopeError(
                f"cannot open database {url!r}: {exc}. Give a file path or a URL such as "
                "postgresql+psycopg://user@host/db (install narrascope[postgres] for PostgreSQL)."
            ) from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            with self.engine.begin() as conn:
                migrate(conn)
        except OperationalError as exc:
            raise NarrascopeError(f"cannot open database {url!r}: {exc.orig}") from exc

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection whose work is committed together, or not at all."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str) -> Store:
    return Store(url)
