"""Ingestion: files, feeds, web pages, dedup, language id."""

from narrascope.ingest.pipeline import Ingestor
from narrascope.ingest.sources import load_sources

__all__ = ["Ingestor", "load_sources"]
