"""Technique classification (TC): given spans of an article, name the PTC technique of each.

A multinomial logistic regression over feature blocks (see :mod:`tc_features`): the encoder
vectors of the span and of its sentence, hashed TF-IDF word/char n-grams of the span, and dense
cues (length, repetition in the article, punctuation, position), plus hashed features of what
surrounds the span (neighbouring words, sentence start/end, inside quotes). Trained on PTC train
plus the ru_zen_prop train spans whose technique has a PTC counterpart (``RU_TO_PTC``), with
scikit-learn at training time only; the weights ship as ``models/techniques-tc.npz`` + ``.json``
and prediction is numpy only.
"""

from __future__ import annotations

import importlib
import json
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.config import PACKAGE_DIR
from narrascope.detect.techniques.tc_features import (
    DENSE_NAMES,
    HASH_DIM,
    FloatArray,
    SpanTexts,
    around_row,
    span_texts,
    tfidf_row,
)
from narrascope.embed import Encoder
from narrascope.errors import NarrascopeError
from narrascope.eval.ptc import TECHNIQUES, Span, SpanCorpus, ptc_corpus, ru_zen_corpus, score_tc

NAME = "techniques-tc"
VERSION = "1"
ARTIFACT = "techniques-tc"
FLOOR_SLACK = 0.02

# ru_zen_prop fine techniques -> the PTC class they correspond to; the others are dropped.
RU_TO_PTC: dict[str, str] = {
    "Loaded_language": "Loaded_Language",
    "Hate_speech,slang,name_calling": "Name_Calling,Labeling",
    "Labelling": "Name_Calling,Labeling",
    "Appeal_to_authority": "Appeal_to_Authority",
    "Casting_Doubt": "Doubt",
    "Appeal_to_fear/prejudice": "Appeal_to_fear-prejudice",
    "Exaggeration/Minimization": "Exaggeration,Minimisation",
    "Flag_waving": "Flag-Waving",
    "Slogan": "Slogans",
    "Repetition": "Repetition",
    "False_Dilemma": "Black-and-White_Fallacy",
    "Causal_Simplification": "Causal_Oversimplification",
    "Distraction_by_scapegoat": "Causal_Oversimplification",
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Appeal_to_popularity": "Bandwagon,Reductio_ad_hitlerum",
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    "Strawman": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
}


@dataclass(frozen=True)
class Config:
    """Training choices (the shipped values were picked on held-out PTC train articles)."""

    c: float = 1.0  # inverse L2 strength of the logistic regression
    class_weight_power: float = 0.5  # 0: none, 1: "balanced"; weights (n / n_class) ** power
    span_scale: float = 1.0
    context_scale: float = 0.0  # the sentence vector lost 0.007 on held-out train: off
    hash_scale: float = 1.0
    dense_scale: float = 0.3
    around_scale: float = 0.5  # words around the span + sentence/quote cues: held-out +0.006
    use_ru: bool = True
    ru_weight: float = 1.0


# ---------------------------------------------------------------- the model, numpy only


@dataclass(frozen=True)
class Weights:
    """logits = span_vec @ span + context_vec @ context + dense_z @ dense + tfidf @ hashed
    + bias (each block times its Config scale)."""

    span: FloatArray  # (512, k)
    context: FloatArray  # (512, k)
    dense: FloatArray  # (len(DENSE_NAMES), k)
    hashed: FloatArray  # (HASH_DIM, k)
    bias: FloatArray  # (k,)
    dense_mean: FloatArray
    dense_std: FloatArray
    idf: FloatArray  # (HASH_DIM,)
    config: Config

    def dense_z(self, dense: FloatArray) -> FloatArray:
        z: FloatArray = (dense - self.dense_mean) / self.dense_std * self.config.dense_scale
        return z

    def probabilities(self, span_vecs: FloatArray, context_vecs: FloatArray,
                      texts: SpanTexts) -> FloatArray:
        cfg = self.config
        logits = (cfg.span_scale * span_vecs @ self.span
                  + cfg.context_scale * context_vecs @ self.context
                  + self.dense_z(texts.dense) @ self.dense + self.bias)
        for i, text in enumerate(texts.spans):
            idx, values = tfidf_row(text, self.idf)
            logits[i] += cfg.hash_scale * (values @ self.hashed[idx])
        if cfg.around_scale:
            for i, feats in enumerate(texts.around):
                idx, values = around_row(feats, self.idf)
                logits[i] += cfg.around_scale * (values @ self.hashed[idx])
        logits -= logits.max(axis=1, keepdims=True)
        probs: FloatArray = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs


