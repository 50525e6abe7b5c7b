"""Results are signed by their agency at issue (issue 18, point 3) and the
verification page and API check the signature and the file's hash."""

import hashlib
import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import Result, Status
from signing.adapters.base import to_asn1
from signing.models import SignedDocument
from tests.accounts.factories import login_with_otp

from .factories import PNG_BYTES, make_dossier, pdf_upload

pytestmark = pytest.mark.django_db


def issued(people):
    dossier = make_dossier(status=Status.SIGNED, **people)
    return services.dossier_issue_generated_result(
        dossier=dossier, actor=people["officer"], title="Giấy xác nhận", number="7"
    )


def download(client, user, dossier):
    login_with_otp(client, user) if user.is_staff else client.force_login(user)
    response = client.get(reverse("dossiers:result-download", args=[dossier.code]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def tamper(result, at=400):
    """One byte of the stored file changed, in place."""
    path = result.file.path
    with open(path, "r+b") as handle:
        handle.seek(at)
        byte = handle.read(1)
        handle.seek(at)
        handle.write(bytes([byte[0] ^ 0x01]))


def verify_api(result):
    response = APIClient().get(reverse("dossiers_api:verify", args=[result.token]))
    assert response.status_code == 200
    return response.json()


def test_the_downloaded_result_validates_against_the_development_authority(
    client, people, development_authority
):
    dossier = issued(people)

    content = download(client, people["applicant"], dossier)

    signatures = PdfFileReader(io.BytesIO(content)).embedded_regular_signatures
    assert len(signatures) == 1
    status = validate_pdf_signature(
        signatures[0],
        ValidationContext(
            trust_roots=[to_asn1(development_authority.root_certificate())]
        ),
    )
    assert status.bottom_line
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    signer = status.signing_cert.subject.native
    assert signer["common_name"].startswith(people["unit"].name[:20])
    assert signer["common_name"].endswith("(DEVELOPMENT)")
    assert "không có giá trị pháp lý" in signer["organization_name"]
    record = SignedDocument.objects.get()
    assert record.document == Result.objects.get(dossier=dossier)
    assert record.unit == people["unit"]
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert record.development


def test_a_result_signed_by_another_authority_is_not_trusted(client, people, tmp_path):
    from signing.adapters import DevelopmentAuthority

    dossier = issued(people)
    content = download(client, people["applicant"], dossier)
    stranger = DevelopmentAuthority(tmp_path).root_certificate()

    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(content)).embedded_regular_signatures[0],
        ValidationContext(trust_roots=[to_asn1(stranger)]),
    )

    assert status.intact
    assert status.valid
    assert not status.trusted


def test_the_page_and_the_api_say_who_signed_when_and_the_hash(client, people):
    dossier = issued(people)
    result = Result.objects.get(dossier=dossier)
    record = SignedDocument.objects.get()

    body = verify_api(result)
    page = client.get(result.get_absolute_url())

    assert body["valid"] is True
    assert body["signed"] is True
    assert body["signed_by"] == record.signer_name
    assert body["signed_by"].endswith("(DEVELOPMENT)")
    assert body["signed_at"]
    assert body["document_sha256"] == record.sha256
    assert body["dossier_code"] == dossier.code
    assert body["problem"] is None
    assert "không bị thay đổi" in body["message"]
    assert page.status_code == 200
    assert "còn giá trị" in page.text
    assert record.signer_name in page.text
    assert record.sha256 in page.text
    assert "không có giá trị pháp lý" in page.text


@pytest.mark.parametrize("offset", [400, -200])
def test_one_byte_changed_is_not_valid_on_the_page_and_the_api(client, people, offset):
    dossier = issued(people)
    result = Result.objects.get(dossier=dossier)
    size = result.file.size
    tamper(result, at=offset % size)

    body = verify_api(result)
    page = client.get(result.get_absolute_url())

    assert body["valid"] is False
    assert body["problem"] == "changed"
    assert body["signed"] is True
    assert "đã bị thay đổi sau khi cơ quan ký số" in body["message"]
    assert page.status_code == 200
    assert "KHÔNG hợp lệ" in page.text
    assert "đã bị thay đổi sau khi cơ quan ký số" in page.text
    assert "còn giá trị" not in page.text


