from django.contrib import admin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "is_working_day", "reason", "source"]
    list_filter = ["is_working_day"]
    search_fields = ["reason"]
    date_hierarchy = "date"
