"""Surges: a one-sided Poisson test on weekly document counts against the weeks before."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from narrascope.report.data import Finding
from narrascope.track.alerts import collect_alerts
from narrascope.track.surges import SurgeSettings, poisson_sf, surges, week_of
from tests.track.conftest import StoreBuilder

START = date(2026, 1, 5)  # a Monday


def _exact_sf(count: int, lam: float) -> float:
    return 1 - sum(math.exp(-lam) * lam**k / math.factorial(k) for k in range(count))


@pytest.mark.parametrize(("count", "lam"), [(0, 2.0), (1, 1.0), (5, 0.5), (3, 7.0), (12, 1.0)])
def test_poisson_tail(count: int, lam: float) -> None:
    assert poisson_sf(count, lam) == pytest.approx(_exact_sf(count, lam), rel=1e-9, abs=1e-15)


def test_poisson_tail_stays_exact_far_out() -> None:
    # 1 - head would round to 0 here; the summed tail keeps the digits
    expected = math.exp(-1) / math.factorial(40) * (1 + 1 / 41 + 1 / (41 * 42))
    assert poisson_sf(40, 1.0) == pytest.approx(expected, rel=1e-6)


def _weekly(counts: list[int], label: str = "t") -> list[Finding]:
    out, doc = [], 0
    for week, n in enumerate(counts):
        for i in range(n):
            doc += 1
            day = START + timedelta(weeks=week, days=i % 7)
            out.append(Finding("theme", label, label.upper(), 0.5 + doc / 1000, doc, None, "s",
                               "state-media", "RU", day, None, f"sentence {doc}", None, None,
                               "test.v1"))
    return out


def test_clear_spike_is_one_surge_with_the_best_evidence() -> None:
    found = _weekly([1, 2, 1, 1, 2, 1, 1, 2, 1, 14, 2])
    alerts = surges(found, "theme")
    assert len(alerts) == 1
    a = alerts[0]
    assert a.kind == "surge" and a.date == START + timedelta(weeks=9) == week_of(a.date)
    assert a.details["count"] == 14 and a.details["baseline"] == pytest.approx(11 / 8)
    assert float(str(a.details["p_value"])) < 0.001
    best = max((f for f in found if f.published and week_of(f.published) == a.date),
               key=lambda f: f.score)
    assert (a.document_id, a.evidence) == (best.document_id, best.evidence)


@pytest.mark.parametrize("counts", [
    [0, 0, 0, 0, 0, 0, 4, 0],        # tiny: under min_count however unlikely
    [6, 6, 7, 6, 5, 6, 7, 6, 6, 8],  # flat
    [9, 0, 0, 0],                    # the first week of data has no baseline
    [3, 4, 3, 4, 3, 4, 3, 4, 10],    # more, but not three times the baseline
])
def test_no_surge_on_small_flat_or_unbaselined_counts(counts: list[int]) -> None:
    assert surges(_weekly(counts), "theme") == []


def test_alpha_is_the_sensitivity() -> None:
    found = _weekly([2, 2, 2, 2, 2, 2, 2, 2, 7])
    assert surges(found, "theme") == []  # P(X >= 7 | 2) is about 0.0045
    assert len(surges(found, "theme", SurgeSettings(alpha=0.01, min_ratio=3.0))) == 1


def test_a_label_new_after_the_data_starts_has_zeros_before_it() -> None:
    background = _weekly([1] * 6, "other")
    late = [f for f in _weekly([0, 0, 0, 0, 0, 7], "new")]
    alerts = surges(background + late, "theme")
    assert [(a.subject, a.date) for a in alerts] == [("new", START + timedelta(weeks=5))]


def test_story_surge_from_the_store(builder: StoreBuilder) -> None:
    ids = [builder.doc("Ledger", START + timedelta(weeks=w), {}) for w in range(4)]
    burst = [builder.doc("Agency RU", START + timedelta(weeks=4, days=i % 5), {})
             for i in range(8)]
    builder.story(1, "Talks in <b>Geneva</b>", ids + burst)
    with builder.store.read() as conn:
        alerts = collect_alerts(conn, {"surge"})
    assert [(a.subject_kind, a.subject, a.date) for a in alerts] == [
        ("story", "1", START + timedelta(weeks=4))]
    assert alerts[0].subject_label == "Talks in <b>Geneva</b>"
    assert alerts[0].document_id == burst[0]  # the most similar document of the week
    assert alerts[0].evidence
