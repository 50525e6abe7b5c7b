"""The province's procedure list by import (issue 22): CSV or JSON, line-numbered
Vietnamese errors, idempotent, dated, exportable."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from dossiers.services import DossierError, submission_check
from procedures.models import Procedure
from procedures.services import (
    CatalogueError,
    catalogue_load_reference,
    procedure_list_export,
    procedure_list_import,
)
from procedures.services.province_list import COLUMNS
from tests.procedures.factories import FieldFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _row(n: int, **values: str) -> dict[str, str]:
    row = {
        "code": f"2.{900000 + n:06d}",
        "name": f"Thủ tục của tỉnh số {n}",
        "field": "ho-tich",
        "level": "xã",
        "agency_type": "commune_committee",
        "processing_days": "trong ngày" if n % 3 == 0 else str(n % 10 + 1),
        "fee_counter_vnd": str((n % 4) * 5000),
        "fee_online_vnd": "0",
        "papers": "Tờ khai | Giấy tờ tùy thân",
        "channels": "truc-tiep" if n % 7 == 0 else "truc-tuyen; truc-tiep",
        "listed_from": "2025-07-01",
        "source": "Quyết định công bố danh mục của tỉnh (thử)",
    }
    row.update(values)
    return row


@pytest.fixture
def civil_status(db):
    return FieldFactory(code="ho-tich", name="Hộ tịch", name_en="Civil status")


def _state() -> list[tuple[object, ...]]:
    return list(
        Procedure.objects.order_by("code").values_list(
            "code",
            "key",
            "name",
            "processing_days",
            "same_day",
            "fee_counter_vnd",
            "counter_only_reason",
            "listed_from",
            "listed_until",
            "updated_at",
        )
    )


def test_a_province_csv_of_200_procedures_imports_twice_with_the_same_result(
    civil_status, tmp_path
):
    path = tmp_path / "tinh.csv"
    path.write_text(_csv([_row(n) for n in range(1, 201)]), encoding="utf-8")

    first = procedure_list_import(text=path.read_text(encoding="utf-8"))
    state = _state()
    call_command("import_procedures", str(path))
    second = procedure_list_import(text=path.read_text(encoding="utf-8"))

    assert len(first.created) == 200
    assert second.created == second.updated == []
    assert len(second.unchanged) == 200
    assert _state() == state
    procedure = Procedure.objects.get(code="2.900007")
    assert procedure.counter_only  # channels: truc-tiep only
    assert procedure.key == "thu-tuc-cua-tinh-so-7-2900007"
    assert [d.name for d in procedure.documents.all()] == [
        "Tờ khai",
        "Giấy tờ tùy thân",
    ]
    assert Procedure.objects.get(code="2.900003").same_day
    assert procedure.listed_from == datetime.date(2025, 7, 1)
    assert not procedure.essential


def test_a_broken_row_is_named_by_its_line_and_nothing_is_saved(civil_status, tmp_path):
    rows = [_row(n) for n in range(1, 6)]
    rows[2]["code"] = "2.12"  # line 4: the header is line 1
    rows[3]["processing_days"] = "ba ngày"  # line 5
    path = tmp_path / "tinh.csv"
    path.write_text(_csv(rows), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("import_procedures", str(path))

    message = str(raised.value)
    assert "Dòng 4: mã thủ tục “2.12” không đúng dạng 1.001193." in message
    assert "Dòng 5: thời hạn “ba ngày” phải là số ngày làm việc" in message
    assert "Dòng 2" not in message
    assert not Procedure.objects.exists()


def test_a_row_the_catalogue_refuses_is_named_by_its_line(civil_status):
    rows = [_row(1), _row(2, field="khong-co")]
    with pytest.raises(CatalogueError) as raised:
        procedure_list_import(text=_csv(rows))
    assert any(
        m.startswith("Dòng 3:") and "khong-co" in m for m in raised.value.messages
    )


def test_a_procedure_leaves_the_list_from_a_date(civil_status, citizen):
    procedure_list_import(text=_csv([_row(1)]))
    procedure_list_import(text=_csv([_row(1, listed_until="2026-06-30")]))

    procedure = Procedure.objects.get(code="2.900001")
    assert procedure.listed_until == datetime.date(2026, 6, 30)
    assert procedure.listed_on(datetime.date(2026, 6, 30))
    assert not procedure.listed_on(datetime.date(2026, 7, 1))
    submission_check(
        applicant=citizen, procedure=procedure, day=datetime.date(2026, 6, 30)
    )
    with pytest.raises(DossierError, match="không còn trong danh mục"):
        submission_check(
            applicant=citizen, procedure=procedure, day=datetime.date(2026, 7, 1)
        )


def test_json_rows_are_named_by_their_item(civil_status):
    data = [_row(1), _row(2, level="thôn")]
    with pytest.raises(CatalogueError) as raised:
        procedure_list_import(text=json.dumps(data, ensure_ascii=False), fmt="json")
    assert raised.value.messages == [
        "Mục 2: cấp “thôn” không có; dùng xa, huyen, tinh hoặc trung-uong."
    ]
    report = procedure_list_import(
        text=json.dumps({"procedures": data[:1]}, ensure_ascii=False), fmt="json"
    )
    assert report.created == ["thu-tuc-cua-tinh-so-1-2900001"]


def test_the_reviewed_catalogue_exports_and_imports_back_unchanged(db):
    catalogue_load_reference()
    for fmt in ("csv", "json"):
        exported = procedure_list_export(fmt=fmt)
        report = procedure_list_import(text=exported, fmt=fmt)
        assert report.created == report.updated == []
        assert len(report.unchanged) == Procedure.objects.count()
        assert procedure_list_export(fmt=fmt) == exported
    # The 53-service mark stays a property of the procedure.
    assert Procedure.objects.filter(essential=True).count() == 53
