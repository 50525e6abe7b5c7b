"""Reminders: officers a working day before a dossier is due and once it is
overdue; citizens when a supplement request is about to lapse. Each is sent once
however often the periodic task runs; paused dossiers are left alone."""

import pytest
import time_machine

from dossiers import services
from dossiers.models import Dossier, Status
from notifications import tasks
from notifications.models import Notification
from notifications.reminders import reminders_send
from procedures.models import Kind
from tests.dossiers.factories import at, make_dossier
from tests.procedures.factories import ProcedureFactory

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


def received(people, when="2026-03-02 09:00", **kwargs):
    """Received Monday 2 March 2026, 3 working days: due Thursday 5 March."""
    dossier = make_dossier(now=at(when), **{**people, **kwargs})
    return services.dossier_receive(
        dossier=dossier, actor=people["officer"], now=at(when)
    )


def reminders(user, key):
    return Notification.objects.filter(recipient=user, event_key=key)


def run_at(moment):
    with time_machine.travel(at(moment), tick=False):
        return reminders_send()


def test_officers_are_reminded_a_working_day_before_the_due_day(people, officer):
    dossier = received(people)

    assert run_at("2026-03-03 08:00")["due_tomorrow"] == 0
    assert run_at("2026-03-04 08:00")["due_tomorrow"] == 1
    run_at("2026-03-04 09:00")  # the next hourly run

    sent = reminders(officer, "reminder.due_tomorrow")
    assert sent.count() == 1
    assert dossier.code in sent.get().title


def test_a_monday_due_date_is_reminded_on_friday_and_not_at_the_weekend(
    people, officer
):
    received(people, when="2026-03-04 09:00")  # Wednesday + 3 = Monday 9 March

    assert run_at("2026-03-07 08:00") == {
        "due_tomorrow": 0,
        "overdue": 0,
        "supplement_lapse": 0,
    }
    assert run_at("2026-03-06 08:00")["due_tomorrow"] == 1


def test_an_assignee_is_reminded_instead_of_the_whole_unit(people, officer, unit_a):
    from tests.accounts.factories import UserFactory

    colleague = UserFactory(roles=["receiving_officer"], org_unit=unit_a)
    dossier = received(people)
    services.dossier_assign(dossier=dossier, actor=officer, assignee=colleague)

    run_at("2026-03-04 08:00")

    assert reminders(colleague, "reminder.due_tomorrow").count() == 1
    assert not reminders(officer, "reminder.due_tomorrow").exists()


def test_overdue_dossiers_are_reminded_once(people, officer):
    received(people)

    run_at("2026-03-06 08:00")
    run_at("2026-03-09 08:00")

    assert reminders(officer, "reminder.overdue").count() == 1


def test_a_forwarded_dossier_reminds_the_processing_units_specialists(
    people, officer, specialist
):
    dossier = received(people)
    services.dossier_forward(dossier=dossier, actor=officer, to_unit=people["unit"])

    run_at("2026-03-04 08:00")

    assert reminders(specialist, "reminder.due_tomorrow").count() == 1
    assert not reminders(officer, "reminder.due_tomorrow").exists()


def test_dossiers_waiting_for_the_citizen_are_not_reminded(people, officer):
    paying = received(
        people, procedure=ProcedureFactory(fee_online_vnd=7000, fee_counter_vnd=7000)
    )
    assert paying.status == Status.AWAITING_PAYMENT
    waiting = received(people)
    services.dossier_request_supplement(
        dossier=waiting, actor=officer, items=["Giấy"], reason="Thiếu"
    )

    counts = run_at("2026-03-06 08:00")

    assert counts["due_tomorrow"] == counts["overdue"] == 0


def test_a_linked_dossiers_supplement_lapses_after_7_working_days(people, citizen):
    dossier = received(people)
    services.dossier_request_supplement(
        dossier=dossier,
        actor=people["officer"],
        items=["Giấy chứng sinh"],
        reason="Thiếu",
        now=at("2026-03-02 10:00"),
    )
    # A linked dossier waiting for the citizen's correction (the chains app puts
    # it there when a step needs papers): only its procedure's kind matters here.
    Dossier.objects.filter(pk=dossier.pk).update(
        procedure=ProcedureFactory(kind=Kind.LINKED)
    )
    # 7 working days after Monday 2 March: Wednesday 11 March.

    assert run_at("2026-03-09 08:00")["supplement_lapse"] == 0
    assert run_at("2026-03-10 08:00")["supplement_lapse"] == 1
    run_at("2026-03-11 08:00")

    sent = reminders(citizen, "reminder.supplement_lapse")
    assert sent.count() == 1
    assert "11/03/2026" in sent.get().body
    assert sent.get().url == f"/dossiers/{dossier.code}/supplement/"


def test_other_procedures_follow_the_setting(people, citizen, settings):
    dossier = received(people)
    services.dossier_request_supplement(
        dossier=dossier,
        actor=people["officer"],
        items=["Giấy"],
        reason="Thiếu",
        now=at("2026-03-02 10:00"),
    )

    settings.SUPPLEMENT_WINDOW_DAYS = 0
    assert run_at("2026-03-04 08:00")["supplement_lapse"] == 0
    settings.SUPPLEMENT_WINDOW_DAYS = 3  # lapses Thursday 5 March
    assert run_at("2026-03-03 08:00")["supplement_lapse"] == 0
    assert run_at("2026-03-04 08:00")["supplement_lapse"] == 1


def test_the_periodic_task_sends_the_reminders(people, officer):
    received(people)

    with time_machine.travel(at("2026-03-04 08:00"), tick=False):
        tasks.send_reminders.delay()

    assert reminders(officer, "reminder.due_tomorrow").count() == 1
