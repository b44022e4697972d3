"""Ingest + analyze throughput and peak memory, on the demo corpus and on KCNA articles.

    python benchmarks/bench_pipeline.py [--demo-only]

Each run is a fresh subprocess with a fresh SQLite file, so peak memory (ru_maxrss) is the run's
own. Three corpora: the bundled demo; every KCNA record with text ($NARRASCOPE_DATA/kcna_stiles,
1,840 records of which many repeat a story under another link); and 2,000 distinct real articles
(KCNA, Rodong Sinmun, SemEval-2025 T10 train in EN/RU/BG/PT). Public data is written to a
temporary JSONL file, never into the repository.
"""

from __future__ import annotations

import argparse
import itertools
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


def kcna_records(data_dir: Path) -> list[dict[str, str]]:
    """Every KCNA record with text, once per link (the same story often has several links)."""
    records = json.loads((data_dir / "kcna_stiles" / "headlines_2024-11-11.json").read_text())
    seen: set[str] = set()
    out = []
    for r in records:
        if r.get("story_text") and r["link"] not in seen:
            seen.add(r["link"])
            out.append({"id": r["link"], "title": r["headline"], "text": r["story_text"],
                        "published": r["date_str"], "url": r["link"], "source": "KCNA"})
    return out


def rodong_records(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / "rodong_sinmun_frontpage" / "rodong_frontpage_en.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [{"id": r["url"], "title": r["title"], "text": "\n\n".join(r["paragraphs"]),
             "published": r["date"], "url": r["url"], "source": "Rodong Sinmun"} for r in rows]


def semeval_records(data_dir: Path) -> list[dict[str, str]]:
    """SemEval-2025 T10 train articles (EN, RU, BG, PT), interleaved by language."""
    root = data_dir / "semeval2025t10" / "train"
    per_lang = [sorted((root / lang / "raw-documents").glob("*.txt"))
                for lang in ("EN", "RU", "BG", "PT")]
    out = []
    for group in itertools.zip_longest(*per_lang):
        for path in filter(None, group):
            text = path.read_text(encoding="utf-8-sig")
            out.append({"id": path.name, "title": text.strip().split("\n", 1)[0][:200],
                        "text": text, "source": "SemEval-2025 T10"})
    return out


def write_jsonl(rows: list[dict[str, str]], out: Path) -> None:
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def real_2000(data_dir: Path) -> list[dict[str, str]]:
    """2,000 distinct real articles: KCNA's distinct texts, Rodong Sinmun, then SemEval T10."""
    seen: set[str] = set()
    out = []
    for row in [*kcna_records(data_dir), *rodong_records(data_dir), *semeval_records(data_dir)]:
        if row["text"] not in seen and len(out) < 2000:
            seen.add(row["text"])
            out.append(row)
    return out


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
    parser.add_argument("--demo-only", action="store_true", help="skip the public datasets")
    args = parser.parse_args()
    results = {"demo": run(CORPUS, SOURCES)}
    data_dir = Settings().data_dir
    if not args.demo_only and (data_dir / "kcna_stiles").is_dir():
        for name, rows in (("kcna", kcna_records(data_dir)), ("real-2000", real_2000(data_dir))):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"{name}.jsonl"
                write_jsonl(rows, path)
                results[name] = {"inputs": len(rows), **run(path, None)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
