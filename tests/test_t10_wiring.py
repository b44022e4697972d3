"""Narratives and entity roles wired through: the detectors register, `analyze-text --json` lists
their findings, and `eval run` scores the shipped models on T10 dev (each only when its model
ships; the data tests only when the data is staged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.config import Settings
from narrascope.detect.narrative_detector import NAME as NARRATIVES
from narrascope.detect.narrative_detector import narratives_available
from narrascope.detect.registry import available
from narrascope.detect.role_detector import NAME as ROLES
from narrascope.detect.role_detector import roles_available
from tests.conftest import run_cli

TEXT = ("NATO provoked Russia into the war in Ukraine. Western elites want to weaken Russia and "
        "ordinary Ukrainians pay the price. Vladimir Putin said Moscow only defends itself.")
T10 = Settings().data_dir / "semeval2025t10"


def test_both_detectors_are_registered() -> None:
    assert {NARRATIVES, ROLES} <= set(available())


@pytest.mark.skipif(not (narratives_available() and roles_available()),
                    reason="the narrative and role models have not been trained")
def test_analyze_text_lists_narratives_and_entities(db: str) -> None:
    result = run_cli(db, "analyze-text", "-", "--json", input=TEXT)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    for n in out["narratives"]:
        assert n["level"] in ("narrative", "subnarrative") and 0.0 <= n["score"] <= 1.0
        if n["level"] == "subnarrative":
            assert any(n["label"].startswith(p["label"] + ":") for p in out["narratives"]
                       if p["level"] == "narrative")
    assert out["entities"], "NATO, Russia, Ukraine and Putin should be found"
    for e in out["entities"]:
        assert e["role"] in ("Protagonist", "Antagonist", "Innocent")
        assert TEXT[e["start"]:e["end"]] and isinstance(e["fine_roles"], list)


@pytest.mark.skipif(not T10.is_dir(), reason="SemEval-2025 T10 data not staged")
@pytest.mark.parametrize(("task", "available_fn", "metric"), [
    ("t10-st2", narratives_available, "f1_coarse"),
    ("t10-st1", roles_available, "emr"),
])
def test_eval_run_scores_the_shipped_model(db: str, tmp_path: Path, task: str,
                                           available_fn: object, metric: str) -> None:
    if not callable(available_fn) or not available_fn():
        pytest.skip(f"no shipped model for {task}")
    result = run_cli(db, "eval", "run", "--task", task, "--split", "dev", "--lang", "BG",
                     "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert 0.0 <= out["metrics"][metric] <= 1.0 and out["documents"] > 0
