"""The bundled identity provider's own pages: its login, and the authorization
endpoint that runs as the identity logged in there (not as a portal user)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from oauth2_provider.views import AuthorizationView

from accounts.ratelimit import client_ip, rate_limit_consume

from .forms import IdentityLoginForm
from .models import Identity
from .services import identity_authenticate

SESSION_KEY = "idp_identity_id"
# Attempts per client IP and window (RATE_LIMIT_WINDOW_SECONDS).
LOGIN_RATE_LIMIT = 20

View = Callable[..., HttpResponse]


def idp_enabled(view: View) -> View:
    """Every page of the provider is 404 unless IDP_ENABLED is on."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.IDP_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _identity(request: HttpRequest) -> Identity | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return Identity.objects.select_related("subject").filter(pk=pk).first()


@idp_enabled
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def identity_login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = ""
    form = IdentityLoginForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if not rate_limit_consume(
            scope="idp-login", key=client_ip(request), limit=LOGIN_RATE_LIMIT
        ):
            form.add_error(None, _("Quá nhiều lần thử. Vui lòng thử lại sau."))
        else:
            identity = identity_authenticate(
                personal_id=form.cleaned_data["personal_id"].strip(),
                password=form.cleaned_data["password"],
            )
            if identity is None:
                form.add_error(None, _("Số định danh hoặc mật khẩu không đúng."))
            else:
                request.session.cycle_key()
                request.session[SESSION_KEY] = identity.pk
                return redirect(next_url or "idp:login")
    demo = Identity.objects.all() if settings.DEMO_MODE else Identity.objects.none()
    return render(
        request,
        "idp/identity_login.html",
        {
            "form": form,
            "next": next_url,
            "identity": _identity(request),
            "demo_identities": demo,
        },
    )


class IdentityAuthorizationView(AuthorizationView):  # type: ignore[misc]
    """django-oauth-toolkit's authorization endpoint, as the provider's identity."""

    login_url = reverse_lazy("idp:login")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not settings.IDP_ENABLED:
            raise Http404
        identity = _identity(request)
        # The portal's own login in the same browser is irrelevant here.
        request.user = identity.subject if identity else AnonymousUser()
        return super().dispatch(request, *args, **kwargs)
