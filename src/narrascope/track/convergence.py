"""Convergence: two groups of sources starting to carry the same themes, narratives and stories.

Over sliding windows (28 days, a step of 7 days, windows ending on Sundays so that a window keeps
its dates when new data arrives) each group gets a vector of label counts (themes and narratives
together, each counted once per document). The window's similarity is the cosine of the two
vectors. A convergence alert marks the first window of a run in which the similarity is at least
`min_similarity`, exceeds the mean of the earlier windows by at least `min_rise`, and both groups
have at least `min_documents` documents in the window. Windows in which a group has no document
have no similarity and do not count in the mean; with no earlier window there is no baseline and
no alert, so a store's first weeks are not read as news.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from narrascope.model import Alert
from narrascope.report.data import Finding
from narrascope.track.first import alert_order
from narrascope.track.groups import SourceGroup, state_media_pairs
from narrascope.track.loaders import DocumentRef

LabelKey = tuple[str, str]  # (finding kind, label)
SHARED_LABELS_SHOWN = 5


@dataclass(frozen=True)
class ConvergenceSettings:
    window_days: int = 28
    step_days: int = 7
    min_similarity: float = 0.5
    min_rise: float = 0.25
    min_documents: int = 3


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    documents: tuple[int, int]
    similarity: float | None  # None when a group has no document in the window
    shared_stories: int
    shared_labels: tuple[tuple[LabelKey, int], ...]  # carried by both, most documents first

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "documents": list(self.documents),
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "shared_stories": self.shared_stories,
            "shared_labels": [{"kind": k, "label": label, "documents": n}
                              for (k, label), n in self.shared_labels[:SHARED_LABELS_SHOWN]],
        }


@dataclass(frozen=True)
class Series:
    groups: tuple[SourceGroup, SourceGroup]
    windows: tuple[Window, ...]

    def to_json(self) -> dict[str, object]:
        return {"groups": [g.to_json() for g in self.groups],
                "windows": [w.to_json() for w in self.windows]}


def cosine(a: Counter[LabelKey], b: Counter[LabelKey]) -> float:
    dot = sum(n * b[k] for k, n in a.items() if k in b)
    norm = math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values()))
    return dot / norm if norm else 0.0


def window_ends(first: date, last: date, step_days: int) -> list[date]:
    """Sundays from the one ending `first`'s week to the one ending `last`'s, `step_days` apart."""
    end = first + timedelta(days=6 - first.weekday())
    out = []
    while end - timedelta(days=6) <= last:
        out.append(end)
        end += timedelta(days=step_days)
    return out


@dataclass
class _Index:
    """Documents, their labels and their stories, indexed once for every window."""

    docs: list[DocumentRef]
    labels: dict[int, set[LabelKey]]
    stories: dict[int, set[str]]

    @classmethod
    def build(cls, found: list[Finding], docs: list[DocumentRef],
              story_members: list[Finding]) -> _Index:
        labels: dict[int, set[LabelKey]] = defaultdict(set)
        for f in found:
            labels[f.document_id].add((f.kind, f.label))
        in_stories: dict[int, set[str]] = defaultdict(set)
        for m in story_members:
            in_stories[m.document_id].add(m.label)
        return cls(sorted(docs, key=lambda d: (d.published, d.id)), labels, in_stories)

    def members(self, group: SourceGroup, start: date, end: date) -> list[DocumentRef]:
        return [d for d in self.docs if start <= d.published <= end and group.matches(d)]

    def vector(self, docs: list[DocumentRef]) -> Counter[LabelKey]:
        return Counter(k for d in docs for k in self.labels.get(d.id, ()))

    def story_ids(self, docs: list[DocumentRef]) -> set[str]:
        return {s for d in docs for s in self.stories.get(d.id, ())}


def _window(index: _Index, pair: tuple[SourceGroup, SourceGroup], end: date,
            days: int) -> Window:
    start = end - timedelta(days=days - 1)
    a, b = (index.members(g, start, end) for g in pair)
    va, vb = index.vector(a), index.vector(b)
    shared = sorted(((k, va[k] + vb[k]) for k in va.keys() & vb.keys()),
                    key=lambda kv: (-kv[1], kv[0]))
    return Window(start, end, (len(a), len(b)), cosine(va, vb) if a and b else None,
                  len(index.story_ids(a) & index.story_ids(b)), tuple(shared))


def convergence_series(found: list[Finding], docs: list[DocumentRef],
                       story_members: list[Finding], pair: tuple[SourceGroup, SourceGroup],
                       settings: ConvergenceSettings | None = None) -> Series:
    """The similarity of two groups of sources, window by window, over the dated documents."""
    s = settings or ConvergenceSettings()
    return _series(_Index.build(found, docs, story_members), pair, s)


def _series(index: _Index, pair: tuple[SourceGroup, SourceGroup],
            s: ConvergenceSettings) -> Series:
    if not index.docs:
        return Series(pair, ())
    first, last = index.docs[0].published, index.docs[-1].published
    ends = window_ends(first, last, s.step_days)
    return Series(pair, tuple(_window(index, pair, end, s.window_days) for end in ends))


def _qualifies(w: Window, earlier: list[float], s: ConvergenceSettings) -> float | None:
    """The baseline the window rose from, when it is a convergence; None otherwise."""
    if w.similarity is None or not earlier or min(w.documents) < s.min_documents:
        return None
    baseline = sum(earlier) / len(earlier)
    ok = w.similarity >= s.min_similarity and w.similarity - baseline >= s.min_rise
    return baseline if ok else None


def _evidence(found: list[Finding], docs: set[int], key: LabelKey) -> Finding | None:
    carriers = [f for f in found if f.document_id in docs and (f.kind, f.label) == key]
    return max(carriers, key=lambda f: (f.published or date.min, f.score, -f.document_id),
               default=None)


def _alert(series: Series, w: Window, baseline: float, found: list[Finding],
           index: _Index, last_day: date) -> Alert | None:
    key = w.shared_labels[0][0] if w.shared_labels else None
    in_window = {d.id for g in series.groups for d in index.members(g, w.start, w.end)}
    f = _evidence(found, in_window, key) if key else None
    if f is None:
        return None
    a, b = series.groups
    window = w.to_json()
    return Alert(
        kind="convergence", subject_kind=f.kind, subject=f.label, subject_label=f.label_text,
        date=min(w.end, last_day), source_kind=f.source_kind, country=f.country, source=f.source,
        document_id=f.document_id, url=f.url, evidence=f.evidence, title=f.title,
        details={"groups": [a.name, b.name], "window_start": w.start.isoformat(),
                 "window_end": w.end.isoformat(), "similarity": round(w.similarity or 0.0, 4),
                 "baseline": round(baseline, 4),
                 "documents": {a.name: w.documents[0], b.name: w.documents[1]},
                 "shared_stories": w.shared_stories,
                 "shared_labels": window["shared_labels"]},
    )


def convergence_alerts(found: list[Finding], docs: list[DocumentRef],
                       story_members: list[Finding],
                       pairs: list[tuple[SourceGroup, SourceGroup]] | None = None,
                       settings: ConvergenceSettings | None = None) -> list[Alert]:
    """Convergence alerts for each pair of groups (default: state media of every two
    countries), at the first window of each run of converging windows."""
    s = settings or ConvergenceSettings()
    if not docs:
        return []
    index = _Index.build(found, docs, story_members)
    last_day = index.docs[-1].published
    alerts = []
    for pair in state_media_pairs(docs) if pairs is None else pairs:
        series = _series(index, pair, s)
        earlier: list[float] = []
        was_on = False
        for w in series.windows:
            baseline = _qualifies(w, earlier, s)
            alert = _alert(series, w, baseline, found, index, last_day) \
                if baseline is not None and not was_on else None
            alerts += [alert] if alert else []
            was_on = baseline is not None
            earlier += [w.similarity] if w.similarity is not None else []
    return sorted(alerts, key=alert_order)
