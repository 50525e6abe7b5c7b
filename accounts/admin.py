from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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
