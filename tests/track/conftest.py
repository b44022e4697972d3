"""A real SQLite store filled through the store's own repository functions, for the trackers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import pytest

from narrascope.config import Settings
from narrascope.model import Annotation, Document, Source
from narrascope.store import repo
from narrascope.store.annotations import save_results
from narrascope.store.db import Store, open_store
from narrascope.store.schema import stories, story_documents

SOURCES = [
    Source("Agency KP", country="KP", kind="state-media"),
    Source("Agency RU", country="RU", kind="state-media"),
    Source("Ministry", country="RU", kind="government"),
    Source("Ledger", country="GB", kind="independent"),
]


@dataclass
class StoreBuilder:
    """Adds documents with their annotations, and stories, to a real store."""

    store: Store
    count: int = 0
    story_seq: dict[int, int] = field(default_factory=dict)

    def doc(self, source: str, day: date | None, labels: dict[str, tuple[str, ...]],
            evidence: str | None = None, score: float = 0.8, url: str | None = None) -> int:
        """A document of `source` published on `day`, annotated with labels by kind
        ({"theme": ("a", "b"), "narrative": (...)}); returns its id."""
        self.count += 1
        text = evidence or f"Document number {self.count} from {source}."
        text_hash = hashlib.sha256(f"{self.count}:{text}".encode()).hexdigest()
        with self.store.transaction() as conn:
            doc_id = repo.insert_document(
                conn, Document(text, origin="test", external_id=f"t{self.count}",
                               title=f"Title {self.count}", url=url or
                               f"https://news.example/{self.count}", published=day),
                language="en", text_hash=text_hash, source_id=repo.source_id(conn, source),
                minhash=None, near_duplicate_of=None, near_duplicate_similarity=None)
            found = [Annotation(kind, label, score, 0, len(text), text,
                                {"theme_label": label.title()} if kind == "theme" else {})
                     for kind, names in labels.items() for label in names]
            save_results(conn, doc_id, "test.v1", "1", "h", found)
        return doc_id

    def story(self, story_id: int, label: str, doc_ids: list[int]) -> None:
        with self.store.transaction() as conn:
            conn.execute(stories.insert().values(id=story_id, label=label,
                                                 label_document_id=doc_ids[0], size=len(doc_ids)))
            for doc_id in doc_ids:
                seq = self.story_seq[story_id] = self.story_seq.get(story_id, 0) + 1
                conn.execute(story_documents.insert().values(
                    document_id=doc_id, story_id=story_id, similarity=0.9 - seq / 100,
                    seq=seq))


@contextmanager
def open_builder(db: str) -> Iterator[StoreBuilder]:
    """A builder on the store at `db`, with the sources of SOURCES."""
    store = open_store(Settings(db=db).db_url)
    with store.transaction() as conn:
        for source in SOURCES:
            repo.upsert_source(conn, source)
    try:
        yield StoreBuilder(store)
    finally:
        store.close()


@pytest.fixture
def builder(db: str) -> Iterator[StoreBuilder]:
    with open_builder(db) as built:
        yield built
