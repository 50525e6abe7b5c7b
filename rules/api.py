"""The rule set in force on a day, at /api/v1/rules/?on=YYYY-MM-DD (a contract
other systems rely on: issue 17). Public reference data, like
/api/v1/org-units/: anonymous access is allowed."""

import datetime
from typing import Any

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from .models import RULES, CodeFormat, RuleSet, SupplementMode
from .selectors import rule_set_on

app_name = "rules-api"


class RulesQuerySerializer(serializers.Serializer[dict[str, Any]]):
    on = serializers.DateField(
        required=False,
        error_messages={
            "invalid": gettext_lazy(
                "Ngày không hợp lệ: dùng dạng năm-tháng-ngày, ví dụ 2025-07-01."
            )
        },
    )


class RuleFormSerializer(serializers.Serializer[dict[str, str]]):
    number = serializers.CharField(help_text="Số mẫu, ví dụ 01.")
    name = serializers.CharField()


VerifiedSerializer = inline_serializer(
    "RuleVerified",
    {rule: serializers.BooleanField() for rule in RULES},
)


class RuleSetSerializer(serializers.ModelSerializer[RuleSet]):
    forms = serializers.SerializerMethodField()
    supplement_mode = serializers.ChoiceField(choices=SupplementMode.choices)
    cutoff = serializers.SerializerMethodField(
        help_text="Giờ hạn tiếp nhận trong ngày, HH:MM."
    )
    apology = serializers.CharField(source="apology_rule")
    code_format = serializers.ChoiceField(choices=CodeFormat.choices)
    verified = serializers.SerializerMethodField()

    class Meta:
        model = RuleSet
        fields = [
            "name",
            "valid_from",
            "valid_to",
            "legal_basis",
            "forms",
            "supplement_mode",
            "cutoff",
            "apology",
            "code_format",
            "verified",
        ]

    @extend_schema_field(RuleFormSerializer(many=True))
    def get_forms(self, obj: RuleSet) -> list[dict[str, str]]:
        return [{"number": f["number"], "name": f["name"]} for f in obj.forms]

    @extend_schema_field(serializers.RegexField(r"^\d{2}:\d{2}$"))
    def get_cutoff(self, obj: RuleSet) -> str:
        return f"{obj.cutoff:%H:%M}"

    @extend_schema_field(VerifiedSerializer)
    def get_verified(self, obj: RuleSet) -> dict[str, bool]:
        return obj.verified()


@extend_schema(
    summary="Bộ quy tắc một cửa có hiệu lực vào một ngày",
    description=(
        "The rule set in force for a dossier received on `on` (today by default): "
        "its name, legal basis, forms (number, name), what a supplement does to "
        "the time limit (`restart` or `pause`), the cut-off time, the apology "
        "rule, the dossier code's format, and per rule whether its source was "
        "verified. 404 when no rule set is in force that day."
    ),
    parameters=[
        OpenApiParameter(
            "on", OpenApiTypes.DATE, description="Ngày (YYYY-MM-DD); mặc định hôm nay."
        )
    ],
    responses={
        200: RuleSetSerializer,
        404: inline_serializer("NoRuleSet", {"detail": serializers.CharField()}),
    },
)
@api_view(["GET"])
@permission_classes([AllowAny])
def rule_set_in_force(request: Request) -> Response:
    params = RulesQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    day: datetime.date = params.validated_data.get("on") or timezone.localdate()
    rule_set = rule_set_on(day)
    if rule_set is None:
        raise NotFound(
            _("Không có bộ quy tắc nào có hiệu lực ngày %(day)s.")
            % {"day": day.isoformat()}
        )
    return Response(RuleSetSerializer(rule_set).data)


urlpatterns = [
    path("rules/", rule_set_in_force, name="rule-set"),
]
