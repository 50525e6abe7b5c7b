from django.contrib import admin

from .models import Identity


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin[Identity]):
    list_display = ["personal_id", "full_name", "level"]
    search_fields = ["personal_id", "full_name"]
    exclude = ["password"]
