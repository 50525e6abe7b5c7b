"""A procedure's papers (thành phần hồ sơ) and a linked group's steps, each
pointing at their procedure (procedures/models/catalogue.py)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from units.models import AgencyType

from .catalogue import SLUG_PATTERN, Procedure


class Document(models.Model):
    """A paper the applicant provides (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    key = models.SlugField(
        _("khóa"),
        max_length=60,
        help_text=_("Khóa cố định; tờ khai dẫn chiếu giấy tờ bằng khóa này."),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=400)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=400)
    copies = models.PositiveSmallIntegerField(
        _("số bản"), null=True, blank=True, help_text=_("Để trống nếu chưa rõ.")
    )
    required = models.BooleanField(
        _("bắt buộc"),
        default=True,
        help_text=_("Bỏ chọn với giấy tờ chỉ cần trong một số trường hợp."),
    )
    condition_note = models.CharField(_("trường hợp cần"), max_length=400, blank=True)
    condition_note_en = models.CharField(
        _("trường hợp cần (tiếng Anh)"), max_length=400, blank=True
    )
    ecopy_from_store = models.BooleanField(
        _("dùng được bản điện tử trong kho dữ liệu cá nhân"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu chưa rõ."),
    )
    ecopy_from_national_db = models.BooleanField(
        _("khai thác được từ cơ sở dữ liệu quốc gia"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu chưa rõ."),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "key"], name="document_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(key__regex=SLUG_PATTERN), name="document_key_format"
            ),
            models.CheckConstraint(
                condition=Q(copies__isnull=True) | Q(copies__gte=1),
                name="document_copies_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LinkedStep(models.Model):
    """One member procedure of a linked group, in order.

    Steps sharing an order are alternatives (funeral allowance paid by social
    insurance or by social affairs); `condition` (same form as a form field's
    `show_if`, read on the group's form data) says when a step applies.
    """

    group = models.ForeignKey(
        Procedure,
        verbose_name=_("nhóm liên thông"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("bước"))
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục thành phần"),
        on_delete=models.PROTECT,
        related_name="group_steps",
    )
    agency_type = models.CharField(
        _("cơ quan thực hiện bước"), max_length=40, choices=AgencyType.choices
    )
    processing_days = models.DecimalField(
        _("thời hạn của bước (ngày làm việc)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Để trống: dùng thời hạn của thủ tục thành phần."),
    )
    same_day = models.BooleanField(_("trong ngày"), default=False)
    processing_note = models.TextField(_("ghi chú về thời hạn"), blank=True)
    processing_note_en = models.TextField(
        _("ghi chú về thời hạn (tiếng Anh)"), blank=True
    )
    optional = models.BooleanField(
        _("người nộp được chọn"),
        default=False,
        help_text=_("Bước chỉ làm khi người nộp chọn (điều kiện bên dưới)."),
    )
    condition = models.JSONField(
        _("điều kiện áp dụng"),
        default=dict,
        blank=True,
        help_text=_(
            'Ví dụ {"field": "procedure_count", "in": ["3", "4"]}; để trống nếu '
            "bước luôn áp dụng."
        ),
    )

    class Meta:
        verbose_name = _("bước liên thông")
        verbose_name_plural = _("bước liên thông")
        ordering = ["group", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "order", "procedure"], name="linkedstep_unique"
            ),
            models.CheckConstraint(
                condition=~Q(group=F("procedure")), name="linkedstep_not_itself"
            ),
            models.CheckConstraint(
                condition=Q(order__gte=1), name="linkedstep_order_positive"
            ),
            models.CheckConstraint(
                condition=Q(same_day=False) | Q(processing_days__isnull=True),
                name="linkedstep_same_day_xor_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.procedure.name}"

    @property
    def effective_processing_days(self) -> Decimal | None:
        """The step's own limit, else the member procedure's standalone limit."""
        if self.processing_days is not None or self.same_day:
            return self.processing_days
        return self.procedure.processing_days

    @property
    def effective_same_day(self) -> bool:
        if self.processing_days is not None or self.same_day:
            return self.same_day
        return self.procedure.same_day
