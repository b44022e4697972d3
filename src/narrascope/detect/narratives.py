"""Narratives and sub-narratives of a news document (SemEval-2025 Task 10 subtask 2 taxonomy), each
with a score and the sentences that carry it.

One linear layer scores every narrative and sub-narrative at once from two blocks (see
:mod:`narratives_features`): the mean sentence vector of the document and its TF-IDF words. Each
label's score is then calibrated (Platt, fitted out-of-fold on train) and decoded with the
hierarchy (:mod:`narrative_decoding`): either by thresholds (narratives above one, their
sub-narratives above another, "<narrative>: Other" when none, "Other" when no narrative), or by
choosing the label set with the highest expected F1 under the official per-document metric. The
trainer picks the decoder and its settings on held-out train folds.

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

from narrascope.config import PACKAGE_DIR
from narrascope.detect.narrative_decoding import Decoded, Decoding, decode, fine_probabilities
from narrascope.detect.narratives_features import FloatArray, Lexicon, mean_vector, words
from narrascope.errors import NarrascopeError
from narrascope.model import Sentence

NAME = "narratives"
VERSION = "2"
ARTIFACT = "narratives"
OTHER = "Other"
DIMENSIONS = 512
EVIDENCE_WORDS = 80
EVIDENCE_SENTENCES = 3

__all__ = ["Decoded", "Decoding", "LabelScore", "NarrativeModel", "NarrativePrediction", "Taxonomy",
           "decode"]


def narrative_other(narrative: str) -> str:
    """The label of a narrative carried without any of its listed sub-narratives."""
    return f"{narrative}: {OTHER}"


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
class Taxonomy:
    """The labels the model scores: narratives, then sub-narratives with their parents, then
    (when `other_columns`) one "<narrative>: Other" per narrative, in narrative order."""

    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]
    parent: tuple[int, ...] = field(default=())  # per sub-narrative, its narrative's index
    other_columns: bool = False

    @classmethod
    def from_labels(cls, narratives: Sequence[str], subnarratives: Sequence[str],
                    other_columns: bool = False) -> Taxonomy:
        """From the official lists: "Other" is what no narrative means, and the "<narrative>:
        Other" entries are scored as one column per narrative when `other_columns`."""
        narrs = tuple(n for n in narratives if n != OTHER)
        subs = tuple(s for s in subnarratives if s != OTHER and not s.endswith(": " + OTHER))
        parent = []
        for sub in subs:
            found = [i for i, n in enumerate(narrs) if sub.startswith(n + ": ")]
            if len(found) != 1:
                raise NarrascopeError(f"sub-narrative {sub!r} does not name exactly one narrative "
                                      "of the list as its prefix; check the class lists")
            parent.append(found[0])
        return cls(narrs, subs, tuple(parent), other_columns)

    @property
    def labels(self) -> tuple[str, ...]:
        """The label of each model column."""
        others = tuple(narrative_other(n) for n in self.narratives) if self.other_columns else ()
        return self.narratives + self.subnarratives + others

    @property
    def size(self) -> int:
        return len(self.labels)

    def domain(self, narrative: int) -> str:
        return self.narratives[narrative].split(":", 1)[0]


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
                 decoding: Decoding, version: str = VERSION,
                 languages: Sequence[str] | None = None) -> None:
        self.weights = weights
        self.lexicon = lexicon
        self.taxonomy = taxonomy
        self.decoding = decoding
        self.version = version
        # the languages it was trained on (None: treat every language as seen)
        self.languages = None if languages is None else frozenset(x.lower() for x in languages)

    def seen(self, language: str) -> bool:
        """Whether the model was trained on `language` (an ISO 639-1 code, e.g. "ru")."""
        code = (language or "").lower().split("-")[0].split("_")[0]
        return self.languages is None or code in self.languages

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
                            tuple(int(p) for p in meta["parent"]),
                            bool(meta.get("other_columns", False)))
        trained_on = meta.get("trained_on", {}).get("languages")
        return cls(weights, lexicon, taxonomy, Decoding(**meta["decoding"]), str(meta["version"]),
                   [str(x) for x in trained_on] if isinstance(trained_on, list) else None)

    def probabilities(self, texts: Sequence[str], doc_vectors: FloatArray) -> FloatArray:
        """Calibrated probabilities, (documents, model columns: see Taxonomy.labels)."""
        return self._probabilities([words(t) for t in texts], doc_vectors)

    def _probabilities(self, tokens: Sequence[Sequence[str]], doc_vectors: FloatArray
                       ) -> FloatArray:
        rows = [self.lexicon.row(t) for t in tokens]
        return self.weights.probabilities(self.weights.logits(doc_vectors, rows))

    def predict(self, text: str, language: str, sentences: Sequence[Sentence],
                vectors: np.ndarray, encoder: _Encodes | None = None) -> NarrativePrediction:
        """The narratives and sub-narratives of one document. `vectors` are its sentence vectors
        (one per sentence, from the pipeline's encoder). The model is the same for every
        language; `language` only chooses the decoding (languages the model was not trained on
        are decoded with thresholds, see :func:`decode`). `encoder` is accepted for the detector
        interface; nothing is re-encoded."""
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
        tokens = [words(d[0]) for d in documents]
        probs = self._probabilities(tokens, doc_vectors)
        out = []
        for (text, language, sentences, vectors), p, t in zip(documents, probs, tokens,
                                                               strict=True):
            found = decode(p, self.taxonomy, self.decoding, self.seen(language),
                           self.lexicon.coverage(t))
            out.append(self._labels(text, sentences, np.asarray(vectors, dtype=np.float32), p,
                                    found))
        return out

    def _labels(self, text: str, sentences: Sequence[Sentence], vectors: FloatArray,
                probs: FloatArray, found: Decoded) -> NarrativePrediction:
        tax = self.taxonomy
        k = len(tax.narratives)
        if not found.narratives:
            score = round(1.0 - float(probs[:k].max(initial=0.0)), 4)
            other = LabelScore(OTHER, score)
            return NarrativePrediction([other], [other])
        columns = list(found.narratives) + [k + j for j in found.subnarratives]
        evidence = dict(zip(columns, self._evidence(text, sentences, vectors, columns),
                            strict=True))
        # scores as the decoder sees them: a sub-narrative never above its narrative
        narr, sub, narr_other, _ = fine_probabilities(probs, tax)
        narratives = [LabelScore(tax.narratives[i], round(float(narr[i]), 4), evidence[i])
                      for i in found.narratives]
        subs = [LabelScore(tax.subnarratives[j], round(float(sub[j]), 4), evidence[k + j])
                for j in found.subnarratives]
        subs += [LabelScore(narrative_other(tax.narratives[i]), round(float(narr_other[i]), 4),
                            evidence[i]) for i in found.narrative_others]
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
