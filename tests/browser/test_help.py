"""Anyone on a phone looks for where to file and whom to call, and for an
answer to a question, from the footer of any page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.services("postgres", "redis", "worker")


def test_anyone_finds_their_communes_desk_and_an_answer_on_a_phone(
    phone, server, auditor
):
    page = phone
    page.goto(f"{server}/procedures/")
    page.locator("footer").get_by_role(
        "link", name=re.compile("giờ tiếp nhận của các nơi tiếp nhận hồ sơ")
    ).click()
    expect(page).to_have_url(re.compile(r"/help/#units$"))
    auditor.check(page, "help")

    # Today's units: xã Minh Tân's centre and police (formed 2025-07-01).
    page.get_by_text("Xã Minh Tân", exact=True).click()
    area = page.locator("details", has_text="Xã Minh Tân")
    expect(area).to_have_attribute("open", "")
    call = area.get_by_role("link", name=re.compile(r"^0228 000 \d{4}"))
    expect(call.first).to_have_attribute("href", re.compile(r"^tel:0228000\d{4}$"))
    expect(area).to_contain_text("chưa được cơ quan xác nhận")
    expect(area.get_by_role("link", name=re.compile("Mở bản đồ"))).to_have_count(2)
    # the page stays within the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    auditor.check(page, "help, a commune open")
    screenshot(page, "phone-help")

    page.get_by_label("Tìm trong câu hỏi thường gặp").fill("khai tu")
    page.get_by_role("button", name="Tìm", exact=True).click()
    faq = page.locator("#faq")
    expect(faq).to_contain_text("Phải đăng ký khai tử trong thời hạn nào?")
    expect(faq).to_contain_text("Trong 15 ngày kể từ ngày có người mất.")
    auditor.check(page, "help, questions found")
