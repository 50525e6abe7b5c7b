"""The portal refuses to start with DEBUG off while a secret holds a public value.

A secret is unsafe when it is empty, still its development value (listed in
`settings.DEVELOPMENT_SECRETS`, public in the repository) or the placeholder of
`.env.example`. Every entry point asks `unsafe_secrets()`: `manage.py` commands
through the system check below (an error, so `check`, `migrate`, `runserver` and
the others stop), gunicorn through `portal/wsgi.py` and `portal/asgi.py`, the
Celery worker and beat through `portal/celery.py` (docs/security.md "Secrets").

Also a deployment warning while PORTAL_URL, the public address, is not set.
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

# What `.env.example` holds for each secret, copied as is to a `.env`.
PLACEHOLDER_PREFIX = "change-me"

HINT = (
    "Set each to a long random value from your secret store (e.g. "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`, or the "
    "value the provider gave), or run with DJANGO_DEBUG=1 on a development "
    'machine. See docs/security.md "Secrets".'
)


def unsafe_secrets() -> list[str]:
    """One sentence per secret that must not be used as it is: empty, its
    public development value or the `.env.example` placeholder. None with
    DEBUG on, where the development values are meant to work."""
    if settings.DEBUG:
        return []
    problems = []
    for name, development in settings.DEVELOPMENT_SECRETS.items():
        try:
            value = str(getattr(settings, name, "") or "")
        except ImproperlyConfigured:  # Django's own refusal of an empty SECRET_KEY
            value = ""
        if not value:
            problems.append(f"{name} is empty.")
        elif value == development:
            problems.append(f"{name} is the public development value.")
        elif value.startswith(PLACEHOLDER_PREFIX):
            problems.append(f"{name} is the placeholder of .env.example.")
    return problems


def refusal_message(problems: list[str]) -> str:
    return "Refusing to start with DJANGO_DEBUG off: " + " ".join(problems) + " " + HINT


def unsafe_start() -> list[str]:
    """What stops gunicorn, the Celery worker and beat: the unsafe secrets, and
    development signing keys with DEBUG off (signing/checks.py)."""
    from signing.checks import development_signing

    return unsafe_secrets() + development_signing()


def refuse_unsafe_start() -> None:
    """Raise ImproperlyConfigured, naming each unsafe secret (gunicorn, Celery)."""
    problems = unsafe_start()
    if problems:
        raise ImproperlyConfigured(refusal_message(problems))


# Not a deployment-only check: every management command that runs the checks
# (check, migrate, runserver, createsuperuser, ...) stops on it.
@register(Tags.security)
def development_secrets_check(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    return [Error(problem, hint=HINT, id="portal.E001") for problem in unsafe_secrets()]


@register(deploy=True)
def public_address_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or settings.PORTAL_URL:
        return []
    return [
        Warning(
            "PORTAL_URL is not set: links and QR codes take the address of the "
            "request that caused them, and those made by periodic tasks (reminders, "
            "digests, the chains' reconciler) carry a path without any address.",
            hint="Set PORTAL_URL to the portal's public address, e.g. "
            "https://dichvucong.example.gov.vn (accounts/addresses.py).",
            id="portal.W001",
        )
    ]


@register(Tags.security)
def login_policy_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Citizens by electronic identity only, with no identity provider: nobody
    but the staff could log in."""
    if not settings.CITIZEN_EID_LOGIN_ONLY:
        return []
    if settings.OIDC_ISSUER_URL or settings.IDP_ENABLED:
        return []
    return [
        Error(
            "CITIZEN_EID_LOGIN_ONLY is on but no identity provider is set: "
            "citizens could not log in at all.",
            hint="Set OIDC_ISSUER_URL (and its client settings, docs/identity.md), "
            "or turn CITIZEN_EID_LOGIN_ONLY off.",
            id="portal.E010",
        )
    ]
