"""Reading what the alert detectors need from the store: documents and story memberships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, func, select

from narrascope.report.data import UNKNOWN_KIND, Finding
from narrascope.store.schema import documents, sentences, sources, stories, story_documents

MAX_EVIDENCE_CHARS = 400


@dataclass(frozen=True)
class DocumentRef:
    """A dated document and where it comes from."""

    id: int
    published: date
    source: str | None
    source_kind: str
    country: str | None


def load_documents(conn: Connection, until: date | None = None) -> list[DocumentRef]:
    """Every dated document published up to `until`, in id order."""
    query = (
        select(documents.c.id, documents.c.published, sources.c.name, sources.c.kind,
               sources.c.country)
        .outerjoin(sources, sources.c.id == documents.c.source_id)
        .where(documents.c.published.is_not(None))
        .order_by(documents.c.id)
    )
    if until is not None:
        query = query.where(documents.c.published <= until)
    return [DocumentRef(int(r.id), r.published, r.name, r.kind or UNKNOWN_KIND, r.country)
            for r in conn.execute(query)]


def load_story_members(conn: Connection, until: date | None = None) -> list[Finding]:
    """Each dated document of each story as a finding of kind "story": the label is the story
    id, the score the document's similarity to the story, the evidence its first sentence (or
    its title when it has no stored sentences)."""
    first_sentence = func.substr(documents.c.text, sentences.c.start + 1,
                                 sentences.c.end - sentences.c.start)
    query = (
        select(story_documents.c.story_id, story_documents.c.similarity, stories.c.label,
               documents.c.id, documents.c.published, documents.c.title, documents.c.url,
               sources.c.name, sources.c.kind, sources.c.country,
               first_sentence.label("sentence"))
        .join(stories, stories.c.id == story_documents.c.story_id)
        .join(documents, documents.c.id == story_documents.c.document_id)
        .outerjoin(sources, sources.c.id == documents.c.source_id)
        .outerjoin(sentences, and_(sentences.c.document_id == documents.c.id,
                                   sentences.c.idx == 0))
        .where(documents.c.published.is_not(None))
        .order_by(story_documents.c.story_id, story_documents.c.seq)
    )
    if until is not None:
        query = query.where(documents.c.published <= until)
    out = []
    for r in conn.execute(query):
        evidence = " ".join((r.sentence or r.title or "").split())[:MAX_EVIDENCE_CHARS]
        out.append(Finding(
            kind="story", label=str(r.story_id), label_text=r.label, score=float(r.similarity),
            document_id=int(r.id), title=r.title, source=r.name,
            source_kind=r.kind or UNKNOWN_KIND, country=r.country, published=r.published,
            url=r.url, evidence=evidence or None, start=None, end=None, detector="stories",
        ))
    return out
