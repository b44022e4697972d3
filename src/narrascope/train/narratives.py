"""Train the narratives detector (``models/narratives.npz`` + ``.json``) on SemEval-2025 Task 10
subtask-2 TRAIN documents of all five languages, numpy only; dev is only scored, test never read.

Steps: segment and encode each document's sentences; a vocabulary from the training texts;
independent logistic regressions for every narrative and sub-narrative over [mean sentence
vector, TF-IDF words], fitted together by L-BFGS (the word block is fitted in the span of the
training documents, which for an L2 penalty gives the same weights as the full vocabulary, then
mapped back to one weight per word); per-label Platt calibration on out-of-fold logits; the
decoding thresholds chosen on the cross-fitted out-of-fold probabilities to maximise the mean
over languages of the official samples-F1. Then the same again without Russian, to measure a
language the model never saw.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.detect.narratives import (
    ARTIFACT,
    DIMENSIONS,
    NAME,
    VERSION,
    Decoding,
    Taxonomy,
    Weights,
)
from narrascope.detect.narratives_features import FloatArray, Lexicon, mean_vector, words
from narrascope.embed import ENCODER_NAME, Encoder
from narrascope.eval.t10 import NarrativeLabels, class_lists, t10_split
from narrascope.nlp.segment import split_sentences
from narrascope.train.logistic import fit_logistic
from narrascope.train.narrative_tuning import Unseen, score_by_language, tune_decoding

Progress = Callable[[str], None]
LANGUAGES = ("BG", "EN", "HI", "PT", "RU")
UNSEEN = "RU"  # the language left out to measure an unseen one
FLOOR_SLACK = 0.02
COMMAND = "narrascope train narratives"
_ENCODE_CHUNK = 2048


@dataclass(frozen=True)
class Config:
    l2: float = 0.1  # L2 penalty (sum of log-losses + l2/2 |W|^2), chosen on train folds
    lex_scale: float = 2.0  # weight of the TF-IDF block next to the unit sentence vector
    min_df: int = 2
    max_words: int = 50_000
    folds: int = 5
    seed: int = 0
    max_iter: int = 300
    unseen_language: bool = True  # also train without UNSEEN and score it
    ablations: bool = True  # out-of-fold scores with each step undone (for the model card)
    other_columns: bool = True  # score "<narrative>: Other" as a column of its own


@dataclass
class Corpus:
    """Documents with what training needs: tokens, mean sentence vectors, gold and targets."""

    languages: list[str]
    tokens: list[list[str]]
    vectors: FloatArray  # (documents, 512)
    targets: FloatArray  # (documents, labels): narratives then sub-narratives
    gold: list[NarrativeLabels]

    def subset(self, keep: Sequence[int] | np.ndarray) -> Corpus:
        rows = [int(i) for i in keep]
        return Corpus([self.languages[i] for i in rows], [self.tokens[i] for i in rows],
                      self.vectors[rows], self.targets[rows], [self.gold[i] for i in rows])


def load_corpus(data_dir: Path, split: str, languages: Sequence[str], taxonomy: Taxonomy,
                encoder: Any, say: Progress) -> Corpus:
    """One split's subtask-2 documents of `languages`, segmented and encoded."""
    langs, tokens, gold, sentences, counts = [], [], [], [], []
    for language in languages:
        part = t10_split(data_dir, split, language)
        for labels in part.narratives:
            text = part.documents[labels.article_id]
            spans = split_sentences(text, language.lower())
            sentences += [s.slice(text) for s in spans]
            counts.append(len(spans))
            langs.append(language)
            tokens.append(words(text))
            gold.append(labels)
    encoded = [np.asarray(encoder.encode(sentences[i:i + _ENCODE_CHUNK]), dtype=np.float32)
               for i in range(0, len(sentences), _ENCODE_CHUNK)]
    flat = np.concatenate(encoded) if encoded else np.zeros((0, DIMENSIONS), np.float32)
    bounds = np.concatenate([[0], np.cumsum(counts)]).astype(int)
    vectors = np.stack([mean_vector(flat[a:b], DIMENSIONS)
                        for a, b in pairwise(bounds)])
    say(f"{split}: {len(gold)} documents, {len(sentences)} sentences ({', '.join(languages)})")
    return Corpus(langs, tokens, vectors, targets(gold, taxonomy), gold)


