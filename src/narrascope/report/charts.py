"""Inline SVG charts: no scripts, no external files, every label escaped."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

KIND_COLOURS = {
    "state-media": "#c0392b",
    "government": "#8e44ad",
    "independent": "#2980b9",
    "social": "#16a085",
    "other": "#7f8c8d",
}


def colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, "#95a5a6")


def _days(first: date, last: date, step: int) -> list[date]:
    count = (last - first).days // step + 1
    return [first + timedelta(days=i * step) for i in range(count)]


def stacked_bars(
    series: dict[str, dict[date, int]],
    *,
    step_days: int = 1,
    width: int = 860,
    height: int = 180,
    title: str = "",
) -> str:
    """Bars per time bucket, stacked by series (source kind), with a legend and a date axis."""
    all_dates = [d for values in series.values() for d in values]
    if not all_dates:
        return '<p class="empty">No dated documents.</p>'
    first, last = min(all_dates), max(all_dates)
    buckets = _days(first, last, step_days)
    totals = [sum(series[k].get(b, 0) for k in series) for b in buckets]
    peak = max(max(totals), 1)
    left, bottom, top = 34, 22, 18
    plot_w, plot_h = width - left - 8, height - bottom - top
    bar_w = plot_w / len(buckets)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="{left}" y="12" class="axis">{escape(title)}</text>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" class="axis">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="axis">0</text>',
    ]
    for i, bucket in enumerate(buckets):
        y = float(top + plot_h)
        for kind in sorted(series):
            n = series[kind].get(bucket, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            parts.append(
                f'<rect x="{left + i * bar_w:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                f'height="{h:.1f}" fill="{colour(kind)}"><title>{escape(kind)} '
                f'{bucket.isoformat()}: {n}</title></rect>'
            )
    for label_date, anchor in ((first, "start"), (last, "end")):
        x = left if anchor == "start" else left + plot_w
        parts.append(f'<text x="{x}" y="{height - 6}" text-anchor="{anchor}" class="axis">'
                     f'{label_date.isoformat()}</text>')
    legend_x = left + 90
    for kind in sorted(series):
        parts.append(f'<rect x="{legend_x}" y="{height - 16}" width="10" height="10" '
                     f'fill="{colour(kind)}"/><text x="{legend_x + 14}" y="{height - 7}" '
                     f'class="axis">{escape(kind)}</text>')
        legend_x += 24 + 7 * len(kind)
    parts.append("</svg>")
    return "".join(parts)
