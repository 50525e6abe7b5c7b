"""Personas of feedback: the unit's officers (tests/conftest.py) and an
anonymous sender's phone confirmed by the development SMS gateway."""

import re

import pytest

from accounts.models import OutboundSms
from feedback import services
from tests.procedures.factories import ProcedureFactory

PHONE = "0912345678"


def last_code(phone: str = PHONE) -> str:
    """The code the development gateway 'sent' to `phone`."""
    message = OutboundSms.objects.filter(phone=phone).order_by("-pk").first()
    assert message is not None
    match = re.search(r"\b(\d{6})\b", message.text)
    assert match is not None
    return match[1]


@pytest.fixture
def procedure(db):
    return ProcedureFactory()


@pytest.fixture
def send_anonymous(procedure, unit_a):
    """Send an anonymous feedback about `procedure` to unit A, phone confirmed."""

    def send(**overrides):
        phone = overrides.pop("phone", PHONE)
        challenge = services.feedback_phone_code_send(phone=phone)
        fields = {
            "sender": None,
            "kind": "procedure",
            "title": "Hướng dẫn chưa rõ",
            "content": "Trang hướng dẫn thiếu mẫu tờ khai, gọi 0987654321 để hỏi.",
            "publish_consent": True,
            "procedure_code": procedure.code,
            "unit_code": unit_a.agency_code,
            "sender_name": "Trần Thị Ẩn Danh",
            "phone": phone,
            "phone_challenge": challenge.pk,
            "phone_code": last_code(phone),
        }
        return services.feedback_submit(**(fields | overrides))

    return send
