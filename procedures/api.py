"""The public catalogue API, at /api/v1/ (documented at /api/schema/ and /api/docs/).

Everyone may read the catalogue: these views allow anonymous access explicitly.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from units.models import AdminUnit, AgencyType, OrgUnitKind
from units.selectors import admin_units_valid_on, valid_on_q

from .fees import procedure_fee
from .models import (
    AgencyLevel,
    Document,
    Field,
    Kind,
    LinkedStep,
    OnlineLevel,
    Procedure,
)
from .schema import schema_api_fields
from .selectors import Place, procedure_get, procedure_places, procedure_search

app_name = "procedures-api"


# --- Query parameters ---------------------------------------------------------------


class ProcedureQuerySerializer(serializers.Serializer[dict[str, Any]]):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Từ khóa: tên thủ tục (có dấu hoặc không dấu) hoặc mã thủ tục."),
    )
    field = serializers.SlugField(
        required=False, allow_blank=True, help_text=_("Mã lĩnh vực, ví dụ ho-tich.")
    )
    life_event = serializers.SlugField(
        required=False,
        allow_blank=True,
        help_text=_("Mã sự kiện cuộc sống, ví dụ sinh-con."),
    )
    agency_level = serializers.ChoiceField(
        choices=AgencyLevel.choices,
        required=False,
        allow_blank=True,
        error_messages={
            "invalid_choice": _(
                "“{input}” không phải cấp thực hiện; dùng commune, district, "
                "province hoặc central."
            )
        },
    )
    kind = serializers.ChoiceField(
        choices=Kind.choices,
        required=False,
        allow_blank=True,
        error_messages={
            "invalid_choice": _("“{input}” không phải loại; dùng single hoặc linked.")
        },
    )
    essential = serializers.ChoiceField(
        choices=["true", "false"],
        required=False,
        allow_blank=True,
        error_messages={
            "invalid_choice": _("“{input}” không hợp lệ; dùng true hoặc false.")
        },
    )


class UnitQuerySerializer(serializers.Serializer[dict[str, Any]]):
    # The stubs type Field.parent; here it is only a query parameter's name.
    parent = serializers.RegexField(  # type: ignore[assignment]
        r"^\d{1,10}$",
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("Mã đơn vị hành chính chỉ gồm chữ số.")},
    )
    valid_on = serializers.DateField(
        required=False,
        error_messages={
            "invalid": _(
                "Ngày không hợp lệ: dùng dạng năm-tháng-ngày, ví dụ 2024-09-05."
            )
        },
    )


# --- Output -------------------------------------------------------------------------


class ProcedureListSerializer(serializers.ModelSerializer[Procedure]):
    field: serializers.SlugRelatedField[Field] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    processing_days = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
        help_text=_("Ngày làm việc; null = đang cập nhật (hoặc xem same_day)."),
    )
    fee_vnd = serializers.IntegerField(
        allow_null=True,
        read_only=True,
        help_text=_(
            "Phí, lệ phí khi nộp trực tuyến (đồng); 0 = miễn phí; null = đang cập nhật."
        ),
    )
    fee_text = serializers.SerializerMethodField(
        help_text=_(
            "Phí, lệ phí nộp trực tuyến như trang thủ tục ghi, theo ngôn ngữ của "
            "yêu cầu: số tiền, “Miễn phí”, hoặc “Đang cập nhật”."
        )
    )
    online_level = serializers.ChoiceField(
        choices=[("", _("Đang cập nhật")), *OnlineLevel.choices], read_only=True
    )
    agency_level = serializers.ChoiceField(
        choices=[("", _("Không áp dụng")), *AgencyLevel.choices], read_only=True
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "key",
            "name",
            "name_en",
            "field",
            "agency_level",
            "processing_days",
            "same_day",
            "fee_vnd",
            "fee_text",
            "online_level",
            "kind",
            "essential",
            "submittable",
        ]

    def get_fee_text(self, obj: Procedure) -> str:
        return procedure_fee(obj).text


class DocumentSerializer(serializers.ModelSerializer[Document]):
    class Meta:
        model = Document
        fields = [
            "key",
            "name",
            "name_en",
            "copies",
            "required",
            "condition_note",
            "condition_note_en",
            "ecopy_from_store",
            "ecopy_from_national_db",
        ]


class StepSerializer(serializers.ModelSerializer[LinkedStep]):
    procedure = serializers.CharField(
        source="procedure.url_code", help_text=_("Mã (hoặc khóa) thủ tục thành phần.")
    )
    procedure_name = serializers.CharField(source="procedure.name")
    procedure_name_en = serializers.CharField(source="procedure.name_en")
    agency = serializers.ChoiceField(
        source="agency_type", choices=AgencyType.choices, read_only=True
    )
    processing_days = serializers.DecimalField(
        source="effective_processing_days",
        max_digits=5,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
    )
    same_day = serializers.BooleanField(source="effective_same_day", read_only=True)
    condition = serializers.JSONField(
        help_text=_("Điều kiện áp dụng, đọc trên dữ liệu tờ khai của nhóm.")
    )

    class Meta:
        model = LinkedStep
        fields = [
            "order",
            "procedure",
            "procedure_name",
            "procedure_name_en",
            "agency",
            "processing_days",
            "same_day",
            "processing_note",
            "processing_note_en",
            "optional",
            "condition",
        ]


FormSerializer = inline_serializer(
    name="Form",
    fields={
        "fields": inline_serializer(
            name="FormField",
            many=True,
            fields={
                "name": serializers.CharField(
                    help_text=_(
                        "Tên mục; mục trong khối thông tin một người có dấu chấm, "
                        "ví dụ child.full_name."
                    )
                ),
                "label": serializers.CharField(),
                "type": serializers.CharField(),
                "required": serializers.BooleanField(),
                "section": serializers.CharField(),
                "choices": inline_serializer(
                    name="FormChoice",
                    many=True,
                    required=False,
                    fields={
                        "value": serializers.CharField(),
                        "label": serializers.CharField(),
                    },
                ),
                "help": serializers.CharField(required=False),
                "show_if": serializers.JSONField(required=False),
                "prefill": serializers.CharField(required=False),
                "document": serializers.CharField(required=False),
                "parent": serializers.CharField(required=False),
                "block": serializers.CharField(required=False),
                "block_required": serializers.BooleanField(required=False),
            },
        )
    },
    allow_null=True,
)


class ProcedureDetailSerializer(ProcedureListSerializer):
    # The stubs type Field.field_name; here it is an output key.
    field_name = serializers.CharField(source="field.name")  # type: ignore[assignment]
    field_name_en = serializers.CharField(source="field.name_en")
    life_events: Any = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    documents = DocumentSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    form = serializers.SerializerMethodField()

    class Meta(ProcedureListSerializer.Meta):
        fields = [
            *ProcedureListSerializer.Meta.fields,
            "essential_seq",
            "mapping_note",
            "mapping_note_en",
            "field_name",
            "field_name_en",
            "life_events",
            "agency_type",
            "agency_name",
            "agency_name_en",
            "processing_note",
            "processing_note_en",
            "fee_online_vnd",
            "fee_counter_vnd",
            "fee_note",
            "fee_note_en",
            "legal_basis",
            "legal_basis_en",
            "result_documents",
            "result_documents_en",
            "has_document_result",
            "where_done",
            "where_done_en",
            "counter_only_reason",
            "counter_only_reason_en",
            # Where each fact comes from (source, verified_note) names the
            # project's reference files: kept for the admin (decision 147).
            "verified",
            "documents",
            "steps",
            "form",
        ]

    @extend_schema_field(FormSerializer)
    def get_form(self, procedure: Procedure) -> dict[str, Any] | None:
        """The form's fields; null for what cannot be submitted here."""
        if not procedure.submittable or not procedure.form_schema:
            return None
        return {"fields": schema_api_fields(procedure.form_schema)}


