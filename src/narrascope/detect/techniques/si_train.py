"""Training the span tagger (`narrascope train techniques`): the sentence model, word clusters,
cross-fitted lexicons, the CRF and the decoding parameters, tuned out-of-fold on the training
articles (five CRFs, each tagging the fold it was not trained on) and scored on dev."""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite  # type: ignore[import-untyped]

from narrascope.detect.techniques.si import (
    INSIDE,
    LANGUAGES,
    NAME,
    VERSION,
    DecodeParams,
    SpanTagger,
    Tagged,
    _Encodes,
    _sigmoid,
    article_design,
    decode,
    decode_sentences,
    language_key,
)
from narrascope.detect.techniques.si_clusters import WordClusters
from narrascope.detect.techniques.si_features import (
    Token,
    article_counts,
    build_lexicon,
    probability_bins,
    sentence_features,
    tokenize,
)
from narrascope.embed import Encoder
from narrascope.eval.ptc import Span, ptc_corpus, ru_zen_corpus, score_si
from narrascope.model import Sentence
from narrascope.nlp.segment import split_sentences
from narrascope.train.logistic import fit_logistic_nd

# ---------------------------------------------------------------- training

FOLDS = 5  # cross-fitting of the sentence model, the lexicon and the tuning CRFs
SENTENCE_L2 = 3.0
BINS = 10
CRF_PARAMS: dict[str, Any] = {"c1": 0.3, "c2": 0.05, "max_iterations": 150,
                              "feature.possible_transitions": True}
# what the sentence model sees (see si.article_design)
SENTENCE_DESIGN = "vector, neighbours' mean vector, language flags, cues, position, link/date"
USE_LEXICON = True  # cross-fitted inside-rate lexicon features
USE_CLUSTERS = True  # word-cluster features (si_clusters)
THRESHOLDS: tuple[float, ...] = tuple(round(0.1 + 0.025 * i, 3) for i in range(21))
SENTENCE_THRESHOLDS: tuple[float, ...] = (2.0, *(round(0.3 + 0.025 * i, 3) for i in range(27)))
MERGE_GAPS = (0, 2, 5, 15)
MIN_CHARS = (1, 3, 8)
TRIMS = (2.0, 0.05, 0.1, 0.2, 0.3)  # 2: whole sentences are not trimmed
# sentence-mode decoding (DecodeParams.mode == "sentences")
RUN_THRESHOLDS: tuple[float, ...] = tuple(round(0.1 + 0.025 * i, 3) for i in range(33))
SMOOTHING = (0, 1, 2)
BRIDGES = (0, 1, 2, 4, 1000)
CORPORA = (("ptc", "en"), ("ru", "ru"))


@dataclass
class _Article:
    corpus: str
    article_id: str
    text: str
    language: str
    sentences: list[Sentence]
    vectors: np.ndarray
    gold: list[Span]

    @property
    def key(self) -> str:
        return f"{self.corpus}/{self.article_id}"

    @property
    def texts(self) -> list[str]:
        return [s.slice(self.text) for s in self.sentences]

    def design(self) -> np.ndarray:
        return article_design(self.text, self.sentences, self.vectors, self.language)

    def targets(self) -> np.ndarray:
        """1.0 for each sentence that overlaps a gold span."""
        return np.array([float(any(g.start < s.end and s.start < g.end for g in self.gold))
                         for s in self.sentences])


def _load_split(data_dir: Path, split: str, encoder: _Encodes,
                progress: Callable[[str], None]) -> list[_Article]:
    readers = {"ptc": ptc_corpus, "ru": ru_zen_corpus}
    articles = []
    for corpus, language in CORPORA:
        data = readers[corpus](data_dir, split)
        gold: dict[str, list[Span]] = {}
        for span in data.si:
            gold.setdefault(span.article_id, []).append(Span(f"{corpus}/{span.article_id}",
                                                             span.start, span.end))
        for article_id, text in sorted(data.articles.items()):
            sentences = split_sentences(text, language)
            vectors = encoder.encode([s.slice(text) for s in sentences])
            articles.append(_Article(corpus, article_id, text, language, sentences, vectors,
                                     gold.get(article_id, [])))
        progress(f"{corpus} {split}: {len(data.articles)} articles read and encoded")
    return articles


def _fold(article: _Article) -> int:
    return zlib.crc32(article.key.encode("utf-8")) % FOLDS


def _fit(articles: Sequence[_Article]) -> tuple[np.ndarray, float]:
    x = np.vstack([a.design() for a in articles])
    y = np.concatenate([a.targets() for a in articles])
    return fit_logistic_nd(x, y, l2=SENTENCE_L2)


