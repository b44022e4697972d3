"""Typed records that cross module boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SOURCE_KINDS = ("state-media", "government", "independent", "social", "other")


@dataclass(frozen=True)
class Source:
    """A place documents come from, with what the analyst knows about it."""

    name: str
    url: str | None = None
    feed: str | None = None
    country: str | None = None
    kind: str = "other"
    language: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence as a character range of its document's text (end exclusive)."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Document:
    """One article, as read from an input and before it is stored."""

    text: str
    origin: str
    external_id: str | None = None
    title: str | None = None
    url: str | None = None
    published: date | None = None
    source: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class StoredDocument:
    """A document as it sits in the store."""

    id: int
    text: str
    language: str
    title: str | None
    url: str | None
    published: date | None
    source: str | None
    source_kind: str | None
    country: str | None
    near_duplicate_of: int | None = None


@dataclass(frozen=True)
class ThemeMatch:
    """A codebook theme found in a document, with its best evidence sentence."""

    theme_id: str
    score: float
    start: int
    end: int
    evidence: str
    similarity: float


@dataclass(frozen=True)
class Annotation:
    """A detector's finding on a document, ready to persist."""

    kind: str
    label: str
    score: float
    start: int | None = None
    end: int | None = None
    evidence: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """One input that could not be ingested, and why."""

    input: str
    error: str


@dataclass
class IngestReport:
    """What an ingest run did."""

    added: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    failed: list[Failure] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "failed": [{"input": f.input, "error": f.error} for f in self.failed],
        }


@dataclass(frozen=True)
class Story:
    """A thread of documents about one event or development, with a stable id."""

    id: int
    label: str
    label_document_id: int
    first_seen: date | None
    last_seen: date | None
    documents: tuple[int, ...]
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alert:
    """Something new an analyst should look at, with the document that shows it.

    `subject_kind` says what `subject` names: a codebook `theme`, a `narrative` (or
    `subnarrative`), or a `story` (its id as a string). `details` carries what is particular to
    the alert kind: the earlier appearances a first appearance follows, a surge's count and
    baseline, a convergence's similarity series.
    """

    kind: str  # first_appearance | surge | convergence
    subject_kind: str
    subject: str
    subject_label: str
    date: date
    source_kind: str | None = None
    country: str | None = None
    source: str | None = None
    document_id: int | None = None
    url: str | None = None
    evidence: str | None = None
    details: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    title: str | None = None  # the title of the document that shows it

    @property
    def document_name(self) -> str:
        return self.title or (f"document {self.document_id}" if self.document_id else "")

    def to_json(self) -> dict[str, object]:
        key = "narrative" if self.subject_kind == "subnarrative" else self.subject_kind
        return {
            "kind": self.kind,
            key: self.subject,
            "subject_kind": self.subject_kind,
            "label": self.subject_label,
            "source_kind": self.source_kind,
            "country": self.country,
            "date": self.date.isoformat(),
            "source": self.source,
            "document_id": self.document_id,
            "title": self.title,
            "url": self.url,
            "evidence": self.evidence,
            "details": self.details,
        }
