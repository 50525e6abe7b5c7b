"""Sending notifications: each channel's delivery exactly once, throttled per
person (held messages go into a digest), the resume of stuck deliveries, and
the digests."""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User

from ..channels import SENDERS, ChannelError, ChannelUnavailable
from ..models import Delivery, Digest, Notification
from .notifying import (
    Rendered,
    message_url,
    person_lock,
    preference_for,
    render_message,
)

# One logger for the package, as when it was one module.
logger = logging.getLogger("notifications.services")


# --- Delivery ---------------------------------------------------------------------


def _window_start(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(minutes=settings.NOTIFY_THROTTLE_WINDOW_MINUTES)


def _recent_messages(recipient_id: int, channel: str, now: datetime.datetime) -> int:
    """Messages sent (or being sent) to the person on the channel in the window;
    a digest counts as one."""
    since = _window_start(now)
    busy = [Delivery.Status.SENT, Delivery.Status.SENDING]
    single = Delivery.objects.filter(
        notification__recipient_id=recipient_id,
        channel=channel,
        status__in=busy,
        claimed_at__gte=since,
    ).count()
    digests = Digest.objects.filter(
        recipient_id=recipient_id,
        channel=channel,
        status__in=[Digest.Status.SENT, Digest.Status.SENDING],
        created_at__gte=since,
    ).count()
    return single + digests


def _held(recipient_id: int, channel: str) -> bool:
    return Delivery.objects.filter(
        notification__recipient_id=recipient_id,
        channel=channel,
        status=Delivery.Status.HELD,
    ).exists()


def _claimable(now: datetime.datetime) -> Q:
    lease = datetime.timedelta(seconds=settings.NOTIFY_CLAIM_LEASE_SECONDS)
    return Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - lease
    )


CLAIMED = "claimed"
HELD = "held"


@transaction.atomic
def _claim(delivery: Delivery, now: datetime.datetime) -> str | None:
    """Claim one delivery for sending: "claimed", "held" (throttled), or None when
    someone else has it or it is done."""
    recipient = delivery.notification.recipient
    person_lock(recipient.pk)
    rows = Delivery.objects.filter(pk=delivery.pk).filter(_claimable(now))
    if not rows.exists():
        return None
    limit = settings.NOTIFY_THROTTLE_MAX
    if limit > 0 and (
        _held(recipient.pk, delivery.channel)
        or _recent_messages(recipient.pk, delivery.channel, now) >= limit
    ):
        rows.update(status=Delivery.Status.HELD, claimed_at=now)
        return HELD
    claimed = rows.update(
        status=Delivery.Status.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return CLAIMED if claimed else None


def notification_deliver(
    *, notification_id: int, now: datetime.datetime | None = None
) -> list[str]:
    """Send the notification on each channel not sent yet; the channels that
    failed for now and should be tried again (empty when all is done)."""
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return []
    retry: list[str] = []
    for delivery in notification.deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ):
        delivery.notification = notification
        claimed_at = now or timezone.now()
        if _claim(delivery, claimed_at) != CLAIMED:
            continue
        mine = Delivery.objects.filter(
            pk=delivery.pk, status=Delivery.Status.SENDING, claimed_at=claimed_at
        )
        try:
            provider_id = SENDERS[delivery.channel].send(
                recipient=notification.recipient,
                title=notification.title,
                body=notification.email_body,
                sms_text=notification.sms_text,
            )
        except ChannelUnavailable as exc:
            mine.update(status=Delivery.Status.FAILED, error=str(exc)[:300])
            continue
        except ChannelError as exc:
            attempts = Delivery.objects.get(pk=delivery.pk).attempts
            if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
                mine.update(status=Delivery.Status.FAILED, error=str(exc)[:300])
                logger.error(
                    "notification %s %s failed for good after %d attempts",
                    notification.pk,
                    delivery.channel,
                    attempts,
                )
            else:
                mine.update(status=Delivery.Status.PENDING, error=str(exc)[:300])
                retry.append(delivery.channel)
            continue
        mine.update(
            status=Delivery.Status.SENT,
            sent_at=timezone.now(),
            provider_id=provider_id[:200],
            error="",
        )
        logger.info(
            "notification %s sent by %s (%s)",
            notification.pk,
            delivery.channel,
            notification.event_key,
        )
    return retry


def deliveries_resume(*, now: datetime.datetime | None = None) -> list[int]:
    """Notifications whose delivery is stuck (its task lost with the broker, or
    its sender crashed mid-send): schedule them again. Claims keep this safe."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=settings.NOTIFY_RESUME_AFTER_SECONDS)
    lease = datetime.timedelta(seconds=settings.NOTIFY_CLAIM_LEASE_SECONDS)
    stuck = Delivery.objects.filter(
        Q(status=Delivery.Status.PENDING, created_at__lt=grace)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
    )
    ids = sorted(set(stuck.values_list("notification_id", flat=True)))[:500]
    if ids:
        from ..tasks import deliver_notification

        for notification_id in ids:
            deliver_notification.delay(notification_id)
    return ids


# --- Digests ----------------------------------------------------------------------


def _digest_text(recipient: Any, notifications: list[Notification]) -> Rendered:
    if len(notifications) == 1:
        only = notifications[0]
        return Rendered(only.title, only.email_body, only.sms_text)
    language = preference_for(recipient).language
    items = [
        {"title": n.title, "link": message_url(n.url), "created_at": n.created_at}
        for n in notifications
    ]
    return render_message(
        "digest",
        {
            "count": len(items),
            "items": items,
            "link": message_url("/notifications/"),
        },
        language,
    )


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Send what the throttle held back: one message per person and channel with
    everything held, as soon as the window allows one more. The number sent."""
    now = now or timezone.now()
    pairs = (
        Delivery.objects.filter(status=Delivery.Status.HELD)
        .values_list("notification__recipient_id", "channel")
        .distinct()
    )
    sent = 0
    for recipient_id, channel in sorted(set(pairs)):
        with transaction.atomic():
            person_lock(recipient_id)
            recipient = User.objects.get(pk=recipient_id)
            if _recent_messages(recipient_id, channel, now) >= max(
                settings.NOTIFY_THROTTLE_MAX, 1
            ):
                continue
            held = list(
                Delivery.objects.filter(
                    notification__recipient_id=recipient_id,
                    channel=channel,
                    status=Delivery.Status.HELD,
                )
                .select_related("notification")
                .order_by("notification__created_at", "pk")
            )
            if not held:
                continue
            digest = Digest.objects.create(
                recipient=recipient,
                channel=channel,
                status=Digest.Status.SENDING,
                count=len(held),
                created_at=now,
            )
            Delivery.objects.filter(
                pk__in=[d.pk for d in held], status=Delivery.Status.HELD
            ).update(status=Delivery.Status.DIGESTED, digest=digest)
        text = _digest_text(recipient, [d.notification for d in held])
        try:
            provider_id = SENDERS[channel].send(
                recipient=recipient,
                title=text.title,
                body=text.body,
                sms_text=text.sms_text,
            )
        except (ChannelError, ChannelUnavailable) as exc:
            with transaction.atomic():
                Digest.objects.filter(pk=digest.pk).update(
                    status=Digest.Status.FAILED, error=str(exc)[:300]
                )
                digest.deliveries.update(status=Delivery.Status.HELD, digest=None)
            continue
        Digest.objects.filter(pk=digest.pk).update(
            status=Digest.Status.SENT, sent_at=timezone.now(), provider_id=provider_id
        )
        Delivery.objects.filter(digest=digest).update(sent_at=timezone.now())
        sent += 1
    return sent
