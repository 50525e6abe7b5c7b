import copy

import pytest
from django.db import IntegrityError

from procedures.catalogue_data import FORMAT, read_data_dir
from procedures.models import Document, LinkedStep, Procedure
from procedures.selectors import catalogue_export
from procedures.services import (
    CatalogueError,
    catalogue_import,
    catalogue_load_reference,
    procedure_save,
)
from units.models import AgencyType

from .factories import SIMPLE_SCHEMA, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def _document(*procedures):
    return {
        "format": FORMAT,
        "version": 1,
        "fields": [{"code": "ho-tich", "name": "Hộ tịch", "name_en": "Civil status"}],
        "life_events": [{"code": "sinh-con", "name": "Sinh con", "name_en": "Birth"}],
        "procedures": list(procedures),
        "guides": [],
    }


def _entry(**changes):
    entry = {
        "key": "dang-ky-khai-sinh",
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "name_en": "Birth registration",
        "field": "ho-tich",
        "life_events": ["sinh-con"],
        "agency_type": "commune_committee",
        "agency_level": "commune",
        "same_day": True,
        "fee_online_vnd": 0,
        "fee_counter_vnd": 0,
        "verified": "yes",
        "source": "services-53.csv dòng 9",
        "essential_seq": 9,
        "documents": [
            {
                "key": "giay-chung-sinh",
                "name": "Giấy chứng sinh",
                "name_en": "Birth notice",
            }
        ],
    }
    return entry | changes


def test_import_creates_then_leaves_unchanged():
    first = catalogue_import(data=_document(_entry()))
    second = catalogue_import(data=_document(_entry()))

    assert first.created == ["dang-ky-khai-sinh"]
    assert second.unchanged == ["dang-ky-khai-sinh"]
    procedure = Procedure.objects.get()
    assert procedure.essential is True
    assert procedure.search_name == "dang ky khai sinh"
    assert procedure.search_text == " 1.001193 dang ky khai sinh birth registration "


def test_an_entry_without_a_schema_gets_the_generic_one():
    catalogue_import(data=_document(_entry()))

    schema = Procedure.objects.get().form_schema
    assert [s["key"] for s in schema["sections"]] == ["nguoi-nop", "giay-to"]
    assert schema["sections"][1]["fields"][0]["document"] == "giay-chung-sinh"


def test_import_updates_by_code_when_the_key_changes():
    catalogue_import(data=_document(_entry()))

    report = catalogue_import(data=_document(_entry(key="khai-sinh", name="Khai sinh")))

    assert report.updated == ["khai-sinh"]
    assert Procedure.objects.get().key == "khai-sinh"


def test_import_replaces_documents_by_key():
    catalogue_import(data=_document(_entry()))
    first = Document.objects.get()

    catalogue_import(
        data=_document(
            _entry(
                documents=[
                    {"key": "to-khai", "name": "Tờ khai", "name_en": "Form"},
                    {
                        "key": "giay-chung-sinh",
                        "name": "Giấy chứng sinh (mới)",
                        "name_en": "Birth notice",
                    },
                ]
            )
        )
    )

    docs = list(Procedure.objects.get().documents.order_by("order"))
    assert [d.key for d in docs] == ["to-khai", "giay-chung-sinh"]
    assert docs[1].pk == first.pk
    assert docs[1].name == "Giấy chứng sinh (mới)"


def test_bad_data_is_refused_whole_and_nothing_is_saved():
    good = _entry()
    bad = _entry(key="khai-tu", code="1.00065", essential_seq=10, field="nope")
    bad["form_schema"] = {"version": 1, "sections": []}

    with pytest.raises(CatalogueError) as raised:
        catalogue_import(data=_document(good, bad))

    messages = "\n".join(raised.value.messages)
    assert "không có lĩnh vực “nope”" in messages
    assert "Mã thủ tục có dạng 1.001193" in messages
    assert "tờ khai: Cấu trúc tờ khai cần ít nhất một phần" in messages
    assert not Procedure.objects.exists()


def test_duplicates_unknown_keys_and_missing_keys_are_reported():
    broken = {k: v for k, v in _entry().items() if k != "source"} | {"colour": "do"}

    with pytest.raises(CatalogueError) as raised:
        catalogue_import(data=_document(_entry(), _entry(key="ban-sao"), broken))

    messages = "\n".join(raised.value.messages)
    assert "khóa không dùng được: colour" in messages
    assert "thiếu source" in messages
    assert "“code” = “1.001193” xuất hiện 2 lần" in messages


def test_a_file_that_is_not_a_catalogue_is_refused():
    with pytest.raises(CatalogueError) as raised:
        catalogue_import(data={"procedures": []})

    assert raised.value.messages == [
        "Tệp không phải danh mục thủ tục (cần “format”: “cong-dich-vu-cong/catalogue”)."
    ]


