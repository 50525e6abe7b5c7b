from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Register, RegisterEntry
from .services import RegisterError, register_book_close


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin[Register]):
    """The books, read only but for closing one (the next result opens the next
    book): a counter changed by hand would give a number twice or leave a gap."""

    list_display = ["unit", "kind", "year", "sequence", "last_number", "closed_at"]
    list_filter = ["kind", "year"]
    search_fields = ["unit__name", "unit__agency_code"]
    list_select_related = ["unit"]
    actions = ["close_books"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Khóa quyển sổ (kết quả tiếp theo mở quyển mới)"))
    def close_books(self, request: HttpRequest, queryset: QuerySet[Register]) -> None:
        for register in queryset:
            try:
                register_book_close(register=register, actor=request.user)  # type: ignore[arg-type]
            except RegisterError as exc:
                self.message_user(request, f"{register}: {exc}", messages.WARNING)


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin[RegisterEntry]):
    """The lines of the registers, read only: written once, at issue."""

    list_display = ["number", "register", "subject", "dossier", "entered_at"]
    list_filter = ["register__kind", "register__year"]
    search_fields = ["subject", "dossier__code", "register__unit__name"]
    list_select_related = ["register__unit", "dossier"]
    raw_id_fields = ["dossier"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
