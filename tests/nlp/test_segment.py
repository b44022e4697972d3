from __future__ import annotations

import itertools

import pytest

from narrascope.nlp.segment import split_sentences

CASES = [
    ("en", "Mr. Smith met Dr. J. Brown at 5 p.m. on Monday. The U.S. Army left! Why? Nobody knows.",
     ["Mr. Smith met Dr. J. Brown at 5 p.m. on Monday.", "The U.S. Army left!", "Why?",
      "Nobody knows."]),
    ("ru", "В 2024 г. было много событий. Т.е. всё сложно! Президент заявил: «Мы победим». Да.",
     ["В 2024 г. было много событий.", "Т.е. всё сложно!", "Президент заявил: «Мы победим».",
      "Да."]),
    ("ko",
     "조선인민군 군인들은 영웅적 위훈을 세웠다. 김정은 동지께서는 말씀하시였다. "
     "\"우리는 승리한다!\" 그렇다.",
     ["조선인민군 군인들은 영웅적 위훈을 세웠다.", "김정은 동지께서는 말씀하시였다.",
      "\"우리는 승리한다!\"", "그렇다."]),
    ("zh", "外交部发言人表示。我们坚决反对！这是什么？好的",
     ["外交部发言人表示。", "我们坚决反对！", "这是什么？", "好的"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_sentences_per_language(language: str, text: str, expected: list[str]) -> None:
    spans = split_sentences(text, language)
    assert [s.slice(text) for s in spans] == expected


@pytest.mark.parametrize(("language", "text", "_expected"), CASES)
def test_offsets_slice_the_text_exactly(language: str, text: str, _expected: list[str]) -> None:
    padded = "  \n" + text.replace(". ", ".\n\n  ") + "\n"
    spans = split_sentences(padded, language)
    assert spans, "no sentence found"
    for s in spans:
        piece = padded[s.start : s.end]
        assert piece == piece.strip() and piece
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_headings_and_hard_wrapped_lines() -> None:
    text = "A headline\n\nThe first line of a paragraph\ncontinues here. Then another.\nNext"
    assert [s.slice(text) for s in split_sentences(text)] == [
        "A headline", "The first line of a paragraph\ncontinues here.", "Then another.", "Next"]


def test_overlong_sentence_is_cut() -> None:
    text = ", ".join(["word"] * 600) + "."
    spans = split_sentences(text)
    assert len(spans) > 1
    assert max(s.end - s.start for s in spans) <= 1000
    assert "".join(text[s.start : s.end] for s in spans).replace(" ", "") == text.replace(" ", "")


def test_empty_text() -> None:
    assert split_sentences("  \n\n ") == []
