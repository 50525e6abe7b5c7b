"""Steps shared by the journeys: logging in, filling the wizard, waiting for the
worker. Each step audits the pages it visits (axe) through `auditor`."""

import base64
import datetime
import re
import time
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

from .axe import Auditor

# Nguyễn Văn An, e-ID level 2, lives in thị trấn Gôi: part of xã Vụ Bản since
# 2025-07-01. The journeys run on today's units, as the demo does.
AN = "036085012345"
AN_PHONE = "0912345678"
CENTRE = "DEMO.37.13741.01"  # Trung tâm Phục vụ hành chính công xã Vụ Bản
OFFICE = "Văn phòng HĐND và UBND xã Vụ Bản"
BIRTH = "3.000722"
TEMPORARY_RESIDENCE = "1.004194"  # 7.000 đồng online


def wait_for(condition: Callable[[], bool], *, what: str, timeout: float = 60) -> None:
    """Poll the database while the worker (another process) does its part."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.25)


def citizen_login(page: Page, base: str, auditor: Auditor, *, pid: str = AN) -> None:
    """Electronic identity (VNeID-style) through the bundled provider."""
    page.goto(f"{base}/accounts/login/")
    auditor.check(page, "login")
    page.get_by_role("link", name="Đăng nhập bằng định danh điện tử").click()
    expect(page).to_have_url(re.compile(r"/idp/login/"))
    auditor.check(page, "identity provider login")
    page.get_by_label("Số định danh cá nhân").fill(pid)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Xác thực").click()
    expect(page).to_have_url(re.compile(r"/accounts/me/"))
    auditor.check(page, "account")


def totp_now() -> str:
    return f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}"


def staff_login(page: Page, base: str, auditor: Auditor, username: str) -> None:
    """Password, then the TOTP code of the demo secret (README)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Two logins of one account within 30 s send the same code, which the
    # portal refuses as a replay; each journey stands for a fresh session.
    TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile("tên đăng nhập")).fill(username)
    page.get_by_role("textbox", name=re.compile("^Mật khẩu")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/otp/"))
    auditor.check(page, "staff login, TOTP step")
    page.get_by_label(re.compile("Mã xác thực")).fill(totp_now())
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/staff/"))


def born_days_ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def fill(page: Page, values: dict[str, str]) -> None:
    """Fill fields by name: text and dates typed, selects chosen, radios checked."""
    for name, value in values.items():
        field = page.locator(f'[name="{name}"]')
        kind = field.first.evaluate("e => e.tagName.toLowerCase() + ':' + e.type")
        if kind.startswith("select"):
            field.select_option(value)
        elif kind.endswith(":radio"):
            page.locator(f'[name="{name}"][value="{value}"]').check()
        else:
            field.fill(value)


def next_step(page: Page) -> None:
    page.locator(".wizard-actions").get_by_role(
        "button", name="Lưu và tiếp tục"
    ).click()
    page.wait_for_load_state()


BIRTH_SECTIONS: list[tuple[str, dict[str, str]]] = [
    (
        "tre",
        {
            "child.full_name": "Nguyễn Minh Khôi",
            "child.date_of_birth": "",  # set at run time: 10 days ago
            "child.sex": "male",
            "child.place_of_birth": "Trung tâm Y tế huyện Vụ Bản",
            "child.ethnicity": "Kinh",
            "child.nationality": "Việt Nam",
        },
    ),
    (
        "me",
        {
            "mother.full_name": "Phạm Thị Thu",
            "mother.date_of_birth": "1990-05-01",
            "mother.personal_id": "036190001234",
            "mother.ethnicity": "Kinh",
            "mother.nationality": "Việt Nam",
            "mother.address": "Số 12, đường Lương Thế Vinh, thị trấn Gôi",
        },
    ),
    ("cha", {"father_known": "no"}),
    ("thuong-tru", {"same_residence": "yes", "residence_with": "mother"}),
    ("bhyt", {"health_facility": "Trung tâm Y tế huyện Vụ Bản"}),
    ("nguoi-di-khai", {"applicant_relationship": "father"}),
]


def birth_values(key: str, values: dict[str, str]) -> dict[str, str]:
    if key == "tre":
        return values | {"child.date_of_birth": born_days_ago(10)}
    return values


def pdf_file(name: str) -> dict[str, Any]:
    from tests.dossiers.factories import PDF_BYTES

    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def pdf_text(page: Page, link: Any) -> str:
    """Follow a PDF link (slips, receipts, results; served inline, so Chromium
    would open its viewer) with the page's session; the PDF's text."""
    import io
    from urllib.parse import urljoin

    from pypdf import PdfReader

    response = page.context.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(p.extract_text() for p in reader.pages)


def birth_registration(agency_code: str = CENTRE) -> Any:
    """An's birth registration (1.001193), filed online today at the centre of
    xã Vụ Bản (or at the unit with `agency_code`)."""
    from accounts.models import User
    from dossiers import services
    from procedures.models import Procedure
    from tests.chains.conftest import birth_data, papers
    from units.models import OrgUnit

    an = User.objects.get(username=AN)
    data = birth_data(an)
    for key in ("same_residence", "residence_with", "health_facility"):
        data.pop(key)
    data["applicant_relationship"] = "father"
    return services.dossier_submit(
        applicant=an,
        procedure=Procedure.objects.get(code="1.001193"),
        receiving_unit=OrgUnit.objects.get(agency_code=agency_code),
        data=data,
        draft=papers(an, "1.001193", ["giay-chung-sinh"]),
    )
