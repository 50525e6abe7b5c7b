import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OutboundSms, PhoneCode, PhoneCodePurpose
from feedback import services
from feedback.models import Feedback, FeedbackEvent, Kind, Status
from feedback.selectors import feedback_public, feedback_visible_to
from feedback.stats import feedback_counts
from notifications.models import Notification
from portal.retention import retention_purge
from tests.dossiers.factories import make_dossier, pdf_upload

from .conftest import PHONE, last_code

pytestmark = pytest.mark.django_db


def test_anonymous_feedback_needs_the_code_sent_to_its_phone(send_anonymous):
    with pytest.raises(services.FeedbackError) as refused:
        send_anonymous(phone_code="000000")
    assert refused.value.field == "phone_code"
    assert not Feedback.objects.exists()


def test_a_code_confirms_one_feedback_only(procedure, unit_a, send_anonymous):
    feedback = send_anonymous()
    assert feedback.sender_phone == PHONE
    code = last_code()
    with pytest.raises(services.FeedbackError):
        services.feedback_submit(
            sender=None,
            kind="procedure",
            title="Lần hai",
            content="Gửi lại với mã đã dùng một lần rồi.",
            publish_consent=False,
            procedure_code=procedure.code,
            unit_code=unit_a.agency_code,
            phone=PHONE,
            phone_challenge=Feedback.objects.count(),
            phone_code=code,
        )


def test_wrong_codes_count_and_void_the_code_after_five(send_anonymous):
    challenge = services.feedback_phone_code_send(phone=PHONE)
    for _i in range(5):
        with pytest.raises(services.FeedbackError):
            services.feedback_phone_code_use(
                challenge_id=challenge.pk, phone=PHONE, code="999999x"
            )
    with pytest.raises(services.FeedbackError, match="5"):
        services.feedback_phone_code_use(
            challenge_id=challenge.pk, phone=PHONE, code=last_code()
        )


def test_a_code_is_for_its_number_and_purpose_and_used_once(send_anonymous):
    """Anonymous senders' codes are accounts' one-time codes kept by bare
    number: the code of another number, or one already used, is refused."""
    challenge = services.feedback_phone_code_send(phone=PHONE)
    row = PhoneCode.objects.get(pk=challenge.pk)
    assert (row.user, row.phone, row.purpose) == (
        None,
        PHONE,
        PhoneCodePurpose.FEEDBACK_SENDER,
    )
    assert row.code_hash
    assert last_code() not in row.code_hash
    with pytest.raises(services.FeedbackError, match="Không tìm thấy"):
        services.feedback_phone_code_use(
            challenge_id=challenge.pk, phone="0912345679", code=last_code()
        )
    used = services.feedback_phone_code_use(
        challenge_id=challenge.pk, phone=PHONE, code=last_code()
    )
    assert used == PHONE
    with pytest.raises(services.FeedbackError, match="đã được dùng"):
        services.feedback_phone_code_use(
            challenge_id=challenge.pk, phone=PHONE, code=last_code()
        )


def test_expired_feedback_codes_are_purged_with_the_other_codes(settings):
    settings.EXPIRED_CREDENTIALS_RETENTION_DAYS = 30
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)):
        services.feedback_phone_code_send(phone=PHONE)
    with time_machine.travel(datetime.datetime(2026, 3, 5, 9, tzinfo=datetime.UTC)):
        services.feedback_phone_code_send(phone=PHONE)
        retention_purge(trigger="command")
    assert PhoneCode.objects.count() == 1


def test_codes_per_phone_are_limited(settings):
    settings.FEEDBACK_PHONE_CODES_PER_HOUR = 2
    services.feedback_phone_code_send(phone=PHONE)
    services.feedback_phone_code_send(phone=PHONE)
    with pytest.raises(services.FeedbackError):
        services.feedback_phone_code_send(phone=PHONE)
    assert OutboundSms.objects.filter(phone=PHONE).count() == 2


def test_feedback_per_phone_and_day_is_limited(settings, send_anonymous):
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 1
    send_anonymous()
    with pytest.raises(services.FeedbackError, match="24"):
        send_anonymous()


