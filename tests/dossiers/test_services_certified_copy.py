"""Electronic certification of copies (issue 22, point 3): the scan of the
original compared at the counter becomes a certified copy, numbered in the
agency's certification register and signed with its certificate."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import Event, Status
from dossiers.services import DossierError
from registers.models import RegisterEntry, RegisterKind
from signing.adapters.base import to_asn1
from tests.accounts.factories import login_with_otp
from tests.procedures.factories import FieldFactory, ProcedureFactory

from .factories import PDF_BYTES, PNG_BYTES, make_dossier

pytestmark = pytest.mark.django_db

PER_PAGE = {
    "per": "page",
    "first_pages": 2,
    "first_rate_vnd": 2000,
    "then_rate_vnd": 1000,
    "cap_per_copy_vnd": 200000,
}


# The catalogue's form, reduced to what the certification reads.
SCHEMA = {
    "version": 1,
    "sections": [
        {
            "key": "so-trang-so-ban",
            "title": {"vi": "Số trang, số bản", "en": "Pages and copies"},
            "fields": [
                {
                    "name": "document_name",
                    "type": "text",
                    "required": True,
                    "label": {"vi": "Tên giấy tờ cần chứng thực", "en": "Paper"},
                },
                {
                    "name": "page_count",
                    "type": "number",
                    "required": True,
                    "min": 1,
                    "label": {"vi": "Số trang của bản chính", "en": "Pages"},
                },
            ],
        }
    ],
}


@pytest.fixture
def copies_procedure():
    return ProcedureFactory(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        field=FieldFactory(code="chung-thuc"),
        fee_basis=PER_PAGE,
        form_schema=SCHEMA,
    )


def processing(people, procedure):
    return make_dossier(
        status=Status.PROCESSING,
        procedure=procedure,
        data={"document_name": "Bằng tốt nghiệp THPT", "page_count": 1},
        **people,
    )


def scan_pdf(pages: int = 3) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile("ban-chinh.pdf", out.getvalue(), "application/pdf")


def text_of(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


def test_the_procedure_certifies_copies_by_its_field_and_per_page_fee(
    copies_procedure,
):
    assert copies_procedure.certifies_copies
    signatures = ProcedureFactory(
        field=copies_procedure.field, fee_basis={"per": "case", "rate_vnd": 10000}
    )
    assert not signatures.certifies_copies
    elsewhere = ProcedureFactory(fee_basis=PER_PAGE)
    assert not elsewhere.certifies_copies


def test_a_scanned_pdf_becomes_the_draft_with_a_statement_page(
    people, copies_procedure
):
    dossier = processing(people, copies_procedure)

    appraised = services.dossier_certify_copy(
        dossier=dossier,
        actor=people["specialist"],
        scan=scan_pdf(3),
        original_seen=True,
        copies=2,
    )

    assert appraised.status == Status.APPRAISED
    draft = appraised.result_draft
    assert draft.title == "Bản sao chứng thực: Bằng tốt nghiệp THPT"
    content = draft.file.read()
    assert len(PdfReader(io.BytesIO(content)).pages) == 4
    statement = " ".join(text_of(content).split())
    assert "Chứng thực bản sao này đúng với bản chính." in statement
    assert "Bằng tốt nghiệp THPT" in statement
    assert "Bản sao gồm 3 trang" in statement
    assert "Số bản sao điện tử được chứng thực: 2." in statement
    assert people["specialist"].full_name in statement
    assert people["applicant"].full_name in statement
    event = Event.objects.filter(dossier=dossier, action="appraise").get()
    assert event.details["certified_copy"] == {
        "original_seen_by": people["specialist"].pk,
        "scan_pages": 3,
        "copies": 2,
    }


def test_a_photo_of_the_original_becomes_one_page(people, copies_procedure):
    dossier = processing(people, copies_procedure)

    appraised = services.dossier_certify_copy(
        dossier=dossier,
        actor=people["specialist"],
        scan=SimpleUploadedFile("anh.png", PNG_BYTES, "image/png"),
        original_seen=True,
    )

    content = appraised.result_draft.file.read()
    assert len(PdfReader(io.BytesIO(content)).pages) == 2
    assert "Bản sao gồm 1 trang" in " ".join(text_of(content).split())


@pytest.mark.parametrize(
    ("seen", "scan", "message"),
    [
        (False, "pdf", "Chỉ chứng thực khi đã đối chiếu bản chụp với bản chính"),
        (True, None, "Hãy tải lên bản chụp của bản chính"),
    ],
)
def test_no_copy_is_certified_without_the_original_seen_or_a_scan(
    people, copies_procedure, seen, scan, message
):
    dossier = processing(people, copies_procedure)

    with pytest.raises(DossierError, match=message):
        services.dossier_certify_copy(
            dossier=dossier,
            actor=people["specialist"],
            scan=scan_pdf() if scan else None,
            original_seen=seen,
        )

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert not hasattr(dossier, "result_draft")


def test_a_procedure_that_certifies_no_copies_is_refused(people):
    dossier = make_dossier(status=Status.PROCESSING, **people)

    with pytest.raises(DossierError, match="không phải chứng thực bản sao"):
        services.dossier_certify_copy(
            dossier=dossier,
            actor=people["specialist"],
            scan=scan_pdf(),
            original_seen=True,
        )


def test_a_broken_scan_is_refused_with_words_the_officer_can_act_on(
    people, copies_procedure
):
    dossier = processing(people, copies_procedure)
    broken = SimpleUploadedFile(
        "hong.pdf", PDF_BYTES[:40] + b"garbage" * 20, "application/pdf"
    )

    with pytest.raises(Exception, match=r"hỏng|Không đọc được|không hợp lệ"):
        services.dossier_certify_copy(
            dossier=dossier, actor=people["specialist"], scan=broken, original_seen=True
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_the_issued_copy_carries_the_certification_number_and_a_valid_signature(
    client, people, copies_procedure, development_authority
):
    dossier = processing(people, copies_procedure)
    services.dossier_certify_copy(
        dossier=dossier,
        actor=people["specialist"],
        scan=scan_pdf(2),
        original_seen=True,
    )
    services.dossier_submit_for_signature(dossier=dossier, actor=people["specialist"])
    services.dossier_sign(dossier=dossier, actor=people["leader"])

    issued = services.dossier_issue_signed_result(
        dossier=dossier, actor=people["officer"]
    )

    entry = RegisterEntry.objects.get(dossier=dossier)
    assert entry.register.kind == RegisterKind.CERT_COPY
    result = issued.result
    assert (result.number, result.book) == (str(entry.number), entry.register.book)
    login_with_otp(client, people["officer"])
    response = client.get(reverse("dossiers:result-download", args=[dossier.code]))
    content = b"".join(response.streaming_content)
    first_page = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert f"Số: {entry.number}, Quyển số: {entry.register.book}" in first_page
    assert "Chứng thực bản sao này đúng với bản chính." in " ".join(
        text_of(content).split()
    )
    signature = PdfFileReader(io.BytesIO(content)).embedded_regular_signatures[0]
    status = validate_pdf_signature(
        signature,
        ValidationContext(
            trust_roots=[to_asn1(development_authority.root_certificate())]
        ),
    )
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"


def test_the_api_certifies_a_copy_through_appraise(people, copies_procedure):
    from .test_api import api

    dossier = processing(people, copies_procedure)
    url = reverse("dossiers_api:dossier-action", args=[dossier.code])
    body = {"action": "appraise", "certify_copy": True, "file": scan_pdf(2)}

    refused = api(people["specialist"]).post(url, body, format="multipart")
    assert refused.status_code == 400
    assert "đối chiếu" in str(refused.json())

    empty = SimpleUploadedFile("rong.pdf", b"", "application/pdf")
    body = {**body, "file": empty, "original_seen": True, "copies": 1}
    refused = api(people["specialist"]).post(url, body, format="multipart")
    assert refused.status_code == 400
    assert "Tệp trống" in str(refused.json())

    body = {**body, "file": scan_pdf(2)}
    response = api(people["specialist"]).post(url, body, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "appraised"
    dossier.refresh_from_db()
    assert dossier.result_draft.title.startswith("Bản sao chứng thực")
    # A citizen can do none of it.
    denied = APIClient()
    denied.force_authenticate(people["applicant"])
    body = {**body, "file": scan_pdf(2)}
    assert denied.post(url, body, format="multipart").status_code in (403, 404)


def test_the_officer_page_offers_certification_and_asks_for_the_original(
    client, people, copies_procedure
):
    dossier = processing(people, copies_procedure)
    login_with_otp(client, people["specialist"])
    page = client.get(reverse("dossiers:dossier-work", args=[dossier.code]))
    assert "Chứng thực bản sao điện tử từ bản chính" in page.content.decode()
    url = reverse("dossiers:dossier-act", args=[dossier.code, "appraise"])

    unseen = client.post(
        url,
        {
            "appraise-title": "Bản sao",
            "appraise-source": "certify",
            "appraise-seen_status": Status.PROCESSING,
            "appraise-file": scan_pdf(1),
        },
    )
    assert "Chỉ chứng thực khi đã đối chiếu với bản chính." in unseen.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING

    done = client.post(
        url,
        {
            "appraise-title": "Bản sao bằng tốt nghiệp",
            "appraise-source": "certify",
            "appraise-seen_status": Status.PROCESSING,
            "appraise-file": scan_pdf(1),
            "appraise-original_seen": "on",
        },
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.APPRAISED
    assert dossier.result_draft.title == "Bản sao bằng tốt nghiệp"


def test_the_copy_is_named_after_the_paper_the_form_names(people, copies_procedure):
    dossier = processing(people, copies_procedure)
    assert (
        services.certified_copy_title(dossier)
        == "Bản sao chứng thực: Bằng tốt nghiệp THPT"
    )
    dossier.data = {}
    assert services.certified_copy_title(dossier) == (
        "Bản sao chứng thực: giấy tờ, văn bản"
    )


def test_the_copies_default_to_what_the_citizen_asked(people, copies_procedure):
    dossier = make_dossier(
        status=Status.PROCESSING,
        procedure=copies_procedure,
        data={"document_name": "Giấy khai sinh", "page_count": 1},
        **people,
    )
    dossier.data = {**dossier.data, "copy_count": 3}
    dossier.save(update_fields=["data"])

    services.dossier_certify_copy(
        dossier=dossier,
        actor=people["specialist"],
        scan=scan_pdf(1),
        original_seen=True,
    )

    event = Event.objects.filter(dossier=dossier, action="appraise").get()
    assert event.details["certified_copy"]["copies"] == 3
