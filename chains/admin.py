from django.contrib import admin

from .models import ChainRun, ChainStep, LinkedGroupRule


@admin.register(LinkedGroupRule)
class LinkedGroupRuleAdmin(admin.ModelAdmin[LinkedGroupRule]):
    """Dated rules of Decree 63/2024 art. 7: a new decree's limits are a new row
    from its date; the dossiers received before keep the rule they had."""

    list_display = [
        "group_code",
        "valid_from",
        "valid_to",
        "total_days",
        "total_days_with_verification",
        "sync_minutes",
        "ack_working_hours",
        "verified",
    ]
    list_filter = ["group_code", "verified"]


class ChainStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ChainStep
    extra = 0
    can_delete = False
    fields = ("order", "procedure", "org_unit", "state", "attempts", "due_at")
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ChainRun)
class ChainRunAdmin(admin.ModelAdmin[ChainRun]):
    """Read-only: a chain moves only through its services (and the reconciler)."""

    list_display = ["dossier", "status", "due_at", "started_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["dossier__code"]
    inlines = [ChainStepInline]
    readonly_fields = [f.name for f in ChainRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ChainStep)
class ChainStepAdmin(admin.ModelAdmin[ChainStep]):
    list_display = ["run", "order", "kind", "org_unit", "state", "attempts", "due_at"]
    list_filter = ["state", "kind"]
    search_fields = ["run__dossier__code", "sub_dossier__code"]
    readonly_fields = [f.name for f in ChainStep._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
