"""Speed of the two SemEval-2025 Task 10 detectors (`narratives.t10.v1` and `roles.t10.v1`) on
their own, as `analyze` runs them: given each document's sentences and sentence vectors.

    python benchmarks/bench_narratives_roles.py [--split dev] [--languages BG,EN,HI,PT,RU]

Reads the subtask-2 documents of the split from $NARRASCOPE_DATA, splits them into sentences and
embeds them (the pipeline's embed stage, timed apart), then times each detector's predict over
all documents. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from narrascope.config import Settings
from narrascope.detect.base import AnalysisInput
from narrascope.detect.narrative_detector import NarrativeDetector
from narrascope.detect.role_detector import RoleDetector
from narrascope.embed import Encoder
from narrascope.eval.t10 import t10_split
from narrascope.model import StoredDocument
from narrascope.nlp.segment import split_sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--languages", default="BG,EN,HI,PT,RU")
    args = parser.parse_args()
    encoder = Encoder()
    encoder.encode(["warm up"])
    detectors = {"narratives": NarrativeDetector(encoder), "roles": RoleDetector(encoder)}

    began = time.perf_counter()
    inputs = []
    for language in args.languages.split(","):
        part = t10_split(Settings().data_dir, args.split, language)
        code = language.lower()
        for labels in part.narratives:
            text = part.documents[labels.article_id]
            sentences = split_sentences(text, code)
            vectors = encoder.encode([s.slice(text) for s in sentences])
            document = StoredDocument(len(inputs), text, code, None, None, None, None, None, None)
            inputs.append(AnalysisInput(document, sentences, vectors))
    embed_s = time.perf_counter() - began
    seconds = {}
    for name, detector in detectors.items():
        start = time.perf_counter()
        detector.predict(inputs)
        seconds[name] = time.perf_counter() - start

    n = len(inputs)
    both = sum(seconds.values())
    print(json.dumps({
        "split": args.split, "languages": args.languages, "articles": n,
        **{f"{k}_articles_per_s": round(n / v, 1) for k, v in seconds.items()},
        "both_articles_per_s": round(n / both, 1),
        "embed_plus_both_articles_per_s": round(n / (embed_s + both), 1),
        "embed_s": round(embed_s, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == "__main__":
    main()
