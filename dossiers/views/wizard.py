"""The citizen's submission wizard: choose where to file, one page per section of
the procedure's form, the papers, a review, submit.

Every page saves the draft (as typed, so nothing is ever lost) before it checks
anything; the citizen can leave at any step and resume from "Hồ sơ của tôi".
The logic without HTTP lives in `dossiers.wizard`.
"""

import re
from typing import Any

from crispy_forms.layout import HTML, Div, Fieldset
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import citizen_required
from accounts.identifiers import personal_id_errors
from accounts.models import User
from accounts.ratelimit import rate_limit_consume
from accounts.selectors import profile_for, profile_prefill, stored_documents_for
from agencies.adapters import RegistryUnavailable, population_registry
from procedures.models import Procedure
from procedures.schema import (
    SchemaForm,
    field_labels,
    schema_file_fields,
    schema_form_class,
    schema_prefill,
)
from procedures.schema.definitions import pick
from procedures.selectors import procedure_get
from units.models import OrgUnit

from .. import services, wizard
from ..calendar import explain_steps
from ..forms.citizen import (
    DraftDocumentsForm,
    RegistryConsentForm,
    ReviewForm,
    UnitChoiceForm,
)
from ..models import Dossier, Draft
from ..selectors import draft_get_for_user, drafts_for, receiving_units_for

# Linked procedures (one-stop chains) need an electronic identity of level 2.
LINKED_IDENTITY_LEVEL = 2


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by citizen_required
    return user


def _identity_page(request: HttpRequest, user: User) -> HttpResponse:
    """What `identity_level_required(2)` shows, for a linked procedure."""
    return render(
        request,
        "accounts/identity_level_required.html",
        {
            "required_level": LINKED_IDENTITY_LEVEL,
            "current_level": user.identity_level,
        },
        status=403,
    )


def _not_submittable_reason(procedure: Procedure, has_units: bool) -> str:
    if not procedure.submittable or not procedure.form_schema:
        return "not_submittable"
    if not has_units:
        return "no_unit"
    return ""


def _home_unit(user: User, units: list[OrgUnit]) -> OrgUnit | None:
    """The unit of the citizen's commune, the likely place to file."""
    commune_id = profile_for(user=user).commune_id
    for unit in units:
        if unit.admin_unit_id == commune_id:
            return unit
    return units[0] if len(units) == 1 else None


def _submitted_draft(user: User, pk: int) -> Dossier | None:
    """The dossier a draft became (a repeated "Submit" finds it)."""
    return Dossier.objects.filter(applicant=user, idempotency_key=f"draft-{pk}").first()


def _draft(request: HttpRequest, pk: int) -> Draft:
    return draft_get_for_user(user=request.user, pk=pk)


def _context(draft: Draft, steps: list[wizard.Step], key: str) -> dict[str, Any]:
    index = wizard.step_index(steps, key)
    return {
        "draft": draft,
        "procedure": draft.procedure,
        "steps": steps,
        "step": steps[index],
        "step_number": index + 1,
        "previous": steps[index - 1] if index > 0 else None,
    }


def _after(steps: list[wizard.Step], key: str) -> wizard.Step:
    return steps[min(wizard.step_index(steps, key) + 1, len(steps) - 1)]


def _before(steps: list[wizard.Step], key: str) -> wizard.Step:
    return steps[max(wizard.step_index(steps, key) - 1, 0)]


def _saved(request: HttpRequest) -> HttpResponse:
    messages.success(
        request,
        _("Đã lưu hồ sơ đang soạn. Bạn có thể làm tiếp bất cứ lúc nào ở đây."),
    )
    return redirect("dossiers:dossier-mine")


