"""Reading stories back from the store, with their documents, for `stories --json` and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from narrascope.report.data import UNKNOWN_KIND
from narrascope.store.schema import documents, sources, stories, story_documents


@dataclass(frozen=True)
class StoryDocument:
    id: int
    title: str | None
    url: str | None
    published: date | None
    source: str | None
    source_kind: str
    country: str | None
    language: str
    similarity: float
    reprint_of: int | None


@dataclass(frozen=True)
class StoryView:
    id: int
    label: str
    label_document_id: int | None
    first_seen: date | None
    last_seen: date | None
    documents: list[StoryDocument]

    @property
    def sources(self) -> list[str]:
        return sorted({d.source for d in self.documents if d.source})

    @property
    def languages(self) -> list[str]:
        return sorted({d.language for d in self.documents})

    @property
    def source_kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.documents:
            out[d.source_kind] = out.get(d.source_kind, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "label_document_id": self.label_document_id,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "size": len(self.documents), "sources": self.sources, "languages": self.languages,
            "source_kinds": self.source_kinds,
            "documents": [{
                "id": d.id, "title": d.title, "url": d.url,
                "date": d.published.isoformat() if d.published else None, "source": d.source,
                "source_kind": d.source_kind, "country": d.country, "language": d.language,
                "similarity": round(d.similarity, 4), "reprint_of": d.reprint_of,
            } for d in self.documents],
        }


def list_stories(conn: Connection, since: date | None = None, until: date | None = None,
                 min_size: int = 1, limit: int | None = None) -> list[StoryView]:
    """Stories seen in the window (overlapping it), biggest first, then newest, then by id;
    each with its documents in the order the tracker took them."""
    query = select(stories.c.id, stories.c.label, stories.c.label_document_id,
                   stories.c.first_seen, stories.c.last_seen, stories.c.size) \
        .where(stories.c.size >= min_size)
    if since:
        query = query.where(stories.c.last_seen >= since)
    if until:
        query = query.where(stories.c.first_seen <= until)
    heads = list(conn.execute(query).all())
    heads.sort(key=lambda r: (-r.size, -(r.last_seen or date.min).toordinal(), r.id))
    if limit is not None:
        heads = heads[:limit]
    ids = [int(r.id) for r in heads]
    members: dict[int, list[StoryDocument]] = {i: [] for i in ids}
    if ids:
        rows = conn.execute(
            select(story_documents.c.story_id, story_documents.c.similarity, documents.c.id,
                   documents.c.title, documents.c.url, documents.c.published,
                   documents.c.language, documents.c.near_duplicate_of,
                   sources.c.name, sources.c.kind, sources.c.country)
            .join(documents, documents.c.id == story_documents.c.document_id)
            .outerjoin(sources, sources.c.id == documents.c.source_id)
            .where(story_documents.c.story_id.in_(ids))
            .order_by(story_documents.c.seq))
        for r in rows:
            members[int(r.story_id)].append(StoryDocument(
                int(r.id), r.title, r.url, r.published, r.name, r.kind or UNKNOWN_KIND,
                r.country, r.language, float(r.similarity), r.near_duplicate_of))
    return [StoryView(int(r.id), r.label, r.label_document_id, r.first_seen, r.last_seen,
                      members[int(r.id)]) for r in heads]
