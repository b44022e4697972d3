"""Our official-metric scorers agree with an independent implementation (scikit-learn) on
random prediction files, to far better than 4 decimal places."""

from __future__ import annotations

import random

import numpy as np
import pytest

from narrascope.eval.t10 import Mention, NarrativeLabels, score_st1, score_st2

sklearn_metrics = pytest.importorskip("sklearn.metrics")
preprocessing = pytest.importorskip("sklearn.preprocessing")

NARRATIVES = [f"URW: N{i}" for i in range(8)] + ["Other"]
SUBNARRATIVES = [f"URW: N{i}: S{j}" for i in range(8) for j in range(3)] + ["Other"]
FINE = ["Guardian", "Martyr", "Virtuous", "Instigator", "Tyrant", "Deceiver", "Victim"]
MAIN = {"Guardian": "Protagonist", "Martyr": "Protagonist", "Virtuous": "Protagonist",
        "Instigator": "Antagonist", "Tyrant": "Antagonist", "Deceiver": "Antagonist",
        "Victim": "Innocent"}


def _labels(rng: random.Random, pool: list[str]) -> tuple[str, ...]:
    picked = rng.sample(pool, rng.randint(0, 3))
    if rng.random() < 0.2:
        picked.append("URW: not in the class list")
    return tuple(picked)


def _binarize(rows: list[tuple[str, ...]], classes: list[str]) -> np.ndarray:
    mlb = preprocessing.MultiLabelBinarizer(classes=classes)
    return np.asarray(mlb.fit_transform([[x for x in set(r) if x in classes] for r in rows]))


@pytest.mark.parametrize("seed", range(5))
def test_st2_matches_sklearn_samples_f1(seed: int) -> None:
    rng = random.Random(seed)
    gold = [NarrativeLabels(f"d{i}", _labels(rng, NARRATIVES), _labels(rng, SUBNARRATIVES))
            for i in range(60)]
    pred = [NarrativeLabels(g.article_id, _labels(rng, NARRATIVES), _labels(rng, SUBNARRATIVES))
            for g in gold[:55]]  # five gold documents without a prediction
    ours = score_st2(gold, pred, NARRATIVES, SUBNARRATIVES)
    by_id = {p.article_id: p for p in pred}
    for key, classes, field in (("f1_coarse", NARRATIVES, "narratives"),
                                ("f1_fine", SUBNARRATIVES, "subnarratives")):
        g = _binarize([getattr(d, field) for d in gold], classes)
        p = _binarize([getattr(by_id[d.article_id], field) if d.article_id in by_id else ()
                       for d in gold], classes)
        reference = sklearn_metrics.f1_score(g, p, average="samples", zero_division=0)
        per_doc = [sklearn_metrics.f1_score(g[i : i + 1], p[i : i + 1], average="samples",
                                            zero_division=0) for i in range(len(g))]
        assert ours[key] == pytest.approx(reference, abs=1e-9)
        assert ours[f"{key}_std"] == pytest.approx(float(np.std(per_doc)), abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_st1_matches_an_independent_count(seed: int) -> None:
    rng = random.Random(seed)
    gold, pred = [], []
    for i in range(80):
        fine = tuple(rng.sample(FINE, rng.randint(1, 2)))
        gold.append(Mention("a.txt", f"m{i}", i * 10, i * 10 + 4, MAIN[fine[0]], fine))
        guess = tuple(rng.sample(fine, len(fine))) if rng.random() < 0.5 else tuple(
            rng.sample(FINE, rng.randint(1, 2)))
        pred.append(Mention("a.txt", f"m{i}", i * 10, i * 10 + 4, MAIN[guess[0]], guess))
    ours = score_st1(gold, pred)
    emr = np.mean([g.main_role == p.main_role and set(g.fine_roles) == set(p.fine_roles)
                   for g, p in zip(gold, pred, strict=True)])
    accuracy = np.mean([g.main_role == p.main_role for g, p in zip(gold, pred, strict=True)])
    g = _binarize([m.fine_roles for m in gold], FINE)
    p = _binarize([m.fine_roles for m in pred], FINE)
    assert ours["emr"] == pytest.approx(float(emr), abs=1e-9)
    assert ours["main_role_accuracy"] == pytest.approx(float(accuracy), abs=1e-9)
    for ours_key, fn in (("fine_precision", sklearn_metrics.precision_score),
                         ("fine_recall", sklearn_metrics.recall_score),
                         ("fine_f1", sklearn_metrics.f1_score)):
        assert ours[ours_key] == pytest.approx(fn(g, p, average="micro", zero_division=1),
                                               abs=1e-9)
