"""Notifications: what one person is told about one event, and how each channel
delivered it.

One event is one `Notification` per recipient (unique dedup key): the in-app
message the bell shows. Each other channel (email, SMS) has one `Delivery` row,
claimed with a conditional UPDATE before anything is sent, so a task that runs
twice sends nothing twice. Messages held back by the throttle go out together in
one `Digest`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("Trên Cổng")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


# Channels that send a message out of the portal (in-app is the Notification row).
OUTBOUND = (Channel.EMAIL, Channel.SMS)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # What happened, e.g. "dossier.received" (for filters and the API).
    event_key = models.CharField(_("sự kiện"), max_length=64)
    template = models.CharField(_("mẫu"), max_length=64)
    # One event, one notification per person: a second notify() with the same
    # key changes nothing.
    dedup_key = models.CharField(_("khóa chống trùng"), max_length=200)
    language = models.CharField(_("ngôn ngữ"), max_length=8)
    context = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    sms_text = models.TextField(_("nội dung tin nhắn"), blank=True)
    # A path on the portal (the dossier page, the queue).
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    # What following `url` does, in words ("Xem hồ sơ"): the page shows a button
    # with it, the email a line "label: address". The body holds no address.
    link_label = models.CharField(_("nhãn đường dẫn"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"], name="notification_dedup"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.event_key}"

    @property
    def email_body(self) -> str:
        """The body as sent by email: the text, then the link's label and the
        absolute address given when the notification was made."""
        link = self.context.get("link") or self.url
        if not link:
            return self.body
        return f"{self.body}\n\n{self.link_label or self.url}: {link}"


class Digest(models.Model):
    """Several held messages sent as one (the throttle's digest)."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices)
    count = models.PositiveIntegerField(_("số thông báo"))
    created_at = models.DateTimeField(_("tạo lúc"), db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    provider_id = models.CharField(
        _("mã tin của nhà cung cấp"), max_length=200, blank=True
    )
    error = models.CharField(_("lỗi"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bản tổng hợp thông báo")
        verbose_name_plural = _("bản tổng hợp thông báo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.channel} {self.count}"


class Delivery(models.Model):
    """One notification sent (or held, skipped, failed) through one channel."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        HELD = "held", _("Giữ lại để gửi gộp")
        DIGESTED = "digested", _("Đã gửi gộp")
        FAILED = "failed", _("Gửi lỗi, không thử lại")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # When the current sender claimed it; an old claim is a crashed sender's.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    provider_id = models.CharField(
        _("mã tin của nhà cung cấp"), max_length=200, blank=True
    )
    error = models.CharField(_("lỗi"), max_length=300, blank=True)
    digest = models.ForeignKey(
        Digest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần gửi thông báo")
        verbose_name_plural = _("lần gửi thông báo")
        ordering = ["created_at", "pk"]
        constraints = [
            # One event, one message per channel.
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in OUTBOUND]),
                name="delivery_channel_outbound",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class Preference(models.Model):
    """Which channels a person wants, besides the portal's own list, and in which
    language messages are written to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("nhận qua thư điện tử"), default=True)
    sms = models.BooleanField(_("nhận qua tin nhắn SMS"), default=True)
    language = models.CharField(
        _("ngôn ngữ của thông báo"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="vi",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cài đặt nhận thông báo")
        verbose_name_plural = _("cài đặt nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user_id} {self.language}"