def targets(gold: Sequence[NarrativeLabels], taxonomy: Taxonomy) -> FloatArray:
    labels = taxonomy.labels
    return np.array([[label in set(g.narratives) | set(g.subnarratives) for label in labels]
                     for g in gold], dtype=np.float32).reshape(len(gold), len(labels))


# ---------------------------------------------------------------- fitting


def _lbfgs(objective: Callable[[FloatArray], tuple[float, FloatArray]], x: FloatArray,
           max_iter: int, memory: int = 10, tol: float = 1e-7) -> FloatArray:
    """Minimise a smooth convex function: L-BFGS with Armijo backtracking."""
    f, g = objective(x)
    steps: list[tuple[FloatArray, FloatArray]] = []
    for _ in range(max_iter):
        q, alphas = g.copy(), []
        for s, y in reversed(steps):
            alphas.append(float(s @ q) / float(y @ s))
            q -= alphas[-1] * y
        if steps:
            s, y = steps[-1]
            q *= float(s @ y) / float(y @ y)
        for (s, y), a in zip(steps, reversed(alphas), strict=True):
            q += s * (a - float(y @ q) / float(y @ s))
        direction, slope = -q, -float(g @ q)
        if slope >= 0:  # not a descent direction: restart from the gradient
            direction, slope, steps = -g, -float(g @ g), []
        t = 1.0 if steps else 1.0 / max(float(np.linalg.norm(g)), 1.0)
        while True:
            f_new, g_new = objective(x + t * direction)
            if f_new <= f + 1e-4 * t * slope or t < 1e-10:
                break
            t /= 2.0
        s, y = t * direction, g_new - g
        if float(s @ y) > 1e-12:
            steps = [*steps[-(memory - 1):], (s, y)]
        done = abs(f - f_new) <= tol * max(1.0, abs(f))
        x, f, g = x + s, f_new, g_new
        if done:
            break
    return x


def fit_multilabel(x: FloatArray, y: FloatArray, l2: float,
                   max_iter: int = 300) -> tuple[FloatArray, FloatArray]:
    """One logistic regression per column of `y`, all fitted at once (their losses add up);
    L2 on the slopes. Returns (weights (features, labels), biases (labels,))."""
    n, d = x.shape
    k = y.shape[1]
    design = np.hstack([x, np.ones((n, 1))]).astype(np.float64)
    penalty = np.full((d + 1, 1), l2)
    penalty[-1] = 0.0

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        b = theta.reshape(d + 1, k)
        z = design @ b
        loss = float((np.logaddexp(0.0, z) - y * z).sum() + 0.5 * (penalty * b * b).sum())
        grad = design.T @ (0.5 * (1.0 + np.tanh(0.5 * z)) - y) + penalty * b
        return loss / n, grad.ravel() / n

    theta = _lbfgs(objective, np.zeros((d + 1) * k), max_iter).reshape(d + 1, k)
    return theta[:-1].astype(np.float32), theta[-1].astype(np.float32)


@dataclass(frozen=True)
class Fitted:
    """Uncalibrated weights and the vocabulary they were fitted with."""

    lexicon: Lexicon
    vec: FloatArray
    lex: FloatArray
    bias: FloatArray
    lex_scale: float

    def logits(self, corpus: Corpus) -> FloatArray:
        weights = Weights(self.vec, self.lex, self.bias, self.bias, self.bias, self.lex_scale)
        return weights.logits(corpus.vectors, [self.lexicon.row(t) for t in corpus.tokens])


