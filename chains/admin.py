from django.contrib import admin

from .models import ChainRun, ChainStep


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
