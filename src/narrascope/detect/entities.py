"""Entity mentions a document casts in roles: people, organisations, countries, armed forces.

Three sources, merged per document: the hand-written gazetteer (:mod:`entity_names`, every
language), natasha's shipped Russian NER model (PER, ORG, LOC; its weights are inside the
PyPI wheel, so nothing downloads), and, for scripts with capital letters, runs of capitalised
words. Mentions of one entity ("Vladimir Putin", "Putin", "Путина") are grouped into one
:class:`Entity`, so the role model can make one decision per entity.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from narrascope.detect.entity_names import GAZETTEER
from narrascope.model import Sentence

KINDS = ("person", "organisation", "country", "armed_forces", "other")
# Letters, digits and the Indic combining marks (vowel signs, virama), which \w does not cover.
_LETTER = r"[\w\u0900-\u0dff]"
_WORD_START = re.compile(rf"(?<!{_LETTER}){_LETTER}")
_WORD = re.compile(r"[^\W\d_][\w\u0900-\u0dff]*(?:['’-][\w\u0900-\u0dff]+)*")
_CONNECTORS = {"of", "de", "da", "do", "dos", "das", "von", "der", "van", "al", "bin", "la",
               "del", "на"}
_ORG_WORDS = {
    "ministry", "party", "council", "commission", "bank", "agency", "union", "organization",
    "organisation", "institute", "university", "forum", "fund", "corporation", "company",
    "committee", "parliament", "government", "court", "department", "association", "inc",
    "corp", "news", "times", "post", "service", "office", "foundation", "министерство",
    "партия", "совет", "комиссия", "правительство", "агентство", "банк", "фонд", "суд",
    "министерството", "партията", "съвет", "комисия", "правителството", "ministério",
    "partido", "conselho", "comissão", "governo", "tribunal", "agência", "fundação", "banco",
}
_ARMY_WORDS = {"army", "forces", "troops", "military", "armed", "армия", "войска", "армията",
               "exército", "forças", "tropas"}
_SKIP = {
    "the", "a", "an", "this", "that", "these", "in", "on", "at", "but", "and", "or", "if", "as",
    "for", "he", "she", "it", "we", "they", "i", "you", "his", "her", "their", "our", "mr",
    "mrs", "ms", "dr", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "но", "и", "в", "на", "по", "это",
    "он", "она", "они", "мы", "а", "не", "о", "os", "um", "uma", "em", "no", "na", "se",
    "е", "за", "от", "с", "той", "тя", "те", "ние", "however", "meanwhile", "later", "also",
    "after", "before", "since", "while", "when", "then", "now", "still", "according", "despite",
    "although", "during", "there", "here", "what", "why", "how", "who", "all", "some", "many",
    "most", "both", "each", "every", "not", "yesterday", "today", "tomorrow", "last", "next",
    "earlier", "instead", "thus", "so", "yet", "its", "my", "your", "однако", "также", "после",
    "сегодня", "вчера", "затем", "тогда", "когда", "как", "что", "все", "по-видимому", "днес",
    "след", "също", "hoje", "ontem", "depois", "antes", "também", "segundo",
}
_TITLES = {
    "president", "prime", "minister", "chancellor", "secretary", "general", "senator",
    "governor", "mayor", "king", "queen", "pope", "sir", "chairman", "ceo", "director",
    "президент", "премьер", "министр", "канцлер", "генсек", "губернатор", "мэр", "глава",
    "президентът", "премиерът", "министърът", "presidente", "ministro", "primeiro",
}
_MIN_NAME = 2


@dataclass(frozen=True)
class Entity:
    """One entity of a document and every mention of it (start, end exclusive)."""

    name: str
    kind: str
    mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    kind: str
    key: str  # entities with the same key are merged
    source: int  # 0 gazetteer, 1 NER model, 2 capitalised words: lower wins an overlap
    name: str


def _compile_form(form: str) -> re.Pattern[str]:
    """A form as a pattern matched at a word start (see the gazetteer's rules)."""
    body = r"\s+".join(re.escape(part) for part in form.rstrip("*").split())
    if not form.endswith("*"):
        pattern = rf"{body}(?!{_LETTER})"
    elif any("\uac00" <= c <= "\ud7a3" for c in form):  # Hangul: particles stay outside
        pattern = rf"{body}(?={_LETTER}{{0,4}}(?!{_LETTER}))"
    else:
        pattern = rf"{body}{_LETTER}{{0,4}}(?!{_LETTER})"
    cased = any(c.isupper() for c in form)
    return re.compile(pattern, 0 if cased else re.IGNORECASE)


_ENDINGS = re.compile(
    r"(?:'s|’s|ами|ями|ого|его|ому|ему|ыми|ими|ой|ей|ом|ем|ам|ям|ах|ях|ую|юю|ая|яя|ые|ие|ый|ий"
    r"|ым|им|ът|ят|та|то|те|а|я|у|ю|е|ы|и|о)$")


def _stem(word: str) -> str:
    """A crude stem that merges inflected forms (Путин, Путина, Путиным; Putin's)."""
    word = word.lower().strip("'’-.")
    stripped = _ENDINGS.sub("", word)
    return stripped if len(stripped) >= 3 else word


class EntityFinder:
    """Finds and groups entity mentions; holds the compiled gazetteer and, loaded on first
    Russian text, natasha's NER model."""

    def __init__(self, use_ner: bool = True) -> None:
        # forms indexed by their first two letters, lower-cased, tried at each word start
        self._forms: dict[str, list[tuple[re.Pattern[str], str, str]]] = {}
        for name, kind, forms in GAZETTEER:
            for form in dict.fromkeys(forms):
                self._forms.setdefault(form[:2].lower(), []).append(
                    (_compile_form(form), name, kind))
        self._use_ner = use_ner
        self._ner: Any = None

    def find(self, text: str, language: str, sentences: Sequence[Sentence]) -> list[Entity]:
        """The document's entities, in order of first mention."""
        candidates = self._gazetteer_matches(text)
        language = (language or "").lower()
        if language == "ru" and self._use_ner:
            candidates += self._ner_matches(text)
        if any(c.isupper() for c in text[:2000]):  # a script with capital letters
            candidates += _capitalised(text, sentences)
        return _group(_resolve_overlaps(candidates))

    def _gazetteer_matches(self, text: str) -> list[_Candidate]:
        found = []
        for word in _WORD_START.finditer(text):
            at = word.start()
            for pattern, name, kind in self._forms.get(text[at:at + 2].lower(), ()):
                m = pattern.match(text, at)
                if m:
                    found.append(_Candidate(at, m.end(), kind, "g:" + name, 0, name))
        return found

    def _load_ner(self) -> Any:
        if self._ner is None:
            try:
                natasha = importlib.import_module("natasha")
            except ImportError:  # the optional model is not installed: gazetteer and patterns
                self._use_ner = False
                return None
            self._ner = (natasha, natasha.Segmenter(),
                         natasha.NewsNERTagger(natasha.NewsEmbedding()))
        return self._ner

    def _ner_matches(self, text: str) -> list[_Candidate]:
        loaded = self._load_ner()
        if loaded is None:
            return []
        natasha, segmenter, tagger = loaded
        doc = natasha.Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        kinds = {"PER": "person", "ORG": "organisation", "LOC": "other"}
        found = []
        for span in doc.spans:
            surface = text[span.start:span.stop]
            kind = kinds.get(span.type, "other")
            found.append(_Candidate(span.start, span.stop, kind, _key(surface, kind), 1,
                                    surface))
        return found


def _key(surface: str, kind: str) -> str:
    words = _WORD.findall(surface)
    if not words:
        return "x:" + surface.lower()
    if kind == "person":
        return "p:" + _stem(words[-1])
    return "o:" + " ".join(_stem(w) for w in words)


def _kind_of(words: Sequence[str]) -> str:
    lowered = {w.lower() for w in words}
    if lowered & _ARMY_WORDS:
        return "armed_forces"
    if lowered & _ORG_WORDS or (len(words) == 1 and words[0].isupper() and len(words[0]) > 1):
        return "organisation"
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return "person"
    return "other"


def _capitalised(text: str, sentences: Sequence[Sentence]) -> list[_Candidate]:
    """Runs of capitalised words (with "of", "de", ... inside); a sentence-initial word counts
    only where it is capitalised inside a sentence too, or a capitalised word follows it;
    title-case headlines are skipped."""
    spans = [list(_WORD.finditer(s.slice(text))) for s in sentences]
    inside = {w.group() for words in spans for w in words[1:] if w.group()[0].isupper()}
    found = []
    for sentence, words in zip(sentences, spans, strict=True):
        capital = [w.group()[0].isupper() and w.group().lower() not in _SKIP for w in words]
        if len(words) >= 4 and sum(capital) > 0.6 * len(words) \
                and not sentence.slice(text).endswith("."):
            continue  # a title-case headline: nearly every word is capitalised
        if capital and words[0].group() not in inside and not (len(words) > 1 and capital[1]):
            capital[0] = False
        run: list[re.Match[str]] = []
        for i, word in enumerate(words):
            if capital[i]:
                if run and _gap(sentence.slice(text), run[-1], word):
                    found += _run_candidate(run, sentence.start)
                    run = []
                run.append(word)
            elif run and word.group().lower() in _CONNECTORS and i + 1 < len(words) \
                    and capital[i + 1]:
                run.append(word)
            else:
                found += _run_candidate(run, sentence.start)
                run = []
        found += _run_candidate(run, sentence.start)
    return found


def _gap(sentence: str, before: re.Match[str], after: re.Match[str]) -> bool:
    """Whether anything but a single space separates two words."""
    return sentence[before.end():after.start()] not in (" ", "-")


def _run_candidate(run: Sequence[re.Match[str]], offset: int) -> list[_Candidate]:
    titles = [i for i, w in enumerate(run[:-1]) if w.group().lower() in _TITLES]
    if titles:  # "Russian President Vladimir Putin": the name starts after the title
        run = run[titles[-1] + 1:]
    while run and run[-1].group().lower() in _CONNECTORS:
        run = run[:-1]
    if not run:
        return []
    words = [w.group() for w in run]
    if len(words) == 1 and len(words[0]) < _MIN_NAME:
        return []
    start, end = offset + run[0].start(), offset + run[-1].end()
    kind = _kind_of(words)
    return [_Candidate(start, end, kind, _key(" ".join(words), kind), 2, " ".join(words))]


def _resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the longest of overlapping candidates (the lowest source on a tie), except that a
    run of capitalised words never overrides the gazetteer, and a longer name around a
    gazetteer person ("Vladimir Putin" around "Putin") takes that person's identity."""
    gazetteer = [c for c in candidates if c.source == 0]
    out = []
    for c in candidates:
        inner = [g for g in gazetteer if c.source > 0 and g.start < c.end and c.start < g.end]
        person = next((g for g in inner if g.kind == "person" and c.kind in ("person", "other")
                       and c.start <= g.start and g.end <= c.end), None)
        if person is not None:  # start after a place or body that precedes the name
            start = max([c.start] + [g.end for g in inner
                                     if g.kind != "person" and g.end <= person.start])
            start += start > c.start  # the one space or hyphen between the words of a run
            out.append(_Candidate(start, c.end, "person", person.key, 0, person.name))
        elif not (inner and c.source == 2):
            out.append(c)
    ranked = sorted(out, key=lambda c: (-(c.end - c.start), c.source, c.start))
    kept: list[_Candidate] = []
    for c in ranked:
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _group(candidates: list[_Candidate]) -> list[Entity]:
    """One entity per key; a single capitalised word that is the surname of a person found in
    the same document joins that person."""
    people = {c.key for c in candidates if c.kind == "person"}
    groups: dict[str, list[_Candidate]] = {}
    for c in candidates:
        key = c.key
        if c.kind == "other" and key.startswith("o:") and "p:" + key[2:] in people:
            key = "p:" + key[2:]
        groups.setdefault(key, []).append(c)
    entities = []
    for members in groups.values():
        kinds = {m.kind for m in members}
        kind = next((k for k in KINDS if k in kinds), "other")
        gazetteer = [m.name for m in members if m.source == 0]
        name = gazetteer[0] if gazetteer else max((m.name for m in members), key=len)
        entities.append(Entity(name, kind, tuple((m.start, m.end) for m in members)))
    return entities


def find_entities(text: str, language: str, sentences: Sequence[Sentence],
                  finder: EntityFinder | None = None) -> list[Entity]:
    """The entities of one document; pass a long-lived `finder` to load the NER model once."""
    return (finder or EntityFinder()).find(text, language, sentences)
