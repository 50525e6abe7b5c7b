"""The citizen's pages: the submission wizard, my dossiers, the dossier page and
the citizen's actions (supplement, withdraw, rate); who may open them."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import IdentityLevel
from accounts.services import profile_update, stored_document_add
from agencies.adapters import PopulationRegistry
from agencies.models import RegistryRecord
from dossiers import services
from dossiers.models import Attachment, Dossier, Draft, Rating, Status
from portal.db import joins_as_written_statements
from tests.a11y import accessibility_problems
from tests.procedures.factories import ProcedureFactory
from units.models import AgencyType

from .factories import PDF_BYTES, at, make_dossier, pdf_upload

pytestmark = pytest.mark.django_db

SCHEMA = {
    "version": 1,
    "sections": [
        {
            "key": "nguoi-nop",
            "title": {"vi": "Người nộp hồ sơ", "en": "Applicant"},
            "fields": [
                {
                    "name": "applicant",
                    "type": "person",
                    "role": "applicant",
                    "required": True,
                    "label": {"vi": "Người nộp", "en": "Applicant"},
                    "fields": [
                        {"name": "full_name", "prefill": "applicant.full_name"},
                        {
                            "name": "personal_id",
                            "required": True,
                            "prefill": "applicant.personal_id",
                        },
                        {
                            "name": "phone",
                            "required": True,
                            "prefill": "applicant.phone",
                        },
                    ],
                },
                {
                    "name": "has_mother_info",
                    "type": "yesno",
                    "required": True,
                    "label": {"vi": "Khai thông tin người mẹ?", "en": "Mother?"},
                },
            ],
        },
        {
            "key": "me",
            "title": {"vi": "Thông tin về mẹ", "en": "Mother"},
            "show_if": {"field": "has_mother_info", "equals": True},
            "fields": [
                {
                    "name": "mother",
                    "type": "person",
                    "role": "mother",
                    "required": True,
                    "label": {"vi": "Mẹ", "en": "Mother"},
                    "fields": [
                        "full_name",
                        "date_of_birth",
                        {"name": "personal_id"},
                        {"name": "ethnicity"},
                        {"name": "address"},
                    ],
                },
                {
                    "name": "event_date",
                    "type": "date",
                    "required": False,
                    "label": {"vi": "Ngày sự kiện", "en": "Date of the event"},
                },
            ],
        },
        {
            "key": "giay-to",
            "title": {"vi": "Giấy tờ", "en": "Documents"},
            "fields": [
                {
                    "name": "file_giay_chung_sinh",
                    "type": "file",
                    "document": "giay-chung-sinh",
                    "required": True,
                    "label": {"vi": "Giấy chứng sinh", "en": "Birth notification"},
                },
                {
                    "name": "file_khac",
                    "type": "file",
                    "document": "giay-khac",
                    "required": False,
                    "label": {"vi": "Giấy tờ khác", "en": "Other"},
                },
            ],
        },
    ],
}

MOTHER_ID = "036188003456"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def procedure(db):
    return ProcedureFactory(form_schema=SCHEMA, processing_days=3)


@pytest.fixture
def home(citizen, unit_a, tree):
    """The citizen lives in commune A, whose one-stop shop is unit_a."""
    profile_update(
        user=citizen,
        permanent_address="Xóm 1, xã An",
        current_address="",
        commune=tree["commune_a"],
        phone=citizen.phone,
        email="cong@example.com",
    )
    return unit_a


@pytest.fixture
def mother_record(db):
    return RegistryRecord.objects.create(
        personal_id=MOTHER_ID,
        full_name="Phạm Thị Hương",
        date_of_birth=datetime.date(1988, 9, 20),
        sex="female",
        ethnicity="Kinh",
        permanent_address="Số 12, thị trấn Gôi",
    )


@pytest.fixture
def logged_in(client, citizen, home):
    client.force_login(citizen)
    return client


def start(client, procedure, unit):
    response = client.post(
        reverse("dossiers:dossier-create", args=[procedure.url_code]),
        {"receiving_unit": unit.pk},
    )
    assert response.status_code == 302, response.content
    return Draft.objects.latest("pk"), response.headers["Location"]


def section_url(draft, key):
    return reverse("dossiers:draft-section", args=[draft.pk, key])


def applicant_values(citizen):
    return {
        "applicant.full_name": citizen.full_name,
        "applicant.personal_id": citizen.username,
        "applicant.phone": citizen.phone,
    }


MOTHER = {
    "mother.full_name": "Phạm Thị Hương",
    "mother.date_of_birth": "1988-09-20",
    "mother.personal_id": MOTHER_ID,
}


def fill_form(client, draft, citizen):
    """The two form pages, valid."""
    client.post(
        section_url(draft, "nguoi-nop"),
        applicant_values(citizen) | {"has_mother_info": "yes"},
    )
    client.post(section_url(draft, "me"), MOTHER)


# --- Start ----------------------------------------------------------------------------


def test_the_start_page_offers_the_home_communes_unit_and_picks_it(
    logged_in, procedure, home, unit_b
):
    response = logged_in.get(
        reverse("dossiers:dossier-create", args=[procedure.url_code])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{home.pk}" selected>' in html
    # Another commune's unit takes only the procedures on the province's list
    # of those received regardless of administrative boundary (issue 17).
    assert f'value="{unit_b.pk}"' not in html
    assert not Draft.objects.exists()


def test_the_start_page_redirects_a_key_to_the_national_code(logged_in, procedure):
    response = logged_in.get(reverse("dossiers:dossier-create", args=[procedure.key]))

    assert response.headers["Location"] == reverse(
        "dossiers:dossier-create", args=[procedure.code]
    )


def test_a_unit_of_another_kind_of_agency_is_refused(logged_in, procedure, tree):
    from tests.units.factories import OrgUnitFactory

    police = OrgUnitFactory(
        agency_type=AgencyType.COMMUNE_POLICE, admin_unit=tree["commune_a"]
    )

    response = logged_in.post(
        reverse("dossiers:dossier-create", args=[procedure.url_code]),
        {"receiving_unit": police.pk},
    )

    assert response.status_code == 200
    assert "không nhận hồ sơ của thủ tục này" in response.content.decode()
    assert not Draft.objects.exists()


def test_a_procedure_not_submittable_here_gets_a_clear_page(logged_in):
    listed = ProcedureFactory(list_only=True)

    response = logged_in.get(reverse("dossiers:dossier-create", args=[listed.code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa nộp được trên Cổng" in html
    assert "Thanh toán trên Cổng Dịch vụ công quốc gia." in html
    assert (
        logged_in.post(
            reverse("dossiers:dossier-create", args=[listed.code]),
            {"receiving_unit": 1},
        ).status_code
        == 200
    )
    assert not Draft.objects.exists()


def test_a_procedure_no_unit_here_receives_says_so(logged_in, unit_a):
    elsewhere = ProcedureFactory(agency_type=AgencyType.PROVINCE_POLICE)

    response = logged_in.get(reverse("dossiers:dossier-create", args=[elsewhere.code]))

    assert "Chưa có cơ quan nào trên Cổng này nhận hồ sơ" in response.content.decode()


def test_a_linked_procedure_needs_identity_level_2(client, home, citizen):
    linked = ProcedureFactory(linked=True, form_schema=SCHEMA)
    url = reverse("dossiers:dossier-create", args=[linked.code])
    citizen.identity_level = IdentityLevel.LEVEL_1
    citizen.save()
    client.force_login(citizen)

    refused = client.post(url, {"receiving_unit": home.pk})

    assert refused.status_code == 403
    assert "mức độ 2" in refused.content.decode()
    assert not Draft.objects.exists()
    citizen.identity_level = IdentityLevel.LEVEL_2
    citizen.save()
    assert client.post(url, {"receiving_unit": home.pk}).status_code == 302


# --- The wizard, end to end -----------------------------------------------------------


def test_the_wizard_end_to_end_saves_the_draft_at_each_step(
    logged_in, citizen, procedure, home, time_machine
):
    time_machine.move_to(at("2026-03-09 10:00"))
    draft, first = start(logged_in, procedure, home)
    assert first == section_url(draft, "nguoi-nop")
    # Prefilled from the profile: nobody retypes their own name or number.
    assert draft.data == applicant_values(citizen)
    page = logged_in.get(first).content.decode()
    assert f'value="{citizen.username}"' in page

    response = logged_in.post(
        first, applicant_values(citizen) | {"has_mother_info": "yes"}
    )
    assert response.headers["Location"] == section_url(draft, "me")
    draft.refresh_from_db()
    assert draft.data["has_mother_info"] == "yes"
    assert draft.step == "form:nguoi-nop"

    response = logged_in.post(section_url(draft, "me"), MOTHER)
    documents = reverse("dossiers:draft-documents", args=[draft.pk])
    assert response.headers["Location"] == documents
    draft.refresh_from_db()
    assert draft.data["mother.full_name"] == "Phạm Thị Hương"

    response = logged_in.post(
        documents,
        {"action": "next", "file-giay-chung-sinh": pdf_upload("chung-sinh.pdf")},
    )
    review = reverse("dossiers:draft-review", args=[draft.pk])
    assert response.headers["Location"] == review
    assert draft.attachments.get().document_key == "giay-chung-sinh"

    page = logged_in.get(review).content.decode()
    assert "Phạm Thị Hương" in page
    assert "20/09/1988" in page
    assert "chung-sinh.pdf" in page
    assert "12/03/2026" in page  # received now, 3 working days

    response = logged_in.post(review, {"action": "submit", "declaration": "on"})

    dossier = Dossier.objects.get()
    assert response.headers["Location"] == reverse(
        "dossiers:dossier-submitted", args=[dossier.code]
    )
    assert dossier.applicant == citizen
    assert dossier.receiving_unit == home
    assert dossier.data["mother"]["date_of_birth"] == "1988-09-20"
    assert dossier.data["has_mother_info"] is True
    assert dossier.attachments.get().original_name == "chung-sinh.pdf"
    assert not Draft.objects.exists()

    page = logged_in.get(response.headers["Location"]).content.decode()
    assert dossier.code in page
    assert "12/03/2026" in page
    assert "Ngày tiếp nhận không tính vào thời hạn" in page
    assert reverse("dossiers:slip-pdf", args=[dossier.code, "receipt"]) in page


def test_a_draft_is_resumed_where_it_was_left(logged_in, citizen, procedure, home):
    draft, _first = start(logged_in, procedure, home)
    logged_in.post(
        section_url(draft, "nguoi-nop"),
        applicant_values(citizen) | {"has_mother_info": "yes"},
    )
    # The citizen leaves with "save, continue later" halfway through a page.
    response = logged_in.post(
        section_url(draft, "me"),
        {"mother.full_name": "Phạm Thị", "action": "save"},
    )
    assert response.headers["Location"] == reverse("dossiers:dossier-mine")
    mine = logged_in.get(reverse("dossiers:dossier-mine")).content.decode()
    resume = reverse("dossiers:draft-resume", args=[draft.pk])
    assert resume in mine

    response = logged_in.get(resume)

    assert response.headers["Location"] == section_url(draft, "me")
    page = logged_in.get(section_url(draft, "me")).content.decode()
    assert 'value="Phạm Thị"' in page


def test_a_section_that_does_not_apply_is_skipped(logged_in, citizen, procedure, home):
    draft, _first = start(logged_in, procedure, home)

    response = logged_in.post(
        section_url(draft, "nguoi-nop"),
        applicant_values(citizen) | {"has_mother_info": "no"},
    )

    assert response.headers["Location"] == reverse(
        "dossiers:draft-documents", args=[draft.pk]
    )
    assert logged_in.get(section_url(draft, "me")).status_code == 302


def test_bad_input_is_summarised_and_nothing_typed_is_lost(
    logged_in, citizen, procedure, home
):
    draft, _first = start(logged_in, procedure, home)
    logged_in.post(
        section_url(draft, "nguoi-nop"),
        applicant_values(citizen) | {"has_mother_info": "yes"},
    )

    response = logged_in.post(
        section_url(draft, "me"),
        {"mother.full_name": "Phạm Thị Hương", "mother.date_of_birth": "31/02/1988"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'id="error-summary".*?</div>', html, re.S).group(0)
    assert 'href="#id_mother.date_of_birth"' in summary
    assert "Ngày không hợp lệ" in summary
    assert 'value="Phạm Thị Hương"' in html
    draft.refresh_from_db()
    assert draft.data["mother.date_of_birth"] == "31/02/1988"
    assert draft.step == "form:me"


def test_going_back_keeps_what_was_typed_without_checking_it(
    logged_in, citizen, procedure, home
):
    draft, _first = start(logged_in, procedure, home)
    logged_in.post(
        section_url(draft, "nguoi-nop"),
        applicant_values(citizen) | {"has_mother_info": "yes"},
    )

    response = logged_in.post(
        section_url(draft, "me"), {"mother.full_name": "Hương", "action": "back"}
    )

    assert response.headers["Location"] == section_url(draft, "nguoi-nop")
    draft.refresh_from_db()
    assert draft.data["mother.full_name"] == "Hương"


def test_a_stored_document_is_attached_without_a_new_upload(
    logged_in, citizen, procedure, home
):
    stored = stored_document_add(
        owner=citizen,
        doc_type="birth_certificate",
        title="Giấy chứng sinh của bé",
        file=SimpleUploadedFile("cs.pdf", PDF_BYTES),
    )
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)
    documents = reverse("dossiers:draft-documents", args=[draft.pk])
    assert "Giấy chứng sinh của bé" in logged_in.get(documents).content.decode()

    response = logged_in.post(
        documents, {"action": "next", "stored-giay-chung-sinh": stored.pk}
    )

    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert attachment.stored_document == stored
    assert attachment.sha256 == stored.checksum
    draft.refresh_from_db()
    assert draft.stored_documents == {"giay-chung-sinh": stored.pk}
    # Choosing it again does not attach it twice.
    logged_in.post(documents, {"action": "attach", "stored-giay-chung-sinh": stored.pk})
    assert draft.attachments.count() == 1

    logged_in.post(
        reverse("dossiers:draft-review", args=[draft.pk]),
        {"action": "submit", "declaration": "on"},
    )
    assert Dossier.objects.get().attachments.get().stored_document == stored


def test_another_citizens_stored_document_cannot_be_chosen(
    logged_in, citizen, other_citizen, procedure, home
):
    theirs = stored_document_add(
        owner=other_citizen,
        doc_type="birth_certificate",
        title="Của người khác",
        file=SimpleUploadedFile("x.pdf", PDF_BYTES),
    )
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)

    response = logged_in.post(
        reverse("dossiers:draft-documents", args=[draft.pk]),
        {"action": "next", "stored-giay-chung-sinh": theirs.pk},
    )

    assert response.status_code == 200
    assert not Attachment.objects.exists()


def test_a_file_that_is_not_a_document_is_refused_and_the_others_kept(
    logged_in, citizen, procedure, home
):
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)
    fake = SimpleUploadedFile("anh.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    response = logged_in.post(
        reverse("dossiers:draft-documents", args=[draft.pk]),
        {
            "action": "next",
            "file-giay-chung-sinh": pdf_upload(),
            "file-giay-khac": fake,
        },
    )

    assert response.status_code == 200
    assert "không phải PDF, JPEG hay PNG" in response.content.decode()
    assert list(draft.attachments.values_list("document_key", flat=True)) == [
        "giay-chung-sinh"
    ]


def test_a_file_can_be_taken_off_a_draft(
    logged_in, citizen, procedure, home, media, django_capture_on_commit_callbacks
):
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)
    documents = reverse("dossiers:draft-documents", args=[draft.pk])
    logged_in.post(documents, {"action": "attach", "file-giay-khac": pdf_upload()})
    attachment = draft.attachments.get()
    path = media / attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        logged_in.post(documents, {"remove": attachment.pk})

    assert not draft.attachments.exists()
    assert not path.exists()


def test_a_missing_required_paper_blocks_submission(
    logged_in, citizen, procedure, home
):
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)
    review = reverse("dossiers:draft-review", args=[draft.pk])

    response = logged_in.post(review, {"action": "submit", "declaration": "on"})

    assert response.status_code == 200
    assert not Dossier.objects.exists()
    html = response.content.decode()
    summary = re.search(r'id="error-summary".*?</div>', html, re.S).group(0)
    documents = reverse("dossiers:draft-documents", args=[draft.pk])
    assert f'href="{documents}#id_file-giay-chung-sinh"' in summary
    assert "Hãy đính kèm giấy tờ này." in summary
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_the_documents_page_says_which_required_paper_is_missing(
    logged_in, citizen, procedure, home
):
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)

    response = logged_in.post(
        reverse("dossiers:draft-documents", args=[draft.pk]), {"action": "next"}
    )

    assert response.status_code == 200
    assert 'href="#id_file-giay-chung-sinh"' in response.content.decode()


def test_submitting_needs_the_declaration(logged_in, citizen, procedure, home):
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)
    services.attachment_add(
        uploaded_by=citizen,
        upload=pdf_upload(),
        document_key="giay-chung-sinh",
        draft=draft,
    )

    response = logged_in.post(
        reverse("dossiers:draft-review", args=[draft.pk]), {"action": "submit"}
    )

    assert response.status_code == 200
    assert 'href="#id_declaration"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_repeated_submit_gives_the_first_dossier(logged_in, citizen, procedure, home):
    draft, _first = start(logged_in, procedure, home)
    fill_form(logged_in, draft, citizen)
    services.attachment_add(
        uploaded_by=citizen,
        upload=pdf_upload(),
        document_key="giay-chung-sinh",
        draft=draft,
    )
    review = reverse("dossiers:draft-review", args=[draft.pk])

    first = logged_in.post(review, {"action": "submit", "declaration": "on"})
    again = logged_in.post(review, {"action": "submit", "declaration": "on"})

    assert again.headers["Location"] == first.headers["Location"]
    assert Dossier.objects.count() == 1


def test_a_draft_can_be_deleted_with_its_files(
    logged_in, citizen, procedure, home, media, django_capture_on_commit_callbacks
):
    draft, _first = start(logged_in, procedure, home)
    attachment = services.attachment_add(
        uploaded_by=citizen, upload=pdf_upload(), document_key="giay-khac", draft=draft
    )
    path = media / attachment.file.name
    url = reverse("dossiers:draft-delete", args=[draft.pk])
    assert logged_in.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(url)

    assert response.headers["Location"] == reverse("dossiers:dossier-mine")
    assert not Draft.objects.exists()
    assert not Attachment.objects.exists()
    assert not path.exists()


# --- The population registry ----------------------------------------------------------


class SpyRegistry(PopulationRegistry):
    calls: list[str] = []

    def lookup(self, personal_id):
        SpyRegistry.calls.append(personal_id)
        from agencies.adapters import DevelopmentPopulationRegistry

        return DevelopmentPopulationRegistry().lookup(personal_id)


@pytest.fixture
def spy(settings):
    settings.POPULATION_REGISTRY_BACKEND = (
        "tests.dossiers.test_views_citizen.SpyRegistry"
    )
    SpyRegistry.calls = []
    # Lookups are counted per user in the cache, which outlives a test's rows.
    cache.clear()
    return SpyRegistry


@pytest.fixture
def mother_page(logged_in, citizen, procedure, home):
    draft, _first = start(logged_in, procedure, home)
    logged_in.post(
        section_url(draft, "nguoi-nop"),
        applicant_values(citizen) | {"has_mother_info": "yes"},
    )
    return draft, section_url(draft, "me")


def test_no_registry_lookup_without_consent(logged_in, mother_page, mother_record, spy):
    draft, url = mother_page

    response = logged_in.post(
        url, {"mother.personal_id": MOTHER_ID, "lookup": "mother"}
    )

    assert response.status_code == 200
    assert spy.calls == []
    assert "hãy đánh dấu ô đồng ý" in response.content.decode()
    draft.refresh_from_db()
    assert "mother.full_name" not in draft.data
    # What was typed is kept.
    assert draft.data["mother.personal_id"] == MOTHER_ID


def test_with_consent_the_registry_fills_the_person(
    logged_in, mother_page, mother_record, spy
):
    draft, url = mother_page

    response = logged_in.post(
        url,
        {
            "mother.personal_id": MOTHER_ID,
            "event_date": "01/01/2026",
            "lookup": "mother",
            "registry_consent": "on",
        },
    )

    assert spy.calls == [MOTHER_ID]
    html = response.content.decode()
    assert 'value="Phạm Thị Hương"' in html
    assert 'value="1988-09-20"' in html
    draft.refresh_from_db()
    assert draft.data["mother.full_name"] == "Phạm Thị Hương"
    assert draft.data["mother.ethnicity"] == "Kinh"
    assert draft.data["mother.address"] == "Số 12, thị trấn Gôi"
    assert draft.data["event_date"] == "01/01/2026"
    # The consent is recorded in the draft, with its time.
    assert services.draft_registry_consent(draft)
    assert "_registry_consent" not in services.draft_values(draft)


def test_withdrawing_consent_stops_lookups(logged_in, mother_page, mother_record, spy):
    draft, url = mother_page
    logged_in.post(url, {"registry_consent": "on", "action": "save"})
    draft.refresh_from_db()
    assert services.draft_registry_consent(draft)

    logged_in.post(url, {"mother.personal_id": MOTHER_ID, "lookup": "mother"})

    draft.refresh_from_db()
    assert not services.draft_registry_consent(draft)
    assert spy.calls == []


def test_an_unavailable_registry_asks_to_type_it_in_and_loses_nothing(
    logged_in, mother_page, mother_record, settings
):
    draft, url = mother_page
    settings.POPULATION_REGISTRY_DEV_FAILURE_RATE = 1.0
    settings.POPULATION_REGISTRY_TIMEOUT_SECONDS = 0

    response = logged_in.post(
        url,
        {
            "mother.personal_id": MOTHER_ID,
            "mother.full_name": "Hương gõ tay",
            "lookup": "mother",
            "registry_consent": "on",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "đang không trả lời" in html
    assert 'value="Hương gõ tay"' in html
    draft.refresh_from_db()
    assert draft.data["mother.full_name"] == "Hương gõ tay"
    assert draft.data["mother.personal_id"] == MOTHER_ID


def test_an_unknown_personal_id_is_said_plainly(logged_in, mother_page, spy):
    _draft, url = mother_page

    response = logged_in.post(
        url,
        {"mother.personal_id": MOTHER_ID, "lookup": "mother", "registry_consent": "on"},
    )

    assert "không có số định danh 036188003456" in response.content.decode()


def test_a_malformed_personal_id_is_not_sent_to_the_registry(
    logged_in, mother_page, spy
):
    _draft, url = mother_page

    response = logged_in.post(
        url,
        {"mother.personal_id": "12345", "lookup": "mother", "registry_consent": "on"},
    )

    assert spy.calls == []
    assert 'href="#id_mother.personal_id"' in response.content.decode()


def test_registry_lookups_are_rate_limited(
    logged_in, mother_page, mother_record, spy, settings
):
    _draft, url = mother_page
    settings.POPULATION_REGISTRY_LOOKUP_LIMIT = 2
    body = {
        "mother.personal_id": MOTHER_ID,
        "lookup": "mother",
        "registry_consent": "on",
    }

    for _ in range(3):
        response = logged_in.post(url, body)

    assert len(spy.calls) == 2
    assert "tra cứu nhiều lần" in response.content.decode()


# --- My dossiers ----------------------------------------------------------------------


def test_my_dossiers_lists_mine_newest_first_with_words_for_timeliness(
    logged_in, citizen, other_citizen, officer, unit_a, time_machine
):
    time_machine.move_to(at("2026-03-02 09:00"))
    older = make_dossier(
        status=Status.RECEIVED, applicant=citizen, unit=unit_a, officer=officer
    )
    time_machine.move_to(at("2026-03-03 09:00"))
    newer = make_dossier(applicant=citizen, unit=unit_a)
    theirs = make_dossier(applicant=other_citizen, unit=unit_a)
    time_machine.move_to(at("2026-03-20 09:00"))

    html = logged_in.get(reverse("dossiers:dossier-mine")).content.decode()

    assert html.index(newer.code) < html.index(older.code)
    assert theirs.code not in html
    assert "Đã tiếp nhận" in html
    assert "Quá hạn" in html  # the received one is past its due date


def test_my_dossiers_query_count_does_not_grow_with_dossiers(
    client, citizen, unit_a, django_assert_num_queries
):
    client.force_login(citizen)
    Draft.objects.create(owner=citizen, procedure=ProcedureFactory())
    make_dossier(applicant=citizen, unit=unit_a)
    url = reverse("dossiers:dossier-mine")
    client.get(url)

    # session, user, groups (is_citizen), count, page of dossiers, drafts, the
    # menu's permissions (one read, decision 335), and the notification bell's
    # unread count
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(5):
        make_dossier(applicant=citizen, unit=unit_a)
    with django_assert_num_queries(8):
        client.get(url)


# --- Supplement, withdraw, rate -------------------------------------------------------


def test_the_dossier_page_shows_what_the_officer_asked_for(client, people):
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)
    client.force_login(people["applicant"])

    html = client.get(dossier.get_absolute_url()).content.decode()

    assert "Giấy chứng sinh" in html
    assert "Thiếu giấy" in html
    assert reverse("dossiers:dossier-supplement", args=[dossier.code]) in html


def test_a_supplement_upload_restarts_the_time_limit(
    client, people, time_machine, settings
):
    settings.DOSSIER_SUPPLEMENT_MODE = "restart"
    procedure = ProcedureFactory(processing_days=5)
    time_machine.move_to(at("2026-03-09 10:00"))
    dossier = make_dossier(
        status=Status.SUPPLEMENT_REQUESTED, procedure=procedure, **people
    )
    time_machine.move_to(at("2026-03-12 10:00"))
    client.force_login(people["applicant"])
    url = reverse("dossiers:dossier-supplement", args=[dossier.code])
    page = client.get(url).content.decode()
    assert "Giấy chứng sinh" in page
    assert "Thiếu giấy" in page

    response = client.post(url, {"item-1": pdf_upload("chung-sinh-ban-sao.pdf")})

    assert response.headers["Location"] == dossier.get_absolute_url()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert timezone.localtime(dossier.due_at).strftime("%Y-%m-%d %H:%M") == (
        "2026-03-19 17:00"
    )
    added = dossier.attachments.get(original_name="chung-sinh-ban-sao.pdf")
    assert added.supplement_round == 1
    assert dossier.events.last().details["mode"] == "restart"


def test_a_supplement_without_the_file_asked_for_is_refused(client, people):
    dossier = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)
    client.force_login(people["applicant"])
    url = reverse("dossiers:dossier-supplement", args=[dossier.code])

    response = client.post(url, {"note": ""})

    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    bad = SimpleUploadedFile("x.pdf", b"not a pdf at all", "application/pdf")
    response = client.post(url, {"item-1": bad, "note": "Gửi lại"})
    assert "không phải PDF, JPEG hay PNG" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED


def test_the_supplement_page_is_closed_when_nothing_is_asked(client, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    client.force_login(people["applicant"])

    response = client.post(
        reverse("dossiers:dossier-supplement", args=[dossier.code]),
        {"item-1": pdf_upload()},
    )

    assert response.headers["Location"] == dossier.get_absolute_url()
    assert not dossier.events.filter(action="supplement").exists()


def test_withdrawing_asks_why_then_withdraws(client, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    client.force_login(people["applicant"])
    url = reverse("dossiers:dossier-withdraw", args=[dossier.code])
    assert client.get(url).status_code == 200

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED

    response = client.post(url, {"reason": "Nộp nhầm thủ tục"})

    assert response.headers["Location"] == dossier.get_absolute_url()
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert dossier.events.last().note == "Nộp nhầm thủ tục"


def test_a_returned_dossier_cannot_be_withdrawn(client, people):
    dossier = make_dossier(status=Status.RETURNED, **people)
    client.force_login(people["applicant"])

    response = client.post(
        reverse("dossiers:dossier-withdraw", args=[dossier.code]), {"reason": "Thôi"}
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED


def rating_body(**overrides):
    body = {f"score_{i}": "2" for i in range(1, 10)}
    body |= {"score_7": "1", "overall": "satisfied", "comment": "Cán bộ nhiệt tình."}
    return body | overrides


def test_rating_once_with_all_nine_indicators(client, people):
    dossier = make_dossier(status=Status.RETURNED, **people)
    client.force_login(people["applicant"])
    url = reverse("dossiers:dossier-rate", args=[dossier.code])
    page = client.get(url).content.decode()
    assert "Thái độ của cán bộ, công chức, viên chức" in page
    assert page.count('type="radio"') == 9 * 3 + 3

    response = client.post(url, rating_body())

    assert response.headers["Location"] == dossier.get_absolute_url()
    rating = Rating.objects.get(dossier=dossier)
    assert rating.scores == {str(i): (1 if i == 7 else 2) for i in range(1, 10)}
    assert rating.overall == "satisfied"
    assert rating.comment == "Cán bộ nhiệt tình."
    again = client.post(url, rating_body(overall="dissatisfied"))
    assert again.status_code == 302
    assert Rating.objects.get(dossier=dossier).overall == "satisfied"


def test_a_rating_missing_an_indicator_is_refused(client, people):
    dossier = make_dossier(status=Status.RETURNED, **people)
    client.force_login(people["applicant"])
    body = rating_body()
    del body["score_4"]

    response = client.post(reverse("dossiers:dossier-rate", args=[dossier.code]), body)

    assert response.status_code == 200
    assert 'href="#indicator-4"' in response.content.decode()
    assert not Rating.objects.exists()


def test_rating_waits_for_the_result(client, people):
    dossier = make_dossier(status=Status.PROCESSING, **people)
    client.force_login(people["applicant"])

    response = client.post(
        reverse("dossiers:dossier-rate", args=[dossier.code]), rating_body()
    )

    assert response.status_code == 302
    assert not Rating.objects.exists()


def test_the_applicant_downloads_the_result_file(client, people):
    dossier = make_dossier(status=Status.RETURNED, **people)
    client.force_login(people["applicant"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    url = reverse("dossiers:result-download", args=[dossier.code])
    assert url in page
    assert dossier.result.get_absolute_url() in page

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- Who may open what ----------------------------------------------------------------


def citizen_urls(dossier, draft):
    code = dossier.code
    return [
        reverse("dossiers:dossier-submitted", args=[code]),
        reverse("dossiers:dossier-supplement", args=[code]),
        reverse("dossiers:dossier-withdraw", args=[code]),
        reverse("dossiers:dossier-rate", args=[code]),
        reverse("dossiers:draft-resume", args=[draft.pk]),
        reverse("dossiers:draft-unit", args=[draft.pk]),
        reverse("dossiers:draft-section", args=[draft.pk, "nguoi-nop"]),
        reverse("dossiers:draft-documents", args=[draft.pk]),
        reverse("dossiers:draft-review", args=[draft.pk]),
        reverse("dossiers:draft-delete", args=[draft.pk]),
    ]


@pytest.fixture
def owned(people, procedure):
    dossier = make_dossier(status=Status.RETURNED, **people)
    draft = Draft.objects.create(
        owner=people["applicant"],
        procedure=procedure,
        receiving_unit=people["unit"],
        data={"applicant.full_name": "Nguyễn Văn Công"},
    )
    return dossier, draft


def test_another_citizen_gets_404_on_every_citizen_page(client, owned, other_citizen):
    dossier, draft = owned
    client.force_login(other_citizen)
    events = dossier.events.count()

    for url in [
        *citizen_urls(dossier, draft),
        reverse("dossiers:result-download", args=[dossier.code]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, rating_body() | {"reason": "x"}).status_code in (
            404,
            405,
        ), url

    assert Draft.objects.filter(pk=draft.pk).exists()
    assert dossier.events.count() == events
    assert not Rating.objects.exists()


def test_officers_get_403_on_citizen_pages(client, owned, officer, login_staff):
    dossier, draft = owned
    login_staff(client, officer)

    for url in citizen_urls(dossier, draft):
        assert client.get(url).status_code == 403, url
        assert client.post(url, rating_body()).status_code == 403, url
    assert client.get(reverse("dossiers:dossier-mine")).status_code == 403
    assert (
        client.get(
            reverse("dossiers:dossier-create", args=[draft.procedure.code])
        ).status_code
        == 403
    )
    # The result file is the dossier's: its officers may open it.
    url = reverse("dossiers:result-download", args=[dossier.code])
    assert client.get(url).status_code == 200


def test_an_officer_of_another_commune_gets_404_on_the_result(
    client, owned, officer_other_commune, login_staff
):
    dossier, _draft = owned
    login_staff(client, officer_other_commune)

    url = reverse("dossiers:result-download", args=[dossier.code])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, owned):
    dossier, draft = owned
    for url in citizen_urls(dossier, draft):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("accounts:login"))


# --- Tracking -------------------------------------------------------------------------


def test_the_tracking_page_takes_the_code_from_a_qr_link_without_errors(client):
    response = client.get(reverse("dossiers:dossier-track") + "?code=000.11.59.H00-1")

    html = response.content.decode()
    assert 'value="000.11.59.H00-1"' in html
    assert "error-summary" not in html


def test_the_home_page_and_the_menu_lead_to_tracking(client):
    html = client.get(reverse("portal:home")).content.decode()

    assert html.count(f'href="{reverse("dossiers:dossier-track")}"') >= 2


def test_tracking_shows_status_and_timeliness_in_words(client, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    response = client.get(
        reverse("dossiers:dossier-track"),
        {"code": dossier.code, "phone_last4": dossier.phone_last4},
    )

    html = response.content.decode()
    assert "Đã tiếp nhận" in html
    assert "Trong hạn" in html


def test_tracking_shows_the_public_events_with_their_unit_and_nothing_internal(
    client, people
):
    from dossiers.models import Event

    dossier = make_dossier(status=Status.RECEIVED, **people)
    Event.objects.create(
        dossier=dossier,
        action="request_supplement",
        at=timezone.now(),
        from_status=Status.RECEIVED,
        to_status=Status.SUPPLEMENT_REQUESTED,
        note="Thiếu bản sao giấy khai sinh",
        actor=people["officer"],
        actor_unit=people["unit"],
    )
    Event.objects.create(
        dossier=dossier,
        action="note",
        at=timezone.now(),
        note="Ghi chú nội bộ của cán bộ",
        public=False,
    )
    url = reverse("dossiers:dossier-track")

    # The code whatever its case, as printed or typed.
    html = client.get(
        url, {"code": dossier.code.lower(), "phone_last4": dossier.phone_last4}
    ).content.decode()
    api_events = api_get_json(
        reverse("dossiers_api:track"),
        {"code": dossier.code, "phone_last4": dossier.phone_last4},
    )["events"]
    # A "%" is a character of the code, never a wildcard.
    wildcard = client.get(
        url, {"code": dossier.code[:-1] + "%", "phone_last4": dossier.phone_last4}
    ).content.decode()

    assert dossier.code in html
    assert "Thiếu bản sao giấy khai sinh" in html
    assert people["unit"].name in html
    assert "Ghi chú nội bộ" not in html
    assert people["officer"].full_name not in html
    assert [e["note"] for e in api_events if e["action"] == "request_supplement"] == [
        "Thiếu bản sao giấy khai sinh"
    ]
    assert {e["actor_unit"] for e in api_events} >= {people["unit"].name}
    assert "Ghi chú nội bộ của cán bộ" not in str(api_events)
    assert dossier.code not in wildcard


def api_get_json(url, params):
    from rest_framework.test import APIClient

    return APIClient().get(url, params).json()


# --- Accessibility --------------------------------------------------------------------


def test_the_citizen_pages_pass_the_accessibility_check(
    client, citizen, people, procedure, home, mother_record
):
    client.force_login(citizen)
    draft, _first = start(client, procedure, home)
    fill_form(client, draft, citizen)
    supplement = make_dossier(status=Status.SUPPLEMENT_REQUESTED, **people)
    returned = make_dossier(status=Status.RETURNED, **people)
    received = make_dossier(status=Status.RECEIVED, **people)
    pages = [
        reverse("dossiers:dossier-create", args=[procedure.code]),
        reverse("dossiers:draft-unit", args=[draft.pk]),
        section_url(draft, "nguoi-nop"),
        section_url(draft, "me"),
        reverse("dossiers:draft-documents", args=[draft.pk]),
        reverse("dossiers:draft-review", args=[draft.pk]),
        reverse("dossiers:draft-delete", args=[draft.pk]),
        reverse("dossiers:dossier-mine"),
        reverse("dossiers:dossier-submitted", args=[received.code]),
        supplement.get_absolute_url(),
        returned.get_absolute_url(),
        reverse("dossiers:dossier-supplement", args=[supplement.code]),
        reverse("dossiers:dossier-withdraw", args=[received.code]),
        reverse("dossiers:dossier-rate", args=[returned.code]),
        reverse("dossiers:dossier-track")
        + f"?code={received.code}&phone_last4={received.phone_last4}",
        reverse(
            "dossiers:dossier-create", args=[ProcedureFactory(list_only=True).code]
        ),
    ]
    # Pages with errors, too: the summaries must link to labelled fields.
    bad = {
        section_url(draft, "me"): {"mother.date_of_birth": "x"},
        reverse("dossiers:draft-documents", args=[draft.pk]): {"action": "next"},
        reverse("dossiers:dossier-rate", args=[returned.code]): {"overall": "x"},
    }

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert accessibility_problems(response.content.decode()) == [], url
    for url, body in bad.items():
        response = client.post(url, body)
        assert response.status_code == 200, url
        assert accessibility_problems(response.content.decode()) == [], url


def test_the_dossier_page_query_count_does_not_grow_with_its_history(
    client, people, django_assert_num_queries
):
    dossier = make_dossier(status=Status.RECEIVED, **people)
    client.force_login(people["applicant"])
    url = dossier.get_absolute_url()
    client.get(url)

    # session, user, groups, dossier, result, rating, slip events, events, attachments,
    # the menu's permissions (one read, decision 335), the notification bell's unread
    # count and the fee block's assessment (payments); on PostgreSQL, when reads are
    # sent whole, the dossier's read planned with its joins as written (portal.db)
    with django_assert_num_queries(
        12 + joins_as_written_statements(unless_prepared=True)
    ):
        client.get(url)
    for _ in range(3):
        services.dossier_assign(
            dossier=dossier, actor=people["officer"], assignee=people["officer"]
        )
        services.attachment_add(
            uploaded_by=people["applicant"], upload=pdf_upload(), dossier=dossier
        )
    with django_assert_num_queries(
        12 + joins_as_written_statements(unless_prepared=True)
    ):
        client.get(url)


def test_the_citizens_timeline_names_each_event_never_its_code(client, people):
    from tests.inside import inside_of_the_software, visible_text

    officer = people["officer"]
    dossier = make_dossier(status=Status.RECEIVED, **people)
    services.dossier_assign(dossier=dossier, actor=officer, assignee=officer)
    services.dossier_forward(dossier=dossier, actor=officer, to_unit=people["unit"])
    client.force_login(people["applicant"])

    page = client.get(dossier.get_absolute_url())

    text = visible_text(page.text)
    for label in ("Nộp hồ sơ", "Tiếp nhận hồ sơ", "Chuyển xử lý"):
        assert label in text, label
    assert "Trạng thái: Đã tiếp nhận" in text
    assert inside_of_the_software(text) == []


def test_the_confirmation_tells_the_centres_no_writing_day(
    client, people, time_machine
):
    from tests.procedures.factories import FieldFactory
    from tests.rules.factories import NoAppointmentDayFactory

    NoAppointmentDayFactory(centre=people["unit"])
    certification = ProcedureFactory(field=FieldFactory(code="chung-thuc"))
    time_machine.move_to(at("2026-03-10 10:00"))
    covered = make_dossier(**people, procedure=certification)
    other = make_dossier(**people)
    client.force_login(people["applicant"])

    def page(dossier):
        url = reverse("dossiers:dossier-submitted", args=[dossier.code])
        return client.get(url).text

    text = page(covered)
    assert 'id="no-appointment-day"' in text
    assert "cán bộ viết giúp tờ khai tại quầy" in text
    assert 'id="no-appointment-day"' not in page(other)
