from django.contrib import admin

from .models import Feedback, FeedbackEvent


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FeedbackEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "reason"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only: feedback moves through its services (the officers' page;
    rerouting on it for administrators)."""

    list_display = ["code", "kind", "status", "org_unit", "due_date", "received_at"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "title"]
    inlines = [EventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
