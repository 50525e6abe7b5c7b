"""Where a procedure may be filed: the province's list of procedures received
regardless of administrative boundary (Decree 118/2025 art. 20, issue 17)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import AdminUnit

from .catalogue import Procedure


class AnywhereInProvince(models.Model):
    """One procedure of a province's list of procedures that any centre or
    reception point of the province takes, whatever the applicant's commune.

    The provincial People's Committee's chairman publishes the list (Decree
    118/2025 art. 20, SECONDARY in law-2025.md); a row is dated, so a list that
    changes keeps what it said on the day a dossier was filed.
    """

    province = models.ForeignKey(
        AdminUnit,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="anywhere_in_province",
    )
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(
        _("áp dụng đến hết ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu danh mục vẫn còn áp dụng."),
    )
    source = models.CharField(
        _("căn cứ"),
        max_length=255,
        blank=True,
        help_text=_("Quyết định công bố danh mục, ví dụ: Quyết định số .../QĐ-UBND."),
    )
    verified = models.BooleanField(
        _("đã xác minh"),
        default=False,
        help_text=_(
            "Chọn khi đã đối chiếu với quyết định công bố của tỉnh. Danh mục mẫu "
            "(demo) để trống."
        ),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thủ tục tiếp nhận không phụ thuộc địa giới hành chính")
        verbose_name_plural = _("thủ tục tiếp nhận không phụ thuộc địa giới hành chính")
        ordering = ["province__code", "procedure__code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "procedure", "valid_from"],
                name="anywhere_province_procedure_from_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="anywhere_valid_period",
                violation_error_message=_(
                    "Ngày hết áp dụng không được trước ngày bắt đầu áp dụng."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} ({self.province})"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (
            self.valid_to is None or self.valid_to >= day
        )