class AdminUnitSerializer(serializers.ModelSerializer[AdminUnit]):
    # null at the top of the tree.
    parent: Any = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = AdminUnit
        fields = ["code", "name", "kind", "parent", "depth", "valid_from", "valid_to"]


# --- Views --------------------------------------------------------------------------


@extend_schema(
    summary="Tìm thủ tục",
    description=(
        "Procedures matching the query (case and diacritics ignored, codes match "
        "too), best match first, 20 per page."
    ),
    parameters=[ProcedureQuerySerializer],
)
class ProcedureListView(generics.ListAPIView[Procedure]):
    permission_classes = [AllowAny]
    serializer_class = ProcedureListSerializer

    def get_queryset(self) -> QuerySet[Procedure]:
        params = ProcedureQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.validated_data
        essential = filters.pop("essential", "")
        return procedure_search(
            **filters, essential=None if essential == "" else essential == "true"
        )


@extend_schema(
    summary="Một thủ tục",
    description=(
        "One procedure by its national code (or by its key while the code is being "
        "updated), with its papers, form fields and, for linked groups, steps."
    ),
)
class ProcedureDetailView(generics.RetrieveAPIView[Procedure]):
    permission_classes = [AllowAny]
    serializer_class = ProcedureDetailSerializer

    def get_object(self) -> Procedure:
        return procedure_get(code=self.kwargs["code"])


