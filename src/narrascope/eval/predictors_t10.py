"""The narrative and entity-role models as predictors for SemEval-2025 Task 10 (`t10-st2`,
`t10-st1`), writing the task's official files."""

from __future__ import annotations

from pathlib import Path

from narrascope.embed import Encoder
from narrascope.errors import NarrascopeError
from narrascope.eval import t10
from narrascope.eval.run import Prediction, read_folder
from narrascope.eval.tasks import Task
from narrascope.ingest.langid import LanguageIdentifier
from narrascope.nlp.segment import split_sentences


def _documents(folder: Path) -> dict[str, str]:
    return read_folder(folder, t10.read_documents, ".txt documents")


def _language(article_id: str, text: str, langid: LanguageIdentifier) -> str:
    """The task's ids start with the language (EN_CC_100013.txt); others are identified."""
    prefix = article_id.split("_", 1)[0].upper()
    return prefix.lower() if prefix in t10.LANGUAGES else langid.identify(text)


def predict_narratives(task: Task, folder: Path, out: Path, _template: Path | None
                       ) -> Prediction:
    """Subtask 2: narratives and sub-narratives of every document of the folder."""
    from narrascope.detect.narratives import NarrativeModel

    model, encoder, langid = NarrativeModel.load(), Encoder(), LanguageIdentifier()
    documents = _documents(folder)
    labels = []
    for article_id, text in sorted(documents.items()):
        language = _language(article_id, text, langid)
        sentences = split_sentences(text, language)
        vectors = encoder.encode([s.slice(text) for s in sentences])
        found = model.predict(text, language, sentences, vectors, encoder)
        narratives = tuple(x.label for x in found.narratives) or ("Other",)
        subnarratives = tuple(x.label for x in found.subnarratives) or ("Other",)
        labels.append(t10.NarrativeLabels(article_id, narratives, subnarratives))
    t10.write_st2(labels, out)
    return Prediction(out, len(documents))


def _mentions(path: Path) -> list[t10.Mention]:
    """The mentions to label: the task's input file (4 columns) or a gold/prediction file."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = next((line for line in fh if line.strip()), "")
    return t10.read_st1(path, gold=len(first.rstrip("\r\n").split("\t")) != 4)


def predict_roles(task: Task, folder: Path, out: Path, template: Path | None) -> Prediction:
    """Subtask 1: the roles of every given mention."""
    from narrascope.detect.roles import RoleModel, predict_mentions

    if template is None:
        raise NarrascopeError("t10-st1 needs the mentions to label: pass --mentions FILE (the "
                              "task's subtask-1-entity-mentions.txt: article_id, mention, start, "
                              "end with the end inclusive)")
    model, encoder, langid = RoleModel.load(), Encoder(), LanguageIdentifier()
    documents = _documents(folder)
    wanted = _mentions(template)
    by_language: dict[str, list[t10.Mention]] = {}
    for m in wanted:
        if m.article_id not in documents:
            raise NarrascopeError(f"{template}: article {m.article_id} is not in {folder}")
        language = _language(m.article_id, documents[m.article_id], langid)
        by_language.setdefault(language, []).append(m)
    labelled = [p for language, group in sorted(by_language.items())
                for p in predict_mentions(model, documents, group, language, encoder)]
    t10.write_st1(labelled, out)
    return Prediction(out, len({m.article_id for m in wanted}))

