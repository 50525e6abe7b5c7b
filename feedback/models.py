"""Citizens' feedback and recommendations (phản ánh, kiến nghị, "PAKN").

A feedback is routed to one organisation unit, answered within the working days
its kind allows, and may be published with personal data removed. Its status
moves only through `services.feedback_transition` (the table `TRANSITIONS`), each
move an append-only `FeedbackEvent`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROCEDURE = "procedure", _("Về thủ tục hành chính")
    DOSSIER = "dossier", _("Về hồ sơ đã nộp")
    CONDUCT = "conduct", _("Về thái độ, hành vi của cán bộ")
    REGULATION = "regulation", _("Về quy định hành chính")


# Working days for an answer, per kind: the portal's defaults (decision 217). The
# national service index counts feedback handled within 15 working days as on time
# (QĐ 766, sub-indicator 5.2: docs/feedback.md); a dossier and an officer's conduct
# are about one case in progress and get less. To become dated data in the admin
# with the rule sets (issue 17).
DUE_WORKING_DAYS = {
    Kind.PROCEDURE: 15,
    Kind.DOSSIER: 10,
    Kind.CONDUCT: 10,
    Kind.REGULATION: 15,
}


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ANSWERED = "answered", _("Đã trả lời")
    # Moderation: the sender sees the state and its reason.
    HIDDEN = "hidden", _("Đã ẩn")
    DUPLICATE = "duplicate", _("Trùng lặp")
    OUT_OF_SCOPE = "out_of_scope", _("Không thuộc phạm vi")


MODERATED = frozenset({Status.HIDDEN, Status.DUPLICATE, Status.OUT_OF_SCOPE})

# from -> the states it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.ANSWERED, *MODERATED}),
    Status.ANSWERED: frozenset({Status.HIDDEN}),
    # Restored: to where it was (answered when it had an answer).
    Status.HIDDEN: frozenset({Status.RECEIVED, Status.ANSWERED}),
    Status.DUPLICATE: frozenset({Status.RECEIVED}),
    Status.OUT_OF_SCOPE: frozenset({Status.RECEIVED}),
}


class Feedback(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    kind = models.CharField(_("loại phản ánh"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi (tài khoản)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_sent",
    )
    # Anonymous senders: the phone confirmed by an SMS code, and a name if given.
    sender_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    sender_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    # Conduct feedback: the officer it is about never sees it.
    officer_concerned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ bị phản ánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    publish_consent = models.BooleanField(
        _("đồng ý công khai nội dung trả lời"), default=False
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"), default=timezone.now)
    due_date = models.DateField(_("hạn trả lời"))
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set at the answer: its local day against the due date (the counts read it).
    on_time = models.BooleanField(_("trả lời đúng hạn"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    # The redacted text the public reads (personal data removed at publication).
    public_content = models.TextField(_("nội dung công khai"), blank=True)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    moderation_reason = models.CharField(
        _("lý do (người gửi xem được)"), max_length=500, blank=True
    )
    reminded_at = models.DateTimeField(_("nhắc hạn lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(
        _("báo lãnh đạo khi quá hạn lúc"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["org_unit", "status", "due_date"]),
            models.Index(fields=["procedure", "published_at"]),
            models.Index(fields=["sender_phone", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["procedure", "dossier", "conduct", "regulation"]
                ),
                name="feedback_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "received",
                        "answered",
                        "hidden",
                        "duplicate",
                        "out_of_scope",
                    ]
                ),
                name="feedback_status_known",
            ),
            # Every feedback has a way back to its sender.
            models.CheckConstraint(
                condition=models.Q(sender__isnull=False) | ~models.Q(sender_phone=""),
                name="feedback_has_sender",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | (
                    models.Q(publish_consent=True) & models.Q(answered_at__isnull=False)
                ),
                name="feedback_published_only_with_consent_and_answer",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="answered")
                | models.Q(answered_at__isnull=False),
                name="feedback_answered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("feedback:feedback-work", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == Status.RECEIVED

    @property
    def is_moderated(self) -> bool:
        return self.status in MODERATED

    def answered_on_time(self) -> bool | None:
        """True/False once answered; None while open."""
        if self.answered_at is None:
            return None
        return timezone.localdate(self.answered_at) <= self.due_date

    def is_late(self, today: datetime.date | None = None) -> bool:
        """Answered after the due date, or open past it."""
        if self.answered_at is not None:
            return not self.answered_on_time()
        if self.status != Status.RECEIVED:
            return False
        return (today or timezone.localdate()) > self.due_date


class FeedbackEvent(models.Model):
    """One move or action on a feedback (append-only)."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("thao tác"), max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("sự kiện phản ánh")
        verbose_name_plural = _("sự kiện phản ánh")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.action}"


class FeedbackAttachment(models.Model):
    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("tệp"), upload_to="feedback/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tệp kèm phản ánh")
        verbose_name_plural = _("tệp kèm phản ánh")

    def __str__(self) -> str:
        return self.name
