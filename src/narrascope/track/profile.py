"""What the story tracker knows of a document: its salient words, names, sentence vector and day.

Words are hashed into a fixed number of buckets (a stable CRC32, the same on every machine and
run), so document frequencies fit one bounded array whatever the archive's size.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

BUCKETS = 1 << 20
MAX_CHARS = 6000          # the start of a long article says what it is about
TITLE_WEIGHT = 2.0        # a title word counts as much as two body words
MAX_TERMS = 120           # the heaviest words kept per document vector

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|[.!?:;\"«»“”]", re.UNICODE)
_OPENERS = frozenset('.!?:;"«»“”')
_NUMBER = re.compile(r"\d[\d,]*\d")  # two digits or more: counts, years, sums

SparseVector = dict[int, float]


def bucket(word: str) -> int:
    return zlib.crc32(word.encode("utf-8")) & (BUCKETS - 1)


@dataclass(frozen=True)
class DocInput:
    """One document as the tracker receives it."""

    key: str                      # the caller's id (a store id, a dataset id)
    text: str
    title: str | None = None
    language: str | None = None
    day: date | None = None
    vector: np.ndarray | None = None  # L2-normalised sentence vector of title and lead


@dataclass
class Profile:
    """A document reduced to what similarity needs."""

    key: str
    day: int | None               # date ordinal
    language: str | None
    counts: dict[int, float]      # word bucket -> weighted count (title words count double)
    names: frozenset[int]         # buckets of capitalised names found inside sentences
    vector: np.ndarray | None
    numbers: frozenset[int] = frozenset()  # buckets of the numbers in title and body
    terms: SparseVector = field(default_factory=dict)  # tf-idf, L2-normalised, set by `weigh`


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def names(text: str) -> set[str]:
    """Capitalised word runs that do not open a sentence: people, places, organisations."""
    found: set[str] = set()
    for line in text.splitlines():
        run: list[str] = []
        opener = True  # the first word of a line or sentence is capitalised anyway
        for token in _TOKEN.findall(line):
            if token in _OPENERS:
                opener, run = True, _flush(run, found)
                continue
            if token[0].isupper() and not opener:
                run.append(token.lower())
            else:
                run = _flush(run, found)
            opener = False
        _flush(run, found)
    return found


def _flush(run: list[str], found: set[str]) -> list[str]:
    if run:
        found.add(" ".join(run))
    return []


def numbers(text: str) -> set[str]:
    """Numbers of two digits or more (thousands separators dropped): what tells apart two events
    of the same kind (23 or 26 pirates, 2008 or 2011)."""
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def make_profile(doc: DocInput) -> Profile:
    body = doc.text[:MAX_CHARS]
    counts: dict[int, float] = {}
    for w in words(body):
        b = bucket(w)
        counts[b] = counts.get(b, 0.0) + 1.0
    if doc.title:
        for w in words(doc.title):
            b = bucket(w)
            counts[b] = counts.get(b, 0.0) + TITLE_WEIGHT
    found = names(body) | (names(" " + doc.title) if doc.title else set())
    return Profile(
        key=doc.key,
        day=doc.day.toordinal() if doc.day else None,
        language=doc.language,
        counts=counts,
        names=frozenset(bucket(n) for n in found),
        vector=doc.vector,
        numbers=frozenset(bucket("#" + n) for n in numbers(f"{body} {doc.title or ''}")),
    )


BACKGROUND_FILE = "stories-df.npz"


class DocumentFrequencies:
    """How many documents seen so far contain each word bucket (grows online), on top of a
    shipped background count from the training corpora (`narrascope train stories`), so the
    first documents of a fresh archive already know which words are common."""

    def __init__(self, counts: np.ndarray | None = None, documents: int = 0) -> None:
        self.counts = counts if counts is not None else np.zeros(BUCKETS, dtype=np.int32)
        self.documents = documents

    def add(self, profile: Profile) -> None:
        if profile.counts:
            self.counts[np.fromiter(profile.counts, dtype=np.int64)] += 1
        self.documents += 1

    def idf(self, buckets: np.ndarray) -> np.ndarray:
        df = self.counts[buckets].astype(np.float64)
        out: np.ndarray = np.log((self.documents + 1.0) / (df + 1.0)) + 1.0
        return out


def weigh(profile: Profile, df: DocumentFrequencies, max_terms: int = MAX_TERMS) -> None:
    """Set `profile.terms`: sublinear tf times idf over the heaviest words, L2-normalised."""
    if not profile.counts:
        profile.terms = {}
        return
    keys = np.fromiter(profile.counts, dtype=np.int64)
    tf = np.fromiter(profile.counts.values(), dtype=np.float64)
    w = (1.0 + np.log(tf)) * df.idf(keys)
    if len(w) > max_terms:
        top = np.argpartition(-w, max_terms)[:max_terms]
        keys, w = keys[top], w[top]
    norm = math.sqrt(float(np.dot(w, w))) or 1.0
    profile.terms = {int(k): float(v) / norm for k, v in zip(keys, w, strict=True)}


def sparse_dot(a: SparseVector, b: SparseVector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def background_frequencies() -> DocumentFrequencies:
    """A fresh copy of the shipped background counts (empty when none is shipped)."""
    from importlib import resources

    path = resources.files("narrascope.models") / BACKGROUND_FILE
    if not path.is_file():
        return DocumentFrequencies()
    with path.open("rb") as fh, np.load(fh) as z:
        counts = np.zeros(BUCKETS, dtype=np.int32)
        counts[z["buckets"].astype(np.int64)] = z["counts"]
        return DocumentFrequencies(counts, int(z["documents"]))


def save_frequencies(df: DocumentFrequencies, path: Path) -> None:
    nz = np.flatnonzero(df.counts)
    np.savez_compressed(path, buckets=nz.astype(np.int32),
                        counts=df.counts[nz].astype(np.int32),
                        documents=np.array(df.documents, dtype=np.int64))
