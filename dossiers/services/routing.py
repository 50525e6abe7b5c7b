"""Where a dossier may be filed and where it goes (issue 17, points 2 and 3):
the place it is received, the agency competent to decide, and the area it is
reported under, kept apart.

- A procedure on the province's list of procedures received regardless of
  administrative boundary (Decree 118/2025 art. 20; `AnywhereInProvince`) is
  taken by any centre or reception point of the province from a citizen of any
  commune of the province.
- Any other procedure is filed at a unit of its agency type that serves the
  applicant's area: located in the applicant's commune (the commune of today
  that succeeded a recorded commune of before the reform) or above it. When the
  applicant's commune is not known, any unit of the agency type, as before.
- Either way the dossier goes to the competent agency of the applicant's area
  on the filing day (`units.selectors.competent_unit_for`).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from procedures.models import Procedure
from procedures.selectors import anywhere_province_ids
from units.models import AdminUnit, OrgUnit
from units.selectors import admin_unit_within, competent_unit_for, province_id_of

from ..selectors import (
    applicant_areas_on,
    unit_in_applicants_province,
    unit_serves_areas,
)
from .errors import UnitNotReceiving


@dataclass(frozen=True)
class Route:
    """Where a filing goes: `anywhere_in_province` when only the province's list
    let `receiving_unit` take it."""

    receiving_unit: OrgUnit
    competent_unit: OrgUnit | None
    admin_unit: AdminUnit
    anywhere_in_province: bool


def _anywhere(
    unit: OrgUnit, procedure: Procedure, areas: list[AdminUnit], day: datetime.date
) -> bool:
    """The province's list lets `unit` take `procedure` from this applicant."""
    return (
        unit.is_one_stop
        and unit_in_applicants_province(unit=unit, areas=areas)
        and province_id_of(unit.admin_unit)
        in anywhere_province_ids(procedure=procedure, day=day)
    )


def unit_in_force_for_filing(*, unit: OrgUnit, day: datetime.date) -> bool:
    return unit.is_active and unit.receives_dossiers and unit.in_force_on(day)


def filing_place_check(
    *,
    unit: OrgUnit,
    procedure: Procedure,
    applicant: Any,
    day: datetime.date,
    areas: list[AdminUnit] | None = None,
) -> bool:
    """Refuse, with the reason, a place that does not take `procedure` from
    `applicant` on `day`; True when it takes it only through the province's list
    (received regardless of administrative boundary). `areas`: the applicant's
    (`applicant_areas_on`) when the caller has them already."""
    if not unit_in_force_for_filing(unit=unit, day=day):
        raise UnitNotReceiving(
            _(
                "Nơi nộp này không tiếp nhận hồ sơ của thủ tục này; "
                "hãy chọn lại nơi nộp."
            )
        )
    if areas is None:
        areas = applicant_areas_on(applicant=applicant, day=day)
    if unit_serves_areas(unit=unit, procedure=procedure, areas=areas):
        return False
    if _anywhere(unit, procedure, areas, day):
        return True
    if unit.agency_type == procedure.agency_type or unit.is_one_stop:
        raise UnitNotReceiving(
            _(
                "Thủ tục này không thuộc danh mục thủ tục tiếp nhận không phụ thuộc "
                "địa giới hành chính của tỉnh: chỉ nộp tại nơi tiếp nhận của xã, "
                "phường nơi bạn cư trú (%(area)s). Hãy chọn lại nơi nộp."
            )
            % {"area": ", ".join(area.name for area in areas)}
        )
    raise UnitNotReceiving(
        _("Nơi nộp này không tiếp nhận hồ sơ của thủ tục này; hãy chọn lại nơi nộp.")
    )


def dossier_route(
    *,
    unit: OrgUnit,
    procedure: Procedure,
    applicant: Any,
    day: datetime.date,
    anywhere_in_province: bool,
    areas: list[AdminUnit] | None = None,
) -> Route:
    """The competent agency and the area of a filing at `unit` on `day`: the
    agency of the procedure's type nearest to the applicant's area (the
    receiving unit's when the applicant's commune is not known); failing one,
    the receiving unit when it is of that type. `areas` as for
    `filing_place_check`."""
    if areas is None:
        areas = applicant_areas_on(applicant=applicant, day=day)
    inside = [a for a in areas if admin_unit_within(unit=a, area=unit.admin_unit)]
    area = (inside or areas or [unit.admin_unit])[0]
    competent = competent_unit_for(
        agency_type=procedure.agency_type, area=area, day=day
    )
    if competent is None and unit.agency_type == procedure.agency_type:
        competent = unit
    return Route(
        receiving_unit=unit,
        competent_unit=competent,
        admin_unit=competent.admin_unit if competent is not None else unit.admin_unit,
        anywhere_in_province=anywhere_in_province,
    )
