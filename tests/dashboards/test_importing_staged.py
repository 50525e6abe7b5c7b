"""import_dossiers on PostgreSQL: the staging-table path gives exactly what the
Python path gives (rows, counts, report, errors, re-runs)."""

import datetime
import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from dashboards.importing import ImportRefused, dossiers_import
from dashboards.importing.staged import _filled_tables, staged_import
from dashboards.models import DossierFacts
from dossiers.models import Dossier, Event, Rating
from tests.procedures.factories import ProcedureFactory
from units.models import OrgUnit

from .buckets import bucket_rows
from .csvfiles import dossier_row, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.services("postgres")]

UNITS = ["000.11.59.H00", "000.24.59.H00", "001.24.59.H00", "13780", "13744"]
STATUSES = [
    "submitted",
    "received",
    "supplement_requested",
    "processing",
    "result_ready",
    "returned",
    "returned",
    "refused",
    "withdrawn",
    "stopped",
]


def _row(rng: random.Random, n: int) -> dict[str, str]:
    day = rng.randint(1, 27)
    month = rng.randint(1, 12)
    status = rng.choice(STATUSES)
    base = f"2023-{month:02d}-{day:02d}"
    times = {
        "submitted_at": f"{base}T08:{rng.randint(0, 59):02d}",
        "received_at": f"{base}T09:00",
        "due_at": f"2023-{month:02d}-{day + rng.randint(0, 1):02d}T17:00",
        "completed_at": f"2023-{month:02d}-{day + rng.randint(0, 1):02d}T16:00",
        "returned_at": f"2023-{month:02d}-{day + 1:02d}T10:00",
    }
    if status == "submitted":
        times.update(received_at="", due_at="", completed_at="", returned_at="")
    elif status in {"received", "supplement_requested", "processing"}:
        times.update(completed_at="", returned_at="")
    elif status in {"result_ready", "stopped"}:
        times.update(returned_at="")
    elif status == "refused":
        times.update(returned_at="", received_at=rng.choice(["", times["received_at"]]))
        if not times["received_at"]:
            times["due_at"] = ""
    elif status == "withdrawn":
        times.update(completed_at="", returned_at="")
    fee = rng.choice(["", "", "0", "8000"])
    row = dossier_row(
        code=f"S-{n:05d}",
        procedure_code=rng.choice(["1.001193", "2.000001"]),
        unit_code=rng.choice(UNITS[:4]),
        channel=rng.choice(["online", "counter", "post"]),
        status=status,
        fee_vnd=fee,
        paid_online=rng.choice(
            ["", "false"] + (["true"] if fee not in {"", "0"} else [])
        ),
        result_digitized=rng.choice(
            ["", "false"] + (["true"] if status in {"result_ready", "returned"} else [])
        ),
        rating=rng.choice(["", "satisfied", "very_satisfied", "dissatisfied"])
        if status == "returned"
        else "",
        **times,
    )
    # Values the SQL checks leave to Python but that are valid there.
    odd = rng.randrange(12)
    if odd == 0:
        row["channel"] = " " + row["channel"] + " "
    elif odd == 1 and row["received_at"]:
        row["received_at"] += ":00.5+07:00"
    elif odd == 2 and row["result_digitized"]:
        row["result_digitized"] = row["result_digitized"].upper()
    elif odd == 3:
        row["submitted_at"] += "+00:00"
    return row


def _bad(rng: random.Random, row: dict[str, str]) -> dict[str, str]:
    change = rng.choice(
        [
            {"channel": "fax"},
            {"submitted_at": "01/03/2023"},
            {"submitted_at": "2023-02-30T08:00"},
            {"submitted_at": ""},
            {"status": "done"},
            {"fee_vnd": "20.000"},
            {"unit_code": "999.99.99.H99"},
            {"unit_code": UNITS[4]},  # no longer valid in 2025, fine in 2023
            {"procedure_code": "9.999999"},
            {"code": "has space"},
            {"rating": "ok"},
            {"due_at": "2000-01-01T00:00"},
            # After the reform: Vụ Bản's agencies are no longer in force.
            {k: v.replace("2023-", "2026-") for k, v in row.items() if "_at" in k},
        ]
    )
    return row | change


