from django.contrib import admin

from .models import SignedDocument


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin[SignedDocument]):
    """What was signed, read only: a record changed by hand would no longer say
    what the agency signed."""

    list_display = ["signed_at", "unit", "signer_name", "backend", "development"]
    list_filter = ["backend", "development"]
    search_fields = ["sha256", "signer_name", "unit__agency_code"]
    list_select_related = ["unit"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
