"""Access checks for views."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

View = Callable[..., HttpResponseBase]


def otp_verified(request: HttpRequest) -> bool:
    """The session passed the TOTP step (django-otp's OTPMiddleware says so)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def staff_required(view: View) -> View:
    """Staff pages: anonymous users go to the login page, users without a staff
    role get 403, and staff whose session has not passed the TOTP step are sent
    back to it."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("accounts.access_staff_area"):
            raise PermissionDenied
        if not otp_verified(request):
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        return view(request, *args, **kwargs)

    return wrapper


def citizen_required(view: View) -> View:
    """Citizen pages: anonymous users go to the login page, others get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not getattr(request.user, "is_citizen", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def identity_level_required(level: int) -> Callable[[View], View]:
    """Require an electronic identity of at least `level` (1 or 2).

    A user below it gets a page (status 403) that explains how to reach the level
    and offers the electronic-identity login, not a bare refusal.
    """

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            current = getattr(request.user, "identity_level", 0)
            if current < level:
                return render(
                    request,
                    "accounts/identity_level_required.html",
                    {"required_level": level, "current_level": current},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
