"""The report's "What is new" section: the alerts of the window, newest first, each with its
quoted evidence (JSON and Markdown here; the HTML template renders `whats_new` records)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from narrascope.model import Alert
from narrascope.report.data import ReportData
from narrascope.report.text import md_escape, md_link

MAX_ALERTS_SHOWN = 40
KIND_TITLES = {"first_appearance": "First appearance", "surge": "Surge",
               "convergence": "Convergence"}


@dataclass(frozen=True)
class AlertView:
    """An alert as the report shows it: a one-line headline and a safe link (or none)."""

    alert: Alert
    title: str
    headline: str
    link: str | None


def _where(kind: str | None, country: str | None) -> str:
    return f"{kind or 'unknown kind'}" + (f" ({country})" if country else "")


def _follows(a: Alert) -> str:
    follows = a.details.get("follows")
    if not isinstance(follows, list) or not follows:
        return "the first anywhere"
    first = follows[0]
    return (f"after {_where(first.get('source_kind'), first.get('country'))} on "
            f"{first.get('date')}" + (f" and {len(follows) - 1} more" if len(follows) > 1 else ""))


def headline(a: Alert) -> str:
    """What the alert says, in one plain-text line (not escaped)."""
    d = a.details
    label = a.subject_label or a.subject
    if a.kind == "first_appearance":
        return f"{label}: first in {_where(a.source_kind, a.country)}, {_follows(a)}"
    if a.kind == "surge":
        return (f"{label}: {d.get('count')} documents in the week of {d.get('week_start')} "
                f"(baseline {d.get('baseline')} a week, p = {float(str(d.get('p_value'))):.1g})")
    if a.kind == "convergence":
        groups = d.get("groups") or []
        names = " and ".join(str(g) for g in groups) if isinstance(groups, list) else ""
        return (f"{names} converge: similarity {d.get('similarity')} "
                f"(earlier mean {d.get('baseline')}), {d.get('shared_stories')} shared stories; "
                f"both carry {label}")
    return label


def safe_link(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def whats_new(data: ReportData, limit: int = MAX_ALERTS_SHOWN) -> list[AlertView]:
    newest = sorted(data.alerts, key=lambda a: a.date, reverse=True)[:limit]
    return [AlertView(a, KIND_TITLES.get(a.kind, a.kind), headline(a), safe_link(a.url))
            for a in newest]


def alerts_payload(data: ReportData) -> list[dict[str, Any]]:
    return [a.to_json() for a in data.alerts]


def whatsnew_markdown(data: ReportData) -> list[str]:
    lines = ["## What is new", ""]
    views = whats_new(data)
    if not views:
        return [*lines, "No alert in this window.", ""]
    for v in views:
        a = v.alert
        cite = md_link(a.document_name, v.link) if a.document_id else ""
        lines += [f"- **{md_escape(v.title)}**, {a.date.isoformat()}: {md_escape(v.headline)}",
                  ""]
        if a.evidence:
            lines += [f"  > {md_escape(a.evidence)}", "  >",
                      f"  > — {cite}, {md_escape(a.source or 'unknown source')} "
                      f"({md_escape(_where(a.source_kind, a.country))})", ""]
    if len(data.alerts) > len(views):
        lines += [f"{len(data.alerts) - len(views)} older alerts are in report.json.", ""]
    return lines