def _file(tmp_path, seed: int, rows: int = 400):
    rng = random.Random(seed)
    out = []
    for n in range(rows):
        row = _row(rng, n)
        if rng.random() < 0.1:
            row = _bad(rng, row)
        out.append(row)
    for _ in range(10):  # codes twice
        out.append(dict(rng.choice(out)))
    rng.shuffle(out)
    return write_csv(tmp_path / f"f{seed}.csv", out)


def _state():
    dossiers = sorted(
        Dossier.objects.values_list(
            "code",
            "procedure_id",
            "applicant__username",
            "assisted_by_id",
            "channel",
            "receiving_unit_id",
            "processing_unit_id",
            "competent_unit_id",
            "admin_unit_id",
            "anywhere_in_province",
            "assignee_id",
            "status",
            "data",
            "phone_last4",
            "submitted_at",
            "received_at",
            "due_at",
            "due_steps",
            "clock_started_at",
            "supplement_count",
            "supplement_requested_at",
            "apologized",
            "completed_at",
            "returned_at",
            "return_method",
            "fee_vnd",
            "idempotency_key",
            "result_in_scope",
            "result_digitized",
            "paid_online",
        )
    )
    events = sorted(
        Event.objects.values_list(
            "dossier__code",
            "action",
            "actor_id",
            "actor_unit_id",
            "from_status",
            "to_status",
            "note",
            "public",
            "details",
        ),
        key=repr,
    )
    ratings = sorted(
        Rating.objects.values_list("dossier__code", "scores", "overall", "comment"),
        key=repr,
    )
    facts = sorted(
        (
            tuple(v for k, v in row.items() if k != "dossier_id")
            for row in DossierFacts.objects.values("dossier__code", *_fact_names())
        ),
        key=repr,
    )
    return dossiers, events, ratings, facts, bucket_rows()


def _fact_names():
    return [
        f.attname for f in DossierFacts._meta.concrete_fields if f.attname != "dossier"
    ]


