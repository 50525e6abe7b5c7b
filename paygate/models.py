"""What the sandbox payment platform knows: the orders merchants sent it, and
each callback it tried to deliver (or lost on purpose)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    CANCELLED = "cancelled", _("Người trả hủy")
    FAILED = "failed", _("Thất bại")


class SandboxOrder(models.Model):
    merchant_id = models.CharField(max_length=64)
    order_id = models.CharField(max_length=64)
    # The payment page's address: not guessable from the order id.
    token = models.CharField(max_length=64, unique=True)
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=255, blank=True)
    return_url = models.URLField(max_length=500)
    callback_url = models.URLField(max_length=500)
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    transaction_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đơn thanh toán thử nghiệm")
        verbose_name_plural = _("đơn thanh toán thử nghiệm")
        constraints = [
            models.UniqueConstraint(
                fields=["merchant_id", "order_id"], name="paygate_order_unique"
            ),
            models.UniqueConstraint(
                fields=["transaction_id"],
                condition=~Q(transaction_id=""),
                name="paygate_transaction_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merchant_id} {self.order_id} {self.status}"


class CallbackAttempt(models.Model):
    order = models.ForeignKey(
        SandboxOrder, on_delete=models.CASCADE, related_name="callbacks"
    )
    attempt = models.PositiveSmallIntegerField()
    delay_seconds = models.FloatField(default=0)
    # Lost on purpose (PAYGATE_CALLBACK_LOSS_RATE): never sent.
    lost = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("lần gửi thông báo thử nghiệm")
        verbose_name_plural = _("lần gửi thông báo thử nghiệm")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id} #{self.attempt}"
