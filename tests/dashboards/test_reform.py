"""Dashboards across the two-tier reform (issue 17, point 7; decisions 200-203):
a former district's staff see its communes, then the communes formed from them;
a province's staff see the province with what its predecessors did; a history
that spans 2025-07-01 imports and adds up per era and per successor."""

import datetime

import pytest
import time_machine

from accounts.roles import Role
from dashboards.importing import ImportRefused, dossiers_import
from dashboards.models import DossierFacts
from dashboards.selectors import (
    Filters,
    selection_resolve,
    stats_by_unit,
    stats_scope,
    stats_summary,
    units_for_filter,
)
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import at
from tests.procedures.factories import ProcedureFactory
from units.models import AdminUnit, OrgUnit

from .csvfiles import dossier_row, write_csv

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)
BEFORE = Filters(start=datetime.date(2024, 1, 1), end=datetime.date(2025, 6, 30))
AFTER = Filters(start=REFORM, end=datetime.date(2026, 6, 30))
BOTH = Filters(start=BEFORE.start, end=AFTER.end)

# (receiving unit as the old system wrote it, submission day, dossiers).
# Before the reform: agencies of Vụ Bản and commune codes (their committee);
# after it: today's centres, by agency or by the commune's code (its centre),
# and the provincial centre, which is not one of Vụ Bản's successors.
HISTORY = [
    ("000.11.59.H00", "2024-03-04", 5),  # UBND thị trấn Gôi
    ("13780", "2024-11-05", 4),  # xã Kim Thái: its committee
    ("13744", "2024-06-03", 2),  # xã Minh Thuận, merged at the end of 2024
    ("13750", "2024-09-03", 3),  # xã Tân Khánh (the code's version of 2024)
    ("000.00.59.H00", "2025-06-30", 1),  # UBND huyện Vụ Bản, its last day
    ("DEMO.37.13741.01", "2025-07-01", 6),  # centre of xã Vụ Bản, first day
    ("13750", "2025-09-16", 2),  # xã Minh Tân of today: its centre
    ("DEMO.37.13741.06", "2026-02-02", 1),  # the reception point (post office)
    ("13699", "2026-03-02", 3),  # phường Thành Nam (from Đại An): its centre
    ("DEMO.37.01", "2026-01-05", 7),  # the provincial centre of Ninh Bình
]


@pytest.fixture
def history(vu_ban, tmp_path):
    ProcedureFactory(code="1.001193")
    rows = []
    for unit, day, count in HISTORY:
        for n in range(count):
            rows.append(
                dossier_row(
                    code=f"H{unit}-{day}-{n}".replace(".", ""),
                    procedure_code="1.001193",
                    unit_code=unit,
                    submitted_at=f"{day}T08:00",
                    received_at=f"{day}T09:00",
                    due_at=f"{day}T17:00",
                    completed_at=f"{day}T10:00",
                    returned_at=f"{day}T11:00",
                )
            )
    report = dossiers_import(path=write_csv(tmp_path / "history.csv", rows))
    assert report.created == sum(count for _u, _d, count in HISTORY)
    return vu_ban


def _staff(agency_code: str):
    return UserFactory(
        roles=[Role.DISTRICT_STAFF],
        org_unit=OrgUnit.objects.get(agency_code=agency_code),
    )


def _received(user, filters: Filters) -> int:
    selection = selection_resolve(scope=stats_scope(user=user), filters=filters)
    return int(stats_summary(selection=selection)["received_total"])


def _old_district_count(filters: Filters) -> int:
    """The former district's figure as it was computed before the reform's
    dashboards: the receiving units located in its subtree."""
    district = AdminUnit.objects.get(code="359")
    units = OrgUnit.objects.filter(admin_unit__path__startswith=district.path)
    return DossierFacts.objects.filter(
        receiving_unit_id__in=units.values("pk"),
        received_on__gte=filters.start,
        received_on__lte=filters.end,
    ).count()


def test_the_former_districts_figures_before_the_reform_do_not_change(history):
    district = _staff("000.00.59.H00")

    with time_machine.travel(at("2026-07-01 09:00"), tick=False):
        before = _received(district, BEFORE)
        by_year = [
            _received(district, Filters(start=datetime.date(y, 1, 1), end=end))
            for y, end in [(2024, datetime.date(2024, 12, 31)), (2025, REFORM)]
        ]

    # Pinned: 5 + 4 + 2 + 3 + 1 dossiers received by Vụ Bản's units, exactly
    # what its subtree alone counts.
    assert before == 15 == _old_district_count(BEFORE)
    # 2025 up to the first day of the reform: the district's 1 and the centre of
    # xã Vụ Bản's 6 on 2025-07-01.
    assert by_year == [14, 1 + 6]


