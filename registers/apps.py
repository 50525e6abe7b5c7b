from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

_SEARCH = "registers.search_registers"


class RegistersConfig(AppConfig):
    """Each agency's result registers (sổ): per kind and year, in books numbered
    without gaps or duplicates (docs/registers.md). Above dossiers: it numbers a
    result through the hook dossiers calls at issue, so dossiers never imports
    it."""

    name = "registers"
    verbose_name = _("Sổ đăng ký kết quả")
    default_auto_field = "django.db.models.BigAutoField"
    # Those who issue and sign results search their own agency's registers.
    role_permissions = {
        Role.RECEIVING_OFFICER: [_SEARCH],
        Role.SPECIALIST: [_SEARCH],
        Role.LEADER: [_SEARCH],
    }

    def ready(self) -> None:
        from dossiers import hooks

        from .services import result_numbered

        hooks.result_numberer(result_numbered)