def _fit_sentence_model(articles: Sequence[_Article]) -> tuple[np.ndarray, float,
                                                                list[np.ndarray]]:
    """Weights on all articles, and out-of-fold probabilities for every article."""
    oof: dict[str, np.ndarray] = {}
    for fold in range(FOLDS):
        coef, intercept = _fit([a for a in articles if _fold(a) != fold])
        for a in articles:
            if _fold(a) == fold:
                z = a.design() @ coef + intercept
                oof[a.key] = _sigmoid(z)
    coef, intercept = _fit(articles)
    return coef, intercept, [oof[a.key] for a in articles]


def _labels(article: _Article, tokens: Sequence[Token]) -> list[str]:
    return [INSIDE if any(g.start < t.end and t.start < g.end for g in article.gold) else "O"
            for t in tokens]


def _lexicon_rows(article: _Article) -> list[tuple[str, list[str], list[bool]]]:
    key = language_key(article.language)
    rows = []
    for sentence in article.sentences:
        toks = tokenize(article.text, sentence)
        rows.append((key, [t.text.lower() for t in toks],
                     [label == INSIDE for label in _labels(article, toks)]))
    return rows


def _lexicons(articles: Sequence[_Article]) -> tuple[dict[str, int] | None,
                                                     list[dict[str, int] | None]]:
    """The lexicon of all `articles`, and for each article one built without its fold (so the
    CRF is trained on honest, out-of-fold lexicon bins). None everywhere when switched off."""
    if not USE_LEXICON:
        return None, [None] * len(articles)
    rows = [_lexicon_rows(a) for a in articles]
    folds = [_fold(a) for a in articles]
    per_fold = {f: build_lexicon([r for rs, g in zip(rows, folds, strict=True) if g != f
                                  for r in rs]) for f in sorted(set(folds))}
    return build_lexicon([r for rs in rows for r in rs]), [per_fold[f] for f in folds]


def _train_crf(articles: Sequence[_Article], probabilities: Sequence[np.ndarray],
               edges: np.ndarray, path: Path,
               lexicons: Sequence[Mapping[str, int] | None],
               clusters: WordClusters | None) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(CRF_PARAMS)
    for article, probs, lexicon in zip(articles, probabilities, lexicons, strict=True):
        tokens = [tokenize(article.text, s) for s in article.sentences]
        counts = article_counts(tokens)
        bins = probability_bins(probs, edges)
        ids = (clusters.lookup(t.text.lower() for toks in tokens for t in toks)
               if clusters is not None else {})
        for toks, b in zip(tokens, bins, strict=True):
            if toks:
                feats = sentence_features(toks, b, language_key(article.language), counts,
                                          lexicon, [ids[t.text.lower()] for t in toks]
                                          if clusters is not None else None)
                trainer.append(pycrfsuite.ItemSequence(feats), _labels(article, toks))
    trainer.train(str(path))


def _score(articles: Sequence[_Article], tagged: Sequence[list[Tagged]],
           params: DecodeParams) -> dict[str, float]:
    gold = [g for a in articles for g in a.gold]
    pred = [Span(a.key, start, end) for a, t in zip(articles, tagged, strict=True)
            for start, end, _ in decode(t, params)]
    return score_si(gold, pred)


def _score_sentences(articles: Sequence[_Article], probabilities: Sequence[np.ndarray],
                     params: DecodeParams) -> dict[str, float]:
    gold = [g for a in articles for g in a.gold]
    pred = [Span(a.key, start, end) for a, p in zip(articles, probabilities, strict=True)
            for start, end, _ in decode_sentences(a.sentences, p, params)]
    return score_si(gold, pred)


def _tune(articles: Sequence[_Article], tagged: Sequence[list[Tagged]]) -> DecodeParams:
    """Token mode, by coordinate search: thresholds first, then the trimming of whole sentences
    with the sentence threshold again, then merging and the minimum length."""
    def f1(params: DecodeParams) -> float:
        return _score(articles, tagged, params)["f1"]

    best = max((DecodeParams(t, 3, 2, st) for t in THRESHOLDS for st in SENTENCE_THRESHOLDS),
               key=f1)
    best = max((replace(best, sentence_threshold=st, trim=trim)
                for trim in TRIMS for st in SENTENCE_THRESHOLDS), key=f1)
    return max((replace(best, merge_gap=g, min_chars=m)
                for g in MERGE_GAPS for m in MIN_CHARS), key=f1)


def _tune_sentences(articles: Sequence[_Article],
                    probabilities: Sequence[np.ndarray]) -> DecodeParams:
    """Sentence mode: threshold, smoothing and bridge by grid search."""
    grid = (DecodeParams(2.0, 0, 1, t, "sentences", w, b)
            for t in RUN_THRESHOLDS for w in SMOOTHING for b in BRIDGES)
    return max(grid, key=lambda p: _score_sentences(articles, probabilities, p)["f1"])


