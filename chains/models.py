"""A linked dossier's chain: one run per linked dossier, one step per member
procedure. The chain's whole state lives here (which step, attempts, last error,
next retry, lease), so the reconciler can resume every chain from the database
if the broker loses its messages (docs/linked-chains.md)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Đang thực hiện")
    # A step was refused or needs papers: the citizen has CHAIN_SUPPLEMENT_DAYS.
    WAITING_CITIZEN = "waiting_citizen", _("Chờ người nộp bổ sung, sửa hồ sơ")
    COMPLETED = "completed", _("Đã xong tất cả các bước")
    STOPPED = "stopped", _("Đã dừng")
    WITHDRAWN = "withdrawn", _("Người nộp đã rút hồ sơ")


FINAL_RUN_STATUSES = frozenset(
    {RunStatus.COMPLETED, RunStatus.STOPPED, RunStatus.WITHDRAWN}
)


class StepState(models.TextChoices):
    PENDING = "pending", _("Chờ bước trước")
    QUEUED = "queued", _("Đã chuyển, chờ xử lý")
    RUNNING = "running", _("Đang xử lý")
    RETRY_WAIT = "retry_wait", _("Hệ thống cơ quan chưa phản hồi, sẽ thử lại")
    WAITING_OFFICER = "waiting_officer", _("Chờ cán bộ xem xét")
    WAITING_CITIZEN = "waiting_citizen", _("Chờ người nộp bổ sung")
    FAILED = "failed", _("Chậm do lỗi kết nối, cán bộ đang xử lý")
    REFUSED = "refused", _("Bị từ chối")
    DONE = "done", _("Đã xong")
    CANCELLED = "cancelled", _("Đã hủy")


class LinkedGroupRule(models.Model):
    """Decree 63/2024 art. 7 for one linked group, dated by the day the linked
    dossier is received (like the one-stop rule sets of the rules app): the
    group's total limit (3 working days, 5 when verification is needed, for
    group 1) and the limits of each hand-over between the agencies' systems
    (synchronised within 10 minutes, acknowledged within 2 working hours).
    Editable in the admin; `verified` says whether the source was read
    (docs/linked-chains.md, decision 260)."""

    group_code = models.CharField(
        _("mã nhóm thủ tục liên thông"),
        max_length=20,
        help_text=_("Mã thủ tục của nhóm trong danh mục, ví dụ 3.000722."),
    )
    valid_from = models.DateField(
        _("áp dụng cho hồ sơ tiếp nhận từ ngày"), null=True, blank=True
    )
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    # Empty: the group has no total of its own (its steps' limits are summed).
    total_days = models.DecimalField(
        _("thời hạn của cả nhóm (ngày làm việc)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    total_days_with_verification = models.DecimalField(
        _("thời hạn khi cần xác minh (ngày làm việc)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    sync_minutes = models.PositiveSmallIntegerField(
        _("đồng bộ sang hệ thống tiếp theo trong (phút)"), default=10
    )
    ack_working_hours = models.DecimalField(
        _("hệ thống tiếp nhận phải phản hồi trong (giờ làm việc)"),
        max_digits=4,
        decimal_places=1,
        default=2,
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    verified = models.BooleanField(
        _("đã kiểm chứng"),
        default=False,
        help_text=_("Đã đọc chính văn bản quy định (không chỉ tin tức, tóm tắt)."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy tắc thời hạn nhóm liên thông")
        verbose_name_plural = _("quy tắc thời hạn nhóm liên thông")
        ordering = ["group_code", models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="linkedgrouprule_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(ack_working_hours__gt=0) & Q(sync_minutes__gt=0),
                name="linkedgrouprule_handoff_limits_positive",
            ),
        ]

    def __str__(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "…"
        return f"{self.group_code} ({start})"

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class ChainRun(models.Model):
    """The chain of one linked dossier (a dossier of a procedure of kind "linked")."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ liên thông"),
        on_delete=models.PROTECT,
        related_name="chain",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=RunStatus.choices,
        default=RunStatus.RUNNING,
        db_index=True,
    )
    # A step needs the commune police to verify (the group's longer total).
    verification = models.BooleanField(_("cần xác minh"), default=False)
    # The whole group's time limit (the linked dossier's own due date is the same).
    total_days = models.DecimalField(
        _("tổng thời hạn (ngày làm việc)"), max_digits=5, decimal_places=1
    )
    due_at = models.DateTimeField(_("hạn của cả nhóm"))
    # The art. 7 rule in force on the day the dossier was received (None: no
    # rule for the group; the catalogue's limit and the settings applied).
    limit_rule = models.ForeignKey(
        LinkedGroupRule,
        verbose_name=_("quy tắc thời hạn áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_steps = models.JSONField(_("cách tính hạn"), default=list, blank=True)
    # While WAITING_CITIZEN: the last moment to supplement or correct.
    supplement_due_at = models.DateTimeField(
        _("hạn bổ sung, sửa hồ sơ"), null=True, blank=True
    )
    started_at = models.DateTimeField(_("bắt đầu"))
    completed_at = models.DateTimeField(_("hoàn thành"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chuỗi liên thông")
        verbose_name_plural = _("chuỗi liên thông")
        ordering = ["-started_at"]
        permissions = [
            (
                "handle_failed_steps",
                _("Xem và chuyển lại các bước liên thông bị lỗi kết nối"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="chainrun_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.WAITING_CITIZEN)
                | Q(supplement_due_at__isnull=False),
                name="chainrun_waiting_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.status}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_RUN_STATUSES


class ChainStep(models.Model):
    """One member procedure of a linked dossier, done by one agency."""

    run = models.ForeignKey(
        ChainRun,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("chuỗi"),
    )
    order = models.PositiveSmallIntegerField(_("bước"))
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục thành phần"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The catalogue entry it came from (kept while the catalogue keeps it).
    linked_step = models.ForeignKey(
        "procedures.LinkedStep",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the step does (chains.steps.KINDS): "birth", "residence", ... or
    # "manual" for a member procedure an officer does entirely in the portal.
    kind = models.CharField(_("loại bước"), max_length=20)
    agency_type = models.CharField(_("loại cơ quan"), max_length=40)
    org_unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("cơ quan thực hiện"),
        on_delete=models.PROTECT,
        related_name="chain_steps",
    )
    # The step's dossier in that agency (its queue), opened when the step starts.
    sub_dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ của bước"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chain_step",
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=StepState.choices,
        default=StepState.PENDING,
        db_index=True,
    )
    # An officer of the unit decides before the agency's system is asked
    # (e.g. the commune police verify a residence).
    needs_officer = models.BooleanField(_("cần cán bộ xem xét"), default=False)
    # Resubmissions after a refusal: a new revision gets a new idempotency key.
    revision = models.PositiveSmallIntegerField(_("lần nộp"), default=1)
    attempts = models.PositiveSmallIntegerField(_("số lần gọi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    queued_at = models.DateTimeField(
        _("chuyển vào hàng đợi lúc"), null=True, blank=True
    )
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    lease_until = models.DateTimeField(_("hết hạn giữ lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    days = models.DecimalField(
        _("thời hạn (ngày làm việc)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    same_day = models.BooleanField(_("trong ngày"), default=False)
    # Where the limit came from: "catalogue", "standalone", "setting",
    # "verification" or "default" (docs/linked-chains.md).
    limit_source = models.CharField(max_length=20, blank=True)
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    # What was sent to the agency's system, and what it answered (the data the
    # next steps use: the child's personal ID number, the certificate, ...).
    request = models.JSONField(_("dữ liệu gửi đi"), default=dict, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    # The result's copy in the citizen's document store.
    stored_document = models.ForeignKey(
        "accounts.StoredDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who sent it back to the queue from the failed-handoff list, last.
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bước liên thông")
        verbose_name_plural = _("bước liên thông")
        ordering = ["run", "order"]
        constraints = [
            models.UniqueConstraint(fields=["run", "order"], name="chainstep_order"),
            models.CheckConstraint(
                condition=Q(state__in=StepState.values), name="chainstep_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state=StepState.RUNNING) | Q(lease_until__isnull=False),
                name="chainstep_running_has_lease",
            ),
            models.CheckConstraint(
                condition=~Q(state=StepState.RETRY_WAIT)
                | Q(next_attempt_at__isnull=False),
                name="chainstep_retry_has_time",
            ),
            models.CheckConstraint(
                condition=Q(state=StepState.PENDING)
                | Q(state=StepState.CANCELLED)
                | Q(sub_dossier__isnull=False),
                name="chainstep_started_has_dossier",
            ),
        ]
        indexes = [models.Index(fields=["state", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.order} {self.state}"

    @property
    def idempotency_key(self) -> str:
        """Stable across attempts and redeliveries of this revision; a
        resubmission after a refusal is a new request with a new key."""
        return f"chain-step-{self.pk}-r{self.revision}"


class HandoffBreach(models.TextChoices):
    SYNC = "sync", _("Chưa đồng bộ sang hệ thống tiếp nhận đúng hạn")
    ACK = "ack", _("Hệ thống tiếp nhận chưa xác nhận đúng hạn")


class Handoff(models.Model):
    """One hand-over of a linked dossier to the system of the agency that does a
    step (Decree 63/2024 art. 7(4)): ready when the portal must send it (the
    previous step done, or the agency's officer decided), synchronised when the
    system answered the step's call, acknowledged when the system confirmed
    receipt. Each limit's breach is alerted once (`*_alerted_at`, claimed with a
    conditional UPDATE) and puts the hand-over in the failed-handoff queue."""

    step = models.ForeignKey(
        ChainStep,
        on_delete=models.CASCADE,
        related_name="handoffs",
        verbose_name=_("bước"),
    )
    revision = models.PositiveSmallIntegerField(_("lần nộp"), default=1)
    rule = models.ForeignKey(
        LinkedGroupRule,
        verbose_name=_("quy tắc áp dụng"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ready_at = models.DateTimeField(_("cần chuyển từ lúc"))
    sync_due_at = models.DateTimeField(_("hạn đồng bộ"))
    sent_at = models.DateTimeField(_("đã đồng bộ lúc"), null=True, blank=True)
    ack_due_at = models.DateTimeField(_("hạn xác nhận"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(
        _("hệ thống tiếp nhận xác nhận lúc"), null=True, blank=True
    )
    sync_alerted_at = models.DateTimeField(
        _("đã cảnh báo chậm đồng bộ lúc"), null=True, blank=True
    )
    ack_alerted_at = models.DateTimeField(
        _("đã cảnh báo chậm xác nhận lúc"), null=True, blank=True
    )
    retried_at = models.DateTimeField(_("chuyển lại lúc"), null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lần chuyển giữa các hệ thống")
        verbose_name_plural = _("lần chuyển giữa các hệ thống")
        ordering = ["ready_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "revision"], name="handoff_once_per_revision"
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(ack_due_at__isnull=False),
                name="handoff_sent_has_ack_due",
            ),
        ]
        indexes = [models.Index(fields=["acknowledged_at", "sync_due_at"])]

    def __str__(self) -> str:
        return f"{self.step_id}-r{self.revision}"

    def breaches(self) -> list[str]:
        """The limits this hand-over broke (alerted or not yet)."""
        found: list[str] = []
        if self.sync_alerted_at is not None or (
            self.sent_at is not None and self.sent_at > self.sync_due_at
        ):
            found.append(HandoffBreach.SYNC)
        if self.ack_alerted_at is not None or (
            self.acknowledged_at is not None
            and self.ack_due_at is not None
            and self.acknowledged_at > self.ack_due_at
        ):
            found.append(HandoffBreach.ACK)
        return found
