"""Turning HTML into article text and metadata (trafilatura), shared by files and web pages."""

from __future__ import annotations

import re
from datetime import date, datetime

from narrascope.errors import InputError
from narrascope.model import Document

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_date(value: object, input_name: str = "published") -> date | None:
    """An ISO 8601 date or datetime (string) as a date; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        raise InputError(
            input_name, f"published {value!r} is not an ISO 8601 date (YYYY-MM-DD[THH:MM...])"
        )
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text).date() if "T" in text or " " in text else (
            date.fromisoformat(text[:10])
        )
    except ValueError as exc:
        raise InputError(input_name, f"published {value!r} is not a valid date: {exc}") from exc


def html_to_document(html: str, origin: str, url: str | None = None) -> Document:
    """Main text, title, date and canonical URL of an HTML page."""
    import trafilatura  # slow to import; only ingestion of HTML needs it

    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise InputError(origin, "no article text found in the HTML page")
    published = None
    raw_date = getattr(result, "date", None)
    if raw_date:
        try:
            published = parse_date(raw_date, origin)
        except InputError:
            published = None  # a page's odd date is not a reason to drop its text
    return Document(
        text=text,
        origin=origin,
        title=getattr(result, "title", None) or None,
        url=url or getattr(result, "url", None) or None,
        published=published,
    )
