"""What a detector sees and what it must provide."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from narrascope.model import Annotation, Sentence, StoredDocument


@dataclass(frozen=True)
class AnalysisInput:
    """A document with its sentences and their embeddings (rows align with `sentences`)."""

    document: StoredDocument
    sentences: list[Sentence]
    vectors: np.ndarray

    def sentence_text(self, i: int) -> str:
        return self.sentences[i].slice(self.document.text)


class Detector(Protocol):
    """A pipeline component: `predict` is pure; the analysis step persists what it returns."""

    name: str
    version: str

    @property
    def config_hash(self) -> str:
        """Changes whenever the detector would give different results (settings, codebook)."""
        ...

    def predict(self, batch: list[AnalysisInput]) -> list[list[Annotation]]: ...


def artifacts_present(model_dir: Path, names: tuple[str, ...]) -> bool:
    """Whether every artifact a detector needs is in `model_dir` (it runs only then)."""
    return all((model_dir / name).is_file() for name in names)


class PerDocumentDetector:
    """What the model-backed detectors share: their settings hash is their own version and their
    models' versions, and they predict one document at a time."""

    name: str
    version = "1"

    def model_versions(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def config_hash(self) -> str:
        key = "|".join((self.version, *self.model_versions()))
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def predict(self, batch: list[AnalysisInput]) -> list[list[Annotation]]:
        return [self._predict_one(item) for item in batch]

    def _predict_one(self, item: AnalysisInput) -> list[Annotation]:
        raise NotImplementedError
