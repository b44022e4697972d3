"""What the narratives detector reads from a document, numpy only: the mean of its sentence
vectors, and TF-IDF weighted words over a vocabulary learnt from the training documents.

The word block is what makes the detector work for languages the sentence encoder does not
cover (Hindi): it learns the words of each training language directly.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

# Word characters plus the Devanagari vowel signs and viramas, which `\w` does not match (so
# that a Hindi word is not cut at every vowel sign); the danda (U+0964, U+0965) ends a word.
_WORD = re.compile(r"[\w\u0900-\u0963\u0966-\u097F]+")
_MAX_WORD = 40  # longer "words" are noise (URLs, base64); skipped
MAX_TEXT_CHARS = 200_000


def words(text: str) -> list[str]:
    """Lower-cased word tokens (digits-only tokens dropped: years and counts carry no story)."""
    return [w for w in _WORD.findall(text[:MAX_TEXT_CHARS].lower())
            if len(w) <= _MAX_WORD and not w.isdigit()]


def mean_vector(vectors: npt.ArrayLike, dimensions: int) -> FloatArray:
    """The L2-normalised mean of a document's sentence vectors (zeros without sentences)."""
    rows = np.asarray(vectors, dtype=np.float32).reshape(-1, dimensions)
    if len(rows) == 0:
        return np.zeros(dimensions, dtype=np.float32)
    mean = rows.mean(axis=0)
    out: FloatArray = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
    return out


@dataclass(frozen=True)
class Lexicon:
    """A vocabulary with inverse document frequencies; turns a text into a sparse TF-IDF row."""

    index: dict[str, int]
    idf: FloatArray

    @classmethod
    def fit(cls, documents: Iterable[Sequence[str]], min_df: int = 2,
            max_words: int = 50_000) -> Lexicon:
        """From tokenised training documents: words in at least `min_df` of them, the
        `max_words` most frequent (by document frequency, ties alphabetically)."""
        df: Counter[str] = Counter()
        n = 0
        for tokens in documents:
            df.update(set(tokens))
            n += 1
        kept = sorted((w for w, c in df.items() if c >= min_df), key=lambda w: (-df[w], w))
        kept = sorted(kept[:max_words])
        idf = np.array([math.log((1 + n) / (1 + df[w])) + 1.0 for w in kept], dtype=np.float32)
        return cls({w: i for i, w in enumerate(kept)}, idf)

    @property
    def size(self) -> int:
        return len(self.idf)

    def coverage(self, tokens: Sequence[str]) -> float:
        """The share of the tokens that are in the vocabulary (0 for no tokens)."""
        return sum(t in self.index for t in tokens) / len(tokens) if tokens else 0.0

    def row(self, tokens: Sequence[str]) -> tuple[IntArray, FloatArray]:
        """(indices, values): sublinear tf times idf, L2-normalised; unknown words dropped."""
        counts = Counter(self.index[t] for t in tokens if t in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        values = tf * self.idf[idx]
        return idx, (values / max(float(np.linalg.norm(values)), 1e-12)).astype(np.float32)

    def dense(self, documents: Sequence[Sequence[str]]) -> FloatArray:
        """The rows of several tokenised documents as a dense (documents, words) matrix."""
        out = np.zeros((len(documents), self.size), dtype=np.float32)
        for i, tokens in enumerate(documents):
            idx, values = self.row(tokens)
            out[i, idx] = values
        return out
