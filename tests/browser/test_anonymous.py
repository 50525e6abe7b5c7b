"""Anyone, without an account, on a phone: tracks a dossier by its code and the
last 4 digits of the applicant's phone; verifies a result by its QR link."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .journeys import AN_PHONE, birth_registration

pytestmark = pytest.mark.services("postgres", "redis", "worker")


@pytest.fixture
def returned():
    """An's birth registration, received by the centre of xã Vụ Bản and handled
    by the commune's office (the demo officers of today's units)."""
    from accounts.models import User
    from dossiers import services
    from tests.dossiers.factories import pdf_upload

    staff = {u.username: u for u in User.objects.filter(username__contains=".xavuban")}
    officer = staff["motcua.xavuban"]
    office = staff["chuyenvien.xavuban"].org_unit
    assert office is not None
    dossier = birth_registration()
    dossier = services.dossier_receive(dossier=dossier, actor=officer)
    dossier = services.dossier_forward(
        dossier=dossier,
        actor=officer,
        to_unit=office,
    )
    specialist = staff["chuyenvien.xavuban"]
    dossier = services.dossier_appraise(
        dossier=dossier, actor=specialist, title="Giấy khai sinh", file=pdf_upload()
    )
    dossier = services.dossier_submit_for_signature(dossier=dossier, actor=specialist)
    dossier = services.dossier_sign(dossier=dossier, actor=staff["lanhdao.xavuban"])
    dossier = services.dossier_issue_signed_result(dossier=dossier, actor=officer)
    return services.dossier_return_result(
        dossier=dossier, actor=officer, method="counter"
    )


def test_anyone_tracks_a_dossier_and_verifies_its_result(
    phone, server, auditor, returned
):
    page = phone
    page.goto(f"{server}/")
    auditor.check(page, "home")
    screenshot(page, "phone-home")
    page.get_by_role("link", name=re.compile("Tra cứu hồ sơ")).first.click()
    auditor.check(page, "tracking")
    page.get_by_label("Mã hồ sơ").fill(returned.code)
    page.get_by_label(re.compile("4 số cuối")).fill("0000")
    page.get_by_role("button", name=re.compile("Tra cứu")).click()
    auditor.check(page, "tracking, wrong pair")
    expect(page.locator("main")).not_to_contain_text("Đã trả kết quả")
    page.get_by_label(re.compile("4 số cuối")).fill(AN_PHONE[-4:])
    page.get_by_role("button", name=re.compile("Tra cứu")).click()
    expect(page.locator("main")).to_contain_text("Đã trả kết quả")
    auditor.check(page, "tracking, found")
    screenshot(page, "phone-tracking")

    # The QR code on the result leads to its verification page.
    page.goto(f"{server}{returned.result.get_absolute_url()}")
    auditor.check(page, "result verification")
    screenshot(page, "phone-verify")
    expect(page.locator("main")).to_contain_text("còn giá trị")
    expect(page.locator("main")).to_contain_text("Giấy khai sinh")
    expect(page.locator("main")).to_contain_text("Ký số bởi")

    # One byte of the stored file changed: the same page says it is not valid.
    from dossiers.models import Result

    path = Result.objects.get(dossier=returned).file.path
    with open(path, "r+b") as handle:
        handle.seek(400)
        byte = handle.read(1)
        handle.seek(400)
        handle.write(bytes([byte[0] ^ 0x01]))
    page.reload()
    auditor.check(page, "result verification, file changed")
    screenshot(page, "phone-verify-changed")
    expect(page.locator("main")).to_contain_text("KHÔNG hợp lệ")
    expect(page.locator("main")).to_contain_text("đã bị thay đổi")
    expect(page.locator("main")).not_to_contain_text("còn giá trị")


def test_the_search_filters_are_under_their_heading(phone, desktop, server, auditor):
    """On a computer the filters show under "Lọc theo …"; on a phone they fold
    behind a button of that name, open once a filter is in use."""
    desktop.goto(f"{server}/procedures/search/?q=khai+sinh")
    expect(desktop.locator("#filters-title")).to_be_visible()
    expect(desktop.get_by_label("Sự kiện cuộc sống")).to_be_visible()
    auditor.check(desktop, "search, desktop")

    phone.goto(f"{server}/procedures/search/?q=khai+sinh")
    toggle = phone.get_by_role("button", name=re.compile("Lọc theo sự kiện"))
    expect(phone.get_by_label("Sự kiện cuộc sống")).to_be_hidden()
    toggle.click()
    expect(phone.get_by_label("Sự kiện cuộc sống")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    auditor.check(phone, "search, filters open")
    screenshot(phone, "phone-search-filters")

    phone.goto(f"{server}/procedures/search/?life_event=sinh-con")
    expect(phone.get_by_label("Sự kiện cuộc sống")).to_be_visible()
