"""Readers and official scorers for the span tasks of SemEval-2020 Task 11 (the Propaganda
Techniques Corpus, PTC) and of ru_zen_prop, which uses the same file formats.

Offsets are character offsets into the article text, start inclusive, end exclusive. A span is the
set of character indices ``range(start, end)``; two spans overlap when they share an index, so
touching spans (``[0, 5)`` and ``[5, 9)``) do not overlap and are never merged.

* SI (span identification): precision and recall give partial credit for partial overlaps, as in
  the official ``task-SI_scorer.py``; see :func:`score_si`.
* TC (technique classification): one technique per gold span; micro-F1 over the gold instances,
  as in the official ``task-TC_scorer.py``; see :func:`score_tc`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError

# The 14 PTC classes, as in propaganda-techniques-names-semeval2020task11.txt.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)

PTC_DIR = "ptc_semeval2020t11"
RU_ZEN_DIR = "ru_zen_prop"
SPLITS = ("train", "dev")


@dataclass(frozen=True)
class Span:
    """A fragment of an article, optionally labelled with a technique."""

    article_id: str
    start: int  # inclusive
    end: int  # exclusive
    technique: str | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise NarrascopeError(
                f"article {self.article_id}: span [{self.start}, {self.end}) is invalid; offsets "
                "must satisfy 0 <= start < end (end is exclusive)"
            )


@dataclass(frozen=True)
class SpanCorpus:
    """One split of a span corpus: texts and gold labels."""

    articles: dict[str, str]  # article id -> text, read with newline="" so offsets match
    si: list[Span]  # gold spans without technique (SI), overlaps merged
    tc: list[Span]  # gold spans with technique (TC)
    techniques: tuple[str, ...]  # the label set of this corpus


# ---------------------------------------------------------------- reading and writing


def _read_text(path: Path, encoding: str = "utf-8-sig") -> str:
    """The file's text with line endings untouched (newline=""), or a NarrascopeError."""
    try:
        with path.open(encoding=encoding, newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise NarrascopeError(f"{path}: no such file; check the path (or set NARRASCOPE_DATA "
                              "to the folder that holds the datasets)") from None
    except UnicodeDecodeError as exc:
        raise NarrascopeError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                              "save it as UTF-8") from None


def _rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    """(line number, TAB-separated fields) of each non-blank line; CRLF and trailing tabs ok."""
    for number, line in enumerate(_read_text(path).split("\n"), 1):
        line = line.rstrip("\r").rstrip("\t ")
        if line.strip():
            yield number, [field.strip() for field in line.split("\t")]


def _offsets(path: Path, number: int, start: str, end: str) -> tuple[int, int]:
    where = f"{path}:{number}"
    try:
        first, last = int(start), int(end)
    except ValueError:
        raise NarrascopeError(f"{where}: start and end must be integers, found {start!r}, "
                              f"{end!r}; fix the line") from None
    if first < 0 or last <= first:
        raise NarrascopeError(f"{where}: span [{first}, {last}) is invalid; offsets must satisfy "
                              "0 <= start < end (end is exclusive); fix the line")
    return first, last


def read_si(path: Path) -> list[Span]:
    """SI labels: one ``article_id<TAB>start<TAB>end`` line per span."""
    spans = []
    for number, row in _rows(path):
        if len(row) != 3:
            hint = " (this looks like a TC file: read it as TC)" if len(row) == 4 else ""
            raise NarrascopeError(f"{path}:{number}: expected 3 TAB-separated columns "
                                  f"(article_id, start, end), found {len(row)}{hint}")
        start, end = _offsets(path, number, row[1], row[2])
        spans.append(Span(row[0], start, end))
    return spans


