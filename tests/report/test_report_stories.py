"""The report's "Stories" section lists multi-document stories with their documents, escaped."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from narrascope.config import Settings
from narrascope.model import Document
from narrascope.report import collect, write_report
from narrascope.store import open_store, repo
from narrascope.track.persist import track_pending

HOSTILE = "Quake <script>alert(1)</script> hits Norcia"


def test_stories_section_lists_documents_escaped(tmp_path: Path) -> None:
    store = open_store(Settings(db=str(tmp_path / "r.db")).db_url)
    body = ("A strong earthquake struck Norcia on Tuesday, collapsing the town hall. Rescue "
            "teams searched the rubble in Norcia for survivors of the earthquake.")
    with store.transaction() as conn:
        for i, (title, text) in enumerate([(HOSTILE, body), ("Norcia quake rescue", body + " "),
                                           ("Budget vote", "The city council voted on the "
                                            "budget for schools and roads next year.")]):
            repo.insert_document(
                conn, Document(text, origin="t", title=title, url=f"https://n.example/{i}",
                               published=date(2026, 4, 1 + i % 2)),
                language="en", text_hash=hashlib.sha256(f"{i}".encode()).hexdigest(),
                source_id=None, minhash=None, near_duplicate_of=None,
                near_duplicate_similarity=None)
    track_pending(store, "none")
    with store.read() as conn:
        data = collect(conn)
    paths = write_report(data, tmp_path / "out")
    store.close()
    assert [len(s.documents) for s in data.stories] == [2]  # single-document stories left out
    html = paths["html"].read_text(encoding="utf-8")
    md = paths["md"].read_text(encoding="utf-8")
    assert 'id="stories"' in html and "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert "## Stories" in md and "<script>" not in md
    story = json.loads(paths["json"].read_text(encoding="utf-8"))["stories"][0]
    assert story["size"] == 2 and story["first_seen"] == "2026-04-01"
    assert {d["url"] for d in story["documents"]} == {"https://n.example/0", "https://n.example/1"}
