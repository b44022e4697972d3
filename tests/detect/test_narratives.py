"""The narratives detector: training end to end on a tiny fake SemEval-2025 Task 10 layout, and the
invariants of its output. Its dev-score floors are checked by tests/eval/test_quality_gate.py."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from narrascope.config import PACKAGE_DIR, Settings
from narrascope.detect.narratives import (
    EVIDENCE_WORDS,
    NAME,
    OTHER,
    Decoding,
    NarrativeModel,
    NarrativePrediction,
    Taxonomy,
    decode,
)
from narrascope.errors import NarrascopeError
from narrascope.nlp.segment import split_sentences
from narrascope.train.narratives import Config, train_narratives
from tests.fakes import HashEncoder

WAR = "URW: Praise of Russia"
WAR_SUB = f"{WAR}: Praise of Russian military might"
CLIMATE = "CC: Amplifying Climate Fears"
CLIMATE_SUB = f"{CLIMATE}: Doomsday scenarios for humans"

TOPICS = {
    "war": ("The glorious army of Russia crushed the enemy tanks near the front.",
            "Russian soldiers showed unmatched military might and courage.",
            "Mighty Russian missiles destroyed the enemy depots overnight."),
    "climate": ("Rising seas and deadly heat will doom humanity within decades.",
                "Scientists warn that climate collapse will end civilisation.",
                "Wildfires and floods are a sign of the coming doomsday."),
    "plain": ("The town council met on Tuesday to discuss the budget for parks.",
              "Local bakers sold bread and cakes at the weekend market.",
              "The library extended its opening hours for students."),
}
RU_TOPICS = {
    "war": ("Славная армия России разгромила вражеские танки у фронта.",
            "Российские солдаты показали несокрушимую военную мощь."),
    "climate": ("Повышение уровня моря и жара погубят человечество.",
                "Учёные предупреждают, что климатическая катастрофа уничтожит цивилизацию."),
    "plain": ("Городской совет во вторник обсудил бюджет на парки.",
              "Местные пекари продавали хлеб на рынке в выходные."),
}
LABELS = {"war": (WAR, WAR_SUB), "climate": (CLIMATE, CLIMATE_SUB), "plain": (OTHER, OTHER)}


def _document(index: int, sentences: Sequence[str]) -> str:
    """A title line, then the topic's sentences rotated, CRLF line ends as in some real files."""
    k = index % len(sentences)
    body = " ".join(sentences[k:] + sentences[:k])
    return f"Report {index}\r\n\r\n{body}\r\n"


def _write_language(root: Path, split: str, language: str, count: int) -> None:
    topics = TOPICS if language == "EN" else RU_TOPICS
    base = root / split / language
    folder = base / ("raw-documents" if split == "train" else "subtask-2-documents")
    folder.mkdir(parents=True)
    lines = []
    for i in range(count):
        topic = ("war", "climate", "plain")[i % 3]
        name = f"{language}_{split}_{i}.txt"
        (folder / name).write_text(_document(i, topics[topic]), encoding="utf-8", newline="")
        narrative, sub = LABELS[topic]
        lines.append(f"{name}\t{narrative}\t{sub}\n")
    (base / "subtask-2-annotations.txt").write_text("".join(lines), encoding="utf-8")


def _fake_data(data_dir: Path) -> None:
    root = data_dir / "semeval2025t10"
    taxonomy = root / "taxonomy"
    taxonomy.mkdir(parents=True)
    (taxonomy / "subtask2_narratives.txt").write_text(f"{CLIMATE}\n{WAR}\n{OTHER}\n",
                                                      encoding="utf-8")
    subs = [CLIMATE_SUB, f"{CLIMATE}: Other", WAR_SUB, f"{WAR}: Other", OTHER]
    (taxonomy / "subtask2_subnarratives.txt").write_text("\n".join(subs) + "\n",
                                                         encoding="utf-8")
    for language in ("EN", "RU"):
        _write_language(root, "train", language, 15)
        _write_language(root, "dev", language, 6)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    root = tmp_path_factory.mktemp("narratives")
    _fake_data(root / "data")
    meta = train_narratives(root / "data", root / "model", encoder=HashEncoder(),
                            languages=("EN", "RU"), config=Config(folds=3, ablations=False))
    return root / "model", meta


