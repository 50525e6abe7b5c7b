"""The officers' journey on a desktop: two-step login, the queue, every move of
a dossier up to the returned result, with the citizen's supplement between."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from dossiers.models import Status

from .conftest import DESKTOP, new_page, screenshot
from .journeys import (
    OFFICE,
    birth_registration,
    citizen_login,
    pdf_file,
    pdf_text,
    staff_login,
)

pytestmark = pytest.mark.services("postgres", "redis", "worker")

BIRTH_REGISTRATION = "1.001193"


@pytest.fixture
def dossier():
    return birth_registration()


def act(page: Page, label: str, fields=None) -> None:
    """Open the action's panel on the dossier's page, fill it, submit it."""
    panel = page.locator("details", has=page.locator("summary", has_text=label))
    panel.locator("summary").click()
    for name, value in (fields or {}).items():
        control = panel.locator(f'[name$="{name}"]')
        kind = control.first.evaluate("e => e.type")
        if kind in ("radio", "checkbox"):
            panel.locator(f'[name$="{name}"][value="{value}"]').check()
        elif kind == "file":
            control.set_input_files(value)
        elif kind.startswith("select"):
            control.select_option(value)
        else:
            control.fill(value)
    panel.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def follows_the_chosen_unit(page: Page) -> None:
    """The forward form's units come grouped by place, and its officer list
    offers only the officers of the unit chosen (officer.js)."""
    summary = page.locator("summary", has_text="Chuyển xử lý")
    panel = page.locator("details", has=summary)
    panel.locator("summary").click()
    unit = panel.locator('select[name$="to_unit"]')
    officers = panel.locator('select[name$="assignee"] option')
    expect(unit.locator("optgroup").first).to_have_attribute(
        "label", re.compile("Xã Vụ Bản")
    )
    # Only units in force today: none of before the reform.
    expect(unit.locator("option", has_text="thị trấn Gôi")).to_have_count(0)
    # The dossier's competent agency is proposed first (issue 17): the office.
    expect(officers).to_have_text(
        ["— Để đơn vị tự phân công —", "Lê Thị Hạnh", "Phạm Văn Đức"]
    )
    unit.select_option(label="Trung tâm Phục vụ hành chính công xã Vụ Bản")
    expect(officers).to_have_text(["— Để đơn vị tự phân công —", "Nguyễn Thị Thu"])
    unit.select_option(label=OFFICE)
    expect(officers).to_have_text(
        ["— Để đơn vị tự phân công —", "Lê Thị Hạnh", "Phạm Văn Đức"]
    )
    unit.select_option(label="Công an xã Vụ Bản")
    expect(officers).to_have_text(
        ["— Để đơn vị tự phân công —", "Bùi Văn Nam", "Cao Văn Sơn"]
    )
    panel.locator("summary").click()


def _signature_status(content: bytes, root: Any) -> Any:
    """pyHanko's own validation of the file's one signature against `root`. In a
    thread of its own: pyHanko runs an event loop, and Playwright's synchronous
    API already runs one in this thread."""
    import io
    from concurrent.futures import ThreadPoolExecutor

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from signing.adapters.base import to_asn1

    def validate() -> Any:
        (signature,) = PdfFileReader(io.BytesIO(content)).embedded_regular_signatures
        return validate_pdf_signature(
            signature, ValidationContext(trust_roots=[to_asn1(root)])
        )

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(validate).result()


def test_officers_take_a_dossier_from_receipt_to_returned_result(
    desktop, chromium, server, auditor, dossier, development_authority
):
    page = desktop
    staff_login(page, server, auditor, "motcua.xavuban")
    auditor.check(page, "staff home")
    page.goto(f"{server}/staff/dossiers/")
    auditor.check(page, "queue")
    page.get_by_label("Trạng thái").select_option("submitted")
    page.get_by_label(re.compile("Tìm theo mã hồ sơ")).fill(dossier.code)
    page.get_by_role("button", name=re.compile("^Lọc|^Tìm")).first.click()
    auditor.check(page, "queue filtered")
    screenshot(page, "desktop-queue")
    page.get_by_role("link", name=dossier.code).first.click()
    expect(page).to_have_url(re.compile(f"/staff/dossiers/{re.escape(dossier.code)}/"))
    auditor.check(page, "dossier to receive")
    screenshot(page, "desktop-dossier-work")

    act(page, "Tiếp nhận")
    auditor.check(page, "received, receipt slip ready")
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED

    act(
        page,
        "Yêu cầu bổ sung",
        {
            "other_items": "Giấy chứng sinh chụp lại rõ nét",
            "reason": "Ảnh giấy chứng sinh bị mờ, chụp lại rõ nét.",
        },
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED

    # The citizen supplies the paper from a phone.
    citizen = new_page(chromium, viewport={"width": 360, "height": 740})
    try:
        citizen_login(citizen, server, auditor)
        citizen.goto(f"{server}/dossiers/{dossier.code}/")
        auditor.check(citizen, "dossier asking for a supplement")
        citizen.get_by_role("link", name=re.compile("Nộp bổ sung")).first.click()
        auditor.check(citizen, "supplement")
        citizen.locator('input[type="file"]').first.set_input_files(
            pdf_file("giay-chung-sinh-ro.pdf")
        )
        citizen.get_by_label(re.compile("Ghi chú")).fill("Đã chụp lại.")
        citizen.get_by_role("button", name=re.compile("Nộp bổ sung|Gửi")).click()
        citizen.wait_for_load_state()
    finally:
        citizen.context.close()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED, dossier.status

    page.reload()
    follows_the_chosen_unit(page)
    # The centre received it; the commune's office handles it.
    act(page, "Chuyển xử lý", {"to_unit": OFFICE})
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    # Prints the control slip (Mẫu 05) that follows the dossier.
    slip = page.get_by_role("link", name=re.compile("kiểm soát", re.I)).first
    assert dossier.code in pdf_text(page, slip)

    # The specialist appraises it with a draft generated from its data and
    # submits it; the leader sends it back once, then signs it (issue 18).
    def as_staff(username: str, label: str, moves) -> None:
        other = new_page(chromium, viewport=DESKTOP)
        try:
            staff_login(other, server, auditor, username)
            other.goto(f"{server}/staff/dossiers/{dossier.code}/")
            auditor.check(other, label)
            for action, fields in moves:
                act(other, action, fields)
        finally:
            other.context.close()

    draft = {"title": "Giấy khai sinh", "source": "generate"}
    as_staff(
        "chuyenvien.xavuban",
        "dossier to appraise",
        [("Thẩm định", draft), ("Trình ký", {})],
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SIGNATURE
    as_staff(
        "lanhdao.xavuban",
        "dossier to sign",
        [("Trả lại chuyên viên", {"reason": "Ghi rõ nơi sinh theo giấy chứng sinh."})],
    )
    dossier.refresh_from_db()
    assert (dossier.status, dossier.send_back_count) == (Status.PROCESSING, 1)
    as_staff(
        "chuyenvien.xavuban",
        "dossier sent back",
        [("Thẩm định", draft), ("Trình ký", {})],
    )
    as_staff("lanhdao.xavuban", "dossier to sign again", [("Ký duyệt", {})])
    dossier.refresh_from_db()
    assert dossier.status == Status.SIGNED

    # The one-stop unit issues the signed-off result (signed by the agency).
    page.goto(f"{server}/staff/dossiers/?waits=issue")
    auditor.check(page, "queue: to issue")
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
    page.goto(f"{server}/staff/dossiers/{dossier.code}/")
    act(page, "Phát hành kết quả")
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    # Issued with the next number of the agency's register of births.
    result = dossier.result
    assert str(result.number).isdigit()
    assert result.book
    numbered = f"Số {result.number}, quyển số {result.book}"
    expect(page.get_by_text(numbered)).to_be_visible()
    slip = page.get_by_role("link", name=re.compile("kiểm soát", re.I)).first
    control = pdf_text(page, slip)
    assert "Số lần lãnh đạo trả lại chuyên viên: 1" in control
    assert "Ghi rõ nơi sinh theo giấy chứng sinh." in control

    page.reload()
    act(page, "Trả kết quả", {"method": "online"})
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    auditor.check(page, "returned")

    # The citizen downloads the result on a phone.
    citizen = new_page(chromium, viewport={"width": 360, "height": 740})
    try:
        citizen_login(citizen, server, auditor)
        citizen.goto(f"{server}/dossiers/{dossier.code}/")
        auditor.check(citizen, "dossier with its result")
        with citizen.expect_download() as got:
            citizen.get_by_role("link", name="Tải kết quả").click()
        content = Path(got.value.path()).read_bytes()
        assert content.startswith(b"%PDF")
        # Its number printed on it, and its signature valid for pyHanko's own
        # validator against the development authority, covering the whole file.
        text = "\n".join(
            sheet.extract_text() for sheet in PdfReader(io.BytesIO(content)).pages
        )
        assert f"Số: {result.number}, Quyển số: {result.book}" in text
        status = _signature_status(content, development_authority.root_certificate())
        assert status.bottom_line
        assert status.coverage.name == "ENTIRE_FILE"
    finally:
        citizen.context.close()
