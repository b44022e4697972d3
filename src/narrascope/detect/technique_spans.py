"""Persuasion techniques at span level: the span tagger finds the spans, the technique classifier
names each one with one of the 14 PTC techniques (SemEval-2020 Task 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope.config import PACKAGE_DIR
from narrascope.detect.base import AnalysisInput, PerDocumentDetector
from narrascope.detect.registry import register
from narrascope.embed import Encoder
from narrascope.model import Annotation

NAME = "techniques.ptc.v1"
_ALTERNATIVES = 3


def techniques_available(model_dir: Path = PACKAGE_DIR / "models") -> bool:
    """Whether both shipped artifacts are present (the detector runs only then)."""
    return any(model_dir.glob("techniques-si.*")) and any(model_dir.glob("techniques-tc.*"))


class TechniqueDetector(PerDocumentDetector):
    name = NAME

    def __init__(self, encoder: Encoder, model_dir: Path = PACKAGE_DIR / "models") -> None:
        from narrascope.detect.techniques.si import SpanTagger
        from narrascope.detect.techniques.tc import TechniqueClassifier

        self.encoder = encoder
        self.tagger: Any = SpanTagger.load(model_dir)
        self.classifier: Any = TechniqueClassifier.load(model_dir)

    def model_versions(self) -> tuple[str, ...]:
        return (str(self.tagger.version), str(self.classifier.version))

    def _predict_one(self, item: AnalysisInput) -> list[Annotation]:
        text = item.document.text
        spans = self.tagger.predict(text, item.document.language, item.sentences, item.vectors,
                                    self.encoder)
        if not spans:
            return []
        # the sentences are encoded already: whole-sentence spans and one-sentence contexts
        # reuse their vectors
        known = {item.sentence_text(i): item.vectors[i] for i in range(len(item.sentences))}
        ranked = self.classifier.predict(text, [(s, e) for s, e, _ in spans], self.encoder,
                                         known)
        out = []
        for (start, end, span_score), labels in zip(spans, ranked, strict=True):
            technique, probability = labels[0]
            out.append(Annotation(
                kind="technique", label=technique, score=round(float(probability), 4),
                start=start, end=end, evidence=text[start:end],
                extra={"span_score": round(float(span_score), 4),
                       "alternatives": [[t, round(float(p), 4)]
                                        for t, p in labels[1:_ALTERNATIVES]]},
            ))
        return out


@register(NAME)
def _factory(encoder: Encoder) -> TechniqueDetector:
    return TechniqueDetector(encoder)
