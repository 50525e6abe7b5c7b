"""The linked chains' figures on the dashboards: Decree 63/2024 art. 7
measured for the chains completed in the period, in one query."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from agencies.services import agency_fault_add
from chains.models import ChainRun
from chains.services import handoffs_check
from chains.stats import linked_chain_figures
from units.models import OrgUnit

from .conftest import BIRTH, birth_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

HANOI = datetime.timezone(datetime.timedelta(hours=7))
MONDAY = datetime.datetime(2026, 3, 9, 9, 0, tzinfo=HANOI)
MARCH = {"start": datetime.date(2026, 3, 1), "end": datetime.date(2026, 3, 31)}


def figures(**kwargs):
    return {f["key"]: f["value"] for f in linked_chain_figures(**kwargs)}


def test_completed_chains_on_time_and_late_hand_overs_are_counted(
    citizen, agencies, django_capture_on_commit_callbacks, django_assert_num_queries
):
    agency_fault_add(system="social_insurance", mode="ack_never", times=1)
    with time_machine.travel(MONDAY, tick=False):
        for _i in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    late = ChainRun.objects.order_by("pk").last()
    ChainRun.objects.filter(pk=late.pk).update(
        completed_at=late.due_at + datetime.timedelta(hours=1)
    )
    with time_machine.travel(datetime.datetime(2026, 3, 9, 11, 1, tzinfo=HANOI)):
        handoffs_check()
    units = OrgUnit.objects.filter(pk=agencies["committee"].pk)

    with django_assert_num_queries(1):
        found = figures(org_units=units, **MARCH)

    assert found == {
        "linked_chains_completed": 2,
        "linked_chains_on_time_rate": 0.5,
        "linked_handoffs_late": 1,
    }
    other = OrgUnit.objects.filter(pk=agencies["police"].pk)
    assert figures(org_units=other, **MARCH)["linked_chains_completed"] == 0
    assert figures(org_units=other, **MARCH)["linked_chains_on_time_rate"] is None


def test_the_dashboard_shows_the_chains_figures(client, district_staff, login_staff):
    login_staff(client, district_staff)

    html = client.get(reverse("dashboards:stats-dashboard")).content.decode()

    assert "Tỷ lệ hồ sơ liên thông xong đúng hạn của cả nhóm" in html
