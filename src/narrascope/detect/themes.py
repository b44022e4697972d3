"""Codebook themes: each sentence is compared with each theme's description and examples in the
multilingual embedding space, so an English codebook finds Russian and Korean sentences too.

The cosine, and its margin over the codebook's closest other theme, are turned into a score by a
logistic calibration (``models/themes-calibration.json``, written by ``narrascope train themes``);
the document's score for a theme is that of its best sentence, which is quoted as evidence.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.config import PACKAGE_DIR
from narrascope.detect.base import AnalysisInput
from narrascope.detect.codebook import Codebook
from narrascope.detect.registry import register
from narrascope.embed import Encoder
from narrascope.model import Annotation

NAME = "themes.codebook.v1"
CALIBRATION_FILE = PACKAGE_DIR / "models" / "themes-calibration.json"
DEFAULT_THRESHOLD = 0.5
_MAX_EVIDENCE = 3


def theme_margins(cosine: np.ndarray, floor: float) -> np.ndarray:
    """Each theme's cosine minus that of the closest *other* theme of the codebook (or `floor`,
    whichever is higher): how specifically a sentence is about this theme rather than a neighbour.
    """
    n, k = cosine.shape
    if k < 2 or n == 0:
        return np.asarray(cosine - floor)
    top = np.argmax(cosine, axis=1)
    ordered = np.sort(cosine, axis=1)
    best_other = np.repeat(ordered[:, -1:], k, axis=1)
    best_other[np.arange(n), top] = ordered[:, -2]
    return np.asarray(cosine - np.maximum(best_other, floor))


@dataclass(frozen=True)
class Calibration:
    """score = sigmoid(slope * cosine + margin_slope * margin + intercept), margin as in
    `theme_margins`. Fitted by ``narrascope train themes``."""

    slope: float
    intercept: float
    margin_slope: float = 0.0
    floor: float = 0.0

    def __call__(self, cosine: np.ndarray) -> np.ndarray:
        """Scores of a (sentences x themes) cosine matrix; a vector is one theme's column."""
        if cosine.ndim == 1:
            return self(cosine[:, None])[:, 0]
        logit = self.slope * cosine + self.intercept
        if self.margin_slope:
            logit = logit + self.margin_slope * theme_margins(cosine, self.floor)
        return np.asarray(1.0 / (1.0 + np.exp(-logit)))

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(float(data["slope"]), float(data["intercept"]),
                   float(data.get("margin_slope", 0.0)), float(data.get("floor", 0.0)))


class ThemeDetector:
    """Finds the codebook's themes in documents, with calibrated scores and evidence."""

    name = NAME
    version = "1"

    def __init__(
        self,
        codebook: Codebook,
        encoder: Encoder,
        threshold: float = DEFAULT_THRESHOLD,
        calibration: Calibration | None = None,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        self.codebook = codebook
        self.threshold = threshold
        self.calibration = calibration or Calibration.load()
        self._prototypes = [encoder.encode(t.prototypes()) for t in codebook.themes]

    @property
    def config_hash(self) -> str:
        key = f"{self.version}|{self.codebook.hash}|{self.threshold}|{self.calibration}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def sentence_scores(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine and calibrated score of every sentence (rows) for every theme (columns)."""
        if len(vectors) == 0:
            empty = np.zeros((0, len(self._prototypes)), dtype=np.float32)
            return empty, empty
        cosine = np.stack([(vectors @ p.T).max(axis=1) for p in self._prototypes], axis=1)
        return cosine, self.calibration(cosine)

    def predict(self, batch: list[AnalysisInput]) -> list[list[Annotation]]:
        return [self._predict_one(item) for item in batch]

    def _predict_one(self, item: AnalysisInput) -> list[Annotation]:
        cosine, scores = self.sentence_scores(item.vectors)
        found = []
        for col, theme in enumerate(self.codebook.themes):
            if len(scores) == 0:
                break
            order = np.argsort(-scores[:, col], kind="stable")
            best = int(order[0])
            if scores[best, col] < self.threshold:
                continue
            sentence = item.sentences[best]
            more = [
                {"start": item.sentences[i].start, "end": item.sentences[i].end,
                 "score": round(float(scores[i, col]), 4)}
                for i in order[1:_MAX_EVIDENCE] if scores[i, col] >= self.threshold
            ]
            found.append(
                Annotation(
                    kind="theme",
                    label=theme.id,
                    score=round(float(scores[best, col]), 4),
                    start=sentence.start,
                    end=sentence.end,
                    evidence=item.sentence_text(best),
                    extra={"cosine": round(float(cosine[best, col]), 4), "more_evidence": more,
                           "codebook": self.codebook.hash, "theme_label": theme.label},
                )
            )
        return found


@register(NAME)
def _factory(
    codebook: Codebook, encoder: Encoder, threshold: float = DEFAULT_THRESHOLD
) -> ThemeDetector:
    return ThemeDetector(codebook, encoder, threshold)
