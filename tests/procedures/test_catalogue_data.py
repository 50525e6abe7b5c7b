"""The reviewed catalogue in procedures/data/: the acceptance facts of issue 3."""

import csv
from pathlib import Path

import pytest

from procedures.catalogue_data import read_data_dir
from procedures.models import Kind, Procedure, Verified
from procedures.schema import (
    schema_api_fields,
    schema_errors,
    schema_file_fields,
    schema_generic,
)
from procedures.selectors import linked_steps_applying, procedure_get
from procedures.services import catalogue_errors
from procedures.text import CODE_RE

pytestmark = pytest.mark.usefixtures("catalogue")

REFERENCE = Path("/work/shared/reference/services-53.csv")
NOT_DOSSIERS = {8, 20, 25, 31, 32, 33, 36, 41, 42, 44}
REAL_SCHEMAS = [
    "1.001193",  # khai sinh
    "1.000656",  # khai tử
    "1.000894",  # kết hôn
    "1.004222",  # thường trú
    "1.004194",  # tạm trú
    "1.001939",  # thẻ BHYT
    "1.014137",  # thẻ BHYT, step of the linked birth group
    "3.000722",
    "2.002913",
]


@pytest.mark.django_db
def test_the_data_files_are_importable():
    assert catalogue_errors(read_data_dir()) == []


@pytest.mark.django_db
def test_53_entries_are_essential_and_numbered_1_to_53():
    essential = Procedure.objects.filter(essential=True)

    assert essential.count() == 53
    seqs = [seq or 0 for seq in essential.values_list("essential_seq", flat=True)]
    assert sorted(seqs) == list(range(1, 54))


@pytest.mark.django_db
def test_there_are_exactly_the_two_linked_groups_of_decree_63():
    linked = Procedure.objects.filter(kind=Kind.LINKED)

    assert sorted(linked.values_list("code", flat=True)) == ["2.002913", "3.000722"]


@pytest.mark.django_db
def test_every_entry_has_a_code_or_is_being_updated_and_both_names():
    for procedure in Procedure.objects.all():
        assert procedure.code == "" or CODE_RE.fullmatch(procedure.code)
        assert procedure.name.strip()
        assert procedure.name_en.strip()
        assert procedure.source.strip()
        assert procedure.verified in Verified.values


@pytest.mark.django_db
@pytest.mark.skipif(not REFERENCE.exists(), reason="needs the shared reference")
def test_each_essential_entry_keeps_the_reference_rows_verified_column():
    with REFERENCE.open(encoding="utf-8") as handle:
        rows = {int(r["seq"]): r for r in csv.DictReader(handle)}

    for procedure in Procedure.objects.filter(essential=True):
        row = rows[procedure.essential_seq or 0]
        assert row["verified"].startswith(procedure.verified), procedure.key
        assert procedure.source.startswith(
            f"services-53.csv dòng {procedure.essential_seq}: {row['source']}"
        )
        if procedure.code:
            assert procedure.code in row["code"] + procedure.mapping_note


@pytest.mark.django_db
def test_payment_functions_and_data_sharing_tasks_are_listed_without_a_form():
    listed_only = Procedure.objects.filter(submittable=False)

    assert set(listed_only.values_list("essential_seq", flat=True)) == NOT_DOSSIERS
    for procedure in listed_only:
        assert procedure.form_schema == {}
        assert procedure.where_done
        assert procedure.where_done_en
    assert Procedure.objects.filter(verified=Verified.LIST_ONLY).count() == 9


@pytest.mark.django_db
def test_submittable_entries_have_a_valid_schema_naming_their_documents():
    for procedure in Procedure.objects.filter(submittable=True).prefetch_related(
        "documents"
    ):
        keys = [d.key for d in procedure.documents.all()]
        assert schema_errors(procedure.form_schema, document_keys=keys) == []


@pytest.mark.django_db
@pytest.mark.parametrize("code", REAL_SCHEMAS)
def test_main_services_have_their_own_schema_not_the_generic_one(code):
    procedure = procedure_get(code=code)
    documents = [
        {"key": d.key, "name": d.name, "name_en": d.name_en, "required": d.required}
        for d in procedure.documents.all()
    ]

    assert procedure.form_schema != schema_generic(documents)
    assert len(schema_api_fields(procedure.form_schema)) >= 5


