"""Learn the codebook-theme calibration (``models/themes-calibration.json``) from SemEval-2025
Task 10, subtask 2 (news annotated with the narratives and sub-narratives they convey).

Each sub-narrative of the task's taxonomy is treated as a codebook theme (its definition and its
example sentences are the prototypes). For every (document, theme) pair of the same domain the
feature is the cosine the detector sees, max over the document's sentences of max over the theme's
prototypes, and the label is whether the annotators gave the document that sub-narrative. A
one-dimensional logistic regression on the TRAIN pairs gives slope and intercept; the DEV pairs
are only scored. The test split is never read.

Positives and negatives are weighted equally within each domain (the slope), then the intercept is
shifted so that 0.5 is the train F1-best operating point; see the model card.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from narrascope.detect.codebook import Theme
from narrascope.detect.themes import theme_margins
from narrascope.embed import ENCODER_NAME, Encoder
from narrascope.errors import NarrascopeError
from narrascope.nlp.segment import split_sentences
from narrascope.train.logistic import (
    THRESHOLD,
    FloatArray,
    StrArray,
    balanced_weights,
    best_f1_threshold,
    evaluate,
    fit_logistic_nd,
    precision_recall_f1,
    roc_auc,
    rounded,
    sigmoid,
)

Progress = Callable[[str], None]

DATASET = "semeval2025t10"
DOMAINS = ("URW", "CC")
LANGUAGES = ("BG", "EN", "HI", "PT", "RU")
COMMAND = "narrascope train themes"
_ENCODE_CHUNK = 4096
# Document-id tokens that name the domain (used only for documents labelled just "Other").
_DOMAIN_HINTS = {"CC": "CC", "UA": "URW", "URW": "URW"}


@dataclass(frozen=True)
class TaskTheme:
    """A sub-narrative as a codebook theme; ``theme.label`` is the annotation string."""

    theme: Theme
    domain: str


@dataclass(frozen=True)
class Doc:
    doc_id: str
    language: str
    domains: tuple[str, ...]
    sentences: tuple[str, ...]
    gold: frozenset[str]


@dataclass(frozen=True)
class Pairs:
    """One row per (document, theme) pair; x holds (cosine, margin) of the evidence sentence."""

    x: FloatArray
    y: FloatArray
    domain: StrArray
    language: StrArray
    on_topic: npt.NDArray[np.bool_]


# ---------------------------------------------------------------- data


def load_themes(taxonomy_dir: Path) -> list[TaskTheme]:
    """The taxonomy's sub-narratives (without the "Other" ones) as codebook themes."""
    tree = json.loads((taxonomy_dir / "taxonomy.json").read_text(encoding="utf-8-sig"))
    home = {
        sub: (domain, narrative)
        for domain, narratives in tree.items()
        for narrative, subs in narratives.items()
        for sub in subs
    }
    path = taxonomy_dir / "subnarrative_definitions.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    themes = []
    for row in rows:
        name = row["subnarrative"].strip()
        if name == "Other":
            continue
        if name not in home:
            raise NarrascopeError(f"{path}: sub-narrative {name!r} is not in taxonomy.json")
        domain, narrative = home[name]
        cell = row.get("examples") or ""
        examples = tuple(s.slice(cell).strip() for s in split_sentences(cell, "en"))
        label = f"{domain}: {narrative}: {name}"
        theme = Theme(name, label, row["definition"].strip(), tuple(e for e in examples if e))
        themes.append(TaskTheme(theme, domain))
    return themes


def _read_annotations(path: Path) -> dict[str, frozenset[str]]:
    """article_id -> its gold sub-narrative labels (third column, ';'-joined)."""
    gold: dict[str, frozenset[str]] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) >= 3 and fields[0]:
            gold[fields[0]] = frozenset(s.strip() for s in fields[2].split(";") if s.strip())
    return gold


