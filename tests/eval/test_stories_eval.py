"""Story clustering scores, the story tasks of `narrascope eval`, and `stories --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrascope.cli import main
from narrascope.config import Settings
from narrascope.errors import NarrascopeError
from narrascope.eval.clustering import bcubed, cluster_scores, pairwise, read_assignments

DATA = Settings().data_dir
needs_ecb = pytest.mark.skipif(not (DATA / "ecbplus").is_dir(), reason="ECB+ data not present")
needs_allsides = pytest.mark.skipif(not (DATA / "allsides_stories").is_dir(),
                                    reason="AllSides data not present")


def test_bcubed_and_pairwise_by_hand() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
    # precision per item: a 1, b 1, c 1/2, d 1/2; recall: a 2/3, b 2/3, c 1/3, d 1
    b = bcubed(gold, pred)
    assert b["bcubed_precision"] == pytest.approx(0.75)
    assert b["bcubed_recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    p = pairwise(gold, pred)  # predicted pairs ab, cd; gold pairs ab, ac, bc
    assert p["pairwise_precision"] == pytest.approx(0.5)
    assert p["pairwise_recall"] == pytest.approx(1 / 3)
    assert cluster_scores(gold, gold)["bcubed_f1"] == 1.0


def test_scores_refuse_mismatched_documents_and_bad_rows() -> None:
    with pytest.raises(NarrascopeError, match="missing"):
        bcubed({"a": 1, "b": 1}, {"a": 1})
    with pytest.raises(NarrascopeError, match=r"pred\.tsv:2"):
        read_assignments("a\t1\nb 2\n", "pred.tsv")
    with pytest.raises(NarrascopeError, match="twice"):
        read_assignments("a\t1\na\t2\n", "pred.tsv")


@needs_ecb
def test_ecbplus_dev_floor() -> None:
    from narrascope.eval.run import run
    from narrascope.eval.tasks import get_task

    result = run(get_task("stories-ecbplus"), DATA, "dev", None)
    assert result["documents"] == 197
    assert result["metrics"]["bcubed_f1"] >= 0.92  # issue #6's target (dev was never tuned on)
    ecb = (DATA / "ecbplus" / "ecbplus_docs.jsonl").read_text(encoding="utf-8")
    if '"split": "test"' not in ecb:  # the public copy keeps the test topics back
        with pytest.raises(NarrascopeError, match="no documents of split 'test'"):
            run(get_task("stories-ecbplus"), DATA, "test", None)


@needs_allsides
def test_allsides_stream_floor() -> None:
    from narrascope.eval.run import run
    from narrascope.eval.tasks import get_task

    result = run(get_task("stories-allsides"), DATA, "stream", None)
    assert result["metrics"]["bcubed_f1"] >= 0.80
    with pytest.raises(NarrascopeError, match="stream"):
        run(get_task("stories-allsides"), DATA, "dev", None)


def test_predict_writes_one_row_per_document(tmp_path: Path) -> None:
    rows = [{"doc_id": f"d{i}", "text": text} for i, text in enumerate([
        "Tara Reid checked into the Promises rehab clinic in Malibu, her publicist said.",
        "Actress Tara Reid has entered rehab at Promises in Malibu, says her publicist.",
        "The central bank raised interest rates by half a point to fight inflation.",
    ])]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "pred.tsv"
    result = CliRunner().invoke(main, ["eval", "predict", "--task", "stories-ecbplus",
                                       "--input", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    found = read_assignments(out.read_text(encoding="utf-8"), "pred.tsv")
    assert list(found) == ["d0", "d1", "d2"]
    assert found["d0"] == found["d1"] != found["d2"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "predict", "--task", "stories-ecbplus",
                                       "--input", str(bad), "--out", str(out)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.output


def test_stories_json_lists_the_documented_keys(tmp_path: Path) -> None:
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "a", "title": "Tara Reid enters rehab", "published": "2026-02-01",
         "text": "Actress Tara Reid checked into the Promises rehab clinic in Malibu, her "
                 "publicist said on Monday. Reid sought treatment at the Malibu clinic."},
        {"id": "b", "title": "Reid in rehab at Promises", "published": "2026-02-02",
         "text": "Tara Reid has entered the Promises clinic in Malibu for rehab, according to "
                 "her publicist. The actress checked in for treatment at the Malibu clinic."},
        {"id": "c", "title": "Central bank raises rates", "published": "2026-02-02",
         "text": "The central bank raised its key interest rate by half a point on Tuesday to "
                 "fight inflation, the governor told reporters in the capital."},
    ]), encoding="utf-8")
    db = str(tmp_path / "n.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", str(corpus)]).exit_code == 0
    assert runner.invoke(main, ["--db", db, "analyze"]).exit_code == 0
    result = runner.invoke(main, ["--db", db, "stories", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert [s["size"] for s in found] == [2, 1]
    top = found[0]
    assert {"id", "label", "first_seen", "last_seen", "size", "sources", "languages",
            "documents"} <= set(top)
    assert top["first_seen"] == "2026-02-01" and top["last_seen"] == "2026-02-02"
    assert "rehab" in top["label"].lower() or "reid" in top["label"].lower()
