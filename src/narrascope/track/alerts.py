"""Every alert the store supports, in one call: first appearances, surges and convergence.

The detectors read the whole history up to `until`, whatever `since` says: a first appearance
is first over everything stored, a surge is measured against the weeks before it, and `since`
only chooses which alerts are returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from itertools import combinations

from sqlalchemy import Connection

from narrascope.detect.narratives import OTHER
from narrascope.errors import NarrascopeError
from narrascope.model import Alert
from narrascope.report.data import Finding, findings
from narrascope.track.convergence import (
    ConvergenceSettings,
    Series,
    convergence_alerts,
    convergence_series,
)
from narrascope.track.first import alert_order, first_appearances
from narrascope.track.groups import SourceGroup, state_media_pairs
from narrascope.track.loaders import load_documents, load_story_members
from narrascope.track.surges import SurgeSettings, surges

ALERT_KINDS = ("first_appearance", "surge", "convergence")
LABEL_KINDS = ("theme", "narrative", "subnarrative")
SURGE_KINDS = ("theme", "narrative")  # sub-narratives surge with their narrative
Pair = tuple[SourceGroup, SourceGroup]


@dataclass(frozen=True)
class AlertSettings:
    surge: SurgeSettings = field(default_factory=SurgeSettings)
    convergence: ConvergenceSettings = field(default_factory=ConvergenceSettings)

    @classmethod
    def from_options(cls, **options: object) -> AlertSettings:
        """Settings from flat keyword options (alpha=..., min_similarity=...); None keeps the
        default, an unknown name is an error."""
        parts: dict[str, dict[str, object]] = {"surge": {}, "convergence": {}}
        names = {f.name: "surge" for f in fields(SurgeSettings)}
        names |= {f.name: "convergence" for f in fields(ConvergenceSettings)}
        for name, value in options.items():
            if name not in names:
                raise NarrascopeError(f"unknown alert setting {name!r}; known: "
                                      + ", ".join(sorted(names)))
            if value is not None:
                parts[names[name]][name] = value
        return cls(replace(SurgeSettings(), **parts["surge"]),  # type: ignore[arg-type]
                   replace(ConvergenceSettings(), **parts["convergence"]))  # type: ignore[arg-type]


def _labels(conn: Connection, until: date | None) -> dict[str, list[Finding]]:
    """Findings by kind up to `until`, without the taxonomy's "none of these" narrative."""
    return {kind: [f for f in findings(conn, kind, None, until)
                   if f.label != OTHER and not f.label.endswith(": " + OTHER)]
            for kind in LABEL_KINDS}


def collect_alerts(conn: Connection, kinds: set[str] | None = None, since: date | None = None,
                   until: date | None = None, groups: list[Pair] | None = None,
                   **settings: object) -> list[Alert]:
    """The alerts dated from `since` to `until`, by date then kind.

    `kinds` picks among first_appearance, surge and convergence (default: all); `groups` are the
    pairs of source groups compared for convergence (default: the state media of every two
    countries); `settings` are the fields of SurgeSettings and ConvergenceSettings.
    """
    wanted = set(ALERT_KINDS) if kinds is None else kinds
    if unknown := wanted - set(ALERT_KINDS):
        raise NarrascopeError(f"unknown alert kind {sorted(unknown)[0]!r}; known: "
                              + ", ".join(ALERT_KINDS))
    s = AlertSettings.from_options(**settings)
    found = _labels(conn, until)
    docs = load_documents(conn, until)
    members = load_story_members(conn, until) if wanted - {"first_appearance"} else []
    alerts: list[Alert] = []
    if "first_appearance" in wanted:
        for kind in LABEL_KINDS:
            alerts += first_appearances(found[kind], kind)
    if "surge" in wanted:
        first_day = min((d.published for d in docs), default=None)
        for kind in SURGE_KINDS:
            alerts += surges(found[kind], kind, s.surge, first_day)
        alerts += surges(members, "story", s.surge, first_day)
    if "convergence" in wanted:
        labelled = found["theme"] + found["narrative"]
        alerts += convergence_alerts(labelled, docs, members, groups, s.convergence)
    kept = [a for a in alerts
            if (since is None or a.date >= since) and (until is None or a.date <= until)]
    return sorted(kept, key=alert_order)


def collect_convergence(conn: Connection, groups: list[SourceGroup] | None = None,
                        until: date | None = None, **settings: object) -> list[Series]:
    """The convergence series of every two of `groups` (default: the state media of every two
    countries), window by window."""
    s = AlertSettings.from_options(**settings).convergence
    found = _labels(conn, until)
    docs = load_documents(conn, until)
    members = load_story_members(conn, until)
    pairs = state_media_pairs(docs) if groups is None else list(combinations(groups, 2))
    labelled = found["theme"] + found["narrative"]
    return [convergence_series(labelled, docs, members, pair, s) for pair in pairs]
