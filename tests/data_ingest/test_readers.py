"""Reading files into text cells: formats by content, encodings, delimiters, row numbers, refusals."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from data_ingest.readers import RawRow, UnreadableFile, detect_delimiter, read_table

LONG = "country,year,identified_victims\nTürkiye,2014,1 234\n"


def _xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (LONG.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + LONG.encode("utf-8"), "utf-8-sig"),
        (LONG.replace(",", "\t").encode("utf-16"), "utf-16"),  # Excel's "Unicode text"
        (LONG.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
        (LONG.encode("cp1252"), "cp1252"),
    ],
)
def test_text_encodings_are_read_to_the_same_cells(content: bytes, encoding: str) -> None:
    table = read_table(content, "figures.csv")
    assert table.encoding == encoding
    assert table.header == ("country", "year", "identified_victims")
    assert table.rows == (RawRow(2, ("Türkiye", "2014", "1 234")),)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("country,year,identified_victims", ","),
        ("country;year;identified_victims", ";"),
        ("country\tyear\tidentified_victims", "\t"),
        ('"country, name";year;total', ";"),
        ("country", ","),
    ],
)
def test_delimiter_is_the_one_separating_the_headings(line: str, expected: str) -> None:
    assert detect_delimiter(line) == expected


def test_semicolon_file_keeps_decimal_commas_inside_cells() -> None:
    table = read_table(b"country;year;identified_victims\nDEU;2014;1,234\n", "x.csv")
    assert table.delimiter == "semicolon"
    assert table.rows == (RawRow(2, ("DEU", "2014", "1,234")),)


def test_row_numbers_are_the_spreadsheet_rows_across_blank_lines_and_quoted_line_breaks() -> None:
    content = b'\ncountry,year,notes\nDEU,2014,"two\nlines"\n\nFRA,2015,\n,,\n'
    table = read_table(content, "x.csv")
    assert table.header_row == 2
    assert table.rows == (RawRow(3, ("DEU", "2014", "two\nlines")), RawRow(5, ("FRA", "2015")))


def test_xlsx_cells_keep_their_sheet_rows_and_exact_numbers() -> None:
    content = _xlsx(
        (
            "Figures",
            [
                [],
                ["country", "year", "identified_victims", "cumulative_total"],
                ["DEU", 2014.0, 1234, "1,234"],
                [],
                ["FRA", 2015, 12.5, None],
                [None, None, None, None],
            ],
        ),
        ("Other", [["x"]]),
    )
    table = read_table(content, "figures.xlsx")
    assert (table.file_format, table.sheet, table.header_row) == ("xlsx", "Figures", 2)
    assert table.rows == (RawRow(3, ("DEU", "2014", "1234", "1,234")), RawRow(5, ("FRA", "2015", "12.5")))


def test_xlsx_number_cells_too_large_to_be_exact_are_handed_on_in_scientific_notation() -> None:
    content = _xlsx(
        ("Data", [["country", "year", "identified_victims"], ["DEU", 2014, 2**53 - 1], ["FRA", 2014, 2**53]])
    )
    assert read_table(content, "x.xlsx").rows == (
        RawRow(2, ("DEU", "2014", "9007199254740991")),
        RawRow(3, ("FRA", "2014", "9.0071992547409920e+15")),
    )


def test_xlsx_sheet_is_chosen_by_name_without_regard_to_case() -> None:
    content = _xlsx(("Notes", [["anything"]]), ("Data", [["country", "year"], ["DEU", 2014]]))
    assert read_table(content, "x.xlsx", sheet="data").rows == (RawRow(2, ("DEU", "2014")),)


def test_xlsx_sheet_that_does_not_exist_names_the_sheets_there_are() -> None:
    content = _xlsx(("Notes", [["a"]]), ("Data", [["b"]]))
    with pytest.raises(UnreadableFile, match=r"no sheet named 'Figures'\. Its sheets are: 'Notes', 'Data'\."):
        read_table(content, "x.xlsx", sheet="Figures")


def test_an_xlsx_renamed_csv_is_read_as_xlsx() -> None:
    content = _xlsx(("Data", [["country", "year"], ["DEU", 2014]]))
    assert read_table(content, "figures.csv").file_format == "xlsx"


def test_json_numbers_stay_exact_and_nulls_are_empty() -> None:
    content = b'[{"country": "DEU", "year": 2014.0, "identified_victims": 12345678901234567, "notes": null}]'
    table = read_table(content, "x.txt")
    assert table.header_row is None
    assert table.rows == (RawRow(1, ("DEU", "2014.0", "12345678901234567")),)


_CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
)


@pytest.mark.parametrize(
    ("content", "file_format", "message"),
    [
        (b"", "empty", "The file is empty."),
        (b"  \r\n\t\n", "empty", "The file is empty."),
        (b"\xef\xbb\xbf\n\n", "empty", "The file is empty."),
        (b"%PDF-1.7\n...", "pdf", "This is a PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "xls", "old-style Excel file (.xls)"),
        (b"PK\x03\x04garbage", "zip", "damaged ZIP archive"),
        (_zip({"[Content_Types].xml": _CONTENT_TYPES, "xl/workbook.xml": b""}), "xlsm", "contains macros"),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "xl/vbaProject.bin": b"", "xl/workbook.xml": b""}),
            "xlsm",
            "macros",
        ),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b""}),
            "zip",
            "not an Excel workbook",
        ),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "ods", "OpenDocument"),
        (
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<nonsense"}),
            "xlsx",
            "may be damaged",
        ),
        (b"country,year\x00\x01\x02", "binary", "binary data"),
        (b"\x81\x8d\x8f\x90\x9d", "binary", "characters in this file cannot be read"),
        (b"country,year,identified_victims\n", "csv", "header but no rows"),
        (b'{"country": "DEU"}', "json", "must be an array of row objects"),
        (b"[]", "json", "The JSON array is empty"),
        (b"[{]", "json", "not valid JSON: Expecting property name"),
        (b"[" * 100_000, "json", "not valid JSON"),
        (b"[{}, {}]", "json", "no rows of figures"),
        (b'country,year\n"DEU,2014\n', "csv", 'Row 2 cannot be read: a quotation mark (") is not closed'),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_reason(content: bytes, file_format: str, message: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_table(content, "upload.csv")
    assert caught.value.file_format == file_format
    assert message in caught.value.message


def test_a_csv_named_json_is_refused_as_json() -> None:
    with pytest.raises(UnreadableFile, match="not valid JSON"):
        read_table(b"country,year\nDEU,2014\n", "figures.json")


def test_the_template_sheet_order_makes_the_figures_sheet_the_one_read() -> None:
    content = _xlsx(("Figures", [["country"], ["DEU"]]), ("Instructions", [["Read me"], ["more"]]))
    assert read_table(content, "t.xlsx").header == ("country",)
