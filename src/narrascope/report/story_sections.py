"""The report's "Stories" section: the biggest story threads of the window, each with its
documents (who carried it, when, in which language), in JSON and Markdown; the HTML template
renders the same `StoryView` records."""

from __future__ import annotations

from typing import Any

from narrascope.report.data import ReportData
from narrascope.report.text import md_escape, md_link

MAX_STORIES_SHOWN = 30
MIN_STORY_SIZE = 2


def stories_payload(data: ReportData) -> list[dict[str, Any]]:
    return [s.to_json() for s in data.stories]


def stories_markdown(data: ReportData) -> list[str]:
    lines = ["## Stories", ""]
    if not data.stories:
        return [*lines, "No story has two documents or more in this window.", ""]
    for s in data.stories:
        kinds = ", ".join(f"{md_escape(k)} {n}" for k, n in s.source_kinds.items())
        lines += [f"### Story {s.id}: {md_escape(s.label)}", "",
                  f"{len(s.documents)} documents, {s.first_seen or '?'} to {s.last_seen or '?'}"
                  f"; languages {md_escape(', '.join(s.languages))}; {kinds}.", ""]
        for d in s.documents:
            reprint = f", reprint of document {d.reprint_of}" if d.reprint_of else ""
            lines.append(f"- {d.published or 'undated'}: "
                         f"{md_link(d.title or f'document {d.id}', d.url)}, "
                         f"{md_escape(d.source or 'unknown source')} ({md_escape(d.source_kind)}"
                         f"{', ' + md_escape(d.country) if d.country else ''}; {d.language}"
                         f"{reprint})")
        lines.append("")
    return lines
