"""The dashboard pages: access, drill-down, exports, the service index."""

import csv
import io
import re

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from accounts.roles import Role
from dashboards.metrics import METRICS, SUMMARY_FIELDS
from dashboards.selectors import (
    DRILL_DOWN_MEASURES,
    Filters,
    Scope,
    selection_resolve,
    stats_summary,
)
from dossiers import services
from dossiers.models import Status
from tests.a11y import accessibility_problems
from tests.accounts.factories import UserFactory
from tests.dossiers.factories import at, make_dossier

pytestmark = pytest.mark.django_db

PAGES = [
    "dashboards:stats-dashboard",
    "dashboards:stats-dossier-list",
    "dashboards:service-index",
    "dashboards:stats-export-csv",
    "dashboards:stats-export-xlsx",
]
YEAR = {"from": "2024-01-01", "to": "2024-12-31"}


def _api(user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def mixed(people, citizen):
    """Dossiers of 2024 in every outcome, one overdue and one rated."""
    with time_machine.travel(at("2024-03-04 09:00"), tick=False):
        for status in [Status.RETURNED, Status.RETURNED, Status.PROCESSING]:
            make_dossier(status=status, **people)
        make_dossier(status=Status.REFUSED, **people)
        make_dossier(status=Status.WITHDRAWN, **people)
        dossier = make_dossier(status=Status.RETURNED, **people)
        services.dossier_rate(
            dossier=dossier,
            actor=citizen,
            scores={str(i): 2 for i in range(1, 10)},
            overall="very_satisfied",
        )


@pytest.mark.parametrize("name", PAGES)
def test_a_citizen_gets_403(client, citizen, name):
    client.force_login(citizen)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_receiving_officer_gets_403(staff_client):
    assert staff_client.get(reverse("dashboards:stats-dashboard")).status_code == 403


def test_the_dashboard_works_for_district_staff_and_is_accessible(
    client, district_staff, login_staff, mixed
):
    login_staff(client, district_staff)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        response = client.get(reverse("dashboards:stats-dashboard"), YEAR)

    assert response.status_code == 200
    html = response.content.decode()
    assert accessibility_problems(html) == []
    assert 'id="chart-months"' in html  # the charts' data, as JSON
    assert "<script>" not in html.replace('<script src="', "")  # no inline script
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "Xã An" in html
    assert "Xã Bình" in html


def test_a_leader_sees_their_unit_and_not_another_commune(
    client, leader, login_staff, mixed, unit_b
):
    login_staff(client, leader)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        own = client.get(reverse("dashboards:stats-dashboard"), YEAR)
        other = client.get(
            reverse("dashboards:stats-dashboard"), YEAR | {"unit": "99992"}
        )
    assert own.status_code == 200
    assert "Xã Bình" not in own.content.decode()
    assert other.status_code == 403


def test_bad_filters_show_a_message_and_the_default_figures(
    client, district_staff, login_staff
):
    login_staff(client, district_staff)
    response = client.get(reverse("dashboards:stats-dashboard"), {"from": "hôm qua"})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()


def test_each_figure_lists_exactly_the_dossiers_it_counts(
    client, district_staff, login_staff, mixed
):
    login_staff(client, district_staff)
    with time_machine.travel(at("2024-03-20 09:00"), tick=False):
        selection = selection_resolve(
            scope=Scope(area=district_staff.org_unit.admin_unit),
            filters=Filters(
                start=at("2024-01-01 00:00").date(), end=at("2024-12-31 00:00").date()
            ),
        )
        figures = stats_summary(selection=selection)
        for measure in DRILL_DOWN_MEASURES:
            response = client.get(
                reverse("dashboards:stats-dossier-list"), YEAR | {"measure": measure}
            )
            count = re.search(
                r'id="dossier-count">([^<]*)<', response.content.decode()
            ).group(1)
            assert int(count.replace(".", "")) == figures[measure], measure
    # The refused dossier was refused at the counter, never received.
    assert figures["completed_total"] == 3
    assert figures["ratings_total"] == 1
    assert figures["open_overdue"] == 1


def test_the_csv_export_is_the_filtered_table_headed_in_vietnamese(
    client, district_staff, login_staff, mixed
):
    login_staff(client, district_staff)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        response = client.get(
            reverse("dashboards:stats-export-csv"), YEAR | {"table": "units"}
        )
        api_rows = _api(district_staff).get("/api/v1/stats/by-unit/", YEAR).json()

    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:4] == [
        "Mã đơn vị",
        "Đơn vị",
        "Hồ sơ tiếp nhận",
        "Tiếp nhận trực tuyến",
    ]
    # People read names, not field codes.
    assert not any(re.search(r"[a-z]+_[a-z]+", header) for header in rows[0])
    assert [r[0] for r in rows[1:]] == [r["unit"] for r in api_rows]
    received = rows[0].index("Hồ sơ tiếp nhận")
    assert [int(r[received]) for r in rows[1:]] == [
        r["received_total"] for r in api_rows
    ]


