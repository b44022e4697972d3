"""Narratives and sub-narratives of a news document (SemEval-2025 Task 10 subtask 2 taxonomy), each
with a score and the sentences that carry it.

One linear layer scores every narrative and sub-narrative at once from two blocks (see
:mod:`narratives_features`): the mean sentence vector of the document and its TF-IDF words. Each
label's score is then calibrated (Platt, fitted out-of-fold on train) and decoded with the
hierarchy: first the domain (the one of the most probable narrative; a document is about the war
in Ukraine or about climate change, almost never both), then the narratives of that domain above
a threshold (the best one alone when none passes but it reaches a lower one; "Other" when
nothing does), then under each of them its sub-narratives above a threshold, or its best one
above a lower threshold, or else "<narrative>: Other". A sub-narrative confident enough implies
its narrative. Thresholds were tuned on held-out train folds.

Evidence: the same weights applied to each sentence rank the sentences; a label's evidence is
its best sentences, at most 3 and 80 words in total, in text order.

Artifacts (no pickle): ``narratives.npz`` (weights, vocabulary, idf) and ``narratives.json``
(version, labels, decoding thresholds, dev metrics, floors). Training:
:mod:`narrascope.train.narratives`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from narrascope.config import PACKAGE_DIR
from narrascope.detect.narratives_features import FloatArray, Lexicon, mean_vector, words
from narrascope.errors import NarrascopeError
from narrascope.model import Sentence

NAME = "narratives"
VERSION = "1"
ARTIFACT = "narratives"
OTHER = "Other"
DIMENSIONS = 512
EVIDENCE_WORDS = 80
EVIDENCE_SENTENCES = 3

__all__ = ["Decoding", "LabelScore", "NarrativeModel", "NarrativePrediction", "decode"]


class _Encodes(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class LabelScore:
    """One predicted label: its official string, a score in [0, 1] and its evidence sentences
    as (start, end) character spans of the text (end exclusive), at most 80 words in total."""

    label: str
    score: float
    evidence: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class NarrativePrediction:
    narratives: list[LabelScore]
    subnarratives: list[LabelScore]


@dataclass(frozen=True)
class Decoding:
    """How calibrated probabilities become labels (tuned on held-out train folds)."""

    narrative: float = 0.3  # a narrative is predicted at or above this
    fallback: float = 1.0  # ... or, when none is, the best one if it reaches this (1: never)
    subnarrative: float = 0.3  # a sub-narrative of a predicted narrative, at or above this
    sub_fallback: float = 1.0  # ... or, when none is, its best one if it reaches this (1: never)
    implied_by_sub: float = 1.0  # a sub-narrative this probable implies its narrative (1: never)
    one_domain: bool = True  # keep only the narratives of the most probable one's domain


@dataclass(frozen=True)
class Taxonomy:
    """The labels the model scores: narratives, then sub-narratives with their parents."""

    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]
    parent: tuple[int, ...] = field(default=())  # per sub-narrative, its narrative's index

    @classmethod
    def from_labels(cls, narratives: Sequence[str], subnarratives: Sequence[str]) -> Taxonomy:
        """From the official lists, without "Other" and the "<narrative>: Other" entries."""
        narrs = tuple(n for n in narratives if n != OTHER)
        subs = tuple(s for s in subnarratives if s != OTHER and not s.endswith(": " + OTHER))
        parent = []
        for sub in subs:
            found = [i for i, n in enumerate(narrs) if sub.startswith(n + ": ")]
            if len(found) != 1:
                raise NarrascopeError(f"sub-narrative {sub!r} does not name exactly one narrative "
                                      "of the list as its prefix; check the class lists")
            parent.append(found[0])
        return cls(narrs, subs, tuple(parent))

    @property
    def size(self) -> int:
        return len(self.narratives) + len(self.subnarratives)

    def domain(self, narrative: int) -> str:
        return self.narratives[narrative].split(":", 1)[0]


@dataclass(frozen=True)
class Decoded:
    """Label indices chosen for one document (into Taxonomy.narratives / .subnarratives); a
    chosen narrative without chosen sub-narratives gets "<narrative>: Other"."""

    narratives: tuple[int, ...]
    subnarratives: tuple[int, ...]


def decode(probs: npt.NDArray[np.floating[Any]], taxonomy: Taxonomy,
           params: Decoding) -> Decoded:
    """The labels of one document from its probabilities (narratives first, then subs)."""
    k = len(taxonomy.narratives)
    narr, subs = np.array(probs[:k], dtype=np.float64), np.asarray(probs[k:])
    parent = np.asarray(taxonomy.parent, dtype=np.int64)
    if params.implied_by_sub < 1.0 and len(subs):
        confident = subs >= params.implied_by_sub
        np.maximum.at(narr, parent[confident], subs[confident])
    allowed = np.ones(k, dtype=bool)
    if params.one_domain and k:
        domain = taxonomy.domain(int(np.argmax(narr)))
        allowed = np.array([taxonomy.domain(i) == domain for i in range(k)])
    chosen = [i for i in range(k) if allowed[i] and narr[i] >= params.narrative]
    if not chosen and k:
        best = int(np.argmax(np.where(allowed, narr, -1.0)))
        if params.fallback < 1.0 and narr[best] >= params.fallback:
            chosen = [best]
    picked: list[int] = []
    for i in chosen:
        children = np.flatnonzero(parent == i)
        if not len(children):
            continue
        above = [int(j) for j in children if subs[j] >= params.subnarrative]
        best_child = int(children[np.argmax(subs[children])])
        if not above and params.sub_fallback < 1.0 and subs[best_child] >= params.sub_fallback:
            above = [best_child]
        picked += above
    return Decoded(tuple(chosen), tuple(picked))


@dataclass(frozen=True)
class Weights:
    """logit = mean_vector @ vec + tfidf(words) @ lex * lex_scale + bias; probability =
    sigmoid(slope * logit + intercept) per label."""

    vec: FloatArray  # (512, labels)
    lex: FloatArray  # (words, labels)
    bias: FloatArray  # (labels,)
    slope: FloatArray  # (labels,)
    intercept: FloatArray  # (labels,)
    lex_scale: float

    def logits(self, doc_vectors: FloatArray, rows: Sequence[tuple[Any, FloatArray]]
               ) -> FloatArray:
        out: FloatArray = doc_vectors @ self.vec + self.bias
        for i, (idx, values) in enumerate(rows):
            if len(idx):
                out[i] += self.lex_scale * (values @ self.lex[idx])
        return out

    def probabilities(self, logits: FloatArray) -> FloatArray:
        z = self.slope * logits + self.intercept
        out: FloatArray = (0.5 * (1.0 + np.tanh(0.5 * z))).astype(np.float32)
        return out


class NarrativeModel:
    """Predicts the narratives of documents; load once, then call :meth:`predict`."""

    name = NAME

    def __init__(self, weights: Weights, lexicon: Lexicon, taxonomy: Taxonomy,
                 decoding: Decoding, version: str = VERSION) -> None:
        self.weights = weights
        self.lexicon = lexicon
        self.taxonomy = taxonomy
        self.decoding = decoding
        self.version = version

    @classmethod
    def load(cls, model_dir: Path = PACKAGE_DIR / "models") -> NarrativeModel:
        paths = [model_dir / f"{ARTIFACT}.{ext}" for ext in ("npz", "json")]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise NarrascopeError(f"narratives model missing: {', '.join(missing)}; run "
                                  "`narrascope train narratives` to build it")
        meta = json.loads(paths[1].read_text(encoding="utf-8"))
        if str(meta.get("version")) != VERSION:
            raise NarrascopeError(f"narratives model in {model_dir} is version "
                                  f"{meta.get('version')}, this code reads version {VERSION}; "
                                  "run `narrascope train narratives` to rebuild it")
        with np.load(paths[0], allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        vec, lex, bias, slope, intercept = (np.asarray(arrays[k], dtype=np.float32) for k in
                                            ("vec", "lex", "bias", "slope", "intercept"))
        weights = Weights(vec, lex, bias, slope, intercept, float(meta["settings"]["lex_scale"]))
        vocabulary = [str(w) for w in arrays["vocabulary"].tolist()]
        lexicon = Lexicon({w: i for i, w in enumerate(vocabulary)},
                          np.asarray(arrays["idf"], dtype=np.float32))
        taxonomy = Taxonomy(tuple(meta["narratives"]), tuple(meta["subnarratives"]),
                            tuple(int(p) for p in meta["parent"]))
        return cls(weights, lexicon, taxonomy, Decoding(**meta["decoding"]), str(meta["version"]))

    def probabilities(self, texts: Sequence[str], doc_vectors: FloatArray) -> FloatArray:
        """Calibrated probabilities, (documents, narratives + sub-narratives)."""
        rows = [self.lexicon.row(words(t)) for t in texts]
        return self.weights.probabilities(self.weights.logits(doc_vectors, rows))

    def predict(self, text: str, language: str, sentences: Sequence[Sentence],
                vectors: np.ndarray, encoder: _Encodes | None = None) -> NarrativePrediction:
        """The narratives and sub-narratives of one document. `vectors` are its sentence vectors
        (one per sentence, from the pipeline's encoder). The model is the same for every
        language (`language` and `encoder` are accepted for the detector interface; nothing is
        re-encoded)."""
        return self.predict_many([(text, language, sentences, vectors)], encoder)[0]

    def predict_many(self, documents: Sequence[tuple[str, str, Sequence[Sentence], np.ndarray]],
                     encoder: _Encodes | None = None) -> list[NarrativePrediction]:
        """:meth:`predict` for a batch of (text, language, sentences, vectors)."""
        for _text, _language, sentences, vectors in documents:
            if len(sentences) != len(vectors):
                raise NarrascopeError(f"{len(sentences)} sentences but {len(vectors)} sentence "
                                      "vectors; pass one vector per sentence")
        if not documents:
            return []
        doc_vectors = np.stack([mean_vector(v, DIMENSIONS) for _, _, _, v in documents])
        probs = self.probabilities([d[0] for d in documents], doc_vectors)
        return [self._labels(text, sentences, np.asarray(vectors, dtype=np.float32), p)
                for (text, _, sentences, vectors), p in zip(documents, probs, strict=True)]

    def _labels(self, text: str, sentences: Sequence[Sentence], vectors: FloatArray,
                probs: FloatArray) -> NarrativePrediction:
        tax = self.taxonomy
        found = decode(probs, tax, self.decoding)
        k = len(tax.narratives)
        if not found.narratives:
            score = round(1.0 - float(probs[:k].max(initial=0.0)), 4)
            other = LabelScore(OTHER, score)
            return NarrativePrediction([other], [other])
        columns = list(found.narratives) + [k + j for j in found.subnarratives]
        evidence = dict(zip(columns, self._evidence(text, sentences, vectors, columns),
                            strict=True))
        narratives = [LabelScore(tax.narratives[i], round(float(probs[i]), 4), evidence[i])
                      for i in found.narratives]
        subs = [LabelScore(tax.subnarratives[j], round(float(probs[k + j]), 4), evidence[k + j])
                for j in found.subnarratives]
        covered = {tax.parent[j] for j in found.subnarratives}
        subs += [LabelScore(f"{tax.narratives[i]}: {OTHER}", round(float(probs[i]), 4),
                            evidence[i]) for i in found.narratives if i not in covered]
        return NarrativePrediction(sorted(narratives, key=lambda s: -s.score),
                                   sorted(subs, key=lambda s: -s.score))

    def _evidence(self, text: str, sentences: Sequence[Sentence], vectors: FloatArray,
                  columns: Sequence[int]) -> list[tuple[tuple[int, int], ...]]:
        """Per label column, its best sentences (by the label's weights applied to each
        sentence), at most EVIDENCE_SENTENCES and EVIDENCE_WORDS words, in text order."""
        if not sentences:
            return [() for _ in columns]
        w = self.weights
        rows = [self.lexicon.row(words(s.slice(text))) for s in sentences]
        cols = np.asarray(columns, dtype=np.int64)
        scores: FloatArray = vectors @ w.vec[:, cols]
        for i, (idx, values) in enumerate(rows):
            if len(idx):
                scores[i] += w.lex_scale * (values @ w.lex[np.ix_(idx, cols)])
        return [_within_words(text, sentences,
                              [int(i) for i in np.argsort(-scores[:, c], kind="stable")])
                for c in range(len(columns))]


def _within_words(text: str, sentences: Sequence[Sentence],
                  ranked: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """The ranked sentences that fit EVIDENCE_WORDS words in total (the first one cut to fit
    when it alone is longer), at most EVIDENCE_SENTENCES, in text order."""
    picked: list[tuple[int, int]] = []
    total = 0
    for i in ranked:
        if len(picked) == EVIDENCE_SENTENCES:
            break
        s = sentences[int(i)]
        n = len(s.slice(text).split())
        if n == 0:
            continue
        if total + n <= EVIDENCE_WORDS:
            picked.append((s.start, s.end))
            total += n
        elif not picked:
            picked.append((s.start, _end_after_words(text, s, EVIDENCE_WORDS)))
            break
    return tuple(sorted(picked))


def _end_after_words(text: str, sentence: Sentence, limit: int) -> int:
    """The offset just after the `limit`-th whitespace-separated word of the sentence."""
    count, inside, end = 0, False, sentence.end
    for pos in range(sentence.start, sentence.end):
        if text[pos].isspace():
            if inside:
                count += 1
                if count == limit:
                    return pos
            inside = False
        else:
            inside = True
    return end
