"""Online story tracking: each document, in the order it arrives, joins the most similar active
story or opens a new one.

Cost per document does not grow with the archive:
- only *active* stories are compared: seen within `window_days` of the newest document, and at most
  `max_active` of them (the least recently updated leave first);
- candidates come from an inverted index over the active stories' heaviest words, plus the
  nearest sentence vectors among the active stories (one bounded matrix product), so stories in
  other languages are found too;
- a story's centroid keeps its `CENTROID_TERMS` heaviest words only.

Ids are given in creation order and never change; the same input in the same order gives the same
stories (no randomness, ties broken by id).
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

import numpy as np

from narrascope.track.decide import Decider, pair_features
from narrascope.track.profile import (
    DocInput,
    DocumentFrequencies,
    Profile,
    SparseVector,
    background_frequencies,
    make_profile,
    weigh,
)

CENTROID_TERMS = 300
MEMBERS = 8               # documents of a story kept for document-to-document similarity
INDEX_TERMS = 30          # words of a story centroid that point to it in the index
QUERY_TERMS = 20          # words of a document looked up in the index
MAX_CANDIDATES = 20


@dataclass(frozen=True)
class TrackerSettings:
    window_days: int = 7          # a story is active while its last document is this recent
    max_active: int = 3000        # and while it is among this many most recently updated
    max_names: int = 200         # names and numbers a story keeps (the most frequent)


@dataclass
class StoryState:
    """A story as the tracker keeps it while it is active."""

    id: int
    first_day: int | None
    last_day: int | None
    size: int = 0
    term_sum: SparseVector = field(default_factory=dict)
    vector_sum: np.ndarray | None = None
    names: dict[int, int] = field(default_factory=dict)
    numbers: dict[int, int] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)
    # the founding document and the latest ones: (sorted word buckets, their weights)
    members: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    label_score: float = -1.0  # how central the label's document was when it joined
    _norm: float | None = field(default=None, repr=False, compare=False)  # of term_sum, cached

    def member_similarities(self, keys: np.ndarray, weights: np.ndarray) -> list[float]:
        """Cosine of a document (sorted buckets and weights) with each kept member."""
        out = []
        for mk, mw in self.members:
            _, i, j = np.intersect1d(keys, mk, assume_unique=True, return_indices=True)
            out.append(float(weights[i] @ mw[j]))
        return out

    def term_norm(self) -> float:
        """The length of `term_sum` (kept until the story next changes)."""
        if self._norm is None:
            self._norm = math.sqrt(sum(v * v for v in self.term_sum.values())) or 1.0
        return self._norm

    def mean_vector(self) -> np.ndarray | None:
        if self.vector_sum is None:
            return None
        norm = float(np.linalg.norm(self.vector_sum)) or 1.0
        out: np.ndarray = self.vector_sum / norm
        return out


@dataclass(frozen=True)
class Assignment:
    key: str
    story_id: int
    similarity: float   # the decider's probability that the document belongs (1.0 for a new story)
    new: bool


class StoryTracker:
    def __init__(self, decider: Decider | None = None, settings: TrackerSettings | None = None,
                 df: DocumentFrequencies | None = None, next_id: int = 1) -> None:
        self.decider = decider or Decider.default()
        self.settings = settings or TrackerSettings()
        self.df = df if df is not None else background_frequencies()
        self.next_id = next_id
        self.active: OrderedDict[int, StoryState] = OrderedDict()  # least recently updated first
        self.index: dict[int, set[int]] = defaultdict(set)
        self._indexed: dict[int, list[int]] = {}
        self.newest_day: int | None = None
        self.expired: list[int] = []  # stories dropped from the active set, for the caller
        # the active stories' unit mean vectors, one row each, for the nearest-vector lookup
        self._vectors: np.ndarray | None = None
        self._vector_ids: list[int] = []
        self._vector_row: dict[int, int] = {}

    # -- the public step -------------------------------------------------------------------
    def add(self, doc: DocInput, exclude: frozenset[int] = frozenset()) -> Assignment:
        """Join the best active story (none of `exclude`) or open a new one."""
        return self.add_profile(make_profile(doc), exclude)

    def add_profile(self, profile: Profile, exclude: frozenset[int] = frozenset()
                    ) -> Assignment:
        """`add` for a document already made a profile (its `terms` are set here)."""
        self.df.add(profile)
        weigh(profile, self.df)
        if profile.day is not None:
            self.newest_day = max(self.newest_day or profile.day, profile.day)
        self._expire()
        best, prob = self._best_story(profile, exclude)
        if best is None or prob < self.decider.threshold:
            story = StoryState(self.next_id, profile.day, profile.day)
            self.next_id += 1
            self._join(story, profile)
            return Assignment(profile.key, story.id, 1.0, True)
        self._join(best, profile)
        return Assignment(profile.key, best.id, prob, False)

    def attach(self, doc: DocInput, story_id: int) -> Assignment:
        """Put a document into a known story without comparing (a reprint joins its original's
        story); an inactive story takes it without its centroid changing."""
        profile = make_profile(doc)
        self.df.add(profile)
        weigh(profile, self.df)
        if story_id in self.active:
            self._join(self.active[story_id], profile)
        return Assignment(doc.key, story_id, 1.0, False)

    def restore(self, story: StoryState) -> None:
        """Put back a story saved by an earlier run (oldest first)."""
        self.active[story.id] = story
        self.active.move_to_end(story.id)
        self._reindex(story)
        self._index_vector(story)

    # -- internals -------------------------------------------------------------------------
    def _best_story(self, profile: Profile, exclude: frozenset[int] = frozenset()
                    ) -> tuple[StoryState | None, float]:
        candidates = self._candidates(profile)
        best, best_p = None, 0.0
        for story in candidates:
            if story.id in exclude:
                continue
            p = self.decider.probability(pair_features(profile, story, self.newest_day))
            if p > best_p or (p == best_p and best is not None and story.id < best.id):
                best, best_p = story, p
        return best, best_p

    def _candidates(self, profile: Profile) -> list[StoryState]:
        scores: dict[int, float] = defaultdict(float)
        query = sorted(profile.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:QUERY_TERMS]
        for term, weight in query:
            for sid in self.index.get(term, ()):
                scores[sid] += weight
        chosen = sorted(scores, key=lambda sid: (-scores[sid], sid))[:MAX_CANDIDATES]
        if profile.vector is not None and self.active:
            chosen += self._nearest_by_vector(profile.vector, set(chosen))
        return [self.active[sid] for sid in chosen]

    def _nearest_by_vector(self, vector: np.ndarray, taken: set[int], k: int = 5) -> list[int]:
        count = len(self._vector_ids)
        if not count or self._vectors is None:
            return []
        sims = self._vectors[:count] @ vector
        want = min(count, k + len(taken))
        top = np.argpartition(-sims, want - 1)[:want] if want < count else np.arange(count)
        top = top[np.lexsort((np.array([self._vector_ids[i] for i in top]), -sims[top]))]
        return [self._vector_ids[i] for i in top if self._vector_ids[i] not in taken][:k]

    def _index_vector(self, story: StoryState) -> None:
        """Put the story's unit mean vector in its row of the lookup matrix."""
        unit = story.mean_vector()
        if unit is None:
            return
        matrix = self._vectors
        if matrix is None:
            matrix = np.zeros((64, len(unit)), dtype=np.float32)
        row = self._vector_row.get(story.id)
        if row is None:
            if len(self._vector_ids) == len(matrix):
                matrix = np.concatenate([matrix, np.zeros_like(matrix)])
            row = self._vector_row[story.id] = len(self._vector_ids)
            self._vector_ids.append(story.id)
        matrix[row] = unit
        self._vectors = matrix

    def _unindex_vector(self, sid: int) -> None:
        row = self._vector_row.pop(sid, None)
        if row is None or self._vectors is None:
            return
        last = len(self._vector_ids) - 1
        if row != last:  # the last row fills the gap
            moved = self._vector_ids[last]
            self._vectors[row] = self._vectors[last]
            self._vector_ids[row] = moved
            self._vector_row[moved] = row
        self._vector_ids.pop()

    def _join(self, story: StoryState, profile: Profile) -> None:
        story.size += 1
        for k, v in profile.terms.items():
            story.term_sum[k] = story.term_sum.get(k, 0.0) + v
        if len(story.term_sum) > CENTROID_TERMS:
            keep = sorted(story.term_sum.items(), key=lambda kv: (-kv[1], kv[0]))
            story.term_sum = dict(keep[:CENTROID_TERMS])
        keys = np.array(sorted(profile.terms), dtype=np.int64)
        member = (keys, np.array([profile.terms[k] for k in keys], dtype=np.float64))
        if len(story.members) >= MEMBERS:
            del story.members[1]  # keep the founder
        story.members.append(member)
        if profile.vector is not None:
            vec: np.ndarray = profile.vector.astype(np.float32)
            story.vector_sum = vec.copy() if story.vector_sum is None else story.vector_sum + vec
        story.names = _counted(story.names, profile.names, self.settings.max_names)
        story.numbers = _counted(story.numbers, profile.numbers, self.settings.max_names)
        if profile.language:
            story.languages.add(profile.language)
        if profile.day is not None:
            story.first_day = min(story.first_day or profile.day, profile.day)
            story.last_day = max(story.last_day or profile.day, profile.day)
        story._norm = None
        self.active[story.id] = story
        self.active.move_to_end(story.id)
        self._reindex(story)
        self._index_vector(story)

    def _reindex(self, story: StoryState) -> None:
        for term in self._indexed.pop(story.id, []):
            self.index[term].discard(story.id)
            if not self.index[term]:
                del self.index[term]
        top = sorted(story.term_sum.items(), key=lambda kv: (-kv[1], kv[0]))[:INDEX_TERMS]
        terms = [k for k, _ in top]
        for term in terms:
            self.index[term].add(story.id)
        self._indexed[story.id] = terms

    def _expire(self) -> list[StoryState]:
        """Drop stories that fell out of the time window or past the active-set bound."""
        gone = []
        while len(self.active) > self.settings.max_active:
            gone.append(self._drop(next(iter(self.active))))
        if self.newest_day is not None:
            # the least recently updated come first; documents arrive roughly in date order,
            # so stopping at the first story still in the window keeps this step cheap
            horizon = self.newest_day - self.settings.window_days
            while self.active:
                oldest = next(iter(self.active.values()))
                if oldest.last_day is None or oldest.last_day >= horizon:
                    break
                gone.append(self._drop(oldest.id))
        return gone

    def _drop(self, sid: int) -> StoryState:
        story = self.active.pop(sid)
        self._unindex_vector(sid)
        self.expired.append(sid)
        for term in self._indexed.pop(sid, []):
            self.index[term].discard(sid)
            if not self.index[term]:
                del self.index[term]
        return story


def _counted(counts: dict[int, int], new: frozenset[int], bound: int) -> dict[int, int]:
    """`counts` with one more for each of `new`, cut to the `bound` most frequent."""
    for n in new:
        counts[n] = counts.get(n, 0) + 1
    if len(counts) > bound:
        keep = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        counts = dict(keep[:bound])
    return counts
