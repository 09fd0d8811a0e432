"""The joint report as a reader gets it: its text through pdftotext, its pages as images through pdftoppm."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from models.db import make_engine
from models.metrics import service
from models.metrics.headlines import what_it_takes
from models.reference import ANNUAL, CUMULATIVE, published_identified_totals, read_public_figures
from models.reports.joint_report import strings
from models.reports.joint_report.view import Change, JointReport, Snapshot
from models.settings import PROJECT_ROOT
from tests.models.reports.joint_report.conftest import DEMO_CYCLE, Written, record, report_of, written
from tests.models.reports.joint_report.poppler import render_png, squash

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "joint-report"
HASH = "9f2c" + "0123456789abcdef" * 3 + "e41a7b3c5d6e8f90a1b2"


def section_page(pdf: Written, name: str) -> int:
    """The page the contents give for an entry (and the entry must be there)."""
    contents = pdf.read.contents()
    assert name in contents, f"{name!r} is not in the contents: {sorted(contents)[:12]} ..."
    return contents[name]


def small(report: JointReport, participants: int = 3, **changes: object) -> JointReport:
    """The same report cut to its first participants (fast to write), with other fields replaced."""
    return dataclasses.replace(report, participants=report.participants[:participants], **changes)


# -- every page ---------------------------------------------------------------------------------


def test_every_page_says_demonstration_data_in_text_and_its_page_number(demo_pdf: Written) -> None:
    read = demo_pdf.read
    assert read.pages == demo_pdf.rendered.pages > 10
    for number in range(1, read.pages + 1):
        text = squash(read.page(number))
        assert strings.DEMO_MARK in text, f"page {number} has no demonstration mark"
        assert f"Page {number} of {read.pages}" in text, (
            f"page {number} has no 'Page {number} of {read.pages}'"
        )


def test_poppler_reads_every_page_without_complaint(demo_pdf: Written) -> None:
    # A page that lost its font ("No font in show") or carries a broken object shows up here.
    assert demo_pdf.read.complaints == ""


def test_contents_point_at_the_page_of_each_section_and_participant(demo_pdf: Written) -> None:
    contents = demo_pdf.read.contents()
    sections = [
        strings.SUMMARY,
        strings.TREND,
        strings.MAP,
        strings.GRID,
        strings.PARTICIPANTS,
        strings.REPORTING,
        strings.REVISED,
        strings.METHOD,
        strings.PUBLISHED,
    ]
    headings = [f"{p.name} ({p.code})" for p in demo_pdf.report.participants]
    assert set(sections + headings) <= set(contents)
    for name in sections + headings:
        page = contents[name]
        assert name in squash(demo_pdf.read.page(page)), f"contents say {name!r} is on page {page}; it is not"
    # in reading order, and after the contents themselves
    pages = [contents[name] for name in sections]
    assert pages == sorted(pages)
    assert pages[0] > 2


# -- title page and summary ------------------------------------------------------------------------


def test_title_page_names_the_cycle_its_years_deadline_as_at_date_and_data_version(demo_pdf: Written) -> None:
    report = demo_pdf.report
    title = squash(demo_pdf.read.page(1))
    assert strings.TITLE in title
    assert f"{strings.FACT_CYCLE} {DEMO_CYCLE}" in title
    assert f"{strings.FACT_YEARS} 2024–2025" in title
    assert f"{strings.FACT_DEADLINE} 1 July 2026" in title
    assert f"{strings.FACT_AS_AT} {strings.moment(report.as_at)}" in title
    assert f"{strings.FACT_VERSION} {report.data_version}" in title
    assert f"{strings.FACT_STATE} {strings.STATE_OPEN}" in title  # not closed: no snapshot hash
    assert strings.FACT_SNAPSHOT not in title


def test_summary_says_who_reported_on_time_who_met_the_goal_and_what_the_alliance_covers(
    demo_pdf: Written, demo_db_url: str
) -> None:
    engine = make_engine(demo_db_url)
    summary = service.reporting(engine).summary.set_index("cycle").loc[DEMO_CYCLE]
    table = service.compliance(engine, "cumulative")
    engine.dispose()
    text = squash(demo_pdf.read.page(section_page(demo_pdf, strings.SUMMARY)))
    assert f"{summary['expected']} participants were expected to report for {DEMO_CYCLE}" in text
    assert f"{summary['on_time']} on time and {summary['late']} late" in text
    rows = table[(table["participant"] != "ALL") & (table["year"] == 2025)]
    met = int((rows["status"] == "met").sum())
    assert f"In 2025, on the cumulative basis, {met} of {len(rows)} participants met the goal" in text
    alliance = table[(table["participant"] == "ALL") & (table["year"] == 2025)].iloc[0]
    assert (
        f"was {int(alliance['value']):,} in 2025 against {int(alliance['previous_value']):,} in 2024" in text
    )
    assert f"covers {int(alliance['participants'])} of {len(rows)} participants" in text
    missed = sorted(demo_pdf.report.participants, key=lambda p: p.name)
    not_met = [p.name for p in missed if (r := p.row("cumulative", 2025)) and r.status == "not_met"]
    assert not_met, "the demonstration data has participants that missed the goal in 2025"
    assert all(name in text for name in not_met)


# -- charts, grid, participants ------------------------------------------------------------------


def test_the_trend_page_has_both_bases_with_the_ten_percent_path_and_coverage(demo_pdf: Written) -> None:
    text = squash(demo_pdf.read.page(section_page(demo_pdf, strings.TREND)))
    assert strings.BASIS_TITLES["cumulative"] in text
    assert strings.TREND_PATH.format(first=2012) in text
    first = demo_pdf.report.alliance["cumulative"][0]
    assert strings.TREND_COVERAGE.format(k=first.reporting, n=first.expected) in text


def test_the_grid_shows_a_symbol_for_every_participant_and_year(demo_pdf: Written) -> None:
    report = demo_pdf.report
    first, after = section_page(demo_pdf, strings.GRID), section_page(demo_pdf, strings.PARTICIPANTS)
    text = " ".join(demo_pdf.read.texts[first - 1 : after - 1])  # the grid's pages, and only those
    shown = report.years[-15:]
    for status in ("met", "not_met"):
        symbol = strings.STATUS_SYMBOLS[status]
        cells = sum(
            1
            for p in report.participants
            for f in p.figures["cumulative"]
            if f.status == status and f.year in shown
        )
        alliance = sum(1 for r in report.alliance["cumulative"] if r.comparison.status == status)
        assert text.count(symbol) - strings.GRID_CAPTION.count(symbol) == cells + alliance, status
    for participant in report.participants:
        assert participant.name in text


def test_each_participant_section_has_its_values_status_and_what_it_takes_next_year(
    demo_pdf: Written, demo_db_url: str
) -> None:
    engine = make_engine(demo_db_url)
    table = service.compliance(engine, "cumulative")
    engine.dispose()
    for code in ("DEU", "FRA", "JPN"):
        participant = next(p for p in demo_pdf.report.participants if p.code == code)
        heading = f"{participant.name} ({code})"
        text = squash(demo_pdf.read.page(section_page(demo_pdf, heading)))
        text = text[text.index(heading) :]
        latest = table[(table["participant"] == code) & (table["year"] == 2025)].iloc[0]
        status = strings.STATUS_WORDS[str(latest["status"])]
        assert f"2025 on the cumulative basis: {int(latest['value']):,} identified, {status}" in text
        need = what_it_takes(table, code, "0.10", 2026)
        assert need is not None
        assert f"at least {need.required_value:,} identified victims in ICSE by the end of 2026" in text
        assert f"{need.increase:,} more than {need.from_value:,} in 2025" in text


def test_the_reporting_section_gives_each_expected_participant_its_status(demo_pdf: Written) -> None:
    page = section_page(demo_pdf, strings.REPORTING)
    text = squash(" ".join(demo_pdf.read.texts[page - 1 : page + 2]))
    r = demo_pdf.report.reporting
    assert f"Completeness (every covered year reported): {strings.share(r.complete, r.expected)}" in text
    assert f"{strings.share(r.on_time, r.expected)}" in text
    late = [p for p in demo_pdf.report.participants if p.reporting and p.reporting.status == "late"]
    assert late, "the demonstration data has late reports"
    for participant in late:
        assert f"{participant.name} {strings.REPORTING_WORDS['late']}" in text


def test_the_method_works_through_the_examples_of_docs_metrics(demo_pdf: Written) -> None:
    docs = (PROJECT_ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    page = section_page(demo_pdf, strings.METHOD)
    text = squash(" ".join(demo_pdf.read.texts[page - 1 : page + 1]))
    for example in demo_pdf.report.examples:
        pair = f"{example.previous_value:,} → {example.value:,}"
        line = next((line for line in docs.splitlines() if f"| {pair} |" in line), None)
        assert line is not None, f"{pair} is not a worked example of docs/metrics.md"
        assert f"| {example.required_value:,} " in line
        assert f"| {example.status}" in line
        assert pair.replace(" ", "") in text.replace(
            " ", ""
        )  # poppler may drop the spaces round a short "0 → 5"
    assert "110 × 10 = 1,100 ≥ 100 × 11 = 1,100" in text
    assert "1,099 × 10 = 10,990 < 1,000 × 11 = 11,000" in text


def test_interpol_published_totals_are_shown_with_their_sources(demo_pdf: Written) -> None:
    page = section_page(demo_pdf, strings.PUBLISHED)
    # URLs wrap across lines, and pdftotext joins a word broken after a hyphen without it: compare
    # without white space and hyphens
    text = "".join(" ".join(demo_pdf.read.texts[page - 1 : page + 1]).split()).replace("-", "")
    raw = demo_pdf.rendered.path.read_bytes()
    for figure in published_identified_totals(read_public_figures()).itertuples():
        assert f"{int(figure.value):,}" in text
        assert str(figure.source_url).replace("-", "") in text
        assert f"/URI ({figure.source_url})".encode() in raw  # and a link to it


def test_key_pages_render_as_images(demo_pdf: Written) -> None:
    """Kept in test-artifacts/joint-report/ to look at; the map page must show statuses in colour."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    pages = {
        "01-title": 1,
        "02-contents": 2,
        "03-summary": section_page(demo_pdf, strings.SUMMARY),
        "04-trend": section_page(demo_pdf, strings.TREND),
        "05-map": section_page(demo_pdf, strings.MAP),
        "06-grid": section_page(demo_pdf, strings.GRID),
        "07-participant": section_page(demo_pdf, strings.PARTICIPANTS),
        "08-reporting": section_page(demo_pdf, strings.REPORTING),
        "09-method": section_page(demo_pdf, strings.METHOD),
        "10-published": section_page(demo_pdf, strings.PUBLISHED),
    }
    for name, page in pages.items():
        image = render_png(demo_pdf.rendered.path, page, ARTIFACTS / f"{name}.png")
        with Image.open(image) as png:
            width, height = png.size
            assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    with Image.open(ARTIFACTS / "05-map.png") as png:
        colours = png.convert("RGB").getcolors(maxcolors=1_000_000) or []
    near = {"met": (44, 123, 182), "not_met": (230, 97, 1)}
    for status, (r, g, b) in near.items():
        pixels = sum(n for n, (pr, pg, pb) in colours if abs(pr - r) + abs(pg - g) + abs(pb - b) < 30)
        assert pixels > 500, f"the map shows no {status} country"


