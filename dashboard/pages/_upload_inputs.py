"""What the upload page's requests may hold: controls checked, malformed requests refused, files read once.

- A bad value in a control (a date that is not one, a participant not in the list, a reason that
  breaks the text rules) gets a message beside that control and changes nothing.
- A request no page can send (an upload id that is not a whole number, selected rows of the wrong
  shape) is refused with 400; never a 500.
- A file is read and validated once (`data_ingest.load.prepare_upload`) and kept in this process
  between its preview and Confirm (and the download of its problems), and in the shared cache too
  when VID_CACHE_URL names one (so a preview made on one server is confirmed on another without
  reading the file again), keyed by what the server itself knows: the database, the signed-in
  account's id, the SHA-256 of the bytes received, the file name and the participant it may hold.
  The browser sends the file again at Confirm; a file that differs in any byte is another key.
  Confirm still decides everything that depends on the database inside its write
  (`data_ingest.load.record`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from werkzeug.exceptions import BadRequest

from dashboard import _data
from data_ingest.load import PreparedFile, prepare_upload, registered_participants
from models.accounts.users import Identity
from models.cache import argument_hash
from models.settings import get_settings
from models.text import REASON, TextError, check_text

ANY_PARTICIPANT = "any"
# Upload ids are the database's 32-bit integers: anything else cannot name an upload.
_LARGEST_ID = 2**31 - 1
NOT_A_DATE = "Give the date as the date picker writes it (YYYY-MM-DD)."
IN_THE_FUTURE = "The date a report was received cannot be in the future."
NOT_LISTED = "Choose a participant from the list."
FILE_UNREADABLE = "The file could not be read. Choose it again."
TOO_LARGE = "The file is larger than the upload limit."
MALFORMED = "Malformed request: {what}."


@dataclass(frozen=True)
class Controls:
    """The page's controls as the server reads them; `messages` holds, per control id, what is wrong."""

    restriction: str | None = None
    received_on: dt.date | None = None
    reason: str | None = None
    messages: Mapping[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.messages


def read_controls(
    who: Identity,
    participants: Mapping[str, str],
    on_behalf: Any,
    received_on: Any,
    reason: Any = None,
    today: dt.date | None = None,
) -> Controls:
    """The one participant the file may hold, the received-on date and the reason, or what is wrong.

    A liaison's file may only hold their own participant, and a liaison gives no received-on date:
    whatever the browser sends for those controls (a liaison's page does not show them) is ignored.
    """
    messages: dict[str, str] = {}
    restriction: str | None = who.participant_code
    date: dt.date | None = None
    if not who.participant_code:
        if on_behalf not in (None, "", ANY_PARTICIPANT):
            if isinstance(on_behalf, str) and on_behalf in participants:
                restriction = on_behalf
            else:
                messages["upload-on-behalf"] = NOT_LISTED
        if received_on not in (None, ""):
            try:
                date = dt.date.fromisoformat(received_on) if isinstance(received_on, str) else None
            except ValueError:
                date = None
            if date is None:
                messages["upload-received-on"] = NOT_A_DATE
            elif date > (today or dt.datetime.now(dt.UTC).date()):
                messages["upload-received-on"] = IN_THE_FUTURE
                date = None
    text: str | None = None
    if reason not in (None, ""):
        try:
            text = check_text(reason, REASON) or None
        except TextError as exc:
            messages["upload-reason"] = str(exc)
    return Controls(restriction, date, text, messages)


def decode_file(contents: Any) -> bytes:
    """The bytes of a data URL as dcc.Upload sends it; ValueError (with a message for people) otherwise."""
    if not isinstance(contents, str) or "," not in contents:
        raise ValueError(FILE_UNREADABLE)
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(FILE_UNREADABLE) from exc


def upload_id(value: Any) -> int:
    """An upload id from a request: a whole number from 1 to 2**31 - 1 (or its digits), else 400.

    Whether that upload exists, or may be seen, is for `visible_upload` (404 alike for both)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _LARGEST_ID:
        raise BadRequest(MALFORMED.format(what="an upload id is a whole number from 1 to 2147483647"))
    return value


def selected_upload_id(selected: Any) -> int | None:
    """The upload id of the row selected in the list of uploads; None when none is; 400 for other shapes."""
    if selected is None or selected == []:
        return None
    if not isinstance(selected, list) or not isinstance(selected[0], dict) or "upload_id" not in selected[0]:
        raise BadRequest(MALFORMED.format(what="selected rows are a list of rows with an upload_id"))
    return upload_id(selected[0]["upload_id"])


def chosen_file(chosen: Any) -> tuple[str | None, str | None]:
    """The chosen file's data URL and name, as the browser's size check passed them on."""
    if not isinstance(chosen, dict):
        return None, None
    contents, filename = chosen.get("contents"), chosen.get("filename")
    return (contents if isinstance(contents, str) else None), (
        filename if isinstance(filename, str) else None
    )


class PreparedUploads:
    """Prepared files kept in this process for a while: a thread-safe, bounded, expiring map.

    Bounded by the number of files and by their weight (their bytes and the values and problems
    kept): a large file pushes older ones out, and they are prepared again if asked for.
    """

    def __init__(self, max_entries: int = 16, max_weight: int = 128 * 2**20, seconds: float = 1800) -> None:
        self._entries: OrderedDict[Hashable, tuple[float, int, PreparedFile]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._max_weight = max_weight
        self._seconds = seconds
        self._weight = 0
        self.prepared = 0  # files read and validated (a measure of the work done, for tests)

    @staticmethod
    def weight(prepared: PreparedFile) -> int:
        validated = prepared.validated
        return len(prepared.content) + 256 * len(validated.cells) + 512 * len(validated.errors)

    def get(self, key: Hashable) -> PreparedFile | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[2]

    def put(self, key: Hashable, prepared: PreparedFile) -> None:
        weight = self.weight(prepared)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + self._seconds, weight, prepared)
            self._weight += weight
            while len(self._entries) > 1 and (
                len(self._entries) > self._max_entries or self._weight > self._max_weight
            ):
                self._drop(next(iter(self._entries)))

    def _drop(self, key: Hashable) -> None:
        _expires, weight, _prepared = self._entries.pop(key)
        self._weight -= weight

    def prepared_for(
        self, engine: Engine, who: Identity, content: bytes, filename: str, restriction: str | None
    ) -> PreparedFile:
        """The file read and validated for this account, from this process's memory or prepared now."""
        today = dt.datetime.now(dt.UTC).date()
        digest = hashlib.sha256(content).hexdigest()
        key = (str(engine.url), who.id, digest, filename, restriction, today)
        found = self.get(key)
        if found is not None and found.content == content:
            return found
        shared = _data.cache()
        shared_key = shared.plain_key("prepared", argument_hash([*key[:-1], today.isoformat()]))
        if shared.shared:  # another server may have prepared it (the key is bound to the account)
            kept = shared.get(shared_key)
            if isinstance(kept, PreparedFile) and kept.content == content:
                self.put(key, kept)
                return kept
        prepared = prepare_upload(engine, content, filename, allowed_participant=restriction, today=today)
        with self._lock:
            self.prepared += 1
        self.put(key, prepared)
        if shared.shared and self.weight(prepared) <= self._max_weight // 4:
            shared.set(shared_key, prepared, timeout=int(self._seconds))
        return prepared

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weight = 0


prepared_uploads = PreparedUploads()


def participants() -> dict[str, str]:
    """The participant register of the served database: code -> name."""
    with _data.reading() as session:
        return registered_participants(session)


def controls_of(who: Identity, on_behalf: Any, received_on: Any, reason: Any = None) -> Controls:
    """The page's controls as this request sends them, read against the served register."""
    return read_controls(who, participants(), on_behalf, received_on, reason)


def messages_of(controls: Controls, *ids: str) -> list[str | None]:
    """The message for each control (None: nothing wrong), in the order of `ids`."""
    return [controls.messages.get(control) for control in ids]


def chosen_prepared(who: Identity, chosen: Any, controls: Controls) -> PreparedFile:
    """The chosen file, read and validated once for this account (ValueError: a message for people)."""
    contents, filename = chosen_file(chosen)
    content = decode_file(contents)
    if len(content) > get_settings().max_upload_bytes:
        raise ValueError(TOO_LARGE)
    return prepared_uploads.prepared_for(
        _data.engine(), who, content, filename or "upload", controls.restriction
    )
