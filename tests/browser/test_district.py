"""District staff on a desktop: the dashboard filtered by commune and period,
its XLSX export read back, the dossiers behind a figure."""

import datetime
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import screenshot
from .journeys import staff_login

pytestmark = pytest.mark.services("postgres", "redis", "worker")


@pytest.fixture
def demo_dossiers():
    from portal.demo_dossiers import demo_dossiers_seed

    return demo_dossiers_seed(count=600, seed=9, days=120)


def figure(text: str) -> int:
    """A figure as the page prints it (7.000, 12)."""
    return int(re.sub(r"\D", "", text))


def test_district_staff_filter_export_and_drill_down(
    desktop, server, auditor, demo_dossiers
):
    page = desktop
    staff_login(page, server, auditor, "thongke.vuban")
    page.goto(f"{server}/stats/")
    auditor.check(page, "dashboard")

    filters = page.locator("section[aria-labelledby=filters-title]")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=60)
    filters.get_by_label("Từ ngày").fill(start.isoformat())
    filters.get_by_label("Đến ngày").fill(today.isoformat())
    filters.get_by_role("button", name="Xem số liệu").click()
    page.wait_for_load_state()
    expect(page.locator(".lead")).to_contain_text(start.strftime("%d/%m/%Y"))
    auditor.check(page, "dashboard, 60 days")
    screenshot(page, "desktop-dashboard")
    received = figure(page.locator("#kpi-received").inner_text())
    completed = figure(page.locator("#kpi-completed").inner_text())
    assert received > 0

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Excel")).click()
    with open(download.value.path(), "rb") as xlsx:
        book = openpyxl.load_workbook(io.BytesIO(xlsx.read()))
    sheet = book["Tổng hợp"]
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    values = dict(zip(header, row, strict=True))
    assert values["Hồ sơ tiếp nhận"] == received
    assert values["Hồ sơ đã giải quyết"] == completed
    assert "Vụ Bản" in str(values["Đơn vị"])

    page.locator("#kpi-received").click()
    auditor.check(page, "dossiers behind a figure")
    screenshot(page, "desktop-drill-down")
    expect(page.locator("main")).to_contain_text(f"{received:,}".replace(",", "."))


def test_district_staff_open_a_commune_of_their_district(
    desktop, server, auditor, demo_dossiers
):
    """Before the reform the district's communes (Gôi), after it the communes
    formed from them (xã Minh Tân): the former district's staff see both
    (decision 200)."""
    page = desktop
    staff_login(page, server, auditor, "thongke.vuban")
    page.goto(f"{server}/stats/?from=2025-01-01&to=2025-06-30")
    page.locator("#units-table").get_by_role(
        "link", name=re.compile("Gôi")
    ).first.click()
    expect(page.locator(".lead")).to_contain_text("Gôi", timeout=2000)
    page.goto(f"{server}/stats/")
    page.locator("#units-table").get_by_role(
        "link", name=re.compile("Minh Tân")
    ).first.click()
    expect(page.locator(".lead")).to_contain_text("Minh Tân", timeout=2000)
