"""What the development systems share: idempotent writes into their own tables,
scripted faults read from the database (so they reach every worker process), and
the simulated network.

A development system is a stand-in for another agency's system on a laptop, a
demo server or in tests. It is never a stub that always says yes: it keeps its
own state, answers after a delay, fails now and then (settings), refuses what the
real one would refuse, and fails exactly as a test scripts it (`AgencyFault`).
"""

import datetime
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from .base import AgencyRefused, AgencyUnavailable, SimulatedNetwork

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")

# A number drawn at random may collide with one drawn at the same moment by
# another worker; the unique constraint catches it and a new one is drawn.
_DRAWS = 8


def fault_take(system: str, operation: str, *, acknowledgement: bool = False) -> Any:
    """The scripted fault that applies to this call, if any, counting it down:
    one of the call's own faults (error, timeout, refusal), or, with
    `acknowledgement`, one of how the system acknowledges (late, never).

    Faults are rows (`AgencyFault`): "fail N times" decrements with a conditional
    UPDATE, so concurrent workers never take more failures than scripted.
    """
    from ..models import AgencyFault

    faults = AgencyFault.objects.filter(system=system).filter(
        Q(operation="") | Q(operation=operation)
    )
    ack_modes = AgencyFault.ACKNOWLEDGEMENT_MODES
    faults = (
        faults.filter(mode__in=ack_modes)
        if acknowledgement
        else faults.exclude(mode__in=ack_modes)
    )
    for fault in faults.order_by("pk"):
        rows = AgencyFault.objects.filter(pk=fault.pk)
        if fault.remaining is not None:
            rows = rows.filter(remaining__gt=0)
            taken = rows.update(
                remaining=F("remaining") - 1, triggered=F("triggered") + 1
            )
        else:
            taken = rows.update(triggered=F("triggered") + 1)
        if taken:
            return fault
    return None


def _repeat(model: type[M], key: str) -> M | None:
    existing = model._default_manager.filter(idempotency_key=key).first()
    if existing is not None:
        model._default_manager.filter(pk=existing.pk).update(repeats=F("repeats") + 1)
    return existing


def idempotent_write(model: type[M], key: str, create: Callable[[], M]) -> M:
    """The row already written for `key`, or the one `create()` writes now.

    `create` may draw numbers at random: a collision on a unique number (another
    writer drew the same one) is retried with a new draw.
    """
    if not key:
        raise ValueError("a write to another agency's system needs an idempotency key")
    existing = _repeat(model, key)
    if existing is not None:
        return existing
    for _attempt in range(_DRAWS):
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            existing = _repeat(model, key)
            if existing is not None:
                return existing
    raise AgencyUnavailable("could not allocate a number")


def acknowledgement_record(system: str, operation: str, key: str) -> None:
    """The system received the request sent with `key`: it acknowledges at once,
    or as scripted (`AgencyFault` "ack_late" after `delay_minutes`, "ack_never").
    A repeated key keeps its first acknowledgement."""
    from ..models import AgencyFault, HandoffAcknowledgement

    if HandoffAcknowledgement.objects.filter(
        system=system, idempotency_key=key
    ).exists():
        return
    now = timezone.now()
    fault = fault_take(system, operation, acknowledgement=True)
    acknowledged_at: datetime.datetime | None = now
    if fault is not None and fault.mode == AgencyFault.Mode.ACK_NEVER:
        acknowledged_at = None
    elif fault is not None and fault.mode == AgencyFault.Mode.ACK_LATE:
        acknowledged_at = now + datetime.timedelta(minutes=fault.delay_minutes or 0)
    try:
        with transaction.atomic():
            HandoffAcknowledgement.objects.create(
                system=system,
                operation=operation,
                idempotency_key=key,
                received_at=now,
                acknowledged_at=acknowledged_at,
            )
    except IntegrityError:
        pass  # another worker recorded the same request first


def scripted_write(
    system: str,
    network: SimulatedNetwork,
    operation: str,
    model: type[M],
    key: str,
    create: Callable[[], M],
    *,
    acknowledge: bool = False,
) -> M:
    """One write of a development system: scripted faults first, then the
    simulated network around an idempotent write. A scripted refusal applies to
    new requests only: a key already answered gets its answer. A system that
    `acknowledge`s hand-overs records the request's acknowledgement."""
    from ..models import AgencyFault

    fault = fault_take(system, operation)
    mode = fault.mode if fault is not None else ""
    if (
        mode == AgencyFault.Mode.REFUSE
        and not model._default_manager.filter(idempotency_key=key).exists()
    ):
        network.sleep(network.latency)
        raise AgencyRefused(fault.reason)

    def work() -> M:
        row = idempotent_write(model, key, create)
        if acknowledge:
            acknowledgement_record(system, operation, key)
        return row

    return network.call(
        work,
        fail="error" if mode == AgencyFault.Mode.ERROR else "",
        timeout_after=mode == AgencyFault.Mode.TIMEOUT_AFTER,
    )


class DevelopmentSystem:
    """Base of the development systems: a simulated network and scripted faults.

    Settings are read when the object is made (never at import): the system's
    latency, failure rate and timeout, which tests turn off (tests/conftest.py).
    """

    system = ""
    # Receives the linked chains' hand-overs and acknowledges them (Decree
    # 63/2024 art. 7(4)): the four systems of the chains.
    acknowledges = False
    latency_setting = "AGENCY_DEV_LATENCY_MS"
    failure_setting = "AGENCY_DEV_FAILURE_RATE"
    timeout_setting = "AGENCY_TIMEOUT_SECONDS"

    def __init__(
        self,
        *,
        latency_ms: float | None = None,
        failure_rate: float | None = None,
        timeout_seconds: float | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.network = SimulatedNetwork(
            latency_ms=getattr(settings, self.latency_setting)
            if latency_ms is None
            else latency_ms,
            failure_rate=getattr(settings, self.failure_setting)
            if failure_rate is None
            else failure_rate,
            timeout_seconds=getattr(settings, self.timeout_setting)
            if timeout_seconds is None
            else timeout_seconds,
            rng=rng,
            sleep=sleep,
        )

    @property
    def rng(self) -> random.Random:
        return self.network.rng

    def _write(
        self, operation: str, model: type[M], key: str, create: Callable[[], M]
    ) -> M:
        """One write over the simulated network, idempotent by `key`."""
        return scripted_write(
            self.system,
            self.network,
            operation,
            model,
            key,
            create,
            acknowledge=self.acknowledges,
        )

    def acknowledged_at(self, *, idempotency_key: str) -> datetime.datetime | None:
        """When this system acknowledged the request sent with the key (None:
        not yet, or never), over the simulated network."""
        from ..models import HandoffAcknowledgement

        def ask() -> datetime.datetime | None:
            row = HandoffAcknowledgement.objects.filter(
                system=self.system, idempotency_key=idempotency_key
            ).first()
            if row is None or row.acknowledged_at is None:
                return None
            return (
                row.acknowledged_at if row.acknowledged_at <= timezone.now() else None
            )

        return self.network.call(ask)

    def _digits(self, count: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _i in range(count))
