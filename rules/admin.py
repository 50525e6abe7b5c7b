from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import RULES, RuleSet


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