# -- closed cycles (issue 14's hook), real data, reproducibility ------------------------------------


def test_a_closed_cycle_shows_its_snapshot_hash_and_every_change_since_the_close(
    demo_report: JointReport, tmp_path: Path
) -> None:
    first = demo_report.participants[0]
    row = first.row("cumulative", 2025)
    assert row is not None
    assert row.value is not None
    closed_at = dt.datetime(2026, 7, 15, 9, 30, tzinfo=dt.UTC)
    changes = (
        Change(
            first.code,
            2025,
            "cumulative",
            row.value - 12,
            row.value,
            "FRA liaison",
            closed_at,
            "De-duplicated",
        ),
        Change(first.code, 2025, "annual", "not_met", "met", "Secretariat", closed_at + dt.timedelta(days=3)),
    )
    report = small(
        demo_report,
        snapshot=Snapshot(HASH, closed_at, "secretariat@example.org"),
        changes_since_close=changes,
    )
    pdf = written(report, tmp_path / "closed.pdf")
    title = squash(pdf.read.page(1))
    assert HASH in "".join(title.split())
    assert "Closed on 15 July 2026, 09:30 UTC by secretariat@example.org" in title
    # a wrapped value comes out around its (vertically centred) label: look for each
    assert strings.FACT_REVISED in title
    assert strings.changes_text(2) in title
    revised = squash(pdf.read.page(section_page(pdf, strings.REVISED)))
    assert f"{row.value - 12:,} → {row.value:,}" in revised
    assert "✗ Not met → ✓ Met" in revised
    assert "De-duplicated" in revised
    section = squash(pdf.read.page(section_page(pdf, f"{first.name} ({first.code})")))
    assert f"{row.value:,}{strings.SECTION_REVISED_MARK}" in section
    assert strings.SECTION_REVISED_NOTE.format(section=strings.REVISED) in section
    assert pdf.read.complaints == ""


