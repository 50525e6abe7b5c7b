"""Drill of the national portal's outbox (issue 19; docs/national-portal.md):
50 dossiers live their whole lives while the worker that delivers their events is
killed with SIGKILL, then Redis is flushed and killed and started again empty. The
drill plays beat: it runs the outbox's reconciler every second. Every event must
reach the twin exactly once and in order per dossier."""

import time
from typing import Any

from django.db.models import Sum

from dossiers.models import Dossier, Status
from national.models import OutboxEntry, SyncState, TwinReceipt
from national.services import outbox_reconcile
from tests.dossiers.factories import make_dossier

from . import infra
from .chains import World, _until


def _delivered(ids: list[int]) -> int:
    return OutboxEntry.objects.filter(
        dossier_id__in=ids, state=SyncState.DELIVERED
    ).count()


def _waiting(ids: list[int]) -> int:
    return (
        OutboxEntry.objects.filter(dossier_id__in=ids)
        .exclude(state=SyncState.DELIVERED)
        .count()
    )


def exactly_once_in_order(dossiers: list[Dossier]) -> dict[str, int]:
    """Each dossier's events are at the twin once each (one row per key), in the
    order they happened, none arrived after a later one; the figures say how often
    a key was sent again (answered with its first answer)."""
    events = 0
    for dossier in dossiers:
        sent = list(
            OutboxEntry.objects.filter(dossier=dossier)
            .order_by("event_id")
            .values_list("key", "payload__status")
        )
        got = list(
            TwinReceipt.objects.filter(dossier_code=dossier.code)
            .order_by("pk")
            .values_list("idempotency_key", "status")
        )
        assert got == sent, f"{dossier.code}: twin has {got}, sent {sent}"
        assert sent[-1][1] == "done", f"{dossier.code} did not end returned"
        events += len(sent)
    receipts = TwinReceipt.objects.filter(dossier_code__in=[d.code for d in dossiers])
    assert not receipts.filter(out_of_order=True).exists()
    return {
        "events": events,
        "twin_rows": receipts.count(),
        "keys_sent_again": receipts.aggregate(total=Sum("repeats"))["total"] or 0,
        "entries_attempted_more_than_once": OutboxEntry.objects.filter(
            dossier__in=dossiers, attempts__gt=1
        ).count(),
    }


def national_sync(
    world: World, redis: infra.Redis, *, dossiers: int = 50
) -> dict[str, Any]:
    env = world.env | infra.NATIONAL_ENV
    lives: list[Dossier] = []
    worker = infra.worker(env)
    figures: dict[str, Any] = {"dossiers": dossiers}
    try:
        for index in range(dossiers):
            if index == dossiers // 3:
                figures["waiting_when_the_worker_was_killed"] = _waiting(
                    [d.pk for d in lives]
                )
                worker.kill()
                worker = infra.worker(env)
            if index == 2 * dossiers // 3:
                figures["redis_keys_flushed"] = int(redis.cli("DBSIZE") or 0)
                redis.flush_and_stop()
                # Two dossiers live their lives while the broker is gone: their
                # events are kept, their deliveries' messages are lost.
                for extra in range(2):
                    lives.append(_life(world, f"lúc mất Redis {extra}"))
                redis.start()
                back = time.monotonic()
            lives.append(_life(world, str(index)))
        ids = [d.pk for d in lives]
        _until(
            lambda: _waiting(ids) == 0,
            timeout=240,
            what="every event at the twin",
            tick=outbox_reconcile,
        )
        figures["seconds_from_redis_back_to_all_synced"] = round(
            time.monotonic() - back, 1
        )
    finally:
        worker.stop()
    figures["dossiers"] = len(lives)
    figures["delivered"] = _delivered([d.pk for d in lives])
    return figures | exactly_once_in_order(lives)


def _life(world: World, name: str) -> Dossier:
    """A dossier from submission to the return of its result, in this process
    (the officers), each event written with its outbox entry."""
    return make_dossier(
        status=Status.RETURNED,
        applicant=world.citizen,
        unit=world.committee,
        procedure=world.simple,
        data={"full_name": f"Người nộp {name}"},
    )
