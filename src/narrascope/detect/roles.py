"""Entity roles (SemEval-2025 Task 10, subtask 1): for each mention of an entity, its main role
(Protagonist, Antagonist, Innocent) and one or more fine roles of that main role.

Two scorers, averaged: softmax regressions over the mention's features (:mod:`roles_features`),
and a neighbour memory of the training mentions (who the entity is, in what kind of document).
The main role is the most probable one; the fine roles are the best fine role of that main role,
plus the second best where it comes close. Weights ship as ``models/roles.npz`` + ``roles.json``
(trained by ``narrascope train roles``); prediction is numpy only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from narrascope.config import PACKAGE_DIR
from narrascope.detect.entities import Entity, EntityFinder
from narrascope.detect.roles_features import (
    HASH_DIM,
    FloatArray,
    IntArray,
    MentionFeatures,
    TextEncoder,
    mention_features,
)
from narrascope.errors import NarrascopeError
from narrascope.eval.t10 import Mention
from narrascope.model import Sentence
from narrascope.nlp.segment import split_sentences

NAME = "roles"
VERSION = "1"
ARTIFACT = "roles"
_LAYERS = ("main", "fine")


def _top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """Column indices of each row's k largest values, largest first, ties by lower index (the
    order a stable sort gives), without sorting whole rows."""
    if k >= sims.shape[1]:
        return np.argsort(-sims, axis=1, kind="stable")
    kth = -np.partition(-sims, k - 1, axis=1)[:, k - 1]
    out = np.empty((len(sims), k), dtype=np.int64)
    for i, row in enumerate(sims):
        idx = np.flatnonzero(row >= kth[i])  # every value tied with the k-th comes along
        out[i] = idx[np.lexsort((idx, -row[idx]))][:k]
    return out


@dataclass(frozen=True)
class RoleConfig:
    """Training and decoding choices (the shipped values are chosen on held-out train folds)."""

    c_main: float = 1.0  # inverse L2 strength of the main-role softmax
    c_fine: float = 1.0  # ... and of the fine-role softmax
    neighbour_weight: float = 0.3  # share of the neighbour memory in the main-role average
    fine_neighbour_weight: float = 0.1  # ... and in the fine-role average
    neighbours: int = 30
    temperature: float = 0.05  # neighbour weight exp((similarity - best) / temperature)
    second_fine: float = 2.0  # add the 2nd fine role when p2 >= this * p1 (> 1: never)


@dataclass(frozen=True)
class RolePrediction:
    """The roles of one mention (start, end exclusive), with the sentence it is judged from."""

    start: int
    end: int
    mention: str
    main_role: str
    main_score: float
    fine_roles: tuple[tuple[str, float], ...]
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class EntityRole:
    """One role decision for an entity, from all its mentions in a document."""

    name: str
    kind: str
    mentions: tuple[tuple[int, int], ...]
    main_role: str
    main_score: float
    fine_roles: tuple[tuple[str, float], ...]
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class Layer:
    """A softmax over dense features and hashed buckets: logits = dense @ w + hashed + bias."""

    dense: FloatArray   # (d, k)
    hashed: FloatArray  # (HASH_DIM, k)
    bias: FloatArray    # (k,)

    def probabilities(self, features: MentionFeatures) -> FloatArray:
        logits = features.dense @ self.dense + self.bias
        for i, (buckets, values) in enumerate(features.hashed):
            logits[i] += values @ self.hashed[buckets]
        return softmax(logits)


@dataclass(frozen=True)
class Memory:
    """The training mentions: vectors of the mention string and of its document, and roles."""

    mention_vectors: FloatArray  # (n, 512)
    doc_vectors: FloatArray      # (documents, 512)
    doc_sketches: FloatArray     # (documents, SKETCH_DIM) their word sets
    doc_index: IntArray          # (n,) row of each mention's document in doc_vectors
    main: FloatArray             # (n, main roles) one-hot gold main role
    fine: FloatArray             # (n, fine roles) gold fine roles, each mention summing to 1

    def as_stored(self) -> Memory:
        """This memory as `RoleModel.save` stores it (float16), so that scores measured before
        saving are those of the saved model."""
        def rounded(a: np.ndarray) -> FloatArray:
            out: FloatArray = a.astype(np.float16).astype(np.float32)
            return out

        return Memory(rounded(self.mention_vectors), rounded(self.doc_vectors),
                      rounded(self.doc_sketches), self.doc_index,
                      self.main.astype(np.float32), rounded(self.fine))

    def probabilities(self, mention_vectors: np.ndarray, doc_vectors: np.ndarray,
                      doc_sketches: np.ndarray, k: int, temperature: float,
                      exclude: np.ndarray | None = None) -> tuple[FloatArray, FloatArray]:
        """Main- and fine-role distributions of the k training mentions most similar to each
        query, weighted by similarity: the cosines of the mention strings' vectors, of the
        documents' vectors and of their word sets, added; `exclude` (queries x memory, bool)
        hides memory rows from queries."""
        sims = mention_vectors @ self.mention_vectors.T
        sims += (doc_vectors @ self.doc_vectors.T)[:, self.doc_index]
        sims += (doc_sketches @ self.doc_sketches.T)[:, self.doc_index]
        if exclude is not None:
            sims[exclude] = -np.inf
        k = min(k, sims.shape[1])
        top = _top_k(sims, k)
        best = np.take_along_axis(sims, top, axis=1)
        weights = np.exp((best - best[:, :1]) / temperature)
        weights /= weights.sum(axis=1, keepdims=True)
        main: FloatArray = np.einsum("qk,qkm->qm", weights, self.main[top]).astype(np.float32)
        fine: FloatArray = np.einsum("qk,qkf->qf", weights, self.fine[top]).astype(np.float32)
        return main, fine


def softmax(logits: np.ndarray) -> FloatArray:
    z = logits - logits.max(axis=1, keepdims=True)
    p: FloatArray = np.exp(z).astype(np.float32)
    p /= p.sum(axis=1, keepdims=True)
    return p


def decode(main_probs: np.ndarray, fine_probs: np.ndarray, mains: Sequence[str],
           fines: Sequence[str], taxonomy: Mapping[str, Sequence[str]],
           second_fine: float) -> tuple[str, float, list[tuple[str, float]]]:
    """The main role, its probability and the fine roles (with probabilities, renormalised
    within the main role) of one mention."""
    main_index = int(np.argmax(main_probs))
    main = mains[main_index]
    own = [fines.index(f) for f in taxonomy[main]]
    within = np.asarray(fine_probs, dtype=np.float64)[own]
    within = within / within.sum() if within.sum() > 0 else np.full(len(own), 1.0 / len(own))
    order = np.argsort(-within, kind="stable")
    chosen = [order[0]]
    if len(order) > 1 and within[order[1]] >= second_fine * within[order[0]]:
        chosen.append(order[1])
    return main, float(main_probs[main_index]), [(fines[own[j]], float(within[j]))
                                                 for j in chosen]


class RoleModel:
    """Main and fine roles of entity mentions, and the entities of a document."""

    name = NAME

    def __init__(self, layers: Mapping[str, Layer], memory: Memory, mains: Sequence[str],
                 taxonomy: Mapping[str, Sequence[str]], config: RoleConfig,
                 version: str = VERSION) -> None:
        self.layers = dict(layers)
        self.memory = memory
        self.mains = tuple(mains)
        self.taxonomy = {main: tuple(taxonomy[main]) for main in self.mains}
        self.fines = tuple(f for main in self.mains for f in self.taxonomy[main])
        self.config = config
        self.version = version
        self._finder: EntityFinder | None = None

    @classmethod
    def load(cls, model_dir: Path = PACKAGE_DIR / "models") -> RoleModel:
        meta_path, arrays_path = model_dir / f"{ARTIFACT}.json", model_dir / f"{ARTIFACT}.npz"
        for path in (meta_path, arrays_path):
            if not path.is_file():
                raise NarrascopeError(f"{path}: the entity-role model file is missing; run "
                                      "`narrascope train roles` to build it")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(arrays_path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        layers = {name: Layer(*(arrays[f"{name}_{part}"].astype(np.float32)
                                for part in ("dense", "hashed", "bias"))) for name in _LAYERS}
        memory = Memory(arrays["memory_mention_vectors"].astype(np.float32),
                        arrays["memory_doc_vectors"].astype(np.float32),
                        arrays["memory_doc_sketches"].astype(np.float32),
                        arrays["memory_doc_index"].astype(np.int64),
                        arrays["memory_main"].astype(np.float32),
                        arrays["memory_fine"].astype(np.float32))
        if layers["main"].hashed.shape[0] != HASH_DIM:
            raise NarrascopeError(f"{arrays_path}: built for another feature layout; run "
                                  "`narrascope train roles` again")
        return cls(layers, memory, meta["main_roles"], meta["taxonomy"],
                   RoleConfig(**meta["config"]), str(meta["version"]))

    def save(self, model_dir: Path, extra: Mapping[str, object]) -> None:
        """Write ``roles.npz`` (float16 memory, float32 weights) and ``roles.json``."""
        model_dir.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        for name, layer in self.layers.items():
            for part in ("dense", "hashed", "bias"):
                arrays[f"{name}_{part}"] = getattr(layer, part).astype(np.float32)
        m = self.memory
        arrays.update(memory_mention_vectors=m.mention_vectors.astype(np.float16),
                      memory_doc_vectors=m.doc_vectors.astype(np.float16),
                      memory_doc_sketches=m.doc_sketches.astype(np.float16),
                      memory_doc_index=m.doc_index.astype(np.int32),
                      memory_main=m.main.astype(np.int8), memory_fine=m.fine.astype(np.float16))
        with (model_dir / f"{ARTIFACT}.npz").open("wb") as fh:
            np.savez_compressed(fh, allow_pickle=False, **arrays)
        meta = {"name": NAME, "version": self.version, "main_roles": list(self.mains),
                "taxonomy": {k: list(v) for k, v in self.taxonomy.items()},
                "config": asdict(self.config), **extra}
        (model_dir / f"{ARTIFACT}.json").write_text(
            json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def probabilities(self, features: MentionFeatures) -> tuple[FloatArray, FloatArray]:
        """Averaged main- and fine-role probabilities of a document's mentions."""
        cfg = self.config
        main = self.layers["main"].probabilities(features)
        fine = self.layers["fine"].probabilities(features)
        if (cfg.neighbour_weight or cfg.fine_neighbour_weight) and len(features.mention_vectors):
            n = len(features.mention_vectors)
            near_main, near_fine = self.memory.probabilities(
                features.mention_vectors, np.repeat(features.doc_vector[None, :], n, 0),
                np.repeat(features.doc_sketch[None, :], n, 0), cfg.neighbours,
                cfg.temperature)
            w, v = cfg.neighbour_weight, cfg.fine_neighbour_weight
            main, fine = (1 - w) * main + w * near_main, (1 - v) * fine + v * near_fine
        return main, fine

    def predict(self, text: str, language: str, mentions: Sequence[tuple[int, int]],
                sentences: Sequence[Sentence], vectors: np.ndarray,
                encoder: TextEncoder) -> list[RolePrediction]:
        """The roles of each mention (start, end exclusive) of a document; `vectors` are the
        encoder vectors of `sentences` (as the pipeline computes them)."""
        for start, end in mentions:
            if not 0 <= start < end <= len(text):
                raise NarrascopeError(f"mention [{start}, {end}) is not within the text "
                                      f"({len(text)} characters)")
        if not mentions:
            return []
        if not sentences:  # a text of one unsplit piece
            sentences = [Sentence(0, len(text))]
            vectors = np.asarray(encoder.encode([text]), dtype=np.float32)
        if len(vectors) != len(sentences):
            raise NarrascopeError(f"{len(vectors)} sentence vectors for {len(sentences)} "
                                  "sentences; pass the vectors of these sentences")
        features = mention_features(text, language, mentions, sentences, vectors, encoder)
        main, fine = self.probabilities(features)
        out = []
        for (start, end), i, pm, pf in zip(mentions, features.sentence_index, main, fine,
                                           strict=True):
            role, score, fine_roles = decode(pm, pf, self.mains, self.fines, self.taxonomy,
                                             self.config.second_fine)
            out.append(RolePrediction(start, end, text[start:end], role, score,
                                      tuple(fine_roles), sentences[i].start, sentences[i].end))
        return out

    def find_entities(self, text: str, language: str,
                      sentences: Sequence[Sentence]) -> list[Entity]:
        """The people, organisations, countries and armed forces a document mentions."""
        if self._finder is None:
            self._finder = EntityFinder()
        return self._finder.find(text, language, sentences)

    def entity_roles(self, entities: Sequence[Entity],
                     predictions: Sequence[RolePrediction]) -> list[EntityRole]:
        """One decision per entity: the main role with the highest mean probability over its
        mentions, then that role's best fine roles; evidence from its most confident mention."""
        by_span = {(p.start, p.end): p for p in predictions}
        out = []
        for entity in entities:
            found = [by_span[m] for m in entity.mentions if m in by_span]
            if not found:
                continue
            main_scores = {m: float(np.mean([p.main_score if p.main_role == m else 0.0
                                             for p in found])) for m in self.mains}
            main = max(self.mains, key=lambda m: main_scores[m])
            fine_scores: dict[str, list[float]] = {}
            for p in found:
                if p.main_role == main:
                    for role, score in p.fine_roles:
                        fine_scores.setdefault(role, []).append(score)
            fine = sorted(((r, float(np.sum(s)) / len(found)) for r, s in fine_scores.items()),
                          key=lambda rs: -rs[1])
            best = max((p for p in found if p.main_role == main), key=lambda p: p.main_score)
            out.append(EntityRole(entity.name, entity.kind, entity.mentions, main,
                                  main_scores[main], tuple(fine[:1] or best.fine_roles[:1]),
                                  best.evidence_start, best.evidence_end))
        return out


def predict_mentions(model: RoleModel, documents: Mapping[str, str],
                     mentions: Sequence[Mention], language: str,
                     encoder: TextEncoder) -> list[Mention]:
    """Roles for the official subtask-1 input (end offsets INCLUSIVE), one document at a time
    as the pipeline would: sentences split, their vectors encoded, then the mentions."""
    by_article: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.article_id not in documents:
            raise NarrascopeError(f"mention {m.article_id} {m.start}-{m.end}: no such document")
        by_article.setdefault(m.article_id, []).append(m)
    out = []
    for article_id, wanted in sorted(by_article.items()):
        text = documents[article_id]
        sentences = split_sentences(text, language.lower())
        vectors = np.asarray(encoder.encode([s.slice(text) for s in sentences]),
                             dtype=np.float32)
        spans = [(m.start, min(m.end + 1, len(text))) for m in wanted]
        for m, p in zip(wanted, model.predict(text, language, spans, sentences, vectors,
                                              encoder), strict=True):
            out.append(Mention(m.article_id, m.text, m.start, m.end, p.main_role,
                               tuple(role for role, _ in p.fine_roles)))
    return out
