"""Which figures a view counts, and who may count figures awaiting review (docs/security.md).

By default every view counts the accepted figures only: what the public sees. "Including figures
awaiting review" adds the figures of submitted uploads: every participant's for the secretariat (and
an admin), the liaison's own participant's for a liaison (everyone else's stay as accepted); a viewer
never sees them. The rule is decided here from the signed-in account's database record (its role and
participant), never from what a request asks for: a request only says whether it asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.queries import INCLUDING_SUBMITTED_NOTE

#: The column every exported row of a view counting figures awaiting review carries (as the metrics
#: command's CSV and JSON do), holding models.queries.INCLUDING_SUBMITTED_NOTE.
FIGURES_NOTE_COLUMN = "figures_note"

#: The roles that may count every participant's figures awaiting review.
SECRETARIAT_ROLES = frozenset({"secretariat", "admin"})


@dataclass(frozen=True)
class Counting:
    """The figures a view counts: accepted only (`include_submitted` False), or also those awaiting
    review, of every participant (`participant` None) or of one participant only."""

    include_submitted: bool = False
    participant: str | None = None

    def __post_init__(self) -> None:
        if self.participant is not None and not self.include_submitted:
            raise ValueError("a participant's submitted figures are counted only with include_submitted")

    @property
    def note(self) -> str | None:
        """The label every output of this counting carries (None for accepted figures only)."""
        return INCLUDING_SUBMITTED_NOTE if self.include_submitted else None

    def key(self) -> tuple[bool, str | None]:
        """What the cached results of this counting are kept under (with the other arguments)."""
        return self.include_submitted, self.participant

    def covers(self, participant: str) -> bool:
        """Whether `participant`'s figures awaiting review count."""
        return self.include_submitted and self.participant in (None, participant)

    def for_participant(self, participant: str) -> Counting:
        """This counting on one participant's own page: what awaits review of others changes nothing
        there, so it is accepted only unless this counting covers `participant`."""
        return self if self.covers(participant) else ACCEPTED_ONLY


ACCEPTED_ONLY = Counting()
EVERY_SUBMISSION = Counting(include_submitted=True)


def submitted_scope(role: str | None, participant: str | None) -> Counting:
    """The most an account may count, from its database record: the secretariat and an admin every
    participant's figures awaiting review, a liaison its own participant's, anyone else none."""
    if role in SECRETARIAT_ROLES:
        return EVERY_SUBMISSION
    if role == "liaison" and participant:
        return Counting(include_submitted=True, participant=participant)
    return ACCEPTED_ONLY


def asks_for_submitted(value: object) -> bool:
    """Whether a control or address value asks for figures awaiting review: True, "yes", "true",
    "1", "on" (a check box's value list holding one of them too); anything else does not."""
    if isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return any(asks_for_submitted(item) for item in value if not isinstance(item, list | tuple))
    if isinstance(value, str):
        return value.strip().lower() in ("yes", "true", "1", "on", "submitted")
    return False


def counting_for(asked: object, scope: Counting) -> Counting:
    """What a request counts: `scope` (what its account may count) when it asks for figures awaiting
    review, else the accepted figures only."""
    return scope if asks_for_submitted(asked) else ACCEPTED_ONLY
