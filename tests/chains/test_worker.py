"""Acceptance of issue 7 against a real Redis broker and real worker processes:
both groups end to end; workers killed with SIGKILL in the middle of 20 chains;
Redis losing every message; a system failing 3 times, or always until staff send
the step back. Assertions are on the database and on the development systems'
own tables (one personal ID number, one card, ... per step)."""

import datetime
import random
import time
import uuid
from collections.abc import Iterator

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from agencies.models import (
    BenefitDecision,
    CivilStatusEntry,
    InsuranceCard,
    IssuedPersonalId,
    RecordedDeath,
    RegistryRecord,
    ResidenceEntry,
)
from agencies.services import agency_fault_add, agency_faults_clear
from chains.models import ChainRun, ChainStep, RunStatus, StepState
from chains.services import chain_reconcile
from portal.celery import app as celery_app
from tests.accounts.factories import UserFactory

from .conftest import (
    BIRTH,
    DEATH,
    birth_data,
    death_data,
    load_catalogue,
    make_agencies,
    submit,
)
from .workers import Worker, lose_every_message, wait_until

pytestmark = [
    pytest.mark.services("postgres", "redis", "worker"),
    pytest.mark.django_db(transaction=True),
    # Kills and waits measured in seconds: nothing else runs beside them.
    pytest.mark.serial,
]


@pytest.fixture
def queue(settings) -> Iterator[str]:
    """This test's own queues, consumed only by the workers it starts; tasks go
    through Redis (not in-process) for the test."""
    original = celery_app.conf.task_default_queue
    base = f"{original}.chains-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = base
    celery_app.conf.task_always_eager = False
    # The reconciler runs here, as beat would run it: what counts as lost.
    settings.CHAIN_REQUEUE_AFTER_SECONDS = 2
    yield base
    lose_every_message(base)
    celery_app.conf.task_default_queue = original
    celery_app.conf.task_always_eager = True


@pytest.fixture
def world(tree, unit_a, citizen):
    load_catalogue()
    return make_agencies(tree, unit_a)


def completed(runs: int) -> bool:
    return ChainRun.objects.filter(status=RunStatus.COMPLETED).count() >= runs


def deceased(index: int) -> str:
    number = f"036045{index:06d}"
    RegistryRecord.objects.get_or_create(
        personal_id=number,
        defaults={
            "full_name": f"Trần Văn Cụ {index}",
            "date_of_birth": datetime.date(1945, 2, 3),
            "sex": "male",
        },
    )
    return number


def death_form(citizen, index: int):
    data = death_data(citizen, count="4", status="pension")
    data["deceased"] = {
        **data["deceased"],
        "personal_id": deceased(index),
        "full_name": f"Trần Văn Cụ {index}",
    }
    return data


def assert_one_answer_per_step(births: int, deaths: int) -> None:
    """No step ever got a second number: one row per step in every system's own
    table, keyed by the step's first (and only) idempotency key."""
    assert not ChainStep.objects.exclude(revision=1).exists()
    assert IssuedPersonalId.objects.count() == births
    assert CivilStatusEntry.objects.filter(kind="birth").count() == births
    assert InsuranceCard.objects.count() == births
    assert ResidenceEntry.objects.filter(kind="register").count() == births
    assert RecordedDeath.objects.count() == deaths
    assert CivilStatusEntry.objects.filter(kind="death").count() == deaths
    assert ResidenceEntry.objects.filter(kind="deregister").count() == deaths
    assert BenefitDecision.objects.count() == 2 * deaths
    for run in ChainRun.objects.filter(dossier__procedure__code=BIRTH):
        code = run.dossier.code
        birth = run.steps.get(order=1)
        number = birth.result["personal_id"]
        issued = IssuedPersonalId.objects.get(
            idempotency_key=f"{code}-1-r1:personal-id"
        )
        assert issued.personal_id == number
        # The newborn's number is what the residence and card steps sent.
        assert ResidenceEntry.objects.get(
            idempotency_key=f"{code}-2-r1"
        ).personal_id == (number)
        card = InsuranceCard.objects.get(idempotency_key=f"{code}-3-r1")
        assert card.personal_id == number
        assert run.steps.get(order=3).result["card_code"] == card.card_code


def test_both_groups_complete_on_a_real_worker_through_the_family_queues(
    queue, world, citizen
):
    worker = Worker(queue).start()
    try:
        birth = submit(citizen, world["committee"], BIRTH, birth_data(citizen))
        death = submit(citizen, world["committee"], DEATH, death_form(citizen, 1))
        wait_until(lambda: completed(2), timeout=60, what="both chains")
    finally:
        worker.stop()

    runs = {run.dossier_id: run for run in ChainRun.objects.all()}
    first = runs[birth.pk].steps.order_by("order")
    number = first[0].result["personal_id"]
    assert first[1].request["personal_id"] == first[1].result["personal_id"] == number
    assert first[2].request["personal_id"] == first[2].result["personal_id"] == number
    assert [s.kind for s in runs[death.pk].steps.order_by("order")] == [
        "death",
        "deregistration",
        "funeral_si",
        "survivor",
    ]
    assert_one_answer_per_step(births=1, deaths=1)
    # The steps ran in the worker, each family from its own queue.
    log = worker.log()
    for task in (
        "chains.run_civil_status_step",
        "chains.run_residence_step",
        "chains.run_social_insurance_step",
    ):
        assert f"Task {task}[" in log, task


