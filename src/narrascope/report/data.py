"""Gathering what a report shows from the store, as typed records."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, and_, select

from narrascope.model import Alert

if TYPE_CHECKING:
    from narrascope.track.listing import StoryView
from narrascope.store.schema import annotations_table, documents, sources

UNKNOWN_KIND = "other"


@dataclass(frozen=True)
class Finding:
    """A detector's finding on a document, with everything needed to cite it."""

    kind: str
    label: str
    label_text: str
    score: float
    document_id: int
    title: str | None
    source: str | None
    source_kind: str
    country: str | None
    published: date | None
    url: str | None
    evidence: str | None
    start: int | None
    end: int | None
    detector: str
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Casting:
    """One entity cast in one role by one kind of source: how many documents, and the best
    example."""

    entity: str
    role: str
    source_kind: str
    documents: int
    fine_roles: dict[str, int]
    example: Finding


@dataclass(frozen=True)
class Reprint:
    document_id: int
    original_id: int
    similarity: float
    title: str | None
    source: str | None
    published: date | None


@dataclass(frozen=True)
class Highlight:
    """A finding's span in its context: the report marks `span` between `before` and `after`."""

    finding: Finding
    before: str
    span: str
    after: str


@dataclass
class ReportData:
    since: date | None
    until: date | None
    documents: int = 0
    first_date: date | None = None
    last_date: date | None = None
    by_language: dict[str, int] = field(default_factory=dict)
    by_source_kind: dict[str, int] = field(default_factory=dict)
    per_day_by_kind: dict[str, dict[date, int]] = field(default_factory=dict)
    themes: list[Finding] = field(default_factory=list)
    techniques: list[Finding] = field(default_factory=list)
    technique_examples: list[Highlight] = field(default_factory=list)
    narratives: list[Finding] = field(default_factory=list)
    subnarratives: list[Finding] = field(default_factory=list)
    roles: list[Finding] = field(default_factory=list)
    reprints: list[Reprint] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    stories: list[StoryView] = field(default_factory=list)

    def technique_counts(self) -> dict[str, dict[str, int]]:
        """technique -> source kind -> spans, most frequent technique first."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for f in self.techniques:
            counts[f.label][f.source_kind] += 1
        ordered = sorted(counts.items(), key=lambda kv: -sum(kv[1].values()))
        return {label: dict(kinds.most_common()) for label, kinds in ordered}

    def narrative_counts(self) -> dict[str, dict[str, int]]:
        """narrative -> source kind -> documents, most frequent narrative first."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for f in self.narratives:
            counts[f.label][f.source_kind] += 1
        ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        return {label: dict(kinds.most_common()) for label, kinds in ordered}

    def narratives_by_week_and_kind(self) -> dict[str, dict[str, dict[date, int]]]:
        """narrative -> source kind -> week (Monday) -> documents."""
        return _by_week(self.narratives)

    def castings(self, limit: int = 40) -> list[Casting]:
        """Who is cast in which role by which kind of source: one row per (entity, role, source
        kind), counting documents; the most cited entities first."""
        groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
        for f in self.roles:
            entity = str(f.extra.get("entity", f.evidence or "?"))
            groups[(entity, f.label, f.source_kind)].append(f)
        per_entity: Counter[str] = Counter()
        rows = []
        for (entity, role, kind), found in groups.items():
            documents = len({f.document_id for f in found})
            per_entity[entity] += documents
            fine: Counter[str] = Counter()
            for f in found:
                roles = f.extra.get("fine_roles", [])
                if isinstance(roles, list):
                    fine.update(str(r[0] if isinstance(r, list) else r) for r in roles)
            rows.append(Casting(entity, role, kind, documents, dict(fine.most_common()),
                                max(found, key=lambda f: f.score)))
        rows.sort(key=lambda c: (-per_entity[c.entity], c.entity, -c.documents, c.role))
        keep = {e for e, _ in per_entity.most_common(limit)}
        return [c for c in rows if c.entity in keep]

    def theme_labels(self) -> dict[str, str]:
        return {f.label: f.label_text for f in self.themes}

    def themes_by_week_and_kind(self) -> dict[str, dict[str, dict[date, int]]]:
        """theme -> source kind -> week (Monday) -> documents."""
        return _by_week(self.themes)


def _by_week(found: list[Finding]) -> dict[str, dict[str, dict[date, int]]]:
    """label -> source kind -> week (Monday) -> documents."""
    out: dict[str, dict[str, Counter[date]]] = defaultdict(lambda: defaultdict(Counter))
    for f in found:
        if f.published:
            week = f.published - timedelta(days=f.published.weekday())
            out[f.label][f.source_kind][week] += 1
    return {t: {k: dict(v) for k, v in kinds.items()} for t, kinds in out.items()}


