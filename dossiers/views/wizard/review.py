"""Review everything, declare, submit."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import citizen_required
from accounts.models import User
from procedures.fees import procedure_fee
from procedures.schema import field_labels, schema_file_fields

from ... import services, wizard
from ...calendar import explain_steps
from ...forms.citizen import ReviewForm
from ...models import Draft
from .common import (
    draft_of,
    identity_page,
    saved,
    step_before,
    step_context,
    submitted_draft,
    user_of,
)


def _problem_summary(
    draft: Draft, steps: list[wizard.Step], errors: dict[str, list[str]]
) -> list[dict[str, str]]:
    """Each problem with a link to the page (and field) where it is fixed."""
    schema = draft.procedure.form_schema
    labels = field_labels(schema)
    urls = {step.key: step.url for step in steps}
    files = {f["name"]: f["document"] for f in schema_file_fields(schema)}
    summary = []
    labels["receiving_unit"] = _("Nơi nộp hồ sơ")
    for name, messages_ in errors.items():
        step = (
            wizard.UNIT_STEP
            if name == "receiving_unit"
            else wizard.field_step(schema, name)
        )
        anchor = f"id_file-{files[name]}" if name in files else f"id_{name}"
        url = urls.get(step, urls[wizard.REVIEW_STEP])
        for message in messages_:
            summary.append(
                {
                    "label": labels.get(name, name),
                    "url": f"{url}#{anchor}",
                    "message": message,
                }
            )
    return summary


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    if request.method == "POST":
        done = submitted_draft(user, pk)
        if done is not None:
            return redirect("dossiers:dossier-submitted", code=done.code)
    draft = draft_of(request, pk)
    steps = wizard.wizard_steps(draft)
    key = wizard.REVIEW_STEP
    form = ReviewForm(request.POST if request.method == "POST" else None)
    submit_error = ""
    if request.method == "POST":
        action = request.POST.get("action", "submit")
        if action == "back":
            return redirect(step_before(steps, key).url)
        if action == "save":
            return saved(request)
        services.draft_update(draft=draft, step=key)
        if form.is_valid():
            response, submit_error = _submit(request, draft, user)
            if response is not None:
                return response
    procedure = draft.procedure
    values = services.draft_values(draft)
    attachments = list(draft.attachments.all())
    problems = wizard.draft_problems(draft)
    unit_ok = services.filing_place_ok(
        unit=draft.receiving_unit, procedure=procedure, applicant=user
    )
    if not unit_ok:
        problems["receiving_unit"] = [
            _("Nơi nộp này không còn nhận hồ sơ; hãy chọn lại nơi nộp.")
        ]
    provisional = services.deadline_for(
        procedure=procedure, received_at=timezone.now(), unit=draft.receiving_unit
    )
    return render(
        request,
        "dossiers/draft_review.html",
        {
            **step_context(draft, steps, key),
            "form": form,
            "rows": wizard.review_rows(procedure.form_schema, values),
            "attachments": attachments,
            "attached_keys": {a.document_key for a in attachments},
            "documents": list(wizard.iter_file_fields(procedure.form_schema, values)),
            "summary": [
                *_problem_summary(draft, steps, problems),
                *(
                    {"label": "", "anchor": "id_declaration", "message": str(e)}
                    for e in form.errors.get("declaration", [])
                ),
            ],
            "submit_error": submit_error,
            "provisional_due": provisional.due_at,
            "provisional_explanation": explain_steps(provisional.steps),
            "fee": procedure_fee(procedure),
            "unit_url": reverse("dossiers:draft-unit", args=[draft.pk]),
        },
    )


def _submit(
    request: HttpRequest, draft: Draft, user: User
) -> tuple[HttpResponse | None, str]:
    procedure = draft.procedure
    unit = draft.receiving_unit
    if unit is None:
        return None, _("Hãy chọn lại nơi nộp hồ sơ trước khi nộp.")
    try:
        dossier = services.dossier_submit(
            applicant=user,
            procedure=procedure,
            receiving_unit=unit,
            data=services.draft_values(draft),
            draft=draft,
            idempotency_key=f"draft-{draft.pk}",
            idempotency_fingerprint=services.draft_fingerprint(draft),
        )
    except services.IdentityLevelTooLow:
        return identity_page(request, user), ""
    except services.DossierError as exc:
        return None, exc.message
    return redirect("dossiers:dossier-submitted", code=dossier.code), ""