def test_workers_killed_with_sigkill_mid_step_lose_no_chain_and_double_nothing(
    queue, world, citizen
):
    """20 chains; the worker (and its pool) is killed 5 times at random moments;
    the reconciler takes back what the dead workers held."""
    rng = random.Random(20241)
    chains = 20
    worker = Worker(queue, {"CHAIN_STEP_MAX_ATTEMPTS": "30"}).start()
    kills = 0
    try:
        for index in range(chains):
            if index % 2:
                data, group = death_form(citizen, index), DEATH
            else:
                data, group = birth_data(citizen), BIRTH
            submit(citizen, world["committee"], group, data)
        for _ in range(5):
            time.sleep(rng.uniform(0.3, 2.0))
            worker.kill()
            kills += 1
            worker = Worker(queue, {"CHAIN_STEP_MAX_ATTEMPTS": "30"}).start()
        wait_until(
            lambda: completed(chains),
            timeout=240,
            what="every chain after the kills",
            every=chain_reconcile,
        )
    finally:
        worker.stop()

    assert kills == 5
    assert_one_answer_per_step(births=chains // 2, deaths=chains // 2)
    retaken = ChainStep.objects.filter(attempts__gt=1).count()
    repeats = sum(
        model.objects.filter(repeats__gt=0).count()
        for model in (IssuedPersonalId, CivilStatusEntry, InsuranceCard, ResidenceEntry)
    )
    print(f"\n20 chains, 5 kills: {retaken} steps taken again, {repeats} repeated keys")


def test_the_reconciler_resumes_every_chain_after_redis_lost_every_message(
    queue, world, citizen
):
    chains = 10
    slow = {"AGENCY_DEV_LATENCY_MS": "300", "POPULATION_REGISTRY_DEV_LATENCY_MS": "300"}
    worker = Worker(queue, slow).start()
    try:
        for index in range(chains):
            group = DEATH if index % 2 else BIRTH
            data = death_form(citizen, index) if index % 2 else birth_data(citizen)
            submit(citizen, world["committee"], group, data)
        wait_until(
            lambda: ChainStep.objects.filter(state=StepState.DONE).count() >= 3,
            timeout=60,
            what="chains in flight",
        )
        worker.kill()
        assert lose_every_message(queue) > 0
        worker = Worker(queue, slow).start()
        in_flight = ChainRun.objects.exclude(status=RunStatus.COMPLETED).count()
        assert in_flight > 0
        done = ChainStep.objects.filter(state=StepState.DONE).count()
        time.sleep(3)
        # Nothing moves: the messages are gone and the new worker has none.
        assert ChainStep.objects.filter(state=StepState.DONE).count() == done
        wait_until(
            lambda: completed(chains),
            timeout=180,
            what="every chain after Redis lost its messages",
            every=chain_reconcile,
        )
    finally:
        worker.stop()

    assert_one_answer_per_step(births=chains // 2, deaths=chains // 2)


def test_a_system_failing_3_times_then_answering_completes_after_backoff(
    queue, world, citizen
):
    agency_fault_add(system="social_insurance", mode="error", times=3)
    # Retry n waits 0.5 * 2**(n-1) to twice that: at least 0.5 + 1 + 2 seconds,
    # with a ceiling above the third wait (the workers' default of 2 s would cap
    # it to 1-2 s, and the three waits could sum to 2.5 s).
    worker = Worker(
        queue,
        {"CHAIN_RETRY_BACKOFF_SECONDS": "1", "CHAIN_RETRY_BACKOFF_MAX_SECONDS": "4"},
    ).start()
    try:
        dossier = submit(citizen, world["committee"], BIRTH, birth_data(citizen))
        wait_until(lambda: completed(1), timeout=60, what="the chain")
    finally:
        worker.stop()

    card = ChainStep.objects.get(kind="health_card")
    assert card.attempts == 4
    events = dossier.events.filter(action="chain_step", details__step=3)
    first_retry = events.filter(details__chain="retry").earliest("at").at
    done = events.get(details__chain="done").at
    assert (done - first_retry).total_seconds() >= 3.5 - 0.2
    assert InsuranceCard.objects.count() == 1


def test_a_system_always_failing_goes_to_staff_who_send_it_back_when_it_works(
    queue, world, citizen
):
    fault = agency_fault_add(system="residence", mode="error")
    worker = Worker(
        queue, {"CHAIN_STEP_MAX_ATTEMPTS": "3", "CHAIN_RETRY_BACKOFF_SECONDS": "0.2"}
    ).start()
    officer = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=world["police"])
    client = APIClient()
    client.force_authenticate(officer)
    try:
        submit(citizen, world["committee"], BIRTH, birth_data(citizen))
        wait_until(
            lambda: ChainStep.objects.filter(state=StepState.FAILED).exists(),
            timeout=60,
            what="the failed-handoff queue",
        )
        listed = client.get(reverse("chains_api:failed-list")).json()["results"]
        assert [item["order"] for item in listed] == [2]
        fault.refresh_from_db()
        assert fault.triggered == 3

        agency_faults_clear()
        response = client.post(reverse("chains_api:step-retry", args=[listed[0]["id"]]))
        assert response.status_code == 200, response.json()
        wait_until(lambda: completed(1), timeout=60, what="the chain after the retry")
    finally:
        worker.stop()

    assert ResidenceEntry.objects.count() == 1
    assert client.get(reverse("chains_api:failed-list")).json()["results"] == []