def _doc_domains(doc_id: str, gold: frozenset[str]) -> tuple[str, ...]:
    """The domain(s) from the labels; for "Other"-only documents from the id, else both."""
    prefixes = {label.split(":", 1)[0].strip() for label in gold if label != "Other"}
    found = tuple(d for d in DOMAINS if d in prefixes)
    if found:
        return found
    tokens = re.split(r"[_\-.]", doc_id.upper())
    hinted = {_DOMAIN_HINTS[t] for t in tokens if t in _DOMAIN_HINTS}
    return tuple(d for d in DOMAINS if d in hinted) or DOMAINS


def load_split(root: Path, split: str, language: str, max_sentences: int) -> list[Doc]:
    """The subtask-2 documents of one split ("train" or "dev") and language, with gold labels."""
    if split not in ("train", "dev"):
        raise ValueError(f"only the train and dev splits are used, not {split!r}")
    base = root / split / language
    doc_dir = base / ("raw-documents" if split == "train" else "subtask-2-documents")
    annotations = base / "subtask-2-annotations.txt"
    if not annotations.is_file():
        raise NarrascopeError(f"{annotations}: no such file; is the SemEval-2025 Task 10 data "
                              "staged under the data directory?")
    docs = []
    for doc_id, gold in sorted(_read_annotations(annotations).items()):
        raw = (doc_dir / doc_id).read_text(encoding="utf-8-sig")
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        spans = split_sentences(text, language.lower())[:max_sentences]
        sentences = tuple(s.slice(text) for s in spans)
        docs.append(Doc(doc_id, language, _doc_domains(doc_id, gold), sentences, gold))
    return docs


# ---------------------------------------------------------------- features


def _theme_cosines(
    sentences: list[str], themes: Sequence[TaskTheme], encoder: Encoder, say: Progress
) -> FloatArray:
    """cosine[sentence, theme]: max over the theme's prototypes, as the detector computes it."""
    groups = [t.theme.prototypes() for t in themes]
    prototypes = encoder.encode([p for group in groups for p in group])
    chunks = []
    for start in range(0, len(sentences), _ENCODE_CHUNK):
        chunks.append(encoder.encode(sentences[start : start + _ENCODE_CHUNK]) @ prototypes.T)
        say(f"embedded {min(start + _ENCODE_CHUNK, len(sentences))}/{len(sentences)} sentences")
    sims = np.concatenate(chunks) if chunks else np.zeros((0, len(prototypes)))
    out = np.zeros((len(sentences), len(themes)))
    col = 0
    for j, group in enumerate(groups):
        out[:, j] = sims[:, col : col + len(group)].max(axis=1)
        col += len(group)
    return out


@dataclass(frozen=True)
class SentenceFeatures:
    """Per sentence and theme: the cosine, and the margin over the closest other theme of the same
    domain (the codebook a theme competes in is its domain's sub-narratives)."""

    cosine: FloatArray
    margin: FloatArray
    floor: float


def sentence_features(
    sentences: list[str], themes: Sequence[TaskTheme], encoder: Encoder, say: Progress,
    floor: float | None = None,
) -> SentenceFeatures:
    """`floor` (the lowest "closest other" cosine counted) defaults to the median closest-other
    cosine of these sentences; pass the train value when featurising dev."""
    cosine = _theme_cosines(sentences, themes, encoder, say)
    domains = np.array([t.domain for t in themes])
    if floor is None:
        others = [np.sort(cosine[:, domains == d], axis=1)[:, -2] for d in DOMAINS
                  if (domains == d).sum() > 1 and len(cosine)]
        floor = float(np.median(np.concatenate(others))) if others else 0.0
    margin = np.zeros_like(cosine)
    for domain in DOMAINS:
        cols = domains == domain
        if cols.any():
            margin[:, cols] = theme_margins(cosine[:, cols], floor)
    return SentenceFeatures(cosine, margin, floor)


def document_features(
    docs: Sequence[Doc], feats: SentenceFeatures, weights: tuple[float, float]
) -> FloatArray:
    """feature[document, theme] = (cosine, margin) of the document's sentence that scores best
    under `weights` (cosine and margin slopes), as the detector picks its evidence."""
    out = np.zeros((len(docs), feats.cosine.shape[1], 2))
    start = 0
    for i, doc in enumerate(docs):
        n = len(doc.sentences)
        if n:
            cos, mar = feats.cosine[start : start + n], feats.margin[start : start + n]
            best = np.argmax(weights[0] * cos + weights[1] * mar, axis=0)
            cols = np.arange(cos.shape[1])
            out[i, :, 0], out[i, :, 1] = cos[best, cols], mar[best, cols]
        start += n
    return out


