"""The citizen's own pages: my dossiers, the confirmation after submitting, and the
actions on a dossier (supplement, withdraw, rate). The submission wizard is in
views/wizard.py.

Every page here is the applicant's only: anyone else gets 404, officers 403
(citizen_required). Actions are POST with CSRF, call one service, and redirect
with a message.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import citizen_required
from accounts.models import User

from .. import hooks, services, wizard
from ..calendar import explain_steps
from ..forms.citizen import (
    MineFilterForm,
    RatingForm,
    StopRequestForm,
    SupplementForm,
    WithdrawForm,
)
from ..lifecycle import available_actions
from ..models import Dossier, Origin, Rating
from ..no_appointment import dossier_no_appointment_notice
from ..ratings import INDICATORS
from ..selectors import (
    dossier_get_for_user,
    dossier_last_event,
    dossier_parts_of,
    dossier_timeliness,
    dossiers_mine,
    drafts_for,
)

PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by citizen_required
    return user


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    """The dossier if the user filed it; 404 for everyone else (officers who may
    see it too: these pages are the applicant's)."""
    dossier = dossier_get_for_user(user=request.user, code=code)
    if dossier.applicant_id != request.user.pk:
        raise Http404
    return dossier


def _not_now(request: HttpRequest, dossier: Dossier, message: str) -> HttpResponse:
    messages.info(request, message)
    return redirect(dossier)


@citizen_required
@require_GET
def dossier_mine(request: HttpRequest) -> HttpResponse:
    """The citizen's drafts and filings, newest first, with status, due date and
    timeliness (in words, not colour alone); a linked dossier with its parts
    under it. Search and a status filter, kept by the pagination links."""
    user = _user(request)
    form = MineFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_bound:
        # A search too long is said on its field; the status still applies.
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = Paginator(dossiers_mine(user=user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filings = list(page)
    parts = dossier_parts_of(user=user, filings=filings)
    rows = [
        {
            "dossier": d,
            "timeliness": dossier_timeliness(d),
            "parts": [
                {"dossier": part, "timeliness": dossier_timeliness(part)}
                for part in parts.get(d.pk, [])
            ],
        }
        for d in filings
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/dossier_mine.html",
        {
            "page": page,
            "rows": rows,
            "drafts": list(drafts_for(user=user)),
            "form": form,
            "filtered": bool(filters),
            "query": query.urlencode(),
        },
    )


@citizen_required
@require_GET
def dossier_submitted(request: HttpRequest, code: str) -> HttpResponse:
    """Right after submitting: the code, the provisional appointment and why."""
    dossier = _own_dossier(request, code)
    tracking = reverse("dossiers:dossier-track") + "?" + urlencode({"code": code})
    return render(
        request,
        "dossiers/dossier_submitted.html",
        {
            "dossier": dossier,
            "due_explanation": explain_steps(dossier.due_steps),
            "no_appointment": dossier_no_appointment_notice(dossier),
            "tracking_url": tracking,
            "sections": hooks.page_sections(
                request=request, dossier=dossier, place="submitted"
            ),
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Hand in what the officer asked for: one upload per item, and a note."""
    dossier = _own_dossier(request, code)
    user = _user(request)
    if "supplement" not in available_actions(user, dossier):
        return _not_now(
            request, dossier, _("Hồ sơ này hiện không cần nộp bổ sung giấy tờ.")
        )
    event = dossier_last_event(dossier=dossier, action="request_supplement")
    items = [str(item) for item in (event.details.get("items") if event else [])]
    items = items or [str(_("Giấy tờ bổ sung"))]
    stored = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
    form = SupplementForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        items=items,
        already_stored=stored,
    )
    if form.is_valid():
        schema = dossier.procedure.form_schema
        files = [
            (wizard.document_key_for(schema, items[index - 1]), upload)
            for index, upload in form.uploads()
        ]
        try:
            dossier = services.dossier_supplement(
                dossier=dossier,
                actor=user,
                files=files,
                note=form.cleaned_data["note"],
            )
        except services.DossierError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Đã nộp bổ sung. Thời hạn giải quyết được tính lại: hẹn trả "
                    "kết quả %(due)s."
                )
                % {"due": _local(dossier)},
            )
            return redirect(dossier)
    return render(
        request,
        "dossiers/dossier_supplement.html",
        {"dossier": dossier, "event": event, "form": form},
    )


def _local(dossier: Dossier) -> str:
    if dossier.due_at is None:
        return "…"
    return f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}"


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw the dossier, after a confirmation page that asks why."""
    dossier = _own_dossier(request, code)
    user = _user(request)
    if "withdraw" not in available_actions(user, dossier):
        return _not_now(request, dossier, _("Hồ sơ này không còn rút được."))
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.dossier_withdraw(
                dossier=dossier, actor=user, reason=form.cleaned_data["reason"]
            )
        except services.DossierError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code}
            )
        return redirect(dossier)
    return render(
        request, "dossiers/dossier_withdraw.html", {"dossier": dossier, "form": form}
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_stop_request(request: HttpRequest, code: str) -> HttpResponse:
    """Ask to stop the dossier (Circular 03/2025 art. 7), after a confirmation
    page. Granted when nothing has been decided: the dossier stops and its stop
    notice (form 05) opens from the dossier's page; refused otherwise, with the
    reason."""
    dossier = _own_dossier(request, code)
    user = _user(request)
    try:
        services.stop_request_check(dossier)
    except services.DossierError as exc:
        return _not_now(request, dossier, exc.message)
    form = StopRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_stop(
                dossier=dossier,
                actor=user,
                origin=Origin.CITIZEN,
                reason=form.cleaned_data["reason"],
                on_request=True,
            )
        except services.DossierError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Đã dừng giải quyết hồ sơ %(code)s. Thông báo dừng giải quyết "
                    "hồ sơ có trong mục “Giấy tờ”."
                )
                % {"code": dossier.code},
            )
        return redirect(dossier)
    return render(
        request,
        "dossiers/dossier_stop_request.html",
        {"dossier": dossier, "form": form},
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_rate(request: HttpRequest, code: str) -> HttpResponse:
    """Rate the service once the result is returned (TT 01/2018/TT-VPCP art. 13)."""
    dossier = _own_dossier(request, code)
    user = _user(request)
    if Rating.objects.filter(dossier=dossier).exists():
        return _not_now(request, dossier, _("Bạn đã đánh giá hồ sơ này. Xin cảm ơn!"))
    if "rate" not in available_actions(user, dossier):
        return _not_now(
            request, dossier, _("Bạn đánh giá được khi đã nhận kết quả hồ sơ.")
        )
    form = RatingForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.dossier_rate(
                dossier=dossier,
                actor=user,
                scores=form.scores(),
                overall=form.cleaned_data["overall"],
                comment=form.cleaned_data["comment"],
            )
        except services.DossierError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá."))
        return redirect(dossier)
    return render(
        request,
        "dossiers/dossier_rate.html",
        {
            "dossier": dossier,
            "form": form,
            "indicators": list(zip(INDICATORS, form.indicator_fields(), strict=True)),
        },
    )
