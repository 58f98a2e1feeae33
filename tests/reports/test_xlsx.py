"""The streaming XLSX writer: files openpyxl (and so Excel) reads back, value for value."""

import datetime as dt
import decimal
import io
import zipfile

from openpyxl import load_workbook

from reports.writers import xlsx_file, xlsx_stream

COLUMNS = ("Text", "Count", "Share", "When", "Day", "Empty", "Done", "Amount")


def _read(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_values_and_types_round_trip_through_openpyxl():
    rows = [
        ("Fish & chips <large> — café 漢字", 42, 2.5, dt.datetime(2026, 11, 30, 9, 15, 30),
         dt.date(2026, 3, 4), None, True, decimal.Decimal("1.25")),
        ("  padded  ", -7, 0.1, dt.datetime(1999, 12, 31, 23, 59), dt.date(2030, 1, 1), None,
         False, decimal.Decimal("0")),
    ]  # fmt: skip
    sheet = _read(b"".join(xlsx_stream(COLUMNS, rows, title="Orders"))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == COLUMNS
    assert values[1] == (
        "Fish & chips <large> — café 漢字",
        42,
        2.5,
        dt.datetime(2026, 11, 30, 9, 15, 30),
        dt.datetime(2026, 3, 4),  # a date cell: openpyxl reads it at midnight
        None,
        True,
        1.25,
    )
    assert values[2] == (
        "  padded  ",
        -7,
        0.1,
        dt.datetime(1999, 12, 31, 23, 59),
        dt.datetime(2030, 1, 1),
        None,
        False,
        0,
    )
    assert sheet["D2"].is_date
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["E2"].is_date
    assert sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].data_type == "n"
    assert sheet["A2"].data_type == "s"


def test_header_is_bold_and_frozen_and_the_sheet_is_named():
    workbook = _read(b"".join(xlsx_stream(["Ticket", "Status"], [("RT-1", "x")], title="A/B: c")))
    sheet = workbook.active
    assert workbook.sheetnames == ["A B  c"]  # characters a sheet name may not hold
    assert sheet["A1"].font.b
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"


def test_text_a_spreadsheet_would_run_is_quoted_and_unwritable_characters_dropped():
    rows = [("=1+2", "+SUM(A1)", "-x", "@cmd", "bell\x07here", "ok=fine")]
    sheet = _read(b"".join(xlsx_stream(list("ABCDEF"), rows, title="t"))).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("'=1+2", "'+SUM(A1)", "'-x", "'@cmd", "bellhere", "ok=fine")
    ]
    assert all(cell.data_type == "s" for cell in sheet[2])  # text, never a formula


def test_rows_stream_in_chunks_into_a_valid_zip():
    rows = (
        (f"row {i}", i, dt.datetime(2026, 1, 1) + dt.timedelta(minutes=i)) for i in range(30000)
    )
    chunks = list(xlsx_stream(["Name", "N", "At"], rows, title="Big"))
    assert len(chunks) > 2  # streamed as written, not one buffer at the end
    data = b"".join(chunks)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 30001
    assert values[-1] == ("row 29999", 29999, dt.datetime(2026, 1, 1) + dt.timedelta(minutes=29999))


def test_xlsx_file_holds_the_same_workbook_for_attachments():
    with xlsx_file(["A"], [("x",), (1,)], title="Mail") as handle:
        sheet = _read(handle.read()).active
    assert [row[0].value for row in sheet.iter_rows()] == ["A", "x", 1]
