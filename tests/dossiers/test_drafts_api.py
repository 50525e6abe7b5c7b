"""The drafts API (/api/v1/drafts/): start, correct, attach, submit, with the
wizard's checks; and the submission API's idempotency and paper checks."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from dossiers.models import Attachment, Dossier, Draft
from tests.accounts.factories import UserFactory
from tests.procedures.factories import ProcedureFactory
from tests.units.factories import OrgUnitFactory
from units.models import AgencyType

from .factories import pdf_upload

pytestmark = pytest.mark.django_db

SCHEMA = {
    "version": 1,
    "sections": [
        {
            "key": "nguoi-nop",
            "title": {"vi": "Người nộp", "en": "Applicant"},
            "fields": [
                {
                    "name": "full_name",
                    "type": "text",
                    "required": True,
                    "prefill": "applicant.full_name",
                    "label": {"vi": "Họ và tên", "en": "Full name"},
                },
                {
                    "name": "copies",
                    "type": "number",
                    "required": False,
                    "label": {"vi": "Số bản sao", "en": "Copies"},
                },
            ],
        },
        {
            "key": "giay-to",
            "title": {"vi": "Giấy tờ", "en": "Papers"},
            "fields": [
                {
                    "name": "file_to_khai",
                    "type": "file",
                    "document": "to-khai",
                    "required": True,
                    "label": {"vi": "Tờ khai", "en": "Declaration"},
                },
            ],
        },
    ],
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def procedure(db):
    return ProcedureFactory(form_schema=SCHEMA, processing_days=3)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def create(user, procedure, unit, data=None):
    return api(user).post(
        reverse("drafts_api:draft-list"),
        {"procedure": procedure.code, "unit": unit.agency_code, "data": data or {}},
        format="json",
    )


def attach(user, draft_id, key="to-khai", name="to-khai.pdf"):
    return api(user).post(
        reverse("drafts_api:draft-attachments", args=[draft_id]),
        {"file": pdf_upload(name), "document_key": key},
        format="multipart",
    )


def submit(user, draft_id, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api(user).post(
        reverse("drafts_api:draft-submit", args=[draft_id]), format="json", **headers
    )


# --- Starting and correcting ------------------------------------------------------


def test_a_draft_starts_prefilled_and_says_what_submitting_would_refuse(
    citizen, procedure, unit_a
):
    response = create(citizen, procedure, unit_a, {"copies": "2"})

    assert response.status_code == 201
    body = response.json()
    assert body["procedure"] == procedure.code
    assert body["unit"] == unit_a.agency_code
    # The profile fills what it knows; what the client sent is kept.
    assert body["data"] == {"full_name": citizen.full_name, "copies": "2"}
    assert body["problems"] == {"file_to_khai": ["Hãy đính kèm giấy tờ này."]}
    assert Draft.objects.get(pk=body["id"]).owner == citizen


def test_patch_sets_and_clears_values_and_refuses_a_field_the_form_lacks(
    citizen, procedure, unit_a
):
    draft_id = create(citizen, procedure, unit_a, {"copies": 2}).json()["id"]
    url = reverse("drafts_api:draft-detail", args=[draft_id])

    response = api(citizen).patch(
        url, {"data": {"full_name": "Nguyễn Thị Sửa", "copies": None}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"full_name": "Nguyễn Thị Sửa"}

    response = api(citizen).patch(url, {"data": {"ful_name": "x"}}, format="json")
    assert response.status_code == 400
    assert "ful_name" in response.json()
    assert Draft.objects.get(pk=draft_id).data == {"full_name": "Nguyễn Thị Sửa"}


def test_a_unit_that_does_not_receive_the_procedure_is_refused(
    citizen, procedure, tree
):
    police = OrgUnitFactory(
        agency_type=AgencyType.COMMUNE_POLICE, admin_unit=tree["commune_a"]
    )
    assert procedure.agency_type != police.agency_type

    response = create(citizen, procedure, police)

    assert response.status_code == 400
    assert "unit" in response.json()["errors"]
    assert not Draft.objects.exists()


def test_a_linked_procedure_needs_identity_level_two(citizen, unit_a):
    linked = ProcedureFactory(linked=True, form_schema=SCHEMA)
    citizen.identity_level = 1
    citizen.save()

    response = create(citizen, linked, unit_a)

    assert response.status_code == 403
    assert "mức độ 2" in response.json()["detail"]


def test_drafts_are_their_owners_alone(citizen, other_citizen, procedure, unit_a):
    draft_id = create(citizen, procedure, unit_a).json()["id"]
    staff = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_a)

    for url in (
        reverse("drafts_api:draft-detail", args=[draft_id]),
        reverse("drafts_api:draft-submit", args=[draft_id]),
    ):
        method = "get" if url.endswith(f"{draft_id}/") else "post"
        assert getattr(api(other_citizen), method)(url).status_code == 404
        assert getattr(api(staff), method)(url).status_code == 403
        assert getattr(api(), method)(url).status_code == 401
    assert attach(other_citizen, draft_id).status_code == 404
    listed = api(other_citizen).get(reverse("drafts_api:draft-list")).json()
    assert listed["count"] == 0
    assert api(citizen).get(reverse("drafts_api:draft-list")).json()["count"] == 1


# --- Papers -----------------------------------------------------------------------


def test_a_paper_must_be_one_the_procedure_asks_for(citizen, procedure, unit_a):
    draft_id = create(citizen, procedure, unit_a).json()["id"]

    refused = attach(citizen, draft_id, key="ho-chieu")
    assert refused.status_code == 400
    assert "to-khai" in refused.json()["errors"]["document_key"][0]
    blank = attach(citizen, draft_id, key="")
    assert blank.status_code == 400

    accepted = attach(citizen, draft_id)
    assert accepted.status_code == 201
    assert accepted.json()["document_key"] == "to-khai"
    assert Attachment.objects.filter(draft_id=draft_id).count() == 1


def test_a_stored_document_is_attached_without_an_upload_and_only_the_owners(
    citizen, other_citizen, procedure, unit_a
):
    from accounts.services import stored_document_add

    mine = stored_document_add(
        owner=citizen, doc_type="other", title="Tờ khai", file=pdf_upload("to-khai.pdf")
    )
    theirs = stored_document_add(
        owner=other_citizen,
        doc_type="other",
        title="Của người khác",
        file=pdf_upload("khac.pdf"),
    )
    draft_id = create(citizen, procedure, unit_a).json()["id"]
    url = reverse("drafts_api:draft-attachments", args=[draft_id])

    stolen = api(citizen).post(
        url, {"stored_document": theirs.pk, "document_key": "to-khai"}, format="json"
    )
    assert stolen.status_code == 404
    response = api(citizen).post(
        url, {"stored_document": mine.pk, "document_key": "to-khai"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["stored_document"] == mine.pk
    both = api(citizen).post(
        url,
        {"stored_document": mine.pk, "document_key": "to-khai", "file": pdf_upload()},
        format="multipart",
    )
    assert both.status_code == 400


def test_an_attachment_can_be_taken_off(citizen, procedure, unit_a):
    draft_id = create(citizen, procedure, unit_a).json()["id"]
    attachment_id = attach(citizen, draft_id).json()["id"]
    url = reverse("drafts_api:draft-attachment-detail", args=[draft_id, attachment_id])

    assert api(citizen).delete(url).status_code == 204
    assert api(citizen).delete(url).status_code == 404
    assert not Attachment.objects.exists()


# --- Submitting -------------------------------------------------------------------


def test_submitting_needs_the_required_papers_then_answers_like_the_dossier_api(
    citizen, procedure, unit_a
):
    draft_id = create(citizen, procedure, unit_a).json()["id"]

    refused = submit(citizen, draft_id, key="k-1")
    assert refused.status_code == 400
    assert "file_to_khai" in refused.json()["errors"]
    assert Draft.objects.filter(pk=draft_id).exists()

    attach(citizen, draft_id)
    response = submit(citizen, draft_id, key="k-1")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"code", "status", "submitted_at", "due_at", "due_explanation"}
    dossier = Dossier.objects.get(code=body["code"])
    assert dossier.applicant == citizen
    assert list(dossier.attachments.values_list("document_key", flat=True)) == [
        "to-khai"
    ]
    assert not Draft.objects.filter(pk=draft_id).exists()


def test_a_repeated_submit_answers_the_same_dossier_and_a_reused_key_is_422(
    citizen, procedure, unit_a
):
    first_id = create(citizen, procedure, unit_a).json()["id"]
    attach(citizen, first_id)
    code = submit(citizen, first_id, key="k-1").json()["code"]

    again = submit(citizen, first_id, key="k-1")
    assert again.status_code == 201
    assert again.json()["code"] == code

    second_id = create(citizen, procedure, unit_a).json()["id"]
    attach(citizen, second_id)
    reused = submit(citizen, second_id, key="k-1")
    assert reused.status_code == 422
    assert code in reused.json()["detail"]
    assert Dossier.objects.count() == 1
    assert Draft.objects.filter(pk=second_id).exists()


def test_without_a_key_a_draft_is_filed_once_as_by_the_wizard(
    citizen, procedure, unit_a
):
    draft_id = create(citizen, procedure, unit_a).json()["id"]
    attach(citizen, draft_id)

    first = submit(citizen, draft_id)
    second = submit(citizen, draft_id)

    assert first.status_code == second.status_code == 201
    assert first.json()["code"] == second.json()["code"]
    assert Dossier.objects.get().idempotency_key == f"draft-{draft_id}"


# --- POST /api/v1/dossiers/: idempotency and places --------------------------------


def test_an_idempotency_key_reused_with_another_body_is_422(
    citizen, unit_a, django_assert_num_queries
):
    plain = ProcedureFactory()
    url = reverse("dossiers_api:dossier-list")
    body = {"procedure": plain.code, "unit": unit_a.agency_code, "data": {}}
    headers = {"HTTP_IDEMPOTENCY_KEY": "abc"}

    first = api(citizen).post(
        url, {**body, "data": {"full_name": "A"}}, format="json", **headers
    )
    same = api(citizen).post(
        url, {**body, "data": {"full_name": "A"}}, format="json", **headers
    )
    other = api(citizen).post(
        url, {**body, "data": {"full_name": "B"}}, format="json", **headers
    )

    assert first.status_code == same.status_code == 201
    assert same.json()["code"] == first.json()["code"]
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert Dossier.objects.get().data == {"full_name": "A"}


def test_the_dossier_api_refuses_a_unit_that_does_not_receive_the_procedure(
    citizen, tree
):
    plain = ProcedureFactory()
    police = OrgUnitFactory(
        agency_type=AgencyType.COMMUNE_POLICE, admin_unit=tree["commune_a"]
    )

    response = api(citizen).post(
        reverse("dossiers_api:dossier-list"),
        {
            "procedure": plain.code,
            "unit": police.agency_code,
            "data": {"full_name": "A"},
        },
        format="json",
    )

    assert response.status_code == 400
    assert "unit" in response.json()["errors"]
    assert not Dossier.objects.exists()


def test_a_dossier_attachment_must_name_a_paper_of_its_procedure(
    citizen, procedure, unit_a
):
    draft_id = create(citizen, procedure, unit_a).json()["id"]
    attach(citizen, draft_id)
    code = submit(citizen, draft_id).json()["code"]
    url = reverse("dossiers_api:dossier-attachments", args=[code])

    refused = api(citizen).post(
        url, {"file": pdf_upload(), "document_key": "khong-co"}, format="multipart"
    )
    accepted = api(citizen).post(
        url, {"file": pdf_upload(), "document_key": "to-khai"}, format="multipart"
    )

    assert refused.status_code == 400
    assert "document_key" in refused.json()["errors"]
    assert accepted.status_code == 201
