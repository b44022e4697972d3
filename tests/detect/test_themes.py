"""Codebook themes across languages, with calibrated scores and evidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from narrascope.detect import available, create
from narrascope.detect.codebook import load_codebook
from narrascope.detect.themes import Calibration, ThemeDetector, theme_margins
from narrascope.embed import Encoder
from narrascope.errors import NarrascopeError
from narrascope.textjson import analyze_text_json

RU = ("Погода в Москве была солнечной. Северокорейские бойцы проявили беспримерный героизм и "
      "мужество при освобождении Курской области. Цены на бензин не изменились.")
KO = ("오늘 평양의 날씨는 맑았다. 조선인민군 군인들은 쿠르스크 해방 전투에서 영웅적 위훈을 세웠다. "
      "새 기차 시간표가 발표되었다.")
EN_OFF = ("The city council approved a new budget for road repairs. Buses will run more often "
          "on weekends. The library opens a new reading room.")


@pytest.mark.parametrize(("text", "language", "needle"), [
    (RU, "ru", "Северокорейские бойцы"), (KO, "ko", "조선인민군 군인들은"),
])
def test_english_codebook_finds_other_languages(
    text: str, language: str, needle: str, codebook: Path, encoder: Encoder
) -> None:
    out = analyze_text_json(text, [codebook], 0.5, encoder=encoder)
    assert out["language"] == language
    for s in out["sentences"]:
        assert text[s["start"] : s["end"]].strip() == text[s["start"] : s["end"]]
    themes = {t["id"]: t for t in out["themes"]}
    assert set(themes) == {"nk-troops-heroism"}
    hit = themes["nk-troops-heroism"]
    assert hit["evidence"].startswith(needle)
    assert text[hit["start"] : hit["end"]] == hit["evidence"]
    assert 0.5 <= hit["score"] <= 1.0


def test_unrelated_text_matches_nothing(codebook: Path, encoder: Encoder) -> None:
    assert analyze_text_json(EN_OFF, [codebook], 0.5, encoder=encoder)["themes"] == []


def test_threshold_is_respected(codebook: Path, encoder: Encoder) -> None:
    loose = analyze_text_json(RU, [codebook], 0.0, encoder=encoder)["themes"]
    strict = analyze_text_json(RU, [codebook], 0.99, encoder=encoder)["themes"]
    assert {t["id"] for t in loose} == {"nk-troops-heroism", "harvest"}
    assert strict == []


def test_scores_are_monotonic_in_similarity(codebook: Path, encoder: Encoder) -> None:
    detector = ThemeDetector(load_codebook(codebook), encoder)
    vectors = encoder.encode(["Korean soldiers fought heroically for the liberation of Kursk.",
                              "The soldiers were brave.", "Bus timetables change on Monday."])
    cosine, scores = detector.sentence_scores(vectors)
    order = np.argsort(cosine[:, 0])
    assert np.all(np.diff(scores[order, 0]) >= 0)
    assert scores[0, 0] > scores[2, 0]


def test_config_hash_follows_codebook_and_threshold(codebook: Path, encoder: Encoder,
                                                    tmp_path: Path) -> None:
    book = load_codebook(codebook)
    a = ThemeDetector(book, encoder, 0.5).config_hash
    assert a == ThemeDetector(book, encoder, 0.5).config_hash
    assert a != ThemeDetector(book, encoder, 0.6).config_hash
    other = tmp_path / "other.toml"
    other.write_text(codebook.read_text().replace("record wheat", "record rye"))
    assert a != ThemeDetector(load_codebook(other), encoder, 0.5).config_hash


def test_registry_lists_and_creates(codebook: Path, encoder: Encoder) -> None:
    assert "themes.codebook.v1" in available()
    detector = create("themes.codebook.v1", codebook=load_codebook(codebook), encoder=encoder)
    assert detector.name == "themes.codebook.v1"
    with pytest.raises(NarrascopeError, match="no detector named"):
        create("nope.v1")


@pytest.mark.parametrize(("content", "message"), [
    ("[[theme]]\nlabel = 'x'\ndescription = 'y'\n", "\"id\""),
    ("[[theme]]\nid = 'a'\n", "description or examples"),
    ("[[theme]]\nid = 'a'\ndescription = 'x'\n[[theme]]\nid = 'a'\ndescription = 'y'\n",
     "twice"),
    ("[[theme]]\nid = 'a'\nexamples = 'not a list'\n", "list of strings"),
    ("theme = [", "not a valid TOML"),
    ("title = 'no themes'\n", r"no \[\[theme"),
])
def test_bad_codebooks_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(NarrascopeError, match=message) as info:
        load_codebook(path)
    assert str(path) in str(info.value)


def test_margins_against_the_closest_other_theme() -> None:
    cosine = np.array([[0.8, 0.5, 0.1], [0.2, 0.25, 0.05]])
    margins = theme_margins(cosine, floor=0.3)
    assert np.allclose(margins, [[0.3, -0.3, -0.7], [-0.1, -0.05, -0.25]])
    assert np.allclose(theme_margins(np.array([[0.6], [0.1]]), floor=0.2), [[0.4], [-0.1]])


def test_a_competing_theme_lowers_the_score() -> None:
    calibration = Calibration(slope=5.0, intercept=-2.0, margin_slope=2.0, floor=0.1)
    alone = calibration(np.array([[0.5, 0.1]]))[0, 0]
    crowded = calibration(np.array([[0.5, 0.45]]))[0, 0]
    assert alone > crowded
