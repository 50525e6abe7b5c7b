"""The national sync on staff pages: a dossier's sync state, the failed-sync queue,
and the development twin of the national portal (`/dvcqg-sandbox/`)."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_required
from dossiers.models import Dossier
from dossiers.services import DossierError, InvalidDossierData

from . import services
from .inbound import PushRefused, inbound_receive
from .models import NationalLink
from .sandbox import twin_example_push
from .selectors import (
    PERMISSION,
    dossier_entries,
    entries_failed_for,
    entry_get_for_staff,
    twin_dossier_codes,
    twin_receipts_of,
    twin_store_of,
)


def dossier_section(request: HttpRequest, dossier: Dossier, place: str) -> str:
    """The officer's page: what the national portal has been told of the dossier
    (registered in dossiers.hooks). No query when the portal is not connected."""
    if place != "work" or not services.connected():
        return ""
    if not request.user.has_perm(PERMISSION):
        return ""
    return render_to_string(
        "national/dossier_section.html",
        {
            "summary": services.sync_summary(dossier=dossier),
            "entries": dossier_entries(dossier_id=dossier.pk),
            "link": NationalLink.objects.filter(dossier_id=dossier.pk)
            .only("national_code", "papers")
            .first(),
        },
        request=request,
    )


@staff_required
@never_cache
@require_GET
def sync_failed(request: HttpRequest) -> HttpResponse:
    """Events the national portal did not take after the last attempt, in the
    dossiers the staff member may see, each with its error and a retry button."""
    if not request.user.has_perm(PERMISSION):
        raise Http404
    page = Paginator(entries_failed_for(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "national/sync_failed.html", {"page": page})


@staff_required
@require_POST
def sync_retry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_get_for_staff(user=request.user, pk=pk)
    try:
        services.outbox_retry(entry=entry, actor=request.user)
    except DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã gửi lại sự kiện của hồ sơ %(code)s lên Cổng Dịch vụ công quốc gia.")
            % {"code": entry.dossier.code},
        )
    back = request.POST.get("next", "")
    if back == "dossier":
        return redirect("dossiers:dossier-work", entry.dossier.code)
    return redirect("national:sync-failed")


@never_cache
@require_GET
def sandbox(request: HttpRequest) -> HttpResponseBase:
    """The twin: what it received, per dossier, in the order it arrived. Staff
    only, and nothing at all where the twin is off (production)."""
    if not settings.NATIONAL_SANDBOX_ENABLED:
        raise Http404
    return _sandbox(request)


@staff_required
def _sandbox(
    request: HttpRequest, *, push_text: str = "", push_errors: Any = None
) -> HttpResponse:
    code = request.GET.get("code", "").strip()[:64]
    page = Paginator(twin_dossier_codes(code=code), 20).get_page(
        request.GET.get("page")
    )
    receipts = twin_receipts_of(codes=list(page.object_list))
    # A citizen's e-document store on the twin: demo papers, pushed results.
    store = request.GET.get("store", "").strip()[:12]
    return render(
        request,
        "national/sandbox.html",
        {
            "page": page,
            "receipts": receipts,
            "code": code,
            "store": store,
            "store_papers": twin_store_of(personal_id=store),
            "push_text": push_text
            or json.dumps(twin_example_push(), indent=2, ensure_ascii=False),
            "push_errors": push_errors,
        },
        status=400 if push_errors else 200,
    )


@never_cache
def sandbox_push(request: HttpRequest) -> HttpResponseBase:
    """The twin pushes a dossier "filed on the national portal" to this portal:
    the JSON of `POST /api/v1/national/inbound/`, handed to the same service
    (`inbound_receive`) without the signature, which only the real national
    side's calls need. Development and demo only."""
    if not settings.NATIONAL_SANDBOX_ENABLED:
        raise Http404
    return _sandbox_push(request)


@staff_required
@require_POST
def _sandbox_push(request: HttpRequest) -> HttpResponseBase:
    text = request.POST.get("push", "")[:100_000]
    try:
        push = json.loads(text)
    except ValueError:
        errors = {"push": [_("Không đọc được JSON: hãy kiểm tra dấu ngoặc, dấu phẩy.")]}
        return _sandbox(request, push_text=text, push_errors=errors)
    try:
        received = inbound_receive(push=push)
    except PushRefused as exc:
        return _sandbox(request, push_text=text, push_errors=exc.errors)
    except InvalidDossierData as exc:
        return _sandbox(request, push_text=text, push_errors={"data": exc.errors})
    except DossierError as exc:
        return _sandbox(request, push_text=text, push_errors={"push": [exc.message]})
    dossier = received.dossier
    if received.created:
        messages.success(
            request,
            _("Đã chuyển hồ sơ %(national)s đến Cổng này: mã hồ sơ %(code)s.")
            % {"national": dossier.national_link.national_code, "code": dossier.code},
        )
    else:
        messages.info(
            request,
            _("Mã hồ sơ quốc gia %(national)s đã được nhận trước đó: hồ sơ %(code)s.")
            % {"national": dossier.national_link.national_code, "code": dossier.code},
        )
    return redirect(f"{reverse('national:sandbox')}?code={dossier.code}")