def encode_texts(encoder: Encoder, texts: SpanTexts, contexts: bool = True,
                 known: Mapping[str, np.ndarray] | None = None) -> tuple[FloatArray, FloatArray]:
    """Encoder vectors of the spans and of their contexts, each distinct text encoded once
    (contexts get zero vectors, unencoded, where `contexts` is false). Texts in `known` (the
    article's sentences, which the pipeline has already encoded) are not encoded again."""
    known = known or {}
    unique = list(dict.fromkeys(texts.spans + (texts.contexts if contexts else [])))
    missing = [t for t in unique if t not in known]
    encoded = np.asarray(encoder.encode(missing), dtype=np.float32).reshape(len(missing), -1) \
        if missing else np.zeros((0, 0), dtype=np.float32)
    found = dict(zip(missing, encoded, strict=True))
    vectors = {t: found[t] if t in found else np.asarray(known[t], dtype=np.float32)
               for t in unique}
    span_vecs: FloatArray = np.stack([vectors[t] for t in texts.spans])
    if not contexts:
        return span_vecs, np.zeros_like(span_vecs)
    ctx_vecs: FloatArray = np.stack([vectors[t] for t in texts.contexts])
    return span_vecs, ctx_vecs


class TechniqueClassifier:
    """The PTC technique of each span of an article, with its probability."""

    name = NAME

    def __init__(self, weights: Weights, techniques: tuple[str, ...], version: str) -> None:
        self.weights = weights
        self.techniques = techniques
        self.version = version

    @classmethod
    def load(cls, model_dir: Path = PACKAGE_DIR / "models") -> TechniqueClassifier:
        meta_path, arrays_path = model_dir / f"{ARTIFACT}.json", model_dir / f"{ARTIFACT}.npz"
        if not meta_path.is_file() or not arrays_path.is_file():
            raise NarrascopeError(f"{model_dir}: {ARTIFACT}.json/.npz not found; run "
                                  "`narrascope train techniques` to build them")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(arrays_path, allow_pickle=False) as npz:
            arrays = {key: np.asarray(npz[key], dtype=np.float32) for key in npz.files}
        weights = Weights(config=Config(**meta["config"]), **arrays)
        return cls(weights, tuple(meta["techniques"]), str(meta["version"]))

    def predict(self, text: str, spans: Sequence[tuple[int, int]], encoder: Encoder,
                known: Mapping[str, np.ndarray] | None = None) -> list[list[tuple[str, float]]]:
        """Per span, every technique ranked by probability (best first). A span listed n times
        (n gold techniques, as in the TC template) should get its k-th choice on its k-th copy;
        the caller spreads them (`predict_instances` does so for the dev scores). `known` maps
        texts already encoded (the article's sentences) to their vectors."""
        for start, end in spans:
            if not 0 <= start < end <= len(text):
                raise NarrascopeError(f"span [{start}, {end}) is not within the text "
                                      f"({len(text)} characters)")
        if not spans:
            return []
        texts = span_texts(text, spans)
        span_vecs, ctx_vecs = encode_texts(encoder, texts, self.weights.config.context_scale != 0,
                                           known)
        probs = self.weights.probabilities(span_vecs, ctx_vecs, texts)
        ranked = []
        for row in probs:
            order = np.argsort(-row, kind="stable")
            ranked.append([(self.techniques[j], float(row[j])) for j in order])
        return ranked


# ---------------------------------------------------------------- training data


@dataclass
class Instances:
    """Labelled spans of one or more corpora, with their features."""

    spans: list[Span]
    texts: SpanTexts
    span_vecs: FloatArray
    context_vecs: FloatArray
    source: list[str]  # "ptc" or "ru" per instance


def _corpus_instances(corpus: SpanCorpus, mapping: dict[str, str] | None, encoder: Encoder,
                      source: str, contexts: bool = True) -> Instances:
    by_article: dict[str, list[Span]] = {}
    for span in corpus.tc:
        label = str(span.technique)
        if mapping is not None:
            if label not in mapping:
                continue
            span = Span(span.article_id, span.start, span.end, mapping[label])
        by_article.setdefault(span.article_id, []).append(span)
    spans: list[Span] = []
    parts: list[SpanTexts] = []
    for article_id, article_spans in sorted(by_article.items()):
        parts.append(span_texts(corpus.articles[article_id],
                                [(s.start, s.end) for s in article_spans]))
        spans.extend(article_spans)
    texts = SpanTexts([t for p in parts for t in p.spans], [t for p in parts for t in p.contexts],
                      np.concatenate([p.dense for p in parts]).astype(np.float32),
                      [f for p in parts for f in p.around])
    span_vecs, ctx_vecs = encode_texts(encoder, texts, contexts)
    return Instances(spans, texts, span_vecs, ctx_vecs, [source] * len(spans))


