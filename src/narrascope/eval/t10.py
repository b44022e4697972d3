"""SemEval-2025 Task 10, subtasks 1 (entity framing) and 2 (narratives): readers, writers and the
official metrics, for the five languages (BG, EN, HI, PT, RU).

File formats (tab-separated UTF-8, one record a line):

* subtask 1: ``article_id  mention  start  end  main_role  fine_role_1 [fine_role_2 ...]``; the
  entity-mentions input file has the first four columns only. ``start`` and ``end`` are character
  offsets into the raw document and ``end`` is INCLUSIVE: ``text[start:end + 1] == mention``.
* subtask 2: ``article_id  narr_1;narr_2;...  subnarr_1;subnarr_2;...``.

Where this module departs from the released scorers it says so next to the code; the departures
are: fine roles compared as sets, predictions paired with gold by key instead of by file order,
missing predictions scored as wrong instead of refused, and ST2 labels stripped of spaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.errors import NarrascopeError

LANGUAGES = ("BG", "EN", "HI", "PT", "RU")
SPLITS = ("train", "dev")
DATASET = "semeval2025t10"
_HEADER = "article_id"  # a first line starting with this cell is a header and is skipped


@dataclass(frozen=True)
class Mention:
    """One entity mention of subtask 1; gold or predicted roles, or none (an input mention)."""

    article_id: str
    text: str
    start: int                 # as in the file: inclusive
    end: int                   # as in the file: INCLUSIVE (text[start:end+1] == mention)
    main_role: str | None = None
    fine_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class NarrativeLabels:
    """The narratives and sub-narratives of one document (subtask 2), in file order."""

    article_id: str
    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]


@dataclass(frozen=True)
class T10Split:
    """One public split and language: its documents and subtask-1/2 gold."""

    documents: dict[str, str]          # article id (file name) -> raw text, CRLF kept
    mentions: list[Mention]            # subtask 1 gold (empty list if the split/language has none)
    narratives: list[NarrativeLabels]  # subtask 2 gold


# ---------------------------------------------------------------- reading


def _read_text(path: Path, encoding: str, what: str) -> str:
    try:
        with path.open(encoding=encoding, newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise NarrascopeError(f"{path}: no such {what} file; check the path (the SemEval-2025 "
                              f"Task 10 data goes under the data directory, NARRASCOPE_DATA, "
                              f"as {DATASET}/)") from None
    except UnicodeDecodeError as exc:
        raise NarrascopeError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                              "save it as UTF-8") from None
    except OSError as exc:
        raise NarrascopeError(f"{path}: cannot read the {what} file ({exc.strerror})") from None


def _rows(path: Path, what: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated cells) of each non-blank line; CRLF, LF or CR line ends, a BOM
    and a header line (first cell ``article_id``) are all accepted."""
    text = _read_text(path, "utf-8-sig", what)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if number == 1 and cells[0].strip() == _HEADER:
            continue
        yield number, cells


def _offset(path: Path, number: int, cell: str, name: str) -> int:
    try:
        value = int(cell.strip())
    except ValueError:
        raise NarrascopeError(f"{path}:{number}: the {name} offset {cell!r} is not a whole "
                              "number; columns are article_id, mention, start, end, ...") from None
    if value < 0:
        raise NarrascopeError(f"{path}:{number}: the {name} offset {value} is negative")
    return value


def read_documents(folder: Path) -> dict[str, str]:
    """File name -> raw text of every ``*.txt`` in `folder`.

    Read with ``newline=""`` so CRLF line ends stay (the offsets count both characters), and with
    plain ``utf-8``, NOT ``utf-8-sig``: some Russian documents start with a byte-order mark and
    the gold offsets count it as character 0 (with the mark dropped, every mention in those
    documents is off by one; with it kept, only the ~19 rows the data's notes list mismatch).
    """
    if not folder.is_dir():
        raise NarrascopeError(f"{folder}: no such document folder; stage the SemEval-2025 Task 10 "
                              f"data under the data directory (NARRASCOPE_DATA) as {DATASET}/")
    return {path.name: _read_text(path, "utf-8", "document")
            for path in sorted(folder.glob("*.txt")) if path.is_file()}


