"""What happens on each failure (docs/linked-chains.md): systems that do not
answer, answers lost after the work was done, refusals, officers' decisions,
supplements, deadlines, withdrawal, lost messages and killed workers."""

import datetime
import random

import pytest
import time_machine
from django.utils import timezone

from agencies.models import (
    CivilStatusEntry,
    InsuranceCard,
    IssuedPersonalId,
    ResidenceEntry,
)
from agencies.services import agency_fault_add, agency_faults_clear
from chains import services
from chains.models import ChainRun, RunStatus, StepState
from dossiers import services as dossier_services
from dossiers.models import Dossier, Status

from .conftest import (
    BIRTH,
    DEATH,
    birth_data,
    death_data,
    deceased_person,
    living_elsewhere,
    part_signed_off,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


@pytest.fixture
def linked(citizen, agencies, django_capture_on_commit_callbacks):
    """`linked(group, data)`: submit with every after-commit task run in-process."""

    def go(group=BIRTH, data=None):
        data = data or birth_data(citizen)
        with django_capture_on_commit_callbacks(execute=True):
            dossier = submit(citizen, agencies["committee"], group, data)
        return ChainRun.objects.get(dossier=dossier)

    return go


@pytest.fixture
def lost_step_messages(monkeypatch):
    """The broker loses every message sending a chain step to a worker (the step
    stays queued in the database); other tasks go as usual. Yields the lost
    messages' step ids; monkeypatch.undo() delivers again."""
    from celery.app.task import Task

    lost = []
    publish = Task.apply_async

    def apply_async(self, args=None, kwargs=None, **options):
        if self.name.startswith("chains.run"):
            lost.append(args[0])
            return None
        return publish(self, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    return lost


class WorkerKilled(BaseException):
    """The worker's process dies here: nothing after it runs, no handler sees it."""


def run_tasks(capture, action):
    with capture(execute=True):
        return action()


# --- Systems that do not answer -------------------------------------------------------


def test_a_system_failing_3_times_then_answering_completes_the_step(linked):
    agency_fault_add(system="social_insurance", mode="error", times=3)

    run = linked()

    card = run.steps.get(kind="health_card")
    assert run.status == RunStatus.COMPLETED
    assert card.state == StepState.DONE
    assert card.attempts == 4
    assert InsuranceCard.objects.count() == 1
    retries = run.dossier.events.filter(action="chain_step", details__chain="retry")
    assert retries.count() == 3
    assert not retries.filter(public=True).exists()


def test_a_system_always_failing_sends_the_step_to_the_failed_handoff_queue(
    linked, settings, agencies, django_capture_on_commit_callbacks
):
    settings.CHAIN_STEP_MAX_ATTEMPTS = 4
    agency_fault_add(system="residence", mode="error")

    run = linked()

    residence = run.steps.get(kind="residence")
    assert residence.state == StepState.FAILED
    assert residence.attempts == 4
    assert "503" in residence.last_error
    assert run.steps.get(kind="health_card").state == StepState.PENDING
    assert run.dossier.events.filter(details__chain="failed", public=True).exists()

    agency_faults_clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.chain_step_retry(step=residence, actor=None)

    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
    assert ResidenceEntry.objects.count() == 1


def test_a_staff_retry_of_a_step_not_failed_is_refused(linked):
    run = linked()

    with pytest.raises(dossier_services.IllegalTransition):
        services.chain_step_retry(step=run.steps.first(), actor=None)


def test_an_answer_lost_after_the_work_gives_the_same_number_on_retry(linked):
    agency_fault_add(system="population", mode="timeout_after", times=1)

    run = linked()

    birth = run.steps.get(kind="birth")
    assert run.status == RunStatus.COMPLETED
    assert birth.attempts == 2
    issued = IssuedPersonalId.objects.get()
    # The registry did the work once; the retry got the same number back.
    assert issued.repeats == 1
    assert birth.result["personal_id"] == issued.personal_id


def test_backoff_doubles_with_jitter_up_to_the_maximum(settings):
    settings.CHAIN_RETRY_BACKOFF_SECONDS = 10
    settings.CHAIN_RETRY_BACKOFF_MAX_SECONDS = 60
    rng = random.Random(3)

    waits = {n: [services.backoff(n, rng) for _ in range(50)] for n in (1, 2, 3, 6)}

    assert all(5 <= w <= 10 for w in waits[1])
    assert all(10 <= w <= 20 for w in waits[2])
    assert all(20 <= w <= 40 for w in waits[3])
    assert all(30 <= w <= 60 for w in waits[6])
    assert len(set(waits[2])) > 40


def test_a_retry_waits_for_its_time_before_a_worker_takes_it(
    linked, settings, monkeypatch, lost_step_messages
):
    run = linked()
    birth = run.steps.get(order=1)
    now = timezone.now()
    services.move(birth.pk, "claim", attempts=1, lease_until=now)
    services.move(
        birth.pk,
        "retry",
        next_attempt_at=now + datetime.timedelta(seconds=60),
    )

    assert services.chain_step_run(step_id=birth.pk, now=now) == "skipped"
    later = now + datetime.timedelta(seconds=61)
    monkeypatch.undo()
    assert services.chain_step_run(step_id=birth.pk, now=later) == "done"


# --- Duplicates -----------------------------------------------------------------------


def test_a_duplicate_delivery_of_a_done_step_does_nothing(linked):
    run = linked()
    birth = run.steps.get(order=1)

    assert services.chain_step_run(step_id=birth.pk) == "skipped"
    assert IssuedPersonalId.objects.count() == 1
    assert CivilStatusEntry.objects.filter(kind="birth").count() == 1


def test_a_lost_message_is_sent_again_by_the_reconciler(
    citizen,
    agencies,
    monkeypatch,
    lost_step_messages,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    run = ChainRun.objects.get(dossier=dossier)
    assert lost_step_messages == [run.steps.get(order=1).pk]
    assert run.steps.get(order=1).state == StepState.QUEUED
    monkeypatch.undo()

    # Too early: the message may still be on its way.
    assert services.chain_reconcile()["requeued"] == 0
    later = timezone.now() + datetime.timedelta(minutes=3)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        counts = services.chain_reconcile()

    assert counts["requeued"] == 1
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED


def test_a_worker_killed_holding_a_step_is_replaced_after_its_lease(
    citizen,
    agencies,
    monkeypatch,
    lost_step_messages,
    django_capture_on_commit_callbacks,
):
    from agencies.adapters import population_registry

    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))
    run = ChainRun.objects.get(dossier=dossier)
    birth = run.steps.get(order=1)
    # A worker takes the step, the registry gives the number, the worker dies.
    registry = type(population_registry())
    issue = registry.issue_personal_id
    issued = []

    def issue_then_die(self, **kwargs):
        issued.append(issue(self, **kwargs))
        raise WorkerKilled

    monkeypatch.setattr(registry, "issue_personal_id", issue_then_die)
    with pytest.raises(WorkerKilled):
        services.chain_step_run(step_id=birth.pk)
    monkeypatch.undo()
    (number,) = issued
    birth.refresh_from_db()
    assert (birth.state, birth.attempts) == (StepState.RUNNING, 1)

    assert services.chain_reconcile()["expired"] == 0
    later = timezone.now() + datetime.timedelta(seconds=200)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert services.chain_reconcile()["expired"] == 1

    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
    birth.refresh_from_db()
    assert birth.attempts == 2
    # One number, asked twice: the second worker got the first one's answer.
    assert IssuedPersonalId.objects.get().repeats == 1
    assert birth.result["personal_id"] == number


# --- Refusals and supplements ---------------------------------------------------------


def test_a_refused_step_stops_the_chain_with_the_reason_and_keeps_the_done_ones(linked):
    agency_fault_add(
        system="residence", mode="refuse", times=1, reason="Địa chỉ không có thật"
    )

    run = linked()

    assert run.status == RunStatus.WAITING_CITIZEN
    birth, residence, card = run.steps.order_by("order")
    assert birth.state == StepState.DONE
    assert birth.result["personal_id"]
    assert residence.state == StepState.REFUSED
    assert residence.refusal_reason == "Địa chỉ không có thật"
    assert residence.sub_dossier.status == Status.REFUSED
    assert card.state == StepState.PENDING
    parent = run.dossier
    parent.refresh_from_db()
    assert parent.status == Status.SUPPLEMENT_REQUESTED
    request = parent.events.filter(action="request_supplement").last()
    assert "Địa chỉ không có thật" in request.note
    assert run.supplement_due_at is not None


def test_a_refused_step_reaches_the_citizen_once_with_its_reason(linked, citizen):
    from notifications.models import Notification

    agency_fault_add(
        system="residence", mode="refuse", times=1, reason="Địa chỉ không có thật"
    )

    run = linked()

    keys = list(
        Notification.objects.filter(recipient=citizen).values_list(
            "event_key", flat=True
        )
    )
    assert keys.count("chain.refused") == 1
    assert "dossier.refused" not in keys  # the part's own refusal: not again
    # What asks the citizen for something still comes: the corrections.
    assert keys.count("dossier.supplement_requested") == 1
    refused = Notification.objects.get(recipient=citizen, event_key="chain.refused")
    assert "Địa chỉ không có thật" in refused.body
    assert run.dossier.code in refused.body


def test_the_citizen_corrects_and_resubmits_from_the_refused_step(
    linked, citizen, django_capture_on_commit_callbacks
):
    agency_fault_add(
        system="residence", mode="refuse", times=1, reason="Sai địa chỉ của mẹ"
    )
    run = linked()
    first_number = run.steps.get(order=1).result["personal_id"]
    data = dict(run.dossier.data)
    data["mother"] = {**data["mother"], "address": "Xóm 9, xã An"}

    with django_capture_on_commit_callbacks(execute=True):
        services.chain_resubmit(run=run, actor=citizen, data=data, note="Đã sửa")

    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
    residence = run.steps.get(order=2)
    assert residence.revision == 2
    # A new request: a new dossier at the police and a new idempotency key.
    assert residence.sub_dossier.code == f"{run.dossier.code}-2-2"
    entry = ResidenceEntry.objects.get()
    assert entry.idempotency_key.endswith("-2-r2")
    assert entry.address == "Xóm 9, xã An"
    # The birth was not done again.
    assert IssuedPersonalId.objects.count() == 1
    assert run.steps.get(order=1).result["personal_id"] == first_number
    run.dossier.refresh_from_db()
    assert run.dossier.data["mother"]["address"] == "Xóm 9, xã An"


def test_after_a_resubmission_the_groups_own_limit_runs_again(
    citizen, agencies, django_capture_on_commit_callbacks
):
    from dossiers.calendar import WorkingCalendar

    deceased_person()
    agency_fault_add(system="social_insurance", mode="refuse", times=1, reason="Sai")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], DEATH, death_data(citizen, count="3")
        )
    run = ChainRun.objects.get(dossier=dossier)
    assert run.status == RunStatus.WAITING_CITIZEN
    moment = timezone.now() + datetime.timedelta(days=2)

    with (
        time_machine.travel(moment, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.chain_resubmit(run=run, actor=citizen, data=dossier.data)

    dossier.refresh_from_db()
    run.refresh_from_db()
    # Group 2: 0 + 5 + 5 working days, counted again from the resubmission
    # (not the 5-day default a member procedure without a limit would get).
    expected = WorkingCalendar.load().restart(completed_at=moment, days=10)
    assert dossier.due_at == expected.due_at
    assert run.due_at == dossier.due_at
    assert dossier.events.filter(action="reschedule").exists()


def test_a_resubmission_cannot_change_the_choice_of_procedures(
    citizen, agencies, django_capture_on_commit_callbacks
):
    deceased_person()
    agency_fault_add(system="residence", mode="refuse", times=1, reason="Sai")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], DEATH, death_data(citizen, count="3")
        )
    run = ChainRun.objects.get(dossier=dossier)
    data = {**dossier.data, "procedure_count": "2"}

    with pytest.raises(services.ChainError):
        services.chain_resubmit(run=run, actor=citizen, data=data)
    dossier.refresh_from_db()
    assert dossier.data["procedure_count"] == "3"