def _concat(a: Instances, b: Instances) -> Instances:
    texts = SpanTexts(a.texts.spans + b.texts.spans, a.texts.contexts + b.texts.contexts,
                      np.concatenate([a.texts.dense, b.texts.dense]),
                      a.texts.around + b.texts.around)
    return Instances(a.spans + b.spans, texts, np.concatenate([a.span_vecs, b.span_vecs]),
                     np.concatenate([a.context_vecs, b.context_vecs]), a.source + b.source)


def subset(data: Instances, keep: Sequence[int]) -> Instances:
    texts = SpanTexts([data.texts.spans[i] for i in keep], [data.texts.contexts[i] for i in keep],
                      data.texts.dense[list(keep)], [data.texts.around[i] for i in keep])
    return Instances([data.spans[i] for i in keep], texts, data.span_vecs[list(keep)],
                     data.context_vecs[list(keep)], [data.source[i] for i in keep])


# ---------------------------------------------------------------- fitting (scikit-learn)


def _idf(texts: Sequence[str], around: Sequence[Sequence[str]] = ()) -> FloatArray:
    """Smoothed IDF of the hashed buckets over the training span texts (and, where given, their
    context features: one more document each)."""
    df = np.zeros(HASH_DIM, dtype=np.float64)
    ones = np.ones(HASH_DIM, dtype=np.float32)
    for text in texts:
        idx, _ = tfidf_row(text, ones)
        df[idx] += 1
    for feats in around:
        idx, _ = around_row(feats, ones)
        df[idx] += 1
    n = max(len(texts), len(around))
    idf: FloatArray = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)
    return idf


def _sparse_tfidf(texts: Sequence[Any], idf: FloatArray,
                  row: Callable[[Any, FloatArray], tuple[Any, FloatArray]] = tfidf_row) -> Any:
    sparse = importlib.import_module("scipy.sparse")
    indptr, indices, values = [0], [], []
    for text in texts:
        idx, vals = row(text, idf)
        indices.append(idx)
        values.append(vals)
        indptr.append(indptr[-1] + len(idx))
    return sparse.csr_matrix((np.concatenate(values), np.concatenate(indices), indptr),
                             shape=(len(texts), HASH_DIM))


def _design(data: Instances, idf: FloatArray, mean: FloatArray, std: FloatArray,
            cfg: Config) -> Any:
    sparse = importlib.import_module("scipy.sparse")
    dense_z = (data.texts.dense - mean) / std * cfg.dense_scale
    blocks = [sparse.csr_matrix(cfg.span_scale * data.span_vecs),
              sparse.csr_matrix(cfg.context_scale * data.context_vecs),
              sparse.csr_matrix(dense_z), cfg.hash_scale * _sparse_tfidf(data.texts.spans, idf)]
    if cfg.around_scale:
        blocks[-1] = blocks[-1] + cfg.around_scale * _sparse_tfidf(data.texts.around, idf,
                                                                   around_row)
    return sparse.hstack(blocks, format="csr")


def _sample_weights(labels: Sequence[str], source: Sequence[str], cfg: Config) -> FloatArray:
    counts = Counter(labels)
    n, k = len(labels), len(counts)
    w = np.array([(n / (k * counts[y])) ** cfg.class_weight_power for y in labels])
    w *= np.array([cfg.ru_weight if s == "ru" else 1.0 for s in source])
    out: FloatArray = (w / w.mean()).astype(np.float32)
    return out


def fit(data: Instances, cfg: Config, techniques: tuple[str, ...] = TECHNIQUES) -> Weights:
    """Multinomial logistic regression on the four blocks; returns numpy weights."""
    labels = [str(s.technique) for s in data.spans]
    idf = _idf(data.texts.spans, data.texts.around if cfg.around_scale else ())
    mean = data.texts.dense.mean(axis=0)
    std = np.maximum(data.texts.dense.std(axis=0), 1e-3).astype(np.float32)
    x = _design(data, idf, mean, std, cfg)
    lr = importlib.import_module("sklearn.linear_model").LogisticRegression(
        C=cfg.c, max_iter=300, tol=1e-3)
    y = np.array([techniques.index(t) for t in labels])
    lr.fit(x, y, sample_weight=_sample_weights(labels, data.source, cfg))
    coef = np.zeros((len(techniques), x.shape[1]), dtype=np.float32)
    bias = np.full(len(techniques), -30.0, dtype=np.float32)  # classes never seen in training
    coef[lr.classes_] = lr.coef_
    bias[lr.classes_] = lr.intercept_
    d, e = 512, len(DENSE_NAMES)
    return Weights(span=coef[:, :d].T.copy(), context=coef[:, d:2 * d].T.copy(),
                   dense=coef[:, 2 * d:2 * d + e].T.copy(), hashed=coef[:, 2 * d + e:].T.copy(),
                   bias=bias, dense_mean=mean.astype(np.float32), dense_std=std, idf=idf,
                   config=cfg)


