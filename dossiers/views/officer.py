"""The one-stop shop's pages: the queue of the officer's unit, the officer's page
of one dossier with a small form per available action, claim and assignment,
bulk receipt and the appointment calculator. Counter filing is in counter.py.

Every page is behind `staff_required` and reads dossiers through the access
selectors; every write is one service call.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
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
from accounts.models import User

from .. import hooks, services
from ..calendar import (
    EARLY,
    LATE,
    ON_TIME,
    ON_TRACK,
    WorkingCalendar,
    explain_steps,
)
from ..calendar import OVERDUE as OVERDUE_TIMELINESS
from ..forms.officer import (
    ActionForm,
    ApologizeForm,
    ApproveForm,
    AssignForm,
    DueCalculatorForm,
    ForwardForm,
    IssueResultForm,
    QueueFilterForm,
    ReceiveForm,
    RefuseForm,
    ReturnResultForm,
    StopForm,
    SupplementRequestForm,
    weekday_date,
)
from ..lifecycle import TRANSITIONS, available_actions, may_act
from ..models import Dossier, Result, Status
from ..selectors import (
    APOLOGY,
    QUEUE_ALL,
    QUEUE_OPEN,
    dossier_data_rows,
    dossier_events,
    dossier_get_for_user,
    dossier_queue_choices,
    dossier_queue_filter,
    dossier_timeliness,
    dossiers_queue,
    forward_units,
    officers_of_active_units,
    officers_of_unit,
    queue_status_q,
)

QUEUE_PAGE_SIZE = 25
# More codes than this in one bulk receipt are left out (a page shows 25).
BULK_LIMIT = 100


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by staff_required
    return user


def _handles_dossiers(user: User) -> bool:
    """Officers who work on dossiers (not district staff or the digital team)."""
    return any(
        user.has_perm(p)
        for p in (
            "dossiers.receive_dossier",
            "dossiers.process_dossier",
            "dossiers.approve_dossier",
        )
    )


def _may_assign(user: User, dossier: Dossier) -> bool:
    return (
        _handles_dossiers(user)
        and not dossier.is_final
        and user.org_unit_id is not None
        and user.org_unit_id in (dossier.receiving_unit_id, dossier.processing_unit_id)
    )


# --- Timeliness shown with colour and words ----------------------------------------

TIMELINESS = {
    ON_TRACK: (gettext_lazy("Trong hạn"), "success"),
    OVERDUE_TIMELINESS: (gettext_lazy("Quá hạn"), "danger"),
    EARLY: (gettext_lazy("Xong trước hạn"), "success"),
    ON_TIME: (gettext_lazy("Xong đúng hạn"), "primary"),
    LATE: (gettext_lazy("Xong trễ hạn"), "danger"),
}
DUE_SOON_LABEL = (gettext_lazy("Sắp đến hạn"), "warning")


@dataclass(frozen=True)
class Timing:
    key: str | None
    label: Any
    css: str
    due_day: datetime.date | None
    # An apology is still possible and the due day is within 2 working days.
    apology_hint: bool
    apology_last_day: datetime.date | None


def _timing(
    dossier: Dossier,
    *,
    calendar: WorkingCalendar,
    today: datetime.date,
    now: datetime.datetime,
) -> Timing:
    key = dossier_timeliness(dossier, as_of=now)
    due_day = timezone.localtime(dossier.due_at).date() if dossier.due_at else None
    label, css = TIMELINESS.get(key or "", ("", "secondary"))
    if key == ON_TRACK and due_day and due_day <= calendar.next_working_day(today):
        label, css = DUE_SOON_LABEL
    apology_hint = bool(
        due_day
        and dossier.status in TRANSITIONS["apologize"].sources
        and not dossier.apologized
        and today < due_day <= calendar.add_working_days(today, 2)
    )
    return Timing(
        key=key,
        label=label,
        css=css,
        due_day=due_day,
        apology_hint=apology_hint,
        apology_last_day=due_day - datetime.timedelta(days=1) if due_day else None,
    )


# --- Queue ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    dossier: Dossier
    timing: Timing
    can_receive: bool
    can_claim: bool


@staff_required
@never_cache
@require_GET
def dossier_queue(request: HttpRequest) -> HttpResponse:
    """The dossiers of the officer's unit, filtered and sorted, a page at a time.
    The number of queries does not depend on the number of rows."""
    user = _staff(request)
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
    page = Paginator(dossiers, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        QueueRow(
            dossier=dossier,
            timing=_timing(dossier, calendar=calendar, today=today, now=now),
            can_receive=dossier.status == Status.SUBMITTED
            and may_act(user, dossier, "receive"),
            can_claim=_may_assign(user, dossier) and dossier.assignee_id != user.pk,
        )
        for dossier in page
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
    user = _staff(request)
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
def dossier_assign(request: HttpRequest, code: str) -> HttpResponse:
    """Claim a dossier, or hand it to a colleague of the unit."""
    user = _staff(request)
    dossier = dossier_get_for_user(user=user, code=code)
    back = _safe_next(request, reverse("dossiers:dossier-work", args=[dossier.code]))
    if not _handles_dossiers(user) or user.org_unit is None:
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


# --- The officer's page of one dossier ---------------------------------------------

# The actions an officer does from the page, with their form. Payment actions
# belong to the payment service; the applicant's actions to the citizen pages.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ReceiveForm,
    "request_supplement": SupplementRequestForm,
    "forward": ForwardForm,
    "approve": ApproveForm,
    "issue_result": IssueResultForm,
    "return_result": ReturnResultForm,
    "apologize": ApologizeForm,
    "refuse": RefuseForm,
    "stop": StopForm,
}

# The slip an action produces, opened right after it.
ACTION_SLIPS = {
    "receive": "receipt",
    "request_supplement": "supplement",
    "refuse": "refusal",
    "apologize": "apology",
}
SLIP_EVENTS = {
    "receipt": "receive",
    "supplement": "request_supplement",
    "refusal": "refuse",
    "apology": "apologize",
}
SLIP_LABELS = {
    "receipt": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "supplement": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refusal": gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "apology": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "control": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}
DONE_MESSAGES = {
    "receive": gettext_lazy("Đã tiếp nhận hồ sơ."),
    "request_supplement": gettext_lazy("Đã gửi yêu cầu bổ sung hồ sơ."),
    "forward": gettext_lazy("Đã chuyển hồ sơ đến đơn vị xử lý."),
    "approve": gettext_lazy("Đã phê duyệt hồ sơ."),
    "issue_result": gettext_lazy("Đã phát hành kết quả."),
    "return_result": gettext_lazy("Đã trả kết quả."),
    "apologize": gettext_lazy("Đã xin lỗi và hẹn lại ngày trả kết quả."),
    "refuse": gettext_lazy("Đã từ chối hồ sơ."),
    "stop": gettext_lazy("Đã dừng xử lý hồ sơ."),
}


def _action_form(
    action: str,
    *,
    dossier: Dossier,
    user: User,
    calendar: WorkingCalendar,
    data: Any = None,
    files: Any = None,
) -> ActionForm:
    extra: dict[str, Any] = {}
    if action == "forward":
        extra = {"units": forward_units(), "assignees": officers_of_active_units()}
    return ACTION_FORMS[action](
        data,
        files,
        dossier=dossier,
        user=user,
        calendar=calendar,
        prefix=action,
        **extra,
    )


def _render_work(
    request: HttpRequest,
    dossier: Dossier,
    *,
    bound: dict[str, ActionForm] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _staff(request)
    bound = bound or {}
    now = timezone.now()
    today = timezone.localdate(now)
    calendar = WorkingCalendar.load()
    events = list(dossier_events(dossier=dossier))
    happened = {event.action for event in events}
    timing = _timing(dossier, calendar=calendar, today=today, now=now)
    actions = [
        {
            "name": action,
            "label": TRANSITIONS[action].label,
            "form": bound.get(action)
            or _action_form(action, dossier=dossier, user=user, calendar=calendar),
        }
        for action in available_actions(user, dossier)
        if action in ACTION_FORMS
    ]
    slips = [
        (kind, SLIP_LABELS[kind])
        for kind, action in SLIP_EVENTS.items()
        if action in happened
    ] + [("control", SLIP_LABELS["control"])]
    papers = {d.key: d.name for d in dossier.procedure.documents.all()}
    just_made = str(request.GET.get("slip", ""))
    assign_form = None
    if _may_assign(user, dossier) and user.org_unit is not None:
        assign_form = AssignForm(
            colleagues=officers_of_unit(org_unit=user.org_unit),
            initial={"assignee": dossier.assignee_id or user.pk},
        )
    return render(
        request,
        "dossiers/dossier_work.html",
        {
            "dossier": dossier,
            "timing": timing,
            "explanation": explain_steps(dossier.due_steps),
            "fee": hooks.fee_of(dossier=dossier),
            "data_rows": dossier_data_rows(dossier=dossier),
            "attachments": [
                (attachment, papers.get(attachment.document_key, ""))
                for attachment in dossier.attachments.all()
            ],
            "events": events,
            "result": Result.objects.filter(dossier=dossier).first(),
            "actions": actions,
            "open_action": next(iter(bound), ""),
            "apology_too_late": timing.due_day is not None and today >= timing.due_day,
            "apology_last_day_is_today": timing.apology_last_day == today,
            "slips": slips,
            "just_made": (just_made, SLIP_LABELS[just_made])
            if just_made in SLIP_EVENTS and SLIP_EVENTS[just_made] in happened
            else None,
            "assign_form": assign_form,
            "problem": problem,
            # Sections of the apps above (the steps of a linked dossier; payments
            # beside the actions).
            "sections": hooks.page_sections(
                request=request, dossier=dossier, place="work"
            ),
            "action_sections": hooks.page_sections(
                request=request, dossier=dossier, place="work-actions"
            ),
        },
        status=status,
    )


@staff_required
@never_cache
@require_GET
def dossier_work(request: HttpRequest, code: str) -> HttpResponse:
    """The officer's page of a dossier: everything about it and its actions."""
    user = _staff(request)
    dossier = dossier_get_for_user(user=user, code=code)
    services.dossier_record_view(
        user=user, dossier=dossier, context="trang xử lý của cán bộ"
    )
    return _render_work(request, dossier)