def test_only_the_applicant_resubmits(linked, other_citizen):
    agency_fault_add(system="residence", mode="refuse", times=1, reason="Sai")
    run = linked()

    with pytest.raises(dossier_services.ActionNotAllowed):
        services.chain_resubmit(run=run, actor=other_citizen, data=run.dossier.data)


def test_the_police_refusing_after_verification_halts_the_chain(
    citizen, agencies, police_officers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )
    run = ChainRun.objects.get(dossier=dossier)
    part = Dossier.objects.get(chain_step__run=run, chain_step__order=2)

    dossier_services.dossier_refuse(
        dossier=part, actor=police_officers["officer"], reason="Không có nhà ở"
    )

    run.refresh_from_db()
    assert run.status == RunStatus.WAITING_CITIZEN
    assert run.steps.get(order=2).refusal_reason == "Không có nhà ở"
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED


def test_papers_asked_by_the_police_come_through_the_linked_dossier(
    citizen, agencies, police_officers, django_capture_on_commit_callbacks
):
    from tests.dossiers.factories import pdf_upload

    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )
    run = ChainRun.objects.get(dossier=dossier)
    part = Dossier.objects.get(chain_step__run=run, chain_step__order=2)
    officer = police_officers["officer"]
    dossier_services.dossier_request_supplement(
        dossier=part, actor=officer, items=["Hợp đồng thuê nhà"], reason="Thiếu giấy"
    )
    run.refresh_from_db()
    dossier.refresh_from_db()
    assert run.steps.get(order=2).state == StepState.WAITING_CITIZEN
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.events.filter(action="request_supplement").last().details[
        "items"
    ] == ["Hợp đồng thuê nhà"]

    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_supplement(
            dossier=dossier, actor=citizen, files=[("ho-so-cu-tru", pdf_upload())]
        )

    part.refresh_from_db()
    assert part.status == Status.RECEIVED
    assert run.steps.get(order=2).state == StepState.WAITING_OFFICER
    # The police see the new paper on their dossier.
    assert part.attachments.filter(supplement_round=1).exists()
    with django_capture_on_commit_callbacks(execute=True):
        part = dossier_services.dossier_forward(
            dossier=part, actor=officer, to_unit=part.receiving_unit
        )
        part_signed_off(part, police_officers)
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED


