"""The split pass: a second look at each story of an undated batch, which cuts it in two when its
documents form two groups.

An online tracker decides for each document once, against the stories it has seen so far. When
two similar events arrive mixed (two DUI arrests of players of one team, two climbers' deaths on
one mountain), the first document of the second event can join the first event's story, and the
rest follow it. Once the whole batch is in, the story's documents show the two groups plainly.

The test, for a story of at least `min_size` documents with lead vectors:
1. a graph of the documents, weighted by the mean of two cosines: of their tf-idf word vectors and
   of their lead vectors (negatives as 0);
2. spectral bisection: the documents ordered by the graph's Fiedler vector (the second
   eigenvector of the normalised Laplacian), and the cut along that order with the lowest
   normalised cut, ``cut/vol(A) + cut/vol(B)``;
3. the story is split when that normalised cut is below `max_ncut` and both parts have at least
   `min_part` documents. The parts are tested again in turn.

`max_ncut` is chosen on ECB+ train by `narrascope train stories` and kept in
``models/stories.json``. The part that holds the story's first document keeps the story's id; the
other part gets a new id, so ids given before the pass keep pointing at the same event.

Only undated batches get this pass (`track/batch.py`: `eval` on ECB+, and the undated documents
of an `analyze` run, before any of them is stored): in a dated stream the tracker stays online,
and a story's documents never move once assigned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from narrascope.track.profile import SparseVector
from narrascope.track.stories import Assignment

MIN_SIZE = 6
MIN_PART = 3
MAX_SIZE = 500  # larger stories are not tested (an eigen-decomposition costs n³)


@dataclass(frozen=True)
class SplitSettings:
    max_ncut: float
    min_size: int = MIN_SIZE
    min_part: int = MIN_PART
    max_size: int = MAX_SIZE


@dataclass(frozen=True)
class Member:
    """What the pass knows of a document: its tf-idf words (L2-normalised) and lead vector."""

    terms: SparseVector
    vector: np.ndarray | None


@dataclass(frozen=True)
class Bisection:
    ncut: float
    part: np.ndarray  # bool per document: True for the documents on the first document's side


def similarities(members: Sequence[Member]) -> np.ndarray:
    """The mean of the word cosine and the lead-vector cosine of every pair of `members`."""
    columns: dict[int, int] = {}
    for m in members:
        for k in m.terms:
            columns.setdefault(k, len(columns))
    words = np.zeros((len(members), max(1, len(columns))))
    for row, m in enumerate(members):
        for k, v in m.terms.items():
            words[row, columns[k]] = v
    vecs = np.stack([np.asarray(m.vector, dtype=np.float64) for m in members])
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    out: np.ndarray = 0.5 * (words @ words.T) + 0.5 * (vecs @ vecs.T)
    return out


def bisect(sims: np.ndarray) -> Bisection | None:
    """The lowest normalised cut along the Fiedler order of the similarity graph `sims`; None
    when the graph has an isolated document or fewer than 2 rows."""
    n = len(sims)
    if n < 2:
        return None
    w = np.maximum(sims, 0.0).astype(np.float64)
    np.fill_diagonal(w, 0.0)
    degree = w.sum(axis=1)
    if float(degree.min()) <= 1e-9:
        return None
    scale = 1.0 / np.sqrt(degree)
    laplacian = np.eye(n) - w * scale[:, None] * scale[None, :]
    _, eigvecs = np.linalg.eigh(laplacian)
    order = np.argsort(eigvecs[:, 1] * scale, kind="stable")
    total = float(degree.sum())
    # the cut between the first c documents of the order and the rest, for every c
    inside = np.cumsum(w[order][:, order], axis=0)  # running sums of the sorted adjacency
    best_c, best = 0, np.inf
    vol_a = 0.0
    for c in range(1, n):
        vol_a += float(degree[order[c - 1]])
        within_a = float(inside[c - 1, :c].sum())
        cut = vol_a - within_a
        value = cut / vol_a + cut / (total - vol_a)
        if value < best:
            best_c, best = c, value
    part = np.zeros(n, dtype=bool)
    part[order[:best_c]] = True
    if not part[0]:
        part = ~part
    return Bisection(float(best), part)


def split_pass(assignments: Sequence[Assignment], members: Mapping[str, Member],
               settings: SplitSettings, next_id: int) -> list[Assignment]:
    """The assignments after the split pass (same order); split-off parts take ids from
    `next_id` on, in the order of the stories they leave."""
    rows_of: dict[int, list[int]] = {}
    for i, a in enumerate(assignments):
        rows_of.setdefault(a.story_id, []).append(i)
    story_of = [a.story_id for a in assignments]
    for story_id in sorted(rows_of):
        queue = [(story_id, rows_of[story_id])]
        while queue:
            sid, rows = queue.pop(0)
            leave = _split(rows, assignments, members, settings)
            if not leave:
                continue
            new_id, next_id = next_id, next_id + 1
            for i in leave:
                story_of[i] = new_id
            gone = set(leave)
            stay = [i for i in rows if i not in gone]
            queue += [(sid, stay), (new_id, leave)]
    out = []
    opened: set[int] = set()
    for a, sid in zip(assignments, story_of, strict=True):
        first = sid != a.story_id and sid not in opened
        opened.add(sid)
        out.append(a if sid == a.story_id else Assignment(a.key, sid, a.similarity, first))
    return out


def _split(rows: list[int], assignments: Sequence[Assignment],
           members: Mapping[str, Member], settings: SplitSettings) -> list[int]:
    """The rows that leave a story (those on the far side from its first document), or [].
    Documents without a lead vector stay; so does a story whose first document has none."""
    judged = [i for i in rows if _has_vector(members, assignments[i].key)]
    if not judged or judged[0] != rows[0] or \
            not settings.min_size <= len(judged) <= settings.max_size:
        return []
    found = bisect(similarities([members[assignments[i].key] for i in judged]))
    if found is None or found.ncut >= settings.max_ncut:
        return []
    leave = [i for i, keep in zip(judged, found.part, strict=True) if not keep]
    if min(len(leave), len(judged) - len(leave)) < settings.min_part:
        return []
    return leave


def _has_vector(members: Mapping[str, Member], key: str) -> bool:
    member = members.get(key)
    return member is not None and member.vector is not None
