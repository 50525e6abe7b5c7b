"""On a 360 px phone, the officer's page of a dossier and the citizen's
notifications show people words: no action code, no file name of the project's
reference data, no "UNVERIFIED", no raw address breaking mid-word (issue 15).
The dossier is An's birth registration, received and forwarded."""

import re

import pytest
from playwright.sync_api import expect

from tests.inside import inside_of_the_software

from .conftest import PHONE, new_page, screenshot
from .journeys import birth_registration, citizen_login, staff_login, wait_for

pytestmark = pytest.mark.services("postgres", "redis", "worker")


@pytest.fixture
def worked_dossier():
    from accounts.models import User
    from dossiers import services
    from notifications.models import Notification

    dossier = birth_registration()
    officer = User.objects.get(username="motcua.xavuban")
    dossier = services.dossier_receive(dossier=dossier, actor=officer)
    dossier = services.dossier_forward(
        dossier=dossier, actor=officer, to_unit=dossier.receiving_unit
    )
    wait_for(
        lambda: Notification.objects.filter(
            recipient=dossier.applicant, url=dossier.get_absolute_url()
        ).exists(),
        what="the citizen's notification of the receipt",
    )
    return dossier


def shows_no_inside(page, *, addresses: bool = False) -> None:
    text = page.locator("body").inner_text()
    assert inside_of_the_software(text, addresses=addresses) == []
    # Nothing pushes the page wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_officers_page_and_the_notifications_speak_words_on_a_phone(
    chromium, server, auditor, worked_dossier
):
    dossier = worked_dossier
    officer = new_page(chromium, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        staff_login(officer, server, auditor, "motcua.xavuban")
        officer.goto(f"{server}/staff/dossiers/{dossier.code}/")
        auditor.check(officer, "dossier worked, on a phone")
        history = officer.locator("ol.timeline")
        for label in ("Nộp hồ sơ", "Tiếp nhận hồ sơ", "Chuyển xử lý"):
            expect(history).to_contain_text(label)
        shows_no_inside(officer)
        screenshot(officer, "phone-dossier-work")
    finally:
        officer.context.close()

    citizen = new_page(chromium, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        citizen_login(citizen, server, auditor)
        citizen.goto(f"{server}/notifications/")
        auditor.check(citizen, "notifications")
        item = citizen.locator(".list-group-item", has_text=dossier.code).first
        button = item.get_by_role("link", name="Xem hồ sơ")
        expect(button).to_be_visible()
        shows_no_inside(citizen, addresses=True)
        screenshot(citizen, "phone-notifications")
        button.click()
        expect(citizen).to_have_url(re.compile(re.escape(dossier.get_absolute_url())))
        auditor.check(citizen, "dossier from a notification")
        shows_no_inside(citizen)
    finally:
        citizen.context.close()
