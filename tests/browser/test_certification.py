"""A commune's counter certifies copies (issue 22, point 3): the citizen brings
the original, the one-stop officer receives the request and prints the receipt,
the justice officer compares the original with its scan and certifies the copy,
the leader signs it off, and the one-stop officer issues and prints the certified
copy with the number of the certification book."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dossiers.models import Status

from .conftest import DESKTOP, new_page, screenshot
from .journeys import AN, CENTRE, OFFICE, pdf_file, pdf_text, staff_login
from .test_officer import _signature_status, act

pytestmark = pytest.mark.services("postgres", "redis", "worker")

COPIES_FROM_ORIGINALS = "2.000815"


def request_filed_at_the_counter():
    """An's request to certify 2 copies of a 3-page diploma, filed for him at
    the centre of xã Vụ Bản by its one-stop officer (recorded as assisted)."""
    from accounts.models import User
    from dossiers import services
    from dossiers.models import Channel
    from procedures.models import Procedure
    from tests.chains.conftest import papers
    from units.models import OrgUnit

    an = User.objects.get(username=AN)
    return services.dossier_submit(
        applicant=an,
        procedure=Procedure.objects.get(code=COPIES_FROM_ORIGINALS),
        receiving_unit=OrgUnit.objects.get(agency_code=CENTRE),
        channel=Channel.COUNTER,
        assisted_by=User.objects.get(username="motcua.xavuban"),
        data={
            "applicant": {
                "full_name": an.full_name,
                "date_of_birth": an.date_of_birth.isoformat(),
                "sex": an.sex,
                "personal_id": an.username,
                "phone": "0912345678",
            },
            "document_name": "Bằng tốt nghiệp trung học phổ thông",
            "page_count": 3,
            "copy_count": 2,
        },
        draft=papers(an, COPIES_FROM_ORIGINALS, ["ban-chinh"]),
    )


def test_the_counter_certifies_a_copy_and_prints_it_with_its_number(
    desktop, chromium, server, auditor, development_authority
):
    dossier = request_filed_at_the_counter()
    page = desktop
    staff_login(page, server, auditor, "motcua.xavuban")
    page.goto(f"{server}/staff/dossiers/{dossier.code}/")
    act(page, "Tiếp nhận")
    # 3 pages, 2 copies: (2 × 2.000 + 1 × 1.000) × 2 = 10.000 đồng, asked at receipt.
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT
    receipt = page.get_by_role("link", name=re.compile("tiếp nhận", re.I)).first
    assert dossier.code in pdf_text(page, receipt)
    page.get_by_role("button", name=re.compile("Đã thu tiền mặt 10.000")).click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    fee_receipt = page.get_by_role("link", name="Biên nhận nộp phí (PDF)")
    assert "10.000" in pdf_text(page, fee_receipt)
    act(page, "Chuyển xử lý", {"to_unit": OFFICE})

    # The justice officer compares the original with its scan and certifies it.
    other = new_page(chromium, viewport=DESKTOP)
    try:
        staff_login(other, server, auditor, "chuyenvien.xavuban")
        other.goto(f"{server}/staff/dossiers/{dossier.code}/")
        auditor.check(other, "certification to do")
        panel = other.locator(
            "details", has=other.locator("summary", has_text="Thẩm định")
        )
        panel.locator("summary").click()
        certify = panel.get_by_label(
            re.compile("Chứng thực bản sao điện tử từ bản chính")
        )
        expect(certify).to_be_checked()  # the way offered first for this procedure
        panel.locator('[name$="-file"]').set_input_files(
            pdf_file("ban-chup-bang-tot-nghiep.pdf")
        )
        panel.get_by_role("button", name="Thẩm định").click()
        other.wait_for_load_state()
        # Not without the original seen: the form says so, nothing changes.
        expect(
            other.get_by_text("Chỉ chứng thực khi đã đối chiếu với bản chính.").first
        ).to_be_visible()
        dossier.refresh_from_db()
        assert dossier.status == Status.PROCESSING
        panel = other.locator(
            "details[open]", has=other.locator("summary", has_text="Thẩm định")
        )
        panel.locator('[name$="-file"]').set_input_files(
            pdf_file("ban-chup-bang-tot-nghiep.pdf")
        )
        panel.get_by_label(
            re.compile("Tôi đã đối chiếu bản chụp với bản chính")
        ).check()
        panel.get_by_role("button", name="Thẩm định").click()
        other.wait_for_load_state()
        dossier.refresh_from_db()
        assert dossier.status == Status.APPRAISED
        screenshot(other, "desktop-certified-copy-draft")
        act(other, "Trình ký")
    finally:
        other.context.close()
    leader = new_page(chromium, viewport=DESKTOP)
    try:
        staff_login(leader, server, auditor, "lanhdao.xavuban")
        leader.goto(f"{server}/staff/dossiers/{dossier.code}/")
        act(leader, "Ký duyệt")
    finally:
        leader.context.close()
    dossier.refresh_from_db()
    assert dossier.status == Status.SIGNED

    # The one-stop officer issues the copy and prints it.
    page.goto(f"{server}/staff/dossiers/{dossier.code}/")
    act(page, "Phát hành kết quả")
    dossier.refresh_from_db()
    result = dossier.result
    assert result.register.startswith("Sổ chứng thực bản sao")
    expect(
        page.get_by_text(f"Số {result.number}, quyển số {result.book}")
    ).to_be_visible()
    auditor.check(page, "certified copy issued")
    with page.expect_download() as got:
        page.get_by_role("link", name="Tải kết quả").click()
    content = Path(got.value.path()).read_bytes()
    text = " ".join(
        " ".join(
            sheet.extract_text() for sheet in PdfReader(io.BytesIO(content)).pages
        ).split()
    )
    assert f"Số: {result.number}, Quyển số: {result.book}" in text
    assert "Chứng thực bản sao này đúng với bản chính." in text
    assert "Bằng tốt nghiệp trung học phổ thông" in text
    assert "Số bản sao điện tử được chứng thực: 2." in text
    status = _signature_status(content, development_authority.root_certificate())
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    act(page, "Trả kết quả", {"method": "counter"})
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
