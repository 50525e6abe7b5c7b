"""Logging in (password, then TOTP for staff; or electronic identity), signing up,
password reset, and the lockout page."""

import math
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import user_login_failed
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from ..adapters import oidc
from ..decorators import otp_verified
from ..forms import LoginForm, OtpForm, PortalPasswordResetForm, SignUpForm
from ..models import User
from ..policy import EID_ONLY_MESSAGE, citizens_use_eid_only
from ..ratelimit import (
    client_ip,
    lockout_retry_after,
    rate_limit_consume,
    rate_limit_hit,
    rate_limited_response,
)
from ..services import IdentityLinkError, citizen_link_from_claims, citizen_sign_up

PENDING_KEY = "accounts_otp_pending"
OIDC_NEXT_KEY = "accounts_oidc_next"
# The TOTP step must follow the password step within this time.
PENDING_MAX_AGE_SECONDS = 300
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _fully_logged_in(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return not getattr(user, "requires_otp", False) or otp_verified(request)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Password step. Staff go on to the TOTP step before they are logged in."""
    next_url = request.POST.get("next") or request.GET.get("next")
    if _fully_logged_in(request):
        return redirect(_next_url(request, next_url))
    if request.method == "POST":
        # Per address, across usernames (password spraying); axes locks each
        # username+address pair on its own.
        wait = rate_limit_hit(
            scope="login", key=client_ip(request), limit=settings.LOGIN_RATE_LIMIT
        )
        if wait is not None:
            return rate_limited_response(request, retry_after=wait)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        if user.requires_otp:
            # Staff land in the staff area: the account page is the citizen's.
            staff_next = next_url or reverse("portal:staff-home")
            request.session[PENDING_KEY] = {
                "user_id": user.pk,
                "backend": getattr(user, "backend", MODEL_BACKEND),
                "next": _next_url(request, staff_next),
                "at": time.time(),
            }
            return redirect("accounts:login-otp")
        auth_login(request, user)
        return redirect(_next_url(request, next_url))
    return render(
        request,
        "accounts/user_login.html",
        {
            "form": form,
            "next": next_url or "",
            "idp_available": _oidc_available(),
            "eid_only": citizens_use_eid_only(),
        },
    )


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_MAX_AGE_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    return (user, pending) if user else None


@sensitive_post_parameters("otp")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_otp(request: HttpRequest) -> HttpResponse:
    """TOTP step: the staff user is logged in only once a code matches."""
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."))
        return redirect("accounts:login")
    user, pending = found
    if not user_has_device(user, confirmed=True):
        request.session.pop(PENDING_KEY, None)
        return render(request, "accounts/user_login_no_device.html", status=403)
    credentials = {"username": user.username}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request, None, credentials)
    form = OtpForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = match_token(user, form.cleaned_data["otp"])
        if device is not None:
            del request.session[PENDING_KEY]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        # A wrong code counts as a failed login for the lockout.
        user_login_failed.send(
            sender=__name__, credentials=credentials, request=request
        )
        form.add_error(
            "otp", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới.")
        )
    return render(request, "accounts/user_login_otp.html", {"form": form})


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None,
    credentials: dict[str, Any] | None,
) -> HttpResponse:
    """What django-axes answers once a username+IP is locked out: 429 with
    Retry-After, the page or (under /api/) JSON, as every other limit."""
    wait = lockout_retry_after(request, credentials)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _(
                    "Đã nhập sai %(limit)d lần liên tiếp: đăng nhập bằng tài khoản "
                    "này từ địa chỉ này tạm bị khóa. Vui lòng thử lại sau "
                    "%(seconds)d giây."
                )
                % {"limit": settings.AXES_FAILURE_LIMIT, "seconds": wait}
            },
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request,
            "accounts/user_lockout.html",
            {"minutes": math.ceil(wait / 60), "limit": settings.AXES_FAILURE_LIMIT},
            status=429,
        )
    response["Retry-After"] = str(wait)
    return response


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A citizen creates an account with their personal ID number (unless
    citizens log in by electronic identity only: their account is made at their
    first such login)."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if citizens_use_eid_only():
        messages.info(request, EID_ONLY_MESSAGE)
        return redirect("accounts:login")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        wait = rate_limit_hit(
            scope="signup", key=client_ip(request), limit=settings.SIGNUP_RATE_LIMIT
        )
        if wait is not None:
            return rate_limited_response(request, retry_after=wait)
        if form.is_valid():
            data = form.cleaned_data
            user = citizen_sign_up(
                personal_id=data["personal_id"],
                password=data["password1"],
                full_name=data["full_name"],
                date_of_birth=data["date_of_birth"],
                sex=data["sex"],
                phone=data["phone"],
                email=data["email"],
            )
            auth_login(request, user, backend=MODEL_BACKEND)
            messages.success(request, _("Đã tạo tài khoản. Chào mừng bạn!"))
            return redirect("accounts:account-home")
    return render(request, "accounts/user_signup.html", {"form": form})


@method_decorator(csrf_protect, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset-by-email, rate-limited per client and per address."""

    form_class = PortalPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.PASSWORD_RESET_RATE_LIMIT
        email = request.POST.get("email", "").strip().lower()
        if not (
            rate_limit_consume(
                scope="password-reset-ip", key=client_ip(request), limit=limit
            )
            and rate_limit_consume(scope="password-reset-email", key=email, limit=limit)
        ):
            return rate_limited_response(request)
        return super().post(request, *args, **kwargs)


def _oidc_available() -> bool:
    return bool(settings.OIDC_ISSUER_URL or settings.IDP_ENABLED)


@never_cache
@require_GET
def oidc_login(request: HttpRequest) -> HttpResponse:
    """Start the electronic-identity login."""
    request.session[OIDC_NEXT_KEY] = _next_url(request, request.GET.get("next"))
    try:
        return oidc.login_begin(request)
    except oidc.OidcError as error:
        return render(
            request, "accounts/oidc_error.html", {"error": str(error)}, status=503
        )


@never_cache
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code and the state."""
    try:
        claims = oidc.login_complete(request)
        user = citizen_link_from_claims(claims=claims)
    except (oidc.OidcError, IdentityLinkError) as error:
        return render(
            request, "accounts/oidc_error.html", {"error": str(error)}, status=400
        )
    auth_login(request, user, backend=MODEL_BACKEND)
    messages.success(
        request,
        _("Đã đăng nhập bằng định danh điện tử mức độ %(level)d.")
        % {"level": user.identity_level},
    )
    return redirect(request.session.pop(OIDC_NEXT_KEY, None) or "accounts:account-home")
