"""Fast tests of the bench harness (the benchmarks themselves run in `make
bench`, never in the test suite)."""

import dataclasses
import json

import pytest
from django.conf import settings
from django.test import Client

from benchmarks import load, report

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:8130
  1 threads and 4 connections
BENCH {"requests": 2400, "duration_us": 8000000, "p50_us": 1500, "p99_us": 9000, \
"status_errors": 3, "socket_errors": 1}
"""


def test_the_wrk_result_line_is_parsed():
    result = load.parse(WRK_OUTPUT)

    assert result.requests == 2400
    assert result.rps == 300
    assert (result.p50_ms, result.p99_ms) == (1.5, 9.0)
    assert result.errors == 4


def test_wrk_output_without_a_result_line_is_an_error():
    with pytest.raises(ValueError, match="no result line"):
        load.parse("Running 8s test\n")


def _result(rps: float, p50: float = 2.0, errors: int = 0) -> load.Result:
    return load.Result(
        requests=int(rps * 10), seconds=10, p50_ms=p50, p99_ms=p50 * 3, errors=errors
    )


def test_a_throughput_row_compares_with_its_baseline_and_its_target():
    row = report.Row.throughput("tracking", _result(60), _result(100), 0.5)

    assert row.ratio == pytest.approx(0.6)
    assert row.met is True
    assert report.Row.throughput("t", _result(40), _result(100), 0.5).met is False
    # A path answering errors does not meet its target, however fast.
    assert report.Row.throughput("t", _result(90, errors=5), _result(100), 0.5).met is (
        False
    )


def test_the_queue_row_needs_both_its_floor_and_its_ratio():
    row = report.Row.queue("queue", _result(60), _result(100), 50, 0.5)

    assert row.ratio == pytest.approx(0.6)
    assert row.met is True
    assert row.target == "≥ 50 req/s and ≥ 0.5× throughput"
    # Fast enough against its raw queries, but under the floor.
    assert report.Row.queue("q", _result(40), _result(60), 50, 0.5).met is False
    # Over the floor, but far from its raw queries.
    assert report.Row.queue("q", _result(60), _result(200), 50, 0.5).met is False


def test_the_dashboard_rows_compare_growth_and_the_naive_group_by():
    counts = {"50k": 50_000, "5m": 5_000_000}
    rows = report.Row.dashboard(
        _result(100, p50=10),
        _result(5, p50=200),
        _result(90, p50=12),
        _result(1, p50=4000),
        counts,
    )

    growth, versus = rows[1], rows[2]
    assert growth.ratio == pytest.approx(1.2)
    assert growth.met is True
    assert versus.ratio == pytest.approx(0.003)
    assert versus.met is True


def test_memory_growth_over_the_target_is_not_met():
    assert report.Row.memory(100.0, 115.0, 10_000).met is True
    assert report.Row.memory(100.0, 130.0, 10_000).met is False


def test_the_linked_chain_has_a_fair_row_with_its_target_and_a_no_op_row():
    from benchmarks import chains

    fair, noop = chains.rows(3, seconds=10.0, fair_seconds=4.0, noop_seconds=0.2)

    # Against the raw chain doing the same documents: the target of issue 21.
    assert fair.ratio == pytest.approx(0.4)
    assert (fair.target, fair.met) == ("≥ 0.5× throughput", False)
    assert "generating, signing and storing" in fair.baseline
    # Against no-op tasks: shown, no target.
    assert noop.ratio == pytest.approx(0.02)
    assert (noop.target, noop.met) == ("(information)", None)
    assert "no-op" in noop.baseline
    assert chains.rows(3, 10.0, 5.0, 0.2)[0].met is True
    assert report.line(noop).endswith("((information): –)")


def test_every_json_row_a_bench_script_prints_is_read():
    from benchmarks import chains

    rows = chains.rows(3, seconds=10.0, fair_seconds=4.0, noop_seconds=0.2)
    out = "\n".join(
        ["a line of its own", *(json.dumps(dataclasses.asdict(r)) for r in rows)]
    )

    assert report.rows_from_json(out + "\n") == rows


@pytest.mark.django_db
def test_the_fair_baselines_task_makes_a_steps_documents_without_a_query(
    django_assert_num_queries,
):
    """The fair baseline's task: the step's result document generated, signed
    and stored, and the citizen's copy, with no row read or written."""
    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    from benchmarks.tasks import result_document_store

    spec = {
        "applicant": "Nguyễn Văn An",
        "personal_id": "036085012345",
        "owner_id": 1,
        "unit": "Công an xã Thử",
        "agency_code": "TEST.01",
        "code": "TEST.01-260309-0001-2",
        "procedure": "Đăng ký thường trú",
        "procedure_code": "1.004222",
        "title": "Thông báo kết quả đăng ký thường trú",
        "number": "TT-260309-000001",
        "book": "",
        "rows": [["Họ, chữ đệm và tên", "Nguyễn Văn Bé"]],
        "store": True,
    }
    stored = set(_files(default_storage, "private/stored-documents/1"))

    with django_assert_num_queries(0):
        name = result_document_store(spec)

    assert name.startswith("results/")
    with default_storage.open(name, "rb") as handle:
        reader = PdfReader(handle)
        text = reader.pages[0].extract_text()
        # Signed by the agency (its PAdES field), with the document's lines.
        assert "/Sig" in {f.get("/FT") for f in reader.get_fields().values()}
    assert "TT-260309-000001" in text
    copies = set(_files(default_storage, "private/stored-documents/1")) - stored
    assert len(copies) == 1


