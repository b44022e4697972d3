"""Word clusters for the span tagger: every word is placed in a cluster of words whose encoder
vectors are close, at two granularities, so the CRF can generalise from "traitors" to "turncoats"
(and across languages: the encoder is multilingual).

Training encodes each distinct training word on its own and clusters the vectors with k-means;
the artifact keeps the centroids and the cluster of every training word. At prediction, a word
never seen in training is encoded and placed in its nearest centroid (at most
``MAX_NEW_WORDS`` per article; beyond that, and without an encoder, it gets no cluster).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np

SIZES = (256, 1024)  # clusters per granularity
MAX_NEW_WORDS = 128
MAX_MET_WORDS = 200_000  # bound on the cache of new words met at prediction
_ITERATIONS = 25
_SEED = 20201
_WORD = re.compile(r"[^\W\d_]\w*")
NO_CLUSTER = -1


class _Encodes(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def is_word(token: str) -> bool:
    return bool(_WORD.fullmatch(token))


def word_types(texts: Iterable[str]) -> list[str]:
    """The distinct lower-cased words (letters first; no numbers) of `texts`, sorted."""
    return sorted({m.group().lower() for text in texts for m in _WORD.finditer(text)})


def encode_words(words: Sequence[str], encoder: _Encodes, batch: int = 512) -> np.ndarray:
    if not words:
        return np.zeros((0, 512), dtype=np.float32)
    return np.vstack([encoder.encode(list(words[i:i + batch]))
                      for i in range(0, len(words), batch)])


def kmeans(vectors: np.ndarray, k: int, *, seed: int = _SEED,
           iterations: int = _ITERATIONS) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means (cosine) on unit vectors: (centroids, assignment). Deterministic for a
    seed; starts from k distinct rows picked at random; an emptied cluster keeps its centroid."""
    x = np.asarray(vectors, dtype=np.float32)
    k = min(k, len(x))
    rng = np.random.default_rng(seed)
    centroids = x[rng.choice(len(x), size=k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        labels = np.argmax(x @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, x)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        filled = norms[:, 0] > 0
        centroids[filled] = sums[filled] / norms[filled]
    return centroids, np.argmax(x @ centroids.T, axis=1)


class WordClusters:
    """Cluster ids of words, one per granularity in ``sizes``."""

    def __init__(self, words: Sequence[str], ids: np.ndarray,
                 centroids: Sequence[np.ndarray]) -> None:
        self.sizes = tuple(len(c) for c in centroids)
        self.centroids = [np.asarray(c, dtype=np.float32) for c in centroids]
        table = np.asarray(ids, dtype=np.int64).reshape(len(words), len(self.centroids))
        self._known: dict[str, tuple[int, ...]] = {
            w: tuple(int(v) for v in row) for w, row in zip(words, table, strict=True)}
        # new words met at prediction, once encoded: names and rare words recur across a stream
        self._met: dict[str, tuple[int, ...]] = {}

    @classmethod
    def train(cls, texts: Iterable[str], encoder: _Encodes,
              sizes: Sequence[int] = SIZES) -> WordClusters:
        words = word_types(texts)
        vectors = encode_words(words, encoder)
        found = [kmeans(vectors, k) for k in sizes]
        ids = np.column_stack([labels for _, labels in found]) if found else np.zeros((0, 0))
        return cls(words, ids, [c for c, _ in found])

    def arrays(self) -> dict[str, Any]:
        """What goes into the model's .npz (no pickle)."""
        words = sorted(self._known)
        out: dict[str, Any] = {
            "cl_words": np.array(words, dtype=np.str_),
            "cl_ids": np.array([self._known[w] for w in words], dtype=np.int16),
        }
        for i, c in enumerate(self.centroids):
            out[f"cl_centroids_{i}"] = c.astype(np.float16)
        return out

    @classmethod
    def from_arrays(cls, arrays: Any) -> WordClusters | None:
        if "cl_words" not in arrays.files:
            return None
        count = sum(1 for name in arrays.files if name.startswith("cl_centroids_"))
        return cls(arrays["cl_words"].tolist(), arrays["cl_ids"],
                   [arrays[f"cl_centroids_{i}"] for i in range(count)])

    def lookup(self, words: Iterable[str], encoder: _Encodes | None = None
               ) -> dict[str, tuple[int, ...]]:
        """Cluster ids of each distinct lower-cased word; new words are encoded when an encoder
        is given (the first ``MAX_NEW_WORDS`` of them in sorted order), else get ``NO_CLUSTER``."""
        distinct = sorted(set(words))
        none = (NO_CLUSTER,) * len(self.centroids)
        out = {w: self._known.get(w, none) for w in distinct}
        new = [w for w in distinct if w not in self._known and is_word(w)][:MAX_NEW_WORDS]
        if encoder is None or not new or not self.centroids:
            return out
        unseen = [w for w in new if w not in self._met]
        if unseen:
            vectors = encode_words(unseen, encoder)
            ids = np.column_stack([np.argmax(vectors @ c.T, axis=1) for c in self.centroids])
            if len(self._met) + len(unseen) > MAX_MET_WORDS:
                self._met.clear()
            self._met.update({w: tuple(int(v) for v in row)
                              for w, row in zip(unseen, ids, strict=True)})
        out.update({w: self._met[w] for w in new})
        return out
