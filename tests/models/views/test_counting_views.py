"""Views counting figures awaiting review, and values revised after close, on both backends.

The page views (models.views) read a real database through models.metrics.service: accepted figures
by default; a liaison's own participant's submitted figures, or every participant's for the
secretariat, only when the query's counting says so; and the marks of values changed after a close.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from cachelib import SimpleCache
from sqlalchemy import Engine

from models.cache import DataCache
from models.counting import (
    ACCEPTED_ONLY,
    EVERY_SUBMISSION,
    FIGURES_NOTE_COLUMN,
    Counting,
    asks_for_submitted,
    submitted_scope,
)
from models.metrics import service
from models.queries import INCLUDING_SUBMITTED_NOTE, DatasetStatus
from models.reports import exports
from models.views.compliance import compliance_query, compliance_view
from models.views.country import country_query, country_view
from tests.models.cycles.conftest import load

FRA_LIAISON = Counting(include_submitted=True, participant="FRA")


def fresh_cache() -> DataCache:
    """A cache in this process's memory, of this test's own."""
    return DataCache(SimpleCache(), "vid-test:")


class EngineData:
    """The reads a page view makes (models.views.common.PageData), from a database through the service,
    with a cache of the test's own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.cache = fresh_cache()

    def compliance(
        self,
        basis: str,
        first_year: int | None = None,
        last_year: int | None = None,
        counting: Counting = ACCEPTED_ONLY,
    ) -> pd.DataFrame:
        return service.compliance(
            self.engine,
            basis,
            first_year,
            last_year,
            counting.include_submitted,
            submitted_participant=counting.participant,
            cache=self.cache,
        )

    def reporting(self, counting: Counting = ACCEPTED_ONLY) -> service.Reporting:
        return service.reporting(
            self.engine,
            include_submitted=counting.include_submitted,
            submitted_participant=counting.participant,
            cache=self.cache,
        )

    def revised_after_close(self, participant: str | None = None) -> pd.DataFrame:
        return service.revised_after_close(self.engine, participant, cache=self.cache)

    def participants(self) -> pd.DataFrame:
        return service.participants(self.engine, cache=self.cache)

    def target_growth(self, basis: str) -> Decimal:
        return service.target_growth(self.engine, basis, cache=self.cache)

    def revisions(self, code: str) -> pd.DataFrame:
        return service.revisions(self.engine, code, cache=self.cache)

    def published_totals(self) -> pd.DataFrame:
        return pd.DataFrame()

    def status(self) -> DatasetStatus:
        return service.status(self.engine, cache=self.cache)


def reported_and_submitted(db_url: str, folder: Path) -> None:
    """Accepted: FRA and DEU 2014-2015. Awaiting review: FRA's 2015 raised to 120, DEU's lowered to 90,
    and both their 2012 (the stock-taking's year, which nobody reported before)."""
    rows = "FRA,2014,100,1000\nFRA,2015,105,1050\nDEU,2014,100,1000\nDEU,2015,111,1111\n"
    assert load(db_url, folder, rows).returncode == 0
    for code, row in (
        ("fra", "FRA,2012,80,800\nFRA,2015,120,1120\n"),
        ("deu", "DEU,2012,70,700\nDEU,2015,90,1090\n"),
    ):
        user = f"liaison.{code}@example.org"
        sent = load(
            db_url, folder, row, "--submitted", "--user", user, "--reason", "recounted", name=f"{code}.csv"
        )
        assert sent.returncode == 0, sent.stdout + sent.stderr


def annual_2015(view_grid: pd.DataFrame) -> dict[str, int]:
    rows = view_grid[(view_grid["year"] == 2015) & (view_grid["participant"].isin(["FRA", "DEU"]))]
    return {str(p): int(v) for p, v in zip(rows["participant"], rows["value"], strict=True)}


