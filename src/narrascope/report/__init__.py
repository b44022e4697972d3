"""Reports: what the store holds, as Markdown, self-contained HTML and JSON."""

from narrascope.report.data import ReportData, collect
from narrascope.report.render import write_report

__all__ = ["ReportData", "collect", "write_report"]
