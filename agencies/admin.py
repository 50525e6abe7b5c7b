from django.contrib import admin

from .models import RegistryRecord


@admin.register(RegistryRecord)
class RegistryRecordAdmin(admin.ModelAdmin[RegistryRecord]):
    list_display = ["personal_id", "full_name", "date_of_birth", "household_code"]
    search_fields = ["personal_id", "full_name"]
    list_filter = ["household_code"]
