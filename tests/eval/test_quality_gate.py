"""CI's quality gate: each shipped task model keeps the dev scores its card promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.config import Settings
from narrascope.eval.gate import declared_floors
from narrascope.eval.run import available_predictors, run
from narrascope.eval.tasks import get_task

FLOORS = declared_floors()


@pytest.mark.parametrize("floor", FLOORS, ids=[f"{f.task}-{f.lang}-{f.metric}" for f in FLOORS])
def test_shipped_model_keeps_its_floor(floor) -> None:  # type: ignore[no-untyped-def]
    data = Settings().data_dir
    task = get_task(floor.task)
    if not (data / task.dataset).is_dir():
        pytest.skip(f"{task.dataset} not staged")
    result = run(task, data, floor.split, floor.lang)
    assert result["metrics"][floor.metric] >= floor.floor, floor


def test_every_task_model_declares_floors() -> None:
    declared = {f.task for f in FLOORS}
    assert set(available_predictors()) <= declared, "a shipped task model without a quality floor"


def test_floors_are_read_from_model_files(tmp_path: Path) -> None:
    (tmp_path / "m.json").write_text(json.dumps({"floors": [
        {"task": "ptc-si", "metric": "f1", "floor": 0.42},
        {"task": "t10-st2", "lang": "EN", "metric": "f1_fine", "floor": 0.3}]}))
    (tmp_path / "other.json").write_text("[1, 2]")
    floors = declared_floors(tmp_path)
    assert [(f.task, f.split, f.lang, f.floor) for f in floors] == [
        ("ptc-si", "dev", None, 0.42), ("t10-st2", "dev", "EN", 0.3)]