def _tag_articles(tagger: SpanTagger, articles: Sequence[_Article],
                  probabilities: Sequence[np.ndarray],
                  encoder: _Encodes | None = None) -> list[list[Tagged]]:
    """Tag with given (e.g. out-of-fold) sentence probabilities."""
    return [tagger.tag(a.text, a.language, a.sentences, p, encoder=encoder)
            for a, p in zip(articles, probabilities, strict=True)]


@dataclass
class _Tuning:
    """Held-out material for choosing decodings: every training article with its out-of-fold
    sentence probabilities and its tokens tagged by a CRF trained on the other folds."""

    train: Sequence[_Article]
    oof: Sequence[np.ndarray]
    tagged: Sequence[list[Tagged]]

    def choose(self, pick: Callable[[_Article], bool], name: str,
               progress: Callable[[str], None]) -> DecodeParams:
        """Token or sentence mode, each tuned on the picked articles; the better one wins."""
        chosen = [i for i, a in enumerate(self.train) if pick(a)]
        articles = [self.train[i] for i in chosen]
        tagged = [self.tagged[i] for i in chosen]
        probs = [self.oof[i] for i in chosen]
        tokens = _tune(articles, tagged)
        sentences = _tune_sentences(articles, probs)
        f_tok = _score(articles, tagged, tokens)["f1"]
        f_sen = _score_sentences(articles, probs, sentences)["f1"]
        best = sentences if f_sen > f_tok else tokens
        progress(f"held-out train {name}: token mode F1 {f_tok:.4f}, sentence mode "
                 f"{f_sen:.4f}; chose {asdict(best)}")
        return best


def _tuned_params(train: Sequence[_Article], oof: Sequence[np.ndarray], tagger: SpanTagger,
                  model_dir: Path, progress: Callable[[str], None]) -> dict[str, DecodeParams]:
    """Decoding chosen per language on out-of-fold training articles (see :class:`_Tuning`):
    each fold is tagged by a CRF (and lexicon) trained on the other folds."""
    folds = [_fold(a) for a in train]
    if len(set(folds)) < 2:
        return {key: DecodeParams() for key in ("default", *LANGUAGES)}
    tagged: list[list[Tagged]] = [[] for _ in train]
    path = model_dir / f"{NAME}.tuning.crfsuite"
    try:
        for fold in sorted(set(folds)):
            fit = [i for i, f in enumerate(folds) if f != fold]
            held = [i for i, f in enumerate(folds) if f == fold]
            probe = fold_tagger([train[i] for i in fit], [oof[i] for i in fit], tagger, path)
            for i, t in zip(held, _tag_articles(probe, [train[i] for i in held],
                                                [oof[i] for i in held]), strict=True):
                tagged[i] = t
            progress(f"fold {fold + 1}/{FOLDS} tagged by a CRF trained on the others")
    finally:
        path.unlink(missing_ok=True)
    tuning = _Tuning(train, oof, tagged)
    params = {"default": tuning.choose(lambda _a: True, "all", progress)}
    for corpus, language in CORPORA:
        params[language] = tuning.choose(_in_corpus(corpus), corpus, progress)
    return params


def _in_corpus(corpus: str) -> Callable[[_Article], bool]:
    return lambda article: article.corpus == corpus


def fold_tagger(fit: Sequence[_Article], oof: Sequence[np.ndarray], tagger: SpanTagger,
                path: Path) -> SpanTagger:
    """A tagger whose CRF (and lexicon) are trained on `fit` only (the tuning CRF)."""
    lexicon, lexicons = _lexicons(fit)
    _train_crf(fit, oof, tagger.edges, path, lexicons, tagger.clusters)
    return SpanTagger(_open_crf(path), tagger.coef, tagger.intercept, tagger.edges, {},
                      lexicon=lexicon, clusters=tagger.clusters)


def _open_crf(path: Path) -> Any:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def _ablations(tuned: DecodeParams) -> dict[str, DecodeParams]:
    return {
        "every_sentence": DecodeParams(2.0, -1, 1, 0.0),
        "sentence_model_p>=0.5": DecodeParams(2.0, -1, 1, 0.5),
        "crf_marginal>=0.5_raw": DecodeParams(0.5, -1, 1, 2.0),
        "crf_tuned_threshold": DecodeParams(tuned.threshold, -1, 1, 2.0),
        "crf_tuned_threshold+postprocessing": DecodeParams(
            tuned.threshold, tuned.merge_gap, tuned.min_chars, 2.0),
        "whole_sentences_untrimmed": replace(tuned, trim=2.0),
    }


