"""The report's narrative and entity-role sections: counts by source kind, evidence quoted with its
source, and every article string escaped."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from narrascope.config import Settings
from narrascope.model import Annotation
from narrascope.store.annotations import save_results
from narrascope.store.db import open_store
from narrascope.store.schema import documents
from tests.conftest import run_cli

HOSTILE = "<script>alert(1)</script>"
NARRATIVE = "URW: Blaming the war on others rather than the invader"
SUB = f"{NARRATIVE}: The West are the aggressors"


def _store(tmp_path: Path, db: str) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "Agency"\nkind = "state-media"\n\n'
                       '[[source]]\nname = "Paper"\nkind = "independent"\n', encoding="utf-8")
    rows = [{"id": f"d{i}", "source": "Agency" if i < 2 else "Paper",
             "published": f"2026-03-0{i + 1}", "url": f"https://x.example/{i}",
             "text": f"NATO provoked the conflict in story {i}. {HOSTILE}"} for i in range(3)]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert run_cli(db, "ingest", str(corpus), "--sources", str(sources)).exit_code == 0
    store = open_store(Settings(db=db).db_url)
    with store.transaction() as conn:
        ids = [r.id for r in conn.execute(select(documents.c.id).order_by(documents.c.id))]
        for number, doc_id in enumerate(ids):
            found = [
                Annotation("narrative", NARRATIVE, 0.8 - number / 10, 0, 40,
                           f"NATO provoked the conflict {HOSTILE}"),
                Annotation("subnarrative", SUB, 0.6, 0, 40, "NATO provoked the conflict"),
                Annotation("entity_role", "Antagonist" if number < 2 else "Protagonist", 0.9,
                           0, 4, f"NATO provoked {HOSTILE}",
                           {"entity": "NATO", "entity_kind": "organisation",
                            "fine_roles": [["Instigator", 0.7]]}),
            ]
            save_results(conn, doc_id, "test.v1", "1", "h", found)
    store.close()


def test_narratives_and_castings_in_all_three_formats(tmp_path: Path, db: str) -> None:
    _store(tmp_path, db)
    out = tmp_path / "out"
    assert run_cli(db, "report", "--out", str(out)).exit_code == 0
    payload = json.loads((out / "report.json").read_text())
    counts = payload["narratives"]["counts_by_source_kind"]
    assert counts == {NARRATIVE: {"state-media": 2, "independent": 1}}
    roles = {(r["entity"], r["role"], r["source_kind"]): r for r in payload["narratives"]["roles"]}
    assert roles[("NATO", "Antagonist", "state-media")]["documents"] == 2
    assert roles[("NATO", "Antagonist", "state-media")]["fine_roles"] == {"Instigator": 2}
    assert roles[("NATO", "Protagonist", "independent")]["documents"] == 1
    levels = {f["level"] for f in payload["narratives"]["findings"]}
    assert levels == {"narrative", "subnarrative"}
    md = (out / "report.md").read_text()
    assert "## Narratives" in md and "## Who is cast in which role" in md
    assert "The West are the aggressors: 3" in md
    assert "<script>" not in md
    page = (out / "report.html").read_text()
    assert "Who is cast in which role" in page and "<script>" not in page
    assert "&lt;script&gt;" in page
    assert page.count("<svg") >= 2  # volume chart and the narrative's weekly chart
