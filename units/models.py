"""Administrative units (versioned by date) and organisation units (agencies)."""

from django.core.validators import RegexValidator
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

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["admin_unit__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency_code__regex=AGENCY_CODE_PATTERN),
                name="orgunit_agency_code_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name