def _evaluate(tagger: SpanTagger, dev: Sequence[_Article], encoder: _Encodes
              ) -> dict[str, Any]:
    """Official SI scores on dev per corpus, with ablations and prediction speed."""
    metrics: dict[str, Any] = {}
    for corpus, language in CORPORA:
        articles = [a for a in dev if a.corpus == corpus]
        began = time.perf_counter()
        predicted = [tagger.predict(a.text, a.language, a.sentences, a.vectors, encoder)
                     for a in articles]
        seconds = time.perf_counter() - began
        gold = [g for a in articles for g in a.gold]
        result: dict[str, Any] = {k: round(float(v), 4) for k, v in score_si(
            gold, [Span(a.key, s, e) for a, spans in zip(articles, predicted, strict=True)
                   for s, e, _ in spans]).items()}
        result["articles_per_second"] = round(len(articles) / max(seconds, 1e-9), 1)
        probs = [tagger.sentence_probabilities(a.text, a.sentences, a.vectors, a.language)
                 for a in articles]
        tagged = _tag_articles(tagger, articles, probs, encoder)
        params = tagger.params[language]
        ablations = {name: _score(articles, tagged, p)["f1"]
                     for name, p in _ablations(params).items()}
        ablations["sentence_runs"] = _score_sentences(
            articles, probs, params if params.mode == "sentences"
            else DecodeParams(2.0, 0, 1, 0.5, "sentences", 0, 0))["f1"]
        result["ablations"] = {k: round(v, 4) for k, v in ablations.items()}
        metrics[corpus] = result
    return metrics


def train_span_tagger(data_dir: Path, model_dir: Path, *, encoder: _Encodes | None = None,
                      progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Train on PTC train + ru_zen_prop train, write the artifacts and a JSON with the dev
    metrics (official SI metric) into ``model_dir``; return those metrics."""
    say = progress or (lambda _message: None)
    began = time.perf_counter()
    enc = encoder if encoder is not None else Encoder()
    train = _load_split(data_dir, "train", enc, say)
    coef, intercept, oof = _fit_sentence_model(train)
    edges = np.quantile(np.concatenate(oof), np.linspace(0.0, 1.0, BINS + 1)[1:-1])
    say("sentence model fitted")
    clusters = WordClusters.train((a.text for a in train), enc) if USE_CLUSTERS else None
    say("word clusters built")
    model_dir.mkdir(parents=True, exist_ok=True)
    draft = SpanTagger(None, coef, intercept, edges, {}, clusters=clusters)
    params = _tuned_params(train, oof, draft, model_dir, say)
    crf_path = model_dir / f"{NAME}.crfsuite"
    lexicon, lexicons = _lexicons(train)
    _train_crf(train, oof, edges, crf_path, lexicons, clusters)
    arrays: dict[str, Any] = {"coef": coef, "intercept": np.array(intercept), "edges": edges,
                              **(clusters.arrays() if clusters is not None else {})}
    if lexicon is not None:
        keys = sorted(lexicon)
        arrays["lex_keys"] = np.array(keys, dtype=np.str_)
        arrays["lex_bins"] = np.array([lexicon[k] for k in keys], dtype=np.int8)
    np.savez_compressed(model_dir / f"{NAME}.npz", **arrays)
    tagger = SpanTagger(_open_crf(crf_path), coef, intercept, edges, params, lexicon=lexicon,
                        clusters=clusters)
    say("CRF trained; scoring dev")
    metrics = _evaluate(tagger, _load_split(data_dir, "dev", enc, say), enc)
    metrics["seconds"] = round(time.perf_counter() - began, 1)
    meta = {"name": NAME, "version": VERSION, "decode": decode_params_json(params),
            "crf": CRF_PARAMS, "sentence_l2": SENTENCE_L2, "sentence_design": SENTENCE_DESIGN,
            "lexicon": USE_LEXICON,
            "word_clusters": list(clusters.sizes) if clusters is not None else [],
            "metrics": metrics, "floors": _floors(metrics)}
    (model_dir / f"{NAME}.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return metrics


def _floors(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """Quality-gate floors (narrascope.eval.gate): the dev F1 measured now, less 0.02."""
    return [{"task": f"{corpus}-si", "metric": "f1",
             "floor": round(max(0.0, float(metrics[corpus]["f1"]) - 0.02), 3)}
            for corpus, _ in CORPORA]


def decode_params_json(params: dict[str, DecodeParams]) -> dict[str, dict[str, Any]]:
    return {k: asdict(v) for k, v in params.items()}
