from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "portal_name": settings.PORTAL_NAME,
        "large_text": request.COOKIES.get("portal_text_size") == "large",
        # The test SMS inbox exists in development and demo mode only.
        "sms_outbox": settings.DEBUG or settings.DEMO_MODE,
        # The national portal's pages on the staff home (docs/national-portal.md).
        "national_connected": bool(settings.NATIONAL_PORTAL_BACKEND),
        "national_sandbox": settings.NATIONAL_SANDBOX_ENABLED,
    }
