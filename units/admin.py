from django.contrib import admin

from .models import AdminUnit, OrgUnit


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin[AdminUnit]):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "depth"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["successors"]
    readonly_fields = ["depth", "path"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ["agency_code", "name", "agency_type", "admin_unit", "is_active"]
    list_filter = ["agency_type", "is_active"]
    search_fields = ["agency_code", "name"]
    raw_id_fields = ["admin_unit", "parent"]
