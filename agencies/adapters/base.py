"""What every adapter to another agency's system shares: the two ways a call can
go wrong, and the simulated network of the development implementations.

A call either answers, raises `AgencyUnavailable` (timeout, transient error: the
answer is not known, ask again later with the same idempotency key) or raises
`AgencyRefused` (the agency looked at the request and said no, with a reason a
citizen may read). Writes take an idempotency key: the same key asked twice
returns the first answer and changes nothing, so a retried or redelivered chain
step never issues a second number.
"""

import datetime
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.utils.translation import gettext_lazy as _

T = TypeVar("T")


class AgencyUnavailable(Exception):
    """The system did not answer in time or answered with a transient error.

    `reason` is technical (for logs and staff); `message` is safe to show.
    Whether a write happened is not known: ask again with the same key.
    """

    default_message = _(
        "Hệ thống của cơ quan liên quan đang không trả lời; Cổng sẽ tự thử lại."
    )

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason or "agency system unavailable")
        self.reason = reason or "unavailable"
        self.message = str(self.default_message)


class AgencyRefused(Exception):
    """The agency refused the request; `reason` is its answer, shown to the citizen."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Acknowledging:
    """What a system that receives hand-overs of the linked chains answers
    (Decree 63/2024 art. 7(4): the receiving system acknowledges within 2
    working hours): when it acknowledged the request sent with
    `idempotency_key`, or None while it has not. Raises `AgencyUnavailable`
    when it does not answer. A real adapter maps its agency's acknowledgement
    (a callback it stored, or a status call); without one it raises
    NotImplementedError, which the chains count as "not acknowledged"."""

    def acknowledged_at(self, *, idempotency_key: str) -> datetime.datetime | None:
        raise NotImplementedError


class SimulatedNetwork:
    """Delay and failures of a remote call, for the development implementations.

    Each call takes 50-150 % of `latency`; a share `failure_rate` of calls fails,
    half as a transient error before anything is done, half as a timeout after
    the remote side did the work (the answer is lost on the way back, which is
    what idempotency keys are for). A delay beyond the timeout is a timeout.
    Randomness and sleeping are injectable, so tests never sleep.
    """

    def __init__(
        self,
        *,
        latency_ms: float,
        failure_rate: float,
        timeout_seconds: float,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.latency = latency_ms / 1000
        self.failure_rate = failure_rate
        self.timeout = timeout_seconds
        # Not for security: it only decides which simulated calls fail.
        self.rng = rng or random.Random()  # noqa: S311
        self.sleep = sleep

    def call(
        self, work: Callable[[], T], *, fail: str = "", timeout_after: bool = False
    ) -> T:
        """Run `work` as the remote side would. `fail="error"` forces a transient
        error before the work; `timeout_after` loses the answer after it."""
        failing = self.failure_rate > 0 and self.rng.random() < self.failure_rate
        if failing and self.rng.random() < 0.5:
            fail = fail or "error"
        elif failing:
            timeout_after = True
        if fail == "error":
            self.sleep(self.latency / 2)
            raise AgencyUnavailable("transient error (HTTP 503)")
        delay = self.latency * self.rng.uniform(0.5, 1.5) if self.latency else 0.0
        if delay > self.timeout:
            self.sleep(self.timeout)
            raise AgencyUnavailable("timeout")
        if delay:
            self.sleep(delay)
        answer = work()
        if timeout_after:
            self.sleep(self.timeout)
            raise AgencyUnavailable("timeout")
        return answer
