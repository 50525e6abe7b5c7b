from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    RULES,
    NoAppointmentDay,
    RuleSet,
    default_no_appointment_fields,
    default_no_appointment_procedures,
)


def _rule_fields(rule: str, *value: str) -> tuple[str, ...]:
    return (*(value or (rule,)), f"{rule}_verified", f"{rule}_source")


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin[RuleSet]):
    """A deployment adds a rule set, or corrects one, here: no code changes.
    The periods of two sets may not overlap (RuleSet.clean)."""

    list_display = ["name", "valid_from", "valid_to", "code_format", "unverified"]
    search_fields = ["name", "slug", "legal_basis"]
    fieldsets = [
        (None, {"fields": ["slug", "name", "valid_from", "valid_to", "note"]}),
        (RULES["legal_basis"], {"fields": _rule_fields("legal_basis")}),
        (RULES["forms"], {"fields": _rule_fields("forms")}),
        (RULES["supplement_mode"], {"fields": _rule_fields("supplement_mode")}),
        (RULES["cutoff"], {"fields": _rule_fields("cutoff")}),
        (RULES["apology"], {"fields": _rule_fields("apology", "apology_rule")}),
        (
            RULES["code_format"],
            {"fields": _rule_fields("code_format", "code_format", "code_system")},
        ),
    ]

    @admin.display(description=_("quy tắc chưa kiểm chứng"))
    def unverified(self, obj: RuleSet) -> str:
        return ", ".join(str(RULES[rule]) for rule in obj.unverified_rules()) or "—"


class CodeListField(forms.CharField):
    """Codes typed as one line, separated by commas; stored as a list."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [code.strip() for code in text.split(",") if code.strip()]


class NoAppointmentDayForm(forms.ModelForm[NoAppointmentDay]):
    field_codes = CodeListField(
        label=_("mã lĩnh vực áp dụng"),
        required=False,
        initial=default_no_appointment_fields,
        help_text=NoAppointmentDay._meta.get_field("field_codes").help_text,
    )
    procedure_codes = CodeListField(
        label=_("mã thủ tục áp dụng"),
        required=False,
        initial=default_no_appointment_procedures,
        help_text=NoAppointmentDay._meta.get_field("procedure_codes").help_text,
    )

    class Meta:
        model = NoAppointmentDay
        fields = [
            "centre",
            "weekday",
            "field_codes",
            "procedure_codes",
            "cutoff",
            "valid_from",
            "valid_to",
            "source",
            "note",
        ]


@admin.register(NoAppointmentDay)
class NoAppointmentDayAdmin(admin.ModelAdmin[NoAppointmentDay]):
    """Each centre's "no writing, no appointment" day, dated: a new period is a
    new row (the periods of one centre may not overlap), so that a dossier keeps
    the rule of its day of receipt."""

    form = NoAppointmentDayForm
    list_display = [
        "centre",
        "weekday",
        "cutoff",
        "codes",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["weekday"]
    search_fields = ["centre__name", "centre__agency_code"]
    raw_id_fields = ["centre"]
    fields = [
        "centre",
        "weekday",
        "field_codes",
        "procedure_codes",
        "cutoff",
        "valid_from",
        "valid_to",
        "source",
        "note",
    ]

    @admin.display(description=_("lĩnh vực, thủ tục"))
    def codes(self, obj: NoAppointmentDay) -> str:
        return ", ".join([*obj.field_codes, *obj.procedure_codes]) or "—"
