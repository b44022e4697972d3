"""Entity roles as findings: the actors a document names (found by narrascope itself, merged
through the actors file), each the text frames cast as protagonist, antagonist or innocent with
its fine roles (SemEval-2025 Task 10 taxonomy); actors the text does not frame get no finding."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from narrascope.config import PACKAGE_DIR
from narrascope.detect.base import AnalysisInput, PerDocumentDetector, artifacts_present
from narrascope.detect.registry import register
from narrascope.embed import Encoder
from narrascope.model import Annotation

NAME = "roles.t10.v1"
MODEL_FILES = ("roles.npz", "roles.json", "casing-en.json")


def roles_available(model_dir: Path = PACKAGE_DIR / "models") -> bool:
    return artifacts_present(model_dir, MODEL_FILES)


class RoleDetector(PerDocumentDetector):
    version = "2"

    name = NAME

    def __init__(self, encoder: Encoder, model_dir: Path = PACKAGE_DIR / "models",
                 actors: Sequence[Path] = ()) -> None:
        from narrascope.detect.actors import SHIPPED_ACTORS, ActorCatalog
        from narrascope.detect.entities import EntityFinder
        from narrascope.detect.roles import RoleModel

        self.encoder = encoder
        self.model: Any = RoleModel.load(model_dir, EntityFinder(ActorCatalog.load(actors)))
        digest = hashlib.sha256()
        for path in (SHIPPED_ACTORS, *actors):
            digest.update(path.read_bytes())
        self._actors_hash = digest.hexdigest()[:12]

    def model_versions(self) -> tuple[str, ...]:
        return (str(getattr(self.model, "version", "?")), self._actors_hash)

    def _predict_one(self, item: AnalysisInput) -> list[Annotation]:
        text, language = item.document.text, item.document.language
        entities = self.model.find_entities(text, language, item.sentences)
        spans = sorted({m for e in entities for m in e.mentions})
        if not spans:
            return []
        predictions = self.model.predict(text, language, spans, item.sentences, item.vectors,
                                         self.encoder)
        out = []
        for role in self.model.entity_roles(entities, predictions):
            start, end = role.mentions[0]
            out.append(Annotation(
                kind="entity_role", label=role.main_role, score=round(float(role.main_score), 4),
                start=start, end=end, evidence=text[role.evidence_start:role.evidence_end],
                extra={"entity": role.name, "entity_kind": role.kind, "actor_id": role.actor_id,
                       "fine_roles": [[r, round(float(s), 4)] for r, s in role.fine_roles],
                       "mentions": [list(m) for m in role.mentions]},
            ))
        return out


@register(NAME)
def _factory(encoder: Encoder, actors: Sequence[Path] = ()) -> RoleDetector:
    return RoleDetector(encoder, actors=actors)
