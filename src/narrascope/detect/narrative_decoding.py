"""How the narrative model's calibrated probabilities become one document's labels.

Two decoders, both respecting the hierarchy (a sub-narrative comes with its narrative, a narrative
without any of its listed sub-narratives gets "<narrative>: Other", "Other" when no narrative):

* ``thresholds``: the narratives at or above a threshold, then under each of them its
  sub-narratives at or above another (with optional fallbacks and a domain gate).
* ``expected_f1``: the label set with the highest *expected* score under the official metric,
  the per-document F1 averaged over documents. Each candidate label is taken to be present with
  its calibrated probability; the expected F1 of a set S of k labels is approximated as
  2 * (sum of their probabilities) / (k + the expected number of gold labels). The fine labels
  are ranked by probability and every prefix of the ranking is scored (F1@fine plus
  ``coarse_weight`` times F1@coarse of the narratives the prefix implies), against predicting
  "Other" alone; the best one wins. Unlike fixed thresholds this adapts to each document: a
  document with one clear narrative gets one label, an uncertain one several. It is used for
  the languages the model was trained on; other languages get the thresholds (see `decode`).

The probabilities the expected-F1 decoder needs and the model does not give directly:
* a sub-narrative cannot be more probable than its narrative: p(sub) <= p(narrative);
* "<narrative>: Other" (the gold data gives it next to listed sub-narratives of the same
  narrative, too): the model's own column for it when it has one, else p(narrative) times the
  chance that none of its listed sub-narratives holds, each taken as independent;
* "Other": the chance that no narrative holds, the narratives taken as independent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from narrascope.detect.narratives import Taxonomy

MODES = ("thresholds", "expected_f1")
MIN_COVERAGE = 0.10  # share of a document's words the model must know for a fallback label
_EPS = 1e-6


@dataclass(frozen=True)
class Decoding:
    """How calibrated probabilities become labels (chosen on held-out train folds)."""

    narrative: float = 0.3  # a narrative is predicted at or above this
    fallback: float = 1.0  # ... or, when none is, the best one if it reaches this (1: never)
    subnarrative: float = 0.3  # a sub-narrative of a predicted narrative, at or above this
    sub_fallback: float = 1.0  # ... or, when none is, its best one if it reaches this (1: never)
    implied_by_sub: float = 1.0  # a sub-narrative this probable implies its narrative (1: never)
    one_domain: bool = True  # keep only the narratives of the most probable one's domain
    mode: str = "thresholds"  # or "expected_f1" (the fields above then serve unseen languages)
    coarse_weight: float = 1.0  # expected_f1: weight of F1@coarse next to F1@fine
    max_labels: int = 8  # expected_f1: at most this many fine labels per document

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"decoding mode {self.mode!r}: expected one of {', '.join(MODES)}")


@dataclass(frozen=True)
class Decoded:
    """Label indices chosen for one document (into Taxonomy.narratives / .subnarratives), and
    the chosen narratives that also get "<narrative>: Other" (a narrative carried without, or
    beyond, its listed sub-narratives). No narratives means "Other"."""

    narratives: tuple[int, ...]
    subnarratives: tuple[int, ...]
    narrative_others: tuple[int, ...] = ()


def decode(probs: npt.NDArray[np.floating[Any]], taxonomy: Taxonomy,
           params: Decoding, seen_language: bool = True, coverage: float = 1.0) -> Decoded:
    """The labels of one document from its probabilities (narratives first, then subs).

    Expected F1 needs calibrated probabilities, and they are calibrated only for the languages
    the model was trained on: in another language the model knows few of the words, its
    probabilities shrink, and expected F1 would answer "Other" far too often. A document in a
    language the model never saw (`seen_language` false) is therefore decoded with the
    thresholds (in expected_f1 mode, ones tuned for unseen languages). Their fallback, the best
    narrative of a document where none reaches the threshold, needs the model to read some of
    the document: below MIN_COVERAGE of its words in the vocabulary (`coverage`; Korean, say)
    the probabilities rank narratives too poorly, and it is left out."""
    if params.mode == "expected_f1" and seen_language:
        return _expected_f1(probs, taxonomy, params)
    if not seen_language and coverage < MIN_COVERAGE:
        params = replace(params, fallback=1.0)
    return _thresholds(probs, taxonomy, params)


def _thresholds(probs: npt.NDArray[np.floating[Any]], taxonomy: Taxonomy,
                params: Decoding) -> Decoded:
    k = len(taxonomy.narratives)
    parent = np.asarray(taxonomy.parent, dtype=np.int64)
    narr = np.array(probs[:k], dtype=np.float64)
    subs = np.asarray(probs[k:k + len(parent)])
    if params.implied_by_sub < 1.0 and len(subs):
        confident = subs >= params.implied_by_sub
        np.maximum.at(narr, parent[confident], subs[confident])
    allowed = np.ones(k, dtype=bool)
    if params.one_domain and k:
        domain = taxonomy.domain(int(np.argmax(narr)))
        allowed = np.array([taxonomy.domain(i) == domain for i in range(k)])
    chosen = [i for i in range(k) if allowed[i] and narr[i] >= params.narrative]
    if not chosen and k:
        best = int(np.argmax(np.where(allowed, narr, -1.0)))
        if params.fallback < 1.0 and narr[best] >= params.fallback:
            chosen = [best]
    picked: list[int] = []
    for i in chosen:
        children = np.flatnonzero(parent == i)
        if not len(children):
            continue
        above = [int(j) for j in children if subs[j] >= params.subnarrative]
        best_child = int(children[np.argmax(subs[children])])
        if not above and params.sub_fallback < 1.0 and subs[best_child] >= params.sub_fallback:
            above = [best_child]
        picked += above
    covered = {int(parent[j]) for j in picked}
    return Decoded(tuple(chosen), tuple(picked), tuple(i for i in chosen if i not in covered))


def fine_probabilities(probs: npt.NDArray[np.floating[Any]], taxonomy: Taxonomy
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(narratives, sub-narratives, "<narrative>: Other" per narrative, "Other") probabilities
    as the expected-F1 decoder sees them (see the module docstring)."""
    k, n_subs = len(taxonomy.narratives), len(taxonomy.parent)
    narr = np.clip(np.asarray(probs[:k], dtype=np.float64), _EPS, 1 - _EPS)
    parent = np.asarray(taxonomy.parent, dtype=np.int64)
    subs = np.minimum(np.asarray(probs[k:k + n_subs], dtype=np.float64), narr[parent])
    if taxonomy.other_columns:
        narr_other = np.minimum(np.asarray(probs[k + n_subs:k + n_subs + k], np.float64), narr)
    else:  # none of its listed sub-narratives, each independent given the narrative
        none_listed = np.ones(k)
        np.multiply.at(none_listed, parent, 1.0 - subs / narr[parent])
        narr_other = narr * none_listed
    return narr, subs, narr_other, float(np.prod(1.0 - narr))


