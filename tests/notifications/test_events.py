"""Every status change that concerns the citizen tells them; a dossier arriving
in a unit's queue tells its officers; nobody is told of their own action."""

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.models import Status
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import at, make_dossier, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(citizen, unit_a, officer, specialist, leader):
    return {
        "applicant": citizen,
        "unit": unit_a,
        "officer": officer,
        "specialist": specialist,
        "leader": leader,
    }


def keys(user):
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("pk")
        .values_list("event_key", flat=True)
    )


def test_the_citizen_hears_of_each_step_of_the_happy_path(people, citizen):
    make_dossier(status=Status.RETURNED, **people)

    assert keys(citizen) == [
        "dossier.received",
        "dossier.result_ready",
        "dossier.returned",
    ]


def test_receipt_says_the_appointment(people, citizen):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    notification = Notification.objects.get(recipient=citizen)
    due = timezone.localtime(dossier.due_at)
    assert f"{due:%H:%M %d/%m/%Y}" in notification.body
    assert dossier.code in notification.title
    assert notification.url == dossier.get_absolute_url()


def test_a_supplement_request_lists_the_papers_and_the_last_day(
    people, citizen, settings
):
    settings.SUPPLEMENT_WINDOW_DAYS = 5
    make_dossier(
        status=Status.SUPPLEMENT_REQUESTED, now=at("2026-03-02 08:00"), **people
    )

    notification = Notification.objects.get(
        recipient=citizen, event_key="dossier.supplement_requested"
    )
    assert "- Giấy chứng sinh" in notification.body
    assert "Thiếu giấy" in notification.body
    assert "Hạn nộp bổ sung" in notification.body


@pytest.mark.parametrize(
    ("status", "key", "words"),
    [
        (Status.REFUSED, "dossier.refused", "Sai thẩm quyền"),
        (Status.STOPPED, "dossier.stopped", "Quá hạn bổ sung"),
    ],
)
def test_refusal_and_stop_give_the_reason(people, citizen, status, key, words):
    make_dossier(status=status, **people)

    notification = Notification.objects.get(recipient=citizen, event_key=key)
    assert words in notification.body


def test_an_apology_gives_the_new_date(people, citizen, officer):
    dossier = make_dossier(status=Status.PROCESSING, **people)
    due = timezone.localtime(dossier.due_at).date()
    from dossiers.calendar import WorkingCalendar

    new_day = WorkingCalendar.load().add_working_days(due, 2)
    services.dossier_apologize(
        dossier=dossier,
        actor=officer,
        new_due_date=new_day,
        reason="Chờ xác minh",
        now=dossier.received_at,
    )

    notification = Notification.objects.get(
        recipient=citizen, event_key="dossier.apology"
    )
    assert f"{new_day:%d/%m/%Y}" in notification.body
    assert "Chờ xác minh" in notification.body


def test_awaiting_payment_tells_the_amount(people, citizen, officer):
    from tests.procedures.factories import ProcedureFactory

    dossier = make_dossier(
        procedure=ProcedureFactory(fee_online_vnd=7000, fee_counter_vnd=10000),
        **people,
    )
    services.dossier_receive(dossier=dossier, actor=officer)

    assert keys(citizen) == ["dossier.received", "dossier.awaiting_payment"]
    notification = Notification.objects.get(event_key="dossier.awaiting_payment")
    assert "7.000 đồng" in notification.body


def test_a_new_dossier_tells_the_receiving_officers_of_its_unit(
    people, officer, officer_other_commune, specialist
):
    colleague = UserFactory(roles=["receiving_officer"], org_unit=people["unit"])

    dossier = make_dossier(**people)

    for receiver in (officer, colleague):
        notification = Notification.objects.get(recipient=receiver)
        assert notification.event_key == "queue.new"
        assert notification.url == f"/staff/dossiers/{dossier.code}/"
    assert keys(officer_other_commune) == []
    assert keys(specialist) == []


def test_filing_at_the_counter_tells_nobody_of_a_new_dossier(people, officer, citizen):
    colleague = UserFactory(roles=["receiving_officer"], org_unit=people["unit"])

    services.dossier_file_for_citizen(
        helper=officer,
        citizen=citizen,
        procedure=make_dossier(**people).procedure,
        data={"full_name": citizen.full_name},
    )

    assert keys(colleague) == ["queue.new"]  # only the first, online dossier


def test_forwarding_tells_the_processing_units_specialists_not_the_actor(
    people, officer, specialist
):
    make_dossier(status=Status.PROCESSING, **people)

    assert "queue.forwarded" in keys(specialist)
    assert "queue.forwarded" not in keys(officer)


def test_forwarding_to_a_named_officer_tells_only_them(people, officer, unit_a):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    other_specialist = UserFactory(roles=["specialist"], org_unit=unit_a)

    services.dossier_forward(
        dossier=dossier, actor=officer, to_unit=unit_a, assignee=other_specialist
    )

    assert keys(other_specialist) == ["queue.forwarded"]
    assert "queue.forwarded" not in keys(people["specialist"])


def test_a_supplement_tells_the_unit_holding_the_dossier(people, officer, citizen):
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)

    services.dossier_supplement(
        dossier=dossier, actor=citizen, files=[("", pdf_upload())]
    )

    assert keys(officer)[-1] == "queue.supplemented"
    assert "queue.supplemented" not in keys(citizen)


def test_the_citizens_own_actions_tell_them_nothing(people, citizen):
    dossier = make_dossier(**people)

    services.dossier_withdraw(dossier=dossier, actor=citizen)

    assert keys(citizen) == []


def test_a_rolled_back_change_leaves_no_notification(people, citizen, officer):
    from django.db import transaction

    dossier = make_dossier(**people)

    def receive_then_fail():
        with transaction.atomic():
            services.dossier_receive(dossier=dossier, actor=officer)
            raise RuntimeError("the request failed after the receipt")

    with pytest.raises(RuntimeError):
        receive_then_fail()

    assert keys(citizen) == []


def test_english_speakers_get_english_messages(people, citizen):
    from notifications.services import preference_update

    preference_update(user=citizen, email=True, sms=True, language="en")

    dossier = make_dossier(status=Status.RECEIVED, **people)

    notification = Notification.objects.get(recipient=citizen)
    assert notification.title == f"Dossier {dossier.code} has been received"
    assert "Result due" in notification.body
    assert dossier.procedure.name_en in notification.body
