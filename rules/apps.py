from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = _("Bộ quy tắc một cửa")
    default_auto_field = "django.db.models.BigAutoField"
    # Administrators keep each centre's "no writing, no appointment" day in the
    # admin (a local practice); the rule sets (the law) stay with the superuser.
    role_permissions = {
        "administrator": [
            "rules.view_noappointmentday",
            "rules.add_noappointmentday",
            "rules.change_noappointmentday",
            "rules.delete_noappointmentday",
        ]
    }
