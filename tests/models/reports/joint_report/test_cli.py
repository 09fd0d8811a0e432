"""`python -m models report --cycle NAME --output FILE.pdf|FILE.xlsx`, as a user runs it (in-process)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

import models.__main__
from models.reports.joint_report import strings
from tests.cli import Result, invoke
from tests.models.reports.joint_report.poppler import read_pdf


def report(url: str, *args: str, cwd: Path | None = None) -> Result:
    return invoke(models.__main__.main, "report", "--database", url, *args, cwd=cwd)


def test_the_report_is_written_and_labelled_as_demonstration_data(
    poppler: None, demo_db_url: str, tmp_path: Path
) -> None:
    output = tmp_path / "joint report.pdf"
    result = report(demo_db_url, "--cycle", "Report 2026", "--output", str(output))
    assert result.returncode == 0, result.stderr
    read = read_pdf(output)
    assert result.stdout.startswith(f"wrote {output}: {read.pages} pages, {output.stat().st_size:,} bytes; ")
    assert "Report 2026 (covering 2024–2025), 49 participants, figures as at " in result.stdout
    assert result.stderr == f"note: {strings.DEMO_MARK}: every figure shown is invented\n"
    assert strings.DEMO_MARK in read.page(read.pages)
    assert [p.name for p in tmp_path.iterdir()] == ["joint report.pdf"]  # no temporary file left behind


def test_an_xlsx_output_is_the_spreadsheet_report(demo_db_url: str, tmp_path: Path) -> None:
    output = tmp_path / "joint report.xlsx"
    result = report(demo_db_url, "--cycle", "Report 2026", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        f"wrote {output}: 5 sheets, {output.stat().st_size:,} bytes; Report 2026 "
    )
    assert result.stderr == f"note: {strings.DEMO_MARK}: every figure shown is invented\n"
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["Cumulative", "Annual", "Reporting", "Data", "About"]
    cumulative = book["Cumulative"]
    assert cumulative["A3"].value == strings.DEMO_MARK
    header = [c.value for c in cumulative[4]]
    assert header[:3] == ["Participant", "Code", "2012"]
    assert header[-1] == "2025"
    names = [
        row[0] for row in cumulative.iter_rows(min_row=5, values_only=True) if row[1] and row[1] != "ALL"
    ]
    assert len(names) == 49
    assert [c.value for c in book["Reporting"][4]][2:4] == ["2024", "2025"]
    data = book["Data"]
    assert [c.value for c in data[1]][:4] == ["participant", "name", "year", "basis"]
    assert [c.value for c in data[1]][-1] == "data_note"
    assert [p.name for p in tmp_path.iterdir()] == ["joint report.xlsx"]  # no temporary file left behind


def test_another_suffix_is_a_usage_error(demo_db_url: str, tmp_path: Path) -> None:
    result = report(demo_db_url, "--cycle", "Report 2026", "--output", str(tmp_path / "report.docx"))
    assert result.returncode == 2
    assert "the report is written as a .pdf or an .xlsx file" in result.stderr


def test_an_unknown_cycle_is_refused_and_nothing_is_written(demo_db_url: str, tmp_path: Path) -> None:
    result = report(demo_db_url, "--cycle", "Report 2027", "--output", str(tmp_path / "r.pdf"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: no reporting cycle named 'Report 2027' (known: Stock-taking 2013")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused_in_one_line(demo_db_url: str, tmp_path: Path) -> None:
    output = tmp_path / "nowhere" / "r.pdf"
    result = report(demo_db_url, "--cycle", "Report 2026", "--output", str(output))
    assert result.returncode == 1
    assert result.stderr == f"error: cannot write {output}: the folder {output.parent} does not exist\n"


def test_cycle_and_output_are_required(demo_db_url: str) -> None:
    assert report(demo_db_url, "--output", "r.pdf").returncode == 2
    assert report(demo_db_url, "--cycle", "Report 2026").returncode == 2
