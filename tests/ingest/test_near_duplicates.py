from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import cli_json

ORIGINAL = (
    "The ministry announced on Tuesday a new programme of support for regional theatres. "
    "Under the programme, forty theatres in twelve regions will receive grants for new "
    "productions, touring and the repair of their buildings. The minister said the grants "
    "would be paid in two instalments, the first in the spring and the second in the autumn, "
    "and that theatres in small towns would be given priority. Applications open next month "
    "and close at the end of the summer, the ministry said in a statement."
)
REPRINT = (
    "Regional theatres will get more money, a ministry said this week. "
    + ORIGINAL.split(". ", 1)[1]
)
UNRELATED = (
    "Heavy snow closed the mountain pass for the third day, and the road service said the "
    "clearing would take until the weekend. Drivers were advised to take the coastal road, "
    "which adds about two hours to the journey between the two cities."
)


def test_reprint_is_stored_and_linked(tmp_path: Path, db: str) -> None:
    corpus = tmp_path / "docs.jsonl"
    rows = [
        {"id": "orig", "text": ORIGINAL, "published": "2026-02-01", "source": "Outlet A"},
        {"id": "other", "text": UNRELATED, "published": "2026-02-02", "source": "Outlet A"},
        {"id": "reprint", "text": REPRINT, "published": "2026-02-04", "source": "Outlet B"},
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    code, out = cli_json(db, "ingest", str(corpus))
    assert code == 0
    assert out == {"added": 3, "duplicates": 0, "near_duplicates": 1, "failed": []}
    with create_engine(f"sqlite:///{db}").connect() as conn:
        links = dict(conn.execute(text(
            "SELECT d.external_id, o.external_id FROM documents d "
            "LEFT JOIN documents o ON o.id = d.near_duplicate_of")).all())
    assert links == {"orig": None, "other": None, "reprint": "orig"}


def test_reprint_in_a_later_run_links_to_the_original(tmp_path: Path, db: str) -> None:
    (tmp_path / "orig.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "reprint.txt").write_text(REPRINT, encoding="utf-8")
    cli_json(db, "ingest", str(tmp_path / "orig.txt"))
    _code, out = cli_json(db, "ingest", str(tmp_path / "reprint.txt"))
    assert isinstance(out, dict) and out["near_duplicates"] == 1
