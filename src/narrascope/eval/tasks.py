"""The evaluation tasks: what each measures, on which public data, with which official scorer, and
which shipped model (if any) predicts for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError

Scorer = Callable[[Path, Path, Path], dict[str, Any]]  # (gold, pred, data_dir) -> metrics


@dataclass(frozen=True)
class Published:
    """A published result to compare with (facts from papers, with their source)."""

    metric: str
    value: float
    system: str
    note: str = ""
    lang: str | None = None  # the language it was measured on; None: the task as a whole


@dataclass(frozen=True)
class Task:
    name: str
    description: str
    dataset: str                      # folder under the data directory
    metrics: tuple[str, ...]          # the headline keys of `eval score --json`
    scorer: Scorer
    languages: tuple[str, ...] = ()   # empty: a single-language task
    model_issue: str = ""             # where the model that will predict for it is planned
    published: tuple[Published, ...] = field(default_factory=tuple)
    default_split: str = "dev"        # what `eval run` and the benchmark table measure


def _score_ptc_si(gold: Path, pred: Path, _data: Path) -> dict[str, Any]:
    from narrascope.eval import ptc

    return ptc.score_si(ptc.read_si(gold), ptc.read_si(pred))


def _score_ptc_tc(gold: Path, pred: Path, _data: Path) -> dict[str, Any]:
    from narrascope.eval import ptc

    return ptc.score_tc(ptc.read_tc(gold), ptc.read_tc(pred))


def _score_ru_si(gold: Path, pred: Path, _data: Path) -> dict[str, Any]:
    from narrascope.eval import ptc

    # ru_zen_prop's dev gold is a labelled TC template (4 columns); its spans are the SI gold.
    first = next((line for line in gold.read_text(encoding="utf-8-sig").splitlines()
                  if line.strip()), "")
    spans = ptc.read_tc(gold) if len(first.split("\t")) >= 4 else ptc.read_si(gold)
    return ptc.score_si(spans, ptc.read_si(pred))


def _score_t10_st1(gold: Path, pred: Path, _data: Path) -> dict[str, Any]:
    from narrascope.eval import t10

    return t10.score_st1(t10.read_st1(gold), t10.read_st1(pred))


def _score_t10_st2(gold: Path, pred: Path, data: Path) -> dict[str, Any]:
    from narrascope.eval import t10

    narratives, subnarratives = t10.class_lists(data)
    return t10.score_st2(t10.read_st2(gold), t10.read_st2(pred), narratives, subnarratives)


def _score_roles_real(gold: Path, pred: Path, _data: Path) -> dict[str, Any]:
    from narrascope.eval.roles_real import score_file

    return score_file(gold, pred)


def _score_stories(gold: Path, pred: Path, _data: Path) -> dict[str, Any]:
    from narrascope.eval.stories_task import score_file

    return score_file(gold, pred)


STORY_METRICS = ("bcubed_precision", "bcubed_recall", "bcubed_f1", "pairwise_f1")
T10_LANGUAGES = ("BG", "EN", "HI", "PT", "RU")

TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task("ptc-si", "PTC (SemEval-2020 T11) span identification, English", "ptc_semeval2020t11",
             ("precision", "recall", "f1"), _score_ptc_si, model_issue="#4",
             published=(Published("f1", 0.5155, "Hitachi (SemEval-2020 T11 winner)",
                                  "test set"),)),
        Task("ptc-tc", "PTC (SemEval-2020 T11) technique classification, English",
             "ptc_semeval2020t11", ("micro_f1",), _score_ptc_tc, model_issue="#4",
             published=(Published("micro_f1", 0.6207, "ApplicaAI (SemEval-2020 T11 winner)",
                                  "test set"),)),
        Task("ru-si", "ru_zen_prop span identification, Russian", "ru_zen_prop",
             ("precision", "recall", "f1"), _score_ru_si, model_issue="#4"),
        Task("t10-st1", "SemEval-2025 T10 subtask 1, entity roles", "semeval2025t10",
             ("emr", "main_role_accuracy", "fine_f1"), _score_t10_st1, T10_LANGUAGES,
             model_issue="#5",
             published=(Published("emr", 0.41, "DEMON (fine-tuned Llama 3)",
                                  "test, mean of 5 languages; main-role accuracy 0.84"),)),
        Task("t10-st2", "SemEval-2025 T10 subtask 2, narratives and sub-narratives",
             "semeval2025t10", ("f1_coarse", "f1_fine", "f1_coarse_std", "f1_fine_std"),
             _score_t10_st2, T10_LANGUAGES, model_issue="#5",
             published=(Published("f1_fine", 0.43, "COGNAC (LLM prompting, 2nd at deadline)",
                                  "test; F1@coarse 0.55", lang="EN"),)),
        Task("roles-real", "entity roles on real state media (KCNA, Rodong Sinmun, Korean New "
             "Year editorials, the project's own RIA/TASS-style Russian texts), annotated by the "
             "project: main-role accuracy over the annotated actors, per language", ".",
             ("main_role_accuracy", "min_language_accuracy"), _score_roles_real,
             model_issue="#14"),
        Task("stories-ecbplus", "ECB+ documents of a split clustered into stories (gold: the "
             "seminal event, `subtopic`), fed online in a fixed shuffled order", "ecbplus",
             STORY_METRICS, _score_stories, model_issue="#6"),
        Task("stories-allsides", "AllSides 2021 stream, online in date order, against the gold "
             "stories (split `stream`)", "allsides_stories", STORY_METRICS, _score_stories,
             model_issue="#6", default_split="stream",
             published=(Published("pairwise_f1", 0.94, "Miranda et al. 2018 (EMNLP)",
                                  "a different corpus (English news stream)"),)),
    )
}


def get_task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise NarrascopeError(f"unknown task {name!r}; tasks: {', '.join(TASKS)}") from None
