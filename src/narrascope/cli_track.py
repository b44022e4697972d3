"""`narrascope alerts` and `narrascope convergence`: what is new, on the command line."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import click

from narrascope import pipeline
from narrascope.cli_support import parse_date, print_json, printable, settings_from, user_errors
from narrascope.errors import NarrascopeError
from narrascope.model import Alert
from narrascope.track.alerts import ALERT_KINDS, collect_alerts, collect_convergence
from narrascope.track.groups import GROUP_SYNTAX, SourceGroup, parse_group

TABLE_COLUMNS = ("date", "kind", "subject", "source kind", "country", "source", "evidence")
EVIDENCE_CHARS = 160


def _groups(values: tuple[str, ...]) -> list[SourceGroup] | None:
    if not values:
        return None
    try:
        groups = [parse_group(v) for v in values]
    except NarrascopeError as exc:
        raise click.BadParameter(str(exc), param_hint="--group") from exc
    if len(groups) < 2:
        raise click.BadParameter("give at least two groups to compare", param_hint="--group")
    return groups


def _row(a: Alert) -> tuple[str, ...]:
    subject = f"{a.subject_kind}:{a.subject}"
    evidence = printable(a.evidence, EVIDENCE_CHARS)
    return (a.date.isoformat(), a.kind, printable(subject, 60), printable(a.source_kind),
            printable(a.country) or "-", printable(a.source, 40) or "-",
            f"“{evidence}”" if evidence else "-")


def _echo_table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r, widths, strict=False)]
        click.echo("  ".join([*cells, r[-1]]))


group_option = click.option(
    "--group", "groups", multiple=True, metavar="NAME=RULES",
    help=f"A group of sources to compare (repeatable, at least two): {GROUP_SYNTAX}. "
         "Default: the state media of every two countries.")


@click.command()
@click.option("--kind", "kinds", multiple=True, type=click.Choice(ALERT_KINDS),
              help="Only alerts of this kind (repeatable).")
@click.option("--since", help="First alert date to include (YYYY-MM-DD).")
@click.option("--until", help="Last date to consider (YYYY-MM-DD).")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True), default=0.001,
              show_default=True, help="Surge sensitivity: the Poisson tail probability under "
                                      "which a week's count is a surge.")
@click.option("--min-count", type=click.IntRange(1), default=5, show_default=True,
              help="Fewest documents in a week for a surge.")
@click.option("--min-ratio", type=click.FloatRange(0), default=3.0, show_default=True,
              help="Smallest ratio of a surge week's count to its baseline.")
@click.option("--baseline-weeks", type=click.IntRange(1), default=8, show_default=True,
              help="Weeks averaged into a surge's baseline.")
@click.option("--min-similarity", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Convergence: the similarity two groups must reach.")
@click.option("--min-rise", type=click.FloatRange(0, 1), default=0.25, show_default=True,
              help="Convergence: the rise over the mean similarity of the earlier windows.")
@group_option
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as a JSON list.")
@click.pass_obj
@user_errors
def alerts(obj: dict[str, Any], kinds: tuple[str, ...], since: str | None, until: str | None,
           alpha: float, min_count: int, min_ratio: float, baseline_weeks: int,
           min_similarity: float, min_rise: float, groups: tuple[str, ...],
           as_json: bool) -> None:
    """List what is new: first appearances of a theme or narrative in a kind of source and
    country, weekly surges, and groups of sources converging; each with its quoted evidence."""
    chosen = _groups(groups)
    pairs = None if chosen is None else list(combinations(chosen, 2))
    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    with pipeline.Context.open(settings_from(obj)) as ctx, ctx.store.read() as conn:
        found = collect_alerts(
            conn, set(kinds) or None, first, last, pairs, alpha=alpha, min_count=min_count,
            min_ratio=min_ratio, baseline_weeks=baseline_weeks, min_similarity=min_similarity,
            min_rise=min_rise)
    if as_json:
        print_json([a.to_json() for a in found])
        return
    if not found:
        click.echo("no alerts", err=True)
        return
    _echo_table([TABLE_COLUMNS, *(_row(a) for a in found)])


@click.command()
@group_option
@click.option("--until", help="Last date to consider (YYYY-MM-DD).")
@click.option("--window-days", type=click.IntRange(1), default=28, show_default=True,
              help="Length of each window.")
@click.option("--step-days", type=click.IntRange(1), default=7, show_default=True,
              help="Days between the ends of two windows.")
@click.option("--json", "as_json", is_flag=True, help="Print the series as JSON.")
@click.pass_obj
@user_errors
def convergence(obj: dict[str, Any], groups: tuple[str, ...], until: str | None,
                window_days: int, step_days: int, as_json: bool) -> None:
    """How alike two groups of sources are, window by window: the cosine similarity of the
    themes and narratives they carry, and the stories both take part in."""
    chosen = _groups(groups)
    last = parse_date(until, "--until")
    with pipeline.Context.open(settings_from(obj)) as ctx, ctx.store.read() as conn:
        series = collect_convergence(conn, chosen, last,
                                     window_days=window_days, step_days=step_days)
    if as_json:
        print_json([s.to_json() for s in series])
        return
    for s in series:
        click.echo(" vs ".join(printable(g.name) for g in s.groups))
        for w in s.windows:
            sim = "-" if w.similarity is None else f"{w.similarity:.2f}"
            click.echo(f"  {w.start} to {w.end}  documents {w.documents[0]}/{w.documents[1]}  "
                       f"similarity {sim}  shared stories {w.shared_stories}")


@click.command()
@click.option("--since", help="Stories still running on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Stories that started on or before this date (YYYY-MM-DD).")
@click.option("--min-size", type=click.IntRange(1), default=1, show_default=True,
              help="Only stories with at least this many documents.")
@click.option("--limit", type=click.IntRange(1), default=None,
              help="At most this many stories (biggest first).")
@click.option("--json", "as_json", is_flag=True, help="Print the stories as a JSON list.")
@click.pass_obj
@user_errors
def stories(obj: dict[str, Any], since: str | None, until: str | None, min_size: int,
            limit: int | None, as_json: bool) -> None:
    """List stories (threads of documents about one event), biggest first.

    Stories are built by `narrascope analyze`: each new document joins the most similar active
    story or opens a new one; ids never change.
    """
    from narrascope.track.listing import list_stories

    with pipeline.Context.open(settings_from(obj)) as ctx, ctx.store.read() as conn:
        found = list_stories(conn, parse_date(since, "--since"), parse_date(until, "--until"),
                            min_size, limit)
    if as_json:
        print_json([s.to_json() for s in found])
        return
    if not found:
        click.echo("no stories yet (run `narrascope analyze` after `ingest`)", err=True)
        return
    _echo_table([("id", "size", "first", "last", "languages", "label")] + [
        (str(s.id), str(len(s.documents)), s.first_seen.isoformat() if s.first_seen else "-",
         s.last_seen.isoformat() if s.last_seen else "-", ",".join(s.languages),
         printable(s.label, 90)) for s in found])
