"""The papers: upload, or pick from the document store, per paper asked for."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import citizen_required
from accounts.models import User
from accounts.selectors import stored_documents_for

from ... import hooks, services, wizard
from ...forms.citizen import DraftDocumentsForm
from ...models import Draft
from .common import (
    draft_of,
    saved,
    step_after,
    step_before,
    step_context,
    user_of,
)


@citizen_required
@require_http_methods(["GET", "POST"])
def draft_documents(request: HttpRequest, pk: int) -> HttpResponse:
    draft = draft_of(request, pk)
    user = user_of(request)
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
    store = hooks.paper_store_of()
    if store is not None and not store.connected():
        store = None
    if (
        request.method == "POST"
        and store is not None
        and "store_consent" in request.POST
    ):
        return _consent(request, draft)
    # The citizen's papers in the other store: asked only after their consent.
    elsewhere: list[tuple[str, str]] | None = None
    store_error = ""
    if store is not None and services.draft_paper_store_consent(draft):
        try:
            elsewhere = store.papers(user) or []
        except services.DossierError as exc:
            elsewhere, store_error = [], exc.message
    form = DraftDocumentsForm(documents=documents, stored=stored, elsewhere=elsewhere)
    if request.method == "POST":
        form = DraftDocumentsForm(
            request.POST,
            request.FILES,
            documents=documents,
            stored=stored,
            elsewhere=elsewhere,
        )
        # Files chosen on the page are kept whichever button was pressed.
        if form.is_valid():
            _attach(form, draft, user, store)
        services.draft_update(draft=draft, step=key)
        remove = request.POST.get("remove", "")
        if remove.isdigit():
            try:
                services.draft_attachment_remove(draft=draft, attachment_id=int(remove))
            except services.DossierError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Đã bỏ tệp khỏi hồ sơ đang soạn."))
            if not form.errors:
                return redirect("dossiers:draft-documents", pk=draft.pk)
        action = request.POST.get("action", "next")
        if not form.errors and not remove:
            if action == "back":
                return redirect(step_before(steps, key).url)
            if action == "save":
                return saved(request)
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
                return redirect(step_after(steps, key).url)
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
            **step_context(draft, steps, key),
            "form": form,
            "groups": groups,
            "summary": summary,
            "has_store": stored.exists(),
            "store_offered": store is not None,
            "store_consented": elsewhere is not None,
            "store_error": store_error,
            "store_papers": elsewhere,
        },
    )


def _consent(request: HttpRequest, draft: Draft) -> HttpResponse:
    """The citizen agrees (or not) that their papers be read from the other
    store, for this draft (recorded on it with its time)."""
    if request.POST.get("store_consent_given") == "on":
        services.draft_set_paper_store_consent(draft=draft)
        messages.success(
            request,
            _(
                "Bạn đã đồng ý: có thể chọn giấy tờ từ kho dữ liệu của bạn trên Cổng "
                "Dịch vụ công quốc gia cho từng giấy tờ dưới đây."
            ),
        )
    else:
        messages.error(
            request,
            _(
                "Chưa lấy giấy tờ nào: hãy đánh dấu ô đồng ý trước khi lấy giấy tờ "
                "từ Cổng Dịch vụ công quốc gia."
            ),
        )
    return redirect("dossiers:draft-documents", pk=draft.pk)


def _document_label(documents: list[dict[str, Any]], name: str) -> str:
    key = name.split("-", 1)[-1]
    for document in documents:
        if document["document"] == key:
            return str(document["label"])
    return ""


def _attach(
    form: DraftDocumentsForm,
    draft: Draft,
    user: User,
    store: hooks.PaperStore | None,
) -> None:
    """Store each upload, each chosen stored document and each paper chosen from
    the other store; a refused file becomes an error on its field, the others
    are kept."""
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
        reference = form.cleaned_data.get(f"national-{key}")
        if reference and store is not None:
            try:
                document = store.take(user, reference)
                services.draft_attach_stored_document(
                    draft=draft, stored_document_id=document.pk, document_key=key
                )
            except services.DossierError as exc:
                form.add_error(f"national-{key}", exc.message)
