"""Training of the entity-role model (SemEval-2025 Task 10, subtask 1), numpy only.

Reads the train split of each language, encodes every document's sentences as the pipeline does,
and featurises two kinds of mentions: those the annotators cast (their roles) and those of the
actors narrascope finds but the annotators did not cast ("not framed"). Fits the main (roles +
not framed) and fine softmax regressions, measures them on five held-out folds of train
documents, refits on all of train, scores dev with the shipped prediction path, chooses the
abstention threshold and the score calibration on the dev part of the project's real-material
set (`roles-real`, when its texts are there) and writes ``roles.npz`` + ``roles.json``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.detect.entities import EntityFinder
from narrascope.detect.framing import FramingLexicon
from narrascope.detect.roles import (
    Layer,
    RoleConfig,
    RoleModel,
    decode,
    predict_mentions,
    with_identity,
)
from narrascope.detect.roles_features import (
    HASH_DIM,
    FloatArray,
    IntArray,
    TextEncoder,
)
from narrascope.errors import NarrascopeError
from narrascope.eval.roles_real import RealDocument, score_documents
from narrascope.eval.t10 import LANGUAGES, Mention, roles, score_st1, t10_split
from narrascope.train.roles_data import (
    FOLDS,
    REAL_FOLDS,
    TrainingSet,
    fold_of,
    training_set,
)
from narrascope.train.roles_head import fit_entity_head

FLOOR_SLACK = 0.02
FLOOR_METRICS = ("emr", "main_role_accuracy")
IDENTITY_WEIGHTS = (0.0, 0.25, 0.5)  # "identity may only break ties": at most half the weight
REAL_WEIGHT = 3.0  # weight of a roles-real dev mention against a SemEval one


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


# ---------------------------------------------------------------- fitting and measuring


def _fit_layers(data: TrainingSet, rows: np.ndarray, cfg: RoleConfig,
                n_main: int) -> dict[str, Layer]:
    hashed = _Sparse.of([data.hashed[i] for i in rows])
    main_targets = np.eye(n_main + 1)[data.main[rows]]
    weights = np.where(data.main[rows] == n_main, cfg.none_weight, 1.0) * data.weight[rows]
    fine_targets = data.fine[rows].astype(np.float64)
    fine_weight = (fine_targets.sum(axis=1) > 0).astype(np.float64)
    cast = rows[(data.main[rows] < n_main) & (data.real_document[rows] < 0)]
    identity = _Sparse.of([data.identity[i] for i in cast])
    empty = np.zeros((len(cast), 0))
    return {"main": fit_softmax(data.dense[rows], hashed, main_targets, weights, cfg.c_main),
            "fine": fit_softmax(data.dense[rows], hashed, fine_targets, fine_weight,
                                cfg.c_fine),
            "identity_main": fit_softmax(empty, identity, np.eye(n_main)[data.main[cast]],
                                         np.ones(len(cast)), cfg.c_main),
            "identity_fine": fit_softmax(empty, identity, data.fine[cast].astype(np.float64),
                                         np.ones(len(cast)), cfg.c_fine)}


def _layer_probabilities(name: str, layer: Layer, data: TrainingSet,
                         rows: np.ndarray) -> FloatArray:
    if name.startswith("identity"):
        return layer.of(np.zeros((len(rows), 0)), [data.identity[i] for i in rows])
    return layer.of(data.dense[rows], [data.hashed[i] for i in rows])


def _score(data: TrainingSet, main_probs: np.ndarray, fine_probs: np.ndarray,
           model: RoleModel) -> dict[str, float]:
    """On the cast mentions: main-role accuracy and exact match ratio (means over languages);
    on all: how well "not framed" is told apart (accuracy of framed vs not at 0.5)."""
    per_language: dict[str, list[tuple[bool, bool]]] = {}
    for i in np.intersect1d(data.cast, data.semeval):
        main, _, fine = decode(main_probs[i], fine_probs[i], model.mains, model.fines,
                               model.taxonomy, model.config.second_fine)
        gold_fine = {model.fines[j] for j in np.flatnonzero(data.fine[i])}
        right_main = main == model.mains[data.main[i]]
        exact = right_main and {f for f, _ in fine} == gold_fine
        per_language.setdefault(data.languages[i], []).append((right_main, exact))
    return {"main_role_accuracy": float(np.mean([np.mean([m for m, _ in v])
                                                 for v in per_language.values()])),
            "emr": float(np.mean([np.mean([e for _, e in v]) for v in per_language.values()]))}


def held_out(data: TrainingSet, model: RoleModel, say: Callable[[str], None]
             ) -> tuple[float, list[dict[str, float]]]:
    """The identity weight chosen on out-of-fold probabilities (five folds of train
    documents), and the held-out scores of each weight tried."""
    n = len(data.main)
    widths = {"main": len(model.mains) + 1, "fine": len(model.fines),
              "identity_main": len(model.mains), "identity_fine": len(model.fines)}
    oof = {name: np.zeros((n, width)) for name, width in widths.items()}
    for fold in range(FOLDS):
        train_rows = np.flatnonzero(data.fold != fold)
        test_rows = np.flatnonzero(data.fold == fold)
        say(f"fold {fold + 1}/{FOLDS}: fitting on {len(train_rows)} mentions")
        layers = _fit_layers(data, train_rows, model.config, len(model.mains))
        for name in oof:
            oof[name][test_rows] = _layer_probabilities(name, layers[name], data, test_rows)
    rows = data.semeval
    framed = oof["main"][rows, :len(model.mains)].sum(axis=1) >= 0.5
    table = []
    for weight in IDENTITY_WEIGHTS:
        main, fine = with_identity(oof["main"], oof["fine"], oof["identity_main"],
                                   oof["identity_fine"], weight, len(model.mains))
        scores = _score(data, main, fine, model)
        table.append({"identity_weight": weight,
                      **{k: round(v, 4) for k, v in scores.items()},
                      "framed_accuracy": round(float(np.mean(
                          framed == (data.main[rows] < len(model.mains)))), 4)})
    best = max(table, key=lambda row: row["main_role_accuracy"] + row["emr"])
    return best["identity_weight"], table


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


def real_floors(scores: dict[str, Any]) -> list[dict[str, Any]]:
    """roles-real dev floors: the shipped model's dev accuracy (in sample) less FLOOR_SLACK,
    overall and per language."""
    from narrascope.eval.roles_real import LANGUAGES as REAL_LANGUAGES

    return [{"task": "roles-real", "split": "dev", **({"lang": key} if key != "all" else {}),
             "metric": "main_role_accuracy",
             "floor": round(float(scores[key]["main_role_accuracy"]) - FLOOR_SLACK, 3)}
            for key in ("all", *REAL_LANGUAGES) if key in scores]


def _real_documents(data_dir: Path, say: Callable[[str], None]) -> list[RealDocument]:
    """The roles-real dev documents, or none when their texts are not under `data_dir`."""
    from narrascope.eval.roles_real import load_documents

    try:
        return load_documents(data_dir, "dev")
    except NarrascopeError as exc:
        say(f"roles-real dev left out: {exc}")
        return []


def _out_of_fold_models(data: TrainingSet, real: Sequence[RealDocument], model: RoleModel,
                        say: Callable[[str], None]) -> list[RoleModel]:
    """For each roles-real dev document, a model trained without its fold of documents."""
    if not real:
        return []
    folds = np.array([fold_of("real", d.id, REAL_FOLDS) for d in real])
    readers: dict[int, RoleModel] = {}
    for k in np.unique(folds):
        held = np.flatnonzero(folds == k)
        rows = np.flatnonzero(~np.isin(data.real_document, held))
        say(f"roles-real fold {k + 1}/{REAL_FOLDS}: fitting without {len(held)} documents")
        layers = _fit_layers(data, rows, model.config, len(model.mains))
        readers[int(k)] = RoleModel(layers, model.mains, model.taxonomy, model.config,
                                    lexicon=model.lexicon, finder=model._finder)
    return [readers[int(k)] for k in folds]


def train_roles(data_dir: Path, model_dir: Path, *, encoder: TextEncoder | None = None,
                languages: Sequence[str] = LANGUAGES,
                progress: Callable[[str], None] | None = None,
                config: RoleConfig | None = None) -> dict[str, Any]:
    """Train on the train split, measure on held-out train folds, score dev, choose abstention
    and calibration on roles-real dev, write ``roles.npz`` / ``roles.json``; returns the
    metrics written to the JSON."""
    began = time.monotonic()
    say = progress or (lambda _message: None)
    if encoder is None:
        from narrascope.embed import Encoder

        encoder = Encoder()
    taxonomy = roles(data_dir)
    mains = list(taxonomy)
    fines = [f for main in mains for f in taxonomy[main]]
    finder, lexicon = EntityFinder(), FramingLexicon()
    real = _real_documents(data_dir, say)
    data = training_set(data_dir, languages, encoder, mains, fines, finder, lexicon, say,
                        real, REAL_WEIGHT)
    base = config or RoleConfig()
    probe = RoleModel({}, mains, taxonomy, base, lexicon=lexicon, finder=finder)
    weight, folds = held_out(data, probe, say)
    chosen = replace(base, identity_weight=weight)
    say(f"identity weight {weight} (held-out folds); fitting on all")
    layers = _fit_layers(data, np.arange(len(data.main)), chosen, len(mains))
    model = RoleModel(layers, mains, taxonomy, chosen, lexicon=lexicon, finder=finder)
    say("scoring dev")
    dev = evaluate(model, data_dir, "dev", languages, encoder)
    say("fitting the entity decision on roles-real dev, out of fold")
    readers = _out_of_fold_models(data, real, model, say)
    model.head, real_report = fit_entity_head(readers, real, encoder)
    if real:
        say("scoring roles-real dev as shipped (in sample)")
        real_report["as_shipped"] = score_documents(model, real, encoder)
    metrics: dict[str, Any] = {
        "mean": dev.get("mean", {}), "dev": dev, "held_out": folds,
        "roles_real_dev": real_report, "real_weight": REAL_WEIGHT,
        "train_mentions": {lang: data.languages.count(lang) for lang in languages},
        "cast_mentions": len(data.cast),
        "seconds": round(time.monotonic() - began, 1)}
    model.save(model_dir, {"metrics": metrics, "floors": floors(dev) + real_floors(
        real_report.get("as_shipped", {}))})
    if "mean" in dev:
        say(f"dev mean: main-role accuracy {dev['mean']['main_role_accuracy']:.3f}, "
            f"EMR {dev['mean']['emr']:.3f}, fine F1 {dev['mean']['fine_f1']:.3f}")
    return metrics