def read_tc(path: Path) -> list[Span]:
    """TC labels or template: one ``article_id<TAB>technique<TAB>start<TAB>end`` line per span."""
    spans = []
    for number, row in _rows(path):
        if len(row) != 4:
            hint = " (this looks like an SI file: read it as SI)" if len(row) == 3 else ""
            raise NarrascopeError(f"{path}:{number}: expected 4 TAB-separated columns "
                                  f"(article_id, technique, start, end), found {len(row)}{hint}")
        if not row[1]:
            raise NarrascopeError(f"{path}:{number}: the technique column is empty; fill it in")
        start, end = _offsets(path, number, row[2], row[3])
        spans.append(Span(row[0], start, end, row[1]))
    return spans


def write_si(spans: Iterable[Span], path: Path) -> None:
    lines = [f"{s.article_id}\t{s.start}\t{s.end}\n" for s in spans]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(lines)


def write_tc(spans: Iterable[Span], path: Path) -> None:
    lines = []
    for s in spans:
        if not s.technique:
            raise NarrascopeError(f"{path}: span {_show(s)} has no technique; TC files need one "
                                  "per line (use write_si for spans without techniques)")
        lines.append(f"{s.article_id}\t{s.technique}\t{s.start}\t{s.end}\n")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(lines)


def read_articles(folder: Path) -> dict[str, str]:
    """``article<ID>.txt`` files of a folder -> {ID: text}.

    Texts are decoded as plain UTF-8, NOT utf-8-sig: 11 PTC articles start with a byte-order mark
    and the gold offsets count it as character 0 (with it stripped, their spans are shifted by
    one). ``newline=""`` keeps CR characters, which offsets also count.
    """
    if not folder.is_dir():
        raise NarrascopeError(f"{folder}: no such folder of articles; check the data directory "
                              "(set NARRASCOPE_DATA)")
    files = sorted(folder.glob("article*.txt"))
    if not files:
        raise NarrascopeError(f"{folder}: no article<ID>.txt files found; check the folder")
    return {p.stem.removeprefix("article"): _read_text(p, "utf-8") for p in files}


def read_technique_names(path: Path) -> tuple[str, ...]:
    """A technique list: one name a line (blank lines ignored)."""
    names = tuple(line.strip() for line in _read_text(path).splitlines() if line.strip())
    if not names:
        raise NarrascopeError(f"{path}: no technique names; it needs one name a line")
    return names


def check_offsets(spans: Iterable[Span], articles: dict[str, str]) -> None:
    """Raise unless every span's article is known and the span lies within its text."""
    for span in spans:
        text = articles.get(span.article_id)
        if text is None:
            raise NarrascopeError(f"span {_show(span)}: article {span.article_id} is not among "
                                  f"the {len(articles)} articles read; check the article folder "
                                  "and the label file belong to the same split")
        if span.end > len(text):
            raise NarrascopeError(f"span {_show(span)} ends after the end of article "
                                  f"{span.article_id} ({len(text)} characters); the offsets do "
                                  "not belong to this text (read it with newline='' and UTF-8)")


def _check_techniques(spans: Iterable[Span], allowed: Sequence[str], source: str) -> None:
    known = set(allowed)
    for span in spans:
        if span.technique not in known:
            raise NarrascopeError(f"{source}: span {_show(span)} has technique "
                                  f"{span.technique!r}, which is not one of: {', '.join(allowed)}")


# ---------------------------------------------------------------- corpora


def _split_root(data_dir: Path, dataset: str, split: str) -> Path:
    if split not in SPLITS:
        raise NarrascopeError(f"split {split!r}: use one of {', '.join(SPLITS)} (test gold is "
                              "not public)")
    root = data_dir / dataset
    if not root.is_dir():
        raise NarrascopeError(f"{root}: dataset folder not found; put {dataset}/ under the data "
                              "directory or set NARRASCOPE_DATA to the folder that holds it")
    return root


def _corpus(articles: dict[str, str], si: list[Span], tc: list[Span],
            techniques: tuple[str, ...], source: Path) -> SpanCorpus:
    check_offsets(si, articles)
    check_offsets(tc, articles)
    _check_techniques(tc, techniques, str(source))
    return SpanCorpus(articles, si, tc, techniques)


