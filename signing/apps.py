from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    """Digital signatures of the documents the portal issues: each agency's PAdES
    signature through a signer chosen by a setting (its PKCS#12 file, a remote
    signer, the development authority), the record of what was signed, and the
    check of a signed PDF against the trust roots. Below dossiers: it knows
    agencies (units), not what a dossier is."""

    name = "signing"
    verbose_name = _("Chữ ký số")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the checks
