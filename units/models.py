"""Administrative units (versioned by date) and organisation units (agencies)."""

import datetime
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


class OrgUnitKind(models.TextChoices):
    """What an organisation unit is. The values are the API's (`?kind=`).

    From 2025-07-01 (two-tier local government, Decree 118/2025; the commune's
    offices after Decree 150/2025, SECONDARY in law-2025.md) one-stop work is done
    by provincial and commune Public Administration Service Centres and their
    reception points; the commune's offices and the vertical agencies handle
    dossiers. The kinds before the reform are those of `AgencyType`, in its
    order (the forward form lists a place's units in this order).
    """

    PROVINCE_CENTRE = "province_centre", _("Trung tâm Phục vụ hành chính công cấp tỉnh")
    COMMUNE_CENTRE = "commune_centre", _("Trung tâm Phục vụ hành chính công cấp xã")
    RECEPTION_POINT = "reception_point", _("Điểm tiếp nhận hồ sơ")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
    COMMUNE_OFFICE = "commune_office", _("Văn phòng HĐND và UBND cấp xã")
    COMMUNE_CULTURE_SOCIAL = (
        "commune_culture_social",
        _("Phòng Văn hóa – Xã hội cấp xã"),
    )
    COMMUNE_ECONOMY = "commune_economy", _("Phòng Kinh tế cấp xã")
    COMMUNE_POLICE = "commune_police", _("Công an cấp xã")
    DISTRICT_COMMITTEE = "district_committee", _("UBND cấp huyện")
    DISTRICT_JUSTICE = "district_justice", _("Phòng Tư pháp")
    DISTRICT_POLICE = "district_police", _("Công an cấp huyện")
    SOCIAL_INSURANCE = "social_insurance", _("Bảo hiểm xã hội")
    LABOUR_SOCIAL = "labour_social", _("Phòng Lao động - Thương binh và Xã hội")
    PROVINCE_COMMITTEE = "province_committee", _("UBND cấp tỉnh")
    PROVINCE_POLICE = "province_police", _("Công an cấp tỉnh")
    OTHER = "other", _("Cơ quan khác")


# Offices that handle what a centre received and forwarded: they take no dossier
# from citizens themselves. Every other kind receives (as every unit did before).
NON_RECEIVING_KINDS = (
    OrgUnitKind.COMMUNE_OFFICE,
    OrgUnitKind.COMMUNE_CULTURE_SOCIAL,
    OrgUnitKind.COMMUNE_ECONOMY,
)

# Where citizens file and nothing is decided: the centres and their reception
# points. The province's list of procedures received regardless of
# administrative boundary opens every one of them in the province to a listed
# procedure (Decree 118/2025 art. 20); they are never the competent agency.
ONE_STOP_KINDS = (
    OrgUnitKind.PROVINCE_CENTRE,
    OrgUnitKind.COMMUNE_CENTRE,
    OrgUnitKind.RECEPTION_POINT,
)

# Mã định danh điện tử cơ quan. QCVN 102:2016/BTTTT wrote it V1V2V3.Z1Z2.Y1Y2.MX1X2
# (000.00.12.H56, 13 characters); today's codes (QĐ 20/2020, the level-1 part
# MX1X2 first, at most 35 characters, law-2025.md Q2: SECONDARY) also look like
# H57.132 or H15.50.05.13. Letters and digits in dot-separated parts: the dot
# also tells an agency code from an administrative unit's (13741, 359).
AGENCY_CODE_MAX_LENGTH = 35
AGENCY_CODE_PATTERN = r"^[0-9A-Z]{1,12}(\.[0-9A-Z]{1,12}){1,11}$"
# A number as people write it: "0228 3812 345", "0228.3812.345", "1022", "+84 ...".
PHONE_PATTERN = r"^\+?[0-9][0-9 .-]{1,28}[0-9]$"
# A plain link to a map, never an embedded map: no third-party script or frame on
# our pages (CSP, no CDN). Google's documented search address needs no key and
# opens the Maps app on a phone (docs/decisions.md).
MAP_SEARCH_URL = "https://www.google.com/maps/search/?api=1&query={query}"


class OrgUnit(models.Model):
    """An agency that receives or handles dossiers, e.g. UBND xã Kim Thái.

    Officers belong to one organisation unit; what they may see is scoped by it.
    Dated like administrative units: a unit is in force from `valid_from` to
    `valid_to` (either open), and `successors` carry its work on after it
    (UBND thị trấn Gôi until 2025-06-30, then the centre of xã Vụ Bản). `kind`
    says what it is; `agency_type` says whose procedures it receives.
    """

    name = models.CharField(_("tên cơ quan"), max_length=200)
    agency_type = models.CharField(
        _("loại cơ quan"), max_length=40, choices=AgencyType.choices
    )
    kind = models.CharField(
        _("loại đơn vị"),
        max_length=40,
        choices=OrgUnitKind.choices,
        default=OrgUnitKind.OTHER,
        db_index=True,
    )
    # Mã định danh điện tử cơ quan: it starts every dossier code the unit issues.
    agency_code = models.CharField(
        _("mã định danh cơ quan"),
        max_length=AGENCY_CODE_MAX_LENGTH,
        unique=True,
        validators=[
            RegexValidator(
                AGENCY_CODE_PATTERN,
                message=_(
                    "Mã định danh cơ quan gồm chữ in hoa và chữ số, các phần cách "
                    "nhau bằng dấu chấm, tối đa 35 ký tự, ví dụ H57.132, "
                    "H15.50.05.13 hoặc 000.00.19.H47."
                ),
            )
        ],
    )
    valid_from = models.DateField(
        _("hiệu lực từ"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không rõ ngày bắt đầu."),
    )
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
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_period",
                violation_error_message=_(
                    "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."
                ),
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

    def in_force_on(self, day: datetime.date) -> bool:
        """Whether the unit is in force on `day` (its dates; not `is_active`)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def receives_dossiers(self) -> bool:
        """Whether citizens file here (a centre, a reception point, an agency of
        before the reform), as opposed to an office that handles forwarded work."""
        return self.kind not in NON_RECEIVING_KINDS

    @property
    def is_one_stop(self) -> bool:
        """A centre or a reception point (`ONE_STOP_KINDS`)."""
        return self.kind in ONE_STOP_KINDS

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
