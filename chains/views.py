"""Pages of the linked chains: the steps on the dossier pages (a section that
dossiers shows through its hooks), the citizen's "correct and resubmit" page,
and the staff's failed-handoff queue."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import citizen_required, staff_required
from dossiers.models import Dossier
from dossiers.selectors import dossier_get_for_user, dossier_timeliness
from dossiers.services import DossierError, InvalidDossierData
from procedures.schema import SchemaForm, field_labels, schema_form_class

from . import services
from .forms import ResubmitNoteForm
from .models import ChainRun, ChainStep, RunStatus, StepState
from .selectors import (
    chain_limit,
    chain_of,
    chain_steps,
    handoff_get_for_staff,
    handoffs_late_for,
    limit_note,
    result_lines,
    step_get_for_staff,
    step_of_part,
    steps_failed_for,
)

# How a step's state reads as a badge (colour and words, never colour alone).
STATE_CSS: dict[str, str] = {
    StepState.PENDING: "secondary",
    StepState.QUEUED: "info",
    StepState.RUNNING: "info",
    StepState.RETRY_WAIT: "warning",
    StepState.WAITING_OFFICER: "info",
    StepState.WAITING_CITIZEN: "warning",
    StepState.FAILED: "warning",
    StepState.REFUSED: "danger",
    StepState.DONE: "success",
    StepState.CANCELLED: "secondary",
}


def _rows(steps: list[ChainStep], *, as_staff: bool) -> list[dict[str, Any]]:
    now = timezone.now()
    rows = []
    for step in steps:
        part = step.sub_dossier
        rows.append(
            {
                "step": step,
                "css": STATE_CSS.get(step.state, "secondary"),
                "lines": result_lines(step) if step.state == StepState.DONE else [],
                "limit_note": limit_note(step),
                "late": part is not None
                and dossier_timeliness(part, as_of=now) in ("late", "overdue"),
                "part_url": _part_url(part, as_staff) if part is not None else "",
            }
        )
    return rows


def _part_url(part: Dossier, as_staff: bool) -> str:
    from django.urls import reverse

    name = "dossiers:dossier-work" if as_staff else "dossiers:dossier-detail"
    return reverse(name, args=[part.code])


def dossier_section(request: HttpRequest, dossier: Dossier, place: str) -> str:
    """The chains' part of a dossier page (registered in dossiers.hooks): every
    step of a linked dossier with its agency, status, due date and result; on a
    step's own dossier, which linked dossier and step it belongs to. Costs no
    query on other dossiers."""
    if place not in {"detail", "work"}:
        return ""
    user = request.user
    as_staff = place == "work"
    if dossier.procedure.is_linked:
        run = chain_of(dossier)
        if run is None:
            return ""
        steps = chain_steps(run)
        return render_to_string(
            "chains/chain_section.html",
            {
                "run": run,
                "limit": chain_limit(run),
                "rows": _rows(steps, as_staff=as_staff),
                "as_staff": as_staff,
                "is_applicant": dossier.applicant_id == getattr(user, "pk", None),
                "waiting": run.status == RunStatus.WAITING_CITIZEN,
                "halted": next(
                    (
                        s
                        for s in steps
                        if s.state in (StepState.REFUSED, StepState.WAITING_CITIZEN)
                    ),
                    None,
                ),
            },
            request=request,
        )
    if dossier.part_of_id is not None:
        step = step_of_part(dossier)
        if step is None:
            return ""
        previous = [
            s
            for s in chain_steps(step.run)
            if s.order < step.order and s.state == StepState.DONE
        ]
        return render_to_string(
            "chains/part_section.html",
            {
                "step": step,
                "parent": step.run.dossier,
                "previous": [(s, result_lines(s)) for s in previous],
                "as_staff": as_staff,
                "limit_note": limit_note(step),
            },
            request=request,
        )
    return ""


# --- The citizen corrects and resubmits ----------------------------------------------


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    """Form data as the schema form names it (a person's fields dotted)."""
    flat: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                flat[f"{name}.{sub}"] = sub_value
        else:
            flat[name] = value
    return flat


def _own_run(request: HttpRequest, code: str) -> ChainRun:
    dossier = dossier_get_for_user(user=request.user, code=code)
    if dossier.applicant_id != request.user.pk:
        raise Http404
    run = chain_of(dossier)
    if run is None:
        raise Http404
    return run


def _summary(form: SchemaForm) -> list[dict[str, str]]:
    labels = field_labels(form.schema)
    summary = []
    for name, errors in form.errors.items():
        for message in errors:
            known = name in form.fields
            summary.append(
                {
                    "label": labels.get(name, str(form.fields[name].label))
                    if known
                    else "",
                    "anchor": form[name].auto_id if known else "",
                    "message": str(message),
                }
            )
    return summary


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def chain_resubmit(request: HttpRequest, code: str) -> HttpResponse:
    """Correct the linked dossier and send it again from the step that was
    refused or asked for papers; the steps done are kept."""
    run = _own_run(request, code)
    dossier = run.dossier
    if run.status != RunStatus.WAITING_CITIZEN:
        messages.info(request, _("Hồ sơ liên thông này không chờ bạn sửa, bổ sung."))
        return redirect(dossier)
    halted = (
        run.steps.filter(state__in=[StepState.REFUSED, StepState.WAITING_CITIZEN])
        .select_related("procedure", "org_unit")
        .first()
    )
    schema = dossier.procedure.form_schema
    form_class = schema_form_class(schema)
    initial = _flat(dossier.data)
    fixed = services.condition_fields(run)
    post = request.method == "POST"
    if post:
        # The choice of procedures (disabled fields) keeps its initial value,
        # whatever was posted.
        form = form_class(
            request.POST, request.FILES, initial=initial, known_data=initial
        )
        note_form = ResubmitNoteForm(request.POST)
    else:
        form = form_class(initial=initial, known_data=initial)
        note_form = ResubmitNoteForm()
    for name in fixed:
        if name in form.fields:
            form.fields[name].disabled = True
    problem = ""
    if post and form.is_valid() and note_form.is_valid():
        files = []
        for name in form.file_fields:
            upload = request.FILES.get(name)
            if upload is not None:
                files.append((_document_of(schema, name), upload))
        try:
            services.chain_resubmit(
                run=run,
                actor=request.user,
                data=form.schema_data,
                files=files,
                note=note_form.cleaned_data["note"],
            )
        except InvalidDossierData as exc:
            for name, errors in exc.errors.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        except DossierError as exc:
            problem = exc.message
        else:
            messages.success(
                request,
                _("Đã nộp lại hồ sơ liên thông %(code)s; các bước tiếp tục.")
                % {"code": dossier.code},
            )
            return redirect(dossier)
    status = 200 if not post or form.is_valid() else 400
    return render(
        request,
        "chains/chain_resubmit.html",
        {
            "dossier": dossier,
            "run": run,
            "halted": halted,
            "form": form,
            "note_form": note_form,
            "summary": _summary(form) if post else [],
            "problem": problem,
        },
        status=status if not problem else 409,
    )


def _document_of(schema: dict[str, Any], name: str) -> str:
    from procedures.schema.definitions import leaves

    for leaf in leaves(schema):
        if leaf.name == name:
            return str(leaf.field.get("document", ""))
    return ""


# --- Staff: the failed-handoff queue -------------------------------------------------


@staff_required
@never_cache
@require_GET
def step_failed(request: HttpRequest) -> HttpResponse:
    """Steps whose agency's system did not answer after the last attempt, in the
    staff member's units (district staff: their area), with a button to send each
    back once the system works again."""
    if not request.user.has_perm("chains.handle_failed_steps"):
        raise Http404
    page = Paginator(steps_failed_for(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    # Hand-overs past Decree 63/2024 art. 7(4)'s limits: the oldest 50 (each
    # alerted once; they leave the list once acknowledged).
    late = list(handoffs_late_for(user=request.user)[:50])
    return render(request, "chains/step_failed.html", {"page": page, "handoffs": late})


@staff_required
@require_POST
def step_retry(request: HttpRequest, pk: int) -> HttpResponse:
    step = step_get_for_staff(user=request.user, pk=pk)
    try:
        services.chain_step_retry(step=step, actor=request.user)
    except DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã chuyển lại bước %(order)s của hồ sơ %(code)s.")
            % {"order": step.order, "code": step.run.dossier.code},
        )
    return redirect("chains:step-failed")


@staff_required
@require_POST
def handoff_retry(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = handoff_get_for_staff(user=request.user, pk=pk)
    try:
        services.handoff_retry(handoff=handoff, actor=request.user)
    except DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã chuyển lại bước %(order)s của hồ sơ %(code)s.")
            % {"order": handoff.step.order, "code": handoff.step.run.dossier.code},
        )
    return redirect("chains:step-failed")
