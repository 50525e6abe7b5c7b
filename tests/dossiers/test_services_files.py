"""Papers and drafts, each called as its service: storing a file on a draft or a
dossier, papers from the citizen's document store, and the wizard's drafts."""

import pytest
from django.core.files.storage import default_storage

from accounts.services import stored_document_add
from dossiers import services
from dossiers.models import Attachment, Draft, Status
from tests.procedures.factories import SIMPLE_SCHEMA, DocumentFactory, ProcedureFactory
from tests.units.factories import OrgUnitFactory

from .factories import make_dossier, pdf_upload

pytestmark = pytest.mark.django_db

PAPER = "giay-chung-sinh"


def procedure_with_paper(required: bool = False):
    """A procedure whose form asks for one paper, the birth certificate."""
    procedure = ProcedureFactory()
    DocumentFactory(procedure=procedure, key=PAPER)
    paper = {
        "name": "giay_chung_sinh",
        "type": "file",
        "document": PAPER,
        "required": required,
        "label": {"vi": "Giấy chứng sinh", "en": "Birth certificate"},
    }
    sections = [
        *SIMPLE_SCHEMA["sections"],
        {"key": "giay-to", "title": {"vi": "Giấy tờ"}, "fields": [paper]},
    ]
    procedure.form_schema = {"version": 1, "sections": sections}
    procedure.save()
    return procedure


def stored_file(name: str | None) -> bool:
    return bool(name) and default_storage.exists(str(name))


@pytest.fixture
def stored(citizen):
    """A paper in the citizen's document store."""
    return stored_document_add(
        owner=citizen, doc_type="other", title="Giấy chứng sinh", file=pdf_upload()
    )


@pytest.fixture
def draft(citizen, unit_a):
    return services.draft_create(
        owner=citizen, procedure=procedure_with_paper(), receiving_unit=unit_a
    )


# --- Files ----------------------------------------------------------------------


def test_attachment_add_stores_a_checked_file_on_a_draft(citizen, draft):
    attachment = services.attachment_add(
        uploaded_by=citizen,
        upload=pdf_upload("gcs.pdf"),
        document_key=PAPER,
        draft=draft,
    )

    attachment = Attachment.objects.get(pk=attachment.pk)
    assert (attachment.draft, attachment.dossier) == (draft, None)
    assert (attachment.document_key, attachment.original_name) == (PAPER, "gcs.pdf")
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(pdf_upload().read())
    assert len(attachment.sha256) == 64
    assert stored_file(attachment.file.name)


def test_attachment_add_refuses_a_paper_the_procedure_does_not_ask_for(citizen, draft):
    with pytest.raises(services.InvalidDossierData) as refused:
        services.attachment_add(
            uploaded_by=citizen,
            upload=pdf_upload(),
            document_key="so-ho-khau",
            draft=draft,
        )

    assert PAPER in refused.value.errors["document_key"][0]
    assert not Attachment.objects.exists()


def test_document_key_check_accepts_the_listed_papers_and_a_blank_one():
    procedure = procedure_with_paper()

    services.document_key_check(procedure=procedure, document_key=PAPER)
    services.document_key_check(procedure=procedure, document_key="")
    with pytest.raises(services.InvalidDossierData) as unknown:
        services.document_key_check(procedure=procedure, document_key="x")
    with pytest.raises(services.InvalidDossierData) as blank:
        services.document_key_check(procedure=procedure, document_key="", required=True)
    assert "không yêu cầu giấy tờ “x”" in unknown.value.errors["document_key"][0]
    assert "(document_key)" in blank.value.errors["document_key"][0]
    assert PAPER in blank.value.errors["document_key"][0]


def test_attachment_add_to_dossier_by_the_applicant_and_the_receiving_officer(
    people,
):
    dossier = make_dossier(**people)

    by_citizen = services.attachment_add_to_dossier(
        dossier=dossier, uploaded_by=people["applicant"], upload=pdf_upload("a.pdf")
    )
    by_officer = services.attachment_add_to_dossier(
        dossier=dossier, uploaded_by=people["officer"], upload=pdf_upload("scan.pdf")
    )

    assert [(a.original_name, a.uploaded_by) for a in dossier.attachments.all()] == [
        ("a.pdf", people["applicant"]),
        ("scan.pdf", people["officer"]),
    ]
    assert by_citizen.dossier == by_officer.dossier == dossier


def test_attachment_add_to_dossier_is_refused_to_others_and_once_processing(
    people, other_citizen
):
    submitted = make_dossier(**people)
    processing = make_dossier(status=Status.PROCESSING, **people)

    with pytest.raises(services.ActionNotAllowed):
        services.attachment_add_to_dossier(
            dossier=submitted, uploaded_by=other_citizen, upload=pdf_upload()
        )
    for actor in (people["applicant"], people["officer"]):
        with pytest.raises(services.IllegalTransition):
            services.attachment_add_to_dossier(
                dossier=processing, uploaded_by=actor, upload=pdf_upload()
            )
    assert not Attachment.objects.exists()


def test_attachment_from_stored_document_on_a_draft(citizen, draft, stored):
    attachment = services.attachment_from_stored_document(
        owner=citizen, stored_document_id=stored.pk, document_key=PAPER, draft=draft
    )

    attachment.refresh_from_db()
    assert (attachment.draft, attachment.stored_document) == (draft, stored)
    assert attachment.sha256 == stored.checksum


# --- Drafts ---------------------------------------------------------------------


