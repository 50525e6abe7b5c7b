from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

# Administrators edit the catalogue, its guides, questions and the announcements
# in the portal's admin; everyone else only reads the public pages.
_EDITABLE = [
    "procedure",
    "document",
    "linkedstep",
    "faq",
    "field",
    "lifeevent",
    "guide",
    "guidestep",
    "announcement",
    # The province's list of procedures received regardless of administrative
    # boundary (issue 17): the province publishes it, an administrator keeps it.
    "anywhereinprovince",
]


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Thủ tục hành chính")
    role_permissions = {
        Role.ADMINISTRATOR: [
            f"procedures.{action}_{model}"
            for model in _EDITABLE
            for action in ("view", "add", "change", "delete")
        ]
    }
