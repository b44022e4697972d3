"""Entity roles (SemEval-2025 Task 10, subtask 1) from how the text frames each actor: for each
mention, its main role (Protagonist, Antagonist, Innocent) or none, and the fine roles of that
main role.

Version 2 (issue #14) reads only the mention's context (:mod:`roles_features`): who the actor is
never decides its role, so the source's own heroes are not turned into villains by the priors of
differently-minded training outlets. Two softmax regressions: the main one has a fourth class,
"not framed", learnt from the actors that narrascope finds in the training articles but the
annotators did not cast; the fine one is fitted on cast mentions. An entity takes the role its
mentions agree on, weighted by how framed each is, and none when no mention is clearly framed;
its score is calibrated. Weights ship as ``models/roles.npz`` + ``roles.json`` (trained by
``narrascope train roles``); prediction is numpy only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from narrascope.config import PACKAGE_DIR
from narrascope.detect.entities import Entity, EntityFinder
from narrascope.detect.framing import FramingLexicon
from narrascope.detect.roles_entity import EntityHead, entity_features
from narrascope.detect.roles_features import (
    HASH_DIM,
    FloatArray,
    MentionFeatures,
    TextEncoder,
    mention_features,
)
from narrascope.errors import NarrascopeError
from narrascope.eval.t10 import Mention
from narrascope.model import Sentence
from narrascope.nlp.segment import split_sentences

NAME = "roles"
VERSION = "2"
NOT_FRAMED = "none"
ARTIFACT = "roles"
_LAYERS = ("main", "fine", "identity_main", "identity_fine")
_FALLBACK_FRAMED = 0.5  # without an entity head: an entity no mention of which is this framed


@dataclass(frozen=True)
class RoleConfig:
    """Training, decoding and calibration choices (see the model card for how each was set)."""

    c_main: float = 1.0       # inverse L2 strength of the main-role softmax
    c_fine: float = 1.0       # ... and of the fine-role softmax
    none_weight: float = 1.0  # weight of the "not framed" training mentions
    second_fine: float = 2.0  # add the 2nd fine role when p2 >= this * p1 (> 1: never)
    # Who the actor is may only break ties: for a GIVEN mention (the SemEval task), the role
    # is argmax of log p(framing) + identity_weight * log p(identity); entity decisions in
    # `analyze` never use identity.
    identity_weight: float = 0.0


@dataclass(frozen=True)
class RolePrediction:
    """The roles of one mention (start, end exclusive), with the sentence it is judged from;
    `framed` is the probability that the sentence casts the mention in any role."""

    start: int
    end: int
    mention: str
    main_role: str
    main_score: float
    fine_roles: tuple[tuple[str, float], ...]
    evidence_start: int
    evidence_end: int
    framed: float = 1.0
    main_probs: tuple[float, ...] = ()  # per main role, given that it is framed (framing only)
    cues: tuple[float, ...] = ()        # framing cue counts (framing.FEATURE_NAMES)
    sentence_index: int = 0
    fine_probs: tuple[float, ...] = ()  # every fine role's probability (framing only)
    language: str = ""


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
    actor_id: str | None = None


@dataclass(frozen=True)
class Layer:
    """A softmax over dense features and hashed buckets: logits = dense @ w + hashed + bias."""

    dense: FloatArray   # (d, k)
    hashed: FloatArray  # (HASH_DIM, k)
    bias: FloatArray    # (k,)

    def probabilities(self, features: MentionFeatures) -> FloatArray:
        return self.of(features.dense, features.hashed)

    def of(self, dense: np.ndarray, hashed: Sequence[tuple[np.ndarray, np.ndarray]]
           ) -> FloatArray:
        logits = np.asarray(dense, dtype=np.float32) @ self.dense + self.bias
        for i, (buckets, values) in enumerate(hashed):
            logits[i] += values @ self.hashed[buckets]
        return softmax(logits)


def softmax(logits: np.ndarray) -> FloatArray:
    z = logits - logits.max(axis=1, keepdims=True)
    p: FloatArray = np.exp(z).astype(np.float32)
    p /= p.sum(axis=1, keepdims=True)
    return p


def with_identity(main: np.ndarray, fine: np.ndarray, identity_main: np.ndarray,
                  identity_fine: np.ndarray, weight: float,
                  n: int) -> tuple[FloatArray, FloatArray]:
    """p ∝ p(framing) * p(identity) ** weight over the n roles (the "not framed" column of
    `main` dropped) and over the fine roles."""
    roles = main[:, :n] * np.power(np.maximum(identity_main, 1e-9), weight)
    fines = fine * np.power(np.maximum(identity_fine, 1e-9), weight)
    return ((roles / roles.sum(axis=1, keepdims=True)).astype(np.float32),
            (fines / fines.sum(axis=1, keepdims=True)).astype(np.float32))


def decode(main_probs: np.ndarray, fine_probs: np.ndarray, mains: Sequence[str],
           fines: Sequence[str], taxonomy: Mapping[str, Sequence[str]],
           second_fine: float) -> tuple[str, float, list[tuple[str, float]]]:
    """The main role (of the first len(mains) columns: "not framed" never wins here), its
    probability among the roles, and the fine roles (probabilities renormalised within the
    main role) of one mention."""
    roles = np.asarray(main_probs[:len(mains)], dtype=np.float64)
    roles = roles / roles.sum() if roles.sum() > 0 else np.full(len(mains), 1.0 / len(mains))
    main_index = int(np.argmax(roles))
    main = mains[main_index]
    own = [fines.index(f) for f in taxonomy[main]]
    within = np.asarray(fine_probs, dtype=np.float64)[own]
    within = within / within.sum() if within.sum() > 0 else np.full(len(own), 1.0 / len(own))
    order = np.argsort(-within, kind="stable")
    chosen = [order[0]]
    if len(order) > 1 and within[order[1]] >= second_fine * within[order[0]]:
        chosen.append(order[1])
    return main, float(roles[main_index]), [(fines[own[j]], float(within[j]))
                                            for j in chosen]


class RoleModel:
    """Main and fine roles of entity mentions, and the entities of a document."""

    name = NAME

    def __init__(self, layers: Mapping[str, Layer], mains: Sequence[str],
                 taxonomy: Mapping[str, Sequence[str]], config: RoleConfig,
                 version: str = VERSION, lexicon: FramingLexicon | None = None,
                 finder: EntityFinder | None = None, head: EntityHead | None = None) -> None:
        self.layers = dict(layers)
        self.mains = tuple(mains)
        self.taxonomy = {main: tuple(taxonomy[main]) for main in self.mains}
        self.fines = tuple(f for main in self.mains for f in self.taxonomy[main])
        self.config = config
        self.version = version
        self.lexicon = lexicon or FramingLexicon()
        self._finder = finder
        self.head = head

    @classmethod
    def load(cls, model_dir: Path = PACKAGE_DIR / "models",
             finder: EntityFinder | None = None) -> RoleModel:
        meta_path, arrays_path = model_dir / f"{ARTIFACT}.json", model_dir / f"{ARTIFACT}.npz"
        for path in (meta_path, arrays_path):
            if not path.is_file():
                raise NarrascopeError(f"{path}: the entity-role model file is missing; run "
                                      "`narrascope train roles` to build it")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(arrays_path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        if f"{_LAYERS[0]}_dense" not in arrays or str(meta.get("version")) != VERSION:
            raise NarrascopeError(f"{arrays_path}: built by another version of the role model; "
                                  "run `narrascope train roles` again")
        layers = {name: Layer(*(arrays[f"{name}_{part}"].astype(np.float32)
                                for part in ("dense", "hashed", "bias"))) for name in _LAYERS}
        if layers["main"].hashed.shape[0] != HASH_DIM:
            raise NarrascopeError(f"{arrays_path}: built for another feature layout; run "
                                  "`narrascope train roles` again")
        head = EntityHead.from_json(meta["entity_head"]) if meta.get("entity_head") else None
        return cls(layers, meta["main_roles"], meta["taxonomy"], RoleConfig(**meta["config"]),
                   str(meta["version"]), finder=finder, head=head)

    def save(self, model_dir: Path, extra: Mapping[str, object]) -> None:
        """Write ``roles.npz`` (float32 weights, compressed) and ``roles.json``."""
        model_dir.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        for name, layer in self.layers.items():
            for part in ("dense", "hashed", "bias"):
                arrays[f"{name}_{part}"] = getattr(layer, part).astype(np.float32)
        with (model_dir / f"{ARTIFACT}.npz").open("wb") as fh:
            np.savez_compressed(fh, allow_pickle=False, **arrays)
        meta = {"name": NAME, "version": self.version, "main_roles": list(self.mains),
                "not_framed": NOT_FRAMED,
                "taxonomy": {k: list(v) for k, v in self.taxonomy.items()},
                "config": asdict(self.config),
                "entity_head": self.head.to_json() if self.head else None, **extra}
        (model_dir / f"{ARTIFACT}.json").write_text(
            json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def probabilities(self, features: MentionFeatures) -> tuple[FloatArray, FloatArray]:
        """Main-role probabilities (the roles, then "not framed") and fine-role probabilities
        of a document's mentions, from the framing alone."""
        return (self.layers["main"].probabilities(features),
                self.layers["fine"].probabilities(features))

    def with_identity(self, main: FloatArray, fine: FloatArray,
                      features: MentionFeatures) -> tuple[FloatArray, FloatArray]:
        """The role and fine-role probabilities of given mentions, identity breaking ties:
        p ∝ p(framing) * p(identity) ** identity_weight (the "not framed" column dropped)."""
        w = self.config.identity_weight
        n = len(self.mains)
        if w <= 0 or "identity_main" not in self.layers:
            return main[:, :n], fine
        empty = np.zeros((len(main), 0), dtype=np.float32)
        return with_identity(main, fine, self.layers["identity_main"].of(empty, features.identity),
                             self.layers["identity_fine"].of(empty, features.identity), w, n)

    def predict(self, text: str, language: str, mentions: Sequence[tuple[int, int]],
                sentences: Sequence[Sentence], vectors: np.ndarray,
                encoder: TextEncoder | None = None) -> list[RolePrediction]:
        """The roles of each mention (start, end exclusive) of a document; `vectors` are the
        encoder vectors of `sentences` (as the pipeline computes them)."""
        for start, end in mentions:
            if not 0 <= start < end <= len(text):
                raise NarrascopeError(f"mention [{start}, {end}) is not within the text "
                                      f"({len(text)} characters)")
        if not mentions:
            return []
        if not sentences:  # a text of one unsplit piece
            if encoder is None:
                raise NarrascopeError("a text without sentences needs the encoder")
            sentences = [Sentence(0, len(text))]
            vectors = np.asarray(encoder.encode([text]), dtype=np.float32)
        if len(vectors) != len(sentences):
            raise NarrascopeError(f"{len(vectors)} sentence vectors for {len(sentences)} "
                                  "sentences; pass the vectors of these sentences")
        features = mention_features(text, language, mentions, sentences, vectors,
                                    self.lexicon)
        main, fine = self.probabilities(features)
        roles, fines = self.with_identity(main, fine, features)
        out = []
        n = len(self.mains)
        for k, ((start, end), i) in enumerate(zip(mentions, features.sentence_index,
                                                  strict=True)):
            role, score, fine_roles = decode(roles[k], fines[k], self.mains, self.fines,
                                             self.taxonomy, self.config.second_fine)
            framed = float(main[k, :n].sum())
            out.append(RolePrediction(
                start, end, text[start:end], role, score, tuple(fine_roles), sentences[i].start,
                sentences[i].end, framed,
                tuple(float(p) / max(framed, 1e-9) for p in main[k, :n]),
                tuple(float(c) for c in features.cues[k]), i,
                tuple(float(f) for f in fine[k]), (language or "").lower()))
        return out

    def find_entities(self, text: str, language: str,
                      sentences: Sequence[Sentence]) -> list[Entity]:
        """The people, organisations, countries and armed forces a document mentions."""
        if self._finder is None:
            self._finder = EntityFinder()
        return self._finder.find(text, language, sentences)

    def entity_roles(self, entities: Sequence[Entity],
                     predictions: Sequence[RolePrediction]) -> list[EntityRole]:
        """One decision per entity that the text frames (see :mod:`roles_entity`), with the
        best fine role of its role over its mentions and the evidence sentence of the mention
        that frames it most; entities the text does not frame are left out."""
        by_span = {(p.start, p.end): p for p in predictions}
        out = []
        for entity in entities:
            found = [by_span[m] for m in entity.mentions if m in by_span]
            if not found:
                continue
            decided = self._decide(found)
            if decided is None:
                continue
            index, score = decided
            main = self.mains[index]
            own = [self.fines.index(f) for f in self.taxonomy[main]]
            fine = np.zeros(len(own))
            for p in found:
                fine += p.framed * np.asarray(p.fine_probs, dtype=np.float64)[own]
            fine /= fine.sum() or 1.0
            top = int(np.argmax(fine))
            best = max(found, key=lambda p: p.framed * p.main_probs[index])
            out.append(EntityRole(entity.name, entity.kind, entity.mentions, main, score,
                                  ((self.fines[own[top]], float(fine[top])),),
                                  best.evidence_start, best.evidence_end, entity.actor_id))
        return out

    def _decide(self, found: Sequence[RolePrediction]) -> tuple[int, float] | None:
        """The main-role index and score of an entity, or None when it is not framed."""
        if self.head is not None:
            return self.head.decide(entity_features(found, found[0].language))
        if max(p.framed for p in found) < _FALLBACK_FRAMED:
            return None
        weights = np.array([p.framed for p in found])
        agreed = weights @ np.array([p.main_probs for p in found]) / weights.sum()
        index = int(np.argmax(agreed))
        return index, float(agreed[index])


def predict_mentions(model: RoleModel, documents: Mapping[str, str],
                     mentions: Sequence[Mention], language: str,
                     encoder: TextEncoder) -> list[Mention]:
    """Roles for the official subtask-1 input (end offsets INCLUSIVE), one document at a time
    as the pipeline would: sentences split, their vectors encoded, then the mentions (the task
    casts every given mention, so "not framed" is never answered here)."""
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
