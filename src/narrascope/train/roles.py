"""Training of the entity-role model (SemEval-2025 Task 10, subtask 1), numpy only.

Reads the train split of each language, encodes every document's sentences as the pipeline does,
fits the main- and fine-role softmax regressions, chooses the decoding settings (share of the
neighbour memory, its temperature, when to add a second fine role) on five folds of train
documents, refits on all of train, scores dev with the shipped prediction path and writes
``roles.npz`` + ``roles.json`` with the dev scores and the quality gate's floors.
"""

from __future__ import annotations

import itertools
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.detect.roles import (
    Layer,
    Memory,
    RoleConfig,
    RoleModel,
    decode,
    predict_mentions,
    softmax,
)
from narrascope.detect.roles_features import (
    HASH_DIM,
    FloatArray,
    IntArray,
    TextEncoder,
    mention_features,
)
from narrascope.errors import NarrascopeError
from narrascope.eval.t10 import LANGUAGES, Mention, roles, score_st1, t10_split
from narrascope.nlp.segment import split_sentences

FOLDS = 5
FLOOR_SLACK = 0.02
FLOOR_METRICS = ("emr", "main_role_accuracy")
# The decoding grid searched on held-out train folds.
NEIGHBOUR_WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
FINE_NEIGHBOUR_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4)
TEMPERATURES = (0.05, 0.1)
SECOND_FINE = (0.7, 2.0)


@dataclass
class TrainingSet:
    """Features and gold roles of the training mentions."""

    dense: FloatArray                                 # (n, d)
    hashed: list[tuple[IntArray, FloatArray]]         # per mention
    mention_vectors: FloatArray                       # (n, 512)
    doc_vectors: FloatArray                           # (documents, 512)
    doc_sketches: FloatArray                          # (documents, SKETCH_DIM)
    doc_index: IntArray                               # (n,)
    main: IntArray                                    # (n,) main-role index
    fine: FloatArray                                  # (n, fine roles), rows sum to 1
    languages: list[str]                              # per mention
    fold: IntArray                                    # (n,) held-out fold of its document


# ---------------------------------------------------------------- softmax regression


@dataclass(frozen=True)
class _Sparse:
    """Hashed rows in CSR form with the products a softmax fit needs."""

    indptr: IntArray
    indices: IntArray
    values: FloatArray
    order: IntArray        # positions sorted by bucket, for the transposed product
    buckets: IntArray      # the distinct buckets, in order
    bucket_starts: IntArray

    @classmethod
    def of(cls, rows: Sequence[tuple[IntArray, FloatArray]]) -> _Sparse:
        lengths = np.array([len(r[0]) for r in rows], dtype=np.int64)
        if (lengths == 0).any():
            raise NarrascopeError("a mention without lexical features")  # cannot happen: c-grams
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        indices = np.concatenate([r[0] for r in rows])
        order = np.argsort(indices, kind="stable")
        buckets, starts = np.unique(indices[order], return_index=True)
        return cls(indptr, indices, np.concatenate([r[1] for r in rows]).astype(np.float64),
                   order, buckets, starts)

    def dot(self, w: np.ndarray) -> np.ndarray:
        contributions = self.values[:, None] * w[self.indices]
        out: np.ndarray = np.add.reduceat(contributions, self.indptr[:-1], axis=0)
        return out

    def tdot(self, g: np.ndarray, width: int) -> np.ndarray:
        rows = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))
        contributions = (self.values[:, None] * g[rows])[self.order]
        out = np.zeros((width, g.shape[1]))
        out[self.buckets] = np.add.reduceat(contributions, self.bucket_starts, axis=0)
        return out