def _files(storage, folder: str) -> list[str]:
    if not storage.exists(folder):
        return []
    return [f"{folder}/{name}" for name in storage.listdir(folder)[1]]


def test_the_docs_block_is_replaced_and_the_prose_kept(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text(
        f"# Benchmarks\n\nprose\n\n{report.MARK}\nold\n{report.END}\n\nmore\n"
    )
    info = {
        "commit": "abc1234",
        "date": "2026-01-01 00:00 UTC",
        "cpu": "CPU",
        "cores": "2",
        "ram": "23 GiB",
        "kernel": "6",
        "python": "3.11",
        "postgresql": "15",
        "redis": "7",
        "load_before": "1.0",
        "load_after": "2.0",
    }
    row = report.Row.throughput("tracking", _result(60), _result(100), 0.5)

    report.write_docs(path, info, [row], {"counts": {"1m": 1_000_000}})

    text = path.read_text()
    assert "old" not in text
    assert text.startswith("# Benchmarks\n\nprose")
    assert text.rstrip().endswith("more")
    assert "| tracking |" in text
    assert "commit `abc1234`" in text


@pytest.mark.django_db
def test_the_bare_baselines_are_not_mounted_without_the_bench_setting():
    assert settings.BENCH_ENABLED is False
    assert "benchmarks" not in settings.INSTALLED_APPS

    assert Client().get("/bench/select/", {"code": "X"}).status_code == 404


def test_the_bare_insert_writes_a_whole_dossier_row(settings, citizen, unit_a):
    """The baseline follows the model's columns (it failed once a NOT NULL
    column was added after it was written)."""
    from django.urls import clear_url_caches

    from dossiers.models import Dossier
    from tests.dossiers.factories import make_dossier

    procedure = make_dossier(applicant=citizen, unit=unit_a).procedure
    settings.ROOT_URLCONF = "benchmarks.urls"
    clear_url_caches()
    try:
        response = Client().post(
            f"/insert/?procedure={procedure.pk}&applicant={citizen.pk}"
            f"&unit={unit_a.pk}&admin_unit={unit_a.admin_unit_id}",
            '{"a": 1}',
            content_type="application/json",
        )
    finally:
        clear_url_caches()
    assert response.status_code == 201
    row = Dossier.objects.get(code__startswith="BENCH-")
    assert (row.data, row.status, row.procedure) == ({"a": 1}, "submitted", procedure)


@pytest.mark.services("postgres")
def test_the_raw_queue_reads_the_pages_rows_by_their_ids(
    settings, officer, citizen, unit_a
):
    """The queue's baseline runs the page's reads as the page runs them (the
    page's ids, then their rows), its three counts beside them."""
    from django.urls import clear_url_caches

    from benchmarks import views
    from dossiers.models import Status
    from tests.dossiers.factories import make_dossier

    for _ in range(3):
        make_dossier(applicant=citizen, unit=unit_a, status=Status.RECEIVED)
    settings.ROOT_URLCONF = "benchmarks.urls"
    clear_url_caches()
    views._cache.clear()
    try:
        response = Client().get("/queue/", {"user": officer.username})
    finally:
        clear_url_caches()
        views._cache.clear()
    # The count's row, the page's three rows, the apology count's row.
    assert response.content == b"5"
