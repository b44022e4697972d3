"""Token features of the span tagger (SI): what the CRF sees of each token of a sentence.

Features are plain strings (CRFsuite binary attributes). Lexical ones fire only for words seen in
training, so any language gets the language-independent ones (shape, punctuation, quotes,
position, repetition, the sentence-level propaganda probability).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from narrascope.model import Sentence

_TOKEN = re.compile(r"\w+|[^\w\s]")
_QUOTES = frozenset("\"'«»“”„‘’`")
_REPEAT_MIN = 3  # a content word that occurs this often in the article is "repeated"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str, sentence: Sentence) -> list[Token]:
    """Words and single punctuation marks of one sentence, with article offsets."""
    return [Token(sentence.start + m.start(), sentence.start + m.end(), m.group())
            for m in _TOKEN.finditer(sentence.slice(text))]


def shape(word: str) -> str:
    """Case/digit shape with runs collapsed: "Hello" -> "Xx", "COVID-19" -> "X-d"."""
    out: list[str] = []
    for char in word[:12]:
        if char.isalpha():
            kind = "X" if char.isupper() else "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def article_counts(tokens: Sequence[Sequence[Token]]) -> Counter[str]:
    """Lower-cased word and bigram counts over the whole article (for repetition features)."""
    counts: Counter[str] = Counter()
    for sentence in tokens:
        words = [t.text.lower() for t in sentence if t.text[0].isalnum()]
        counts.update(w for w in words if len(w) > 3)
        counts.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return counts


def probability_bins(probabilities: np.ndarray, edges: np.ndarray) -> list[tuple[int, int, int]]:
    """Per sentence, the bins (by the stored edges) of the previous, this and the next sentence's
    probability; -1 stands for no sentence."""
    own = [int(b) for b in np.searchsorted(edges, probabilities, side="right")]
    padded = [-1, *own, -1]
    return [(padded[i], padded[i + 1], padded[i + 2]) for i in range(len(own))]


def _word_features(word: str, prefix: str) -> list[str]:
    low = word.lower()
    return [f"{prefix}w={low}", f"{prefix}sh={shape(word)}"]


def _token_features(word: str) -> list[str]:
    low = word.lower()
    feats = [f"w={low}", f"sh={shape(word)}", f"s3={low[-3:]}", f"s2={low[-2:]}",
             f"p3={low[:3]}"]
    if word in _QUOTES:
        feats.append("quote")
    elif not word[0].isalnum():
        feats.append(f"punct={word}")
    if word.isupper() and len(word) > 1:
        feats.append("allcaps")
    return feats


def _sentence_level(tokens: Sequence[Token], bins: tuple[int, int, int],
                    language: str) -> list[str]:
    words = [t.text for t in tokens]
    n = len(words)
    length = "s" if n < 8 else "m" if n < 16 else "l" if n < 32 else "xl"
    prob_bin = bins[1]
    feats = ["bias", f"sp={prob_bin}", f"len={length}", f"sp={prob_bin}|len={length}",
             f"lang={language}", f"sp={prob_bin}|lang={language}", f"sp-1={bins[0]}",
             f"sp+1={bins[2]}"]
    if "!" in words:
        feats.append("sent!")
    if "?" in words:
        feats.append("sent?")
    if any(w in _QUOTES for w in words):
        feats.append("sentquote")
    return feats


def _position(i: int, n: int, in_quote: bool) -> list[str]:
    feats = [f"rel={4 * i // max(n, 1)}"]
    if i == 0:
        feats.append("first")
    if i == n - 1:
        feats.append("last")
    if in_quote:
        feats.append("inquote")
    return feats


def _repetition(low: str, prev: str | None, counts: Counter[str]) -> list[str]:
    feats = []
    if len(low) > 3 and counts[low] >= _REPEAT_MIN:
        feats.append("rep")
    if prev is not None and counts[f"{prev} {low}"] >= 2:
        feats.append("rep2")
    return feats


def sentence_features(tokens: Sequence[Token], bins: tuple[int, int, int], language: str,
                      counts: Counter[str]) -> list[list[str]]:
    """One list of feature strings per token of the sentence; `bins` are the probability bins of
    the previous sentence, this one and the next (-1 where there is none)."""
    words = [t.text for t in tokens]
    lows = [w.lower() for w in words]
    shared = _sentence_level(tokens, bins, language)
    out: list[list[str]] = []
    in_quote = False
    for i, word in enumerate(words):
        feats = [*shared, *_token_features(word), *_position(i, len(words), in_quote)]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(words):
                feats.extend(_word_features(words[j], f"{offset}:"))
            else:
                feats.append(f"{offset}:pad")
        if i > 0:
            feats.append(f"bi-={lows[i - 1]}|{lows[i]}")
        if i + 1 < len(words):
            feats.append(f"bi+={lows[i]}|{lows[i + 1]}")
        feats.extend(_repetition(lows[i], lows[i - 1] if i else None, counts))
        if word in _QUOTES:
            in_quote = not in_quote
        out.append(feats)
    return out
