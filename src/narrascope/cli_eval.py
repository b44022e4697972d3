"""`narrascope eval ...`: the measuring instrument on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from narrascope.cli_support import run_safely
from narrascope.config import Settings
from narrascope.errors import NarrascopeError

TASK_HELP = "ptc-si, ptc-tc, ru-si, t10-st1 or t10-st2"


def _task(name: str) -> Any:
    from narrascope.eval.tasks import get_task

    return get_task(name)


def _echo_metrics(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result.items():
        if not isinstance(value, dict):
            click.echo(f"{key}: {value}")
    for key, value in result.get("metrics", {}).items():
        if not isinstance(value, dict):
            click.echo(f"{key}: {value}")


@click.group("eval")
def eval_group() -> None:
    """Measure narrascope on the public datasets with the tasks' official metrics."""


@eval_group.command("score")
@click.option("--task", "task_name", required=True, help=TASK_HELP)
@click.option("--gold", type=click.Path(path_type=Path),
              help="Gold file in the task's official format (or use --split/--lang).")
@click.option("--split", help="Take the gold of this public split (train or dev).")
@click.option("--lang", help="Language of a SemEval-2025 T10 split (BG, EN, HI, PT, RU).")
@click.option("--pred", type=click.Path(path_type=Path), required=True,
              help="Prediction file in the task's official format.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def score_cmd(task_name: str, gold: Path | None, split: str | None, lang: str | None,
              pred: Path, as_json: bool) -> None:
    """Score a prediction file against gold with the task's official metric."""
    from narrascope.eval.run import gold_file, score

    def job() -> None:
        task, data_dir = _task(task_name), Settings().data_dir
        if gold is None and split is None:
            raise NarrascopeError("give --gold FILE, or --split (and --lang) to use public gold")
        gold_path = gold or gold_file(task, data_dir, split or "", lang)
        _echo_metrics(score(task, gold_path, pred, data_dir), as_json)

    run_safely(job)


@eval_group.command("predict")
@click.option("--task", "task_name", required=True, help=TASK_HELP)
@click.option("--input", "input_path", type=click.Path(path_type=Path), required=True,
              help="Folder of articles (or the task's input file).")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="Where to write predictions in the task's official format.")
@click.option("--mentions", type=click.Path(path_type=Path),
              help="t10-st1: the entity-mentions file to assign roles to.")
def predict_cmd(task_name: str, input_path: Path, out: Path, mentions: Path | None) -> None:
    """Predict with the shipped model for any folder of articles, in the official format."""
    from narrascope.eval.run import predict

    def job() -> None:
        made = predict(_task(task_name), input_path, out, mentions)
        click.echo(f"{made.documents} documents; predictions written to {made.path}")

    run_safely(job)


@eval_group.command("run")
@click.option("--task", "task_name", required=True, help=TASK_HELP)
@click.option("--split", default=None,
              help="train or dev [default: dev; `stream` for stories-allsides].")
@click.option("--lang", help="Language of a SemEval-2025 T10 task (BG, EN, HI, PT, RU).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def run_cmd(task_name: str, split: str | None, lang: str | None, as_json: bool) -> None:
    """Predict on a public split with the shipped model and score it officially."""
    from narrascope.eval.run import run

    def job() -> dict[str, Any]:
        task = _task(task_name)
        return run(task, Settings().data_dir, split or task.default_split, lang)

    run_safely(lambda: _echo_metrics(job(), as_json))


@eval_group.command("tasks")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def tasks_cmd(as_json: bool) -> None:
    """List the evaluation tasks, their metrics, and whether a shipped model predicts for them."""
    from narrascope.eval.run import available_predictors
    from narrascope.eval.tasks import TASKS

    predictors = available_predictors()
    if as_json:
        click.echo(json.dumps([
            {"task": t.name, "description": t.description, "metrics": list(t.metrics),
             "languages": list(t.languages), "model": t.name in predictors}
            for t in TASKS.values()], indent=2))
        return
    for t in TASKS.values():
        model = "model shipped" if t.name in predictors else f"no model yet, {t.model_issue}"
        click.echo(f"{t.name:8} {', '.join(t.metrics)}  ({model})  {t.description}")


@eval_group.command("table")
@click.option("--write", "write_path", type=click.Path(path_type=Path),
              help="Replace the table in this Markdown file (e.g. BENCHMARKS.md).")
def table_cmd(write_path: Path | None) -> None:
    """The benchmark table: our dev score per task and language next to published results."""
    from narrascope.eval.table import table, write_table

    def job() -> None:
        data_dir = Settings().data_dir
        if write_path:
            write_table(data_dir, write_path)
            click.echo(f"table written to {write_path}")
        else:
            click.echo(table(data_dir))

    run_safely(job)
