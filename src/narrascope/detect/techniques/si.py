"""The span tagger (SI): character spans of an article that use a persuasion technique.

A linear-chain CRF (CRFsuite) labels each token in (inside a span) or out, per sentence, from
lexical, shape, position and repetition features plus a discretised sentence-level propaganda
probability (a logistic regression over the multilingual sentence vector). Token marginals are
thresholded, runs become spans, close spans are merged and tiny ones dropped; optionally whole
sentences whose probability is high enough are predicted too. Decoding parameters are tuned per
language on a held-out part of the training articles.

Artifacts (no pickle): ``techniques-si.crfsuite`` (CRFsuite's own model file),
``techniques-si.npz`` (sentence-model weights, probability bin edges) and ``techniques-si.json``
(version, decoding parameters, dev metrics). Training: :mod:`narrascope.detect.techniques.si_train`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pycrfsuite  # type: ignore[import-untyped]

from narrascope.config import PACKAGE_DIR
from narrascope.detect.techniques.si_features import (
    Token,
    article_counts,
    probability_bins,
    sentence_features,
    tokenize,
)
from narrascope.errors import NarrascopeError
from narrascope.model import Sentence

NAME = "techniques-si"
VERSION = "2"
LANGUAGES = ("en", "ru")  # the training languages; others share the "default" decoding
INSIDE = "I"

__all__ = ["NAME", "VERSION", "DecodeParams", "SpanTagger"]


class _Encodes(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class DecodeParams:
    """How token marginals become spans."""

    threshold: float = 0.5  # a token is inside when P(I) >= threshold
    merge_gap: int = 3  # merge spans at most this many characters apart
    min_chars: int = 2  # drop shorter spans
    sentence_threshold: float = 2.0  # also predict whole sentences with probability >= this


@dataclass(frozen=True)
class Tagged:
    """One sentence after tagging: its tokens and each token's P(inside)."""

    sentence: Sentence
    tokens: list[Token]
    inside: np.ndarray
    probability: float


def language_key(language: str) -> str:
    key = (language or "").lower()[:2]
    return key if key in LANGUAGES else "other"


def sentence_cues(texts: Sequence[str]) -> np.ndarray:
    """Simple surface cues of each sentence: quotes, '!', '?', and log length (scaled)."""
    return np.array([[float(any(q in t for q in "\"«»“”„")), float("!" in t), float("?" in t),
                      np.log1p(len(t)) / 5.0] for t in texts]).reshape(len(texts), 4)


def sentence_design(vectors: np.ndarray, language: str,
                    texts: Sequence[str] | None = None) -> np.ndarray:
    """Inputs of the sentence model: the vector and one indicator per training language; with the
    sentence `texts`, also the mean vector of the previous and next sentence and surface cues."""
    key = language_key(language)
    flags = np.array([[1.0 if key == lang else 0.0 for lang in LANGUAGES]])
    rows = np.asarray(vectors, dtype=np.float64).reshape(len(vectors), -1)
    parts = [rows, np.repeat(flags, len(rows), axis=0)]
    if texts is not None:
        padded = np.vstack([np.zeros((1, rows.shape[1])), rows, np.zeros((1, rows.shape[1]))])
        counts = np.full(len(rows), 2.0)
        if len(rows):
            counts[0] -= 1.0
            counts[-1] -= 1.0
        context = (padded[:-2] + padded[2:]) / np.maximum(counts, 1.0)[:, None]
        parts = [rows, context, np.repeat(flags, len(rows), axis=0), sentence_cues(texts)]
    return np.hstack(parts)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def _spans_of(tagged: Tagged, params: DecodeParams) -> list[tuple[int, int, float]]:
    spans: list[tuple[int, int, float]] = []
    if tagged.probability >= params.sentence_threshold:
        return [(tagged.sentence.start, tagged.sentence.end, tagged.probability)]
    run: list[int] = []
    for i in [*range(len(tagged.tokens)), -1]:
        if i >= 0 and tagged.inside[i] >= params.threshold:
            run.append(i)
            continue
        if run:
            score = round(float(np.mean(tagged.inside[run])), 4)
            spans.append((tagged.tokens[run[0]].start, tagged.tokens[run[-1]].end, score))
            run = []
    return spans


