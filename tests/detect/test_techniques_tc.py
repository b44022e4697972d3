"""The technique classifier (TC): features and training end to end on a tiny corpus. Its dev-score
floor is checked by tests/eval/test_quality_gate.py through `narrascope eval run`."""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from narrascope.config import Settings
from narrascope.detect.techniques.tc import (
    RU_TO_PTC,
    TechniqueClassifier,
    train_technique_classifier,
)
from narrascope.detect.techniques.tc_features import (
    DENSE_NAMES,
    around_features,
    around_row,
    index_article,
    normalise,
    span_texts,
    tfidf_row,
)
from narrascope.embed import DIMENSIONS, Encoder
from narrascope.errors import NarrascopeError
from narrascope.eval.ptc import TECHNIQUES, Span

DATA = Settings().data_dir


class FakeEncoder(Encoder):
    """Deterministic vectors seeded by the text: no model to load."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = [np.random.default_rng(zlib.crc32(t.encode("utf-8"))).normal(size=DIMENSIONS)
                for t in texts]
        out = np.asarray(rows, dtype=np.float32).reshape(len(texts), DIMENSIONS)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


ARTICLES = {
    "1": "Title one\n\nThe corrupt elite are traitors. Make America great again!\n"
         "Make America great again! Experts say the plan works.\n",
    "2": "Title two\n\nThese disgusting thugs lie. Is the report even true?\n"
         "Our glorious nation stands. Make America great again!\n",
    "3": "Title three\n\nThe vile mob attacked. Who believes the minister anyway?\n"
         "Scientists say vaccines are safe. Our nation first!\n",
}


def _phrase_spans(text: str, phrase: str, technique: str, article_id: str) -> list[Span]:
    out, at = [], text.find(phrase)
    while at >= 0:
        out.append(Span(article_id, at, at + len(phrase), technique))
        at = text.find(phrase, at + 1)
    return out


LABELS = (("corrupt elite", "Name_Calling,Labeling"), ("disgusting thugs", "Name_Calling,Labeling"),
          ("vile mob", "Name_Calling,Labeling"), ("Make America great again!", "Slogans"),
          ("Our nation first!", "Slogans"), ("Is the report even true?", "Doubt"),
          ("Who believes the minister anyway?", "Doubt"), ("Experts say", "Appeal_to_Authority"),
          ("Scientists say", "Appeal_to_Authority"), ("glorious nation", "Flag-Waving"))


def _write_split(root: Path, split: str) -> None:
    folder = root / f"{split}-articles"
    folder.mkdir(parents=True)
    spans = []
    for article_id, text in ARTICLES.items():
        (folder / f"article{article_id}.txt").write_text(text, encoding="utf-8", newline="")
        for phrase, technique in LABELS:
            spans.extend(_phrase_spans(text, phrase, technique, article_id))
    (root / f"{split}-task-flc-tc.labels").write_text(
        "".join(f"{s.article_id}\t{s.technique}\t{s.start}\t{s.end}\n" for s in spans))
    (root / f"{split}-task-si.labels").write_text(
        "".join(f"{s.article_id}\t{s.start}\t{s.end}\n" for s in spans))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    data_dir = tmp_path_factory.mktemp("data")
    for split in ("train", "dev"):
        _write_split(data_dir / "ptc_semeval2020t11", split)
    model_dir = tmp_path_factory.mktemp("model")
    messages: list[str] = []
    metrics = train_technique_classifier(data_dir, model_dir, encoder=FakeEncoder(),
                                         progress=messages.append)
    assert messages
    return model_dir, metrics


def test_training_end_to_end_writes_numpy_artifacts(tiny_model: tuple[Path, dict[str, object]]
                                                    ) -> None:
    model_dir, metrics = tiny_model
    assert {p.name for p in model_dir.iterdir()} == {"techniques-tc.json", "techniques-tc.npz"}
    assert "ru" not in metrics  # ru_zen_prop not staged in the tiny data dir
    ptc = metrics["ptc"]
    assert isinstance(ptc, dict) and ptc["micro_f1"] >= 0.9  # it learns its own training data
    meta = json.loads((model_dir / "techniques-tc.json").read_text(encoding="utf-8"))
    assert meta["techniques"] == list(TECHNIQUES) and meta["metrics"]["ptc"] == ptc
    assert meta["floors"][0]["task"] == "ptc-tc"


def test_predict_ranks_every_technique(tiny_model: tuple[Path, dict[str, object]]) -> None:
    model = TechniqueClassifier.load(tiny_model[0])
    text = "Title\n\nThe vile thugs lie again. Scientists say it is fine.\n"
    spans = [(11, 21), (34, 48)]
    ranked = model.predict(text, spans, FakeEncoder())
    assert len(ranked) == 2
    for ranking in ranked:
        assert sorted(t for t, _ in ranking) == sorted(TECHNIQUES)
        scores = [p for _, p in ranking]
        assert scores == sorted(scores, reverse=True) and abs(sum(scores) - 1.0) < 1e-4
    assert model.predict(text, [], FakeEncoder()) == []
    with pytest.raises(NarrascopeError):
        model.predict(text, [(5, 500)], FakeEncoder())


def test_sentences_already_encoded_are_not_encoded_again(
        tiny_model: tuple[Path, dict[str, object]]) -> None:
    class Counting(FakeEncoder):
        def __init__(self) -> None:
            self.seen: list[str] = []

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            self.seen += list(texts)
            return super().encode(texts)

    model = TechniqueClassifier.load(tiny_model[0])
    text = "Title\n\nThe vile thugs lie again. Scientists say it is fine.\n"
    sentence = "The vile thugs lie again."
    spans = [(11, 21), (7, 7 + len(sentence))]  # a phrase, and a whole sentence
    assert text[7:7 + len(sentence)] == sentence
    plain, counting = Counting(), Counting()
    expected = model.predict(text, spans, plain)
    known = {sentence: FakeEncoder().encode([sentence])[0]}
    assert model.predict(text, spans, counting, known) == expected
    assert sentence in plain.seen and sentence not in counting.seen
    assert "vile thugs" in counting.seen


def test_load_without_artifact_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(NarrascopeError, match="train techniques"):
        TechniqueClassifier.load(tmp_path)


def test_features_see_repetition_and_punctuation() -> None:
    text = "Title\n\nWe will win. We will WIN!\nThey say we will win.\n"
    index = index_article(text)
    assert normalise("We  will, WIN!") == "we will win"
    assert index.norm.count("we will win") == 3
    start = text.find("We will WIN!")
    batch = span_texts(text, [(start, start + len("We will WIN!"))])
    row = dict(zip(DENSE_NAMES, batch.dense[0], strict=True))
    assert row["text_repeats_2plus"] == 1.0 and row["exclaim"] == 1.0
    assert batch.contexts == ["We will WIN!"]
    idx, values = tfidf_row("we will win", np.ones(1 << 17, dtype=np.float32))
    assert len(idx) == len(values) and abs(float(np.linalg.norm(values)) - 1.0) < 1e-5


def test_around_features_see_neighbours_sentence_and_quotes() -> None:
    text = 'Title\n\nHe said "the vile mob lies" today. Make it great!\n'
    index = index_article(text)
    start = text.find("vile mob")
    feats = around_features(index, start, start + len("vile mob"))
    assert {"l1:the", "r1:lies", "l:said", "r:today", "s:in_quotes"} <= set(feats)
    assert "s:starts" not in feats and "s:whole" not in feats
    start = text.find("Make it great!")
    feats = around_features(index, start, start + len("Make it great!"))
    assert {"s:starts", "s:ends", "s:whole", "r1:</s>"} <= set(feats)
    assert "l:title" not in feats  # context stays within the paragraph
    idx, values = around_row(feats, np.ones(1 << 17, dtype=np.float32))
    assert len(idx) == len(values) and abs(float(np.linalg.norm(values)) - 1.0) < 1e-5
    assert span_texts(text, [(start, start + 4)]).around[0] == around_features(index, start,
                                                                               start + 4)


def test_ru_mapping_targets_ptc_classes() -> None:
    assert set(RU_TO_PTC.values()) <= set(TECHNIQUES)
    names = DATA / "ru_zen_prop" / "russian_corpus_techniques.txt"
    if names.is_file():
        known = {line.strip() for line in names.read_text(encoding="utf-8").splitlines()}
        assert set(RU_TO_PTC) <= known
