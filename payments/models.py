"""Fees and payments of dossiers. Money is integer VND.

`DossierFee` is the fee assessed for a dossier at submission (the procedure's
amount for its channel, or an exemption). `Payment` is one attempt to pay it,
online through the gateway or in cash at the counter; `PaymentCallback` is every
message the gateway sent about a payment (callbacks, browser returns, answers to
status queries), accepted or refused. Attempts and callbacks are never deleted.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DossierFee(models.Model):
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="fee"
    )
    channel = models.CharField(_("kênh nộp"), max_length=10)
    # The procedure's amount for the channel; null while it is being updated.
    base_vnd = models.PositiveBigIntegerField(
        _("mức phí theo thủ tục (đồng)"), null=True, blank=True
    )
    # What the citizen owes: 0 when exempt; null when unknown.
    amount_vnd = models.PositiveBigIntegerField(
        _("số phải nộp (đồng)"), null=True, blank=True
    )
    exemption_key = models.CharField(_("trường hợp miễn"), max_length=64, blank=True)
    exemption_name = models.CharField(max_length=200, blank=True)
    exemption_name_en = models.CharField(max_length=200, blank=True)
    exemption_source = models.TextField(blank=True)
    assessed_at = models.DateTimeField(_("tính lúc"))
    # How a fee that depends on the case was computed (pages × rate, the
    # province's table...), in the words the receipt prints; empty for a
    # fixed amount.
    computation = models.JSONField(_("cách tính"), default=list, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí của hồ sơ")
        verbose_name_plural = _("phí, lệ phí của hồ sơ")
        constraints = [
            models.CheckConstraint(
                condition=Q(exemption_key="") | Q(amount_vnd=0),
                name="fee_exempt_owes_nothing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.amount_vnd}"

    @property
    def exempt(self) -> bool:
        return bool(self.exemption_key)


# The groups a province's civil-status fee resolution may exempt, as the records
# of commune-procedures.md name them (payments.fees.EXEMPT_GROUPS has their names).
EXEMPT_GROUP_KEYS = ("nguoi-co-cong", "ho-ngheo", "nguoi-khuyet-tat")


def validate_exempt_groups(value: Any) -> None:
    if not isinstance(value, list) or any(
        group not in EXEMPT_GROUP_KEYS for group in value
    ):
        raise ValidationError(
            _("Nhóm được miễn là danh sách các khóa: %(keys)s."),
            params={"keys": ", ".join(EXEMPT_GROUP_KEYS)},
        )


class ProvinceFee(models.Model):
    """A province's fee for a procedure whose fee the law leaves to the
    province (civil-status fees: the provincial People's Council decides, TT
    85/2019/TT-BTC), valid between two dates, with the amount online when the
    province lowers it there and the groups it exempts (payments.fees.
    EXEMPT_GROUPS). An unverified row is not used: the fee stays "being
    updated" until the row is checked against the province's resolution."""

    province = models.ForeignKey(
        "units.AdminUnit",
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="province_fees",
    )
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(
        _("áp dụng đến hết ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu mức này vẫn còn áp dụng."),
    )
    amount_vnd = models.PositiveIntegerField(_("mức lệ phí (đồng)"))
    online_amount_vnd = models.PositiveIntegerField(
        _("mức khi nộp trực tuyến (đồng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu như mức nộp trực tiếp; 0 = miễn khi nộp trực tuyến."),
    )
    exempt_groups = models.JSONField(
        _("nhóm được miễn"),
        default=list,
        blank=True,
        validators=[validate_exempt_groups],
        help_text=_(
            "Khóa các nhóm được miễn theo nghị quyết của tỉnh: nguoi-co-cong, "
            "ho-ngheo, nguoi-khuyet-tat."
        ),
    )
    source = models.CharField(
        _("căn cứ"),
        max_length=255,
        help_text=_("Nghị quyết của Hội đồng nhân dân tỉnh, hồ sơ thủ tục đã đọc."),
    )
    verified = models.BooleanField(
        _("đã xác minh"),
        default=False,
        help_text=_(
            "Chọn khi đã đối chiếu với nghị quyết hoặc hồ sơ thủ tục của tỉnh."
        ),
    )

    class Meta:
        verbose_name = _("lệ phí do tỉnh quy định")
        verbose_name_plural = _("bảng lệ phí do tỉnh quy định")
        ordering = ["province__code", "procedure__code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "procedure", "valid_from"],
                name="provincefee_province_procedure_from_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="provincefee_valid_period",
                violation_error_message=_(
                    "Ngày hết áp dụng không được trước ngày bắt đầu áp dụng."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} ({self.province}, {self.valid_from})"


class Method(models.TextChoices):
    ONLINE = "online", _("Trực tuyến qua cổng thanh toán")
    CASH = "cash", _("Tiền mặt tại Bộ phận Một cửa")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã hủy")
    EXPIRED = "expired", _("Hết hạn")
    # Paid although another payment of the dossier was paid first.
    REFUND_DUE = "refund_due", _("Nộp trùng, cần hoàn tiền")


class Payment(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    # The merchant's order id sent to the gateway (unique, not guessable).
    order_id = models.CharField(_("mã đơn thanh toán"), max_length=48, unique=True)
    method = models.CharField(_("hình thức"), max_length=10, choices=Method.choices)
    gateway = models.CharField(_("cổng thanh toán"), max_length=40, blank=True)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    currency = models.CharField(_("loại tiền"), max_length=3, default="VND")
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
        db_index=True,
    )
    redirect_url = models.TextField(_("địa chỉ trang thanh toán"), blank=True)
    gateway_transaction_id = models.CharField(
        _("mã giao dịch của cổng thanh toán"), max_length=64, blank=True
    )
    receipt_number = models.CharField(_("số biên nhận"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), db_index=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    last_checked_at = models.DateTimeField(
        _("hỏi cổng thanh toán lần cuối"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lần thanh toán")
        verbose_name_plural = _("lần thanh toán")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A dossier's fee is paid once: a second paid attempt is refund_due.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status="paid"),
                name="payment_one_paid_per_dossier",
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="payment_receipt_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(currency="VND"), name="payment_currency_vnd"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values),
                name="payment_status_known",
            ),
            models.CheckConstraint(
                condition=Q(method__in=Method.values), name="payment_method_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False),
                name="payment_paid_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.order_id


class PaymentCallback(models.Model):
    """One message from the gateway, stored before it is checked. Append-only."""

    class Kind(models.TextChoices):
        CALLBACK = "callback", _("Thông báo từ cổng thanh toán (máy chủ)")
        RETURN = "return", _("Người dân quay lại từ cổng thanh toán")
        QUERY = "query", _("Trả lời truy vấn trạng thái")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Đã ghi nhận")
        # A replay, or a report that changes nothing (still pending).
        UNCHANGED = "unchanged", _("Không thay đổi gì (trùng hoặc chưa có kết quả)")
        REFUSED = "refused", _("Từ chối")
        ERROR = "error", _("Lỗi khi xử lý")

    payment = models.ForeignKey(
        Payment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    order_id = models.CharField(_("mã đơn"), max_length=64, blank=True)
    body = models.TextField(_("nội dung nhận được"))
    remote_addr = models.CharField(_("địa chỉ gửi"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), db_index=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("lý do"), max_length=64, blank=True)
    status_reported = models.CharField(
        _("trạng thái báo về"), max_length=16, blank=True
    )

    class Meta:
        verbose_name = _("thông điệp từ cổng thanh toán")
        verbose_name_plural = _("thông điệp từ cổng thanh toán")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.order_id} {self.outcome}"
