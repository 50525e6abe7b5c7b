"""Dossiers, their events, attachments and results; the calendar's overrides."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import ChoiceLabels

from .history import event_label


class CalendarDay(models.Model):
    """An administrator's correction to the working-day calendar.

    Public holidays come from the `holidays` package. This table adds what it does
    not know: extra days off, and Saturdays worked in exchange for a swapped day
    off (e.g. 2025-04-26), which count as working days.
    """

    date = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    reason = models.CharField(_("lý do"), max_length=200)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.reason}"


class Status(models.TextChoices):
    """Dossier statuses; `sync_code` gives the national portal's (DVCQG) code."""

    SUBMITTED = "submitted", _("Mới nộp, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ nộp phí, lệ phí")
    PROCESSING = "processing", _("Đang xử lý")
    # The specialist appraised it and drafted its result (docs/decisions.md, 230).
    APPRAISED = "appraised", _("Đã thẩm định, chờ trình ký")
    AWAITING_SIGNATURE = "awaiting_signature", _("Chờ lãnh đạo ký duyệt")
    SIGNED = "signed", _("Đã ký duyệt, chờ phát hành kết quả")
    RESULT_READY = "result_ready", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


# National portal status codes (one-stop-rules.md section 5).
SYNC_CODES = {
    Status.SUBMITTED: "receiving",
    Status.RECEIVED: "new",
    Status.SUPPLEMENT_REQUESTED: "waiting",
    Status.AWAITING_PAYMENT: "paying",
    Status.PROCESSING: "processing",
    Status.APPRAISED: "processing",
    Status.AWAITING_SIGNATURE: "processing",
    Status.SIGNED: "processing",
    Status.RESULT_READY: "releasing",
    Status.RETURNED: "done",
    Status.REFUSED: "denied",
    Status.WITHDRAWN: "cancelled",
    Status.STOPPED: "unresolved",
}

# Statuses after which nothing more happens to the dossier.
FINAL_STATUSES = frozenset(
    {Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED}
)
# Statuses that end the processing time (the national index's "end of
# processing": result ready, returned, refused or stopped).
COMPLETED_STATUSES = frozenset(
    {Status.RESULT_READY, Status.RETURNED, Status.REFUSED, Status.STOPPED}
)


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại Bộ phận Một cửa")
    POST = "post", _("Qua dịch vụ bưu chính công ích")


