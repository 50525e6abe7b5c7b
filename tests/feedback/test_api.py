import pytest
from rest_framework.test import APIClient

from accounts.models import OutboundSms
from feedback.models import Feedback, Status

from .conftest import PHONE, last_code

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = APIClient(REMOTE_ADDR="192.0.2.7")
    if user is not None:
        client.force_authenticate(user)
    return client


def _anonymous_send(procedure, unit_a, **extra):
    client = _client()
    asked = client.post("/api/v1/feedback/phone-code/", {"phone": PHONE}, format="json")
    assert asked.status_code == 201, asked.content
    body = {
        "kind": "procedure",
        "procedure": procedure.code,
        "unit": unit_a.agency_code,
        "title": "Mẫu đơn cũ",
        "content": "Mẫu đơn trên cổng là mẫu cũ, đề nghị cập nhật.",
        "publish_consent": True,
        "phone": PHONE,
        "phone_challenge": asked.json()["phone_challenge"],
        "phone_code": last_code(),
    } | extra
    return client.post("/api/v1/feedback/", body, format="json")


def test_anonymous_send_with_a_confirmed_phone_then_the_answer_is_public(
    procedure, unit_a, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = _anonymous_send(procedure, unit_a)
    assert sent.status_code == 201, sent.content
    pk = sent.json()["id"]
    assert sent.json()["unit_code"] == unit_a.agency_code
    assert sent.json()["due_date"]
    with django_capture_on_commit_callbacks(execute=True):
        answered = _client(officer).post(
            f"/api/v1/feedback/{pk}/answer/",
            {"answer": "Đã thay bằng mẫu mới theo Thông tư.", "publish": True},
            format="json",
        )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == Status.ANSWERED
    public = _client().get("/api/v1/feedback/public/", {"procedure": procedure.code})
    assert public.status_code == 200
    [item] = public.json()["results"]
    assert item["answer"] == "Đã thay bằng mẫu mới theo Thông tư."
    assert PHONE not in public.content.decode()
    assert "phone" not in item
    assert OutboundSms.objects.filter(phone=PHONE).count() == 3  # code, ack, answer


def test_without_the_code_nothing_is_recorded(procedure, unit_a):
    sent = _anonymous_send(procedure, unit_a, phone_code="123")
    assert sent.status_code == 400
    assert "phone_code" in sent.json()["errors"]
    assert not Feedback.objects.exists()


def test_the_list_is_a_citizens_own_and_a_units_for_its_officers(
    procedure, unit_a, citizen, other_citizen, officer, officer_other_commune
):
    sent = _client(citizen).post(
        "/api/v1/feedback/",
        {
            "kind": "regulation",
            "unit": unit_a.agency_code,
            "title": "Quy định giờ làm việc",
            "content": "Đề nghị mở cửa sáng thứ Bảy cho người đi làm.",
        },
        format="json",
    )
    assert sent.status_code == 201, sent.content
    code = sent.json()["code"]

    def codes(user):
        response = _client(user).get("/api/v1/feedback/")
        assert response.status_code == 200
        return [row["code"] for row in response.json()["results"]]

    assert codes(citizen) == [code]
    assert codes(officer) == [code]
    assert codes(other_citizen) == []
    assert codes(officer_other_commune) == []
    assert _client().get("/api/v1/feedback/").status_code == 401


def test_only_the_units_officers_answer(
    procedure, unit_a, citizen, officer_other_commune
):
    pk = _anonymous_send(procedure, unit_a).json()["id"]
    body = {"answer": "Trả lời không đúng thẩm quyền."}
    url = f"/api/v1/feedback/{pk}/answer/"
    assert _client(citizen).post(url, body, format="json").status_code == 403
    assert (
        _client(officer_other_commune).post(url, body, format="json").status_code == 404
    )
    assert _client().post(url, body, format="json").status_code == 401


def test_sending_is_limited_per_address(settings, procedure, unit_a, citizen):
    settings.FEEDBACK_RATE_PER_ADDRESS = "1/hour"
    body = {
        "kind": "regulation",
        "unit": unit_a.agency_code,
        "title": "Hai lần",
        "content": "Gửi hai lần liền từ một địa chỉ.",
    }
    assert (
        _client(citizen).post("/api/v1/feedback/", body, format="json").status_code
        == 201
    )
    refused = _client(citizen).post("/api/v1/feedback/", body, format="json")
    assert refused.status_code == 429
    assert refused["Retry-After"]
