"""The library calls the CLI (and any other face) are thin over: one function per job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tqdm import tqdm

from narrascope.analyze import Analyzer, AnalyzeReport
from narrascope.config import Settings
from narrascope.detect.standard import standard_detectors
from narrascope.detect.themes import DEFAULT_THRESHOLD
from narrascope.embed import Encoder
from narrascope.errors import NarrascopeError
from narrascope.ingest import Ingestor, load_sources
from narrascope.model import IngestReport
from narrascope.report import collect, write_report
from narrascope.store import Store, repo
from narrascope.track.persist import TrackReport, track_pending


@dataclass
class Context:
    """What every job needs: settings, the store, and the encoder (loaded at most once)."""

    settings: Settings
    store: Store
    encoder: Encoder
    show_progress: bool | None = None  # None: only on a terminal

    @classmethod
    def open(cls, settings: Settings, show_progress: bool | None = None) -> Context:
        return cls(settings, Store(settings.db_url), Encoder(), show_progress)

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.store.close()

    def bar(self, total: int | None, desc: str, unit: str) -> tqdm:  # type: ignore[type-arg]
        disable = None if self.show_progress is None else not self.show_progress
        return tqdm(total=total, desc=desc, unit=unit, disable=disable, leave=False)


def _tick(bar: tqdm, n: int) -> None:  # type: ignore[type-arg]
    bar.update(n)


def _reset(bar: tqdm, total: int) -> None:  # type: ignore[type-arg]
    bar.reset(total=total)


def import_sources(ctx: Context, path: Path) -> int:
    found = load_sources(path)
    with ctx.store.transaction() as conn:
        for src in found:
            repo.upsert_source(conn, src)
    return len(found)


def ingest(
    ctx: Context,
    inputs: Sequence[str],
    *,
    source: str | None = None,
    sources_file: Path | None = None,
) -> IngestReport:
    """Store documents from files, folders, URLs and feeds (and the sources file's feeds when no
    input is given)."""
    if sources_file:
        import_sources(ctx, sources_file)
        if not inputs:
            inputs = [s.feed for s in load_sources(sources_file) if s.feed]
            if not inputs:
                raise NarrascopeError(f"{sources_file}: no source has a \"feed\"; give PATH or "
                                      "URL inputs, or add feed URLs to the sources file")
    with ctx.bar(None, "ingest", "doc") as bar:
        return Ingestor(ctx.store, ctx.settings).ingest(
            inputs, source=source, progress=lambda _name: _tick(bar, 1)
        )


def analyze(
    ctx: Context, codebooks: Sequence[Path] = (), threshold: float = DEFAULT_THRESHOLD,
    actors: Sequence[Path] = (),
) -> AnalyzeReport:
    """Run the detectors over documents not analysed yet, then put new documents into stories."""
    analyzer = Analyzer(ctx.store, ctx.encoder,
                        standard_detectors(ctx.encoder, codebooks, threshold, actors=actors))
    with ctx.bar(0, "analyze", "doc") as bar:
        result = analyzer.run(progress=lambda n: _tick(bar, n),
                              on_start=lambda n: _reset(bar, n))
    result.stories = track_stories(ctx).to_json()
    return result


def track_stories(ctx: Context) -> TrackReport:
    """Put every stored document that is in no story yet into one (in publication order)."""
    with ctx.bar(0, "stories", "doc") as bar:
        return track_pending(ctx.store, ctx.encoder.name, progress=lambda n: _tick(bar, n),
                             on_start=lambda n: _reset(bar, n))


def report(ctx: Context, out_dir: Path, since: date | None = None,
           until: date | None = None) -> dict[str, Path]:
    with ctx.store.read() as conn:
        data = collect(conn, since, until)
    return write_report(data, out_dir)
