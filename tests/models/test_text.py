"""The text rules every stored text keeps (the same on every backend), shown text, formulas and file names."""

from __future__ import annotations

import io

import pytest
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine, func, select

from models.accounts.users import UserError, create_user
from models.db import read_session, write_transaction
from models.tables import User
from models.text import (
    DISPLAY_NAME,
    EMAIL,
    FILE_NAME,
    REASON,
    DisplayName,
    Reason,
    TextError,
    abbreviated,
    check_text,
    neutralise,
    safe_file_name,
    shown,
)


@pytest.mark.parametrize(
    ("value", "rule", "message"),
    [
        ("Ana\x00", DISPLAY_NAME, "The display name holds a NUL character, which cannot be stored."),
        ("Ana\ud800", DISPLAY_NAME, "The display name holds a broken character (half of a surrogate pair)"),
        ("Ana\nLopez", DISPLAY_NAME, "The display name holds a line break, which cannot be stored."),
        ("Ana\x07", DISPLAY_NAME, "The display name holds a control character (U+0007)"),
        ("A" * 201, DISPLAY_NAME, "The display name may be at most 200 characters long; this one has 201."),
        ("why\x00", REASON, "The reason holds a NUL character"),
        ("x" * 2001, REASON, "The reason may be at most 2,000 characters long; this one has 2,001."),
        ("   ", EMAIL, "The email address is missing."),
        ("a\x00@example.org", EMAIL, "The email address holds a NUL character"),
        ("figures\x00.csv", FILE_NAME, "The file name holds a NUL character, which cannot be stored. Rename"),
        (12, REASON, "The reason must be text."),
    ],
)
def test_text_breaking_a_rule_is_refused_with_what_is_wrong(
    value: object, rule: object, message: str
) -> None:
    with pytest.raises(TextError) as caught:
        check_text(value, rule)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)


def test_text_keeping_the_rules_comes_back_stripped_and_a_reason_may_have_several_lines() -> None:
    assert check_text("  Ana López  ", DISPLAY_NAME) == "Ana López"
    assert check_text("A" * 200, DISPLAY_NAME) == "A" * 200
    assert (
        check_text("corrected 2024\r\n\tafter de-duplication", REASON)
        == "corrected 2024\r\n\tafter de-duplication"
    )
    assert check_text("😀 emoji are one character, not two", DISPLAY_NAME).startswith("😀")


def test_the_caller_chooses_the_kind_of_error() -> None:
    class UserError(ValueError):
        pass

    with pytest.raises(UserError, match="NUL"):
        check_text("x\x00", DISPLAY_NAME, error=UserError)


def test_the_annotated_types_are_the_same_rules_for_pydantic_models() -> None:
    assert TypeAdapter(Reason).validate_python("  because  ") == "because"
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(DisplayName).validate_python("{x}\x00")
    assert [error["msg"] for error in caught.value.errors()] == [
        "The display name holds a NUL character, which cannot be stored. Type it again without it."
    ]


def test_shown_text_has_no_character_that_cannot_be_shown_or_stored() -> None:
    assert shown("DEU\ud800x\x00y\x07\tz\n") == "DEU\ufffdx\ufffdy\ufffd\tz\n"
    assert shown("Türkiye — ok") == "Türkiye — ok"
    assert abbreviated("9" * 5000) == "9" * 79 + "…"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"), ("+1", "'+1"),
     ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("DEU", "DEU"), (5, 5)],
)  # fmt: skip
def test_spreadsheet_formulas_are_made_inert(value: object, expected: object) -> None:
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    ("parts", "extension", "expected"),
    [
        (("vid-monitor-template", "FRA"), "csv", "vid-monitor-template-FRA.csv"),
        (("vid-monitor-template", "../../etc/passwd"), "csv", "vid-monitor-template-etc-passwd.csv"),
        (("vid-monitor-template", '=HYPERLINK("http://evil.example")'), "xlsx",
         "vid-monitor-template-HYPERLINK-http-evil-example.xlsx"),
        (("vid-monitor-receipt", 10**30), "txt", "vid-monitor-receipt-" + "1" + "0" * 30 + ".txt"),
        (("x\x00y", "C:\\Windows\\system32"), "../csv", "x-y-C-Windows-system32.csv"),
        (("", "..", "/"), "", "download.txt"),
        (("a" * 500,), "csv", "a" * 80 + ".csv"),
    ],
)  # fmt: skip
def test_file_names_keep_letters_and_digits_whatever_they_are_made_from(
    parts: tuple[object, ...], extension: str, expected: str
) -> None:
    assert safe_file_name(*parts, extension=extension) == expected


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("ana@example.org", "A" * 201, "The display name may be at most 200 characters long"),
        ("ana@example.org", "Ana\x00", "The display name holds a NUL character"),
        ("ana@example.org", "Ana\ud800", "The display name holds a broken character"),
        ("ana\x00@example.org", "Ana", "is not an email address"),
        ("ana\ud800@example.org", "Ana", "is not an email address"),
    ],
)
def test_accounts_keep_the_text_rules_on_every_backend_before_the_database_sees_them(
    engine: Engine, email: str, name: str, message: str
) -> None:
    with pytest.raises(UserError, match=message), write_transaction(engine) as session:
        create_user(session, email, name, "liaison", "FRA", "a long enough passphrase", actor="tests")
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


def test_the_accounts_command_line_refuses_a_name_breaking_the_rules_in_one_line(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.users.__main__ import main

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    code = main(["add", "--email", "ana@example.org", "--role", "secretariat", "--name", "A" * 201,
                 "--database", db_url])  # fmt: skip
    assert (code, capsys.readouterr().err) == (
        1,
        "error: The display name may be at most 200 characters long; this one has 201.\n",
    )
