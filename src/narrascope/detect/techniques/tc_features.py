"""Features of a span for the technique classifier (TC), numpy only.

A span is described by four blocks, each computed from the article text alone (never from gold
labels): the encoder vector of the span text, the encoder vector of the sentence(s) around it,
hashed word and character n-grams of the lower-cased span text (TF-IDF weighted, L2-normalised),
and a few dense cues (length, repetition in the article, punctuation, capitals, position).
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from narrascope.nlp.segment import split_sentences

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

HASH_BITS = 17
HASH_DIM = 1 << HASH_BITS
_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_QUOTES = "\"'«»“”„‘’"
_CHAR_NGRAMS = (2, 3, 4, 5)
AROUND_WORDS = 5  # words of context hashed on each side of the span
_OPEN_CLOSE_QUOTES = "\"«»“”„"

DENSE_NAMES: tuple[str, ...] = (
    "log_chars", "log_tokens", "log_text_repeats", "text_repeats_2plus", "mean_word_log_freq",
    "max_word_log_freq", "share_words_repeated", "upper_ratio", "all_caps_words", "exclaim",
    "question", "quoted", "quote_inside", "starts_upper", "ends_punct", "position", "in_title",
    "share_of_sentence", "cyrillic", "has_digit",
)


def normalise(text: str) -> str:
    """Lower-cased words joined by single spaces: how repeated span texts are recognised."""
    return " ".join(_WORD.findall(text.lower()))


def language_of(text: str) -> str:
    """'ru' where most letters are Cyrillic, else 'en' (only for sentence splitting)."""
    letters = _LETTER.findall(text[:5000])
    cyr = sum(1 for ch in letters if _CYRILLIC.match(ch))
    return "ru" if letters and cyr > len(letters) / 2 else "en"


@dataclass(frozen=True)
class ArticleIndex:
    """What the features need to know about the whole article, computed once per article."""

    text: str
    norm: str  # normalise(text)
    word_counts: Counter[str]
    sentence_starts: list[int]
    sentence_ends: list[int]
    title_end: int


def index_article(text: str) -> ArticleIndex:
    sentences = split_sentences(text, language_of(text)) or []
    starts = [s.start for s in sentences]
    ends = [s.end for s in sentences]
    title_end = text.find("\n")
    return ArticleIndex(text, normalise(text), Counter(_WORD.findall(text.lower())), starts, ends,
                        len(text) if title_end < 0 else title_end)


def context_range(index: ArticleIndex, start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence holding `start` to the end of the one holding `end - 1`."""
    if not index.sentence_starts:
        return start, end
    first = max(bisect_right(index.sentence_starts, start) - 1, 0)
    last = max(bisect_right(index.sentence_starts, end - 1) - 1, first)
    return min(index.sentence_starts[first], start), max(index.sentence_ends[last], end)


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (HASH_DIM - 1)


def hashed_counts(span_text: str) -> Counter[int]:
    """Hashed word 1-2-grams and within-word character 2-5-grams of the lower-cased text."""
    words = _WORD.findall(span_text.lower())
    grams: Counter[int] = Counter()
    grams.update(_hash("w:" + w) for w in words)
    grams.update(_hash("b:" + a + " " + b) for a, b in itertools.pairwise(words))
    for word in words:
        padded = f" {word} "
        for n in _CHAR_NGRAMS:
            grams.update(_hash("c:" + padded[i:i + n]) for i in range(len(padded) - n + 1))
    return grams


def tfidf_row(span_text: str, idf: FloatArray) -> tuple[IntArray, FloatArray]:
    """Sparse row (indices, values): sublinear tf times idf, L2-normalised."""
    counts = hashed_counts(span_text)
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    values = (tf * idf[idx]).astype(np.float32)
    norm = float(np.linalg.norm(values))
    return idx, values / max(norm, 1e-12)


def _repetition(index: ArticleIndex, span_text: str) -> tuple[float, float, float, float, float]:
    norm = normalise(span_text)
    repeats = index.norm.count(norm) if norm else 0
    words = norm.split()
    freqs = [index.word_counts.get(w, 0) for w in words] or [0]
    log_freqs = [math.log1p(f) for f in freqs]
    repeated = sum(1 for f in freqs if f >= 2) / len(freqs)
    return (math.log1p(repeats), float(repeats >= 2), sum(log_freqs) / len(log_freqs),
            max(log_freqs), repeated)


