"""Dashboard pages for district staff and unit leaders: figures, charts, the
communes' table, the dossiers behind a figure, the service index, exports.

Every page reads the caller's scope first (403 for anyone without a statistics
role, citizens included), then the filters from the URL."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.addresses import absolute_url
from accounts.decorators import staff_required
from dossiers.selectors import dossiers_visible_to
from units.models import OrgUnit

from .exports import export_csv, export_xlsx, provided_tables, table_names
from .forms import StatsFilterForm
from .metrics import METRIC_BY_NAME, METRICS
from .providers import extra_figures
from .selectors import (
    DRILL_DOWN_MEASURES,
    Filters,
    Scope,
    Selection,
    StatsError,
    dossiers_by_id,
    facts_behind,
    filters_parse,
    selection_resolve,
    stats_by_month,
    stats_by_procedure,
    stats_by_unit,
    stats_scope,
    stats_summary,
    stock_day,
)
from .service_index import service_index, service_measures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _resolve(request: HttpRequest) -> tuple[Scope, Selection, list[str]]:
    """Scope (403 otherwise), then the selection; bad filters fall back to the
    defaults and come back as messages."""
    scope = stats_scope(user=request.user)
    errors: list[str] = []
    try:
        filters = filters_parse(request.GET)
        selection = selection_resolve(scope=scope, filters=filters)
    except StatsError as exc:
        errors = [m for messages in exc.errors.values() for m in messages]
        filters = filters_parse({})
        selection = selection_resolve(scope=scope, filters=filters)
    return scope, selection, errors


def _query(filters: Filters, **extra: str) -> str:
    return urlencode(filters.query() | extra)


def _chart(labels: list[str], series: list[tuple[str, list[Any]]]) -> dict[str, Any]:
    return {
        "labels": labels,
        "datasets": [{"label": label, "data": data} for label, data in series],
    }


@staff_required
@require_GET
def stats_dashboard(request: HttpRequest) -> HttpResponse:
    scope, selection, errors = _resolve(request)
    filters = selection.filters
    summary = stats_summary(selection=selection)
    units = stats_by_unit(selection=selection)
    procedures = stats_by_procedure(selection=selection)
    months = stats_by_month(selection=selection)
    extras = extra_figures(
        org_units=OrgUnit.objects.filter(selection.org_units),
        start=filters.start,
        end=filters.end,
    )
    label = METRIC_BY_NAME
    charts = {
        "months": _chart(
            [m["month"] for m in months],
            [
                (
                    str(label["received_total"].label),
                    [m["received_total"] for m in months],
                ),
                (
                    str(label["completed_total"].label),
                    [m["completed_total"] for m in months],
                ),
                (
                    str(label["completed_late"].label),
                    [m["completed_late"] for m in months],
                ),
            ],
        ),
        "units": _chart(
            [u["unit_name"] for u in units],
            [
                (
                    str(label["received_online"].label),
                    [u["received_online"] for u in units],
                ),
                (
                    _("Tiếp nhận trực tiếp, bưu chính"),
                    [u["received_counter"] + u["received_post"] for u in units],
                ),
            ],
        ),
        "procedures": _chart(
            [p["procedure_name"][:60] for p in procedures[:10]],
            [
                (
                    str(label["received_total"].label),
                    [p["received_total"] for p in procedures[:10]],
                )
            ],
        ),
    }
    query = _query(filters)
    return render(
        request,
        "dashboards/stats_dashboard.html",
        {
            "form": StatsFilterForm(scope=scope, filters=filters),
            "errors": errors,
            "selection": selection,
            "filters": filters,
            "stock_day": stock_day(filters),
            "summary": summary,
            "provided_tables": provided_tables(selection),
            "units": units,
            "procedures": procedures,
            "months": months,
            "extras": extras,
            "charts": charts,
            "query": query,
            "tables": table_names(),
            "metrics": METRIC_BY_NAME,
        },
    )


@staff_required
@require_GET
def stats_dossier_list(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one figure (their count is the figure)."""
    _scope, selection, errors = _resolve(request)
    measure = request.GET.get("measure", "")
    if measure not in DRILL_DOWN_MEASURES:
        measure = "received_total"
    facts = facts_behind(selection=selection, measure=measure)
    page = Paginator(facts.values_list("dossier_id", flat=True), 50).get_page(
        request.GET.get("page")
    )
    dossiers = dossiers_by_id(list(page.object_list))
    # An area's figures across the reform include units whose dossiers the
    # caller may not open (a former district's successors): their codes are
    # listed without a link (decision 200). Within the caller's own area or
    # unit every dossier opens (`dossiers_visible_to` grants them): no query.
    openable: set[int] | None = None
    area = selection.scope.area
    if area is not None and any(
        not root.path.startswith(area.path) for root in selection.roots
    ):
        openable = set(
            dossiers_visible_to(user=request.user)
            .filter(pk__in=[d.pk for d in dossiers])
            .values_list("pk", flat=True)
        )
    labels = {
        "received_counter": _("Tiếp nhận trực tiếp"),
        "received_post": _("Tiếp nhận qua bưu chính"),
        "satisfied_total": _("Đánh giá hài lòng, rất hài lòng"),
        "open_on_track": _("Đang giải quyết, trong hạn (cuối kỳ)"),
    }
    metric = METRIC_BY_NAME.get(measure)
    return render(
        request,
        "dashboards/stats_dossier_list.html",
        {
            "errors": errors,
            "selection": selection,
            "filters": selection.filters,
            "measure": measure,
            "measure_label": metric.label if metric else labels[measure],
            "page": page,
            "dossiers": dossiers,
            "openable": openable,
            "closed": openable is not None
            and any(d.pk not in openable for d in dossiers),
            "query": _query(selection.filters),
            "page_query": _query(selection.filters, measure=measure),
        },
    )


