import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import Dossier, Status
from tests.accounts.factories import login_with_otp
from tests.procedures.factories import ProcedureFactory

from .factories import at, make_dossier

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# --- Submission ------------------------------------------------------------------


def test_submit_returns_the_code_and_the_expected_due_date(
    citizen, unit_a, time_machine
):
    time_machine.move_to(at("2026-03-09 10:00"))
    procedure = ProcedureFactory(processing_days=3)

    response = api(citizen).post(
        reverse("dossiers_api:dossier-list"),
        {
            "procedure": procedure.code,
            "unit": unit_a.agency_code,
            "data": {"full_name": "A"},
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"code", "status", "submitted_at", "due_at", "due_explanation"}
    assert body["status"] == "submitted"
    assert body["code"].startswith(f"{unit_a.agency_code}-260309-")
    assert timezone.localtime(
        datetime.datetime.fromisoformat(body["due_at"])
    ).date() == datetime.date(2026, 3, 12)
    assert "Điều 147" in body["due_explanation"]


def test_submit_reads_the_procedure_not_what_its_page_shows(citizen, unit_a):
    # The catalogue page's prefetches (life events, linked steps) cost a
    # submission a quarter of its time under `make bench`.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    procedure = ProcedureFactory()
    with CaptureQueriesContext(connection) as captured:
        response = api(citizen).post(
            reverse("dossiers_api:dossier-list"),
            {
                "procedure": procedure.code,
                "unit": unit_a.agency_code,
                "data": {"full_name": "A"},
            },
            format="json",
        )

    assert response.status_code == 201
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "procedures_lifeevent" not in sql
    assert "procedures_linkedstep" not in sql


def test_submit_with_bad_data_gives_per_field_errors_and_saves_nothing(citizen, unit_a):
    procedure = ProcedureFactory()

    response = api(citizen).post(
        reverse("dossiers_api:dossier-list"),
        {"procedure": procedure.code, "unit": unit_a.agency_code, "data": {}},
        format="json",
    )

    assert response.status_code == 400
    assert "full_name" in response.json()["errors"]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("procedure", "9.999999"), ("unit", "999.99.99.H99")]
)
def test_submit_to_an_unknown_procedure_or_unit_is_400(citizen, unit_a, field, value):
    body = {
        "procedure": ProcedureFactory().code,
        "unit": unit_a.agency_code,
        "data": {},
    }
    body[field] = value

    response = api(citizen).post(
        reverse("dossiers_api:dossier-list"), body, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()


def test_idempotency_key_returns_the_first_dossier(citizen, unit_a):
    procedure = ProcedureFactory()
    body = {
        "procedure": procedure.code,
        "unit": unit_a.agency_code,
        "data": {"full_name": "A"},
    }
    client = api(citizen)

    first = client.post(
        reverse("dossiers_api:dossier-list"),
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    again = client.post(
        reverse("dossiers_api:dossier-list"),
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )

    assert first.json()["code"] == again.json()["code"]
    assert Dossier.objects.count() == 1


def test_detail_has_events_attachments_result_and_actions(people):
    dossier = make_dossier(status=Status.RESULT_READY, **people)

    body = (
        api(people["officer"])
        .get(reverse("dossiers_api:dossier-detail", args=[dossier.code]))
        .json()
    )

    assert [e["action"] for e in body["events"]] == [
        "submit",
        "receive",
        "forward",
        "appraise",
        "submit_for_signature",
        "sign",
        "issue_result",
    ]
    # The code for software, the same words as the pages for people.
    assert [e["action_display"] for e in body["events"]] == [
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "Thẩm định, dự thảo kết quả",
        "Trình lãnh đạo ký duyệt",
        "Lãnh đạo ký duyệt",
        "Phát hành kết quả",
    ]
    assert body["result"]["title"] == "Giấy khai sinh"
    assert body["actions"] == ["return_result"]
    assert body["timeliness"] in {"early", "on_time"}


def test_list_filters_by_status_unit_and_query(people):
    returned = make_dossier(status=Status.RETURNED, **people)
    make_dossier(**people)
    client = api(people["officer"])
    url = reverse("dossiers_api:dossier-list")

    assert client.get(url).json()["count"] == 2
    assert [
        d["code"] for d in client.get(url, {"status": "returned"}).json()["results"]
    ] == [returned.code]
    assert client.get(url, {"unit": people["unit"].agency_code}).json()["count"] == 2
    assert client.get(url, {"q": returned.code}).json()["count"] == 1
    assert client.get(url, {"q": people["applicant"].username}).json()["count"] == 2


def test_list_query_count_does_not_grow_with_dossiers(
    people, django_assert_max_num_queries
):
    for _ in range(3):
        make_dossier(**people)
    client = api(people["officer"])
    client.get(reverse("dossiers_api:dossier-list"))  # warm caches (permissions)

    with django_assert_max_num_queries(8) as few:
        client.get(reverse("dossiers_api:dossier-list"))
    for _ in range(10):
        make_dossier(**people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dossiers_api:dossier-list"))


# --- Tracking and verification ----------------------------------------------------


def test_public_tracking_needs_code_and_phone_digits(people):
    dossier = make_dossier(**people)
    last4 = people["applicant"].phone[-4:]
    url = reverse("dossiers_api:track")

    ok = api().get(url, {"code": dossier.code, "phone_last4": last4})
    # Any four digits but the right ones (factory phones may end in 0000).
    wrong = f"{(int(last4) + 1) % 10_000:04d}"
    wrong_phone = api().get(url, {"code": dossier.code, "phone_last4": wrong})
    unknown = api().get(
        url, {"code": "000.00.00.H00-000000-0000", "phone_last4": last4}
    )

    assert ok.status_code == 200
    assert ok.json()["status"] == "submitted"
    assert "applicant" not in ok.json()
    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.json() == unknown.json()


def test_public_tracking_is_throttled(people, settings):
    from django.core.cache import cache

    cache.clear()
    settings.THROTTLE_TRACK = "3/min"

    codes = [
        api().get(reverse("dossiers_api:track"), {"code": "x", "phone_last4": "1234"})
        for _ in range(4)
    ]

    assert [c.status_code for c in codes] == [404, 404, 404, 429]
    cache.clear()


def test_verify_shows_what_was_issued_with_the_name_masked(people):
    dossier = make_dossier(status=Status.RETURNED, **people)

    body = api().get(reverse("dossiers_api:verify", args=[dossier.result.token])).json()

    assert body["title"] == "Giấy khai sinh"
    assert body["valid"] is True
    assert body["holder"] == "N*** V*** C***"
    assert people["applicant"].username not in str(body)
    assert api().get(reverse("dossiers_api:verify", args=["nope"])).status_code == 404


def test_verify_page_from_the_qr_link(client, people):
    dossier = make_dossier(status=Status.RETURNED, **people)

    page = client.get(dossier.result.get_absolute_url())

    assert page.status_code == 200
    assert "còn giá trị" in page.text
    assert people["applicant"].full_name not in page.text


# --- Calculator -------------------------------------------------------------------


def test_calendar_due_for_a_procedure_and_a_receipt_time():
    procedure = ProcedureFactory(processing_days=1)

    body = (
        api()
        .get(
            reverse("dossiers_api:calendar-due"),
            {"procedure": procedure.code, "received_at": "2026-03-13T15:20:00+07:00"},
        )
        .json()
    )

    assert body["due_at"].startswith("2026-03-17T17:00")
    assert "sau 15:00" in body["explanation"]


def test_calendar_due_rejects_a_bad_time():
    procedure = ProcedureFactory()

    response = api().get(
        reverse("dossiers_api:calendar-due"),
        {"procedure": procedure.code, "received_at": "hôm qua"},
    )

    assert response.status_code == 400
    assert "received_at" in response.json()


# --- Slips ------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    """The PDF's text with line breaks (table cells wrap) folded into spaces."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.mark.parametrize(
    ("status", "kind", "title"),
    [
        (Status.RECEIVED, "receipt", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
        (
            Status.SUPPLEMENT_REQUESTED,
            "supplement",
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        ),
        (Status.REFUSED, "refusal", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
        (Status.RETURNED, "control", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    ],
)
def test_slips_are_pdfs_with_vietnamese_text(client, people, status, kind, title):
    dossier = make_dossier(status=status, **people)
    login_with_otp(client, people["officer"])

    response = client.get(reverse("dossiers:slip-pdf", args=[dossier.code, kind]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert title in text
    assert people["applicant"].full_name in text
    assert dossier.code in text


def test_the_control_slip_has_a_row_per_hand_off_with_its_timeliness(client, people):
    dossier = make_dossier(status=Status.RETURNED, **people)
    login_with_otp(client, people["officer"])

    text = pdf_text(
        client.get(reverse("dossiers:slip-pdf", args=[dossier.code, "control"])).content
    )

    for step in [
        "Bộ phận Một cửa tiếp nhận",
        "Giao cơ quan, đơn vị xử lý",
        "Chuyên viên thẩm định, dự thảo kết quả",
        "Trình lãnh đạo ký duyệt",
        "Lãnh đạo ký duyệt",
        "Phát hành kết quả",
        "Trả kết quả",
    ]:
        assert step in text
    assert "Trước hạn" in text
    assert people["leader"].full_name in text  # who signed
    assert "trả lại" not in text  # never sent back


def test_the_control_slip_counts_the_send_backs_with_their_reasons(client, people):
    dossier = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    services.dossier_send_back(
        dossier=dossier, actor=people["leader"], reason="Sai ngày sinh"
    )
    services.dossier_appraise(
        dossier=dossier,
        actor=people["specialist"],
        title="Giấy khai sinh",
        generate=True,
    )
    services.dossier_submit_for_signature(dossier=dossier, actor=people["specialist"])
    services.dossier_send_back(
        dossier=dossier, actor=people["leader"], reason="Thiếu quê quán"
    )
    login_with_otp(client, people["officer"])

    text = pdf_text(
        client.get(reverse("dossiers:slip-pdf", args=[dossier.code, "control"])).content
    )

    assert text.count("Lãnh đạo trả lại chuyên viên") == 2
    assert "Số lần lãnh đạo trả lại chuyên viên: 2" in text
    assert "Sai ngày sinh" in text
    assert "Thiếu quê quán" in text


def test_the_apology_slip_states_the_new_date(client, people, time_machine):
    time_machine.move_to(at("2026-03-09 10:00"))
    dossier = make_dossier(status=Status.PROCESSING, **people)
    services.dossier_apologize(
        dossier=dossier,
        actor=people["specialist"],
        new_due_date=datetime.date(2026, 3, 20),
        reason="Cần xác minh",
    )
    client.force_login(people["applicant"])

    text = pdf_text(
        client.get(reverse("dossiers:slip-pdf", args=[dossier.code, "apology"])).content
    )

    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "20/03/2026" in text


def test_a_slip_for_an_event_that_did_not_happen_is_404(client, people):
    dossier = make_dossier(**people)
    client.force_login(people["applicant"])

    assert (
        client.get(
            reverse("dossiers:slip-pdf", args=[dossier.code, "refusal"])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["officer", "district_staff", "admin_user"])
def test_staff_cannot_submit_a_dossier_as_its_applicant(request, persona, unit_a):
    # Found by the authorization matrix (tests/security/): the API let any
    # logged-in user be an applicant; the wizard is for citizens only.
    procedure = ProcedureFactory()

    response = api(request.getfixturevalue(persona)).post(
        reverse("dossiers_api:dossier-list"),
        {
            "procedure": procedure.code,
            "unit": unit_a.agency_code,
            "data": {"full_name": "A"},
        },
        format="json",
    )

    assert response.status_code == 403
    assert "công dân" in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_the_schema_describes_the_paginated_list_and_an_unassigned_dossier(
    citizen, unit_a
):
    # Found by the API fuzzing: the schema said a bare array and a string
    # processing unit; the list is paginated and a new dossier has no unit yet.
    from tests.openapi import api_call

    dossier = make_dossier(applicant=citizen, unit=unit_a)

    listed = api_call(citizen, "GET", "/api/v1/dossiers/")
    detail = api_call(
        citizen,
        "GET",
        "/api/v1/dossiers/{code}/",
        path_parameters={"code": dossier.code},
    )

    assert listed.json()["results"][0]["processing_unit"] is None
    assert detail.json()["processing_unit"] is None


# --- "No writing, no appointment" day (issue 22, point 5) -------------------------


@pytest.fixture
def tuesday_rule(people):
    from tests.rules.factories import NoAppointmentDayFactory

    return NoAppointmentDayFactory(centre=people["unit"])


@pytest.fixture
def certification():
    from tests.procedures.factories import FieldFactory

    return ProcedureFactory(field=FieldFactory(code="chung-thuc"))


def test_the_receipt_slip_tells_the_centres_rule(
    client, people, tuesday_rule, certification, time_machine
):
    time_machine.move_to(at("2026-03-10 10:00"))
    covered = make_dossier(status=Status.RECEIVED, **people, procedure=certification)
    other = make_dossier(status=Status.RECEIVED, **people)
    login_with_otp(client, people["officer"])

    def receipt(dossier):
        url = reverse("dossiers:slip-pdf", args=[dossier.code, "receipt"])
        return pdf_text(client.get(url).content)

    text = receipt(covered)
    assert "Ngày “không viết, không hẹn”: thứ Ba hằng tuần" in text
    assert "trước 15:00 thì trả kết quả trong ngày" in text
    assert "không viết, không hẹn" not in receipt(other)


def test_the_dossier_detail_names_the_rule_and_how_it_set_the_due_date(
    people, tuesday_rule, certification, time_machine
):
    from tests.openapi import api_call

    citizen = people["applicant"]
    time_machine.move_to(at("2026-03-10 15:01"))
    late = make_dossier(status=Status.RECEIVED, **people, procedure=certification)
    time_machine.move_to(at("2026-03-11 09:00"))
    wednesday = make_dossier(status=Status.RECEIVED, **people, procedure=certification)
    other = make_dossier(status=Status.RECEIVED, **people)

    def detail(dossier):
        return api_call(
            citizen,
            "GET",
            "/api/v1/dossiers/{code}/",
            path_parameters={"code": dossier.code},
        ).json()

    rule = detail(late)["no_appointment_day"]
    assert rule["weekday"] == 1
    assert rule["cutoff"] == "15:00"
    assert rule["centre"] == people["unit"].agency_code
    assert rule["applied"] == "next_working_day"
    assert "thứ Ba hằng tuần" in rule["text"]
    assert detail(late)["writing_help"] is False
    assert detail(wednesday)["no_appointment_day"]["applied"] is None
    assert detail(other)["no_appointment_day"] is None


# --- Appraisal, signature and issue (issue 18) -------------------------------------


def _action(user, dossier, body, fmt="json"):
    return api(user).post(
        reverse("dossiers_api:dossier-action", args=[dossier.code]), body, format=fmt
    )


def test_appraise_takes_a_draft_file_and_the_flow_runs_to_the_returned_result(people):
    from .factories import pdf_upload

    dossier = make_dossier(status=Status.PROCESSING, **people)

    appraised = _action(
        people["specialist"],
        dossier,
        {"action": "appraise", "title": "Giấy khai sinh", "file": pdf_upload()},
        fmt="multipart",
    )
    assert appraised.status_code == 200, appraised.json()
    assert appraised.json()["status"] == "appraised"
    for user, body, status in [
        (
            people["specialist"],
            {"action": "submit_for_signature"},
            "awaiting_signature",
        ),
        (people["leader"], {"action": "send_back", "reason": "Sai tên"}, "processing"),
        (people["specialist"], {"action": "appraise", "generate": True}, "appraised"),
        (
            people["specialist"],
            {"action": "submit_for_signature"},
            "awaiting_signature",
        ),
        (people["leader"], {"action": "sign"}, "signed"),
        (people["officer"], {"action": "issue_result"}, "result_ready"),
        (
            people["officer"],
            {"action": "return_result", "method": "online"},
            "returned",
        ),
    ]:
        response = _action(user, dossier, body)
        assert response.status_code == 200, (body, response.json())
        assert response.json()["status"] == status
    dossier.refresh_from_db()
    assert dossier.send_back_count == 1
    assert dossier.result.file


@pytest.mark.parametrize(
    ("status", "persona", "body", "message"),
    [
        (
            Status.PROCESSING,
            "specialist",
            {"action": "appraise", "title": "Giấy khai sinh"},
            "Hãy tải lên dự thảo kết quả (tệp PDF) hoặc chọn tạo văn bản",
        ),
        (
            Status.AWAITING_SIGNATURE,
            "leader",
            {"action": "send_back"},
            "Hãy ghi rõ lý do trả lại",
        ),
        (
            Status.AWAITING_SIGNATURE,
            "leader",
            {"action": "send_back", "reason": "   "},
            "Hãy ghi rõ lý do trả lại",
        ),
    ],
)
def test_bad_input_is_400_in_vietnamese_and_saves_nothing(
    people, status, persona, body, message
):
    dossier = make_dossier(status=status, **people)
    events = dossier.events.count()

    response = _action(people[persona], dossier, body)

    assert response.status_code == 400
    assert message in response.json()["detail"]
    dossier.refresh_from_db()
    assert (dossier.status, dossier.events.count()) == (status, events)


def test_the_wrong_role_is_403_for_each_new_action(people):
    appraising = make_dossier(status=Status.PROCESSING, **people)
    awaiting = make_dossier(status=Status.AWAITING_SIGNATURE, **people)
    signed = make_dossier(status=Status.SIGNED, **people)

    cases: list[tuple[Any, Any, dict[str, Any]]] = [
        (people["leader"], appraising, {"action": "appraise", "generate": True}),
        (people["specialist"], awaiting, {"action": "sign"}),
        (people["officer"], awaiting, {"action": "send_back", "reason": "x"}),
        (people["specialist"], signed, {"action": "issue_result"}),
        (people["applicant"], awaiting, {"action": "sign"}),
    ]
    for user, dossier, body in cases:
        response = _action(user, dossier, {"title": "Giấy khai sinh", **body})
        assert response.status_code == 403, (body, response.json())
        assert "Bạn không có quyền" in response.json()["detail"]
