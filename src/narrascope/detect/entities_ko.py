"""Korean names: kiwipiepy's proper nouns (its model ships inside the ``kiwipiepy_model`` wheel)
that the text marks as people by an honorific or a title right after them ("김정은동지께서",
"리병철 부위원장"). Other Korean actors come from the actors file, whose aliases match with
particles after them. Optional: without kiwipiepy, Korean uses the actors file alone.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

# what follows a person's name in North and South Korean usage
PERSON_MARKERS = ("동지", "동무", "씨", "선생", "장군", "원수", "대통령", "위원장", "총비서",
                  "주석", "수상", "총리", "부장", "부위원장", "대사", "장관", "의원", "비서",
                  "국무위원장", "대표", "상", "님")


@dataclass(frozen=True)
class KoreanName:
    start: int
    end: int
    name: str
    kind: str


class KoreanNames:
    """kiwipiepy, loaded on first use."""

    def __init__(self) -> None:
        self._kiwi: Any = None
        self.available = True

    def _load(self) -> Any:
        if self._kiwi is None and self.available:
            try:
                kiwipiepy = importlib.import_module("kiwipiepy")
            except ImportError:
                self.available = False
                return None
            self._kiwi = kiwipiepy.Kiwi()
        return self._kiwi

    def names(self, text: str) -> list[KoreanName]:
        kiwi = self._load()
        if kiwi is None:
            return []
        tokens = kiwi.tokenize(text)
        out = []
        for i, token in enumerate(tokens):
            if token.tag != "NNP" or len(token.form) < 2:
                continue
            start, end = token.start, token.start + token.len
            after = text[end:end + 8].lstrip()
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.tag == "NNP" and nxt.start == end:
                continue  # part of a longer compound name: the actors file's business
            if len(token.form) in (2, 3, 4) and after.startswith(PERSON_MARKERS):
                out.append(KoreanName(start, end, token.form, "person"))
        return out