# ---------------------------------------------------------------- evaluation and training


def predict_instances(weights: Weights, data: Instances,
                      techniques: tuple[str, ...] = TECHNIQUES) -> list[Span]:
    """One predicted technique per instance, repeats of a span taking the next-best ones."""
    probs = weights.probabilities(data.span_vecs, data.context_vecs, data.texts)
    order = np.argsort(-probs, axis=1, kind="stable")
    seen: Counter[tuple[str, int, int]] = Counter()
    out = []
    for span, ranking in zip(data.spans, order, strict=True):
        key = (span.article_id, span.start, span.end)
        out.append(Span(*key, techniques[int(ranking[seen[key] % len(ranking)])]))
        seen[key] += 1
    return out


def evaluate(weights: Weights, data: Instances) -> dict[str, Any]:
    """The official TC score (micro-F1, per class) of `weights` on the gold spans of `data`."""
    return score_tc(data.spans, predict_instances(weights, data), TECHNIQUES)


def load_instances(data_dir: Path, split: str, encoder: Encoder,
                   contexts: bool = True) -> dict[str, Instances]:
    """PTC and mapped ru_zen_prop instances of a split (ru only where the dataset is staged)."""
    out = {"ptc": _corpus_instances(ptc_corpus(data_dir, split), None, encoder, "ptc", contexts)}
    if (data_dir / "ru_zen_prop").is_dir():
        out["ru"] = _corpus_instances(ru_zen_corpus(data_dir, split), RU_TO_PTC, encoder, "ru",
                                      contexts)
    return out


def save(weights: Weights, model_dir: Path, metrics: dict[str, Any]) -> None:
    model_dir.mkdir(parents=True, exist_ok=True)
    arrays = {name: getattr(weights, name) for name in
              ("span", "context", "dense", "hashed", "bias", "dense_mean", "dense_std", "idf")}
    with (model_dir / f"{ARTIFACT}.npz").open("wb") as fh:
        np.savez_compressed(fh, **{k: v.astype(np.float32) for k, v in arrays.items()})
    meta = {"name": NAME, "version": VERSION, "techniques": list(TECHNIQUES),
            "config": weights.config.__dict__, "dense_features": list(DENSE_NAMES),
            "ru_to_ptc": RU_TO_PTC, "metrics": metrics, "floors": _floors(metrics)}
    (model_dir / f"{ARTIFACT}.json").write_text(json.dumps(meta, indent=2) + "\n",
                                                 encoding="utf-8")


def _floors(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """The quality gate's floor: the measured PTC dev micro-F1 less FLOOR_SLACK."""
    floor = round(float(metrics["ptc"]["micro_f1"]) - FLOOR_SLACK, 3)
    return [{"task": "ptc-tc", "split": "dev", "lang": None, "metric": "micro_f1",
             "floor": floor}]


def _summary(score: dict[str, Any]) -> dict[str, Any]:
    per_class = {k: round(v["f1"], 4) for k, v in score["per_class"].items() if v["support"]}
    return {"micro_f1": round(score["micro_f1"], 4), "instances": score["gold_instances"],
            "per_class_f1": per_class}


def train_technique_classifier(data_dir: Path, model_dir: Path, *, encoder: Encoder | None = None,
                               progress: Callable[[str], None] | None = None,
                               config: Config | None = None) -> dict[str, Any]:
    """Train on the train splits, score the dev splits, write the artifacts; returns the metrics
    ({"ptc": {...}, "ru": {...}, "seconds": ...})."""
    began = time.monotonic()
    say = progress or (lambda _message: None)
    encoder = encoder or Encoder()
    cfg = config or Config()
    say("reading and encoding train spans")
    train = load_instances(data_dir, "train", encoder, cfg.context_scale != 0)
    data = _concat(train["ptc"], train["ru"]) if cfg.use_ru and "ru" in train else train["ptc"]
    say(f"fitting on {len(data.spans)} spans")
    weights = fit(data, cfg)
    say("scoring dev")
    dev = load_instances(data_dir, "dev", encoder, cfg.context_scale != 0)
    metrics: dict[str, Any] = {name: _summary(evaluate(weights, part))
                               for name, part in dev.items()}
    metrics["train_instances"] = {name: len(part.spans) for name, part in train.items()}
    metrics["seconds"] = round(time.monotonic() - began, 1)
    save(weights, model_dir, metrics)
    say(f"PTC dev micro-F1 {metrics['ptc']['micro_f1']:.4f}")
    return metrics
