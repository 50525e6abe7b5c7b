from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from dossiers import hooks

        from . import listeners

        # Every status change that concerns the citizen or an officer's queue.
        hooks.on_transition(listeners.on_dossier_transition)
