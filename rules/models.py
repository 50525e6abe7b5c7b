"""Rule sets of the one-stop mechanism, dated by the day a dossier is received
(issue 17, point 4): the legal basis, the forms and their numbers, what a
supplement does to the time limit, the cut-off, the apology rule and the
dossier code's format. Each rule carries whether its source was read
(`*_verified`) and the source itself; an unverified rule is shown so to
officers and administrators, never to citizens (docs/reform-2025.md).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SupplementMode(models.TextChoices):
    RESTART = "restart", _("Tính lại thời hạn từ đầu khi nhận đủ hồ sơ")
    PAUSE = "pause", _("Tạm dừng thời hạn trong những ngày chờ bổ sung")


class CodeFormat(models.TextChoices):
    # The legal notation is the value: the API gives it as it is.
    TT01_2018 = (
        "V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX",
        _("Mã cơ quan-YYMMDD-XXXX (Thông tư 01/2018/TT-VPCP, Điều 19)"),
    )
    TT04_2025 = (
        "MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX",
        _("Mã cơ quan-YYMMDD-AAXXXX (Thông tư 04/2025/TT-VPCP, khoản 3 Điều 13)"),
    )


# The papers the one-stop unit issues, by what they are for; a rule set gives
# each its number and name (`forms`).
FORM_KEYS = (
    "receipt",
    "supplement",
    "refusal",
    "apology",
    "stop",
    "control",
    "tracking_book",
)

# The rules of a set that carry a source and a verified mark, with their names.
RULES: dict[str, Any] = {
    "legal_basis": _("căn cứ pháp lý"),
    "forms": _("biểu mẫu"),
    "supplement_mode": _("thời hạn sau khi bổ sung"),
    "cutoff": _("giờ tính sang ngày làm việc sau"),
    "apology": _("xin lỗi, hẹn lại"),
    "code_format": _("cấu trúc mã hồ sơ"),
}


def _verified(rule: str) -> models.BooleanField[bool, bool]:
    return models.BooleanField(
        _("đã kiểm chứng: %(rule)s") % {"rule": RULES[rule]},
        default=False,
        help_text=_("Đã đọc chính văn bản quy định (không chỉ tin tức, tóm tắt)."),
    )


def _source(rule: str) -> models.CharField[str, str]:
    return models.CharField(
        _("nguồn: %(rule)s") % {"rule": RULES[rule]}, max_length=500, blank=True
    )


def forms_check(value: Any) -> None:
    """`forms` is a list of {key, number, name}, one per key at most."""
    if not isinstance(value, list):
        raise ValidationError(_("Biểu mẫu phải là một danh sách."))
    seen = set()
    for item in value:
        if (
            not isinstance(item, dict)
            or item.get("key") not in FORM_KEYS
            or not str(item.get("number", "")).strip()
            or not str(item.get("name", "")).strip()
        ):
            raise ValidationError(
                _("Mỗi biểu mẫu cần key (một trong: %(keys)s), number và name.")
                % {"keys": ", ".join(FORM_KEYS)}
            )
        if item["key"] in seen:
            raise ValidationError(
                _("Biểu mẫu “%(key)s” có hai lần.") % {"key": item["key"]}
            )
        seen.add(item["key"])


class RuleSet(models.Model):
    slug = models.SlugField(
        _("mã bộ quy tắc"),
        max_length=60,
        unique=True,
        help_text=_("Lệnh load_rules nhận ra bộ quy tắc đã nạp bằng mã này."),
    )
    name = models.CharField(_("tên"), max_length=200)
    valid_from = models.DateField(
        _("áp dụng cho hồ sơ tiếp nhận từ ngày"), null=True, blank=True
    )
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)

    legal_basis = models.TextField(_("căn cứ pháp lý"))
    legal_basis_verified = _verified("legal_basis")
    legal_basis_source = _source("legal_basis")

    forms = models.JSONField(
        _("biểu mẫu"),
        default=list,
        blank=True,
        validators=[forms_check],
        help_text=_(
            'Danh sách {"key": ..., "number": "01", "name": ...}; key là một '
            "trong: receipt, supplement, refusal, apology, stop, control, "
            "tracking_book."
        ),
    )
    forms_verified = _verified("forms")
    forms_source = _source("forms")

    supplement_mode = models.CharField(
        _("thời hạn sau khi bổ sung"),
        max_length=10,
        choices=SupplementMode.choices,
        default=SupplementMode.RESTART,
    )
    supplement_mode_verified = _verified("supplement_mode")
    supplement_mode_source = _source("supplement_mode")

    cutoff = models.TimeField(
        _("giờ hạn tiếp nhận trong ngày"),
        default=datetime.time(15, 0),
        help_text=_("Hồ sơ nhận từ giờ này tính như nhận ngày làm việc tiếp theo."),
    )
    cutoff_verified = _verified("cutoff")
    cutoff_source = _source("cutoff")

    apology_rule = models.TextField(_("quy tắc xin lỗi, hẹn lại"), blank=True)
    apology_verified = _verified("apology")
    apology_source = _source("apology")

    code_format = models.CharField(
        _("cấu trúc mã hồ sơ"),
        max_length=40,
        choices=CodeFormat.choices,
        default=CodeFormat.TT01_2018,
    )
    code_system = models.CharField(
        _("mã hệ thống (AA)"),
        max_length=2,
        blank=True,
        default="00",
        help_text=_(
            "Hai chữ số lấy từ mã của chủ quản hệ thống, phần AA của mã hồ sơ "
            "theo Thông tư 04/2025/TT-VPCP."
        ),
    )
    code_format_verified = _verified("code_format")
    code_format_source = _source("code_format")

    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bộ quy tắc")
        verbose_name_plural = _("bộ quy tắc")
        ordering = [models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="ruleset_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(code_system__regex=r"^[0-9]{2}$")
                | ~Q(code_format="MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX"),
                name="ruleset_code_system_two_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def form(self, key: str) -> dict[str, str] | None:
        """The form of `key` ({key, number, name}), None when the set has none."""
        return next((f for f in self.forms if f.get("key") == key), None)

    def verified(self) -> dict[str, bool]:
        return {rule: bool(getattr(self, f"{rule}_verified")) for rule in RULES}

    def unverified_rules(self) -> list[str]:
        return [rule for rule, ok in self.verified().items() if not ok]

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")}
            )
        if self.code_format == CodeFormat.TT04_2025 and not (
            len(self.code_system) == 2 and self.code_system.isdigit()
        ):
            raise ValidationError(
                {"code_system": _("Phần AA của mã hồ sơ gồm đúng hai chữ số.")}
            )
        overlapping = RuleSet.objects.exclude(pk=self.pk).filter(
            overlap_q(self.valid_from, self.valid_to)
        )
        other = overlapping.first()
        if other is not None:
            raise ValidationError(
                _("Thời gian áp dụng trùng với bộ quy tắc “%(other)s”.")
                % {"other": other.name}
            )


def overlap_q(start: datetime.date | None, end: datetime.date | None) -> Q:
    """Rule sets whose period meets [start, end] (None: open)."""
    q = Q()
    if end is not None:
        q &= Q(valid_from__isnull=True) | Q(valid_from__lte=end)
    if start is not None:
        q &= Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    return q


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ nhật")


# The seed's "Tuesday without writing, without appointment" names three fields:
# household businesses, certification, and changes / corrections / additions of
# civil-status details (one procedure of the civil-status field, by its code).
DEFAULT_NO_APPOINTMENT_FIELDS = ["ho-kinh-doanh", "chung-thuc"]
DEFAULT_NO_APPOINTMENT_PROCEDURES = ["1.004859"]


def default_no_appointment_fields() -> list[str]:
    return list(DEFAULT_NO_APPOINTMENT_FIELDS)


def default_no_appointment_procedures() -> list[str]:
    return list(DEFAULT_NO_APPOINTMENT_PROCEDURES)


def codes_check(value: Any) -> None:
    """A list of codes (strings without spaces)."""
    if not isinstance(value, list) or not all(
        isinstance(code, str) and code.strip() and " " not in code.strip()
        for code in value
    ):
        raise ValidationError(_("Nhập danh sách mã, cách nhau bởi dấu phẩy."))


class NoAppointmentDay(models.Model):
    """A service centre's "no writing, no appointment" day ("Ngày thứ Ba không
    viết, không hẹn"), dated: on `weekday`, a dossier of an eligible procedure
    (its field's code in `field_codes`, or its national code in
    `procedure_codes`) received before `cutoff` is due the same day, after it
    the next working day; officers write the declaration for the citizen at the
    counter. A dossier follows the rule of its receiving unit (or of the centre
    it is a reception point of) in force on its day of receipt."""

    centre = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("trung tâm, bộ phận một cửa"),
        on_delete=models.CASCADE,
        related_name="no_appointment_days",
        help_text=_(
            "Áp dụng cho hồ sơ tiếp nhận tại đơn vị này và tại các điểm tiếp "
            "nhận trực thuộc."
        ),
    )
    weekday = models.PositiveSmallIntegerField(
        _("ngày trong tuần"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    field_codes = models.JSONField(
        _("mã lĩnh vực áp dụng"),
        default=default_no_appointment_fields,
        blank=True,
        validators=[codes_check],
        help_text=_("Mọi thủ tục thuộc các lĩnh vực này, ví dụ ho-kinh-doanh."),
    )
    procedure_codes = models.JSONField(
        _("mã thủ tục áp dụng"),
        default=default_no_appointment_procedures,
        blank=True,
        validators=[codes_check],
        help_text=_(
            "Mã quốc gia của từng thủ tục thêm vào, ví dụ 1.004859 (thay đổi, cải "
            "chính, bổ sung thông tin hộ tịch)."
        ),
    )
    cutoff = models.TimeField(
        _("giờ hạn tiếp nhận"),
        default=datetime.time(15, 0),
        help_text=_(
            "Hồ sơ nhận trước giờ này được trả trong ngày; từ giờ này, trả vào "
            "ngày làm việc tiếp theo."
        ),
    )
    valid_from = models.DateField(
        _("áp dụng cho hồ sơ tiếp nhận từ ngày"), null=True, blank=True
    )
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("ngày “không viết, không hẹn”")
        verbose_name_plural = _("ngày “không viết, không hẹn”")
        ordering = ["centre", models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="noappointmentday_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="noappointmentday_weekday_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre}: {self.get_weekday_display()}"

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def covers(self, *, field_code: str, procedure_code: str) -> bool:
        """Whether a procedure of this field and national code is eligible."""
        return field_code in self.field_codes or (
            bool(procedure_code) and procedure_code in self.procedure_codes
        )

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")}
            )
        if not self.field_codes and not self.procedure_codes:
            raise ValidationError(
                _("Hãy nêu ít nhất một lĩnh vực hoặc một thủ tục áp dụng.")
            )
        if self.centre_id is None:
            return
        other = (
            NoAppointmentDay.objects.exclude(pk=self.pk)
            .filter(centre_id=self.centre_id)
            .filter(overlap_q(self.valid_from, self.valid_to))
            .first()
        )
        if other is not None:
            raise ValidationError(
                _(
                    "Thời gian áp dụng trùng với một quy định khác của đơn vị này "
                    "(%(other)s)."
                )
                % {"other": other}
            )
