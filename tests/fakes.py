"""Test doubles shared by the detector tests."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np


class HashEncoder:
    """Deterministic stand-in for the sentence encoder: a unit vector seeded by the text."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=512) for t in texts]
        out = np.array(rows, dtype=np.float32).reshape(len(texts), 512)
        norms: np.ndarray = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
