"""Reports quote their evidence with source, date and link, and escape every article string."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import run_cli

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def _store(tmp_path: Path, db: str, codebook: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "Agency <b>X</b>"\nkind = "state-media"\n'
                       'country = "KP"\n\n[[source]]\nname = "Ministry"\nkind = "government"\n'
                       'country = "RU"\n', encoding="utf-8")
    rows = [
        {"id": "s1", "source": "Agency <b>X</b>", "published": "2026-03-01",
         "url": "https://agency.example/a?x=1&y=<2>", "title": f"Praise {HOSTILE}",
         "text": "North Korean soldiers fought heroically to liberate Kursk. " + HOSTILE},
        {"id": "g1", "source": "Ministry", "published": "2026-05-12",
         "url": "javascript:alert(1)", "title": "Film priorities",
         "text": "A film on the courage of North Korean soldiers in the liberation of the "
                 "Kursk region is a priority for state funding."},
        {"id": "n1", "source": "Ministry", "published": "2026-05-13",
         "text": "The museum opens on Tuesdays from ten to six."},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert run_cli(db, "ingest", str(corpus), "--sources", str(sources)).exit_code == 0
    assert run_cli(db, "analyze", "--codebook", str(codebook)).exit_code == 0


def test_three_files_with_quoted_evidence(tmp_path: Path, db: str, codebook: Path) -> None:
    _store(tmp_path, db, codebook)
    out = tmp_path / "out"
    result = run_cli(db, "report", "--out", str(out))
    assert result.exit_code == 0
    assert {p.name for p in out.iterdir()} == {"report.md", "report.html", "report.json"}
    payload = json.loads((out / "report.json").read_text())
    assert payload["summary"]["documents"] == 3
    findings = [f for f in payload["findings"] if f["theme"] == "nk-troops-heroism"]
    assert {f["source"] for f in findings} == {"Agency <b>X</b>", "Ministry"}
    for f in findings:
        assert f["evidence"] and f["date"] and f["source_kind"] in ("state-media", "government")
    theme = next(t for t in payload["themes"] if t["theme"] == "nk-troops-heroism")
    assert theme["first_seen"]["government"]["date"] == "2026-05-12"
    md = (out / "report.md").read_text()
    assert "> A film on the courage of North Korean soldiers" in md
    assert "2026-05-12" in md


def test_html_escapes_article_text(tmp_path: Path, db: str, codebook: Path) -> None:
    _store(tmp_path, db, codebook)
    out = tmp_path / "out"
    run_cli(db, "report", "--out", str(out))
    page = (out / "report.html").read_text()
    assert "<script>" not in page
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in page
    assert "Agency &lt;b&gt;X&lt;/b&gt;" in page
    assert 'href="javascript:' not in page
    assert "<svg" in page  # charts are inline
    assert not re.search(r"<(script|link|iframe)\b", page)
    assert not re.search(r'src="https?:', page)  # self-contained: nothing loaded from outside
    md = (out / "report.md").read_text()
    assert "<script>" not in md


def test_window_filters_documents(tmp_path: Path, db: str, codebook: Path) -> None:
    _store(tmp_path, db, codebook)
    out = tmp_path / "out"
    run_cli(db, "report", "--out", str(out), "--since", "2026-05-01", "--until", "2026-05-12")
    payload = json.loads((out / "report.json").read_text())
    assert payload["summary"]["documents"] == 1
    assert {f["date"] for f in payload["findings"]} == {"2026-05-12"}


def test_bad_date_is_a_usage_error(tmp_path: Path, db: str) -> None:
    result = run_cli(db, "report", "--out", str(tmp_path), "--since", "May 1")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