def build_pairs(docs: Sequence[Doc], themes: Sequence[TaskTheme], features: FloatArray,
                on_topic_only: bool = False) -> Pairs:
    """Pairs of each document with each theme. A document of the other domain is an unrelated
    article for that theme's codebook: a negative, as the off-topic news an analyst's codebook
    meets every day (`on_topic_only` leaves those pairs out)."""
    xs: list[FloatArray] = []
    ys: list[float] = []
    domains: list[str] = []
    languages: list[str] = []
    on_topic: list[bool] = []
    for i, doc in enumerate(docs):
        for j, task_theme in enumerate(themes):
            same = task_theme.domain in doc.domains
            if same or not on_topic_only:
                xs.append(features[i, j])
                ys.append(1.0 if same and task_theme.theme.label in doc.gold else 0.0)
                domains.append(task_theme.domain)
                languages.append(doc.language)
                on_topic.append(same)
    return Pairs(np.array(xs, dtype=np.float64).reshape(len(ys), -1),
                 np.array(ys, dtype=np.float64),
                 np.array(domains, dtype=np.str_), np.array(languages, dtype=np.str_),
                 np.array(on_topic, dtype=bool))


def _per_language(pairs: Pairs, scores: FloatArray) -> dict[str, dict[str, Any]]:
    return {
        str(lang): evaluate(scores[pairs.language == lang], pairs.y[pairs.language == lang])
        for lang in sorted(set(pairs.language.tolist()))
    }


# ---------------------------------------------------------------- training run


def _logits(calibration: dict[str, Any], x: FloatArray) -> FloatArray:
    out: FloatArray = (calibration["slope"] * x[:, 0] + calibration["margin_slope"] * x[:, 1]
                       + calibration["intercept"])
    return out


def choose_calibration(train: Pairs) -> dict[str, Any]:
    """The balanced fit, its intercept shifted so that the threshold giving the best F1 on TRAIN
    (at the task's own prevalence) becomes 0.5: the default threshold then marks the operating
    point that trades precision and recall best on real data, not on an even prior."""
    weights = balanced_weights(train.y, train.domain)
    slopes, intercept = fit_logistic_nd(train.x, train.y, weights)
    fit = {"slope": float(slopes[0]), "margin_slope": float(slopes[1]), "intercept": intercept}
    scores = sigmoid(_logits(fit, train.x))
    threshold, f1 = best_f1_threshold(scores, train.y)
    balanced_threshold, balanced_f1 = best_f1_threshold(scores, train.y, weights)
    clipped = min(max(threshold, 1e-6), 1 - 1e-6)
    shift = -math.log(clipped / (1 - clipped))  # maps that threshold to 0.5
    return {
        "slope": round(fit["slope"], 4),
        "margin_slope": round(fit["margin_slope"], 4),
        "intercept": round(intercept + shift, 4),
        "shipped": "balanced fit, intercept shifted to the train F1-best threshold",
        "balanced_fit": rounded({
            **fit, "intercept_shift": shift,
            "train_f1_best_threshold": threshold, "train_f1_at_best_threshold": f1,
            "train_f1_at_0.5": precision_recall_f1(scores, train.y, THRESHOLD)["f1"],
            "train_balanced_f1_best_threshold": balanced_threshold,
            "train_balanced_f1_at_best_threshold": balanced_f1,
        }),
    }


def fit_calibration(train_docs: Sequence[Doc], themes: Sequence[TaskTheme],
                    feats: SentenceFeatures, rounds: int = 2) -> dict[str, Any]:
    """Alternate between picking each document's best sentence with the current weights and
    refitting the weights on those sentences' features (starting from equal weights)."""
    weights = (1.0, 1.0)
    calibration: dict[str, Any] = {}
    for _ in range(rounds):
        train = build_pairs(train_docs, themes, document_features(train_docs, feats, weights))
        calibration = choose_calibration(train)
        weights = (calibration["slope"], calibration["margin_slope"])
    calibration["weights_used_for_evidence"] = list(weights)
    return calibration