@pytest.mark.django_db
def test_member_procedures_of_the_linked_groups_are_catalogue_entries():
    birth = procedure_get(code="3.000722")
    death = procedure_get(code="2.002913")

    assert [s.procedure.url_code for s in birth.steps.all()] == [
        "1.001193",
        "1.004222",
        "1.014137",
    ]
    assert [(s.order, s.procedure.url_code, s.optional) for s in death.steps.all()] == [
        (1, "1.000656", False),
        (2, "1.003197", False),
        (3, "tro-cap-mai-tang-bhxh", True),
        (3, "ho-tro-chi-phi-mai-tang", True),
        (4, "2.000821", True),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "count", "steps"),
    [
        ("pension", "2", ["1.000656", "1.003197"]),
        ("pension", "3", ["1.000656", "1.003197", "tro-cap-mai-tang-bhxh"]),
        (
            "si_contributor",
            "4",
            ["1.000656", "1.003197", "tro-cap-mai-tang-bhxh", "2.000821"],
        ),
        ("merit", "3", ["1.000656", "1.003197", "ho-tro-chi-phi-mai-tang"]),
    ],
)
def test_the_deceased_and_the_choice_decide_the_steps_of_group_2(status, count, steps):
    group = procedure_get(code="2.002913")
    data = {"deceased_status": status, "procedure_count": count}

    applying = linked_steps_applying(group=group, data=data)

    assert [s.procedure.url_code for s in applying] == steps


@pytest.mark.django_db
def test_group_2_refuses_four_procedures_when_social_insurance_does_not_pay():
    from procedures.schema import schema_clean

    schema = procedure_get(code="2.002913").form_schema
    _cleaned, errors = schema_clean(
        schema,
        {"deceased_status": "merit", "procedure_count": "4"},
        section="lua-chon",
    )

    assert errors == {
        "procedure_count": ["Lựa chọn này không áp dụng với thông tin đã khai."]
    }


@pytest.mark.django_db
def test_group_2_asks_for_form_09_hsb_only_for_a_one_time_survivor_benefit():
    schema = procedure_get(code="2.002913").form_schema
    one_time = {"procedure_count": "4", "survivor_benefit": "one_time"}
    monthly = {"procedure_count": "4", "survivor_benefit": "monthly"}

    assert "file_mau_09_hsb" in [
        f["name"] for f in schema_file_fields(schema, one_time)
    ]
    assert "file_mau_09_hsb" not in [
        f["name"] for f in schema_file_fields(schema, monthly)
    ]


@pytest.mark.django_db
def test_unknown_facts_stay_empty_rather_than_guessed():
    marriage = procedure_get(code="1.000894")
    death_group = procedure_get(code="2.002913")
    funeral = procedure_get(code="tro-cap-mai-tang-bhxh")

    assert marriage.processing_days is None
    assert not marriage.same_day
    assert death_group.processing_days is None
    assert funeral.code == ""
    assert funeral.fee_online_vnd is None


@pytest.mark.django_db
def test_steps_without_their_own_limit_fall_back_to_the_standalone_one():
    step = procedure_get(code="2.002913").steps.get(order=2)

    assert step.processing_days is None
    assert step.effective_processing_days == 5  # xóa đăng ký thường trú


def test_every_guide_picture_is_one_of_our_static_files():
    from django.contrib.staticfiles import finders

    pictures = [
        step["image"]
        for guide in read_data_dir()["guides"]
        for step in guide["steps"]
        if step.get("image")
    ]

    assert pictures
    for picture in pictures:
        assert finders.find(picture), picture


LEVEL_WORDS = {
    "xã": "commune",
    "huyện": "district",
    "tỉnh": "province",
    "TW": "central",
}


@pytest.mark.django_db
@pytest.mark.skipif(not REFERENCE.exists(), reason="needs the shared reference")
def test_the_level_is_the_first_level_the_reference_row_lists():
    import re

    with REFERENCE.open(encoding="utf-8") as handle:
        rows = {int(r["seq"]): r for r in csv.DictReader(handle)}
    pattern = re.compile(r"(?<!\w)(xã|huyện|tỉnh|TW)(?!\w)")

    for procedure in Procedure.objects.filter(essential=True):
        found = pattern.search(rows[procedure.essential_seq or 0]["level"])
        expected = LEVEL_WORDS[found.group(1)] if found else ""
        assert procedure.agency_level == expected, procedure.key


@pytest.mark.django_db
@pytest.mark.skipif(not REFERENCE.exists(), reason="needs the shared reference")
def test_no_time_or_fee_is_stated_that_the_reference_row_does_not_give():
    with REFERENCE.open(encoding="utf-8") as handle:
        rows = {int(r["seq"]): r for r in csv.DictReader(handle)}

    for procedure in Procedure.objects.filter(essential=True):
        row = rows[procedure.essential_seq or 0]
        if procedure.processing_days is not None:
            days = f"{procedure.processing_days.normalize():f}"
            assert days in row["processing_days"], procedure.key
        for fee in (procedure.fee_online_vnd, procedure.fee_counter_vnd):
            if fee:
                assert str(fee) in row["fee_vnd"], procedure.key
            elif fee == 0:
                assert row["fee_vnd"].startswith("0"), procedure.key
