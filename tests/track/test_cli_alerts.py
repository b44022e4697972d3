"""`narrascope alerts` and `narrascope convergence` on a real SQLite file."""

from __future__ import annotations

from datetime import date

from narrascope.model import Alert
from tests.conftest import cli_json, run_cli
from tests.track.conftest import StoreBuilder

ALERT_KEYS = {"kind", "subject_kind", "label", "source_kind", "country", "date", "source",
              "document_id", "title", "url", "evidence", "details"}


def _fill(builder: StoreBuilder) -> int:
    builder.doc("Agency KP", date(2026, 3, 1), {"theme": ("heroes",)}, "Heroes of Kursk.")
    return builder.doc("Ministry", date(2026, 5, 12), {"theme": ("heroes",)},
                       "Films on the \x1b[31mheroes\x1b[0m are a priority.")


def test_alerts_json_prints_the_documented_keys(builder: StoreBuilder, db: str) -> None:
    gov = _fill(builder)
    code, out = cli_json(db, "alerts")
    assert code == 0 and isinstance(out, list) and len(out) == 2
    for alert in out:
        assert set(alert) == ALERT_KEYS | {"theme"}
        assert alert["kind"] == "first_appearance" and alert["theme"] == "heroes"
    last = out[-1]
    assert (last["date"], last["source_kind"], last["document_id"]) == \
        ("2026-05-12", "government", gov)
    assert last["details"]["follows"][0]["source_kind"] == "state-media"
    code, none = cli_json(db, "alerts", "--kind", "surge", "--since", "2026-01-01")
    assert (code, none) == (0, [])


def test_narrative_alerts_name_their_narrative() -> None:
    a = Alert("surge", "subnarrative", "URW: X: Y", "URW: X: Y", date(2026, 1, 5))
    assert a.to_json()["narrative"] == "URW: X: Y" and "theme" not in a.to_json()


def test_alerts_table_quotes_evidence_without_escape_codes(builder: StoreBuilder,
                                                           db: str) -> None:
    _fill(builder)
    result = run_cli(db, "alerts", "--kind", "first_appearance")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["date", "kind", "subject"]
    assert "2026-05-12" in lines[2] and "government" in lines[2] and "Ministry" in lines[2]
    assert "heroes" in lines[2] and "“Films on the" in lines[2]
    assert "\x1b" not in result.stdout


def test_convergence_json_and_bad_group(builder: StoreBuilder, db: str) -> None:
    _fill(builder)
    code, out = cli_json(db, "convergence", "--group", "kp=country:KP",
                         "--group", "ru=country:RU,kind:government")
    assert code == 0 and isinstance(out, list) and len(out) == 1
    assert [g["name"] for g in out[0]["groups"]] == ["kp", "ru"]
    assert {"start", "end", "documents", "similarity", "shared_stories", "shared_labels"} <= \
        set(out[0]["windows"][0])
    bad = run_cli(db, "convergence", "--group", "kp=colour:red", "--group", "x=kind:other")
    assert bad.exit_code == 2
    assert "--group" in bad.output and "colour:red" in bad.output
    assert run_cli(db, "alerts", "--kind", "nonsense").exit_code == 2
