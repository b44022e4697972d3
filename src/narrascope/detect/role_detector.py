"""Entity roles as findings: the entities a document mentions (found by narrascope itself),
each cast as protagonist, antagonist or innocent with its fine roles (SemEval-2025 Task 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope.config import PACKAGE_DIR
from narrascope.detect.base import AnalysisInput, PerDocumentDetector, artifacts_present
from narrascope.detect.registry import register
from narrascope.embed import Encoder
from narrascope.model import Annotation

NAME = "roles.t10.v1"
MODEL_FILES = ("roles.npz", "roles.json")


def roles_available(model_dir: Path = PACKAGE_DIR / "models") -> bool:
    return artifacts_present(model_dir, MODEL_FILES)


class RoleDetector(PerDocumentDetector):
    name = NAME

    def __init__(self, encoder: Encoder, model_dir: Path = PACKAGE_DIR / "models") -> None:
        from narrascope.detect.roles import RoleModel

        self.encoder = encoder
        self.model: Any = RoleModel.load(model_dir)

    def model_versions(self) -> tuple[str, ...]:
        return (str(getattr(self.model, "version", "?")),)

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
                extra={"entity": role.name, "entity_kind": role.kind,
                       "fine_roles": [[r, round(float(s), 4)] for r, s in role.fine_roles],
                       "mentions": [list(m) for m in role.mentions]},
            ))
        return out


@register(NAME)
def _factory(encoder: Encoder) -> RoleDetector:
    return RoleDetector(encoder)
