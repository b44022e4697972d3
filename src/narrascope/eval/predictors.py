"""The shipped models as predictors for `narrascope eval predict|run`, writing the tasks'
official file formats. A task's predictor is registered only when its model is present."""

from __future__ import annotations

from pathlib import Path

from narrascope.detect.technique_spans import techniques_available
from narrascope.embed import Encoder
from narrascope.errors import NarrascopeError
from narrascope.eval import ptc
from narrascope.eval.run import PREDICTORS, Prediction, read_folder
from narrascope.eval.tasks import Task
from narrascope.nlp.segment import split_sentences

_LANGUAGE = {"ptc-si": "en", "ptc-tc": "en", "ru-si": "ru"}


def _articles(folder: Path, task: Task) -> dict[str, str]:
    return read_folder(folder, ptc.read_articles, "article<ID>.txt files")


def predict_spans(task: Task, folder: Path, out: Path, _template: Path | None) -> Prediction:
    """SI: the span tagger's spans for every article of the folder."""
    from narrascope.detect.techniques.si import SpanTagger

    tagger, encoder = SpanTagger.load(), Encoder()
    language = _LANGUAGE[task.name]
    spans = []
    articles = _articles(folder, task)
    for article_id, text in sorted(articles.items()):
        sentences = split_sentences(text, language)
        vectors = encoder.encode([s.slice(text) for s in sentences])
        for start, end, _score in tagger.predict(text, language, sentences, vectors,
                                                     encoder):
            spans.append(ptc.Span(article_id, start, end))
    ptc.write_si(spans, out)
    return Prediction(out, len(articles))


def predict_techniques(task: Task, folder: Path, out: Path, template: Path | None) -> Prediction:
    """TC: a technique for every span of the template (the official TC input)."""
    from narrascope.detect.techniques.tc import TechniqueClassifier

    if template is None:
        raise NarrascopeError("ptc-tc needs the spans to label: pass --mentions TEMPLATE "
                              "(article_id, technique or ?, start, end per line)")
    classifier, encoder = TechniqueClassifier.load(), Encoder()
    articles = _articles(folder, task)
    wanted = ptc.read_tc(template)
    by_article: dict[str, list[ptc.Span]] = {}
    for span in wanted:
        by_article.setdefault(span.article_id, []).append(span)
    labelled = []
    for article_id, spans in sorted(by_article.items()):
        if article_id not in articles:
            raise NarrascopeError(f"{template}: article {article_id} is not in {folder}")
        ranked = classifier.predict(articles[article_id], [(s.start, s.end) for s in spans],
                                    encoder)
        labelled += _spread_duplicates(spans, ranked)
    ptc.write_tc(labelled, out)
    return Prediction(out, len(by_article))


def _spread_duplicates(spans: list[ptc.Span],
                       ranked: list[list[tuple[str, float]]]) -> list[ptc.Span]:
    """An identical span listed n times carries n gold techniques: give the k-th copy the
    classifier's k-th choice rather than the same label n times."""
    seen: dict[tuple[int, int], int] = {}
    out = []
    for span, labels in zip(spans, ranked, strict=True):
        k = seen.get((span.start, span.end), 0)
        seen[(span.start, span.end)] = k + 1
        technique = labels[min(k, len(labels) - 1)][0]
        out.append(ptc.Span(span.article_id, span.start, span.end, technique))
    return out


def predict_stories(task: Task, input_path: Path, out: Path, _m: Path | None) -> Prediction:
    from narrascope.eval.stories_task import predict_file

    return Prediction(out, predict_file(task.name, input_path, out))


def predict_roles_real(task: Task, input_path: Path, out: Path, _m: Path | None) -> Prediction:
    from narrascope.eval.roles_real import predict_file

    return Prediction(out, predict_file(input_path, out))


def register_builtin() -> None:
    from narrascope.detect.narrative_detector import narratives_available
    from narrascope.detect.role_detector import roles_available
    from narrascope.eval.predictors_t10 import predict_narratives, predict_roles

    PREDICTORS.setdefault("stories-ecbplus", predict_stories)
    PREDICTORS.setdefault("stories-allsides", predict_stories)
    if narratives_available():
        PREDICTORS.setdefault("t10-st2", predict_narratives)
    if roles_available():
        PREDICTORS.setdefault("t10-st1", predict_roles)
        PREDICTORS.setdefault("roles-real", predict_roles_real)
    if techniques_available():
        PREDICTORS.setdefault("ptc-si", predict_spans)
        PREDICTORS.setdefault("ru-si", predict_spans)
        PREDICTORS.setdefault("ptc-tc", predict_techniques)