def _report(report):
    return (
        report.rows,
        report.created,
        report.already_present,
        [str(e) for e in report.errors],
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_the_staging_path_imports_what_the_python_path_imports(
    vu_ban_small, tmp_path, seed
):
    assert connection.vendor == "postgresql"
    ProcedureFactory(code="1.001193")
    ProcedureFactory(code="2.000001")
    # An agency in force until mid-2023: its later rows are refused.
    OrgUnit.objects.filter(agency_code=UNITS[2]).update(
        valid_to=datetime.date(2023, 6, 30)
    )
    path = _file(tmp_path, seed)
    half = write_csv(
        tmp_path / "half.csv",
        [dossier_row(code=f"S-{n:05d}", procedure_code="1.001193") for n in range(50)],
    )

    results = {}
    for staging in (False, True):
        with transaction.atomic():  # rolled back: each path starts empty
            first = dossiers_import(path=half, staging=staging)  # codes there
            second = dossiers_import(path=path, skip_invalid=True, staging=staging)
            third = dossiers_import(path=path, skip_invalid=True, staging=staging)
            results[staging] = (
                [_report(r) for r in (first, second, third)],
                _state(),
            )
            transaction.set_rollback(True)

    python, staged = results[False], results[True]
    assert python[0][1][3], "the file has bad rows"
    assert python[0][1][1] > 200, "and many good ones"
    assert staged[0] == python[0]
    for name, a, b in zip(
        ["dossiers", "events", "ratings", "facts", "buckets"],
        staged[1],
        python[1],
        strict=True,
    ):
        assert a == b, name


def test_a_refused_file_gives_the_same_errors(vu_ban_small, tmp_path):
    ProcedureFactory(code="1.001193")
    ProcedureFactory(code="2.000001")
    path = _file(tmp_path, 3, rows=150)
    errors = {}
    for staging in (False, True):
        with pytest.raises(ImportRefused) as refused:
            dossiers_import(path=path, staging=staging)
        errors[staging] = (
            str(refused.value),
            [str(e) for e in refused.value.report.errors],
        )
    assert errors[True] == errors[False]
    assert Dossier.objects.count() == 0


def test_the_usual_file_goes_through_the_staging_table(vu_ban_small, tmp_path):
    ProcedureFactory(code="1.001193")
    path = write_csv(tmp_path / "a.csv", [dossier_row(procedure_code="1.001193")])

    report = staged_import(
        path=path, header=list(dossier_row()), skip_invalid=False, now=timezone.now()
    )

    assert report is not None
    assert report.created == 1


def test_a_quoted_line_break_is_left_to_the_python_path(vu_ban_small, tmp_path):
    ProcedureFactory(code="1.001193")
    path = tmp_path / "a.csv"
    write_csv(path, [dossier_row(procedure_code="1.001193", rating="")])
    text = path.read_text(encoding="utf-8").replace(",returned,", ',"returned\n",', 1)
    path.write_text(text, encoding="utf-8")

    assert (
        staged_import(
            path=path, header=list(dossier_row()), skip_invalid=True, now=timezone.now()
        )
        is None
    )
    report = dossiers_import(path=path)

    assert (report.created, report.errors) == (1, [])
    assert Dossier.objects.get().status == "returned"


@pytest.mark.parametrize(
    "variant",
    [
        "bom",
        "lf",
        "no final newline",
        "blank line at the end",
        "header",
        "quote in a field",
    ],
)
def test_file_variants_give_the_same_result_on_both_paths(
    vu_ban_small, tmp_path, variant
):
    ProcedureFactory(code="1.001193")
    ProcedureFactory(code="2.000001")
    path = _file(tmp_path, 4, rows=30)
    data = path.read_bytes()
    if variant == "bom":
        data = b"\xef\xbb\xbf" + data
    elif variant == "lf":  # csv.writer writes CRLF
        data = data.replace(b"\r\n", b"\n")
    elif variant == "no final newline":
        data = data.rstrip(b"\r\n")
    elif variant == "blank line at the end":
        data += b"\r\n"
    elif variant == "quote in a field":  # csv: literal; COPY: opens a quoted part
        data = data.replace(b"S-000", b'S-"000', 2)
    else:
        data = data.split(b"\n", 1)[0] + b"\n"
    path.write_bytes(data)

    results = {}
    for staging in (False, True):
        with transaction.atomic():
            report = dossiers_import(path=path, skip_invalid=True, staging=staging)
            results[staging] = (_report(report), _state())
            transaction.set_rollback(True)

    assert results[True] == results[False]
    if variant != "header":
        assert results[True][0][1] > 0


def test_the_counts_take_the_units_rows_before_the_procedures(vu_ban_small, tmp_path):
    """As buckets_apply (decision 303): a transaction that waits for a
    unit's row holds none of its procedures' rows, so the import and a web
    request that counts a dossier cannot deadlock."""
    ProcedureFactory(code="1.001193")
    path = write_csv(tmp_path / "a.csv", [dossier_row(procedure_code="1.001193")])
    statements: list[str] = []

    def spy(execute, sql, params, many, context):
        statements.append(str(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        dossiers_import(path=path)

    upserts = [
        s.split()[2]
        for s in statements
        if s.startswith("INSERT INTO") and "bucket" in s.split()[2]
    ]
    assert upserts == ['"dashboards_unitbucket"', '"dashboards_statbucket"']


def _schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
            "FROM pg_index WHERE indrelid = ANY(%s::regclass[])",
            [_filled_tables()],
        )
        indexes = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), "
            "convalidated FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])",
            [_filled_tables()],
        )
        return indexes, sorted(cursor.fetchall())


def test_rebuilding_the_indexes_imports_the_same_and_puts_them_back(
    vu_ban_small, tmp_path
):
    """--rebuild-indexes: the same rows, counts and report, and afterwards the
    same indexes and foreign keys (names, definitions, validated)."""
    ProcedureFactory(code="1.001193")
    ProcedureFactory(code="2.000001")
    path = _file(tmp_path, 5)
    schema = _schema()
    assert any(name == "dossier_code_upper" for name, _d in schema[0])
    assert len([c for c in schema[1] if "FOREIGN KEY" in c[2]]) >= 15

    results = {}
    for rebuild in (False, True):
        with transaction.atomic():
            first = dossiers_import(
                path=path, skip_invalid=True, rebuild_indexes=rebuild
            )
            again = dossiers_import(
                path=path, skip_invalid=True, rebuild_indexes=rebuild
            )
            results[rebuild] = ([_report(first), _report(again)], _state())
            assert _schema() == schema
            transaction.set_rollback(True)

    assert results[True] == results[False]
    assert results[True][0][0][1] > 200
    assert results[True][0][1][1] == 0, "the second run creates nothing"
