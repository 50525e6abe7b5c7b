"""The officer's page of one dossier, with a small form per available action."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_required
from accounts.models import User

from ... import hooks, services
from ...calendar import (
    APOLOGY_LAST_DAY,
    APOLOGY_PASSED,
    WorkingCalendar,
    explain_steps,
)
from ...forms.officer import (
    ActionForm,
    ApologizeForm,
    AppraiseForm,
    AssignForm,
    ForwardForm,
    IssueResultForm,
    ReceiveForm,
    RefuseForm,
    ReturnResultForm,
    SendBackForm,
    SignForm,
    StopForm,
    StopOnRequestForm,
    SubmitForSignatureForm,
    SupplementRequestForm,
)
from ...lifecycle import TRANSITIONS, available_actions
from ...models import Dossier, Result, ResultDraft
from ...selectors import (
    dossier_data_rows,
    dossier_events,
    dossier_get_for_user,
    forward_units,
    officers_of_active_units,
    officers_of_unit,
)
from .common import action_offered, may_assign, staff_of, timing_of

# --- The officer's page of one dossier ---------------------------------------------

# The actions an officer does from the page, with their form. Payment actions
# belong to the payment service; the applicant's actions to the citizen pages.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    "receive": ReceiveForm,
    "request_supplement": SupplementRequestForm,
    "forward": ForwardForm,
    "appraise": AppraiseForm,
    "submit_for_signature": SubmitForSignatureForm,
    "sign": SignForm,
    "send_back": SendBackForm,
    "issue_result": IssueResultForm,
    "return_result": ReturnResultForm,
    "apologize": ApologizeForm,
    "refuse": RefuseForm,
    "stop": StopForm,
    "stop_on_request": StopOnRequestForm,
}

# The slip an action produces, opened right after it.
ACTION_SLIPS = {
    "receive": "receipt",
    "request_supplement": "supplement",
    "refuse": "refusal",
    "apologize": "apology",
    "stop_on_request": "stop",
}
SLIP_EVENTS = {
    "receipt": "receive",
    "supplement": "request_supplement",
    "refusal": "refuse",
    "apology": "apologize",
    "stop": "stop_on_request",
}
SLIP_LABELS = {
    "receipt": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "supplement": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "refusal": gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "apology": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "control": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "stop": gettext_lazy("Thông báo dừng giải quyết hồ sơ"),
}
DONE_MESSAGES = {
    "receive": gettext_lazy("Đã tiếp nhận hồ sơ."),
    "request_supplement": gettext_lazy("Đã gửi yêu cầu bổ sung hồ sơ."),
    "forward": gettext_lazy("Đã chuyển hồ sơ đến đơn vị xử lý."),
    "appraise": gettext_lazy("Đã lưu kết quả thẩm định và dự thảo kết quả."),
    "submit_for_signature": gettext_lazy("Đã trình lãnh đạo ký duyệt."),
    "sign": gettext_lazy("Đã ký duyệt; hồ sơ chờ Bộ phận Một cửa phát hành kết quả."),
    "send_back": gettext_lazy("Đã trả lại chuyên viên kèm lý do."),
    "issue_result": gettext_lazy("Đã phát hành kết quả."),
    "return_result": gettext_lazy("Đã trả kết quả."),
    "apologize": gettext_lazy("Đã xin lỗi và hẹn lại ngày trả kết quả."),
    "refuse": gettext_lazy("Đã từ chối hồ sơ."),
    "stop": gettext_lazy("Đã dừng xử lý hồ sơ."),
    "stop_on_request": gettext_lazy(
        "Đã dừng giải quyết hồ sơ theo đề nghị của người nộp; in thông báo dừng "
        "giải quyết hồ sơ cho công dân."
    ),
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
    user = staff_of(request)
    bound = bound or {}
    now = timezone.now()
    today = timezone.localdate(now)
    calendar = WorkingCalendar.load()
    events = list(dossier_events(dossier=dossier))
    happened = {event.action for event in events}
    timing = timing_of(dossier, calendar=calendar, today=today, now=now)
    actions = [
        {
            "name": action,
            "label": TRANSITIONS[action].label,
            "form": bound.get(action)
            or _action_form(action, dossier=dossier, user=user, calendar=calendar),
        }
        for action in available_actions(user, dossier)
        # A panel just sent stays, to show why it was refused.
        if action in ACTION_FORMS
        and (action in bound or action_offered(action, dossier, timing))
    ]
    slips = [
        (kind, SLIP_LABELS[kind])
        for kind, action in SLIP_EVENTS.items()
        if action in happened
    ] + [("control", SLIP_LABELS["control"])]
    papers = {d.key: d.name for d in dossier.procedure.documents.all()}
    just_made = str(request.GET.get("slip", ""))
    assign_form = None
    if may_assign(user, dossier) and user.org_unit is not None:
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
            "explanation": explain_steps(dossier.due_steps, staff=True),
            "fee": hooks.fee_of(dossier=dossier),
            "data_rows": dossier_data_rows(dossier=dossier),
            "attachments": [
                (attachment, papers.get(attachment.document_key, ""))
                for attachment in dossier.attachments.all()
            ],
            "events": events,
            "result": Result.objects.filter(dossier=dossier).first(),
            "draft": ResultDraft.objects.filter(dossier=dossier)
            .select_related("appraised_by")
            .first(),
            "send_backs": [e for e in events if e.action == "send_back"],
            "actions": actions,
            "open_action": next(iter(bound), ""),
            "apology_too_late": timing.apology.state == APOLOGY_PASSED,
            "apology_last_day_is_today": timing.apology.state == APOLOGY_LAST_DAY,
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
    user = staff_of(request)
    dossier = dossier_get_for_user(user=user, code=code)
    services.dossier_record_view(
        user=user, dossier=dossier, context="trang xử lý của cán bộ"
    )
    return _render_work(request, dossier)


def _do_receive(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_receive(
        dossier=d, actor=staff_of(request), note=data.get("note", "")
    )


def _do_request_supplement(
    request: HttpRequest, d: Dossier, data: dict[str, Any]
) -> Dossier:
    return services.dossier_request_supplement(
        dossier=d, actor=staff_of(request), items=data["items"], reason=data["reason"]
    )


def _do_forward(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_forward(
        dossier=d,
        actor=staff_of(request),
        to_unit=data["to_unit"],
        assignee=data.get("assignee"),
        note=data.get("note", ""),
    )


def _do_appraise(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    if data["source"] == AppraiseForm.CERTIFY:
        return services.dossier_certify_copy(
            dossier=d,
            actor=staff_of(request),
            scan=data["file"],
            original_seen=data.get("original_seen", False),
            copies=data.get("copies"),
            title=data.get("title", ""),
            note=data.get("note", ""),
        )
    generate = data["source"] == AppraiseForm.GENERATE
    return services.dossier_appraise(
        dossier=d,
        actor=staff_of(request),
        title=data["title"],
        file=None if generate else data["file"],
        generate=generate,
        note=data.get("note", ""),
    )


def _do_submit_for_signature(
    request: HttpRequest, d: Dossier, data: dict[str, Any]
) -> Dossier:
    return services.dossier_submit_for_signature(
        dossier=d, actor=staff_of(request), note=data.get("note", "")
    )


def _do_sign(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_sign(
        dossier=d, actor=staff_of(request), note=data.get("note", "")
    )


def _do_send_back(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_send_back(
        dossier=d, actor=staff_of(request), reason=data["reason"]
    )


def _do_issue_result(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    # The signed-off draft; the inputs only for a dossier approved under the
    # earlier flow, which has none.
    generate = data.get("source") == IssueResultForm.GENERATE
    return services.dossier_issue_signed_result(
        dossier=d,
        actor=staff_of(request),
        title=data.get("title", ""),
        file=None if generate else data.get("file"),
        generate=generate,
    )


def _do_return_result(
    request: HttpRequest, d: Dossier, data: dict[str, Any]
) -> Dossier:
    return services.dossier_return_result(
        dossier=d,
        actor=staff_of(request),
        method=data["method"],
        note=data.get("note", ""),
    )


def _do_apologize(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_apologize(
        dossier=d,
        actor=staff_of(request),
        new_due_date=data["new_due_date"],
        reason=data["reason"],
    )


def _do_refuse(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_refuse(
        dossier=d, actor=staff_of(request), reason=data["reason"]
    )


def _do_stop(request: HttpRequest, d: Dossier, data: dict[str, Any]) -> Dossier:
    return services.dossier_stop(
        dossier=d, actor=staff_of(request), reason=data["reason"]
    )


def _do_stop_on_request(
    request: HttpRequest, d: Dossier, data: dict[str, Any]
) -> Dossier:
    return services.dossier_stop(
        dossier=d, actor=staff_of(request), reason=data["reason"], on_request=True
    )


PERFORM: dict[str, Callable[[HttpRequest, Dossier, dict[str, Any]], Dossier]] = {
    "receive": _do_receive,
    "request_supplement": _do_request_supplement,
    "forward": _do_forward,
    "appraise": _do_appraise,
    "submit_for_signature": _do_submit_for_signature,
    "sign": _do_sign,
    "send_back": _do_send_back,
    "issue_result": _do_issue_result,
    "return_result": _do_return_result,
    "apologize": _do_apologize,
    "refuse": _do_refuse,
    "stop": _do_stop,
    "stop_on_request": _do_stop_on_request,
}


def _conflict(dossier: Dossier, message: str) -> str:
    return _(
        "%(message)s Có thể cán bộ khác vừa xử lý hồ sơ này; trang đã tải lại với "
        "trạng thái hiện nay: “%(status)s”."
    ) % {"message": message, "status": dossier.get_status_display()}


@staff_required
@never_cache
@require_GET
def result_draft_download(request: HttpRequest, code: str) -> FileResponse:
    """The draft result the specialist uploaded, for the officers who may see
    the dossier (the leader reads it before signing)."""
    user = staff_of(request)
    dossier = dossier_get_for_user(user=user, code=code)
    draft = ResultDraft.objects.filter(dossier=dossier).first()
    if draft is None or not draft.file:
        raise Http404
    response = FileResponse(
        draft.file.open("rb"),
        content_type="application/pdf",
        filename=f"du-thao-{dossier.code}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def dossier_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Do one action from the dossier page: check the form, call its service,
    then go back to the page (with the slip the action produced).

    Input errors come back with the form filled in (400). A move the dossier's
    status no longer allows, because someone acted first, is explained (409)
    and nothing is written.
    """
    return _act(request, code, action)


@staff_required
@require_POST
def dossier_stop_at_counter(request: HttpRequest, code: str) -> HttpResponse:
    """/staff/dossiers/{code}/stop/: the applicant, at the counter, asks to stop
    the dossier (Circular 03/2025 art. 7). Granted when nothing has been
    decided: the page opens the stop notice (form 05); refused otherwise, with
    the reason (409)."""
    return _act(request, code, "stop_on_request")


def _act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404
    user = staff_of(request)
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
        # A request to stop is refused with its own reason (the status).
        refused_stop = action == "stop_on_request"
        return _render_work(
            request,
            dossier,
            bound={action: form},
            problem=exc.message if refused_stop else _conflict(dossier, exc.message),
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
