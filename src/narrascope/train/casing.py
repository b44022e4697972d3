"""How often each English word is written in lower case inside a sentence, counted on public
English news (PTC train articles, SemEval-2025 Task 10 EN train documents, ECB+ train and dev
documents, AllSides leads). The entity finder uses it to tell a name ("Korea", "Choe") from a
common word written in title case ("Priority Tasks", "Film Production") without a hand list.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from narrascope.errors import NarrascopeError

ARTIFACT = "casing-en.json"
MIN_COUNT = 3
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘(\[—–]|\n)\s*$")


def _texts(data_dir: Path) -> Iterator[str]:
    ptc = data_dir / "ptc_semeval2020t11" / "train-articles"
    for path in sorted(ptc.glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    t10 = data_dir / "semeval2025t10" / "train" / "EN" / "raw-documents"
    for path in sorted(t10.glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    ecb = data_dir / "ecbplus" / "ecbplus_docs.jsonl"
    if ecb.is_file():
        for line in ecb.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            if doc.get("split") in ("train", "dev"):
                yield "\n".join(doc.get("sentences", []))
    for name in ("neus_train_articles.jsonl", "stream_2021_articles.jsonl"):
        path = data_dir / "allsides_stories" / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                yield str(json.loads(line).get("lead") or "")


def count_casing(texts: Iterator[str]) -> dict[str, list[int]]:
    """word (lower-cased) -> [lower-case count, capitalised count], sentence starts left out."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group()
            if _SENTENCE_START.search(text[max(0, m.start() - 3):m.start()]):
                continue
            key = word.lower()
            if word[0].islower():
                lower[key] += 1
            else:
                upper[key] += 1
    words = set(lower) | set(upper)
    return {w: [lower[w], upper[w]] for w in sorted(words) if lower[w] + upper[w] >= MIN_COUNT}


def train_casing(data_dir: Path, model_dir: Path) -> dict[str, int]:
    """Write ``casing-en.json``: each word's share of lower-case uses, rounded to 0.01."""
    if not (data_dir / "ptc_semeval2020t11").is_dir():
        raise NarrascopeError(f"no ptc_semeval2020t11/ under {data_dir}; set NARRASCOPE_DATA")
    counts = count_casing(_texts(data_dir))
    shares = {w: round(lo / (lo + up), 2) for w, (lo, up) in counts.items()}
    model_dir.mkdir(parents=True, exist_ok=True)
    payload = {"name": "casing-en", "version": "1", "min_count": MIN_COUNT,
               "lower_share": shares}
    (model_dir / ARTIFACT).write_text(json.dumps(payload, separators=(",", ":")) + "\n",
                                      encoding="utf-8")
    return {"words": len(shares)}
