"""Making notifications: each person's preferences, rendering a message in their
language, `notify` (the one entry point for every app), marking as read."""

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.addresses import absolute_url
from accounts.models import User
from portal.db import PreparedRead
from tasking import publish_on_commit

from ..channels import SENDERS
from ..models import OUTBOUND, Delivery, Notification, Preference

# One logger for the package, as when it was one module.
logger = logging.getLogger("notifications.services")


TEMPLATE_DIR = "notifications/messages"


# --- Preferences ------------------------------------------------------------------


def preference_for(user: Any) -> Preference:
    """The person's preferences; the defaults (unsaved) when never chosen. Read
    for every message: compiled once (portal.db.PreparedRead)."""
    found: Preference | None = _PREFERENCE.first(user=user.pk)
    return found if found is not None else Preference(user=user)


# Whether this person was told of this already, at every notification: compiled
# once (decision 336).
_TOLD = PreparedRead(
    lambda recipient, key: Notification.objects.filter(
        recipient_id=recipient, dedup_key=key
    ).order_by("pk")[:1],
    recipient=int,
    key=str,
)

_PREFERENCE = PreparedRead(
    lambda user: Preference.objects.filter(user=user)[:1], user=int
)


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


def person_lock(user_id: int) -> None:
    """Lock the person's row: deliveries to one person are throttled one at a
    time (a no-op on SQLite, whose writers are serial anyway)."""
    User.objects.select_for_update().filter(pk=user_id).values_list("pk").first()


# --- Rendering --------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    sms_text: str
    link_label: str = ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_message(template: str, context: dict[str, Any], language: str) -> Rendered:
    """The message in `language`: title (subject, bell), body (email, list page),
    the SMS text and the label of its link, from
    notifications/messages/<template>/*.txt. The body holds no address: the page
    shows the label as a button, the email adds "label: address" (issue 15: raw
    addresses broke mid-word on a phone); the SMS, text only, keeps it."""
    parts: dict[str, str] = {}
    with translation.override(language):
        for part in ("title", "body", "sms", "link"):
            name = f"{TEMPLATE_DIR}/{template}/{part}.txt"
            if part == "link" and template == "digest":
                continue
            parts[part] = str(render_to_string(name, context))
    body = re.sub(r"\n{3,}", "\n\n", parts["body"].strip())
    return Rendered(
        title=_one_line(parts["title"]),
        body=body,
        sms_text=_one_line(parts["sms"]),
        link_label=_one_line(parts.get("link", "")),
    )


def message_url(url: str) -> str:
    """A message's link as an absolute address: PORTAL_URL, else the address of
    the request (or task) that caused the message; a periodic task without
    PORTAL_URL leaves the path alone."""
    return absolute_url(url) if url else url


# --- notify -----------------------------------------------------------------------


def _channels(recipient: Any, preference: Preference) -> list[str]:
    wanted = {"email": preference.email, "sms": preference.sms}
    return [
        channel
        for channel in OUTBOUND
        if wanted[channel] and SENDERS[channel].reachable(recipient)
    ]


# No savepoint of its own: in a transition, a failure aborts the transition whole
# (decision 336); alone, it is its own transaction.
@transaction.atomic(savepoint=False)
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
    existing: Notification | None = _TOLD.first(recipient=recipient.pk, key=dedup_key)
    if existing is not None:
        return existing
    preference = preference_for(recipient)
    language = preference.language
    context = {**context, "link": message_url(url)}
    rendered = render_message(template, context, language)
    stored = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    try:
        # Checked above; a savepoint for the same event told at once elsewhere,
        # without get_or_create's second look-up of what was just looked up.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                dedup_key=dedup_key,
                event_key=event_key,
                template=template,
                language=language,
                context=stored,
                title=rendered.title,
                body=rendered.body,
                sms_text=rendered.sms_text,
                url=url,
                link_label=rendered.link_label,
            )
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, dedup_key=dedup_key)
    channels = _channels(recipient, preference)
    Delivery.objects.bulk_create(
        [Delivery(notification=notification, channel=c) for c in channels]
    )
    if channels:
        from ..tasks import deliver_notification

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
