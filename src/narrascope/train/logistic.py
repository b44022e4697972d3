"""Weighted one-dimensional logistic regression and the metrics used to choose and report a
score calibration (numpy only)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]
THRESHOLD = 0.5
_L2 = 1e-2  # on the slope only; the total sample weight is the number of pairs (~10^5)


def sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))  # overflow-free
    return out


def balanced_weights(y: FloatArray, groups: StrArray) -> FloatArray:
    """Weights under which positives and negatives weigh the same within each group; each group
    keeps a total weight equal to its number of pairs."""
    weights = np.zeros_like(y)
    for group in np.unique(groups):
        member = groups == group
        for cls in (0.0, 1.0):
            cell = member & (y == cls)
            count = int(cell.sum())
            if count:
                weights[cell] = member.sum() / (2.0 * count)
    return weights


def _penalised_loss(beta: FloatArray, design: FloatArray, y: FloatArray, w: FloatArray,
                    penalty: FloatArray) -> float:
    z = design @ beta
    # log(1 + e^z) - y z, computed stably
    loss = np.logaddexp(0.0, z) - y * z
    return float(w @ loss + 0.5 * beta @ penalty @ beta)


def fit_logistic_nd(features: FloatArray, y: FloatArray, weights: FloatArray | None = None, *,
                    l2: float = _L2, max_iter: int = 100,
                    tol: float = 1e-9) -> tuple[FloatArray, float]:
    """Weighted logistic regression on k features by Newton's method (IRLS) with step halving;
    L2 on the slopes only. Returns (slopes, intercept) of
    P(y=1) = sigmoid(features @ slopes + intercept)."""
    x = features.reshape(len(y), -1)
    k = x.shape[1]
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=np.float64)
    design = np.column_stack([x, np.ones(len(y))])
    penalty = np.diag([l2] * k + [0.0])
    beta = np.zeros(k + 1)
    loss = _penalised_loss(beta, design, y, w, penalty)
    for _ in range(max_iter):
        p = sigmoid(design @ beta)
        grad = design.T @ (w * (p - y)) + penalty @ beta
        hessian = (design * (w * p * (1.0 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian + 1e-12 * np.eye(k + 1), grad)
        scale = 1.0
        while scale > 1e-6:
            candidate = beta - scale * step
            new_loss = _penalised_loss(candidate, design, y, w, penalty)
            if new_loss <= loss:
                break
            scale /= 2.0
        beta, converged = candidate, loss - new_loss < tol * max(1.0, abs(loss))
        loss = new_loss
        if converged:
            break
    return beta[:k].copy(), float(beta[k])


def fit_logistic(x: FloatArray, y: FloatArray, weights: FloatArray | None = None, *,
                 l2: float = _L2) -> tuple[float, float]:
    """The one-feature case: (slope, intercept)."""
    slopes, intercept = fit_logistic_nd(x, y, weights, l2=l2)
    return float(slopes[0]), intercept


def roc_auc(scores: FloatArray, y: FloatArray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties count half); NaN without both classes."""
    n_pos = int((y == 1).sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    average_rank = np.cumsum(counts) - (counts - 1) / 2.0
    ranks = average_rank[inverse]
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def precision_recall_f1(scores: FloatArray, y: FloatArray, threshold: float,
                        weights: FloatArray | None = None) -> dict[str, float]:
    """At score >= threshold; with weights, counts are weighted."""
    w = np.ones_like(y) if weights is None else weights
    predicted = scores >= threshold
    tp = float(w[predicted & (y == 1)].sum())
    fp = float(w[predicted & (y == 0)].sum())
    fn = float(w[~predicted & (y == 1)].sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def best_f1_threshold(scores: FloatArray, y: FloatArray,
                      weights: FloatArray | None = None) -> tuple[float, float]:
    """The threshold t (predict score >= t) with the best F1, and that F1."""
    w = np.ones_like(y) if weights is None else weights
    order = np.argsort(-scores, kind="stable")
    s, positive, weight = scores[order], y[order] == 1, w[order]
    tp = np.cumsum(np.where(positive, weight, 0.0))
    fp = np.cumsum(np.where(positive, 0.0, weight))
    total_pos = tp[-1] if len(tp) else 0.0
    last_of_tie = np.r_[s[1:] != s[:-1], True]
    f1 = np.where(last_of_tie, 2 * tp / np.maximum(tp + fp + total_pos, 1e-12), -1.0)
    best = int(np.argmax(f1))
    return float(s[best]), float(f1[best])


def evaluate(scores: FloatArray, y: FloatArray, threshold: float = THRESHOLD) -> dict[str, Any]:
    metrics: dict[str, Any] = {"pairs": len(y), "positives": int(y.sum()),
                               "auc": roc_auc(scores, y)}
    metrics.update(precision_recall_f1(scores, y, threshold))
    metrics["brier"] = float(np.mean((scores - y) ** 2)) if len(y) else float("nan")
    return rounded(metrics)


def rounded(metrics: dict[str, Any]) -> dict[str, Any]:
    """Floats to 4 decimals; NaN (a class missing) to None, which JSON can hold."""
    return {
        k: (None if math.isnan(v) else round(v, 4)) if isinstance(v, float) else v
        for k, v in metrics.items()
    }
