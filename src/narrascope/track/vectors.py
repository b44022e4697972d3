"""A document's place in the multilingual vector space: the mean of its lead sentences' vectors
(the ones `analyze` already computed), so stories can be matched across languages."""

from __future__ import annotations

import numpy as np

LEAD_SENTENCES = 5


def lead_vector(sentence_vectors: np.ndarray) -> np.ndarray:
    """L2-normalised mean of the first `LEAD_SENTENCES` rows (a title, if any, comes first)."""
    if len(sentence_vectors) == 0:
        raise ValueError("a lead vector needs at least one sentence vector")
    mean = sentence_vectors[:LEAD_SENTENCES].astype(np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    out: np.ndarray = mean / norm
    return out
