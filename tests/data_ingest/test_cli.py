"""`python -m data_ingest load|history|template|export` as a liaison or the secretariat runs them.

Every case calls `main` in the test process (the same code as `python -m data_ingest`, without
starting an interpreter each time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from data_ingest.__main__ import build_parser, main
from models.base import utcnow
from models.db import read_session
from models.settings import PROJECT_ROOT
from models.tables import Observation, Upload
from tests.cli import Result, invoke

NEXT_YEAR = utcnow().year + 1
HEADER = "country,year,identified_victims,cumulative_total\n"
TODAY = utcnow().date()
REPORT_2016 = {"cycle": "Report 2016", "deadline": "2016-07-01", "first_year": 2014, "last_year": 2015,
               "received_on": TODAY.isoformat(), "on_time": False,
               "days_late": (TODAY - dt.date(2016, 7, 1)).days}  # fmt: skip


def counts_for_report_2016(file: str) -> str:
    """The line saying a file of 2014 or 2015 figures, received today, counts for Report 2016, late."""
    return (
        f"{file}: counts for Report 2016 (covers 2014–2015, due 2016-07-01): received {TODAY.isoformat()}, "
        f"{REPORT_2016['days_late']} days late"
    )


def run(cwd: Path, *args: str) -> Result:
    """`python -m data_ingest ARGS` run in `cwd`, in this process."""
    return invoke(main, *args, cwd=cwd)


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Result]:
    """`python -m data_ingest ARGS` run in this process, in tmp_path."""
    return lambda *args: run(tmp_path, *args)


def _write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


def _counts(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as session:
        return (
            int(session.scalar(select(func.count()).select_from(Observation)) or 0),
            int(session.scalar(select(func.count()).select_from(Upload)) or 0),
        )


def test_load_prints_a_summary_per_file_and_each_error_as_file_row_column(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    good = _write(tmp_path, "deu.csv", HEADER + "DEU,2014,100,1000\nDEU,2015,110,1110\n")
    bad = _write(tmp_path, "fra.csv", HEADER + f"France,{NEXT_YEAR},5,\nGermny,2014,1.234,\n")
    result = run(tmp_path, "load", good, bad, "--database", db_url, "--user", "liaison")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "deu.csv: loaded, 2 rows, 4 values: 4 new, 0 revised, 0 unchanged",
        counts_for_report_2016("deu.csv"),
        "fra.csv: rejected, 3 errors; nothing was changed",
        f"fra.csv:2:year: Year {NEXT_YEAR} is in the future.",
        "fra.csv:3:country: 'Germny' is not a country we recognise. Did you mean Germany (DEU)?",
        "fra.csv:3:identified_victims: '1.234' is ambiguous (a point may separate thousands or decimals): "
        "write 1234 or 1,234.",
    ]
    assert result.stderr == ""
    assert _counts(engine) == (4, 2)


def test_load_exits_0_when_the_files_are_loaded_and_2_for_a_missing_path(db_url: str, tmp_path: Path) -> None:
    name = _write(tmp_path, "deu.csv", HEADER + "DEU,2014,100,1000\n")
    loaded = run(tmp_path, "load", name, "--database", db_url)
    assert (loaded.returncode, loaded.stderr) == (0, "")
    missing = run(tmp_path, "load", name, "missing.csv", "--database", db_url)
    assert (missing.returncode, missing.stdout, missing.stderr) == (
        2,
        "",
        "error: missing.csv: no such file\n",
    )


def test_unchanged_and_dry_run_exit_0_and_the_dry_run_shows_old_and_new(
    cli: Callable[..., Result], db_url: str, tmp_path: Path
) -> None:
    name = _write(tmp_path, "deu.csv", HEADER + "DEU,2014,100,1000\n")
    assert cli("load", name, "--database", db_url).returncode == 0
    again = cli("load", name, "--database", db_url)
    assert (again.returncode, again.stdout.splitlines()) == (
        0,
        [
            "deu.csv: unchanged, 1 row, 2 values: 0 new, 0 revised, 2 unchanged",
            counts_for_report_2016("deu.csv"),
        ],
    )
    revised = _write(tmp_path, "deu-2.csv", HEADER + "DEU,2014,120,1000\n")
    dry = cli("load", revised, "--dry-run", "--database", db_url)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "deu-2.csv: valid (dry run, nothing written), 1 row, 2 values: "
        "would be 0 new, 1 revised, 1 unchanged",
        counts_for_report_2016("deu-2.csv"),
        "deu-2.csv: would revise DEU 2014 identified_victims: 100 -> 120",
    ]


def test_load_json_has_one_object_per_file_in_the_documented_shape(db_url: str, tmp_path: Path) -> None:
    good = _write(tmp_path, "a.json", '[{"country": "DEU", "year": 2014, "identified_victims": 5}]')
    bad = _write(tmp_path, "b.csv", "country,year\n")
    result = run(tmp_path, "load", good, bad, "--json", "--database", db_url)
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "file": "a.json", "status": "loaded", "rows": 1, "inserted": 1, "revised": 0, "unchanged": 0,
            "errors": [], "error_count": 0, "warnings": [], "notes": [],
            "changes": [
                {"country": "DEU", "year": 2014, "indicator": "identified_victims", "old": None, "new": 5}
            ],
            "cycle": REPORT_2016, "review_status": "accepted",
        },
        {
            "file": "b.csv", "status": "rejected", "rows": 0, "inserted": 0, "revised": 0, "unchanged": 0,
            "errors": [
                {"row": None, "column": None, "value": None,
                 "message": "The file has a header but no rows of figures. Add one row per country and year."}
            ],
            "error_count": 1, "warnings": [], "notes": [], "changes": [], "cycle": None,
            "review_status": None,
        },
    ]  # fmt: skip


@pytest.mark.parametrize(
    "arguments",
    [
        ["load", "missing.csv"],
        ["load", "deu.csv", "missing.csv"],
        ["load", "deu.csv", "--no-such-option"],
        ["load", "deu.csv", "--received-on", "2016-02-30"],
        ["load", "deu.csv", "--received-on", f"{NEXT_YEAR}-01-01"],
        ["load"],
        ["history", "--participant", "Atlantis", "--year", "2014"],
        ["history", "--participant", "DEU", "--year", "2014", "--indicator", "victims"],
        ["template", "--format", "pdf"],
    ],
)
def test_usage_errors_exit_with_2_and_change_nothing(
    cli: Callable[..., Result], arguments: list[str], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    _write(tmp_path, "deu.csv", HEADER + "DEU,2014,100,1000\n")
    result = cli(*arguments, "--database", db_url)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()
    assert _counts(engine) == (0, 0)


def test_received_on_is_recorded_as_the_submission_date(
    cli: Callable[..., Result], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    name = _write(tmp_path, "deu.csv", HEADER + "DEU,2014,100,1000\n")
    result = cli("load", name, "--received-on", "2016-06-20", "--reason", "backfill", "--database", db_url)
    assert result.returncode == 0, result.stderr
    with read_session(engine) as session:
        upload = session.scalars(select(Upload)).one()
    assert (upload.submitted_on.isoformat(), upload.reason, upload.received_at.date()) == (
        "2016-06-20", "backfill", utcnow().date(),
    )  # fmt: skip


def test_history_lists_every_value_oldest_first(
    cli: Callable[..., Result], db_url: str, tmp_path: Path
) -> None:
    first = _write(tmp_path, "first.csv", HEADER + "DEU,2014,100,1000\n")
    second = _write(tmp_path, "second.csv", HEADER + "DEU,2014,120,1000\n")
    cli("load", first, "--database", db_url, "--user", "ana")
    cli("load", second, "--database", db_url, "--user", "ben", "--reason", "corrected")
    result = cli("history", "--participant", "Germany", "--year", "2014", "--json", "--database", db_url)
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [{k: v for k, v in entry.items() if k != "recorded_at"} for entry in entries] == [
        {"indicator": "identified_victims", "value": 100, "recorded_by": "ana", "file": "first.csv",
         "reason": None, "review_status": "accepted"},
        {"indicator": "cumulative_identified", "value": 1000, "recorded_by": "ana", "file": "first.csv",
         "reason": None, "review_status": "accepted"},
        {"indicator": "identified_victims", "value": 120, "recorded_by": "ben", "file": "second.csv",
         "reason": "corrected", "review_status": "accepted"},
    ]  # fmt: skip
    assert all(entry["recorded_at"].endswith("+00:00") for entry in entries)
    human = cli(
        "history", "--participant", "DEU", "--year", "2014", "--indicator", "cumulative_total",
        "--database", db_url,
    )  # fmt: skip
    assert human.returncode == 0
    [line] = human.stdout.splitlines()
    assert line.endswith("  cumulative_identified  1000  by ana  file first.csv  status accepted")
    sent = _write(tmp_path, "sent.csv", HEADER + "DEU,2014,130,1000\n")
    assert (
        cli(
            "load", sent, "--submitted", "--reason", "re-counted", "--user", "cy", "--database", db_url
        ).returncode
        == 0
    )
    [*_, waiting] = json.loads(
        cli("history", "--participant", "DEU", "--year", "2014", "--json", "--database", db_url).stdout
    )
    assert (waiting["value"], waiting["file"], waiting["review_status"]) == (130, "sent.csv", "submitted")
    lines = cli("history", "--participant", "DEU", "--year", "2014", "--database", db_url).stdout.splitlines()
    assert lines[-1].endswith(
        "  identified_victims  130  by cy  file sent.csv  status submitted  reason: re-counted"
    )
    nothing = cli("history", "--participant", "FRA", "--year", "2014", "--database", db_url)
    assert (nothing.returncode, nothing.stdout) == (0, "no values recorded for FRA 2014\n")


def test_export_loads_back_unchanged_from_the_command_line(
    cli: Callable[..., Result], db_url: str, tmp_path: Path
) -> None:
    name = _write(tmp_path, "figures.csv", HEADER + 'DEU,2014,100,1000\nUSA,2015,"1,234",\nKOR,2015,,7\n')
    cli("load", name, "--database", db_url)
    for fmt in ("csv", "json"):
        exported = cli("export", "--format", fmt, "--database", db_url)
        assert exported.returncode == 0, exported.stderr
        assert exported.stderr == ""
        _write(tmp_path, f"export.{fmt}", exported.stdout)
        again = cli("load", f"export.{fmt}", "--database", db_url)
        assert again.stdout.splitlines()[0] == (
            f"export.{fmt}: unchanged, 3 rows, 4 values: 0 new, 0 revised, 4 unchanged"
        )
    csv_export = cli("export", "--database", db_url).stdout
    assert csv_export == (
        "country,year,identified_victims,cumulative_total,notes\n"
        "DEU,2014,100,1000,\nKOR,2015,,7,\nUSA,2015,1234,,\n"
    )


def test_export_of_demonstration_data_says_so(
    cli: Callable[..., Result], db_url: str, tmp_path: Path
) -> None:
    assert cli("demo", "--database", db_url).returncode == 0
    exported = cli("export", "--database", db_url)
    assert exported.returncode == 0
    assert (
        exported.stderr
        == "note: Demonstration data — not real figures (every row says so in its notes column)\n"
    )
    rows = exported.stdout.splitlines()
    assert rows[0] == "country,year,identified_victims,cumulative_total,notes"
    assert all(row.endswith(",Demonstration data — not real figures") for row in rows[1:])
    refused = cli("load", _write(tmp_path, "real.csv", HEADER + "DEU,2014,1,\n"), "--database", db_url)
    assert refused.returncode == 1
    assert "python -m data_ingest demo --remove" in refused.stdout


def test_csv_template_is_the_header_and_prefilled_rows(
    cli: Callable[..., Result], db_url: str, tmp_path: Path
) -> None:
    blank = cli("template", "--database", db_url)
    assert (blank.returncode, blank.stdout) == (0, "country,year,identified_victims,cumulative_total,notes\n")
    prefilled = cli("template", "--participant", "Germany", "--database", db_url)
    year = utcnow().year
    assert prefilled.stdout.splitlines()[1:] == [f"DEU,{year - 2},,,", f"DEU,{year - 1},,,"]


def test_xlsx_template_validates_input_lists_countries_and_loads_once_filled(
    cli: Callable[..., Result], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    result = cli(
        "template", "--format", "xlsx", "--participant", "FRA", "--output", "t.xlsx", "--database", db_url
    )
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames == ["Figures", "Countries", "Instructions", "Names"]
    assert workbook["Names"].sheet_state == "hidden"
    figures = workbook["Figures"]
    year = utcnow().year
    assert [[cell.value for cell in row] for row in figures.iter_rows()] == [
        ["country", "year", "identified_victims", "cumulative_total", "notes"],
        ["FRA", year - 2, None, None, None],
        ["FRA", year - 1, None, None, None],
    ]
    rules = {str(rule.sqref): (rule.type, rule.operator, rule.formula1, rule.formula2)
             for rule in figures.data_validations.dataValidation}  # fmt: skip
    assert rules == {
        "A2:A1001": ("list", None, "CountryNames", None),
        "B2:B1001": ("whole", "between", "2000", str(year)),
        "C2:D1001": ("whole", "greaterThanOrEqual", "0", None),
    }
    countries = [row for row in workbook["Countries"].iter_rows(values_only=True)]
    assert countries[0] == ("code", "name")
    assert ("DEU", "Germany") in countries
    assert len(countries) == 50
    assert "/file-format" in " ".join(str(c.value) for c in workbook["Instructions"]["A"])
    figures["C2"], figures["D3"] = 12, 40
    workbook.save(tmp_path / "filled.xlsx")
    loaded = cli("load", "filled.xlsx", "--database", db_url)
    assert (
        loaded.stdout.splitlines()[0]
        == "filled.xlsx: loaded, 2 rows, 2 values: 2 new, 0 revised, 0 unchanged"
    )
    assert _counts(engine) == (2, 1)


def test_a_blank_xlsx_template_is_refused_as_having_no_rows(
    cli: Callable[..., Result], db_url: str, tmp_path: Path
) -> None:
    cli("template", "--format", "xlsx", "--output", "blank.xlsx", "--database", db_url)
    result = cli("load", "blank.xlsx", "--dry-run", "--database", db_url)
    assert result.returncode == 1
    assert result.stdout.splitlines()[1] == (
        "blank.xlsx:-:-: The file has a header but no rows of figures. Add one row per country and year."
    )


def test_every_command_and_option_is_documented() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    file_format = (PROJECT_ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    parser = build_parser()
    [commands] = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    undocumented = []
    for name, command in commands.choices.items():
        if f"python -m data_ingest {name}" not in readme:
            undocumented.append(name)
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help" and option not in readme + file_format:
                    undocumented.append(f"{name} {option}")
    assert undocumented == []


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(
    cli: Callable[..., Result], db_url: str, tmp_path: Path
) -> None:
    first = _write(tmp_path, "first.csv", HEADER + "DEU,2014,100,1000\n")
    fixed = _write(tmp_path, "fixed.csv", HEADER + "DEU,2014,120,1000\nDEU,2015,130,\n")
    assert cli("load", first, "--database", db_url).returncode == 0
    refused = cli("load", fixed, "--database", db_url)
    assert refused.returncode == 1
    assert "fixed.csv: rejected, 1 error; nothing was changed" in refused.stdout
    assert "changes 1 value already recorded: a correction needs a reason" in refused.stdout
    history = cli("history", "--participant", "DEU", "--year", "2015", "--json", "--database", db_url)
    assert json.loads(history.stdout) == []  # not even the new 2015 value: the file is all or nothing
    loaded = cli("load", fixed, "--reason", "2014 corrected after de-duplication", "--database", db_url)
    assert loaded.returncode == 0, loaded.stdout
    assert "fixed.csv: loaded" in loaded.stdout


def test_a_received_on_date_before_the_years_in_the_file_is_refused_naming_the_row(
    cli: Callable[..., Result], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    name = _write(tmp_path, "ita.csv", HEADER + "ITA,2015,5,\nITA,2024,7,\n")
    result = cli("load", name, "--received-on", "2016-06-20", "--reason", "backfill", "--database", db_url)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "ita.csv: rejected, 1 error; nothing was changed",
        "ita.csv:3:year: Row 3 gives figures for 2024, which had not ended on 2016-06-20, the date given "
        "as received on: a report cannot have been received before the end of the years it covers. Give the "
        "date the report was actually received.",
    ]
    assert _counts(engine) == (0, 1)  # the attempt is recorded


@pytest.mark.parametrize(
    ("received_on", "arrival", "on_time", "days_late"),
    [("2016-06-30", "on time", True, 0), ("2016-07-04", "3 days late", False, 3)],
)
def test_the_receipt_says_which_cycle_the_file_counts_for_and_whether_it_was_on_time(
    cli: Callable[..., Result],
    db_url: str,
    tmp_path: Path,
    received_on: str,
    arrival: str,
    on_time: bool,
    days_late: int,
) -> None:
    name = _write(tmp_path, "ita.csv", HEADER + "ITA,2014,5,\nITA,2015,7,\n")
    human = cli("load", name, "--received-on", received_on, "--dry-run", "--database", db_url)
    assert human.stdout.splitlines()[1] == (
        "ita.csv: counts for Report 2016 (covers 2014–2015, due 2016-07-01): "
        f"received {received_on}, {arrival}"
    )
    machine = cli("load", name, "--received-on", received_on, "--json", "--database", db_url)
    assert json.loads(machine.stdout)[0]["cycle"] == {
        "cycle": "Report 2016", "deadline": "2016-07-01", "first_year": 2014, "last_year": 2015,
        "received_on": received_on, "on_time": on_time, "days_late": days_late,
    }  # fmt: skip


def test_a_file_with_a_lone_surrogate_is_refused_clearly_and_recorded(
    cli: Callable[..., Result], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "s.json").write_bytes(
        b'[{"country":"DEU\\ud800x","year":2011,"identified_victims":"1\\ud800"}]'
    )
    result = cli("load", "s.json", "--database", db_url)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "s.json: rejected, 2 errors; nothing was changed"
    assert "s.json:1:country: This cell holds a broken character" in result.stdout
    assert "'DEU\ufffdx'" not in result.stdout  # nor any raw character that cannot be printed
    assert "codec" not in result.stdout + result.stderr
    assert _counts(engine) == (0, 1)


def test_a_file_whose_name_cannot_be_stored_is_refused_and_recorded(
    cli: Callable[..., Result], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    name = "deu-\udcff.csv"  # the name's bytes are not UTF-8: Python hands them on as a lone surrogate
    (tmp_path / name).write_text(HEADER + "DEU,2014,100,1000\n", encoding="utf-8")
    result = cli("load", name, "--database", db_url)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "deu-\ufffd.csv: rejected, 1 error; nothing was changed",
        "deu-\ufffd.csv:-:-: The file name holds a broken character (half of a surrogate pair), which cannot "
        "be stored. Rename the file and send it again.",
    ]
    with read_session(engine) as session:
        assert session.scalars(select(Upload.original_name)).all() == ["deu-\ufffd.csv"]
    assert _counts(engine)[0] == 0


def test_a_reason_or_user_that_cannot_be_stored_is_a_usage_error(
    cli: Callable[..., Result], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    name = _write(tmp_path, "deu.csv", HEADER + "DEU,2014,100,1000\n")
    for option in (["--reason", "bad \udcff"], ["--user", "me\udcff"], ["--reason", "x" * 2001]):
        result = cli("load", name, *option, "--database", db_url)
        assert result.returncode == 2, option
        assert result.stderr.startswith("error: The "), result.stderr
    assert _counts(engine) == (0, 0)
