"""Publishing Celery tasks: the floor below every app.

Not a Django app (no models, no settings of its own): it imports Celery, kombu and
django.db only, so every app may use it, the sandbox payment platform too, which
imports none of the portal's apps (decisions 64 and 160).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

__all__ = ["backoff_seconds", "publish_on_commit"]


def publish_on_commit(
    task: Task[Any, Any],
    args: Sequence[Any] = (),
    *,
    countdown: float = 0,
    logger: logging.Logger,
    what: str,
    then: str,
) -> None:
    """Send ``task`` with ``args`` once the current transaction commits (never on
    rollback). A broker that cannot be reached is logged as a warning on the
    caller's ``logger`` ("<what>: broker unreachable, <then>") and swallowed: the
    committed work stands, and whatever ``then`` names (a periodic task that finds
    the row still waiting) sends it again (decision 122)."""
    options: dict[str, Any] = {"countdown": countdown} if countdown > 0 else {}
    payload = tuple(args)

    def publish() -> None:
        try:
            task.apply_async(args=payload, **options)
        except KombuOperationalError:
            logger.warning("%s: broker unreachable, %s", what, then, exc_info=True)

    transaction.on_commit(publish)


def backoff_seconds(
    attempt: int, *, base: float, ceiling: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait before retry `attempt`+1 of a call to another system:
    `base` doubled each time, at most `ceiling`, with jitter (half to all of it),
    so a system coming back is not hit by every waiting retry at once."""
    limit = min(base * 2 ** max(attempt - 1, 0), ceiling)
    # Not for security: it only spreads retries.
    return (rng or random).uniform(limit / 2, limit)
