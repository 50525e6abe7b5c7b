"""Organisation units in force on a day, at /api/v1/org-units/ (a contract other
systems rely on: the parameters and kinds are those of issue 17).

Public reference data, like /api/v1/units/: anonymous access is allowed.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from .models import AdminUnit, OrgUnit, OrgUnitKind
from .selectors import org_units_in_force, valid_on_q

app_name = "units-api"


class OrgUnitQuerySerializer(serializers.Serializer[dict[str, Any]]):
    on = serializers.DateField(
        required=False,
        error_messages={
            "invalid": _(
                "Ngày không hợp lệ: dùng dạng năm-tháng-ngày, ví dụ 2025-07-01."
            )
        },
    )
    kind = serializers.ChoiceField(
        choices=OrgUnitKind.choices,
        required=False,
        allow_blank=True,
        error_messages={
            "invalid_choice": _(
                "Loại đơn vị “{input}” không có; dùng một trong các giá trị của "
                "tham số kind, ví dụ commune_centre."
            )
        },
    )
    province = serializers.RegexField(
        r"^\d{1,3}$",
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("Mã tỉnh chỉ gồm chữ số, ví dụ 37.")},
    )


class AreaSerializer(serializers.ModelSerializer[AdminUnit]):
    class Meta:
        model = AdminUnit
        fields = ["code", "name", "kind"]


class OrgUnitSerializer(serializers.ModelSerializer[OrgUnit]):
    code = serializers.CharField(
        source="agency_code", help_text="Mã định danh điện tử cơ quan."
    )
    kind = serializers.ChoiceField(choices=OrgUnitKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    area = AreaSerializer(source="admin_unit")
    parent: Any = serializers.SlugRelatedField(
        slug_field="agency_code", read_only=True, allow_null=True
    )
    successors: Any = serializers.SlugRelatedField(
        slug_field="agency_code", read_only=True, many=True
    )
    receives_dossiers = serializers.BooleanField(
        help_text="Người dân nộp hồ sơ tại đây (trung tâm, điểm tiếp nhận...)."
    )

    class Meta:
        model = OrgUnit
        fields = [
            "code",
            "name",
            "kind",
            "kind_label",
            "agency_type",
            "area",
            "parent",
            "valid_from",
            "valid_to",
            "successors",
            "receives_dossiers",
            "address",
            "phone",
            "contact_verified",
        ]


@extend_schema(
    summary="Cơ quan, đơn vị có hiệu lực vào một ngày",
    description=(
        "Organisation units in force on `on` (today by default): dated like "
        "administrative units, so `on=2025-06-30` gives the district's agencies "
        "of before the reform and `on=2025-07-01` the provincial and commune "
        "Public Administration Service Centres and the commune's offices. "
        "`kind` filters by kind, `province` by the GSO code of a province in "
        "force that day (its units anywhere below it). A unit switched off in "
        "the admin is not listed. 20 per page."
    ),
    parameters=[
        OpenApiParameter(
            "on", OpenApiTypes.DATE, description="Ngày (YYYY-MM-DD); mặc định hôm nay."
        ),
        OpenApiParameter(
            "kind",
            OpenApiTypes.STR,
            enum=OrgUnitKind.values,
            description="Loại đơn vị: "
            + "; ".join(f"`{value}`" for value in OrgUnitKind.values)
            + ".",
        ),
        OpenApiParameter(
            "province", OpenApiTypes.STR, description="Mã tỉnh (GSO), ví dụ 37."
        ),
    ],
)
class OrgUnitListView(generics.ListAPIView[OrgUnit]):
    permission_classes = [AllowAny]
    serializer_class = OrgUnitSerializer

    def get_queryset(self) -> QuerySet[OrgUnit]:
        params = OrgUnitQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        day: datetime.date = params.validated_data.get("on") or timezone.localdate()
        code = params.validated_data.get("province") or ""
        province = None
        if code:
            province = AdminUnit.objects.filter(
                valid_on_q(day), code=code, parent__isnull=True
            ).first()
            if province is None:
                raise ValidationError(
                    {
                        "province": [
                            _("Không có tỉnh mã “%(code)s” còn hiệu lực ngày %(day)s.")
                            % {"code": code, "day": day.isoformat()}
                        ]
                    }
                )
        return org_units_in_force(
            day=day, kind=params.validated_data.get("kind") or "", province=province
        ).prefetch_related("successors")


urlpatterns = [
    path("org-units/", OrgUnitListView.as_view(), name="org-unit-list"),
]