def read_st1(path: Path, *, gold: bool = True) -> list[Mention]:
    """Subtask-1 mentions. ``gold=True``: the annotation / prediction format (at least five
    columns; fine roles may be absent, as the released scorer allows); ``gold=False``: the
    entity-mentions input file (exactly four columns, no roles)."""
    mentions = []
    for number, cells in _rows(path, "subtask-1"):
        if gold and len(cells) < 5:
            raise NarrascopeError(
                f"{path}:{number}: {len(cells)} tab-separated columns, need at least 5: "
                "article_id, mention, start, end, main_role[, fine roles...]")
        if not gold and len(cells) != 4:
            raise NarrascopeError(f"{path}:{number}: {len(cells)} tab-separated columns, need 4: "
                                  "article_id, mention, start, end")
        start = _offset(path, number, cells[2], "start")
        end = _offset(path, number, cells[3], "end")
        if end < start:
            raise NarrascopeError(f"{path}:{number}: end offset {end} is before start {start} "
                                  "(the end offset is inclusive)")
        main_role = cells[4].strip() if gold else None
        if gold and not main_role:
            raise NarrascopeError(f"{path}:{number}: the main role (column 5) is empty")
        fine = tuple(c.strip() for c in cells[5:] if c.strip()) if gold else ()
        mentions.append(Mention(cells[0].strip(), cells[1], start, end, main_role, fine))
    return mentions


def _labels(cell: str) -> tuple[str, ...]:
    # Stripped, empties dropped. (The released scorer keeps spaces, so there " CC: x" never
    # matches a class; the official files have no such spaces, so scores do not change.)
    return tuple(label.strip() for label in cell.split(";") if label.strip())


def read_st2(path: Path) -> list[NarrativeLabels]:
    """Subtask-2 labels: exactly three columns; the label cells are ';'-separated. Labels keep
    their file order, duplicates included (scoring counts each once)."""
    found: dict[str, int] = {}
    labels = []
    for number, cells in _rows(path, "subtask-2"):
        if len(cells) != 3:
            raise NarrascopeError(f"{path}:{number}: {len(cells)} tab-separated columns, need 3: "
                                  "article_id, narratives, sub-narratives (';'-separated)")
        article_id = cells[0].strip()
        if article_id in found:
            raise NarrascopeError(f"{path}:{number}: article {article_id} again (first on line "
                                  f"{found[article_id]}); give each article one line")
        found[article_id] = number
        labels.append(NarrativeLabels(article_id, _labels(cells[1]), _labels(cells[2])))
    return labels


def read_class_list(path: Path) -> list[str]:
    """One class label a line (blank lines skipped), in file order."""
    text = _read_text(path, "utf-8-sig", "class list")
    classes = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    if len(set(classes)) != len(classes):
        raise NarrascopeError(f"{path}: a class is listed twice; list each label once")
    return classes


def _taxonomy(data_dir: Path) -> Path:
    return data_dir / DATASET / "taxonomy"


def class_lists(data_dir: Path) -> tuple[list[str], list[str]]:
    """The official subtask-2 scorer's narratives (22) and sub-narratives (91), both with "Other".
    `data_dir` holds ``semeval2025t10/``."""
    folder = _taxonomy(data_dir)
    return (read_class_list(folder / "subtask2_narratives.txt"),
            read_class_list(folder / "subtask2_subnarratives.txt"))


def roles(data_dir: Path) -> dict[str, tuple[str, ...]]:
    """Main role -> its fine roles, from ``taxonomy/subtask1_roles.tsv``."""
    path = _taxonomy(data_dir) / "subtask1_roles.tsv"
    found: dict[str, list[str]] = {}
    for number, cells in _rows(path, "roles"):
        if len(cells) != 2:
            raise NarrascopeError(f"{path}:{number}: {len(cells)} tab-separated columns, need 2: "
                                  "main_role, fine_grained_role")
        if number == 1 and cells[0].strip() == "main_role":
            continue
        found.setdefault(cells[0].strip(), []).append(cells[1].strip())
    return {main: tuple(fine) for main, fine in found.items()}


def _split_root(data_dir: Path, split: str, language: str) -> Path:
    if split not in SPLITS:
        raise NarrascopeError(f"split {split!r}: use one of {', '.join(SPLITS)} (the test split "
                              "has no public gold labels)")
    if language not in LANGUAGES:
        raise NarrascopeError(f"language {language!r}: use one of {', '.join(LANGUAGES)}")
    root = data_dir / DATASET / split / language
    if not root.is_dir():
        raise NarrascopeError(f"{root}: not found; stage the SemEval-2025 Task 10 data under the "
                              f"data directory (set NARRASCOPE_DATA to the folder holding "
                              f"{DATASET}/)")
    return root


