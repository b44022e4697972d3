"""Readers and official scorers for the span tasks of SemEval-2020 Task 11 (the Propaganda
Techniques Corpus, PTC) and of ru_zen_prop, which uses the same file formats.

Offsets are character offsets into the article text, start inclusive, end exclusive. A span is the
set of character indices ``range(start, end)``; two spans overlap when they share an index, so
touching spans (``[0, 5)`` and ``[5, 9)``) do not overlap and are never merged.

The scorers live in :mod:`narrascope.eval.span_scores` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from narrascope.errors import NarrascopeError
from narrascope.eval.span_scores import merge_overlaps, score_si, score_tc
from narrascope.eval.spans import PTC_TECHNIQUES, Span, SpanCorpus, check_techniques, show

__all__ = [
    "TECHNIQUES", "Span", "SpanCorpus", "check_offsets", "merge_overlaps", "ptc_corpus",
    "read_articles", "read_si", "read_tc", "read_technique_names", "ru_zen_corpus", "score_si",
    "score_tc", "write_si", "write_tc",
]

TECHNIQUES = PTC_TECHNIQUES

PTC_DIR = "ptc_semeval2020t11"
RU_ZEN_DIR = "ru_zen_prop"
SPLITS = ("train", "dev")


# ---------------------------------------------------------------- reading and writing


def _read_text(path: Path, encoding: str = "utf-8-sig") -> str:
    """The file's text with line endings untouched (newline=""), or a NarrascopeError."""
    try:
        with path.open(encoding=encoding, newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise NarrascopeError(f"{path}: no such file; check the path (or set NARRASCOPE_DATA "
                              "to the folder that holds the datasets)") from None
    except UnicodeDecodeError as exc:
        raise NarrascopeError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                              "save it as UTF-8") from None


def _rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    """(line number, TAB-separated fields) of each non-blank line; CRLF and trailing tabs ok."""
    for number, line in enumerate(_read_text(path).split("\n"), 1):
        line = line.rstrip("\r").rstrip("\t ")
        if line.strip():
            yield number, [field.strip() for field in line.split("\t")]


def _offsets(path: Path, number: int, start: str, end: str) -> tuple[int, int]:
    where = f"{path}:{number}"
    try:
        first, last = int(start), int(end)
    except ValueError:
        raise NarrascopeError(f"{where}: start and end must be integers, found {start!r}, "
                              f"{end!r}; fix the line") from None
    if first < 0 or last <= first:
        raise NarrascopeError(f"{where}: span [{first}, {last}) is invalid; offsets must satisfy "
                              "0 <= start < end (end is exclusive); fix the line")
    return first, last


def _read_spans(path: Path, with_technique: bool) -> list[Span]:
    columns = 4 if with_technique else 3
    names = "article_id, technique, start, end" if with_technique else "article_id, start, end"
    other = "an SI" if with_technique else "a TC"
    spans = []
    for number, row in _rows(path):
        if len(row) != columns:
            hint = f" (this looks like {other} file: read it as such)" if len(row) in (3, 4) else ""
            raise NarrascopeError(f"{path}:{number}: expected {columns} TAB-separated columns "
                                  f"({names}), found {len(row)}{hint}")
        technique = row[1] if with_technique else None
        if with_technique and not technique:
            raise NarrascopeError(f"{path}:{number}: the technique column is empty; fill it in")
        start, end = _offsets(path, number, row[-2], row[-1])
        spans.append(Span(row[0], start, end, technique))
    return spans


def read_si(path: Path) -> list[Span]:
    """SI labels: one ``article_id<TAB>start<TAB>end`` line per span."""
    return _read_spans(path, with_technique=False)


def read_tc(path: Path) -> list[Span]:
    """TC labels or template: one ``article_id<TAB>technique<TAB>start<TAB>end`` line per span."""
    return _read_spans(path, with_technique=True)


def write_si(spans: Iterable[Span], path: Path) -> None:
    lines = [f"{s.article_id}\t{s.start}\t{s.end}\n" for s in spans]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(lines)


def write_tc(spans: Iterable[Span], path: Path) -> None:
    lines = []
    for s in spans:
        if not s.technique:
            raise NarrascopeError(f"{path}: span {show(s)} has no technique; TC files need one "
                                  "per line (use write_si for spans without techniques)")
        lines.append(f"{s.article_id}\t{s.technique}\t{s.start}\t{s.end}\n")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(lines)


