"""Bare Django views: the limit each hot path is measured against.

Each goes through the same gunicorn, middleware and database as the portal's
page, and does only the one database operation at the heart of that page.
"""

import datetime
import json
import uuid
from typing import Any

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

_cache: dict[Any, Any] = {}


@require_GET
def select_by_code(request: HttpRequest) -> HttpResponse:
    """One indexed SELECT by code."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, code, status, due_at FROM dossiers_dossier WHERE code = %s",
            [request.GET.get("code", "")],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return HttpResponse(f"{row[1]} {row[2]} {row[3]}")


def _insert_sql() -> tuple[str, list[Any]]:
    """An INSERT of every column of the dossier table, built from the model
    once: the baseline keeps up with added columns (it failed on a NOT NULL
    column added after it was written)."""
    from dossiers.models import Dossier

    if "insert" not in _cache:
        fields = [f for f in Dossier._meta.local_concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = connection.ops.quote_name(Dossier._meta.db_table)
        _cache["insert"] = (f"INSERT INTO {table} ({columns}) VALUES ({marks})", fields)
    sql, fields = _cache["insert"]
    return sql, fields


@csrf_exempt
@require_POST
def insert_one(request: HttpRequest) -> HttpResponse:
    """One INSERT of a dossier row (the ids come in the query string)."""
    from dossiers.models import Dossier

    sql, fields = _insert_sql()
    now = timezone.now()
    row = Dossier(
        code=f"BENCH-{uuid.uuid4().hex[:24]}",
        procedure_id=int(request.GET["procedure"]),
        applicant_id=int(request.GET["applicant"]),
        receiving_unit_id=int(request.GET["unit"]),
        admin_unit_id=int(request.GET["admin_unit"]),
        channel="online",
        status="submitted",
        data=json.loads(request.body or b"{}"),
        submitted_at=now,
        created_at=now,
        updated_at=now,
    )
    values = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    return HttpResponse(status=201)


# In the queue's statements: the page's ids, whose rows the next statement reads.
PAGE_IDS = "ids"
BY_IDS = "by-ids"


def _queue_sql(username: str, status: str) -> list[tuple[str, Any, str]]:
    """The queue page's database queries (count, the page's ids, its rows, the
    apology count), compiled once: the baseline runs them raw, the page's reads
    as the page runs them (dossiers.selectors.dossier_queue_page: ids sorted on
    the dossiers alone, then their rows by primary key, long procedure texts
    deferred, joins planned as written)."""
    from accounts.models import User
    from dossiers.calendar import WorkingCalendar
    from dossiers.selectors import (
        APOLOGY,
        dossier_queue_filter,
        dossiers_queue,
        without_procedure_texts,
    )
    from dossiers.selectors.access import dossiers_base
    from dossiers.views.officer import QUEUE_PAGE_SIZE

    user = User.objects.get(username=username)
    scope = dossiers_queue(user=user)
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    filters = {"status": status} if status else {}
    dossiers = dossier_queue_filter(
        scope, user=user, calendar=calendar, today=today, **filters
    )
    apology = dossier_queue_filter(
        scope, user=user, calendar=calendar, today=today, timing=APOLOGY
    )
    count_sql, count_params = dossiers.order_by().values("pk").query.sql_with_params()
    apology_sql, apology_params = (
        apology.order_by().values("pk").query.sql_with_params()
    )
    ids_sql, ids_params = dossiers.values_list("pk")[
        :QUEUE_PAGE_SIZE
    ].query.sql_with_params()
    # The rows by a list of ids: IN (one mark) written as = ANY(the list).
    rows_sql, _params = without_procedure_texts(
        dossiers_base().filter(pk__in=[0])
    ).query.sql_with_params()
    by_one = '"dossiers_dossier"."id" IN (%s)'
    if by_one not in rows_sql:
        raise RuntimeError("the rows' read is no longer by a list of ids")
    rows_sql = rows_sql.replace(by_one, '"dossiers_dossier"."id" = ANY(%s)')
    return [
        (f"SELECT count(*) FROM ({count_sql}) AS q", count_params, ""),
        (ids_sql, ids_params, PAGE_IDS),
        ("SET join_collapse_limit = 1", [], ""),
        (rows_sql, [], BY_IDS),
        ("RESET join_collapse_limit", [], ""),
        (f"SELECT count(*) FROM ({apology_sql}) AS q", apology_params, ""),
    ]


@require_GET
def queue_raw(request: HttpRequest) -> HttpResponse:
    """The officer queue's queries, run raw through the cursor."""
    key = ("queue", request.GET.get("user", ""), request.GET.get("status", ""))
    if key not in _cache:
        _cache[key] = _queue_sql(*key[1:])
    rows = 0
    ids: list[Any] = []
    with connection.cursor() as cursor:
        for sql, params, kind in _cache[key]:
            if kind == BY_IDS:
                if not ids:
                    continue
                params = [ids]
            cursor.execute(sql, params)
            if cursor.description is None:
                continue
            fetched = cursor.fetchall()
            if kind == PAGE_IDS:
                ids = [row[0] for row in fetched]
            else:
                rows += len(fetched)
    return HttpResponse(str(rows))


NAIVE_SQL = """
SELECT d.channel,
  count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s),
  count(*) FILTER (WHERE d.completed_at >= %(start)s AND d.completed_at < %(end)s),
  count(*) FILTER (WHERE d.completed_at >= %(start)s AND d.completed_at < %(end)s
                   AND d.completed_at <= d.due_at),
  count(*) FILTER (WHERE d.received_at < %(end)s
                   AND (d.completed_at IS NULL OR d.completed_at >= %(end)s)),
  count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s
                   AND d.paid_online)
FROM dossiers_dossier d
WHERE d.receiving_unit_id = ANY(%(units)s)
GROUP BY d.channel
"""


@require_GET
def naive_summary(request: HttpRequest) -> HttpResponse:
    """The summary's main figures by a GROUP BY over the raw dossier table."""
    from units.models import AdminUnit, OrgUnit

    code = request.GET.get("unit", "")
    if ("units", code) not in _cache:
        area = AdminUnit.objects.filter(code=code).first()
        if area is None:
            raise Http404
        _cache[("units", code)] = list(
            OrgUnit.objects.filter(admin_unit__path__startswith=area.path).values_list(
                "pk", flat=True
            )
        )
    tz = timezone.get_current_timezone()
    start = datetime.datetime.fromisoformat(request.GET["from"]).replace(tzinfo=tz)
    end = datetime.datetime.fromisoformat(request.GET["to"]).replace(
        tzinfo=tz
    ) + datetime.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            NAIVE_SQL, {"start": start, "end": end, "units": _cache[("units", code)]}
        )
        rows = cursor.fetchall()
    return JsonResponse({"rows": [list(r) for r in rows]})