def test_no_supplement_within_7_working_days_stops_the_chain(
    linked, django_capture_on_commit_callbacks
):
    agency_fault_add(system="residence", mode="refuse", times=1, reason="Sai")
    run = linked()
    due = run.supplement_due_at

    assert (
        services.chain_reconcile(now=due - datetime.timedelta(minutes=1))["stopped"]
        == 0
    )
    counts = services.chain_reconcile(now=due + datetime.timedelta(minutes=1))

    assert counts["stopped"] == 1
    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED
    steps = {s.kind: s.state for s in run.steps.all()}
    assert steps == {
        "birth": StepState.DONE,
        "residence": StepState.CANCELLED,
        "health_card": StepState.CANCELLED,
    }
    run.dossier.refresh_from_db()
    assert run.dossier.status == Status.STOPPED


def test_the_supplement_deadline_counts_7_working_days(linked):
    agency_fault_add(system="residence", mode="refuse", times=1, reason="Sai")
    # Friday 6 March 2026, 10:00 in Hà Nội.
    with time_machine.travel(datetime.datetime(2026, 3, 6, 3, tzinfo=datetime.UTC)):
        run = linked()

    local = timezone.localtime(run.supplement_due_at)
    assert local.date() == datetime.date(2026, 3, 17)  # 7 working days later


