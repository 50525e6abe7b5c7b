"""seed_demo --dossiers N: realistic demo dossiers in bulk."""

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from dashboards.models import DossierFacts
from dashboards.services import stats_rebuild
from dossiers.models import DailyCounter, Dossier
from dossiers.services import dossier_code_allocate
from tests.dossiers.factories import at
from tests.procedures.factories import ProcedureFactory
from units.models import AgencyType

from .buckets import bucket_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(vu_ban_small):
    # seed_demo's officers of today work in today's units (load_units seeds them
    # from 2025-07-01); the demo dossiers stay at Vụ Bản's units of before.
    import datetime

    from portal.demo import DEMO_ACCOUNTS
    from tests.units.factories import AdminUnitFactory, OrgUnitFactory

    reform = datetime.date(2025, 7, 1)
    province = AdminUnitFactory(code="37", kind="tỉnh", valid_from=reform)
    for code in sorted({a.agency_code for a in DEMO_ACCOUNTS} - set(vu_ban_small)):
        if code:
            OrgUnitFactory(agency_code=code, admin_unit=province, valid_from=reform)
    ProcedureFactory(agency_type=AgencyType.COMMUNE_COMMITTEE, fee_online_vnd=8000)
    ProcedureFactory(
        agency_type=AgencyType.COMMUNE_COMMITTEE, has_document_result=False
    )
    ProcedureFactory(agency_type=AgencyType.COMMUNE_POLICE)
    return vu_ban_small


def test_seed_demo_without_dossiers_creates_none(catalogue, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    assert not Dossier.objects.exists()


def test_seed_demo_dossiers_are_spread_counted_and_numbered(catalogue, settings):
    settings.DEMO_MODE = True
    with time_machine.travel(at("2025-06-02 09:00"), tick=False):
        call_command("seed_demo", dossiers=400, seed=7, days=120)

        dossiers = Dossier.objects.select_related("procedure", "receiving_unit")
        assert dossiers.count() == 400
        assert DossierFacts.objects.count() == 400
        assert len({d.receiving_unit_id for d in dossiers}) >= 3
        assert {d.channel for d in dossiers} >= {"online", "counter"}
        assert len({d.status for d in dossiers}) >= 3
        for dossier in dossiers:
            assert dossier.procedure.agency_type == dossier.receiving_unit.agency_type
            received, due = dossier.received_at, dossier.due_at
            assert received is not None
            assert due is not None
            assert received < at("2025-06-02 00:00")
            assert due >= received
            assert dossier.applicant.is_active is False
        counted = bucket_rows()
        stats_rebuild()
        assert bucket_rows() == counted

        # A live submission on a seeded day continues the unit's numbering.
        first = dossiers.order_by("received_at").first()
        assert first is not None
        assert first.received_at is not None
        counter = DailyCounter.objects.get(
            org_unit=first.receiving_unit,
            day=timezone.localtime(first.received_at).date(),
        )
        code = dossier_code_allocate(
            org_unit=first.receiving_unit, at=first.received_at
        )
        assert code.endswith(f"-{counter.last + 1:04d}")


def test_seed_demo_dossiers_add_up_over_runs(catalogue, settings):
    settings.DEMO_MODE = True
    with time_machine.travel(at("2025-06-02 09:00"), tick=False):
        call_command("seed_demo", dossiers=50, seed=1, days=30)
        call_command("seed_demo", dossiers=50, seed=1, days=30)
    assert Dossier.objects.count() == 100


def test_seed_demo_dossiers_are_at_the_units_in_force_on_their_day(catalogue, settings):
    """Across 2025-07-01 each demo dossier is received by a unit in force on its
    day: Vụ Bản's agencies before the reform, today's units after (decision
    204)."""
    import datetime

    from units.models import OrgUnit

    settings.DEMO_MODE = True
    reform = datetime.date(2025, 7, 1)
    OrgUnit.objects.filter(agency_code__endswith=".59.H00").update(
        valid_to=datetime.date(2025, 6, 30)
    )
    with time_machine.travel(at("2025-09-01 09:00"), tick=False):
        call_command("seed_demo", dossiers=300, seed=3, days=120)

    eras = set()
    for dossier in Dossier.objects.select_related("receiving_unit"):
        assert dossier.received_at is not None
        day = timezone.localtime(dossier.received_at).date()
        unit = dossier.receiving_unit
        assert unit.in_force_on(day), (dossier.code, day, unit.agency_code)
        eras.add((day >= reform, unit.agency_code.endswith(".59.H00")))
    assert eras == {(False, True), (True, False)}
