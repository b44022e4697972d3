"""Surges: weeks in which a theme, narrative or story is carried by far more documents than in
the weeks before.

The test is a one-sided Poisson test. A week's document count `c` is compared with `λ`, the mean
count of the `baseline_weeks` weeks before it; the week is a surge when P(X ≥ c | λ) < `alpha`
*and* `c ≥ min_count` *and* `c ≥ min_ratio · λ`. The last two keep tiny or merely steady counts
from alerting even where the p-value alone would.

Two choices about the baseline, both so that the start of the data is not read as a surge:
- Weeks before the first week of data (the earliest dated finding given) are unknown, not zero.
  The first week of data has no baseline and never alerts; later weeks use the weeks there are,
  up to `baseline_weeks`. A label that first appears after the data starts has zeros before it.
- `λ` is floored at `prior` (0.5 documents a week): after weeks of silence, a handful of
  documents is not improbable enough to be news; `min_count` documents in one week still can be.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from narrascope.model import Alert
from narrascope.report.data import Finding
from narrascope.track.first import alert_order


@dataclass(frozen=True)
class SurgeSettings:
    alpha: float = 0.001  # the sensitivity: a smaller alpha alerts on fewer, sharper surges
    min_count: int = 5
    min_ratio: float = 3.0
    baseline_weeks: int = 8
    prior: float = 0.5


def poisson_sf(count: int, lam: float) -> float:
    """P(X ≥ count) for X ~ Poisson(lam), summed in log space so that tiny tails stay exact."""
    if count <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    log_pmf = count * math.log(lam) - lam - math.lgamma(count + 1)
    if count <= lam:  # the tail holds most of the mass: one minus the short head
        head = sum(math.exp(k * math.log(lam) - lam - math.lgamma(k + 1)) for k in range(count))
        return max(0.0, 1.0 - head)
    total, k, term = 0.0, count, math.exp(log_pmf)
    while term > total * 1e-17 and k < count + 10_000:
        total += term
        k += 1
        term *= lam / k
    return min(1.0, total)


def week_of(day: date) -> date:
    """The Monday of the ISO week `day` falls in."""
    return day - timedelta(days=day.weekday())


def _weekly_documents(found: list[Finding]) -> dict[str, dict[date, dict[int, Finding]]]:
    """label -> week -> document -> its best-scored finding of the label."""
    out: dict[str, dict[date, dict[int, Finding]]] = defaultdict(lambda: defaultdict(dict))
    for f in found:
        if f.published is None:
            continue
        docs = out[f.label][week_of(f.published)]
        if f.document_id not in docs or f.score > docs[f.document_id].score:
            docs[f.document_id] = f
    return out


def _evidence(docs: dict[int, Finding]) -> Finding:
    return min(docs.values(), key=lambda f: (-f.score, f.document_id))


def _surge(week: date, docs: dict[int, Finding], lam: float, p: float,
           subject_kind: str) -> Alert:
    f = _evidence(docs)
    kinds: dict[str, int] = defaultdict(int)
    for g in docs.values():
        kinds[g.source_kind] += 1
    return Alert(
        kind="surge", subject_kind=subject_kind, subject=f.label, subject_label=f.label_text,
        date=week, source_kind=f.source_kind, country=f.country, source=f.source,
        document_id=f.document_id, url=f.url, evidence=f.evidence, title=f.title,
        details={"count": len(docs), "baseline": round(lam, 3), "p_value": p,
                 "week_start": week.isoformat(),
                 "week_end": (week + timedelta(days=6)).isoformat(),
                 "by_source_kind": dict(sorted(kinds.items()))},
    )


def _label_surges(weeks: dict[date, dict[int, Finding]], first_week: date,
                  subject_kind: str, s: SurgeSettings) -> list[Alert]:
    alerts = []
    for week in sorted(weeks):
        docs, count = weeks[week], len(weeks[week])
        known = (week - first_week).days // 7
        if known <= 0 or count < s.min_count:
            continue
        span = min(known, s.baseline_weeks)
        history = [len(weeks.get(week - timedelta(weeks=i), {})) for i in range(1, span + 1)]
        lam = max(s.prior, sum(history) / span)
        p = poisson_sf(count, lam)
        if p < s.alpha and count >= s.min_ratio * lam:
            alerts.append(_surge(week, docs, lam, p, subject_kind))
    return alerts


def surges(found: list[Finding], subject_kind: str, settings: SurgeSettings | None = None,
           first_day: date | None = None) -> list[Alert]:
    """Surge alerts for every label of `found`, dated by the Monday of the surge week.

    `first_day` is where the data starts (default: the earliest dated finding given); weeks
    before it are unknown rather than empty.
    """
    s = settings or SurgeSettings()
    days = [f.published for f in found if f.published is not None]
    start = first_day or min(days, default=None)
    if start is None:
        return []
    alerts = []
    for weeks in _weekly_documents(found).values():
        alerts += _label_surges(weeks, week_of(start), subject_kind, s)
    return sorted(alerts, key=alert_order)
