"""The decision for a whole entity: is it framed at all, and as what.

Its inputs say only how the text treats the entity, never who it is: the framing model's role
probabilities over its mentions (weighted by how framed each is), how framed its most and its
average mention are, the framing cues counted near its mentions and in their sentences, how
often and how early it is named. A small softmax over those (roles + "not framed") is fitted on
the dev part of the project's real-material set (``narrascope train roles``); its probability
of the chosen role is the score shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from narrascope.detect.framing import FEATURE_NAMES

FloatArray = npt.NDArray[np.float64]
LANGUAGES = ("en", "ru", "ko")  # a flag each: how framing reads differs by language
ENTITY_FEATURES = ("p_protagonist", "p_antagonist", "p_innocent", "framed_max", "framed_mean",
                   "log_mentions", "in_first_sentence", *(f"lang_{c}" for c in LANGUAGES),
                   *(f"{name}_sum" for name in FEATURE_NAMES),
                   *(f"{name}_max" for name in FEATURE_NAMES))


class FramedMention(Protocol):
    """What the entity decision reads of each mention's prediction."""

    @property
    def framed(self) -> float: ...

    @property
    def main_probs(self) -> tuple[float, ...]: ...

    @property
    def cues(self) -> tuple[float, ...]: ...

    @property
    def sentence_index(self) -> int: ...


def entity_features(found: Sequence[FramedMention], language: str) -> FloatArray:
    """The entity's feature row (see ENTITY_FEATURES)."""
    weights = np.array([max(p.framed, 1e-6) for p in found])
    probs = weights @ np.array([p.main_probs for p in found]) / weights.sum()
    cues = np.array([p.cues for p in found], dtype=np.float64)
    return np.concatenate([
        probs, [max(p.framed for p in found), float(np.mean([p.framed for p in found])),
                float(np.log1p(len(found))),
                float(min(p.sentence_index for p in found) == 0),
                *(float((language or "").lower() == c) for c in LANGUAGES)],
        np.log1p(cues.sum(axis=0)), np.log1p(cues.max(axis=0))])


@dataclass(frozen=True)
class EntityHead:
    """softmax(((x - mean) / scale) @ weights + bias) over the main roles and "not framed";
    an entity is cast in its most probable role when p(not framed) < `none_below`."""

    weights: FloatArray  # (features, classes)
    bias: FloatArray     # (classes,)
    mean: FloatArray     # (features,)
    scale: FloatArray    # (features,)
    none_below: float = 0.5

    def decide(self, x: np.ndarray) -> tuple[int, float] | None:
        """The role index and its probability, or None for an entity not framed."""
        probs = self.probabilities(x)
        if probs[-1] >= self.none_below:
            return None
        index = int(np.argmax(probs[:-1]))
        return index, float(probs[index])

    def probabilities(self, x: np.ndarray) -> FloatArray:
        z = ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale) @ self.weights \
            + self.bias
        z = z - z.max(axis=-1, keepdims=True)
        p: FloatArray = np.exp(z)
        out: FloatArray = p / p.sum(axis=-1, keepdims=True)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"features": list(ENTITY_FEATURES), "weights": self.weights.round(6).tolist(),
                "bias": self.bias.round(6).tolist(), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "none_below": self.none_below}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EntityHead | None:
        if list(data.get("features", [])) != list(ENTITY_FEATURES):
            return None
        weights, bias, mean, scale = (np.asarray(data[k], dtype=np.float64)
                                      for k in ("weights", "bias", "mean", "scale"))
        return cls(weights, bias, mean, scale, float(data.get("none_below", 0.5)))


def fit_head(x: np.ndarray, y: np.ndarray, classes: int, c: float,
             sample_weight: np.ndarray | None = None, iterations: int = 500) -> EntityHead:
    """Multinomial logistic regression (L2 strength 1/c) on standardised features, by gradient
    descent with a fixed step (the problem is small and convex)."""
    x = np.asarray(x, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    targets = np.eye(classes)[y]
    w = np.zeros((x.shape[1], classes))
    b = np.zeros(classes)
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    n = sw.sum()
    for _ in range(iterations):
        logits = z @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - targets) * sw[:, None] / n
        w -= 0.5 * (z.T @ g + w / (c * n))
        b -= 0.5 * g.sum(axis=0)
    return EntityHead(w, b, mean, scale)
