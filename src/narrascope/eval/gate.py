"""The quality gate: every shipped task model declares, next to its model card, the dev scores it
must keep; CI re-measures them with `eval run` and fails below a floor.

A model declares its floors in its JSON artifact (or a `*.floors.json` beside its card) as
``"floors": [{"task": "ptc-si", "split": "dev", "lang": null, "metric": "f1", "floor": 0.42}]``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from narrascope.config import PACKAGE_DIR


@dataclass(frozen=True)
class Floor:
    task: str
    split: str
    lang: str | None
    metric: str
    floor: float
    declared_in: str


def declared_floors(model_dir: Path = PACKAGE_DIR / "models") -> list[Floor]:
    found = []
    for path in sorted(model_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        for f in data.get("floors", []):
            found.append(Floor(f["task"], f.get("split", "dev"), f.get("lang"), f["metric"],
                               float(f["floor"]), path.name))
    return found