def _predict(model: NarrativeModel, text: str, language: str = "en") -> NarrativePrediction:
    sentences = split_sentences(text, language)
    vectors = HashEncoder().encode([s.slice(text) for s in sentences])
    return model.predict(text, language, sentences, vectors, HashEncoder())


def _check_invariants(prediction: NarrativePrediction, text: str) -> None:
    narratives = [s.label for s in prediction.narratives]
    subs = [s.label for s in prediction.subnarratives]
    if narratives == [OTHER]:
        assert subs == [OTHER]
    else:
        assert OTHER not in narratives and OTHER not in subs
        for sub in subs:  # each sub-narrative sits under a predicted narrative
            assert any(sub.startswith(n + ": ") for n in narratives), (sub, narratives)
        for narrative in narratives:  # each predicted narrative has a sub-narrative line
            assert any(sub.startswith(narrative + ": ") for sub in subs), (narrative, subs)
        by_label = {n.label: n.score for n in prediction.narratives}
        for sub_score in prediction.subnarratives:  # never more probable than its narrative
            parent = next(n for n in narratives if sub_score.label.startswith(n + ": "))
            assert sub_score.score <= by_label[parent]
    for score in prediction.narratives + prediction.subnarratives:
        assert 0.0 <= score.score <= 1.0
        assert sum(len(text[a:b].split()) for a, b in score.evidence) <= EVIDENCE_WORDS
        assert all(0 <= a < b <= len(text) for a, b in score.evidence)


def test_training_writes_artifacts_metrics_and_floors(
        tiny_model: tuple[Path, dict[str, object]]) -> None:
    model_dir, meta = tiny_model
    assert {p.name for p in model_dir.iterdir()} == {f"{NAME}.npz", f"{NAME}.json"}
    saved = json.loads((model_dir / f"{NAME}.json").read_text(encoding="utf-8"))
    assert saved["floors"] == json.loads(json.dumps(meta["floors"]))
    assert {(f["task"], f["lang"], f["metric"]) for f in saved["floors"]} == {
        ("t10-st2", lang, metric) for lang in ("EN", "RU") for metric in ("f1_coarse", "f1_fine")}
    dev = saved["metrics"]["dev"]
    assert set(dev) == {"EN", "RU", "mean"}
    assert all(0.0 <= dev[k][m] <= 1.0 for k in dev for m in ("f1_coarse", "f1_fine"))
    assert saved["unseen_language"]["language"] == "RU"
    with np.load(model_dir / f"{NAME}.npz", allow_pickle=False) as arrays:
        # 2 narratives, 2 sub-narratives, and "<narrative>: Other" of each narrative
        assert arrays["vec"].shape == (512, 6)
        assert arrays["lex"].shape == (len(arrays["vocabulary"]), 6)
    assert saved["other_columns"] is True


def test_training_is_reproducible(tiny_model: tuple[Path, dict[str, object]],
                                  tmp_path: Path) -> None:
    _fake_data(tmp_path / "data")
    config = Config(folds=3, ablations=False, unseen_language=False)
    train_narratives(tmp_path / "data", tmp_path / "model", encoder=HashEncoder(),
                     languages=("EN", "RU"), config=config)
    first, again = tiny_model[0] / f"{NAME}.npz", tmp_path / "model" / f"{NAME}.npz"
    with np.load(first) as a, np.load(again) as b:
        assert np.array_equal(a["lex"], b["lex"]) and np.array_equal(a["vec"], b["vec"])


def test_a_clear_document_gets_its_narrative_with_evidence(
        tiny_model: tuple[Path, dict[str, object]]) -> None:
    model = NarrativeModel.load(tiny_model[0])
    text = _document(7, TOPICS["war"]) + "\r\nThe weather was mild and sunny all week.\r\n"
    prediction = _predict(model, text)
    _check_invariants(prediction, text)
    probs = model.probabilities([text], np.zeros((1, 512), dtype=np.float32))[0]
    assert model.taxonomy.narratives[int(np.argmax(probs[:2]))] == WAR
    if prediction.narratives[0].label == WAR:
        assert prediction.narratives[0].evidence


