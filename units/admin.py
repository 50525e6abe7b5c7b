from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AdminUnit, OrgUnit


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin[AdminUnit]):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "depth"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["successors"]
    readonly_fields = ["depth", "path"]


# What a unit is, when it is in force and where dossiers go: only a superuser
# changes these (agency codes start every dossier code; the dates decide where
# citizens may file). Administrators keep the contacts up to date.
IDENTITY_FIELDS = [
    "name",
    "kind",
    "agency_type",
    "agency_code",
    "admin_unit",
    "parent",
    "valid_from",
    "valid_to",
    "successors",
]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = [
        "agency_code",
        "name",
        "kind",
        "admin_unit",
        "valid_from",
        "valid_to",
        "is_active",
        "phone",
        "contact_verified",
    ]
    list_filter = ["kind", "agency_type", "is_active", "contact_verified"]
    search_fields = ["agency_code", "name", "address"]
    raw_id_fields = ["admin_unit", "parent"]
    filter_horizontal = ["successors"]
    fieldsets = [
        (None, {"fields": [*IDENTITY_FIELDS, "is_active", "note"]}),
        (
            _("Liên hệ (trang Hỗ trợ và chân trang)"),
            {
                "description": _(
                    "Người dân xem các thông tin này tại /help/ và ở chân trang "
                    "của hồ sơ nộp tại cơ quan. Chỉ cơ quan đang hoạt động, có "
                    "tiếp nhận hồ sơ mới được liệt kê."
                ),
                "fields": [
                    "address",
                    "phone",
                    "opening_hours",
                    "opening_hours_en",
                    ("latitude", "longitude"),
                    "contact_verified",
                ],
            },
        ),
    ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: OrgUnit | None = None
    ) -> Any:
        user = request.user
        if obj is not None and not getattr(user, "is_superuser", False):
            return [*IDENTITY_FIELDS, "is_active"]
        return []