def test_it_is_routed_acknowledged_and_due_in_working_days(
    send_anonymous, django_capture_on_commit_callbacks, unit_a
):
    # Friday 2026-03-06: 15 working days later is Friday 2026-03-27.
    friday = datetime.datetime(2026, 3, 6, 3, 0, tzinfo=datetime.UTC)
    with (
        time_machine.travel(friday),
        django_capture_on_commit_callbacks(execute=True),
    ):
        feedback = send_anonymous()
    assert feedback.org_unit == unit_a
    assert feedback.due_date == datetime.date(2026, 3, 27)
    assert feedback.status == Status.RECEIVED
    acknowledgement = OutboundSms.objects.filter(phone=PHONE).order_by("-pk").first()
    assert feedback.code in acknowledgement.text
    assert FeedbackEvent.objects.filter(feedback=feedback, action="submit").exists()


def test_a_dossier_routes_to_its_unit_and_only_its_applicant_may_name_it(
    citizen, other_citizen, unit_a
):
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    feedback = services.feedback_submit(
        sender=citizen,
        kind=Kind.DOSSIER,
        title="Chậm trả kết quả",
        content="Hồ sơ của tôi chưa được trả kết quả đúng hẹn.",
        publish_consent=False,
        dossier_code=dossier.code,
    )
    assert feedback.org_unit == unit_a
    assert feedback.due_date is not None
    with pytest.raises(services.FeedbackError):
        services.feedback_submit(
            sender=other_citizen,
            kind=Kind.DOSSIER,
            title="Không phải hồ sơ của tôi",
            content="Thử gửi phản ánh về hồ sơ của người khác.",
            publish_consent=False,
            dossier_code=dossier.code,
        )


def test_a_procedure_with_several_receiving_units_needs_one_chosen(
    citizen, procedure, unit_a, unit_b
):
    with pytest.raises(services.FeedbackError) as refused:
        services.feedback_submit(
            sender=citizen,
            kind=Kind.PROCEDURE,
            title="Thủ tục khó",
            content="Thủ tục đòi quá nhiều giấy tờ không cần thiết.",
            publish_consent=False,
            procedure_code=procedure.code,
        )
    assert refused.value.field == "unit"


def test_staff_accounts_do_not_send_feedback(officer, procedure, unit_a):
    with pytest.raises(services.FeedbackNotAllowed):
        services.feedback_submit(
            sender=officer,
            kind=Kind.PROCEDURE,
            title="Cán bộ gửi",
            content="Cán bộ không gửi phản ánh từ tài khoản cán bộ.",
            publish_consent=False,
            procedure_code=procedure.code,
            unit_code=unit_a.agency_code,
        )


