"""The reporting page's query (?cycle=NAME&submitted=yes) and view: every cycle, one cycle by participant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Annotated

import pandas as pd
from pydantic import BeforeValidator, Field, ValidationInfo

from models.counting import ACCEPTED_ONLY, Counting, counting_for
from models.metrics.series import cycle_names, cycle_table
from models.reports.counting import including_submitted_text
from models.reports.sheets import REPORTING_CODES, reporting_cycles_sheet, reporting_participants_sheet
from models.reports.summaries.charts import chart_subtitle
from models.reports.summaries.cycles import (
    cycle_option_due_text,
    cycle_sentence,
    reporting_cycle_title,
    reporting_cycles_chart_title,
    reporting_cycles_title,
    reporting_trend_summary,
)
from models.reports.summaries.words import years_text
from models.views.common import Chart, Export, Exports, PageData, chart, counted_later
from models.views.query import PageQuery, Submitted, context_list, parse_choice

#: What the cycles chart draws: per cycle, the expected participants split by reporting status.
CHART_COLUMNS = ["cycle", "expected", "on_time", "late", "incomplete", "missing"]


def _cycle(value: object, info: ValidationInfo) -> str:
    """A known cycle name, else the current cycle (or the latest; "" when there is none)."""
    names = [str(name) for name in context_list(info, "cycles")]
    default = next(iter(context_list(info, "current")), None) or (names[-1] if names else "")
    return parse_choice(value, names, str(default))


class ReportingQuery(PageQuery):
    """?cycle=NAME (default: the current cycle, the latest whose covered years have all ended) and
    which figures count (`counting`: accepted only, unless the account may and asks for more)."""

    cycle: Annotated[str, BeforeValidator(_cycle)] = ""
    counting: Submitted = Field(ACCEPTED_ONLY, alias="submitted")


@dataclass(frozen=True)
class ReportingView:
    """Everything the reporting page shows: the cycles (chart and table), the chosen cycle, the files."""

    query: ReportingQuery
    summary: pd.DataFrame
    cycle_options: list[tuple[str, str]]
    trend_summary: str
    cycle_summary: str
    rows: pd.DataFrame
    cycles_chart: Chart
    exports: Mapping[str, Export]
    figures_note: str  # the banner when figures awaiting review count ("" for accepted figures only)


def reporting_query(
    data: PageData, values: dict[str, object], scope: Counting = ACCEPTED_ONLY
) -> ReportingQuery:
    """The checked query for these address keys or control values; `scope`: what the signed-in
    account may count (models.counting.submitted_scope of its record)."""
    reporting = data.reporting(counting_for(values.get("submitted"), scope))
    return ReportingQuery.parse(
        values, cycles=cycle_names(reporting.summary), current=[reporting.current_cycle], scope=[scope]
    )


def reporting_view(data: PageData, query: ReportingQuery) -> ReportingView:
    """The reporting page for a query; `exports` is keyed by download button id. With figures
    awaiting review (a liaison's own, or every participant's for the secretariat), a report counts
    as made when its values were submitted, labelled as such everywhere."""
    counting = query.counting
    reporting = data.reporting(counting)
    cycle, summary = query.cycle, reporting.summary
    # The cycles as plain records (a handful of them): the options and sentences read these.
    columns = list(summary.columns)
    values = [summary[column].tolist() for column in columns]
    cycles = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
    chosen = [record for record in cycles if record["cycle"] == cycle]
    rows = cycle_table(reporting.table, data.participants(), cycle)
    cycles_title = reporting_cycles_title()
    # The XLSX files hold a report sheet (participants or cycles down, readable statuses) before the
    # long Data sheet; their About sheet defines the reporting statuses the `status` column holds.
    one = Export(f"reporting-{cycle}", reporting_cycle_title(cycle), rows, "annual", {"cycle": cycle})
    span = (
        years_text(min(int(r["first_year"]) for r in cycles), max(int(r["last_year"]) for r in cycles))
        if cycles
        else None
    )
    return ReportingView(
        query=query,
        summary=summary,
        cycle_options=[(str(r["cycle"]), cycle_option_due_text(r)) for r in cycles],
        trend_summary=reporting_trend_summary(summary),
        cycle_summary=cycle_sentence(chosen[0]) if chosen else "",
        rows=rows,
        cycles_chart=chart(
            data, reporting_cycles_chart_title(), chart_subtitle("annual", span), "reporting-cycles", counting
        ),
        figures_note=including_submitted_text(counting),
        exports=Exports(
            {
                button: counted_later(build, counting)
                for button, build in {
                    # The chart's CSV holds what the bars draw; the table's, every column of every cycle.
                    "reporting-cycles-csv": lambda: Export(
                        "reporting-cycles-chart", cycles_title, summary[CHART_COLUMNS], "annual"
                    ),
                    "reporting-summary-csv": lambda: Export(
                        "reporting-cycles-table", cycles_title, summary, "annual"
                    ),
                    "reporting-summary-xlsx": lambda: Export(
                        "reporting-cycles-table",
                        cycles_title,
                        summary,
                        "annual",
                        report=(reporting_cycles_sheet(summary),),
                        codes=REPORTING_CODES,
                    ),
                    "reporting-participants-csv": lambda: one,
                    "reporting-participants-xlsx": lambda: replace(
                        one, report=(reporting_participants_sheet(rows, cycle),), codes=REPORTING_CODES
                    ),
                }.items()
            }
        ),
    )
