"""A batch with bad inputs keeps every good document and names each failure."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import cli_json

GOOD = [
    "Troops arrived in the Kursk region on Monday, officials said. The deployment was denied.",
    "The harvest in the northern provinces was the largest in a decade, farmers reported.",
]


def _batch(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "good_txt": folder / "good.txt",
        "good_md": folder / "good.md",
        "empty": folder / "empty.txt",
        "blank": folder / "blank.txt",
        "binary": folder / "image.txt",
        "oversized": folder / "huge.txt",
        "cp1251": folder / "cp1251.txt",
        "jsonl": folder / "mixed.jsonl",
    }
    files["good_txt"].write_text(GOOD[0], encoding="utf-8")
    files["good_md"].write_text("# Harvest\n\n" + GOOD[1], encoding="utf-8")
    files["empty"].write_bytes(b"")
    files["blank"].write_text(" \n\t\n", encoding="utf-8")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    files["oversized"].write_text("word " * 3000, encoding="utf-8")
    files["cp1251"].write_bytes("Привет, мир. Это текст в кодировке cp1251.".encode("cp1251"))
    lines = [
        json.dumps({"id": "a1", "text": "A valid JSON line about the monument ceremony held "
                    "in the capital on Sunday.", "published": "2026-06-01"}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "a2", "title": "no text"}),
        json.dumps({"id": "a3", "text": "Another good line on the new train timetable.",
                    "published": "not a date"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a4", "text": "A last good line reporting the football results of "
                    "the weekend.", "published": "2026-06-02T10:00:00Z", "source": "Wire"}),
    ]
    files["jsonl"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


def test_bad_batch_keeps_good_documents(tmp_path: Path, db: str) -> None:
    files = _batch(tmp_path / "batch")
    code, out = cli_json(db, "ingest", str(tmp_path / "batch"), str(tmp_path / "missing.txt"),
                         "http://127.0.0.1:9/unreachable", "--allow-private", "--max-bytes",
                         "10000", "--timeout", "2")
    assert code == 1
    assert isinstance(out, dict)
    assert out["added"] == 4  # good.txt, good.md, and lines a1 and a4
    failed = {f["input"]: f["error"] for f in out["failed"]}
    assert "is empty" in failed[str(files["empty"])]
    assert "no text left" in failed[str(files["blank"])]
    assert "binary" in failed[str(files["binary"])]
    assert "over the limit" in failed[str(files["oversized"])]
    assert "UTF-8" in failed[str(files["cp1251"])] and "iconv" in failed[str(files["cp1251"])]
    assert "invalid JSON" in failed[f"{files['jsonl']}:2"]
    assert "text" in failed[f"{files['jsonl']}:3"]
    assert "not an ISO 8601 date" in failed[f"{files['jsonl']}:4"]
    assert "JSON object" in failed[f"{files['jsonl']}:5"]
    assert "no such file" in failed[str(tmp_path / "missing.txt")]
    assert "cannot fetch" in failed["http://127.0.0.1:9/unreachable"]
    assert len(failed) == 11

    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT external_id, published FROM documents")).all()
        assert conn.execute(text("SELECT count(*) FROM sentences")).scalar_one() >= 4
    assert {r[0] for r in rows} == {None, "a1", "a4"}
    assert {r[1] for r in rows if r[1]} == {"2026-06-01", "2026-06-02"}


def test_reingest_adds_nothing(tmp_path: Path, db: str) -> None:
    _batch(tmp_path / "batch")
    args = ("ingest", str(tmp_path / "batch"), "--max-bytes", "10000")
    first_code, first = cli_json(db, *args)
    second_code, second = cli_json(db, *args)
    assert isinstance(first, dict) and isinstance(second, dict)
    assert first["added"] == 4 and first_code == 1
    assert second["added"] == 0
    assert second["duplicates"] == 4
    assert second_code == 1  # the bad files are still bad


def test_clean_batch_exits_zero(tmp_path: Path, db: str) -> None:
    path = tmp_path / "ok.txt"
    path.write_text(GOOD[0], encoding="utf-8")
    code, out = cli_json(db, "ingest", str(path))
    assert code == 0
    assert out == {"added": 1, "duplicates": 0, "near_duplicates": 0, "failed": []}


def test_same_text_differently_spaced_is_a_duplicate(tmp_path: Path, db: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD[0], encoding="utf-8")
    (tmp_path / "b.txt").write_text("  " + GOOD[0].upper().replace(" ", "   ") + "\n",
                                    encoding="utf-8")
    _code, out = cli_json(db, "ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert isinstance(out, dict)
    assert (out["added"], out["duplicates"]) == (1, 1)


def test_killed_ingest_leaves_a_consistent_store(tmp_path: Path, db: str) -> None:
    rng = random.Random(7)
    corpus = tmp_path / "big.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for i in range(3000):
            words = " ".join(f"w{rng.randrange(5000)}" for _ in range(60))
            handle.write(json.dumps({"id": f"d{i}", "text": f"Article {i}. {words}."}) + "\n")
    cmd = [sys.executable, "-m", "narrascope.cli", "--db", db, "ingest", str(corpus)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    engine = create_engine(f"sqlite:///{db}")
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and stored < 50:
        time.sleep(0.05)
        try:
            with engine.connect() as conn:
                stored = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
        except Exception:  # noqa: S112 - the table may not exist yet
            continue
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        # every stored document is whole: it has its sentences
        orphans = conn.execute(text(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM sentences s WHERE s.document_id = d.id)")).scalar_one()
        partial = conn.execute(text("SELECT count(*) FROM documents")).scalar_one()
    assert orphans == 0
    assert 0 < partial < 3000
    code, out = cli_json(db, "ingest", str(corpus))
    assert code == 0
    assert isinstance(out, dict)
    assert out["added"] + out["duplicates"] == 3000
    assert out["duplicates"] == partial
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar_one() == 3000


def test_html_file_in_a_declared_charset(tmp_path: Path, db: str) -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Заголовок</title>'
        '<meta property="article:published_time" content="2026-04-02"></head><body><article>'
        "<h1>Заголовок</h1><p>Министерство культуры опубликовало перечень приоритетных тем "
        "для государственной поддержки кинопроизводства на следующий год.</p><p>В перечень "
        "вошли фильмы о героизме участников боевых действий и о роли казачества.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1251"))
    code, out = cli_json(db, "ingest", str(path))
    assert code == 0, out
    with create_engine(f"sqlite:///{db}").connect() as conn:
        row = conn.execute(text("SELECT title, language, published, text FROM documents")).one()
    assert row.title == "Заголовок"
    assert row.language == "ru"
    assert row.published == "2026-04-02"
    assert "казачества" in row.text
