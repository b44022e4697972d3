"""SemEval-2025 Task 10 subtasks 1 and 2: readers, writers and official scorers, on hand-made
fixtures with hand-computed expected values, and on the real data when it is staged."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from narrascope.config import Settings
from narrascope.errors import NarrascopeError
from narrascope.eval import t10
from narrascope.eval.t10 import Mention, NarrativeLabels

DATA_DIR = Settings().data_dir
needs_data = pytest.mark.skipif(not (DATA_DIR / "semeval2025t10").is_dir(),
                                reason="SemEval-2025 Task 10 data not staged")

NARRATIVES = ["URW: A", "URW: B", "CC: C", "Other"]
SUBNARRATIVES = ["URW: A: x", "URW: A: y", "URW: B: z", "CC: C: w", "Other"]


def gold_mention(article: str, start: int, main: str, *fine: str) -> Mention:
    return Mention(article, "m", start, start + 4, main, tuple(fine))


def doc(article: str, narratives: tuple[str, ...], subs: tuple[str, ...]) -> NarrativeLabels:
    return NarrativeLabels(article, narratives, subs)


def st2(gold: list[NarrativeLabels], pred: list[NarrativeLabels],
        narratives: list[str] = NARRATIVES) -> dict[str, float]:
    return t10.score_st2(gold, pred, narratives, SUBNARRATIVES)


# ---------------------------------------------------------------- subtask 1 scorer


def test_st1_fine_roles_in_another_order_are_an_exact_match() -> None:
    # Sets, not lists (the released scorer compares lists and would give emr 0 here).
    gold = [gold_mention("a.txt", 0, "Antagonist", "Deceiver", "Corrupt")]
    pred = [gold_mention("a.txt", 0, "Antagonist", "Corrupt", "Deceiver")]
    scores = t10.score_st1(gold, pred)
    assert scores == {"emr": 1.0, "main_role_accuracy": 1.0, "fine_precision": 1.0,
                      "fine_recall": 1.0, "fine_f1": 1.0, "mentions": 1.0}


def test_st1_wrong_main_role_is_not_an_exact_match_but_fine_roles_still_count() -> None:
    gold = [gold_mention("a.txt", 0, "Antagonist", "Corrupt")]
    pred = [gold_mention("a.txt", 0, "Protagonist", "Corrupt")]
    scores = t10.score_st1(gold, pred)
    assert scores["emr"] == 0.0
    assert scores["main_role_accuracy"] == 0.0
    # the fine roles agree: TP 1, FP 0, FN 0
    assert scores["fine_precision"] == scores["fine_recall"] == scores["fine_f1"] == 1.0


def test_st1_missing_prediction_counts_as_wrong() -> None:
    gold = [gold_mention("a.txt", 0, "Antagonist", "Corrupt"),
            gold_mention("a.txt", 10, "Innocent", "Victim", "Exploited")]
    pred = [gold_mention("a.txt", 0, "Antagonist", "Corrupt")]
    scores = t10.score_st1(gold, pred)
    # emr 1/2, accuracy 1/2; TP 1, FP 0, FN 2 (both roles of the unpredicted mention)
    assert scores["emr"] == 0.5
    assert scores["main_role_accuracy"] == 0.5
    assert scores["fine_precision"] == 1.0               # 1 / (1 + 0)
    assert scores["fine_recall"] == pytest.approx(1 / 3)  # 1 / (1 + 2)
    assert scores["fine_f1"] == pytest.approx(0.5)        # 2*1 / (2*1 + 0 + 2)
    assert scores["mentions"] == 2.0


def test_st1_extra_predicted_key_is_refused() -> None:
    gold = [gold_mention("a.txt", 0, "Antagonist", "Corrupt")]
    pred = [*gold, gold_mention("b.txt", 7, "Antagonist", "Corrupt")]
    with pytest.raises(NarrascopeError, match=r"b\.txt 7-11 is not a gold mention"):
        t10.score_st1(gold, pred)


def test_st1_micro_precision_recall_f1_on_three_mentions() -> None:
    gold = [gold_mention("a.txt", 0, "Antagonist", "Deceiver", "Corrupt"),
            gold_mention("a.txt", 10, "Innocent", "Victim"),
            gold_mention("b.txt", 0, "Antagonist", "Tyrant")]
    pred = [gold_mention("a.txt", 0, "Antagonist", "Corrupt"),             # TP 1 FP 0 FN 1
            gold_mention("a.txt", 10, "Innocent", "Victim", "Forgotten"),  # TP 1 FP 1 FN 0
            gold_mention("b.txt", 0, "Protagonist", "Spy", "Traitor")]     # TP 0 FP 2 FN 1
    scores = t10.score_st1(gold, pred)
    # TP 2, FP 3, FN 2: P = 2/5, R = 2/4, F1 = 2*2 / (2*2 + 3 + 2) = 4/9
    assert scores["fine_precision"] == pytest.approx(0.4)
    assert scores["fine_recall"] == pytest.approx(0.5)
    assert scores["fine_f1"] == pytest.approx(4 / 9)
    assert scores["main_role_accuracy"] == pytest.approx(2 / 3)  # the third main role is wrong
    assert scores["emr"] == 0.0                                  # no mention fully right


def test_st1_no_predicted_fine_roles_gives_precision_one_like_the_released_scorer() -> None:
    # TP 0, FP 0, FN 1: precision 0/0 -> 1 (scikit-learn zero_division=1), recall 0, F1 0/1 = 0
    scores = t10.score_st1([gold_mention("a.txt", 0, "Innocent", "Victim")],
                           [gold_mention("a.txt", 0, "Innocent")])
    assert (scores["fine_precision"], scores["fine_recall"], scores["fine_f1"]) == (1.0, 0.0, 0.0)
    assert scores["main_role_accuracy"] == 1.0 and scores["emr"] == 0.0


def test_st1_mention_text_is_not_part_of_the_key() -> None:
    gold = [Mention("a.txt", '"Kyiv"', 3, 8, "Innocent", ("Victim",))]
    pred = [Mention("a.txt", "Kyiv", 3, 8, "Innocent", ("Victim",))]
    assert t10.score_st1(gold, pred)["emr"] == 1.0


def test_st1_duplicates_and_empty_gold_are_refused() -> None:
    mention = gold_mention("a.txt", 0, "Innocent", "Victim")
    with pytest.raises(NarrascopeError, match="twice"):
        t10.score_st1([mention, mention], [])
    with pytest.raises(NarrascopeError, match="twice"):
        t10.score_st1([mention], [mention, mention])
    with pytest.raises(NarrascopeError, match="nothing to score"):
        t10.score_st1([], [])


# ---------------------------------------------------------------- subtask 2 scorer


def test_st2_partial_overlaps_per_document_and_the_standard_deviations() -> None:
    gold = [doc("d1", ("URW: A", "URW: B"), ("URW: A: x", "URW: B: z")),
            doc("d2", ("Other",), ("Other",)),
            doc("d3", ("CC: C",), ("CC: C: w",))]
    pred = [doc("d1", ("URW: A",), ("URW: A: x", "URW: A: y")),
            doc("d2", ("Other",), ("Other",)),
            doc("d3", ("URW: A",), ("URW: A: x",))]
    scores = st2(gold, pred)
    # coarse per document: d1 2*1/(2+1) = 2/3, d2 1, d3 0 -> mean 5/9;
    # population variance = (4/9 + 1 + 0)/3 - (5/9)^2 = 39/81 - 25/81 = 14/81 -> std sqrt(14)/9
    assert scores["f1_coarse"] == pytest.approx(5 / 9)
    assert scores["f1_coarse_std"] == pytest.approx(math.sqrt(14) / 9)
    # fine per document: d1 2*1/(2+2) = 1/2, d2 1, d3 0 -> mean 1/2;
    # variance = (0 + 1/4 + 1/4)/3 = 1/6 -> std sqrt(1/6)
    assert scores["f1_fine"] == pytest.approx(0.5)
    assert scores["f1_fine_std"] == pytest.approx(math.sqrt(1 / 6))
    assert scores["documents"] == 3.0


def test_st2_empty_gold_and_empty_prediction_score_zero() -> None:
    # scikit-learn's f1_score(zero_division=0): F = 2tp / (2tp + fp + fn) and the denominator is
    # 0 when both sets are empty, so the document scores the zero_division value, 0 (not 1).
    gold = [doc("d1", (), ()), doc("d2", ("URW: A",), ("URW: A: x",))]
    pred = [doc("d1", (), ()), doc("d2", ("URW: A",), ("URW: A: x",))]
    scores = st2(gold, pred)
    # per document [0, 1]: mean 1/2, population std 1/2
    assert scores["f1_coarse"] == scores["f1_fine"] == 0.5
    assert scores["f1_coarse_std"] == scores["f1_fine_std"] == 0.5


def test_st2_labels_outside_the_class_list_are_ignored() -> None:
    gold = [doc("d1", ("URW: A", "URW: Unlisted"), ("URW: A: x", "CC: C: unlisted")),
            doc("d2", ("URW: B",), ("CC: C: unlisted",))]
    pred = [doc("d1", ("URW: A",), ("URW: A: x", "URW: A: not a class")),
            doc("d2", ("URW: B",), ("CC: C: unlisted",))]
    scores = st2(gold, pred)
    # coarse: d1 {A} vs {A} = 1 once "URW: Unlisted" is dropped, d2 1 -> mean 1, std 0
    assert (scores["f1_coarse"], scores["f1_coarse_std"]) == (1.0, 0.0)
    # fine: d1 {A: x} vs {A: x} = 1; d2 identical, but both sets are empty after filtering -> 0
    # mean 1/2, std 1/2
    assert (scores["f1_fine"], scores["f1_fine_std"]) == (0.5, 0.5)


def test_st2_other_is_a_class_only_when_the_list_has_it() -> None:
    gold = [doc("d1", ("Other",), ("Other",))]
    pred = [doc("d1", ("Other",), ("URW: A: x",))]
    scores = st2(gold, pred)
    assert scores["f1_coarse"] == 1.0   # both {Other}
    assert scores["f1_fine"] == 0.0     # {Other} vs {A: x}: 2*0 / (1 + 1)
    without_other = st2(gold, pred, narratives=NARRATIVES[:3])
    assert without_other["f1_coarse"] == 0.0  # both sets empty after filtering -> 0


def test_st2_gold_document_without_prediction_counts_as_empty() -> None:
    gold = [doc("d1", ("URW: A",), ("URW: A: x",)), doc("d2", ("URW: B",), ("URW: B: z",))]
    pred = [doc("d1", ("URW: A",), ("URW: A: x",))]
    scores = st2(gold, pred)
    # d1 1, d2 gold {B} vs nothing: 2*0 / (1 + 0) = 0 -> mean 1/2, std 1/2
    assert scores["f1_coarse"] == scores["f1_fine"] == 0.5
    assert scores["f1_coarse_std"] == scores["f1_fine_std"] == 0.5
    assert scores["documents"] == 2.0


def test_st2_duplicated_labels_count_once() -> None:
    gold = [doc("d1", ("URW: A", "URW: A", "URW: B"), ("URW: A: x", "URW: A: x"))]
    pred = [doc("d1", ("URW: A", "URW: A"), ("URW: A: x",))]
    scores = st2(gold, pred)
    # coarse: {A, B} vs {A} -> 2*1 / (2 + 1) = 2/3 (counted as a multiset it would be 4/5)
    assert scores["f1_coarse"] == pytest.approx(2 / 3)
    assert scores["f1_fine"] == 1.0  # {A: x} vs {A: x}


def test_st2_unknown_predicted_document_and_duplicates_are_refused() -> None:
    gold = [doc("d1", ("URW: A",), ())]
    with pytest.raises(NarrascopeError, match="d9 is not in the gold"):
        st2(gold, [doc("d9", ("URW: A",), ())])
    with pytest.raises(NarrascopeError, match="twice"):
        st2(gold, [gold[0], gold[0]])
    with pytest.raises(NarrascopeError, match="nothing to score"):
        st2([], [])


# ---------------------------------------------------------------- readers and writers


def test_documents_keep_crlf_and_inclusive_end_offsets(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "EN_1.txt").write_bytes(b"Title\r\n\r\nBill Gates spoke.\r\n")
    (folder / "notes.md").write_bytes(b"not a document")
    documents = t10.read_documents(folder)
    assert list(documents) == ["EN_1.txt"]
    text = documents["EN_1.txt"]
    assert text == "Title\r\n\r\nBill Gates spoke.\r\n"
    # "Title" 0-4, "\r\n\r\n" 5-8, "Bill Gates" 9-18 (end inclusive)
    (tmp_path / "st1.txt").write_bytes(b"EN_1.txt\tBill Gates\t9\t18\tAntagonist\tCorrupt\r\n")
    [mention] = t10.read_st1(tmp_path / "st1.txt")
    assert text[mention.start : mention.end + 1] == mention.text == "Bill Gates"


def test_documents_keep_the_byte_order_mark_the_offsets_count(tmp_path: Path) -> None:
    # Some Russian dev/train documents start with a BOM and their gold offsets count it.
    (tmp_path / "RU-1.txt").write_bytes("\ufeffПутин сказал".encode())
    text = t10.read_documents(tmp_path)["RU-1.txt"]
    assert text[0] == "\ufeff"
    assert text[1:5 + 1] == "Путин"  # the gold line would say start 1, end 5


def test_st1_reader_accepts_bom_crlf_blank_lines_and_a_header(tmp_path: Path) -> None:
    path = tmp_path / "gold.txt"
    path.write_bytes(
        "\ufeffarticle_id\tentity_mention\tstart_offset\tend_offset\tmain_role\tfine\r\n"
        "a.txt\tBill Gates\t93\t102\tAntagonist\tDeceiver\tCorrupt\r\n\r\n"
        "b.txt\tKyiv\t0\t3\tInnocent\tVictim\t\r\n".encode())
    assert t10.read_st1(path) == [
        Mention("a.txt", "Bill Gates", 93, 102, "Antagonist", ("Deceiver", "Corrupt")),
        Mention("b.txt", "Kyiv", 0, 3, "Innocent", ("Victim",)),
    ]
    mentions = tmp_path / "mentions.txt"
    mentions.write_bytes(b"a.txt\tBill Gates\t93\t102\r\n")
    assert t10.read_st1(mentions, gold=False) == [Mention("a.txt", "Bill Gates", 93, 102)]


@pytest.mark.parametrize(("content", "gold", "line", "what"), [
    ("a.txt\tX\t0\t0\tInnocent\tVictim\na.txt\tX\t0\t0\n", True, 2, "need at least 5"),
    ("\na.txt\tX\t0\tzero\tInnocent\n", True, 2, "not a whole number"),
    ("a.txt\tX\t5\t2\tInnocent\n", True, 1, "before start"),
    ("a.txt\tX\t0\t0\t\tVictim\n", True, 1, "main role"),
    ("a.txt\tX\t0\t0\na.txt\tX\t0\t0\tInnocent\n", False, 2, "need 4"),
])
def test_st1_malformed_lines_name_file_and_line(tmp_path: Path, content: str, gold: bool,
                                                line: int, what: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NarrascopeError, match=what) as err:
        t10.read_st1(path, gold=gold)
    assert f"{path}:{line}:" in str(err.value)


def test_st2_reader_crlf_blank_lines_and_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "st2.txt"
    path.write_bytes(b"d1\tURW: A;URW: A;URW: B\tURW: A: x;URW: B: z\r\n\r\nd2\tOther\tOther\r\n")
    assert t10.read_st2(path) == [
        doc("d1", ("URW: A", "URW: A", "URW: B"), ("URW: A: x", "URW: B: z")),
        doc("d2", ("Other",), ("Other",)),
    ]
    path.write_bytes(b"d1\tOther\tOther\r\nd2\tOther\r\n")
    with pytest.raises(NarrascopeError, match="need 3") as err:
        t10.read_st2(path)
    assert f"{path}:2:" in str(err.value)
    path.write_bytes(b"d1\tOther\tOther\nd1\tOther\tOther\n")
    with pytest.raises(NarrascopeError, match="first on line 1") as err:
        t10.read_st2(path)
    assert f"{path}:2:" in str(err.value)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(NarrascopeError, match=r"nothere\.txt: no such"):
        t10.read_st2(tmp_path / "nothere.txt")
    with pytest.raises(NarrascopeError, match="no such document folder"):
        t10.read_documents(tmp_path / "nothere")


def test_round_trip_write_then_read(tmp_path: Path) -> None:
    mentions = [Mention("a.txt", "Bill Gates", 93, 102, "Antagonist", ("Deceiver", "Corrupt")),
                Mention("b.txt", "Kyiv", 0, 3, "Innocent", ())]
    t10.write_st1(mentions, tmp_path / "st1.txt")
    assert t10.read_st1(tmp_path / "st1.txt") == mentions
    labels = [doc("d1", ("URW: A", "URW: B"), ("URW: A: x",)), doc("d2", ("Other",), ("Other",))]
    t10.write_st2(labels, tmp_path / "st2.txt")
    assert (tmp_path / "st2.txt").read_bytes() == (b"d1\tURW: A;URW: B\tURW: A: x\n"
                                                   b"d2\tOther\tOther\n")
    assert t10.read_st2(tmp_path / "st2.txt") == labels


def test_writers_refuse_what_the_format_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(NarrascopeError, match="no main role"):
        t10.write_st1([Mention("a.txt", "X", 0, 0)], tmp_path / "st1.txt")
    with pytest.raises(NarrascopeError, match="cannot write"):
        t10.write_st2([doc("d1", ("URW: A;URW: B",), ())], tmp_path / "st2.txt")


def _fake_dataset(root: Path) -> Path:
    """A tiny SemEval-2025 T10 layout: taxonomy, one dev and one train language folder."""
    base = root / "semeval2025t10"
    taxonomy = base / "taxonomy"
    taxonomy.mkdir(parents=True)
    (taxonomy / "subtask2_narratives.txt").write_bytes(b"URW: A\r\nOther")
    (taxonomy / "subtask2_subnarratives.txt").write_bytes(b"URW: A: x\nOther\n\n")
    (taxonomy / "subtask1_roles.tsv").write_bytes(
        b"main_role\tfine_grained_role\nProtagonist\tGuardian\nInnocent\tVictim\n"
        b"Innocent\tScapegoat\n")
    dev = base / "dev" / "EN"
    for folder, name in (("subtask-2-documents", "EN_1.txt"), ("subtask-1-documents", "EN_2.txt")):
        (dev / folder).mkdir(parents=True)
        (dev / folder / name).write_bytes(b"Kyiv\r\nis here")
    (dev / "subtask-1-annotations.txt").write_bytes(b"EN_2.txt\tKyiv\t0\t3\tInnocent\tVictim\r\n")
    (dev / "subtask-2-annotations.txt").write_bytes(b"EN_1.txt\tURW: A\tURW: A: x\r\n")
    (base / "train" / "EN" / "raw-documents").mkdir(parents=True)
    return root


def test_taxonomy_lists_and_roles(tmp_path: Path) -> None:
    data_dir = _fake_dataset(tmp_path)
    assert t10.class_lists(data_dir) == (["URW: A", "Other"], ["URW: A: x", "Other"])
    assert t10.roles(data_dir) == {"Protagonist": ("Guardian",),
                                   "Innocent": ("Victim", "Scapegoat")}


def test_split_on_a_fake_layout(tmp_path: Path) -> None:
    data_dir = _fake_dataset(tmp_path)
    split = t10.t10_split(data_dir, "dev", "en")
    assert split.documents == {"EN_1.txt": "Kyiv\r\nis here", "EN_2.txt": "Kyiv\r\nis here"}
    assert split.mentions == [Mention("EN_2.txt", "Kyiv", 0, 3, "Innocent", ("Victim",))]
    assert split.narratives == [doc("EN_1.txt", ("URW: A",), ("URW: A: x",))]
    train = t10.t10_split(data_dir, "train", "EN")  # no annotation files: empty gold
    assert train == t10.T10Split({}, [], [])
    with pytest.raises(NarrascopeError, match="no public gold"):
        t10.t10_split(data_dir, "test", "EN")
    with pytest.raises(NarrascopeError, match="language 'DE'"):
        t10.t10_split(data_dir, "dev", "DE")
    with pytest.raises(NarrascopeError, match=r"dev[/\\]BG: not found"):
        t10.t10_split(data_dir, "dev", "BG")


def test_split_refuses_labels_without_a_document(tmp_path: Path) -> None:
    data_dir = _fake_dataset(tmp_path)
    labels = data_dir / "semeval2025t10" / "dev" / "EN" / "subtask-2-annotations.txt"
    labels.write_bytes(b"EN_9.txt\tOther\tOther\n")
    with pytest.raises(NarrascopeError, match=r"without a document, e\.g\. EN_9\.txt"):
        t10.t10_split(data_dir, "dev", "EN")


# ---------------------------------------------------------------- the real data (when staged)

# Dev sizes from the data's PROVENANCE.md: subtask-2 documents and subtask-1 gold lines.
DEV_SIZES = {"BG": (35, 31), "EN": (41, 91), "HI": (35, 280), "PT": (35, 116), "RU": (32, 86)}


@needs_data
@pytest.mark.parametrize("language", t10.LANGUAGES)
def test_dev_split_loads_with_offsets_inside_documents(language: str) -> None:
    split = t10.t10_split(DATA_DIR, "dev", language)
    assert (len(split.documents), len(split.mentions)) == DEV_SIZES[language]
    assert len(split.narratives) == len(split.documents)
    for m in split.mentions:
        assert 0 <= m.start <= m.end < len(split.documents[m.article_id])
    exact = sum(split.documents[m.article_id][m.start : m.end + 1] == m.text
                for m in split.mentions)
    assert exact >= 0.95 * len(split.mentions)
    inputs = t10.read_st1(DATA_DIR / "semeval2025t10" / "dev" / language /
                          "subtask-1-entity-mentions.txt", gold=False)
    assert {(m.article_id, m.start, m.end) for m in inputs} == {
        (m.article_id, m.start, m.end) for m in split.mentions}


def _emptied_by_filter(labels: list[NarrativeLabels], subnarratives: list[str]) -> int:
    """Documents none of whose sub-narratives is on the official list."""
    return sum(not set(d.subnarratives) & set(subnarratives) for d in labels)


@needs_data
@pytest.mark.parametrize("language", t10.LANGUAGES)
def test_dev_gold_against_itself(language: str) -> None:
    split = t10.t10_split(DATA_DIR, "dev", language)
    narratives, subnarratives = t10.class_lists(DATA_DIR)
    assert (len(narratives), len(subnarratives)) == (22, 91)
    assert "Other" in narratives and "Other" in subnarratives
    st1 = t10.score_st1(split.mentions, split.mentions)
    assert st1["emr"] == st1["main_role_accuracy"] == st1["fine_f1"] == 1.0
    # A document scores 1 against itself unless the class-list filter empties its label set
    # (then 0, zero_division=0). Every dev narrative is on the list, and no dev document loses
    # all its sub-narratives: the only unlisted dev sub-narrative (2 EN occurrences of
    # "CC: Green policies ...: Climate-related international relations are abusive/exploitative")
    # sits in documents that also carry listed ones. So both F1s are exactly 1 and both stds 0.
    assert _emptied_by_filter(split.narratives, subnarratives) == 0
    st2_scores = t10.score_st2(split.narratives, split.narratives, narratives, subnarratives)
    assert st2_scores == {"f1_coarse": 1.0, "f1_coarse_std": 0.0, "f1_fine": 1.0,
                          "f1_fine_std": 0.0, "documents": float(len(split.documents))}


@needs_data
def test_train_bg_gold_against_itself_loses_the_one_emptied_document() -> None:
    # One BG train document's only sub-narratives ("CC: Climate change is beneficial: Temperature
    # increase is beneficial") are missing from the official 91-entry list: it scores 0 against
    # itself. With n documents: mean (n-1)/n; population std sqrt(p(1-p)) with p = (n-1)/n,
    # i.e. sqrt(n-1)/n.
    split = t10.t10_split(DATA_DIR, "train", "BG")
    narratives, subnarratives = t10.class_lists(DATA_DIR)
    assert _emptied_by_filter(split.narratives, subnarratives) == 1
    n = len(split.narratives)
    scores = t10.score_st2(split.narratives, split.narratives, narratives, subnarratives)
    assert scores["f1_coarse"] == 1.0
    assert scores["f1_fine"] == pytest.approx((n - 1) / n)
    assert scores["f1_fine_std"] == pytest.approx(math.sqrt(n - 1) / n)