def test_a_file_replaced_with_its_hash_recorded_is_caught_by_the_signature(people):
    """Someone who rewrites both the file and the recorded hash still fails: the
    signature no longer matches the bytes it covers."""
    from signing.selectors import pdf_verify

    dossier = issued(people)
    result = Result.objects.get(dossier=dossier)
    tamper(result, at=400)
    record = SignedDocument.objects.get()
    content = result.file.open("rb").read()
    record.sha256 = hashlib.sha256(content).hexdigest()
    record.save()

    found = pdf_verify(content=content, record=record)

    assert (found.valid, found.problem) == (False, "signature_invalid")


def test_an_uploaded_pdf_result_is_stored_signed(people):
    dossier = make_dossier(status=Status.SIGNED, **people)

    dossier = services.dossier_issue_result(
        dossier=dossier,
        actor=people["officer"],
        title="Giấy khai sinh",
        file=pdf_upload("ket-qua.pdf"),
    )

    stored = dossier.result.file.open("rb").read()
    assert stored != pdf_upload().read()
    assert b"/ByteRange" in stored
    assert verify_api(dossier.result)["valid"] is True


def test_an_uploaded_image_result_is_refused_and_nothing_issued(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = make_dossier(status=Status.SIGNED, **people)

    with pytest.raises(services.DossierError, match="phải là tệp PDF"):
        services.dossier_issue_result(
            dossier=dossier,
            actor=people["officer"],
            title="Giấy khai sinh",
            file=SimpleUploadedFile("anh.png", PNG_BYTES, "image/png"),
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.SIGNED
    assert not Result.objects.exists()


def test_no_certificate_for_the_agency_refuses_the_issue(people, settings, tmp_path):
    settings.SIGNATURE_BACKEND = "pkcs12"
    settings.SIGNATURE_PKCS12_DIR = str(tmp_path)
    dossier = make_dossier(status=Status.SIGNED, **people)

    with pytest.raises(services.DossierError, match="chứng thư số của cơ quan"):
        services.dossier_issue_generated_result(
            dossier=dossier, actor=people["officer"], title="Giấy xác nhận"
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.SIGNED
    assert not Result.objects.exists()
    assert not SignedDocument.objects.exists()


def test_a_paper_result_has_nothing_to_sign_and_stays_valid(people):
    dossier = make_dossier(status=Status.SIGNED, **people)
    dossier = services.dossier_issue_result(
        dossier=dossier, actor=people["officer"], title="Giấy khai sinh"
    )

    body = verify_api(Result.objects.get(dossier=dossier))

    assert (body["valid"], body["signed"], body["signed_by"]) == (True, False, None)
    assert body["dossier_code"] == dossier.code


def test_an_unsigned_electronic_result_is_not_valid(people):
    """A file stored before results were signed cannot be vouched for."""
    dossier = make_dossier(status=Status.RETURNED, **people)
    SignedDocument.objects.all().delete()

    body = verify_api(dossier.result)

    assert (body["valid"], body["signed"], body["problem"]) == (
        False,
        False,
        "unsigned",
    )


def test_the_dossier_api_says_whether_the_result_is_signed(people):
    dossier = issued(people)
    client = APIClient()
    client.force_authenticate(people["applicant"])

    body = client.get(reverse("dossiers_api:dossier-detail", args=[dossier.code]))

    assert body.json()["result"]["signed"] is True


def test_a_linked_chains_agency_result_carries_that_agencys_signature(
    people, officer, unit_b
):
    """A part's result, recorded for another agency's system (chains), is signed
    with the certificate of the part's agency."""
    from signing.selectors import pdf_verify

    dossier = make_dossier(status=Status.PROCESSING, **people)
    dossier.__class__.objects.filter(pk=dossier.pk).update(processing_unit=unit_b)
    dossier.refresh_from_db()

    result = services.dossier_record_agency_result(
        dossier=dossier,
        title="Giấy khai sinh",
        number="15/2026",
        issued_by=officer,
        data_rows=[("Họ và tên", "Nguyễn Văn Con")],
    )

    record = SignedDocument.objects.get(object_id=result.pk)
    assert record.unit == unit_b
    assert record.signer_name.startswith(unit_b.name[:20])
    content = Result.objects.get(pk=result.pk).file.open("rb").read()
    assert pdf_verify(content=content, record=record).valid
