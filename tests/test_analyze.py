"""Analysis resumes after an interruption and never mixes results."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from narrascope import pipeline
from narrascope.analyze import CHUNK, Analyzer
from narrascope.config import Settings
from narrascope.detect.base import AnalysisInput
from narrascope.detect.codebook import load_codebook
from narrascope.detect.themes import ThemeDetector
from narrascope.embed import Encoder
from narrascope.model import Annotation
from tests.conftest import run_cli

TOPICS = [
    "North Korean soldiers fought with great courage to liberate the Kursk region.",
    "Farmers gathered a record wheat harvest in the northern provinces.",
    "The city council approved a new budget for road repairs and bus lanes.",
]


def _corpus(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            body = f"Report number {i} from the wire. {TOPICS[i % 3]} More details on day {i}."
            handle.write(json.dumps({"id": f"d{i}", "text": body,
                                     "published": f"2026-01-{1 + i % 28:02d}"}) + "\n")
    return path


class Exploding(ThemeDetector):
    """A theme detector that fails on its n-th batch, as a crash mid-run would."""

    calls = 0

    def predict(self, batch: list[AnalysisInput]) -> list[list[Annotation]]:
        Exploding.calls += 1
        if Exploding.calls == 2:
            raise RuntimeError("power cut")
        return super().predict(batch)


def _counts(db: str) -> dict[str, int]:
    with create_engine(f"sqlite:///{db}").connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("documents", "sentences", "embeddings", "annotations",
                            "analysis_runs")}
        counts["analysed"] = conn.execute(text(
            "SELECT count(DISTINCT document_id) FROM analysis_runs")).scalar_one()
        return counts


def test_crash_mid_run_then_resume(tmp_path: Path, db: str, codebook: Path,
                                   encoder: Encoder) -> None:
    run_cli(db, "ingest", str(_corpus(tmp_path / "c.jsonl", CHUNK * 3)))
    ctx = pipeline.Context(Settings(db=db), pipeline.Store(Settings(db=db).db_url), encoder,
                           show_progress=False)
    book = load_codebook(codebook)
    Exploding.calls = 0
    with pytest.raises(RuntimeError):
        Analyzer(ctx.store, encoder, [Exploding(book, encoder)]).run()
    after_crash = _counts(db)
    assert after_crash["analysis_runs"] == CHUNK  # the first chunk, whole; nothing of the second
    sentences_done = after_crash["embeddings"]
    assert 0 < sentences_done < after_crash["sentences"]

    report = Analyzer(ctx.store, encoder, [ThemeDetector(book, encoder)]).run()
    assert report.documents == CHUNK * 2
    done = _counts(db)
    assert done["analysis_runs"] == CHUNK * 3
    assert done["embeddings"] == done["sentences"]
    assert done["annotations"] >= CHUNK * 2  # two of three topics match a theme

    again = Analyzer(ctx.store, encoder, [ThemeDetector(book, encoder)]).run()
    assert again.documents == 0
    assert _counts(db) == done


def test_new_codebook_replaces_old_results(tmp_path: Path, db: str, codebook: Path) -> None:
    run_cli(db, "ingest", str(_corpus(tmp_path / "c.jsonl", 9)))
    run_cli(db, "analyze", "--codebook", str(codebook))
    narrow = tmp_path / "narrow.toml"
    narrow.write_text('[[theme]]\nid = "harvest"\ndescription = "Reports on crops, grain '
                      'yields and the harvest season."\n', encoding="utf-8")
    result = run_cli(db, "analyze", "--codebook", str(narrow), "--json")
    assert json.loads(result.stdout)["documents"] == 9
    with create_engine(f"sqlite:///{db}").connect() as conn:
        labels = set(conn.execute(text(
            "SELECT label FROM annotations WHERE kind = 'theme'")).scalars())
    assert labels == {"harvest"}


def test_killed_analysis_leaves_a_consistent_store(tmp_path: Path, db: str,
                                                   codebook: Path) -> None:
    run_cli(db, "ingest", str(_corpus(tmp_path / "c.jsonl", 400)))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "narrascope.cli", "--db", db, "analyze", "--codebook",
           str(codebook)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _counts(db)["analysed"] < CHUNK:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _counts(db)
    assert partial["analysed"] % CHUNK == 0  # whole chunks only
    with create_engine(f"sqlite:///{db}").connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    finish = run_cli(db, "analyze", "--codebook", str(codebook), "--json")
    assert json.loads(finish.stdout)["documents"] == 400 - partial["analysed"]
    final = _counts(db)
    assert final["analysed"] == 400
    assert final["embeddings"] == final["sentences"]
