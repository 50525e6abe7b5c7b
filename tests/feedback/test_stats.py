import pytest
from django.urls import reverse

from feedback import services
from feedback.models import Kind

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_feedback_counts_of_its_units(
    client, citizen, unit_a, district_staff, login_staff
):
    services.feedback_submit(
        sender=citizen,
        kind=Kind.CONDUCT,
        title="Thái độ",
        content="Cán bộ trả lời thiếu lịch sự khi hỏi.",
        publish_consent=False,
        unit_code=unit_a.agency_code,
    )
    login_staff(client, district_staff)
    html = client.get(reverse("dashboards:stats-dashboard")).content.decode()
    assert "Phản ánh, kiến nghị nhận được" in html
    assert "Phản ánh: Về thái độ, hành vi của cán bộ" in html


def test_the_dashboard_shows_the_feedback_table_with_its_csv_link(
    client, citizen, unit_a, district_staff, login_staff
):
    services.feedback_submit(
        sender=citizen,
        kind=Kind.CONDUCT,
        title="Thái độ",
        content="Cán bộ trả lời thiếu lịch sự khi hỏi.",
        publish_consent=False,
        unit_code=unit_a.agency_code,
    )
    login_staff(client, district_staff)
    html = client.get(reverse("dashboards:stats-dashboard")).content.decode()
    table = html[html.index('id="table-feedback"') :]
    table = table[: table.index("</table>")]
    assert unit_a.agency_code in table
    assert unit_a.name in table
    assert "table=feedback" in html
    assert "CSV: Phản ánh theo đơn vị" in html
