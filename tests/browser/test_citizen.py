"""The citizen's journey on a phone (360 × 740): electronic identity, the
catalogue, the birth linked group on the real worker, a fee paid through the
sandbox payment platform, the receipt, the rating."""

import re

import pytest
from playwright.sync_api import expect

from chains.models import ChainRun, RunStatus
from dossiers.models import Dossier, Rating
from payments.models import Payment

from .conftest import screenshot
from .journeys import (
    AN,
    BIRTH,
    BIRTH_SECTIONS,
    TEMPORARY_RESIDENCE,
    birth_values,
    born_days_ago,
    citizen_login,
    fill,
    next_step,
    pdf_file,
    pdf_text,
    wait_for,
)

pytestmark = pytest.mark.services("postgres", "redis", "worker")


@pytest.fixture
def stored_birth_paper():
    """A paper already in An's personal document store."""
    from accounts.models import User
    from accounts.services import stored_document_add
    from tests.dossiers.factories import pdf_upload

    return stored_document_add(
        owner=User.objects.get(username=AN),
        doc_type="other",
        title="Giấy chứng sinh của bé Khôi",
        file=pdf_upload("giay-chung-sinh.pdf"),
    )


def test_citizen_files_the_birth_group_on_a_phone(
    phone, server, auditor, stored_birth_paper
):
    page = phone
    citizen_login(page, server, auditor)

    # The catalogue's search, typed without diacritics.
    page.goto(f"{server}/procedures/")
    auditor.check(page, "catalogue")
    page.get_by_label("Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm").click()
    auditor.check(page, "catalogue search")
    screenshot(page, "phone-search")
    page.get_by_role("link", name=re.compile("^Liên thông đăng ký khai sinh")).click()
    auditor.check(page, "procedure")
    page.get_by_role("link", name="Nộp hồ sơ").first.click()
    auditor.check(page, "start a dossier")
    expect(page.get_by_label(re.compile("Nơi nộp hồ sơ"))).to_have_value(
        re.compile(r"\d+")
    )
    page.get_by_role("button", name="Bắt đầu khai").click()

    # An empty page sent: the error summary, each link focusing its field.
    expect(page).to_have_url(re.compile("/form/tre/"))
    next_step(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    auditor.check(page, "form section with errors")
    screenshot(page, "phone-form-errors")
    summary.get_by_role("link").first.click()
    expect(page.locator('[name="child.full_name"]')).to_be_focused()

    for key, values in BIRTH_SECTIONS:
        expect(page).to_have_url(re.compile(f"/form/{key}/"))
        fill(page, birth_values(key, values))
        auditor.check(page, f"form section {key}")
        if key == "tre":
            screenshot(page, "phone-form")
        next_step(page)

    # Papers: one uploaded now, one picked from the document store.
    expect(page).to_have_url(re.compile("/documents/"))
    auditor.check(page, "papers")
    page.locator('input[type="file"]').first.set_input_files(
        pdf_file("giay-chung-sinh-ban-chup.pdf")
    )
    page.locator(".document-group select").first.select_option(
        str(stored_birth_paper.pk)
    )
    page.get_by_role("button", name="Lưu các giấy tờ đã chọn").click()
    expect(page.locator(".attached-files li")).to_have_count(2)
    auditor.check(page, "papers attached")
    screenshot(page, "phone-papers")
    next_step(page)

    expect(page).to_have_url(re.compile("/review/"))
    auditor.check(page, "review")
    screenshot(page, "phone-review")
    page.get_by_label(re.compile("^Tôi cam đoan")).check()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page).to_have_url(re.compile("/submitted/"))
    auditor.check(page, "submitted")
    screenshot(page, "phone-submitted")
    dossier = Dossier.objects.get(applicant__username=AN, procedure__code=BIRTH)
    slip = page.get_by_role("link", name=re.compile("Tải giấy tiếp nhận"))
    assert dossier.code in pdf_text(page, slip)

    # The chain runs on the worker: birth, residence, health card.
    wait_for(
        lambda: ChainRun.objects.filter(
            dossier=dossier, status=RunStatus.COMPLETED
        ).exists(),
        what="the birth chain on the worker",
    )
    page.get_by_role("link", name="Xem trang hồ sơ").click()
    auditor.check(page, "linked dossier, done")
    screenshot(page, "phone-linked-dossier")
    run = ChainRun.objects.get(dossier=dossier)
    number = run.steps.get(order=1).result["personal_id"]
    expect(page.locator("main")).to_contain_text(number)
    expect(page.locator("main")).to_contain_text(
        run.steps.get(order=3).result["card_code"]
    )

    # The result, then the rating.
    result = page.get_by_role("link", name=re.compile("Tải kết quả")).first
    text = pdf_text(page, result)
    assert number in text
    # Made on the worker, which was told no address: its QR code and link are at
    # the address An filed from (the live server's random port), carried by the
    # chain's tasks.
    assert re.search(re.escape(server) + r"/\S*verify/", "".join(text.split()))
    page.get_by_role("link", name=re.compile("Đánh giá")).first.click()
    auditor.check(page, "rating")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator('input[type="radio"]').first.check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    auditor.check(page, "linked dossier, rated")
    dossier.refresh_from_db()
    assert Rating.objects.filter(dossier=dossier).exists()

    # My dossiers: one card for the group, its three parts under it; found by
    # a procedure name typed without diacritics.
    page.goto(f"{server}/dossiers/mine/")
    auditor.check(page, "my dossiers")
    card = page.locator(".dossier-list > li", has_text=dossier.code)
    expect(card).to_have_count(1)
    for step in run.steps.order_by("order"):
        expect(card.locator(".dossier-parts")).to_contain_text(step.sub_dossier.code)
    screenshot(page, "phone-my-dossiers")
    page.get_by_label("Tìm theo mã hồ sơ hoặc tên thủ tục").fill("dang ky thuong tru")
    page.get_by_role("button", name="Tìm", exact=True).click()
    auditor.check(page, "my dossiers, searched")
    expect(page.locator(".dossier-list > li")).to_have_count(1)