def read_articles(folder: Path) -> dict[str, str]:
    """``article<ID>.txt`` files of a folder -> {ID: text}.

    Texts are decoded as plain UTF-8, NOT utf-8-sig: 11 PTC articles start with a byte-order mark
    and the gold offsets count it as character 0 (with it stripped, their spans are shifted by
    one). ``newline=""`` keeps CR characters, which offsets also count.
    """
    if not folder.is_dir():
        raise NarrascopeError(f"{folder}: no such folder of articles; check the data directory "
                              "(set NARRASCOPE_DATA)")
    files = sorted(folder.glob("article*.txt"))
    if not files:
        raise NarrascopeError(f"{folder}: no article<ID>.txt files found; check the folder")
    return {p.stem.removeprefix("article"): _read_text(p, "utf-8") for p in files}


def read_technique_names(path: Path) -> tuple[str, ...]:
    """A technique list: one name a line (blank lines ignored)."""
    names = tuple(line.strip() for line in _read_text(path).splitlines() if line.strip())
    if not names:
        raise NarrascopeError(f"{path}: no technique names; it needs one name a line")
    return names


def check_offsets(spans: Iterable[Span], articles: dict[str, str]) -> None:
    """Raise unless every span's article is known and the span lies within its text."""
    for span in spans:
        text = articles.get(span.article_id)
        if text is None:
            raise NarrascopeError(f"span {show(span)}: article {span.article_id} is not among "
                                  f"the {len(articles)} articles read; check the article folder "
                                  "and the label file belong to the same split")
        if span.end > len(text):
            raise NarrascopeError(f"span {show(span)} ends after the end of article "
                                  f"{span.article_id} ({len(text)} characters); the offsets do "
                                  "not belong to this text (read it with newline='' and UTF-8)")


# ---------------------------------------------------------------- corpora


def _split_root(data_dir: Path, dataset: str, split: str) -> Path:
    if split not in SPLITS:
        raise NarrascopeError(f"split {split!r}: use one of {', '.join(SPLITS)} (test gold is "
                              "not public)")
    root = data_dir / dataset
    if not root.is_dir():
        raise NarrascopeError(f"{root}: dataset folder not found; put {dataset}/ under the data "
                              "directory or set NARRASCOPE_DATA to the folder that holds it")
    return root


def _corpus(articles: dict[str, str], si: list[Span], tc: list[Span],
            techniques: tuple[str, ...], source: Path) -> SpanCorpus:
    check_offsets(si, articles)
    check_offsets(tc, articles)
    check_techniques(tc, techniques, str(source))
    return SpanCorpus(articles, si, tc, techniques)


def ptc_corpus(data_dir: Path, split: str) -> SpanCorpus:
    """PTC train or dev: ``<split>-articles/``, ``<split>-task-si.labels``, ``-flc-tc.labels``.

    SI gold is merged here as the SI scorer merges it: the dev file has no overlaps (940 spans),
    but the train file does (5,468 lines, 5,397 spans once merged, the same as the merged TC spans).
    """
    root = _split_root(data_dir, PTC_DIR, split)
    articles = read_articles(root / f"{split}-articles")
    si = merge_overlaps(read_si(root / f"{split}-task-si.labels"))
    tc_path = root / f"{split}-task-flc-tc.labels"
    return _corpus(articles, si, read_tc(tc_path), TECHNIQUES, tc_path)


def ru_zen_corpus(data_dir: Path, split: str) -> SpanCorpus:
    """ru_zen_prop train or dev.

    Texts: ``<split>-articles/article<ID>.txt``, keyed by the ID the labels use (each is
    byte-identical to the ``text`` of the ``all.jsonl`` record with that ``id``; the folders also
    hold the articles without spans, which ``all.jsonl`` does not tell apart by split). TC gold:
    train ``train-task2-TC.labels``, dev the labelled template ``dev-task-TC-template_labeled.out``.
    SI gold: train ``train-task1-SI.labels``, dev the template's spans; in both, overlapping spans
    are merged (the SI scorer merges gold anyway; the train file has 170 overlaps unmerged).
    """
    root = _split_root(data_dir, RU_ZEN_DIR, split)
    if split == "train":
        tc_path = root / "train-task2-TC.labels"
        tc = read_tc(tc_path)
        si = merge_overlaps(read_si(root / "train-task1-SI.labels"))
    else:
        tc_path = root / "dev-task-TC-template_labeled.out"
        tc = read_tc(tc_path)
        si = merge_overlaps(tc)
    techniques = read_technique_names(root / "russian_corpus_techniques.txt")
    return _corpus(read_articles(root / f"{split}-articles"), si, tc, techniques, tc_path)
