"""The queue of the officer's unit, bulk receipt, claim and assignment."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_required

from ... import services
from ...calendar import WorkingCalendar
from ...forms.officer import AssignForm, QueueFilterForm
from ...lifecycle import may_act
from ...models import Dossier, Status
from ...selectors import (
    APOLOGY,
    QUEUE_ALL,
    QUEUE_OPEN,
    WAITS_APPRAISE,
    WAITS_ISSUE,
    WAITS_RETURN,
    WAITS_SIGN,
    dossier_get_for_user,
    dossier_queue_choices,
    dossier_queue_filter,
    dossier_queue_page,
    dossier_waiting_counts,
    dossiers_queue,
    officers_of_unit,
    queue_status_q,
)
from .common import (
    BULK_LIMIT,
    QUEUE_PAGE_SIZE,
    Timing,
    handles_dossiers,
    may_assign,
    staff_of,
    timing_of,
)

# --- Queue ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    timing: Timing
    can_receive: bool
    can_claim: bool
    can_sign: bool = False


# The lists of what waits for an officer's role, as the queue names them.
WAITS_LABELS = {
    WAITS_APPRAISE: gettext_lazy("Chờ thẩm định"),
    WAITS_SIGN: gettext_lazy("Chờ ký duyệt"),
    WAITS_ISSUE: gettext_lazy("Chờ phát hành kết quả"),
    WAITS_RETURN: gettext_lazy("Chờ trả kết quả"),
}


@staff_required
@never_cache
@require_GET
def dossier_queue(request: HttpRequest) -> HttpResponse:
    """The dossiers of the officer's unit, filtered and sorted, a page at a time.
    The number of queries does not depend on the number of rows."""
    user = staff_of(request)
    scope = dossiers_queue(user=user)
    # The procedure and commune lists offer what the queue holds at the chosen
    # status: by default the open dossiers, a few hundred rows even at 1M
    # dossiers, not the unit's whole history.
    held = scope.filter(queue_status_q(str(request.GET.get("status", ""))))
    choices = dossier_queue_choices(held)
    form = QueueFilterForm(
        request.GET or None,
        procedures=choices.procedures,
        admin_units=choices.admin_units,
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        # A filter that no longer fits (a procedure with no dossier at the new
        # status) shows its error; the others still apply.
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    now = timezone.now()
    today = timezone.localdate(now)
    calendar = WorkingCalendar.load()
    dossiers = dossier_queue_filter(
        scope, user=user, calendar=calendar, today=today, **filters
    )
    page, listed = dossier_queue_page(
        dossiers, number=request.GET.get("page"), size=QUEUE_PAGE_SIZE
    )
    rows = [
        QueueRow(
            dossier=dossier,
            timing=timing_of(dossier, calendar=calendar, today=today, now=now),
            can_receive=dossier.status == Status.SUBMITTED
            and may_act(user, dossier, "receive"),
            can_claim=may_assign(user, dossier) and dossier.assignee_id != user.pk,
            can_sign=dossier.status == Status.AWAITING_SIGNATURE
            and may_act(user, dossier, "sign"),
        )
        for dossier in listed
    ]
    waiting = [
        (key, WAITS_LABELS[key], count, urlencode({"waits": key}))
        for key, count in dossier_waiting_counts(scope, user=user).items()
    ]
    apology_count = dossier_queue_filter(
        scope, user=user, calendar=calendar, today=today, timing=APOLOGY
    ).count()
    query = request.GET.copy()
    query.pop("page", None)
    # A search that finds nothing open may be about a closed dossier.
    everywhere = ""
    if filters.get("q") and filters.get("status", QUEUE_OPEN) == QUEUE_OPEN:
        everywhere = urlencode({"q": filters["q"], "status": QUEUE_ALL})
    return render(
        request,
        "dossiers/dossier_queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "apology_count": apology_count,
            "apology_filter": urlencode({"timing": APOLOGY}),
            "search_everywhere": everywhere,
            "can_bulk_receive": any(row.can_receive for row in rows),
            "can_bulk_sign": any(row.can_sign for row in rows),
            "waiting": waiting,
            "waits": filters.get("waits", ""),
            "here": request.get_full_path(),
        },
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = str(request.POST.get("next", ""))
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@staff_required
@require_POST
def dossier_bulk_receive(request: HttpRequest) -> HttpResponse:
    """Receive the ticked dossiers, each through `dossier_receive` on its own:
    one that fails does not stop the others, and each failure says why."""
    user = staff_of(request)
    back = _safe_next(request, reverse("dossiers:queue"))
    codes = list(dict.fromkeys(request.POST.getlist("codes")))[:BULK_LIMIT]
    if not codes:
        messages.error(request, _("Hãy chọn ít nhất một hồ sơ để tiếp nhận."))
        return redirect(back)
    received: list[Dossier] = []
    for code in codes:
        try:
            dossier = dossier_get_for_user(user=user, code=code)
            received.append(services.dossier_receive(dossier=dossier, actor=user))
        except Http404:
            messages.error(
                request,
                _("%(code)s: không có hồ sơ này trong phạm vi của bạn.")
                % {"code": code},
            )
        except services.DossierError as exc:
            messages.error(request, f"{code}: {exc.message}")
    if received:
        links = format_html_join(
            ", ",
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            (
                (reverse("dossiers:slip-pdf", args=[d.code, "receipt"]), d.code)
                for d in received
            ),
        )
        messages.success(
            request,
            format_html(
                "{} {}",
                _("Đã tiếp nhận %(count)d hồ sơ; giấy tiếp nhận:")
                % {"count": len(received)},
                links,
            ),
        )
    return redirect(back)


@staff_required
@require_POST
def dossier_bulk_sign(request: HttpRequest) -> HttpResponse:
    """The leader signs the ticked dossiers off, each through `dossier_sign` on
    its own (its own event): one that fails does not stop the others, and each
    failure is named with the reason."""
    user = staff_of(request)
    back = _safe_next(request, reverse("dossiers:queue"))
    codes = list(dict.fromkeys(request.POST.getlist("codes")))[:BULK_LIMIT]
    if not codes:
        messages.error(request, _("Hãy chọn ít nhất một hồ sơ để ký duyệt."))
        return redirect(back)
    found: list[Dossier] = []
    for code in codes:
        try:
            found.append(dossier_get_for_user(user=user, code=code))
        except Http404:
            messages.error(
                request,
                _("%(code)s: không có hồ sơ này trong phạm vi của bạn.")
                % {"code": code},
            )
    outcomes = services.dossiers_sign(dossiers=found, actor=user)
    for failed in (o for o in outcomes if o.error):
        messages.error(request, f"{failed.dossier.code}: {failed.error}")
    signed = [o.dossier.code for o in outcomes if not o.error]
    if signed:
        messages.success(
            request,
            _("Đã ký duyệt %(count)d hồ sơ: %(codes)s.")
            % {"count": len(signed), "codes": ", ".join(signed)},
        )
    return redirect(back)


@staff_required
@require_POST
def dossier_assign(request: HttpRequest, code: str) -> HttpResponse:
    """Claim a dossier, or hand it to a colleague of the unit."""
    user = staff_of(request)
    dossier = dossier_get_for_user(user=user, code=code)
    back = _safe_next(request, reverse("dossiers:dossier-work", args=[dossier.code]))
    if not handles_dossiers(user) or user.org_unit is None:
        raise PermissionDenied
    form = AssignForm(request.POST, colleagues=officers_of_unit(org_unit=user.org_unit))
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một cán bộ của đơn vị bạn."))
        return redirect(back)
    assignee = form.cleaned_data["assignee"]
    try:
        services.dossier_assign(dossier=dossier, actor=user, assignee=assignee)
    except services.DossierError as exc:
        messages.error(request, f"{dossier.code}: {exc.message}")
        return redirect(back)
    if assignee.pk == user.pk:
        messages.success(
            request, _("Bạn đã nhận xử lý hồ sơ %(code)s.") % {"code": dossier.code}
        )
    else:
        messages.success(
            request,
            _("Đã giao hồ sơ %(code)s cho %(name)s.")
            % {"code": dossier.code, "name": assignee},
        )
    return redirect(back)
