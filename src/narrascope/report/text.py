"""Escaping untrusted text for the Markdown report, and dates for every format."""

from __future__ import annotations

from datetime import date


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def md_escape(text: str | None) -> str:
    """Keep untrusted text from turning into Markdown or HTML markup."""
    if not text:
        return ""
    out = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "`*_[]|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def md_link(text: str, url: str | None) -> str:
    if url and url.startswith(("http://", "https://")):
        return f"[{md_escape(text)}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"
    return md_escape(text)


def md_counts_table(first: str, counts: dict[str, dict[str, int]]) -> list[str]:
    """A Markdown table of label -> source kind -> count, with a total column."""
    kinds = sorted({k for by_kind in counts.values() for k in by_kind})
    lines = [f"| {first} | " + " | ".join(md_escape(k) for k in kinds) + " | total |",
             "|---|" + "---|" * (len(kinds) + 1)]
    for label, by_kind in counts.items():
        cells = " | ".join(str(by_kind.get(k, 0)) for k in kinds)
        lines.append(f"| {md_escape(label)} | {cells} | {sum(by_kind.values())} |")
    return [*lines, ""]