def fit(corpus: Corpus, cfg: Config) -> Fitted:
    """The layer over [mean vector, lex_scale * TF-IDF]: the TF-IDF block is replaced by its
    coordinates in the span of the training rows (exact for an L2 penalty), then mapped back."""
    lexicon = Lexicon.fit(corpus.tokens, cfg.min_df, cfg.max_words)
    tfidf = lexicon.dense(corpus.tokens)
    gram = (cfg.lex_scale ** 2) * (tfidf @ tfidf.T).astype(np.float64)
    values, basis = np.linalg.eigh(gram)
    keep = values > 1e-8 * max(float(values.max(initial=0.0)), 1e-12) + 1e-12
    coords = basis[:, keep] * np.sqrt(values[keep])  # = (lex_scale * tfidf) @ P
    w, bias = fit_multilabel(np.hstack([corpus.vectors, coords]), corpus.targets, cfg.l2,
                             cfg.max_iter)
    back = (basis[:, keep] / np.sqrt(values[keep])) @ w[DIMENSIONS:]  # P = tfidf.T @ back * s
    lex = (cfg.lex_scale * (tfidf.T @ back)).astype(np.float32)
    return Fitted(lexicon, w[:DIMENSIONS], lex, bias, cfg.lex_scale)


def _folds(corpus: Corpus, cfg: Config) -> np.ndarray:
    """A fold per document, each language spread evenly over the folds."""
    rng = np.random.default_rng(cfg.seed)
    fold = np.zeros(len(corpus.gold), dtype=int)
    for language in sorted(set(corpus.languages)):
        rows = rng.permutation([i for i, x in enumerate(corpus.languages) if x == language])
        fold[rows] = np.arange(len(rows)) % cfg.folds
    return fold