def test_draft_create_keeps_the_prefilled_values_without_bookkeeping(citizen, unit_a):
    procedure = ProcedureFactory()

    draft = services.draft_create(
        owner=citizen,
        procedure=procedure,
        receiving_unit=unit_a,
        data={"full_name": "Nguyễn Văn Công", "_registry_consent": "x"},
        step="nguoi-nop",
    )

    draft = Draft.objects.get(pk=draft.pk)
    assert (draft.owner, draft.procedure, draft.receiving_unit, draft.step) == (
        citizen,
        procedure,
        unit_a,
        "nguoi-nop",
    )
    assert draft.data == {"full_name": "Nguyễn Văn Công"}


def test_draft_create_refuses_a_procedure_not_filed_online(citizen, unit_a):
    with pytest.raises(services.DossierError, match="không nộp hồ sơ trực tuyến"):
        services.draft_create(
            owner=citizen,
            procedure=ProcedureFactory(list_only=True),
            receiving_unit=unit_a,
        )
    assert not Draft.objects.exists()


def test_draft_update_saves_what_was_typed_and_where(draft):
    unit = OrgUnitFactory()
    services.draft_update(draft=draft, values={"full_name": "A", "x": "1"})

    services.draft_update(
        draft=draft,
        values={"full_name": "B", "_registry_consent": "forged"},
        clear=["x"],
        receiving_unit=unit,
        step="giay-to",
    )

    draft = Draft.objects.get(pk=draft.pk)
    assert draft.data == {"full_name": "B"}
    assert (draft.receiving_unit, draft.step) == (unit, "giay-to")


def test_registry_consent_is_recorded_once_and_withdrawn(draft):
    services.draft_set_registry_consent(draft=draft, consent=True)
    first = services.draft_registry_consent(Draft.objects.get(pk=draft.pk))

    services.draft_set_registry_consent(draft=draft, consent=True)
    again = Draft.objects.get(pk=draft.pk)
    assert first
    assert services.draft_registry_consent(again) == first
    assert services.draft_values(again) == {}

    services.draft_set_registry_consent(draft=draft, consent=False)
    assert services.draft_registry_consent(Draft.objects.get(pk=draft.pk)) == ""


def test_the_paper_store_consent_is_recorded_once_and_never_typed_in(draft):
    """The consent to read the citizen's store on the national portal (issue 19,
    point 3): kept on the draft with its first time, out of the form's values,
    and not something a page's values can set."""
    services.draft_update(draft=draft, values={"_paper_store_consent": "forged"})
    assert services.draft_paper_store_consent(Draft.objects.get(pk=draft.pk)) == ""

    services.draft_set_paper_store_consent(draft=draft)
    first = services.draft_paper_store_consent(Draft.objects.get(pk=draft.pk))
    services.draft_set_paper_store_consent(draft=draft)
    again = Draft.objects.get(pk=draft.pk)

    assert first
    assert services.draft_paper_store_consent(again) == first
    assert services.draft_values(again) == {}


def test_draft_values_leave_out_the_wizards_bookkeeping(draft):
    draft.data = {"full_name": "A", "_registry_consent": "2026-03-09"}

    assert services.draft_values(draft) == {"full_name": "A"}


def test_draft_attach_stored_document_once_per_paper(draft, stored):
    first = services.draft_attach_stored_document(
        draft=draft, stored_document_id=stored.pk, document_key=PAPER
    )
    again = services.draft_attach_stored_document(
        draft=draft, stored_document_id=stored.pk, document_key=PAPER
    )

    assert again.pk == first.pk
    assert Attachment.objects.filter(draft=draft).count() == 1
    draft.refresh_from_db()
    assert draft.stored_documents == {PAPER: stored.pk}


def test_another_citizens_stored_document_is_not_attached_to_a_draft(
    draft, other_citizen
):
    from django.http import Http404

    theirs = stored_document_add(
        owner=other_citizen, doc_type="other", title="X", file=pdf_upload()
    )

    with pytest.raises(Http404):
        services.draft_attach_stored_document(
            draft=draft, stored_document_id=theirs.pk, document_key=PAPER
        )
    draft.refresh_from_db()
    assert draft.stored_documents == {}
    assert not Attachment.objects.exists()


def test_draft_attachment_remove_deletes_the_row_the_choice_and_the_file(
    draft, stored, django_capture_on_commit_callbacks
):
    attachment = services.draft_attach_stored_document(
        draft=draft, stored_document_id=stored.pk, document_key=PAPER
    )
    name = attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.draft_attachment_remove(draft=draft, attachment_id=attachment.pk)

    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.stored_documents == {}
    assert not stored_file(name)


def test_a_submitted_dossiers_file_is_never_removed_as_a_drafts(people, draft):
    dossier = make_dossier(**people)
    kept = services.attachment_add_to_dossier(
        dossier=dossier, uploaded_by=people["applicant"], upload=pdf_upload()
    )

    with pytest.raises(services.DossierError, match="Không tìm thấy tệp"):
        services.draft_attachment_remove(draft=draft, attachment_id=kept.pk)
    assert Attachment.objects.filter(pk=kept.pk).exists()
    assert stored_file(kept.file.name)


def test_draft_delete_removes_the_draft_and_its_files(
    citizen, draft, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(
        uploaded_by=citizen, upload=pdf_upload(), draft=draft
    )
    name = attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.draft_delete(draft=draft)

    assert not Draft.objects.exists()
    assert not Attachment.objects.exists()
    assert not stored_file(name)


def test_draft_delete_leaves_other_drafts(citizen, unit_a, draft):
    other = services.draft_create(
        owner=citizen, procedure=ProcedureFactory(), receiving_unit=unit_a
    )
    kept = services.attachment_add(
        uploaded_by=citizen, upload=pdf_upload(), draft=other
    )

    services.draft_delete(draft=draft)

    assert list(Draft.objects.all()) == [other]
    assert list(Attachment.objects.all()) == [kept]
