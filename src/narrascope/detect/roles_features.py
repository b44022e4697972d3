"""Features of an entity mention for the role model, shared by training and prediction.

Per mention: the encoder vector of its sentence (from the vectors the pipeline already has), the
encoder vector of the mention string, the document vector (mean of its sentence vectors), a few
dense cues, and hashed lexical features: the mention's words and character 3-5-grams (who it
is) and the five words on each side of it within its sentence (what is said about it).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from narrascope.model import Sentence

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
HASH_BITS = 16
HASH_DIM = 1 << HASH_BITS
DIMENSIONS = 512
SKETCH_DIM = 1024  # the document's word set, as a signed count sketch
LANGUAGES = ("bg", "en", "hi", "pt", "ru")  # the training languages, one dense cue each
DENSE_NAMES = ("log_repeats", "position", "in_first_sentence", "log_chars", "capitalised",
               *(f"lang_{code}" for code in LANGUAGES))
_WORD = re.compile(r"\w+")
_WINDOW = 5
_SPACES = re.compile(r"\s+")


class TextEncoder(Protocol):
    """What the role model needs of the sentence encoder."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class MentionFeatures:
    """The features of a document's mentions, one row each."""

    sentence_index: list[int]          # the sentence each mention is in
    dense: FloatArray                  # (n, 512 + 512 + len(DENSE_NAMES)): sentence, mention, cues
    doc_vector: FloatArray             # (512,) the document vector (for the neighbour memory)
    doc_sketch: FloatArray             # (SKETCH_DIM,) the document's words (ditto)
    mention_vectors: FloatArray        # (n, 512)
    hashed: list[tuple[IntArray, FloatArray]]  # per mention: bucket indices and values


def mention_sentence(sentences: Sequence[Sentence], start: int) -> int:
    """The index of the sentence holding `start` (the nearest one if none does)."""
    for i, sentence in enumerate(sentences):
        if sentence.start <= start < sentence.end:
            return i
    return int(np.argmin([min(abs(s.start - start), abs(s.end - start)) for s in sentences]))


def lexical(text: str, start: int, end: int, sentence: Sentence) -> list[str]:
    """The mention's words and char n-grams, and the words around it in its sentence."""
    mention = _SPACES.sub(" ", text[start:end].lower()).strip()
    padded = f" {mention} "
    feats = ["m:" + w for w in _WORD.findall(mention)]
    feats += ["c:" + padded[i:i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    before = _WORD.findall(text[sentence.start:max(start, sentence.start)].lower())
    after = _WORD.findall(text[min(end, sentence.end):sentence.end].lower())
    feats += ["b:" + w for w in before[-_WINDOW:]] + ["a:" + w for w in after[:_WINDOW]]
    return feats


def hashed_row(feats: Sequence[str]) -> tuple[IntArray, FloatArray]:
    """Distinct hashed buckets of the features, valued so that the row has unit norm."""
    buckets = np.unique(np.array([zlib.crc32(f.encode("utf-8")) % HASH_DIM for f in feats],
                                 dtype=np.int64))
    values = np.full(len(buckets), 1.0 / np.sqrt(max(len(buckets), 1)), dtype=np.float32)
    return buckets, values


def _cues(text: str, language: str, start: int, end: int, index: int,
          n_sentences: int) -> list[float]:
    mention = text[start:end]
    return [float(np.log1p(text.count(mention))), index / max(n_sentences, 1),
            float(index == 0), float(np.log1p(len(mention))), float(mention[:1].isupper()),
            *(float((language or "").lower() == code) for code in LANGUAGES)]


def document_vector(vectors: np.ndarray) -> FloatArray:
    """The normalised mean of a document's sentence vectors (zeros for an empty document)."""
    if len(vectors) == 0:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    out: FloatArray = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return out


def document_sketch(text: str) -> FloatArray:
    """The set of the document's lower-cased words, each hashed to a bucket with a sign, as a
    unit vector: its dot products approximate the cosine of two documents' word sets (and,
    unlike the words, it cannot be read back)."""
    out = np.zeros(SKETCH_DIM, dtype=np.float32)
    for word in set(_WORD.findall(text.lower())):
        h = zlib.crc32(word.encode("utf-8"))
        out[h % SKETCH_DIM] += 1.0 if (h >> 20) & 1 else -1.0
    norm = float(np.linalg.norm(out))
    return out / norm if norm else out


def mention_features(text: str, language: str, mentions: Sequence[tuple[int, int]],
                     sentences: Sequence[Sentence], vectors: np.ndarray,
                     encoder: TextEncoder) -> MentionFeatures:
    """Features of each mention (start, end exclusive) of one document; `vectors` are the
    encoder vectors of `sentences`, and each distinct mention string is encoded once."""
    strings = [_SPACES.sub(" ", text[s:e]).strip() for s, e in mentions]
    unique = list(dict.fromkeys(strings))
    encoded = np.asarray(encoder.encode(unique), dtype=np.float32).reshape(len(unique), -1)
    row = {t: i for i, t in enumerate(unique)}
    mention_vecs: FloatArray = encoded[[row[t] for t in strings]] if strings else \
        np.zeros((0, DIMENSIONS), dtype=np.float32)
    indices, dense, hashed = [], [], []
    for (start, end), mention_vec in zip(mentions, mention_vecs, strict=True):
        i = mention_sentence(sentences, start)
        indices.append(i)
        cues = _cues(text, language, start, end, i, len(sentences))
        dense.append(np.concatenate([vectors[i], mention_vec, np.array(cues, np.float32)]))
        hashed.append(hashed_row(lexical(text, start, end, sentences[i])))
    width = 2 * DIMENSIONS + len(DENSE_NAMES)
    matrix = np.array(dense, dtype=np.float32).reshape(len(mentions), width)
    return MentionFeatures(indices, matrix, document_vector(vectors), document_sketch(text),
                           mention_vecs, hashed)
