"""The span tagger (SI): training end to end on a tiny corpus, span invariants. Its dev-score floor
is checked by tests/eval/test_quality_gate.py through `narrascope eval run`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from narrascope.detect.techniques.si import (
    NAME,
    DecodeParams,
    SpanTagger,
    Tagged,
    article_design,
    decode,
    decode_sentences,
    smoothed,
)
from narrascope.detect.techniques.si_clusters import NO_CLUSTER, WordClusters, kmeans
from narrascope.detect.techniques.si_train import train_span_tagger
from narrascope.errors import NarrascopeError
from narrascope.model import Sentence
from narrascope.nlp.segment import split_sentences
from tests.fakes import HashEncoder

MODEL_DIR = Path(__file__).resolve().parents[2] / "src" / "narrascope" / "models"

EN_LOADED = ("These evil traitors will destroy our great nation!",
             "Only a fool would trust the corrupt elites.")
EN_PLAIN = ("The council met on Tuesday to discuss the budget.",
            "Rain is expected in the north later this week.")
RU_LOADED = ("Эти подлые предатели уничтожат нашу великую страну!",
             "Только глупец поверит продажным элитам.")
RU_PLAIN = ("Совет собрался во вторник, чтобы обсудить бюджет.",
            "На севере на этой неделе ожидается дождь.")


def _article(index: int, loaded: Sequence[str], plain: Sequence[str]) -> tuple[str, list[
        tuple[int, int]]]:
    """Title, blank line, then alternating plain and loaded sentences; spans on the loaded."""
    lines = [f"Title {index}", ""]
    spans = []
    offset = len(lines[0]) + 2
    for i in range(4):
        sentence = (loaded if i % 2 else plain)[(i // 2 + index) % 2]
        if i % 2:
            spans.append((offset, offset + len(sentence)))
        lines.append(sentence)
        offset += len(sentence) + 1
    return "\n".join(lines) + "\n", spans


def _write_split(root: Path, split: str, articles: dict[str, tuple[str, list[tuple[int, int]]]],
                 technique: str, si_name: str, tc_name: str) -> None:
    (root / f"{split}-articles").mkdir(parents=True, exist_ok=True)
    si, tc = [], []
    for article_id, (text, spans) in articles.items():
        (root / f"{split}-articles" / f"article{article_id}.txt").write_text(text,
                                                                             encoding="utf-8")
        si += [f"{article_id}\t{s}\t{e}\n" for s, e in spans]
        tc += [f"{article_id}\t{technique}\t{s}\t{e}\n" for s, e in spans]
    if si_name:
        (root / si_name).write_text("".join(si), encoding="utf-8")
    (root / tc_name).write_text("".join(tc), encoding="utf-8")


def _tiny_data(data_dir: Path) -> None:
    ptc, ru = data_dir / "ptc_semeval2020t11", data_dir / "ru_zen_prop"
    for split, ids in (("train", range(1, 7)), ("dev", range(7, 9))):
        en = {str(100 + i): _article(i, EN_LOADED, EN_PLAIN) for i in ids}
        _write_split(ptc, split, en, "Loaded_Language", f"{split}-task-si.labels",
                     f"{split}-task-flc-tc.labels")
        rus = {str(200 + i): _article(i, RU_LOADED, RU_PLAIN) for i in ids}
        names = (("train-task1-SI.labels", "train-task2-TC.labels") if split == "train"
                 else ("", "dev-task-TC-template_labeled.out"))
        _write_split(ru, split, rus, "Loaded_language", *names)
    (ru / "russian_corpus_techniques.txt").write_text("Loaded_language\n", encoding="utf-8")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    root = tmp_path_factory.mktemp("si")
    _tiny_data(root / "data")
    metrics = train_span_tagger(root / "data", root / "model", encoder=HashEncoder())
    return root / "model", metrics


def test_training_end_to_end_writes_artifacts_and_metrics(
        tiny_model: tuple[Path, dict[str, object]]) -> None:
    model_dir, metrics = tiny_model
    for ext in ("crfsuite", "npz", "json"):
        assert (model_dir / f"{NAME}.{ext}").is_file()
    assert not list(model_dir.glob("*tuning*"))
    meta = json.loads((model_dir / f"{NAME}.json").read_text(encoding="utf-8"))
    assert meta["metrics"] == json.loads(json.dumps(metrics))
    assert {f["task"] for f in meta["floors"]} == {"ptc-si", "ru-si"}
    assert {"ptc", "ru", "seconds"} <= set(metrics)
    ptc = metrics["ptc"]
    assert isinstance(ptc, dict)
    assert 0.0 <= ptc["f1"] <= 1.0
    with np.load(model_dir / f"{NAME}.npz", allow_pickle=False) as weights:
        # vector, neighbours' mean vector, 2 language flags, 4 cues, 3 place/link features
        assert weights["coef"].shape == (1033,)
        if meta["lexicon"]:
            assert len(weights["lex_keys"]) == len(weights["lex_bins"]) > 0
        if meta["word_clusters"]:
            assert len(weights["cl_words"]) == len(weights["cl_ids"]) > 0
    assert {meta["decode"][k]["mode"] for k in meta["decode"]} <= {"tokens", "sentences"}


def test_a_model_of_another_version_is_refused_with_advice(
        tiny_model: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    import shutil

    for path in tiny_model[0].glob(f"{NAME}.*"):
        shutil.copy(path, tmp_path / path.name)
    meta_path = tmp_path / f"{NAME}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["version"] = "2"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(NarrascopeError, match="narrascope train techniques"):
        SpanTagger.load(tmp_path)


@pytest.mark.parametrize(("text", "language"), [
    ("Intro line.\n" + " ".join(EN_LOADED) + "\n" + " ".join(EN_PLAIN), "en"),
    (" ".join(RU_PLAIN + RU_LOADED), "ru"),
    ("Ein ganz normaler Satz. Noch einer! ", "de"),
    ("", "en"),
])
def test_predicted_spans_are_sorted_disjoint_and_inside(
        tiny_model: tuple[Path, dict[str, object]], text: str, language: str) -> None:
    tagger = SpanTagger.load(tiny_model[0])
    sentences = split_sentences(text, language)
    vectors = HashEncoder().encode([s.slice(text) for s in sentences])
    spans = tagger.predict(text, language, sentences, vectors)
    previous_end = 0
    for start, end, score in spans:
        assert previous_end <= start < end <= len(text)
        assert 0.0 <= score <= 1.0
        previous_end = end
    assert tagger.version


def test_learns_the_loaded_sentences(tiny_model: tuple[Path, dict[str, object]]) -> None:
    tagger = SpanTagger.load(tiny_model[0])
    text = f"{EN_PLAIN[0]} {EN_LOADED[0]}"
    sentences = split_sentences(text, "en")
    spans = tagger.predict(text, "en", sentences,
                           HashEncoder().encode([s.slice(text) for s in sentences]))
    covered = {i for start, end, _ in spans for i in range(start, end)}
    loaded = range(len(EN_PLAIN[0]) + 1, len(text))
    assert len(covered & set(loaded)) > len(loaded) / 2
    assert len(covered - set(loaded)) < len(EN_PLAIN[0]) / 2


def test_decode_merges_close_spans_and_drops_tiny_ones() -> None:
    tokens = split_sentences("aa bb cc d", "en")
    from narrascope.detect.techniques.si_features import tokenize

    toks = tokenize("aa bb cc d", tokens[0])
    tagged = Tagged(Sentence(0, 10), toks, np.array([0.9, 0.1, 0.8, 0.9]), 0.1)
    assert decode([tagged], DecodeParams(0.5, 0, 1, 2.0)) == [(0, 2, 0.9), (6, 10, 0.85)]
    assert decode([tagged], DecodeParams(0.5, 5, 1, 2.0)) == [(0, 10, 0.9)]
    assert decode([tagged], DecodeParams(0.5, 0, 3, 2.0)) == [(6, 10, 0.85)]
    assert decode([tagged], DecodeParams(0.5, 0, 1, 0.05)) == [(0, 10, 0.1)]


def test_whole_sentences_are_trimmed_to_their_inside_tokens() -> None:
    from narrascope.detect.techniques.si_features import tokenize

    text = "aa bb cc d"
    toks = tokenize(text, split_sentences(text, "en")[0])
    tagged = Tagged(Sentence(0, 10), toks, np.array([0.05, 0.4, 0.35, 0.1]), 0.9)
    whole = DecodeParams(0.5, 0, 1, 0.5)
    assert decode([tagged], whole) == [(0, 10, 0.9)]  # trim 2: never cut
    assert decode([tagged], DecodeParams(0.5, 0, 1, 0.5, trim=0.3)) == [(3, 8, 0.9)]  # bb cc
    assert decode([tagged], DecodeParams(0.5, 0, 1, 0.5, trim=0.08)) == [(3, 10, 0.9)]
    # no token reaches the trim: the sentence stays whole
    assert decode([tagged], DecodeParams(0.5, 0, 1, 0.5, trim=0.6)) == [(0, 10, 0.9)]


def test_lexicon_bins_loaded_words_above_plain_ones() -> None:
    from narrascope.detect.techniques.si_features import build_lexicon

    rows = [("en", ["evil", "traitors", "met"], [True, True, False])] * 4 + [
        ("en", ["the", "council", "met"], [False, False, False])] * 4
    lexicon = build_lexicon(rows)
    assert lexicon["en|evil"] > lexicon["en|council"] >= lexicon["en|met"]
    assert lexicon["en|evil traitors"] > lexicon["en|council met"]
    assert "ru|evil" not in lexicon


def test_sentence_mode_joins_runs_across_short_gaps() -> None:
    sentences = [Sentence(0, 10), Sentence(11, 20), Sentence(21, 30), Sentence(31, 40),
                 Sentence(41, 50)]
    p = np.array([0.9, 0.2, 0.8, 0.1, 0.7])
    runs = DecodeParams(2.0, 0, 1, 0.5, "sentences", 0, 0)
    assert [s[:2] for s in decode_sentences(sentences, p, runs)] == [(0, 10), (21, 30),
                                                                    (41, 50)]
    bridged = DecodeParams(2.0, 0, 1, 0.5, "sentences", 0, 1)
    assert decode_sentences(sentences, p, bridged) == [(0, 50, 0.8)]
    assert decode_sentences(sentences, p, DecodeParams(2.0, 0, 11, 0.5, "sentences", 0, 0)) == []
    assert np.allclose(smoothed(p, 1), [0.55, 0.6333, 0.3667, 0.5333, 0.4], atol=1e-4)
    assert smoothed(np.array([0.7]), 2).tolist() == [0.7]  # shorter than the window


def test_article_design_marks_the_first_line_and_links() -> None:
    text = "Headline here\nA plain sentence. See https://example.org now."
    sentences = split_sentences(text, "en")
    design = article_design(text, sentences, HashEncoder().encode(
        [s.slice(text) for s in sentences]), "en")
    assert design.shape == (len(sentences), 1033)
    position, heading, link = design[:, -3], design[:, -2], design[:, -1]
    assert heading.tolist() == [1.0] + [0.0] * (len(sentences) - 1)
    assert link.tolist() == [0.0] * (len(sentences) - 1) + [1.0]
    assert position[0] == 0.0 and position[-1] == 1.0


def test_word_clusters_are_deterministic_and_place_new_words(tmp_path: Path) -> None:
    encoder = HashEncoder()
    texts = ["evil traitors destroy", "the council met", "rain expected north"]
    first = WordClusters.train(texts, encoder, sizes=(2, 4))
    second = WordClusters.train(texts, encoder, sizes=(2, 4))
    assert first.lookup(["evil", "met"]) == second.lookup(["evil", "met"])
    assert first.lookup(["unseen"]) == {"unseen": (NO_CLUSTER, NO_CLUSTER)}
    placed = first.lookup(["unseen", "42"], encoder)
    assert all(0 <= c < k for c, k in zip(placed["unseen"], (2, 4), strict=True))
    assert placed["42"] == (NO_CLUSTER, NO_CLUSTER)  # numbers are not words
    np.savez_compressed(tmp_path / "clusters.npz", **first.arrays())
    with np.load(tmp_path / "clusters.npz", allow_pickle=False) as stored:
        loaded = WordClusters.from_arrays(stored)
    assert loaded is not None and loaded.lookup(["evil", "met"]) == first.lookup(["evil", "met"])


def test_kmeans_separates_two_clear_groups() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(20, 8)) * 0.05 + np.eye(8)[0]
    b = rng.normal(size=(20, 8)) * 0.05 + np.eye(8)[1]
    x = np.vstack([a, b])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    _centroids, labels = kmeans(x, 2)
    assert len(set(labels[:20])) == 1 and len(set(labels[20:])) == 1
    assert labels[0] != labels[20]

