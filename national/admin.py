from django.contrib import admin

from .models import OutboxEntry, TwinReceipt


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin[OutboxEntry]):
    """Read-only: entries change only by delivery and by the failed-sync queue."""

    list_display = ["key", "state", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["state"]
    search_fields = ["key"]
    readonly_fields = [f.name for f in OutboxEntry._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(TwinReceipt)
class TwinReceiptAdmin(admin.ModelAdmin[TwinReceipt]):
    list_display = ["dossier_code", "sequence", "status", "action", "repeats"]
    search_fields = ["dossier_code"]
    readonly_fields = [f.name for f in TwinReceipt._meta.fields]
