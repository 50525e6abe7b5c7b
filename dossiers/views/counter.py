"""Filing for a citizen who is present (assisted filing).

A one-stop officer finds the citizen by personal ID (or creates their account),
chooses the procedure, fills its form with the scans, and the dossier is filed at
the counter and received at once. A member of the community digital technology
team does the same, but only after the citizen has confirmed with the code sent
to their phone; the dossier then waits for the one-stop shop.

The steps keep their state in the session: the citizen chosen and, for the
digital team, the confirmed code.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_required
from accounts.models import PhoneCodePurpose, User
from accounts.roles import Role
from accounts.selectors import profile_prefill
from accounts.services import (
    PhoneCodeError,
    citizen_register_assisted,
    data_access_record,
    phone_code_send,
    phone_code_verify,
)
from procedures.models import Procedure
from procedures.schema import schema_file_fields, schema_form_class, schema_prefill

from .. import services
from ..forms.officer import (
    CitizenCreateForm,
    CitizenFindForm,
    PhoneCodeForm,
    ProcedureChooseForm,
    ScansForm,
)

SESSION_KEY = "counter_filing"


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by staff_required
    if user.org_unit_id is None or not user.has_perm("dossiers.file_for_citizen"):
        raise PermissionDenied
    return user


def _needs_confirmation(user: User) -> bool:
    # Whoever may not receive dossiers files only with the citizen's code.
    return not user.has_perm("dossiers.receive_dossier")


def _state(request: HttpRequest) -> dict[str, Any]:
    state = request.session.get(SESSION_KEY)
    return state if isinstance(state, dict) else {}


def _save_state(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = state


def _citizen(request: HttpRequest) -> User | None:
    pk = _state(request).get("citizen")
    if not pk:
        return None
    return User.objects.filter(pk=pk, is_active=True, groups__name=Role.CITIZEN).first()


def _next_step(user: User, state: dict[str, Any]) -> str:
    if _needs_confirmation(user) and not state.get("consent"):
        return reverse("dossiers:counter-confirm")
    return reverse("dossiers:counter-procedure")


def _start_with(request: HttpRequest, user: User, citizen: User) -> HttpResponse:
    state = {"citizen": citizen.pk}
    _save_state(request, state)
    return redirect(_next_step(user, state))


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def counter_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the citizen, by the personal ID on the card they show."""
    user = _staff(request)
    form = CitizenFindForm(request.POST or None)
    create_form = None
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["personal_id"]
        citizen = User.objects.filter(
            username=number, is_active=True, groups__name=Role.CITIZEN
        ).first()
        if citizen is not None:
            data_access_record(
                staff=user,
                citizen=citizen,
                obj_label=gettext_noop("Hồ sơ cá nhân"),
                context="nộp hồ sơ giúp công dân có mặt",
            )
            return _start_with(request, user, citizen)
        create_form = CitizenCreateForm(initial={"personal_id": number}, prefix="new")
    return render(
        request,
        "dossiers/counter_citizen.html",
        {"form": form, "create_form": create_form, "state_citizen": _citizen(request)},
    )


