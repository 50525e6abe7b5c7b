"""CSV and XLSX exports of exactly what the page shows for the filters."""

import csv
import io
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from dossiers.models import Channel
from units.models import OrgUnit

from .metrics import METRICS
from .providers import export_table_providers
from .selectors import (
    Selection,
    stats_by_month,
    stats_by_procedure,
    stats_by_unit,
    stats_summary,
)

TABLES = ("summary", "units", "procedures", "months")
Table = tuple[str, list[str], list[list[Any]]]
# The first columns of each table: (field code, header for people).
_KEYS: dict[str, list[tuple[str, Promise]]] = {
    "summary": [
        ("unit", gettext_lazy("Đơn vị")),
        ("from", gettext_lazy("Từ ngày")),
        ("to", gettext_lazy("Đến ngày")),
    ],
    "units": [
        ("unit", gettext_lazy("Mã đơn vị")),
        ("unit_name", gettext_lazy("Đơn vị")),
    ],
    "procedures": [
        ("procedure", gettext_lazy("Mã thủ tục")),
        ("procedure_name", gettext_lazy("Thủ tục")),
    ],
    "months": [("month", gettext_lazy("Tháng"))],
}


def _header(table: str, *, codes: bool) -> list[str]:
    """People read each column's name in their language; software reads the
    field codes of /api/v1/stats/ (`codes`)."""
    columns = [*_KEYS[table], *((m.name, m.label) for m in METRICS)]
    return [code if codes else str(label) for code, label in columns]


def _metric_values(row: dict[str, Any]) -> list[Any]:
    return [row[m.name] for m in METRICS]


def table_names() -> tuple[str, ...]:
    """The dashboards' tables, then those other apps export (providers)."""
    return (*TABLES, *export_table_providers())


def _provided(selection: Selection, table: str) -> dict[str, Any]:
    """A table another app exports, for the same units and period as the rest
    (the procedure and channel filters are the dossiers'; they do not apply)."""
    f = selection.filters
    provided: dict[str, Any] = export_table_providers()[table](
        org_units=OrgUnit.objects.filter(selection.org_units),
        start=f.start,
        end=f.end,
    )
    return provided


def provided_tables(selection: Selection) -> list[dict[str, Any]]:
    """The tables other apps export, for the dashboard page: each with its name
    (the CSV's `table=`), title, header and rows, a rate cell marked as such."""
    shown = []
    for name in export_table_providers():
        provided = _provided(selection, name)
        rates = [code.endswith("_rate") for code, _label in provided["columns"]]
        shown.append(
            {
                "name": name,
                "title": provided["title"],
                "header": [label for _code, label in provided["columns"]],
                "rows": [
                    list(zip(row, rates, strict=True)) for row in provided["rows"]
                ],
            }
        )
    return shown


def _provided_table(selection: Selection, table: str, *, codes: bool) -> Table:
    provided = _provided(selection, table)
    header = [code if codes else str(label) for code, label in provided["columns"]]
    return provided["title"], header, provided["rows"]


def export_table(selection: Selection, table: str, *, codes: bool = False) -> Table:
    """(title, header, rows) of one table."""
    f = selection.filters
    if table not in TABLES:
        return _provided_table(selection, table, codes=codes)
    header = _header(table, codes=codes)
    if table == "summary":
        row = stats_summary(selection=selection)
        return (
            _("Tổng hợp"),
            header,
            [[selection.title, f.start, f.end, *_metric_values(row)]],
        )
    if table == "units":
        rows = stats_by_unit(selection=selection)
        return (
            _("Theo đơn vị"),
            header,
            [[r["unit"], r["unit_name"], *_metric_values(r)] for r in rows],
        )
    if table == "procedures":
        rows = stats_by_procedure(selection=selection)
        return (
            _("Theo thủ tục"),
            header,
            [[r["procedure"], r["procedure_name"], *_metric_values(r)] for r in rows],
        )
    rows = stats_by_month(selection=selection)
    return (_("Theo tháng"), header, [[r["month"], *_metric_values(r)] for r in rows])


def export_csv(selection: Selection, table: str, *, codes: bool = False) -> bytes:
    """One table as UTF-8 CSV with a byte-order mark (Excel reads it right)."""
    _title, header, rows = export_table(selection, table, codes=codes)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(selection: Selection, *, methods_url: str = "") -> bytes:
    """Every table, one sheet each, after a sheet that states the filters and
    where the figures are defined."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = _("Bộ lọc")[:31]
    f = selection.filters
    for label, value in [
        (_("Đơn vị"), selection.title),
        (_("Từ ngày"), f.start.isoformat()),
        (_("Đến ngày"), f.end.isoformat()),
        (_("Thủ tục"), f.procedure or _("Tất cả")),
        (_("Kênh nộp"), str(Channel(f.channel).label) if f.channel else _("Tất cả")),
        *([(_("Cách tính số liệu"), methods_url)] if methods_url else []),
    ]:
        sheet.append([label, value])
    rate_columns = {i for i, m in enumerate(METRICS) if m.kind == "rate"}
    for table in TABLES:
        title, header, rows = export_table(selection, table)
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        offset = len(header) - len(METRICS)
        for row in rows:
            sheet.append(row)
            for index in rate_columns:
                sheet.cell(
                    row=sheet.max_row, column=offset + index + 1
                ).number_format = "0.0%"
    for table in table_names()[len(TABLES) :]:
        provided = _provided(selection, table)
        sheet = book.create_sheet(str(provided["title"])[:31])
        sheet.append([str(label) for _code, label in provided["columns"]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in provided["rows"]:
            sheet.append(row)
            for index, (code, _label) in enumerate(provided["columns"]):
                if code.endswith("_rate"):
                    sheet.cell(
                        row=sheet.max_row, column=index + 1
                    ).number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
