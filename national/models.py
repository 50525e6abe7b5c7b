"""What the portal tells the National Public Service Portal, and what the
development twin of that portal received (docs/national-portal.md).

`OutboxEntry`: one per event of a dossier, written in the event's transaction
(national.listeners), delivered in order per dossier by the worker, each under an
idempotency key the national side keeps. `NationalLink`: a dossier's row for the
national side, the lock one delivery holds so that a dossier's events leave one
at a time and in order.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import RemoteWrite


class SyncState(models.TextChoices):
    PENDING = "pending", _("Đang chờ đồng bộ")
    DELIVERED = "delivered", _("Đã đồng bộ")
    FAILED = "failed", _("Đồng bộ không thành công")


class NationalLink(models.Model):
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="national_link",
    )
    # The code the national portal gave a dossier filed there; empty for a
    # dossier filed here, which the national side knows by its own code.
    national_code = models.CharField(
        _("mã hồ sơ trên Cổng quốc gia"), max_length=64, blank=True
    )
    # The papers of a dossier filed there, by reference to the citizen's
    # e-document store there: [{"title": ..., "reference": ...}].
    papers = models.JSONField(_("giấy tờ tham chiếu"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("liên kết Cổng Dịch vụ công quốc gia")
        verbose_name_plural = _("liên kết Cổng Dịch vụ công quốc gia")
        constraints = [
            models.UniqueConstraint(
                fields=["national_code"],
                condition=~Q(national_code=""),
                name="nationallink_national_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.national_code or str(self.dossier_id)


class OutboxEntry(models.Model):
    """One event of a dossier as the national portal is told it."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    event = models.OneToOneField(
        "dossiers.Event",
        verbose_name=_("sự kiện"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The idempotency key the national side keeps: the same key twice is applied once.
    key = models.CharField(_("khóa chống trùng"), max_length=120, unique=True)
    payload = models.JSONField(_("dữ liệu gửi"))
    state = models.CharField(
        _("trạng thái đồng bộ"),
        max_length=10,
        choices=SyncState.choices,
        default=SyncState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"))
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    delivered_at = models.DateTimeField(_("thời điểm đồng bộ"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện chờ đồng bộ lên Cổng quốc gia")
        verbose_name_plural = _("sự kiện đồng bộ lên Cổng quốc gia")
        ordering = ["dossier_id", "event_id"]
        permissions = [
            (
                "handle_failed_syncs",
                _("Xem và gửi lại sự kiện đồng bộ lên Cổng quốc gia không thành công"),
            ),
        ]
        indexes = [
            # The reconciler's and the delivery's look-ups: what still waits.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="outbox_pending_due",
            ),
            models.Index(fields=["dossier", "state"], name="outbox_dossier_state"),
        ]

    def __str__(self) -> str:
        return self.key


class TwinReceipt(RemoteWrite):
    """An event the development twin of the national portal received
    (`/dvcqg-sandbox/`)."""

    dossier_code = models.CharField(_("mã hồ sơ"), max_length=64, db_index=True)
    status = models.CharField(_("mã trạng thái"), max_length=20)
    action = models.CharField(_("thao tác"), max_length=32)
    event_at = models.DateTimeField(_("thời điểm sự kiện"))
    # The sender's order of the dossier's events (the event's id here): an event
    # received after a later one of the same dossier is marked, never reordered.
    sequence = models.BigIntegerField(_("thứ tự"))
    out_of_order = models.BooleanField(_("đến sai thứ tự"), default=False)

    class Meta:
        verbose_name = _("sự kiện Cổng quốc gia mẫu đã nhận")
        verbose_name_plural = _("sự kiện Cổng quốc gia mẫu đã nhận")
        ordering = ["dossier_code", "sequence"]

    def __str__(self) -> str:
        return f"{self.dossier_code} {self.status}"


class TwinStoreSource(models.TextChoices):
    DEMO = "demo", _("Giấy tờ mẫu")
    RESULT = "result", _("Kết quả giải quyết thủ tục")


class TwinStorePaper(RemoteWrite):
    """A paper in a citizen's e-document store on the development twin of the
    national portal: demo papers (seed_demo) and the results pushed to it."""

    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12)
    reference = models.CharField(_("mã tham chiếu"), max_length=80, unique=True)
    title = models.CharField(_("tên giấy tờ"), max_length=200)
    doc_type = models.CharField(_("loại giấy tờ"), max_length=30)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_by = models.CharField(_("cơ quan cấp"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    content = models.BinaryField(_("nội dung"))
    source = models.CharField(
        _("nguồn"), max_length=10, choices=TwinStoreSource.choices
    )

    class Meta:
        verbose_name = _("giấy tờ trong kho Cổng quốc gia mẫu")
        verbose_name_plural = _("giấy tờ trong kho Cổng quốc gia mẫu")
        ordering = ["personal_id", "created_at", "pk"]
        indexes = [models.Index(fields=["personal_id"], name="twinstore_personal_id")]

    def __str__(self) -> str:
        return f"{self.personal_id} {self.title}"
