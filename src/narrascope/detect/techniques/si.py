"""The span tagger (SI): character spans of an article that use a persuasion technique.

A linear-chain CRF (CRFsuite) labels each token in (inside a span) or out, per sentence, from
lexical, shape, position, repetition and word-cluster features plus a discretised sentence-level
propaganda probability (a logistic regression over the multilingual sentence vector and a few
cues). Decoding, per language, is in one of two modes: "tokens" (marginals thresholded into
runs, close runs merged, tiny ones dropped, sentences with a high enough probability predicted
whole) or "sentences" (runs of sentences with a high smoothed probability, no CRF). Mode and
parameters are tuned per language on held-out training articles.

Artifacts (no pickle): ``techniques-si.crfsuite`` (CRFsuite's own model file),
``techniques-si.npz`` (sentence-model weights, probability bin edges, lexicon, word clusters) and
``techniques-si.json`` (version, decoding parameters, dev metrics). Training:
:mod:`narrascope.detect.techniques.si_train`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pycrfsuite  # type: ignore[import-untyped]

from narrascope.config import PACKAGE_DIR
from narrascope.detect.techniques.si_clusters import WordClusters
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
VERSION = "4"
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
    # "tokens": CRF marginals as above; "sentences": whole sentences whose probability (averaged
    # over `smooth` neighbours each side) reaches `sentence_threshold`, runs of them joined across
    # at most `bridge` unselected sentences (the CRF is not run)
    mode: str = "tokens"
    smooth: int = 0
    bridge: int = 0
    # tokens mode: a whole-sentence span is cut to its first..last token with P(I) >= trim
    # (kept whole when it has none; 2: never cut). Gold spans are mostly phrases, so the cut
    # raises the precision of whole-sentence predictions.
    trim: float = 2.0


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


_LINK_OR_DATE = re.compile(r"https?://|www\.|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")


def _first_line_end(text: str) -> int:
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def article_design(text: str, sentences: Sequence[Sentence], vectors: np.ndarray,
                   language: str) -> np.ndarray:
    """Inputs of the sentence model: :func:`sentence_design` with context, then where the sentence
    stands (relative position, in the first line) and whether it holds a link or a date. (The
    article's mean vector was tried too: it lowered the held-out AUC.)"""
    texts = [s.slice(text) for s in sentences]
    rows = np.asarray(vectors, dtype=np.float64).reshape(len(vectors), -1)
    n = len(rows)
    heading_end = _first_line_end(text)
    place = np.column_stack([np.arange(n) / max(n - 1, 1),
                             [float(s.start < heading_end) for s in sentences],
                             [float(bool(_LINK_OR_DATE.search(t))) for t in texts]])
    return np.hstack([sentence_design(rows, language, texts), place.reshape(n, 3)])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


def _spans_of(tagged: Tagged, params: DecodeParams) -> list[tuple[int, int, float]]:
    spans: list[tuple[int, int, float]] = []
    if tagged.probability >= params.sentence_threshold:
        inside = np.flatnonzero(tagged.inside >= params.trim) if params.trim <= 1.0 \
            else np.zeros(0, dtype=np.int64)
        if len(inside):
            return [(tagged.tokens[int(inside[0])].start, tagged.tokens[int(inside[-1])].end,
                     tagged.probability)]
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


def smoothed(probabilities: np.ndarray, width: int) -> np.ndarray:
    """Each value averaged with up to `width` neighbours on each side."""
    p = np.asarray(probabilities, dtype=np.float64)
    if width <= 0 or len(p) == 0:
        return p
    sums = np.concatenate([[0.0], np.cumsum(p)])
    index = np.arange(len(p))
    low, high = np.maximum(index - width, 0), np.minimum(index + width + 1, len(p))
    out: np.ndarray = (sums[high] - sums[low]) / (high - low)
    return out


def decode_sentences(sentences: Sequence[Sentence], probabilities: np.ndarray,
                     params: DecodeParams) -> list[tuple[int, int, float]]:
    """Sentence-mode decoding: runs of selected sentences, joined across short gaps."""
    p = smoothed(probabilities, params.smooth)
    runs: list[list[int]] = []
    for i, (sentence, value) in enumerate(zip(sentences, p, strict=True)):
        if value < params.sentence_threshold or sentence.end <= sentence.start:
            continue
        if runs and i - runs[-1][-1] - 1 <= params.bridge:
            runs[-1].append(i)
        else:
            runs.append([i])
    spans = [(sentences[r[0]].start, sentences[r[-1]].end, round(float(np.mean(p[r])), 4))
             for r in runs]
    return [s for s in spans if s[1] - s[0] >= params.min_chars]


class SpanTagger:
    """Finds propaganda spans in an article; load once, then call :meth:`predict`."""

    name = NAME

    def __init__(self, tagger: Any, coef: np.ndarray, intercept: float, edges: np.ndarray,
                 params: dict[str, DecodeParams], version: str = VERSION, *,
                 lexicon: Mapping[str, int] | None = None,
                 clusters: WordClusters | None = None) -> None:
        self._tagger = tagger
        self.lexicon = lexicon
        self.clusters = clusters
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
            clusters = WordClusters.from_arrays(weights)
        meta = json.loads(paths[2].read_text(encoding="utf-8"))
        params = {k: DecodeParams(**v) for k, v in meta["decode"].items()}
        if str(meta["version"]) != VERSION:
            raise NarrascopeError(f"span tagger model in {model_dir} is version {meta['version']}"
                                  f", this code reads version {VERSION}; run `narrascope train "
                                  "techniques` to rebuild it")
        return cls(tagger, coef, intercept, edges, params, str(meta["version"]), lexicon=lexicon,
                   clusters=clusters)

    def sentence_probabilities(self, text: str, sentences: Sequence[Sentence],
                               vectors: np.ndarray, language: str) -> np.ndarray:
        """P(the sentence holds a span), for each sentence of the article."""
        if len(vectors) == 0:
            return np.zeros(0)
        design = article_design(text, sentences, vectors, language)
        return _sigmoid(design @ self.coef + self.intercept)

    def _cluster_ids(self, tokens: Sequence[Sequence[Token]], encoder: _Encodes | None
                     ) -> list[list[tuple[int, ...]]] | None:
        if self.clusters is None:
            return None
        ids = self.clusters.lookup((t.text.lower() for toks in tokens for t in toks), encoder)
        return [[ids[t.text.lower()] for t in toks] for toks in tokens]

    def tag(self, text: str, language: str, sentences: Sequence[Sentence],
            probabilities: np.ndarray, whole_at: float = 2.0,
            encoder: _Encodes | None = None) -> list[Tagged]:
        """Token marginals of every sentence, given the sentence probabilities; sentences with
        probability >= `whole_at` (predicted whole anyway) skip the CRF (marginals left 0). With
        an `encoder`, words unseen in training get a word cluster too."""
        tokens = [tokenize(text, s) for s in sentences]
        counts = article_counts(tokens)
        clusters = self._cluster_ids(tokens, encoder)
        key = language_key(language)
        out = []
        bins = probability_bins(np.asarray(probabilities), self.edges)
        for i, (sentence, toks, p, b) in enumerate(zip(sentences, tokens, probabilities, bins,
                                                       strict=True)):
            if not toks:
                continue
            if p >= whole_at:
                out.append(Tagged(sentence, toks, np.zeros(len(toks)), float(p)))
                continue
            feats = sentence_features(toks, b, key, counts, self.lexicon,
                                      clusters[i] if clusters is not None else None)
            self._tagger.set(pycrfsuite.ItemSequence(feats))
            labels = self._tagger.labels()
            inside = (np.array([self._tagger.marginal(INSIDE, i) for i in range(len(toks))])
                      if INSIDE in labels else np.zeros(len(toks)))
            out.append(Tagged(sentence, toks, inside, float(p)))
        return out

    def predict(self, text: str, language: str, sentences: Sequence[Sentence],
                sentence_vectors: np.ndarray, encoder: _Encodes | None = None
                ) -> list[tuple[int, int, float]]:
        """Non-overlapping (start, end, score) spans, end exclusive, sorted by start; the
        `encoder` places words unseen in training in a word cluster (else they get none)."""
        if len(sentences) != len(sentence_vectors):
            raise NarrascopeError(f"{len(sentences)} sentences but {len(sentence_vectors)} "
                                  "sentence vectors; pass one vector per sentence")
        probabilities = self.sentence_probabilities(text, sentences, sentence_vectors, language)
        params = self.params.get(language_key(language), self.params["default"])
        if params.mode == "sentences":
            return decode_sentences(sentences, probabilities, params)
        # sentences predicted whole skip the CRF unless they are to be trimmed
        whole_at = params.sentence_threshold if params.trim > 1.0 else 2.0
        tagged = self.tag(text, language, sentences, probabilities, whole_at, encoder)
        return decode(tagged, params)