def test_a_closed_cycle_without_changes_says_the_figures_are_as_at_the_close(
    demo_report: JointReport, tmp_path: Path
) -> None:
    closed_at = dt.datetime(2026, 7, 15, 9, 30, tzinfo=dt.UTC)
    pdf = written(
        small(demo_report, snapshot=Snapshot(HASH, closed_at, "Secretariat")), tmp_path / "closed.pdf"
    )
    revised = squash(pdf.read.page(section_page(pdf, strings.REVISED)))
    assert "No figure or status has changed since" in revised
    assert strings.SECTION_REVISED_MARK not in squash(" ".join(pdf.read.texts[2:]))


def test_an_open_cycle_says_no_snapshot_is_frozen(demo_pdf: Written) -> None:
    revised = squash(demo_pdf.read.page(section_page(demo_pdf, strings.REVISED)))
    assert f"{DEMO_CYCLE} is not closed: no snapshot of its figures has been frozen" in revised


def test_the_same_data_gives_the_same_bytes(demo_report: JointReport, tmp_path: Path) -> None:
    from models.reports.joint_report.document import write_pdf

    first = write_pdf(small(demo_report), tmp_path / "a.pdf")
    second = write_pdf(small(demo_report), tmp_path / "b.pdf")
    assert first.path.read_bytes() == second.path.read_bytes()


