"""Pages without login: public tracking and result verification."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.ratelimit import rate_limit_hit_per_address, rate_limited_response

from ..forms import TrackForm
from ..selectors import (
    dossier_events,
    dossier_timeliness,
    dossier_track,
    result_get_by_token,
    result_is_valid,
    result_verification,
)
from .shared import mask_name


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    # A QR code on a slip links here with the code only: show the form with the
    # code filled in, not an error about the missing phone digits.
    if "phone_last4" in request.GET:
        # Each lookup counts per client address, as on the API (THROTTLE_TRACK):
        # codes and 4 phone digits must not be guessable.
        wait = rate_limit_hit_per_address(
            request, scope="track", rate=settings.THROTTLE_TRACK
        )
        if wait is not None:
            return rate_limited_response(request, retry_after=wait)
        form = TrackForm(request.GET)
    else:
        form = TrackForm(initial={"code": request.GET.get("code", "")})
    dossier = None
    searched = False
    if form.is_valid():
        searched = True
        dossier = dossier_track(
            code=form.cleaned_data["code"], phone_last4=form.cleaned_data["phone_last4"]
        )
    return render(
        request,
        "dossiers/dossier_track.html",
        {
            "form": form,
            "dossier": dossier,
            "searched": searched,
            "events": dossier_events(dossier=dossier, public_only=True)
            if dossier
            else [],
            "timeliness": dossier_timeliness(dossier) if dossier else None,
        },
    )


@require_GET
def result_verify(request: HttpRequest, token: str) -> HttpResponse:
    result = result_get_by_token(token=token)
    verification = result_verification(result=result)
    return render(
        request,
        "dossiers/result_verify.html",
        {
            "result": result,
            "holder": mask_name(result.dossier.applicant.full_name),
            "verification": verification,
            "valid": result_is_valid(result=result, verification=verification),
        },
    )
