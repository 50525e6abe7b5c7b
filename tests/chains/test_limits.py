"""Decree 63/2024 art. 7, group 1's limit: 3 working days, 5 when verification
is needed, from the rule in force on the day the dossier was received; shown on
the linked dossier's pages and in the API, and measured (due against done)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from chains.models import ChainRun, LinkedGroupRule, RunStatus
from chains.selectors import chain_limit
from tests.a11y import accessibility_problems
from tests.accounts.factories import login_with_otp

from .conftest import BIRTH, DEATH, birth_data, living_elsewhere, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

# Monday 9 March 2026, 09:00 in Hà Nội.
MONDAY = datetime.datetime(2026, 3, 9, 2, 0, tzinfo=datetime.UTC)
HANOI = datetime.timezone(datetime.timedelta(hours=7))


def birth_chain(citizen, agencies, capture, make=birth_data, when=MONDAY):
    with time_machine.travel(when, tick=False), capture(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, make(citizen))
    return ChainRun.objects.select_related("limit_rule").get(dossier=dossier)


def test_the_seeded_rules_are_decree_63_art_7_and_group_2_is_unverified():
    birth = LinkedGroupRule.objects.get(group_code=BIRTH)
    assert birth.total_days == 3
    assert birth.total_days_with_verification == 5
    assert birth.sync_minutes == 10
    assert birth.ack_working_hours == 2
    assert birth.verified
    assert "Điều 7" in birth.legal_basis
    death = LinkedGroupRule.objects.get(group_code=DEATH)
    assert death.total_days is None
    assert not death.verified


def test_group_1_takes_the_rule_in_force_on_the_day_of_receipt(
    citizen, agencies, django_capture_on_commit_callbacks
):
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)

    assert run.limit_rule.group_code == BIRTH
    assert run.total_days == Decimal(3)
    assert run.due_at.astimezone(HANOI).date() == datetime.date(2026, 3, 12)


def test_a_later_rule_applies_to_dossiers_received_from_its_day_only(
    citizen, agencies, django_capture_on_commit_callbacks
):
    later = LinkedGroupRule.objects.create(
        group_code=BIRTH,
        valid_from=datetime.date(2026, 3, 10),
        total_days=4,
        total_days_with_verification=6,
        legal_basis="Nghị định thử",
    )
    before = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)
    after = birth_chain(
        citizen,
        agencies,
        django_capture_on_commit_callbacks,
        when=MONDAY + datetime.timedelta(days=1),
    )

    assert before.total_days == Decimal(3)
    assert after.limit_rule == later
    assert after.total_days == Decimal(4)
    # Received Tuesday 10 March before 15:00, 4 working days: Monday 16 March.
    assert after.due_at.astimezone(HANOI).date() == datetime.date(2026, 3, 16)


def test_verification_takes_the_rules_longer_limit(
    citizen, agencies, django_capture_on_commit_callbacks
):
    LinkedGroupRule.objects.filter(group_code=BIRTH).update(
        total_days_with_verification=6
    )
    run = birth_chain(
        citizen,
        agencies,
        django_capture_on_commit_callbacks,
        make=living_elsewhere,
    )

    assert run.verification
    assert run.total_days == Decimal(6)


def test_the_limit_is_measured_met_late_or_running(
    citizen, agencies, django_capture_on_commit_callbacks
):
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.COMPLETED

    assert chain_limit(run).met is True

    run.completed_at = run.due_at + datetime.timedelta(minutes=1)
    assert chain_limit(run).met is False

    run.completed_at = None
    run.status = RunStatus.RUNNING
    assert chain_limit(run, now=run.due_at).met is None
    assert chain_limit(run, now=run.due_at + datetime.timedelta(seconds=1)).late


def test_the_api_detail_gives_chain_limit(
    citizen, agencies, django_capture_on_commit_callbacks
):
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)
    client = APIClient()
    client.force_authenticate(citizen)

    body = client.get(
        reverse("dossiers_api:dossier-detail", args=[run.dossier.code])
    ).json()

    limit = body["chain_limit"]
    assert limit["working_days"] == 3
    assert limit["verification"] is False
    assert limit["met"] is True
    assert limit["due_at"]
    assert limit["completed_at"]
    assert limit["verified"] is True
    assert "Điều 7" in limit["legal_basis"]


def test_the_citizen_and_the_officer_see_the_limit_and_whether_it_was_met(
    client, citizen, officer, agencies, django_capture_on_commit_callbacks
):
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)

    client.force_login(citizen)
    page = client.get(run.dossier.get_absolute_url()).content.decode()
    assert "Thời hạn của cả nhóm" in page
    assert "3 ngày làm việc" in page
    assert "Đúng hạn" in page

    client.logout()
    login_with_otp(client, officer)
    work = reverse("dossiers:dossier-work", args=[run.dossier.code])
    response = client.get(work)
    assert response.status_code == 200
    page = response.content.decode()
    assert accessibility_problems(page) == []
    assert "Nghị định 63/2024/NĐ-CP, Điều 7" in page
    assert "Đúng hạn" in page
