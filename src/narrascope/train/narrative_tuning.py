"""Decoding the narrative model's out-of-fold probabilities into official labels, scoring them per
language, and choosing the decoder and its settings (:mod:`narrascope.train.narratives`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import product
from typing import TYPE_CHECKING, Any

import numpy as np

from narrascope.detect.narrative_decoding import MODES, Decoding, decode
from narrascope.detect.narratives import OTHER, Taxonomy, narrative_other
from narrascope.detect.narratives_features import FloatArray
from narrascope.eval.t10 import NarrativeLabels, score_st2

if TYPE_CHECKING:
    from narrascope.train.narratives import Corpus


def labels_of(probs: FloatArray, taxonomy: Taxonomy, params: Decoding,
              article_id: str = "", seen_language: bool = True,
              coverage: float = 1.0) -> NarrativeLabels:
    """One document's official label strings."""
    found = decode(probs, taxonomy, params, seen_language, coverage)
    if not found.narratives:
        return NarrativeLabels(article_id, (OTHER,), (OTHER,))
    subs = [taxonomy.subnarratives[j] for j in found.subnarratives]
    subs += [narrative_other(taxonomy.narratives[i]) for i in found.narrative_others]
    return NarrativeLabels(article_id, tuple(taxonomy.narratives[i] for i in found.narratives),
                           tuple(subs))


@dataclass(frozen=True)
class Unseen:
    """How documents look to a model that never saw their language: probabilities, and the
    share of each document's words in that model's vocabulary."""

    probs: FloatArray
    coverage: Sequence[float]


def score_by_language(corpus: Corpus, probs: FloatArray, taxonomy: Taxonomy, params: Decoding,
                      classes: tuple[list[str], list[str]], seen: Sequence[str] | None = None,
                      coverage: Sequence[float] | None = None) -> dict[str, dict[str, float]]:
    """Official F1@coarse / F1@fine per language and their mean over languages; `seen` names
    the languages the model was trained on (default: all of the corpus's), `coverage` gives
    each document's share of known words (default: all known)."""
    out: dict[str, dict[str, float]] = {}
    for language in sorted(set(corpus.languages)):
        rows = [i for i, x in enumerate(corpus.languages) if x == language]
        gold = [corpus.gold[i] for i in rows]
        known = seen is None or language in seen
        pred = [labels_of(probs[i], taxonomy, params, corpus.gold[i].article_id, known,
                          1.0 if coverage is None else coverage[i]) for i in rows]
        s = score_st2(gold, pred, *classes)
        out[language] = {"f1_coarse": round(s["f1_coarse"], 4), "f1_fine": round(s["f1_fine"], 4),
                         "documents": len(rows)}
    out["mean"] = {m: round(float(np.mean([v[m] for v in out.values()])), 4)
                   for m in ("f1_coarse", "f1_fine")}
    return out


def _grid(base: Decoding, **axes: Sequence[Any]) -> Iterator[Decoding]:
    for values in product(*axes.values()):
        yield replace(base, **dict(zip(axes, values, strict=True)))


_COARSE_AXES: dict[str, tuple[Any, ...]] = {
    "narrative": tuple(round(float(x), 3) for x in np.arange(0.1, 0.51, 0.025)),
    "fallback": (1.0, 0.05, 0.1, 0.15, 0.2), "implied_by_sub": (1.0, 0.5),
    "one_domain": (True, False)}
_FINE_AXES: dict[str, tuple[Any, ...]] = {
    "subnarrative": tuple(round(float(x), 3) for x in np.arange(0.05, 0.61, 0.025)),
    "sub_fallback": (1.0, 0.0, 0.02, 0.05, 0.1)}


_EXPECTED_F1_WEIGHTS = (0.5, 1.0, 1.5)


def tune_decoding(corpus: Corpus, probs: FloatArray, taxonomy: Taxonomy,
                  classes: tuple[list[str], list[str]], modes: Sequence[str] = MODES,
                  unseen: Unseen | None = None, **fixed: Any) -> Decoding:
    """The decoder with the best mean F1@fine (the task's ranking metric) on `probs`:
    thresholds (narratives for the best mean F1@coarse, then sub-narratives for F1@fine; a
    fallback counts only below its threshold; `fixed` pins an axis to one value) or expected F1
    (the weight of F1@coarse next to F1@fine chosen the same way), which keeps thresholds for
    languages the model was not trained on. Those are tuned on `unseen` (each language scored
    by a model that never saw it) when given, with the narrative threshold of the seen
    languages: a training collection where four documents in five carry a narrative rewards
    eager labelling, which a general news stream in an unseen language would punish."""
    def mean(c: Decoding, metric: str, held_out: Unseen | None = None) -> float:
        if held_out is None:
            return score_by_language(corpus, probs, taxonomy, c, classes)["mean"][metric]
        return score_by_language(corpus, held_out.probs, taxonomy, c, classes, (),
                                 held_out.coverage)["mean"][metric]

    def best(candidates: Sequence[Decoding], metric: str,
             held_out: Unseen | None = None) -> Decoding:
        scored = [(mean(c, metric, held_out), -i, c) for i, c in enumerate(candidates)]
        return max(scored, key=lambda t: (t[0], t[1]))[2]

    def grid(axes: dict[str, tuple[Any, ...]], base: Decoding) -> list[Decoding]:
        axes = {k: ((fixed[k],) if k in fixed else v) for k, v in axes.items()}
        out = [c for c in _grid(base, **axes)
               if c.fallback in (1.0, fixed.get("fallback")) or c.fallback < c.narrative]
        return [c for c in out if c.sub_fallback in (1.0, fixed.get("sub_fallback"))
                or c.sub_fallback < c.subnarrative]

    coarse = best(grid(_COARSE_AXES, Decoding()), "f1_coarse")
    thresholds = best(grid(_FINE_AXES, coarse), "f1_fine")
    if "expected_f1" not in modes:
        return thresholds
    # thresholds stay in the decoding: languages the model never saw are decoded with them
    for_unseen = thresholds
    if unseen is not None:
        axes = {**_COARSE_AXES, "narrative": (thresholds.narrative,)}
        for_unseen = best(grid(axes, Decoding()), "f1_coarse", unseen)
        for_unseen = best(grid(_FINE_AXES, for_unseen), "f1_fine", unseen)
    adaptive = best([replace(for_unseen, mode="expected_f1", coarse_weight=w)
                     for w in _EXPECTED_F1_WEIGHTS], "f1_fine")
    return adaptive if "thresholds" not in modes else best([thresholds, adaptive], "f1_fine")
