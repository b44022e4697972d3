"""Convergence: two groups of sources that start carrying the same labels and stories."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from narrascope.errors import NarrascopeError
from narrascope.track.alerts import collect_alerts, collect_convergence
from narrascope.track.groups import SourceGroup, parse_group
from tests.track.conftest import StoreBuilder

START = date(2026, 1, 5)  # a Monday
SHARED_SENTENCE = "Both agencies now hail the heroes of Kursk."


def _fill(builder: StoreBuilder, converge: bool) -> None:
    """Twelve weeks of two state agencies; from week 8 on, the KP agency takes up RU's themes
    (when `converge`)."""
    for week in range(12):
        day = START + timedelta(weeks=week)
        for i in range(2):
            builder.doc("Agency RU", day + timedelta(days=i),
                        {"theme": ("heroes", "peacekeeper"), "narrative": ("URW: Praise",)},
                        SHARED_SENTENCE if week == 9 and i == 0 else None)
            kp = ("heroes", "peacekeeper") if converge and week >= 8 else ("harvest", "juche")
            builder.doc("Agency KP", day + timedelta(days=i + 2), {"theme": kp})


def test_groups_that_start_sharing_labels_converge_once(builder: StoreBuilder) -> None:
    _fill(builder, converge=True)
    with builder.store.read() as conn:
        alerts = collect_alerts(conn, {"convergence"})
    assert len(alerts) == 1
    a = alerts[0]
    assert a.details["groups"] == ["state-media of KP", "state-media of RU"]
    assert START + timedelta(weeks=8) <= a.date <= START + timedelta(weeks=11, days=6)
    assert float(str(a.details["similarity"])) >= 0.5
    assert float(str(a.details["similarity"])) - float(str(a.details["baseline"])) >= 0.25
    assert (a.subject_kind, a.subject) == ("theme", "heroes")
    assert a.evidence and a.source in ("Agency KP", "Agency RU")


def test_groups_that_stay_apart_do_not(builder: StoreBuilder) -> None:
    _fill(builder, converge=False)
    with builder.store.read() as conn:
        assert collect_alerts(conn, {"convergence"}) == []
        series = collect_convergence(conn)
    assert len(series) == 1 and series[0].windows
    assert all(w.similarity in (None, 0.0) for w in series[0].windows)


def test_too_few_documents_do_not_converge(builder: StoreBuilder) -> None:
    _fill(builder, converge=True)
    with builder.store.read() as conn:
        assert collect_alerts(conn, {"convergence"}, min_documents=20) == []


def test_series_counts_shared_stories_for_given_groups(builder: StoreBuilder) -> None:
    ru = builder.doc("Agency RU", START, {"theme": ("heroes",)})
    gb = builder.doc("Ledger", START + timedelta(days=3), {"theme": ("heroes",)})
    builder.doc("Ledger", START + timedelta(days=40), {"theme": ("heroes",)})
    builder.story(1, "The Kursk story", [ru, gb])
    groups = [parse_group("ru=country:RU,kind:state-media"), parse_group("gb=source:Ledger")]
    with builder.store.read() as conn:
        (series,) = collect_convergence(conn, groups)
    first = series.windows[0]
    assert (first.documents, first.shared_stories) == ((1, 1), 1)
    assert first.similarity == pytest.approx(1.0)
    assert series.to_json()["groups"][0]["countries"] == ["RU"]  # type: ignore[index]
    assert series.windows[-1].shared_stories == 0


def test_parse_group() -> None:
    g = parse_group("ru=country:ru,kind:state-media,kind:government")
    assert g == SourceGroup("ru", ("state-media", "government"), ("RU",), ())
    for bad in ("ru", "=country:RU", "ru=", "ru=colour:red", "ru=country:"):
        with pytest.raises(NarrascopeError, match="NAME=RULE"):
            parse_group(bad)
