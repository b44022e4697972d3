"""Speed and peak memory of the technique detector (`techniques.ptc.v1`) on its own.

    python benchmarks/bench_techniques.py [--corpus ptc|ru] [--split dev]

Reads the articles of a span corpus from $NARRASCOPE_DATA, splits them into sentences and embeds
them (the pipeline's embed stage, timed apart), then times the detect stage alone: the span tagger
and the technique classifier, as `analyze` runs them. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from narrascope.config import Settings
from narrascope.detect.base import AnalysisInput
from narrascope.detect.technique_spans import TechniqueDetector
from narrascope.embed import Encoder
from narrascope.eval.ptc import ptc_corpus, ru_zen_corpus
from narrascope.model import StoredDocument
from narrascope.nlp.segment import split_sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=["ptc", "ru"], default="ptc")
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    language = "en" if args.corpus == "ptc" else "ru"
    reader = ptc_corpus if args.corpus == "ptc" else ru_zen_corpus
    articles = reader(Settings().data_dir, args.split).articles
    encoder = Encoder()
    encoder.encode(["warm up"])
    detector = TechniqueDetector(encoder)

    began = time.perf_counter()
    inputs = []
    for number, (_, text) in enumerate(sorted(articles.items())):
        sentences = split_sentences(text, language)
        vectors = encoder.encode([s.slice(text) for s in sentences])
        document = StoredDocument(number, text, language, None, None, None, None, None, None)
        inputs.append(AnalysisInput(document, sentences, vectors))
    embedded = time.perf_counter()
    found = detector.predict(inputs)
    detected = time.perf_counter()

    n = len(inputs)
    embed_s, detect_s = embedded - began, detected - embedded
    print(json.dumps({
        "corpus": f"{args.corpus} {args.split}", "articles": n,
        "sentences": sum(len(i.sentences) for i in inputs),
        "spans": sum(len(f) for f in found),
        "detect_articles_per_s": round(n / detect_s, 1),
        "embed_plus_detect_articles_per_s": round(n / (embed_s + detect_s), 1),
        "embed_s": round(embed_s, 2), "detect_s": round(detect_s, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))


if __name__ == "__main__":
    main()