def test_the_former_districts_staff_see_the_successors_after_the_reform(history):
    district = _staff("000.00.59.H00")

    with time_machine.travel(at("2026-07-01 09:00"), tick=False):
        after = _received(district, AFTER)
        both = _received(district, BOTH)
        selection = selection_resolve(scope=stats_scope(user=district), filters=AFTER)
        rows = stats_by_unit(selection=selection)

    # xã Vụ Bản 6 + 1 (its reception point), Minh Tân 2, Thành Nam 3; never the
    # provincial centre's 7.
    assert after == 12
    assert both == 15 + 12
    counted = {r["unit_name"]: r["received_total"] for r in rows if r["received_total"]}
    assert counted == {"Xã Vụ Bản": 7, "Xã Minh Tân": 2, "Phường Thành Nam": 3}
    assert sum(r["received_total"] for r in rows) == after
    # The rows are the units in force after the reform: the six communes formed
    # from Vụ Bản's, none of before.
    assert {r["unit"] for r in rows} == {
        "13741",
        "13750",
        "13753",
        "13786",
        "13699",
        "13777",
    }


def test_per_era_and_per_successor_figures_add_up(history):
    """The acceptance of issue 17: the former district's and today's communes'
    figures both add up over a history that spans 2025-07-01."""
    district = _staff("000.00.59.H00")
    province = _staff("DEMO.37.01")
    total = sum(count for _u, _d, count in HISTORY)

    with time_machine.travel(at("2026-07-01 09:00"), tick=False):
        scope = stats_scope(user=district)
        per_successor = {
            code: stats_summary(
                selection=selection_resolve(
                    scope=scope,
                    filters=Filters(start=AFTER.start, end=AFTER.end, unit=code),
                )
            )["received_total"]
            for code in ["13741", "13750", "13753", "13786", "13699", "13777"]
        }
        per_era = [_received(district, BEFORE), _received(district, AFTER)]
        provinces = [_received(province, f) for f in (BEFORE, AFTER, BOTH)]

    assert per_successor == {
        "13741": 7,
        "13750": 2,
        "13753": 0,
        "13786": 0,
        "13699": 3,
        "13777": 0,
    }
    assert sum(per_successor.values()) == per_era[1]
    assert sum(per_era) == _received_direct(total - 7)
    # The province: Nam Định's units before (its predecessor), its own after.
    assert provinces == [15, 12 + 7, total]


def _received_direct(expected: int) -> int:
    province_centre = OrgUnit.objects.get(agency_code="DEMO.37.01")
    others = DossierFacts.objects.exclude(receiving_unit_id=province_centre.pk)
    assert others.count() == expected
    return expected


def test_a_province_staff_cannot_see_another_area_and_a_district_not_the_province(
    history,
):
    from django.core.exceptions import PermissionDenied

    district = _staff("000.00.59.H00")
    with pytest.raises(PermissionDenied):
        selection_resolve(
            scope=stats_scope(user=district),
            filters=Filters(start=AFTER.start, end=AFTER.end, unit="DEMO.37.01"),
        )
    # Asking for the whole province narrows to the district's successors.
    selection = selection_resolve(
        scope=stats_scope(user=district),
        filters=Filters(start=AFTER.start, end=AFTER.end, unit="37"),
    )
    assert sorted(r.code for r in selection.roots) == [
        "13699",
        "13741",
        "13750",
        "13753",
        "13777",
        "13786",
    ]


def test_the_units_filter_lists_the_units_in_force_in_the_period(vu_ban):
    district = stats_scope(user=_staff("000.00.59.H00"))
    province = stats_scope(user=_staff("DEMO.37.01"))

    def listed(scope, filters):
        return [
            (u.code, u.name)
            for u in units_for_filter(scope=scope, start=filters.start, end=filters.end)
        ]

    old = listed(
        district,
        Filters(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31)),
    )
    new = listed(district, AFTER)
    assert old[0] == ("359", "Huyện Vụ Bản")
    assert len(old) == 1 + 18
    assert not {code for code, _n in old} & {"13699"}
    assert new[0] == ("359", "Huyện Vụ Bản")
    assert sorted(code for code, _n in new[1:]) == [
        "13699",
        "13741",
        "13750",
        "13753",
        "13777",
        "13786",
    ]
    assert ("13741", "Xã Vụ Bản") in new
    assert ("13741", "Thị trấn Gôi") not in new
    province_2024 = listed(
        province,
        Filters(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31)),
    )
    assert [code for code, _n in province_2024][:3] == ["37", "36", "359"]