def test_invariants_hold_for_every_dev_like_document(
        tiny_model: tuple[Path, dict[str, object]]) -> None:
    model = NarrativeModel.load(tiny_model[0])
    texts = [_document(i, sentences) for i, sentences in enumerate(TOPICS.values())]
    texts.append("")  # no sentences at all
    batch = [(t, "en", split_sentences(t, "en"),
              HashEncoder().encode([s.slice(t) for s in split_sentences(t, "en")]))
             for t in texts]
    for (text, *_), prediction in zip(batch, model.predict_many(batch), strict=True):
        _check_invariants(prediction, text)


def test_other_when_nothing_fires(tiny_model: tuple[Path, dict[str, object]]) -> None:
    model = NarrativeModel.load(tiny_model[0])
    model.decoding = replace(model.decoding, mode="thresholds", narrative=1.01, fallback=1.0,
                             implied_by_sub=1.0)
    text = _document(1, TOPICS["war"])
    prediction = _predict(model, text)
    assert [s.label for s in prediction.narratives] == [OTHER]
    assert [s.label for s in prediction.subnarratives] == [OTHER]
    assert prediction.narratives[0].evidence == ()


def test_evidence_is_cut_to_80_words(tiny_model: tuple[Path, dict[str, object]]) -> None:
    model = NarrativeModel.load(tiny_model[0])
    model.decoding = replace(model.decoding, mode="thresholds", narrative=0.0, one_domain=False)
    long_sentence = " ".join(["mighty Russian army"] * 50) + "."
    prediction = _predict(model, long_sentence)
    _check_invariants(prediction, long_sentence)
    assert all(s.evidence for s in prediction.narratives)


def test_decode_respects_the_hierarchy() -> None:
    taxonomy = Taxonomy.from_labels([CLIMATE, WAR, OTHER],
                                    [CLIMATE_SUB, f"{CLIMATE}: Other", WAR_SUB, OTHER])
    # a confident sub-narrative of a narrative that did not fire: dropped, unless it implies it
    probs = np.array([0.1, 0.6, 0.9, 0.2])  # CLIMATE, WAR, CLIMATE_SUB, WAR_SUB
    plain = decode(probs, taxonomy, Decoding(narrative=0.5, subnarrative=0.5, one_domain=False))
    assert plain.narratives == (1,) and plain.subnarratives == ()
    implied = decode(probs, taxonomy, Decoding(narrative=0.5, subnarrative=0.5,
                                               implied_by_sub=0.8, one_domain=False))
    assert implied.narratives == (0, 1) and implied.subnarratives == (0,)
    gated = decode(probs, taxonomy, Decoding(narrative=0.5, subnarrative=0.5,
                                             implied_by_sub=0.8, one_domain=True))
    assert gated.narratives == (0,)  # CLIMATE (0.9 once implied) decides the domain
    fallback = decode(np.array([0.2, 0.3, 0.0, 0.1]), taxonomy,
                      Decoding(narrative=0.5, fallback=0.25, subnarrative=0.5, sub_fallback=0.05))
    assert fallback.narratives == (1,) and fallback.subnarratives == (1,)


def test_missing_model_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(NarrascopeError, match="narrascope train narratives"):
        NarrativeModel.load(tmp_path)


