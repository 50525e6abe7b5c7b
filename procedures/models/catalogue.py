"""Procedures (single or linked), their sectors and life events (their papers and
the steps of a linked group are in papers.py).

Facts come from /work/shared/reference (services-53.csv, linked-groups.md) through
the reviewed data files in procedures/data/. An empty or NULL fact means "being
updated" and is shown as such; every procedure keeps its source and how far it
was verified.
"""

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from units.models import AgencyType

from ..text import CODE_PATTERN
from .choices import AgencyLevel, Kind, OnlineLevel, Verified

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Paths of the catalogue's own pages: a key may not take them (procedures/urls.py).
RESERVED_KEYS = ["search", "guides", "units", "announcements"]


def localized(obj: models.Model, field: str) -> tuple[str, str]:
    """(text, language) of `field` in the active language.

    English falls back to the Vietnamese text, and says so, so that the page can
    mark it `lang="vi"` for screen readers.
    """
    vietnamese = str(getattr(obj, field) or "")
    if (translation.get_language() or "vi").startswith("en"):
        english = str(getattr(obj, f"{field}_en", "") or "")
        if english:
            return english, "en"
    return vietnamese, "vi"


class Field(models.Model):
    """Lĩnh vực: the sector a procedure belongs to (Hộ tịch, Cư trú, ...)."""

    code = models.SlugField(_("mã lĩnh vực"), max_length=60, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class LifeEvent(models.Model):
    """A moment of life that leads to procedures (having a baby, a death, ...)."""

    code = models.SlugField(_("mã sự kiện"), max_length=60, unique=True)
    name = models.CharField(_("tên sự kiện"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("sự kiện cuộc sống")
        verbose_name_plural = _("sự kiện cuộc sống")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


# The procedure's long texts and its form: what a page about one of its
# dossiers (tracking, the officer's queue) never shows. Such pages defer them
# (`procedure__<field>`): a 4–7 KB row, JSON decoded, per dossier read.
PROCEDURE_LONG_FIELDS = (
    "form_schema",
    "fee_basis",
    "search_text",
    "keywords",
    "legal_basis",
    "legal_basis_en",
    "mapping_note",
    "mapping_note_en",
    "where_done",
    "where_done_en",
    "processing_note",
    "processing_note_en",
    "result_documents",
    "result_documents_en",
    "fee_note",
    "fee_note_en",
    "source",
)


class Procedure(models.Model):
    """A procedure (thủ tục hành chính) or a linked group of procedures."""

    key = models.SlugField(
        _("khóa"),
        max_length=80,
        unique=True,
        help_text=_(
            "Khóa cố định dùng trong địa chỉ trang khi thủ tục chưa có mã quốc gia."
        ),
    )
    code = models.CharField(
        _("mã thủ tục"),
        max_length=12,
        blank=True,
        validators=[
            RegexValidator(
                CODE_PATTERN,
                message=_("Mã thủ tục có dạng 1.001193 (một chữ số, dấu chấm, 6 số)."),
            )
        ],
        help_text=_("Mã quốc gia, ví dụ 1.001193. Để trống nếu đang cập nhật."),
    )
    mapping_note = models.TextField(
        _("ghi chú đối chiếu"),
        blank=True,
        help_text=_(
            "Mã khác (cấp tỉnh, trung ương, mã cũ), tên trong danh sách 53 và cách "
            "đối chiếu sang thủ tục hiện hành."
        ),
    )
    mapping_note_en = models.TextField(_("ghi chú đối chiếu (tiếng Anh)"), blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300)
    keywords = models.TextField(
        _("từ khóa tìm kiếm"),
        blank=True,
        help_text=_("Cách gọi khác mà người dân hay dùng, cách nhau bởi dấu phẩy."),
    )
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    life_events = models.ManyToManyField(
        LifeEvent,
        verbose_name=_("sự kiện cuộc sống"),
        blank=True,
        related_name="procedures",
    )
    kind = models.CharField(
        _("loại"), max_length=10, choices=Kind.choices, default=Kind.SINGLE
    )
    essential = models.BooleanField(_("dịch vụ công thiết yếu"), default=False)
    essential_seq = models.PositiveSmallIntegerField(
        _("số thứ tự trong danh sách 53"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Số dòng trong services-53.csv; chỉ có ở 53 dịch vụ thiết yếu."),
    )
    submittable = models.BooleanField(
        _("nộp hồ sơ được trên cổng"),
        default=True,
        help_text=_(
            "Bỏ chọn với chức năng thanh toán, nhiệm vụ chia sẻ dữ liệu và mục "
            "chưa xác định: chỉ liệt kê, không có tờ khai."
        ),
    )
    where_done = models.TextField(
        _("thực hiện ở đâu"),
        blank=True,
        help_text=_("Với mục không nộp được hồ sơ: đó là gì và làm ở đâu."),
    )
    where_done_en = models.TextField(_("thực hiện ở đâu (tiếng Anh)"), blank=True)
    agency_type = models.CharField(
        _("loại cơ quan giải quyết"), max_length=40, choices=AgencyType.choices
    )
    agency_level = models.CharField(
        _("cấp thực hiện"),
        max_length=10,
        choices=AgencyLevel.choices,
        blank=True,
        help_text=_("Cấp đầu tiên mà nguồn liệt kê; để trống nếu không áp dụng."),
    )
    agency_name = models.CharField(_("cơ quan thực hiện"), max_length=300, blank=True)
    agency_name_en = models.CharField(
        _("cơ quan thực hiện (tiếng Anh)"), max_length=300, blank=True
    )
    processing_days = models.DecimalField(
        _("thời hạn giải quyết (ngày làm việc)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Có thể là số lẻ, ví dụ 0,5. Để trống nếu chưa rõ."),
    )
    same_day = models.BooleanField(
        _("giải quyết trong ngày"),
        default=False,
        help_text=_("Trả kết quả trong ngày làm việc (nhận sau 15 giờ: ngày sau)."),
    )
    processing_note = models.TextField(_("ghi chú về thời hạn"), blank=True)
    processing_note_en = models.TextField(
        _("ghi chú về thời hạn (tiếng Anh)"), blank=True
    )
    fee_online_vnd = models.PositiveIntegerField(
        _("phí, lệ phí nộp trực tuyến (đồng)"),
        null=True,
        blank=True,
        help_text=_("0 = miễn phí; để trống nếu chưa rõ."),
    )
    fee_counter_vnd = models.PositiveIntegerField(
        _("phí, lệ phí nộp trực tiếp (đồng)"),
        null=True,
        blank=True,
        help_text=_("0 = miễn phí; để trống nếu chưa rõ."),
    )
    fee_note = models.TextField(
        _("ghi chú về phí, miễn giảm"),
        blank=True,
        help_text=_("Đối tượng được miễn, giảm; căn cứ thu phí; mức theo trường hợp."),
    )
    fee_note_en = models.TextField(_("ghi chú về phí (tiếng Anh)"), blank=True)
    fee_basis = models.JSONField(
        _("cách tính phí theo trường hợp"),
        default=dict,
        blank=True,
        help_text=_(
            'Để trống: mức cố định ở trên. {"per": "page", ...}: theo số trang và '
            'số bản; {"per": "contract" | "case" | "copy", "rate_vnd": ...}: theo '
            'số hợp đồng, trường hợp, bản; {"per": "province"}: theo bảng lệ phí '
            "của tỉnh (docs/payments.md)."
        ),
    )
    counter_only_reason = models.TextField(
        _("lý do chỉ nhận trực tiếp"),
        blank=True,
        help_text=_(
            "Điền khi thủ tục cần người yêu cầu có mặt (ký trước mặt người thực hiện): "
            "người dân không nộp trực tuyến được và được mời đến Bộ phận Một cửa, "
            "không cần hẹn trước. Để trống nếu nộp trực tuyến được."
        ),
    )
    counter_only_reason_en = models.TextField(
        _("lý do chỉ nhận trực tiếp (tiếng Anh)"), blank=True
    )
    online_level = models.CharField(
        _("mức độ dịch vụ trực tuyến"),
        max_length=12,
        choices=OnlineLevel.choices,
        blank=True,
        help_text=_("Để trống nếu chưa rõ."),
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    legal_basis_en = models.TextField(_("căn cứ pháp lý (tiếng Anh)"), blank=True)
    result_documents = models.TextField(_("kết quả"), blank=True)
    result_documents_en = models.TextField(_("kết quả (tiếng Anh)"), blank=True)
    has_document_result = models.BooleanField(
        _("kết quả là giấy tờ"),
        default=True,
        help_text=_(
            "Kết quả là một giấy tờ, văn bản: thủ tục được tính trong chỉ số số hóa "
            "kết quả (QĐ 766)."
        ),
    )
    verified = models.CharField(
        _("mức xác minh"), max_length=12, choices=Verified.choices
    )
    verified_note = models.CharField(_("ghi chú xác minh"), max_length=200, blank=True)
    source = models.TextField(_("nguồn"))
    form_schema = models.JSONField(_("cấu trúc tờ khai"), default=dict, blank=True)
    # The province's published list (import_procedures): a procedure may enter
    # it and leave it on given days; outside them it is shown, not filed.
    listed_from = models.DateField(
        _("có trong danh mục của tỉnh từ ngày"), null=True, blank=True
    )
    listed_until = models.DateField(
        _("có trong danh mục của tỉnh đến hết ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu thủ tục vẫn còn trong danh mục."),
    )
    # Normalised text (procedures.text.normalize), written by the services.
    search_name = models.CharField(max_length=300, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    # Set when an administrator edits the entry in the portal, so that
    # `load_catalogue` does not overwrite the edit (unless asked to).
    locally_edited = models.BooleanField(
        _("đã sửa trên cổng"), default=False, editable=False
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục")
        verbose_name_plural = _("thủ tục")
        ordering = ["essential_seq", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="procedure_code_unique",
                violation_error_message=_("Mã thủ tục này đã có trong danh mục."),
            ),
            models.CheckConstraint(
                condition=Q(code="") | Q(code__regex=CODE_PATTERN),
                name="procedure_code_format",
                violation_error_message=_(
                    "Mã thủ tục có dạng 1.001193 (một chữ số, dấu chấm, 6 số)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(key__regex=SLUG_PATTERN),
                name="procedure_key_format",
                violation_error_message=_(
                    "Khóa chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(key__in=RESERVED_KEYS),
                name="procedure_key_not_reserved",
                violation_error_message=_(
                    "Khóa này trùng địa chỉ một trang của danh mục (search, guides, "
                    "units, announcements)."
                ),
            ),
            # The 53 essential services carry their row number, and only they do.
            models.CheckConstraint(
                condition=Q(essential=True, essential_seq__isnull=False)
                | Q(essential=False, essential_seq__isnull=True),
                name="procedure_essential_seq",
                violation_error_message=_(
                    "Dịch vụ thiết yếu cần số thứ tự trong danh sách 53, và chỉ dịch "
                    "vụ thiết yếu mới có số này."
                ),
            ),
            models.CheckConstraint(
                condition=Q(essential_seq__isnull=True)
                | Q(essential_seq__gte=1, essential_seq__lte=53),
                name="procedure_essential_seq_range",
                violation_error_message=_("Số thứ tự trong danh sách 53 từ 1 đến 53."),
            ),
            models.CheckConstraint(
                condition=Q(processing_days__isnull=True) | Q(processing_days__gte=0),
                name="procedure_processing_days_positive",
            ),
            # "Same day" is its own answer; a number of days would contradict it.
            models.CheckConstraint(
                condition=Q(same_day=False) | Q(processing_days__isnull=True),
                name="procedure_same_day_xor_days",
                violation_error_message=_(
                    "Đã chọn “giải quyết trong ngày” thì để trống số ngày."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="procedure_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(verified__in=Verified.values),
                name="procedure_verified_known",
            ),
            models.CheckConstraint(
                condition=Q(online_level="") | Q(online_level__in=OnlineLevel.values),
                name="procedure_online_level_known",
            ),
            models.CheckConstraint(
                condition=Q(agency_level="") | Q(agency_level__in=AgencyLevel.values),
                name="procedure_agency_level_known",
            ),
            models.CheckConstraint(
                condition=Q(listed_until__isnull=True)
                | Q(listed_from__isnull=True)
                | Q(listed_until__gte=models.F("listed_from")),
                name="procedure_listed_period",
                violation_error_message=_(
                    "Ngày ra khỏi danh mục không được trước ngày vào danh mục."
                ),
            ),
            # What cannot be submitted here must say what it is and where it is done.
            models.CheckConstraint(
                condition=Q(submittable=True) | ~Q(where_done=""),
                name="procedure_not_submittable_says_where",
                violation_error_message=_(
                    "Mục không nộp hồ sơ trên cổng cần ghi đó là gì và làm ở đâu."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    def get_absolute_url(self) -> str:
        return reverse("procedures:procedure-detail", args=[self.url_code])

    @property
    def url_code(self) -> str:
        """The national code, or the stable key while the code is being updated."""
        return self.code or self.key

    @property
    def is_linked(self) -> bool:
        return self.kind == Kind.LINKED

    def listed_on(self, day: datetime.date) -> bool:
        """Whether the province's list holds the procedure on `day`."""
        return (self.listed_from is None or self.listed_from <= day) and (
            self.listed_until is None or day <= self.listed_until
        )

    @property
    def certifies_copies(self) -> bool:
        """Certifies copies from originals (chứng thực bản sao): a certification
        procedure whose fee is counted per page. Its result can be the scan of
        the original the officer compared, certified electronically."""
        basis = self.fee_basis if isinstance(self.fee_basis, dict) else {}
        return self.field.code == "chung-thuc" and basis.get("per") == "page"

    @property
    def counter_only(self) -> bool:
        """Received only at the counter (a person signs in front of the
        official): no online submission."""
        return bool(self.counter_only_reason)

    @property
    def fee_vnd(self) -> int | None:
        """The fee when submitted online, the portal's channel (None = unknown)."""
        return self.fee_online_vnd

    def get_submit_url(self) -> str:
        """Where "Nộp hồ sơ" leads: the dossier app's start page.

        The dossier app will name its URL `dossiers:dossier-create`; until it
        exists, its documented path is used.
        """
        from django.urls import NoReverseMatch

        try:
            return reverse("dossiers:dossier-create", args=[self.url_code])
        except NoReverseMatch:
            return f"/dossiers/new/{self.url_code}/"
