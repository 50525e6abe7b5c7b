"""Pages citizens and officers both open: the dossier, its files, its slips."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.addresses import absolute_url
from accounts.services import sniff_content_type
from portal.db import joins_as_written

from .. import hooks, slips
from ..calendar import explain_steps
from ..lifecycle import OPEN, available_actions
from ..models import Attachment, Result, Status
from ..selectors import (
    dossier_actions_done,
    dossier_attachments,
    dossier_events,
    dossier_get_for_user,
    dossier_last_event,
    dossier_rated,
    dossier_result,
    dossier_timeliness,
)
from ..services import dossier_record_view


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn An' -> 'N*** V*** A***': enough to recognise, not to identify."""
    return " ".join(f"{word[0]}***" for word in full_name.split() if word)


@login_required
@require_GET
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    with joins_as_written(unless_prepared=True):
        dossier = dossier_get_for_user(user=request.user, code=code, lean=True)
    is_applicant = dossier.applicant_id == request.user.pk
    dossier_record_view(user=request.user, dossier=dossier, context="xem trang hồ sơ")
    result = dossier_result(dossier=dossier)
    actions = available_actions(request.user, dossier)
    rated = dossier_rated(dossier=dossier)
    events = dossier_events(dossier=dossier, public_only=is_applicant)
    # Staff see every event: what was done, and the last supplement request, are
    # read from them; the applicant's are the public ones only.
    every_event = None if is_applicant else events
    supplement_request = (
        dossier_last_event(
            dossier=dossier, action="request_supplement", events=every_event
        )
        if dossier.status == Status.SUPPLEMENT_REQUESTED
        else None
    )
    # The slips that exist for this dossier, for the links under "Giấy tờ".
    done = dossier_actions_done(dossier=dossier, events=every_event)
    slip_kinds = ["receipt"] + [
        kind for kind, (action, _render) in _SLIP_EVENTS.items() if action in done
    ]
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "dossier": dossier,
            "is_applicant": is_applicant,
            "events": events,
            "attachments": dossier_attachments(dossier=dossier),
            "timeliness": dossier_timeliness(dossier),
            # Only the applicant and staff see the page: staff (officers and
            # administrators) are told which rules are unverified, never citizens.
            "due_explanation": explain_steps(dossier.due_steps, staff=not is_applicant),
            "actions": actions,
            "result": result,
            "rated": rated,
            "can_rate": is_applicant and "rate" in actions and not rated,
            "supplement_request": supplement_request,
            "slip_kinds": slip_kinds,
            # A request to stop is checked against the status on its page.
            "can_request_stop": is_applicant and dossier.status in OPEN,
            "fee": hooks.fee_of(dossier=dossier),
            # Sections of the apps above (payments, the steps of a linked dossier).
            "top_sections": hooks.page_sections(
                request=request, dossier=dossier, place="detail-top"
            ),
            "sections": hooks.page_sections(
                request=request, dossier=dossier, place="detail"
            ),
        },
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    dossier = dossier_get_for_user(user=request.user, code=code)
    attachment = get_object_or_404(Attachment, pk=pk, dossier=dossier)
    if not attachment.file:
        # Removed after its keeping period (portal/retention.py); the row stays.
        raise Http404
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
    "stop": ("stop_on_request", slips.stop_notice_pdf),
}


@login_required
@require_GET
def slip_pdf(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """The dossier's slips as PDF: receipt, supplement, refusal, apology, stop
    notice, control."""
    dossier = dossier_get_for_user(user=request.user, code=code)
    tracking_url = absolute_url(
        reverse("dossiers:dossier-track") + "?" + urlencode({"code": dossier.code}),
        request,
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


@login_required
@never_cache
@require_GET
def result_download(request: HttpRequest, code: str) -> FileResponse:
    """The result's file, for those who may see the dossier (never from MEDIA)."""
    dossier = dossier_get_for_user(user=request.user, code=code)
    result = Result.objects.filter(dossier=dossier).first()
    if result is None or not result.file:
        raise Http404
    dossier_record_view(user=request.user, dossier=dossier, context="tải kết quả")
    handle = result.file.open("rb")
    sniffed = sniff_content_type(handle.read(16))
    handle.seek(0)
    content_type, extension = sniffed or ("application/octet-stream", "bin")
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=request.GET.get("inline") != "1",
        filename=f"ket-qua-{dossier.code}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
