"""The bundled demo runs end to end and shows the story it was written to show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.demo import CODEBOOK, CORPUS, SOURCES
from narrascope.detect.codebook import load_codebook
from narrascope.ingest.sources import load_sources
from tests.conftest import run_cli


def test_demo_files_are_valid() -> None:
    sources = {s.name: s for s in load_sources(SOURCES)}
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert 40 <= len(rows) <= 80
    assert {r["language"] for r in rows} == {"en", "ru", "ko"}
    assert {r["source"] for r in rows} <= set(sources)
    assert {s.kind for s in sources.values()} >= {"state-media", "government", "independent"}
    assert len(load_codebook(CODEBOOK).themes) == 6


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = run_cli(str(out / "unused.db"), "demo", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_demo_writes_the_report(demo_out: Path) -> None:
    payload = json.loads((demo_out / "report.json").read_text())
    assert payload["summary"]["documents"] == 70
    assert len(payload["reprints"]) == 4
    assert {t["theme"] for t in payload["themes"]} >= {"nk-troops-heroism", "shared-war-memory"}
    assert all(f["evidence"] for f in payload["findings"])
    assert "<svg" in (demo_out / "report.html").read_text()


def test_demo_government_adopts_troop_heroism_with_the_ministry_document(demo_out: Path) -> None:
    payload = json.loads((demo_out / "report.json").read_text())
    theme = next(t for t in payload["themes"] if t["theme"] == "nk-troops-heroism")
    first = theme["first_seen"]["government"]
    assert first["date"] == "2026-05-12"
    assert first["source"] == "Ministry of Culture and Heritage Bulletin"
    assert "Кур" in first["evidence"]  # the ministry document's own Russian sentence


def test_demo_finds_korean_and_russian_evidence(demo_out: Path) -> None:
    payload = json.loads((demo_out / "report.json").read_text())
    troops = [f for f in payload["findings"] if f["theme"] == "nk-troops-heroism"]
    scripts = {"ko" if any("\uac00" <= c <= "\ud7a3" for c in f["evidence"]) else
               "ru" if any("\u0400" <= c <= "\u04ff" for c in f["evidence"]) else "en"
               for f in troops}
    assert scripts == {"en", "ru", "ko"}


def test_demo_reports_techniques_with_marked_spans(demo_out: Path) -> None:
    payload = json.loads((demo_out / "report.json").read_text())
    techniques = payload["techniques"]
    assert techniques["counts_by_source_kind"]
    assert all(s["technique"] and s["text"] and s["start"] < s["end"]
               for s in techniques["spans"])
    page = (demo_out / "report.html").read_text()
    assert "<h2>Persuasion techniques</h2>" in page and "<mark" in page


def test_demo_alerts_the_ministry_first_adopting_troop_heroism(demo_out: Path) -> None:
    from sqlalchemy import select

    from narrascope.config import Settings
    from narrascope.store.db import open_store
    from narrascope.store.schema import documents
    from narrascope.track.alerts import collect_alerts

    store = open_store(Settings(db=str(demo_out / "narrascope.db")).db_url)
    with store.read() as conn:
        ministry = conn.execute(select(documents.c.id)
                                .where(documents.c.external_id == "demo-049")).scalar_one()
        found = collect_alerts(conn, {"first_appearance"})
    store.close()
    (alert,) = [a for a in found if a.subject == "nk-troops-heroism"
                and a.source_kind == "government"]
    assert (alert.date.isoformat(), alert.document_id) == ("2026-05-12", ministry)
    assert alert.evidence and "Кур" in alert.evidence
    payload = json.loads((demo_out / "report.json").read_text())
    assert alert.to_json()["document_id"] in {a["document_id"] for a in payload["alerts"]}
