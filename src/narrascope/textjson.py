"""`analyze-text --json`: one text in, DESIGN.md's object out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from narrascope.analyze import analyze_text
from narrascope.detect.standard import standard_detectors
from narrascope.embed import Encoder
from narrascope.ingest.langid import LanguageIdentifier


def analyze_text_json(
    text: str,
    codebooks: Sequence[Path],
    threshold: float,
    language: str | None = None,
    encoder: Encoder | None = None,
    *,
    techniques: bool = True,
    actors: Sequence[Path] = (),
) -> dict[str, Any]:
    encoder = encoder or Encoder()
    detectors = standard_detectors(encoder, codebooks, threshold, techniques=techniques,
                                   actors=actors)
    result = analyze_text(text, encoder, detectors, LanguageIdentifier(), language)
    themes = [
        {"id": a.label, "label": a.extra.get("theme_label", a.label), "score": a.score,
         "evidence": a.evidence, "start": a.start, "end": a.end}
        for found in result.findings.values() for a in found if a.kind == "theme"
    ]
    spans = [
        {"start": a.start, "end": a.end, "technique": a.label, "score": a.score,
         "text": a.evidence, "alternatives": a.extra.get("alternatives", [])}
        for found in result.findings.values() for a in found if a.kind == "technique"
    ]
    narratives = [
        {"label": a.label, "level": a.kind, "score": a.score, "evidence": a.evidence,
         "start": a.start, "end": a.end}
        for found in result.findings.values() for a in found
        if a.kind in ("narrative", "subnarrative")
    ]
    entities = [
        {"text": a.extra.get("entity", a.evidence), "kind": a.extra.get("entity_kind"),
         "actor_id": a.extra.get("actor_id"),
         "start": a.start, "end": a.end, "role": a.label, "score": a.score,
         "fine_roles": [r[0] for r in a.extra.get("fine_roles", [])],  # type: ignore[attr-defined]
         "mentions": a.extra.get("mentions", []), "evidence": a.evidence}
        for found in result.findings.values() for a in found if a.kind == "entity_role"
    ]
    return {
        "language": result.language,
        "sentences": [{"start": s.start, "end": s.end} for s in result.sentences],
        "techniques": sorted(spans, key=lambda t: (t["start"], t["end"])),
        "narratives": sorted(narratives, key=lambda n: (n["level"], -float(n["score"]))),
        "entities": sorted(entities, key=lambda e: (e["start"] or 0, e["end"] or 0)),
        "themes": sorted(themes, key=lambda t: -float(t["score"])),
    }
