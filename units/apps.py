from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị hành chính và cơ quan")
    # Administrators keep each unit's contacts (address, phone, hours) up to date
    # in the admin. The role is named by its value: units sits below accounts.
    role_permissions = {"administrator": ["units.view_orgunit", "units.change_orgunit"]}
