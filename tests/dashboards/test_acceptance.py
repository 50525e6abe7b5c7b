"""Acceptance: the seed's figures, imported from files built here, come back
exactly from the summary API and on the dashboard page."""

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
