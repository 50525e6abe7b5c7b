"""Retrying a transaction that PostgreSQL rolled back to break a lock race."""

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, transaction

P = ParamSpec("P")
R = TypeVar("R")
logger = logging.getLogger(__name__)

# "deadlock detected" and "could not serialize access": the database rolled the
# whole transaction back, and running it again is the documented remedy.
RETRYABLE_PGCODES = frozenset({"40P01", "40001"})
ATTEMPTS = 5


def is_retryable(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc
    return getattr(cause, "pgcode", None) in RETRYABLE_PGCODES


def atomic_retrying(fn: Callable[P, R]) -> Callable[P, R]:
    """`transaction.atomic`, and when the call opens the outermost transaction,
    run it again (up to ATTEMPTS times, after a short random pause) if
    PostgreSQL chose it as the victim of a deadlock or a serialization failure.

    A linked submission and a chain step on the worker each change dossiers of
    several units, and so add to shared dashboard counts in orders that no single
    statement can make agree; PostgreSQL then rolls one of them back whole, so
    running it again is safe. Inside an outer transaction nothing is retried: the
    outermost caller owns the transaction. Side effects are scheduled on commit,
    so a rolled-back attempt sends nothing.
    """
    atomic_fn = transaction.atomic(fn)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if transaction.get_connection().in_atomic_block:
            return atomic_fn(*args, **kwargs)
        attempt = 1
        while True:
            try:
                return atomic_fn(*args, **kwargs)
            except OperationalError as exc:
                if attempt >= ATTEMPTS or not is_retryable(exc):
                    raise
                logger.warning("%s rolled back (%s), again", fn.__qualname__, exc)
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311
                attempt += 1

    return wrapper
