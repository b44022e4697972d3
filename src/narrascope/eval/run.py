"""`narrascope eval`: score prediction files, predict with a shipped model, or both on a split."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.eval.tasks import Task

SPLITS = ("train", "dev")


@dataclass(frozen=True)
class Prediction:
    """What a predictor wrote: the official-format file and how many documents it covered."""

    path: Path
    documents: int


# (task, input path, output file, mentions file or None) -> Prediction. Shipped models register
# here as they arrive (issues #4 and #5); a task without one has no entry.
Predictor = Callable[[Task, Path, Path, Path | None], Prediction]
PREDICTORS: dict[str, Predictor] = {}


def gold_file(task: Task, data_dir: Path, split: str, lang: str | None) -> Path:
    """The public gold file of a task's split, in the task's official single-file format."""
    if task.name == "roles-real":
        from narrascope.eval import roles_real

        folder = Path(tempfile.mkdtemp(prefix="narrascope-gold-"))
        return roles_real.write_gold(
            roles_real.load_documents(data_dir, split, _real_languages(lang)),
            folder / f"roles-real-{split}.gold.jsonl")
    if task.name.startswith("stories-"):
        from narrascope.eval.stories_task import split_docs, write_gold

        docs = split_docs(task.name, data_dir, split)
        folder = Path(tempfile.mkdtemp(prefix="narrascope-gold-"))
        return write_gold(docs, folder / f"{task.name}-{split}.gold.tsv")
    if split not in SPLITS:
        raise NarrascopeError(f"split {split!r}: use one of {', '.join(SPLITS)} (test gold is "
                              "not public, and the tool never tunes on it)")
    root = data_dir / task.dataset
    if task.languages:
        lang = (lang or "").upper()
        if lang not in task.languages:
            raise NarrascopeError(f"task {task.name} needs --lang, one of "
                                  f"{', '.join(task.languages)}")
        number = task.name.rsplit("st", 1)[1]
        path = root / split / lang / f"subtask-{number}-annotations.txt"
    elif task.name.startswith("ptc-"):
        kind = "si" if task.name == "ptc-si" else "flc-tc"
        path = root / f"{split}-task-{kind}.labels"
    else:  # ru_zen_prop
        path = root / ("train-task1-SI.labels" if split == "train"
                       else "dev-task-TC-template_labeled.out")
    if not path.is_file():
        raise NarrascopeError(f"{path}: not found; set NARRASCOPE_DATA to the folder that holds "
                              f"{task.dataset}/")
    return path


def _real_languages(lang: str | None) -> tuple[str, ...]:
    from narrascope.eval.roles_real import LANGUAGES

    if lang is None:
        return LANGUAGES
    if lang.lower() not in LANGUAGES:
        raise NarrascopeError(f"roles-real --lang {lang}: use one of {', '.join(LANGUAGES)}")
    return (lang.lower(),)


def read_folder(folder: Path, read: Callable[[Path], dict[str, str]], what: str
                ) -> dict[str, str]:
    """The documents of an input folder, with a clear error when it is missing or empty."""
    if not folder.is_dir():
        raise NarrascopeError(f"{folder}: not a folder of {what}")
    found = read(folder)
    if not found:
        raise NarrascopeError(f"{folder}: no {what} in it")
    return found


def score(task: Task, gold: Path, pred: Path, data_dir: Path) -> dict[str, Any]:
    for path, role in ((gold, "gold"), (pred, "prediction")):
        if not path.is_file():
            raise NarrascopeError(f"{path}: no such {role} file")
    return task.scorer(gold, pred, data_dir)


def available_predictors() -> dict[str, Predictor]:
    """The tasks a shipped model predicts for (registering the built-in ones on first use)."""
    from narrascope.eval.predictors import register_builtin

    register_builtin()
    return PREDICTORS


def predictor(task: Task) -> Predictor:
    found = available_predictors().get(task.name)
    if found is None:
        raise NarrascopeError(
            f"no shipped model predicts for {task.name} yet (it is planned in issue "
            f"{task.model_issue}); `narrascope eval score` scores prediction files from any system"
        )
    return found


def predict(task: Task, input_path: Path, out: Path, mentions: Path | None) -> Prediction:
    return predictor(task)(task, input_path, out, mentions)


def input_path(task: Task, data_dir: Path, split: str, lang: str | None) -> Path:
    """The folder (or file) of articles a split's predictions are made for."""
    root = data_dir / task.dataset
    if task.name == "roles-real":
        from narrascope.eval import roles_real

        folder = Path(tempfile.mkdtemp(prefix="narrascope-input-"))
        return roles_real.write_input(
            roles_real.load_documents(data_dir, split, _real_languages(lang)),
            folder / f"roles-real-{split}.jsonl")
    if task.name.startswith("stories-"):
        from narrascope.eval.stories_task import split_docs, write_input

        folder = Path(tempfile.mkdtemp(prefix="narrascope-input-"))
        return write_input(split_docs(task.name, data_dir, split),
                           folder / f"{task.name}-{split}.jsonl")
    if task.languages:
        number = task.name.rsplit("st", 1)[1]
        base = root / split / (lang or "").upper()
        return base / ("raw-documents" if split == "train" else f"subtask-{number}-documents")
    return root / f"{split}-articles"


def run(task: Task, data_dir: Path, split: str, lang: str | None) -> dict[str, Any]:
    """Predict on a public split with the shipped model and score it officially."""
    gold = gold_file(task, data_dir, split, lang)
    predict_fn = predictor(task)
    # the tasks that label given items get the gold file as their input template
    mentions = gold if task.name in ("t10-st1", "ptc-tc") else None
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        made = predict_fn(task, input_path(task, data_dir, split, lang), Path(tmp) / "pred",
                          mentions)
        seconds = time.perf_counter() - started
        metrics = score(task, gold, made.path, data_dir)
    return {
        "task": task.name, "split": split, "lang": lang.upper() if lang else None,
        "metrics": metrics, "documents": made.documents, "seconds": round(seconds, 2),
        "documents_per_second": round(made.documents / seconds, 1) if seconds else None,
    }
