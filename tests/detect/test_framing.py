"""Framing cues and mention features: what the text says around a mention, never who it is."""

from __future__ import annotations

import numpy as np

from narrascope.detect.framing import FramingLexicon, context_of
from narrascope.detect.roles_features import mention_features
from narrascope.nlp.segment import split_sentences
from tests.fakes import HashEncoder


def _counts(text: str, name: str, language: str) -> dict[str, float]:
    start = text.index(name)
    return FramingLexicon().counts(context_of(text, start, start + len(name), 0, len(text)),
                                   language)


def test_cues_in_three_languages() -> None:
    praise = _counts("The respected Comrade Kim Jong Un gave warm guidance.", "Kim Jong Un", "en")
    assert praise["near_praise"] >= 2 and praise["near_condemn"] == 0
    condemn = _counts("The puppet ROK gangsters staged a reckless provocation.", "ROK", "en")
    assert condemn["near_condemn"] >= 2 and condemn["near_praise"] == 0
    ours = _counts("We thank our Party for everything.", "Party", "en")
    assert ours["near_self"] == 1
    ru = _counts("Киевский режим снова обстрелял мирных жителей.", "Киевский режим", "ru")
    assert ru["near_condemn"] >= 1 and ru["near_victim"] >= 1
    ko = _counts("경애하는 김정은동지께서 현지지도하시였다.", "김정은", "ko")
    assert ko["near_praise"] >= 2
    ko_enemy = _counts("미제와 괴뢰들의 침략책동을 짓부시자.", "미제", "ko")
    assert ko_enemy["near_condemn"] >= 2


def test_the_mention_itself_is_masked() -> None:
    """Two actors in the same words get the same framing features: identity is not one."""
    encoder, lexicon = HashEncoder(), FramingLexicon()
    features = []
    for name in ("Ivan Petrov", "Great Hero"):
        text = f"Yesterday {name} attacked the village."
        sentences = split_sentences(text)
        start = text.index(name)
        features.append(mention_features(text, "en", [(start, start + len(name))], sentences,
                                         encoder.encode([s.slice(text) for s in sentences]),
                                         lexicon))
    a, b = features
    assert np.array_equal(a.hashed[0][0], b.hashed[0][0])
    assert np.array_equal(a.cues, b.cues)
    assert not np.array_equal(a.identity[0][0], b.identity[0][0])
