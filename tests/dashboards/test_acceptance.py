"""Acceptance: the seed's figures, imported from files built here, come back
exactly from the summary API and on the dashboard page."""

import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.procedures.factories import ProcedureFactory

from .seed import write_seed_files

pytestmark = pytest.mark.django_db

H1_2023 = {"from": "2023-01-01", "to": "2023-06-30", "unit": "359"}


@pytest.fixture
def seed_imported(vu_ban, tmp_path):
    codes = [ProcedureFactory(code=c).code for c in ("1.001193", "1.004222")]
    dossiers, stats = write_seed_files(tmp_path, codes)
    call_command("import_dossiers", str(dossiers))
    call_command("import_unit_stats", str(stats))
    return dossiers, stats


@pytest.mark.both_databases
def test_summary_for_vu_ban_h1_2023_returns_the_seed_figures(
    seed_imported, vu_ban_staff
):
    client = APIClient()
    client.force_authenticate(vu_ban_staff)

    response = client.get("/api/v1/stats/summary/", H1_2023)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "received_total": 1871,
        "received_online": 1871,
        "online_rate": 1.0,
        "completed_total": 1871,
        "completed_early": 1433,
        "completed_on_time": 438,
        "completed_late": 0,
        "open_total": 0,
        "open_overdue": 0,
        "results_in_scope": 772,
        "results_digitized": 771,
        "digitized_rate": 771 / 772,
        "fee_dossiers": 0,
        "paid_online": 0,
        "online_payment_rate": None,
        "assisted_total": 0,
        "ratings_total": 0,
        "satisfied_rate": None,
        "eid_activated": 73012,
        "eid_population": 98665,
        "eid_rate": 73012 / 98665,
    }


def text_of(html, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, element_id
    return match.group(1).strip()


def test_the_dashboard_page_shows_the_seed_figures(
    seed_imported, vu_ban_staff, client, login_staff
):
    login_staff(client, vu_ban_staff)

    response = client.get("/stats/", H1_2023)

    assert response.status_code == 200
    html = response.content.decode()
    assert text_of(html, "kpi-received") == "1.871"
    assert text_of(html, "kpi-completed") == "1.871"
    assert text_of(html, "kpi-early") == "1.433"
    assert text_of(html, "kpi-on-time") == "438"
    assert text_of(html, "kpi-late") == "0"
    assert text_of(html, "kpi-overdue") == "0"
    assert text_of(html, "kpi-in-scope") == "772"
    assert text_of(html, "kpi-digitized") == "771"
    assert text_of(html, "kpi-digitized-rate") == "99,9 %"
    assert text_of(html, "kpi-eid") == "73.012 / 98.665"
    assert text_of(html, "kpi-eid-rate") == "74,0 %"


def test_importing_the_seed_again_changes_nothing(seed_imported, vu_ban_staff):
    from dashboards.models import StatBucket
    from dossiers.models import Dossier, Event

    dossiers, stats = seed_imported
    before = (
        Dossier.objects.count(),
        Event.objects.count(),
        sorted(StatBucket.objects.values_list()),
    )

    call_command("import_dossiers", str(dossiers))
    call_command("import_unit_stats", str(stats))

    after = (
        Dossier.objects.count(),
        Event.objects.count(),
        sorted(StatBucket.objects.values_list()),
    )
    assert after == before
