"""The decision to join a story or open a new one: a logistic model over similarity features.

The content weights are learned by `narrascope train stories` (ECB+ train topics, document
pairs replayed in stream order) and shipped in `models/stories.json`; the time and language terms
are priors written here, because no public training stream has both dates and gold stories.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from narrascope.errors import NarrascopeError
from narrascope.track.profile import Profile, sparse_dot

if TYPE_CHECKING:
    from narrascope.track.stories import StoryState

FEATURES = ("bias", "term_cos", "vector_cos", "name_overlap", "shared_names", "cross_language",
            "cross_vector_cos", "gap_days", "log_size", "max_member_cos", "mean_member_cos",
            "number_overlap", "name_cos")
MODEL_FILE = "stories.json"


def pair_features(profile: Profile, story: StoryState, newest_day: int | None) -> np.ndarray:
    term_cos = sparse_dot(profile.terms, story.term_sum) / story.term_norm()
    keys = np.array(sorted(profile.terms), dtype=np.int64)
    sims = story.member_similarities(keys, np.array([profile.terms[k] for k in keys])) or [0.0]
    mean = story.mean_vector()
    vector_cos = float(profile.vector @ mean) if profile.vector is not None and mean is not None \
        else 0.0
    shared = sum(1 for n in profile.names if n in story.names)
    overlap = shared / len(profile.names) if profile.names else 0.0
    cross = 1.0 if profile.language and story.languages and \
        profile.language not in story.languages else 0.0
    gap = 0.0
    if profile.day is not None and story.last_day is not None:
        gap = float(abs(profile.day - story.last_day))
    return np.array([1.0, term_cos, vector_cos * (1 - cross), overlap, math.log1p(shared),
                     cross, vector_cos * cross, min(gap, 30.0), math.log(story.size),
                     max(sims), sum(sims) / len(sims), _number_overlap(profile, story),
                     _name_cosine(profile, story)],
                    dtype=np.float64)


def _number_overlap(profile: Profile, story: StoryState) -> float:
    """The share of the document's numbers that the story has seen: two events of one kind
    often differ there (23 or 26 pirates, 2008 or 2011)."""
    if not profile.numbers:
        return 0.0
    return sum(1 for n in profile.numbers if n in story.numbers) / len(profile.numbers)


def _name_cosine(profile: Profile, story: StoryState) -> float:
    """Cosine of the document's names (each once) with the story's name counts: a name many of
    the story's documents carry counts more than one mentioned once."""
    if not profile.names or not story.names:
        return 0.0
    norm = math.sqrt(sum(v * v for v in story.names.values()))
    hits = sum(story.names.get(n, 0) for n in profile.names)
    return hits / (norm * math.sqrt(len(profile.names)))


@dataclass(frozen=True)
class Decider:
    weights: np.ndarray
    threshold: float = 0.5
    version: str = "prior"
    split_max_ncut: float | None = None  # the split pass for undated batches (track/split.py)
    batch_orders: int = 1                # undated batches: orders and consensus cut (batch.py)
    batch_max_distance: float = 0.5

    def probability(self, features: np.ndarray) -> float:
        z = float(features @ self.weights)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_json(cls, obj: dict[str, object]) -> Decider:
        w = obj.get("weights")
        if not isinstance(w, dict) or set(w) != set(FEATURES):
            raise NarrascopeError(f"{MODEL_FILE}: weights must name exactly {', '.join(FEATURES)}"
                                  "; retrain with `narrascope train stories`")
        threshold = obj.get("threshold", 0.5)
        split = obj.get("split_max_ncut")
        batch = obj.get("batch")
        orders, distance = (batch.get("orders"), batch.get("max_distance")) \
            if isinstance(batch, dict) else (1, 0.5)
        return cls(np.array([float(w[f]) for f in FEATURES]),
                   float(threshold) if isinstance(threshold, int | float) else 0.5,
                   str(obj.get("version", "?")),
                   float(split) if isinstance(split, int | float) else None,
                   int(orders) if isinstance(orders, int) else 1,
                   float(distance) if isinstance(distance, int | float) else 0.5)

    @classmethod
    def default(cls) -> Decider:
        path = resources.files("narrascope.models") / MODEL_FILE
        if path.is_file():
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        return cls.prior()

    @classmethod
    def prior(cls) -> Decider:
        """Hand-set weights, used before a model is trained."""
        w = {"bias": -4.0, "term_cos": 12.0, "vector_cos": 2.0, "name_overlap": 2.0,
             "shared_names": 0.5, "cross_language": -6.0, "cross_vector_cos": 8.0,
             "gap_days": -0.3, "log_size": 0.0, "max_member_cos": 0.0,
             "mean_member_cos": 0.0, "number_overlap": 0.0, "name_cos": 0.0}
        return cls(np.array([w[f] for f in FEATURES]), 0.5, "prior")
