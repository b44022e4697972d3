"""The roles-real task: our own annotations of real state media (issue #14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.config import Settings
from narrascope.eval.roles_real import (
    FOLDER,
    LANGUAGES,
    load_documents,
    score_file,
    split_of,
)


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_score_counts_unfound_and_uncast_actors_as_wrong(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.jsonl", [
        {"id": "a", "language": "en", "actors": [
            {"name": "X", "start": 0, "end": 4, "role": "Protagonist"},
            {"name": "Y", "start": 10, "end": 14, "role": "Antagonist"},
            {"name": "Z", "start": 20, "end": 24, "role": "Innocent"}]},
        {"id": "b", "language": "ru", "actors": [
            {"name": "W", "start": 5, "end": 9, "role": "Antagonist"}]}])
    pred = _write(tmp_path / "pred.jsonl", [
        {"id": "a", "entities": [
            {"name": "X", "mentions": [[0, 4], [30, 34]], "role": "Protagonist", "score": 0.9},
            # a body's name around the actor loses to the actor's own tighter mention
            {"name": "Body of Y", "mentions": [[2, 16]], "role": None, "score": None},
            {"name": "Y", "mentions": [[10, 14]], "role": "Antagonist", "score": 0.6}]},
        {"id": "b", "entities": [
            {"name": "W", "mentions": [[5, 9]], "role": None, "score": None}]}])
    scores = score_file(gold, pred)
    assert scores["en"]["main_role_accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["en"]["found"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["ru"]["main_role_accuracy"] == 0.0 and scores["ru"]["found"] == 1.0
    assert scores["min_language_accuracy"] == 0.0
    assert scores["all"]["actors"] == 4
    assert sum(b["n"] for b in scores["calibration"]) == 2


def test_annotations_follow_the_guideline() -> None:
    rows = [json.loads(line) for path in sorted(FOLDER.glob("annotations-*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_language: dict[str, int] = {}
    for row in rows:
        by_language[row["language"]] = by_language.get(row["language"], 0) + 1
        doc = row["doc"]
        key = f"{doc['key']}:{doc['start']}" if "start" in doc else doc["key"]
        assert row["split"] == split_of(key)
        for actor in row["actors"]:
            assert actor["role"] in ("Protagonist", "Antagonist", "Innocent")
            assert 0 <= actor["start"] < actor["end"]
    assert set(by_language) == set(LANGUAGES)
    assert by_language["en"] >= 40 and by_language["ko"] >= 15 and by_language["ru"] >= 15
    own = (FOLDER / "own_ru.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(own) >= 15  # our own texts; the public ones are read from the data folder


def test_offsets_point_at_the_annotated_names() -> None:
    data = Settings().data_dir
    if not (data / "kcna_stiles").is_dir():
        pytest.skip("the public data is not here")
    documents = load_documents(data)
    assert len(documents) >= 70
    for doc in documents:
        for actor in doc.actors:
            surface = doc.text[actor.start:actor.end]
            assert surface.strip() == surface and surface, (doc.id, actor)
