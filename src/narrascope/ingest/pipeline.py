"""Ingestion: inputs in, documents (normalised, identified, de-duplicated, segmented) stored.

Each document is stored in its own transaction, so a failure or a kill mid-batch never loses a
document already stored nor leaves half of one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy.exc import IntegrityError

from narrascope.config import Settings
from narrascope.errors import InputError
from narrascope.ingest.dedup import NearDuplicateFinder
from narrascope.ingest.extract import html_to_document
from narrascope.ingest.feeds import feed_documents, looks_like_feed
from narrascope.ingest.files import iter_paths, read_file
from narrascope.ingest.langid import LanguageIdentifier
from narrascope.ingest.normalise import normalise_text, text_hash
from narrascope.ingest.web import FetchPolicy, fetch, make_client
from narrascope.model import Document, Failure, IngestReport
from narrascope.nlp.segment import split_sentences
from narrascope.store import Store, repo

Progress = Callable[[str], None]


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


class Ingestor:
    """Stores documents from files, folders, pages and feeds."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        langid: LanguageIdentifier | None = None,
        near_duplicates: NearDuplicateFinder | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.langid = langid or LanguageIdentifier()
        self.near = near_duplicates or NearDuplicateFinder()
        self.policy = FetchPolicy(settings.allow_private, settings.max_bytes,
                                  settings.fetch_timeout)
        self._transport = transport

    def ingest(
        self,
        inputs: Iterable[str],
        *,
        source: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        report = IngestReport()
        hosts = self._source_hosts()
        with make_client(self.policy, self._transport) as client:
            for item in self._documents(inputs, client):
                if progress:
                    progress(item.input_name if isinstance(item, InputError) else item.origin)
                if isinstance(item, InputError):
                    report.failed.append(Failure(item.input_name, item.reason))
                    continue
                if item.source is None:
                    item.source = source or _host_source(item.url, hosts)
                try:
                    self.add(item, report)
                except InputError as exc:
                    report.failed.append(Failure(exc.input_name, exc.reason))
        return report

    def _documents(
        self, inputs: Iterable[str], client: httpx.Client
    ) -> Iterator[Document | InputError]:
        for raw in inputs:
            if is_url(raw):
                yield from self._url_documents(raw, client)
            else:
                for path in iter_paths(Path(raw)):
                    yield from read_file(path, self.settings.max_bytes)

    def _url_documents(self, url: str, client: httpx.Client) -> Iterator[Document | InputError]:
        try:
            page = fetch(url, self.policy, client)
            if looks_like_feed(page):
                yield from feed_documents(page, self.policy, client)
            else:
                yield html_to_document(page.text(), origin=url, url=page.url)
        except InputError as exc:
            yield exc

    def add(self, doc: Document, report: IngestReport) -> int | None:
        """Store one document; return its id, or None when it was an exact duplicate."""
        text = normalise_text(doc.text)
        if not text:
            raise InputError(doc.origin, "no text left after removing whitespace and control "
                             "characters")
        if len(text) > self.settings.max_text_chars:
            raise InputError(doc.origin, f"text has {len(text):,} characters, over the limit of "
                             f"{self.settings.max_text_chars:,}")
        doc.text = text
        language = (doc.language or "").strip().lower() or self.langid.identify(text)
        key = text_hash(text)
        signature = self.near.signature(text, language)
        bands = signature.band_keys() if signature else []
        try:
            with self.store.transaction() as conn:
                if repo.document_id_by_hash(conn, key) is not None:
                    report.duplicates += 1
                    return None
                match = self.near.best_match(signature, repo.band_candidates(conn, bands)) \
                    if signature else None
                original = repo.original_of(conn, match[0]) if match else None
                source_id = repo.ensure_source(conn, doc.source) if doc.source else None
                doc_id = repo.insert_document(
                    conn, doc, language=language, text_hash=key, source_id=source_id,
                    minhash=signature.to_bytes() if signature else None,
                    near_duplicate_of=original,
                    near_duplicate_similarity=match[1] if match else None,
                )
                repo.insert_bands(conn, doc_id, bands)
                repo.insert_sentences(conn, doc_id, split_sentences(text, language))
        except IntegrityError:
            report.duplicates += 1  # another writer stored the same text a moment earlier
            return None
        report.added += 1
        if original is not None:
            report.near_duplicates += 1
        return doc_id

    def _source_hosts(self) -> dict[str, str]:
        with self.store.read() as conn:
            known = repo.list_sources(conn)
        hosts = {}
        for src, _count in known:
            for url in (src.url, src.feed):
                host = urlsplit(url).hostname if url else None
                if host:
                    hosts[host.removeprefix("www.")] = src.name
        return hosts


def _host_source(url: str | None, hosts: dict[str, str]) -> str | None:
    host = urlsplit(url).hostname if url else None
    return hosts.get(host.removeprefix("www.")) if host else None
