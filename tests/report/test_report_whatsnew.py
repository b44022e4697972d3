"""The report opens with "What is new": the window's alerts with quoted, escaped evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.track.conftest import StoreBuilder, open_builder

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def builder(db: str) -> Iterator[StoreBuilder]:
    with open_builder(db) as built:
        yield built


def _report(builder: StoreBuilder, db: str, out: Path) -> None:
    builder.doc("Agency KP", date(2026, 3, 1), {"theme": ("heroes",)},
                f"Heroes of Kursk {HOSTILE}", url="https://kp.example/a?x=1&y=<2>")
    builder.doc("Ministry", date(2026, 5, 12), {"theme": ("heroes",)},
                f"Films on the heroes {HOSTILE} are a priority.", url="javascript:alert(1)")
    assert run_cli(db, "report", "--out", str(out)).exit_code == 0


def test_whats_new_comes_first_and_escapes_evidence(builder: StoreBuilder, db: str,
                                                    tmp_path: Path) -> None:
    _report(builder, db, tmp_path)
    md = (tmp_path / "report.md").read_text()
    assert md.index("## What is new") < md.index("## Themes")
    assert "first in government (RU), after state-media (KP) on 2026-03-01" in md
    assert "> Films on the heroes &lt;script&gt;alert(1)&lt;/script&gt; are a priority." in md
    assert "<script>" not in md and "(<javascript:" not in md
    assert "[Title 1](<https://kp.example/a?x=1&y=<2%3E>)" in md
    page = (tmp_path / "report.html").read_text()
    assert page.index("What is new") < page.index("<h2>Volume</h2>") < page.index("Themes")
    section = page[page.index('<section id="whats-new">'):page.index("<h2>Volume</h2>")]
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert 'href="javascript:' not in page
    assert 'href="https://kp.example/a?x=1&amp;y=&lt;2&gt;"' in section
    payload = json.loads((tmp_path / "report.json").read_text())
    assert list(payload)[:4] == ["generated_at", "window", "summary", "alerts"]
    gov = [a for a in payload["alerts"] if a["source_kind"] == "government"]
    assert len(gov) == 1 and gov[0]["date"] == "2026-05-12" and HOSTILE in gov[0]["evidence"]


def test_window_keeps_history_but_lists_only_its_alerts(builder: StoreBuilder, db: str,
                                                        tmp_path: Path) -> None:
    _report(builder, db, tmp_path / "all")
    assert run_cli(db, "report", "--out", str(tmp_path), "--since", "2026-05-01").exit_code == 0
    payload = json.loads((tmp_path / "report.json").read_text())
    assert [(a["source_kind"], a["details"]["first_overall"]) for a in payload["alerts"]] == [
        ("government", False)]
