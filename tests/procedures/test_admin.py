import copy
import json

import pytest
from django.urls import reverse

from accounts.roles import Role
from procedures.models import Announcement, Faq, Procedure
from tests.accounts.factories import UserFactory, login_with_otp

from .factories import (
    SIMPLE_SCHEMA,
    DocumentFactory,
    FaqFactory,
    LinkedStepFactory,
    ProcedureFactory,
)

pytestmark = pytest.mark.django_db

PLAIN = [
    "code",
    "key",
    "name",
    "name_en",
    "keywords",
    "kind",
    "essential_seq",
    "agency_type",
    "agency_level",
    "agency_name",
    "agency_name_en",
    "processing_note",
    "processing_note_en",
    "fee_note",
    "fee_note_en",
    "online_level",
    "result_documents",
    "result_documents_en",
    "legal_basis",
    "legal_basis_en",
    "where_done",
    "where_done_en",
    "verified",
    "verified_note",
    "source",
    "mapping_note",
    "mapping_note_en",
]


def _null_bool(value):
    return {None: "unknown", True: "true", False: "false"}[value]


def post_data(procedure, **changes):
    """What the admin's change form posts for `procedure`, with `changes`."""
    data = {name: getattr(procedure, name) or "" for name in PLAIN}
    data |= {
        "field": procedure.field_id,
        "life_events": [e.pk for e in procedure.life_events.all()],
        "processing_days": procedure.processing_days or "",
        "fee_online_vnd": ""
        if procedure.fee_online_vnd is None
        else procedure.fee_online_vnd,
        "fee_counter_vnd": ""
        if procedure.fee_counter_vnd is None
        else procedure.fee_counter_vnd,
        "form_schema": json.dumps(procedure.form_schema),
        # The page posts the schema it showed too (a field with a callable
        # default), to tell whether the form changed.
        "initial-form_schema": json.dumps(procedure.form_schema),
    }
    for flag in ("essential", "same_day", "has_document_result", "submittable"):
        if getattr(procedure, flag):
            data[flag] = "on"
    documents = list(procedure.documents.all())
    data |= {
        "documents-TOTAL_FORMS": len(documents),
        "documents-INITIAL_FORMS": len(documents),
        "documents-MIN_NUM_FORMS": 0,
        "documents-MAX_NUM_FORMS": 1000,
    }
    for i, doc in enumerate(documents):
        prefix = f"documents-{i}-"
        data |= {
            f"{prefix}id": doc.pk,
            f"{prefix}procedure": procedure.pk,
            f"{prefix}order": doc.order,
            f"{prefix}key": doc.key,
            f"{prefix}name": doc.name,
            f"{prefix}name_en": doc.name_en,
            f"{prefix}copies": doc.copies or "",
            f"{prefix}condition_note": doc.condition_note,
            f"{prefix}condition_note_en": doc.condition_note_en,
            f"{prefix}ecopy_from_store": _null_bool(doc.ecopy_from_store),
            f"{prefix}ecopy_from_national_db": _null_bool(doc.ecopy_from_national_db),
        }
        if doc.required:
            data[f"{prefix}required"] = "on"
    steps = list(procedure.steps.all())
    data |= {
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": len(steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for i, step in enumerate(steps):
        prefix = f"steps-{i}-"
        data |= {
            f"{prefix}id": step.pk,
            f"{prefix}group": procedure.pk,
            f"{prefix}order": step.order,
            f"{prefix}procedure": step.procedure_id,
            f"{prefix}agency_type": step.agency_type,
            f"{prefix}processing_days": step.processing_days or "",
            f"{prefix}condition": json.dumps(step.condition),
            f"{prefix}processing_note": step.processing_note,
        }
    faqs = list(procedure.faqs.all())
    data |= {
        "faqs-TOTAL_FORMS": len(faqs),
        "faqs-INITIAL_FORMS": len(faqs),
        "faqs-MIN_NUM_FORMS": 0,
        "faqs-MAX_NUM_FORMS": 1000,
    }
    for i, faq in enumerate(faqs):
        prefix = f"faqs-{i}-"
        data |= {
            f"{prefix}id": faq.pk,
            f"{prefix}procedure": procedure.pk,
            f"{prefix}order": faq.order,
            f"{prefix}question": faq.question,
            f"{prefix}question_en": faq.question_en,
            f"{prefix}answer": faq.answer,
            f"{prefix}answer_en": faq.answer_en,
            f"{prefix}source": faq.source,
        }
        if faq.is_published:
            data[f"{prefix}is_published"] = "on"
    return data | changes


def add_faq(data, procedure, **fields):
    """`data` with one more question in the inline, as the admin's form posts it."""
    index = data["faqs-TOTAL_FORMS"]
    prefix = f"faqs-{index}-"
    values = {"order": 0, "question_en": "", "answer_en": "", "source": ""} | fields
    return (
        data
        | {f"{prefix}{k}": v for k, v in values.items()}
        | {
            f"{prefix}procedure": procedure.pk,
            "faqs-TOTAL_FORMS": index + 1,
        }
    )


def change_url(procedure):
    return reverse("admin:procedures_procedure_change", args=[procedure.pk])


@pytest.fixture
def catalogue_admin(district_unit):
    """An administrator by role, not a superuser."""
    return UserFactory(
        roles=[Role.ADMINISTRATOR], org_unit=district_unit, is_staff=True
    )


def test_an_administrator_edits_a_procedure_and_the_edit_is_kept(
    client, catalogue_admin
):
    procedure = ProcedureFactory(name="Đăng ký khai sinh")
    DocumentFactory(procedure=procedure, key="giay-chung-sinh")
    login_with_otp(client, catalogue_admin)

    response = client.post(
        change_url(procedure), post_data(procedure, name="Đăng ký khai sinh (sửa)")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    procedure.refresh_from_db()
    assert procedure.name == "Đăng ký khai sinh (sửa)"
    assert procedure.search_name == "dang ky khai sinh sua"
    assert procedure.locally_edited is True


def test_an_administrator_adds_a_question_in_the_procedures_page(
    client, catalogue_admin
):
    procedure = ProcedureFactory()
    login_with_otp(client, catalogue_admin)
    data = add_faq(
        post_data(procedure),
        procedure,
        question="Có phải nộp bản giấy không?",
        answer="Không.",
        source="Nghị định 63/2024/NĐ-CP",
        is_published="on",
    )

    response = client.post(change_url(procedure), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"]
    faq = Faq.objects.get(procedure=procedure)
    assert (faq.question, faq.source, faq.is_published) == (
        "Có phải nộp bản giấy không?",
        "Nghị định 63/2024/NĐ-CP",
        True,
    )
    assert faq.question in client.get(procedure.get_absolute_url()).text


def test_a_question_without_an_answer_is_refused(client, catalogue_admin):
    procedure = ProcedureFactory()
    login_with_otp(client, catalogue_admin)
    data = add_faq(post_data(procedure), procedure, question="Hỏi gì?", answer="")

    response = client.post(change_url(procedure), data)

    assert response.status_code == 200
    assert not Faq.objects.exists()


def test_unpublishing_a_question_hides_it(client, catalogue_admin):
    faq = FaqFactory(question="Câu hỏi cũ?")
    login_with_otp(client, catalogue_admin)
    data = post_data(faq.procedure)
    del data["faqs-0-is_published"]

    response = client.post(change_url(faq.procedure), data)

    assert response.status_code == 302
    assert "Câu hỏi cũ?" not in client.get(faq.procedure.get_absolute_url()).text


def test_answering_a_question_keeps_the_procedure_updatable_from_the_catalogue(
    client, catalogue_admin
):
    procedure = ProcedureFactory()
    login_with_otp(client, catalogue_admin)
    data = add_faq(post_data(procedure), procedure, question="Hỏi?", answer="Đáp.")

    client.post(change_url(procedure), data)

    procedure.refresh_from_db()
    assert procedure.faqs.count() == 1
    assert procedure.locally_edited is False


def test_editing_a_paper_still_marks_the_procedure_edited(client, catalogue_admin):
    procedure = ProcedureFactory()
    DocumentFactory(procedure=procedure, key="to-khai", name="Tờ khai")
    login_with_otp(client, catalogue_admin)

    client.post(
        change_url(procedure),
        post_data(procedure) | {"documents-0-name": "Tờ khai (mẫu mới)"},
    )

    procedure.refresh_from_db()
    assert procedure.documents.get().name == "Tờ khai (mẫu mới)"
    assert procedure.locally_edited is True


def test_a_broken_schema_is_refused_with_clear_messages(client, catalogue_admin):
    procedure = ProcedureFactory()
    broken = copy.deepcopy(SIMPLE_SCHEMA)
    broken["sections"][0]["fields"][0]["type"] = "textt"
    login_with_otp(client, catalogue_admin)

    response = client.post(
        change_url(procedure), post_data(procedure, form_schema=json.dumps(broken))
    )

    assert response.status_code == 200
    assert "loại “textt” không có" in response.text
    procedure.refresh_from_db()
    assert procedure.form_schema == SIMPLE_SCHEMA


def test_invalid_json_is_refused(client, catalogue_admin):
    procedure = ProcedureFactory()
    login_with_otp(client, catalogue_admin)

    response = client.post(change_url(procedure), post_data(procedure, form_schema="{"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["form_schema"]


def test_a_file_field_must_name_one_of_the_papers(client, catalogue_admin):
    procedure = ProcedureFactory()
    DocumentFactory(procedure=procedure, key="to-khai")
    schema = copy.deepcopy(SIMPLE_SCHEMA)
    schema["sections"][0]["fields"].append(
        {
            "name": "file_x",
            "type": "file",
            "document": "giay-khac",
            "label": {"vi": "Giấy khác", "en": "Other paper"},
        }
    )
    login_with_otp(client, catalogue_admin)

    response = client.post(
        change_url(procedure), post_data(procedure, form_schema=json.dumps(schema))
    )

    assert response.status_code == 200
    assert "thủ tục không có thành phần hồ sơ khóa “giay-khac”" in response.text


def test_a_submittable_procedure_needs_a_form_and_a_listed_one_none(
    client, catalogue_admin
):
    procedure = ProcedureFactory()
    login_with_otp(client, catalogue_admin)

    response = client.post(
        change_url(procedure), post_data(procedure, form_schema="{}")
    )

    assert "Thủ tục nộp hồ sơ trên cổng cần có cấu trúc tờ khai." in response.text


def test_a_step_condition_must_read_the_groups_form(client, catalogue_admin):
    step = LinkedStepFactory(condition={})
    group = step.group
    login_with_otp(client, catalogue_admin)
    data = post_data(group)
    data["steps-0-condition"] = json.dumps({"field": "nope", "equals": "x"})

    response = client.post(change_url(group), data)

    assert response.status_code == 200
    assert "điều kiện dẫn chiếu mục “nope”" in response.text


def test_admin_search_ignores_diacritics(client, catalogue_admin):
    ProcedureFactory(name="Đăng ký khai sinh")
    ProcedureFactory(name="Đăng ký kết hôn")
    login_with_otp(client, catalogue_admin)

    response = client.get(
        reverse("admin:procedures_procedure_changelist"), {"q": "khai sinh"}
    )

    assert [p.name for p in response.context["cl"].result_list] == ["Đăng ký khai sinh"]


def test_an_administrator_publishes_an_announcement_for_a_unit(
    client, catalogue_admin, unit_a
):
    login_with_otp(client, catalogue_admin)

    response = client.post(
        reverse("admin:procedures_announcement_add"),
        {
            "title": "Lịch tiếp dân",
            "title_en": "Reception hours",
            "body": "Thứ Hai đến thứ Sáu.",
            "body_en": "Monday to Friday.",
            "org_unit": unit_a.pk,
            "published_from_0": "01/01/2026",
            "published_from_1": "08:00:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Announcement.objects.get().org_unit == unit_a


@pytest.mark.parametrize("persona", ["officer", "district_staff"])
def test_staff_without_the_administrator_role_cannot_edit(client, request, persona):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    user.save()
    procedure = ProcedureFactory()
    login_with_otp(client, user)

    assert client.get(change_url(procedure)).status_code == 403
    assert client.get(reverse("admin:procedures_announcement_add")).status_code == 403


def test_citizens_are_sent_to_the_login_page(client, citizen):
    client.force_login(citizen)

    response = client.get(reverse("admin:procedures_procedure_changelist"))

    assert response.status_code == 302
    assert Procedure.objects.count() == 0
