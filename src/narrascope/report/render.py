"""Writing a report as Markdown, self-contained HTML and JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from narrascope.report.charts import KIND_COLOURS, stacked_bars
from narrascope.report.data import Finding, ReportData
from narrascope.report.narrative_sections import (
    narrative_examples,
    narrative_markdown,
    narratives_payload,
    roles_markdown,
)
from narrascope.report.story_sections import stories_markdown, stories_payload
from narrascope.report.text import iso, md_counts_table, md_escape, md_link
from narrascope.report.whatsnew_sections import alerts_payload, whats_new, whatsnew_markdown

MAX_FINDINGS_PER_THEME = 25


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind, "theme": f.label, "label": f.label_text, "score": f.score,
        "document_id": f.document_id, "title": f.title, "source": f.source,
        "source_kind": f.source_kind, "country": f.country, "date": iso(f.published),
        "url": f.url, "evidence": f.evidence, "start": f.start, "end": f.end,
        "detector": f.detector,
    }


def technique_json(f: Finding) -> dict[str, Any]:
    return {
        "technique": f.label, "score": f.score, "document_id": f.document_id, "text": f.evidence,
        "start": f.start, "end": f.end, "source": f.source, "source_kind": f.source_kind,
        "country": f.country, "date": iso(f.published), "url": f.url, "detector": f.detector,
    }


def theme_summaries(data: ReportData) -> list[dict[str, Any]]:
    """Per theme: how many documents, by which kinds of source, and who carried it first."""
    out: dict[str, dict[str, Any]] = {}
    for f in sorted(data.themes, key=lambda f: (f.published or date.max, f.document_id)):
        entry = out.setdefault(f.label, {"theme": f.label, "label": f.label_text, "documents": 0,
                                         "by_source_kind": {}, "first_seen": {}})
        entry["documents"] += 1
        entry["by_source_kind"][f.source_kind] = entry["by_source_kind"].get(f.source_kind, 0) + 1
        entry["first_seen"].setdefault(f.source_kind, {
            "date": iso(f.published), "source": f.source, "document_id": f.document_id,
            "url": f.url, "evidence": f.evidence})
    return sorted(out.values(), key=lambda e: -e["documents"])


def report_json(data: ReportData) -> dict[str, Any]:
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "window": {"since": iso(data.since), "until": iso(data.until)},
        "summary": {
            "documents": data.documents, "first_date": iso(data.first_date),
            "last_date": iso(data.last_date), "by_language": data.by_language,
            "by_source_kind": data.by_source_kind,
        },
        "alerts": alerts_payload(data),
        "stories": stories_payload(data),
        "documents_per_day": [
            {"date": d.isoformat(), "source_kind": kind, "count": n}
            for kind, days in data.per_day_by_kind.items() for d, n in days.items()
        ],
        "themes": theme_summaries(data),
        "findings": [finding_json(f) for f in data.themes],
        "techniques": {
            "counts_by_source_kind": data.technique_counts(),
            "spans": [technique_json(f) for f in data.techniques],
        },
        "narratives": narratives_payload(data),
        "reprints": [
            {"document_id": r.document_id, "original_id": r.original_id,
             "similarity": round(r.similarity, 3), "title": r.title, "source": r.source,
             "date": iso(r.published)}
            for r in data.reprints
        ],
    }


def report_markdown(data: ReportData, payload: dict[str, Any]) -> str:
    summary = payload["summary"]
    lines = [
        "# narrascope report", "",
        f"{summary['documents']} documents, {summary['first_date'] or '?'} to "
        f"{summary['last_date'] or '?'}.", "",
        "| source kind | documents |", "|---|---|",
        *[f"| {md_escape(k)} | {n} |" for k, n in data.by_source_kind.items()], "",
        *whatsnew_markdown(data),
        "## Themes", "",
    ]
    if not data.themes:
        lines += ["No codebook theme was found (run `narrascope analyze --codebook FILE`).", ""]
    for theme in payload["themes"]:
        kinds = ", ".join(f"{k} {n}" for k, n in theme["by_source_kind"].items())
        lines += [f"### {md_escape(theme['label'])} (`{md_escape(theme['theme'])}`)", "",
                  f"{theme['documents']} documents ({kinds}).", ""]
        for kind, first in theme["first_seen"].items():
            lines.append(f"- first in **{md_escape(kind)}**: {first['date'] or 'undated'}, "
                         f"{md_escape(first['source'] or 'unknown source')}")
        lines.append("")
        shown = [f for f in data.themes if f.label == theme["theme"]][:MAX_FINDINGS_PER_THEME]
        for f in shown:
            where = md_link(f.title or f"document {f.document_id}", f.url)
            lines += [f"> {md_escape(f.evidence)}", ">",
                      f"> — {where}, {md_escape(f.source or 'unknown source')} "
                      f"({md_escape(f.source_kind)}), {iso(f.published) or 'undated'}, "
                      f"score {f.score:.2f}", ""]
    lines += narrative_markdown(data)
    lines += roles_markdown(data)
    lines += stories_markdown(data)
    lines += technique_markdown(data)
    if data.reprints:
        lines += ["## Near-duplicate reprints", ""]
        lines += [f"- document {r.document_id} ({md_escape(r.source)}, {iso(r.published)}) "
                  f"reprints document {r.original_id} (similarity {r.similarity:.2f})"
                  for r in data.reprints]
        lines.append("")
    return "\n".join(lines)


def technique_markdown(data: ReportData) -> list[str]:
    counts = data.technique_counts()
    if not counts:
        return []
    lines = ["## Persuasion techniques", "", *md_counts_table("technique", counts)]
    for h in data.technique_examples:
        f = h.finding
        lines += [f"> {md_escape(h.before)}**{md_escape(h.span)}**{md_escape(h.after)}", ">",
                  f"> — {md_escape(f.label)}, {md_escape(f.source or 'unknown source')}, "
                  f"{iso(f.published) or 'undated'}, score {f.score:.2f}", ""]
    return lines


def report_html(data: ReportData, payload: dict[str, Any]) -> str:
    env = Environment(
        loader=PackageLoader("narrascope", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    weekly = data.themes_by_week_and_kind()
    theme_charts = {
        t: stacked_bars(kinds, step_days=7, height=130, title=f"{t}: documents per week")
        for t, kinds in weekly.items()
    }
    examples = narrative_examples(data)
    narrative_charts = {
        n: stacked_bars(kinds, step_days=7, height=130, title=f"{n}: documents per week")
        for n, kinds in data.narratives_by_week_and_kind().items() if n in examples
    }
    by_theme: dict[str, list[Finding]] = {}
    for f in data.themes:
        by_theme.setdefault(f.label, []).append(f)
    return env.get_template("report.html.j2").render(
        data=data,
        payload=payload,
        whats_new=whats_new(data),
        volume_chart=stacked_bars(data.per_day_by_kind, title="documents per day by source kind"),
        theme_charts=theme_charts,
        by_theme={k: v[:MAX_FINDINGS_PER_THEME] for k, v in by_theme.items()},
        technique_counts=data.technique_counts(),
        narrative_counts=data.narrative_counts(),
        narrative_kinds=sorted({f.source_kind for f in data.narratives}),
        narrative_examples=examples,
        narrative_charts=narrative_charts,
        castings=data.castings(),
        technique_kinds=sorted({f.source_kind for f in data.techniques}),
        colours=KIND_COLOURS,
    )


def write_report(data: ReportData, out_dir: Path) -> dict[str, Path]:
    """Write report.md, report.html and report.json into `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = report_json(data)
    paths = {name: out_dir / f"report.{name}" for name in ("md", "html", "json")}
    paths["json"].write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["md"].write_text(report_markdown(data, payload), encoding="utf-8")
    paths["html"].write_text(report_html(data, payload), encoding="utf-8")
    return paths