QUERY: dict[str, object] = {"basis": "annual", "from": "2014", "to": "2015", "submitted": "yes"}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (ACCEPTED_ONLY, {"FRA": 105, "DEU": 111}),  # a viewer: asking changes nothing
        (FRA_LIAISON, {"FRA": 120, "DEU": 111}),  # FRA's liaison: its own submitted figure only
        (EVERY_SUBMISSION, {"FRA": 120, "DEU": 90}),  # the secretariat: everyone's
    ],
    ids=["viewer", "liaison", "secretariat"],
)
def test_the_compliance_view_counts_what_the_scope_allows_when_asked(
    engine: Engine,
    db_url: str,
    accounts: dict[str, str],
    tmp_path: Path,
    scope: Counting,
    expected: dict[str, int],
) -> None:
    reported_and_submitted(db_url, tmp_path)
    data = EngineData(engine)
    view = compliance_view(data, compliance_query(data, QUERY, scope))
    assert view.query.counting == scope
    assert annual_2015(view.grid) == expected
    unasked = compliance_view(data, compliance_query(data, {**QUERY, "submitted": None}, scope))
    assert annual_2015(unasked.grid) == {"FRA": 105, "DEU": 111}  # not asked: accepted, whoever asks
    assert unasked.figures_note == ""
    table = exports.csv_bytes(view.exports["compliance-table-csv"].frame, info(data)).decode("utf-8-sig")
    header = table.splitlines()[0].split(",")
    if scope.include_submitted:
        assert view.figures_note.startswith("Including figures awaiting review (not yet accepted")
        assert (scope.participant or "every participant") in view.figures_note
        assert FIGURES_NOTE_COLUMN in header
        frame = view.exports["compliance-table-csv"].frame
        assert set(frame[FIGURES_NOTE_COLUMN]) == {INCLUDING_SUBMITTED_NOTE}  # on every row
        assert view.grid_chart.note == INCLUDING_SUBMITTED_NOTE
        assert view.grid_chart.stem.endswith("-including-submitted")
        assert all(e.stem.endswith("-including-submitted") for e in view.exports.values())
        assert "submitted=yes" in view.query.query()
    else:
        assert view.figures_note == ""
        assert FIGURES_NOTE_COLUMN not in header
        assert view.grid_chart.note is None
        assert "submitted" not in view.query.query()


def info(data: EngineData) -> exports.ExportInfo:
    return exports.export_info(data.status(), "test")


def test_the_xlsx_about_sheet_says_whose_figures_await_review(
    engine: Engine, db_url: str, accounts: dict[str, str], tmp_path: Path
) -> None:
    reported_and_submitted(db_url, tmp_path)
    data = EngineData(engine)
    export = compliance_view(data, compliance_query(data, QUERY, FRA_LIAISON)).exports[
        "compliance-table-xlsx"
    ]
    book = openpyxl.load_workbook(
        io.BytesIO(
            exports.xlsx_bytes(
                export.frame, exports.export_info(data.status(), "t", "annual", export.selection)
            )
        )
    )
    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert about["figures"] == f"{INCLUDING_SUBMITTED_NOTE}: FRA's only; every other participant's accepted"
    assert about[FIGURES_NOTE_COLUMN].startswith("Present only in exports that count figures awaiting review")


def test_a_country_page_counts_submitted_figures_only_for_a_participant_its_counting_covers(
    engine: Engine, db_url: str, accounts: dict[str, str], tmp_path: Path
) -> None:
    reported_and_submitted(db_url, tmp_path)
    data = EngineData(engine)
    asked = {"basis": "annual", "submitted": "yes"}
    own = country_view(data, "FRA", country_query(asked, FRA_LIAISON))
    assert own.query.counting == FRA_LIAISON
    assert dict(zip(own.history["year"], own.history["value"], strict=True))[2015] == 120
    assert "FRA's submitted figures" in own.figures_note
    assert set(own.exports["country-table-csv"].frame[FIGURES_NOTE_COLUMN]) == {INCLUDING_SUBMITTED_NOTE}
    assert FIGURES_NOTE_COLUMN not in own.exports["country-revisions-csv"].frame  # accepted history only
    other = country_view(data, "DEU", country_query(asked, FRA_LIAISON))
    assert other.query.counting == ACCEPTED_ONLY  # FRA's liaison on DEU's page: nothing of DEU's
    assert dict(zip(other.history["year"], other.history["value"], strict=True))[2015] == 111
    assert other.figures_note == ""
    assert other.series_chart.note is None
    secretariat = country_view(data, "DEU", country_query(asked, EVERY_SUBMISSION))
    assert dict(zip(secretariat.history["year"], secretariat.history["value"], strict=True))[2015] == 90
    viewer = country_view(data, "FRA", country_query(asked))  # no scope: a viewer
    assert dict(zip(viewer.history["year"], viewer.history["value"], strict=True))[2015] == 105


@pytest.mark.parametrize(
    "forged",
    [
        {"include_submitted": True, "participant": "DEU"},
        ["DEU"],
        "DEU",
        {"include_submitted": True},
        7,
        None,
        [["yes"]],
    ],
)
def test_no_value_a_request_sends_widens_what_it_counts(forged: object) -> None:
    years = {
        "years": [2014, 2015],
        "year_choices": [2014, 2015],
        "cycles": [],
        "participants": ["FRA", "DEU"],
    }
    from models.views.compliance import ComplianceQuery
    from models.views.country import CountryQuery

    for scope in (ACCEPTED_ONLY, FRA_LIAISON):
        counting = ComplianceQuery.parse({"submitted": forged}, **years, scope=[scope]).counting
        assert counting in (ACCEPTED_ONLY, scope)
        assert counting.participant in (None, scope.participant)
        assert CountryQuery.parse({"submitted": forged}, scope=[scope]).counting in (ACCEPTED_ONLY, scope)
    assert ComplianceQuery.parse({"submitted": forged}, **years).counting == ACCEPTED_ONLY  # no scope given


