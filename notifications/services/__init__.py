"""Writes of notifications: `notify` (the one entry point for every app), the
delivery of each channel exactly once, the digest of held messages, reading
(a package by concept; import from `notifications.services`).

`notify(*, recipient, event_key, template, context, dedup_key)` records the
in-app notification in the caller's transaction and schedules its delivery
after commit. Delivery claims each channel's row with a conditional UPDATE
before sending and records the send, so a task that runs twice (a redelivered
message, a retry, the periodic resume) never sends twice.

- notifying.py: preferences, rendering a message, `notify`, marking as read
- delivery.py: `notification_deliver`, `deliveries_resume`, `digests_send`
"""

from .delivery import (
    CLAIMED,
    HELD,
    deliveries_resume,
    digests_send,
    notification_deliver,
)
from .notifying import (
    TEMPLATE_DIR,
    Rendered,
    notification_mark_read,
    notifications_mark_all_read,
    notify,
    preference_for,
    preference_update,
    render_message,
)

__all__ = [
    "CLAIMED",
    "HELD",
    "TEMPLATE_DIR",
    "Rendered",
    "deliveries_resume",
    "digests_send",
    "notification_deliver",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notify",
    "preference_for",
    "preference_update",
    "render_message",
]
