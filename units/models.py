"""Administrative units (versioned by date) and organisation units (agencies)."""

import re
from decimal import Decimal
from urllib.parse import quote

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AdminUnit(models.Model):
    """A unit of the administrative tree, valid between two dates.

    Official codes are reused after mergers (GSO codes such as 13750 name one
    commune before 2025 and another after), so a unit is identified by its code
    *and* its validity period, never by the code alone. Levels are not hard-coded:
    `depth` counts from the top of the tree and `kind` is the unit's own word
    (tỉnh, huyện, xã, phường, thị trấn, đặc khu ...).
    """

    code = models.CharField(_("mã"), max_length=10, db_index=True)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField(_("cấp"), default=0, editable=False)
    # Primary keys from the root down, "/12/345/678/": subtree queries are one
    # indexed prefix match.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(
        _("hiệu lực đến hết ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu đơn vị vẫn còn hiệu lực."),
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                condition=Q(valid_from__isnull=False),
                name="adminunit_code_valid_from_unique",
            ),
            # A unit whose start is unknown: at most one per code.
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="adminunit_code_open_start_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="adminunit_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyType(models.TextChoices):
    COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
    COMMUNE_POLICE = "commune_police", _("Công an cấp xã")
    DISTRICT_COMMITTEE = "district_committee", _("UBND cấp huyện")
    DISTRICT_JUSTICE = "district_justice", _("Phòng Tư pháp")
    DISTRICT_POLICE = "district_police", _("Công an cấp huyện")
    SOCIAL_INSURANCE = "social_insurance", _("Bảo hiểm xã hội")
    LABOUR_SOCIAL = "labour_social", _("Phòng Lao động - Thương binh và Xã hội")
    PROVINCE_COMMITTEE = "province_committee", _("UBND cấp tỉnh")
    PROVINCE_POLICE = "province_police", _("Công an cấp tỉnh")
    OTHER = "other", _("Cơ quan khác")


# QCVN 102:2016/BTTTT: V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.12.H56.
AGENCY_CODE_PATTERN = r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$"
# A number as people write it: "0228 3812 345", "0228.3812.345", "1022", "+84 ...".
PHONE_PATTERN = r"^\+?[0-9][0-9 .-]{1,28}[0-9]$"
# A plain link to a map, never an embedded map: no third-party script or frame on
# our pages (CSP, no CDN). Google's documented search address needs no key and
# opens the Maps app on a phone (docs/decisions.md).
MAP_SEARCH_URL = "https://www.google.com/maps/search/?api=1&query={query}"


class OrgUnit(models.Model):
    """An agency that receives or handles dossiers, e.g. UBND xã Kim Thái.

    Officers belong to one organisation unit; what they may see is scoped by it.
    """

    name = models.CharField(_("tên cơ quan"), max_length=200)
    agency_type = models.CharField(
        _("loại cơ quan"), max_length=40, choices=AgencyType.choices
    )
    # Mã định danh điện tử cơ quan (QCVN 102:2016/BTTTT): `000.00.NN.Hxx`, at most
    # 13 characters. It starts every dossier code the unit issues.
    agency_code = models.CharField(
        _("mã định danh cơ quan"),
        max_length=13,
        unique=True,
        validators=[
            RegexValidator(
                AGENCY_CODE_PATTERN,
                message=_(
                    "Mã định danh cơ quan phải có dạng 000.00.00.H00 "
                    "(QCVN 102:2016/BTTTT)."
                ),
            )
        ],
    )
    admin_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="org_units",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Where citizens go and call: shown on /help/ and in the footer. Plain fields,
    # so that they carry over when units are dated and get kinds.
    address = models.CharField(
        _("địa chỉ tiếp nhận hồ sơ"),
        max_length=300,
        blank=True,
        help_text=_(
            "Nơi người dân đến nộp hồ sơ, ví dụ: Bộ phận Một cửa, trụ sở UBND xã, "
            "thôn..., xã..., tỉnh.... Để trống nếu chưa rõ."
        ),
    )
    phone = models.CharField(
        _("điện thoại, đường dây nóng"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                PHONE_PATTERN,
                message=_(
                    "Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm hoặc gạch "
                    "ngang, ví dụ 0228 3812 345."
                ),
            )
        ],
        help_text=_("Người dân bấm vào số này để gọi. Để trống nếu chưa rõ."),
    )
    opening_hours = models.TextField(
        _("giờ tiếp nhận"),
        blank=True,
        help_text=_(
            "Mỗi dòng một khoảng, ví dụ: “Thứ Hai – thứ Sáu: sáng 7:30 – 11:30, "
            "chiều 13:30 – 17:00”. Để trống nếu chưa rõ."
        ),
    )
    opening_hours_en = models.TextField(
        _("giờ tiếp nhận (tiếng Anh)"),
        blank=True,
        help_text=_("Để trống: trang tiếng Anh hiện giờ tiếp nhận bằng tiếng Việt."),
    )
    latitude = models.DecimalField(
        _("vĩ độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text=_(
            "Vị trí trụ sở trên bản đồ, ví dụ 20.367500. Để trống: bản đồ tìm "
            "theo địa chỉ."
        ),
    )
    longitude = models.DecimalField(
        _("kinh độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(-180)),
            MaxValueValidator(Decimal(180)),
        ],
        help_text=_("Ví dụ 106.100000; nhập cùng vĩ độ."),
    )
    contact_verified = models.BooleanField(
        _("thông tin liên hệ đã xác minh"),
        default=False,
        help_text=_(
            "Chọn khi cơ quan đã xác nhận địa chỉ, số điện thoại và giờ tiếp nhận. "
            "Khi chưa chọn, trang Hỗ trợ ghi rõ thông tin đang được cập nhật."
        ),
    )

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["admin_unit__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency_code__regex=AGENCY_CODE_PATTERN),
                name="orgunit_agency_code_format",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=PHONE_PATTERN),
                name="orgunit_phone_format",
            ),
            # A point needs both numbers; a half is no place on a map.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="orgunit_map_point",
                violation_error_message=_(
                    "Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_contact(self) -> bool:
        return bool(self.address or self.phone or self.opening_hours)

    @property
    def phone_href(self) -> str:
        """The number as a `tel:` link: digits (and a leading +) only."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.phone) if self.phone else ""

    @property
    def map_url(self) -> str:
        """A map service's search for the unit: its point, else its name and address."""
        if self.latitude is not None and self.longitude is not None:
            query = f"{self.latitude},{self.longitude}"
        elif self.address:
            query = f"{self.name}, {self.address}"
        else:
            return ""
        return MAP_SEARCH_URL.format(query=quote(query, safe=","))
