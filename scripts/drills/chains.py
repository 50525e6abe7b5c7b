"""Drills on the linked chains' machinery: a worker killed with SIGKILL, Redis
restarted and flushed. The drill plays beat: it runs the reconcilers every second
(beat runs them every 60 s and 5 min; what they do is the same)."""

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.db.models import Sum

from agencies.models import (
    CivilStatusEntry,
    InsuranceCard,
    IssuedPersonalId,
    RemoteWrite,
    ResidenceEntry,
)
from chains.models import ChainRun, ChainStep, RunStatus, StepState
from chains.services import chain_reconcile
from dossiers.models import Dossier
from dossiers.services import dossier_submit
from paygate.services import order_accept, order_complete
from payments.models import Payment, PaymentCallback, PaymentStatus
from payments.services import payment_start, payments_reconcile
from tests.chains.conftest import BIRTH, birth_data, submit

from . import infra


@dataclass
class World:
    """The rows every drill uses (scripts/drills/__main__.py makes them)."""

    citizen: Any
    committee: Any
    token: str
    simple: Any  # a procedure without fee, a one-field form
    paid: Any  # the same with an online fee
    env: dict[str, str] = field(default_factory=dict)  # the workers' environment


# Fast enough for a drill, the same code paths as production (tests/chains/workers.py).
WORKER_ENV = {
    "CHAIN_STEP_LEASE_SECONDS": "4",
    "CHAIN_RETRY_BACKOFF_SECONDS": "0.3",
    "CHAIN_RETRY_BACKOFF_MAX_SECONDS": "2",
    "CHAIN_STEP_MAX_ATTEMPTS": "30",
    "AGENCY_DEV_LATENCY_MS": "100",
    "POPULATION_REGISTRY_DEV_LATENCY_MS": "100",
}


def _births(world: World, count: int) -> list[Dossier]:
    return [
        submit(world.citizen, world.committee, BIRTH, birth_data(world.citizen))
        for _ in range(count)
    ]


def _completed(ids: list[int]) -> int:
    return ChainRun.objects.filter(
        dossier_id__in=ids, status=RunStatus.COMPLETED
    ).count()


def _steps_done(ids: list[int]) -> int:
    return ChainStep.objects.filter(
        run__dossier_id__in=ids, state=StepState.DONE
    ).count()


def _until(condition: Any, *, timeout: float, what: str, tick: Any = None) -> float:
    """Seconds until `condition()`; `tick()` (a reconciler) every second."""
    start = time.monotonic()
    next_tick = start
    while not condition():
        now = time.monotonic()
        if now - start > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        if tick is not None and now >= next_tick:
            tick()
            next_tick = now + 1.0
        time.sleep(0.2)
    return time.monotonic() - start


def one_answer_per_step(dossiers: list[Dossier]) -> dict[str, int]:
    """Every step of every chain has exactly one row in its system, under its one
    idempotency key, and the number passed on is the one issued; `repeats` counts
    calls made again with a key already answered (answered with the first answer)."""
    codes = [d.code for d in dossiers]
    n = len(codes)
    tables: dict[str, tuple[type[RemoteWrite], list[str]]] = {
        "personal_ids": (IssuedPersonalId, [f"{c}-1-r1:personal-id" for c in codes]),
        "birth_entries": (CivilStatusEntry, [f"{c}-1-r1:birth" for c in codes]),
        "residence_entries": (ResidenceEntry, [f"{c}-2-r1" for c in codes]),
        "cards": (InsuranceCard, [f"{c}-3-r1" for c in codes]),
    }
    figures: dict[str, int] = {}
    repeats = 0
    for name, (model, keys) in tables.items():
        rows = model._default_manager.filter(idempotency_key__in=keys)
        figures[name] = rows.count()
        assert figures[name] == n, f"{name}: {figures[name]} rows for {n} chains"
        repeats += rows.aggregate(total=Sum("repeats"))["total"] or 0
    steps = ChainStep.objects.filter(run__dossier__code__in=codes)
    assert steps.count() == 3 * n and not steps.exclude(revision=1).exists()
    for dossier in dossiers:
        run = ChainRun.objects.get(dossier=dossier)
        number = run.steps.get(order=1).result["personal_id"]
        issued = IssuedPersonalId.objects.get(
            idempotency_key=f"{dossier.code}-1-r1:personal-id"
        )
        card = InsuranceCard.objects.get(idempotency_key=f"{dossier.code}-3-r1")
        assert issued.personal_id == number == card.personal_id, dossier.code
    figures["repeated_calls"] = repeats
    figures["steps_taken_again"] = steps.filter(attempts__gt=1).count()
    return figures