def _platt(logits: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per label (slope, intercept) of sigmoid(slope * logit + intercept)."""
    slope, intercept = np.ones(y.shape[1], np.float32), np.zeros(y.shape[1], np.float32)
    for j in range(y.shape[1]):
        if 0 < y[:, j].sum() < len(y):
            a, b = fit_logistic(logits[:, j].astype(np.float64), y[:, j].astype(np.float64))
            slope[j], intercept[j] = a, b
        else:
            slope[j], intercept[j] = 0.0, (10.0 if y[:, j].sum() else -10.0)
    return slope, intercept


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def out_of_fold(corpus: Corpus, cfg: Config, say: Progress) -> tuple[FloatArray, FloatArray]:
    """Out-of-fold logits, and probabilities calibrated by Platt fits on the other folds."""
    fold = _folds(corpus, cfg)
    logits = np.zeros(corpus.targets.shape, np.float32)
    for k in range(cfg.folds):
        held = np.flatnonzero(fold == k)
        logits[held] = fit(corpus.subset(np.flatnonzero(fold != k)), cfg).logits(
            corpus.subset(held))
        say(f"fold {k + 1}/{cfg.folds} fitted")
    probs = np.zeros_like(logits)
    for k in range(cfg.folds):
        slope, intercept = _platt(logits[fold != k], corpus.targets[fold != k])
        probs[fold == k] = _sigmoid(slope * logits[fold == k] + intercept)
    return logits, probs


def held_out_languages(corpus: Corpus, cfg: Config, logits: FloatArray, say: Progress
                       ) -> Unseen | None:
    """Each language's documents scored by a model fitted on the other languages only, and
    calibrated as the shipped model is (Platt on all out-of-fold `logits`): what the model does
    in a language it never saw. None when the corpus has a single language."""
    languages = sorted(set(corpus.languages))
    if len(languages) < 2:
        return None
    slope, intercept = _platt(logits, corpus.targets)
    probs = np.zeros_like(logits)
    coverage = np.zeros(len(corpus.gold))
    for language in languages:
        rows = np.array([i for i, x in enumerate(corpus.languages) if x == language])
        rest = np.array([i for i, x in enumerate(corpus.languages) if x != language])
        fitted = fit(corpus.subset(rest), cfg)
        probs[rows] = _sigmoid(slope * fitted.logits(corpus.subset(rows)) + intercept)
        coverage[rows] = [fitted.lexicon.coverage(corpus.tokens[i]) for i in rows]
        say(f"{language} scored by a model trained without it")
    return Unseen(probs, coverage.tolist())


# ---------------------------------------------------------------- the whole run


@dataclass(frozen=True)
class Trained:
    weights: Weights
    lexicon: Lexicon
    decoding: Decoding
    out_of_fold: dict[str, Any]


def train_model(corpus: Corpus, taxonomy: Taxonomy, classes: tuple[list[str], list[str]],
                cfg: Config, say: Progress, ablations: bool = False) -> Trained:
    """Out-of-fold calibration and thresholds, then the weights fitted on all of `corpus`."""
    logits, probs = out_of_fold(corpus, cfg, say)
    unseen = held_out_languages(corpus, cfg, logits, say)
    decoding = tune_decoding(corpus, probs, taxonomy, classes, unseen=unseen)
    say(f"decoding chosen on held-out train folds: {decoding}")
    slope, intercept = _platt(logits, corpus.targets)
    full = fit(corpus, cfg)
    weights = Weights(full.vec, full.lex, full.bias, slope, intercept, cfg.lex_scale)
    report: dict[str, Any] = {
        "decoded": score_by_language(corpus, probs, taxonomy, decoding, classes)}
    if unseen is not None:  # each language decoded as an unseen one, by a model without it
        report["held_out_languages"] = score_by_language(corpus, unseen.probs, taxonomy,
                                                         decoding, classes, (), unseen.coverage)
    if ablations:
        report["ablations"] = _ablations(corpus, logits, probs, taxonomy, classes, cfg, say)
    return Trained(weights, full.lexicon, decoding, report)


def _ablations(corpus: Corpus, logits: FloatArray, probs: FloatArray, taxonomy: Taxonomy,
               classes: tuple[list[str], list[str]], cfg: Config, say: Progress
               ) -> dict[str, Any]:
    """Out-of-fold mean F1 with one step undone at a time, thresholds re-tuned without it."""
    def scored(p: FloatArray, **fixed: Any) -> dict[str, float]:
        chosen = tune_decoding(corpus, p, taxonomy, classes, **fixed)
        return score_by_language(corpus, p, taxonomy, chosen, classes)["mean"]

    thresholds = ("thresholds",)
    out = {"shipped": scored(probs),
           "thresholds_decoder": scored(probs, modes=thresholds),
           "expected_f1_decoder": scored(probs, modes=("expected_f1",)),
           "thresholds_no_domain_gate": scored(probs, modes=thresholds, one_domain=False),
           "thresholds_domain_gate_forced": scored(probs, modes=thresholds, one_domain=True),
           "thresholds_no_narrative_fallback": scored(probs, modes=thresholds, fallback=1.0),
           "thresholds_no_sub_fallback": scored(probs, modes=thresholds, sub_fallback=1.0),
           "thresholds_no_sub_implies_narrative": scored(probs, modes=thresholds,
                                                         implied_by_sub=1.0),
           "uncalibrated": scored(_sigmoid(logits))}
    for name, block in (("sentence_vectors_only", replace(cfg, lex_scale=0.0)),
                        ("words_only", cfg)):
        part = corpus if name != "words_only" else replace(
            corpus, vectors=np.zeros_like(corpus.vectors))
        out[name] = scored(out_of_fold(part, block, lambda _m: None)[1])
        say(f"ablation {name}: {out[name]}")
    if taxonomy.other_columns:  # "<narrative>: Other" estimated from the other columns instead
        plain = replace(taxonomy, other_columns=False)
        part = replace(corpus, targets=corpus.targets[:, :plain.size])
        p = out_of_fold(part, cfg, lambda _m: None)[1]
        out["no_narrative_other_columns"] = score_by_language(
            part, p, plain, tune_decoding(part, p, plain, classes), classes)["mean"]
        say(f"ablation no_narrative_other_columns: {out['no_narrative_other_columns']}")
    return out


def predict_probabilities(trained: Trained, corpus: Corpus) -> FloatArray:
    rows = [trained.lexicon.row(t) for t in corpus.tokens]
    return trained.weights.probabilities(trained.weights.logits(corpus.vectors, rows))


def save(trained: Trained, taxonomy: Taxonomy, model_dir: Path, meta: dict[str, Any]) -> None:
    model_dir.mkdir(parents=True, exist_ok=True)
    w = trained.weights
    vocabulary = sorted(trained.lexicon.index, key=trained.lexicon.index.__getitem__)
    with (model_dir / f"{ARTIFACT}.npz").open("wb") as fh:
        np.savez_compressed(fh, vec=w.vec.astype(np.float32), lex=w.lex.astype(np.float16),
                            bias=w.bias, slope=w.slope, intercept=w.intercept,
                            idf=trained.lexicon.idf, vocabulary=np.array(vocabulary, dtype=str))
    document = {"name": NAME, "version": VERSION, "narratives": list(taxonomy.narratives),
                "subnarratives": list(taxonomy.subnarratives), "parent": list(taxonomy.parent),
                "other_columns": taxonomy.other_columns,
                "decoding": asdict(trained.decoding), **meta}
    (model_dir / f"{ARTIFACT}.json").write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def floors(dev: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """The quality gate's floors: each language's dev F1 less FLOOR_SLACK."""
    return [{"task": "t10-st2", "split": "dev", "lang": language, "metric": metric,
             "floor": round(max(scores[metric] - FLOOR_SLACK, 0.0), 3)}
            for language, scores in dev.items() if language != "mean"
            for metric in ("f1_coarse", "f1_fine")]


def _unseen(train: Corpus, dev: Corpus, taxonomy: Taxonomy, classes: tuple[list[str], list[str]],
            cfg: Config, with_it: dict[str, float], say: Progress) -> dict[str, Any]:
    say(f"unseen-language check: training again without {UNSEEN}")
    keep = [i for i, x in enumerate(train.languages) if x != UNSEEN]
    trained = train_model(train.subset(keep), taxonomy, classes, cfg, lambda _m: None)
    rows = [i for i, x in enumerate(dev.languages) if x == UNSEEN]
    part = dev.subset(rows)
    without = score_by_language(part, predict_probabilities(trained, part), taxonomy,
                                trained.decoding, classes, sorted(set(train.languages) - {UNSEEN}),
                                [trained.lexicon.coverage(t) for t in part.tokens])[UNSEEN]
    return {"language": UNSEEN, "dev_trained_with": with_it, "dev_trained_without": without,
            "f1_coarse_drop": round(with_it["f1_coarse"] - without["f1_coarse"], 4)}


def train_narratives(data_dir: Path, model_dir: Path, *, encoder: Any = None,
                     languages: Sequence[str] = LANGUAGES, progress: Progress | None = None,
                     config: Config | None = None) -> dict[str, Any]:
    """Train on the train split of `languages`, score their dev split, write the artifacts;
    returns what the JSON artifact records (metrics, settings, floors)."""
    began = time.monotonic()
    say: Progress = progress or (lambda _message: None)
    cfg = config or Config()
    encoder = encoder if encoder is not None else Encoder()
    classes = class_lists(data_dir)
    taxonomy = Taxonomy.from_labels(*classes, other_columns=cfg.other_columns)
    train = load_corpus(data_dir, "train", languages, taxonomy, encoder, say)
    dev = load_corpus(data_dir, "dev", languages, taxonomy, encoder, say)
    trained = train_model(train, taxonomy, classes, cfg, say, cfg.ablations)
    scores = score_by_language(dev, predict_probabilities(trained, dev), taxonomy,
                               trained.decoding, classes)
    say("dev " + ", ".join(f"{k} {v['f1_coarse']:.3f}/{v['f1_fine']:.3f}"
                           for k, v in scores.items()))
    meta: dict[str, Any] = {
        "settings": {**asdict(cfg), "encoder": ENCODER_NAME, "words": trained.lexicon.size},
        "trained_on": {"dataset": "SemEval-2025 Task 10, subtask 2", "split": "train",
                       "languages": list(languages), "documents": len(train.gold)},
        "metrics": {"dev": scores, "train_out_of_fold": trained.out_of_fold},
    }
    if cfg.unseen_language and UNSEEN in languages and len(set(languages)) > 1:
        meta["unseen_language"] = _unseen(train, dev, taxonomy, classes, cfg, scores[UNSEEN],
                                          say)
    meta["seconds"] = round(time.monotonic() - began, 1)
    meta["floors"] = floors(scores)
    meta["command"] = COMMAND
    save(trained, taxonomy, model_dir, meta)
    return meta
