"""The citizen's journey on a phone with the keyboard only (Tab, Shift+Tab,
Enter, Space, arrow keys, typing): electronic identity, the catalogue searched
without diacritics, the birth linked group filled section by section, papers
attached through the file chooser and the document store, the declaration,
the submission. Every control focused on the way shows its focus."""

import re

import pytest
from playwright.sync_api import Page, expect

from dossiers.models import Dossier
from idp.demo import DEMO_IDENTITY_PASSWORD

from .journeys import AN, BIRTH, BIRTH_SECTIONS, birth_values, pdf_file
from .keyboard import (
    activate,
    choose,
    pick_radio,
    press,
    skip_to_main,
    tab_to,
    type_date,
    type_into,
)

pytestmark = [pytest.mark.services("postgres", "redis", "worker")]


@pytest.fixture
def stored_paper():
    from accounts.models import User
    from accounts.services import stored_document_add
    from tests.dossiers.factories import pdf_upload

    return stored_document_add(
        owner=User.objects.get(username=AN),
        doc_type="other",
        title="Giấy chứng sinh (bản lưu trong kho)",
        file=pdf_upload("giay-chung-sinh-kho.pdf"),
    )


def fill_by_keyboard(page: Page, values: dict[str, str]) -> None:
    """Each field, in the order Tab reaches them, by the means its kind takes."""
    order = page.evaluate(
        "names => names.map(n => [...document.querySelectorAll('main [name]')]"
        ".findIndex(e => e.name === n))",
        list(values),
    )
    for _, name in sorted(zip(order, values, strict=True)):
        value = values[name]
        field = page.locator(f'main [name="{name}"]')
        kind = field.first.evaluate("e => e.tagName.toLowerCase() + ':' + e.type")
        if kind.startswith("select"):
            choose(page, field, value)
            expect(field).to_have_value(value)
        elif kind.endswith(":radio"):
            pick_radio(page, field, value)
            expect(
                page.locator(f'main [name="{name}"][value="{value}"]')
            ).to_be_checked()
        elif kind.endswith(":date"):
            type_date(page, field, value)
            expect(field).to_have_value(value)
        else:
            type_into(page, field, value)
            expect(field).to_have_value(value)


def next_step(page: Page) -> None:
    activate(
        page,
        page.locator(".wizard-actions").get_by_role("button", name="Lưu và tiếp tục"),
        navigates=True,
    )


def test_citizen_files_the_birth_group_with_the_keyboard_only(
    phone, server, stored_paper
):
    page = phone
    # Bootstrap scrolls smoothly unless the reader prefers reduced motion: keys
    # pressed at a machine's pace interrupt one smooth scroll with the next, and
    # Chromium then sometimes leaves the focused control out of view (failed
    # twice under load: "focused but off screen"). Focus visibility, not the
    # animation, is what this journey checks.
    page.emulate_media(reduced_motion="reduce")
    before = set(
        Dossier.objects.filter(
            applicant__username=AN, procedure__code=BIRTH
        ).values_list("pk", flat=True)
    )

    # Sign in: the portal's login page, then the identity provider's.
    page.goto(f"{server}/accounts/login/")
    skip_to_main(page)
    activate(
        page,
        page.get_by_role("link", name="Đăng nhập bằng định danh điện tử"),
        navigates=True,
    )
    expect(page).to_have_url(re.compile(r"/idp/login/"))
    type_into(page, page.get_by_label("Số định danh cá nhân"), AN)
    type_into(page, page.get_by_label("Mật khẩu"), DEMO_IDENTITY_PASSWORD)
    activate(page, page.get_by_role("button", name="Xác thực"))
    expect(page).to_have_url(re.compile(r"/accounts/me/"))

    # The catalogue: the search field, typed without diacritics, Enter.
    page.goto(f"{server}/procedures/")
    skip_to_main(page)
    type_into(page, page.get_by_label("Tìm thủ tục"), "dang ky khai sinh")
    press(page, "Enter", navigates=True)
    skip_to_main(page)
    activate(
        page,
        page.get_by_role("link", name=re.compile("^Liên thông đăng ký khai sinh")),
        navigates=True,
    )
    skip_to_main(page)
    activate(page, page.get_by_role("link", name="Nộp hồ sơ").first, navigates=True)
    skip_to_main(page)
    activate(page, page.get_by_role("button", name="Bắt đầu khai"), navigates=True)

    # An empty page sent: focus lands on the error summary; Enter on its
    # first link focuses the field.
    expect(page).to_have_url(re.compile("/form/tre/"))
    skip_to_main(page)
    next_step(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    activate(page, summary.get_by_role("link").first)
    expect(page.locator('[name="child.full_name"]')).to_be_focused()

    for key, values in BIRTH_SECTIONS:
        expect(page).to_have_url(re.compile(f"/form/{key}/"))
        skip_to_main(page)
        fill_by_keyboard(page, birth_values(key, values))
        next_step(page)

    # Papers: one upload through the file chooser (Space on the file field),
    # one from the document store (arrow keys in its list).
    expect(page).to_have_url(re.compile("/documents/"))
    skip_to_main(page)
    with page.expect_file_chooser() as chooser:
        activate(page, page.locator('main input[type="file"]').first, key="Space")
    chooser.value.set_files(pdf_file("giay-chung-sinh-ban-chup.pdf"))
    choose(page, page.locator(".document-group select").first, str(stored_paper.pk))
    activate(
        page, page.get_by_role("button", name="Lưu các giấy tờ đã chọn"), navigates=True
    )
    expect(page.locator(".attached-files li")).to_have_count(2)
    skip_to_main(page)
    next_step(page)

    # The review: the declaration ticked with Space, then submitted.
    expect(page).to_have_url(re.compile("/review/"))
    skip_to_main(page)
    declaration = page.get_by_label(re.compile("^Tôi cam đoan"))
    activate(page, declaration, key="Space", limit=80)
    expect(declaration).to_be_checked()
    activate(page, page.get_by_role("button", name="Nộp hồ sơ"), navigates=True)
    expect(page).to_have_url(re.compile("/submitted/"))
    (dossier,) = Dossier.objects.filter(
        applicant__username=AN, procedure__code=BIRTH
    ).exclude(pk__in=before)
    expect(page.locator("main")).to_contain_text(dossier.code)
    skip_to_main(page)
    tab_to(page, page.get_by_role("link", name="Xem trang hồ sơ"))


def test_arrow_keys_in_the_language_select_do_not_switch_the_language(phone, server):
    """Moving through the options changes nothing until "Đổi" is pressed."""
    page = phone
    page.goto(f"{server}/")
    select = page.get_by_label("Ngôn ngữ")
    choose(page, select, "en")
    page.wait_for_timeout(500)
    expect(select).to_have_value("en")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    activate(page, page.get_by_role("button", name="Đổi"), navigates=True)
    expect(page.locator("html")).to_have_attribute("lang", "en")
