"""The story-clustering tasks: ECB+ (documents of a split against the gold events in `subtopic`)
and the AllSides stream (one document at a time in date order, against the gold stories).

Both are run through the online tracker `narrascope analyze` uses. The AllSides stream is dated
and is tracked online, one document at a time in date order. ECB+ has no dates: an undated batch
is clustered over many orders fixed by the document ids, each with the online pass and the split
pass, and the stories are those the orders agree on (`cluster_batch`; `track/batch.py`,
`track/split.py`), so the order of the file does not matter.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np

from narrascope.errors import NarrascopeError
from narrascope.nlp.segment import split_sentences
from narrascope.track import batch as B
from narrascope.track.decide import Decider
from narrascope.track.profile import DocInput, DocumentFrequencies
from narrascope.track.split import Member, SplitSettings
from narrascope.track.stories import Assignment, StoryTracker
from narrascope.track.vectors import LEAD_SENTENCES, lead_vector

SHUFFLE_SEED = 13
Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class StreamDoc:
    key: str
    text: str
    gold: str | None
    title: str | None = None
    day: date | None = None


def _rows(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    if not path.is_file():
        raise NarrascopeError(f"{path}: not found; set NARRASCOPE_DATA to the folder that holds "
                              "the dataset, or give an existing --input file")
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise NarrascopeError(f"{path}:{n}: not JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise NarrascopeError(f"{path}:{n}: expected a JSON object")
                yield n, row


def read_ecbplus(path: Path, split: str | None = None) -> list[StreamDoc]:
    """ECB+ documents (`doc_id`, `text`, gold `subtopic`), optionally of one split."""
    out = []
    for n, row in _rows(path):
        if split and row.get("split") != split:
            continue
        if not isinstance(row.get("doc_id"), str) or not isinstance(row.get("text"), str):
            raise NarrascopeError(f"{path}:{n}: needs string fields doc_id and text")
        gold = row.get("subtopic")
        out.append(StreamDoc(str(row["doc_id"]), str(row["text"]),
                             None if gold is None else str(gold)))
    return out


def _day(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def read_allsides(path: Path) -> list[StreamDoc]:
    """AllSides articles (`article_id`, `title`, `lead`, `story_date`, gold `story_id`), in date
    order (stable for equal dates)."""
    out = []
    for n, row in _rows(path):
        key = row.get("article_id")
        if not isinstance(key, str):
            raise NarrascopeError(f"{path}:{n}: needs a string article_id")
        gold = row.get("story_id", row.get("cluster_id"))
        out.append(StreamDoc(key, str(row.get("lead") or ""), None if gold is None else str(gold),
                             title=str(row.get("title") or "") or None,
                             day=_day(row.get("story_date"))))
    order = sorted(range(len(out)), key=lambda i: (out[i].day or date.min, i))
    return [out[i] for i in order]


def shuffled(docs: list[StreamDoc], seed: int = SHUFFLE_SEED) -> list[StreamDoc]:
    out = list(docs)
    random.Random(seed).shuffle(out)  # noqa: S311  (a fixed order, not a secret)
    return out


def doc_vectors(docs: Sequence[StreamDoc], encode: Encode, batch: int = 256) -> list[np.ndarray]:
    """The lead vector of each document: the mean of its title's and first sentences' vectors."""
    texts: list[str] = []
    owners: list[int] = []
    for i, d in enumerate(docs):
        parts = ([d.title] if d.title else []) + [
            s.slice(d.text) for s in split_sentences(d.text, "en")[:LEAD_SENTENCES]]
        texts.extend(parts or [d.text[:200]])
        owners.extend([i] * max(1, len(parts)))
    vecs = np.concatenate([encode(texts[i:i + batch]) for i in range(0, len(texts), batch)]) \
        if texts else np.zeros((0, 512), dtype=np.float32)
    grouped: list[list[np.ndarray]] = [[] for _ in docs]
    for owner, v in zip(owners, vecs, strict=True):
        grouped[owner].append(v)
    return [lead_vector(np.stack(g)) for g in grouped]


def track(docs: Sequence[StreamDoc], vectors: Sequence[np.ndarray] | None,
          tracker: StoryTracker | None = None, language: str = "en") -> list[Assignment]:
    tracker = tracker or StoryTracker()
    return [tracker.add(d) for d in inputs(docs, vectors, language)]


def inputs(docs: Sequence[StreamDoc], vectors: Sequence[np.ndarray] | None,
           language: str = "en") -> list[DocInput]:
    return [DocInput(d.key, d.text, d.title, language, d.day,
                     vectors[i] if vectors is not None else None) for i, d in enumerate(docs)]


def cluster(docs: Sequence[StreamDoc], vectors: Sequence[np.ndarray] | None,
            tracker: StoryTracker, split: SplitSettings | None = None) -> list[Assignment]:
    """The online pass over `docs` in their order, then (undated batches) the split pass."""
    return B.online_then_split(inputs(docs, vectors), tracker, split)


def split_members(docs: Sequence[StreamDoc], vectors: Sequence[np.ndarray],
                  df: DocumentFrequencies) -> dict[str, Member]:
    return B.split_members(inputs(docs, vectors), df)


def cluster_batch(docs: Sequence[StreamDoc], vectors: Sequence[np.ndarray] | None,
                  decider: Decider, family: int = 0) -> list[Assignment]:
    """Stories for `docs`: a dated stream is tracked online in its order, an undated batch over
    many orders (`narrascope.track.batch.cluster_batch`)."""
    if any(d.day for d in docs):
        return track(docs, vectors, StoryTracker(decider))
    return B.cluster_batch(inputs(docs, vectors), decider, family)


def batch_labeller(docs: Sequence[StreamDoc], vectors: Sequence[np.ndarray], decider: Decider,
                   df: DocumentFrequencies | None = None) -> B.Labeller:
    return B.labeller(inputs(docs, vectors), decider, df)
