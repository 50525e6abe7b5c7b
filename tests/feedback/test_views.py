import pytest
from django.urls import reverse

from feedback import services
from feedback.models import Feedback, Kind, Status
from tests.accounts.factories import login_with_otp

from .conftest import PHONE, last_code

pytestmark = pytest.mark.django_db


def test_an_anonymous_sender_asks_a_code_then_sends(client, procedure, unit_a):
    url = reverse("feedback:feedback-create")
    form = {
        "kind": "procedure",
        "procedure": procedure.code,
        "unit": unit_a.agency_code,
        "title": "Không tìm thấy mẫu",
        "content": "Không tìm thấy mẫu tờ khai trên trang thủ tục.",
        "publish_consent": "on",
        "phone": PHONE,
    }
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="viewport"' in page.content.decode()
    asked = client.post(url, form | {"send_code": "1"})
    assert asked.status_code == 200
    assert "Gửi lại mã xác nhận" in asked.content.decode()
    sent = client.post(url, form | {"phone_code": last_code(), "send": "1"})
    assert sent.status_code == 302
    feedback = Feedback.objects.get()
    ack = client.get(sent["Location"])
    assert feedback.code in ack.content.decode()


def test_a_wrong_code_keeps_the_form_with_the_error(client, procedure, unit_a):
    url = reverse("feedback:feedback-create")
    form = {
        "kind": "procedure",
        "procedure": procedure.code,
        "unit": unit_a.agency_code,
        "title": "Tiêu đề",
        "content": "Nội dung đủ dài để gửi.",
        "phone": PHONE,
    }
    client.post(url, form | {"send_code": "1"})
    page = client.post(url, form | {"phone_code": "000000", "send": "1"})
    assert page.status_code == 200
    assert "Mã không đúng; còn 4 lần thử" in page.content.decode()
    assert not Feedback.objects.exists()


def _sent(citizen, unit_a, kind=Kind.REGULATION, **extra):
    return services.feedback_submit(
        sender=citizen,
        kind=kind,
        title="Quy định cần sửa",
        content="Quy định về giấy tờ chồng chéo nhau.",
        publish_consent=True,
        unit_code=unit_a.agency_code,
        **extra,
    )


def test_the_officer_answers_and_publishes_on_the_work_page(
    client, citizen, unit_a, officer
):
    feedback = _sent(citizen, unit_a)
    login_with_otp(client, officer)
    queue = client.get(reverse("feedback:feedback-queue"))
    assert feedback.code in queue.content.decode()
    url = reverse("feedback:feedback-work", args=[feedback.pk])
    answered = client.post(
        url,
        {"action": "answer", "answer": "Đã kiến nghị sửa quy định.", "publish": "on"},
    )
    assert answered.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == Status.ANSWERED
    assert feedback.published_at is not None
    public = client.get(reverse("feedback:feedback-public"), {"q": "kiến nghị sửa"})
    assert "Đã kiến nghị sửa quy định." in public.content.decode()
    assert citizen.full_name not in public.content.decode()


def test_another_units_officer_gets_404(client, citizen, unit_a, officer_other_commune):
    feedback = _sent(citizen, unit_a)
    login_with_otp(client, officer_other_commune)
    url = reverse("feedback:feedback-work", args=[feedback.pk])
    assert client.get(url).status_code == 404


def test_the_sender_sees_the_moderation_reason(client, citizen, unit_a, officer):
    feedback = _sent(citizen, unit_a)
    services.feedback_moderate(
        feedback=feedback,
        officer=officer,
        to=Status.OUT_OF_SCOPE,
        reason="Nội dung thuộc thẩm quyền của Tòa án.",
    )
    client.force_login(citizen)
    page = client.get(reverse("feedback:feedback-mine"))
    assert "Nội dung thuộc thẩm quyền của Tòa án." in page.content.decode()


def test_the_procedure_page_lists_its_published_answers(
    client, citizen, unit_a, officer, procedure
):
    feedback = services.feedback_submit(
        sender=citizen,
        kind=Kind.PROCEDURE,
        title="Thời gian giải quyết",
        content="Thời gian giải quyết quá dài so với quy định.",
        publish_consent=True,
        procedure_code=procedure.code,
        unit_code=unit_a.agency_code,
    )
    services.feedback_answer(
        feedback=feedback,
        officer=officer,
        answer="Đơn vị đã rút ngắn còn 2 ngày.",
        publish=True,
    )
    page = client.get(procedure.get_absolute_url())
    assert page.status_code == 200
    assert "Đơn vị đã rút ngắn còn 2 ngày." in page.content.decode()


def test_the_units_officer_opens_a_paper_in_a_sandbox(
    client, citizen, unit_a, officer, officer_other_commune
):
    from tests.dossiers.factories import pdf_upload

    feedback = _sent(citizen, unit_a, files=[pdf_upload("giay.pdf")])
    paper = feedback.attachments.get()
    url = reverse("feedback:feedback-paper", args=[feedback.pk, paper.pk])
    login_with_otp(client, officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.logout()
    login_with_otp(client, officer_other_commune)
    assert client.get(url).status_code == 404


def test_every_page_leads_to_the_feedback_list_from_the_menu(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("feedback:feedback-public")}"' in page
    assert "Phản ánh, kiến nghị" in page
