"""A request to stop a dossier (Circular 03/2025 art. 7): checked against the
status; nothing decided, the dossier stops and the stop notice (form 05) is
issued; otherwise refused with the reason. Online (the dossier page, the API)
and at the counter (/staff/dossiers/{code}/stop/). And the tracking book (form
07) of a unit for a period."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import Event, Status
from rules.services import rules_load

from .factories import at, make_dossier
from .test_views_officer import pdf_text

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def rules(db):
    rules_load()


@pytest.mark.parametrize(
    "status",
    [
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.SUPPLEMENT_REQUESTED,
        Status.AWAITING_PAYMENT,
        Status.PROCESSING,
    ],
)
def test_the_applicant_stops_a_dossier_nothing_has_decided(
    status, people, rules, client, time_machine
):
    time_machine.move_to(at("2025-10-06 09:00"))
    dossier = make_dossier(**people, status=status)

    response = api(people["applicant"]).post(
        f"/api/v1/dossiers/{dossier.code}/stop-request/",
        {"reason": "Không còn nhu cầu"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.STOPPED
    assert body["stop_notice"].endswith(f"/dossiers/{dossier.code}/slips/stop.pdf")
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
    event = Event.objects.get(dossier=dossier, action="stop_on_request")
    assert event.details == {"on_request": True, "at_counter": False}

    client.force_login(people["applicant"])
    notice = client.get(f"/dossiers/{dossier.code}/slips/stop.pdf")
    assert notice.status_code == 200
    text = pdf_text(notice.content)
    assert "Mẫu số 05" in text
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Không còn nhu cầu" in text
    assert "Điều 7 Thông tư 03/2025/TT-VPCP" in text
    assert dossier.code in text


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Status.SIGNED, "đã ký duyệt kết quả"),
        (Status.RESULT_READY, "đã có kết quả"),
        (Status.RETURNED, "đã có kết quả"),
        (Status.REFUSED, "đã kết thúc"),
        (Status.WITHDRAWN, "đã kết thúc"),
    ],
)
def test_a_request_to_stop_a_decided_dossier_is_refused_with_the_reason(
    status, reason, people, rules
):
    dossier = make_dossier(**people, status=status)

    response = api(people["applicant"]).post(
        f"/api/v1/dossiers/{dossier.code}/stop-request/", {}, format="json"
    )

    assert response.status_code == 409
    assert reason in response.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.status == status
    assert not Event.objects.filter(action="stop_on_request").exists()


def test_only_the_applicant_asks_through_the_api(people, rules, other_citizen):
    dossier = make_dossier(**people, status=Status.RECEIVED)
    url = f"/api/v1/dossiers/{dossier.code}/stop-request/"

    assert api(people["officer"]).post(url, {}, format="json").status_code == 403
    assert api(other_citizen).post(url, {}, format="json").status_code == 404
    assert api().post(url, {}, format="json").status_code == 401
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_the_applicant_asks_from_the_dossier_page(people, rules, client):
    dossier = make_dossier(**people, status=Status.PROCESSING)
    client.force_login(people["applicant"])

    page = client.get(dossier.get_absolute_url()).content.decode()
    assert f"/dossiers/{dossier.code}/stop/" in page
    confirm = client.get(f"/dossiers/{dossier.code}/stop/")
    assert "Đề nghị dừng giải quyết hồ sơ?" in confirm.content.decode()
    done = client.post(f"/dossiers/{dossier.code}/stop/", {"reason": ""}, follow=True)

    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
    page = done.content.decode()
    assert "Thông báo dừng giải quyết hồ sơ" in page
    assert f"/dossiers/{dossier.code}/slips/stop.pdf" in page


def test_the_page_refuses_a_decided_dossier_with_the_reason(people, rules, client):
    dossier = make_dossier(**people, status=Status.SIGNED)
    client.force_login(people["applicant"])

    response = client.get(f"/dossiers/{dossier.code}/stop/", follow=True)

    assert "đã ký duyệt kết quả" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SIGNED


def test_at_the_counter_a_receiving_officer_stops_it_for_the_applicant(
    people, rules, client, login_staff, time_machine
):
    time_machine.move_to(at("2025-10-06 09:00"))
    dossier = make_dossier(**people, status=Status.RECEIVED)
    login_staff(client, people["officer"])
    work = client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
    assert f"/staff/dossiers/{dossier.code}/stop/" in work

    response = client.post(
        f"/staff/dossiers/{dossier.code}/stop/",
        {"stop_on_request-seen_status": Status.RECEIVED},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?slip=stop")
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
    event = Event.objects.get(dossier=dossier, action="stop_on_request")
    assert event.actor == people["officer"]
    assert event.details["at_counter"] is True
    text = pdf_text(client.get(f"/dossiers/{dossier.code}/slips/stop.pdf").content)
    assert "tại Bộ phận tiếp nhận và trả kết quả" in text


def test_at_the_counter_a_decided_dossier_is_refused_with_the_reason(
    people, rules, client, login_staff
):
    dossier = make_dossier(**people, status=Status.SIGNED)
    login_staff(client, people["officer"])

    response = client.post(
        f"/staff/dossiers/{dossier.code}/stop/",
        {"stop_on_request-seen_status": Status.SIGNED},
    )

    assert response.status_code == 409
    assert "đã ký duyệt kết quả" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SIGNED


def test_a_specialist_cannot_stop_at_the_counter(people, rules, client, login_staff):
    dossier = make_dossier(**people, status=Status.RECEIVED)
    with pytest.raises(services.ActionNotAllowed):
        services.dossier_stop(
            dossier=dossier, actor=people["specialist"], reason="", on_request=True
        )


# --- The tracking book (form 07) --------------------------------------------------


def test_the_tracking_book_of_the_unit_for_a_period(
    people, rules, client, login_staff, time_machine, unit_b, citizen
):
    time_machine.move_to(at("2025-10-06 09:00"))
    first = make_dossier(**people, status=Status.RECEIVED)
    time_machine.move_to(at("2025-10-07 09:00"))
    second = make_dossier(**people)
    other_unit = make_dossier(**(people | {"unit": unit_b, "officer": None}))
    time_machine.move_to(at("2025-11-03 09:00"))
    later = make_dossier(**people)
    login_staff(client, people["officer"])

    assert client.get("/staff/tracking-book/").status_code == 200
    pdf = client.get(
        "/staff/tracking-book/",
        {"start": "2025-10-01", "end": "2025-10-31", "format": "pdf"},
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Mẫu số 07" in text
    assert "SỔ THEO DÕI HỒ SƠ" in text
    # A long code wraps in its cell: read the table without spaces.
    cells = text.replace(" ", "")
    assert first.code in cells
    assert second.code in cells
    assert other_unit.code not in cells
    assert later.code not in cells

    xlsx = client.get(
        "/staff/tracking-book/",
        {"start": "2025-10-01", "end": "2025-10-31", "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    codes = [row[1] for row in values if row and row[0] in ("1", "2")]
    assert codes == [first.code, second.code]
    assert "(Mẫu số 07)" in values[0][0]

    bad = client.get(
        "/staff/tracking-book/", {"start": "2025-10-31", "end": "2025-10-01"}
    )
    assert bad.status_code == 400


def test_a_citizen_has_no_tracking_book(client, citizen):
    client.force_login(citizen)
    assert client.get("/staff/tracking-book/").status_code == 403