@extend_schema(
    summary="Đơn vị hành chính",
    description=(
        "Administrative units valid on a day (today by default): the children of "
        "`parent`, or the top of the tree without it."
    ),
    parameters=[
        OpenApiParameter("parent", OpenApiTypes.STR, description="Mã đơn vị cấp trên."),
        OpenApiParameter(
            "valid_on", OpenApiTypes.DATE, description="Ngày hiệu lực (YYYY-MM-DD)."
        ),
    ],
)
class AdminUnitListView(generics.ListAPIView[AdminUnit]):
    permission_classes = [AllowAny]
    serializer_class = AdminUnitSerializer

    def get_queryset(self) -> QuerySet[AdminUnit]:
        params = UnitQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        day: datetime.date = (
            params.validated_data.get("valid_on") or timezone.localdate()
        )
        code = params.validated_data.get("parent") or ""
        if not code:
            units = admin_units_valid_on(day=day).filter(parent__isnull=True)
            return units.order_by("code")
        parent = AdminUnit.objects.filter(valid_on_q(day), code=code).first()
        if parent is None:
            raise ValidationError(
                {
                    "parent": [
                        _(
                            "Không có đơn vị hành chính mã “%(code)s” còn hiệu lực "
                            "ngày %(day)s."
                        )
                        % {"code": code, "day": day.isoformat()}
                    ]
                }
            )
        return admin_units_valid_on(day=day, parent=parent).order_by("code")


class PlacesQuerySerializer(serializers.Serializer[dict[str, Any]]):
    on = serializers.DateField(
        required=False,
        error_messages={
            "invalid": _(
                "Ngày không hợp lệ: dùng dạng năm-tháng-ngày, ví dụ 2025-07-01."
            )
        },
    )
    province = serializers.RegexField(
        r"^\d{1,3}$",
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("Mã tỉnh chỉ gồm chữ số, ví dụ 37.")},
    )


class PlaceAreaSerializer(serializers.Serializer[AdminUnit]):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class PlaceSerializer(serializers.Serializer[Place]):
    code = serializers.CharField(
        source="unit.agency_code", help_text="Mã định danh điện tử cơ quan."
    )
    name = serializers.CharField(source="unit.name")
    kind = serializers.ChoiceField(source="unit.kind", choices=OrgUnitKind.choices)
    kind_label = serializers.CharField(source="unit.get_kind_display")
    agency_type = serializers.ChoiceField(
        source="unit.agency_type", choices=AgencyType.choices
    )
    area = PlaceAreaSerializer(source="unit.admin_unit")
    address = serializers.CharField(source="unit.address")
    phone = serializers.CharField(source="unit.phone")
    anywhere_in_province = serializers.BooleanField(
        help_text=(
            "Nơi này nhận thủ tục của người dân mọi xã, phường trong tỉnh (danh mục "
            "tiếp nhận không phụ thuộc địa giới hành chính); false: chỉ nhận hồ sơ "
            "của địa bàn mình."
        )
    )


@extend_schema(
    summary="Nơi nộp hồ sơ của một thủ tục vào một ngày",
    description=(
        "Where the procedure can be filed on `on` (today by default): the units "
        "in force that receive it, each with `anywhere_in_province`: true where "
        "the province's list of procedures received regardless of administrative "
        "boundary (Decree 118/2025 art. 20) holds it on that day, so that any "
        "centre or reception point of the province takes it from a citizen of "
        "any commune of the province; false where the unit takes it from its own "
        "area only. `province` keeps the places located in the province with that "
        "GSO code in force that day. 20 per page."
    ),
    parameters=[
        OpenApiParameter(
            "on", OpenApiTypes.DATE, description="Ngày (YYYY-MM-DD); mặc định hôm nay."
        ),
        OpenApiParameter(
            "province", OpenApiTypes.STR, description="Mã tỉnh (GSO), ví dụ 37."
        ),
    ],
)
class ProcedurePlacesView(generics.ListAPIView):  # type: ignore[type-arg]
    permission_classes = [AllowAny]
    serializer_class = PlaceSerializer

    def get_queryset(self) -> list[Place]:  # type: ignore[override]
        procedure = procedure_get(code=self.kwargs["code"])
        params = PlacesQuerySerializer(data=self.request.query_params)
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
        return procedure_places(procedure=procedure, day=day, province=province)


urlpatterns = [
    path("procedures/", ProcedureListView.as_view(), name="procedure-list"),
    path(
        "procedures/<str:code>/",
        ProcedureDetailView.as_view(),
        name="procedure-detail",
    ),
    path(
        "procedures/<str:code>/places/",
        ProcedurePlacesView.as_view(),
        name="procedure-places",
    ),
    path("units/", AdminUnitListView.as_view(), name="unit-list"),
]
