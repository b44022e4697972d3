"""Story tracking at archive scale: time per 1,000 new documents from the first to the last of
100,000, and peak memory.

Synthetic stream (no public dataset is this large): documents of ~120 words drawn from a Zipf
vocabulary of 50,000 words (the most frequent ones are real English function words), each
belonging to a story with its own 15 topic words and 3 names, stories starting at a steady rate
over 1,000 days and living 1-10 days; unit-norm random 512-d lead vectors near their story's
direction stand in for the sentence encoder (whose cost is per document and measured by `make
bench`). The tracker, index, time window and active-set bound are the real ones.

    .venv/bin/python benchmarks/bench_tracking.py [--documents 100000] [--json]
    .venv/bin/python benchmarks/bench_tracking.py --store --documents 20000

With `--store` the documents go through a real SQLite store, 1,000 at a time, each batch followed
by `track_pending` (what `analyze` runs): the cost of the incremental, persisted path as the
archive grows (without lead vectors, which the store would hold after `analyze`).

    .venv/bin/python benchmarks/bench_tracking.py --undated --documents 5000

With `--undated` the same documents lose their dates and are clustered as one undated batch
(`narrascope.track.batch.cluster_batch`: 10 orders, each with the online and the split pass, and
their consensus), the cost `analyze` and `eval predict` pay for undated input.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from datetime import date, timedelta

import numpy as np

from narrascope.track.profile import DocInput
from narrascope.track.stories import StoryTracker

# the head of the Zipf distribution is real English, as in news text
_COMMON_TEXT = (
    "the of and to in a is that for it as was with be by on not he i this are or his from "
    "at which but have an they you were her she there been one all we their has would when "
    "who will more no if out so said what up its about into than them can only other new "
    "some could time these two may then do first any my now such like our over man me even "
    "most made after also did many before must through back years where much your way well "
    "down should because each just those people how too little state good very make world "
    "still own see men work long get here between both life being under never day same "
    "another know while last might us great old year off come since against go came right "
    "used take three "
)
COMMON = _COMMON_TEXT.split()


def _word(i: int) -> str:
    """A made-up word of letters only (the tracker's words are letter runs)."""
    out = "q"
    while True:
        i, r = divmod(i, 26)
        out += chr(ord("a") + r)
        if i == 0:
            return out


def stream(n: int, seed: int = 7):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    vocab = COMMON + [_word(i) for i in range(50_000 - len(COMMON))]
    zipf = np.cumsum(1.0 / np.arange(1, len(vocab) + 1))
    zipf /= zipf[-1]
    start = date(2020, 1, 1)
    stories: list[tuple[list[str], str, np.ndarray, int, int]] = []
    for i in range(n):
        day = i * 1000 // n
        if not stories or rng.random() < 0.3 or stories[-1][4] < day:
            words = [vocab[j] for j in rng.integers(1000, 50_000, 15)]
            names = " ".join(_word(int(j)).capitalize() for j in rng.integers(0, 20_000, 3))
            direction = rng.normal(size=512).astype(np.float32)
            stories.append((words, names, direction / np.linalg.norm(direction), day,
                            day + int(rng.integers(1, 11))))
        live = [s for s in stories[-200:] if s[4] >= day] or stories[-1:]
        words, names, direction, _, _ = live[int(rng.integers(0, len(live)))]
        common = np.searchsorted(zipf, rng.random(100))
        body = [vocab[j] for j in common] + list(rng.choice(words, size=20))
        vec = direction + 0.8 * rng.normal(size=512).astype(np.float32) / np.sqrt(512)
        yield DocInput(str(i), f"The report said {names} met. " + " ".join(body),
                       f"{names} {' '.join(words[:4])}", "en", start + timedelta(days=day),
                       vec / np.linalg.norm(vec))


def through_store(n: int) -> dict[str, object]:
    import hashlib
    import tempfile
    from pathlib import Path

    from narrascope.config import Settings
    from narrascope.model import Document
    from narrascope.store import open_store, repo
    from narrascope.track.persist import track_pending

    folder = Path(tempfile.mkdtemp(prefix="narrascope-bench-"))
    store = open_store(Settings(db=str(folder / "bench.db")).db_url)
    batch: list[DocInput] = []
    per_thousand: list[float] = []
    for doc in stream(n):
        batch.append(doc)
        if len(batch) < 1000:
            continue
        with store.transaction() as conn:
            for d in batch:
                repo.insert_document(
                    conn, Document(d.text, origin="bench", title=d.title, published=d.day),
                    language="en", text_hash=hashlib.sha256(d.key.encode()).hexdigest(),
                    source_id=None, minhash=None, near_duplicate_of=None,
                    near_duplicate_similarity=None)
        batch = []
        t = time.process_time()
        track_pending(store, "none")
        per_thousand.append(time.process_time() - t)
    store.close()
    first, last = np.mean(per_thousand[:3]), np.mean(per_thousand[-3:])
    return {"documents": n, "mode": "store", "cpu_seconds_per_1000_first_3000": round(first, 3),
            "cpu_seconds_per_1000_last_3000": round(last, 3),
            "ratio_last_to_first": round(float(last / first), 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def undated_batch(n: int) -> dict[str, object]:
    from dataclasses import replace

    from narrascope.track.batch import cluster_batch
    from narrascope.track.decide import Decider

    docs = [replace(d, day=None) for d in stream(n)]
    decider = Decider.default()
    t = time.process_time()
    found = cluster_batch(docs, decider)
    cpu = time.process_time() - t
    return {"documents": n, "mode": "undated batch", "orders": decider.batch_orders,
            "stories": len({a.story_id for a in found}), "cpu_seconds": round(cpu, 1),
            "docs_per_cpu_second": round(n / cpu, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--store", action="store_true",
                        help="go through a SQLite store, 1,000 documents a batch")
    parser.add_argument("--undated", action="store_true",
                        help="cluster the documents as one undated batch")
    args = parser.parse_args()
    if args.store or args.undated:
        found = through_store(args.documents) if args.store else undated_batch(args.documents)
        print(json.dumps(found, indent=2) if args.json else
              "\n".join(f"{k}: {v}" for k, v in found.items()))
        return
    tracker = StoryTracker()
    per_thousand: list[float] = []
    clock = time.perf_counter()
    busy = 0.0
    for i, doc in enumerate(stream(args.documents), 1):
        t = time.process_time()  # CPU time: not inflated by other jobs on the machine
        tracker.add(doc)
        busy += time.process_time() - t
        if i % 1000 == 0:
            per_thousand.append(busy)
            busy = 0.0
    total = time.perf_counter() - clock
    first, last = np.mean(per_thousand[:10]), np.mean(per_thousand[-10:])
    result = {
        "documents": args.documents, "stories": tracker.next_id - 1,
        "active_stories_at_end": len(tracker.active),
        "seconds_per_1000_first_10000": round(float(first), 3),
        "seconds_per_1000_last_10000": round(float(last), 3),
        "ratio_last_to_first": round(float(last / first), 3),
        "tracking_docs_per_cpu_second": round(args.documents / sum(per_thousand), 1),
        "wall_seconds_incl_synthesis": round(total, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result, indent=2) if args.json else
          "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
