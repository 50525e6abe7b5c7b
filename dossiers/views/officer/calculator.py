"""The appointment calculator."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.decorators import staff_required

from ... import services
from ...calendar import explain_steps
from ...forms.officer import DueCalculatorForm, weekday_date

# --- Appointment calculator -------------------------------------------------------


@staff_required
@never_cache
@require_GET
def calendar_due(request: HttpRequest) -> HttpResponse:
    """The due date of a procedure for a receipt time, with its explanation (the
    same service as `GET /api/v1/calendar/due/`)."""
    now = timezone.localtime()
    form = DueCalculatorForm(
        request.GET or None,
        initial={"received_on": now.date(), "received_time": now.strftime("%H:%M")},
    )
    result = None
    if form.is_valid():
        procedure = form.cleaned_data["procedure"]
        deadline = services.deadline_for(
            procedure=procedure,
            received_at=form.received_at(),
            unit=getattr(request.user, "org_unit", None),
        )
        result = {
            "procedure": procedure,
            "due_at": deadline.due_at,
            "due_day": weekday_date(deadline.due_date),
            "explanation": explain_steps(deadline.steps, staff=True),
            # No verified time limit: the date is the provisional same-day rule.
            "limit_unknown": procedure.processing_days is None
            and not procedure.same_day,
        }
    return render(
        request,
        "dossiers/calendar_due.html",
        {"form": form, "result": result},
        status=200 if form.is_bound is False or result else 400,
    )