def decode(tagged: Sequence[Tagged], params: DecodeParams) -> list[tuple[int, int, float]]:
    """Non-overlapping, sorted (start, end, score) spans of an article."""
    spans = sorted(s for t in tagged for s in _spans_of(t, params))
    merged: list[tuple[int, int, float]] = []
    for start, end, score in spans:
        if merged and start - merged[-1][1] <= params.merge_gap:
            first, last, previous = merged[-1]
            merged[-1] = (first, max(last, end), max(previous, score))
        else:
            merged.append((start, end, score))
    return [s for s in merged if s[1] - s[0] >= params.min_chars]


class SpanTagger:
    """Finds propaganda spans in an article; load once, then call :meth:`predict`."""

    name = NAME

    def __init__(self, tagger: Any, coef: np.ndarray, intercept: float, edges: np.ndarray,
                 params: dict[str, DecodeParams], version: str = VERSION, *,
                 lexicon: Mapping[str, int] | None = None, context: bool = False) -> None:
        self._tagger = tagger
        self.lexicon = lexicon
        self.context = context
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)
        self.edges = np.asarray(edges, dtype=np.float64)
        self.params = params
        self.version = version

    @classmethod
    def load(cls, model_dir: Path = PACKAGE_DIR / "models") -> SpanTagger:
        paths = [model_dir / f"{NAME}.{ext}" for ext in ("crfsuite", "npz", "json")]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise NarrascopeError(f"span tagger model missing: {', '.join(missing)}; run "
                                  "`narrascope train techniques` to build it")
        tagger = pycrfsuite.Tagger()
        tagger.open(str(paths[0]))
        with np.load(paths[1], allow_pickle=False) as weights:
            coef, intercept, edges = weights["coef"], float(weights["intercept"]), weights["edges"]
            lexicon = (dict(zip(weights["lex_keys"].tolist(), weights["lex_bins"].tolist(),
                                strict=True)) if "lex_keys" in weights.files else None)
        meta = json.loads(paths[2].read_text(encoding="utf-8"))
        params = {k: DecodeParams(**v) for k, v in meta["decode"].items()}
        return cls(tagger, coef, intercept, edges, params, str(meta["version"]), lexicon=lexicon,
                   context=bool(meta.get("sentence_context", False)))

    def sentence_probabilities(self, vectors: np.ndarray, language: str,
                               texts: Sequence[str] | None = None) -> np.ndarray:
        """P(the sentence holds a span); `texts` (the sentences) are needed by a context model."""
        if len(vectors) == 0:
            return np.zeros(0)
        if self.context and texts is None:
            raise NarrascopeError("this sentence model needs the sentence texts")
        design = sentence_design(vectors, language, texts if self.context else None)
        return _sigmoid(design @ self.coef + self.intercept)

    def tag(self, text: str, language: str, sentences: Sequence[Sentence],
            probabilities: np.ndarray, whole_at: float = 2.0) -> list[Tagged]:
        """Token marginals of every sentence, given the sentence probabilities; sentences with
        probability >= `whole_at` (predicted whole anyway) skip the CRF (marginals left 0)."""
        tokens = [tokenize(text, s) for s in sentences]
        counts = article_counts(tokens)
        key = language_key(language)
        out = []
        bins = probability_bins(np.asarray(probabilities), self.edges)
        for sentence, toks, p, b in zip(sentences, tokens, probabilities, bins, strict=True):
            if not toks:
                continue
            if p >= whole_at:
                out.append(Tagged(sentence, toks, np.zeros(len(toks)), float(p)))
                continue
            feats = sentence_features(toks, b, key, counts, self.lexicon)
            self._tagger.set(pycrfsuite.ItemSequence(feats))
            labels = self._tagger.labels()
            inside = (np.array([self._tagger.marginal(INSIDE, i) for i in range(len(toks))])
                      if INSIDE in labels else np.zeros(len(toks)))
            out.append(Tagged(sentence, toks, inside, float(p)))
        return out

    def predict(self, text: str, language: str, sentences: Sequence[Sentence],
                sentence_vectors: np.ndarray) -> list[tuple[int, int, float]]:
        """Non-overlapping (start, end, score) spans, end exclusive, sorted by start."""
        if len(sentences) != len(sentence_vectors):
            raise NarrascopeError(f"{len(sentences)} sentences but {len(sentence_vectors)} "
                                  "sentence vectors; pass one vector per sentence")
        probabilities = self.sentence_probabilities(
            sentence_vectors, language, [s.slice(text) for s in sentences])
        params = self.params.get(language_key(language), self.params["default"])
        tagged = self.tag(text, language, sentences, probabilities, params.sentence_threshold)
        return decode(tagged, params)
