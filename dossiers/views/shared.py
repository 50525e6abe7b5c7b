"""Pages citizens and officers both open: the dossier, its files, its slips."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import slips
from ..lifecycle import available_actions
from ..models import Attachment
from ..selectors import (
    dossier_events,
    dossier_get_for_user,
    dossier_timeliness,
)
from ..services import dossier_record_view


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn An' -> 'N*** V*** A***': enough to recognise, not to identify."""
    return " ".join(f"{word[0]}***" for word in full_name.split() if word)


@login_required
@require_GET
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_user(user=request.user, code=code)
    is_applicant = dossier.applicant_id == request.user.pk
    dossier_record_view(user=request.user, dossier=dossier, context="xem trang hồ sơ")
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "dossier": dossier,
            "events": dossier_events(dossier=dossier, public_only=is_applicant),
            "attachments": dossier.attachments.all(),
            "timeliness": dossier_timeliness(dossier),
            "actions": available_actions(request.user, dossier),
        },
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    dossier = dossier_get_for_user(user=request.user, code=code)
    attachment = get_object_or_404(Attachment, pk=pk, dossier=dossier)
    dossier_record_view(
        user=request.user, dossier=dossier, context=f"mở tệp {attachment.original_name}"
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=False,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


_SLIP_EVENTS = {
    "supplement": ("request_supplement", slips.supplement_pdf),
    "refusal": ("refuse", slips.refusal_pdf),
    "apology": ("apologize", slips.apology_pdf),
}


@login_required
@require_GET
def slip_pdf(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """The dossier's slips as PDF: receipt, supplement, refusal, apology, control."""
    dossier = dossier_get_for_user(user=request.user, code=code)
    tracking_url = request.build_absolute_uri(
        reverse("dossiers:dossier-track") + "?" + urlencode({"code": dossier.code})
    )
    if kind == "receipt":
        content = slips.receipt_pdf(dossier, tracking_url=tracking_url)
    elif kind == "control":
        content = slips.control_slip_pdf(dossier, tracking_url=tracking_url)
    elif kind in _SLIP_EVENTS:
        action, render_pdf = _SLIP_EVENTS[kind]
        event = dossier.events.filter(action=action).last()
        if event is None:
            raise Http404
        content = render_pdf(dossier, event, tracking_url=tracking_url)
    else:
        raise Http404
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{kind}.pdf"'
    return response