def _do_receive(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_receive(
        dossier=d, actor=request.user, note=data.get("note", "")
    )


def _do_request_supplement(
    request: HttpRequest, d: Dossier, data: dict[str, Any]
) -> Dossier:
    return services.dossier_request_supplement(
        dossier=d, actor=request.user, items=data["items"], reason=data["reason"]
    )


def _do_forward(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_forward(
        dossier=d,
        actor=request.user,
        to_unit=data["to_unit"],
        assignee=data.get("assignee"),
        note=data.get("note", ""),
    )


def _do_approve(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_approve(
        dossier=d, actor=request.user, note=data.get("note", "")
    )


def _do_issue_result(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    if data["source"] == IssueResultForm.GENERATE:
        return services.dossier_issue_generated_result(
            dossier=d,
            actor=request.user,
            title=data["title"],
            number=data.get("number", ""),
        )
    return services.dossier_issue_result(
        dossier=d,
        actor=request.user,
        title=data["title"],
        number=data.get("number", ""),
        file=data["file"],
    )


def _do_return_result(
    request: HttpRequest, d: Dossier, data: dict[str, Any]
) -> Dossier:
    return services.dossier_return_result(
        dossier=d, actor=request.user, method=data["method"], note=data.get("note", "")
    )


def _do_apologize(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_apologize(
        dossier=d,
        actor=request.user,
        new_due_date=data["new_due_date"],
        reason=data["reason"],
    )


def _do_refuse(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_refuse(dossier=d, actor=request.user, reason=data["reason"])


def _do_stop(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_stop(dossier=d, actor=request.user, reason=data["reason"])


PERFORM: dict[str, Callable[[HttpRequest, Dossier, dict[str, Any]], Dossier]] = {
    "receive": _do_receive,
    "request_supplement": _do_request_supplement,
    "forward": _do_forward,
    "approve": _do_approve,
    "issue_result": _do_issue_result,
    "return_result": _do_return_result,
    "apologize": _do_apologize,
    "refuse": _do_refuse,
    "stop": _do_stop,
}


def _conflict(dossier: Dossier, message: str) -> str:
    return _(
        "%(message)s Có thể cán bộ khác vừa xử lý hồ sơ này; trang đã tải lại với "
        "trạng thái hiện nay: “%(status)s”."
    ) % {"message": message, "status": dossier.get_status_display()}


@staff_required
@require_POST
def dossier_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Do one action from the dossier page: check the form, call its service,
    then go back to the page (with the slip the action produced).

    Input errors come back with the form filled in (400). A move the dossier's
    status no longer allows, because someone acted first, is explained (409)
    and nothing is written.
    """
    if action not in ACTION_FORMS:
        raise Http404
    user = _staff(request)
    dossier = dossier_get_for_user(user=user, code=code)
    calendar = WorkingCalendar.load()
    form = _action_form(
        action,
        dossier=dossier,
        user=user,
        calendar=calendar,
        data=request.POST,
        files=request.FILES,
    )
    if not form.is_valid():
        return _render_work(request, dossier, bound={action: form}, status=400)
    if form.cleaned_data["seen_status"] != dossier.status:
        message = _("Hồ sơ đã đổi trạng thái từ khi bạn mở trang.")
        return _render_work(
            request, dossier, problem=_conflict(dossier, message), status=409
        )
    try:
        PERFORM[action](request, dossier, form.cleaned_data)
    except services.IllegalTransition as exc:
        dossier = dossier_get_for_user(user=user, code=code)
        return _render_work(
            request,
            dossier,
            bound={action: form},
            problem=_conflict(dossier, exc.message),
            status=409,
        )
    except services.ActionNotAllowed as exc:
        return _render_work(request, dossier, problem=exc.message, status=403)
    except services.DossierError as exc:
        form.add_error(None, exc.message)
        return _render_work(request, dossier, bound={action: form}, status=400)
    except ValidationError as exc:
        form.add_error("file" if "file" in form.fields else None, exc)
        return _render_work(request, dossier, bound={action: form}, status=400)
    messages.success(request, DONE_MESSAGES[action])
    url = reverse("dossiers:dossier-work", args=[dossier.code])
    if action in ACTION_SLIPS:
        url += "?" + urlencode({"slip": ACTION_SLIPS[action]})
    return redirect(url)


# --- Appointment calculator -------------------------------------------------------


@staff_required
@never_cache
@require_GET
def calendar_due(request: HttpRequest) -> HttpResponse:
    """The due date of a procedure for a receipt time, with its explanation (the
    same service as `GET /api/v1/calendar/due/`)."""
    now = timezone.localtime()
    form = DueCalculatorForm(
        request.GET or None,
        initial={"received_on": now.date(), "received_time": now.strftime("%H:%M")},
    )
    result = None
    if form.is_valid():
        procedure = form.cleaned_data["procedure"]
        deadline = services.deadline_for(
            procedure=procedure, received_at=form.received_at()
        )
        result = {
            "procedure": procedure,
            "due_at": deadline.due_at,
            "due_day": weekday_date(deadline.due_date),
            "explanation": deadline.explain(),
            # No verified time limit: the date is the provisional same-day rule.
            "limit_unknown": procedure.processing_days is None
            and not procedure.same_day,
        }
    return render(
        request,
        "dossiers/calendar_due.html",
        {"form": form, "result": result},
        status=200 if form.is_bound is False or result else 400,
    )
