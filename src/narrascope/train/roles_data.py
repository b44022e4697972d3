"""The role model's training mentions, featurised as at prediction time.

Two sources. SemEval-2025 Task 10 train: the mentions the annotators cast (their roles) and the
first mentions of the actors narrascope finds there but the annotators did not cast ("not
framed"). The dev part of the project's real-material set (`roles-real`): every mention of an
entity that is an annotated actor takes that actor's role, the first mentions of the other
entities are "not framed"; these rows carry a weight of their own, and a fold of their own for
fitting the entity decision on held-out documents.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.detect.entities import Entity, EntityFinder
from narrascope.detect.framing import FramingLexicon
from narrascope.detect.roles_features import FloatArray, IntArray, TextEncoder, mention_features
from narrascope.errors import NarrascopeError
from narrascope.eval.roles_real import RealDocument
from narrascope.eval.t10 import Mention, t10_split
from narrascope.nlp.segment import split_sentences

FOLDS = 5
REAL_FOLDS = 4
UNCAST_PER_ENTITY = 3  # "not framed" examples taken from each uncast entity's first mentions
CAST_PER_ENTITY = 6    # real-material examples taken from each annotated actor's mentions


@dataclass
class TrainingSet:
    """Features and gold roles of the training mentions (main index len(mains): not framed)."""

    dense: FloatArray                                 # (n, d)
    hashed: list[tuple[IntArray, FloatArray]]         # per mention
    identity: list[tuple[IntArray, FloatArray]]       # per mention: its own words, characters
    main: IntArray                                    # (n,) main-role index
    fine: FloatArray                                  # (n, fine roles), rows sum to 1 or 0
    languages: list[str]                              # per mention
    fold: IntArray                                    # (n,) held-out fold of its document
    weight: FloatArray                                # (n,) weight in the fit
    real_document: IntArray                           # (n,) roles-real document, -1: SemEval

    @property
    def cast(self) -> IntArray:
        return np.flatnonzero(self.fine.sum(axis=1) > 0)

    @property
    def semeval(self) -> IntArray:
        return np.flatnonzero(self.real_document < 0)


def fold_of(language: str, article_id: str, folds: int = FOLDS) -> int:
    return zlib.crc32(f"{language}/{article_id}".encode()) % folds


class _Parts:
    """Rows being collected."""

    def __init__(self, n_fines: int) -> None:
        self.n_fines = n_fines
        self.lists: dict[str, list[Any]] = {key: [] for key in (
            "dense", "hashed", "identity", "main", "fine", "languages", "fold", "weight",
            "real_document")}

    def add(self, feats: Any, labels: list[tuple[int, FloatArray]], language: str, fold: int,
            weight: float, real_document: int) -> None:
        self.lists["dense"].append(feats.dense)
        self.lists["hashed"] += feats.hashed
        self.lists["identity"] += feats.identity
        for main, fine in labels:
            self.lists["main"].append(main)
            self.lists["fine"].append(fine)
        n = len(labels)
        self.lists["languages"] += [language] * n
        self.lists["fold"] += [fold] * n
        self.lists["weight"] += [weight] * n
        self.lists["real_document"] += [real_document] * n

    def build(self) -> TrainingSet:
        p = self.lists
        return TrainingSet(np.concatenate(p["dense"]), p["hashed"], p["identity"],
                           np.array(p["main"]), np.array(p["fine"], dtype=np.float32),
                           p["languages"], np.array(p["fold"]), np.array(p["weight"]),
                           np.array(p["real_document"]))


def _uncast(entities: Sequence[Entity], gold: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """First mentions of the entities that no gold span overlaps."""
    out = []
    for entity in entities:
        if not any(s < ge and gs < e for s, e in entity.mentions for gs, ge in gold):
            out += list(entity.mentions[:UNCAST_PER_ENTITY])
    return out


def _fine_row(roles: Sequence[str], fines: Sequence[str]) -> FloatArray:
    row = np.zeros(len(fines), dtype=np.float32)
    known = [f for f in roles if f in fines]
    for f in known:
        row[fines.index(f)] = 1.0 / len(known)
    return row


def _encode(text: str, language: str, encoder: TextEncoder) -> tuple[list[Any], np.ndarray]:
    sentences = split_sentences(text, language.lower())
    return sentences, np.asarray(encoder.encode([s.slice(text) for s in sentences]),
                                 dtype=np.float32)


def training_set(data_dir: Path, languages: Sequence[str], encoder: TextEncoder,
                 mains: Sequence[str], fines: Sequence[str], finder: EntityFinder,
                 lexicon: FramingLexicon, say: Callable[[str], None],
                 real: Sequence[RealDocument] = (), real_weight: float = 1.0) -> TrainingSet:
    """Every train mention of `languages`, the uncast ones, and the real-material rows."""
    parts = _Parts(len(fines))
    none = np.zeros(len(fines), dtype=np.float32)
    for language in languages:
        split = t10_split(data_dir, "train", language)
        by_article: dict[str, list[Mention]] = {}
        for m in split.mentions:
            by_article.setdefault(m.article_id, []).append(m)
        say(f"{language}: encoding {len(by_article)} documents, {len(split.mentions)} mentions")
        for article_id, mentions in sorted(by_article.items()):
            text = split.documents[article_id]
            sentences, vectors = _encode(text, language, encoder)
            spans = [(m.start, min(m.end + 1, len(text))) for m in mentions]
            uncast = _uncast(finder.find(text, language.lower(), sentences), spans)
            feats = mention_features(text, language, spans + uncast, sentences, vectors,
                                     lexicon)
            labels = [(mains.index(str(m.main_role)), _fine_row(m.fine_roles, fines))
                      for m in mentions] + [(len(mains), none)] * len(uncast)
            parts.add(feats, labels, language, fold_of(language, article_id), 1.0, -1)
    if real:
        say(f"roles-real dev: {len(real)} documents")
    for number, doc in enumerate(real):
        sentences, vectors = _encode(doc.text, doc.language, encoder)
        entities = finder.find(doc.text, doc.language, sentences)
        chosen: list[tuple[int, int]] = []
        labels = []
        for entity in entities:
            gold = next((a for a in doc.actors if any(
                s < a.end and a.start < e for s, e in entity.mentions)), None)
            if gold is not None and gold.role in mains:
                chosen += entity.mentions[:CAST_PER_ENTITY]
                row = np.full(len(fines), 0.0, dtype=np.float32)
                labels += [(mains.index(gold.role), row)] * len(entity.mentions[:CAST_PER_ENTITY])
            elif gold is None:
                chosen += entity.mentions[:UNCAST_PER_ENTITY]
                labels += [(len(mains), none)] * len(entity.mentions[:UNCAST_PER_ENTITY])
        if chosen:
            feats = mention_features(doc.text, doc.language, chosen, sentences, vectors, lexicon)
            parts.add(feats, labels, doc.language, -1, real_weight, number)
    if not parts.lists["main"]:
        raise NarrascopeError(f"{data_dir}: no subtask-1 training mentions for "
                              f"{', '.join(languages)}")
    return parts.build()
