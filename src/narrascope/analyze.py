"""Analysis: embed the sentences of stored documents and run detectors over them.

Work is done in chunks; each chunk's embeddings, annotations and completion marks are written in
one transaction, so a killed run leaves whole chunks behind and the next run picks up the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection

from narrascope.detect.base import AnalysisInput, Detector
from narrascope.embed import Encoder
from narrascope.ingest.langid import LanguageIdentifier
from narrascope.model import Annotation, Sentence, StoredDocument
from narrascope.nlp.segment import split_sentences
from narrascope.store import Store, repo
from narrascope.store import annotations as ann_repo

CHUNK = 32
Progress = Callable[[int], None]


@dataclass
class AnalyzeReport:
    documents: int = 0
    annotations: dict[str, int] = field(default_factory=dict)
    stories: dict[str, int] = field(default_factory=dict)  # what the story tracker did after

    def to_json(self) -> dict[str, object]:
        return {"documents": self.documents, "annotations": self.annotations,
                "stories": self.stories}


class Analyzer:
    def __init__(self, store: Store, encoder: Encoder, detectors: Sequence[Detector]) -> None:
        self.store = store
        self.encoder = encoder
        self.detectors = list(detectors)

    def pending(self) -> dict[str, set[int]]:
        """Per detector, the documents it still has to analyse with its current settings."""
        with self.store.read() as conn:
            return {
                d.name: set(ann_repo.pending_documents(conn, d.name, d.config_hash))
                for d in self.detectors
            }

    def run(self, progress: Progress | None = None,
            on_start: Callable[[int], None] | None = None) -> AnalyzeReport:
        todo = self.pending()
        ids = sorted(set().union(*todo.values())) if todo else []
        if on_start:
            on_start(len(ids))
        report = AnalyzeReport(annotations={d.name: 0 for d in self.detectors})
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            with self.store.transaction() as conn:
                inputs = self._inputs(conn, chunk)
                for detector in self.detectors:
                    wanted = [x for x in inputs if x.document.id in todo[detector.name]]
                    for item, found in zip(wanted, detector.predict(wanted), strict=True):
                        ann_repo.save_results(conn, item.document.id, detector.name,
                                              detector.version, detector.config_hash, found)
                        report.annotations[detector.name] += len(found)
            report.documents += len(chunk)
            if progress:
                progress(len(chunk))
        return report

    def _inputs(self, conn: Connection, doc_ids: list[int]) -> list[AnalysisInput]:
        docs = repo.load_documents(conn, doc_ids)
        spans = repo.load_sentences(conn, doc_ids)
        sentence_ids = [sid for d in doc_ids for sid, _ in spans[d]]
        vectors = ann_repo.load_vectors(conn, sentence_ids, self.encoder.name)
        missing = [sid for sid in sentence_ids if sid not in vectors]
        if missing:
            texts = {sid: s.slice(doc.text) for doc in docs for sid, s in spans[doc.id]}
            fresh = self.encoder.encode([texts[sid] for sid in missing])
            ann_repo.save_vectors(conn, missing, fresh, self.encoder.name)
            vectors.update(zip(missing, fresh, strict=True))
        return [
            AnalysisInput(
                document=doc,
                sentences=[s for _, s in spans[doc.id]],
                vectors=np.stack([vectors[sid] for sid, _ in spans[doc.id]])
                if spans[doc.id] else np.zeros((0, 512), dtype=np.float32),
            )
            for doc in docs
        ]


@dataclass(frozen=True)
class TextAnalysis:
    """The result of analysing one text without storing it; offsets slice the text as given."""

    language: str
    sentences: list[Sentence]
    findings: dict[str, list[Annotation]]


def analyze_text(
    text: str,
    encoder: Encoder,
    detectors: Sequence[Detector],
    langid: LanguageIdentifier,
    language: str | None = None,
) -> TextAnalysis:
    lang = language or langid.identify(text)
    sentences = split_sentences(text, lang)
    doc = StoredDocument(id=0, text=text, language=lang, title=None, url=None, published=None,
                         source=None, source_kind=None, country=None)
    item = AnalysisInput(doc, sentences, encoder.encode([s.slice(text) for s in sentences]))
    findings = {d.name: d.predict([item])[0] for d in detectors}
    return TextAnalysis(lang, sentences, findings)
