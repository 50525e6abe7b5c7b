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
from django.db import DatabaseError, connections

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


# --- Planning the wide reads ------------------------------------------------------


def joins_as_written_statements(using: str = "default") -> int:
    """The statements `joins_as_written` adds around its block (the query budgets
    of the pages that use it count them)."""
    return 2 if connections[using].vendor == "postgresql" else 0


@contextlib.contextmanager
def joins_as_written(using: str = "default") -> Iterator[None]:
    """Plan the joins of the queries inside in the order the ORM wrote them
    (PostgreSQL's join_collapse_limit = 1; nothing elsewhere).

    For the reads of a few dossiers with everything their page shows (procedure,
    applicant, three units, place, assignee: 8 relations, each joined by its
    primary key): the order the ORM writes, the dossier first by its own indexes,
    is the best one, and the planner's search among the orders cost 6–25 ms a
    query against 0.5–3 ms of execution at 1M dossiers (docs/benchmarks.md,
    decision 331). Not for a query filtering on a joined table, whose best plan
    may start from it. Session-level and reset after the block; a transaction that
    fails takes the setting back with it.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET join_collapse_limit = 1")
    try:
        yield
    finally:
        _reset_join_collapse(connection)


def _reset_join_collapse(connection: Any) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET join_collapse_limit")
    except DatabaseError:
        # An aborted transaction takes the SET back when it rolls back; outside
        # one, the connection is lost: the next request opens another.
        if not connection.in_atomic_block:
            connection.close()