def test_a_model_of_another_version_is_refused(tiny_model: tuple[Path, dict[str, object]],
                                               tmp_path: Path) -> None:
    for path in tiny_model[0].glob(f"{NAME}.*"):
        shutil.copy(path, tmp_path / path.name)
    meta = json.loads((tmp_path / f"{NAME}.json").read_text(encoding="utf-8"))
    meta["version"] = "0"
    (tmp_path / f"{NAME}.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(NarrascopeError, match="narrascope train narratives"):
        NarrativeModel.load(tmp_path)


def test_sentences_and_vectors_must_match(tiny_model: tuple[Path, dict[str, object]]) -> None:
    model = NarrativeModel.load(tiny_model[0])
    text = _document(0, TOPICS["war"])
    with pytest.raises(NarrascopeError, match="one vector per sentence"):
        model.predict(text, "en", split_sentences(text, "en"), np.zeros((0, 512)))


def test_shipped_model_on_real_dev_documents() -> None:
    """The shipped model on a few real dev documents (skipped without the data or the model)."""
    from narrascope.embed import Encoder
    from narrascope.eval.t10 import t10_split

    data = Settings().data_dir
    if not (data / "semeval2025t10").is_dir():
        pytest.skip("SemEval-2025 Task 10 data not staged")
    if not (PACKAGE_DIR / "models" / f"{NAME}.npz").is_file():
        pytest.skip("no shipped narratives model")
    model, encoder = NarrativeModel.load(), Encoder()
    split = t10_split(data, "dev", "EN")
    for labels in split.narratives[:3]:
        text = split.documents[labels.article_id]
        sentences = split_sentences(text, "en")
        vectors = encoder.encode([s.slice(text) for s in sentences])
        _check_invariants(model.predict(text, "en", sentences, vectors, encoder), text)


def test_expected_f1_decoding_adapts_the_label_count_to_the_document() -> None:
    taxonomy = Taxonomy.from_labels([CLIMATE, WAR, OTHER],
                                    [CLIMATE_SUB, f"{CLIMATE}: Other", WAR_SUB, OTHER],
                                    other_columns=True)
    assert taxonomy.labels == (CLIMATE, WAR, CLIMATE_SUB, WAR_SUB, f"{CLIMATE}: Other",
                               f"{WAR}: Other")
    params = Decoding(mode="expected_f1")

    def found(*probs: float) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        d = decode(np.array(probs), taxonomy, params)
        return d.narratives, d.subnarratives, d.narrative_others

    # columns: CLIMATE, WAR, CLIMATE_SUB, WAR_SUB, CLIMATE: Other, WAR: Other
    assert found(0.02, 0.95, 0.01, 0.9, 0.01, 0.05) == ((1,), (1,), ())  # one clear label
    assert found(0.02, 0.03, 0.01, 0.02, 0.01, 0.01) == ((), (), ())  # nothing: "Other"
    assert found(0.6, 0.6, 0.55, 0.55, 0.05, 0.05) == ((0, 1), (0, 1), ())  # unsure: both
    # the gold data has "<narrative>: Other" next to a listed sub-narrative of it
    assert found(0.02, 0.95, 0.01, 0.8, 0.01, 0.8) == ((1,), (1,), (1,))
    # a sub-narrative is never more probable than its narrative
    assert found(0.03, 0.03, 0.01, 0.99, 0.01, 0.01) == ((), (), ())
    # a model without those columns estimates "<narrative>: Other" from the sub-narratives
    plain = Taxonomy.from_labels([CLIMATE, WAR, OTHER], [CLIMATE_SUB, WAR_SUB, OTHER])
    d = decode(np.array([0.02, 0.95, 0.01, 0.05]), plain, params)
    assert (d.narratives, d.subnarratives, d.narrative_others) == ((1,), (), (1,))
    with pytest.raises(ValueError, match="expected_f1"):
        Decoding(mode="best")


def test_languages_the_model_never_saw_are_decoded_with_thresholds(
        tiny_model: tuple[Path, dict[str, object]]) -> None:
    model = NarrativeModel.load(tiny_model[0])
    assert model.seen("en") and model.seen("RU") and model.seen("ru-RU")  # trained on EN, RU
    assert not model.seen("ko") and not model.seen("pt-BR")
    taxonomy = Taxonomy.from_labels([CLIMATE, WAR, OTHER], [CLIMATE_SUB, WAR_SUB, OTHER],
                                    other_columns=True)
    params = Decoding(narrative=0.25, subnarrative=0.2, one_domain=False, mode="expected_f1")
    # an unsure document in an unseen language: expected F1 would answer "Other", the
    # thresholds keep the narrative that reaches 0.25
    probs = np.array([0.05, 0.3, 0.01, 0.25, 0.01, 0.05])
    assert decode(probs, taxonomy, params).narratives == ()
    unseen = decode(probs, taxonomy, params, seen_language=False)
    assert (unseen.narratives, unseen.subnarratives) == ((1,), (1,))
    # the fallback (best narrative when none reaches the threshold) needs a readable document
    eager = Decoding(narrative=0.5, fallback=0.1, subnarrative=0.2, one_domain=False,
                     mode="expected_f1")
    assert decode(probs, taxonomy, eager, False, coverage=0.3).narratives == (1,)
    assert decode(probs, taxonomy, eager, False, coverage=0.0).narratives == ()
    assert model.lexicon.coverage(["zzzz", "qqqq"]) == 0.0
