"""The command line: every command has help and is documented; JSON outputs keep their keys."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from narrascope.cli import main
from tests.conftest import cli_json, run_cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, cmd in group.commands.items():
        names.append(f"{prefix}{name}")
        if isinstance(cmd, click.Group):
            names += _commands(cmd, f"{prefix}{name} ")
    return names


@pytest.mark.parametrize("command", _commands(main))
def test_every_command_has_help_and_is_documented(command: str) -> None:
    result = CliRunner().invoke(main, [*command.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert f"narrascope {command}" in README.read_text(), f"README does not document {command}"


def test_analyze_text_json_keys(codebook: Path) -> None:
    code, out = cli_json(":memory:", "analyze-text", "--codebook", str(codebook),
                         input="Северокорейские бойцы проявили героизм в Курской области.")
    assert code == 0
    assert isinstance(out, dict)
    assert set(out) == {"language", "sentences", "techniques", "narratives", "entities", "themes"}
    assert out["language"] == "ru"
    assert {"id", "score", "evidence"} <= set(out["themes"][0])


def test_empty_text_is_a_clear_error(db: str) -> None:
    result = run_cli(db, "analyze-text", input="   ")
    assert result.exit_code == 2
    assert "empty" in result.output


def test_missing_codebook_is_a_clear_error(db: str, tmp_path: Path) -> None:
    result = run_cli(db, "analyze", "--codebook", str(tmp_path / "none.toml"))
    assert result.exit_code == 2
    assert "no such codebook file" in result.output


def test_sources_import_and_list(db: str, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[source]]\nname = "A"\nkind = "government"\ncountry = "ru"\n')
    assert "imported 1" in run_cli(db, "sources", "import", str(path)).output
    code, out = cli_json(db, "sources", "list")
    assert code == 0
    assert out == [{"name": "A", "url": None, "feed": None, "country": "RU",
                    "kind": "government", "language": None, "documents": 0}]


@pytest.mark.parametrize(("content", "message"), [
    ('[[source]]\nkind = "state-media"\n', '"name" is required'),
    ('[[source]]\nname = "A"\nkind = "propaganda"\n', "kind 'propaganda'"),
    ('[[source]]\nname = "A"\ncountry = "Russia"\n', "ISO 3166"),
    ('[[source]]\nname = "A"\nhomepage = "x"\n', "unknown keys"),
])
def test_bad_sources_file(db: str, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(content)
    result = run_cli(db, "sources", "import", str(path))
    assert result.exit_code == 2
    assert message in result.output and str(path) in result.output


def test_ingest_needs_an_input(db: str) -> None:
    result = run_cli(db, "ingest")
    assert result.exit_code == 2


def test_analyze_json(db: str, tmp_path: Path, codebook: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Farmers gathered a record wheat harvest this year in the north.")
    run_cli(db, "ingest", str(doc))
    code, out = cli_json(db, "analyze", "--codebook", str(codebook))
    assert code == 0
    assert isinstance(out, dict)
    assert out["documents"] == 1 and out["annotations"]["themes.codebook.v1"] == 1
    assert json.loads(run_cli(db, "analyze", "--codebook", str(codebook), "--json").stdout)[
        "documents"] == 0


def test_sources_without_feeds_and_no_input(db: str, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[source]]\nname = "A"\n')
    result = run_cli(db, "ingest", "--sources", str(path))
    assert result.exit_code == 2
    assert "no source has a" in result.output


def test_analyze_text_techniques_slice_the_text(db: str) -> None:
    from narrascope.detect.technique_spans import techniques_available

    if not techniques_available():
        pytest.skip("technique model not shipped")
    text = ("The corrupt and treacherous regime is destroying our great nation! "
            "Everyone knows the truth: they lie, they lie, they lie. Only a fool would believe "
            "the so-called experts.")
    code, out = cli_json(db, "analyze-text", input=text)
    assert code == 0
    assert isinstance(out, dict) and out["techniques"]
    for t in out["techniques"]:
        assert text[t["start"] : t["end"]] == t["text"]
        assert 0.0 <= t["score"] <= 1.0 and t["technique"]


def test_analyze_text_casts_framed_actors_by_their_canonical_names(db: str,
                                                                  tmp_path: Path) -> None:
    from narrascope.detect.role_detector import roles_available

    if not roles_available():
        pytest.skip("role model not shipped")
    text = ("Pyongyang, May 5 (KCNA) -- The respected General Secretary Kim Jong Un warmly "
            "congratulated the heroic soldiers of the Korean People's Army on their great "
            "victory. The U.S. imperialists and their puppet stooges staged another reckless "
            "provocation against the DPRK. The General Secretary praised the Zorgan Group.")
    code, out = cli_json(db, "analyze-text", input=text)
    assert code == 0 and isinstance(out, dict)
    roles = {e["text"]: e["role"] for e in out["entities"]}
    assert roles.get("Kim Jong Un") == "Protagonist"
    assert roles.get("United States") == "Antagonist"
    assert "Pyongyang" not in roles and "KCNA" not in roles  # the dateline is no actor
    kim = next(e for e in out["entities"] if e["text"] == "Kim Jong Un")
    assert kim["actor_id"] == "kim-jong-un" and 0.0 < kim["score"] <= 1.0
    assert [text[s:e] for s, e in kim["mentions"]] == ["Kim Jong Un", "General Secretary"]
    # an analyst's own actors file adds to the shipped one
    mine = tmp_path / "actors.toml"
    mine.write_text('[[actor]]\nid = "zorgan"\nname = "Zorgan Group of Companies"\n'
                    'kind = "organisation"\naliases = ["Zorgan Group"]\n', encoding="utf-8")
    code, out = cli_json(db, "analyze-text", "--actors", str(mine), input=text)
    assert code == 0 and isinstance(out, dict)
    names = {e["text"]: e["actor_id"] for e in out["entities"]}
    assert names["Kim Jong Un"] == "kim-jong-un"
    assert "Zorgan Group" not in names  # if it is shown, it is under its canonical name


def test_bad_actors_file_is_a_one_line_error(db: str, tmp_path: Path) -> None:
    from narrascope.detect.role_detector import roles_available

    if not roles_available():
        pytest.skip("role model not shipped: --actors is not read")
    bad = tmp_path / "actors.toml"
    bad.write_text('[[actor]]\nid = "x"\nname = "X"\nkind = "planet"\n', encoding="utf-8")
    result = run_cli(db, "analyze-text", "--actors", str(bad), input="Some text here.")
    assert result.exit_code == 2
    assert "actors.toml" in result.output and "kind" in result.output
    assert "Traceback" not in result.output
    result = run_cli(db, "analyze-text", "--actors", str(tmp_path / "none.toml"),
                     input="Some text here.")
    assert result.exit_code == 2 and "not found" in result.output
