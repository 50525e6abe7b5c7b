"""Database routing: reporting reads may go to a read replica.

Dashboards and exports read a lot and write nothing. Inside `reporting_reads()`
every read goes to the `replica` alias, which points to a PostgreSQL read replica
when DATABASE_REPLICA_URL is set, and to the primary database otherwise. Writes,
and reads outside the block, always use `default`: a page never reads its own
writes from a replica that may lag behind. Without DATABASE_REPLICA_URL nothing is
routed (REPORTING_REPLICA is off).
"""

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reporting = contextvars.ContextVar("reporting_reads", default=False)


@contextlib.contextmanager
def reporting_reads() -> Iterator[None]:
    """Route the reads made inside the block to the reporting replica."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReportingRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reporting.get() and settings.REPORTING_REPLICA:
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: objects may relate across them.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
