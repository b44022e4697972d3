"""`narrascope eval` on the command line: scoring, the no-model path, the benchmark table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.config import Settings
from narrascope.eval.run import available_predictors
from narrascope.eval.tasks import TASKS
from tests.conftest import run_cli

DATA = Settings().data_dir
needs_ptc = pytest.mark.skipif(not (DATA / "ptc_semeval2020t11").is_dir(),
                               reason="PTC data not staged")
needs_t10 = pytest.mark.skipif(not (DATA / "semeval2025t10").is_dir(),
                               reason="SemEval-2025 T10 data not staged")


def test_tasks_are_listed(db: str) -> None:
    result = run_cli(db, "eval", "tasks", "--json")
    assert result.exit_code == 0
    names = [t["task"] for t in json.loads(result.stdout)]
    assert names == ["ptc-si", "ptc-tc", "ru-si", "t10-st1", "t10-st2", "roles-real",
                     "stories-ecbplus", "stories-allsides"]


WITHOUT_MODEL = sorted(set(TASKS) - set(available_predictors()))


@pytest.mark.parametrize("task", WITHOUT_MODEL)
def test_run_and_predict_without_a_model_exit_2(task: str, db: str, tmp_path: Path) -> None:
    lang = ["--lang", "EN"] if task.startswith("t10") else []
    result = run_cli(db, "eval", "run", "--task", task, "--split", "dev", *lang, "--json")
    assert result.exit_code == 2
    assert "no shipped model" in result.output and "issue #" in result.output
    result = run_cli(db, "eval", "predict", "--task", task, "--input", str(tmp_path), "--out",
                     str(tmp_path / "pred.txt"))
    assert result.exit_code == 2
    assert "no shipped model" in result.output


def test_unknown_task_and_bad_split(db: str, tmp_path: Path) -> None:
    result = run_cli(db, "eval", "score", "--task", "nope", "--gold", "g", "--pred", "p")
    assert result.exit_code == 2 and "unknown task" in result.output
    result = run_cli(db, "eval", "score", "--task", "ptc-si", "--split", "test", "--pred", "p")
    assert result.exit_code == 2 and "test gold is not public" in result.output
    result = run_cli(db, "eval", "score", "--task", "ptc-si", "--gold", str(tmp_path / "none"),
                     "--pred", str(tmp_path / "none"))
    assert result.exit_code == 2 and "no such gold file" in result.output


def test_score_hand_made_files(db: str, tmp_path: Path) -> None:
    gold = tmp_path / "gold.labels"
    pred = tmp_path / "pred.labels"
    gold.write_text("1\t0\t10\n1\t20\t30\n", encoding="utf-8")
    pred.write_text("1\t0\t5\n", encoding="utf-8")
    result = run_cli(db, "eval", "score", "--task", "ptc-si", "--gold", str(gold), "--pred",
                     str(pred), "--json")
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    # P = (5/5) / 1 = 1; R = (5/10 + 0/10) / 2 = 0.25; F1 = 2 * 0.25 / 1.25 = 0.4
    assert metrics["precision"] == pytest.approx(1.0)
    assert metrics["recall"] == pytest.approx(0.25)
    assert metrics["f1"] == pytest.approx(0.4)


@needs_ptc
def test_public_gold_scores_perfectly_against_itself(db: str) -> None:
    for task, gold in (("ptc-si", "dev-task-si.labels"), ("ptc-tc", "dev-task-flc-tc.labels")):
        path = DATA / "ptc_semeval2020t11" / gold
        result = run_cli(db, "eval", "score", "--task", task, "--split", "dev", "--pred",
                         str(path), "--json")
        assert result.exit_code == 0, result.output
        metrics = json.loads(result.stdout)
        assert metrics["f1" if task == "ptc-si" else "micro_f1"] == pytest.approx(1.0)


@needs_t10
def test_t10_gold_against_itself(db: str) -> None:
    base = DATA / "semeval2025t10" / "dev" / "EN"
    result = run_cli(db, "eval", "score", "--task", "t10-st1", "--split", "dev", "--lang", "EN",
                     "--pred", str(base / "subtask-1-annotations.txt"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["emr"] == pytest.approx(1.0)
    result = run_cli(db, "eval", "score", "--task", "t10-st2", "--split", "dev", "--lang", "en",
                     "--pred", str(base / "subtask-2-annotations.txt"), "--json")
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)) >= {"f1_coarse", "f1_fine", "f1_coarse_std",
                                              "f1_fine_std"}


def test_table_lists_every_task_and_language(db: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRASCOPE_DATA", str(tmp_path / "no-data"))  # no model run: fast
    bench = tmp_path / "BENCH.md"
    bench.write_text("# Benchmarks\n\nintro\n", encoding="utf-8")
    for _ in range(2):  # the second write replaces the first
        assert run_cli(db, "eval", "table", "--write", str(bench)).exit_code == 0
    text = bench.read_text(encoding="utf-8")
    assert text.count("<!-- eval-table:start -->") == 1
    assert text.count("| t10-st2 |") == 5
    from narrascope.detect.narrative_detector import narratives_available

    ours = "data not staged" if narratives_available() else "no model yet (#5)"
    assert f"| t10-st2 | EN | {ours} | f1_fine 0.43" in text
    assert "f1 0.5155 (Hitachi" in text
    assert text.startswith("# Benchmarks\n\nintro")
