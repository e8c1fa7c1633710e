"""Reports: the figures, tables and key numbers of a results folder, as report.md and index.html."""

from sim.report.writer import write_report

__all__ = ["write_report"]