# --- Withdrawal and officers on the linked dossier ------------------------------------


def test_withdrawing_the_linked_dossier_stops_its_open_step(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )
    run = ChainRun.objects.get(dossier=dossier)

    dossier_services.dossier_withdraw(dossier=dossier, actor=citizen, reason="Thôi")

    run.refresh_from_db()
    assert run.status == RunStatus.WITHDRAWN
    residence = run.steps.get(order=2)
    assert residence.state == StepState.CANCELLED
    assert residence.sub_dossier.status == Status.WITHDRAWN
    assert run.steps.get(order=1).state == StepState.DONE


def test_a_step_dossier_cannot_be_withdrawn_alone(
    citizen, agencies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )
    part = Dossier.objects.get(chain_step__run__dossier=dossier, chain_step__order=2)

    with pytest.raises(dossier_services.ActionNotAllowed):
        dossier_services.dossier_withdraw(dossier=part, actor=citizen)
    part.refresh_from_db()
    assert part.status == Status.RECEIVED


def test_an_officer_cannot_decide_the_linked_dossier_itself(
    citizen, agencies, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(
            citizen, agencies["committee"], BIRTH, living_elsewhere(citizen)
        )
    dossier.refresh_from_db()

    with pytest.raises(dossier_services.ActionNotAllowed):
        dossier_services.dossier_request_supplement(
            dossier=dossier, actor=officer, items=["x"], reason="y"
        )
    # Refusing stays possible, and stops the chain.
    dossier_services.dossier_refuse(dossier=dossier, actor=officer, reason="Trùng")
    assert ChainRun.objects.get(dossier=dossier).status == RunStatus.STOPPED
