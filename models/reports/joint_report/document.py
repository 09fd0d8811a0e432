"""The joint report laid out on A4 from a `JointReport`, its sections in order: `write_pdf(report, path)`.

Order: title page, contents, summary, the Alliance's trend, status map, compliance grid (`overview`),
one section per participant (`participants`), reporting completeness and timeliness, what was
revised since the close, the method, INTERPOL's published totals (`annexes`). Every word comes from
`strings`; every number from the `JointReport` (nothing is computed here but layout).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from models.reports.joint_report import annexes, overview, participants, strings
from models.reports.joint_report.pdf import ReportPDF, needs_shaping
from models.reports.joint_report.topo import Topology, world
from models.reports.joint_report.view import JointReport

#: Sections started with a contents line at level 0, in order (one line each in the contents).
SECTIONS = (
    strings.SUMMARY,
    strings.TREND,
    strings.MAP,
    strings.GRID,
    strings.PARTICIPANTS,
    strings.REPORTING,
    strings.REVISED,
    strings.METHOD,
    strings.PUBLISHED,
)


@dataclass(frozen=True)
class RenderedReport:
    """What was written: the file, its number of pages and its size in bytes."""

    path: Path
    pages: int
    size: int


def write_pdf(report: JointReport, output: Path, topology: Topology | None = None) -> RenderedReport:
    """Lay the report out and write it to `output` (replaced in one step: never a half-written file)."""
    document = Document(report, topology or world())
    document.build()
    output = Path(output)
    handle, temporary = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=output.parent)
    os.close(handle)
    try:
        pages = document.pdf.write_to(Path(temporary))
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return RenderedReport(output, pages, output.stat().st_size)


def _texts(report: JointReport) -> Iterator[str]:
    """Every text the report shows that is not a number: the strings' words, and the data's names."""
    for value in vars(strings).values():
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | tuple):
            yield from (
                v for v in (value.values() if isinstance(value, dict) else value) if isinstance(v, str)
            )
    yield report.cycle.name
    for p in report.participants:
        yield p.name
    for figure in report.published:
        yield figure.source_title
    for change in report.changes_since_close:
        yield f"{change.changed_by} {change.reason or ''}"
    if report.snapshot is not None:
        yield report.snapshot.closed_by


class Document:
    """One report being laid out: the data, the map geometry and the PDF."""

    def __init__(self, report: JointReport, topology: Topology) -> None:
        self.report = report
        self.topology = topology
        as_at = strings.moment(report.as_at)
        self.pdf = ReportPDF(
            demonstration=report.demonstration,
            running_head=strings.RUNNING_HEAD.format(cycle=report.cycle.name),
            footer_text=strings.FOOTER.format(
                cycle=report.cycle.name, as_at=as_at, version=report.data_version
            ),
            created=report.as_at,
            title=f"{strings.TITLE} — {report.cycle.name}",
            subject=strings.SUBJECT.format(cycle=report.cycle.name),
            shaping=needs_shaping(_texts(report)),
        )

    def build(self) -> None:
        pdf, report = self.pdf, self.report
        overview.title_page(pdf, report)
        pdf.contents(len(SECTIONS) + len(report.participants))
        overview.summary(pdf, report)
        overview.trend(pdf, report)
        overview.status_map(pdf, report, self.topology)
        overview.grid(pdf, report)
        participants.participants(pdf, report)
        annexes.reporting(pdf, report)
        annexes.revised(pdf, report)
        annexes.method(pdf, report)
        annexes.published(pdf, report)
