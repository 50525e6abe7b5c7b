"""Writes of notifications: `notify` (the one entry point for every app), the
delivery of each channel exactly once, the digest of held messages, reading.

`notify(*, recipient, event_key, template, context, dedup_key)` records the
in-app notification in the caller's transaction and schedules its delivery
after commit. Delivery claims each channel's row with a conditional UPDATE
before sending and records the send, so a task that runs twice (a redelivered
message, a retry, the periodic resume) never sends twice.
"""

import datetime
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.addresses import absolute_url
from accounts.models import User
from tasking import publish_on_commit

from .channels import SENDERS, ChannelError, ChannelUnavailable
from .models import OUTBOUND, Delivery, Digest, Notification, Preference

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "notifications/messages"


# --- Preferences ------------------------------------------------------------------


def preference_for(user: Any) -> Preference:
    """The person's preferences; the defaults (unsaved) when never chosen."""
    preference = Preference.objects.filter(user=user).first()
    return preference or Preference(user=user)


@transaction.atomic
def preference_update(
    *, user: Any, email: bool, sms: bool, language: str
) -> Preference:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    preference, _created = Preference.objects.select_for_update().get_or_create(
        user=user
    )
    preference.email = email
    preference.sms = sms
    preference.language = language
    preference.save()
    return preference


def _lock_person(user_id: int) -> None:
    """Lock the person's row: deliveries to one person are throttled one at a
    time (a no-op on SQLite, whose writers are serial anyway)."""
    User.objects.select_for_update().filter(pk=user_id).values_list("pk").first()


# --- Rendering --------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    sms_text: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_message(template: str, context: dict[str, Any], language: str) -> Rendered:
    """The message in `language`: title (subject, bell), body (email, list page)
    and the SMS text, from notifications/messages/<template>/*.txt."""
    parts: dict[str, str] = {}
    with translation.override(language):
        for part in ("title", "body", "sms"):
            name = f"{TEMPLATE_DIR}/{template}/{part}.txt"
            parts[part] = str(render_to_string(name, context))
    body = re.sub(r"\n{3,}", "\n\n", parts["body"].strip())
    return Rendered(
        title=_one_line(parts["title"]), body=body, sms_text=_one_line(parts["sms"])
    )


def _absolute(url: str) -> str:
    # PORTAL_URL, else the address of the request (or task) that caused the
    # message; a periodic task without PORTAL_URL leaves the path alone.
    return absolute_url(url) if url else url


# --- notify -----------------------------------------------------------------------


def _channels(recipient: Any, preference: Preference) -> list[str]:
    wanted = {"email": preference.email, "sms": preference.sms}
    return [
        channel
        for channel in OUTBOUND
        if wanted[channel] and SENDERS[channel].reachable(recipient)
    ]


@transaction.atomic
def notify(
    *,
    recipient: Any,
    event_key: str,
    template: str,
    context: dict[str, Any],
    dedup_key: str,
    url: str = "",
) -> Notification | None:
    """Tell `recipient` about one event, once.

    The notification (the in-app message) is written in the caller's transaction,
    in the recipient's language, with one delivery row per channel they chose
    (email, SMS) and can be reached by; the sending is scheduled after commit.
    The same `dedup_key` for the same person again returns the first notification
    and sends nothing. `context` must be JSON-serialisable once rendered (dates,
    numbers, strings); `url` is a path on the portal. Inactive people get nothing.
    """
    if recipient is None or not getattr(recipient, "is_active", False):
        return None
    existing = Notification.objects.filter(
        recipient=recipient, dedup_key=dedup_key
    ).first()
    if existing is not None:
        return existing
    preference = preference_for(recipient)
    language = preference.language
    context = {**context, "link": _absolute(url)}
    rendered = render_message(template, context, language)
    stored = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    notification, created = Notification.objects.get_or_create(
        recipient=recipient,
        dedup_key=dedup_key,
        defaults={
            "event_key": event_key,
            "template": template,
            "language": language,
            "context": stored,
            "title": rendered.title,
            "body": rendered.body,
            "sms_text": rendered.sms_text,
            "url": url,
        },
    )
    if not created:
        return notification
    channels = _channels(recipient, preference)
    Delivery.objects.bulk_create(
        [Delivery(notification=notification, channel=c) for c in channels]
    )
    if channels:
        from .tasks import deliver_notification

        # With the broker down the deliveries stay pending and the resume task
        # sends them; what was committed must not end in a 500.
        publish_on_commit(
            deliver_notification,
            [notification.pk],
            logger=logger,
            what=f"notification {notification.pk}",
            then="left to the resume task",
        )
    return notification


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
    _lock_person(recipient.pk)
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
                body=notification.body,
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
        from .tasks import deliver_notification

        for notification_id in ids:
            deliver_notification.delay(notification_id)
    return ids


# --- Digests ----------------------------------------------------------------------


def _digest_text(recipient: Any, notifications: list[Notification]) -> Rendered:
    if len(notifications) == 1:
        only = notifications[0]
        return Rendered(only.title, only.body, only.sms_text)
    language = preference_for(recipient).language
    items = [
        {"title": n.title, "link": _absolute(n.url), "created_at": n.created_at}
        for n in notifications
    ]
    return render_message(
        "digest",
        {
            "count": len(items),
            "items": items,
            "link": _absolute("/notifications/"),
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
            _lock_person(recipient_id)
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


# --- Reading ----------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, user: Any) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
