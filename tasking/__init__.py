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


class _Publish:
    """A task's publication waiting for the commit; `sent` once it ran."""

    def __init__(
        self,
        task: Task[Any, Any],
        args: tuple[Any, ...],
        options: dict[str, Any],
        logger: logging.Logger,
        what: str,
        then: str,
    ) -> None:
        self.task, self.args, self.options = task, args, options
        self.logger, self.what, self.then = logger, what, then
        self.sent = False

    def __call__(self) -> None:
        self.sent = True
        try:
            self.task.apply_async(args=self.args, **self.options)
        except KombuOperationalError:
            self.logger.warning(
                "%s: broker unreachable, %s", self.what, self.then, exc_info=True
            )

    def same(self, other: _Publish) -> bool:
        return (
            not self.sent
            and self.task.name == other.task.name
            and self.args == other.args
            and self.options == other.options
        )


def publish_on_commit(
    task: Task[Any, Any],
    args: Sequence[Any] = (),
    *,
    countdown: float = 0,
    logger: logging.Logger,
    what: str,
    then: str,
    once: bool = False,
) -> None:
    """Send ``task`` with ``args`` once the current transaction commits (never on
    rollback). A broker that cannot be reached is logged as a warning on the
    caller's ``logger`` ("<what>: broker unreachable, <then>") and swallowed: the
    committed work stands, and whatever ``then`` names (a periodic task that finds
    the row still waiting) sends it again (decision 122).

    ``once``: not again when the same task with the same arguments is already
    waiting for this transaction's commit (a task that does whatever is waiting
    when it runs, e.g. one delivery of every event of a dossier). A waiting
    publication rolled back with its savepoint no longer counts."""
    options: dict[str, Any] = {"countdown": countdown} if countdown > 0 else {}
    publish = _Publish(task, tuple(args), options, logger, what, then)
    if once:
        connection = transaction.get_connection()
        if any(
            isinstance(waiting, _Publish) and waiting.same(publish)
            for _sids, waiting, _robust in connection.run_on_commit
        ):
            return
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