def _expected_f1(probs: npt.NDArray[np.floating[Any]], taxonomy: Taxonomy,
                 params: Decoding) -> Decoded:
    narr, subs, narr_other, other = fine_probabilities(probs, taxonomy)
    parent = taxonomy.parent
    fine_total = float(subs.sum() + narr_other.sum()) + other
    coarse_total = float(narr.sum()) + other
    w = params.coarse_weight
    best_value = 2 * other / (1 + fine_total) + w * 2 * other / (1 + coarse_total)
    best = Decoded((), ())
    # candidates: (sub-narrative j) and ("<narrative>: Other" of narrative i), the most probable
    # first, ties by kind and index; every prefix of at most max_labels is scored
    ranked = sorted([(-float(p), 0, j) for j, p in enumerate(subs)] +
                    [(-float(p), 1, i) for i, p in enumerate(narr_other)])
    chosen: tuple[list[int], list[int]] = ([], [])
    narratives: set[int] = set()
    fine_sum = 0.0
    for size, (neg_p, kind, index) in enumerate(ranked[:params.max_labels], 1):
        chosen[kind].append(index)
        narratives.add(parent[index] if kind == 0 else index)
        fine_sum -= neg_p
        value = (2 * fine_sum / (size + fine_total) +
                 w * 2 * float(narr[sorted(narratives)].sum()) / (len(narratives) + coarse_total))
        if value > best_value:
            best_value = value
            best = Decoded(tuple(sorted(narratives)), tuple(sorted(chosen[0])),
                           tuple(sorted(chosen[1])))
    return best
