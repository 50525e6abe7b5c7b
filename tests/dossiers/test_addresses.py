"""The QR codes of slips and results point at the portal's public address
(PORTAL_URL, else the address of the request that caused them; accounts/
addresses.py), never at a default host and port."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.addresses import PublicAddressMiddleware
from dossiers import services
from dossiers.models import Result, Status
from tests.accounts.factories import login_with_otp
from tests.procedures.factories import ProcedureFactory

from .factories import make_dossier

pytestmark = pytest.mark.django_db

PUBLIC = "https://dichvucong.example.gov.vn"


def verify_url_in(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    found = re.search(r"\S+/verify/\S+/", text)
    assert found, text
    return found.group(0)


def test_the_receipt_slips_qr_code_is_at_portal_url(
    client, citizen, unit_a, settings, monkeypatch
):
    settings.PORTAL_URL = PUBLIC
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    seen = {}

    def spy(dossier, *, tracking_url):
        seen["tracking_url"] = tracking_url
        return b"%PDF-1.4"

    monkeypatch.setattr("dossiers.views.shared.slips.receipt_pdf", spy)
    client.force_login(citizen)
    client.get(
        reverse("dossiers:slip-pdf", args=[dossier.code, "receipt"]),
        HTTP_HOST="127.0.0.1:8123",
    )

    assert seen["tracking_url"] == (
        f"{PUBLIC}{reverse('dossiers:dossier-track')}?code={dossier.code}"
    )


def test_a_generated_results_qr_code_is_at_portal_url(
    client, citizen, unit_a, officer, specialist, leader, settings
):
    settings.PORTAL_URL = PUBLIC
    dossier = make_dossier(
        status=Status.PROCESSING,
        procedure=ProcedureFactory(),
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        specialist=specialist,
        leader=leader,
    )
    services.dossier_appraise(
        dossier=dossier, actor=specialist, title="Giấy xác nhận thử", generate=True
    )
    services.dossier_submit_for_signature(dossier=dossier, actor=specialist)
    services.dossier_sign(dossier=dossier, actor=leader)
    login_with_otp(client, officer)

    client.post(
        reverse("dossiers:dossier-act", args=[dossier.code, "issue_result"]),
        {"issue_result-seen_status": Status.SIGNED},
        HTTP_HOST="127.0.0.1:8123",
    )

    result = Result.objects.get(dossier=dossier)
    assert verify_url_in(result.file.read()) == PUBLIC + result.get_absolute_url()


def test_a_result_recorded_for_another_agency_points_at_the_causing_request(
    rf, citizen, unit_a, officer, settings
):
    # A chain step on the worker, with no PORTAL_URL: the address of the
    # request that set the chain going (carried by its tasks).
    settings.PORTAL_URL = ""
    dossier = make_dossier(status=Status.RECEIVED, applicant=citizen, unit=unit_a)
    recorded = []

    def step(request):
        recorded.append(
            services.dossier_record_agency_result(
                dossier=dossier,
                title="Giấy khai sinh",
                number="01",
                issued_by=officer,
                data_rows=[("Họ tên", "Nguyễn Văn Công")],
            )
        )

    PublicAddressMiddleware(step)(rf.get("/", HTTP_HOST="127.0.0.1:8123"))

    (result,) = recorded
    assert verify_url_in(result.file.read()) == (
        "http://127.0.0.1:8123" + result.get_absolute_url()
    )
