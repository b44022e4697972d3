"""The official span metrics of SemEval-2020 Task 11: SI (span-overlap precision, recall, F1)
and TC (micro-F1 over the gold spans), written from the task's metric definitions.

A span is the set of character indices ``range(start, end)``; two spans overlap when they share an
index, so touching spans (``[0, 5)`` and ``[5, 9)``) do not overlap and are never merged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.eval.spans import PTC_TECHNIQUES, Span, check_techniques

# ---------------------------------------------------------------- SI


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
    check_techniques(gold, techniques, "gold")
    check_techniques(pred, techniques, "prediction")
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
             techniques: Sequence[str] = PTC_TECHNIQUES) -> dict[str, Any]:
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
