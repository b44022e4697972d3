"""The bundled demo: an illustrative, wholly fictional corpus, its sources and codebook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrascope.analyze import AnalyzeReport
from narrascope.config import Settings
from narrascope.model import IngestReport

DEMO_DIR = Path(__file__).resolve().parent
CORPUS = DEMO_DIR / "corpus.jsonl"
SOURCES = DEMO_DIR / "sources.toml"
CODEBOOK = DEMO_DIR / "codebook.toml"


@dataclass
class DemoResult:
    db_path: Path
    ingest: IngestReport
    analysis: AnalyzeReport
    report: dict[str, Path]


def run_demo(out_dir: Path, show_progress: bool | None = None) -> DemoResult:
    """A fresh database in `out_dir` from the demo corpus, analysed, and its report."""
    from narrascope import pipeline

    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "narrascope.db"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    ctx = pipeline.Context.open(Settings(db=str(db_path)), show_progress)
    try:
        ingested = pipeline.ingest(ctx, [str(CORPUS)], sources_file=SOURCES)
        analysed = pipeline.analyze(ctx, [CODEBOOK])
        paths = pipeline.report(ctx, out_dir)
    finally:
        ctx.store.close()
    return DemoResult(db_path, ingested, analysed, paths)
