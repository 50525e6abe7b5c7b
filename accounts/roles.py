"""Roles are Django groups with permissions.

Each app may declare, on its AppConfig, `role_permissions`: a mapping from a role to
the "app_label.codename" permissions that role holds in that app. `roles_sync`
(accounts.services) gathers them, so the accounts app need not know the apps above
it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    RECEIVING_OFFICER = "receiving_officer", _("Cán bộ tiếp nhận (Bộ phận Một cửa)")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    DISTRICT_STAFF = "district_staff", _("Cán bộ theo dõi, thống kê (huyện, tỉnh)")
    DIGITAL_TEAM = "digital_team", _("Tổ công nghệ số cộng đồng")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


# Every role but the citizen's acts for an organisation unit and works in the staff
# area.
STAFF_ROLES = frozenset(Role) - {Role.CITIZEN}