def worker_sigkill(world: World, *, chains: int = 20) -> dict[str, Any]:
    """N birth chains; the worker and its pool are killed with SIGKILL when a
    third, then two thirds of the steps are done; a new worker each time."""
    dossiers = _births(world, chains)
    ids = [d.pk for d in dossiers]
    worker = infra.worker(world.env)
    held = []
    try:
        for fraction in (1 / 3, 2 / 3):
            _until(
                lambda f=fraction: _steps_done(ids) >= f * 3 * chains,
                timeout=120,
                what="steps done before the kill",
            )
            held.append(
                ChainStep.objects.filter(
                    run__dossier_id__in=ids, state=StepState.RUNNING
                ).count()
            )
            worker.kill()
            killed_at = time.monotonic()
            worker = infra.worker(world.env)
        _until(
            lambda: _completed(ids) == chains,
            timeout=240,
            what="every chain after the kills",
            tick=chain_reconcile,
        )
        recovered = time.monotonic() - killed_at
    finally:
        worker.stop()
    return {
        "chains": chains,
        "kills": 2,
        "steps_held_by_the_killed_workers": held,
        "completed": _completed(ids),
        "seconds_from_last_kill_to_all_complete": round(recovered, 1),
        **one_answer_per_step(dossiers),
    }


def _pending_payment(world: World, index: int) -> Payment:
    """A dossier with an online fee, paid on the sandbox gateway: its callback
    is a delayed Celery message (PAYGATE_CALLBACK_DELAY_*), not delivered yet."""
    dossier = dossier_submit(
        applicant=world.citizen,
        procedure=world.paid,
        receiving_unit=world.committee,
        data={"full_name": f"Người nộp phí {index}"},
    )
    payment = payment_start(
        dossier=dossier,
        user=world.citizen,
        return_url=f"{infra.WEB_URL}/payments/return/",
        callback_url=f"{infra.WEB_URL}/api/v1/payments/callback/",
    )
    order = order_accept(dict(parse_qsl(urlsplit(payment.redirect_url).query)))
    order_complete(order=order, action="pay")
    return payment


def _submit_while_down(world: World) -> dict[str, Any]:
    """A plain and a linked dossier filed through the API while Redis is down:
    what the citizen is told, and whether the dossier was kept."""
    import requests

    start = time.monotonic()
    answers = {}
    for name, procedure, data in (
        ("plain", world.simple.code, {"full_name": "Người nộp lúc mất Redis"}),
        ("linked", BIRTH, birth_data(world.citizen)),
    ):
        response = requests.post(
            f"{infra.WEB_URL}/api/v1/dossiers/",
            json={
                "procedure": procedure,
                "unit": world.committee.agency_code,
                "data": data,
            },
            headers={"Authorization": f"Token {world.token}"},
            timeout=60,
        )
        answers[name] = response.status_code
    return {**answers, "seconds": round(time.monotonic() - start, 1)}


def redis_flush(
    world: World, redis: infra.Redis, *, chains: int = 10
) -> dict[str, Any]:
    """Chains in flight and paid orders whose callbacks wait in the broker; Redis
    is flushed and killed, started again empty. The reconcilers resume."""
    slow = world.env | {
        "AGENCY_DEV_LATENCY_MS": "300",
        "POPULATION_REGISTRY_DEV_LATENCY_MS": "300",
    }
    payments = [_pending_payment(world, i).pk for i in range(5)]
    dossiers = _births(world, chains)
    ids = [d.pk for d in dossiers]
    worker = infra.worker(slow)
    counts = {"requeued": 0, "retried": 0, "expired": 0, "advanced": 0}
    asked = 0

    def reconcile() -> None:
        nonlocal asked
        for key, value in chain_reconcile().items():
            if key in counts:
                counts[key] += value
        asked += payments_reconcile()

    def paid() -> int:
        return Payment.objects.filter(
            pk__in=payments, status=PaymentStatus.PAID
        ).count()

    try:
        _until(
            lambda: _steps_done(ids) >= chains // 2,
            timeout=60,
            what="chains in flight",
        )
        keys_lost = int(redis.cli("DBSIZE") or 0)
        in_flight = chains - _completed(ids)
        unpaid = len(payments) - paid()
        redis.flush_and_stop()
        during = _submit_while_down(world)
        time.sleep(max(0.0, 3 - during["seconds"]))
        redis.start()
        back = time.monotonic()
        # Nothing moves by itself: the messages are gone.
        done = _steps_done(ids)
        time.sleep(3)
        stalled = _steps_done(ids) - done
        _until(
            lambda: _completed(ids) == chains and paid() == len(payments),
            timeout=180,
            what="every chain and payment after the flush",
            tick=reconcile,
        )
        recovered = time.monotonic() - back
    finally:
        worker.stop()
    by_query = PaymentCallback.objects.filter(
        payment_id__in=payments,
        kind=PaymentCallback.Kind.QUERY,
        outcome=PaymentCallback.Outcome.ACCEPTED,
    ).count()
    return {
        "redis_keys_flushed": keys_lost,
        "api_submissions_while_redis_down": during,
        "chains_in_flight": in_flight,
        "payments_awaiting_callback": unpaid,
        "steps_done_in_3s_after_restart_without_reconciler": stalled,
        "steps_resumed_by_reconciler": counts,
        "payments_settled_by_reconciliation_query": by_query,
        "payments_asked_about": asked,
        "seconds_from_redis_back_to_all_recovered": round(recovered, 1),
        **one_answer_per_step(dossiers),
    }
