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
import dataclasses
import datetime
import itertools
import re
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections
from django.db.models import QuerySet

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


def joins_as_written_statements(
    using: str = "default", *, unless_prepared: bool = False
) -> int:
    """The statements `joins_as_written` adds around its block (the query budgets
    of the pages that use it count them)."""
    return 2 if _joins_as_written_needed(connections[using], unless_prepared) else 0


def _joins_as_written_needed(connection: Any, unless_prepared: bool) -> bool:
    if connection.vendor != "postgresql":
        return False
    return not (unless_prepared and settings.PREPARED_READS)


@contextlib.contextmanager
def joins_as_written(
    using: str = "default", *, unless_prepared: bool = False
) -> Iterator[None]:
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

    `unless_prepared`: for a block whose wide read is a `PreparedRead`, nothing
    when reads are prepared on the server (PREPARED_READS): the statement is
    planned at its first executions in a session, then by its generic plan, and
    the setting's two round trips would be all it changed (decision 336; the
    officer's dossier page: 1.5–3 ms for its first six lookups in a session,
    with or without it, 0.35 ms after).
    """
    connection = connections[using]
    if not _joins_as_written_needed(connection, unless_prepared):
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


# --- Reads compiled once ----------------------------------------------------------


class PreparedRead:
    """A small read that the ORM compiles once per process and connection; each
    call runs that SQL with its own values, the ORM's converters applied to the
    rows it returns (tuples, as `values_list` gives them). On PostgreSQL the
    statement is also prepared on the server, once per connection: parsed and
    planned once, executed by name after.

    For the busiest public reads, where compiling and planning the same small
    query on every request took longer than running it (the tracking page's
    lookup at 1M dossiers: 0.5 ms of compilation in Django, 0.55 ms a query in
    the database, 0.18 ms prepared; docs/benchmarks.md, decision 334). `build`
    receives one placeholder per value named in `values` (`name=str`,
    `name=int` or `name=datetime.date`) and returns a `values_list` queryset,
    read with `rows`, or a queryset of model instances (with its `select_related`
    and deferred fields), read with `objects`, which builds them as the ORM does.
    Each placeholder must reach the SQL's parameters as it is: a lookup that
    rewrites its value (`icontains`, and `iexact` on SQLite, which escape it for
    LIKE) cannot be prepared, and the first compilation refuses it.

    The server-side statement lives as long as its connection (a rollback keeps
    it; a new connection prepares it again). Behind a pooler that hands one
    session to several clients (PgBouncer in transaction mode), set
    PREPARED_READS=0: the reads are then compiled once but sent whole.
    """

    _count = itertools.count(1)

    def __init__(self, build: Callable[..., QuerySet[Any]], **values: type) -> None:
        self._build = build
        self._name = f"portal_read_{next(self._count)}"
        self._placeholders: dict[str, Any] = {}
        for number, (name, kind) in enumerate(values.items(), start=1):
            if kind is str:
                # The characters LIKE escapes: a rewritten value is seen.
                self._placeholders[name] = f"%_\\prepared:{name}"
            elif kind is int:
                # Within an IntegerField's range, which the ORM checks (a value
                # out of it makes the query empty, not a parameter).
                self._placeholders[name] = -(2**31) + number
            elif kind is datetime.date:
                # Days of the year 1: a date field's lookups pass them as they
                # are, or as ISO text (SQLite), which `_run` then sends too.
                self._placeholders[name] = datetime.date.min + datetime.timedelta(
                    days=number
                )
            else:
                raise TypeError(f"{name}: str, int or date, not {kind!r}")
        # Per connection: a thread has its own, with its own compiler; and the
        # database sessions (DB-API connections) that hold the statement.
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = (
            weakref.WeakKeyDictionary()
        )
        self._prepared_on: weakref.WeakSet[Any] = weakref.WeakSet()

    def _compile(self, connection: Any) -> "_Compiled":
        queryset = self._build(**self._placeholders)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = [
            (index, name, type(param) is str)
            for index, param in enumerate(params)
            for name, placeholder in self._placeholders.items()
            if (type(param) is type(placeholder) and param == placeholder)
            or (
                type(placeholder) is datetime.date
                and type(param) is str
                and param == placeholder.isoformat()
            )
        ]
        missing = set(self._placeholders) - {name for _index, name, _text in slots}
        if missing:
            raise ImproperlyConfigured(
                f"{sorted(missing)} do not reach the query's parameters as they "
                "are (a lookup rewrites them): this read cannot be prepared"
            )
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ImproperlyConfigured("a composite field cannot be prepared")
        numbers = itertools.count(1)
        numbered = re.sub(
            "%[%s]",
            lambda match: "%" if match.group() == "%%" else f"${next(numbers)}",
            sql,
        )
        marks = ", ".join(["%s"] * len(params))
        return _Compiled(
            compiler=compiler,
            builder=_Builder.of(queryset, compiler, connection.alias),
            converters=compiler.get_converters(fields),
            sql=sql,
            params=list(params),
            slots=slots,
            prepare=f"PREPARE {self._name} AS {numbered}",
            execute=f"EXECUTE {self._name}({marks})"
            if params
            else f"EXECUTE {self._name}",
        )

    def rows(self, using: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        return self._run(connections[using], values)[1]

    def objects(self, using: str = "default", **values: Any) -> list[Any]:
        """The model instances of a read whose queryset gives them."""
        compiled, rows = self._run(connections[using], values)
        if compiled.builder is None:
            raise ImproperlyConfigured("a values_list read gives rows, not objects")
        return [compiled.builder.build(row) for row in rows]

    def first(self, using: str = "default", **values: Any) -> Any:
        """The first model instance of an `objects` read, or None (for a read
        sliced to one row: a lookup by a unique key)."""
        found = self.objects(using, **values)
        return found[0] if found else None

    def _run(
        self, connection: Any, values: dict[str, Any]
    ) -> tuple["_Compiled", list[tuple[Any, ...]]]:
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        bound = list(compiled.params)
        for index, name, as_text in compiled.slots:
            value = values[name]
            bound[index] = (
                value.isoformat() if as_text and type(value) is datetime.date else value
            )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and settings.PREPARED_READS:
                session = connection.connection
                if session not in self._prepared_on:
                    # The session's set-up, as Django's own (time zone, role):
                    # on the DB-API cursor, outside the queries a page counts.
                    with session.cursor() as setup:
                        setup.execute(compiled.prepare)
                    self._prepared_on.add(session)
                cursor.execute(compiled.execute, bound)
            else:
                cursor.execute(compiled.sql, bound)
            fetched: list[tuple[Any, ...]] = cursor.fetchall()
        if not compiled.converters:
            return compiled, fetched
        converted = compiled.compiler.apply_converters(fetched, compiled.converters)
        return compiled, [tuple(row) for row in converted]


@dataclasses.dataclass(frozen=True)
class _Builder:
    """How the ORM makes a row into a model instance and its `select_related`
    objects (django.db.models.query.ModelIterable), worked out once."""

    model: Any
    alias: str
    init_list: list[str]
    start: int
    end: int
    related: list[Any]

    @classmethod
    def of(
        cls, queryset: QuerySet[Any], compiler: Any, alias: str
    ) -> "_Builder | None":
        from django.db.models.query import ModelIterable, get_related_populators

        if queryset._iterable_class is not ModelIterable:
            return None
        known = queryset._known_related_objects  # type: ignore[attr-defined]
        if compiler.annotation_col_map or known:
            raise ImproperlyConfigured("annotations cannot be prepared as objects")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return cls(
            model=klass_info["model"],
            alias=alias,
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start,
            end=end,
            # Django 5.2's signature (the stubs have a later one's).
            related=get_related_populators(  # type: ignore[call-arg]
                klass_info, select, alias
            ),
        )

    def build(self, row: tuple[Any, ...]) -> Any:
        obj = self.model.from_db(self.alias, self.init_list, row[self.start : self.end])
        for populator in self.related:
            populator.populate(row, obj)
        return obj


@dataclasses.dataclass(frozen=True)
class _Compiled:
    compiler: Any
    # Model instances' construction (None: a values_list read).
    builder: _Builder | None
    # The ORM's converters of the columns (dates on SQLite, JSON), found once.
    converters: dict[int, Any]
    sql: str
    params: list[Any]
    # (parameter's index, placeholder's name, a date sent as ISO text)
    slots: list[tuple[int, str, bool]]
    prepare: str
    execute: str
