"""Notifications in the admin, read-only: what was sent to whom, and the queue of
what failed for good (Delivery, filtered by status "failed")."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Delivery, Digest, Notification, Preference


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(admin.TabularInline[Delivery, Notification]):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "attempts", "sent_at", "provider_id", "error"]
    readonly_fields = [
        "channel",
        "status",
        "attempts",
        "sent_at",
        "provider_id",
        "error",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "event_key", "title", "read_at"]
    list_filter = ["event_key", "language"]
    search_fields = ["dedup_key", "title", "recipient__username"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "notification",
        "channel",
        "status",
        "attempts",
        "sent_at",
        "error",
    ]
    list_filter = ["status", "channel"]
    list_select_related = ["notification"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "channel", "count", "status", "sent_at"]
    list_filter = ["status", "channel"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin[Preference]):
    list_display = ["user", "email", "sms", "language", "updated_at"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user"]
