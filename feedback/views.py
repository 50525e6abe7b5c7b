"""Pages of feedback: the form (anonymous with an SMS code, or a citizen's
account), the citizen's list, the public list, the officers' list and work page."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import citizen_required, staff_required
from accounts.ratelimit import rate_limit_hit_per_address, rate_limited_response
from accounts.roles import Role
from units.models import OrgUnit
from units.selectors import valid_on_q

from . import services
from .forms import AnswerForm, FeedbackForm, ModerateForm, RerouteForm
from .models import FeedbackAttachment, Status
from .selectors import feedback_get_for_user, feedback_public, feedback_visible_to

SESSION_CHALLENGE = "feedback_phone_challenge"
SESSION_SENT = "feedback_sent_code"


def _units() -> list[tuple[str, str]]:
    units = OrgUnit.objects.filter(
        valid_on_q(timezone.localdate()), is_active=True
    ).order_by("name")
    return [(u.agency_code, u.name) for u in units if u.agency_code]


def feedback_create(request: HttpRequest) -> HttpResponse:
    """The form; an anonymous sender first asks for a code, then sends."""
    user = request.user if request.user.is_authenticated else None
    if user is not None and not getattr(user, "is_citizen", False):
        messages.info(request, _("Tài khoản cán bộ không gửi phản ánh."))
        return redirect("feedback:feedback-queue")
    anonymous = user is None
    initial = {"procedure": request.GET.get("procedure", "")[:40]}
    form = FeedbackForm(
        request.POST or None,
        request.FILES or None,
        anonymous=anonymous,
        units=_units(),
        initial=initial,
    )
    code_sent = bool(request.session.get(SESSION_CHALLENGE))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if anonymous and "send_code" in request.POST:
                wait = rate_limit_hit_per_address(
                    request,
                    scope="feedback-code",
                    rate=_setting("FEEDBACK_CODE_RATE_PER_ADDRESS"),
                )
                if wait is not None:
                    return rate_limited_response(request, retry_after=wait)
                challenge = services.feedback_phone_code_send(phone=data["phone"])
                request.session[SESSION_CHALLENGE] = challenge.pk
                code_sent = True
                messages.success(
                    request,
                    _("Đã gửi mã xác nhận đến số điện thoại; mã có hiệu lực 10 phút."),
                )
            else:
                wait = rate_limit_hit_per_address(
                    request,
                    scope="feedback-send",
                    rate=_setting("FEEDBACK_RATE_PER_ADDRESS"),
                )
                if wait is not None:
                    return rate_limited_response(request, retry_after=wait)
                feedback = services.feedback_submit(
                    sender=user,
                    kind=data["kind"],
                    title=data["title"],
                    content=data["content"],
                    publish_consent=data["publish_consent"],
                    procedure_code=data["procedure"],
                    dossier_code=data["dossier"],
                    unit_code=data["unit"],
                    sender_name=data.get("name", ""),
                    phone=data.get("phone", ""),
                    phone_challenge=request.session.get(SESSION_CHALLENGE),
                    phone_code=data.get("phone_code", ""),
                    files=data["papers"],
                    language=services.language_of(
                        getattr(request, "LANGUAGE_CODE", None)
                    ),
                )
                request.session.pop(SESSION_CHALLENGE, None)
                request.session[SESSION_SENT] = feedback.code
                return redirect("feedback:feedback-sent")
        except services.FeedbackError as exc:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                form.add_error(None, exc.message)
    return render(
        request,
        "feedback/feedback_form.html",
        {"form": form, "anonymous": anonymous, "code_sent": code_sent},
    )


def _setting(name: str) -> str:
    from django.conf import settings

    return str(getattr(settings, name))


def feedback_sent(request: HttpRequest) -> HttpResponse:
    """The acknowledgement: the feedback's code and due date (this session's)."""
    from .models import Feedback

    code = request.session.get(SESSION_SENT, "")
    feedback = Feedback.objects.filter(code=code).first() if code else None
    return render(request, "feedback/feedback_sent.html", {"feedback": feedback})


@citizen_required
def feedback_mine(request: HttpRequest) -> HttpResponse:
    rows = feedback_visible_to(user=request.user).prefetch_related("attachments")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "feedback/feedback_mine.html", {"page": page})


def feedback_public_list(request: HttpRequest) -> HttpResponse:
    """Published answers, personal data removed; search and by procedure."""
    query = request.GET.get("q", "")[:100].strip()
    procedure = request.GET.get("procedure", "")[:40].strip()
    rows = feedback_public(procedure=procedure, query=query)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/feedback_public.html",
        {"page": page, "q": query, "procedure": procedure},
    )


@staff_required
def feedback_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Status.RECEIVED)
    rows = feedback_visible_to(user=request.user).order_by("due_date", "pk")
    if status in Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/feedback_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "today": timezone.localdate(),
        },
    )


@staff_required
def feedback_work(request: HttpRequest, pk: int) -> HttpResponse:
    """One feedback: answer, publish, moderate; administrators reroute."""
    feedback = feedback_get_for_user(user=request.user, pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    answer_form = AnswerForm(request.POST if action == "answer" else None)
    moderate_form = ModerateForm(request.POST if action == "moderate" else None)
    is_admin = getattr(request.user, "has_role", lambda *r: False)(Role.ADMINISTRATOR)
    reroute_form = (
        RerouteForm(request.POST if action == "reroute" else None, units=_units())
        if is_admin
        else None
    )
    try:
        if action == "answer" and answer_form.is_valid():
            services.feedback_answer(
                feedback=feedback,
                officer=request.user,
                answer=answer_form.cleaned_data["answer"],
                publish=answer_form.cleaned_data["publish"],
            )
            messages.success(request, _("Đã trả lời; người gửi được thông báo."))
            return redirect(feedback.get_absolute_url())
        if action == "publish":
            services.feedback_publish(feedback=feedback, officer=request.user)
            messages.success(request, _("Đã công khai câu trả lời."))
            return redirect(feedback.get_absolute_url())
        if action == "moderate" and moderate_form.is_valid():
            services.feedback_moderate(
                feedback=feedback,
                officer=request.user,
                to=moderate_form.cleaned_data["to"],
                reason=moderate_form.cleaned_data["reason"],
            )
            messages.success(request, _("Đã cập nhật trạng thái."))
            return redirect(feedback.get_absolute_url())
        if action == "reroute" and reroute_form is not None and reroute_form.is_valid():
            unit = OrgUnit.objects.filter(
                agency_code=reroute_form.cleaned_data["unit"]
            ).first()
            if unit is not None:
                services.feedback_reroute(
                    feedback=feedback,
                    admin=request.user,
                    org_unit=unit,
                    reason=reroute_form.cleaned_data["reason"],
                )
                messages.success(request, _("Đã chuyển phản ánh."))
                return redirect("feedback:feedback-queue")
    except services.FeedbackError as exc:
        messages.error(request, exc.message)
    context: dict[str, Any] = {
        "feedback": feedback,
        "answer_form": answer_form,
        "moderate_form": moderate_form,
        "reroute_form": reroute_form,
        "events": feedback.events.select_related("actor"),
        "attachments": feedback.attachments.all(),
        "can_handle": services.may_handle(user=request.user, feedback=feedback),
    }
    return render(request, "feedback/feedback_work.html", context)


@staff_required
def feedback_paper(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """A paper of a feedback, to whoever may see the feedback; shown inline in a
    sandbox, never sniffed (as dossier papers)."""
    feedback = feedback_get_for_user(user=request.user, pk=pk)
    paper = get_object_or_404(FeedbackAttachment, pk=attachment_id, feedback=feedback)
    if not paper.file:
        raise Http404
    response = FileResponse(
        paper.file.open("rb"),
        content_type=paper.content_type,
        as_attachment=False,
        filename=paper.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
