"""import_unit_stats: units' e-ID figures."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import AGENCY_CODE_PATTERN

from ..models import UnitStat
from .common import (
    UNIT_STAT_COLUMNS,
    BadValue,
    ImportRefused,
    ImportReport,
    RowError,
    UnitLookup,
    both_languages,
    csv_rows,
    open_csv,
    parse_whole,
)

# --- Unit statistics ----------------------------------------------------------------


@transaction.atomic
def unit_stats_import(*, path: Path, skip_invalid: bool = False) -> ImportReport:
    """Import e-ID figures: one row per unit and date, updated when the same
    unit and date come again (so a second run changes nothing)."""
    handle, reader = open_csv(path, UNIT_STAT_COLUMNS)
    units = UnitLookup()
    report = ImportReport()
    good: dict[tuple[int, datetime.date], tuple[int, int, int]] = {}
    try:
        for line, values in csv_rows(reader):
            report.rows += 1
            try:
                if "__extra__" in values:
                    raise BadValue(_("Dòng có nhiều giá trị hơn số cột."))
                try:
                    as_of = datetime.date.fromisoformat(values["as_of"])
                except ValueError:
                    raise BadValue(
                        _("as_of “%(value)s” phải là ngày dạng YYYY-MM-DD."),
                        value=values["as_of"],
                    ) from None
                code = values["unit_code"]
                if re.fullmatch(AGENCY_CODE_PATTERN, code):
                    admin = units.receiving_unit(code, as_of)[1]
                else:
                    admin = units.admin_unit(code, as_of)
                activated = parse_whole(values["eid_activated"], "eid_activated")
                population = parse_whole(values["eid_population"], "eid_population")
                if activated is None or population is None:
                    raise BadValue(_("Cần cả eid_activated và eid_population."))
                if activated > population:
                    raise BadValue(
                        _("eid_activated (%(a)s) lớn hơn eid_population (%(p)s)."),
                        a=activated,
                        p=population,
                    )
                if (admin, as_of) in good:
                    raise BadValue(
                        _("Đơn vị và ngày này đã có ở dòng %(first)s."),
                        first=good[(admin, as_of)][0],
                    )
                good[(admin, as_of)] = (line, activated, population)
            except BadValue as bad:
                report.errors.append(RowError(line, bad.message, bad.params))
    finally:
        handle.close()
    if report.errors and not skip_invalid:
        raise ImportRefused(
            both_languages(
                _(
                    "Tệp có %(count)s dòng lỗi nên không nhập dòng nào "
                    "(dùng --skip-invalid để bỏ qua các dòng lỗi)."
                ),
                count=report.error_count,
            ),
            report,
        )
    source = os.path.basename(path)
    existing = {
        (s.admin_unit_id, s.as_of): s
        for s in UnitStat.objects.filter(
            Q(admin_unit_id__in={a for a, _d in good})
            & Q(as_of__in={d for _a, d in good})
        )
    }
    for (admin, as_of), (_line, activated, population) in good.items():
        stat = existing.get((admin, as_of))
        if stat is None:
            UnitStat.objects.create(
                admin_unit_id=admin,
                as_of=as_of,
                eid_activated=activated,
                eid_population=population,
                source=source,
            )
            report.created += 1
        elif (stat.eid_activated, stat.eid_population) != (activated, population):
            stat.eid_activated, stat.eid_population = activated, population
            stat.source = source
            stat.save()
            report.created += 1
        else:
            report.already_present += 1
    return report
