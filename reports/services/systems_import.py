"""The system dates importer: read a CSV/XLSX upload, preview row by row, apply."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from refresh.models import System
from refresh.services import systems_lifecycle_dates_set
from reports.roles import can_import_systems

IMPORT_MAX_ROWS = 20000
IMPORT_COLUMNS = ("serial_number", "purchase_date", "warranty_end")


@dataclass
class ImportRow:
    line: int
    serial_number: str
    purchase_date: dt.date | None = None
    warranty_end: dt.date | None = None
    outcome: str = ""  # update, unchanged, not_found, invalid
    message: str = ""
    system_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "update"


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def updates(self) -> int:
        return self.count("update")


def _cell_date(value, line: int, column: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    month, _, rest = text.partition("/")
    day, _, year = rest.partition("/")
    if month.isdigit() and day.isdigit() and year.isdigit() and len(year) == 4:
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            pass
    raise ValueError(f"{column} {text!r} is not a date (use YYYY-MM-DD).")


def systems_import_read(*, filename: str, content: bytes) -> list[dict]:
    """Rows (dicts by lower-case header) from an uploaded CSV or XLSX file."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationError("This Excel file could not be read.") from exc
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip().lower() for h in next(values, [])]
        rows = [dict(zip(header, row, strict=False)) for row in values if any(row)]
        workbook.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("Save the CSV file as UTF-8.") from exc
        reader = csv.DictReader(io.StringIO(text))
        reader.fieldnames = [h.strip().lower() for h in reader.fieldnames or []]
        rows = [row for row in reader if any((v or "").strip() for v in row.values())]
    if "serial_number" not in (rows[0] if rows else {}):
        raise ValidationError("The file needs a serial_number column.")
    if len(rows) > IMPORT_MAX_ROWS:
        raise ValidationError(f"Import at most {IMPORT_MAX_ROWS} rows at a time.")
    return rows


def systems_import_preview(*, rows: list[dict]) -> ImportReport:
    """What importing ``rows`` would change, row by row (no writes; two queries)."""
    parsed: list[ImportRow] = []
    for line, raw in enumerate(rows, start=2):
        serial = str(raw.get("serial_number") or "").strip().upper()
        row = ImportRow(line=line, serial_number=serial)
        try:
            if not serial:
                raise ValueError("No serial number.")
            row.purchase_date = _cell_date(raw.get("purchase_date"), line, "purchase_date")
            row.warranty_end = _cell_date(raw.get("warranty_end"), line, "warranty_end")
        except ValueError as exc:
            row.outcome, row.message = "invalid", str(exc)
        parsed.append(row)
    serials = {row.serial_number for row in parsed if not row.outcome}
    found = {
        serial: (pk, purchased, warranty)
        for serial, pk, purchased, warranty in System.objects.filter(
            serial_number__in=serials
        ).values_list("serial_number", "pk", "purchase_date", "warranty_end")
    }
    seen: set[str] = set()
    for row in parsed:
        if row.outcome:
            continue
        if row.serial_number in seen:
            row.outcome, row.message = "invalid", "This serial number appears twice in the file."
            continue
        seen.add(row.serial_number)
        if row.serial_number not in found:
            row.outcome, row.message = "not_found", "No system with this serial number."
            continue
        pk, purchased, warranty = found[row.serial_number]
        row.system_id = pk
        new_purchase = row.purchase_date or purchased
        new_warranty = row.warranty_end or warranty
        if (new_purchase, new_warranty) == (purchased, warranty):
            row.outcome, row.message = "unchanged", "Already has these dates."
        else:
            row.outcome, row.message = "update", "Dates will be updated."
    return ImportReport(rows=parsed)


@transaction.atomic
def systems_lifecycle_update(*, actor, report: ImportReport) -> ImportReport:
    """Apply a preview: set purchase date / warranty end of the matched systems.

    Only the given dates change (an empty cell keeps the stored date); rows are
    locked in primary-key order. Systems are refresh's rows: refresh's
    ``systems_lifecycle_dates_set`` writes them.
    """
    if not can_import_systems(actor):
        raise PermissionDenied("Only refresh administrators import systems.")
    updates = {row.system_id: row for row in report.rows if row.ok}
    written = set(
        systems_lifecycle_dates_set(
            dates={pk: (row.purchase_date, row.warranty_end) for pk, row in updates.items()}
        )
    )
    for pk, row in updates.items():
        if pk in written:
            row.message = "Dates updated."
    return report