def fit_softmax(dense: np.ndarray, hashed: _Sparse, targets: np.ndarray, weights: np.ndarray,
                c: float, *, max_iter: int = 300, memory: int = 10) -> Layer:
    """Multinomial logistic regression, minimising c * weighted cross-entropy + ||W||^2 / 2
    (the bias unpenalised, as scikit-learn's C), by L-BFGS; `targets` is (n, k), rows of
    class shares."""
    x = np.asarray(dense, dtype=np.float64)
    d = x.shape[1]
    k = targets.shape[1]
    used = hashed.buckets
    h = len(used)
    remap = np.full(HASH_DIM, -1, dtype=np.int64)
    remap[used] = np.arange(h)
    compact = replace(hashed, indices=remap[hashed.indices], buckets=np.arange(h))

    def unpack(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (theta[:d * k].reshape(d, k), theta[d * k:(d + h) * k].reshape(h, k),
                theta[(d + h) * k:])

    def loss_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        wd, wh, b = unpack(theta)
        z = x @ wd + compact.dot(wh) + b
        z -= z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -c * float(weights @ (targets * log_p).sum(axis=1))
        loss += 0.5 * float((wd ** 2).sum() + (wh ** 2).sum())
        g = c * weights[:, None] * (np.exp(log_p) * targets.sum(axis=1, keepdims=True) - targets)
        grad = [(x.T @ g + wd).ravel(), (compact.tdot(g, h) + wh).ravel(), g.sum(axis=0)]
        return loss, np.concatenate(grad)

    theta = _lbfgs(loss_grad, np.zeros((d + h + 1) * k), max_iter, memory)
    wd, wh, b = unpack(theta)
    full = np.zeros((HASH_DIM, k), dtype=np.float32)
    full[used] = wh
    return Layer(wd.astype(np.float32), full, b.astype(np.float32))


def _lbfgs(f: Callable[[np.ndarray], tuple[float, np.ndarray]], theta: np.ndarray,
           max_iter: int, memory: int, tol: float = 1e-7) -> np.ndarray:
    loss, grad = f(theta)
    steps: list[tuple[np.ndarray, np.ndarray]] = []
    for _ in range(max_iter):
        q = grad.copy()
        alphas = []
        for s, y in reversed(steps):
            alpha = (s @ q) / (y @ s)
            alphas.append(alpha)
            q -= alpha * y
        if steps:
            s, y = steps[-1]
            q *= (s @ y) / (y @ y)
        for (s, y), alpha in zip(steps, reversed(alphas), strict=True):
            q += s * (alpha - (y @ q) / (y @ s))
        direction, slope = -q, float(-(grad @ q))
        if slope >= 0:  # not a descent direction: restart from the gradient
            direction, slope, steps = -grad, float(-(grad @ grad)), []
        step = 1.0 if steps else 1.0 / max(float(np.linalg.norm(grad)), 1e-12)
        while True:
            candidate = theta + step * direction
            new_loss, new_grad = f(candidate)
            if new_loss <= loss + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = candidate - theta, new_grad - grad
        if s @ y > 1e-12:
            steps = [*steps[-(memory - 1):], (s, y)]
        done = abs(loss - new_loss) <= tol * max(1.0, abs(loss))
        theta, loss, grad = candidate, new_loss, new_grad
        if done:
            break
    return theta


# ---------------------------------------------------------------- data


def _fold(language: str, article_id: str) -> int:
    return zlib.crc32(f"{language}/{article_id}".encode()) % FOLDS


def training_set(data_dir: Path, languages: Sequence[str], encoder: TextEncoder,
                 mains: Sequence[str], fines: Sequence[str],
                 say: Callable[[str], None]) -> TrainingSet:
    """Every train mention of `languages`, featurised as at prediction time."""
    parts: dict[str, list[Any]] = {key: [] for key in (
        "dense", "hashed", "mention_vectors", "doc_vectors", "doc_sketches", "doc_index",
        "main", "fine",
        "languages", "fold")}
    for language in languages:
        split = t10_split(data_dir, "train", language)
        by_article: dict[str, list[Mention]] = {}
        for m in split.mentions:
            by_article.setdefault(m.article_id, []).append(m)
        say(f"{language}: encoding {len(by_article)} documents, {len(split.mentions)} mentions")
        for article_id, mentions in sorted(by_article.items()):
            text = split.documents[article_id]
            sentences = split_sentences(text, language.lower())
            vectors = np.asarray(encoder.encode([s.slice(text) for s in sentences]),
                                 dtype=np.float32)
            spans = [(m.start, min(m.end + 1, len(text))) for m in mentions]
            feats = mention_features(text, language, spans, sentences, vectors, encoder)
            parts["doc_index"] += [len(parts["doc_vectors"])] * len(mentions)
            parts["doc_vectors"].append(feats.doc_vector)
            parts["doc_sketches"].append(feats.doc_sketch)
            parts["dense"].append(feats.dense)
            parts["hashed"] += feats.hashed
            parts["mention_vectors"].append(feats.mention_vectors)
            for m in mentions:
                parts["main"].append(mains.index(str(m.main_role)))
                row = np.zeros(len(fines), dtype=np.float32)
                known = [f for f in m.fine_roles if f in fines]
                for f in known:
                    row[fines.index(f)] = 1.0 / len(known)
                parts["fine"].append(row)
                parts["languages"].append(language)
                parts["fold"].append(_fold(language, article_id))
    if not parts["main"]:
        raise NarrascopeError(f"{data_dir}: no subtask-1 training mentions for "
                              f"{', '.join(languages)}")
    return TrainingSet(np.concatenate(parts["dense"]), parts["hashed"],
                       np.concatenate(parts["mention_vectors"]), np.array(parts["doc_vectors"]),
                       np.array(parts["doc_sketches"]), np.array(parts["doc_index"]),
                       np.array(parts["main"]), np.array(parts["fine"]), parts["languages"],
                       np.array(parts["fold"]))


# ---------------------------------------------------------------- fitting and choosing


def _fit_layers(data: TrainingSet, rows: np.ndarray, cfg: RoleConfig,
                n_mains: int) -> dict[str, Layer]:
    hashed = _Sparse.of([data.hashed[i] for i in rows])
    main_targets = np.eye(n_mains)[data.main[rows]]
    fine_targets = data.fine[rows].astype(np.float64)
    fine_weight = (fine_targets.sum(axis=1) > 0).astype(np.float64)
    weights = np.ones(len(rows))
    return {"main": fit_softmax(data.dense[rows], hashed, main_targets, weights, cfg.c_main),
            "fine": fit_softmax(data.dense[rows], hashed, fine_targets, fine_weight,
                                cfg.c_fine)}


def _memory(data: TrainingSet, n_mains: int) -> Memory:
    return Memory(data.mention_vectors, data.doc_vectors, data.doc_sketches, data.doc_index,
                  np.eye(n_mains, dtype=np.float32)[data.main], data.fine)


def _layer_probabilities(layer: Layer, data: TrainingSet, rows: np.ndarray) -> FloatArray:
    logits = data.dense[rows] @ layer.dense + layer.bias
    for j, i in enumerate(rows):
        buckets, values = data.hashed[i]
        logits[j] += values @ layer.hashed[buckets]
    return softmax(logits)


def _score(data: TrainingSet, main_probs: np.ndarray, fine_probs: np.ndarray,
           model: RoleModel, second_fine: float) -> tuple[float, float, float]:
    """(main-role accuracy + exact match ratio) / 2, main-role accuracy and exact match ratio,
    each the mean over languages."""
    per_language: dict[str, list[tuple[bool, bool]]] = {}
    for i, language in enumerate(data.languages):
        main, _, fine = decode(main_probs[i], fine_probs[i], model.mains, model.fines,
                               model.taxonomy, second_fine)
        gold_fine = {model.fines[j] for j in np.flatnonzero(data.fine[i])}
        right_main = main == model.mains[data.main[i]]
        exact = right_main and {f for f, _ in fine} == gold_fine
        per_language.setdefault(language, []).append((right_main, exact))
    main_acc = float(np.mean([np.mean([m for m, _ in v]) for v in per_language.values()]))
    emr = float(np.mean([np.mean([e for _, e in v]) for v in per_language.values()]))
    return (main_acc + emr) / 2, main_acc, emr


def choose_config(data: TrainingSet, model: RoleModel, base: RoleConfig,
                  say: Callable[[str], None]) -> tuple[RoleConfig, list[dict[str, Any]]]:
    """The decoding settings with the best held-out-fold score (out-of-fold probabilities)."""
    n = len(data.main)
    oof = {name: np.zeros((n, width)) for name, width in (("main", len(model.mains)),
                                                          ("fine", len(model.fines)))}
    for fold in range(FOLDS):
        train_rows, test_rows = np.flatnonzero(data.fold != fold), np.flatnonzero(
            data.fold == fold)
        say(f"fold {fold + 1}/{FOLDS}: fitting on {len(train_rows)} mentions")
        layers = _fit_layers(data, train_rows, base, len(model.mains))
        for name in oof:
            oof[name][test_rows] = _layer_probabilities(layers[name], data, test_rows)
    memory = _memory(data, len(model.mains))
    same_fold = data.fold[:, None] == data.fold[None, :]
    trials: list[tuple[RoleConfig, float, float, float]] = []
    for temperature in TEMPERATURES:
        near_main, near_fine = memory.probabilities(
            data.mention_vectors, data.doc_vectors[data.doc_index],
            data.doc_sketches[data.doc_index], base.neighbours, temperature, exclude=same_fold)
        for weight, fine_weight, second in itertools.product(
                NEIGHBOUR_WEIGHTS, FINE_NEIGHBOUR_WEIGHTS, SECOND_FINE):
            main = (1 - weight) * oof["main"] + weight * near_main
            fine = (1 - fine_weight) * oof["fine"] + fine_weight * near_fine
            cfg = replace(base, neighbour_weight=weight, fine_neighbour_weight=fine_weight,
                          temperature=temperature, second_fine=second)
            trials.append((cfg, *_score(data, main, fine, model, second)))
    best = max(trials, key=lambda t: t[1])  # the first of equals: the grid's order decides
    table = [{"neighbour_weight": c.neighbour_weight,
              "fine_neighbour_weight": c.fine_neighbour_weight, "temperature": c.temperature,
              "second_fine": c.second_fine, "held_out_score": round(score, 4),
              "held_out_main_role_accuracy": round(main_acc, 4),
              "held_out_emr": round(emr, 4)} for c, score, main_acc, emr in trials]
    return best[0], table


# ---------------------------------------------------------------- evaluation and the entry point


def evaluate(model: RoleModel, data_dir: Path, split: str, languages: Sequence[str],
             encoder: TextEncoder) -> dict[str, Any]:
    """The official subtask-1 scores per language and their mean over languages."""
    out: dict[str, Any] = {}
    for language in languages:
        part = t10_split(data_dir, split, language)
        if not part.mentions:
            continue
        inputs = [Mention(m.article_id, m.text, m.start, m.end) for m in part.mentions]
        pred = predict_mentions(model, part.documents, inputs, language, encoder)
        out[language] = {k: round(v, 4) for k, v in score_st1(part.mentions, pred).items()}
    if out:
        out["mean"] = {k: round(float(np.mean([out[lang][k] for lang in languages
                                               if lang in out])), 4)
                       for k in ("emr", "main_role_accuracy", "fine_f1")}
    return out


def floors(dev: dict[str, Any]) -> list[dict[str, Any]]:
    """The quality gate's floors: each language's dev score less FLOOR_SLACK."""
    return [{"task": "t10-st1", "split": "dev", "lang": language, "metric": metric,
             "floor": round(float(scores[metric]) - FLOOR_SLACK, 3)}
            for language, scores in dev.items() if language in LANGUAGES
            for metric in FLOOR_METRICS]


def train_roles(data_dir: Path, model_dir: Path, *, encoder: TextEncoder | None = None,
                languages: Sequence[str] = LANGUAGES,
                progress: Callable[[str], None] | None = None,
                config: RoleConfig | None = None) -> dict[str, Any]:
    """Train on the train split, choose settings on held-out train folds, score dev, write
    ``roles.npz`` / ``roles.json``; returns the metrics written to the JSON."""
    began = time.monotonic()
    say = progress or (lambda _message: None)
    if encoder is None:
        from narrascope.embed import Encoder

        encoder = Encoder()
    taxonomy = roles(data_dir)
    mains = list(taxonomy)
    fines = [f for main in mains for f in taxonomy[main]]
    data = training_set(data_dir, languages, encoder, mains, fines, say)
    base = config or RoleConfig()
    probe = RoleModel({}, _memory(data, len(mains)), mains, taxonomy, base)
    chosen, table = choose_config(data, probe, base, say)
    say(f"chosen: neighbour weight {chosen.neighbour_weight} (main), "
        f"{chosen.fine_neighbour_weight} (fine), temperature "
        f"{chosen.temperature}, second fine role at {chosen.second_fine}; fitting on all")
    layers = _fit_layers(data, np.arange(len(data.main)), chosen, len(mains))
    # dev is scored as shipped: the memory rounded to float16 as the artifact stores it
    model = RoleModel(layers, _memory(data, len(mains)).as_stored(), mains, taxonomy, chosen)
    say("scoring dev")
    dev = evaluate(model, data_dir, "dev", languages, encoder)
    metrics: dict[str, Any] = {
        "mean": dev.get("mean", {}), "dev": dev, "held_out": table,
        "train_mentions": {lang: data.languages.count(lang) for lang in languages},
        "seconds": round(time.monotonic() - began, 1)}
    model.save(model_dir, {"metrics": metrics, "floors": floors(dev)})
    if "mean" in dev:
        say(f"dev mean: main-role accuracy {dev['mean']['main_role_accuracy']:.3f}, "
            f"EMR {dev['mean']['emr']:.3f}, fine F1 {dev['mean']['fine_f1']:.3f}")
    return metrics
