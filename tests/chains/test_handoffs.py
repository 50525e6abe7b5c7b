"""Decree 63/2024 art. 7(4): each hand-over between the agencies' systems is
synchronised within 10 minutes and acknowledged within 2 working hours, or the
responsible officers are alerted, once per hand-over and breach, and the
hand-over waits in the failed-handoff queue."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from agencies.services import agency_fault_add, agency_faults_clear
from chains.models import ChainRun, Handoff, StepState
from chains.services import handoffs_check, working_hours_after
from dossiers.calendar import WorkingCalendar
from dossiers.models import CalendarDay
from notifications.models import Notification
from tests.a11y import accessibility_problems
from tests.accounts.factories import UserFactory, login_with_otp

from .conftest import BIRTH, birth_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

HANOI = datetime.timezone(datetime.timedelta(hours=7))
# Monday 9 March 2026, 09:00 in Hà Nội.
MONDAY = datetime.datetime(2026, 3, 9, 9, 0, tzinfo=HANOI)


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HANOI)


# --- Working hours ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Inside the morning.
        (at(2026, 3, 9, 8, 0), 2, at(2026, 3, 9, 10, 0)),
        # Across lunch: 30 minutes before 11:30, 90 after 13:30.
        (at(2026, 3, 9, 11, 0), 2, at(2026, 3, 9, 15, 0)),
        # Friday 16:30: 30 minutes, then Monday from 07:30.
        (at(2026, 3, 13, 16, 30), 2, at(2026, 3, 16, 9, 0)),
        # Sent on a Saturday: counted from Monday morning.
        (at(2026, 3, 14, 10, 0), 2, at(2026, 3, 16, 9, 30)),
        # Wednesday 29 April 16:00: 1 hour, then 30/4 and 1/5 (holidays) and the
        # weekend, then Monday 4 May from 07:30.
        (at(2026, 4, 29, 16, 0), 2, at(2026, 5, 4, 8, 30)),
        # Half an hour, in the evening: the next morning.
        (at(2026, 3, 9, 19, 0), 0.5, at(2026, 3, 10, 8, 0)),
    ],
)
def test_working_hours_skip_nights_lunch_weekends_and_holidays(start, hours, expected):
    assert working_hours_after(start, hours, WorkingCalendar()) == expected


def test_working_hours_skip_an_administrators_day_off():
    CalendarDay.objects.create(
        date=datetime.date(2026, 3, 16), is_working_day=False, reason="Nghỉ bù"
    )

    due = working_hours_after(at(2026, 3, 13, 16, 30), 2, WorkingCalendar.load())

    assert due == at(2026, 3, 17, 9, 0)


# --- Hand-overs of a chain ----------------------------------------------------------


def birth_chain(citizen, agencies, capture, when=MONDAY):
    with time_machine.travel(when, tick=False), capture(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    return ChainRun.objects.get(dossier=dossier)


def check(when):
    with time_machine.travel(when, tick=False):
        return handoffs_check()


@pytest.fixture
def insurance_staff(agencies):
    return UserFactory(
        roles=[Role.RECEIVING_OFFICER], org_unit=agencies["social_insurance"]
    )


def alerts(**filters):
    return Notification.objects.filter(
        event_key__startswith="chain.handoff_", **filters
    )


def test_each_hand_over_is_synchronised_and_acknowledged_in_time(
    citizen, agencies, officer, django_capture_on_commit_callbacks
):
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)

    handoffs = Handoff.objects.filter(step__run=run).order_by("step__order")
    assert [h.step.order for h in handoffs] == [1, 2, 3]
    for handoff in handoffs:
        assert handoff.ready_at == MONDAY
        assert handoff.sync_due_at == MONDAY + datetime.timedelta(minutes=10)
        assert handoff.sent_at == MONDAY
        assert handoff.ack_due_at == at(2026, 3, 9, 11, 0)
        assert handoff.acknowledged_at is None  # not asked yet

    counts = check(MONDAY + datetime.timedelta(minutes=1))

    assert counts == {"acknowledged": 3, "sync_alerts": 0, "ack_alerts": 0}
    assert not Handoff.objects.filter(acknowledged_at__isnull=True).exists()
    assert check(at(2026, 3, 10, 9, 0)) == {
        "acknowledged": 0,
        "sync_alerts": 0,
        "ack_alerts": 0,
    }
    assert not alerts().exists()


def test_a_late_acknowledgement_alerts_the_officers_once_then_leaves_the_queue(
    client,
    citizen,
    agencies,
    officer,
    insurance_staff,
    django_capture_on_commit_callbacks,
):
    # Social insurance acknowledges the card 3 hours after receiving it.
    agency_fault_add(system="social_insurance", mode="ack_late", delay_minutes=180)
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)
    card = Handoff.objects.get(step__run=run, step__order=3)
    assert card.ack_due_at == at(2026, 3, 9, 11, 0)

    assert check(at(2026, 3, 9, 10, 59))["ack_alerts"] == 0
    assert check(at(2026, 3, 9, 11, 1))["ack_alerts"] == 1
    assert check(at(2026, 3, 9, 11, 2))["ack_alerts"] == 0

    # The social-insurance staff and the receiving unit's officer, once each.
    assert set(
        alerts(event_key="chain.handoff_ack").values_list("recipient", flat=True)
    ) == {
        insurance_staff.pk,
        officer.pk,
    }
    message = alerts(recipient=officer).get()
    assert run.dossier.code in message.title
    assert message.url == reverse("chains:step-failed")
    assert "đồng bộ trong 10 phút, xác nhận trong 2 giờ làm việc." in message.body
    assert "Nghị định 63/2024/NĐ-CP, Điều 7" in message.body
    assert "chưa được kiểm chứng" not in message.body
    login_with_otp(client, insurance_staff)
    page = client.get(reverse("chains:step-failed")).content.decode()
    assert reverse("chains:handoff-retry", args=[card.pk]) in page

    # The acknowledgement arrives at 12:00: recorded, late, out of the queue.
    check(at(2026, 3, 9, 12, 1))
    card.refresh_from_db()
    assert card.acknowledged_at == at(2026, 3, 9, 12, 0)
    assert "ack" in card.breaches()
    page = client.get(reverse("chains:step-failed")).content.decode()
    assert "Không có lần chuyển nào quá hạn." in page
    assert alerts().count() == 2


def test_a_system_that_never_acknowledges_is_alerted_once_and_stays_in_the_queue(
    client,
    citizen,
    agencies,
    officer,
    insurance_staff,
    django_capture_on_commit_callbacks,
):
    agency_fault_add(system="social_insurance", mode="ack_never")
    # Sent on Friday 16:30: due Monday 09:00 (2 working hours).
    friday = at(2026, 3, 13, 16, 30)
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks, friday)
    card = Handoff.objects.get(step__run=run, step__order=3)
    assert card.ack_due_at == at(2026, 3, 16, 9, 0)

    # The weekend passes without an alert.
    assert check(at(2026, 3, 15, 23, 0))["ack_alerts"] == 0
    for minute in (1, 2, 30):
        check(at(2026, 3, 16, 9, minute))

    card.refresh_from_db()
    assert card.ack_alerted_at == at(2026, 3, 16, 9, 1)
    assert alerts(recipient=insurance_staff).count() == 1
    assert alerts(recipient=officer).count() == 1
    login_with_otp(client, insurance_staff)
    response = client.get(reverse("chains:step-failed"))
    page = response.content.decode()
    assert run.dossier.code in page
    assert "Chưa xác nhận" in page
    assert accessibility_problems(page) == []

    # Staff send it again: the system keeps its first answer for the same key
    # (no acknowledgement), so the hand-over stays until the agency confirms,
    # and no second alert goes out.
    agency_faults_clear()
    with time_machine.travel(at(2026, 3, 16, 10, 0), tick=False):
        response = client.post(reverse("chains:handoff-retry", args=[card.pk]))
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.retried_by == insurance_staff
    assert card.acknowledged_at is None
    assert alerts().count() == 2


def test_a_hand_over_not_synchronised_in_10_minutes_is_alerted_and_sent_again(
    client,
    citizen,
    agencies,
    officer,
    insurance_staff,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CHAIN_STEP_MAX_ATTEMPTS = 2
    agency_fault_add(system="social_insurance", mode="error")
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)
    card = Handoff.objects.get(step__run=run, step__order=3)
    assert card.step.state == StepState.FAILED
    assert card.sent_at is None

    assert check(MONDAY + datetime.timedelta(minutes=10))["sync_alerts"] == 0
    assert check(MONDAY + datetime.timedelta(minutes=11))["sync_alerts"] == 1
    assert check(MONDAY + datetime.timedelta(minutes=12))["sync_alerts"] == 0
    assert alerts(event_key="chain.handoff_sync", recipient=officer).count() == 1

    agency_faults_clear()
    login_with_otp(client, insurance_staff)
    with (
        time_machine.travel(MONDAY + datetime.timedelta(minutes=20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("chains:handoff-retry", args=[card.pk]))
    card.refresh_from_db()
    assert card.step.state == StepState.DONE
    assert card.sent_at == MONDAY + datetime.timedelta(minutes=20)
    assert "sync" in card.breaches()
    check(MONDAY + datetime.timedelta(minutes=21))
    card.refresh_from_db()
    assert card.acknowledged_at is not None
    assert alerts().count() == 2


def test_the_hand_over_queue_is_not_for_citizens_or_other_units(
    client, citizen, agencies, officer_other_commune, django_capture_on_commit_callbacks
):
    agency_fault_add(system="social_insurance", mode="ack_never")
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)
    card = Handoff.objects.get(step__run=run, step__order=3)
    check(at(2026, 3, 9, 11, 1))
    retry = reverse("chains:handoff-retry", args=[card.pk])

    assert client.post(retry).status_code == 302  # to the login page
    client.force_login(citizen)
    assert client.get(reverse("chains:step-failed")).status_code == 403
    assert client.post(retry).status_code == 403
    client.logout()
    login_with_otp(client, officer_other_commune)
    page = client.get(reverse("chains:step-failed")).content.decode()
    assert run.dossier.code not in page
    assert client.post(retry).status_code == 404
    card.refresh_from_db()
    assert card.retried_at is None
    assert not alerts(recipient=officer_other_commune).exists()


def test_a_group_without_a_rule_is_not_measured(
    citizen, agencies, django_capture_on_commit_callbacks
):
    from chains.models import LinkedGroupRule

    LinkedGroupRule.objects.filter(group_code=BIRTH).delete()
    run = birth_chain(citizen, agencies, django_capture_on_commit_callbacks)

    assert run.limit_rule is None
    assert not Handoff.objects.exists()


def test_the_beat_task_runs_the_check(
    citizen, agencies, django_capture_on_commit_callbacks
):
    from chains.tasks import check_handoffs

    birth_chain(citizen, agencies, django_capture_on_commit_callbacks)

    with time_machine.travel(MONDAY + datetime.timedelta(minutes=1), tick=False):
        assert check_handoffs.delay().get()["acknowledged"] == 3
