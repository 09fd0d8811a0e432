"""Reading files into text cells: formats by content, encodings, delimiters, row numbers, refusals."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from data_ingest.raw_tables import MAX_COLUMNS, RawRow, UnreadableFile
from data_ingest.readers import detect_delimiter, read_table

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


# --- Hostile files: refused early, or read in work proportional to what they hold ----------------


def json_own_keys(objects: int) -> bytes:
    return json.dumps([{f"k{i}": 1} for i in range(objects)]).encode()


@pytest.mark.parametrize("objects", [8_000, 16_000])
def test_json_objects_each_with_a_key_of_their_own_are_refused_at_the_column_limit(objects: int) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_table(json_own_keys(objects), "x.json")
    # Refused at the object that brings the 101st name, however long the file: the work is bounded.
    assert caught.value.row == MAX_COLUMNS + 1
    assert (
        f"Item {MAX_COLUMNS + 1} brings the number of different column names to 101" in caught.value.message
    )


def test_json_is_read_one_object_at_a_time_and_never_past_the_refusal() -> None:
    # Broken JSON after the refusal point: a reader that parsed the whole document first would say so.
    content = json_own_keys(200)[:-1] + b', {"never read": ]'
    with pytest.raises(UnreadableFile, match="column names"):
        read_table(content, "x.json")


def test_json_items_that_are_not_objects_are_counted_beyond_the_kept_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("data_ingest.report.ERRORS_KEPT", 10)
    table = read_table(b"[" + b",".join([b"1"] * 5000) + b', {"country": "DEU"}]', "x.json")
    assert (len(table.problems.kept), table.problems.total) == (10, 5000)
    assert table.problems.counts == ((None, 5000),)
    assert table.examined == 5001


def xlsx_far_right(rows: int, column: int = 18278) -> bytes:
    """A header, then one cell in the given column (1-based; 18,278 = ZZZ) on each of `rows` rows."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column)
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>country</t></is></c></row>'
    body = "".join(f'<row r="{n}"><c r="{letter}{n}"><v>1</v></c></row>' for n in range(2, rows + 2))
    return _with_sheet(_SHEET + f"<sheetData>{header}{body}</sheetData></worksheet>".encode())


@pytest.mark.parametrize("rows", [4_000, 8_000])
def test_an_xlsx_cell_far_to_the_right_refuses_the_file_at_its_first_row(rows: int) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_table(xlsx_far_right(rows), "x.xlsx")
    assert caught.value.row == 2
    assert caught.value.message.startswith(
        "Row 2 reaches column ZZZ (18,278 columns): a table of figures has"
    )


def test_an_xlsx_row_far_below_is_one_row_not_a_million() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["country", "year", "identified_victims"])
    sheet["A1000000"], sheet["B1000000"], sheet["C1000000"] = "DEU", 2014, 5
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "x.xlsx")
    assert table.rows == (RawRow(1_000_000, ("DEU", "2014", "5")),)
    assert table.examined == 2  # the rows the sheet holds, not the rows in between


def test_an_xlsx_keeps_at_most_the_column_limit_of_cells_a_row() -> None:
    widest = read_table(xlsx_far_right(3, column=MAX_COLUMNS), "x.xlsx")
    assert widest.width == MAX_COLUMNS
    assert all(len(row.cells) == MAX_COLUMNS for row in widest.rows)
    with pytest.raises(UnreadableFile, match=r"reaches column CW \(101 columns\)"):
        read_table(xlsx_far_right(3, column=MAX_COLUMNS + 1), "x.xlsx")


@pytest.mark.parametrize("count", [8_000, 16_000])
def test_thousands_of_empty_headings_refuse_a_csv_at_its_header(count: int) -> None:
    rows = "".join(f"DEU,{2000 + i % 25},{i}\n" for i in range(count))
    with pytest.raises(UnreadableFile) as caught:
        read_table(("," * count + "notes\n" + rows).encode(), "x.csv")
    assert caught.value.row == 1
    assert f"({count + 1:,} columns)" in caught.value.message


def test_trailing_empty_cells_do_not_count_towards_the_column_limit() -> None:
    padding = "," * 10_000  # as some spreadsheet programs write every formatted column
    table = read_table(f"country,year,identified_victims{padding}\nDEU,2014,5{padding}\n".encode(), "x.csv")
    assert (table.width, table.rows) == (3, (RawRow(2, ("DEU", "2014", "5")),))


def test_the_first_line_of_a_csv_is_found_in_one_pass_however_long_its_blank_lines() -> None:
    table = read_table(b" " * 100_000 + b"\ncountry;year\nDEU;2014\n", "x.csv")
    assert (table.delimiter, table.header_row) == ("semicolon", 2)


# --- The defences that were already there stay --------------------------------------------------


def _with_sheet(xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx(("Figures", [["country"], ["DEU"]]))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            archive.writestr(item.filename, data)
    return buffer.getvalue()


_SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
    + b"]>"
    + _SHEET
    + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row></sheetData></worksheet>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    + _SHEET
    + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_tricks_in_a_sheet_are_refused_and_never_expanded(xml: bytes) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_table(_with_sheet(xml), "x.xlsx")
    assert caught.value.file_format == "xlsx"
    assert "root:" not in caught.value.message


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused_before_it_is_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("data_ingest.workbooks._MAX_UNPACKED_BYTES", 1_000_000)
    bomb = _with_sheet(_SHEET + b"<sheetData/>" + b" " * 3_000_000 + b"</worksheet>")
    assert len(bomb) < 100_000  # compresses a thousandfold
    with pytest.raises(UnreadableFile, match="far too large once unpacked"):
        read_table(bomb, "x.xlsx")


def test_a_zip_member_larger_than_it_declares_is_refused() -> None:
    content = bytearray(_with_sheet(_SHEET + b"<sheetData/>" + b" " * 100_000 + b"</worksheet>"))
    # Declare the sheet 10 bytes long (local header and central directory): reading must not trust it.
    name = b"xl/worksheets/sheet1.xml"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if content[name_at : name_at + len(name)] == name:
                content[start + offset : start + offset + 4] = (10).to_bytes(4, "little")
            start += 4
    with pytest.raises(UnreadableFile) as caught:
        read_table(bytes(content), "x.xlsx")
    assert caught.value.file_format in ("xlsx", "zip")


def test_json_nested_too_deeply_inside_a_row_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="nested too deeply"):
        read_table(b'[{"country": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]", "x.json")
