"""The statistics API under /api/v1/stats/: staff only, scoped to the caller's
units, read from the pre-aggregated counts (docs/dashboards.md)."""

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from dossiers.models import Channel

from .metrics import METRICS, summary_fields
from .selectors import (
    Selection,
    StatsError,
    filters_parse,
    selection_resolve,
    stats_by_month,
    stats_by_procedure,
    stats_by_unit,
    stats_scope,
    stats_summary,
)

app_name = "dashboards-api"


def _figure_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {}
    for metric in METRICS:
        if metric.kind == "rate":
            fields[metric.name] = serializers.FloatField(
                allow_null=True,
                help_text=f"{metric.numerator} / {metric.denominator}; "
                "null when the denominator is 0",
            )
        else:
            fields[metric.name] = serializers.IntegerField(
                allow_null=metric.name.startswith("eid_")
            )
    return fields


StatsSummarySerializer = type(
    "StatsSummarySerializer", (serializers.Serializer,), _figure_fields()
)
StatsByUnitSerializer = type(
    "StatsByUnitSerializer",
    (serializers.Serializer,),
    {
        "unit": serializers.CharField(
            help_text="Administrative unit code, or agency identifier"
        ),
        "unit_name": serializers.CharField(),
        **_figure_fields(),
    },
)
StatsByProcedureSerializer = type(
    "StatsByProcedureSerializer",
    (serializers.Serializer,),
    {
        "procedure": serializers.CharField(),
        "procedure_name": serializers.CharField(),
        **_figure_fields(),
    },
)
StatsByMonthSerializer = type(
    "StatsByMonthSerializer",
    (serializers.Serializer,),
    {"month": serializers.CharField(help_text="YYYY-MM"), **_figure_fields()},
)

PARAMETERS = [
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="First day (default: 1 January)"
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)"),
    OpenApiParameter(
        "unit",
        str,
        description="Administrative unit code (the unit and every unit below it) "
        "or agency identifier",
    ),
    OpenApiParameter("procedure", str, description="Procedure code, e.g. 1.001193"),
    OpenApiParameter("channel", str, enum=Channel.values),
]


def _selection(request: Request) -> Selection:
    scope = stats_scope(user=request.user)
    try:
        filters = filters_parse(request.query_params)
        return selection_resolve(scope=scope, filters=filters)
    except StatsError as exc:
        raise ValidationError(exc.errors) from None


@extend_schema(parameters=PARAMETERS, responses=StatsSummarySerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def stats_summary_view(request: Request) -> Response:
    """Figures of the period for the unit (and every unit below it)."""
    return Response(summary_fields(stats_summary(selection=_selection(request))))


@extend_schema(parameters=PARAMETERS, responses=StatsByUnitSerializer(many=True))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def stats_by_unit_view(request: Request) -> Response:
    """The same figures for each unit right below the selected one."""
    rows = stats_by_unit(selection=_selection(request))
    return Response(
        [
            {"unit": r["unit"], "unit_name": r["unit_name"]} | summary_fields(r)
            for r in rows
        ]
    )


@extend_schema(parameters=PARAMETERS, responses=StatsByProcedureSerializer(many=True))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def stats_by_procedure_view(request: Request) -> Response:
    """The same figures for each procedure (e-ID fields are null)."""
    rows = stats_by_procedure(selection=_selection(request))
    return Response(
        [
            {"procedure": r["procedure"], "procedure_name": r["procedure_name"]}
            | summary_fields(r)
            for r in rows
        ]
    )


@extend_schema(parameters=PARAMETERS, responses=StatsByMonthSerializer(many=True))
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def stats_by_month_view(request: Request) -> Response:
    """The same figures for each month of the period."""
    rows = stats_by_month(selection=_selection(request))
    return Response([{"month": r["month"]} | summary_fields(r) for r in rows])


urlpatterns = [
    path("stats/summary/", stats_summary_view, name="stats-summary"),
    path("stats/by-unit/", stats_by_unit_view, name="stats-by-unit"),
    path("stats/by-procedure/", stats_by_procedure_view, name="stats-by-procedure"),
    path("stats/by-month/", stats_by_month_view, name="stats-by-month"),
]
