"""On a 360 px phone: filing regardless of administrative boundary within the
province (issue 17, point 3). An lives in xã Vụ Bản (thị trấn Gôi on his papers
of before the reform). With the demo list of Ninh Bình, he chooses the centre of
xã Minh Tân for his child's birth registration (on the list), where the centre
of xã Minh Tân is not offered for a marriage registration (off the list); the
dossier goes to the office of xã Vụ Bản, whose specialist finds it in the queue,
while the centre of xã Hiển Khánh, a third commune, does not see it."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, new_page, screenshot
from .journeys import AN, birth_registration, citizen_login, staff_login

pytestmark = pytest.mark.services("postgres", "redis", "worker")

MINH_TAN_CENTRE = "DEMO.37.13750.01"
HIEN_KHANH_CENTRE = "DEMO.37.13753.01"
BIRTH = "1.001193"  # on the demo list of Ninh Bình
MARRIAGE = "1.000894"  # off it


@pytest.fixture
def anywhere_list():
    from procedures.models import AnywhereInProvince
    from procedures.services import ANYWHERE_DEMO_CSV, anywhere_in_province_import

    anywhere_in_province_import(text=ANYWHERE_DEMO_CSV.read_text(encoding="utf-8"))
    yield
    AnywhereInProvince.objects.all().delete()


@pytest.fixture
def third_officer():
    """A receiving officer of the centre of xã Hiển Khánh (no demo account)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.roles import Role
    from accounts.services import user_create
    from portal.demo import DEMO_PASSWORD, demo_totp_key_hex
    from units.models import OrgUnit

    user = user_create(
        username="motcua.hienkhanh",
        password=DEMO_PASSWORD,
        full_name="Cán bộ Một cửa xã Hiển Khánh",
        roles=[Role.RECEIVING_OFFICER],
        org_unit_id=OrgUnit.objects.get(agency_code=HIEN_KHANH_CENTRE).pk,
    )
    TOTPDevice.objects.create(
        user=user, name="demo", key=demo_totp_key_hex(), confirmed=True
    )
    yield user
    TOTPDevice.objects.filter(user=user).delete()
    user.is_active = False
    user.save()


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_listed_procedure_filed_at_another_communes_centre_reaches_its_office(
    chromium, server, auditor, anywhere_list, third_officer
):
    from dossiers.models import Draft

    citizen = new_page(chromium, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        citizen_login(citizen, server, auditor)
        places = citizen.locator('select[name="receiving_unit"] option')

        citizen.goto(f"{server}/dossiers/new/{MARRIAGE}/")
        auditor.check(citizen, "start of a procedure off the province's list")
        expect(places.filter(has_text="xã Minh Tân")).to_have_count(0)
        expect(places.filter(has_text="xã Vụ Bản")).not_to_have_count(0)

        citizen.goto(f"{server}/dossiers/new/{BIRTH}/")
        auditor.check(citizen, "start of a procedure on the province's list")
        fits_the_phone(citizen)
        citizen.locator('select[name="receiving_unit"]').select_option(
            label="Trung tâm Phục vụ hành chính công xã Minh Tân"
        )
        citizen.get_by_role("button", name="Bắt đầu khai").click()
        expect(citizen).not_to_have_url(re.compile(r"/dossiers/new/"))
        draft = Draft.objects.filter(owner__username=AN).latest("pk")
        assert draft.receiving_unit.agency_code == MINH_TAN_CENTRE
        screenshot(citizen, "phone-place-anywhere-in-province")
    finally:
        citizen.context.close()

    # The rest of the wizard is the birth registration's journey (test_citizen);
    # the dossier is filed at the place An chose.
    dossier = birth_registration(agency_code=MINH_TAN_CENTRE)
    assert dossier.anywhere_in_province
    assert dossier.competent_unit.name == "Văn phòng HĐND và UBND xã Vụ Bản"

    office = new_page(chromium, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        staff_login(office, server, auditor, "chuyenvien.xavuban")
        office.goto(f"{server}/staff/dossiers/?place=competent&status=all")
        auditor.check(office, "queue of the competent office, on a phone")
        row = office.locator("tr.queue-row", has_text=dossier.code)
        expect(row).to_contain_text(
            "Nộp tại Trung tâm Phục vụ hành chính công xã Minh Tân"
        )
        fits_the_phone(office)
        row.get_by_role("link", name=dossier.code).click()
        expect(office.locator("main")).to_contain_text(
            "Cơ quan có thẩm quyền giải quyết"
        )
        fits_the_phone(office)
    finally:
        office.context.close()

    third = new_page(chromium, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        staff_login(third, server, auditor, third_officer.username)
        third.goto(f"{server}/staff/dossiers/?status=all&q={dossier.code}")
        expect(third.locator("tr.queue-row", has_text=dossier.code)).to_have_count(0)
        response = third.goto(f"{server}/staff/dossiers/{dossier.code}/")
        assert response is not None
        assert response.status == 404
    finally:
        third.context.close()