class Dossier(ChoiceLabels, models.Model):
    # A 35-character agency code (units.OrgUnit) and, under Circular 04/2025,
    # "-YYMMDD-AAXXXX" with a sequence of at least 4 digits (rules app).
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Set when the dossier was filed for the citizen at the counter (assisted).
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ hỗ trợ nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    receiving_unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    # The specialist unit the dossier was forwarded to, if any.
    processing_unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("cơ quan xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processed_dossiers",
    )
    # The agency competent to decide (issue 17, point 2): routed at submission
    # for the procedure's agency type in the applicant's area on the filing day
    # (today a commune's office or police; before the reform its People's
    # Committee or a district office). Where it was received is
    # `receiving_unit`; where it was forwarded, `processing_unit`. Null when no
    # unit of that agency type serves the area.
    competent_unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("cơ quan có thẩm quyền giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
    )
    # The area the dossier is reported under: the competent unit's, else the
    # receiving unit's.
    admin_unit = models.ForeignKey(
        "units.AdminUnit",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Received outside the applicant's area under the province's list of
    # procedures received regardless of administrative boundary (Decree
    # 118/2025 art. 20): stated at submission, never guessed from the units.
    anywhere_in_province = models.BooleanField(
        _("tiếp nhận không phụ thuộc địa giới hành chính"),
        default=False,
        db_default=False,
    )
    # A part of a linked dossier (Decree 63/2024): the dossier one agency handles
    # for one member procedure, opened by the chain (`dossier_part_open`). Null for
    # every other dossier. What a dossier is comes from here, never from its code.
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("thuộc hồ sơ liên thông"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    # Whether the unit's officers are called to it: False for a part that the
    # agency's system handles (its officers see it, nobody is asked to act).
    awaits_officer = models.BooleanField(default=True, db_default=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ đang giữ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=Status.choices,
        default=Status.SUBMITTED,
        db_index=True,
    )
    data = models.JSONField(_("dữ liệu tờ khai"), default=dict)
    # The last 4 digits of the applicant's phone at submission, for public tracking.
    phone_last4 = models.CharField(max_length=4, blank=True)

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả kết quả"), null=True, blank=True)
    due_steps = models.JSONField(_("cách tính hạn"), default=list, blank=True)
    # Start of the current time limit: receipt, or the complete supplement when
    # the limit restarts (NĐ 61/2018 art. 19.4).
    clock_started_at = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    supplement_requested_at = models.DateTimeField(null=True, blank=True)
    # How many times a leader sent the draft result back to the specialist.
    send_back_count = models.PositiveSmallIntegerField(default=0, db_default=0)
    apologized = models.BooleanField(_("đã xin lỗi, hẹn lại"), default=False)
    completed_at = models.DateTimeField(
        _("thời điểm xử lý xong"), null=True, blank=True
    )
    returned_at = models.DateTimeField(
        _("thời điểm trả kết quả"), null=True, blank=True
    )
    return_method = models.CharField(_("hình thức trả"), max_length=10, blank=True)

    # Integer VND; null while the procedure's fee is not known.
    fee_vnd = models.PositiveBigIntegerField(
        _("phí, lệ phí (đồng)"), null=True, blank=True
    )
    # A repeat of a submission with the same key returns the first dossier; the
    # digest of what was asked tells a repeat from another request (HTTP 422).
    idempotency_key = models.CharField(max_length=64, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    # Snapshot from the procedure: the result is a paper, so in scope for
    # digitisation metrics.
    result_in_scope = models.BooleanField(default=False)
    result_digitized = models.BooleanField(_("kết quả đã số hóa"), default=False)
    # The fee was paid online (True) or another way (False); None when there is
    # nothing to pay or it is not known. Set by the historical import now and by
    # the payment service when it lands (dashboards count it, QĐ 766 item 3.6).
    paid_online = models.BooleanField(
        _("đã thanh toán trực tuyến"), null=True, blank=True
    )
    # The officer wrote the declaration for the citizen at the counter on the
    # centre's "no writing, no appointment" day (issue 22): the citizen files,
    # the officer only writes; not an assisted filing (`assisted`), although
    # `assisted_by` names the officer who wrote it.
    # Received before the cut-off on that day and so due the same day: the
    # dashboards count how many got their result that day (docs/dashboards.md).
    no_appointment_same_day = models.BooleanField(
        _("hẹn trả trong ngày (ngày “không viết, không hẹn”)"),
        default=False,
        db_default=False,
    )
    writing_help = models.BooleanField(
        _("cán bộ viết giúp tờ khai (ngày “không viết, không hẹn”)"),
        default=False,
        db_default=False,
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        permissions = [
            ("receive_dossier", _("Tiếp nhận, trả kết quả hồ sơ của đơn vị")),
            ("process_dossier", _("Xử lý hồ sơ được chuyển đến đơn vị")),
            ("approve_dossier", _("Phê duyệt hồ sơ của đơn vị")),
            ("view_unit_dossiers", _("Xem hồ sơ của đơn vị mình")),
            (
                "view_area_dossiers",
                _("Xem hồ sơ của mọi đơn vị trên địa bàn (cấp huyện)"),
            ),
            ("file_for_citizen", _("Nộp hồ sơ giúp công dân có mặt")),
        ]
        indexes = [
            # The officer's queue: each arm of its OR (received by, forwarded to,
            # competent, filed by) is one index range per status, so the default page of
            # open dossiers reads no closed one (docs/benchmarks.md).
            models.Index(fields=["receiving_unit", "status", "due_at"]),
            models.Index(fields=["processing_unit", "status", "due_at"]),
            models.Index(fields=["competent_unit", "status", "due_at"]),
            models.Index(fields=["assisted_by", "status", "due_at"]),
            models.Index(fields=["applicant", "-submitted_at"]),
            # Public tracking matches the code whatever its case (code__iexact):
            # without this, a sequential scan of every dossier (make bench).
            models.Index(Upper("code"), name="dossier_code_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="dossier_status_known"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="dossier_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(due_at__isnull=False),
                name="dossier_received_has_due",
            ),
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossier_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("dossiers:dossier-detail", kwargs={"code": self.code})

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def assisted(self) -> bool:
        """Filed for the citizen by an officer or the digital team; a
        declaration written at the counter on the "no writing" day is not."""
        return self.assisted_by_id is not None and not self.writing_help


class Origin(models.TextChoices):
    """Who made a change: stated by the service that writes the event, never
    guessed from its actor."""

    CITIZEN = "citizen", _("công dân")
    OFFICER = "officer", _("cán bộ")
    # The portal itself, recording what another agency's system did (the parts
    # of a linked dossier, docs/linked-chains.md): never a user.
    SYSTEM = "system", _("hệ thống")
    # The historical import (`import_dossiers`); its bulk SQL leaves the column
    # to the database default, the only writer that does.
    IMPORT = "import", _("nhập dữ liệu")


class Event(ChoiceLabels, models.Model):
    """One change to a dossier. Append-only: never updated or deleted."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_unit = models.ForeignKey(
        "units.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(
        _("nguồn"), max_length=8, choices=Origin.choices, db_default=Origin.IMPORT
    )
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Shown on public tracking and the citizen's timeline (internal notes are not).
    public = models.BooleanField(default=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"

    @property
    def label(self) -> str:
        """What happened, in words (dossiers.history), never the action code."""
        return event_label(self.action, self.details)


class DailyCounter(models.Model):
    """The last sequence number a unit gave on a day (dossier code NNNN)."""

    org_unit = models.ForeignKey("units.OrgUnit", on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "day"], name="counter_unit_day")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.day} {self.last}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never comes from the user.
    return f"dossiers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file of a dossier, or of a draft before it is submitted."""

    dossier = models.ForeignKey(
        Dossier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    draft = models.ForeignKey(
        "Draft",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    # The procedure's document key this file answers (e.g. "giay_chung_sinh").
    document_key = models.CharField(_("thành phần hồ sơ"), max_length=64, blank=True)
    file = models.FileField(_("tệp"), upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Copied from the citizen's document store instead of uploaded again.
    stored_document = models.ForeignKey(
        "accounts.StoredDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Set for files that answer a supplement request.
    supplement_round = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dossier__isnull=False) | Q(draft__isnull=False),
                name="attachment_belongs_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class Result(models.Model):
    """The electronic result of a dossier, verifiable by its token (QR code)."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="result"
    )
    token = models.CharField(max_length=64, unique=True)
    title = models.CharField(_("tên kết quả"), max_length=255)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    # The agency's result register that numbered it and its book (registers app);
    # empty for a result numbered elsewhere (another agency's system).
    register = models.CharField(_("sổ"), max_length=100, blank=True)
    book = models.CharField(_("quyển số"), max_length=30, blank=True)
    file = models.FileField(_("tệp kết quả"), upload_to="results/%Y/%m", blank=True)
    issued_at = models.DateTimeField(_("ngày ban hành"))
    issued_by_unit = models.ForeignKey(
        "units.OrgUnit", on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    revoked_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dossiers:result-verify", kwargs={"token": self.token})


class ResultDraft(models.Model):
    """The result the specialist drafted when appraising the dossier: an
    uploaded PDF, or one generated from the dossier's data when it is issued.
    The leader signs it off; the issue signs it with the agency's certificate
    (docs/decisions.md, 231)."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="result_draft"
    )
    title = models.CharField(_("tên kết quả"), max_length=255)
    # Empty when the result is generated from the dossier's data.
    file = models.FileField(
        _("dự thảo kết quả"), upload_to="result-drafts/%Y/%m", blank=True
    )
    original_name = models.CharField(max_length=255, blank=True)
    generate = models.BooleanField(_("tạo từ dữ liệu hồ sơ"), default=False)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appraised_at = models.DateTimeField(_("thời điểm thẩm định"))

    class Meta:
        verbose_name = _("dự thảo kết quả")
        verbose_name_plural = _("dự thảo kết quả")
        constraints = [
            # Either a file or generated, never both, never neither.
            models.CheckConstraint(
                condition=(Q(generate=True) & Q(file=""))
                | (Q(generate=False) & ~Q(file="")),
                name="resultdraft_file_or_generate",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    """The citizen's evaluation (TT 01/2018/TT-VPCP art. 13-14): 9 indicators
    scored 0-2 and an overall judgement."""

    class Overall(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
        SATISFIED = "satisfied", _("Hài lòng")
        DISSATISFIED = "dissatisfied", _("Không hài lòng")

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, related_name="rating"
    )
    scores = models.JSONField(_("điểm các chỉ số"), default=dict)
    overall = models.CharField(
        _("đánh giá chung"), max_length=16, choices=Overall.choices
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.overall}"


class Draft(models.Model):
    """A citizen's unfinished submission: saved at each step of the wizard."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dossier_drafts",
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="+"
    )
    receiving_unit = models.ForeignKey(
        "units.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(default=dict)
    # Stored documents chosen for document keys: {"giay_chung_sinh": 12}.
    stored_documents = models.JSONField(default=dict)
    step = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")

    def __str__(self) -> str:
        return f"{self.owner_id} {self.procedure_id}"
