"""Token features of the span tagger (SI): what the CRF sees of each token of a sentence.

Features are plain strings (CRFsuite binary attributes). Lexical ones fire only for words seen in
training, so any language gets the language-independent ones (shape, punctuation, quotes,
position, repetition, the sentence-level propaganda probability).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from narrascope.model import Sentence

_TOKEN = re.compile(r"\w+|[^\w\s]")
_QUOTES = frozenset("\"'«»“”„‘’`")
_REPEAT_MIN = 3  # a content word that occurs this often in the article is "repeated"
LEXICON_MIN_COUNT = 3  # a word / bigram needs this many training occurrences to get a lexicon bin
LEXICON_SMOOTHING = 5.0  # pseudo-count of the language's base inside rate
# edges of the lift (inside rate / the language's base rate) that bin the lexicon entries
LEXICON_EDGES = (0.4, 0.7, 0.9, 1.15, 1.5, 2.0, 3.0)


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


def lexicon_keys(language: str, lows: Sequence[str]) -> list[str]:
    """The lexicon keys of a sentence's lower-cased tokens: each word, then each bigram."""
    return ([f"{language}|{w}" for w in lows]
            + [f"{language}|{a} {b}" for a, b in itertools.pairwise(lows)])


def build_lexicon(sentences: Sequence[tuple[str, Sequence[str], Sequence[bool]]]
                  ) -> dict[str, int]:
    """Binned "inside-span rate" of every frequent word and bigram, from (language, lower-cased
    tokens, inside flags) triples: the smoothed rate at which the word (bigram: both words) lies
    inside a gold span, divided by the language's base rate, binned by ``LEXICON_EDGES``."""
    seen: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    base_n: Counter[str] = Counter()
    base_in: Counter[str] = Counter()
    for language, lows, flags in sentences:
        base_n[language] += len(lows)
        base_in[language] += sum(flags)
        keys = lexicon_keys(language, lows)
        hits = [*flags, *(a and b for a, b in itertools.pairwise(flags))]
        seen.update(keys)
        inside.update(k for k, h in zip(keys, hits, strict=True) if h)
    out: dict[str, int] = {}
    for key, n in seen.items():
        if n < LEXICON_MIN_COUNT:
            continue
        language = key.split("|", 1)[0]
        base = base_in[language] / max(base_n[language], 1)
        rate = (inside[key] + LEXICON_SMOOTHING * base) / (n + LEXICON_SMOOTHING)
        out[key] = int(np.searchsorted(LEXICON_EDGES, rate / max(base, 1e-9), side="right"))
    return out


def _lexicon_features(language: str, lows: Sequence[str],
                      lexicon: Mapping[str, int]) -> list[list[str]]:
    n = len(lows)
    word = [lexicon.get(f"{language}|{w}", -1) for w in lows]
    pair = [lexicon.get(f"{language}|{a} {b}", -1) for a, b in itertools.pairwise(lows)]
    out: list[list[str]] = []
    for i in range(n):
        feats = [f"lx={word[i]}"]
        if i > 0:
            feats += [f"lx-1={word[i - 1]}", f"lxb-={pair[i - 1]}"]
        if i + 1 < n:
            feats += [f"lx+1={word[i + 1]}", f"lxb+={pair[i]}"]
        window = [b for b in word[max(0, i - 3): i + 4] if b >= 0]
        feats.append(f"lxmax={max(window) if window else -1}")
        out.append(feats)
    return out


def _token_features(word: str, word_shape: str) -> list[str]:
    low = word.lower()
    feats = [f"w={low}", f"sh={word_shape}", f"s3={low[-3:]}", f"s2={low[-2:]}",
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


def _cluster_features(clusters: Sequence[tuple[int, ...]], i: int) -> list[str]:
    feats = []
    for offset, tag in ((0, "c"), (-1, "c-1."), (1, "c+1.")):
        j = i + offset
        if 0 <= j < len(clusters):
            feats += [f"{tag}{g}={cid}" for g, cid in enumerate(clusters[j]) if cid >= 0]
    return feats


def sentence_features(tokens: Sequence[Token], bins: tuple[int, int, int], language: str,
                      counts: Counter[str],
                      lexicon: Mapping[str, int] | None = None,
                      clusters: Sequence[tuple[int, ...]] | None = None) -> list[list[str]]:
    """One list of feature strings per token of the sentence; `bins` are the probability bins of
    the previous sentence, this one and the next (-1 where there is none); `lexicon` maps
    "language|word" and "language|word word" to an inside-rate bin (see :func:`build_lexicon`);
    `clusters` holds each token's word-cluster ids (see :mod:`.si_clusters`)."""
    words = [t.text for t in tokens]
    lows = [w.lower() for w in words]
    shared = _sentence_level(tokens, bins, language)
    lex = _lexicon_features(language, lows, lexicon) if lexicon else [[] for _ in words]
    shapes = [shape(w) for w in words]
    out: list[list[str]] = []
    in_quote = False
    for i, word in enumerate(words):
        feats = [*shared, *_token_features(word, shapes[i]), *_position(i, len(words), in_quote),
                 *lex[i]]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(words):
                feats += [f"{offset}:w={lows[j]}", f"{offset}:sh={shapes[j]}"]
            else:
                feats.append(f"{offset}:pad")
        if i > 0:
            feats.append(f"bi-={lows[i - 1]}|{lows[i]}")
        if i + 1 < len(words):
            feats.append(f"bi+={lows[i]}|{lows[i + 1]}")
        feats.extend(_repetition(lows[i], lows[i - 1] if i else None, counts))
        if clusters is not None:
            feats.extend(_cluster_features(clusters, i))
        if word in _QUOTES:
            in_quote = not in_quote
        out.append(feats)
    return out
