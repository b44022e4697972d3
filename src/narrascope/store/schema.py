"""Table definitions (SQLAlchemy Core), the single description of the store's shape."""

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(40), nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False, unique=True),
    Column("url", Text),
    Column("feed", Text),
    Column("country", String(2)),
    Column("kind", String(40), nullable=False, server_default="other"),
    Column("language", String(20)),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(500)),
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("title", Text),
    Column("url", Text),
    Column("published", Date),
    Column("language", String(20), nullable=False),
    Column("text", Text, nullable=False),
    # hash of the normalised text: the exact-duplicate key
    Column("text_hash", String(64), nullable=False, unique=True),
    Column("near_duplicate_of", Integer, ForeignKey("documents.id")),
    Column("near_duplicate_similarity", Float),
    Column("minhash", LargeBinary),
    Column("origin", Text, nullable=False),
    Column("ingested_at", String(40), nullable=False),
)
Index("ix_documents_published", documents.c.published)
Index("ix_documents_source", documents.c.source_id)

# MinHash LSH bands: documents sharing a band key are near-duplicate candidates.
doc_bands = Table(
    "doc_bands",
    metadata,
    Column("band_key", String(40), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
)
Index("ix_doc_bands_key", doc_bands.c.band_key)

sentences = Table(
    "sentences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    UniqueConstraint("document_id", "idx"),
)

embeddings = Table(
    "embeddings",
    metadata,
    Column(
        "sentence_id", Integer, ForeignKey("sentences.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("encoder", String(100), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float16, L2-normalised
)

annotations_table = Table(
    "annotations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("detector", String(100), nullable=False),
    Column("detector_version", String(40), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("label", String(300), nullable=False),
    Column("score", Float, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("evidence", Text),
    Column("extra", Text),  # JSON
)
Index("ix_annotations_doc", annotations_table.c.document_id)
Index("ix_annotations_kind_label", annotations_table.c.kind, annotations_table.c.label)

# One row per (document, detector) once the detector's results for it are stored: what makes
# an interrupted analysis resumable and a re-run with the same settings a no-op.
analysis_runs = Table(
    "analysis_runs",
    metadata,
    Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("detector", String(100), primary_key=True),
    Column("detector_version", String(40), nullable=False),
    Column("config_hash", String(64), nullable=False),
    Column("completed_at", String(40), nullable=False),
)


# Stories (migration 2). A story's id is its creation order and never changes; `label` is its
# most central title or sentence. `story_documents` says which story each tracked document
# joined; `tracker_state` holds what the online tracker needs to go on where it stopped.
stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", Text, nullable=False),
    Column("label_document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("first_seen", Date),
    Column("last_seen", Date),
    Column("size", Integer, nullable=False),
    Column("state", LargeBinary),  # the tracker's centroid of the story, while it is active
)
Index("ix_stories_last_seen", stories.c.last_seen)

story_documents = Table(
    "story_documents",
    metadata,
    Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("similarity", Float, nullable=False),
    Column("seq", Integer, nullable=False),  # order in which the tracker took the document
)
Index("ix_story_documents_story", story_documents.c.story_id)
Index("ix_story_documents_seq", story_documents.c.seq)

tracker_state = Table(
    "tracker_state",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)