def _load_docs(root: Path, split: str, languages: Sequence[str], max_sentences: int,
               say: Progress) -> list[Doc]:
    docs = [d for lang in languages for d in load_split(root, split, lang, max_sentences)]
    say(f"{split}: {len(docs)} documents, {sum(len(d.sentences) for d in docs)} sentences")
    return docs


def _scored_report(calibration: dict[str, Any], train: Pairs, dev: Pairs) -> dict[str, Any]:
    train_scores = sigmoid(_logits(calibration, train.x))
    dev_scores = sigmoid(_logits(calibration, dev.x))
    dev_metrics = evaluate(dev_scores, dev.y)
    weights = balanced_weights(dev.y, dev.domain)
    dev_metrics["balanced_at_0.5"] = rounded(
        precision_recall_f1(dev_scores, dev.y, THRESHOLD, weights))
    dev_metrics["auc_cosine_only"] = rounded({"auc": roc_auc(dev.x[:, 0], dev.y)})["auc"]
    same = dev.on_topic
    dev_metrics["on_topic_pairs"] = rounded({
        "pairs": int(same.sum()), "auc": roc_auc(dev_scores[same], dev.y[same]),
        "auc_cosine_only": roc_auc(dev.x[same, 0], dev.y[same]),
        **precision_recall_f1(dev_scores[same], dev.y[same], THRESHOLD)})
    return {
        "dev": dev_metrics,
        "dev_per_language": _per_language(dev, dev_scores),
        "train": evaluate(train_scores, train.y),
        "train_per_language": _per_language(train, train_scores),
    }


def train_theme_calibration(
    data_dir: Path,
    out: Path,
    *,
    languages: Sequence[str] = LANGUAGES,
    max_sentences: int = 80,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Fit the theme calibration on SemEval-2025 Task 10 train, score it on dev, write `out`
    (JSON) and return what was written. `data_dir` holds ``semeval2025t10/``."""
    say: Progress = progress or (lambda _message: None)
    root = data_dir / DATASET
    themes = load_themes(root / "taxonomy")
    train_docs = _load_docs(root, "train", languages, max_sentences, say)
    dev_docs = _load_docs(root, "dev", languages, max_sentences, say)
    encoder = Encoder()
    train_feats = sentence_features([s for d in train_docs for s in d.sentences], themes,
                                    encoder, say)
    dev_feats = sentence_features([s for d in dev_docs for s in d.sentences], themes, encoder,
                                  say, floor=train_feats.floor)
    calibration = fit_calibration(train_docs, themes, train_feats)
    evidence_weights = tuple(calibration["weights_used_for_evidence"])
    train = build_pairs(train_docs, themes,
                        document_features(train_docs, train_feats, evidence_weights))
    dev = build_pairs(dev_docs, themes, document_features(dev_docs, dev_feats, evidence_weights))
    say(f"slope {calibration['slope']:.3f}, margin slope {calibration['margin_slope']:.3f}, "
        f"intercept {calibration['intercept']:.3f}, floor {train_feats.floor:.3f}")
    result: dict[str, Any] = {
        "slope": calibration["slope"],
        "margin_slope": calibration["margin_slope"],
        "intercept": calibration["intercept"],
        "floor": round(train_feats.floor, 4),
        "shipped": calibration["shipped"],
        "trained_on": {"dataset": "SemEval-2025 Task 10, subtask 2", "split": "train",
                       "languages": list(languages), "documents": len(train_docs),
                       "themes": len(themes), "max_sentences": max_sentences},
        "pairs_train": len(train.y),
        "positives_train": int(train.y.sum()),
        "balanced_fit": calibration["balanced_fit"],
        **_scored_report(calibration, train, dev),
        "command": COMMAND,
        "encoder": ENCODER_NAME,
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return result
