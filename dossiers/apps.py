from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

_VIEW = "dossiers.view_unit_dossiers"


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ")
    role_permissions = {
        Role.RECEIVING_OFFICER: [
            _VIEW,
            "dossiers.receive_dossier",
            "dossiers.file_for_citizen",
        ],
        Role.SPECIALIST: [_VIEW, "dossiers.process_dossier"],
        Role.LEADER: [_VIEW, "dossiers.approve_dossier"],
        Role.DISTRICT_STAFF: ["dossiers.view_area_dossiers"],
        Role.DIGITAL_TEAM: ["dossiers.file_for_citizen"],
        Role.ADMINISTRATOR: ["dossiers.view_area_dossiers"],
    }