def test_an_agency_not_in_force_on_the_day_is_refused_by_the_import(vu_ban, tmp_path):
    """A dossier of a former district's period cannot be written at a unit of
    today (its figures would move): the import refuses it, naming the line."""
    ProcedureFactory(code="1.001193")
    rows = [
        dossier_row(
            code="X-1",
            procedure_code="1.001193",
            unit_code="DEMO.37.13741.01",
            submitted_at="2025-06-30T08:00",
            received_at="2025-06-30T09:00",
            due_at="2025-06-30T17:00",
            completed_at="2025-06-30T10:00",
            returned_at="2025-06-30T11:00",
        )
    ]
    with pytest.raises(ImportRefused) as refused:
        dossiers_import(path=write_csv(tmp_path / "bad.csv", rows))
    assert "DEMO.37.13741.01" in str(refused.value.report)
    assert "2025-06-30" in str(refused.value.report)


def test_the_units_export_of_the_former_district_follows_the_period(
    history, client, login_staff
):
    """Exports are the filtered figures: the former district's units table is
    its communes before the reform and their successors after it."""
    import csv
    import io

    from django.urls import reverse

    district = _staff("000.00.59.H00")
    login_staff(client, district)

    def export(filters: Filters) -> dict[str, int]:
        response = client.get(
            reverse("dashboards:stats-export-csv"),
            {
                "from": filters.start.isoformat(),
                "to": filters.end.isoformat(),
                "table": "units",
                "headers": "codes",
            },
        )
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        return {r["unit_name"]: int(r["received_total"]) for r in rows}

    with time_machine.travel(at("2026-07-01 09:00"), tick=False):
        before, after = export(BEFORE), export(AFTER)

    assert sum(before.values()) == 15
    assert before["Thị trấn Gôi"] == 5
    assert "Xã Vụ Bản" not in before
    assert sum(after.values()) == 12
    assert after["Xã Vụ Bản"] == 7
    assert "Thị trấn Gôi" not in after


@pytest.mark.parametrize("endpoint", ["summary", "by-unit", "by-procedure", "by-month"])
def test_the_area_across_the_reform_costs_no_more_queries(history, endpoint):
    """The area's subtrees across the reform are one query, in place of the one
    that read the area's unit: the API's bound holds for the former district
    and the province (tests/dashboards/test_api.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .test_api import api

    counts = []
    for agency in ["000.00.59.H00", "DEMO.37.01"]:
        client = api(_staff(agency))
        url = f"/api/v1/stats/{endpoint}/?from=2024-01-01&to=2026-06-30"
        client.get(url)  # warm the permission cache of the user object
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert max(counts) <= 6


def test_the_areas_own_code_is_the_whole_area_across_the_reform(
    history, client, login_staff
):
    """The units' filter offers the area's own unit first, which a browser
    submits: `359` gives the former district's figures before and after, as the
    page without a unit does (the browser journey of test_district.py)."""
    district = _staff("000.00.59.H00")
    scope = stats_scope(user=district)
    with time_machine.travel(at("2026-07-01 09:00"), tick=False):
        by_code = [
            stats_summary(
                selection=selection_resolve(
                    scope=scope,
                    filters=Filters(start=f.start, end=f.end, unit="359"),
                )
            )["received_total"]
            for f in (BEFORE, AFTER)
        ]
        login_staff(client, district)
        from django.urls import reverse

        html = client.get(
            reverse("dashboards:stats-dashboard"),
            {"from": "2026-01-01", "to": "2026-06-30"},
        ).content.decode()

    assert by_code == [15, 12]
    assert (
        '<option value="359" selected>Huyện Vụ Bản (cả các đơn vị trước và sau sắp xếp)'
        in html
        or ('value="359">Huyện Vụ Bản (cả các đơn vị trước và sau sắp xếp)' in html)
    )