@pytest.fixture(scope="module")
def real_pdf(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Written:
    """Real (not demonstration) figures from two participants only: 2 of 49 expected."""
    folder = tmp_path_factory.mktemp("real-report")
    shutil.copyfile(sqlite_template, folder / "real.db")
    url = f"sqlite:///{folder / 'real.db'}"
    engine = make_engine(url)
    for code, base in (("DEU", 1000), ("FRA", 400)):
        record(engine, dt.date(2026, 5, 2), *[(code, CUMULATIVE, 2023 + k, base + 120 * k) for k in range(3)],
               *[(code, ANNUAL, 2023 + k, 100 + 5 * k) for k in range(3)])  # fmt: skip
    engine.dispose()
    return written(report_of(url), folder / "real.pdf")


def test_real_figures_carry_no_demonstration_mark(real_pdf: Written) -> None:
    assert not real_pdf.report.demonstration
    assert "Demonstration" not in real_pdf.read.everything()
    assert "demonstration" not in real_pdf.read.everything()
    for number in range(1, real_pdf.read.pages + 1):
        assert strings.RUNNING_HEAD.format(cycle=DEMO_CYCLE) in squash(real_pdf.read.page(number))
    assert real_pdf.read.complaints == ""


def test_an_alliance_figure_from_fewer_than_half_the_participants_says_so_and_shows_no_bare_tick(
    real_pdf: Written,
) -> None:
    summary = squash(real_pdf.read.page(section_page(real_pdf, strings.SUMMARY)))
    assert "Only 2 of 49 participants reported both 2024 and 2025, fewer than half" in summary
    grid = real_pdf.read.layouts[section_page(real_pdf, strings.GRID) - 1]
    alliance = next(line for line in grid.splitlines() if line.strip().startswith(strings.GRID_ALLIANCE))
    assert "(✓)" in alliance
    assert alliance.replace("(✓)", "").count("✓") == 0
    compared = next(line for line in grid.splitlines() if line.strip().startswith(strings.GRID_COMPARED))
    assert "2/49" in compared


def test_the_trend_labels_every_year_even_with_only_a_few(real_pdf: Written) -> None:
    layout = real_pdf.read.layouts[section_page(real_pdf, strings.TREND) - 1]
    assert re.search(r"^\s*2023\s+2024\s+2025\s*$", layout, re.MULTILINE), layout