def test_listed_only_entries_must_say_where_and_have_no_form():
    entry = _entry(submittable=False, form_schema=SIMPLE_SCHEMA, documents=[])

    with pytest.raises(CatalogueError) as raised:
        catalogue_import(data=_document(entry))

    messages = "\n".join(raised.value.messages)
    assert "không có tờ khai" in messages
    assert "cần ghi đó là gì và làm ở đâu" in messages


def test_linked_groups_need_steps_naming_known_procedures():
    group = _entry(
        key="lien-thong",
        code="3.000722",
        kind="linked",
        essential_seq=15,
        steps=[
            {"order": 1, "procedure": "1.001193", "agency_type": "commune_committee"},
            {"order": 2, "procedure": "9.999999", "agency_type": "commune_police"},
        ],
    )

    with pytest.raises(CatalogueError) as raised:
        catalogue_import(data=_document(_entry(), group))

    assert any(
        "không có thủ tục “9.999999” trong danh mục" in m for m in raised.value.messages
    )


def test_steps_are_written_after_every_procedure_exists():
    group = _entry(
        key="lien-thong",
        code="3.000722",
        kind="linked",
        essential_seq=15,
        steps=[
            {
                "order": 1,
                "procedure": "dang-ky-khai-sinh",
                "agency_type": "commune_committee",
            },
            {
                "order": 2,
                "procedure": "thuong-tru",
                "agency_type": "commune_police",
                "processing_days": 2,
            },
        ],
    )
    member = _entry(
        key="thuong-tru", code="1.004222", essential_seq=3, name="Đăng ký thường trú"
    )

    catalogue_import(data=_document(group, _entry(), member))

    steps = LinkedStep.objects.order_by("order")
    assert [(s.order, s.procedure.code) for s in steps] == [
        (1, "1.001193"),
        (2, "1.004222"),
    ]
    assert steps[1].processing_days == 2


def test_export_then_import_round_trips_the_reviewed_catalogue():
    catalogue_load_reference()
    exported = catalogue_export()

    report = catalogue_import(data=copy.deepcopy(exported))

    assert report.created == report.updated == []
    assert len(report.unchanged) == Procedure.objects.count() == 72
    assert catalogue_export() == exported


def test_export_imports_into_an_empty_database_identically():
    catalogue_load_reference()
    exported = catalogue_export()
    LinkedStep.objects.all().delete()
    Procedure.objects.all().delete()

    catalogue_import(data=copy.deepcopy(exported))

    assert catalogue_export() == exported


def test_load_keeps_edits_made_in_the_portal_unless_told_otherwise():
    catalogue_load_reference()
    procedure = Procedure.objects.get(code="1.001193")
    procedure.name_en = "Registering a birth"
    procedure_save(procedure=procedure)

    report = catalogue_load_reference()

    assert report.kept_local_edits == ["dang-ky-khai-sinh"]
    assert Procedure.objects.get(code="1.001193").name_en == "Registering a birth"

    report = catalogue_load_reference(overwrite=True)

    assert report.updated == ["dang-ky-khai-sinh"]
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name_en == "Birth registration"
    assert procedure.locally_edited is False


def test_reference_data_is_read_in_file_order():
    data = read_data_dir()

    assert data["procedures"][0]["essential_seq"] == 1
    assert len(data["procedures"]) == 72


def test_saving_a_procedure_refreshes_its_search_columns():
    procedure = ProcedureFactory(name="Đăng ký tạm trú", code="1.004194")

    procedure.name = "Gia hạn tạm trú"
    procedure_save(procedure=procedure)

    procedure.refresh_from_db()
    assert procedure.search_name == "gia han tam tru"
    assert procedure.locally_edited is True


@pytest.mark.parametrize(
    "changes",
    [
        {"code": "1001193"},
        {"essential": True, "essential_seq": None},
        {"same_day": True, "processing_days": 2},
        {"submittable": False, "where_done": ""},
        {"verified": "maybe"},
        {"key": "search"},
    ],
)
def test_database_constraints_guard_invariants_that_bypass_the_services(changes):
    procedure = ProcedureFactory()

    with pytest.raises(IntegrityError):
        Procedure.objects.filter(pk=procedure.pk).update(**changes)


def test_two_procedures_cannot_share_a_code_but_may_both_lack_one():
    field = FieldFactory()
    ProcedureFactory(code="", field=field)
    ProcedureFactory(code="", field=field)
    ProcedureFactory(code="1.000001", field=field)

    with pytest.raises(IntegrityError):
        ProcedureFactory(code="1.000001", field=field)


def test_a_group_cannot_be_its_own_step():
    group = ProcedureFactory(linked=True)

    with pytest.raises(IntegrityError):
        LinkedStep.objects.create(
            group=group, procedure=group, order=1, agency_type=AgencyType.OTHER
        )