@staff_required
@require_POST
def counter_citizen_create(request: HttpRequest) -> HttpResponse:
    """Step 1b: a citizen without an account gets one (no password)."""
    user = _staff(request)
    create_form = CitizenCreateForm(request.POST, prefix="new")
    if create_form.is_valid():
        try:
            citizen = citizen_register_assisted(
                **create_form.cleaned_data, registered_by=user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    create_form.add_error(
                        field if field in create_form.fields else None, error
                    )
        else:
            messages.success(
                request,
                _(
                    "Đã tạo tài khoản cho %(name)s. Công dân đăng nhập bằng định danh "
                    "điện tử, hoặc đặt mật khẩu bằng “Quên mật khẩu”."
                )
                % {"name": citizen},
            )
            return _start_with(request, user, citizen)
    return render(
        request,
        "dossiers/counter_citizen.html",
        {"form": CitizenFindForm(), "create_form": create_form},
        status=400,
    )


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def counter_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2 (digital team only): the citizen reads out the code sent to their
    phone. 6 digits, 10 minutes, 5 attempts."""
    user = _staff(request)
    citizen = _citizen(request)
    if citizen is None:
        return redirect("dossiers:counter-start")
    state = _state(request)
    if not _needs_confirmation(user) or state.get("consent"):
        return redirect("dossiers:counter-procedure")
    form = PhoneCodeForm()
    status = 200
    if request.method == "POST" and "send" in request.POST:
        try:
            challenge = phone_code_send(
                user=citizen,
                requested_by=user,
                purpose=PhoneCodePurpose.FILE_FOR_CITIZEN,
            )
        except PhoneCodeError as exc:
            messages.error(request, exc.message)
        else:
            state["challenge"] = challenge.pk
            _save_state(request, state)
            messages.info(
                request,
                _("Đã gửi mã đến số %(phone)s. Mời công dân đọc mã trong tin nhắn.")
                % {"phone": challenge.phone_hint},
            )
        return redirect("dossiers:counter-confirm")
    if request.method == "POST":
        form = PhoneCodeForm(request.POST)
        if form.is_valid() and state.get("challenge"):
            try:
                phone_code_verify(
                    challenge_id=state["challenge"],
                    requested_by=user,
                    code=form.cleaned_data["code"],
                )
            except PhoneCodeError as exc:
                form.add_error("code", exc.message)
            else:
                state["consent"] = state.pop("challenge")
                _save_state(request, state)
                messages.success(request, _("Công dân đã xác nhận."))
                return redirect("dossiers:counter-procedure")
        elif form.is_valid():
            form.add_error("code", _("Hãy gửi mã đến điện thoại của công dân trước."))
        status = 400
    return render(
        request,
        "dossiers/counter_confirm.html",
        {
            "citizen": citizen,
            "form": form,
            "sent": bool(state.get("challenge")),
        },
        status=status,
    )


@staff_required
@never_cache
@require_GET
def counter_procedure(request: HttpRequest) -> HttpResponse:
    """Step 3: the procedure."""
    user = _staff(request)
    citizen = _citizen(request)
    if citizen is None:
        return redirect("dossiers:counter-start")
    if _next_step(user, _state(request)) != reverse("dossiers:counter-procedure"):
        return redirect(_next_step(user, _state(request)))
    form = ProcedureChooseForm(request.GET or None)
    if form.is_valid():
        return redirect("dossiers:counter-form", key=form.cleaned_data["procedure"].key)
    return render(
        request,
        "dossiers/counter_procedure.html",
        {"citizen": citizen, "form": form},
        status=400 if form.is_bound else 200,
    )


@staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def counter_form(request: HttpRequest, key: str) -> HttpResponse:
    """Step 4: the procedure's form, prefilled from the citizen's profile, with
    the scans; then the dossier is filed (and, by an officer, received)."""
    user = _staff(request)
    citizen = _citizen(request)
    if citizen is None:
        return redirect("dossiers:counter-start")
    state = _state(request)
    if _next_step(user, state) != reverse("dossiers:counter-procedure"):
        return redirect(_next_step(user, state))
    procedure = get_object_or_404(Procedure, key=key, submittable=True)
    form_class = schema_form_class(procedure.form_schema)
    initial = schema_prefill(procedure.form_schema, profile_prefill(user=citizen))
    if request.method == "GET":
        return _render_form(
            request, citizen, procedure, form_class(initial=initial), ScansForm()
        )
    form = form_class(request.POST, request.FILES, initial=initial)
    scans = ScansForm(request.POST, request.FILES)
    if not (form.is_valid() and scans.is_valid()):
        return _render_form(request, citizen, procedure, form, scans, status=400)
    data = {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in form.file_fields
    }
    documents = {
        f["name"]: f["document"] for f in schema_file_fields(procedure.form_schema)
    }
    files = [
        (documents[name], request.FILES[name])
        for name in form.file_fields
        if name in request.FILES and name in documents
    ] + [("", upload) for upload in scans.cleaned_data["scans"]]
    try:
        dossier = services.dossier_file_for_citizen(
            helper=user,
            citizen=citizen,
            procedure=procedure,
            data=data,
            files=files,
            consent_id=state.get("consent"),
        )
    except services.InvalidDossierData as exc:
        for name, errors in exc.errors.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return _render_form(request, citizen, procedure, form, scans, status=400)
    except services.ActionNotAllowed as exc:
        # The confirmation is missing or too old: ask the citizen again.
        messages.error(request, exc.message)
        state.pop("consent", None)
        _save_state(request, state)
        return redirect("dossiers:counter-confirm")
    except services.DossierError as exc:
        form.add_error(None, exc.message)
        return _render_form(request, citizen, procedure, form, scans, status=400)
    request.session.pop(SESSION_KEY, None)
    url = reverse("dossiers:dossier-work", args=[dossier.code])
    if dossier.received_at is not None:
        messages.success(
            request,
            _("Đã nộp và tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code},
        )
        return redirect(url + "?slip=receipt")
    messages.success(
        request,
        _(
            "Đã nộp hồ sơ %(code)s giúp công dân. Hồ sơ chờ Bộ phận Một cửa tiếp "
            "nhận; hãy đưa mã hồ sơ cho công dân để tra cứu."
        )
        % {"code": dossier.code},
    )
    return redirect(url)


def _render_form(
    request: HttpRequest,
    citizen: User,
    procedure: Procedure,
    form: Any,
    scans: ScansForm,
    *,
    status: int = 200,
) -> HttpResponse:
    if form.is_bound and form.errors and request.FILES:
        # Browsers cannot keep chosen files: say so next to the errors.
        form.add_error(None, _("Các tệp đã chọn cần được chọn lại."))
    user = _staff(request)
    # The centre's "no writing, no appointment" day: the officer writes the
    # declaration, and the dossier records it as writing help (issue 22).
    writing_help = (
        services.writing_help_day(
            procedure=procedure, unit=user.org_unit, at=timezone.now()
        )
        if user.has_perm("dossiers.receive_dossier")
        else None
    )
    return render(
        request,
        "dossiers/counter_form.html",
        {
            "citizen": citizen,
            "procedure": procedure,
            "form": form,
            "scans": scans,
            "writing_help": writing_help,
        },
        status=status,
    )


@staff_required
@require_POST
def counter_reset(request: HttpRequest) -> HttpResponse:
    """Start again with another citizen."""
    _staff(request)
    request.session.pop(SESSION_KEY, None)
    return redirect("dossiers:counter-start")
