"""How much the online story tracker's ECB+ score depends on the order the documents arrive in.

ECB+ has no dates, so `narrascope eval run --task stories-ecbplus` feeds a split in one fixed
shuffled order (seed 13). This script runs the shipped tracker over many other orders of the
same split and reports the spread of BCubed F1, plus the file's own order (grouped by event),
each with the split pass (`online+split`) and without it (`online`, the tracker alone). Then the
batch mode that `eval` gives undated input (`batch`: 10 id-fixed orders, each online + split,
and their consensus), for the shipped family of orders (0, what the task reports) and for
`--families` other families, to show how much the choice of orders still matters.
Two families of orders are used, so that no single way of shuffling decides the mean:
shuffles of the file order (seeds 1..N) and shuffles of the seed-13 order (seeds 1..N).

    .venv/bin/python benchmarks/bench_story_orders.py [--split dev] [--orders 30] [--families 5]
        [--json]

Needs the public data (`$NARRASCOPE_DATA`, folder `ecbplus`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

from narrascope.config import Settings
from narrascope.embed import Encoder
from narrascope.eval import stories as S
from narrascope.eval.clustering import bcubed
from narrascope.eval.stories_task import ECBPLUS_FILE
from narrascope.track.decide import Decider
from narrascope.track.split import SplitSettings, split_pass
from narrascope.track.stories import StoryTracker


def _f1(docs: list[S.StreamDoc], vectors: dict[str, np.ndarray], decider: Decider
        ) -> tuple[float, float]:
    """BCubed F1 of the online pass alone and with the split pass."""
    gold = {d.key: str(d.gold) for d in docs}
    tracker = StoryTracker(decider)
    ordered = [vectors[d.key] for d in docs]
    found = S.track(docs, ordered, tracker)
    online = bcubed(gold, {a.key: str(a.story_id) for a in found})["bcubed_f1"]
    if decider.split_max_ncut is None:
        return online, online
    split = split_pass(found, S.split_members(docs, ordered, tracker.df),
                       SplitSettings(decider.split_max_ncut), tracker.next_id)
    return online, bcubed(gold, {a.key: str(a.story_id) for a in split})["bcubed_f1"]


def _summary(values: list[float]) -> dict[str, float]:
    return {"mean": round(statistics.fmean(values), 4),
            "sd": round(statistics.pstdev(values), 4),
            "min": round(min(values), 4), "max": round(max(values), 4), "orders": len(values)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    parser.add_argument("--orders", type=int, default=30, help="orders per family")
    parser.add_argument("--families", type=int, default=5, help="other families of batch orders")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    path = Settings().data_dir.joinpath(*ECBPLUS_FILE)
    if not path.is_file():
        print(f"{path}: not found; set NARRASCOPE_DATA", file=sys.stderr)
        return 2
    docs = S.read_ecbplus(Path(path), args.split)
    vectors = dict(zip((d.key for d in docs), S.doc_vectors(docs, Encoder().encode),
                       strict=True))
    decider = Decider.default()
    fixed = S.shuffled(docs)
    from_file = [_f1(S.shuffled(docs, seed), vectors, decider)
                 for seed in range(1, args.orders + 1)]
    from_fixed = [_f1(S.shuffled(fixed, seed), vectors, decider)
                  for seed in range(1, args.orders + 1)]
    result: dict[str, object] = {"split": args.split, "documents": len(docs),
                                 "split_max_ncut": decider.split_max_ncut}
    for k, name in enumerate(("online", "online+split")):
        result[name] = {
            "fixed_order_seed_13": round(_f1(fixed, vectors, decider)[k], 4),
            "file_order": round(_f1(docs, vectors, decider)[k], 4),
            "shuffles_of_file_order": _summary([f[k] for f in from_file]),
            "shuffles_of_seed_13_order": _summary([f[k] for f in from_fixed]),
            "all_random_orders": _summary([f[k] for f in from_file + from_fixed]),
        }
    gold = {d.key: str(d.gold) for d in docs}
    ordered = [vectors[d.key] for d in docs]
    batch = [bcubed(gold, {a.key: str(a.story_id)
                           for a in S.cluster_batch(docs, ordered, decider, family)}
                    )["bcubed_f1"] for family in range(args.families + 1)]
    result["batch"] = {"orders": decider.batch_orders,
                       "max_distance": decider.batch_max_distance,
                       "shipped_family_0": round(batch[0], 4),
                       "other_families": _summary(batch[1:]) if len(batch) > 1 else None}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
