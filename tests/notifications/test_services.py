"""notify(): one event, one notification; each channel sent once whatever runs
twice; retries, failures for good, the throttle's digest, preferences."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import OutboundSms
from notifications import services, tasks
from notifications.models import Delivery, Digest, Notification, Preference

pytestmark = pytest.mark.django_db


def tell(person, key="k1", template="result_ready", **context):
    return services.notify(
        recipient=person,
        event_key="dossier.result_ready",
        template=template,
        context={"code": "000.00.59.H00-260302-0001", **context},
        dedup_key=key,
        url="/dossiers/000.00.59.H00-260302-0001/",
    )


def sent_sms(person):
    return OutboundSms.objects.filter(phone=person.phone).count()


def test_notify_writes_the_message_in_the_recipients_language(person):
    notification = tell(person)

    assert notification.title == "Hồ sơ 000.00.59.H00-260302-0001 đã có kết quả"
    assert notification.link_label == "Xem, tải kết quả hoặc hẹn nhận"
    assert notification.language == "vi"
    assert set(notification.deliveries.values_list("channel", flat=True)) == {
        "email",
        "sms",
    }


def test_the_body_is_text_and_the_email_adds_the_labelled_address(
    person, django_capture_on_commit_callbacks
):
    """The page shows the body and a button; a raw address in it broke mid-word
    on a 360 px phone (issue 15). The email and the SMS, text only, carry it."""
    address = "https://dichvucong.test/dossiers/000.00.59.H00-260302-0001/"
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(person)

    assert "http" not in notification.body
    assert "/dossiers/" not in notification.body
    assert notification.email_body.endswith(
        f"\n\nXem, tải kết quả hoặc hẹn nhận: {address}"
    )
    assert mail.outbox[-1].body == notification.email_body
    assert address in notification.sms_text


def test_every_message_has_a_label_for_its_link_and_no_address_in_its_body(person):
    """Each template of notifications/messages, with the context its callers
    give (a code, a date, an amount): the body never carries the address."""
    import os

    from django.conf import settings

    folder = settings.BASE_DIR / "notifications" / "templates" / "notifications"
    templates = sorted(
        name
        for name in os.listdir(folder / "messages")
        if (folder / "messages" / name).is_dir() and name != "digest"
    )
    assert len(templates) >= 16
    for number, template in enumerate(templates):
        notification = tell(
            person,
            key=f"all-{number}",
            template=template,
            label="Bước liên thông đã có kết quả",
            new_due_at=timezone.now(),
            due_at=timezone.now(),
            lapse_day=timezone.localdate(),
            amount_vnd=7000,
            note="Thiếu giấy",
            unit="UBND xã An",
            applicant="Nguyễn Văn Công",
        )
        assert notification.link_label, template
        assert "dichvucong.test" not in notification.body, template
        assert "dichvucong.test" in notification.email_body, template


def test_an_english_speaker_gets_english(person):
    services.preference_update(user=person, email=True, sms=True, language="en")

    notification = tell(person)

    assert notification.title == "Dossier 000.00.59.H00-260302-0001 has its result"
    assert notification.language == "en"


def test_the_same_event_twice_is_one_notification(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = tell(person)
        second = tell(person)

    assert first.pk == second.pk
    assert len(callbacks) == 1  # one delivery task scheduled
    assert Notification.objects.count() == 1
    assert sent_sms(person) == 1
    assert len(mail.outbox) == 1


def test_delivery_sends_each_channel_once_even_when_run_twice(person):
    notification = tell(person)

    services.notification_deliver(notification_id=notification.pk)
    services.notification_deliver(notification_id=notification.pk)
    tasks.deliver_notification.delay(notification.pk)

    assert sent_sms(person) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == notification.title
    assert mail.outbox[0].to == ["cong@example.vn"]
    assert set(notification.deliveries.values_list("status", flat=True)) == {"sent"}


def test_the_sms_is_written_without_diacritics(person):
    notification = tell(person)

    services.notification_deliver(notification_id=notification.pk)

    text = OutboundSms.objects.get(phone=person.phone).text
    assert text.startswith("Ho so 000.00.59.H00-260302-0001 da co ket qua.")
    assert text.isascii()


def test_a_delivery_claimed_by_a_running_sender_is_left_alone(person):
    notification = tell(person)
    now = timezone.now()
    notification.deliveries.update(status="sending", claimed_at=now)

    services.notification_deliver(notification_id=notification.pk, now=now)

    assert sent_sms(person) == 0
    assert len(mail.outbox) == 0


def test_a_crashed_senders_claim_is_taken_over_after_the_lease(person, settings):
    notification = tell(person)
    now = timezone.now()
    old = now - datetime.timedelta(seconds=settings.NOTIFY_CLAIM_LEASE_SECONDS + 1)
    notification.deliveries.update(status="sending", claimed_at=old, attempts=1)

    services.notification_deliver(notification_id=notification.pk, now=now)

    assert sent_sms(person) == 1
    assert set(notification.deliveries.values_list("attempts", flat=True)) == {2}


def test_a_failing_gateway_is_retried_then_failed_for_good(person, settings, caplog):
    settings.SMS_BACKEND = "accounts.adapters.sms.FailingSmsBackend"
    notification = tell(person)

    tasks.deliver_notification.delay(notification.pk)

    sms = notification.deliveries.get(channel="sms")
    email = notification.deliveries.get(channel="email")
    assert (sms.status, sms.attempts) == ("failed", settings.NOTIFY_MAX_ATTEMPTS)
    assert "sms" in sms.error
    assert email.status == "sent"
    assert len(mail.outbox) == 1  # the email was not sent again by the retries
    assert "failed for good" in caplog.text


def test_an_unreachable_channel_is_not_used(citizen):
    # No email address on the account: only SMS.
    notification = tell(citizen)

    assert list(notification.deliveries.values_list("channel", flat=True)) == ["sms"]


def test_channels_follow_the_persons_choice(person):
    services.preference_update(user=person, email=False, sms=False, language="vi")

    notification = tell(person)

    assert notification is not None  # the in-app notification is always there
    assert not notification.deliveries.exists()


def test_an_inactive_person_gets_nothing(person):
    person.is_active = False
    person.save()

    assert tell(person) is None
    assert not Notification.objects.exists()


def test_many_messages_in_a_window_become_one_digest(person, settings):
    settings.NOTIFY_THROTTLE_MAX = 3
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(6):
            notification = tell(person, key=f"k{number}")
            services.notification_deliver(notification_id=notification.pk)

    assert sent_sms(person) == 3
    held = Delivery.objects.filter(channel="sms", status="held")
    assert held.count() == 3

    # Still inside the window: nothing more goes out.
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        assert services.digests_send() == 0
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        assert services.digests_send() == 2  # one SMS, one email
        assert services.digests_send() == 0

    assert sent_sms(person) == 4
    digest = Digest.objects.get(channel="sms")
    assert (digest.count, digest.status) == (3, "sent")
    assert "3 thong bao moi" in OutboundSms.objects.order_by("-pk").first().text
    assert not Delivery.objects.filter(status="held").exists()
    assert len(mail.outbox) == 4
    assert "Bạn có 3 thông báo mới" in mail.outbox[-1].subject


def test_a_failed_digest_keeps_the_messages_for_the_next_try(person, settings):
    settings.NOTIFY_THROTTLE_MAX = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for number in range(3):
            services.notification_deliver(
                notification_id=tell(person, key=f"k{number}").pk
            )
    settings.SMS_BACKEND = "accounts.adapters.sms.FailingSmsBackend"

    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        services.digests_send()

    assert Digest.objects.get(channel="sms").status == "failed"
    assert Delivery.objects.filter(channel="sms", status="held").count() == 2


def test_stuck_deliveries_are_scheduled_again(person, settings):
    notification = tell(person)  # its task was never run (the broker lost it)
    later = timezone.now() + datetime.timedelta(
        seconds=settings.NOTIFY_RESUME_AFTER_SECONDS + 1
    )

    with time_machine.travel(later, tick=False):
        resumed = services.deliveries_resume()

    assert resumed == [notification.pk]
    assert sent_sms(person) == 1  # in-process tasks: sent at once


def test_preferences_are_saved_and_checked(person):
    services.preference_update(user=person, email=False, sms=True, language="en")

    preference = Preference.objects.get(user=person)
    assert (preference.email, preference.sms, preference.language) == (
        False,
        True,
        "en",
    )
    with pytest.raises(ValueError, match="unknown language"):
        services.preference_update(user=person, email=True, sms=True, language="fr")


# --- Addresses (accounts/addresses.py) ---------------------------------------------


def test_without_portal_url_the_link_is_at_the_address_of_the_causing_request(
    person, settings, rf
):
    from accounts.addresses import PublicAddressMiddleware

    settings.PORTAL_URL = ""
    made = []

    def view(request):
        made.append(tell(person))

    PublicAddressMiddleware(view)(rf.get("/", HTTP_HOST="127.0.0.1:8123"))

    assert "http://127.0.0.1:8123/dossiers/000.00.59.H00-260302-0001/" in (
        made[0].email_body
    )


def test_a_periodic_task_without_portal_url_gives_the_path_not_a_made_up_host(
    person, settings
):
    settings.PORTAL_URL = ""

    notification = tell(person)

    assert "/dossiers/000.00.59.H00-260302-0001/" in notification.email_body
    assert "http" not in notification.email_body


def test_notifications_made_before_the_label_lose_the_address_line(person):
    """The data migration: a body ending "Xem hồ sơ: <address>" keeps its text,
    the line's words become the label; a body without it is left alone."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "notifications.migrations.0002_notification_link_label"
    )
    address = "https://dichvucong.test/dossiers/000.00.59.H00-260302-0001/"
    old = tell(person, key="old")
    Notification.objects.filter(pk=old.pk).update(
        body=f"Hồ sơ đã có kết quả.\n\nNộp bổ sung tại: {address}", link_label=""
    )
    plain = tell(person, key="plain")

    migration.address_out_of_the_body(apps, None)

    old.refresh_from_db()
    assert (old.body, old.link_label) == ("Hồ sơ đã có kết quả.", "Nộp bổ sung")
    assert old.email_body.endswith(f"Nộp bổ sung: {address}")
    assert Notification.objects.get(pk=plain.pk).body == plain.body
