"""Running the story tracker over stored documents and keeping its state in the store.

Documents not yet in a story are taken in publication order (undated last, then by id), in
chunks; each chunk's memberships, story rows and tracker state are written in one transaction, so
a killed run leaves the store as it was after the last whole chunk and the next run goes on from
there. A near-duplicate reprint joins its original's story without a comparison.

The undated documents of a run have no order, so they are first grouped as a batch
(`track/batch.py`: many id-fixed orders, the split pass, their consensus). The first document of
each group then goes through the online decision like any other, and the rest of its group
follows it into the same story.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection, delete, func, insert, select, update

from narrascope.store import Store
from narrascope.store import annotations as ann_repo
from narrascope.store.schema import documents, sentences, stories, story_documents, tracker_state
from narrascope.track.batch import cluster_batch
from narrascope.track.profile import DocInput, DocumentFrequencies, background_frequencies
from narrascope.track.stories import StoryState, StoryTracker
from narrascope.track.vectors import LEAD_SENTENCES, lead_vector

CHUNK = 500
DF_KEY = "document_frequencies"
WATERMARK_KEY = "tracked_through"  # every document with an id up to this one is in a story
LABEL_CHARS = 300
Progress = Callable[[int], None]


BATCH_LIMIT = 20000  # more undated documents than this in one run are tracked online only


@dataclass
class TrackReport:
    documents: int = 0
    new_stories: int = 0
    reprints: int = 0
    batched: int = 0  # undated documents that followed the first of their batch group

    def to_json(self) -> dict[str, int]:
        return {"documents": self.documents, "new_stories": self.new_stories,
                "reprints": self.reprints, "batched": self.batched}


def dump_state(s: StoryState) -> bytes:
    obj = {"size": s.size, "first_day": s.first_day, "last_day": s.last_day,
           "terms": [[k, v] for k, v in s.term_sum.items()],
           "names": [[k, v] for k, v in s.names.items()], "languages": sorted(s.languages),
           "numbers": [[k, v] for k, v in s.numbers.items()],
           "vector": None if s.vector_sum is None else s.vector_sum.astype(float).tolist(),
           "members": [[k.tolist(), w.tolist()] for k, w in s.members],
           "label_score": s.label_score}
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def load_state(story_id: int, blob: bytes) -> StoryState:
    obj = json.loads(blob.decode("utf-8"))
    return StoryState(
        id=story_id, first_day=obj["first_day"], last_day=obj["last_day"], size=obj["size"],
        term_sum={int(k): float(v) for k, v in obj["terms"]},
        vector_sum=None if obj["vector"] is None else np.array(obj["vector"], dtype=np.float32),
        names={int(k): int(v) for k, v in obj["names"]}, languages=set(obj["languages"]),
        numbers={int(k): int(v) for k, v in obj.get("numbers", [])},
        members=[(np.array(k, dtype=np.int64), np.array(w, dtype=np.float64))
                 for k, w in obj["members"]],
        label_score=float(obj.get("label_score", -1.0)))


def _load_tracker(conn: Connection) -> StoryTracker:
    blob = conn.execute(select(tracker_state.c.value)
                        .where(tracker_state.c.key == DF_KEY)).scalar_one_or_none()
    df = background_frequencies()
    if blob is not None:
        with np.load(io.BytesIO(blob)) as z:
            counts = np.zeros_like(df.counts)
            counts[z["buckets"].astype(np.int64)] = z["counts"]
            df = DocumentFrequencies(counts, int(z["documents"]))
    next_id = (conn.execute(select(func.max(stories.c.id))).scalar() or 0) + 1
    tracker = StoryTracker(df=df, next_id=next_id)
    rows = conn.execute(select(stories.c.id, stories.c.state)
                        .where(stories.c.state.is_not(None))
                        .order_by(stories.c.last_seen, stories.c.id)).all()
    for row in rows:
        tracker.restore(load_state(int(row.id), row.state))
    newest = [s.last_day for s in tracker.active.values() if s.last_day is not None]
    tracker.newest_day = max(newest, default=None)
    return tracker


def _save_df(conn: Connection, df: DocumentFrequencies) -> None:
    nz = np.flatnonzero(df.counts)
    buf = io.BytesIO()
    np.savez_compressed(buf, buckets=nz.astype(np.int32), counts=df.counts[nz],
                        documents=np.array(df.documents))
    conn.execute(delete(tracker_state).where(tracker_state.c.key == DF_KEY))
    conn.execute(insert(tracker_state).values(key=DF_KEY, value=buf.getvalue()))


def _watermark(conn: Connection) -> int:
    blob = conn.execute(select(tracker_state.c.value)
                        .where(tracker_state.c.key == WATERMARK_KEY)).scalar_one_or_none()
    return int(blob.decode("ascii")) if blob is not None else 0


def _advance_watermark(conn: Connection) -> None:
    """Move the watermark up to just below the lowest document still outside every story (one
    stored while this run went on keeps it back), or to the newest document."""
    old = _watermark(conn)
    untracked = conn.execute(
        select(func.min(documents.c.id)).where(documents.c.id > old).where(
            documents.c.id.not_in(select(story_documents.c.document_id)
                                  .where(story_documents.c.document_id > old)))).scalar()
    newest = conn.execute(select(func.max(documents.c.id))).scalar() or old
    document_id = int(untracked) - 1 if untracked is not None else int(newest)
    conn.execute(delete(tracker_state).where(tracker_state.c.key == WATERMARK_KEY))
    conn.execute(insert(tracker_state).values(key=WATERMARK_KEY,
                                              value=str(document_id).encode("ascii")))


def pending(conn: Connection) -> list[int]:
    """Documents not in a story yet, in the order the tracker takes them."""
    return [i for i, _ in _pending_rows(conn)]


def _pending_rows(conn: Connection) -> list[tuple[int, bool]]:
    """(id, undated) of the documents not in a story yet, in tracking order. Only ids above the
    watermark are looked at, so the query does not grow with the archive."""
    mark = _watermark(conn)
    query = (select(documents.c.id, documents.c.published)
             .where(documents.c.id > mark)
             .where(documents.c.id.not_in(select(story_documents.c.document_id)
                                          .where(story_documents.c.document_id > mark))))
    rows = list(conn.execute(query).all())
    rows.sort(key=lambda r: (r.published is None, r.published or date.min, r.id))
    return [(int(r.id), r.published is None) for r in rows]


def _batch_plan(conn: Connection, undated: list[int], encoder: str,
                tracker: StoryTracker) -> dict[int, int]:
    """document -> the first document of its batch group (itself for the first), for the
    undated documents of a run (reprints are left to their originals)."""
    if not 2 <= len(undated) <= BATCH_LIMIT:
        return {}
    docs: list[_Doc] = []
    for i in range(0, len(undated), CHUNK):
        docs += [d for d in _load_docs(conn, undated[i:i + CHUNK], encoder)
                 if d.near_duplicate_of is None]
    # the orders are fixed by the texts' hashes (unique in the store), not by store ids: the same
    # documents get the same groups whatever order they were stored in
    keys = {d.text_hash or str(d.id): d.id for d in docs}
    inputs = [DocInput(k, d.text, d.title, d.language, None, d.vector)
              for k, d in zip(keys, docs, strict=True)]
    leaders: dict[int, int] = {}
    return {keys[a.key]: leaders.setdefault(a.story_id, keys[a.key])
            for a in cluster_batch(inputs, tracker.decider, df=tracker.df)}


@dataclass
class _Doc:
    id: int
    text: str
    title: str | None
    language: str
    published: date | None
    near_duplicate_of: int | None
    vector: np.ndarray | None
    text_hash: str = ""


def _load_docs(conn: Connection, ids: list[int], encoder: str) -> list[_Doc]:
    rows = {int(r.id): r for r in conn.execute(
        select(documents.c.id, documents.c.text, documents.c.title, documents.c.language,
               documents.c.published, documents.c.near_duplicate_of, documents.c.text_hash)
        .where(documents.c.id.in_(ids)))}
    lead: dict[int, list[int]] = {}
    for sent in conn.execute(select(sentences.c.id, sentences.c.document_id)
                             .where(sentences.c.document_id.in_(ids),
                                    sentences.c.idx < LEAD_SENTENCES)
                             .order_by(sentences.c.document_id, sentences.c.idx)):
        lead.setdefault(int(sent.document_id), []).append(int(sent.id))
    vectors = ann_repo.load_vectors(conn, [s for v in lead.values() for s in v], encoder)
    out = []
    for i in ids:
        r = rows[i]
        found = [vectors[s] for s in lead.get(i, []) if s in vectors]
        out.append(_Doc(i, r.text, r.title, r.language, r.published, r.near_duplicate_of,
                        lead_vector(np.stack(found)) if found else None, str(r.text_hash)))
    return out


def _label(doc: _Doc) -> str:
    first = doc.title or doc.text.strip().split("\n", 1)[0]
    return " ".join(first.split())[:LABEL_CHARS] or f"document {doc.id}"


class _Writer:
    """Collects one chunk's changes and writes them in the caller's transaction."""

    def __init__(self, conn: Connection, known: set[int], first_new_id: int,
                 batch_stories: set[int]) -> None:
        self.conn = conn
        self.seq = (conn.execute(select(func.max(story_documents.c.seq))).scalar() or 0) + 1
        # stored stories: every id below `first_new_id`, and those this run inserted
        self.known = known
        self.first_new_id = first_new_id
        self.rows: dict[int, dict[str, object]] = {}
        self.members: list[dict[str, object]] = []
        self.where: dict[int, int] = {}  # document -> story, this run
        self.batch_stories = batch_stories  # stories this run's undated batch groups went to

    def story_of(self, document_id: int) -> int | None:
        if document_id in self.where:
            return self.where[document_id]
        found = self.conn.execute(select(story_documents.c.story_id).where(
            story_documents.c.document_id == document_id)).scalar_one_or_none()
        return None if found is None else int(found)

    def record(self, doc: _Doc, story_id: int, similarity: float, new: bool,
               tracker: StoryTracker) -> None:
        self.members.append({"document_id": doc.id, "story_id": story_id,
                             "similarity": similarity, "seq": self.seq})
        self.seq += 1
        self.where[doc.id] = story_id
        row = self.rows.get(story_id)
        if row is None and not new and self._stored(story_id):
            r = self.conn.execute(select(stories).where(stories.c.id == story_id)).one()
            row = dict(r._mapping)
        if row is None:
            row = {"id": story_id, "label": _label(doc), "label_document_id": doc.id,
                   "first_seen": doc.published, "last_seen": doc.published, "size": 0}
        row["size"] = int(str(row["size"])) + 1
        if doc.published:
            first, last = row["first_seen"], row["last_seen"]
            row["first_seen"] = min(first, doc.published) if isinstance(first, date) \
                else doc.published
            row["last_seen"] = max(last, doc.published) if isinstance(last, date) \
                else doc.published
        self._central(row, doc, tracker.active.get(story_id))
        self.rows[story_id] = row

    @staticmethod
    def _central(row: dict[str, object], doc: _Doc, story: StoryState | None) -> None:
        """The label is the title of the document closest to the story's mean vector, judged
        when each document joins."""
        if story is None or doc.vector is None:
            return
        mean = story.mean_vector()
        score = float(doc.vector @ mean) if mean is not None else -1.0
        if score > story.label_score:
            story.label_score = score
            row["label"], row["label_document_id"] = _label(doc), doc.id

    def _stored(self, story_id: int) -> bool:
        return story_id < self.first_new_id or story_id in self.known

    def flush(self, tracker: StoryTracker) -> None:
        for sid, row in self.rows.items():
            state = tracker.active.get(sid)
            row["state"] = dump_state(state) if state is not None else None
            if self._stored(sid):
                self.conn.execute(update(stories).where(stories.c.id == sid).values(**row))
            else:
                self.conn.execute(insert(stories).values(**row))
                self.known.add(sid)
        gone = [sid for sid in tracker.expired if sid not in tracker.active]
        if gone:
            self.conn.execute(update(stories).where(stories.c.id.in_(gone)).values(state=None))
        tracker.expired.clear()
        if self.members:
            self.conn.execute(insert(story_documents), self.members)
        _save_df(self.conn, tracker.df)
        self.rows, self.members = {}, []


def track_pending(store: Store, encoder: str, progress: Progress | None = None,
                  on_start: Callable[[int], None] | None = None) -> TrackReport:
    """Put every document that is not in a story yet into one (see the module docstring)."""
    with store.read() as conn:
        rows = _pending_rows(conn)
        todo = [i for i, _ in rows]
        tracker = _load_tracker(conn)
        plan = _batch_plan(conn, [i for i, undated in rows if undated], encoder, tracker)
    if on_start:
        on_start(len(todo))
    report = TrackReport()
    inserted: set[int] = set()
    batch_stories: set[int] = set()  # stories the undated batch groups of this run went to
    first_new_id = tracker.next_id
    for i in range(0, len(todo), CHUNK):
        chunk = todo[i:i + CHUNK]
        with store.transaction() as conn:
            writer = _Writer(conn, inserted, first_new_id, batch_stories)
            for doc in _load_docs(conn, chunk, encoder):
                _track_one(doc, tracker, writer, report, plan.get(doc.id))
            writer.flush(tracker)
            if i + CHUNK >= len(todo):
                _advance_watermark(conn)
        report.documents += len(chunk)
        if progress:
            progress(len(chunk))
    return report


def _track_one(doc: _Doc, tracker: StoryTracker, writer: _Writer, report: TrackReport,
               leader: int | None = None) -> None:
    """Track one document: a reprint joins its original's story, an undated document its batch
    group's first document's story (`leader`), any other goes through the online decision."""
    item = DocInput(str(doc.id), doc.text, doc.title, doc.language, doc.published, doc.vector)
    original = writer.story_of(doc.near_duplicate_of) if doc.near_duplicate_of else None
    followed = writer.story_of(leader) \
        if leader is not None and leader != doc.id and original is None else None
    if original is not None:
        found = tracker.attach(item, original)
        report.reprints += 1
    elif followed is not None:
        found = tracker.attach(item, followed)
        report.batched += 1
    elif leader == doc.id:
        # the first of a batch group: it may join an older story, not another group's
        found = tracker.add(item, frozenset(writer.batch_stories))
        writer.batch_stories.add(found.story_id)
    else:
        found = tracker.add(item)
    report.new_stories += int(found.new)
    writer.record(doc, found.story_id, found.similarity, found.new, tracker)
