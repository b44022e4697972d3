"""Repository functions: every read and write of documents, sources and sentences goes here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select

from narrascope.model import Document, Sentence, Source, StoredDocument
from narrascope.store.schema import doc_bands, documents, sentences, sources


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def upsert_source(conn: Connection, source: Source) -> int:
    """Insert the source or update the fields it gives; return its id."""
    values = {
        "url": source.url,
        "feed": source.feed,
        "country": source.country,
        "kind": source.kind,
        "language": source.language,
    }
    existing = source_id(conn, source.name)
    if existing is None:
        result = conn.execute(sources.insert().values(name=source.name, **values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]
    conn.execute(sources.update().where(sources.c.id == existing).values(**values))
    return existing


def source_id(conn: Connection, name: str) -> int | None:
    row = conn.execute(select(sources.c.id).where(sources.c.name == name)).first()
    return None if row is None else int(row[0])


def ensure_source(conn: Connection, name: str) -> int:
    """The id of a source by name, created with default metadata when unknown."""
    existing = source_id(conn, name)
    if existing is not None:
        return existing
    result = conn.execute(sources.insert().values(name=name))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def list_sources(conn: Connection) -> list[tuple[Source, int]]:
    """Every source with the number of documents it holds."""
    counts = (
        select(documents.c.source_id, func.count().label("n"))
        .group_by(documents.c.source_id)
        .subquery()
    )
    rows = conn.execute(
        select(sources, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.source_id == sources.c.id)
        .order_by(sources.c.name)
    ).all()
    return [
        (
            Source(
                name=r.name, url=r.url, feed=r.feed, country=r.country, kind=r.kind,
                language=r.language,
            ),
            int(r[-1]),
        )
        for r in rows
    ]


def document_id_by_hash(conn: Connection, text_hash: str) -> int | None:
    row = conn.execute(select(documents.c.id).where(documents.c.text_hash == text_hash)).first()
    return None if row is None else int(row[0])


def insert_document(
    conn: Connection,
    doc: Document,
    *,
    language: str,
    text_hash: str,
    source_id: int | None,
    minhash: bytes | None,
    near_duplicate_of: int | None,
    near_duplicate_similarity: float | None,
) -> int:
    result = conn.execute(
        documents.insert().values(
            external_id=doc.external_id,
            source_id=source_id,
            title=doc.title,
            url=doc.url,
            published=doc.published,
            language=language,
            text=doc.text,
            text_hash=text_hash,
            near_duplicate_of=near_duplicate_of,
            near_duplicate_similarity=near_duplicate_similarity,
            minhash=minhash,
            origin=doc.origin,
            ingested_at=now_iso(),
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def insert_bands(conn: Connection, document_id: int, band_keys: Iterable[str]) -> None:
    rows = [{"band_key": k, "document_id": document_id} for k in band_keys]
    if rows:
        conn.execute(doc_bands.insert(), rows)


def band_candidates(conn: Connection, band_keys: Sequence[str]) -> list[tuple[int, bytes]]:
    """Documents sharing at least one band key, with their MinHash signatures."""
    if not band_keys:
        return []
    ids = select(doc_bands.c.document_id).where(doc_bands.c.band_key.in_(band_keys)).distinct()
    rows = conn.execute(
        select(documents.c.id, documents.c.minhash, documents.c.near_duplicate_of)
        .where(documents.c.id.in_(ids))
        .order_by(documents.c.id)
    ).all()
    return [(int(r.id), bytes(r.minhash)) for r in rows if r.minhash is not None]


def original_of(conn: Connection, document_id: int) -> int:
    """Follow near-duplicate links back to the first document of the chain."""
    seen = set()
    current = document_id
    while current not in seen:
        seen.add(current)
        row = conn.execute(
            select(documents.c.near_duplicate_of).where(documents.c.id == current)
        ).first()
        if row is None or row[0] is None:
            return current
        current = int(row[0])
    return current


def insert_sentences(conn: Connection, document_id: int, spans: Sequence[Sentence]) -> None:
    rows = [
        {"document_id": document_id, "idx": i, "start": s.start, "end": s.end}
        for i, s in enumerate(spans)
    ]
    if rows:
        conn.execute(sentences.insert(), rows)


def load_sentences(
    conn: Connection, document_ids: Sequence[int]
) -> dict[int, list[tuple[int, Sentence]]]:
    """Sentence ids and spans per document, in text order."""
    out: dict[int, list[tuple[int, Sentence]]] = {d: [] for d in document_ids}
    if not document_ids:
        return out
    rows = conn.execute(
        select(sentences.c.id, sentences.c.document_id, sentences.c.start, sentences.c.end)
        .where(sentences.c.document_id.in_(document_ids))
        .order_by(sentences.c.document_id, sentences.c.idx)
    ).all()
    for r in rows:
        out[int(r.document_id)].append((int(r.id), Sentence(int(r.start), int(r.end))))
    return out


def _document_query() -> Select[Any]:
    return select(
        documents.c.id,
        documents.c.text,
        documents.c.language,
        documents.c.title,
        documents.c.url,
        documents.c.published,
        documents.c.near_duplicate_of,
        sources.c.name.label("source"),
        sources.c.kind.label("source_kind"),
        sources.c.country,
    ).outerjoin(sources, sources.c.id == documents.c.source_id)


def _to_stored(r) -> StoredDocument:  # type: ignore[no-untyped-def]
    return StoredDocument(
        id=int(r.id),
        text=r.text,
        language=r.language,
        title=r.title,
        url=r.url,
        published=r.published,
        source=r.source,
        source_kind=r.source_kind,
        country=r.country,
        near_duplicate_of=r.near_duplicate_of,
    )


def load_documents(conn: Connection, document_ids: Sequence[int]) -> list[StoredDocument]:
    if not document_ids:
        return []
    rows = conn.execute(
        _document_query().where(documents.c.id.in_(document_ids)).order_by(documents.c.id)
    ).all()
    return [_to_stored(r) for r in rows]


def all_document_ids(conn: Connection) -> list[int]:
    return [int(i) for i in conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars()]


def count_documents(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())


