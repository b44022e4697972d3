"""The split pass: a story made of two groups of documents is cut in two, with stable ids."""

from __future__ import annotations

from datetime import date

import numpy as np

from narrascope.eval import stories as S
from narrascope.track.decide import Decider
from narrascope.track.split import Member, SplitSettings, bisect, similarities, split_pass
from narrascope.track.stories import Assignment, StoryTracker


def _group(rng: np.random.Generator, centre: np.ndarray, n: int) -> list[np.ndarray]:
    out = []
    for _ in range(n):
        v = centre + 0.15 * rng.standard_normal(len(centre))
        out.append(v / np.linalg.norm(v))
    return out


def _two_groups(n_a: int = 6, n_b: int = 5, dim: int = 32) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    a, b = np.zeros(dim), np.zeros(dim)
    a[0], b[1] = 1.0, 1.0
    # interleaved, as an online tracker would have taken them
    first, second = _group(rng, a, n_a), _group(rng, b, n_b)
    out = []
    for i in range(max(n_a, n_b)):
        out += first[i:i + 1] + second[i:i + 1]
    return out


def _members(vectors: list[np.ndarray]) -> dict[str, Member]:
    return {f"d{i}": Member({}, v) for i, v in enumerate(vectors)}


def test_bisect_finds_two_groups_and_not_one() -> None:
    vectors = _two_groups()
    found = bisect(similarities(list(_members(vectors).values())))
    assert found is not None
    # documents 0, 2, 4, ... are the first group (the side of document 0)
    assert found.part.tolist() == [i % 2 == 0 or i >= 10 for i in range(11)]
    assert found.ncut < 0.5
    one = bisect(similarities(list(_members(_group(np.random.default_rng(3),
                                                   np.eye(32)[0], 11)).values())))
    assert one is not None and one.ncut > 0.9


def test_split_pass_keeps_the_first_documents_id_and_gives_the_rest_a_new_one() -> None:
    vectors = _two_groups()
    members = _members(vectors)
    found = [Assignment(k, 4, 0.9, i == 0) for i, k in enumerate(members)]
    # and a small story that is never tested
    found += [Assignment(f"s{i}", 5, 0.9, i == 0) for i in range(3)]
    members.update({f"s{i}": Member({}, vectors[i % 2]) for i in range(3)})
    out = split_pass(found, members, SplitSettings(0.9), next_id=6)
    assert [a.key for a in out] == [a.key for a in found]
    ids = {a.key: a.story_id for a in out}
    assert {ids[f"d{i}"] for i in range(0, 11) if i % 2 == 0 or i >= 10} == {4}
    assert {ids[f"d{i}"] for i in range(1, 10, 2)} == {6}
    assert {ids[f"s{i}"] for i in range(3)} == {5}
    assert [a.new for a in out if a.story_id == 6] == [True, False, False, False, False]
    # a stricter cut than the groups' leaves the story whole
    assert {a.story_id for a in split_pass(found, members, SplitSettings(0.0), 6)} == {4, 5}


def test_a_story_too_small_or_whose_first_document_has_no_vector_stays() -> None:
    vectors = _two_groups(3, 3)
    members = _members(vectors)
    found = [Assignment(k, 1, 0.9, False) for k in members]
    # six documents in parts of three: at the bounds, so split; one bound higher, kept
    assert {a.story_id for a in split_pass(found, members, SplitSettings(0.9), 2)} == {1, 2}
    assert split_pass(found, members, SplitSettings(0.9, min_part=4), 2) == found
    assert split_pass(found, members, SplitSettings(0.9, min_size=7), 2) == found
    members["d0"] = Member({}, None)
    assert split_pass(found, members, SplitSettings(0.9), 2) == found


def test_cluster_splits_undated_batches_only() -> None:
    vectors = _two_groups()
    texts = ["Pirates seized a tanker off Somalia." if i % 2 == 0 or i >= 10
             else "A climber fell to his death on Mount Cook." for i in range(11)]
    undated = [S.StreamDoc(f"d{i}", t, None) for i, t in enumerate(texts)]
    # a tracker that joins everything, as a stand-in for a merge of two events
    joins_all = Decider(np.zeros_like(Decider.prior().weights), threshold=0.0)
    settings = SplitSettings(0.9)
    split = S.cluster(undated, vectors, StoryTracker(joins_all), settings)
    assert len({a.story_id for a in split}) == 2
    dated = [S.StreamDoc(d.key, d.text, None, day=date(2026, 5, 1)) for d in undated]
    kept = S.cluster(dated, vectors, StoryTracker(joins_all), settings)
    assert len({a.story_id for a in kept}) == 1