def test_citizen_pays_a_fee_through_the_payment_platform(phone, server, auditor):
    """The birth group is fee-exempt: temporary residence costs 7.000 đồng."""
    page = phone
    citizen_login(page, server, auditor)
    page.goto(f"{server}/dossiers/new/{TEMPORARY_RESIDENCE}/")
    page.get_by_role("button", name="Bắt đầu khai").click()
    expect(page).to_have_url(re.compile("/form/nguoi-dang-ky/"))
    fill(page, {"is_minor": "no"})
    next_step(page)
    expect(page).to_have_url(re.compile("/form/noi-tam-tru/"))
    unit = page.get_by_label(re.compile("Xã, phường nơi tạm trú"))
    unit.select_option(index=1)
    fill(
        page,
        {
            "address_detail": "Số 5, đường Lương Thế Vinh",
            "housing": "rented",
            "owner_name": "Trần Văn Chủ",
            "from_date": born_days_ago(-1),
            "months": "12",
        },
    )
    next_step(page)
    while "/review/" not in page.url:
        next_step(page)
    page.get_by_label(re.compile("^Tôi cam đoan")).check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page).to_have_url(re.compile("/submitted/"))
    dossier = Dossier.objects.get(
        applicant__username=AN, procedure__code=TEMPORARY_RESIDENCE
    )
    assert dossier.fee_vnd == 7000
    expect(page.locator("main")).to_contain_text("7.000")

    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    # The sandbox platform at the address the page was served from (a random
    # port), not at a default one.
    expect(page).to_have_url(re.compile("^" + re.escape(f"{server}/paygate/pay/?")))
    auditor.check(page, "payment platform")
    screenshot(page, "phone-paygate")
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    expect(page).to_have_url(re.compile(r"/payments/\d+/"))
    # The page reloads itself until the platform's callback (sent by the worker)
    # or the portal's own query confirms the payment.
    expect(page.locator("main")).to_contain_text(
        "Đã thanh toán thành công", timeout=30_000
    )
    auditor.check(page, "payment done")
    screenshot(page, "phone-paid")
    receipt = page.get_by_role("link", name="Tải biên nhận nộp phí (PDF)")
    assert dossier.code in pdf_text(page, receipt)
    assert Payment.objects.get(dossier=dossier, status="paid").amount_vnd == 7000
