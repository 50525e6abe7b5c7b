"""Deployment checks of the identity and SMS settings (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

DEV_SMS_BACKEND = "accounts.adapters.sms.DatabaseSmsBackend"


@register(deploy=True)
def identity_settings_check(app_configs: Any, **kwargs: Any) -> list[Any]:
    # A development OIDC_CLIENT_SECRET stops every start (portal/checks.py).
    problems: list[Any] = []
    if settings.IDP_ENABLED and not (settings.DEBUG or settings.DEMO_MODE):
        problems.append(
            Warning(
                "The bundled test identity provider is on (IDP_ENABLED).",
                hint="Turn it off in production; it is for development and demos.",
                id="accounts.W001",
            )
        )
    return problems


@register(deploy=True)
def sms_settings_check(app_configs: Any, **kwargs: Any) -> list[Any]:
    if settings.SMS_BACKEND == DEV_SMS_BACKEND and not (
        settings.DEBUG or settings.DEMO_MODE
    ):
        return [
            Warning(
                "SMS_BACKEND is the development gateway: no text message is sent.",
                hint="Set SMS_BACKEND to a real gateway (accounts/adapters/sms.py).",
                id="accounts.W002",
            )
        ]
    return []