# --- Start ----------------------------------------------------------------------------


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_create(request: HttpRequest, code: str) -> HttpResponse:
    """The start of a submission: what is needed, and where to file."""
    procedure = procedure_get(code=code)
    if code != procedure.url_code:
        return redirect("dossiers:dossier-create", code=procedure.url_code)
    user = _user(request)
    units = list(receiving_units_for(procedure=procedure))
    reason = _not_submittable_reason(procedure, bool(units))
    if reason:
        return render(
            request,
            "dossiers/dossier_not_submittable.html",
            {"procedure": procedure, "reason": reason},
        )
    if procedure.is_linked and user.identity_level < LINKED_IDENTITY_LEVEL:
        return _identity_page(request, user)
    form = UnitChoiceForm(
        request.POST if request.method == "POST" else None,
        units=receiving_units_for(procedure=procedure),
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
    draft = _draft(request, pk)
    steps = wizard.wizard_steps(draft)
    keys = [step.key for step in steps]
    step = steps[keys.index(draft.step)] if draft.step in keys else steps[0]
    return redirect(step.url)


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_unit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    steps = wizard.wizard_steps(draft)
    units = receiving_units_for(procedure=draft.procedure)
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
                return _saved(request)
            return redirect(_after(steps, wizard.UNIT_STEP).url)
    return render(
        request,
        "dossiers/draft_unit.html",
        {**_context(draft, steps, wizard.UNIT_STEP), "form": form},
    )


# --- One page per section -------------------------------------------------------------


def _lookup_button(block: dict[str, Any]) -> HTML:
    html = format_html(
        '<div class="registry-lookup mb-3">'
        '<button type="submit" name="lookup" value="{}" '
        'class="btn btn-outline-primary">{}</button>'
        '<p class="form-text mb-0">{}</p></div>',
        block["name"],
        _("Lấy thông tin của “%(person)s” từ CSDL dân cư")
        % {"person": pick(block.get("label"))},
        _(
            "Nhập số định danh rồi bấm nút; cần đánh dấu đồng ý ở đầu trang. "
            "Không lấy được thì bạn vẫn tự nhập được."
        ),
    )
    # crispy renders HTML() as a template: braces must stay text.
    return HTML(str(html).replace("{", "&#123;").replace("}", "&#125;"))


def _add_lookup_buttons(form: SchemaForm, part: dict[str, Any]) -> None:
    """Put a "fill from the registry" button under each person block's personal
    ID field (the blocks are the layout's person fieldsets, in order)."""
    blocks = {b["name"]: b for b in wizard.lookup_blocks(part)}
    persons = [f for f in part.get("fields", []) if f.get("type") == "person"]
    fieldsets: list[Fieldset] = []
    for item in form.helper.layout.fields:
        if isinstance(item, Div):
            item = next((f for f in item.fields if isinstance(f, Fieldset)), item)
        if isinstance(item, Fieldset) and "person-block" in (item.css_class or ""):
            fieldsets.append(item)
    for person, fieldset in zip(persons, fieldsets, strict=False):
        block = blocks.get(person["name"])
        if block is None:
            continue
        target = f"{block['name']}.personal_id"
        for index, item in enumerate(fieldset.fields):
            names = [item] if isinstance(item, str) else getattr(item, "fields", [])
            if target in names:
                fieldset.fields.insert(index + 1, _lookup_button(block))
                break


def _registry_lookup(
    request: HttpRequest, draft: Draft, part: dict[str, Any], block_name: str
) -> dict[str, str]:
    """Fill a person block from the population registry, with consent only.

    Returns the notice to show: level, message, and the id of the field it is
    about.
    """
    block = next(
        (b for b in wizard.lookup_blocks(part) if b["name"] == block_name), None
    )
    if block is None:
        raise Http404
    person = pick(block.get("label"))
    field_id = f"id_{block_name}.personal_id"
    if not services.draft_registry_consent(draft):
        return {
            "level": "danger",
            "message": _(
                "Chưa tra cứu: hãy đánh dấu ô đồng ý tra cứu CSDL dân cư trước, rồi "
                "bấm lại nút “Lấy thông tin”."
            ),
            "anchor": "id_registry_consent",
        }
    number = re.sub(r"\s", "", request.POST.get(f"{block_name}.personal_id", ""))
    errors = (
        personal_id_errors(number)
        if number
        else [_("Hãy nhập số định danh cá nhân (12 chữ số) trước.")]
    )
    if errors:
        return {
            "level": "danger",
            "message": _("Số định danh của “%(person)s”: %(error)s")
            % {"person": person, "error": errors[0]},
            "anchor": field_id,
        }
    if not rate_limit_consume(
        scope="registry-lookup",
        key=str(request.user.pk),
        limit=settings.POPULATION_REGISTRY_LOOKUP_LIMIT,
    ):
        return {
            "level": "warning",
            "message": _(
                "Bạn đã tra cứu nhiều lần trong thời gian ngắn. Hãy tự nhập thông "
                "tin, hoặc thử lại sau."
            ),
            "anchor": field_id,
        }
    try:
        record = population_registry().lookup(number)
    except RegistryUnavailable as exc:
        return {"level": "warning", "message": exc.message, "anchor": field_id}
    if record is None:
        return {
            "level": "warning",
            "message": _(
                "CSDL dân cư không có số định danh %(number)s. Hãy kiểm tra lại số, "
                "hoặc tự nhập thông tin."
            )
            % {"number": number},
            "anchor": field_id,
        }
    services.draft_update(draft=draft, values=wizard.registry_values(block, record))
    return {
        "level": "success",
        "message": _(
            "Đã điền thông tin của “%(person)s” từ CSDL dân cư. Hãy đọc lại, sửa "
            "nếu cần, rồi bấm “Lưu và tiếp tục”."
        )
        % {"person": person},
        "anchor": field_id,
    }


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
    draft = _draft(request, pk)
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
    notice: dict[str, str] | None = None
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
            notice = _registry_lookup(request, draft, part, lookup)
            draft.refresh_from_db()
            values = services.draft_values(draft)
            form = form_class(initial=values, known_data=values)
        elif action == "back":
            return redirect(_before(steps, key).url)
        elif action == "save":
            return _saved(request)
        elif form.is_valid():
            # Answers on this page may add or drop later pages.
            steps = wizard.wizard_steps(draft)
            return redirect(_after(steps, key).url)
    else:
        form = form_class(initial=values, known_data=values)
    if blocks:
        _add_lookup_buttons(form, part)
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
            **_context(draft, steps, key),
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


# --- Papers ---------------------------------------------------------------------------


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_documents(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    user = _user(request)
    steps = wizard.wizard_steps(draft)
    key = wizard.DOCUMENTS_STEP
    if key not in [step.key for step in steps]:
        return redirect("dossiers:draft-review", pk=draft.pk)
    documents = list(
        wizard.iter_file_fields(
            draft.procedure.form_schema, services.draft_values(draft)
        )
    )
    stored = stored_documents_for(user=user)
    form = DraftDocumentsForm(documents=documents, stored=stored)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove.isdigit():
            try:
                services.draft_attachment_remove(draft=draft, attachment_id=int(remove))
            except services.DossierError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã bỏ tệp khỏi hồ sơ đang soạn."))
            return redirect("dossiers:draft-documents", pk=draft.pk)
        form = DraftDocumentsForm(
            request.POST, request.FILES, documents=documents, stored=stored
        )
        if form.is_valid():
            _attach(form, draft, user)
        services.draft_update(draft=draft, step=key)
        action = request.POST.get("action", "next")
        if not form.errors:
            if action == "back":
                return redirect(_before(steps, key).url)
            if action == "save":
                return _saved(request)
            if action == "attach":
                messages.success(request, _("Đã lưu các giấy tờ đã chọn."))
                return redirect("dossiers:draft-documents", pk=draft.pk)
            missing = wizard.missing_documents(draft)
            for document in missing:
                form.add_error(
                    f"file-{document['document']}",
                    _(
                        "Chưa có giấy tờ bắt buộc này: hãy tải tệp lên, hoặc chọn "
                        "giấy tờ đã lưu trong kho."
                    ),
                )
            if not missing:
                return redirect(_after(steps, key).url)
    attached = list(draft.attachments.select_related("stored_document"))
    groups = [
        {
            **group,
            "attachments": [
                a for a in attached if a.document_key == group["document"]["document"]
            ],
        }
        for group in form.groups()
    ]
    summary = [
        {
            "label": _document_label(documents, name),
            "anchor": form[name].auto_id if name in form.fields else "",
            "message": message,
        }
        for name, errors in form.errors.items()
        for message in errors
    ]
    return render(
        request,
        "dossiers/draft_documents.html",
        {
            **_context(draft, steps, key),
            "form": form,
            "groups": groups,
            "summary": summary,
            "has_store": stored.exists(),
        },
    )


def _document_label(documents: list[dict[str, Any]], name: str) -> str:
    key = name.split("-", 1)[-1]
    for document in documents:
        if document["document"] == key:
            return str(document["label"])
    return ""


def _attach(form: DraftDocumentsForm, draft: Draft, user: User) -> None:
    """Store each upload and each chosen stored document; a refused file becomes
    an error on its field, the others are kept."""
    for document in form.documents:
        key = document["document"]
        for upload in form.cleaned_data.get(f"file-{key}") or []:
            try:
                services.attachment_add(
                    uploaded_by=user, upload=upload, document_key=key, draft=draft
                )
            except services.DossierError as exc:
                form.add_error(f"file-{key}", exc.message)
        chosen = form.cleaned_data.get(f"stored-{key}")
        if chosen is not None:
            try:
                services.draft_attach_stored_document(
                    draft=draft, stored_document_id=chosen.pk, document_key=key
                )
            except services.DossierError as exc:
                form.add_error(f"stored-{key}", exc.message)


# --- Review and submit ----------------------------------------------------------------


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
    user = _user(request)
    if request.method == "POST":
        done = _submitted_draft(user, pk)
        if done is not None:
            return redirect("dossiers:dossier-submitted", code=done.code)
    draft = _draft(request, pk)
    steps = wizard.wizard_steps(draft)
    key = wizard.REVIEW_STEP
    form = ReviewForm(request.POST if request.method == "POST" else None)
    submit_error = ""
    if request.method == "POST":
        action = request.POST.get("action", "submit")
        if action == "back":
            return redirect(_before(steps, key).url)
        if action == "save":
            return _saved(request)
        services.draft_update(draft=draft, step=key)
        if form.is_valid():
            response, submit_error = _submit(request, draft, user)
            if response is not None:
                return response
    procedure = draft.procedure
    values = services.draft_values(draft)
    problems = wizard.draft_problems(draft)
    unit_ok = draft.receiving_unit_id is not None and (
        receiving_units_for(procedure=procedure)
        .filter(pk=draft.receiving_unit_id)
        .exists()
    )
    if not unit_ok:
        problems["receiving_unit"] = [
            _("Nơi nộp này không còn nhận hồ sơ; hãy chọn lại nơi nộp.")
        ]
    provisional = services.deadline_for(procedure=procedure, received_at=timezone.now())
    return render(
        request,
        "dossiers/draft_review.html",
        {
            **_context(draft, steps, key),
            "form": form,
            "rows": wizard.review_rows(procedure.form_schema, values),
            "attachments": list(draft.attachments.all()),
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
            "fee": procedure.fee_online_vnd,
            "unit_url": reverse("dossiers:draft-unit", args=[draft.pk]),
        },
    )


def _submit(
    request: HttpRequest, draft: Draft, user: User
) -> tuple[HttpResponse | None, str]:
    procedure = draft.procedure
    if procedure.is_linked and user.identity_level < LINKED_IDENTITY_LEVEL:
        return _identity_page(request, user), ""
    unit = draft.receiving_unit
    if (
        unit is None
        or not receiving_units_for(procedure=procedure).filter(pk=unit.pk).exists()
    ):
        return None, _("Hãy chọn lại nơi nộp hồ sơ trước khi nộp.")
    try:
        dossier = services.dossier_submit(
            applicant=user,
            procedure=procedure,
            receiving_unit=unit,
            data=services.draft_values(draft),
            draft=draft,
            idempotency_key=f"draft-{draft.pk}",
        )
    except services.InvalidDossierData as exc:
        return None, exc.message
    except services.DossierError as exc:
        return None, exc.message
    messages.success(
        request,
        _("Đã nộp hồ sơ %(code)s.") % {"code": dossier.code},
    )
    return redirect("dossiers:dossier-submitted", code=dossier.code), ""


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if request.method == "POST":
        services.draft_delete(draft=draft)
        messages.success(request, _("Đã xóa hồ sơ đang soạn."))
        return redirect("dossiers:dossier-mine")
    return render(request, "dossiers/draft_confirm_delete.html", {"draft": draft})
