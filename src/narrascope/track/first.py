"""First appearances: the first time a label shows up in a kind of source in a country."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from narrascope.model import Alert
from narrascope.report.data import Finding

Place = tuple[str, str | None]  # (source kind, country)


def _chronological(found: list[Finding]) -> list[Finding]:
    """Dated findings, earliest first; within a document the best-scored first."""
    dated = [f for f in found if f.published is not None]
    return sorted(dated, key=lambda f: (f.published or date.min, f.document_id, -f.score))


def first_by_place(found: list[Finding]) -> dict[str, dict[Place, Finding]]:
    """label -> (source kind, country) -> the finding that first carried it there, in the order
    the places took the label up."""
    firsts: dict[str, dict[Place, Finding]] = defaultdict(dict)
    for f in _chronological(found):
        firsts[f.label].setdefault((f.source_kind, f.country), f)
    return firsts


def _follow(f: Finding) -> dict[str, object]:
    return {
        "source_kind": f.source_kind, "country": f.country,
        "date": f.published.isoformat() if f.published else None, "source": f.source,
        "document_id": f.document_id,
    }


def _alert(f: Finding, subject_kind: str, earlier: list[Finding]) -> Alert:
    follows = [_follow(g) for g in earlier if g.published and f.published
               and g.published < f.published]
    return Alert(
        kind="first_appearance", subject_kind=subject_kind, subject=f.label,
        subject_label=f.label_text, date=f.published or date.min, source_kind=f.source_kind,
        country=f.country, source=f.source, document_id=f.document_id, url=f.url, title=f.title,
        evidence=f.evidence, details={"follows": follows, "first_overall": not follows},
    )


def alert_order(a: Alert) -> tuple[date, str, str, str, str, str]:
    """Date first, then kind, subject, source kind and country: the same input, the same order."""
    return (a.date, a.kind, a.subject, a.source_kind or "", a.country or "", a.source or "")


def first_appearances(found: list[Finding], subject_kind: str) -> list[Alert]:
    """One alert per (label, source kind, country): the first document of that kind of source in
    that country to carry the label (earliest publication date, then lowest document id).

    Undated findings are ignored. `details["follows"]` lists, by date, the places that carried
    the label strictly before; `details["first_overall"]` is true when there is none.
    """
    alerts = []
    for by_place in first_by_place(found).values():
        places = list(by_place.values())
        alerts += [_alert(f, subject_kind, places[:i]) for i, f in enumerate(places)]
    return sorted(alerts, key=alert_order)
