from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    ApiToken,
    DataAccessLog,
    OutboundSms,
    PhoneCode,
    StoredDocument,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "org_unit", "identity_level", "is_active"]
    list_filter = ["groups", "identity_level", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email", "phone"]
    ordering = ["username"]
    raw_id_fields = ["org_unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin cá nhân"),
            {"fields": ("full_name", "date_of_birth", "sex", "phone", "email")},
        ),
        (_("Định danh và đơn vị"), {"fields": ("identity_level", "org_unit")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "org_unit", "groups"),
            },
        ),
        (None, {"fields": ("password1", "password2")}),
    )


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Rows that nobody may add, change or delete, even an administrator."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DataAccessLog)
class DataAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "staff", "staff_unit", "citizen", "obj_label"]
    list_filter = ["staff_unit"]
    search_fields = ["staff__username", "citizen__username", "context"]
    date_hierarchy = "created_at"


@admin.register(StoredDocument)
class StoredDocumentAdmin(ReadOnlyAdmin):
    """Metadata only: the files themselves are the citizen's."""

    list_display = ["pk", "owner", "doc_type", "source", "size", "created_at"]
    list_filter = ["doc_type", "source"]
    exclude = ["file"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    exclude = ["key_hash"]
    readonly_fields = ["user", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OutboundSms)
class OutboundSmsAdmin(ReadOnlyAdmin):
    """What the development SMS gateway would have sent (administrators only)."""

    list_display = ["created_at", "phone", "text"]
    search_fields = ["phone", "message_id"]
    date_hierarchy = "created_at"


@admin.register(PhoneCode)
class PhoneCodeAdmin(ReadOnlyAdmin):
    """One-time codes sent by SMS: who asked, when, and whether they were used.
    The code itself is never stored."""

    list_display = [
        "created_at",
        "user",
        "requested_by",
        "purpose",
        "phone_hint",
        "attempts",
        "confirmed_at",
        "used_at",
    ]
    list_filter = ["purpose"]
    exclude = ["salt", "code_hash"]
