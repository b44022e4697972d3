"""Wiring of the story tasks into `narrascope eval`: gold and input files for a split, the
scorer, and the predictor (the online tracker with the shipped decision model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.eval import stories as S
from narrascope.eval.clustering import cluster_scores, read_assignments

# ECB+ test topics (36-45) are kept back from the public copy; a copy that has them can score
# them (nothing is tuned on them: the shipped cuts and weights come from train)
STORY_SPLITS = {"stories-ecbplus": ("train", "dev", "test"), "stories-allsides": ("stream",)}
ECBPLUS_FILE = ("ecbplus", "ecbplus_docs.jsonl")
ALLSIDES_FILE = ("allsides_stories", "stream_2021_articles.jsonl")


def _check_split(task: str, split: str) -> None:
    if split not in STORY_SPLITS[task]:
        raise NarrascopeError(f"split {split!r}: task {task} has {', '.join(STORY_SPLITS[task])}")


def split_docs(task: str, data_dir: Path, split: str) -> list[S.StreamDoc]:
    """The documents of a split, in the order the tracker gets them."""
    _check_split(task, split)
    if task == "stories-ecbplus":
        path = data_dir.joinpath(*ECBPLUS_FILE)
        docs = S.read_ecbplus(path, split)
        if not docs:
            raise NarrascopeError(f"{path}: no documents of split {split!r} (the public copy keeps "
                                  "the test topics back); give them with `eval predict --input`")
        return S.shuffled(docs)
    return S.read_allsides(data_dir.joinpath(*ALLSIDES_FILE))


def write_gold(docs: list[S.StreamDoc], path: Path) -> Path:
    path.write_text("".join(f"{d.key}\t{d.gold}\n" for d in docs), encoding="utf-8")
    return path


def write_input(docs: list[S.StreamDoc], path: Path) -> Path:
    """The split as a JSON Lines input file in the tracker's order (ECB+ field names)."""
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            row = {"doc_id": d.key, "text": d.text, "title": d.title,
                   "published": d.day.isoformat() if d.day else None}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def read_input(path: Path) -> list[S.StreamDoc]:
    """Any JSON Lines file with `doc_id` (or `article_id`) and `text` (or `lead`), optional
    `title` and `published`/`story_date`; kept in file order."""
    out = []
    for n, row in S._rows(path):
        key = row.get("doc_id", row.get("article_id"))
        text = row.get("text", row.get("lead"))
        if not isinstance(key, str) or not key or not isinstance(text, str):
            raise NarrascopeError(f"{path}:{n}: each line needs a string doc_id and text")
        title = row.get("title")
        out.append(S.StreamDoc(key, text, None, title if isinstance(title, str) else None,
                               S._day(row.get("published", row.get("story_date")))))
    if not out:
        raise NarrascopeError(f"{path}: no documents")
    return out


def score_file(gold: Path, pred: Path) -> dict[str, Any]:
    g = read_assignments(gold.read_text(encoding="utf-8"), str(gold))
    p = read_assignments(pred.read_text(encoding="utf-8"), str(pred))
    return cluster_scores(g, p)


def predict_file(task: str, input_path: Path, out: Path) -> int:
    from narrascope.embed import Encoder
    from narrascope.track.decide import Decider

    docs = read_input(input_path)
    if len({d.key for d in docs}) != len(docs):
        raise NarrascopeError(f"{input_path}: document ids repeat")
    vectors = S.doc_vectors(docs, Encoder().encode)
    found = S.cluster_batch(docs, vectors, Decider.default())
    out.write_text("".join(f"{a.key}\t{a.story_id}\n" for a in found), encoding="utf-8")
    return len(found)