def t10_split(data_dir: Path, split: str, language: str) -> T10Split:
    """Documents and subtask-1/2 gold of one public split ("train" or "dev") and language.
    Dev documents are the union of the subtask-2 and subtask-1 document folders (identical
    files where both have one)."""
    root = _split_root(data_dir, split, language.upper())
    documents = read_documents(root / ("raw-documents" if split == "train"
                                       else "subtask-2-documents"))
    if split == "dev" and (root / "subtask-1-documents").is_dir():
        for article_id, text in read_documents(root / "subtask-1-documents").items():
            documents.setdefault(article_id, text)
    st1, st2 = root / "subtask-1-annotations.txt", root / "subtask-2-annotations.txt"
    mentions = read_st1(st1) if st1.is_file() else []
    narratives = read_st2(st2) if st2.is_file() else []
    for path, ids in ((st1, [m.article_id for m in mentions]),
                      (st2, [n.article_id for n in narratives])):
        missing = sorted(set(ids) - documents.keys())
        if missing:
            raise NarrascopeError(f"{path}: labels for {len(missing)} article(s) without a "
                                  f"document, e.g. {missing[0]}; restage the data")
    return T10Split(documents, mentions, narratives)


# ---------------------------------------------------------------- writing


def _check_cell(value: str, what: str, forbidden: str = "\t\r\n") -> str:
    if not value or any(c in value for c in forbidden):
        raise NarrascopeError(f"cannot write {what} {value!r}: it is empty or holds a tab, "
                              "line break or (in a label list) ';'")
    return value


def write_st1(mentions: Iterable[Mention], path: Path) -> None:
    """Subtask-1 predictions in the official format (no header, LF line ends)."""
    lines = []
    for m in mentions:
        if m.main_role is None:
            raise NarrascopeError(f"cannot write {m.article_id} {m.start}-{m.end}: no main role "
                                  "predicted; every prediction needs one")
        cells = [_check_cell(m.article_id, "article id"), _check_cell(m.text, "mention"),
                 str(m.start), str(m.end), _check_cell(m.main_role, "main role"),
                 *(_check_cell(r, "fine role") for r in m.fine_roles)]
        lines.append("\t".join(cells) + "\n")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(lines)


def write_st2(labels: Iterable[NarrativeLabels], path: Path) -> None:
    """Subtask-2 predictions in the official format (no header, LF line ends)."""
    lines = []
    for doc in labels:
        narratives = ";".join(_check_cell(x, "narrative", "\t\r\n;") for x in doc.narratives)
        subs = ";".join(_check_cell(x, "sub-narrative", "\t\r\n;") for x in doc.subnarratives)
        lines.append(f"{_check_cell(doc.article_id, 'article id')}\t{narratives}\t{subs}\n")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.writelines(lines)


# ---------------------------------------------------------------- subtask 1 metrics

_Key = tuple[str, int, int]


def _keyed(mentions: Sequence[Mention], what: str) -> dict[_Key, Mention]:
    # Keyed by (article id, start, end): the mention text is not compared (the released scorer
    # keys on the text too, with '"' removed, so a reworded mention there is missing + extra).
    keyed: dict[_Key, Mention] = {}
    for m in mentions:
        key = (m.article_id, m.start, m.end)
        if key in keyed:
            raise NarrascopeError(f"{what}: mention {m.article_id} {m.start}-{m.end} is listed "
                                  "twice; give each mention one line")
        keyed[key] = m
    return keyed


def _ratio(numerator: int, denominator: int) -> float:
    # zero_division=1, as the released scorer calls scikit-learn's micro P/R/F1.
    return numerator / denominator if denominator else 1.0


