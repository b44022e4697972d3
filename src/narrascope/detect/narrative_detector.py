"""Narratives and sub-narratives of a document (SemEval-2025 Task 10 taxonomy) as findings:
one annotation per label, citing the sentences that carry it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope.config import PACKAGE_DIR
from narrascope.detect.base import AnalysisInput, PerDocumentDetector, artifacts_present
from narrascope.detect.registry import register
from narrascope.embed import Encoder
from narrascope.model import Annotation

NAME = "narratives.t10.v1"
MODEL_FILES = ("narratives.npz", "narratives.json")


def narratives_available(model_dir: Path = PACKAGE_DIR / "models") -> bool:
    return artifacts_present(model_dir, MODEL_FILES)


class NarrativeDetector(PerDocumentDetector):
    name = NAME

    def __init__(self, encoder: Encoder, model_dir: Path = PACKAGE_DIR / "models") -> None:
        from narrascope.detect.narratives import NarrativeModel

        self.encoder = encoder
        self.model: Any = NarrativeModel.load(model_dir)

    def model_versions(self) -> tuple[str, ...]:
        return (str(getattr(self.model, "version", "?")),)

    def _predict_one(self, item: AnalysisInput) -> list[Annotation]:
        text = item.document.text
        found = self.model.predict(text, item.document.language, item.sentences, item.vectors,
                                   self.encoder)
        out = []
        for kind, labels in (("narrative", found.narratives),
                             ("subnarrative", found.subnarratives)):
            for entry in labels:
                spans = [(int(s), int(e)) for s, e in entry.evidence]
                out.append(Annotation(
                    kind=kind, label=entry.label, score=round(float(entry.score), 4),
                    start=spans[0][0] if spans else None, end=spans[0][1] if spans else None,
                    evidence=" … ".join(text[s:e].strip() for s, e in spans) or None,
                    extra={"evidence_spans": [list(s) for s in spans]},
                ))
        return out


@register(NAME)
def _factory(encoder: Encoder) -> NarrativeDetector:
    return NarrativeDetector(encoder)
