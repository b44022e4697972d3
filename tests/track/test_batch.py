"""Undated batches: orders fixed by the ids, and stories agreed over many orders."""

from __future__ import annotations

import numpy as np

from narrascope.eval import stories as S
from narrascope.track.batch import consensus, order
from narrascope.track.decide import Decider
from narrascope.track.stories import Assignment

KEYS = [f"doc-{i}" for i in range(12)]


def test_orders_depend_on_the_ids_not_on_the_input_order() -> None:
    first = [KEYS[i] for i in order(KEYS, 3)]
    reversed_keys = KEYS[::-1]
    assert [reversed_keys[i] for i in order(reversed_keys, 3)] == first
    assert sorted(first) == sorted(KEYS)
    assert [KEYS[i] for i in order(KEYS, 4)] != first
    assert [KEYS[i] for i in order(KEYS, 3, family=1)] != first


def _labeller(wavering: str, with_a_in: set[int]):  # type: ignore[no-untyped-def]
    """Documents 0-5 form story A, 6-11 story B; `wavering` joins A in the orders numbered in
    `with_a_in` and B in the others."""
    numbers = {tuple(order(KEYS, n)): n for n in range(10)}

    def label(rows: list[int]) -> list[Assignment]:
        n = numbers[tuple(rows)]
        out = []
        for i in rows:
            key = KEYS[i]
            story = 1 if int(key.split("-")[1]) < 6 else 2
            if key == wavering:
                story = 1 if n in with_a_in else 2
            out.append(Assignment(key, story + 10 * n, 0.9, False))  # ids differ per order
        return out
    return label


def test_consensus_follows_the_majority_of_orders_and_numbers_by_first_document() -> None:
    found = consensus(KEYS, _labeller("doc-7", {0, 1, 2, 3, 4, 5, 6}), 10, 0.5)
    assert [a.key for a in found] == KEYS
    ids = {a.key: a.story_id for a in found}
    assert {ids[k] for k in KEYS[:6]} == {1} and ids["doc-7"] == 1
    assert {ids[k] for k in KEYS[6:] if k != "doc-7"} == {2}
    assert [a.new for a in found] == [i in (0, 6) for i in range(12)]
    # doc-7 was with the five earlier documents of story 1 in 7 orders of 10
    assert abs(found[7].similarity - 0.7) < 1e-6
    # in a minority of orders it stays with B
    minority = consensus(KEYS, _labeller("doc-7", {0, 1, 2}), 10, 0.5)
    assert minority[7].story_id == minority[8].story_id == 2


def test_one_order_when_asked_for_one() -> None:
    found = consensus(KEYS, _labeller("doc-7", {0}), 1, 0.5)
    assert found[7].story_id == found[0].story_id == 1
    assert consensus([], _labeller("doc-7", set()), 10, 0.5) == []


def test_an_undated_batch_gets_the_same_stories_in_any_file_order() -> None:
    rng = np.random.default_rng(5)
    centres = np.eye(16)[:3]
    texts = ["Pirates seized a tanker off Somalia on Tuesday.",
             "A climber fell to his death on Mount Cook.",
             "The central bank raised its interest rate again."]
    docs, vectors = [], []
    for i in range(18):
        v = centres[i % 3] + 0.2 * rng.standard_normal(16)
        vectors.append(v / np.linalg.norm(v))
        docs.append(S.StreamDoc(f"d{i}", texts[i % 3], None))
    decider = Decider.default()
    forward = S.cluster_batch(docs, vectors, decider)
    backward = S.cluster_batch(docs[::-1], vectors[::-1], decider)

    def groups(found: list[Assignment]) -> set[frozenset[str]]:
        by: dict[int, set[str]] = {}
        for a in found:
            by.setdefault(a.story_id, set()).add(a.key)
        return {frozenset(g) for g in by.values()}
    assert groups(forward) == groups(backward)
    assert {frozenset(f"d{i}" for i in range(k, 18, 3)) for k in range(3)} == groups(forward)
