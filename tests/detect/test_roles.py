"""The entity-role model: training end to end on a tiny synthetic corpus in the official layout,
prediction invariants, entity finding. Its dev-score floors are checked by
tests/eval/test_quality_gate.py through `narrascope eval run`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from narrascope.config import Settings
from narrascope.detect.roles import RoleModel, predict_mentions
from narrascope.errors import NarrascopeError
from narrascope.eval.t10 import Mention, t10_split
from narrascope.nlp.segment import split_sentences
from narrascope.train.roles import _Sparse, evaluate, fit_softmax, train_roles
from tests.fakes import HashEncoder

MODEL_DIR = Path(__file__).resolve().parents[2] / "src" / "narrascope" / "models"
ROLES_TSV = """main_role\tfine_grained_role
Protagonist\tGuardian
Protagonist\tPeacemaker
Antagonist\tInstigator
Antagonist\tDeceiver
Innocent\tVictim
"""
# (context with {} for the entity, main role, fine role)
CONTEXTS = (
    ("{} bravely defended the town and saved the children.", "Protagonist", "Guardian"),
    ("{} negotiated a ceasefire and brought peace talks.", "Protagonist", "Peacemaker"),
    ("{} ordered the attack and started the bloody war.", "Antagonist", "Instigator"),
    ("{} lied to everyone and spread fake propaganda.", "Antagonist", "Deceiver"),
    ("{} suffered terribly and lost their homes in the shelling.", "Innocent", "Victim"),
)

NAMES = ("Ivan Petrov", "Maria Lopes", "the Northern League", "Tom Baker", "Anna Berg",
         "the Green Party", "Karl Smit", "Olga Ivanova")
FILLER = "The weather was mild on Monday."


def _document(index: int) -> tuple[str, list[tuple[str, int, int, str, str]]]:
    """A title, then three sentences each casting one entity in a role; CRLF line ends."""
    lines, rows = [f"Report {index}", ""], []
    offset = len(lines[0]) + 2 + 2  # two CRLFs
    for k in range(3):
        name = NAMES[(index + 3 * k) % len(NAMES)]
        context, main, fine = CONTEXTS[(index + k) % len(CONTEXTS)]
        sentence = context.format(name[0].upper() + name[1:])
        rows.append((name[0].upper() + name[1:], offset, offset + len(name) - 1, main, fine))
        lines.append(sentence + " " + FILLER)
        offset += len(sentence) + 1 + len(FILLER) + 2
    return "\r\n".join(lines) + "\r\n", rows


def _write_split(root: Path, split: str, language: str, indices: range) -> None:
    base = root / "semeval2025t10" / split / language
    folders = ["raw-documents"] if split == "train" else ["subtask-1-documents",
                                                           "subtask-2-documents"]
    annotations = []
    for folder in folders:
        (base / folder).mkdir(parents=True, exist_ok=True)
    for i in indices:
        text, rows = _document(i)
        article_id = f"{language}_{i}.txt"
        for folder in folders:
            with (base / folder / article_id).open("w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        for mention, start, end, main, fine in rows:
            assert text[start:end + 1] == mention
            annotations.append(f"{article_id}\t{mention}\t{start}\t{end}\t{main}\t{fine}\n")
    (base / "subtask-1-annotations.txt").write_text("".join(annotations), encoding="utf-8")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:  # type: ignore[type-arg]
    root = tmp_path_factory.mktemp("t10")
    (root / "semeval2025t10" / "taxonomy").mkdir(parents=True)
    (root / "semeval2025t10" / "taxonomy" / "subtask1_roles.tsv").write_text(ROLES_TSV)
    _write_split(root, "train", "EN", range(40))
    _write_split(root, "dev", "EN", range(40, 50))
    model_dir = root / "models"
    metrics = train_roles(root, model_dir, encoder=HashEncoder(), languages=("EN",))
    return root, model_dir, metrics


def test_training_writes_artifacts_with_floors(trained: tuple[Path, Path, dict]) -> None:  # type: ignore[type-arg]
    _, model_dir, metrics = trained
    meta = json.loads((model_dir / "roles.json").read_text(encoding="utf-8"))
    assert meta["metrics"]["dev"]["EN"] == metrics["dev"]["EN"]
    assert {(f["task"], f["lang"], f["metric"]) for f in meta["floors"]} == {
        ("t10-st1", "EN", "emr"), ("t10-st1", "EN", "main_role_accuracy")}
    with np.load(model_dir / "roles.npz", allow_pickle=False) as npz:
        assert "main_dense" in npz.files
    # the contexts decide the roles: the synthetic dev set is learnable
    assert metrics["dev"]["EN"]["main_role_accuracy"] >= 0.8
    assert metrics["dev"]["EN"]["emr"] >= 0.6


def test_saved_model_scores_as_measured(trained: tuple[Path, Path, dict]) -> None:  # type: ignore[type-arg]
    root, model_dir, metrics = trained
    dev = evaluate(RoleModel.load(model_dir), root, "dev", ("EN",), HashEncoder())
    assert dev["EN"] == metrics["dev"]["EN"]


def test_training_is_reproducible(trained: tuple[Path, Path, dict], tmp_path: Path) -> None:  # type: ignore[type-arg]
    root, _, metrics = trained
    again = train_roles(root, tmp_path, encoder=HashEncoder(), languages=("EN",))
    assert again["dev"] == metrics["dev"]
    assert again["held_out"] == metrics["held_out"]


def test_predictions_keep_the_taxonomy_and_offsets(trained: tuple[Path, Path, dict]) -> None:  # type: ignore[type-arg]
    root, model_dir, _ = trained
    model, encoder = RoleModel.load(model_dir), HashEncoder()
    dev = t10_split(root, "dev", "EN")
    for article_id, text in dev.documents.items():
        sentences = split_sentences(text, "en")
        vectors = encoder.encode([s.slice(text) for s in sentences])
        spans = [(m.start, m.end + 1) for m in dev.mentions if m.article_id == article_id]
        for p in model.predict(text, "EN", spans, sentences, vectors, encoder):
            assert p.main_role in model.taxonomy
            assert p.fine_roles and all(f in model.taxonomy[p.main_role] for f, _ in p.fine_roles)
            assert 0 <= p.start < p.end <= len(text) and p.mention == text[p.start:p.end]
            assert p.evidence_start <= p.start < p.evidence_end
            assert 0.0 <= p.main_score <= 1.0


def test_official_format_round_trip(trained: tuple[Path, Path, dict]) -> None:  # type: ignore[type-arg]
    root, model_dir, _ = trained
    dev = t10_split(root, "dev", "EN")
    inputs = [Mention(m.article_id, m.text, m.start, m.end) for m in dev.mentions]
    pred = predict_mentions(RoleModel.load(model_dir), dev.documents, inputs, "EN",
                            HashEncoder())
    assert [(m.article_id, m.start, m.end) for m in pred] == [
        (m.article_id, m.start, m.end) for m in sorted(dev.mentions, key=lambda m: m.article_id)]


def test_bad_mentions_and_missing_model_are_clear(trained: tuple[Path, Path, dict],  # type: ignore[type-arg]
                                                  tmp_path: Path) -> None:
    _, model_dir, _ = trained
    model, text = RoleModel.load(model_dir), "Short text."
    with pytest.raises(NarrascopeError, match="not within the text"):
        model.predict(text, "en", [(3, 40)], split_sentences(text), HashEncoder().encode([text]),
                      HashEncoder())
    assert model.predict(text, "en", [], [], np.zeros((0, 512)), HashEncoder()) == []
    with pytest.raises(NarrascopeError, match=r"roles\.json.*narrascope train roles"):
        RoleModel.load(tmp_path)


def test_entity_roles_one_decision_per_entity(trained: tuple[Path, Path, dict]) -> None:  # type: ignore[type-arg]
    _, model_dir, _ = trained
    model, encoder = RoleModel.load(model_dir), HashEncoder()
    text = ("Ivan Petrov ordered the attack and started the bloody war. Later Petrov lied to "
            "everyone and spread fake propaganda. NATO negotiated a ceasefire.")
    sentences = split_sentences(text, "en")
    entities = model.find_entities(text, "en", sentences)
    petrov = next(e for e in entities if e.name == "Ivan Petrov")
    assert [text[s:e] for s, e in petrov.mentions] == ["Ivan Petrov", "Petrov"]
    spans = [m for e in entities for m in e.mentions]
    predictions = model.predict(text, "en", spans, sentences,
                                encoder.encode([s.slice(text) for s in sentences]), encoder)
    decided = model.entity_roles(entities, predictions)
    assert 1 <= len(decided) <= len(entities)
    assert len({r.name for r in decided}) == len(decided)
    for role in decided:
        assert all(f in model.taxonomy[role.main_role] for f, _ in role.fine_roles)
        assert 0.0 <= role.main_score <= 1.0


def test_the_role_comes_from_the_context_not_the_name(trained: tuple[Path, Path, dict]  # type: ignore[type-arg]
                                                      ) -> None:
    _, model_dir, _ = trained
    model, encoder = RoleModel.load(model_dir), HashEncoder()
    for name in ("Ivan Petrov", "Zorg Blibber"):  # a training name and an unseen one
        for context, main, _ in CONTEXTS:
            text = context.format(name)
            sentences = split_sentences(text, "en")
            vectors = encoder.encode([s.slice(text) for s in sentences])
            (p,) = model.predict(text, "en", [(0, len(name))], sentences, vectors, encoder)
            assert p.main_probs and abs(sum(p.main_probs) - 1) < 1e-4
            assert model.mains[int(np.argmax(p.main_probs))] == main, (name, context)


def test_softmax_fit_separates_classes() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 4))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int)
    rows = [(np.array([i % 7], dtype=np.int64), np.array([1.0], dtype=np.float32))
            for i in range(60)]
    layer = fit_softmax(x, _Sparse.of(rows), np.eye(3)[y], np.ones(60), c=10.0)
    logits = x @ layer.dense + layer.bias + np.array([layer.hashed[i % 7] for i in range(60)])
    assert (logits.argmax(axis=1) == y).mean() >= 0.9


# ---------------------------------------------------------------- the shipped model, real data


def test_shipped_model_on_real_documents() -> None:
    data = Settings().data_dir
    if not (data / "semeval2025t10").is_dir() or not (MODEL_DIR / "roles.npz").is_file():
        pytest.skip("SemEval-2025 Task 10 data or the shipped role model not present")
    model, encoder = RoleModel.load(MODEL_DIR), HashEncoder()
    dev = t10_split(data, "dev", "EN")
    wanted = [m for m in dev.mentions if m.article_id in sorted(dev.documents)[:3]]
    inputs = [Mention(m.article_id, m.text, m.start, m.end) for m in wanted]
    pred = predict_mentions(model, dev.documents, inputs, "EN", encoder)
    assert len(pred) == len(wanted)
    for m in pred:
        assert m.main_role in model.taxonomy
        assert all(f in model.taxonomy[m.main_role] for f in m.fine_roles)