def test_papers_get_the_dossier_papers_inspection(send_anonymous):
    fake = SimpleUploadedFile("a.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(services.FeedbackError) as refused:
        send_anonymous(files=[fake])
    assert refused.value.field == "files"
    feedback = send_anonymous(phone="0912345679", files=[pdf_upload("giay.pdf")])
    assert feedback.attachments.get().content_type == "application/pdf"


def test_too_many_papers_are_refused(settings, send_anonymous):
    settings.FEEDBACK_MAX_FILES = 1
    with pytest.raises(services.FeedbackError, match="1"):
        send_anonymous(files=[pdf_upload("a.pdf"), pdf_upload("b.pdf")])


def test_conduct_is_seen_by_the_leader_never_by_the_officer_concerned(
    citizen, unit_a, officer, specialist, leader
):
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    dossier.assignee = specialist
    dossier.save()
    feedback = services.feedback_submit(
        sender=citizen,
        kind=Kind.CONDUCT,
        title="Thái độ cán bộ",
        content="Cán bộ xử lý hồ sơ trả lời thiếu lịch sự.",
        publish_consent=False,
        dossier_code=dossier.code,
    )
    assert feedback.officer_concerned == specialist
    assert feedback in feedback_visible_to(user=leader)
    assert feedback not in feedback_visible_to(user=officer)
    assert feedback not in feedback_visible_to(user=specialist)
    with pytest.raises(services.FeedbackNotAllowed):
        services.feedback_answer(
            feedback=feedback, officer=officer, answer="Xin lỗi anh chị rất nhiều."
        )
    # A leader who is the officer concerned does not see it either.
    feedback.officer_concerned = leader
    feedback.save()
    assert feedback not in feedback_visible_to(user=leader)


def test_the_answer_reaches_an_account_in_its_language(
    citizen, procedure, unit_a, officer, django_capture_on_commit_callbacks
):
    from notifications.services import preference_update

    preference_update(user=citizen, email=False, sms=False, language="en")
    feedback = services.feedback_submit(
        sender=citizen,
        kind=Kind.PROCEDURE,
        title="Phí cao",
        content="Lệ phí thủ tục này cao hơn nơi khác.",
        publish_consent=False,
        procedure_code=procedure.code,
        unit_code=unit_a.agency_code,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_answer(
            feedback=feedback, officer=officer, answer="Mức phí theo Nghị quyết tỉnh."
        )
    note = Notification.objects.filter(
        recipient=citizen, event_key="feedback_answered"
    ).get()
    assert note.language == "en"
    assert feedback.code in note.title


def test_an_anonymous_sender_gets_the_answer_by_sms(
    send_anonymous, officer, django_capture_on_commit_callbacks
):
    feedback = send_anonymous()
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_answer(
            feedback=feedback, officer=officer, answer="Đã bổ sung mẫu tờ khai."
        )
    last = OutboundSms.objects.filter(phone=PHONE).order_by("-pk").first()
    assert feedback.code in last.text
    feedback.refresh_from_db()
    assert feedback.status == Status.ANSWERED
    assert feedback.on_time is True


def test_published_answers_lose_personal_data(send_anonymous, officer, procedure):
    feedback = send_anonymous()
    services.feedback_answer(
        feedback=feedback,
        officer=officer,
        answer="Chị Trần Thị Ẩn Danh vui lòng xem mẫu mới; hỏi thêm qua a@b.vn.",
        publish=True,
    )
    public = feedback_public(procedure=procedure.code).get()
    assert "0987654321" not in public.public_content
    assert "Trần Thị Ẩn Danh" not in public.public_answer
    assert "a@b.vn" not in public.public_answer
    assert "mẫu mới" in public.public_answer
    assert list(feedback_public(query="mẫu mới")) == [public]


def test_without_consent_nothing_is_published(citizen, procedure, unit_a, officer):
    feedback = services.feedback_submit(
        sender=citizen,
        kind=Kind.REGULATION,
        title="Quy định chồng chéo",
        content="Hai quy định mâu thuẫn về giấy tờ.",
        publish_consent=False,
        unit_code=unit_a.agency_code,
    )
    with pytest.raises(services.FeedbackError):
        services.feedback_answer(
            feedback=feedback,
            officer=officer,
            answer="Đã chuyển sở tư pháp.",
            publish=True,
        )
    assert not feedback_public().exists()


def test_moderation_needs_a_reason_the_sender_sees(
    send_anonymous, officer, django_capture_on_commit_callbacks
):
    feedback = send_anonymous()
    with pytest.raises(services.FeedbackError):
        services.feedback_moderate(
            feedback=feedback, officer=officer, to=Status.DUPLICATE, reason=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_moderate(
            feedback=feedback,
            officer=officer,
            to=Status.DUPLICATE,
            reason="Trùng phản ánh PA đã gửi hôm qua.",
        )
    feedback.refresh_from_db()
    assert feedback.status == Status.DUPLICATE
    sms = OutboundSms.objects.filter(phone=PHONE).order_by("-pk").first()
    assert "Trung" in sms.text or "Trùng" in sms.text
    with pytest.raises(services.FeedbackError):
        services.feedback_answer(
            feedback=feedback, officer=officer, answer="Trả lời khi đã trùng lặp."
        )


def test_an_administrator_reroutes(send_anonymous, admin_user, unit_b, officer):
    feedback = send_anonymous()
    with pytest.raises(services.FeedbackNotAllowed):
        services.feedback_reroute(
            feedback=feedback, admin=officer, org_unit=unit_b, reason="x"
        )
    services.feedback_reroute(
        feedback=feedback, admin=admin_user, org_unit=unit_b, reason="Đúng thẩm quyền"
    )
    feedback.refresh_from_db()
    assert feedback.org_unit == unit_b
    assert feedback not in feedback_visible_to(user=officer)


def test_late_feedback_is_escalated_to_the_leader_once_and_counted_late(
    send_anonymous, unit_a, leader, officer, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime.datetime(2026, 3, 6, 3, 0, tzinfo=datetime.UTC)):
        feedback = send_anonymous()
    # The day before the due date: the unit is reminded.
    with time_machine.travel(datetime.datetime(2026, 3, 26, 1, 0, tzinfo=datetime.UTC)):
        counts = services.feedback_reminders_send()
    assert counts == {"reminded": 1, "escalated": 0}
    assert Notification.objects.filter(
        recipient=officer, event_key="feedback_due"
    ).exists()
    with time_machine.travel(datetime.datetime(2026, 3, 30, 1, 0, tzinfo=datetime.UTC)):
        assert services.feedback_reminders_send() == {"reminded": 0, "escalated": 1}
        assert services.feedback_reminders_send() == {"reminded": 0, "escalated": 0}
        figures = feedback_counts(
            org_units=type(unit_a).objects.filter(pk=unit_a.pk),
            start=datetime.date(2026, 3, 1),
            end=datetime.date(2026, 3, 31),
        )
        assert figures["late"] == 1
        assert figures["received"] == 1
        services.feedback_answer(
            feedback=feedback, officer=officer, answer="Trả lời muộn, xin lỗi."
        )
    assert Notification.objects.filter(
        recipient=leader, event_key="feedback_overdue"
    ).exists()
    assert not Notification.objects.filter(
        recipient=officer, event_key="feedback_overdue"
    ).exists()
    feedback.refresh_from_db()
    assert feedback.on_time is False
    figures = feedback_counts(
        org_units=type(unit_a).objects.filter(pk=unit_a.pk),
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
    )
    assert figures == figures | {
        "received": 1,
        "answered": 1,
        "answered_on_time": 0,
        "late": 1,
    }
    assert figures["kind_procedure"] == 1


def test_an_answer_is_refused_from_another_unit(send_anonymous, officer_other_commune):
    feedback = send_anonymous()
    with pytest.raises(services.FeedbackNotAllowed):
        services.feedback_answer(
            feedback=feedback,
            officer=officer_other_commune,
            answer="Không phải đơn vị.",
        )


def test_the_due_date_skips_public_holidays(send_anonymous):
    # Received Thursday 2026-04-23: the holidays of late April and 1 May push
    # the due date past 15 plain weekdays.
    received = datetime.datetime(2026, 4, 23, 3, 0, tzinfo=datetime.UTC)
    with time_machine.travel(received):
        feedback = send_anonymous()
    assert feedback.due_date == services.due_date_for(Kind.PROCEDURE, received)
    plain = received.date()
    weekdays = 0
    while weekdays < 15:
        plain += datetime.timedelta(days=1)
        weekdays += plain.weekday() < 5
    assert feedback.due_date > plain


def test_a_hidden_answer_is_withdrawn_and_restored_as_answered(
    send_anonymous, officer, procedure
):
    feedback = send_anonymous()
    services.feedback_answer(
        feedback=feedback, officer=officer, answer="Đã bổ sung mẫu.", publish=True
    )
    feedback.refresh_from_db()
    services.feedback_moderate(
        feedback=feedback, officer=officer, to=Status.HIDDEN, reason="Lời lẽ xúc phạm."
    )
    assert not feedback_public(procedure=procedure.code).exists()
    feedback.refresh_from_db()
    services.feedback_moderate(
        feedback=feedback, officer=officer, to=Status.RECEIVED, reason=""
    )
    feedback.refresh_from_db()
    assert feedback.status == Status.ANSWERED
    assert feedback.moderation_reason == ""


def test_the_periodic_task_escalates_what_is_late(send_anonymous, leader):
    from feedback.tasks import send_feedback_reminders

    with time_machine.travel(datetime.datetime(2026, 3, 6, 3, 0, tzinfo=datetime.UTC)):
        feedback = send_anonymous()
    with time_machine.travel(datetime.datetime(2026, 4, 6, 3, 0, tzinfo=datetime.UTC)):
        send_feedback_reminders.delay()
    feedback.refresh_from_db()
    assert feedback.escalated_at is not None
