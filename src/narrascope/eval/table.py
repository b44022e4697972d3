"""The benchmark table of BENCHMARKS.md: our dev scores next to published results."""

from __future__ import annotations

import re
from pathlib import Path

from narrascope.eval.run import available_predictors, run
from narrascope.eval.tasks import TASKS, Task

START = "<!-- eval-table:start -->"
END = "<!-- eval-table:end -->"


def _our_score(task: Task, data_dir: Path, lang: str | None) -> str:
    if task.name not in available_predictors():
        return f"no model yet ({task.model_issue})"
    if not (data_dir / task.dataset).is_dir():
        return "data not staged"
    metrics = run(task, data_dir, task.default_split, lang)["metrics"]
    return ", ".join(f"{m} {metrics[m]:.4f}" for m in task.metrics if m in metrics)


def _published(task: Task, lang: str | None) -> str:
    shown = [p for p in task.published if p.lang in (None, lang)]
    if not shown:
        return "—"
    return "; ".join(f"{p.metric} {p.value:.4g} ({p.system}; {p.note})" for p in shown)


def table(data_dir: Path) -> str:
    lines = [
        "| task | lang | our score (dev; the stream for stories-allsides) | published reference "
        "| command |",
        "|---|---|---|---|---|",
    ]
    for task in TASKS.values():
        for lang in task.languages or (None,):
            command = f"narrascope eval run --task {task.name} --split {task.default_split}" + (
                f" --lang {lang}" if lang else "")
            lines.append(f"| {task.name} | {lang or '—'} | {_our_score(task, data_dir, lang)} | "
                         f"{_published(task, lang)} | `{command} --json` |")
    return "\n".join(lines)


def write_table(data_dir: Path, path: Path) -> None:
    """Replace the table between the markers in `path` (appending a section if they are absent)."""
    block = f"{START}\n{table(data_dir)}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: block, text,
                      flags=re.DOTALL)
    else:
        heading = "## Task scores (`narrascope eval table --write BENCHMARKS.md`)"
        text = f"{text.rstrip()}\n\n{heading}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
