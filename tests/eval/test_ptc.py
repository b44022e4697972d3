"""PTC / ru_zen_prop readers and official SI/TC scorers: hand-computed cases on tiny hand-made
fixtures, a brute-force check of the SI formula, and (when staged) the real data."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest

from narrascope.config import Settings
from narrascope.errors import NarrascopeError
from narrascope.eval import ptc
from narrascope.eval.ptc import Span

DATA = Settings().data_dir
PTC_ROOT = DATA / "ptc_semeval2020t11"
RU_ROOT = DATA / "ru_zen_prop"


def approx(value: Fraction | float) -> object:
    return pytest.approx(float(value), abs=1e-12)


# ---------------------------------------------------------------- merging


def test_merge_overlaps_merges_shared_indices_only() -> None:
    spans = [Span("a", 5, 15), Span("a", 0, 10, "Doubt"), Span("a", 20, 25), Span("a", 25, 30),
             Span("a", 40, 50), Span("a", 42, 44), Span("b", 0, 3)]
    # [0,10) and [5,15) share 5..9 -> [0,15); [20,25) and [25,30) only touch: kept apart;
    # [42,44) lies inside [40,50). Techniques are dropped.
    assert ptc.merge_overlaps(spans) == [
        Span("a", 0, 15), Span("a", 20, 25), Span("a", 25, 30), Span("a", 40, 50), Span("b", 0, 3)]


def test_overlapping_gold_spans_are_merged_before_scoring() -> None:
    gold = [Span("a", 0, 10), Span("a", 5, 15)]  # one gold span [0,15) once merged
    result = ptc.score_si(gold, [Span("a", 0, 15)])
    assert result == {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                      "gold_spans": 1, "predicted_spans": 1}


def test_overlapping_predictions_are_refused_or_merged() -> None:
    gold = [Span("a", 0, 10)]
    pred = [Span("a", 4, 10), Span("a", 0, 6)]
    with pytest.raises(NarrascopeError) as err:
        ptc.score_si(gold, pred)
    message = str(err.value)
    assert "article a" in message and "[0, 6)" in message and "[4, 10)" in message
    assert "merge" in message
    # merged: [0,10) equals the gold span
    assert ptc.score_si(gold, pred, merge_pred=True)["f1"] == 1.0
    # identical predicted spans overlap too
    with pytest.raises(NarrascopeError):
        ptc.score_si(gold, [Span("a", 0, 10), Span("a", 0, 10)])
    # touching predictions do not overlap
    assert ptc.score_si(gold, [Span("a", 0, 5), Span("a", 5, 10)])["f1"] == 1.0


# ---------------------------------------------------------------- SI arithmetic


def test_partial_overlaps_give_exact_fractions() -> None:
    gold = [Span("a", 0, 10), Span("a", 20, 30)]
    pred = [Span("a", 5, 15), Span("a", 18, 22)]
    # s1=[5,15): |s1&t1| = 5 ([5,10)), |s1&t2| = 0      -> P part 5/10
    # s2=[18,22): |s2&t1| = 0, |s2&t2| = 2 ([20,22))   -> P part 2/4
    # P = (5/10 + 2/4) / 2 = 1/2
    # R = (5/10 + 2/10) / 2 = 7/20
    # F1 = 2 * 1/2 * 7/20 / (1/2 + 7/20) = (7/20) / (17/20) = 7/17
    result = ptc.score_si(gold, pred)
    assert result["precision"] == approx(Fraction(1, 2))
    assert result["recall"] == approx(Fraction(7, 20))
    assert result["f1"] == approx(Fraction(7, 17))


def test_one_prediction_covering_two_gold_spans() -> None:
    gold = [Span("a", 0, 10), Span("a", 20, 30)]
    # s=[0,30): P = (10/30 + 10/30) / 1 = 2/3; R = (10/10 + 10/10) / 2 = 1
    # F1 = 2 * 2/3 * 1 / (2/3 + 1) = (4/3) / (5/3) = 4/5
    result = ptc.score_si(gold, [Span("a", 0, 30)])
    assert result["precision"] == approx(Fraction(2, 3))
    assert result["recall"] == 1.0
    assert result["f1"] == approx(Fraction(4, 5))


def test_empty_predictions_score_zero() -> None:
    result = ptc.score_si([Span("a", 0, 10)], [])
    assert result == {"precision": 0.0, "recall": 0.0, "f1": 0.0,
                      "gold_spans": 1, "predicted_spans": 0}


def test_gold_article_without_prediction_counts_in_recall() -> None:
    gold = [Span("a", 0, 10), Span("b", 0, 10)]
    # P = 1/1; R = (1 + 0) / 2 = 1/2; F1 = 2 * 1 * 1/2 / (3/2) = 2/3
    result = ptc.score_si(gold, [Span("a", 0, 10)])
    assert (result["precision"], result["recall"]) == (1.0, 0.5)
    assert result["f1"] == approx(Fraction(2, 3))


def test_prediction_on_article_without_gold_counts_in_precision() -> None:
    gold = [Span("a", 0, 10)]
    # the prediction on "z" is in |S| and earns nothing: P = (1 + 0) / 2; R = 1; F1 = 2/3
    result = ptc.score_si(gold, [Span("a", 0, 10), Span("z", 0, 5)])
    assert (result["precision"], result["recall"]) == (0.5, 1.0)
    assert result["f1"] == approx(Fraction(2, 3))
    assert result["predicted_spans"] == 2


def test_both_empty_is_a_perfect_f1() -> None:
    # as the official scorer: P and R are 0 (no denominators), F1 is defined as 1
    assert ptc.score_si([], []) == {"precision": 0.0, "recall": 0.0, "f1": 1.0,
                                    "gold_spans": 0, "predicted_spans": 0}
    assert ptc.score_si([], [Span("a", 0, 1)])["f1"] == 0.0


def test_si_ignores_techniques() -> None:
    gold = [Span("a", 0, 10, "Doubt"), Span("a", 0, 10, "Slogans")]  # the same span twice
    assert ptc.score_si(gold, [Span("a", 0, 10)])["f1"] == 1.0


def _official_si(gold: list[Span], pred: list[Span]) -> tuple[float, float]:
    """The formula on sets of character indices, pair by pair, written independently."""
    sets_g = [(g.article_id, set(range(g.start, g.end))) for g in ptc.merge_overlaps(gold)]
    sets_p = [(p.article_id, set(range(p.start, p.end))) for p in pred]
    p_num = sum(len(s & t) / len(s) for a, s in sets_p for b, t in sets_g if a == b)
    r_num = sum(len(s & t) / len(t) for a, s in sets_p for b, t in sets_g if a == b)
    return (p_num / len(sets_p) if sets_p else 0.0, r_num / len(sets_g) if sets_g else 0.0)


def test_si_matches_a_brute_force_set_computation() -> None:
    rng = random.Random(11)
    for _ in range(200):
        gold = [Span(rng.choice("abc"), s, s + rng.randint(1, 15))
                for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 6)))]
        pred = ptc.merge_overlaps(Span(rng.choice("abd"), s, s + rng.randint(1, 15))
                                  for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 6))))
        result = ptc.score_si(gold, pred)
        precision, recall = _official_si(gold, pred)
        assert result["precision"] == approx(precision)
        assert result["recall"] == approx(recall)


# ---------------------------------------------------------------- reading and writing


def test_crlf_bom_blank_lines_and_trailing_tabs(tmp_path: Path) -> None:
    si_file = tmp_path / "si.labels"
    si_file.write_bytes(b"\xef\xbb\xbf111\t1\t5\r\n\r\n222\t2\t4\t\r\n   \r\n")
    assert ptc.read_si(si_file) == [Span("111", 1, 5), Span("222", 2, 4)]
    tc_file = tmp_path / "tc.labels"
    tc_file.write_bytes(b"111\tDoubt\t1\t5\r\n222\tSlogans\t2\t4\t\t\r\n")
    assert ptc.read_tc(tc_file) == [Span("111", 1, 5, "Doubt"), Span("222", 2, 4, "Slogans")]


def test_bad_label_lines_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.labels"
    cases = {
        "1\t0\t5\n1\tDoubt\t0\t5\n": ("bad.labels:2", "TC"),
        "1\t0\tfive\n": ("bad.labels:1", "integers"),
        "1\t5\t5\n": ("bad.labels:1", "start < end"),
        "1\t-1\t5\n": ("bad.labels:1", "start < end"),
    }
    for content, (where, what) in cases.items():
        path.write_text(content, encoding="utf-8")
        with pytest.raises(NarrascopeError) as err:
            ptc.read_si(path)
        assert where in str(err.value) and what in str(err.value)
    path.write_text("1\t0\t5\n", encoding="utf-8")
    with pytest.raises(NarrascopeError, match=r"bad\.labels:1.*4 TAB-separated"):
        ptc.read_tc(path)
    with pytest.raises(NarrascopeError, match="no such file"):
        ptc.read_si(tmp_path / "missing.labels")


def test_round_trip(tmp_path: Path) -> None:
    tc = [Span("111", 0, 5, "Doubt"), Span("111", 0, 5, "Slogans"), Span("7", 3, 9, "Repetition")]
    ptc.write_tc(tc, tmp_path / "tc.labels")
    assert ptc.read_tc(tmp_path / "tc.labels") == tc
    si = [Span("111", 0, 5), Span("7", 3, 9)]
    ptc.write_si(si, tmp_path / "si.labels")
    assert ptc.read_si(tmp_path / "si.labels") == si
    assert (tmp_path / "si.labels").read_bytes() == b"111\t0\t5\n7\t3\t9\n"
    with pytest.raises(NarrascopeError, match="no technique"):
        ptc.write_tc(si, tmp_path / "x.labels")


def test_articles_keep_crlf_and_bom_so_offsets_match(tmp_path: Path) -> None:
    (tmp_path / "article1.txt").write_bytes(b"Title\r\n\r\nBody text")
    (tmp_path / "article22.txt").write_bytes(b"\xef\xbb\xbfHello world")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    articles = ptc.read_articles(tmp_path)
    assert set(articles) == {"1", "22"}
    assert articles["1"][9:13] == "Body"  # \r\n counts as two characters
    assert articles["22"][1:6] == "Hello"  # the byte-order mark is character 0, as in PTC gold
    ptc.check_offsets([Span("1", 9, 18), Span("22", 0, 12)], articles)
    with pytest.raises(NarrascopeError, match="ends after the end of article 1"):
        ptc.check_offsets([Span("1", 9, 19)], articles)
    with pytest.raises(NarrascopeError, match="article 3 is not among"):
        ptc.check_offsets([Span("3", 0, 1)], articles)
    with pytest.raises(NarrascopeError, match="no such folder"):
        ptc.read_articles(tmp_path / "nope")


def test_invalid_span_is_refused() -> None:
    with pytest.raises(NarrascopeError, match="article a"):
        Span("a", 5, 5)


# ---------------------------------------------------------------- TC


def test_tc_duplicate_gold_spans_best_permutation() -> None:
    gold = [Span("a", 0, 5, "Doubt"), Span("a", 0, 5, "Slogans"), Span("a", 7, 9, "Repetition")]
    pred = [Span("a", 7, 9, "Repetition"), Span("a", 0, 5, "Slogans"), Span("a", 0, 5, "Doubt")]
    result = ptc.score_tc(gold, pred)
    assert result["micro_f1"] == 1.0 and result["correct"] == 3
    assert (result["gold_instances"], result["predicted_instances"]) == (3, 3)
    # one of the two labels right on the shared span: 1 + 1 (Repetition) of 3
    pred[2] = Span("a", 0, 5, "Flag-Waving")
    assert ptc.score_tc(gold, pred)["micro_f1"] == approx(Fraction(2, 3))


def test_tc_missing_prediction_counts_as_wrong() -> None:
    gold = [Span("a", 0, 5, "Doubt"), Span("a", 6, 9, "Doubt"), Span("b", 0, 5, "Slogans")]
    result = ptc.score_tc(gold, [Span("a", 0, 5, "Doubt"), Span("b", 0, 5, "Slogans")])
    assert result["micro_f1"] == approx(Fraction(2, 3))  # 2 correct of 3 gold instances
    assert result["predicted_instances"] == 2
    assert result["per_class"]["Doubt"]["recall"] == 0.5
    assert result["per_class"]["Doubt"]["precision"] == 1.0


def test_tc_unknown_technique() -> None:
    gold = [Span("a", 0, 5, "Doubt")]
    with pytest.raises(NarrascopeError) as err:
        ptc.score_tc(gold, [Span("a", 0, 5, "Lying")])
    assert "'Lying'" in str(err.value) and "Appeal_to_Authority" in str(err.value)
    with pytest.raises(NarrascopeError, match="'Lying'"):
        ptc.score_tc(gold, [Span("a", 0, 5, "Lying")], techniques=("Doubt", "Slogans"))
    with pytest.raises(NarrascopeError, match="None"):
        ptc.score_tc(gold, [Span("a", 0, 5)])


def test_tc_span_not_in_gold_or_too_many_predictions() -> None:
    gold = [Span("a", 0, 5, "Doubt")]
    with pytest.raises(NarrascopeError) as err:
        ptc.score_tc(gold, [Span("a", 0, 6, "Doubt")])
    assert "prediction 1 (a\tDoubt\t0\t6)" in str(err.value) and "not a gold span" in str(err.value)
    with pytest.raises(NarrascopeError, match=r"prediction 2.*more predictions"):
        ptc.score_tc(gold, [Span("a", 0, 5, "Doubt"), Span("a", 0, 5, "Slogans")])


def test_tc_per_class_numbers() -> None:
    gold = [Span("a", 0, 5, "Doubt"), Span("a", 10, 15, "Doubt"), Span("a", 20, 25, "Slogans"),
            Span("b", 0, 5, "Repetition")]
    pred = [Span("a", 0, 5, "Doubt"), Span("a", 10, 15, "Slogans"), Span("a", 20, 25, "Slogans"),
            Span("b", 0, 5, "Doubt")]
    result = ptc.score_tc(gold, pred)
    assert result["micro_f1"] == 0.5  # first and third right: 2 of 4
    per = result["per_class"]
    assert list(per) == list(ptc.TECHNIQUES)
    # Doubt: predicted 2, 1 right -> P 1/2; gold 2 -> R 1/2; F1 1/2
    assert per["Doubt"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    # Slogans: predicted 2, 1 right -> P 1/2; gold 1 -> R 1; F1 = 2*(1/2)/(3/2) = 2/3
    assert per["Slogans"]["precision"] == 0.5 and per["Slogans"]["recall"] == 1.0
    assert per["Slogans"]["f1"] == approx(Fraction(2, 3)) and per["Slogans"]["support"] == 1
    # Repetition: never predicted -> P 0, R 0, F1 0; support 1. Unused class: all 0.
    assert per["Repetition"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert per["Loaded_Language"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


# ---------------------------------------------------------------- corpora from hand-made folders


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def test_ptc_corpus_from_a_tiny_folder(tmp_path: Path) -> None:
    root = tmp_path / "ptc_semeval2020t11"
    _write(root / "dev-articles" / "article1.txt", "Our brave nation\n\nThey lie.")
    _write(root / "dev-articles" / "article2.txt", "Nothing here.")
    _write(root / "dev-task-si.labels", "1\t4\t16\n1\t10\t16\n")
    _write(root / "dev-task-flc-tc.labels", "1\tFlag-Waving\t4\t16\n1\tLoaded_Language\t4\t9\n")
    corpus = ptc.ptc_corpus(tmp_path, "dev")
    assert set(corpus.articles) == {"1", "2"}
    assert corpus.si == [Span("1", 4, 16)]
    assert corpus.articles["1"][4:9] == "brave"
    assert corpus.techniques == ptc.TECHNIQUES
    _write(root / "dev-task-flc-tc.labels", "1\tFlag-Waving\t4\t40\n")
    with pytest.raises(NarrascopeError, match="ends after the end of article 1"):
        ptc.ptc_corpus(tmp_path, "dev")
    with pytest.raises(NarrascopeError, match="split 'test'"):
        ptc.ptc_corpus(tmp_path, "test")
    with pytest.raises(NarrascopeError, match="NARRASCOPE_DATA"):
        ptc.ptc_corpus(tmp_path / "elsewhere", "dev")


def test_ru_zen_corpus_from_a_tiny_folder(tmp_path: Path) -> None:
    root = tmp_path / "ru_zen_prop"
    _write(root / "russian_corpus_techniques.txt", "Loaded_language\n“you_should”")
    _write(root / "dev-articles" / "article5.txt", "Враги снова лгут.")
    _write(root / "dev-task-TC-template_labeled.out",
           "5\tLoaded_language\t0\t5\n5\t“you_should”\t3\t11\n")
    corpus = ptc.ru_zen_corpus(tmp_path, "dev")
    assert corpus.techniques == ("Loaded_language", "“you_should”")
    assert corpus.si == [Span("5", 0, 11)]  # the template's spans, merged
    assert len(corpus.tc) == 2 and corpus.articles["5"][:5] == "Враги"
    _write(root / "train-articles" / "article9.txt", "Только факты.")
    _write(root / "train-task1-SI.labels", "9\t0\t6\n9\t2\t4\n")
    _write(root / "train-task2-TC.labels", "9\tLoaded_language\t0\t6\n9\tSlogan\t2\t4\n")
    with pytest.raises(NarrascopeError, match="'Slogan'"):
        ptc.ru_zen_corpus(tmp_path, "train")


# ---------------------------------------------------------------- the real data, when staged

needs_ptc = pytest.mark.skipif(not PTC_ROOT.is_dir(), reason="PTC (SemEval-2020 T11) not staged")


@needs_ptc
def test_real_ptc_counts_offsets_and_self_scores() -> None:
    names = ptc.read_technique_names(PTC_ROOT / "propaganda-techniques-names-semeval2020task11.txt")
    assert names == ptc.TECHNIQUES
    dev, train = ptc.ptc_corpus(DATA, "dev"), ptc.ptc_corpus(DATA, "train")
    assert (len(dev.articles), len(train.articles)) == (75, 371)
    assert (len(dev.si), len(dev.tc), len(train.tc)) == (940, 1063, 6128)
    assert len(ptc.read_si(PTC_ROOT / "dev-task-si.labels")) == 940
    for corpus in (dev, train):
        for span in corpus.si + corpus.tc:
            assert span.end <= len(corpus.articles[span.article_id])
        assert ptc.score_si(corpus.si, corpus.si)["f1"] == 1.0
        assert ptc.score_si(corpus.si, corpus.tc, merge_pred=True)["f1"] == 1.0
        assert ptc.score_tc(corpus.tc, corpus.tc)["micro_f1"] == 1.0
        assert ptc.score_tc(corpus.tc, corpus.tc[::-1])["micro_f1"] == 1.0


@needs_ptc
def test_real_ptc_byte_order_marks_are_counted() -> None:
    train = ptc.ptc_corpus(DATA, "train")
    marked = {key for key, text in train.articles.items() if text.startswith("\ufeff")}
    assert marked  # with the mark kept, spans there neither start nor end on a space
    for span in train.tc:
        if span.article_id in marked:
            text = train.articles[span.article_id][span.start:span.end]
            assert text == text.strip(), span


@pytest.mark.skipif(not RU_ROOT.is_dir(), reason="ru_zen_prop not staged")
def test_real_ru_zen_counts_and_offsets() -> None:
    dev = ptc.ru_zen_corpus(DATA, "dev")
    assert len(dev.articles) == 25 and len(dev.tc) == 312
    assert len(dev.techniques) == 36
    train = ptc.ru_zen_corpus(DATA, "train")
    assert len(train.articles) == 100 and len(train.tc) == 1582
    for corpus in (dev, train):
        for span in corpus.si + corpus.tc:
            assert span.end <= len(corpus.articles[span.article_id])
        assert ptc.score_si(corpus.si, corpus.tc, merge_pred=True)["f1"] == 1.0
        assert ptc.score_tc(corpus.tc, corpus.tc, corpus.techniques)["micro_f1"] == 1.0