def ptc_corpus(data_dir: Path, split: str) -> SpanCorpus:
    """PTC train or dev: ``<split>-articles/``, ``<split>-task-si.labels``, ``-flc-tc.labels``.

    SI gold is merged here as the SI scorer merges it: the dev file has no overlaps (940 spans),
    but the train file does (5,468 lines, 5,397 spans once merged, the same as the merged TC spans).
    """
    root = _split_root(data_dir, PTC_DIR, split)
    articles = read_articles(root / f"{split}-articles")
    si = merge_overlaps(read_si(root / f"{split}-task-si.labels"))
    tc_path = root / f"{split}-task-flc-tc.labels"
    return _corpus(articles, si, read_tc(tc_path), TECHNIQUES, tc_path)


def ru_zen_corpus(data_dir: Path, split: str) -> SpanCorpus:
    """ru_zen_prop train or dev.

    Texts: ``<split>-articles/article<ID>.txt``, keyed by the ID the labels use (each is
    byte-identical to the ``text`` of the ``all.jsonl`` record with that ``id``; the folders also
    hold the articles without spans, which ``all.jsonl`` does not tell apart by split). TC gold:
    train ``train-task2-TC.labels``, dev the labelled template ``dev-task-TC-template_labeled.out``.
    SI gold: train ``train-task1-SI.labels``, dev the template's spans; in both, overlapping spans
    are merged (the SI scorer merges gold anyway; the train file has 170 overlaps unmerged).
    """
    root = _split_root(data_dir, RU_ZEN_DIR, split)
    if split == "train":
        tc_path = root / "train-task2-TC.labels"
        tc = read_tc(tc_path)
        si = merge_overlaps(read_si(root / "train-task1-SI.labels"))
    else:
        tc_path = root / "dev-task-TC-template_labeled.out"
        tc = read_tc(tc_path)
        si = merge_overlaps(tc)
    techniques = read_technique_names(root / "russian_corpus_techniques.txt")
    return _corpus(read_articles(root / f"{split}-articles"), si, tc, techniques, tc_path)


# ---------------------------------------------------------------- SI


def _show(span: Span) -> str:
    label = f" {span.technique}" if span.technique else ""
    return f"{span.article_id}{label} [{span.start}, {span.end})"


def _by_article(spans: Iterable[Span]) -> dict[str, list[Span]]:
    grouped: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        grouped[span.article_id].append(span)
    return {key: sorted(group, key=lambda s: (s.start, s.end)) for key, group in grouped.items()}


