"""import_dossiers and import_unit_stats: format, rules, idempotency, errors."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from dashboards.importing import DOSSIER_COLUMNS, DOSSIER_INSERT_COLUMNS
from dashboards.models import DossierFacts, StatBucket, UnitStat
from dashboards.services import stats_rebuild
from dossiers.models import Dossier, Event, Rating
from tests.procedures.factories import ProcedureFactory

from .buckets import bucket_rows
from .csvfiles import dossier_row, write_csv, write_unit_stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(vu_ban_small):
    return ProcedureFactory(code="1.001193")


def rows_of(**common):
    return [
        dossier_row(
            code=f"000.11.59.H00-230301-{n:04d}", procedure_code="1.001193", **common
        )
        for n in range(1, 4)
    ]


def test_a_valid_file_is_imported_with_an_event_per_dossier(procedure, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            *rows_of(),
            dossier_row(
                code="X-1",
                procedure_code="1.001193",
                status="returned",
                rating="very_satisfied",
                fee_vnd=8000,
                paid_online=True,
                result_digitized=True,
            ),
        ],
    )

    call_command("import_dossiers", str(path))

    assert Dossier.objects.count() == 4
    assert Event.objects.filter(action="import").count() == 4
    assert set(Event.objects.values_list("origin", flat=True)) == {"import"}
    rated = Dossier.objects.get(code="X-1")
    assert rated.rating.overall == "very_satisfied"
    assert rated.paid_online is True
    assert rated.result_in_scope
    assert rated.result_digitized
    assert rated.fee_vnd == 8000
    applicant = rated.applicant
    assert not applicant.is_active
    assert not applicant.has_usable_password()
    assert "hệ thống cũ" in applicant.full_name
    assert DossierFacts.objects.count() == 4


def test_a_second_run_changes_nothing(procedure, tmp_path):
    path = write_csv(tmp_path / "a.csv", rows_of())
    call_command("import_dossiers", str(path))
    state = (
        sorted(Dossier.objects.values_list("code", "status", "updated_at")),
        Event.objects.count(),
        sorted(StatBucket.objects.values_list()),
    )

    call_command("import_dossiers", str(path))

    assert (
        sorted(Dossier.objects.values_list("code", "status", "updated_at")),
        Event.objects.count(),
        sorted(StatBucket.objects.values_list()),
    ) == state


def test_one_bad_row_imports_nothing_and_names_its_line(procedure, tmp_path, capsys):
    rows = rows_of()
    rows.insert(1, dossier_row(code="BAD-1", procedure_code="1.001193", status="done"))
    path = write_csv(tmp_path / "a.csv", rows)

    with pytest.raises(CommandError, match="1 dòng lỗi"):
        call_command("import_dossiers", str(path))

    assert Dossier.objects.count() == 0
    assert StatBucket.objects.count() == 0
    assert "Dòng 3" in capsys.readouterr().err  # header = line 1


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(
    procedure, tmp_path, capsys
):
    rows = rows_of()
    rows.append(dossier_row(code="BAD-2", procedure_code="9.999999"))
    path = write_csv(tmp_path / "a.csv", rows)

    call_command("import_dossiers", str(path), skip_invalid=True)

    assert Dossier.objects.count() == 3
    assert "Dòng 5" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"channel": "fax"}, "channel"),
        ({"submitted_at": "01/03/2023"}, "ISO 8601"),
        ({"submitted_at": ""}, "submitted_at"),
        ({"status": "received", "completed_at": "2023-03-03T10:00"}, "completed_at"),
        ({"status": "returned", "returned_at": ""}, "returned_at"),
        ({"received_at": "2023-03-01T09:00", "due_at": ""}, "due_at"),
        ({"completed_at": "2023-02-01T09:00"}, "completed_at"),
        ({"due_at": "2023-02-28T09:00"}, "due_at"),
        ({"result_digitized": "yes"}, "result_digitized"),
        (
            {
                "status": "processing",
                "completed_at": "",
                "returned_at": "",
                "result_digitized": "true",
            },
            "result_digitized",
        ),
        ({"fee_vnd": "20.000"}, "fee_vnd"),
        ({"paid_online": "true", "fee_vnd": ""}, "paid_online"),
        ({"rating": "ok"}, "rating"),
        ({"status": "refused", "returned_at": "", "rating": "satisfied"}, "rating"),
        ({"unit_code": "999.99.99.H99"}, "999.99.99.H99"),
        ({"unit_code": "77777"}, "77777"),
        ({"procedure_code": "9.999999"}, "9.999999"),
        ({"code": "has space"}, "code"),
    ],
)
def test_bad_values_are_refused_with_their_reason(
    procedure, tmp_path, capsys, values, reason
):
    row = dossier_row(procedure_code="1.001193") | values
    path = write_csv(tmp_path / "a.csv", [row])

    with pytest.raises(CommandError):
        call_command("import_dossiers", str(path))

    err = capsys.readouterr().err
    assert "Dòng 2" in err
    assert reason in err
    assert Dossier.objects.count() == 0


def test_a_code_of_todays_longest_format_is_imported_and_a_longer_one_refused(
    procedure, tmp_path, capsys
):
    # A 35-character agency code and Circular 04/2025's rest: 64 characters.
    longest = "A" * 35 + "-261207-00" + "1" * 19
    assert len(longest) == 64
    path = write_csv(
        tmp_path / "a.csv", [dossier_row(code=longest, procedure_code="1.001193")]
    )
    call_command("import_dossiers", str(path))
    assert Dossier.objects.filter(code=longest).exists()

    path = write_csv(
        tmp_path / "b.csv",
        [dossier_row(code=longest + "1", procedure_code="1.001193")],
    )
    with pytest.raises(CommandError):
        call_command("import_dossiers", str(path))
    assert "1 đến 64 ký tự" in capsys.readouterr().err


def test_a_code_twice_in_the_file_is_an_error(procedure, tmp_path, capsys):
    row = dossier_row(procedure_code="1.001193")
    path = write_csv(tmp_path / "a.csv", [row, row])

    with pytest.raises(CommandError):
        call_command("import_dossiers", str(path))

    assert "dòng 2" in capsys.readouterr().err


def test_the_header_must_have_exactly_the_columns(procedure, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("code,procedure_code\nA,1.001193\n", encoding="utf-8")

    with pytest.raises(CommandError, match="received_at"):
        call_command("import_dossiers", str(path))


def test_a_file_that_is_not_utf8_is_refused(procedure, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(",".join(DOSSIER_COLUMNS).encode() + b"\nM\xe3 h\xf4\n")

    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_dossiers", str(path))


def test_naive_times_are_vietnam_time_and_offsets_are_kept(procedure, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            dossier_row(code="N-1", procedure_code="1.001193"),
            dossier_row(
                code="N-2",
                procedure_code="1.001193",
                submitted_at="2023-03-01T01:00:00+00:00",
                received_at="2023-03-01T02:00:00Z",
            ),
        ],
    )

    call_command("import_dossiers", str(path))

    naive = Dossier.objects.get(code="N-1").received_at
    assert naive == datetime.datetime(2023, 3, 1, 2, 0, tzinfo=datetime.UTC)
    aware = Dossier.objects.get(code="N-2").received_at
    assert aware == datetime.datetime(2023, 3, 1, 2, 0, tzinfo=datetime.UTC)


def test_a_commune_code_means_its_peoples_committee(vu_ban_small, procedure, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            dossier_row(code="C-1", procedure_code="1.001193", unit_code="13780"),
            dossier_row(
                code="C-2", procedure_code="1.001193", unit_code="001.24.59.H00"
            ),
        ],
    )

    call_command("import_dossiers", str(path))

    assert (
        Dossier.objects.get(code="C-1").receiving_unit == vu_ban_small["000.24.59.H00"]
    )
    assert (
        Dossier.objects.get(code="C-2").receiving_unit == vu_ban_small["001.24.59.H00"]
    )


def test_a_commune_code_is_read_for_the_submission_day(
    vu_ban_small, procedure, tmp_path, capsys
):
    # 13744 (Minh Thuận) was merged at the end of 2024.
    path = write_csv(
        tmp_path / "a.csv",
        [
            dossier_row(
                code="M-1",
                procedure_code="1.001193",
                unit_code="13744",
                submitted_at="2025-03-01T08:00",
                received_at="2025-03-03T09:00",
                due_at="2025-03-06T17:00",
                completed_at="2025-03-04T10:00",
                returned_at="2025-03-04T11:00",
            )
        ],
    )

    with pytest.raises(CommandError):
        call_command("import_dossiers", str(path))

    assert "13744" in capsys.readouterr().err


def test_imported_counts_equal_a_rebuild(procedure, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            *rows_of(),
            dossier_row(
                code="W-1",
                procedure_code="1.001193",
                status="withdrawn",
                completed_at="",
                returned_at="",
            ),
            dossier_row(
                code="P-1",
                procedure_code="1.001193",
                status="processing",
                completed_at="",
                returned_at="",
            ),
            dossier_row(
                code="S-1",
                procedure_code="1.001193",
                status="submitted",
                received_at="",
                due_at="",
                completed_at="",
                returned_at="",
            ),
        ],
    )
    call_command("import_dossiers", str(path))
    imported = bucket_rows()
    assert imported[0]

    stats_rebuild()

    assert bucket_rows() == imported


def test_the_insert_columns_are_every_column_of_a_dossier():
    columns = {f.attname for f in Dossier._meta.concrete_fields}
    assert set(DOSSIER_INSERT_COLUMNS) == columns


# --- Unit statistics -------------------------------------------------------------


def test_unit_stats_are_imported_once_and_updated_by_date(vu_ban_small, tmp_path):
    path = write_unit_stats(
        tmp_path / "e.csv",
        [("13741", "2023-06-30", 4000, 5000), ("000.24.59.H00", "2023-06-30", 10, 20)],
    )
    call_command("import_unit_stats", str(path))
    call_command("import_unit_stats", str(path))

    assert UnitStat.objects.count() == 2
    kim_thai = UnitStat.objects.get(admin_unit__code="13780")
    assert (kim_thai.eid_activated, kim_thai.eid_population) == (10, 20)

    write_unit_stats(path, [("13780", "2023-06-30", 15, 20)])
    call_command("import_unit_stats", str(path))
    kim_thai.refresh_from_db()
    assert kim_thai.eid_activated == 15


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("13741", "30/06/2023", 1, 2), "as_of"),
        (("13741", "2023-06-30", 3, 2), "eid_activated"),
        (("13741", "2023-06-30", "", 2), "eid_activated"),
        (("55555", "2023-06-30", 1, 2), "55555"),
    ],
)
def test_bad_unit_stats_import_nothing(vu_ban_small, tmp_path, capsys, row, reason):
    path = write_unit_stats(tmp_path / "e.csv", [("13780", "2023-06-30", 1, 2), row])

    with pytest.raises(CommandError):
        call_command("import_unit_stats", str(path))

    assert UnitStat.objects.count() == 0
    err = capsys.readouterr().err
    assert "Dòng 3" in err
    assert reason in err


def test_rating_rows_are_written_for_rated_dossiers_only(procedure, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            *rows_of(),
            dossier_row(code="R-1", procedure_code="1.001193", rating="satisfied"),
        ],
    )
    call_command("import_dossiers", str(path))
    assert Rating.objects.count() == 1
