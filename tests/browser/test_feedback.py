"""Feedback (issue 20): someone without an account sends feedback about a
procedure from a 360 px phone, confirming the phone with the SMS code; the
centre's officer answers and publishes it; the public list and the procedure's
page show the answer, without the sender's name or phone."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, new_page, screenshot
from .journeys import staff_login

pytestmark = pytest.mark.services("postgres", "redis", "worker")

BIRTH_REGISTRATION = "1.001193"
SENDER_PHONE = "0987000111"
SENDER_NAME = "Lê Thị Phản Ánh"


def _sms_code() -> str:
    from accounts.models import OutboundSms

    message = OutboundSms.objects.filter(phone=SENDER_PHONE).order_by("-pk").first()
    assert message is not None
    match = re.search(r"\b(\d{6})\b", message.text)
    assert match is not None
    return match[1]


def test_anonymous_feedback_from_a_phone_is_answered_and_shown_publicly(
    phone, chromium, server, auditor
):
    from accounts.models import User
    from feedback.models import Feedback

    officer = User.objects.get(username="motcua.xavuban")
    assert officer.org_unit is not None
    page = phone
    page.goto(f"{server}/feedback/send/?procedure={BIRTH_REGISTRATION}")
    auditor.check(page, "feedback form, phone")
    page.get_by_label("Loại phản ánh, kiến nghị").select_option("procedure")
    page.get_by_label("Cơ quan giải quyết").select_option(officer.org_unit.agency_code)
    page.get_by_role("textbox", name=re.compile("^Tiêu đề")).fill(
        "Không tìm thấy mẫu tờ khai"
    )
    page.get_by_role("textbox", name=re.compile("^Nội dung")).fill(
        f"Tôi là {SENDER_NAME}, số {SENDER_PHONE}: trang thủ tục thiếu mẫu tờ khai."
    )
    page.get_by_label(re.compile("Tôi đồng ý công khai")).check()
    page.get_by_label(re.compile("Họ và tên")).fill(SENDER_NAME)
    page.get_by_label("Số điện thoại di động").fill(SENDER_PHONE)
    page.get_by_role("button", name="Gửi mã xác nhận").click()
    expect(page.get_by_role("button", name="Gửi lại mã xác nhận")).to_be_visible()
    page.get_by_label(re.compile("Mã xác nhận")).fill(_sms_code())
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.locator("main")).to_contain_text("Đã tiếp nhận phản ánh")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    auditor.check(page, "feedback sent, phone")
    screenshot(page, "phone-feedback-sent")
    feedback = Feedback.objects.get(sender_phone=SENDER_PHONE)
    expect(page.locator("#feedback-code")).to_have_text(feedback.code)

    # The centre's officer answers and publishes.
    desk = new_page(chromium, viewport=DESKTOP)
    try:
        staff_login(desk, server, auditor, "motcua.xavuban")
        desk.goto(f"{server}/feedback/staff/")
        desk.get_by_role("link", name=re.compile(feedback.code)).click()
        auditor.check(desk, "feedback work page")
        desk.get_by_label("Nội dung trả lời").fill(
            "Mẫu tờ khai đã được bổ sung trên trang thủ tục."
        )
        desk.get_by_label(re.compile("Công khai câu trả lời")).check()
        desk.get_by_role("button", name="Gửi trả lời").click()
        expect(desk.locator("#feedback-status")).to_have_text("Đã trả lời")
    finally:
        desk.context.close()

    # Anyone sees the answer, without the sender's name or phone.
    page.goto(f"{server}/feedback/?procedure={BIRTH_REGISTRATION}")
    main = page.locator("main")
    expect(main).to_contain_text("Mẫu tờ khai đã được bổ sung")
    expect(main).not_to_contain_text(SENDER_NAME)
    expect(main).not_to_contain_text(SENDER_PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    auditor.check(page, "feedback public list, phone")
    page.goto(f"{server}/procedures/{BIRTH_REGISTRATION}/")
    expect(page.locator("main")).to_contain_text("Mẫu tờ khai đã được bổ sung")
