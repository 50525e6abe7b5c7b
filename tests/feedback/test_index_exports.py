"""Feedback in the service index and the exports (issue 20, point 5)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.templatetags.stats import pct
from feedback import services
from feedback.models import Feedback, Kind, Status

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


def _feedback(citizen, unit, *, received, on_time):
    item = services.feedback_submit(
        sender=citizen,
        kind=Kind.CONDUCT,
        title="Thái độ",
        content="Cán bộ trả lời thiếu lịch sự khi hỏi.",
        publish_consent=False,
        unit_code=unit.agency_code,
    )
    at = timezone.make_aware(datetime.datetime.fromisoformat(received))
    Feedback.objects.filter(pk=item.pk).update(
        received_at=at,
        due_date=at.date() + datetime.timedelta(days=10),
        answered_at=at + datetime.timedelta(days=1 if on_time else 30),
        status=Status.ANSWERED,
        on_time=on_time,
    )
    return item


@pytest.fixture
def answered(citizen, unit_a, unit_b):
    _feedback(citizen, unit_a, received="2026-03-02 09:00", on_time=True)
    _feedback(citizen, unit_a, received="2026-03-03 09:00", on_time=False)
    _feedback(citizen, unit_b, received="2026-03-04 09:00", on_time=False)
    # Outside the period: counted nowhere.
    _feedback(citizen, unit_a, received="2026-04-02 09:00", on_time=True)


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_index_shows_the_feedback_on_time_rate_beside_5_2(
    client, district_staff, login_staff, answered, unit_a
):
    login_staff(client, district_staff)
    html = client.get(
        reverse("dashboards:service-index"), PERIOD | {"unit": unit_a.agency_code}
    ).content.decode()
    assert 'data-figure="feedback_on_time_rate"' in html
    # One of unit A's two answers in March was late.
    figure = html.split('data-figure="feedback_on_time_rate"')[1].split("</p>")[0]
    assert pct(0.5) in figure


def test_the_export_has_feedback_per_unit_for_the_filters(
    client, district_staff, login_staff, answered, unit_a, unit_b
):
    login_staff(client, district_staff)
    url = reverse("dashboards:stats-export-csv")
    rows = _rows(client.get(url, PERIOD | {"table": "feedback", "headers": "codes"}))
    assert rows[0][:5] == ["unit", "unit_name", "from", "to", "feedback_received"]
    by_unit = {r[0]: r for r in rows[1:]}
    assert by_unit[unit_a.agency_code][2:9] == [
        "2026-03-01",
        "2026-03-31",
        "2",
        "2",
        "1",
        "1",
        "0.5",
    ]
    assert by_unit[unit_b.agency_code][4:8] == ["1", "1", "0", "1"]

    only_a = _rows(
        client.get(url, PERIOD | {"table": "feedback", "unit": unit_a.agency_code})
    )
    assert only_a[0][0] == "Mã đơn vị"
    assert [r[0] for r in only_a[1:]] == [unit_a.agency_code]

    april = _rows(
        client.get(url, {"from": "2026-04-01", "to": "2026-04-30", "table": "feedback"})
    )
    assert [r[4:7] for r in april[1:]] == [["1", "1", "1"]]


def test_the_workbook_has_a_feedback_sheet(
    client, district_staff, login_staff, answered
):
    from openpyxl import load_workbook

    login_staff(client, district_staff)
    response = client.get(reverse("dashboards:stats-export-xlsx"), PERIOD)
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Phản ánh theo đơn vị"]
    assert sheet.max_row == 3
    assert sheet.cell(row=2, column=9).number_format == "0.0%"


def test_the_feedback_export_reads_in_english(
    client, district_staff, login_staff, answered
):
    login_staff(client, district_staff)
    rows = _rows(
        client.get(
            reverse("dashboards:stats-export-csv"),
            PERIOD | {"table": "feedback"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )
    assert rows[0][4:7] == [
        "Feedback received",
        "Feedback answered",
        "Feedback answered on time",
    ]
