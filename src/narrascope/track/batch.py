"""Stories for a batch of documents without dates: many orders, one answer.

An online tracker's stories depend on the order documents arrive in. A dated stream has its
order; an undated batch (the ECB+ documents, an archive dump without dates) does not, and the
order of its file is an accident (often grouped by event, the hardest order for an online
tracker). So a batch is clustered in `orders` pseudo-random orders fixed by the document ids
(a SHA-256 of order number and id: the same documents give the same orders whatever the file's
order). Each order gets the online pass and the split pass. Then:

- the co-association of two documents is the share of orders that put them in one story;
- average-link clustering over 1 − co-association, cut at `max_distance`, gives the stories.

`max_distance` is chosen on ECB+ train by `narrascope train stories` for 10 orders (both are
kept in ``models/stories.json``).
Story ids are 1, 2, ... in the order of each story's first document in the input. The pass needs
an n × n matrix, so batches above `MAX_DOCUMENTS` take one order only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from narrascope.track.decide import Decider
from narrascope.track.profile import DocInput, DocumentFrequencies, Profile, make_profile, weigh
from narrascope.track.split import Member, SplitSettings, split_pass
from narrascope.track.stories import Assignment, StoryTracker

MAX_DOCUMENTS = 5000  # 5,000² / 2 distances are 100 MB
Labeller = Callable[[list[int]], list[Assignment]]  # an order (row indices) -> its assignments


def cluster_batch(docs: Sequence[DocInput], decider: Decider, family: int = 0,
                  df: DocumentFrequencies | None = None) -> list[Assignment]:
    """Stories for an undated batch: `decider.batch_orders` orders, each with the online pass
    and the split pass, and their consensus (see the module docstring)."""
    return consensus([d.key for d in docs], labeller(docs, decider, df), decider.batch_orders,
                     decider.batch_max_distance, family)


def labeller(docs: Sequence[DocInput], decider: Decider,
             df: DocumentFrequencies | None = None) -> Labeller:
    """One order of `docs` -> its stories (online pass, then split pass); each order starts
    from a fresh tracker with a copy of `df` (default: the shipped background counts)."""
    split = None if decider.split_max_ncut is None else SplitSettings(decider.split_max_ncut)
    profiles = [make_profile(d) for d in docs]  # the same in every order; only weights change

    def label(rows: list[int]) -> list[Assignment]:
        counts = None if df is None else DocumentFrequencies(df.counts.copy(), df.documents)
        return online_then_split([docs[i] for i in rows], StoryTracker(decider, df=counts),
                                 split, [profiles[i] for i in rows])
    return label


def online_then_split(docs: Sequence[DocInput], tracker: StoryTracker,
                      split: SplitSettings | None,
                      profiles: Sequence[Profile] | None = None) -> list[Assignment]:
    """The online pass over `docs` in their order; then, when none has a date and `split` is
    given, the split pass (`narrascope.track.split`). `profiles`: the documents' profiles, if
    made already (they are copied, not changed)."""
    made = list(profiles) if profiles is not None else [make_profile(d) for d in docs]
    found = [tracker.add_profile(replace(p)) for p in made]
    if split is None or any(d.day for d in docs):
        return found
    return split_pass(found, split_members(docs, tracker.df, made), split, tracker.next_id)


def split_members(docs: Sequence[DocInput], df: DocumentFrequencies,
                  profiles: Sequence[Profile] | None = None) -> dict[str, Member]:
    """What the split pass needs of each document, with word weights from `df` (the tracker's
    counts once the whole batch is in)."""
    members = {}
    for i, d in enumerate(docs):
        profile = replace(profiles[i]) if profiles is not None else make_profile(d)
        weigh(profile, df)
        members[d.key] = Member(profile.terms, d.vector)
    return members


def order(keys: Sequence[str], number: int, family: int = 0) -> list[int]:
    """Row indices of `keys` in the `number`-th pseudo-random order of a family."""
    def rank(i: int) -> tuple[str, str]:
        digest = hashlib.sha256(f"{family}:{number}:{keys[i]}".encode()).hexdigest()
        return digest, keys[i]
    return sorted(range(len(keys)), key=rank)


def consensus(keys: Sequence[str], label: Labeller, orders: int, max_distance: float,
              family: int = 0) -> list[Assignment]:
    """Stories for the documents `keys` (in input order) from `orders` orders (see above)."""
    if not keys:
        return []
    if len(keys) > MAX_DOCUMENTS or orders <= 1:
        found = label(order(keys, 0, family))
        return _renumber(keys, {a.key: a.story_id for a in found}, None)
    together = coassociation(keys, label, orders, family)
    return _renumber(keys, dict(zip(keys, average_link(together, max_distance), strict=True)),
                     together)


def coassociation(keys: Sequence[str], label: Labeller, orders: int, family: int = 0
                  ) -> np.ndarray:
    """The share of `orders` orders in which each pair of documents shares a story."""
    n = len(keys)
    row_of = {k: i for i, k in enumerate(keys)}
    together = np.zeros((n, n), dtype=np.float32)
    for number in range(orders):
        stories = np.zeros(n, dtype=np.int64)
        for a in label(order(keys, number, family)):
            stories[row_of[a.key]] = a.story_id
        together += stories[:, None] == stories[None, :]
    out: np.ndarray = together / orders
    return out


def average_link(together: np.ndarray, max_distance: float) -> list[int]:
    """Cluster numbers from average-link over 1 − `together`, cut at `max_distance`."""
    from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped]
    from scipy.spatial.distance import squareform  # type: ignore[import-untyped]

    if len(together) == 1:
        return [1]
    distance = 1.0 - together.astype(np.float64)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return [int(c) for c in fcluster(tree, t=max_distance, criterion="distance")]


def _renumber(keys: Sequence[str], cluster_of: dict[str, int],
              together: np.ndarray | None) -> list[Assignment]:
    """Ids 1, 2, ... by first appearance in `keys`; similarity: the mean co-association of a
    document with the earlier documents of its story (1.0 for the first)."""
    ids: dict[int, int] = {}
    rows: dict[int, list[int]] = {}
    out = []
    for i, key in enumerate(keys):
        cluster = cluster_of[key]
        new = cluster not in ids
        if new:
            ids[cluster] = len(ids) + 1
        earlier = rows.setdefault(cluster, [])
        similarity = 1.0 if new or together is None else float(together[i, earlier].mean())
        earlier.append(i)
        out.append(Assignment(key, ids[cluster], similarity, new))
    return out
