"""The same store code on a real PostgreSQL server (started by .ci/run)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import cli_json, run_cli
from tests.ingest.test_near_duplicates import ORIGINAL, REPRINT

PG_URL = os.environ.get("NARRASCOPE_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="NARRASCOPE_TEST_PG_URL is not set "
                                "(.ci/run starts a PostgreSQL and sets it)")


@pytest.fixture
def pg_db() -> Iterator[str]:
    assert PG_URL
    name = f"narrascope_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_full_run_on_postgresql(pg_db: str, tmp_path: Path, codebook: Path) -> None:
    rows = [
        {"id": "a", "text": ORIGINAL, "published": "2026-02-01", "source": "Outlet A"},
        {"id": "b", "text": REPRINT, "published": "2026-02-03", "source": "Outlet B"},
        {"id": "c", "text": "North Korean soldiers fought heroically to liberate the Kursk "
                            "region, the agency said.", "published": "2026-02-05"},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    code, out = cli_json(pg_db, "ingest", str(corpus))
    assert code == 0
    assert out == {"added": 3, "duplicates": 0, "near_duplicates": 1, "failed": []}
    _code, again = cli_json(pg_db, "ingest", str(corpus))
    assert isinstance(again, dict) and again["duplicates"] == 3
    code, analysed = cli_json(pg_db, "analyze", "--codebook", str(codebook))
    assert isinstance(analysed, dict)
    assert analysed["documents"] == 3 and analysed["annotations"]["themes.codebook.v1"] == 1
    assert run_cli(pg_db, "report", "--out", str(tmp_path / "r")).exit_code == 0
    payload = json.loads((tmp_path / "r" / "report.json").read_text())
    assert payload["findings"][0]["theme"] == "nk-troops-heroism"
    assert payload["findings"][0]["date"] == "2026-02-05"
    assert len(payload["reprints"]) == 1
