"""One page per section of the procedure's form, with the population-registry
lookup for person blocks."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import citizen_required
from procedures.schema import SchemaForm, field_labels, schema_form_class
from procedures.schema.definitions import pick

from ... import services, wizard
from ...forms.citizen import RegistryConsentForm, add_lookup_buttons
from .common import (
    draft_of,
    saved,
    step_after,
    step_before,
    step_context,
    user_of,
)


def _error_summary(form: SchemaForm) -> list[dict[str, str]]:
    labels = field_labels(form.schema)
    summary = []
    for name, errors in form.errors.items():
        for message in errors:
            if name in form.fields:
                summary.append(
                    {
                        "label": labels.get(name, str(form.fields[name].label)),
                        "anchor": form[name].auto_id,
                        "message": str(message),
                    }
                )
            else:
                summary.append({"label": "", "anchor": "", "message": str(message)})
    return summary


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    draft = draft_of(request, pk)
    schema = draft.procedure.form_schema
    part = wizard.section_get(schema, section)
    if part is None:
        raise Http404
    key = wizard.SECTION_STEP + section
    steps = wizard.wizard_steps(draft)
    if key not in [step.key for step in steps]:
        # The section does not apply to what was typed on an earlier page.
        return redirect("dossiers:draft-resume", pk=draft.pk)
    form_class = schema_form_class(schema, section=section, include_files=False)
    values = services.draft_values(draft)
    page_fields = list(form_class(known_data=values).fields)
    others = {k: v for k, v in values.items() if k not in page_fields}
    blocks = wizard.lookup_blocks(part)
    notice: wizard.Notice | None = None
    if request.method == "POST":
        form = form_class(request.POST, known_data=others)
        typed = {name: request.POST.get(name, "").strip() for name in page_fields}
        draft = services.draft_update(
            draft=draft,
            values={k: v for k, v in typed.items() if v},
            clear=[k for k, v in typed.items() if not v],
            step=key,
        )
        if blocks:
            draft = services.draft_set_registry_consent(
                draft=draft, consent=bool(request.POST.get("registry_consent"))
            )
        action = request.POST.get("action", "next")
        lookup = request.POST.get("lookup")
        if lookup:
            try:
                notice = wizard.registry_fill(
                    draft=draft,
                    part=part,
                    block_name=lookup,
                    number=request.POST.get(f"{lookup}.personal_id", ""),
                    user_id=user_of(request).pk,
                )
            except ValueError as exc:
                raise Http404 from exc
            draft.refresh_from_db()
            values = services.draft_values(draft)
            form = form_class(initial=values, known_data=values)
        elif action == "back":
            return redirect(step_before(steps, key).url)
        elif action == "save":
            return saved(request)
        elif form.is_valid():
            # Answers on this page may add or drop later pages.
            steps = wizard.wizard_steps(draft)
            return redirect(step_after(steps, key).url)
    else:
        form = form_class(initial=values, known_data=values)
    if blocks:
        add_lookup_buttons(form, part)
    consent = RegistryConsentForm(
        initial={"registry_consent": bool(services.draft_registry_consent(draft))}
    )
    # Conditions on this page may test answers given on other pages: those are
    # put in the page (disabled, never sent) for the script that hides fields.
    context_values = [
        {"name": name, "value": others[name]}
        for name in sorted(wizard.condition_fields(schema))
        if name in others and name not in page_fields
    ]
    return render(
        request,
        "dossiers/draft_section.html",
        {
            **step_context(draft, steps, key),
            "form": form,
            "section": part,
            "section_title": pick(part.get("title")),
            "summary": _error_summary(form) if form.is_bound else [],
            "notice": notice,
            "consent_form": consent if blocks else None,
            "consent_at": services.draft_registry_consent(draft),
            "context_values": context_values,
        },
    )