@staff_required
@require_GET
def service_index_view(request: HttpRequest) -> HttpResponse:
    scope, selection, errors = _resolve(request)
    summary = stats_summary(selection=selection)
    extras = extra_figures(
        org_units=OrgUnit.objects.filter(selection.org_units),
        start=selection.filters.start,
        end=selection.filters.end,
    )
    index = service_index(values=summary, day=selection.filters.end, figures=extras)
    measures = service_measures(
        values=summary,
        day=selection.filters.end,
        groups={g.code: g.name for g in index.groups} if index else {},
    )
    return render(
        request,
        "dashboards/service_index.html",
        {
            "form": StatsFilterForm(scope=scope, filters=selection.filters),
            "errors": errors,
            "selection": selection,
            "filters": selection.filters,
            "summary": summary,
            "index": index,
            "measures": measures,
            "query": _query(selection.filters),
        },
    )


@require_GET
def stats_methods(request: HttpRequest) -> HttpResponse:
    """How each figure is counted, from its definition in `metrics`. Public: it
    holds no figure, and exports shared outside the portal point to it."""
    return render(request, "dashboards/stats_methods.html", {"metrics": METRICS})


@staff_required
@require_GET
def stats_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """CSV (one table, `table=`) or XLSX (every table) of the filtered figures,
    headed in the reader's language; `headers=codes` heads a CSV with the API's
    field codes, for software."""
    _scope, selection, _errors = _resolve(request)
    f = selection.filters
    stem = f"thong-ke-{f.start:%Y%m%d}-{f.end:%Y%m%d}"
    if fmt == "xlsx":
        methods = absolute_url(reverse("dashboards:stats-methods"), request)
        response = HttpResponse(
            export_xlsx(selection, methods_url=methods), content_type=XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    table = request.GET.get("table", "units")
    if table not in table_names():
        table = "units"
    codes = request.GET.get("headers") == "codes"
    response = HttpResponse(
        export_csv(selection, table, codes=codes),
        content_type="text/csv; charset=utf-8",
    )
    suffix = "-codes" if codes else ""
    response["Content-Disposition"] = (
        f'attachment; filename="{stem}-{table}{suffix}.csv"'
    )
    return response
