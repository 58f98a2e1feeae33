"""CSV and XLSX writers that never hold the whole table in memory.

CSV streams line by line (``StreamingHttpResponse``); XLSX is written by
``reports.xlsx`` (the sheet XML row by row into a streamed zip), and streams too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator

from .xlsx import FORMULA_START, xlsx_chunks

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


class _Line:
    """A file-like object whose ``write`` returns what it was given (csv → stream)."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_value(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return safe_cell(value)


CSV_LINES_PER_CHUNK = 500


def csv_lines(columns: Iterable[str], rows: Iterable[tuple]) -> Iterator[str]:
    """The header and every row as CSV text, a few hundred lines per chunk (a UTF-8
    BOM first, for Excel)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(list(columns))
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([_csv_value(v) for v in row]))
        if len(chunk) >= CSV_LINES_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_text(columns: Iterable[str], rows: Iterable[tuple]) -> str:
    """The whole CSV as one string (email attachments)."""
    out = io.StringIO()
    for line in csv_lines(columns, rows):
        out.write(line)
    return out.getvalue()


def xlsx_stream(columns: Iterable[str], rows: Iterable[tuple], *, title: str) -> Iterator[bytes]:
    """The workbook as chunks of bytes (text that would be a formula gets a leading
    quote, as in the CSV: ``reports.xlsx`` does it per text cell)."""
    return xlsx_chunks(columns, rows, title=title)


def xlsx_file(columns: Iterable[str], rows: Iterable[tuple], *, title: str):
    """A temporary file holding the workbook, positioned at its start (attachments)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    for chunk in xlsx_stream(columns, rows, title=title):
        handle.write(chunk)
    handle.seek(0)
    return handle
