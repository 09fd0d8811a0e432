"""What pages and downloads say about which figures they count: figures awaiting review, values revised
after close (the wording beside models.reports.summaries)."""

from __future__ import annotations

from collections.abc import Iterable

from models.counting import Counting
from models.cycles.locks import REVISED_AFTER_CLOSE
from models.queries import INCLUDING_SUBMITTED_NOTE

#: The mark of a value changed after its cycle was closed, in grid cells and table cells.
REVISED_MARK = "†"


def submitted_toggle_text(scope: Counting) -> str:
    """The label of the control that adds figures awaiting review, for what the account may count."""
    if scope.participant is not None:
        return f"Include {scope.participant}'s figures awaiting review"
    return "Include figures awaiting review (every participant's submissions)"


def submitted_toggle_help(scope: Counting) -> str:
    """What the control does, under it."""
    whose = (
        f"{scope.participant}'s submitted figures count as if accepted; every other participant's "
        "figures stay as accepted"
        if scope.participant is not None
        else "every participant's submitted figures count as if accepted"
    )
    return f"Only you see this: {whose}. The public pages show the accepted figures only."


def including_submitted_text(counting: Counting) -> str:
    """The banner of a view that counts figures awaiting review ("" for accepted figures only)."""
    if not counting.include_submitted:
        return ""
    label = INCLUDING_SUBMITTED_NOTE[0].upper() + INCLUDING_SUBMITTED_NOTE[1:]
    if counting.participant is not None:
        return (
            f"{label}: {counting.participant}'s submitted figures are counted as if accepted; every other "
            "participant's figures are the accepted ones. Every download from this view says so."
        )
    return (
        f"{label}: every participant's submitted figures are counted as if accepted. "
        "Every download from this view says so."
    )


def including_submitted_selection(counting: Counting) -> dict[str, str]:
    """The line an export's About sheet gives the figures it counts (none for accepted figures only)."""
    if not counting.include_submitted:
        return {}
    whose = (
        f"{counting.participant}'s only; every other participant's accepted"
        if counting.participant is not None
        else "every participant's"
    )
    return {"figures": f"{INCLUDING_SUBMITTED_NOTE}: {whose}"}


def counting_stem(counting: Counting) -> str:
    """What a file name adds for figures awaiting review ("" for accepted figures only)."""
    return "-including-submitted" if counting.include_submitted else ""


def revised_cell_text(cycle: str) -> str:
    """A marked cell's explanation (hover, table): e.g. "† revised after close of Report 2016"."""
    return f"{REVISED_MARK} {REVISED_AFTER_CLOSE} of {cycle}"


#: Where a note sends the reader for the values as they were at the close.
SEE_CLOSE_SECTION = "see “Closed cycles: as at close and now” below"
SEE_COMPLIANCE_PAGE = "the compliance page shows it beside the current value"


def revised_note(cycles: Iterable[str], see: str = SEE_CLOSE_SECTION) -> str:
    """The footnote under a view with marked values, naming their cycles ("" when none is marked)."""
    names = list(dict.fromkeys(str(cycle) for cycle in cycles))
    if not names:
        return ""
    which = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"{REVISED_MARK} {REVISED_AFTER_CLOSE}: the value was changed after its reporting cycle was "
        f"closed ({which}), under a lock exception; the snapshot frozen at the close keeps the value "
        f"as reported ({see})."
    )