def score_st1(gold: Sequence[Mention], pred: Sequence[Mention]) -> dict[str, float]:
    """Exact match ratio, main-role accuracy and micro P/R/F1 over fine roles, per gold mention.

    Differences from the released scorer, which refuses any prediction file whose keys differ
    from the gold ones and pairs gold and prediction rows by file order for P/R/F1 and accuracy:
    here a gold mention without a prediction counts as wrong (its fine roles as false negatives),
    a prediction whose key is not a gold key is refused, and rows are paired by key.
    """
    gold_keyed, pred_keyed = _keyed(gold, "gold"), _keyed(pred, "predictions")
    if not gold_keyed:
        raise NarrascopeError("nothing to score: the subtask-1 gold has no mentions")
    extra = [key for key in pred_keyed if key not in gold_keyed]
    if extra:
        article_id, start, end = extra[0]
        raise NarrascopeError(f"predicted mention {article_id} {start}-{end} is not a gold "
                              f"mention ({len(extra)} such); predict only the given mentions")
    exact = main = tp = fp = fn = 0
    for key, g in gold_keyed.items():
        p = pred_keyed.get(key)
        gold_fine = set(g.fine_roles)
        pred_fine = set(p.fine_roles) if p else set()
        right_main = p is not None and p.main_role == g.main_role
        main += right_main
        # Fine roles compared as SETS: the released scorer compares the lists, so there the same
        # roles in another order are not an exact match; the task means sets.
        exact += right_main and pred_fine == gold_fine
        tp += len(gold_fine & pred_fine)
        fp += len(pred_fine - gold_fine)
        fn += len(gold_fine - pred_fine)
    n = len(gold_keyed)
    return {"emr": exact / n, "main_role_accuracy": main / n,
            "fine_precision": _ratio(tp, tp + fp), "fine_recall": _ratio(tp, tp + fn),
            "fine_f1": _ratio(2 * tp, 2 * tp + fp + fn), "mentions": float(n)}


# ---------------------------------------------------------------- subtask 2 metrics


def _document_f1(gold: set[str], pred: set[str]) -> float:
    # Binary F1 of the one-hot vectors = 2|G∩P| / (|G| + |P|); both empty -> 0.0, as scikit-learn's
    # f1_score(zero_division=0) returns when the denominator tp+fp+tp+fn is zero.
    total = len(gold) + len(pred)
    return 2 * len(gold & pred) / total if total else 0.0


def _samples_f1(pairs: Sequence[tuple[set[str], set[str]]],
                classes: Sequence[str]) -> tuple[float, float]:
    """Mean and population standard deviation (numpy's ddof=0, as the released scorer) of the
    per-document F1 over `classes`; labels outside the list are dropped first."""
    allowed = set(classes)
    values = np.array([_document_f1(g & allowed, p & allowed) for g, p in pairs], dtype=float)
    return float(values.mean()), float(values.std())


def _by_id(labels: Sequence[NarrativeLabels], what: str) -> dict[str, NarrativeLabels]:
    found: dict[str, NarrativeLabels] = {}
    for doc in labels:
        if doc.article_id in found:
            raise NarrascopeError(f"{what}: article {doc.article_id} is listed twice")
        found[doc.article_id] = doc
    return found


def score_st2(gold: Sequence[NarrativeLabels], pred: Sequence[NarrativeLabels],
              narratives: Sequence[str], subnarratives: Sequence[str]) -> dict[str, float]:
    """Samples-F1 over narratives (``f1_coarse``) and sub-narratives (``f1_fine``, the ranking
    metric), with their standard deviations over documents.

    Differences from the released scorer, which refuses files whose id sets differ and pairs
    gold and prediction lines by file order (not by id): here documents are paired by id, a gold
    document without a prediction scores as an empty prediction, and a predicted id not in the
    gold is refused.
    """
    gold_by_id, pred_by_id = _by_id(gold, "gold"), _by_id(pred, "predictions")
    if not gold_by_id:
        raise NarrascopeError("nothing to score: the subtask-2 gold has no documents")
    extra = [article_id for article_id in pred_by_id if article_id not in gold_by_id]
    if extra:
        raise NarrascopeError(f"predicted article {extra[0]} is not in the gold ({len(extra)} "
                              "such); predict only the gold documents")
    empty = NarrativeLabels("", (), ())
    docs = [(g, pred_by_id.get(article_id, empty)) for article_id, g in gold_by_id.items()]
    coarse = _samples_f1([(set(g.narratives), set(p.narratives)) for g, p in docs], narratives)
    fine = _samples_f1([(set(g.subnarratives), set(p.subnarratives)) for g, p in docs],
                       subnarratives)
    return {"f1_coarse": coarse[0], "f1_coarse_std": coarse[1], "f1_fine": fine[0],
            "f1_fine_std": fine[1], "documents": float(len(docs))}
