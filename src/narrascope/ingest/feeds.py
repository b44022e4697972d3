"""RSS and Atom feeds: each entry becomes a document, from its page or, failing that, the feed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import feedparser
import httpx

from narrascope.errors import InputError
from narrascope.ingest.extract import html_to_document, parse_date
from narrascope.ingest.web import Fetched, FetchPolicy, fetch
from narrascope.model import Document

_TAG = re.compile(r"<[^>]+>")
_MIN_FEED_TEXT = 200  # an entry's own text shorter than this is a teaser, not the article


def looks_like_feed(page: Fetched) -> bool:
    kind = page.content_type.split(";")[0].strip().lower()
    if kind in ("application/rss+xml", "application/atom+xml", "application/feed+json"):
        return True
    head = page.content[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head)


def _entry_date(entry: feedparser.FeedParserDict) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return date(value.tm_year, value.tm_mon, value.tm_mday)
    for key in ("published", "updated"):
        try:
            found = parse_date(entry.get(key))
        except InputError:
            found = None
        if found:
            return found
    return None


def _entry_text(entry: feedparser.FeedParserDict) -> str:
    parts = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    return _TAG.sub(" ", " ".join(parts)).strip()


def feed_documents(
    page: Fetched, policy: FetchPolicy, client: httpx.Client
) -> Iterator[Document | InputError]:
    """Documents of a fetched feed; entries that fail are yielded as InputError."""
    parsed = feedparser.parse(page.content)
    if parsed.bozo and not parsed.entries:
        yield InputError(page.url, f"malformed feed: {parsed.get('bozo_exception')}")
        return
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        where = link or f"{page.url}#entry-{number}"
        try:
            yield _entry_document(entry, link, where, policy, client)
        except InputError as exc:
            yield exc


def _entry_document(
    entry: feedparser.FeedParserDict,
    link: str | None,
    where: str,
    policy: FetchPolicy,
    client: httpx.Client,
) -> Document:
    own_text = _entry_text(entry)
    doc: Document | None = None
    problem = "the entry has no link and no text"
    if link:
        try:
            doc = html_to_document(fetch(link, policy, client).text(), origin=where, url=link)
        except InputError as exc:
            problem = exc.reason
    if doc is None:
        if len(own_text) < _MIN_FEED_TEXT:
            raise InputError(where, problem)
        doc = Document(text=own_text, origin=where, url=link)
    doc.title = entry.get("title") or doc.title
    doc.published = _entry_date(entry) or doc.published
    return doc
