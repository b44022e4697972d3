"""Ingest + analyze throughput and peak memory, on the demo corpus and on KCNA articles.

    python benchmarks/bench_pipeline.py [--kcna N] [--json]

Each run is a fresh subprocess with a fresh SQLite file, so peak memory (ru_maxrss) is the run's
own. KCNA articles are read from $NARRASCOPE_DATA/kcna_stiles into a temporary JSONL file
(never into the repository).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from narrascope.config import Settings
from narrascope.demo import CODEBOOK, CORPUS, SOURCES


def _child(db: str, corpus: str, sources: str | None) -> None:
    from narrascope import pipeline

    ctx = pipeline.Context.open(Settings(db=db), show_progress=False)
    started = time.perf_counter()
    ingested = pipeline.ingest(ctx, [corpus], sources_file=Path(sources) if sources else None)
    middle = time.perf_counter()
    analysed = pipeline.analyze(ctx, [CODEBOOK])
    ended = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "documents": ingested.added, "duplicates": ingested.duplicates,
        "near_duplicates": ingested.near_duplicates, "failed": len(ingested.failed),
        "analysed": analysed.documents, "ingest_seconds": round(middle - started, 2),
        "analyze_seconds": round(ended - middle, 2), "seconds": round(ended - started, 2),
        "docs_per_second": round(ingested.added / (ended - started), 1),
        "peak_memory_mb": round(peak_mb), "findings": analysed.annotations,
    }))


def kcna_jsonl(data_dir: Path, limit: int, out: Path) -> int:
    records = json.loads((data_dir / "kcna_stiles" / "headlines_2024-11-11.json").read_text())
    seen, n = set(), 0
    with out.open("w", encoding="utf-8") as handle:
        for r in records:
            if not r.get("story_text") or r["link"] in seen:
                continue
            seen.add(r["link"])
            handle.write(json.dumps({
                "id": r["link"], "title": r["headline"], "text": r["story_text"],
                "published": r["date_str"], "url": r["link"], "source": "KCNA",
                "language": "en"}, ensure_ascii=False) + "\n")
            n += 1
            if n >= limit:
                break
    return n


def run(corpus: Path, sources: Path | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--child", str(Path(tmp) / "bench.db"), str(corpus)]
        if sources:
            cmd.append(str(sources))
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kcna", type=int, default=2000, help="KCNA articles (0: skip)")
    args = parser.parse_args()
    results = {"demo": run(CORPUS, SOURCES)}
    data_dir = Settings().data_dir
    if args.kcna and (data_dir / "kcna_stiles").is_dir():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "kcna.jsonl"
            kcna_jsonl(data_dir, args.kcna, path)
            results["kcna"] = run(path, None)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
