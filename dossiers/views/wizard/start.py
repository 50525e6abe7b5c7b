"""Start a submission (where to file), resume it, change the unit, delete it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import citizen_required
from accounts.models import User
from accounts.selectors import profile_for, profile_prefill
from procedures.models import Procedure
from procedures.schema import schema_prefill
from procedures.selectors import procedure_get
from units.models import OrgUnit, OrgUnitKind
from units.selectors import admin_unit_successors_on

from ... import services, wizard
from ...forms.citizen import UnitChoiceForm
from ...selectors import drafts_for, receiving_units_for_applicant
from .common import (
    draft_of,
    identity_page,
    saved,
    step_after,
    step_context,
    user_of,
)


def _not_submittable_reason(procedure: Procedure, has_units: bool) -> str:
    if not procedure.submittable or not procedure.form_schema:
        return "not_submittable"
    if procedure.counter_only:
        return "counter_only"
    if not has_units:
        return "no_unit"
    return ""


def _home_unit(user: User, units: list[OrgUnit]) -> OrgUnit | None:
    """The unit of the citizen's commune, the likely place to file; a commune of
    before the reform (thị trấn Gôi) leads to the one that succeeded it today
    (xã Vụ Bản)."""
    commune = profile_for(user=user).commune
    if commune is not None:
        areas = {commune.pk}
        if not any(unit.admin_unit_id == commune.pk for unit in units):
            today = timezone.localdate()
            successors = admin_unit_successors_on(unit=commune, day=today)
            areas = {area.pk for area in successors}
        # A centre before a reception point of the same commune.
        home = [unit for unit in units if unit.admin_unit_id in areas]
        home.sort(key=lambda unit: unit.kind == OrgUnitKind.RECEPTION_POINT)
        if home:
            return home[0]
    return units[0] if len(units) == 1 else None


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_create(request: HttpRequest, code: str) -> HttpResponse:
    """The start of a submission: what is needed, and where to file."""
    procedure = procedure_get(code=code)
    if code != procedure.url_code:
        return redirect("dossiers:dossier-create", code=procedure.url_code)
    user = user_of(request)
    # The places for this citizen: those serving their commune, and any centre
    # of their province for a procedure on the province's list (issue 17).
    offered = receiving_units_for_applicant(procedure=procedure, applicant=user)
    units = list(offered)
    reason = _not_submittable_reason(procedure, bool(units))
    if reason:
        return render(
            request,
            "dossiers/dossier_not_submittable.html",
            {"procedure": procedure, "reason": reason},
        )
    try:
        services.submission_check(applicant=user, procedure=procedure)
    except services.IdentityLevelTooLow:
        return identity_page(request, user)
    form = UnitChoiceForm(
        request.POST if request.method == "POST" else None,
        units=offered,
        initial={"receiving_unit": _home_unit(user, units)},
    )
    if form.is_valid():
        values = schema_prefill(procedure.form_schema, profile_prefill(user=user))
        draft = services.draft_create(
            owner=user,
            procedure=procedure,
            receiving_unit=form.cleaned_data["receiving_unit"],
            data=values,
        )
        steps = wizard.wizard_steps(draft)
        first = steps[1]
        services.draft_update(draft=draft, step=first.key)
        return redirect(first.url)
    return render(
        request,
        "dossiers/dossier_start.html",
        {
            "procedure": procedure,
            "form": form,
            "drafts": drafts_for(user=user).filter(procedure=procedure),
            "documents": procedure.documents.all(),
        },
    )


@citizen_required
@require_GET
def draft_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to where the citizen left the draft."""
    draft = draft_of(request, pk)
    steps = wizard.wizard_steps(draft)
    keys = [step.key for step in steps]
    step = steps[keys.index(draft.step)] if draft.step in keys else steps[0]
    return redirect(step.url)


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_unit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_of(request, pk)
    steps = wizard.wizard_steps(draft)
    units = receiving_units_for_applicant(
        procedure=draft.procedure, applicant=user_of(request)
    )
    form = UnitChoiceForm(
        request.POST if request.method == "POST" else None,
        units=units,
        initial={"receiving_unit": draft.receiving_unit},
    )
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if form.is_valid():
            services.draft_update(
                draft=draft,
                receiving_unit=form.cleaned_data["receiving_unit"],
                step=wizard.UNIT_STEP,
            )
            if action == "save":
                return saved(request)
            return redirect(step_after(steps, wizard.UNIT_STEP).url)
    return render(
        request,
        "dossiers/draft_unit.html",
        {**step_context(draft, steps, wizard.UNIT_STEP), "form": form},
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_of(request, pk)
    if request.method == "POST":
        services.draft_delete(draft=draft)
        messages.success(request, _("Đã xóa hồ sơ đang soạn."))
        return redirect("dossiers:dossier-mine")
    return render(request, "dossiers/draft_confirm_delete.html", {"draft": draft})
