"""The command line: parses, opens the store, calls one library function, prints."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from narrascope import pipeline
from narrascope.cli_eval import eval_group
from narrascope.cli_support import user_errors
from narrascope.cli_train import train_group
from narrascope.config import DEFAULT_DB, Settings
from narrascope.errors import NarrascopeError


def _print_json(obj: object) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _settings(obj: dict[str, Any], **overrides: Any) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if obj.get("db"):
        values["db"] = obj["db"]
    return Settings(**values)


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from exc


codebook_option = click.option(
    "--codebook", "codebooks", multiple=True, type=click.Path(path_type=Path),
    help="Codebook TOML file of themes to match (repeatable).",
)
actors_option = click.option(
    "--actors", "actors", multiple=True, type=click.Path(path_type=Path),
    help="Actors TOML file that adds to (or overrides by id) the shipped one (repeatable).",
)
threshold_option = click.option(
    "--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
    help="Minimum calibrated score for a theme to count in a document.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="URL|PATH", envvar="NARRASCOPE_DB",
              help=f"Database: a SQLite file path or a SQLAlchemy URL [default: ./{DEFAULT_DB}; "
                   "env NARRASCOPE_DB].")
@click.version_option(package_name="narrascope")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """narrascope: what story is being told, how, by whom, and what is new."""
    ctx.obj = {"db": db}


@main.command()
@click.argument("inputs", nargs=-1, metavar="PATH|URL...")
@click.option("--source", help="Source name for documents that do not name one.")
@click.option("--sources", "sources_file", type=click.Path(path_type=Path),
              help="Sources TOML to import first; with no PATH|URL, its feeds are ingested.")
@click.option("--allow-private", is_flag=True,
              help="Allow fetching from loopback and private-network addresses.")
@click.option("--max-bytes", type=click.IntRange(1), default=5_000_000, show_default=True,
              help="Largest file, JSONL line or HTTP response accepted.")
@click.option("--timeout", type=click.FloatRange(0.1), default=20.0, show_default=True,
              help="Seconds allowed for each HTTP request.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
@user_errors
def ingest(obj: dict[str, Any], inputs: tuple[str, ...], source: str | None,
           sources_file: Path | None, allow_private: bool, max_bytes: int, timeout: float,
           as_json: bool) -> None:
    """Store documents from files (.txt .md .html .jsonl), folders, web pages and RSS/Atom feeds.

    Exact duplicates are skipped, near-duplicates stored and linked to their original. Exits 1
    when some input failed (each is listed with its reason); good inputs are kept either way.
    """
    if not inputs and not sources_file:
        raise click.UsageError("give at least one PATH or URL, or --sources FILE with feeds")
    settings = _settings(obj, allow_private=allow_private, max_bytes=max_bytes,
                         fetch_timeout=timeout)
    with pipeline.Context.open(settings) as ctx:
        result = pipeline.ingest(ctx, list(inputs), source=source, sources_file=sources_file)
    if as_json:
        _print_json(result.to_json())
    else:
        click.echo(f"added {result.added}, duplicates {result.duplicates}, "
                   f"near-duplicates {result.near_duplicates}, failed {len(result.failed)}")
        for failure in result.failed:
            click.echo(f"  failed: {failure.input}: {failure.error}", err=True)
    sys.exit(1 if result.failed else 0)


@main.command()
@codebook_option
@threshold_option
@actors_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
@user_errors
def analyze(obj: dict[str, Any], codebooks: tuple[Path, ...], threshold: float,
            actors: tuple[Path, ...], as_json: bool) -> None:
    """Embed stored documents and run the detectors on those not yet analysed.

    Interrupted runs resume where they stopped; a new codebook or threshold re-analyses.
    """
    with pipeline.Context.open(_settings(obj)) as ctx:
        result = pipeline.analyze(ctx, codebooks, threshold, actors)
    if as_json:
        _print_json(result.to_json())
    else:
        found = ", ".join(f"{k}: {v}" for k, v in result.annotations.items()) or "no detectors"
        click.echo(f"analysed {result.documents} documents ({found})")
        if result.stories.get("documents"):
            click.echo(f"stories: {result.stories['documents']} documents tracked, "
                       f"{result.stories['new_stories']} new stories")
        if not codebooks:
            click.echo("no --codebook given: sentences embedded, no themes matched", err=True)


@main.command("analyze-text")
@click.argument("file", required=False, default="-", type=click.File("r", encoding="utf-8"))
@codebook_option
@threshold_option
@actors_option
@click.option("--language", help="Language code, when you know it better than the detector.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
@user_errors
def analyze_text(obj: dict[str, Any], file: Any, codebooks: tuple[Path, ...], threshold: float,
                 actors: tuple[Path, ...], language: str | None, as_json: bool) -> None:
    """Analyse one text (FILE or standard input) without storing it."""
    from narrascope.textjson import analyze_text_json

    text = file.read(_settings(obj).max_text_chars + 1)
    if not text.strip():
        raise NarrascopeError("the text is empty; give a FILE or pipe text on standard input")
    settings = _settings(obj)
    if len(text) > settings.max_text_chars:
        raise NarrascopeError(f"the text is over {settings.max_text_chars:,} characters")
    result = analyze_text_json(text, codebooks, threshold, language, actors=actors)
    if as_json:
        _print_json(result)
        return
    click.echo(f"language: {result['language']}, {len(result['sentences'])} sentences")
    for theme in result["themes"]:
        click.echo(f"  {theme['id']} ({theme['score']:.2f}): {theme['evidence']}")


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder for report.md, report.html and report.json.")
@click.option("--since", help="First publication date to include (YYYY-MM-DD).")
@click.option("--until", help="Last publication date to include (YYYY-MM-DD).")
@click.pass_obj
@user_errors
def report(obj: dict[str, Any], out_dir: Path, since: str | None, until: str | None) -> None:
    """Write the report of what the store holds: Markdown, self-contained HTML and JSON."""
    with pipeline.Context.open(_settings(obj)) as ctx:
        paths = pipeline.report(ctx, out_dir, _date(since), _date(until))
        for path in paths.values():
            click.echo(str(path))


@main.command()
@click.option("--out", "out_dir", default="narrascope-demo", show_default=True,
              type=click.Path(path_type=Path), help="Folder for the demo database and report.")
@user_errors
def demo(out_dir: Path) -> None:
    """Build a fresh database from the bundled (fictional) demo corpus, analyse it, report."""
    from narrascope.demo import run_demo

    result = run_demo(out_dir)
    found = ", ".join(f"{name} {n}" for name, n in result.analysis.annotations.items())
    click.echo(f"ingested {result.ingest.added} documents "
               f"({result.ingest.near_duplicates} near-duplicates), analysed "
               f"{result.analysis.documents}; findings: {found}; "
               f"stories: {result.analysis.stories.get('new_stories', 0)}")
    click.echo(f"database: {result.db_path}")
    click.echo(f"report:   {result.report['html']}")
    for name in ("md", "json"):
        click.echo(f"          {result.report[name]}")


@main.group()
def sources() -> None:
    """List and import the sources (outlets) documents come from."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
@user_errors
def sources_list(obj: dict[str, Any], as_json: bool) -> None:
    """List known sources with their metadata and document counts."""
    from narrascope.store import repo

    with pipeline.Context.open(_settings(obj)) as ctx, ctx.store.read() as conn:
        rows = repo.list_sources(conn)
    if as_json:
        _print_json([{**vars(s), "documents": n} for s, n in rows])
        return
    for s, n in rows:
        click.echo(f"{s.name}\t{s.kind}\t{s.country or '-'}\t{s.language or '-'}\t{n} documents")


@sources.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
@user_errors
def sources_import(obj: dict[str, Any], file: Path) -> None:
    """Import (or update) sources from a sources TOML file."""
    with pipeline.Context.open(_settings(obj)) as ctx:
        click.echo(f"imported {pipeline.import_sources(ctx, file)} sources")


main.add_command(eval_group)
main.add_command(train_group)
from narrascope.cli_track import alerts, convergence, stories  # noqa: E402  (register on main)

main.add_command(alerts)
main.add_command(convergence)
main.add_command(stories)

if __name__ == "__main__":
    main()
