"""Features of an entity mention for the role model, shared by training and prediction.

Only what the text says around the mention, with the mention masked (issue #14): the encoder
vector of its sentence (from the vectors the pipeline already has), counts of framing cues near
it and in its sentence (:mod:`framing`), where it stands in the document, and hashed context
words: up to six words on each side within its sentence, the two nearest marked as such. The
mention's own words, characters and vector are not features: who an actor is must not decide
how a text casts it.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from narrascope.detect.framing import FEATURE_NAMES, Context, FramingLexicon, context_of
from narrascope.model import Sentence

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
HASH_BITS = 16
HASH_DIM = 1 << HASH_BITS
DIMENSIONS = 512
LANGUAGES = ("bg", "en", "hi", "pt", "ru", "ko")  # a flag each (not who the actor is)
DENSE_NAMES = ("position", "in_first_sentence", "log_repeats",
               *(f"lang_{code}" for code in LANGUAGES), *FEATURE_NAMES)


class TextEncoder(Protocol):
    """What the role model needs of the sentence encoder."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class MentionFeatures:
    """The features of a document's mentions, one row each."""

    sentence_index: list[int]                  # the sentence each mention is in
    dense: FloatArray                          # (n, 512 + len(DENSE_NAMES))
    hashed: list[tuple[IntArray, FloatArray]]  # per mention: bucket indices and values
    cues: FloatArray                           # (n, len(FEATURE_NAMES)) raw cue counts
    identity: list[tuple[IntArray, FloatArray]]  # per mention: its own words and characters


def mention_sentence(sentences: Sequence[Sentence], start: int) -> int:
    """The index of the sentence holding `start` (the nearest one if none does)."""
    for i, sentence in enumerate(sentences):
        if sentence.start <= start < sentence.end:
            return i
    return int(np.argmin([min(abs(s.start - start), abs(s.end - start)) for s in sentences]))


def lexical(context: Context) -> list[str]:
    """Hashed-feature names of the words around a mention (never the mention's own)."""
    feats = ["bias"]
    feats += ["b:" + w for w in context.before] + ["a:" + w for w in context.after]
    if context.before:
        feats.append("b1:" + context.before[-1])
    if context.after:
        feats.append("a1:" + context.after[0])
    if len(context.before) >= 2:
        feats.append("b2:" + " ".join(context.before[-2:]))
    return feats


def identity_features(mention: str) -> list[str]:
    """Who the mention is: its words and character 3-5-grams. Used only by the identity prior,
    which may break ties in the role of a given mention (see `roles.RoleConfig`)."""
    mention = " ".join(mention.lower().split())
    padded = f" {mention} "
    feats = ["m:" + w for w in mention.split()]
    feats += ["c:" + padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    return feats or ["m:"]


def hashed_row(feats: Sequence[str]) -> tuple[IntArray, FloatArray]:
    """Distinct hashed buckets of the features, valued so that the row has unit norm."""
    buckets = np.unique(np.array([zlib.crc32(f.encode("utf-8")) % HASH_DIM for f in feats],
                                 dtype=np.int64))
    values = np.full(len(buckets), 1.0 / np.sqrt(max(len(buckets), 1)), dtype=np.float32)
    return buckets, values


def mention_features(text: str, language: str, mentions: Sequence[tuple[int, int]],
                     sentences: Sequence[Sentence], vectors: np.ndarray,
                     lexicon: FramingLexicon) -> MentionFeatures:
    """Features of each mention (start, end exclusive) of one document; `vectors` are the
    encoder vectors of `sentences`."""
    indices, dense, hashed, cues, identity = [], [], [], [], []
    for start, end in mentions:
        i = mention_sentence(sentences, start)
        indices.append(i)
        sentence = sentences[i]
        context = context_of(text, start, end, sentence.start, sentence.end)
        counts = lexicon.counts(context, language)
        raw = [counts[name] for name in FEATURE_NAMES]
        cues.append(raw)
        place = [i / max(len(sentences), 1), float(i == 0),
                 float(np.log1p(text.count(text[start:end]))),
                 *(float((language or "").lower() == code) for code in LANGUAGES)]
        dense.append(np.concatenate([vectors[i], np.array(place + list(np.log1p(raw)),
                                                          dtype=np.float32)]))
        hashed.append(hashed_row(lexical(context)))
        identity.append(hashed_row(identity_features(text[start:end])))
    width = DIMENSIONS + len(DENSE_NAMES)
    return MentionFeatures(indices, np.array(dense, dtype=np.float32).reshape(-1, width), hashed,
                           np.array(cues, dtype=np.float32).reshape(-1, len(FEATURE_NAMES)),
                           identity)
