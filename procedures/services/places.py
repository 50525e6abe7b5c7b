"""The provinces' lists of procedures received regardless of administrative
boundary (`AnywhereInProvince`): importing one from CSV, all or nothing."""

import csv
import datetime
import io
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from units.models import AdminUnit

from ..models import AnywhereInProvince, Procedure
from .importing import CatalogueError

ANYWHERE_CSV_COLUMNS = ("province", "procedure", "valid_from")
ANYWHERE_CSV_OPTIONAL = ("valid_to", "source", "verified", "note")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The demo list of Ninh Bình (procedures/data/): not the province's published one.
ANYWHERE_DEMO_CSV = DATA_DIR / "anywhere_in_province_ninh_binh_demo.csv"
_TRUE = {"1", "true", "yes", "có", "x"}


def _date(text: str, line: int, column: str, errors: list[str]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        errors.append(
            _("Dòng %(line)d: %(column)s “%(value)s” không phải ngày năm-tháng-ngày.")
            % {"line": line, "column": column, "value": text}
        )
        return None


@transaction.atomic
def anywhere_in_province_import(*, text: str) -> int:
    """Create or update the rows of a CSV list, by (province, procedure,
    valid_from); all or nothing (`CatalogueError` lists every problem).

    Columns: province (GSO code of a province in force on valid_from),
    procedure (its code), valid_from; optional valid_to, source, verified
    (1/true/có), note. Returns the number of rows read.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ANYWHERE_CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CatalogueError(
            [_("Tệp thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    errors: list[str] = []
    rows: list[AnywhereInProvince] = []
    for line, row in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if k}
        valid_from = _date(values["valid_from"], line, "valid_from", errors)
        valid_to = (
            _date(values["valid_to"], line, "valid_to", errors)
            if values.get("valid_to")
            else None
        )
        procedure = Procedure.objects.filter(code=values["procedure"]).first()
        if procedure is None:
            errors.append(
                _("Dòng %(line)d: không có thủ tục mã “%(code)s”.")
                % {"line": line, "code": values["procedure"]}
            )
        province = None
        if valid_from is not None:
            province = AdminUnit.objects.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=valid_from),
                Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from),
                code=values["province"],
                parent__isnull=True,
            ).first()
            if province is None:
                errors.append(
                    _(
                        "Dòng %(line)d: không có tỉnh mã “%(code)s” còn hiệu lực "
                        "ngày %(day)s."
                    )
                    % {"line": line, "code": values["province"], "day": valid_from}
                )
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(
                _("Dòng %(line)d: ngày hết áp dụng trước ngày bắt đầu áp dụng.")
                % {"line": line}
            )
        if procedure is None or province is None or valid_from is None:
            continue
        rows.append(
            AnywhereInProvince(
                province=province,
                procedure=procedure,
                valid_from=valid_from,
                valid_to=valid_to,
                source=values.get("source", ""),
                verified=values.get("verified", "").lower() in _TRUE,
                note=values.get("note", ""),
            )
        )
    if errors:
        raise CatalogueError(errors)
    for item in rows:
        AnywhereInProvince.objects.update_or_create(
            province=item.province,
            procedure=item.procedure,
            valid_from=item.valid_from,
            defaults={
                "valid_to": item.valid_to,
                "source": item.source,
                "verified": item.verified,
                "note": item.note,
            },
        )
    return len(rows)
