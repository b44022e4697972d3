"""Russian names: natasha's shipped NER model (people, organisations, places), names put in
the nominative with its morphology tagger and dictionary, and the actors file's Russian aliases
matched on lemmas, so that "Курской области", "Москвы" and "Пхеньяне" are found under "Курская
область", "Москва" and "Пхеньян". Everything here is optional: without natasha, Russian falls
back to the actors file's plain patterns and capitalised runs.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

from narrascope.detect.actors import Actor, ActorCatalog, AliasMatch

_TOKEN = re.compile(r"[\w-]+")
_LemmaForm = tuple[tuple[str, ...], Actor, bool, tuple[bool, ...]]  # lemmas, actor, title, caps


@dataclass(frozen=True)
class RussianName:
    """A name natasha found (end exclusive), in the nominative."""

    start: int
    end: int
    name: str
    kind: str  # person, organisation or place


class RussianNames:
    """natasha's segmenter, NER tagger and morphology, loaded on first use."""

    def __init__(self) -> None:
        self._loaded: Any = None
        self.available = True
        self._lemma_index: tuple[ActorCatalog, dict[str, list[_LemmaForm]]] | None = None

    def _load(self) -> Any:
        if self._loaded is None and self.available:
            try:
                natasha = importlib.import_module("natasha")
            except ImportError:
                self.available = False
                return None
            embedding = natasha.NewsEmbedding()
            self._loaded = (natasha, natasha.Segmenter(), natasha.NewsNERTagger(embedding),
                            natasha.MorphVocab(), natasha.NewsMorphTagger(embedding))
        return self._loaded

    def lemma(self, word: str) -> str:
        loaded = self._load()
        if loaded is None:
            return word.lower()
        forms = loaded[3].parse(word)
        return str(forms[0].normal).replace("ё", "е") if forms else word.lower()

    def names(self, text: str) -> list[RussianName]:
        loaded = self._load()
        if loaded is None:
            return []
        natasha, segmenter, tagger, vocab, morph = loaded
        doc = natasha.Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.tag_ner(tagger)
        kinds = {"PER": "person", "ORG": "organisation", "LOC": "place"}
        out = []
        for span in doc.spans:
            if not _TOKEN.search(text[span.start:span.stop]):
                continue
            span.normalize(vocab)  # the nominative, from the words' tags in context
            out.append(RussianName(span.start, span.stop, str(span.normal or span.text),
                                   kinds.get(span.type, "place")))
        return out

    def _index(self, catalog: ActorCatalog) -> dict[str, list[_LemmaForm]]:
        """The catalog's Cyrillic aliases by the lemma of their first word (made once)."""
        if self._lemma_index is None or self._lemma_index[0] is not catalog:
            index: dict[str, list[_LemmaForm]] = {}
            for words, actor, title in catalog.lemma_forms():
                key = tuple(self.lemma(w) for w in words)
                capitals = tuple(w[:1].isupper() for w in words)
                index.setdefault(key[0], []).append((key, actor, title, capitals))
            self._lemma_index = (catalog, index)
        return self._lemma_index[1]

    def alias_matches(self, text: str, catalog: ActorCatalog) -> list[AliasMatch]:
        """The catalog's Cyrillic aliases and titles found on lemmas (any case form)."""
        if self._load() is None:
            return []
        tokens = list(_TOKEN.finditer(text))
        lemmas = [self.lemma(t.group()) for t in tokens]
        index = self._index(catalog)
        found = []
        for i, lemma in enumerate(lemmas):
            for key, actor, title, capitals in index.get(lemma, ()):
                j = i + len(key)
                if tuple(lemmas[i:j]) != key:
                    continue
                # a capitalised word of the alias must be capitalised in the text ("Газа" is
                # not "газа"; "Курская область" matches "Курской области")
                if any(cap and not t.group()[:1].isupper()
                       for cap, t in zip(capitals, tokens[i:j], strict=True)):
                    continue
                found.append(AliasMatch(tokens[i].start(), tokens[j - 1].end(), actor, title))
        return found