def merge_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Per article, merge spans that share at least one character index (as the official scorer
    does; touching spans stay apart). Results carry no technique; sorted by article then start."""
    merged: list[Span] = []
    for article_id, group in sorted(_by_article(spans).items()):
        start, end = group[0].start, group[0].end
        for span in group[1:]:
            if span.start < end:
                end = max(end, span.end)
            else:
                merged.append(Span(article_id, start, end))
                start, end = span.start, span.end
        merged.append(Span(article_id, start, end))
    return merged


def _refuse_overlaps(spans: Sequence[Span]) -> None:
    for group in _by_article(spans).values():
        widest = group[0]
        for span in group[1:]:
            if span.start < widest.end:
                raise NarrascopeError(
                    f"predicted spans overlap in article {span.article_id}: "
                    f"[{widest.start}, {widest.end}) and [{span.start}, {span.end}); SI "
                    "predictions must not overlap: merge them (or score with merge_pred=True)")
            if span.end > widest.end:
                widest = span


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def score_si(gold: Sequence[Span], pred: Sequence[Span], *,
             merge_pred: bool = False) -> dict[str, float]:
    """The official SI score: P = sum_s sum_t |s&t|/|s| / |S|, R = sum_t sum_s |s&t|/|t| / |T|.

    Gold spans are merged per article; overlapping predictions are refused unless ``merge_pred``.
    Techniques are ignored. |T| counts every gold span, predicted for or not. A prediction on an
    article with no gold span counts in |S| and earns nothing: that is what the official scorer
    does when gold is a folder of per-article files (an article without spans has an empty file);
    with a single gold file it logs an error and then fails with a KeyError, so the behaviour of
    the per-article layout is the one followed here. P (R) is 0 when |S| (|T|) is 0; F1 is 1 when
    both are 0, else 2PR/(P+R), and 0 when P or R is 0.
    """
    gold_spans = merge_overlaps(gold)
    if merge_pred:
        pred_spans = merge_overlaps(pred)
    else:
        _refuse_overlaps(pred)
        pred_spans = list(pred)
    gold_by = _by_article(gold_spans)
    p_sum = r_sum = 0.0
    for article_id, group in _by_article(pred_spans).items():
        for s in group:
            for t in gold_by.get(article_id, []):
                common = _overlap(s, t)
                p_sum += common / (s.end - s.start)
                r_sum += common / (t.end - t.start)
    n_pred, n_gold = len(pred_spans), len(gold_spans)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    return {"precision": precision, "recall": recall,
            "f1": _f1(precision, recall, empty=not n_pred and not n_gold),
            "gold_spans": n_gold, "predicted_spans": n_pred}


def _f1(precision: float, recall: float, *, empty: bool = False) -> float:
    if empty:
        return 1.0
    if precision > 0 and recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


# ---------------------------------------------------------------- TC

Key = tuple[str, int, int]
Groups = dict[Key, Counter[str]]


def _tc_groups(gold: Sequence[Span], pred: Sequence[Span],
               techniques: Sequence[str]) -> tuple[Groups, Groups]:
    """Gold and predicted technique counts per identical span; raises on a prediction whose span
    is not a gold span, or on more predictions for a span than it has gold instances."""
    _check_techniques(gold, techniques, "gold")
    _check_techniques(pred, techniques, "prediction")
    gold_at: Groups = defaultdict(Counter)
    for span in gold:
        gold_at[(span.article_id, span.start, span.end)][str(span.technique)] += 1
    pred_at: Groups = defaultdict(Counter)
    for number, span in enumerate(pred, 1):
        key = (span.article_id, span.start, span.end)
        line = (f"prediction {number} ({span.article_id}\t{span.technique}\t{span.start}"
                f"\t{span.end})")
        if key not in gold_at:
            raise NarrascopeError(f"{line}: this span is not a gold span; TC predictions must "
                                  "use the spans of the gold template, one line per instance")
        pred_at[key][str(span.technique)] += 1
        if pred_at[key].total() > gold_at[key].total():
            raise NarrascopeError(f"{line}: more predictions for this span than its "
                                  f"{gold_at[key].total()} gold instance(s); remove the extra line")
    return gold_at, pred_at


def score_tc(gold: Sequence[Span], pred: Sequence[Span],
             techniques: Sequence[str] = TECHNIQUES) -> dict[str, Any]:
    """The official TC score: micro-F1 = correct / gold instances (= accuracy).

    Predictions carry one technique per gold instance, on the gold spans. Where one span has several
    gold instances, predictions are aligned to them so that the number of correct ones is largest
    (the official "best permutation"): per span and technique, min(gold count, predicted count).
    A gold instance without a prediction counts as wrong (the official scorer refuses such files).
    Per class: precision = correct / predicted with that class, recall = correct / gold with it,
    0 where a denominator is 0 (as scikit-learn, which the official scorer uses, reports).
    """
    gold_at, pred_at = _tc_groups(gold, pred, techniques)
    correct: Counter[str] = Counter()
    for key, predicted in pred_at.items():
        correct.update((gold_at[key] & predicted).elements())
    gold_n = Counter(str(s.technique) for s in gold)
    pred_n = Counter(str(s.technique) for s in pred)
    per_class = {}
    for name in techniques:
        p = correct[name] / pred_n[name] if pred_n[name] else 0.0
        r = correct[name] / gold_n[name] if gold_n[name] else 0.0
        per_class[name] = {"precision": p, "recall": r, "f1": _f1(p, r), "support": gold_n[name]}
    total = correct.total()
    return {"micro_f1": total / len(gold) if gold else 1.0, "correct": total,
            "gold_instances": len(gold), "predicted_instances": len(pred), "per_class": per_class}
