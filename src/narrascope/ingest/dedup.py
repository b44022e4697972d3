"""Near-duplicate detection: MinHash signatures with LSH bands kept in the store.

Bands live in a table, so candidate search is an indexed lookup that costs the same whatever the
size of the archive, and survives between runs without rebuilding an index in memory.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 120
BANDS = 20  # 20 bands of 6 rows: a pair at Jaccard 0.7 shares a band with probability 0.92
ROWS = NUM_PERM // BANDS
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACELESS = {"zh", "ja", "th"}


@dataclass(frozen=True)
class Signature:
    hashvalues: np.ndarray

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype(np.uint32).tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Signature:
        return cls(np.frombuffer(blob, dtype=np.uint32).astype(np.uint64))

    def jaccard(self, other: Signature) -> float:
        return float(np.mean(self.hashvalues == other.hashvalues))

    def band_keys(self) -> list[str]:
        keys = []
        for b in range(BANDS):
            band = self.hashvalues[b * ROWS : (b + 1) * ROWS].astype(np.uint32).tobytes()
            keys.append(f"{b}:{hashlib.blake2b(band, digest_size=8).hexdigest()}")
        return keys


def shingles(text: str, language: str, size: int = 3) -> set[str]:
    """Word trigrams, or character 5-grams in languages written without spaces."""
    if language in _SPACELESS:
        chars = "".join(text.split())
        return {chars[i : i + 5] for i in range(max(0, len(chars) - 4))}
    words = [w.casefold() for w in _WORD.findall(text)]
    return {" ".join(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


class NearDuplicateFinder:
    """Computes signatures; the store does the lookup (`repo.band_candidates`)."""

    def __init__(self, threshold: float = 0.7, min_shingles: int = 8) -> None:
        self.threshold = threshold
        self.min_shingles = min_shingles

    def signature(self, text: str, language: str) -> Signature | None:
        grams = shingles(text, language)
        if len(grams) < self.min_shingles:
            return None  # too short to call anything a reprint
        mh = MinHash(num_perm=NUM_PERM, seed=7)
        mh.update_batch([g.encode("utf-8") for g in sorted(grams)])
        return Signature(mh.hashvalues.copy())

    def best_match(
        self, signature: Signature, candidates: list[tuple[int, bytes]]
    ) -> tuple[int, float] | None:
        """The most similar candidate at or above the threshold (earliest id on ties)."""
        best: tuple[int, float] | None = None
        for doc_id, blob in candidates:
            sim = signature.jaccard(Signature.from_bytes(blob))
            if sim >= self.threshold and (best is None or sim > best[1]):
                best = (doc_id, sim)
        return best
