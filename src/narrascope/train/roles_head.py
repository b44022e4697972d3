"""The role model's entity decision (:mod:`narrascope.detect.roles_entity`), fitted on the dev
part of the project's real-material set (`roles-real`; never its test part).

The mention model is itself trained on those dev documents, so the entity decision is fitted on
out-of-fold predictions: the dev documents are cut into folds, and each fold's entities are
read by a mention model trained without that fold. Every entity the finder finds in a dev
document is an example: an annotated actor with its annotated role, any other entity as "not
framed" (the annotators cast every clearly framed actor, so a cast entity they left out is a
finding an analyst would not keep). The L2 strength is chosen by leave-one-document-out over
dev, on F1: recall is the share of annotated actors cast in their role, precision the share of
cast entities that are annotated actors in that role. The held-out figures of that choice are
written to the model's JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from narrascope.detect.roles import RoleModel
from narrascope.detect.roles_entity import EntityHead, entity_features, fit_head
from narrascope.detect.roles_features import TextEncoder
from narrascope.eval.roles_real import RealDocument, calibration_table

STRENGTHS = (0.1, 0.3, 1.0, 3.0)
NONE_BELOW = (0.4, 0.5, 0.6, 0.7, 0.8)  # cast an entity when p(not framed) is below this


@dataclass(frozen=True)
class Examples:
    x: np.ndarray          # (entities, features)
    y: np.ndarray          # role index, or len(mains) for not framed
    document: np.ndarray   # document number of each entity
    language: list[str]
    actors: dict[str, int]  # annotated actors per language (found or not)


def examples(models: Sequence[RoleModel], documents: Sequence[RealDocument],
             encoder: TextEncoder) -> Examples:
    """Each document's entities as read by its own model (models[i] reads documents[i])."""
    from narrascope.nlp.segment import split_sentences

    rows, labels, docs, languages = [], [], [], []
    actors: dict[str, int] = {}
    for number, (model, doc) in enumerate(zip(models, documents, strict=True)):
        none = len(model.mains)
        actors[doc.language] = actors.get(doc.language, 0) + len(doc.actors)
        sentences = split_sentences(doc.text, doc.language)
        vectors = np.asarray(encoder.encode([s.slice(doc.text) for s in sentences]),
                             dtype=np.float32)
        entities = model.find_entities(doc.text, doc.language, sentences)
        spans = sorted({m for e in entities for m in e.mentions})
        by_span = {(p.start, p.end): p for p in
                   model.predict(doc.text, doc.language, spans, sentences, vectors)}
        for entity in entities:
            found = [by_span[m] for m in entity.mentions if m in by_span]
            gold = next((a.role for a in doc.actors if any(
                s < a.end and a.start < e for s, e in entity.mentions)), None)
            rows.append(entity_features(found, doc.language))
            labels.append(model.mains.index(gold) if gold in model.mains else none)
            docs.append(number)
            languages.append(doc.language)
    return Examples(np.array(rows), np.array(labels), np.array(docs), languages, actors)


def judge(probs: np.ndarray, data: Examples, none: int,
          none_below: float = 0.5) -> dict[str, Any]:
    """Per language and over all: accuracy over the annotated actors (unfound or uncast ones
    wrong), precision of the cast entities, F1, and the calibration of the shown scores."""
    chosen = np.where(probs[:, none] < none_below, probs[:, :none].argmax(axis=1), none)
    out: dict[str, Any] = {}
    for language in [*sorted(data.actors), "all"]:
        rows = [i for i, lang in enumerate(data.language) if language in ("all", lang)]
        total = sum(data.actors.values()) if language == "all" else data.actors[language]
        cast = [i for i in rows if chosen[i] != none]
        right = sum(chosen[i] == data.y[i] for i in cast)
        precision = right / len(cast) if cast else 0.0
        recall = right / total if total else 0.0
        out[language] = {"actors": total, "accuracy": round(recall, 4),
                         "precision": round(precision, 4), "cast": len(cast),
                         "f1": round(2 * precision * recall / (precision + recall), 4)
                         if right else 0.0}
    shown = [(bool(chosen[i] == data.y[i]), float(probs[i, chosen[i]]))
             for i in range(len(chosen)) if chosen[i] != none and data.y[i] != none]
    out["calibration_on_annotated"] = calibration_table(shown)
    # strict: every cast entity, an unannotated one counting as wrong
    out["calibration_all_cast"] = calibration_table(
        [(bool(chosen[i] == data.y[i]), float(probs[i, chosen[i]]))
         for i in range(len(chosen)) if chosen[i] != none])
    return out


def fit_entity_head(models: Sequence[RoleModel], documents: Sequence[RealDocument],
                    encoder: TextEncoder) -> tuple[EntityHead | None, dict[str, Any]]:
    """The entity head fitted on the out-of-fold entities of all dev documents, its strength
    chosen by leave-one-document-out, and the figures that chose it."""
    if not documents:
        return None, {"skipped": "no roles-real documents"}
    data = examples(models, documents, encoder)
    none = len(models[0].mains)
    grid = []
    for c in STRENGTHS:
        probs = np.zeros((len(data.y), none + 1))
        for document in np.unique(data.document):
            test = data.document == document
            head = fit_head(data.x[~test], data.y[~test], none + 1, c)
            probs[test] = head.probabilities(data.x[test])
        grid += [(c, t, judge(probs, data, none, t)) for t in NONE_BELOW]
    best_c, best_t, best = max(grid, key=lambda row: row[2]["all"]["f1"])
    fitted = fit_head(data.x, data.y, none + 1, best_c)
    head = EntityHead(fitted.weights, fitted.bias, fitted.mean, fitted.scale, best_t)
    return head, {"strength": best_c, "none_below": best_t, "entities": len(data.y),
                  "leave_one_document_out": best,
                  "grid": [{"c": c, "none_below": t,
                            **{k: (v["accuracy"], v["precision"], v["f1"]) for k, v in r.items()
                               if isinstance(v, dict) and "f1" in v}} for c, t, r in grid]}
