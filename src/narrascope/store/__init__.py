"""The store: schema, migrations and repository functions (SQLite by default, PostgreSQL by URL)."""

from narrascope.store.db import Store, open_store

__all__ = ["Store", "open_store"]