def _window(since: date | None, until: date | None):  # type: ignore[no-untyped-def]
    conds = []
    if since:
        conds.append(documents.c.published >= since)
    if until:
        conds.append(documents.c.published <= until)
    return and_(*conds) if conds else None


def collect(conn: Connection, since: date | None = None, until: date | None = None) -> ReportData:
    data = ReportData(since=since, until=until)
    where = _window(since, until)
    doc_query = select(
        documents.c.id, documents.c.language, documents.c.published, documents.c.title,
        documents.c.near_duplicate_of, documents.c.near_duplicate_similarity,
        sources.c.name.label("source"), sources.c.kind.label("kind"),
    ).outerjoin(sources, sources.c.id == documents.c.source_id)
    if where is not None:
        doc_query = doc_query.where(where)
    per_day: dict[str, Counter[date]] = defaultdict(Counter)
    languages: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    dates = []
    for r in conn.execute(doc_query):
        kind = r.kind or UNKNOWN_KIND
        data.documents += 1
        languages[r.language] += 1
        kinds[kind] += 1
        if r.published:
            per_day[kind][r.published] += 1
            dates.append(r.published)
        if r.near_duplicate_of is not None:
            data.reprints.append(Reprint(r.id, r.near_duplicate_of,
                                         float(r.near_duplicate_similarity or 0.0), r.title,
                                         r.source, r.published))
    data.by_language = dict(languages.most_common())
    data.by_source_kind = dict(kinds.most_common())
    data.per_day_by_kind = {k: dict(sorted(v.items())) for k, v in sorted(per_day.items())}
    data.first_date = min(dates, default=None)
    data.last_date = max(dates, default=None)
    data.themes = findings(conn, "theme", since, until)
    data.techniques = findings(conn, "technique", since, until)
    data.technique_examples = highlights(conn, data.techniques)
    data.narratives = findings(conn, "narrative", since, until)
    data.subnarratives = findings(conn, "subnarrative", since, until)
    data.roles = findings(conn, "entity_role", since, until)
    from narrascope.track.alerts import collect_alerts  # the alert detectors read this module
    from narrascope.track.listing import list_stories

    data.alerts = collect_alerts(conn, since=since, until=until)
    data.stories = list_stories(conn, since, until, min_size=2, limit=30)
    return data


def highlights(conn: Connection, found: list[Finding], per_label: int = 3,
               context: int = 120) -> list[Highlight]:
    """The best-scored findings of each label, with the text around their span."""
    best: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(found, key=lambda f: -f.score):
        if f.start is not None and f.end is not None and len(best[f.label]) < per_label:
            best[f.label].append(f)
    chosen = [f for group in best.values() for f in group]
    ids = sorted({f.document_id for f in chosen})
    texts = dict(conn.execute(select(documents.c.id, documents.c.text)
                              .where(documents.c.id.in_(ids))).all()) if ids else {}
    out = []
    for f in chosen:
        text = texts.get(f.document_id, "")
        start, end = f.start or 0, f.end or 0
        left, right = max(0, start - context), min(len(text), end + context)
        out.append(Highlight(f, ("…" if left else "") + text[left:start], text[start:end],
                             text[end:right] + ("…" if right < len(text) else "")))
    return out


def findings(
    conn: Connection, kind: str, since: date | None = None, until: date | None = None
) -> list[Finding]:
    """Findings of one kind in the window, newest first, best score first within a day."""
    query = (
        select(
            annotations_table, documents.c.title, documents.c.published, documents.c.url,
            sources.c.name.label("source"), sources.c.kind.label("source_kind"),
            sources.c.country,
        )
        .join(documents, documents.c.id == annotations_table.c.document_id)
        .outerjoin(sources, sources.c.id == documents.c.source_id)
        .where(annotations_table.c.kind == kind)
    )
    where = _window(since, until)
    if where is not None:
        query = query.where(where)
    out = []
    for r in conn.execute(query):
        extra = json.loads(r.extra) if r.extra else {}
        out.append(
            Finding(
                kind=r.kind, label=r.label, label_text=str(extra.get("theme_label", r.label)),
                score=float(r.score), document_id=int(r.document_id), title=r.title,
                source=r.source, source_kind=r.source_kind or UNKNOWN_KIND, country=r.country,
                published=r.published, url=r.url, evidence=r.evidence, start=r.start, end=r.end,
                detector=r.detector, extra=extra if isinstance(extra, dict) else {},
            )
        )
    out.sort(key=lambda f: (f.published or date.min, f.score), reverse=True)
    return out
