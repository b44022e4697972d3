"""The report's narrative and entity-role sections (JSON and Markdown; the HTML template renders
the same records)."""

from __future__ import annotations

from datetime import date
from typing import Any

from narrascope.report.data import Casting, Finding, ReportData
from narrascope.report.text import iso, md_counts_table, md_escape, md_link

EXAMPLES_PER_NARRATIVE = 2
TOP_NARRATIVES = 12


def narrative_json(f: Finding) -> dict[str, Any]:
    return {
        "level": f.kind, "label": f.label, "score": f.score, "document_id": f.document_id,
        "title": f.title, "evidence": f.evidence, "start": f.start, "end": f.end,
        "source": f.source, "source_kind": f.source_kind, "country": f.country,
        "date": iso(f.published), "url": f.url, "detector": f.detector,
    }


def casting_json(c: Casting) -> dict[str, Any]:
    e = c.example
    return {
        "entity": c.entity, "role": c.role, "source_kind": c.source_kind,
        "documents": c.documents, "fine_roles": c.fine_roles,
        "example": {"document_id": e.document_id, "evidence": e.evidence, "source": e.source,
                    "date": iso(e.published), "url": e.url, "score": e.score},
    }


def narratives_payload(data: ReportData) -> dict[str, Any]:
    return {
        "counts_by_source_kind": data.narrative_counts(),
        "findings": [narrative_json(f) for f in data.narratives + data.subnarratives],
        "roles": [casting_json(c) for c in data.castings()],
    }


def narrative_examples(data: ReportData) -> dict[str, list[Finding]]:
    """The best-scored findings of each of the top narratives (with their sub-narratives)."""
    top = list(data.narrative_counts())[:TOP_NARRATIVES]
    out: dict[str, list[Finding]] = {}
    for label in top:
        found = [f for f in data.narratives if f.label == label and f.evidence]
        found.sort(key=lambda f: (-f.score, -(f.published or date.min).toordinal()))
        out[label] = found[:EXAMPLES_PER_NARRATIVE]
    return out


def _cite(f: Finding) -> str:
    where = md_link(f.title or f"document {f.document_id}", f.url)
    return (f"{where}, {md_escape(f.source or 'unknown source')} ({md_escape(f.source_kind)}), "
            f"{iso(f.published) or 'undated'}, score {f.score:.2f}")


def narrative_markdown(data: ReportData) -> list[str]:
    counts = data.narrative_counts()
    if not counts:
        return []
    lines = ["## Narratives", "",
             "Documents carrying each narrative (SemEval-2025 Task 10 taxonomy), by source kind.",
             "", *md_counts_table("narrative", counts)]
    subs: dict[str, int] = {}
    for f in data.subnarratives:
        subs[f.label] = subs.get(f.label, 0) + 1
    for label, examples in narrative_examples(data).items():
        lines += [f"### {md_escape(label)}", ""]
        under = sorted(((s, n) for s, n in subs.items() if s.startswith(label + ":")),
                       key=lambda kv: -kv[1])
        if under:
            lines += [f"- {md_escape(s[len(label) + 1:].strip())}: {n}" for s, n in under]
            lines.append("")
        for f in examples:
            lines += [f"> {md_escape(f.evidence)}", ">", f"> — {_cite(f)}", ""]
    return lines


def roles_markdown(data: ReportData) -> list[str]:
    rows = data.castings()
    if not rows:
        return []
    lines = ["## Who is cast in which role", "",
             "| entity | role | source kind | documents | fine roles | example |",
             "|---|---|---|---|---|---|"]
    for c in rows:
        fine = ", ".join(f"{md_escape(r)} {n}" for r, n in c.fine_roles.items())
        lines.append(f"| {md_escape(c.entity)} | {md_escape(c.role)} | "
                     f"{md_escape(c.source_kind)} | {c.documents} | {fine} | "
                     f"{md_escape(c.example.evidence)} |")
    lines.append("")
    return lines