def test_who_may_count_what_comes_from_the_account_record() -> None:
    assert submitted_scope("secretariat", None) == EVERY_SUBMISSION
    assert submitted_scope("admin", None) == EVERY_SUBMISSION
    assert submitted_scope("liaison", "FRA") == FRA_LIAISON
    assert submitted_scope("liaison", None) == ACCEPTED_ONLY  # a liaison bound to no participant
    assert submitted_scope("viewer", "FRA") == ACCEPTED_ONLY
    assert submitted_scope(None, None) == ACCEPTED_ONLY
    assert [asks_for_submitted(v) for v in (True, "yes", ["on"], False, "no", {}, 1, None)] == [
        True, True, True, False, False, False, False, False,
    ]  # fmt: skip
    with pytest.raises(ValueError, match="only with include_submitted"):
        Counting(include_submitted=False, participant="FRA")


def test_the_cache_keeps_each_counting_apart(
    engine: Engine, db_url: str, accounts: dict[str, str], tmp_path: Path
) -> None:
    reported_and_submitted(db_url, tmp_path)
    cache = fresh_cache()
    every = service.compliance(engine, "annual", include_submitted=True, cache=cache)
    fra = service.compliance(
        engine, "annual", include_submitted=True, submitted_participant="FRA", cache=cache
    )
    accepted = service.compliance(engine, "annual", cache=cache)
    ignored = service.compliance(engine, "annual", submitted_participant="FRA", cache=cache)  # not included
    assert [annual_2015(t) for t in (every, fra, accepted, ignored)] == [
        {"FRA": 120, "DEU": 90}, {"FRA": 120, "DEU": 111}, {"FRA": 105, "DEU": 111}, {"FRA": 105, "DEU": 111},
    ]  # fmt: skip
    # The Alliance row is a liaison's own too: FRA's 120 beside DEU's accepted 111.
    alliance = fra[(fra["participant"] == "ALL") & (fra["year"] == 2015)].iloc[0]
    assert int(alliance["value"]) == 120 + 111
    reporting = service.reporting(engine, include_submitted=True, submitted_participant="DEU", cache=cache)
    assert set(reporting.table["participant"]) >= {"FRA", "DEU"}


def closed_then_revised(db_url: str, folder: Path) -> None:
    """DEU's 2014-2015 reported, Report 2016 closed, then 2015 corrected under a lock exception."""
    from tests.dashboard.test_cycle_close import closed_then_revised as revise

    revise(db_url, folder)


def test_values_revised_after_close_are_marked_in_the_grid_the_table_and_the_history(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    closed_then_revised(db_url, tmp_path)
    data = EngineData(engine)
    view = compliance_view(data, compliance_query(data, {"basis": "annual", "from": "2014", "to": "2015"}))
    marked = view.grid[view.grid["revised_after_close"]]
    assert list(zip(marked["participant"], marked["year"], strict=True)) == [("DEU", 2015)]
    assert view.revised == {("DEU", 2015): "Report 2016"}
    assert view.revised_note.startswith("† revised after close: ")
    assert "(Report 2016)" in view.revised_note
    assert view.revised_note in view.summary
    table = view.exports["compliance-table-csv"].frame
    assert table["revised_after_close"].tolist() == view.grid["revised_after_close"].tolist()
    wide = view.exports["compliance-grid-csv"].frame.set_index("participant")
    assert wide.loc["DEU", "revised_after_close_years"] == "2015"
    assert wide.loc["ALL", "revised_after_close_years"] == ""
    cumulative = compliance_view(
        data, compliance_query(data, {"basis": "cumulative", "from": "2014", "to": "2015"})
    )
    assert cumulative.revised == {("DEU", 2015): "Report 2016"}  # the file corrected both bases
    country = country_view(data, "DEU", country_query({"basis": "annual"}))
    assert country.revised == {2015: "Report 2016"}
    assert dict(zip(country.history["year"], country.history["revised_after_close"], strict=True)) == {
        2014: False,
        2015: True,
    }
    assert "(Report 2016)" in country.revised_note
    history = country.exports["country-revisions-csv"].frame
    flagged = history[history["revised_after_close"]]
    assert sorted(zip(flagged["basis"], flagged["new_value"], strict=True)) == [
        ("annual", 140),
        ("cumulative", 1140),
    ]
    assert not history[history["new_value"] == 111]["revised_after_close"].any()  # as reported before
    assert "(Report 2016)" in country.revisions_note
    untouched = country_view(data, "FRA", country_query({"basis": "annual"}))
    assert untouched.revised == {}
    assert (untouched.revised_note, untouched.revisions_note) == ("", "")
