"""The citizen's e-document store on the national portal (issue 19, points 3
and 5), on the twin: An consents and picks a paper of his store there in the
wizard instead of uploading it; his dossier is handled and returned; the result
then appears in his store on the twin's page."""

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from dossiers.models import Dossier

from .conftest import DESKTOP, new_page, screenshot
from .journeys import (
    AN,
    BIRTH_SECTIONS,
    birth_values,
    citizen_login,
    fill,
    next_step,
    staff_login,
    wait_for,
)

pytestmark = pytest.mark.services("postgres", "redis", "worker")

BIRTH_REGISTRATION = "1.001193"  # on its own: papers, no linked group
SECTIONS = [
    (key, values)
    for key, values in BIRTH_SECTIONS
    if key in {"tre", "me", "cha", "nguoi-di-khai"}
]


@pytest.fixture
def connected():
    """The server connected to the twin (the worker is, in conftest)."""
    with override_settings(
        NATIONAL_PORTAL_BACKEND="national.adapters.DevelopmentNationalPortal",
        NATIONAL_SANDBOX_ENABLED=True,
        NATIONAL_DEV_LATENCY_MS=0,
    ):
        yield


@pytest.fixture
def birth_notice():
    """An's demo papers in the twin's store, and the birth notice the hospital
    put there for his son."""
    from national.models import TwinStorePaper, TwinStoreSource
    from national.sandbox import demo_paper_pdf, twin_store_seed

    twin_store_seed(personal_id=AN, full_name="Nguyễn Văn An")
    paper, _created = TwinStorePaper.objects.get_or_create(
        idempotency_key=f"browser:{AN}:chung-sinh",
        defaults={
            "personal_id": AN,
            "reference": f"KHODL-{AN}-chung-sinh",
            "title": "Giấy chứng sinh – Nguyễn Minh Khôi",
            "doc_type": "other",
            "number": "CS-0042",
            "issued_by": "Trung tâm Y tế huyện Vụ Bản",
            "content_type": "application/pdf",
            "content": demo_paper_pdf(
                title="Giấy chứng sinh",
                full_name="Nguyễn Minh Khôi",
                number="CS-0042",
                issued_by="Trung tâm Y tế huyện Vụ Bản",
            ),
            "source": TwinStoreSource.DEMO,
        },
    )
    return paper


def handled_and_returned(dossier):
    """Received by the centre of xã Vụ Bản, handled by the commune's office and
    returned (the officers' steps, as in test_anonymous)."""
    from accounts.models import User
    from dossiers import services
    from tests.dossiers.factories import pdf_upload

    staff = {u.username: u for u in User.objects.filter(username__contains=".xavuban")}
    officer = staff["motcua.xavuban"]
    specialist = staff["chuyenvien.xavuban"]
    office = specialist.org_unit
    assert office is not None
    dossier = services.dossier_receive(dossier=dossier, actor=officer)
    dossier = services.dossier_forward(dossier=dossier, actor=officer, to_unit=office)
    dossier = services.dossier_appraise(
        dossier=dossier, actor=specialist, title="Giấy khai sinh", file=pdf_upload()
    )
    dossier = services.dossier_submit_for_signature(dossier=dossier, actor=specialist)
    dossier = services.dossier_sign(dossier=dossier, actor=staff["lanhdao.xavuban"])
    dossier = services.dossier_issue_signed_result(dossier=dossier, actor=officer)
    return services.dossier_return_result(
        dossier=dossier, actor=officer, method="online"
    )


def test_a_paper_from_the_national_store_and_the_result_back_in_it(
    desktop, chromium, server, auditor, connected, birth_notice
):
    from national.models import TwinStorePaper, TwinStoreSource

    page = desktop
    citizen_login(page, server, auditor)
    page.goto(f"{server}/dossiers/new/{BIRTH_REGISTRATION}/")
    page.get_by_role("button", name="Bắt đầu khai").click()
    for key, values in SECTIONS:
        expect(page).to_have_url(re.compile(f"/form/{key}/"))
        fill(page, birth_values(key, values))
        next_step(page)

    # The papers: nothing is read from the national store before the consent.
    expect(page).to_have_url(re.compile("/documents/"))
    auditor.check(page, "papers, national store offered")
    expect(page.locator("main")).not_to_contain_text(birth_notice.title)
    page.get_by_label(re.compile("^Tôi đồng ý để Cổng lấy giấy tờ")).check()
    page.get_by_role("button", name="Xem giấy tờ trong kho quốc gia").click()
    choice = page.locator('[name="national-giay-chung-sinh"]')
    choice.select_option(birth_notice.reference)
    auditor.check(page, "papers, national store consented")
    page.get_by_role("button", name="Lưu các giấy tờ đã chọn").click()
    expect(page.locator(".attached-files li")).to_have_count(1)
    expect(page.locator(".attached-files")).to_contain_text(
        "lấy từ kho trên Cổng quốc gia"
    )
    screenshot(page, "desktop-papers-national-store")
    next_step(page)

    expect(page).to_have_url(re.compile("/review/"))
    page.get_by_label(re.compile("^Tôi cam đoan")).check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page).to_have_url(re.compile("/submitted/"))
    # The browser world is shared: other journeys file An's birth registrations
    # too, so this one is the dossier holding the paper from the national store.
    dossier = Dossier.objects.get(
        applicant__username=AN,
        procedure__code=BIRTH_REGISTRATION,
        attachments__stored_document__national_reference=birth_notice.reference,
    )
    attachment = dossier.attachments.get(document_key="giay-chung-sinh")
    assert attachment.stored_document.national_reference == birth_notice.reference

    dossier = handled_and_returned(dossier)
    # Its own result (other journeys' chains may push An's other results).
    pushed_key = f"result:{dossier.code}"
    wait_for(
        lambda: TwinStorePaper.objects.filter(idempotency_key=pushed_key).exists(),
        what="the result pushed to the twin's store by the worker",
    )

    # The twin's page: An's store holds his papers and the result.
    twin = new_page(chromium, viewport=DESKTOP)
    try:
        staff_login(twin, server, auditor, "motcua.xavuban")
        twin.goto(f"{server}/dvcqg-sandbox/?store={AN}")
        auditor.check(twin, "national twin, a citizen's store")
        store = twin.locator("#twin-store")
        expect(store).to_contain_text(birth_notice.title)
        pushed = TwinStorePaper.objects.get(idempotency_key=pushed_key)
        assert (pushed.personal_id, pushed.source) == (AN, TwinStoreSource.RESULT)
        row = store.locator("tr", has_text=pushed.reference)
        expect(row).to_contain_text(dossier.result.title)
        expect(row).to_contain_text("Kết quả giải quyết thủ tục")
        screenshot(twin, "desktop-national-twin-store")
    finally:
        twin.context.close()
