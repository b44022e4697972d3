"""First appearances: one alert per label, kind of source and country, on the right document."""

from __future__ import annotations

import random
from datetime import date

from narrascope.report.data import Finding
from narrascope.track.alerts import collect_alerts
from narrascope.track.first import first_appearances
from tests.track.conftest import StoreBuilder

THEME = "nk-troops-heroism"
MINISTRY_SENTENCE = "Films on the courage of North Korean soldiers are a funding priority."


def _story(builder: StoreBuilder) -> dict[str, int]:
    ids = {
        "kp1": builder.doc("Agency KP", date(2026, 3, 1), {"theme": (THEME,)},
                           "The Korean fighters showed heroism at Kursk."),
        "kp2": builder.doc("Agency KP", date(2026, 3, 5), {"theme": (THEME,)}),
        "undated": builder.doc("Ministry", None, {"theme": (THEME,)}),
        "gov1": builder.doc("Ministry", date(2026, 5, 12), {"theme": (THEME,)},
                            MINISTRY_SENTENCE),
        "gov2": builder.doc("Ministry", date(2026, 5, 20), {"theme": (THEME,)}),
        "other": builder.doc("Ministry", date(2026, 4, 1), {"theme": ("harvest",)}),
    }
    return ids


def test_government_adopting_a_state_media_theme(builder: StoreBuilder) -> None:
    ids = _story(builder)
    with builder.store.read() as conn:
        found = collect_alerts(conn, {"first_appearance"})
    gov = [a for a in found if a.subject == THEME and a.source_kind == "government"]
    assert len(gov) == 1
    alert = gov[0]
    assert (alert.date, alert.document_id, alert.country) == (date(2026, 5, 12), ids["gov1"], "RU")
    assert alert.evidence == MINISTRY_SENTENCE
    assert alert.source == "Ministry" and alert.url == f"https://news.example/{ids['gov1']}"
    assert alert.details["follows"] == [{"source_kind": "state-media", "country": "KP",
                                         "date": "2026-03-01", "source": "Agency KP",
                                         "document_id": ids["kp1"]}]
    assert alert.details["first_overall"] is False
    kp = [a for a in found if a.subject == THEME and a.source_kind == "state-media"]
    assert [a.document_id for a in kp] == [ids["kp1"]]
    assert kp[0].details == {"follows": [], "first_overall": True}


def test_no_alert_before_the_date_and_history_counts_before_since(
        builder: StoreBuilder) -> None:
    ids = _story(builder)
    with builder.store.read() as conn:
        before = collect_alerts(conn, {"first_appearance"}, until=date(2026, 5, 11))
        later = collect_alerts(conn, {"first_appearance"}, since=date(2026, 4, 15))
    assert not [a for a in before if a.source_kind == "government" and a.subject == THEME]
    # since only filters what is returned: the state-media appearance still comes first
    assert [(a.subject, a.document_id) for a in later] == [(THEME, ids["gov1"])]


def _finding(doc: int, day: date | None, kind: str = "state-media",
             country: str = "KP", score: float = 0.5) -> Finding:
    return Finding("theme", "t", "T", score, doc, None, f"src{doc}", kind, country, day,
                   None, f"sentence {doc}", None, None, "test.v1")


def test_ties_by_document_id_undated_ignored_and_deterministic() -> None:
    found = [
        _finding(7, date(2026, 1, 2)), _finding(3, date(2026, 1, 2)),
        _finding(1, None),
        _finding(9, date(2026, 1, 2), "government", "RU"),
        _finding(2, date(2026, 1, 5), "government", "RU"),
        _finding(5, date(2026, 1, 4), "independent", "GB"),
    ]
    alerts = first_appearances(found, "theme")
    assert [(a.source_kind, a.document_id) for a in alerts] == [
        ("government", 9), ("state-media", 3), ("independent", 5)]
    assert [a.details["first_overall"] for a in alerts] == [True, True, False]
    assert [f["document_id"] for f in alerts[2].details["follows"]] == [3, 9]  # type: ignore[union-attr]
    for seed in range(5):
        shuffled = found[:]
        random.Random(seed).shuffle(shuffled)
        again = first_appearances(shuffled, "theme")
        assert [(a, a.details) for a in again] == [(a, a.details) for a in alerts]
