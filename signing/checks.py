"""Production never signs with development keys.

With DEBUG off (and not a DEMO_MODE server, whose results are meant to carry the
development authority's "no legal value" certificates) the development
authority and the development signing service are refused, like the public
development secrets (portal/checks.py): every `manage.py` command stops on the
error below, gunicorn and the Celery worker and beat on `portal.checks`'
refusal, which asks `development_signing()` too (docs/signing.md).
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

HINT = (
    "Give each agency its certificate (SIGNATURE_BACKEND=pkcs12 with "
    "SIGNATURE_PKCS12_DIR) or a signing service (SIGNATURE_BACKEND=remote with "
    "SIGNATURE_REMOTE_SERVICE), or run with DJANGO_DEBUG=1 on a development "
    "machine. See docs/signing.md."
)


def development_signing() -> list[str]:
    """One sentence when results would be signed with development keys while
    DEBUG and DEMO_MODE are off; none otherwise."""
    if settings.DEBUG or settings.DEMO_MODE:
        return []
    if settings.SIGNATURE_BACKEND == "development":
        return [
            "SIGNATURE_BACKEND is development: results would carry development "
            "keys (docs/signing.md)."
        ]
    if settings.SIGNATURE_BACKEND == "remote":
        from .adapters import remote_service

        if getattr(remote_service(), "development", False):
            return [
                "SIGNATURE_REMOTE_SERVICE is the development signing service: results "
                "would carry development keys (docs/signing.md)."
            ]
    return []


@register(Tags.security)
def development_signing_check(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    return [Error(p, hint=HINT, id="signing.E001") for p in development_signing()]


@register(deploy=True)
def signing_configuration_check(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    if settings.DEBUG or settings.DEMO_MODE:
        return []
    problems: list[CheckMessage] = []
    if settings.SIGNATURE_BACKEND == "pkcs12" and not (
        settings.SIGNATURE_PKCS12_DIR and Path(settings.SIGNATURE_PKCS12_DIR).is_dir()
    ):
        problems.append(
            Warning(
                "SIGNATURE_PKCS12_DIR is not a directory: no agency can sign a "
                "result, so none can be issued as an electronic document.",
                hint="Put each agency's <agency code>.p12 and .pass there "
                "(docs/signing.md).",
                id="signing.W001",
            )
        )
    missing = [n for n in settings.SIGNATURE_TRUST_ROOTS if not Path(n).is_file()]
    if not settings.SIGNATURE_TRUST_ROOTS or missing:
        problems.append(
            Warning(
                "SIGNATURE_TRUST_ROOTS names no readable CA certificate"
                + (f" ({', '.join(missing)} missing)" if missing else "")
                + ": the verification page will call every signature untrusted.",
                hint="Set it to the root CA files of the agencies' certificates "
                "(docs/signing.md).",
                id="signing.W002",
            )
        )
    return problems
