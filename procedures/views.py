"""Public pages of the catalogue: home, results, one procedure, the form preview,
guides, a unit's page and announcements. Everyone may read them."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from units.models import AgencyType

from .forms import ProcedureFilterForm, QuickSearchForm
from .schema import field_labels, schema_form_class
from .schema.describe import condition_hint
from .selectors import (
    agency_types_with_counts,
    announcement_get,
    announcements_for_org_unit,
    announcements_published,
    faqs_for_procedure,
    fields_with_counts,
    guide_get,
    guides_published,
    life_events_with_counts,
    org_unit_get,
    org_units_active,
    procedure_get,
    procedure_search,
)

PAGE_SIZE = 20


@require_GET
def procedure_index(request: HttpRequest) -> HttpResponse:
    """The catalogue's home: search, life events, agencies, sectors, notices."""
    labels = dict(AgencyType.choices)
    agencies = [
        {**row, "label": labels.get(row["agency_type"], row["agency_type"])}
        for row in agency_types_with_counts()
    ]
    return render(
        request,
        "procedures/procedure_index.html",
        {
            "form": QuickSearchForm(),
            "life_events": life_events_with_counts(),
            "fields": fields_with_counts(),
            "agencies": agencies,
            "org_units": org_units_active(),
            "guides": guides_published()[:4],
            "announcements": announcements_published()[:3],
        },
    )


@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    """Results with filters; the filters live in the URL, so a search can be shared."""
    form = ProcedureFilterForm(request.GET or None)
    procedures = procedure_search()
    if form.is_bound:
        procedures = (
            procedure_search(**form.search_filters())
            if form.is_valid()
            else procedure_search().none()
        )
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/procedure_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_GET
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = procedure_get(code=code)
    if code != procedure.url_code:
        # One address per procedure: its national code once it has one.
        return HttpResponseRedirect(procedure.get_absolute_url())
    labels = field_labels(procedure.form_schema) if procedure.form_schema else {}
    steps = [
        {
            "step": step,
            "condition": condition_hint(procedure.form_schema, step.condition, labels)
            if step.condition
            else "",
        }
        for step in procedure.steps.all()
    ]
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "steps": steps,
            "groups": [s.group for s in procedure.group_steps.all()],
            "guides": procedure.guides.filter(is_published=True),
            "faqs": faqs_for_procedure(procedure=procedure),
        },
    )


@require_http_methods(["GET", "POST"])
def procedure_form(request: HttpRequest, code: str) -> HttpResponse:
    """Preview of the procedure's form; "Check" validates it and saves nothing."""
    procedure = procedure_get(code=code)
    if not procedure.submittable or not procedure.form_schema:
        raise Http404(code)
    form_class = schema_form_class(procedure.form_schema, include_files=False)
    form = form_class(request.POST if request.method == "POST" else None)
    checked = form.is_bound and form.is_valid()
    labels = field_labels(procedure.form_schema)
    summary: list[dict[str, Any]] = []
    if form.is_bound and not checked:
        for name, errors in form.errors.items():
            summary += [
                {
                    "field": labels.get(name, ""),
                    "anchor": form[name].auto_id if name in form.fields else "",
                    "message": message,
                }
                for message in errors
            ]
    return render(
        request,
        "procedures/procedure_form.html",
        {"procedure": procedure, "form": form, "checked": checked, "summary": summary},
        status=200,
    )


@require_GET
def guide_list(request: HttpRequest) -> HttpResponse:
    return render(request, "procedures/guide_list.html", {"guides": guides_published()})


@require_GET
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request, "procedures/guide_detail.html", {"guide": guide_get(slug=slug)}
    )


@require_GET
def unit_detail(request: HttpRequest, agency_code: str) -> HttpResponse:
    """An agency's page: its notices (and its area's) and what it handles."""
    org_unit = org_unit_get(agency_code=agency_code)
    return render(
        request,
        "procedures/unit_detail.html",
        {
            "org_unit": org_unit,
            "announcements": announcements_for_org_unit(org_unit=org_unit)[:20],
            "procedures": procedure_search(agency_type=org_unit.agency_type),
        },
    )


@require_GET
def announcement_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(announcements_published(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "procedures/announcement_list.html", {"page": page})


@require_GET
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "procedures/announcement_detail.html",
        {"announcement": announcement_get(pk=pk)},
    )