def test_the_csv_export_is_headed_in_english_for_an_english_reader(
    client, district_staff, login_staff, mixed
):
    login_staff(client, district_staff)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        response = client.get(
            reverse("dashboards:stats-export-csv"),
            YEAR | {"table": "months"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    header = _csv(response)[0]
    assert header[:3] == ["Month", "Dossiers received", "Received online"]


def test_software_gets_the_api_field_codes_as_csv_headers(
    client, district_staff, login_staff, mixed
):
    """The machine-readable CSV keeps exactly the API's fields, in its order."""
    login_staff(client, district_staff)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        api_rows = _api(district_staff).get("/api/v1/stats/by-unit/", YEAR).json()
        response = client.get(
            reverse("dashboards:stats-export-csv"),
            YEAR | {"table": "units", "headers": "codes"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    rows = _csv(response)
    assert rows[0] == list(api_rows[0])
    assert rows[0][2:] == list(SUMMARY_FIELDS)
    assert "-codes.csv" in response["Content-Disposition"]
    by_code = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    for api_row in api_rows:
        assert (
            int(by_code[api_row["unit"]]["received_total"]) == api_row["received_total"]
        )


def test_the_xlsx_export_has_a_sheet_per_table(
    client, district_staff, login_staff, mixed
):
    login_staff(client, district_staff)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        response = client.get(
            reverse("dashboards:stats-export-xlsx"), YEAR | {"channel": "online"}
        )

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Bộ lọc",
        "Tổng hợp",
        "Theo đơn vị",
        "Theo thủ tục",
        "Theo tháng",
        # Other apps' tables follow (dashboards/providers.py: export_tables).
        "Phản ánh theo đơn vị",
    ]
    summary = list(book["Tổng hợp"].values)
    header, values = summary[0], summary[1]
    assert values[header.index("Hồ sơ đã giải quyết")] == 3
    filters = {row[0]: row[1] for row in book["Bộ lọc"].values}
    assert filters["Từ ngày"] == "2024-01-01"
    assert filters["Kênh nộp"] == "Trực tuyến"  # a label, not the code "online"
    assert filters["Cách tính số liệu"] == "http://testserver/stats/methods/"


def test_the_service_index_computes_only_known_formulas(
    client, district_staff, login_staff, mixed
):
    login_staff(client, district_staff)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        response = client.get(reverse("dashboards:service-index"), YEAR)

    html = response.content.decode()
    assert response.status_code == 200
    assert accessibility_problems(html) == []
    assert "Chưa tính" in html
    # Group 2 (timeliness): points from the rate; the total is never filled in.
    assert re.search(r"<strong>[0-9,.]+</strong> / 20", html)
    assert 'id="index-total"' in html
    assert "/ 100" not in html


def test_figures_of_other_apps_appear_through_their_app_config(
    client, district_staff, login_staff, monkeypatch
):
    config = apps.get_app_config("chains")
    monkeypatch.setattr(
        config,
        "stats_providers",
        ["tests.dashboards.providers.linked_chain_figures"],
        raising=False,
    )
    login_staff(client, district_staff)
    response = client.get(reverse("dashboards:stats-dashboard"))
    html = response.content.decode()
    assert "Chuỗi liên thông đã hoàn thành" in html
    assert "2,5" in html


def test_the_staff_home_links_the_dashboard_for_statistics_roles(
    client, district_staff, login_staff
):
    login_staff(client, district_staff)
    html = client.get(reverse("portal:staff-home")).content.decode()
    assert reverse("dashboards:stats-dashboard") in html


def test_other_staff_do_not_see_the_dashboard_link(staff_client):
    html = staff_client.get(reverse("portal:staff-home")).content.decode()
    assert reverse("dashboards:stats-dashboard") not in html


def test_an_officer_of_the_district_with_the_leader_role_sees_the_district_unit(
    client, login_staff, district_unit
):
    leader = UserFactory(roles=[Role.LEADER], org_unit=district_unit)
    login_staff(client, leader)
    assert client.get(reverse("dashboards:stats-dashboard")).status_code == 200


def test_a_leaders_drill_down_lists_only_their_units_dossiers(
    client, leader, login_staff, mixed, citizen, unit_b
):
    officer_b = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_b)
    with time_machine.travel(at("2024-03-04 09:00"), tick=False):
        other = make_dossier(
            status=Status.RECEIVED, applicant=citizen, unit=unit_b, officer=officer_b
        )
    login_staff(client, leader)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        response = client.get(
            reverse("dashboards:stats-dossier-list"),
            YEAR | {"measure": "received_total"},
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert other.code not in html
    assert leader.org_unit.name in html


def test_district_staff_open_a_commune_whose_code_a_new_unit_reuses(
    client, vu_ban, vu_ban_staff, login_staff
):
    """13741 is thị trấn Gôi (Vụ Bản, until 2025-06-30) and, since 2025-07-01, xã
    Vụ Bản of Ninh Bình, formed from Gôi, Kim Thái and Tam Thanh. The district's
    staff see their area across the reform (decision 200): before it the code
    is Gôi, in 2026 xã Vụ Bản, its successor, the unit in force."""
    login_staff(client, vu_ban_staff)
    gôi = vu_ban["000.11.59.H00"].admin_unit
    with time_machine.travel(at("2026-07-01 09:00"), tick=False):
        before = client.get(
            reverse("dashboards:stats-dashboard"),
            {"from": "2025-01-01", "to": "2025-06-30", "unit": "13741"},
        )
        after = client.get(
            reverse("dashboards:stats-dashboard"),
            {"from": "2026-01-01", "to": "2026-06-30", "unit": "13741"},
        )

    assert before.status_code == 200
    assert "Thị trấn Gôi" in before.content.decode()
    assert [root.path for root in before.context["selection"].roots] == [gôi.path]
    assert after.status_code == 200
    assert "Xã Vụ Bản" in after.content.decode()
    [today] = after.context["selection"].roots
    assert today.code == "13741"
    assert str(today.valid_from) == "2025-07-01"
    assert today in gôi.successors.all()


def test_the_methods_page_defines_every_figure_for_anyone(client):
    response = client.get(reverse("dashboards:stats-methods"))

    assert response.status_code == 200
    html = response.content.decode()
    assert accessibility_problems(html) == []
    for metric in METRICS:
        assert f'id="metric-{metric.name}"' in html
        assert escape(str(metric.definition)) in html


def test_the_dashboard_links_the_methods_page_not_a_file_of_the_repository(
    client, district_staff, login_staff, mixed
):
    login_staff(client, district_staff)
    with time_machine.travel(at("2025-01-10 09:00"), tick=False):
        html = client.get(reverse("dashboards:stats-dashboard"), YEAR).content.decode()

    assert f'href="{reverse("dashboards:stats-methods")}"' in html
    assert not re.search(r"docs/|\.md\b|\.py\b", html)
    note = re.search(r'id="kpi-paid-online-note">([^<]*)<', html).group(1)
    assert "Tính theo ngày tiếp nhận hồ sơ" in note


def test_the_service_index_shows_decree_224_measures_beside_766s_groups_marked(
    client, district_staff, login_staff, mixed
):
    """Decree 224/2026 art. 19(2)'s measures beside Decision 766's groups
    (decision 202): the portal's rates where it has them, no points, and what
    is not verified said so to officers."""
    login_staff(client, district_staff)
    with time_machine.travel(at("2026-08-10 09:00"), tick=False):
        before = client.get(reverse("dashboards:service-index"), YEAR)
        after = client.get(
            reverse("dashboards:service-index"),
            {"from": "2026-07-01", "to": "2026-07-31"},
        )

    html = before.content.decode()
    assert before.status_code == 200
    assert accessibility_problems(html) == []
    section = html[html.index('id="decree-224"') :]
    assert "Nghị định 224/2026/NĐ-CP" in section
    assert "sau ngày cuối kỳ" in section  # 2024 is before 01/07/2026
    assert "Danh sách chỉ tiêu: ĐÃ XÁC MINH" in section
    assert "Cột “Nhóm QĐ 766” là đối chiếu của Cổng: CHƯA XÁC MINH" in section
    on_time = re.search(r'id="measure-on_time">(.*?)</tr>', section, re.S).group(1)
    assert "2. Tiến độ, kết quả giải quyết" in on_time
    assert "%" in on_time
    automation = re.search(r'id="measure-automation">(.*?)</tr>', section, re.S)
    assert "Chưa tính" in automation.group(1)
    # Decision 766's groups themselves are marked as not read from the text.
    assert "CHƯA XÁC MINH, chỉ để tham khảo" in html
    assert "áp dụng cho kỳ này" in after.content.decode()
