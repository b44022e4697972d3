"""Clustering scores against gold groups: BCubed and pairwise (pair-counting) precision, recall
and F1, as used for news story clustering (Bagga & Baldwin 1998; Miranda et al. 2018).

Both take two mappings item -> cluster id over the same items."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping

from narrascope.errors import NarrascopeError


def _check(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> None:
    missing = sorted(set(gold) - set(pred))
    extra = sorted(set(pred) - set(gold))
    if missing or extra:
        raise NarrascopeError(
            f"prediction and gold cover different documents: {len(missing)} missing from the "
            f"prediction (e.g. {missing[:3]}), {len(extra)} not in the gold (e.g. {extra[:3]})")
    if not gold:
        raise NarrascopeError("no documents to score")


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """Per item: precision = share of its predicted cluster in its gold cluster, recall the
    converse; averaged over items."""
    _check(gold, pred)
    joint = Counter((pred[i], gold[i]) for i in gold)
    pred_size = Counter(pred[i] for i in gold)
    gold_size = Counter(gold.values())
    p = sum(joint[(pred[i], gold[i])] / pred_size[pred[i]] for i in gold) / len(gold)
    r = sum(joint[(pred[i], gold[i])] / gold_size[gold[i]] for i in gold) / len(gold)
    return {"bcubed_precision": p, "bcubed_recall": r, "bcubed_f1": _f1(p, r)}


def pairwise(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """Over all pairs of items: is the pair together in the prediction, and in the gold?"""
    _check(gold, pred)

    def pairs(counts: Counter[Hashable]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together = pairs(Counter((pred[i], gold[i]) for i in gold))
    in_pred = pairs(Counter(pred[i] for i in gold))
    in_gold = pairs(Counter(gold.values()))
    p = together / in_pred if in_pred else 1.0
    r = together / in_gold if in_gold else 1.0
    return {"pairwise_precision": p, "pairwise_recall": r, "pairwise_f1": _f1(p, r)}


def cluster_scores(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]
                   ) -> dict[str, float]:
    out = {**bcubed(gold, pred), **pairwise(gold, pred)}
    out["documents"] = float(len(gold))
    out["gold_clusters"] = float(len(set(gold.values())))
    out["predicted_clusters"] = float(len(set(pred.values())))
    return out


def read_assignments(path_text: str, source: str) -> dict[str, str]:
    """`doc_id<TAB>cluster_id` rows (the prediction format of the story tasks)."""
    out: dict[str, str] = {}
    groups: dict[str, int] = defaultdict(int)
    for n, line in enumerate(path_text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise NarrascopeError(f"{source}:{n}: expected doc_id<TAB>story_id, got {line[:80]!r}")
        if parts[0] in out:
            raise NarrascopeError(f"{source}:{n}: document {parts[0]!r} assigned twice")
        out[parts[0]] = parts[1]
        groups[parts[1]] += 1
    return out
