"""Deployment checks: the sandbox gateway never reaches production unnoticed; a
broken exemption file is reported. (A development PAYMENT_GATEWAY_SECRET stops
every start: portal/checks.py.)"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .fees import rule_errors


@register(Tags.security, deploy=True)
def check_payment_gateway(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    trial = settings.DEBUG or settings.DEMO_MODE
    sandbox = settings.PAYMENT_GATEWAY_BACKEND.endswith("SandboxGateway")
    # Without PAYMENT_GATEWAY_URL the sandbox is the portal's own /paygate/.
    gateway_url = settings.PAYMENT_GATEWAY_URL.rstrip("/")
    if sandbox and not trial and (not gateway_url or gateway_url.endswith("/paygate")):
        problems.append(
            Warning(
                "Payments go to the bundled sandbox payment platform.",
                hint="Point PAYMENT_GATEWAY_URL and PAYMENT_GATEWAY_BACKEND at the "
                "real platform (docs/payments.md).",
                id="payments.W002",
            )
        )
    if settings.PAYGATE_ENABLED and not trial:
        problems.append(
            Warning(
                "The sandbox payment platform (PAYGATE_ENABLED) is on.",
                hint="Turn it off in production: anyone could 'pay' there.",
                id="payments.W003",
            )
        )
    return problems


@register()
def check_fee_exemptions(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    path = Path(settings.PAYMENT_FEE_EXEMPTIONS_FILE)
    if not path.is_file():
        return []
    try:
        rules = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [Error(f"{path}: not JSON ({exc})", id="payments.E001")]
    return [
        Error(f"{path}: {error}", id="payments.E001") for error in rule_errors(rules)
    ]