def _surface(index: ArticleIndex, start: int, end: int) -> list[float]:
    span_text = index.text[start:end]
    letters = _LETTER.findall(span_text)
    upper = sum(1 for ch in letters if ch.isupper()) / max(len(letters), 1)
    words = _WORD.findall(span_text)
    caps = sum(1 for w in words if len(w) > 1 and w.isupper()) / max(len(words), 1)
    before = index.text[max(start - 1, 0):start]
    after = index.text[end:end + 1]
    quoted = float(bool(before) and before in _QUOTES and bool(after) and after in _QUOTES)
    stripped = span_text.strip()
    return [upper, caps, float("!" in span_text or after == "!"),
            float("?" in span_text or after == "?"), quoted,
            float(any(q in span_text for q in _QUOTES)),
            float(bool(stripped) and stripped[0].isupper()),
            float(bool(stripped) and stripped[-1] in ".!?")]


def dense_row(index: ArticleIndex, start: int, end: int) -> list[float]:
    """The dense cues named in DENSE_NAMES, in that order (unscaled)."""
    span_text = index.text[start:end]
    words = _WORD.findall(span_text)
    c_start, c_end = context_range(index, start, end)
    letters = _LETTER.findall(span_text)
    cyr = sum(1 for ch in letters if _CYRILLIC.match(ch)) / max(len(letters), 1)
    return [math.log1p(len(span_text)), math.log1p(len(words)), *_repetition(index, span_text),
            *_surface(index, start, end), start / max(len(index.text), 1),
            float(start < index.title_end), (end - start) / max(c_end - c_start, 1), cyr,
            float(any(ch.isdigit() for ch in span_text))]


def around_features(index: ArticleIndex, start: int, end: int) -> list[str]:
    """What surrounds the span, as feature strings for the hashed block: the AROUND_WORDS
    lower-cased words before ("l:") and after ("r:") it within its paragraph, the nearest word on
    each side ("l1:", "r1:"), and whether it starts / ends / is a whole sentence or sits inside
    quotation marks ("s:...")."""
    text = index.text
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    left = _WORD.findall(text[para_start:start].lower())[-AROUND_WORDS:]
    right = _WORD.findall(text[end:para_end].lower())[:AROUND_WORDS]
    feats = [f"l:{w}" for w in left] + [f"r:{w}" for w in right]
    feats += [f"l1:{left[-1]}" if left else "l1:<s>", f"r1:{right[0]}" if right else "r1:</s>"]
    c_start, c_end = context_range(index, start, end)
    starts = not _WORD.search(text[c_start:start])
    ends = not _WORD.search(text[end:c_end])
    if starts:
        feats.append("s:starts")
    if ends:
        feats.append("s:ends")
    if starts and ends:
        feats.append("s:whole")
    before = text[c_start:start]
    if sum(before.count(q) for q in _OPEN_CLOSE_QUOTES) % 2 == 1:
        feats.append("s:in_quotes")
    return feats


def around_row(features: Sequence[str], idf: FloatArray) -> tuple[IntArray, FloatArray]:
    """Sparse row (indices, values) of the context features: binary times idf, L2-normalised
    (hashed into the same space as the span n-grams, with their own prefixes)."""
    if not features:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx = np.unique(np.fromiter((_hash(f) for f in features), dtype=np.int64,
                                count=len(features)))
    values = idf[idx].astype(np.float32)
    norm = float(np.linalg.norm(values))
    return idx, values / max(norm, 1e-12)


@dataclass(frozen=True)
class SpanTexts:
    """The texts of a batch of spans that go to the encoder, their dense rows and the feature
    strings of what surrounds them."""

    spans: list[str]
    contexts: list[str]
    dense: FloatArray
    around: list[list[str]] = field(default_factory=list)


def span_texts(text: str, spans: Sequence[tuple[int, int]]) -> SpanTexts:
    index = index_article(text)
    contexts = []
    for start, end in spans:
        c_start, c_end = context_range(index, start, end)
        contexts.append(text[c_start:c_end])
    dense = np.asarray([dense_row(index, s, e) for s, e in spans], dtype=np.float32)
    return SpanTexts([text[s:e] for s, e in spans], contexts,
                     dense.reshape(len(spans), len(DENSE_NAMES)),
                     [around_features(index, s, e) for s, e in spans])
